"""The identity of the server's history: a digest chained per ``server_seq`` (revision 0008).

A laptop's pull cursor says "I hold what the server served through number N". That holds only
while numbers 1 … N still mean what they meant when it pulled them. A server restored from a
backup gives the numbers after the backup again, to other changes (a change re-sent after the
restore can even land on its old number behind a different one), so a cursor alone, or one
change compared at the cursor, can hide a change forever.

So every number the server gives — to a stored change (``changes``) or to a redelivery
(``redeliveries``) — gets a digest in ``history``: SHA-256 of the previous number's digest and
this number's identity (which change of which device it is, the team and case it was stored
for, whether it was refused; for a redelivery, which stored change for which team). The digest
at N therefore names the whole history 1 … N: any difference at or below N changes it. It is
computed once, under the write lock and in the transaction that gives the numbers
(``extend``), and kept, so a backup carries it and a restored server goes on from the digest of
its last number. Identities only: no record text goes into it, and a digest tells nothing
about the changes of teams a caller cannot see.

The digest at a page's cursor comes with each pull page and push answer, and the device state
answers the digests at numbers a laptop asks for (its checkpoints): a laptop whose checkpoint
at its cursor differs re-pulls from its newest checkpoint that still matches.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from .db import SERVER_SEQ, changes, metadata
from .redelivery import redeliveries

history = sa.Table(
    "history",
    metadata,
    sa.Column("server_seq", SERVER_SEQ, primary_key=True, autoincrement=False),
    sa.Column("digest", sa.String(64), nullable=False),
)

ORIGIN = "0" * 64  # the digest "at 0": the empty history
MAX_ASKED = 64  # digests one device-state request may ask for
_CHUNK = 2000


def _digest(previous: str, identity: list) -> str:
    text = json.dumps(identity, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(f"{previous}\n{text}".encode()).hexdigest()


def extend(conn: Connection) -> int:
    """Give a digest to every number above the last one that has one (inside the write
    transaction that gave them; also after a migration, for the numbers of an older server).
    Returns how many were added."""
    last = conn.execute(sa.select(history.c.server_seq, history.c.digest)
                        .order_by(history.c.server_seq.desc()).limit(1)).first()
    after, previous = (last.server_seq, last.digest) if last else (0, ORIGIN)
    added = 0
    while True:
        stored = (sa.select(changes.c.server_seq, sa.literal("c").label("kind"),
                            changes.c.site, changes.c.seq, changes.c.team_id,
                            changes.c.case_id,
                            changes.c.refused.is_not(None).label("refused"))
                  .where(changes.c.server_seq > after))
        again = (sa.select(redeliveries.c.server_seq, sa.literal("r").label("kind"),
                           sa.null().label("site"), redeliveries.c.change_seq.label("seq"),
                           redeliveries.c.team_id, sa.null().label("case_id"),
                           sa.false().label("refused"))
                 .where(redeliveries.c.server_seq > after))
        merged = sa.union_all(stored, again).subquery()
        rows = conn.execute(sa.select(merged).order_by(merged.c.server_seq).limit(_CHUNK)).all()
        if not rows:
            return added
        digests = []
        for row in rows:
            identity = [row.kind, int(row.server_seq), row.site, int(row.seq), row.team_id,
                        row.case_id, bool(row.refused)]
            previous = _digest(previous, identity)
            digests.append({"server_seq": row.server_seq, "digest": previous})
        conn.execute(history.insert(), digests)
        added += len(digests)
        after = rows[-1].server_seq


def digests_at(conn: Connection, seqs: Iterable[int]) -> dict[int, str]:
    """The digests at these numbers (0: the empty history); a number the server has not
    given is left out."""
    wanted = sorted({int(seq) for seq in seqs})
    found = {0: ORIGIN} if 0 in wanted else {}
    positive = [seq for seq in wanted if seq > 0]
    if positive:
        found.update(conn.execute(sa.select(history.c.server_seq, history.c.digest)
                                  .where(history.c.server_seq.in_(positive))).all())
    return found


def digest_at(conn: Connection, seq: int) -> str | None:
    return digests_at(conn, [seq]).get(seq)


__all__ = ["MAX_ASKED", "ORIGIN", "digest_at", "digests_at", "extend", "history"]
