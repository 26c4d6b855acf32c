"""Every endpoint × every bad caller: the sync server's routes, how to call each, the callers that
must be refused, and what each refusal must look like. Shared by ``tests/test_access_matrix.py``
and ``bench/security_report.py`` (the figures of the security report come from this code).

``build_world(server, make_store)`` sets up, on a running server (``sync_fixtures``), a team A
(野尻担当) laptop with a case and its history, and the bad callers: a worker of team B (小林担当)
on a device of their own, a revoked device, a device of a disabled user, an expired, a spent and a
forged enrollment code. ``run_matrix(world)`` calls every route of the app (``app_routes()``, read
from the FastAPI app itself) as every caller of ``callers_for(route)``, and checks each answer:
the status and error code, no secret in the body (record text, ids, names, the other team's name,
tokens, codes: searched in the body's bytes, raw and JSON-escaped), and nothing stored (the
server's tables compared before and after each call). It returns one :class:`Outcome` per call;
``problems`` lists what was wrong.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import sqlalchemy as sa

from outreach_desk.changes import RECORD, SCHEMA_VERSION
from sync.protocol import auth_headers, version_headers, versions
from sync.server.accounts import normalize_code

TEAM_A, TEAM_B = "野尻担当", "小林担当"
HEADERS = version_headers()

# the callers of a route that needs a device credential …
NO_CREDENTIAL = "no credential"
FORGED = "forged token"
MALFORMED = ("malformed: empty bearer", "malformed: basic scheme",
             "malformed: token without scheme", "malformed: extra words")
REVOKED = "revoked device"
DISABLED = "disabled user"
OTHER_TEAM = "worker of another team"
CREDENTIAL_CALLERS = (NO_CREDENTIAL, FORGED, *MALFORMED, REVOKED, DISABLED, OTHER_TEAM)
UNAUTHENTICATED = (NO_CREDENTIAL, FORGED, *MALFORMED)  # forged-credential attempts
# … and of the enrollment route
EXPIRED_CODE, REUSED_CODE, FORGED_CODE = "expired code", "reused code", "forged code"
DISABLED_CODE, REVOKED_REENROLL = "disabled user's code", "revoked device, fresh code"
ENROLL_CALLERS = (EXPIRED_CODE, REUSED_CODE, FORGED_CODE, DISABLED_CODE, REVOKED_REENROLL)


@dataclass
class Device:
    site: str
    token: str
    login: str


@dataclass
class World:
    server: Any  # sync_fixtures.ServerProcess
    owner: Any  # team A's laptop (a Store)
    owner_device: Device
    case_id: str
    person_id: str
    intruder: Device  # a worker of team B
    revoked: Device
    disabled: Device
    codes: dict[str, str]  # caller → the code it tries
    secrets: dict[str, str] = field(default_factory=dict)  # what no answer may contain
    record_ids: set[str] = field(default_factory=set)
    acked: dict[str, int] = field(default_factory=dict)  # site → the last seq the server holds
    ids: dict[str, str] = field(default_factory=dict)  # team A's visit, note, team id

    @property
    def url(self) -> str:
        return self.server.url


@dataclass
class Outcome:
    route: tuple[str, str]
    caller: str
    status: int
    expected: int
    problems: list[str] = field(default_factory=list)
    pushed_changes: int = 0  # of a push that was answered: the changes it held …
    refused_changes: int = 0  # … and those stored as refused

    @property
    def refused(self) -> bool:
        return not self.problems


# -- the routes ---------------------------------------------------------------------------------


def app_routes() -> set[tuple[str, str]]:
    """(method, path) of every route the server's FastAPI app serves (HEAD and OPTIONS aside)."""
    from sync.server.app import create_app
    from sync.server.db import Database

    with tempfile.TemporaryDirectory() as folder:
        db = Database(f"sqlite:///{Path(folder) / 'routes.db'}")
        try:
            app = create_app(db)
            return {(method, route.path) for route in app.routes
                    for method in getattr(route, "methods", None) or ()
                    if method not in ("HEAD", "OPTIONS")}
        finally:
            db.close()


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    json: Any = None
    params: dict[str, Any] | None = None


def _wire(site: str, seq: int, entity: str, entity_id: str, fld: str, value: Any) -> dict:
    return {"site": site, "seq": seq, "hlc": 1, "entity": entity, "entity_id": entity_id,
            "field": fld, "value": value, "ctx": [], "author": "x", "schema": SCHEMA_VERSION}


def _attack(world: World, site: str, first_seq: int) -> list[dict]:
    """Changes that write to team A's records: the case (an edit, a move, a visit, a plan), its
    visit (an amendment), its note (a revision), its person (an edit, a withdrawal of consent,
    which is stored even when a batch is refused), and a new case claiming team A."""
    case, person, ids = world.case_id, world.person_id, world.ids
    attempts = [
        ("case", case, "referral_note", "別チームからの書き換え"),
        ("case", case, "team_id", "not-a-team"),
        ("visit", f"v-{site}", RECORD, {
            "case_id": case, "occurred_at": "2025-06-02T10:00:00+09:00", "kind": "phone",
            "met_with": "nobody", "relationship_stage": "met_person"}),
        ("plan", f"p-{site}", "case_id", case),
        ("visit_amendment", f"a-{site}", RECORD, {
            "visit_id": ids["visit"], "changes": {"narrative": "書き換え"}, "reason": "x"}),
        ("note", ids["note"], "text", "別チームからのメモ"),
        ("person", person, "name", "別人"),
        ("consent_event", f"c-{site}", RECORD, {
            "person_id": person, "action": "withdraw", "agencies": [], "method": "oral",
            "given_on": "2025-06-02", "recorded_by": "x"}),
        ("case", f"k-{site}", "team_id", ids["team A"]),
    ]
    return [_wire(site, first_seq + index, *attempt) for index, attempt in enumerate(attempts)]


def _push(world: World, caller: str) -> Request:
    device = _device_of(world, caller) or world.owner_device
    seq = world.acked.get(device.site, 0) + 1
    return Request("POST", "/v1/push", {**versions(), "device": device.site,
                                        "changes": _attack(world, device.site, seq)})


def _pull(world: World, caller: str) -> Request:
    return Request("GET", "/v1/changes", params={"since": 0})


def _device_state(world: World, caller: str) -> Request:
    # a worker of another team asks for team A's laptop; the others for their own (or A's)
    device = world.owner_device if caller == OTHER_TEAM else (
        _device_of(world, caller) or world.owner_device)
    return Request("GET", f"/v1/devices/{device.site}")


def _enroll(world: World, caller: str) -> Request:
    device = world.revoked.site if caller == REVOKED_REENROLL else f"new-{len(caller)}"
    return Request("POST", "/v1/enroll", {"code": world.codes[caller], "device": device})


def _public(path: str) -> Callable[[World, str], Request]:
    return lambda world, caller: Request("GET", path)


# How to call each route, and who it is for: "device" routes need a device credential,
# "enroll" takes a one-time code, "public" ones are open to anyone (and must hold no data).
ROUTES: dict[tuple[str, str], tuple[str, Callable[[World, str], Request]]] = {
    ("GET", "/v1/health"): ("public", _public("/v1/health")),
    ("GET", "/openapi.json"): ("public", _public("/openapi.json")),
    ("POST", "/v1/push"): ("device", _push),
    ("GET", "/v1/changes"): ("device", _pull),
    ("GET", "/v1/devices/{device}"): ("device", _device_state),
    ("POST", "/v1/enroll"): ("enroll", _enroll),
}


def callers_for(route: tuple[str, str]) -> tuple[str, ...]:
    kind = ROUTES[route][0]
    if kind == "enroll":
        return ENROLL_CALLERS
    return CREDENTIAL_CALLERS


def _device_of(world: World, caller: str) -> Device | None:
    return {REVOKED: world.revoked, DISABLED: world.disabled,
            OTHER_TEAM: world.intruder}.get(caller)


def _auth(world: World, caller: str) -> dict[str, str]:
    token = world.owner_device.token  # a real credential, sent the wrong way
    return {
        NO_CREDENTIAL: {},
        FORGED: auth_headers("F" * 43),
        MALFORMED[0]: {"Authorization": "Bearer"},
        MALFORMED[1]: {"Authorization": f"Basic {token}"},
        MALFORMED[2]: {"Authorization": token},
        MALFORMED[3]: {"Authorization": f"Bearer {token} {token}"},
        REVOKED: auth_headers(world.revoked.token),
        DISABLED: auth_headers(world.disabled.token),
        OTHER_TEAM: auth_headers(world.intruder.token),
    }.get(caller, {})


# -- what a refusal must look like ----------------------------------------------------------------


def expected(route: tuple[str, str], caller: str) -> tuple[int, str | None]:
    """The status and error ``code`` of a refusal (code None: a 200 whose content is checked)."""
    kind = ROUTES[route][0]
    if kind == "public":
        return 200, None
    if kind == "enroll":
        return 403, "enrollment_refused"
    if caller in UNAUTHENTICATED:
        return 401, "unauthenticated"
    if caller == REVOKED:
        return 403, "revoked"
    if caller == DISABLED:
        return 403, "disabled"
    if route == ("GET", "/v1/devices/{device}"):
        return 403, "forbidden"
    return 200, None  # another team's worker may push and pull, but reaches nothing of team A


def leaks(world: World, body: bytes) -> list[str]:
    """The secrets ``body`` contains (as UTF-8 or as a JSON \\u escape)."""
    found = []
    for label, secret in world.secrets.items():
        escaped = json.dumps(secret)[1:-1].encode("ascii")
        if secret.encode("utf-8") in body or escaped in body:
            found.append(label)
    return found


def snapshot(world: World) -> dict[str, Any]:
    """What the server holds that a refused request must not change."""
    from sync.server.db import Database

    db = Database(world.server.db_url)
    try:
        with db.reading() as conn:
            def rows(sql: str) -> list[tuple]:
                return sorted(tuple(row) for row in conn.execute(sa.text(sql)))

            tables = set(sa.inspect(conn).get_table_names())
            return {
                "served changes": rows("SELECT server_seq, site, seq, team_id, body FROM changes "
                                       "WHERE refused IS NULL"),
                "all changes": rows("SELECT server_seq, site, seq FROM changes"),
                "devices": rows("SELECT site, acked_through FROM devices"),
                "scopes": rows("SELECT entity, entity_id, team_id, case_id FROM scopes"),
                "redeliveries": rows("SELECT * FROM redeliveries")
                if "redeliveries" in tables else [],
                "device keys": rows("SELECT site, user_id, token_hash, revoked_at "
                                    "FROM device_keys"),
                "codes": rows("SELECT id, used_at, failures FROM enrollment_codes"),
                "users": rows("SELECT id, role, disabled FROM users"),
                "memberships": rows("SELECT user_id, team_id FROM memberships"),
                "audit entries": rows("SELECT count(*) FROM audit_log"),
            }
    finally:
        db.close()


# What a call may change: nothing, except that another team's worker's push is stored as refused
# (its device's sequence stays contiguous) and its pull leaves an audit entry.
MAY_CHANGE = {"all changes", "devices", "audit entries"}


def call(world: World, route: tuple[str, str], caller: str) -> Outcome:
    request = ROUTES[route][1](world, caller)
    status, code = expected(route, caller)
    before = snapshot(world)
    response = httpx.request(request.method, f"{world.url}{request.path}", json=request.json,
                             params=request.params, headers={**HEADERS, **_auth(world, caller)},
                             timeout=30, verify=world.server.verify)
    after = snapshot(world)
    outcome = Outcome(route, caller, response.status_code, status)
    problems = outcome.problems
    if response.status_code != status:
        problems.append(f"status {response.status_code}, expected {status}: "
                        f"{response.text[:200]}")
    body = response.content
    if code is not None:
        try:
            answer = response.json()
        except ValueError:
            answer = {}
        if answer.get("code") != code:
            problems.append(f"error code {answer.get('code')!r}, expected {code!r}")
        if answer.get("wipe", False) != (caller == REVOKED):
            problems.append(f"wipe {answer.get('wipe')!r}")
    elif route == ("POST", "/v1/push") and status == 200:
        answer = response.json()
        pushed = len(request.json["changes"])
        outcome.pushed_changes = pushed
        outcome.refused_changes = len(answer.get("refused", []))
        if outcome.refused_changes != pushed:
            problems.append(f"{len(answer.get('refused', []))} of {pushed} changes refused")
        world.acked[world.intruder.site] = answer.get("acked_through", 0)
    found = leaks(world, body)
    if found:
        problems.append(f"the answer holds {', '.join(found)}")
    may_change = MAY_CHANGE if caller == OTHER_TEAM and status == 200 else set()
    for name, rows in before.items():
        if name not in may_change and after[name] != rows:
            problems.append(f"{name} changed")
    if caller == OTHER_TEAM and route == ("POST", "/v1/push"):
        added = len(after["all changes"]) - len(before["all changes"])
        if added != len(request.json["changes"]):
            problems.append(f"{added} refused changes recorded")
    return outcome


def run_matrix(world: World, routes: set[tuple[str, str]] | None = None) -> list[Outcome]:
    """Every route × every caller of it. A route missing from ``ROUTES`` is an outcome with a
    problem (nobody said how to call it)."""
    outcomes = []
    for route in sorted(routes if routes is not None else app_routes()):
        if route not in ROUTES:
            outcomes.append(Outcome(route, "-", 0, 0, ["not in the matrix's table of routes"]))
            continue
        for caller in callers_for(route):
            outcomes.append(call(world, route, caller))
    return outcomes


# -- the world ----------------------------------------------------------------------------------


def _enroll_raw(server, login: str, site: str, teams: tuple[str, ...]) -> Device:
    code = server.issue_code(login, teams=teams)
    response = httpx.post(f"{server.url}/v1/enroll", json={"code": code, "device": site},
                          headers=HEADERS, timeout=30, verify=server.verify)
    assert response.status_code == 200, response.text
    return Device(site, response.json()["token"], login)


def build_world(server, make_store: Callable[..., Any]) -> World:
    """Team A's laptop with a case (person, visit, note, consent) synced; the bad callers."""
    from sync.client import SyncClient

    owner = make_store("owner", worker_name="佐藤 花子")
    if server.ca_file:
        owner.set_server_ca(server.ca_file.read_text())
    answer = server.enroll(owner, login="sato", teams=(TEAM_A,))
    person = owner.add_person("山田 太郎", "やまだ たろう", "野尻")
    case = owner.open_case(opened_on="2025-01-06", referral_source="sns", district="野尻",
                           person_id=person,
                           referral_note="民生委員から紹介された")
    visit = owner.record_visit(case, occurred_at="2025-06-01T10:00+09:00", kind="home_visit",
                               met_with="person", relationship_stage="met_person",
                               narrative="玄関先で母親と話せた")
    note = owner.add_note(case, "昼夜逆転の生活が続いている")
    agency = owner.add_agency("地域包括支援センター")
    consent = owner.record_consent(person, agencies=[agency], method="written",
                                   note="書面で同意を得た")
    SyncClient(owner, server.url).sync_once()

    intruder = _enroll_raw(server, "kobayashi", "intruder-b", (TEAM_B,))
    revoked = _enroll_raw(server, "ito", "revoked-a", (TEAM_A,))
    disabled = _enroll_raw(server, "suzuki", "disabled-a", (TEAM_A,))
    codes = {FORGED_CODE: "ZZZZ-ZZZZ-ZZZZ-ZZZZ"}
    with server.accounts() as accounts:
        codes[EXPIRED_CODE] = accounts.issue_code("ito")
        codes[REUSED_CODE] = accounts.issue_code("ito")
        codes[DISABLED_CODE] = accounts.issue_code("suzuki")
        codes[REVOKED_REENROLL] = accounts.issue_code("ito")
        accounts.revoke_device(revoked.site)
        accounts.set_user("suzuki", disabled=True)
        with accounts.db.writing() as conn:
            conn.execute(sa.text("UPDATE enrollment_codes SET expires_at = :t WHERE id = :id"),
                         {"t": datetime.now(UTC) - timedelta(minutes=1),
                          "id": normalize_code(codes[EXPIRED_CODE])[:4]})
        team_a = accounts.db.engine.connect().execute(
            sa.text("SELECT id FROM teams WHERE name = :n"), {"n": TEAM_A}).scalar()
    spent = httpx.post(f"{server.url}/v1/enroll", headers=HEADERS, timeout=30,
                       verify=server.verify,
                       json={"code": codes[REUSED_CODE], "device": "first-use"})
    assert spent.status_code == 200, spent.text

    world = World(server, owner, Device(owner.site, answer.token, "sato"), case, person,
                  intruder, revoked, disabled, codes)
    world.record_ids = {case, person, visit, note, consent}
    world.ids = {"visit": visit, "note": note, "team A": team_a}
    world.secrets = {
        "the person's name": "山田 太郎", "the person's reading": "やまだ たろう",
        "the visit's narrative": "玄関先で母親と話せた", "the note": "昼夜逆転の生活",
        "the consent note": "書面で同意を得た", "the referral note": "民生委員から紹介",
        "the case id": case, "the person id": person, "the visit id": visit,
        "the note id": note, "the consent event id": consent,
        "team A's name": TEAM_A, "team A's id": team_a,
        "team A's token": answer.token, "the revoked token": revoked.token,
        "the disabled user's token": disabled.token, "team B's token": intruder.token,
        **{f"the {name}": code for name, code in codes.items()},
        **{f"the {name} (as typed)": normalize_code(code) for name, code in codes.items()},
    }
    return world




# -- references: every reference field × the team of what it names × first or later write ------
#
# A writer (a supervisor of team A only: the records only a supervisor writes are part of the
# matrix) writes, for every reference field of every record kind (``outreach_desk.model.ENTITIES``
# metadata, and ``sync.server.references.DYNAMIC_REFS``), a change naming a record of its own
# team, of another team (B) and a shared one; on a record's first write and on a later write of
# a record first written harmlessly (naming its own team's record). A change naming another
# team's record is refused, as refused changes are (stored, never served); the others stored.

OWN, OTHER, SHARED = "own team", "other team", "shared"
TARGETS = (OWN, OTHER, SHARED)
FIRST, LATER = "first write", "later write"
WRITES = (FIRST, LATER)
SHARED_KINDS = frozenset({"team", "worker", "agency"})


def reference_cells() -> list[tuple[str, str, str]]:
    """(entity, field, kind named) of every reference field, read from the domain model (a new
    record kind with a ``ref`` field is a new row without a line here)."""
    from outreach_desk.model import ENTITIES
    from sync.server.references import DYNAMIC_REFS

    cells = []
    for spec in ENTITIES.values():
        for fspec in spec.fields:
            kinds = DYNAMIC_REFS.get((spec.name, fspec.name)) or (
                (fspec.ref,) if fspec.ref else ())
            cells.extend((spec.name, fspec.name, kind) for kind in kinds)
    return cells


def refused_expected(kind: str, target: str) -> bool:
    """A record of another team is out of reach; shared data is anyone's to name, except a team
    of this server that is not the writer's (a case or a worker put into another team)."""
    return target == OTHER and (kind not in SHARED_KINDS or kind == "team")


@dataclass
class RawDevice:
    """An enrolled device speaking the protocol by hand (its own seq counter)."""

    server: Any
    site: str
    token: str
    author: str
    seq: int = 0

    def push(self, *changes: tuple[str, str, str, Any]) -> dict:
        wires = []
        for entity, entity_id, fld, value in changes:
            self.seq += 1
            wire = _wire(self.site, self.seq, entity, entity_id, fld, value)
            wires.append({**wire, "author": self.author})
        response = httpx.post(f"{self.server.url}/v1/push",
                              json={**versions(), "device": self.site, "changes": wires},
                              headers={**HEADERS, **auth_headers(self.token)}, timeout=30,
                              verify=self.server.verify)
        assert response.status_code == 200, response.text
        return response.json()

    def refused(self, *changes: tuple[str, str, str, Any]) -> list[str]:
        """Push ``changes``; the reasons of those refused."""
        return [item["reason"] for item in self.push(*changes)["refused"]]


def raw_device(server, login: str, site: str, *, role: str = "worker",
               teams: tuple[str, ...] = (TEAM_A,)) -> RawDevice:
    code = server.issue_code(login, role=role, teams=teams)
    response = httpx.post(f"{server.url}/v1/enroll", json={"code": code, "device": site},
                          headers=HEADERS, timeout=30, verify=server.verify)
    assert response.status_code == 200, response.text
    return RawDevice(server, site, response.json()["token"], author=f"w-{site}")


def _value(kind: str, target_id: str, entity: str, fld: str) -> Any:
    from outreach_desk.model import ENTITIES

    clean = ENTITIES[entity].field(fld).clean
    if getattr(clean, "__name__", "") == "_roles":  # a plan's roles: {agency_id, role}
        return [{"agency_id": target_id, "role": "見守り"}]
    if fld.endswith("_ids") or fld in ("agencies", "attendees"):
        return [target_id]
    return target_id


def _change(entity: str, entity_id: str, fld: str, value: Any) -> tuple[str, str, str, Any]:
    from outreach_desk.model import ENTITIES

    if ENTITIES[entity].mutable:
        return (entity, entity_id, fld, value)
    return (entity, entity_id, RECORD, {fld: value})  # an immutable record names it inside


@dataclass
class ReferenceWorld:
    server: Any
    writer: RawDevice  # a supervisor of team A
    other: RawDevice  # a worker of team B
    admin: RawDevice
    targets: dict[tuple[str, str], str]  # (kind, OWN/OTHER/SHARED) → a record's id


def build_reference_world(server) -> ReferenceWorld:
    """Teams A and B with a record of every kind a reference names, and shared records made by
    A's writer, by B's worker and by an administrator."""
    writer = raw_device(server, "sv-a", "writer-a", role="supervisor", teams=(TEAM_A,))
    other = raw_device(server, "worker-b", "worker-b", teams=(TEAM_B,))
    admin = raw_device(server, "admin", "admin-1", role="administrator", teams=(TEAM_A,))
    with server.accounts() as accounts, accounts.db.reading() as conn:
        server_teams = dict(conn.execute(sa.text("SELECT name, id FROM teams")).all())
    targets: dict[tuple[str, str], str] = {("team", OWN): server_teams[TEAM_A],
                                           ("team", OTHER): server_teams[TEAM_B],
                                           ("team", SHARED): "local-team"}
    for device, target in ((writer, OWN), (other, OTHER)):
        tag = device.site
        ids = {kind: f"{kind}-{tag}" for kind in ("household", "person", "case", "visit",
                                                    "note", "plan", "agency", "worker")}
        refused = device.refused(
            ("household", ids["household"], "name", "世帯"),
            ("person", ids["person"], "household_id", ids["household"]),
            ("case", ids["case"], "person_id", ids["person"]),
            ("visit", ids["visit"], RECORD, {"case_id": ids["case"]}),
            ("note", ids["note"], "case_id", ids["case"]),
            ("plan", ids["plan"], "case_id", ids["case"]),
            ("agency", ids["agency"], "name", f"機関 {tag}"),
            ("worker", ids["worker"], "name", f"支援員 {tag}"))
        assert refused == [], refused
        targets.update({(kind, target): entity_id for kind, entity_id in ids.items()})
    assert admin.refused(("agency", "agency-shared", "name", "共有の機関"),
                         ("worker", "worker-shared", "name", "共有の支援員"),
                         ("team", "local-team", "name", "地区のチーム")) == []
    for kind in ("household", "person", "case", "visit", "note", "plan"):
        targets[(kind, SHARED)] = "agency-shared"  # a shared record's id where a record is named
    targets[("agency", SHARED)] = "agency-shared"
    targets[("worker", SHARED)] = "worker-shared"
    return ReferenceWorld(server, writer, other, admin, targets)


@dataclass
class ReferenceOutcome:
    cell: tuple[str, str, str]
    target: str
    write: str
    refused: bool
    expected: bool
    reasons: list[str]

    @property
    def problem(self) -> str | None:
        if self.refused == self.expected:
            return None
        entity, fld, kind = self.cell
        return (f"{entity}.{fld} naming a {kind} of {self.target}, {self.write}: "
                f"{'refused' if self.refused else 'stored'} {self.reasons}")


def run_reference_matrix(world: ReferenceWorld) -> list[ReferenceOutcome]:
    outcomes = []
    for number, (entity, fld, kind) in enumerate(reference_cells()):
        for target in TARGETS:
            target_id = world.targets[(kind, target)]
            for write in WRITES:
                entity_id = f"m{number}-{TARGETS.index(target)}-{WRITES.index(write)}"
                if write == LATER:  # first written harmlessly: naming its own team's record
                    first = world.writer.refused(_change(
                        entity, entity_id, fld, _value(kind, world.targets[(kind, OWN)],
                                                       entity, fld)))
                    assert first == [], (entity, fld, first)
                reasons = world.writer.refused(_change(
                    entity, entity_id, fld, _value(kind, target_id, entity, fld)))
                outcomes.append(ReferenceOutcome((entity, fld, kind), target, write,
                                                 bool(reasons), refused_expected(kind, target),
                                                 reasons))
    return outcomes


__all__ = ["CREDENTIAL_CALLERS", "ENROLL_CALLERS", "OTHER_TEAM", "Outcome", "ROUTES",
           "UNAUTHENTICATED", "World", "app_routes", "build_world", "callers_for", "run_matrix",
           "snapshot", "RawDevice", "ReferenceWorld", "build_reference_world", "raw_device",
           "reference_cells", "refused_expected", "run_reference_matrix"]
