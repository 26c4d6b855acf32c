"""Every endpoint × every bad caller (``tests/access_matrix.py``), on a real server process on
127.0.0.1 with real stores: each refused with the right status, nothing leaked in any answer,
nothing stored by a refused request, and team A's records untouched afterwards.
"""

from __future__ import annotations

from access_matrix import (
    CREDENTIAL_CALLERS,
    ENROLL_CALLERS,
    OTHER_TEAM,
    ROUTES,
    TEAM_A,
    UNAUTHENTICATED,
    app_routes,
    build_world,
    callers_for,
    run_matrix,
)
from sync_fixtures import sync_server  # noqa: F401 (fixture)

from sync.client import SyncClient


def test_every_route_of_the_app_is_in_the_matrix():
    routes = app_routes()
    assert ("POST", "/v1/push") in routes and ("GET", "/v1/health") in routes
    missing = routes - ROUTES.keys()
    assert not missing, f"routes nobody says how to call: {sorted(missing)}"
    assert not ROUTES.keys() - routes, "the matrix names routes the app no longer serves"


def test_a_route_missing_from_the_table_fails_the_matrix():
    outcomes = run_matrix(world=None, routes={("DELETE", "/v1/cases/{case}")})  # type: ignore[arg-type]
    assert [o.problems for o in outcomes] == [["not in the matrix's table of routes"]]


def test_every_bad_caller_is_refused_on_every_route_and_nothing_leaks(
        make_store, sync_server):  # noqa: F811
    world = build_world(sync_server, make_store)
    history_before = {change.op_id for change in world.owner.changes()}
    outcomes = run_matrix(world)

    problems = [f"{o.route[0]} {o.route[1]} as {o.caller}: {'; '.join(o.problems)}"
                for o in outcomes if o.problems]
    assert not problems, "\n".join(problems)
    expected_calls = sum(len(callers_for(route)) for route in app_routes())
    assert len(outcomes) == expected_calls
    device_routes = [r for r, (kind, _) in ROUTES.items() if kind == "device"]
    assert len(device_routes) == 3
    # every credential route was tried by every bad caller, the enroll route by every bad code
    tried = {(o.route, o.caller) for o in outcomes}
    assert {(r, c) for r in device_routes for c in CREDENTIAL_CALLERS} <= tried
    assert {(("POST", "/v1/enroll"), c) for c in ENROLL_CALLERS} <= tried
    statuses = {o.caller: o.status for o in outcomes if o.route == ("GET", "/v1/changes")}
    assert all(statuses[c] == 401 for c in UNAUTHENTICATED)
    assert statuses["revoked device"] == statuses["disabled user"] == 403
    assert statuses[OTHER_TEAM] == 200  # served, but nothing of team A (checked in the matrix)

    # team A's laptop syncs: nothing of the other callers reached its case
    SyncClient(world.owner, sync_server.url).sync_once()
    case = world.owner.get("case", world.case_id)
    assert case["referral_note"] == "民生委員から紹介された"
    assert len(world.owner.visits(world.case_id)) == 1
    assert {change.op_id for change in world.owner.changes()} == history_before
    assert world.owner.enrollment()["teams"] == [TEAM_A]
