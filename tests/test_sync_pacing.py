"""Paced batch sizes (``sync.pacing``): push batches and pull pages start small, grow while
they come back fast, and start small again after a slow or failed one; a server that does not
say what it takes gets no more than every server of the protocol takes."""

from __future__ import annotations

import httpx
import pytest
from sync_fixtures import ensure_enrolled, sync_server  # noqa: F401 (fixture)
from test_sync_client import add_visits, new_case, own_ops, proxy, snapshot  # noqa: F401

from sync.client import DEFAULT_PAGE, WIRE_BUDGET, SyncClient, SyncError
from sync.pacing import Pacer
from sync.protocol import (
    BASE_MAX_BATCH,
    BASE_MAX_PAGE,
    MAX_BATCH,
    MAX_BODY_BYTES,
    MAX_PAGE,
    DeviceState,
)

# -- the sizing rule, with explicit timings ----------------------------------------------------


def test_a_fast_batch_lets_the_next_grow_by_at_most_the_growth_factor():
    pacer = Pacer(500, 50, 4000, target=3.0, growth=4.0)
    assert pacer.size == 500
    assert pacer.done(500, 0.25) == 2000  # 6,000 in 3 s, but at most 4 × 500
    assert pacer.done(2000, 1.0) == 4000  # 6,000 in 3 s, within the ceiling
    assert pacer.done(4000, 0.5) == 4000


def test_a_slow_batch_shrinks_the_next_to_what_fits_the_target():
    pacer = Pacer(500, 50, 4000, target=3.0)
    pacer.done(500, 0.25)
    pacer.done(2000, 0.5)
    assert pacer.size == 4000
    assert pacer.done(4000, 12.0) == 1000  # 333 per second: 1,000 in 3 s
    assert pacer.done(1000, 60.0) == 50  # a very slow line: the floor
    assert pacer.done(50, 3.5) == 50


def test_a_short_last_batch_or_a_slightly_slow_one_does_not_grow_it():
    pacer = Pacer(500, 50, 4000, target=3.0)
    pacer.done(500, 0.25)
    assert pacer.size == 2000
    assert pacer.done(10, 0.2) == 2000  # a short batch says little: not shrunk
    assert pacer.done(2000, 3.3) == 1818  # a bit over the target: a bit smaller, never more


def test_a_failed_batch_starts_small_again():
    pacer = Pacer(500, 50, 4000)
    pacer.done(500, 0.1)
    pacer.done(2000, 0.1)
    assert pacer.size == 4000
    assert pacer.failed() == 500
    pacer.done(4000, 30.0)  # a slow line after the failure: smaller than the start
    assert pacer.size == 400 and pacer.failed() == 400


def test_a_fixed_size_never_moves_and_bounds_hold():
    fixed = Pacer(60, 60, 60)
    assert fixed.done(60, 0.01) == 60 and fixed.done(60, 100.0) == 60 and fixed.failed() == 60
    pacer = Pacer(500, 50, 4000)
    pacer.done(500, 0.01)
    pacer.bound(1000)  # the server takes no more
    assert pacer.size == 1000 and pacer.done(1000, 0.01) == 1000
    with pytest.raises(ValueError):
        Pacer(10, 20, 5)


def test_a_server_that_does_not_say_its_limits_gets_the_base_limits(store):
    client = SyncClient(store, "http://127.0.0.1:9")
    client._server_limits(DeviceState(device="x", acked_through=0, cursor=0))
    assert client.batch_limit == BASE_MAX_BATCH
    for _ in range(5):
        client.pages.done(client.pages.size, 0.01)
    assert client.pages.size == BASE_MAX_PAGE
    client._server_limits(DeviceState(device="x", acked_through=0, cursor=0,
                                      max_batch=MAX_BATCH * 10, max_page=MAX_PAGE * 10))
    assert client.batch_limit == MAX_BATCH  # never more than this client knows is safe
    for _ in range(5):
        client.pages.done(client.pages.size, 0.01)
    assert client.pages.size == MAX_PAGE
    fixed = SyncClient(store, "http://127.0.0.1:9", batch_size=30, page_size=25)
    fixed._server_limits(DeviceState(device="x", acked_through=0, cursor=0,
                                     max_batch=MAX_BATCH, max_page=MAX_PAGE))
    assert fixed.batch_limit == 30 and fixed.pages.size == 25


# -- against a real server ---------------------------------------------------------------------


class Recording(httpx.HTTPTransport):
    """Notes the ``limit`` of every pull request and the size of every push body."""

    def __init__(self):
        super().__init__()
        self.limits: list[int] = []
        self.bodies: list[int] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == "/v1/changes":
            self.limits.append(int(request.url.params["limit"]))
        elif request.url.path == "/v1/push":
            self.bodies.append(len(request.content))
        return super().handle_request(request)


def test_on_a_fast_line_batches_and_pages_grow_and_every_change_arrives_once(
        make_store, sync_server):  # noqa: F811
    a = make_store("a", worker_name="佐藤 花子")
    _, case = new_case(a)
    add_visits(a, case, 1800)
    sync_server.enroll(a)
    pushing = Recording()
    report = SyncClient(a, sync_server.url, transport=pushing).sync_once()
    assert report.pushed == len(own_ops(a)) and report.pending == 0
    assert pushing.bodies[0] <= WIRE_BUDGET * 1.5  # the first batch is sized for a slow line
    assert max(pushing.bodies) > 2 * pushing.bodies[0]  # then they grow
    assert max(pushing.bodies) <= MAX_BODY_BYTES

    b = make_store("b")
    sync_server.enroll(b)
    pulling = Recording()
    pulled = SyncClient(b, sync_server.url, transport=pulling).sync_once()
    assert pulled.pulled == report.pushed and pulled.duplicates == 0
    assert pulling.limits[0] == DEFAULT_PAGE
    assert max(pulling.limits) > DEFAULT_PAGE and max(pulling.limits) <= MAX_PAGE
    assert b.counts()["visit"] == 1800
    assert snapshot(b)["changes"] == snapshot(a)["changes"]


def test_after_a_cut_page_the_next_round_starts_small_and_loses_nothing(
        make_store, sync_server, proxy):  # noqa: F811
    a = make_store("a", worker_name="佐藤 花子")
    person, case = new_case(a)
    add_visits(a, case, 1500)
    sync_server.enroll(a)
    SyncClient(a, sync_server.url).sync_once()

    b = make_store("b")
    ensure_enrolled(b, proxy.url)
    pulling = Recording()
    client = SyncClient(b, proxy.url, transport=pulling, timeout=10.0)
    proxy.cut(b"GET /v1/changes", nth=3, after=300)  # the third page is cut on the way
    with pytest.raises(SyncError) as caught:
        client.sync_once()
    assert caught.value.kind == "offline" and proxy.cuts == 1
    grown = pulling.limits[2]
    assert grown > DEFAULT_PAGE  # the page that was cut had grown
    kept = b.counts()["changes"]
    assert kept == sum(pulling.limits[:2])  # the pages before it are kept
    assert client.pages.size == DEFAULT_PAGE  # … and the pacing starts small again

    proxy.clear()
    pulling.limits.clear()
    report = client.sync_once()  # the same client, the line back
    assert pulling.limits[0] == DEFAULT_PAGE
    assert report.duplicates == 0 and report.pulled == len(own_ops(a)) - kept
    assert snapshot(b)["changes"] == snapshot(a)["changes"]
    assert b.counts()["visit"] == 1500
