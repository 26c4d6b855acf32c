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
   again from the beginning (see 3). Before any of that, the server's fingerprint of this
   device's change at ``min(our newest seq, its acked_through)`` must match ours: a store
   restored from an older backup and written to before it synced has new changes under numbers
   the server holds for others, and is refused (nothing acknowledged, nothing lost). A store
   behind the server without such changes takes the acknowledgement, which moves its next
   sequence number past it, and pulls its own later changes back.
2. **Push** this device's changes after the server's ``acked_through``, in ``seq`` order, in
   batches that start small enough for a 64 kbit/s line (about 32 KB after gzip, i.e. 4 s,
   measured on the batches already sent) and grow while they come back fast, up to what the
   server takes (``sync.pacing``; a ``batch_size`` given to the client is a fixed number of
   changes). Each acknowledgement is recorded at once (``Store.record_ack``), so a cut
   connection costs at most one batch. A 409 gap makes the client continue from the server's
   ``acked_through``. A 422 naming changes of the batch the server cannot take keeps them as
   refused (送信できなかった変更) and sends the batch again with them withdrawn.
3. **Pull** pages from the pull cursor until ``more`` is false; each page is applied and the
   cursor moved in one transaction (``Store.apply_pulled``); pages are paced like push batches
   (500 changes first, more while they are applied fast). The device state of step 1 gives the
   server's history digests at this store's pull checkpoints (``sync/server/history.py``):
   when the one at the cursor differs, the server's history is not the one we pulled from
   (restored from a backup, or another server) and the pull starts again from the newest
   checkpoint that still matches. Against an older server without digests, the first request
   of a round asks from one change *before* the cursor and checks that the server still shows,
   at the cursor, the change we last pulled there (``pull_marker``), else starts from the
   beginning. Applying is idempotent, so that costs bandwidth, never data.
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

The round itself (steps 1 to 3) is in :mod:`sync.sync_round`; :mod:`sync.tls` refuses plain HTTP
and verifies the server, :mod:`sync.enrollment` spends an enrollment code, and
:mod:`sync.client_errors` holds :class:`SyncError` and its messages.
"""

from __future__ import annotations

import logging
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime

import httpx

from outreach_desk import __version__
from outreach_desk.store import Store

from .client_errors import MESSAGES, SyncError
from .enrollment import _ms, enroll
from .pacing import Pacer
from .protocol import (
    BASE_MAX_BATCH,
    BASE_MAX_PAGE,
    CLIENT_KEEP_ALIVE,
    MAX_BATCH,
    MAX_BODY_BYTES,
    MAX_PAGE,
    DeviceState,
    auth_headers,
    version_headers,
)
from .sync_round import Progress, _Round
from .tls import check_address, tls_context

log = logging.getLogger(__name__)

WIRE_BUDGET = 32 * 1024  # gzip bytes per push request: ~4 s at 64 kbit/s
FIRST_RAW_BUDGET = 128 * 1024  # JSON bytes of the first batch, before the ratio is measured
MIN_RAW_BUDGET, MAX_RAW_BUDGET = 16 * 1024, MAX_BODY_BYTES // 2
MIN_WIRE_BUDGET, MAX_WIRE_BUDGET = 8 * 1024, 512 * 1024  # gzip bytes per push, as paced
DEFAULT_PAGE = 500  # changes in the first pull page of a round (MAX_PAGE is the server's limit)
MIN_PAGE = 50  # the smallest page the pacing asks for after slow pages


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


__all__ = ["SyncClient", "SyncError", "SyncReport", "backoff", "enroll"]
