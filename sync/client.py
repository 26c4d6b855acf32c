"""The sync client: one round of push and pull between a local store and the central server.

``SyncClient(store, url).sync_once()`` runs one round (see :mod:`sync.protocol` for the wire
rules) and returns a :class:`SyncReport`, or raises :class:`SyncError` with a ``kind`` the
caller can act on and a Japanese message for the status bar. Retrying is the caller's job
(the UI, with :func:`backoff`); a failed round can always simply be run again, because every
step is recorded in the store as soon as it is done:

1. **Where do we stand?** ``GET /v1/devices/{site}`` gives the server's ``acked_through`` for
   this device and its latest ``cursor``. If the server holds more than we recorded (the answer
   to our last push was lost), those changes leave the outbox now and are not sent again. If it
   holds less (a server restored from a backup), the missing changes are re-sent from the change
   log, which keeps every change even after the outbox has let go of it, and the pull starts
   again from the beginning (see 3).
2. **Push** this device's changes after the server's ``acked_through``, in ``seq`` order, in
   batches that start small enough for a 64 kbit/s line (about 32 KB after gzip, i.e. 4 s,
   measured on the batches already sent) and grow while they come back fast, up to what the
   server takes (``sync.pacing``; a ``batch_size`` given to the client is a fixed number of
   changes). Each acknowledgement is recorded at once (``Store.record_ack``), so a cut
   connection costs at most one batch. A 409 gap makes the client continue from the server's
   ``acked_through``.
3. **Pull** pages from the pull cursor until ``more`` is false; each page is applied and the
   cursor moved in one transaction (``Store.apply_pulled``); pages are paced like push batches
   (500 changes first, more while they are applied fast). The first request of a round asks
   from one change *before* the cursor and checks that the server still shows, at the cursor,
   the change we last pulled there (``pull_marker``): if not, the server's history is not the
   one we pulled from (restored from a backup, or another server) and the pull starts again from
   the beginning. Applying is idempotent, so that costs bandwidth, never data.
   The server numbers stored changes consecutively (``sync/server/db.py``: 1, 2, 3 … with
   neither holes nor repeats, the previous maximum + 1 under its write lock), so a push answer
   that stored the whole batch tells exactly which ``server_seq`` range holds it
   (``cursor - stored + 1 … cursor``): the pull stops its page just before such a range and
   moves the cursor over it instead of downloading this device's own changes again. This
   relies on that numbering; against a server that numbered otherwise, pass
   ``skip_own=False`` (the own changes then come back as harmless duplicates).

Nothing here deletes or overwrites a local change: the outbox only loses changes the server has
acknowledged, and remote changes go through the engine's merge like every other change.
Withdrawals of consent are changes in the outbox like any other, so they are pushed in order.
"""

from __future__ import annotations

import contextlib
import gzip
import json
import logging
import os
import random
import ssl
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import httpx
from pydantic import ValidationError

from outreach_desk import __version__
from outreach_desk.changes import SCHEMA_VERSION, Change
from outreach_desk.errors import OutreachDeskError
from outreach_desk.store import Store

from .pacing import Pacer
from .protocol import (
    BASE_MAX_BATCH,
    BASE_MAX_PAGE,
    CLIENT_KEEP_ALIVE,
    MAX_BATCH,
    MAX_BODY_BYTES,
    MAX_PAGE,
    PROTOCOL_VERSION,
    DeviceState,
    EnrollRequest,
    EnrollResponse,
    ErrorBody,
    GapError,
    PullResponse,
    PushResponse,
    auth_headers,
    is_loopback,
    version_headers,
)

log = logging.getLogger(__name__)

WIRE_BUDGET = 32 * 1024  # gzip bytes per push request: ~4 s at 64 kbit/s
FIRST_RAW_BUDGET = 128 * 1024  # JSON bytes of the first batch, before the ratio is measured
MIN_RAW_BUDGET, MAX_RAW_BUDGET = 16 * 1024, MAX_BODY_BYTES // 2
MIN_WIRE_BUDGET, MAX_WIRE_BUDGET = 8 * 1024, 512 * 1024  # gzip bytes per push, as paced
DEFAULT_PAGE = 500  # changes in the first pull page of a round (MAX_PAGE is the server's limit)
MIN_PAGE = 50  # the smallest page the pacing asks for after slow pages
GZIP_LEVEL = 6
MAX_GAP_RETRIES = 3

Progress = Callable[[int, int], None]

MESSAGES = {
    "offline": "サーバーに接続できません（オフライン）",
    "timeout": "サーバーから応答がありません（オフライン）",
    "protocol": "サーバーとアプリのバージョンが合いません。アプリを更新してください",
    "server": "サーバーでエラーが起きました。しばらくしてから再試行します",
    "answer": "サーバーの応答を読み取れませんでした。しばらくしてから再試行します",
    "refused": "サーバーが同期を受け付けませんでした（{status}）",
    "url": "サーバーのアドレスが正しくありません",
    "older": "この端末のデータがサーバーの記録より古い状態です（バックアップから戻しましたか？）。"
             "管理者に連絡してください",
    "unenrolled": "この端末はサーバーに登録されていません。"
                  "管理者から登録コードを受け取ってください",
    "revoked": "この端末の登録は管理者により取り消されました。端末内のデータは消去されます",
    "denied": "サーバーがこの操作を許可しませんでした（利用者が無効か、権限がありません）",
    "busy": "サーバーへの要求が多すぎます。しばらくしてから再試行します",
    "code": "登録コードが正しくないか、期限切れか、使用済みです",
    "certificate": "サーバーの証明書を確認できませんでした。"
                   "設定のサーバー証明書（CA）を確認してください",
    "plain": "暗号化されていない http:// では同期できません。"
             "https:// のアドレスを使ってください",
}

DEV_ENV = "OUTREACH_DESK_DEV"  # "1": plain http:// to a server on this machine (development)


def check_address(url: str) -> None:
    """Refuse plain HTTP, except to this machine in development mode (``OUTREACH_DESK_DEV=1``):
    case records never cross a network unencrypted."""
    parts = urlsplit(url)
    if parts.scheme == "https":
        return
    if parts.scheme == "http" and is_loopback(parts.hostname or "") and \
            os.environ.get(DEV_ENV) == "1":
        return
    if parts.scheme not in ("http", "https"):
        raise SyncError("refused", MESSAGES["url"], f"not an http(s) address: {url!r}")
    raise SyncError("refused", MESSAGES["plain"], f"plain HTTP refused: {parts.hostname}")


def tls_context(store: Store) -> ssl.SSLContext:
    """Verify the server against the CA set in Settings (kept in the store), or else the
    system's certificate store; TLS 1.2 and 1.3 only."""
    ca = store.server_ca()
    context = ssl.create_default_context(cadata=ca) if ca else ssl.create_default_context()
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    return context


def _certificate_problem(exc: BaseException) -> bool:
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, ssl.SSLError):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


class SyncError(OutreachDeskError):
    """A round failed. ``kind``: ``offline`` (no connection, timeout, cut), ``protocol`` (the
    server speaks another protocol version), ``server`` (5xx or an answer that makes no sense),
    ``refused`` (4xx), ``unenrolled`` (401: no credential the server knows), ``revoked`` (the
    server says this device was revoked and must wipe its store), ``denied`` (403 otherwise).
    ``message`` is Japanese, for the status bar; ``detail`` is English, for the log."""

    KINDS = ("offline", "protocol", "server", "refused", "unenrolled", "revoked", "denied")

    def __init__(self, kind: str, message: str, detail: str = ""):
        if kind not in self.KINDS:
            raise ValueError(f"unknown sync error kind {kind!r}")
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.detail = detail
        self.code = f"sync_{kind}"

    def __repr__(self) -> str:
        return f"SyncError({self.kind!r}, {self.message!r}, {self.detail!r})"


def backoff(attempt: int, *, base: float = 5.0, cap: float = 600.0,
            rng: random.Random | None = None) -> float:
    """Seconds to wait before retry number ``attempt`` (0 for the first retry): 5 s doubling
    up to 10 minutes, each ±20 % at random so that laptops do not retry in step."""
    delay = min(cap, base * 2 ** min(max(attempt, 0), 32))
    return min(cap, delay * (rng or random).uniform(0.8, 1.2))


@dataclass
class SyncReport:
    pushed: int = 0  # own changes sent and acknowledged in this round
    pulled: int = 0  # remote changes new to this store (applied or held aside)
    held: int = 0  # remote changes held aside in the store after the round (clock, version)
    conflicts: int = 0  # open conflicts after the round
    pending: int = 0  # changes still in the outbox after the round
    resent: int = 0  # of ``pushed``: changes the server had lost, re-sent from the change log
    duplicates: int = 0  # pulled changes this store already had
    repulled: bool = False  # the pull started again from the beginning (server history changed)
    # own changes the server stored as refused (outside this worker's teams): (op id, why);
    # the store keeps them too (``Store.refused_changes``) until the worker marks them 確認済み
    refused: list[tuple[str, str]] = field(default_factory=list)
    requests: int = 0
    bytes_sent: int = 0  # request bodies as sent (gzip)
    bytes_received: int = 0  # response bodies as received (gzip)
    started: datetime = field(default_factory=lambda: datetime.now(UTC))
    finished: datetime | None = None

    def summary(self) -> str:
        text = (f"sent {self.pushed}, received {self.pulled}, conflicts {self.conflicts}, "
                f"pending {self.pending}")
        if self.refused:
            text += f", refused {len(self.refused)}"
        return text + (f", held aside {self.held}" if self.held else "")


class SyncClient:
    def __init__(
        self,
        store: Store,
        server_url: str,
        *,
        transport: httpx.BaseTransport | None = None,
        timeout: float = 30.0,
        batch_size: int | None = None,
        page_size: int | None = None,
        wire_budget: int = WIRE_BUDGET,
        skip_own: bool = True,
    ):
        """``batch_size`` / ``page_size``: changes per push batch / pull page. Left out, they
        are paced (``sync.pacing``): a round starts with batches of ``wire_budget`` gzip bytes
        and pages of ``DEFAULT_PAGE`` changes, and lets them grow while they come back fast,
        up to what the server takes; given, they are fixed."""
        self.store = store
        self.server_url = server_url.rstrip("/")
        self.transport = transport
        self.timeout = timeout
        self.batch_size = None if batch_size is None else max(1, min(batch_size, MAX_BATCH))
        self.page_size = None if page_size is None else max(1, min(page_size, MAX_PAGE))
        self.wire_budget = wire_budget
        self.skip_own = skip_own
        # changes per push batch (within the byte budget): the server's limit unless fixed
        self.batch_limit = self.batch_size or BASE_MAX_BATCH
        self.wire = Pacer(wire_budget, min(wire_budget, MIN_WIRE_BUDGET),
                          max(wire_budget, MAX_WIRE_BUDGET))
        start = self.page_size or DEFAULT_PAGE
        self.pages = Pacer(start, start if self.page_size else min(start, MIN_PAGE),
                           start if self.page_size else MAX_PAGE)
        self._ratio = 0.0  # JSON bytes per gzip byte of push bodies, once measured
        self._raw_budget = FIRST_RAW_BUDGET

    def _adapt_budget(self, raw: int, compressed: int) -> None:
        """Size the next batches so their gzip body is about the paced wire budget."""
        if raw >= 4096:  # small bodies say little about the ratio
            self._ratio = raw / max(1, compressed)
        self._size_budget()

    def _size_budget(self) -> None:
        if self._ratio:
            self._raw_budget = int(min(MAX_RAW_BUDGET, max(
                MIN_RAW_BUDGET, self.wire.size * self._ratio * 0.9)))

    def _server_limits(self, device: DeviceState) -> None:
        """What this server takes per push batch and pull page (older servers: the base
        limits every server of the protocol takes)."""
        max_batch = min(MAX_BATCH, device.max_batch or BASE_MAX_BATCH)
        self.batch_limit = min(self.batch_size or max_batch, max_batch)
        self.pages.bound(min(MAX_PAGE, device.max_page or BASE_MAX_PAGE))

    # -- one round ----------------------------------------------------------------------------

    def sync_once(self, progress: Progress | None = None) -> SyncReport:
        report = SyncReport()
        check_address(self.server_url)
        enrollment = self.store.enrollment()
        if enrollment is None:
            raise SyncError("unenrolled", MESSAGES["unenrolled"], "no credential in the store")
        try:
            http = httpx.Client(
                base_url=self.server_url, transport=self.transport,
                verify=tls_context(self.store),
                timeout=httpx.Timeout(self.timeout, connect=min(self.timeout, 15.0)),
                limits=httpx.Limits(keepalive_expiry=CLIENT_KEEP_ALIVE),
                headers={**version_headers(), **auth_headers(enrollment["token"]),
                         "User-Agent": f"outreach-desk/{__version__}"},
            )
        except (httpx.InvalidURL, httpx.UnsupportedProtocol) as exc:
            raise SyncError("refused", MESSAGES["url"], str(exc)) from None
        with http:
            done = _Round(self, http, report, progress)
            done.run()
        # the round succeeded: the server's time and offline limit (outreach_desk.offline)
        self.store.record_server_contact(_ms(done.device.server_time or report.started),
                                         done.device.max_offline_days)
        report.held = len(self.store.held_changes())
        report.conflicts = len(self.store.open_conflicts())
        report.pending = self.store.pending_count()
        report.finished = datetime.now(UTC)
        log.info("sync: %s", report.summary())
        return report


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
        # (first, last server_seq, op id at last) of batches this round stored on the server
        self.own_ranges: list[tuple[int, int, str]] = []

    def run(self) -> None:
        device = self.device = self.device_state()
        self.client._server_limits(device)
        self.server_cursor = device.cursor
        state = self.store.sync_state()
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

    def device_state(self) -> DeviceState:
        acked = self.store.sync_state()["acked_through"]
        response = self.request("GET", f"/v1/devices/{self.store.site}",
                                params={"refused_after": acked}, allow=(404,))
        if response.status_code == 404:  # a server that has never heard of this device
            return DeviceState(device=self.store.site, acked_through=0, cursor=0)
        return self.parse(DeviceState, response)

    # -- 2. push --------------------------------------------------------------------------

    def push(self, device: DeviceState, state: dict[str, Any]) -> None:
        """Send what the server lacks, from its ``acked_through`` on, batch by batch."""
        store = self.store
        server_acked = device.acked_through
        if server_acked > state["last_seq"] and state["pending"]:
            # The server holds changes of this device that this store never made: the store
            # was restored from an older backup (or copied from another laptop), and its
            # unsent changes reuse sequence numbers the server already holds for others.
            raise SyncError("refused", MESSAGES["older"],
                            f"server acked {server_acked}, store last seq {state['last_seq']}")
        if server_acked != state["acked_through"]:
            if server_acked < state["acked_through"]:
                log.warning("sync: the server lost changes %d..%d of this device; re-sending",
                            server_acked + 1, state["acked_through"])
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
                    response = self.request("POST", "/v1/push", body=prepared.body,
                                            allow=(409,))
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
                for refusal in answer.refused:
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
                    self.own_ranges.append(
                        (answer.cursor - answer.stored + 1, answer.cursor, batch[-1].op_id))
                self.tick(len(batch))

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
        head = json.dumps({"protocol": PROTOCOL_VERSION, "schema": SCHEMA_VERSION,
                           "device": self.store.site}, separators=(",", ":"))
        body = head[:-1].encode() + b',"changes":[' + b",".join(items) + b"]}"
        return candidates[:len(items)], body

    # -- 3. pull --------------------------------------------------------------------------

    def pull(self) -> None:
        store = self.store
        state = store.sync_state()
        cursor, marker = state["pull_cursor"], state["pull_marker"]
        if cursor > self.server_cursor:  # the server has fewer changes than we pulled
            store.restart_pull()
            self.report.repulled = True
            cursor, marker = 0, None
        verify = cursor > 0 and marker is not None
        self.expect_pull(cursor)
        # While a page is applied, the next one is downloaded on a second thread.
        with _second_thread("sync-pull") as pool:
            upcoming: tuple[tuple[int, int], Future] | None = None
            while True:
                jump = None if verify else self.own_range_at(cursor)
                if jump is not None:  # our own push of this round: nothing to download
                    store.apply_pulled((), jump[1], jump[2])
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
                result = store.apply_pulled(changes, page.cursor, changes[-1].op_id)
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
        ahead = [first for first, _, _ in self.own_ranges if first > cursor]
        if ahead:
            limit = max(1, min(limit, min(ahead) - 1 - since))
        return limit

    def fetch(self, since: int, limit: int) -> httpx.Response:
        # Only the download happens on the second thread: parsing there would take the GIL
        # from the apply each time SQLite lets go of it, and slow the apply more than it gains.
        return self.request("GET", "/v1/changes", params={"since": since, "limit": limit})

    def expect_pull(self, cursor: int) -> None:
        """Progress: about how many changes the pull will download from ``cursor``."""
        own = sum(last - first + 1 for first, last, _ in self.own_ranges if first > cursor)
        self.total = self.done + max(0, self.server_cursor - cursor - own)
        self.tick(0)

    def own_range_at(self, cursor: int) -> tuple[int, int, str] | None:
        """The range of our own changes that starts right after ``cursor``, if any."""
        for own in self.own_ranges:
            if own[0] == cursor + 1:
                return own
        return None


def error_for(what: str, response: httpx.Response) -> SyncError:
    """The :class:`SyncError` for a refusal by the server."""
    status = response.status_code
    detail = f"{what}: HTTP {status}: {_error_text(response)}"
    if status == 426:
        return SyncError("protocol", MESSAGES["protocol"], detail)
    if status == 401:
        return SyncError("unenrolled", MESSAGES["unenrolled"], detail)
    if status == 403:
        try:
            wipe = ErrorBody.model_validate_json(response.content).wipe
        except (ValidationError, ValueError):
            wipe = False
        return SyncError("revoked" if wipe else "denied",
                         MESSAGES["revoked" if wipe else "denied"], detail)
    if status == 429:
        return SyncError("offline", MESSAGES["busy"], detail)  # retried with back-off
    if 400 <= status < 500:
        return SyncError("refused", MESSAGES["refused"].format(status=status), detail)
    return SyncError("server", MESSAGES["server"], detail)


def enroll(store: Store, server_url: str, code: str, *, timeout: float = 30.0,
           transport: httpx.BaseTransport | None = None,
           adopt_teams: bool = False) -> EnrollResponse:
    """Spend the administrator's one-time ``code`` on this laptop's store: the server's
    credential for it is kept in the store (encrypted), with the server address and who it is
    enrolled for. ``adopt_teams`` (what the app and ``outreach-desk enroll`` do): the server's
    teams become team records, and a team of the same name made at first run is linked to
    them (``Store.adopt_teams``); a library caller leaves it off to make no change itself."""
    url = server_url.rstrip("/")
    check_address(url)
    try:
        with httpx.Client(base_url=url, transport=transport, timeout=timeout,
                          verify=tls_context(store),
                          headers={**version_headers(),
                                   "User-Agent": f"outreach-desk/{__version__}"}) as http:
            response = http.post("/v1/enroll", json=EnrollRequest(
                code=code.strip()[:40] or "-", device=store.site).model_dump())
    except (httpx.InvalidURL, httpx.UnsupportedProtocol) as exc:
        raise SyncError("refused", MESSAGES["url"], str(exc)) from None
    except httpx.TimeoutException as exc:
        raise SyncError("offline", MESSAGES["timeout"], f"enroll: {exc!r}") from None
    except httpx.TransportError as exc:
        if _certificate_problem(exc):
            raise SyncError("refused", MESSAGES["certificate"], f"enroll: {exc!r}") from None
        raise SyncError("offline", MESSAGES["offline"], f"enroll: {exc!r}") from None
    if response.status_code == 403:
        raise SyncError("denied", MESSAGES["code"], f"enroll: {_error_text(response)}")
    if response.status_code != 200:
        raise error_for("POST /v1/enroll", response)
    try:
        answer = EnrollResponse.model_validate_json(response.content)
    except (ValidationError, ValueError) as exc:
        raise SyncError("server", MESSAGES["answer"], f"enroll: {exc}") from None
    store.set_enrollment(url, answer.token, answer.login, answer.role, answer.teams,
                         answer.team_ids, unlock_secret=answer.unlock_secret,
                         max_offline_days=answer.max_offline_days,
                         server_ms=_ms(answer.server_time or datetime.now(UTC)))
    if adopt_teams and answer.team_ids and len(answer.team_ids) == len(answer.teams):
        # the server's teams as team records; a same-named team made at first run joins them
        store.adopt_teams(list(zip(answer.team_ids, answer.teams, strict=True)))
    log.info("enrolled this device with %s", url)
    return answer


def _ms(moment: datetime) -> int:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp() * 1000)


def _error_text(response: httpx.Response) -> str:
    try:
        return ErrorBody.model_validate_json(response.content).message[:200]
    except (ValidationError, ValueError):
        return response.text[:200]


__all__ = ["SyncClient", "SyncError", "SyncReport", "backoff", "enroll"]
