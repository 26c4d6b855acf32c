"""Demo data (デモデータ) for trying the app, for screenshots and for the benchmark.

Everything written here is **fictional**: family names and given names are common Japanese names
combined at random, addresses are vague descriptions, and the narratives are assembled from phrase
lists. No record describes a real person.

``generate(store, cases=…)`` fills a store with households in the four districts (野尻, 須木, 小林,
西部): people living alone, 8050 households (a parent in their 80s with a child in their 50s),
ダブルケア households, and the cases, visits, relationship notes, consent events, support plans
and meetings that months of outreach would leave behind. The same ``seed`` always gives the same
names and texts (dates are relative to today, and ids are always new).

It writes through the ordinary :class:`~outreach_desk.store.Store` API, a few hundred cases per
transaction. The store's ``batch()`` does not see rows written earlier in the same batch (rows are
materialised just before COMMIT), so each group of cases is written in phases: households, then
persons, then cases, then everything that refers to a case.

The names, places and phrases are in :mod:`outreach_desk.demo_text`, planning a case before
anything is written in :mod:`outreach_desk.demo_plan`, and assembling a visit's texts in
:mod:`outreach_desk.demo_narrative`.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, datetime, time, timedelta, timezone

from .demo_narrative import fill, visit_narrative, visit_next_action, visit_reaction
from .demo_plan import STAGE_RANKS, Case, allocate, day_between, katakana, plan_case
from .demo_supervision import supervise
from .demo_text import (
    AGENCIES,
    CONSENT_EXTRA,
    DECISIONS,
    DISTRICTS,
    FUKUSHI,
    GIVEN_NAMES,
    GOALS,
    HOKATSU,
    HOME_NOBODY_DID,
    HOME_NOBODY_OPEN,
    HOME_NOBODY_SEEN,
    NOTE_ADDENDA,
    NOTE_TEMPLATES,
    ROLES,
    SAMPLE_TEXTS,
    SHAKYO,
    SURNAMES,
    TEAMS,
)
from .errors import NotFound
from .vocab import (
    CaseStage,
    ConsentMethod,
    MeetingKind,
    MetWith,
    RelationshipStage,
    Role,
    VisitKind,
)

try:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    JST = ZoneInfo("Asia/Tokyo")
except (ImportError, ZoneInfoNotFoundError):  # e.g. Windows without the tzdata package
    JST = timezone(timedelta(hours=9), "JST")  # Japan has no daylight saving time

BATCH_CASES = 200  # cases written per group of transactions
RANKS = list(RelationshipStage)
# 場所 and 所要時間 of a demo visit, by kind (a phone call or a letter has no place to record)
PLACES = {VisitKind.HOME_VISIT: "自宅", VisitKind.ACCOMPANY: "市役所",
          VisitKind.OFFICE_VISIT: "社協の相談室"}
MINUTES = {VisitKind.HOME_VISIT: 30, VisitKind.ACCOMPANY: 90, VisitKind.PHONE: 10,
           VisitKind.LETTER: 5, VisitKind.OFFICE_VISIT: 45, VisitKind.AGENCY_CONTACT: 15}
_katakana = katakana  # its name before the split into demo_* modules (older bench scripts)


class _Writer:
    """Writes planned cases through the store, phase by phase."""

    def __init__(self, store, rng: random.Random, now: datetime):
        self.store = store
        self.rng = rng
        self.now = now
        self.today = now.date()
        self.counts: dict[str, int] = {
            key: 0 for key in ("households", "persons", "cases", "stage_changes", "visits",
                               "notes", "note_revisions", "consent_events", "withdrawals",
                               "plans", "plan_revisions", "meetings")
        }
        self.agencies: dict[str, str] = {}
        self.teams: dict[str, str] = {}
        self.workers: dict[str, list[str]] = {}

    # -- reference data -----------------------------------------------------------------------

    def reference_data(self) -> None:
        store = self.store
        existing_agencies = {e["name"]: e.id for e in store.list_entities("agency")}
        existing_teams = {e["name"]: e.id for e in store.list_entities("team")}
        existing_workers = store.list_entities("worker")
        names = random.Random(f"workers:{self.rng.random()}")
        with store.batch():
            for name, kind in AGENCIES:
                self.agencies[name] = existing_agencies.get(name) or store.add_agency(name, kind)
            for district in DISTRICTS:
                self.teams[district] = existing_teams.get(TEAMS[district]) or store.add_team(
                    TEAMS[district])
        with store.batch():
            for district in DISTRICTS:
                team_id = self.teams[district]
                have = [w.id for w in existing_workers if w["team_id"] == team_id]
                while len(have) < 3:
                    surname = names.choice(SURNAMES)[0]
                    given = names.choice(GIVEN_NAMES[names.choice(("mid_f", "young_f", "young_m",
                                                                   "mid_m"))])[0]
                    have.append(store.add_worker(f"{surname} {given}", team_id=team_id))
                self.workers[district] = have
            if not any(w["role"] == Role.SUPERVISOR.value for w in existing_workers):
                surname = names.choice(SURNAMES)[0]
                given = names.choice(GIVEN_NAMES["mid_m"])[0]
                store.add_worker(f"{surname} {given}", role=Role.SUPERVISOR)

    # -- one group of cases ---------------------------------------------------------------------

    def write(self, cases: list[Case]) -> None:
        store = self.store
        with store.batch():
            for case in cases:
                case.household_id = store.create_household(
                    case.household_name, case.district, case.address_note)
                self.counts["households"] += 1
        with store.batch():
            for case in cases:
                for member in case.members:
                    member.id = store.add_person(
                        member.name, member.kana, case.district,
                        household_id=case.household_id, birth_year=member.birth_year)
                    self.counts["persons"] += 1
        with store.batch():
            for case in cases:
                case.team = self.teams[case.district]
                case.worker = self.rng.choice(self.workers[case.district])
                store.set_author(case.worker)
                target = case.members[case.target].id if case.target is not None else None
                case.case_id = store.open_case(
                    referral_source=case.referral, district=case.district, person_id=target,
                    household_id=case.household_id, opened_on=case.opened,
                    referral_note=case.referral_note, team_id=case.team, worker_id=case.worker)
                self.counts["cases"] += 1
        later: list[tuple[Case, str, str]] = []  # (case, kind, id) revised in a later batch
        with store.batch():
            for case in cases:
                store.set_author(case.worker)
                for stage, since, reason in case.stages[1:]:
                    store.change_case_stage(case.case_id, stage, on=since, reason=reason)
                    self.counts["stage_changes"] += 1
                self._visits(case)
                later += self._notes(case)
                self._consent(case)
                later += self._plan(case)
        with store.batch():
            for case, kind, entity_id in later:
                store.set_author(case.worker)
                if kind == "note":
                    text = store.get("note", entity_id)["text"]
                    addendum = fill(self.rng, self.rng.choice(NOTE_ADDENDA), case)
                    store.revise_note(entity_id, text + addendum)
                    self.counts["note_revisions"] += 1
                else:
                    planned = case.stage_date(CaseStage.PLANNING) or case.opened
                    on = planned + timedelta(days=self.rng.randint(90, 150))
                    on = min(on, self.today)
                    goals = self.rng.sample(GOALS[case.kind], 2)
                    store.save_plan(case.case_id, goals=goals, roles=self._roles(case),
                                    monitoring_date=on + timedelta(days=90), plan_id=entity_id)
                    case.events.append((self._plan_meeting_kind(case, on), on, "plan"))
                    self.counts["plan_revisions"] += 1

    # -- pieces of a case -----------------------------------------------------------------------

    def _when(self, day: date) -> datetime:
        hour = self.rng.randint(9, 17)
        minute = self.rng.randrange(0, 60, 5)
        back = self.rng.randint(10, 120)  # drawn every time, so the texts never depend on the clock
        moment = datetime.combine(day, time(hour, minute), tzinfo=JST)
        if moment > self.now:
            moment = (self.now - timedelta(minutes=back)).replace(second=0, microsecond=0)
        return moment

    def _visit_days(self, case: Case) -> list[date]:
        if case.visits == 0:
            return []
        span = max((case.end - case.opened).days, 0)
        first = case.opened + timedelta(days=self.rng.randint(0, min(7, span)))
        days = [first] + [
            case.opened + timedelta(days=self.rng.randint(0, span)) for _ in range(case.visits - 1)
        ]
        return sorted(days)

    def _visits(self, case: Case) -> None:
        rng = self.rng
        rank = 0
        kinds = [k for k in VisitKind]
        for number, day in enumerate(self._visit_days(case)):
            stage = case.stage_on(day)
            low, high = STAGE_RANKS[stage]
            rank = min(max(rank, low), high)
            if number == 0:
                kind = VisitKind.HOME_VISIT
            elif rank <= 1:
                kind = rng.choices(kinds, (60, 0, 10, 20, 0, 10))[0]
            elif rank == 2:
                kind = rng.choices(kinds, (60, 5, 15, 10, 0, 10))[0]
            else:
                kind = rng.choices(kinds, (45, 15, 15, 5, 10, 10))[0]
            met = self._met_with(kind, rank, high, first=number == 0, forced=case.index == 0)
            setback = False
            if met == MetWith.PERSON:
                rank = max(rank, 2)
                if rng.random() < 0.08 and rank > low:
                    rank -= 1
                    setback = True
                elif rng.random() < 0.3:
                    rank += 1
            elif met == MetWith.FAMILY:
                rank = max(rank, 1)
            elif met == MetWith.NOBODY and kind == VisitKind.HOME_VISIT and rank >= 2:
                if rng.random() < 0.06:
                    rank -= 1
                    setback = True
            rank = min(max(rank, 0), high)
            moment = self._when(day)
            narrative = visit_narrative(rng, case, kind, met, setback, moment.hour, number == 0)
            reaction = visit_reaction(rng, case, met, setback)
            next_action, due = visit_next_action(rng, case, met, day)
            met_with = [met]
            if met == MetWith.PERSON and kind == VisitKind.HOME_VISIT and case.index % 3 == 0:
                met_with.append(MetWith.FAMILY)  # the mother sat in (会えた人 is a set)
            self.store.record_visit(
                case.case_id, occurred_at=moment, kind=kind, met_with=met_with,
                narrative=narrative, reaction=reaction or None,
                relationship_stage=RANKS[rank], next_action=next_action, next_action_due=due,
                place=PLACES.get(kind), duration_minutes=MINUTES[kind])
            self.counts["visits"] += 1

    def _met_with(self, kind: VisitKind, rank: int, high: int, *, first: bool,
                  forced: bool) -> MetWith:
        rng = self.rng
        roll = rng.random()
        if first:
            return MetWith.NOBODY if forced or roll < 0.7 else MetWith.FAMILY
        if kind == VisitKind.LETTER:
            return MetWith.NOBODY
        if kind == VisitKind.AGENCY_CONTACT:
            return MetWith.AGENCY
        if kind in (VisitKind.ACCOMPANY, VisitKind.OFFICE_VISIT):
            return MetWith.PERSON
        person_ok = high >= 2
        if kind == VisitKind.PHONE:
            if rank >= 2 and person_ok:
                return MetWith.PERSON if roll < 0.6 else MetWith.NOBODY
            return MetWith.FAMILY if roll < (0.6 if rank == 1 else 0.3) else MetWith.NOBODY
        table = {0: (0.0, 0.25), 1: (0.05, 0.6), 2: (0.5, 0.8)}.get(rank, (0.7, 0.85))
        if roll < table[0] and person_ok:
            return MetWith.PERSON
        if roll < table[1]:
            return MetWith.FAMILY
        return MetWith.NOBODY

    def _notes(self, case: Case) -> list[tuple[Case, str, str]]:
        rng = self.rng
        count = rng.randint(0, 1) if case.final == CaseStage.IDENTIFIED else rng.randint(1, 3)
        revised = []
        for template in rng.sample(NOTE_TEMPLATES, count):
            note_id = self.store.add_note(case.case_id, fill(rng, template, case))
            self.counts["notes"] += 1
            if rng.random() < 0.15:
                revised.append((case, "note", note_id))
        return revised

    def _consent_agencies(self, case: Case) -> list[str]:
        names = {SHAKYO, FUKUSHI, HOKATSU[case.district]}
        extra = CONSENT_EXTRA[case.kind]
        names.update(self.rng.sample(extra, self.rng.randint(1, len(extra))))
        return [name for name, _ in AGENCIES if name in names]  # stable order

    def _consent(self, case: Case) -> None:
        rng = self.rng
        store = self.store
        person = case.members[case.contact].id
        assessed = case.stage_date(CaseStage.ASSESSMENT)
        roll = rng.random()
        if assessed is not None and roll < 0.9:
            on = assessed
        elif case.final == CaseStage.RELATIONSHIP and roll < 0.25:
            on = day_between(rng, case.opened, case.end, (0.5, 1.0))
        else:
            return
        names = self._consent_agencies(case)
        method = ConsentMethod.WRITTEN if rng.random() < 0.4 else ConsentMethod.ORAL
        store.record_consent(person, agencies=[self.agencies[n] for n in names], method=method,
                             given_on=on, recorded_by=case.worker,
                             note="重要事項を説明し、情報共有先を確認した。")
        self.counts["consent_events"] += 1
        case.granted, case.granted_on = frozenset(names), on
        if rng.random() < 0.06:  # a few withdraw later: all agencies, or one
            later = min(on + timedelta(days=rng.randint(10, 120)), self.today)
            if rng.random() < 0.5:
                agencies: list[str] = []
                case.granted = frozenset()
                note = "本人から、すべての機関への情報共有をやめてほしいと申し出。"
            else:
                name = rng.choice(sorted(set(names) - {SHAKYO, FUKUSHI}) or names)
                agencies = [self.agencies[name]]
                case.granted = case.granted - {name}
                note = f"本人から、{name}への情報提供は控えてほしいと申し出。"
            store.record_withdrawal(person, agencies=agencies, method=ConsentMethod.ORAL,
                                    given_on=later, recorded_by=case.worker, note=note)
            self.counts["consent_events"] += 1
            self.counts["withdrawals"] += 1

    def _roles(self, case: Case) -> list[dict[str, str]]:
        names = sorted(case.granted or {SHAKYO, HOKATSU[case.district]},
                       key=[n for n, _ in AGENCIES].index)
        kinds = dict(AGENCIES)
        return [{"agency_id": self.agencies[n], "role": self.rng.choice(ROLES[kinds[n]])}
                for n in names[:4]]

    def _plan_meeting_kind(self, case: Case, on: date) -> MeetingKind:
        consented = case.granted_on is not None and case.granted_on <= on and case.granted
        return MeetingKind.MULTI_AGENCY if consented else MeetingKind.SUPPORT_COUNCIL

    def _plan(self, case: Case) -> list[tuple[Case, str, str]]:
        rng = self.rng
        planned = case.stage_date(CaseStage.PLANNING)
        for stage in (CaseStage.CLOSED, CaseStage.SUSPENDED):
            ended = case.stage_date(stage)
            if ended:
                kind = (MeetingKind.SUPPORT_COUNCIL if stage == CaseStage.SUSPENDED
                        else self._plan_meeting_kind(case, ended))
                case.events.append((kind, ended, stage.value))
        if planned is None:
            if case.final == CaseStage.RELATIONSHIP and rng.random() < 0.1:
                case.events.append((MeetingKind.SUPPORT_COUNCIL,
                                    day_between(rng, case.opened, case.end, (0.3, 1.0)), "council"))
            return []
        goals = rng.sample(GOALS[case.kind], rng.randint(2, min(3, len(GOALS[case.kind]))))
        plan_id = self.store.save_plan(case.case_id, goals=goals, roles=self._roles(case),
                                       monitoring_date=planned + timedelta(days=90))
        self.counts["plans"] += 1
        case.events.append((self._plan_meeting_kind(case, planned), planned, "plan"))
        if case.final == CaseStage.SUPPORT and rng.random() < 0.3:
            return [(case, "plan", plan_id)]
        return []

    # -- meetings, once every case exists -------------------------------------------------------

    def meetings(self, cases: list[Case]) -> None:
        rng = self.rng
        groups: dict[tuple[MeetingKind, int, int], list[tuple[date, Case, str]]] = {}
        for case in cases:
            for kind, on, reason in case.events:
                groups.setdefault((kind, on.year, on.month), []).append((on, case, reason))
        meetings = []
        for (kind, _, _), items in sorted(groups.items(), key=lambda kv: (kv[0][1], kv[0][2],
                                                                          kv[0][0].value)):
            items.sort(key=lambda item: (item[0], item[1].index))
            for start in range(0, len(items), 8):
                part = items[start : start + 8]
                chosen = {}
                for _on, case, reason in part:
                    chosen.setdefault(case.case_id, (case, reason))
                if kind == MeetingKind.MULTI_AGENCY:
                    common = frozenset.intersection(*(c.granted for c, _ in chosen.values()))
                    names = set(common) | {SHAKYO, FUKUSHI}
                else:
                    names = {SHAKYO, FUKUSHI, "小林市生活自立相談支援センター"} | {
                        HOKATSU[c.district] for c, _ in chosen.values()}
                meetings.append((kind, part[0][0], names, chosen))
        for district in DISTRICTS:  # 定例会議: each team, monthly, a few open cases
            team_cases = [c for c in cases if c.district == district]
            if not team_cases:
                continue
            first = max(min(c.opened for c in team_cases), self.today - timedelta(days=365))
            month = first.replace(day=10)
            while month <= self.today:
                open_cases = [c for c in team_cases if c.opened <= month <= c.end]
                if open_cases:
                    picked = rng.sample(open_cases, min(6, len(open_cases)))
                    chosen = {c.case_id: (c, "regular") for c in picked}
                    meetings.append((MeetingKind.REGULAR, month,
                                     {SHAKYO, FUKUSHI, HOKATSU[district]}, chosen))
                month = (month + timedelta(days=31)).replace(day=10)
        with self.store.batch():
            for kind, held_on, names, chosen in meetings:
                decisions = "\n".join(
                    DECISIONS[reason].format(hh=case.household_name)
                    for case, reason in chosen.values())
                next_date = held_on + timedelta(days=90) if kind != MeetingKind.REGULAR else None
                self.store.record_meeting(
                    kind=kind, held_on=held_on,
                    attendees=[self.agencies[n] for n, _ in AGENCIES if n in names],
                    case_ids=list(chosen), decisions=decisions, next_monitoring_date=next_date)
                self.counts["meetings"] += 1


def generate(
    store,
    *,
    cases: int,
    visits_per_case: float = 20,
    seed: int = 1,
    progress: Callable[[int, int], None] | None = None,
    now: datetime | None = None,
) -> dict[str, int]:
    """Fill ``store`` with ``cases`` fictional cases and about ``visits_per_case`` visits each.

    Writes ``BATCH_CASES`` cases per group of transactions and calls ``progress(done, total)``
    after each group. Returns how many records of each kind were written. ``now`` (aware;
    default: the current time in Japan) is the moment the demo's months of work lead up to.
    """
    if cases < 0 or visits_per_case < 0:
        raise ValueError("cases and visits_per_case must not be negative")
    now = (now or datetime.now(JST)).astimezone(JST)
    rng = random.Random(seed)
    writer = _Writer(store, rng, now)
    original_author = store.author
    writer.reference_data()
    planned: list[Case] = []
    try:
        for start in range(0, cases, BATCH_CASES):
            stop = min(start + BATCH_CASES, cases)
            group = [plan_case(rng, index, writer.today) for index in range(start, stop)]
            total = round(visits_per_case * stop) - round(visits_per_case * start)
            allocate(rng, group, total)
            writer.write(group)
            for case in group:  # keep only what the meetings need
                case.members = []
            planned += group
            if progress:
                progress(stop, cases)
        writer.meetings(planned)
        supervised = supervise(store, seed)  # 決裁 and comments by the demo's supervisor
    finally:
        _restore_author(store, original_author)
    result = dict(writer.counts)
    result.update(agencies=len(writer.agencies), teams=len(writer.teams),
                  workers=sum(len(w) for w in writer.workers.values()), **supervised)
    return result


def _restore_author(store, author: str) -> None:
    """Put back whose name goes on new changes (the demo writes as each case's worker)."""
    if store.author == author:
        return
    try:
        store.set_author(author)
    except NotFound:  # the store had no worker as author (its site id): clear the setting
        with store.db.transaction():
            store.db.execute("DELETE FROM meta WHERE key = 'author'")
        store.engine.author = author


def work_as_first_worker(store) -> str | None:
    """Make the demo's first fictional worker (支援員 before other roles, then by name) the
    author of new changes, as the demo app does for its user; returns that worker's id
    (``None`` when there is none)."""
    workers = sorted(store.list_entities("worker"),
                     key=lambda w: (w["role"] != Role.WORKER.value, w["name"] or ""))
    if not workers:
        return None
    store.set_author(workers[0].id)
    return workers[0].id


# HOME_NOBODY_* are also used by bench/bench_store.py.
__all__ = [
    "AGENCIES",
    "BATCH_CASES",
    "DISTRICTS",
    "GIVEN_NAMES",
    "HOME_NOBODY_DID",
    "HOME_NOBODY_OPEN",
    "HOME_NOBODY_SEEN",
    "JST",
    "SAMPLE_TEXTS",
    "SURNAMES",
    "TEAMS",
    "generate",
    "work_as_first_worker",
]
