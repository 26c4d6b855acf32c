"""Every endpoint × every bad caller (``tests/access_matrix.py``), on a real server process on
127.0.0.1 with real stores: each refused with the right status, nothing leaked in any answer,
nothing stored by a refused request, and team A's records untouched afterwards. And every
reference field of every record kind × a record of the writer's team, of another team or shared
× a record's first or a later write, on SQLite and PostgreSQL (``run_reference_matrix``).
"""

from __future__ import annotations

import httpx
import pytest
import sqlalchemy as sa
from access_matrix import (
    CREDENTIAL_CALLERS,
    ENROLL_CALLERS,
    OTHER_TEAM,
    ROUTES,
    TEAM_A,
    TEAM_B,
    UNAUTHENTICATED,
    app_routes,
    build_reference_world,
    build_world,
    callers_for,
    reference_cells,
    run_matrix,
    run_reference_matrix,
)
from sync_fixtures import (  # noqa: F401 (fixtures)
    postgres_cluster,
    postgres_url,
    running_server,
    sync_server,
)

from outreach_desk.model import ENTITIES
from sync.client import SyncClient
from sync.protocol import auth_headers, version_headers
from sync.server.references import reference_fields, references


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


# -- every reference field × own team / other team / shared × first / later write ---------------


@pytest.fixture(params=["sqlite", "postgresql"])
def any_server(request, tmp_path):
    url = (f"sqlite:///{tmp_path / 'server.db'}" if request.param == "sqlite"
           else request.getfixturevalue("postgres_url"))
    with running_server(url, tmp_path) as server:
        yield server


def _model_references() -> set[tuple[str, str]]:
    return {(spec.name, fspec.name) for spec in ENTITIES.values() for fspec in spec.fields
            if fspec.ref is not None}


def test_every_reference_field_of_every_record_kind_is_in_the_matrix_and_checked():
    cells = reference_cells()
    in_matrix = {(entity, fld) for entity, fld, _ in cells}
    missing = _model_references() - in_matrix
    assert not missing, f"reference fields the matrix does not try: {sorted(missing)}"
    checked = {(entity, fld) for entity, fields in reference_fields().items() for fld in fields}
    assert _model_references() <= checked, "the server does not check every reference field"
    assert ("comment", "target_id") in in_matrix  # named by its target_kind, not by metadata
    assert len({entity for entity, _, _ in cells}) >= 14
    # every kind a reference names has a record of every target in the world
    assert {kind for _, _, kind in cells} <= {
        "household", "person", "case", "visit", "note", "plan", "team", "worker", "agency"}


def test_a_new_record_kind_with_a_reference_is_covered_without_a_line_in_the_matrix(monkeypatch):
    from outreach_desk import model

    letter = model.EntitySpec("referral_letter", "referral_letters", (
        model.F("case_id", model._ref, required=True, ref="case"),
        model.F("text", model._text(100))), mutable=False)
    monkeypatch.setitem(model.ENTITIES, "referral_letter", letter)
    reference_fields.cache_clear()
    try:
        assert ("referral_letter", "case_id", "case") in reference_cells()
        assert references("referral_letter", "*", {"case_id": "k1", "text": "x"}) == [
            ("case", "k1")]
    finally:
        monkeypatch.delitem(model.ENTITIES, "referral_letter")
        reference_fields.cache_clear()
    assert ("referral_letter", "case_id", "case") not in reference_cells()


def test_every_reference_is_checked_on_first_and_later_writes(any_server):
    server = any_server
    world = build_reference_world(server)
    outcomes = run_reference_matrix(world)

    problems = [o.problem for o in outcomes if o.problem]
    assert not problems, "\n".join(problems)
    assert len(outcomes) == len(reference_cells()) * 3 * 2
    refused = [o for o in outcomes if o.refused]
    assert {o.write for o in refused} == {"first write", "later write"}
    assert all(o.target == "other team" for o in refused)
    assert all(any("チーム" in why for why in o.reasons) for o in refused)
    with server.accounts() as accounts, accounts.db.reading() as conn:
        stored_refused = conn.execute(sa.text(
            "SELECT count(*) FROM changes WHERE site = 'writer-a' AND refused IS NOT NULL"
        )).scalar()
        served_to_b = conn.execute(sa.text(
            "SELECT count(*) FROM changes ch JOIN teams t ON t.id = ch.team_id "
            "WHERE ch.site = 'writer-a' AND t.name = :b AND ch.refused IS NULL"),
            {"b": TEAM_B}).scalar()
    assert stored_refused == len(refused)  # stored as refused, as refused changes are
    assert served_to_b == 0
    # team B's worker pulls nothing the writer wrote
    pulled = httpx.get(f"{server.url}/v1/changes", params={"since": 0},
                       headers={**version_headers(), **auth_headers(world.other.token)},
                       timeout=30).json()["changes"]
    assert pulled and not [c for c in pulled if c["site"] == "writer-a"
                           and c["entity"] not in ("team", "worker", "agency")]
