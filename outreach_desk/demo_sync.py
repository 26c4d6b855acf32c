"""The demo store's sync state: nothing waits for a server, and one refused change to explore.

A demo store has no server, so its thousands of generated changes are not "未送信": they are
acknowledged through the store's own ``record_ack``, exactly as the sync client records a
server's answer (the outbox empties, ``sync.acked_through`` is the newest change, the change log
is untouched). In the same answer one change is refused as a server refuses a change to a record
of another team, so 送信できなかった変更 has an entry to open, copy and mark 確認済み.
"""

from __future__ import annotations

import logging

log = logging.getLogger(__name__)

# the server's words for a change outside the caller's teams (sync.server.scopes.OUTSIDE)
REFUSED_REASON = ("担当チームの外の記録です（デモ用の例） / the record belongs to a team outside "
                  "the caller's (a demo example)")


def refusable_change(store) -> int | None:
    """The seq of this device's newest relationship note text (a change worth copying)."""
    row = store.db.execute(
        "SELECT seq FROM changes WHERE site = ? AND entity = 'note' AND field = 'text' "
        "ORDER BY seq DESC LIMIT 1", (store.site,)).fetchone()
    return int(row[0]) if row else None


def settle_demo_changes(store) -> int:
    """Acknowledge every change of the demo store, one of them refused; returns how many left
    the outbox."""
    last = store.engine.next_seq - 1
    if last < 1:
        return 0
    seq = refusable_change(store)
    refused = [(seq, REFUSED_REASON)] if seq is not None else []
    dropped = store.record_ack(last, refused=refused)
    log.info("demo changes acknowledged (%d), %d refused", dropped, len(refused))
    return dropped


__all__ = ["REFUSED_REASON", "refusable_change", "settle_demo_changes"]
