"""The store's side of sync: applying remote changes, the outbox, where this replica stands with
the sync server (pull cursor, acknowledgements), the device's enrollment and the server's
certificate authority, and wiping a revoked laptop's store.

A mixin of :class:`~outreach_desk.store.Store`, kept apart so the store stays readable; it uses
the store's connection, engine, clock and write path like every other store method.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from typing import Any

from . import erasure, queries, refusals
from .changes import Change
from .engine import ApplyResult

log = logging.getLogger(__name__)


class SyncStateMixin:
    """Remote changes and the sync state (see the module's note)."""

    # -- remote changes (sync) --------------------------------------------------------------

    def apply_remote(self, changes: Iterable[Change]) -> ApplyResult:
        result = self.engine.apply_remote(changes)
        self._notify(result.summary)
        return result

    def retry_held(self) -> ApplyResult:
        return self.apply_remote(())

    def changes(self, *, after_site_seq: dict[str, int] | None = None) -> list[Change]:
        return queries.changes(self.db, after_site_seq or {})

    def outbox(self, limit: int | None = None) -> list[Change]:
        return queries.outbox(self.db, limit)

    def acknowledge(self, through_seq: int) -> int:
        """The server holds every local change up to ``through_seq``: drop them from the outbox."""
        with self.db.transaction():
            return self.db.execute(
                "DELETE FROM outbox WHERE site = ? AND seq <= ?", (self.site, through_seq)
            ).rowcount

    def held_changes(self) -> list[tuple[str, str]]:
        return queries.held(self.db)

    # -- sync state ---------------------------------------------------------------------------
    # Where this replica stands with the sync server, kept in ``meta`` (same encrypted file):
    # ``sync.pull_cursor`` (the server_seq applied through), ``sync.pull_marker`` (the op id of
    # the change at that server_seq: if the server later shows another change there, it is not
    # the history we pulled from, e.g. restored from a backup or another server),
    # ``sync.acked_through`` (this device's highest seq the server last acknowledged) and
    # ``sync.pull_history``: checkpoints ``[server_seq, digest]`` of the server's history
    # digest (``sync/server/history.py``) at pull cursors this store reached, the newest at the
    # cursor, older ones thinned out (about evenly on a log scale, at most PULL_CHECKPOINTS):
    # a server whose digest at the cursor differs is re-pulled from the newest checkpoint that
    # still matches. The server's address is not stored here: it comes from the settings or
    # the command line.

    _SYNC_KEYS = ("sync.pull_cursor", "sync.pull_marker", "sync.acked_through",
                  "sync.pull_history")
    PULL_CHECKPOINTS = 32

    def sync_state(self) -> dict[str, Any]:
        """``pull_cursor``, ``pull_marker`` (or None), ``acked_through``, ``last_seq`` (this
        device's newest change), ``pending`` (changes in the outbox) and ``pull_history``
        (``(server_seq, digest)`` checkpoints, oldest first)."""
        rows = dict(self.db.execute(
            "SELECT key, value FROM meta WHERE key IN (?, ?, ?, ?)", self._SYNC_KEYS).fetchall())
        return {
            "pull_cursor": int(rows.get("sync.pull_cursor", 0)),
            "pull_marker": rows.get("sync.pull_marker") or None,
            "acked_through": int(rows.get("sync.acked_through", 0)),
            "last_seq": self.engine.next_seq - 1,
            "pending": self.pending_count(),
            "pull_history": _checkpoints(rows.get("sync.pull_history")),
        }

    def pending_count(self) -> int:
        """Local changes the server has not acknowledged yet."""
        return self.db.execute("SELECT count(*) FROM outbox").fetchone()[0]

    def _set_meta(self, values: dict[str, str]) -> None:
        self.db.executemany(
            "INSERT INTO meta (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            list(values.items()),
        )

    def apply_pulled(
        self, changes: Iterable[Change], cursor: int, marker: str | None = None,
        digest: str | None = None,
    ) -> ApplyResult:
        """Apply one page of pulled changes and move the pull cursor to ``cursor`` in one
        transaction: after a crash either both happened or neither. ``marker`` is the op id of
        the change at ``cursor`` (None when unknown), ``digest`` the server's history digest
        there (None: the server gave none), kept as a checkpoint."""
        with self.batch():
            result = self.engine.apply_remote(changes)  # joins this transaction
            values = {"sync.pull_cursor": str(int(cursor)), "sync.pull_marker": marker or ""}
            if digest:
                points = [point for point in self._pull_history() if point[0] < int(cursor)]
                points.append((int(cursor), digest))
                values["sync.pull_history"] = json.dumps(
                    thin_checkpoints(points, self.PULL_CHECKPOINTS))
            self._set_meta(values)
        result.summary = self.engine.last_summary
        return result

    def restart_pull(self) -> None:
        """Pull everything again from the start (the server's history is not the one pulled
        from). Nothing local is dropped: changes already held come back as duplicates."""
        self.resume_pull(0)

    def _pull_history(self) -> list[tuple[int, str]]:
        row = self.db.execute(
            "SELECT value FROM meta WHERE key = 'sync.pull_history'").fetchone()
        return _checkpoints(row[0] if row else None)

    def resume_pull(self, at: int) -> None:
        """Pull again from ``at`` (a checkpoint where the server's history still matches the
        one pulled from); the checkpoints above it are dropped. Nothing local is dropped."""
        with self.db.transaction():
            points = [point for point in self._pull_history() if point[0] <= at]
            self._set_meta({"sync.pull_cursor": str(int(at)), "sync.pull_marker": "",
                            "sync.pull_history": json.dumps(points)})

    def record_ack(self, acked_through: int,
                   refused: Iterable[tuple[int, str]] = ()) -> int:
        """The server holds this device's changes through ``acked_through``: drop them from the
        outbox and remember the figure, in one transaction. Returns how many were dropped.
        ``refused``: ``(seq, reason)`` of changes the server stored as refused, kept in the
        same transaction for the worker to see (送信できなかった変更, :mod:`refusals`).

        The figure is stored as the server said it, even when lower than before (a server
        restored from a backup): the changes it lost are re-sent from the change log.

        A figure above this store's newest change (the store was restored from an older backup
        of this laptop, and the server holds what the laptop wrote after it) moves the next
        sequence number past it in the same transaction: a new change never takes a number the
        server already holds, and the server's changes come back with the next pull."""
        with self.db.transaction():
            dropped = self.db.execute(
                "DELETE FROM outbox WHERE site = ? AND seq <= ?", (self.site, int(acked_through))
            ).rowcount
            self._set_meta({"sync.acked_through": str(int(acked_through))})
            if int(acked_through) >= self.engine.next_seq:
                self.engine.next_seq = int(acked_through) + 1
                self._set_meta({"next_seq": str(self.engine.next_seq)})
            refusals.record(self.db, self.site, refused, self._wall())
        return dropped

    def keep_refused(self, refused: Iterable[tuple[int, str]]) -> int:
        """Keep this device's changes ``(seq, reason)`` the server cannot take (they do not
        match its protocol) for the worker to see (送信できなかった変更), before they are
        acknowledged as withdrawn. Returns how many are new."""
        with self.db.transaction():
            return refusals.record(self.db, self.site, refused, self._wall())

    def own_changes_after(self, seq: int, limit: int) -> list[Change]:
        """This device's changes with a sequence number above ``seq``, oldest first, read from
        the change log (the outbox may no longer hold changes a server has lost)."""
        rows = self.db.execute(
            f"SELECT {queries._CHANGE_COLUMNS} FROM changes c WHERE c.site = ? AND c.seq > ? "
            "ORDER BY c.seq LIMIT ?",
            (self.site, int(seq), int(limit)),
        )
        return [queries._change(row) for row in rows]

    def own_changes_count(self, after_seq: int) -> int:
        return self.db.execute(
            "SELECT count(*) FROM changes WHERE site = ? AND seq > ?", (self.site, int(after_seq))
        ).fetchone()[0]

    # The device's enrollment with the sync server (issued once by the server for this laptop):
    # its credential and who it was enrolled for. Inside the encrypted file only.

    _ENROLLMENT_KEYS = ("sync.server", "sync.token", "sync.login", "sync.role", "sync.teams",
                        "sync.team_ids")

    def set_enrollment(self, server: str, token: str, login: str, role: str,
                       teams: list[str], team_ids: list[str] | None = None, *,
                       unlock_secret: str | None = None, max_offline_days: int | None = None,
                       server_ms: int | None = None) -> None:
        """Keep the enrollment; with it, the offline policy the server sent (its limit, its
        time, and the secret its one-time unlock codes are made with)."""
        with self.db.transaction():
            self._set_meta(dict(zip(self._ENROLLMENT_KEYS, (
                server, token, login, role, json.dumps(teams, ensure_ascii=False),
                json.dumps(team_ids or [])), strict=True)))
            self._set_meta({"offline.secret": unlock_secret or "", "offline.used": "[]",
                            "offline.unlocked_ms": ""})
            self._server_contact(server_ms, max_offline_days)

    def set_server_role(self, role: str) -> None:
        """The role the server gives this laptop's user now (every sync's device state): what
        role-dependent actions go by (``roles.acting_role``). Kept only while enrolled."""
        with self.db.transaction():
            if self.db.execute("SELECT 1 FROM meta WHERE key = 'sync.token' "
                               "AND value != ''").fetchone():
                self._set_meta({"sync.role": role})

    def adopt_teams(self, teams: list[tuple[str, str]]) -> bool:
        """The server's teams this laptop was enrolled into, as ``team`` records under the
        server's ids (so a case's ``team_id`` names a team the server knows), and the worker
        of this laptop moved into the first of them if it is in none. A team this laptop made
        itself under the same name (at first run, before it was enrolled) is linked to the
        server's: its cases and workers move to the server's team and it is archived. Says
        whether it wrote anything (after a pull, usually nothing: the team's first laptop
        wrote them)."""
        before = self.engine.next_seq
        with self.batch():
            for team_id, name in teams:
                found = queries.entity(self.db, "team", team_id)
                if found is None:
                    self.create_entity("team", {"name": name}, entity_id=team_id)
                else:
                    if found.deleted:
                        self.restore("team", team_id)
                    if found["name"] != name:
                        self.update("team", team_id, {"name": name})
                self._link_local_team(team_id, name)
            worker = self.worker()
            ids = [team_id for team_id, _ in teams]
            if worker is not None and ids and worker["team_id"] not in ids:
                self.update("worker", worker.id, {"team_id": ids[0]})
        return self.engine.next_seq != before

    def _link_local_team(self, team_id: str, name: str) -> None:
        """Move what belongs to a local team named ``name`` into the server's ``team_id``."""
        local = [row[0] for row in self.db.execute(
            "SELECT id FROM teams WHERE name = ? AND id != ? AND deleted = 0", (name, team_id))]
        for local_id in local:
            for table, entity in (("cases", "case"), ("workers", "worker")):
                for (entity_id,) in self.db.execute(
                        f"SELECT id FROM {table} WHERE team_id = ? AND deleted = 0",
                        (local_id,)).fetchall():
                    self.update(entity, entity_id, {"team_id": team_id})
            self.archive("team", local_id)

    def set_server_ca(self, pem: str | None) -> None:
        """The certificate authority the server's certificate must come from (PEM), or None
        for the system's certificate store."""
        with self.db.transaction():
            self._set_meta({"sync.ca_pem": pem or ""})

    def server_ca(self) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = 'sync.ca_pem'").fetchone()
        return (row[0] or None) if row else None

    def wipe(self) -> None:
        """Erase this store's data folder for good: every key file first (overwritten, then
        removed), then the database, its WAL, backups, copies a restore moved aside and every
        other file there (:mod:`~outreach_desk.erasure`). Used when the server says this laptop
        was revoked. Unsynced changes are lost, by design."""
        self.lock()
        erasure.erase_data_folder(self.data_dir)

    # -- end of sync state --------------------------------------------------------------------


def _checkpoints(text: str | None) -> list[tuple[int, str]]:
    if not text:
        return []
    try:
        return [(int(seq), str(digest)) for seq, digest in json.loads(text)]
    except (ValueError, TypeError):  # unreadable: no checkpoints (the pull starts over)
        log.warning("sync: unreadable pull checkpoints; they are dropped")
        return []


def thin_checkpoints(points: list[tuple[int, str]], limit: int) -> list[tuple[int, str]]:
    """At most ``limit`` of ``points`` (ascending by seq): the oldest and the newest always
    kept, and of the others those that leave the gaps smallest relative to their distance from
    the newest, so checkpoints lie about evenly on a log scale back from the cursor (a server
    restored from a recent backup finds one close below the backup's end)."""
    points = sorted(points)
    while len(points) > max(limit, 2):
        newest = points[-1][0]
        drop = min(range(1, len(points) - 1), key=lambda i: (
            (points[i + 1][0] - points[i - 1][0]) / (newest - points[i][0] + 1), i))
        del points[drop]
    return points
