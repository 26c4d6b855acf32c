"""Load: 20 laptops sync 500 changes each at once against one real server process.

Every laptop pushes concurrently (one thread each, as 20 real laptops would), then every laptop
pulls everybody else's work. All must converge to the same state, the server must hold exactly
10,000 changes, and no request may fail.
"""

from __future__ import annotations

import threading

import httpx
from sync_fixtures import sync_server  # noqa: F401 (fixture)

from outreach_desk.changes import canonical
from sync.client import SyncClient
from sync.protocol import PullResponse, auth_headers, version_headers

LAPTOPS = 20
TEAMS_EACH = 250  # a team is two changes (name, _alive): 500 changes per laptop


def state(store) -> list[tuple[str, str]]:
    return sorted((team.id, canonical(team.values)) for team in store.list_entities("team"))


def run_all(clients, errors) -> list:
    reports = [None] * len(clients)

    def one(i: int) -> None:
        try:
            reports[i] = clients[i].sync_once()
        except BaseException as exc:  # collected and asserted on the test thread
            errors.append(exc)

    threads = [threading.Thread(target=one, args=(i,)) for i in range(len(clients))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(300)
    return reports


def test_twenty_laptops_with_500_changes_each_converge(make_store, sync_server):  # noqa: F811
    stores = []
    for i in range(LAPTOPS):
        store = make_store(f"laptop{i}")
        with store.batch():
            for n in range(TEAMS_EACH):
                store.add_team(f"チーム {i}-{n}")
        assert store.pending_count() == 2 * TEAMS_EACH
        stores.append(store)
    for store in stores:
        sync_server.enroll(store)
    clients = [SyncClient(store, sync_server.url) for store in stores]

    errors: list[BaseException] = []
    first = run_all(clients, errors)  # everyone at once: pushes race each other
    assert errors == []
    assert all(report.pushed == 2 * TEAMS_EACH for report in first)
    second = run_all(clients, errors)  # whatever was pushed after a laptop's pull
    assert errors == []

    total = 0
    cursor = 0
    reader = {**version_headers(), **auth_headers(sync_server.token("load-reader"))}
    with httpx.Client(base_url=sync_server.url, headers=reader) as http:
        while True:
            page = PullResponse.model_validate(
                http.get("/v1/changes", params={"since": cursor, "limit": 1000}).json())
            total += len(page.changes)
            cursor = page.cursor
            if not page.more:
                break
    assert total == LAPTOPS * 2 * TEAMS_EACH == 10_000

    expected = state(stores[0])
    assert len(expected) == LAPTOPS * TEAMS_EACH
    for store in stores:
        assert store.pending_count() == 0
        assert state(store) == expected
        assert store.open_conflicts() == []
    assert sum(report.pulled for report in first + second) == LAPTOPS * (LAPTOPS - 1) * 500
