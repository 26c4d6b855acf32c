"""One round of sync as it runs (``_Round``, made by ``SyncClient.sync_once``): where this
device stands with the server, the push of its changes in paced batches, and the pull of the
server's changes in paced pages, each with its look-ahead on a second thread. The rules are in
:mod:`sync.client`'s docstring."""

from __future__ import annotations

import contextlib
import gzip
import json
import logging
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import httpx
from pydantic import ValidationError

from outreach_desk.changes import SCHEMA_VERSION, Change

from .client_errors import MESSAGES, SyncError, error_for
from .protocol import (
    MAX_HISTORY_ASKED,
    PROTOCOL_VERSION,
    DeviceState,
    ErrorBody,
    GapError,
    PullResponse,
    PushResponse,
    change_fingerprint,
)
from .tls import _certificate_problem

if TYPE_CHECKING:
    from .client import SyncClient, SyncReport

log = logging.getLogger(__name__)

GZIP_LEVEL = 6
MAX_GAP_RETRIES = 3
MAX_WITHDRAW_ROUNDS = 3  # pushes of one batch answered 422 naming changes to withdraw

Progress = Callable[[int, int], None]


@contextlib.contextmanager
def _second_thread(name: str) -> Iterator[ThreadPoolExecutor]:
    """One worker thread for the round's look-ahead, always finished before the round ends,
    even a failed one: work left running would hold the round (its store, its progress
    callback) and let go of it later on that thread, where the last reference to an object of
    the desktop app must never be dropped. Its work is short (a local read, or one request
    bounded by the client's timeout)."""
    pool = ThreadPoolExecutor(1, thread_name_prefix=name)
    try:
        yield pool
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


@dataclass(frozen=True)
class _Prepared:
    after: int  # the device's seq the batch follows
    batch: list[Change]
    body: bytes  # gzip


class _Round:
    """The state of one ``sync_once``."""

    def __init__(self, client: SyncClient, http: httpx.Client, report: SyncReport,
                 progress: Progress | None):
        self.client = client
        self.store = client.store
        self.http = http
        self.report = report
        self.progress = progress
        self.done = 0
        self.total = 0
        self.server_cursor = 0  # the latest server_seq the server has told us of
        # (first, last server_seq, op id at last, history digest at last) of batches this
        # round stored on the server
        self.own_ranges: list[tuple[int, int, str, str | None]] = []
        # the pull cursor was checked against the server's history digests this round
        self.history_checked = False

    def run(self) -> None:
        state = self.store.sync_state()  # the newest seq it names is the one checked
        device = self.device = self.device_state(state)
        if device.role:  # what role-dependent actions on this laptop go by
            self.store.set_server_role(device.role)
        self.client._server_limits(device)
        self.server_cursor = device.cursor
        self.check_history(device, state)
        self.total = self.store.own_changes_count(device.acked_through) + max(
            0, device.cursor - state["pull_cursor"])
        self.tick(0)
        self.push(device, state)
        self.pull()
        self.tick(0, finished=True)

    def tick(self, done: int, *, finished: bool = False) -> None:
        self.done += done
        if finished:
            self.total = self.done
        self.total = max(self.total, self.done)
        if self.progress is not None:
            self.progress(self.done, self.total)

    # -- HTTP -----------------------------------------------------------------------------

    def request(self, method: str, path: str, *, body: bytes | None = None,
                params: dict[str, Any] | None = None, allow: tuple[int, ...] = ()
                ) -> httpx.Response:
        headers = {}
        if body is not None:  # gzip already (see ``prepare``)
            headers = {"Content-Type": "application/json", "Content-Encoding": "gzip"}
        try:
            response = self.http.request(method, path, content=body, params=params,
                                         headers=headers)
        except httpx.TimeoutException as exc:
            raise SyncError("offline", MESSAGES["timeout"], f"{method} {path}: {exc!r}") from None
        except (httpx.InvalidURL, httpx.UnsupportedProtocol) as exc:
            raise SyncError("refused", MESSAGES["url"], str(exc)) from None
        except (httpx.TransportError, httpx.DecodingError) as exc:
            if _certificate_problem(exc):  # not offline: someone may be in the middle
                raise SyncError("refused", MESSAGES["certificate"],
                                f"{method} {path}: {exc!r}") from None
            # refused, reset, DNS, cut in the middle of an answer (also a truncated gzip stream)
            raise SyncError("offline", MESSAGES["offline"], f"{method} {path}: {exc!r}") from None
        self.report.requests += 1
        self.report.bytes_sent += len(body or b"")
        self.report.bytes_received += response.num_bytes_downloaded
        status = response.status_code
        if status == 200 or status in allow:
            return response
        raise error_for(f"{method} {path}", response)

    @staticmethod
    def parse(model: type, response: httpx.Response):
        try:
            return model.model_validate_json(response.content)
        except (ValidationError, ValueError) as exc:
            raise SyncError("server", MESSAGES["answer"],
                            f"{response.request.url.path}: {exc}") from None

    # -- 1. where do we stand -------------------------------------------------------------

    def device_state(self, state: dict[str, Any]) -> DeviceState:
        params: dict[str, Any] = {"refused_after": state["acked_through"]}
        if state["last_seq"] > 0:
            params["check"] = state["last_seq"]
        if state["pull_history"]:
            params["history_at"] = [seq for seq, _ in state["pull_history"]][-MAX_HISTORY_ASKED:]
        response = self.request("GET", f"/v1/devices/{self.store.site}", params=params,
                                allow=(404,))
        if response.status_code == 404:  # a server that has never heard of this device
            return DeviceState(device=self.store.site, acked_through=0, cursor=0)
        return self.parse(DeviceState, response)

    def check_history(self, device: DeviceState, state: dict[str, Any]) -> None:
        """Is the server's history below the pull cursor still the one pulled from? The
        server's digests at this store's checkpoints say it (``sync/server/history.py``): the
        digest at a number names everything numbered up to it. When the one at the cursor
        differs (a restore from a backup, another server), the pull resumes from the newest
        checkpoint that still matches (or from the start) and gets again what differs."""
        if device.history is None:
            return  # an older server: the pull checks the change at the cursor (the marker)
        cursor, points = state["pull_cursor"], state["pull_history"]
        server = {mark.seq: mark.digest for mark in device.history}
        matching = [seq for seq, digest in points if seq <= cursor and server.get(seq) == digest]
        newest = max((seq for seq, _ in points if seq <= cursor), default=None)
        if cursor == 0 or (newest == cursor and matching and matching[-1] == cursor):
            self.history_checked = True
            return
        if newest is None or (matching and matching[-1] == newest):
            return  # pulled this far without digests (an older server): the marker check
        at = max(matching, default=0)
        log.warning("sync: the server's history differs from the one pulled from below cursor "
                    "%d (a restore?); pulling again from %d", cursor, at)
        self.store.resume_pull(at)
        self.report.repulled = True
        self.history_checked = True

    def _differs(self, seq: int | None, fingerprint: str) -> bool:
        if not seq:
            return False
        mine = self.store.own_changes_after(seq - 1, 1)
        if not mine or mine[0].seq != seq:
            # a number this store never used: set aside for the server's changes when it
            # acknowledged more than the store had made (``Store.record_ack``), not yet pulled
            return False
        change = mine[0]
        return change_fingerprint(change.hlc, change.entity, change.entity_id, change.field,
                                  change.value) != fingerprint

    # -- 2. push --------------------------------------------------------------------------

    def push(self, device: DeviceState, state: dict[str, Any]) -> None:
        """Send what the server lacks, from its ``acked_through`` on, batch by batch."""
        store = self.store
        server_acked = device.acked_through
        if device.check_fingerprint is not None:
            # The server's copy of this device's change at check_seq must be this store's:
            # otherwise the store was restored from an older backup (or copied from another
            # laptop) and written to, and its new changes took numbers the server holds for
            # others. Then nothing is acknowledged or sent; the changes stay in the store.
            if self._differs(device.check_seq, device.check_fingerprint):
                raise SyncError("refused", MESSAGES["older"],
                                f"change {device.check_seq} differs from the server's "
                                f"(server acked {server_acked}, last seq {state['last_seq']})")
        elif server_acked > state["last_seq"] and state["pending"]:
            # a server that gives no fingerprint: the same case, as far as it can be told
            raise SyncError("refused", MESSAGES["older"],
                            f"server acked {server_acked}, store last seq {state['last_seq']}")
        if server_acked != state["acked_through"]:
            if server_acked < state["acked_through"]:
                log.warning("sync: the server lost changes %d..%d of this device; re-sending",
                            server_acked + 1, state["acked_through"])
                if not self.history_checked:  # (checked: the pull resumes where it differs)
                    store.restart_pull()
                    self.report.repulled = True
            # the answer to our last push was lost: which of it the server refused comes with
            # the device's state, kept in the same transaction as the acknowledgement
            refused = [(r.seq, r.reason) for r in device.refused if r.seq <= server_acked]
            store.record_ack(server_acked, refused)
            self.report.refused += [(f"{store.site}:{seq}", why) for seq, why in refused]
        resend_until = state["acked_through"]
        position = server_acked
        gaps = 0
        # The next batch is read and compressed on a second thread while the current one is on
        # the wire and the server stores it, on the guess that the server acknowledges it all;
        # when it does not (a gap, or more acknowledged), the guess is dropped and redone.
        with _second_thread("sync-push") as pool:
            upcoming = pool.submit(self.prepare, position)
            while True:
                prepared = upcoming.result()
                if prepared.after != position:
                    prepared = self.prepare(position)
                if not prepared.batch:
                    break
                batch = prepared.batch
                upcoming = pool.submit(self.prepare, batch[-1].seq)
                started = time.monotonic()
                try:
                    response = self.post_batch(batch, prepared.body)
                except SyncError:
                    self.client.wire.failed()
                    raise
                seconds = time.monotonic() - started
                if response.status_code == 409:
                    gap = self.parse(GapError, response)
                    gaps += 1
                    if gaps > MAX_GAP_RETRIES or gap.acked_through >= position:
                        raise SyncError("server", MESSAGES["server"],
                                        f"push refused as a gap at {position}: {gap.message}")
                    log.warning("sync: gap; the server holds this device through %d, not %d",
                                gap.acked_through, position)
                    if gap.acked_through < store.sync_state()["acked_through"]:
                        store.restart_pull()
                        self.report.repulled = True
                    resend_until = max(resend_until, position)
                    position = gap.acked_through
                    store.record_ack(position)
                    continue
                answer: PushResponse = self.parse(PushResponse, response)
                if answer.acked_through < batch[-1].seq:
                    raise SyncError("server", MESSAGES["server"],
                                    f"push of {batch[0].seq}..{batch[-1].seq} acknowledged only "
                                    f"through {answer.acked_through}")
                # refused changes are kept for the worker in the acknowledgement's transaction
                store.record_ack(answer.acked_through,
                                 [(refusal.seq, refusal.reason) for refusal in answer.refused])
                told = {op for op, _ in self.report.refused}  # withdrawn: told already
                for refusal in answer.refused:
                    if f"{store.site}:{refusal.seq}" in told:
                        continue
                    self.report.refused.append((f"{store.site}:{refusal.seq}", refusal.reason))
                    log.warning("sync: the server refused change %d of this device",
                                refusal.seq)
                self.server_cursor = max(self.server_cursor, answer.cursor)
                self.client.wire.done(len(prepared.body), seconds)
                self.client._size_budget()
                self.report.pushed += len(batch)
                self.report.resent += sum(1 for change in batch if change.seq <= resend_until)
                position = answer.acked_through
                if self.client.skip_own and answer.stored == len(batch) and answer.stored:
                    # The server numbers the changes it stores consecutively, in the order of
                    # the batch: these server_seqs hold exactly this batch, which the pull can
                    # skip.
                    self.own_ranges.append((answer.cursor - answer.stored + 1, answer.cursor,
                                            batch[-1].op_id, answer.history))
                self.tick(len(batch))

    def post_batch(self, batch: list[Change], body: bytes) -> httpx.Response:
        """``POST /v1/push`` of ``batch`` (its gzip body ``body``); the answer, 200 or 409.

        A 422 that names some of the batch's changes as not matching the protocol
        (``ErrorBody.invalid``) does not stop the queue: those changes are kept in the store as
        refused, with the server's reason (送信できなかった変更; nothing is deleted), and the
        batch is sent again with their seqs withdrawn, so the server stores the rest."""
        withdrawn: dict[int, str] = {}
        for _attempt in range(MAX_WITHDRAW_ROUNDS):
            response = self.request("POST", "/v1/push", body=body, allow=(409, 422))
            if response.status_code != 422:
                return response
            try:
                invalid = ErrorBody.model_validate_json(response.content).invalid
            except (ValidationError, ValueError):
                invalid = []
            seqs = {change.seq for change in batch}
            if not invalid or any(item.seq not in seqs or item.seq in withdrawn
                                  for item in invalid):
                raise error_for("POST /v1/push", response)  # not one change's fault
            refused = [(item.seq, item.reason) for item in invalid]
            self.store.keep_refused(refused)
            for seq, why in refused:
                withdrawn[seq] = why
                self.report.refused.append((f"{self.store.site}:{seq}", why))
                log.warning("sync: the server cannot take change %d of this device "
                            "(not matching the protocol); kept as refused", seq)
            kept = [change for change in batch if change.seq not in withdrawn]
            body = gzip.compress(self.body_of(kept, sorted(withdrawn)), GZIP_LEVEL)
        raise error_for("POST /v1/push", response)

    def prepare(self, after: int) -> _Prepared:
        """The next batch after this device's change ``after``, and its gzip request body."""
        candidates = self.store.own_changes_after(after, self.client.batch_limit)
        if not candidates:
            return _Prepared(after, [], b"")
        batch, body = self.fit(candidates)
        compressed = gzip.compress(body, GZIP_LEVEL)
        self.client._adapt_budget(len(body), len(compressed))
        return _Prepared(after, batch, compressed)

    def fit(self, candidates: list[Change]) -> tuple[list[Change], bytes]:
        """As many of ``candidates`` as fit the byte budget (at least one), and the request
        body. The budget in JSON bytes follows the gzip ratio measured on earlier batches."""
        items: list[bytes] = []
        size = 0
        for change in candidates:
            item = json.dumps(change.to_wire(), ensure_ascii=False,
                              separators=(",", ":")).encode()
            if items and size + len(item) > self.client._raw_budget:
                break
            items.append(item)
            size += len(item) + 1
        return candidates[:len(items)], self._body(items)

    def body_of(self, changes: list[Change], withdrawn: list[int]) -> bytes:
        """A push request's JSON: ``changes``, and this device's seqs ``withdrawn``."""
        return self._body([json.dumps(change.to_wire(), ensure_ascii=False,
                                      separators=(",", ":")).encode() for change in changes],
                          withdrawn)

    def _body(self, items: list[bytes], withdrawn: list[int] | None = None) -> bytes:
        head = json.dumps({"protocol": PROTOCOL_VERSION, "schema": SCHEMA_VERSION,
                           "device": self.store.site}, separators=(",", ":"))
        body = head[:-1].encode() + b',"changes":[' + b",".join(items) + b"]"
        if withdrawn:
            body += b',"withdrawn":' + json.dumps(withdrawn).encode()
        return body + b"}"

    # -- 3. pull --------------------------------------------------------------------------

    def pull(self) -> None:
        store = self.store
        state = store.sync_state()
        cursor, marker = state["pull_cursor"], state["pull_marker"]
        if cursor > self.server_cursor:  # the server has fewer changes than we pulled
            store.restart_pull()
            self.report.repulled = True
            cursor, marker = 0, None
        verify = cursor > 0 and marker is not None and not self.history_checked
        self.expect_pull(cursor)
        # While a page is applied, the next one is downloaded on a second thread.
        with _second_thread("sync-pull") as pool:
            upcoming: tuple[tuple[int, int], Future] | None = None
            while True:
                jump = None if verify else self.own_range_at(cursor)
                if jump is not None:  # our own push of this round: nothing to download
                    store.apply_pulled((), jump[1], jump[2], jump[3])
                    cursor, marker, verify = jump[1], jump[2], False
                    continue
                since = cursor - 1 if verify else cursor
                started = time.monotonic()
                try:
                    # a page asked for ahead is taken even if the pacing has changed the size
                    if upcoming is not None and upcoming[0][0] == since:
                        response = upcoming[1].result()
                    else:
                        response = self.fetch(since, self.page_limit(since, cursor))
                except SyncError:
                    self.client.pages.failed()
                    raise
                upcoming = None
                page: PullResponse = self.parse(PullResponse, response)
                changes = [wire.to_change() for wire in page.changes]
                if verify:
                    verify = False
                    if not changes or changes[0].op_id != marker:
                        log.warning("sync: the server's history differs from the one pulled "
                                    "from (cursor %d); pulling everything again", cursor)
                        store.restart_pull()
                        self.report.repulled = True
                        cursor, marker = 0, None
                        self.expect_pull(cursor)
                        continue
                    changes = changes[1:]
                    if not changes:
                        if page.more or self.own_range_at(cursor) is not None:
                            continue  # only the marker fitted the page
                        break
                if not changes:
                    break  # nothing after the cursor (an empty page does not move it)
                if page.cursor <= cursor:
                    raise SyncError("server", MESSAGES["answer"],
                                    f"pull from {since} answered cursor {page.cursor}")
                if page.more and self.own_range_at(page.cursor) is None:
                    after = (page.cursor, self.page_limit(page.cursor, page.cursor))
                    upcoming = (after, pool.submit(self.fetch, *after))
                result = store.apply_pulled(changes, page.cursor, changes[-1].op_id,
                                            page.history)
                # the page's time: waiting for it (its download overlaps the last apply) and
                # applying it
                self.client.pages.done(len(changes), time.monotonic() - started)
                self.report.pulled += result.applied + len(result.held)
                self.report.duplicates += result.duplicates
                cursor = page.cursor
                self.tick(len(changes))
                if not page.more and self.own_range_at(cursor) is None:
                    break

    def page_limit(self, since: int, cursor: int) -> int:
        """The page size to ask for, stopping just before the next range of our own."""
        limit = self.client.pages.size
        ahead = [first for first, *_ in self.own_ranges if first > cursor]
        if ahead:
            limit = max(1, min(limit, min(ahead) - 1 - since))
        return limit

    def fetch(self, since: int, limit: int) -> httpx.Response:
        # Only the download happens on the second thread: parsing there would take the GIL
        # from the apply each time SQLite lets go of it, and slow the apply more than it gains.
        return self.request("GET", "/v1/changes", params={"since": since, "limit": limit})

    def expect_pull(self, cursor: int) -> None:
        """Progress: about how many changes the pull will download from ``cursor``."""
        own = sum(last - first + 1 for first, last, *_ in self.own_ranges if first > cursor)
        self.total = self.done + max(0, self.server_cursor - cursor - own)
        self.tick(0)

    def own_range_at(self, cursor: int) -> tuple[int, int, str, str | None] | None:
        """The range of our own changes that starts right after ``cursor``, if any."""
        for own in self.own_ranges:
            if own[0] == cursor + 1:
                return own
        return None
