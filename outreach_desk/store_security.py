"""The store's part of the access issue: refused changes (送信できなかった変更), supervisors'
access events (アクセス記録) and offline access that expires (オフライン期間の上限).

A mixin of :class:`~outreach_desk.store.Store`, kept apart so the store stays readable; it uses
the store's connection, engine, clock and write path like every other store method.
"""

from __future__ import annotations

import json
import logging
from datetime import datetime
from typing import Any

from uuid6 import uuid7

from . import offline, refusals
from .errors import NotFound
from .hlc import physical_ms
from .model import clean_fields
from .roles import acting_role
from .vocab import Role

log = logging.getLogger(__name__)


class SecurityMixin:
    """Refused changes, access events and the offline limit (see the module's note)."""

    def reads_leave_trace(self) -> bool:
        """Whether opening a case leaves an アクセス記録: the user is a supervisor or an
        administrator, by the role the server gave this laptop (``roles.acting_role``)."""
        return acting_role(self) in (Role.SUPERVISOR, Role.ADMINISTRATOR)

    def record_case_opened(self, case_id: str, *, at: datetime | None = None) -> str | None:
        """アクセス記録: a supervisor opened this case. An immutable record that syncs like a
        visit and becomes a ``case_opened`` entry of the server's audit trail. Writes nothing
        (returns None) for a worker's reads."""
        if not self.reads_leave_trace() or self.worker() is None:
            return None
        cleaned = clean_fields("access_event", {
            "case_id": case_id, "action": "open_case", "at": at or datetime.now().astimezone(),
            "by_worker": self.author}, complete=True)
        self._check_refs("access_event", cleaned)
        event_id = str(uuid7())
        self._write(lambda: self.engine.write_record("access_event", event_id, cleaned))
        return event_id

    def access_events(self, case_id: str) -> list[dict[str, Any]]:
        """The access events of a case, oldest first (for checks; no screen lists them)."""
        rows = self.db.execute(
            "SELECT id, case_id, action, at, by_worker, site FROM access_events "
            "WHERE case_id = ? ORDER BY hlc", (case_id,)).fetchall()
        keys = ("id", "case_id", "action", "at", "by_worker", "site")
        return [dict(zip(keys, row, strict=True)) for row in rows]

    # -- refused changes (送信できなかった変更): local only --------------------------------------

    def refused_changes(self, *, include_dealt: bool = False) -> list[refusals.RefusedChange]:
        """This device's changes the server refused, newest first; those marked 確認済み only
        with ``include_dealt``."""
        return refusals.listing(self.db, include_dealt=include_dealt)

    def refused_count(self) -> int:
        """Refused changes not yet marked 確認済み."""
        return refusals.count_open(self.db)

    def mark_refused_dealt(self, op_id: str) -> None:
        """確認済み: the worker has dealt with this refused change; it is no longer listed."""
        with self.db.transaction():
            if not refusals.mark_dealt(self.db, op_id, self._wall()):
                raise NotFound("refused_change", op_id)

    # -- offline access that expires (outreach_desk.offline) -----------------------------------

    def _server_contact(self, server_ms: int | None, max_days: int | None) -> None:
        values = {"offline.max_days": str(int(max_days or offline.DEFAULT_MAX_DAYS))}
        if server_ms is not None:
            values["offline.last_sync_ms"] = str(int(server_ms))
        self._set_meta(values)

    def record_server_contact(self, server_ms: int | None, max_days: int | None) -> None:
        """A sync round succeeded: the server's time then and its offline limit (days)."""
        with self.db.transaction():
            self._server_contact(server_ms, max_days)

    def _meta(self, *keys: str) -> dict[str, str]:
        rows = self.db.execute(
            f"SELECT key, value FROM meta WHERE key IN ({', '.join('?' * len(keys))})", keys)
        return dict(rows.fetchall())

    def offline_policy(self) -> offline.OfflinePolicy:
        """The limit (None when not enrolled: no limit), last server time, last unlock code."""
        if self.enrollment() is None:
            return offline.OfflinePolicy(None)
        found = self._meta("offline.max_days", "offline.last_sync_ms", "offline.unlocked_ms")

        def number(key: str) -> int | None:
            return int(found[key]) if found.get(key) else None

        return offline.OfflinePolicy(number("offline.max_days") or offline.DEFAULT_MAX_DAYS,
                                     number("offline.last_sync_ms"),
                                     number("offline.unlocked_ms"))

    def offline_status(self, system_ms: int | None = None) -> offline.OfflineStatus:
        """Where this laptop stands with the offline limit now (see :mod:`offline`)."""
        return offline.status(self.offline_policy(),
                              system_ms=self._wall() if system_ms is None else system_ms,
                              hlc_ms=physical_ms(self.engine.clock.last))

    def use_unlock_code(self, code: str, system_ms: int | None = None) -> bool:
        """A one-time unlock code from the administrator: when valid and not used before, it
        grants one more full offline period from now. Says whether it was accepted."""
        found = self._meta("offline.secret", "offline.used")
        secret = bytes.fromhex(found.get("offline.secret") or "")
        used = set(json.loads(found.get("offline.used") or "[]"))
        if not secret or self.enrollment() is None:
            return False
        counter = offline.check_code(secret, self.site, code, used)
        if counter is None:
            log.info("an unlock code was refused")
            return False
        now = self.offline_status(system_ms).now_ms
        with self.db.transaction():
            self._set_meta({"offline.used": json.dumps(sorted(used | {counter})),
                            "offline.unlocked_ms": str(now)})
        log.info("unlock code %d accepted", counter)
        return True

    def enrollment(self) -> dict[str, Any] | None:
        """``server``, ``token``, ``login``, ``role``, ``teams`` (names), ``team_ids`` (the
        server's, same order), or None when not enrolled."""
        keys = self._ENROLLMENT_KEYS
        rows = dict(self.db.execute(
            f"SELECT key, value FROM meta WHERE key IN ({', '.join('?' * len(keys))})",
            keys).fetchall())
        if not rows.get("sync.token"):
            return None
        found = {key.removeprefix("sync."): rows.get(key, "") for key in keys}
        found["teams"] = json.loads(found["teams"] or "[]")
        found["team_ids"] = json.loads(found["team_ids"] or "[]")
        return found
