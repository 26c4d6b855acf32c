"""The demo store's sync state: nothing waits for a server, one open conflict and one refused
change to explore.

The conflict is made as one really arises: a second replica (a colleague's laptop, a throw-away
store in a temporary folder) receives the demo user's relationship note, both revise it without
seeing each other's revision, and the demo store receives the colleague's revision through
``apply_remote`` — the merge keeps both and the note shows as 競合 until the worker resolves it.

A demo store has no server, so its thousands of generated changes are not "未送信": they are
acknowledged through the store's own ``record_ack``, exactly as the sync client records a
server's answer (the outbox empties, ``sync.acked_through`` is the newest change, the change log
is untouched). In the same answer one change is refused as a server refuses a change to a record
of another team, so 送信できなかった変更 has an entry to open, copy and mark 確認済み.
"""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path

from .store import Store

log = logging.getLogger(__name__)

# the server's words for a change outside the caller's teams (sync.server.scopes.OUTSIDE)
REFUSED_REASON = ("担当チームの外の記録です（デモ用の例） / the record belongs to a team outside "
                  "the caller's (a demo example)")


LOCAL_ADDENDUM = "\n（追記）本人から、次は午後に来てほしいと言われた。"
OTHER_ADDENDUM = "\n（追記）母親によると、最近は夜も眠れているとのこと。"
OTHER_PASSPHRASE = "demo-colleague-laptop"


def conflict_note(store) -> tuple[str, str | None] | None:
    """A relationship note on a case of the demo user, and a colleague of the same team (or
    None when there is none)."""
    author = store.author
    me = store.get("worker", author) if author else None
    colleagues = sorted((w for w in store.list_entities("worker")
                         if w.id != author and me is not None and w["team_id"] == me["team_id"]),
                        key=lambda w: w["name"] or "")
    for note in sorted(store.list_entities("note"), key=lambda n: n.id):
        case = store.get("case", note["case_id"])
        if case is not None and case["worker_id"] == author:
            return note.id, (colleagues[0].id if colleagues else None)
    return None


def add_demo_conflict(store, *, kdf=None) -> str | None:
    """Revise one of the demo user's notes here and, concurrently, on a colleague's replica;
    merge the colleague's revision in. Returns the note's id (None when the demo has none)."""
    found = conflict_note(store)
    if found is None:
        return None
    note_id, colleague = found
    wanted = {("note", note_id)} | ({("worker", colleague)} if colleague else set())
    shared = [c for c in store.changes() if (c.entity, c.entity_id) in wanted]
    text = store.get("note", note_id)["text"] or ""
    with tempfile.TemporaryDirectory(prefix="demo-colleague-") as folder:
        options = {"kdf": kdf} if kdf is not None else {}
        other = Store.create(Path(folder) / "data", OTHER_PASSPHRASE, **options)
        try:
            other.apply_remote(shared)  # the colleague's laptop had synced the note
            if colleague:
                other.set_author(colleague)
            other.revise_note(note_id, text + OTHER_ADDENDUM)
            theirs = [c for c in other.changes() if c.site == other.site
                      and (c.entity, c.entity_id) == ("note", note_id)]
        finally:
            other.close()
    store.revise_note(note_id, text + LOCAL_ADDENDUM)  # meanwhile, on this laptop
    store.apply_remote(theirs)  # the colleague's revision arrives: both survive, in conflict
    log.info("demo conflict made on one note")
    return note_id


def refusable_change(store, besides: str | None = None) -> int | None:
    """The seq of this device's newest relationship note text (a change worth copying), not
    of the note ``besides`` (the one in conflict)."""
    row = store.db.execute(
        "SELECT seq FROM changes WHERE site = ? AND entity = 'note' AND field = 'text' "
        "AND entity_id != ? ORDER BY seq DESC LIMIT 1", (store.site, besides or "")).fetchone()
    return int(row[0]) if row else None


def settle_demo_changes(store, besides: str | None = None) -> int:
    """Acknowledge every change of the demo store, one of them (not of the note ``besides``)
    refused; returns how many left the outbox."""
    last = store.engine.next_seq - 1
    if last < 1:
        return 0
    seq = refusable_change(store, besides)
    refused = [(seq, REFUSED_REASON)] if seq is not None else []
    dropped = store.record_ack(last, refused=refused)
    log.info("demo changes acknowledged (%d), %d refused", dropped, len(refused))
    return dropped


__all__ = ["REFUSED_REASON", "add_demo_conflict", "conflict_note", "refusable_change",
           "settle_demo_changes"]
