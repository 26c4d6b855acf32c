"""Replication of real stores: every replica converges, and nothing written is lost.

A hypothesis state machine drives 2–6 real SQLCipher stores, each with its own controllable
wall clock, through edits, deletions, notes, visits, amendments, consent, conflict
resolutions, partial and duplicated deliveries, clock skew and restarts. At the end of every
example all clocks are set to the latest time any of them showed, every replica exchanges
everything with every other, and the states are compared with each other and with an
independent model of the spec (tests/replication_model.py).

A few deterministic two-store examples at the bottom pin the key scenarios.
"""

from __future__ import annotations

import functools
import json
import os
import random
import shutil
import tempfile
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, rule
from replication_model import expected_state, latest_visit, same
from support import FAST_KDF, PASSPHRASE

from outreach_desk.changes import Change
from outreach_desk.errors import NotFound, ValidationError
from outreach_desk.hlc import MAX_CLOCK_AHEAD_MS, physical_ms
from outreach_desk.model import ALIVE, clean_fields
from outreach_desk.store import Store

BASE_MS = 1_767_225_600_000  # 2026-01-01 00:00 UTC: the wall clocks start here
MINUTE = 60_000
HOUR = 60 * MINUTE

# Profiles: "replication" (default, about 20 s) and "replication-long" for a soak run,
# chosen with OUTREACH_REPLICATION_PROFILE=replication-long.
settings.register_profile(
    "replication",
    max_examples=40,
    stateful_step_count=50,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "replication-long",
    settings.get_profile("replication"),
    max_examples=500,
    stateful_step_count=60,
)
PROFILE = os.environ.get("OUTREACH_REPLICATION_PROFILE", "replication")


class Clock:
    """A wall clock a test moves by hand; remembers the latest time it ever showed."""

    def __init__(self, now: int = BASE_MS):
        self.now = now
        self.latest = now

    def __call__(self) -> int:
        return self.now

    def set(self, now: int) -> None:
        self.now = now
        self.latest = max(self.latest, now)


# --------------------------------------------------------------------------------------------
# what the replicas write
# --------------------------------------------------------------------------------------------

NAMES = ["山田 太郎", "  山田 太郎 ", "佐藤 花子", "鈴木 一郎", "ﾔﾏﾀﾞ"]
DISTRICTS = ["北区", "南区", "東区"]
TEXTS = ["民生委員より", "近所の方より連絡", None, "電話あり、訪問を希望"]
EDITS = [  # (entity key, field, candidate values)
    ("p1", "name", NAMES),
    ("p1", "district", DISTRICTS),
    ("p1", "birth_year", [1950, 1961, None]),
    ("p2", "name", NAMES),
    ("h", "name", NAMES),
    ("h", "address_note", TEXTS),
    ("c1", "referral_note", TEXTS),
    ("c2", "district", DISTRICTS),
    ("a1", "name", ["福祉課", "地域包括"]),
]
KINDS = {"p1": "person", "p2": "person", "h": "household", "c1": "case", "c2": "case",
         "n": "note", "a1": "agency", "a2": "agency", "a3": "agency"}
ARCHIVABLE = ["p1", "p2", "h", "c1", "c2", "n"]
NOTE_TEXTS = ["玄関先で少し話せた", "次回は午後に", "ご家族と面談", "手紙を置いた"]
OCCURRED = ["2025-06-01T10:00+09:00", "2025-06-01T10:00+09:00", "2025-07-15T14:30+09:00"]
VISIT_KINDS = ["home_visit", "phone", "letter"]
MET_WITH = ["person", "family", "nobody"]
STAGES = ["no_contact", "family_contact", "met_person", "ongoing"]
ACTIONS = [None, "再訪問", "電話をかける"]
AMENDMENTS = [
    ("narrative", ["訂正: 本人と会えた", "訂正: 家族のみ"]),
    ("next_action", ["再訪問", "包括へ連絡"]),
    ("occurred_at", OCCURRED),
    ("relationship_stage", STAGES),
]

# replica numbers are taken modulo the number of replicas; half of the choices fall on the
# first two, so that the same replicas meet (and conflict) often
replica_index = st.one_of(st.integers(0, 1), st.integers(0, 5))


def tolerated(exc: Exception) -> bool:
    """Refusals a replica may legitimately give: the record is deleted or not yet received
    there, or a reference it names is (a ValidationError of rule 'ref')."""
    return isinstance(exc, NotFound) or (isinstance(exc, ValidationError) and exc.rule == "ref")


def attempt(work):
    try:
        return True, work()
    except (NotFound, ValidationError) as exc:
        if not tolerated(exc):
            raise
        return False, None


def wire_copy(change: Change) -> Change:
    """What arrives at the other end of the network."""
    return Change.from_wire(json.loads(json.dumps(change.to_wire(), ensure_ascii=False)))


def step(method):
    """Marks a rule as running, so teardown can tell a failed example from a finished one."""

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        self.failed = True
        method(self, *args, **kwargs)
        self.failed = False

    return wrapper


# --------------------------------------------------------------------------------------------
# observing a replica
# --------------------------------------------------------------------------------------------

ENTITY_KINDS = ["team", "worker", "agency", "household", "person", "case", "note", "plan",
                "meeting"]


def conflict_key(conflict) -> tuple:
    return (conflict.entity, conflict.entity_id, conflict.field,
            frozenset(v.op_id for v in conflict.values))


def observe(store: Store, person_ids, case_ids) -> dict:
    """Everything a user could see, in a comparable form."""
    state = {
        kind: [(e.id, e.values, e.deleted, e.conflicts)
               for e in store.list_entities(kind, include_deleted=True)]
        for kind in ENTITY_KINDS
    }
    state["conflicts"] = sorted(conflict_key(c) for c in store.open_conflicts())
    state["visits"] = {
        v.id: (v.effective, v.original, v.conflicts, len(v.amendments))
        for case_id in sorted(case_ids)
        for v in store.visits(case_id)
    }
    state["consent"] = {p: store.consent(p) for p in sorted(person_ids)}
    state["search"] = store.db.execute(
        "SELECT entity, entity_id, folded FROM search_docs ORDER BY entity, entity_id"
    ).fetchall()
    counts = store.counts()
    counts.pop("outbox")
    state["counts"] = counts
    return state


def case_summary(store: Store, case_id: str):
    return store.db.execute(
        "SELECT last_visit_at, next_action, next_action_due, relationship_stage FROM cases "
        "WHERE id = ?",
        (case_id,),
    ).fetchone()


def log_keys(store: Store) -> set[tuple[str, int]]:
    return {(c.site, c.seq) for c in store.changes()}


# --------------------------------------------------------------------------------------------
# the state machine
# --------------------------------------------------------------------------------------------


class Replication(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        self.tmp = Path(tempfile.mkdtemp(prefix="outreach-replication-"))
        self.stores: list[Store] = []
        self.clocks: list[Clock] = []
        self.ids: dict[str, str] = {}
        self.visits_made: set[str] = set()
        self.visit_order: list[str] = []  # visit ids are random: pick them by creation order
        self.failed = True  # until initialize has finished
        self.seed = 0
        self.stats: Counter[str] = Counter()  # what happened, reported as hypothesis events

    # -- helpers ------------------------------------------------------------------------------

    def replica(self, r: int) -> tuple[int, Store]:
        r %= len(self.stores)
        return r, self.stores[r]

    def stable_conflict_key(self, conflict) -> tuple:
        """Ids are random UUIDs; order conflicts by what the test calls the records instead,
        so that replaying an example picks the same conflict."""
        names = {v: k for k, v in self.ids.items()}
        names.update({v: f"v{i}" for i, v in enumerate(self.visit_order)})
        field = conflict.field
        if field.startswith("consent:"):
            field = "consent:" + names.get(field[8:], field[8:])
        return conflict.entity, names.get(conflict.entity_id, conflict.entity_id), field

    def stable_log(self, store: Store) -> list[Change]:
        """The log ordered by replica number, not by the (random) site id."""
        index = {s.site: i for i, s in enumerate(self.stores)}
        return sorted(store.changes(), key=lambda c: (index.get(c.site, -1), c.seq))

    def local_write(self, r: int, work):
        """Run a local write on replica ``r``; check the HLC and outbox rules on its result."""
        store = self.stores[r]
        before = store.changes()
        top = max((c.hlc for c in before), default=0)
        ok, result = attempt(work)
        self.stats["write ok" if ok else "write refused"] += 1
        seen = {(b.site, b.seq) for b in before}
        new = [c for c in store.changes() if (c.site, c.seq) not in seen]
        if ok:
            assert new, "a write that returned made no change"
        for c in new:
            assert c.site == store.site
            assert c.hlc > top, "a local change must be later than everything seen"
        outbox = {(c.site, c.seq) for c in store.outbox()}
        assert {(c.site, c.seq) for c in new} <= outbox
        return ok, result

    # -- setup --------------------------------------------------------------------------------

    @initialize(n=st.integers(2, 6), seed=st.integers(0, 2**32 - 1))
    @step
    def setup(self, n, seed):
        self.seed = seed
        for i in range(n):
            clock = Clock()
            self.clocks.append(clock)
            self.stores.append(
                Store.create(self.tmp / f"r{i}", PASSPHRASE, kdf=FAST_KDF,
                             worker_name=f"支援員 {i}", wall=clock)
            )
        s = self.stores[0]
        ids = self.ids
        ids["h"] = s.create_household("山田家", "北区", address_note="坂の上")
        ids["p1"] = s.add_person("山田 太郎", "やまだ たろう", "北区", household_id=ids["h"])
        ids["p2"] = s.add_person("佐藤 花子", "さとう はなこ", "南区")
        ids["c1"] = s.open_case(referral_source="minsei_iin", district="北区",
                                person_id=ids["p1"], opened_on="2025-05-01")
        ids["c2"] = s.open_case(referral_source="neighbour", district="南区",
                                household_id=ids["h"], opened_on="2025-05-02")
        for key in ("a1", "a2", "a3"):
            ids[key] = s.add_agency(f"機関 {key}")
        ids["n"] = s.add_note(ids["c1"], "初回のメモ")
        everything = s.changes()
        for other in self.stores[1:]:
            result = other.apply_remote(everything)
            assert result.applied == len(everything) and not result.held
        self.failed = False

    # -- local writes -------------------------------------------------------------------------

    # half of the edits go to one field, so that concurrent edits of it are common
    @rule(r=replica_index, which=st.one_of(st.just(0), st.integers(0, len(EDITS) - 1)),
          pick=st.integers(0, 9))
    @step
    def edit(self, r, which, pick):
        r, store = self.replica(r)
        key, field, candidates = EDITS[which]
        kind, entity_id = KINDS[key], self.ids[key]
        value = candidates[pick % len(candidates)]
        before = {v.op_id for v in store.field_values(kind, entity_id, field)}
        ok, changes = self.local_write(r, lambda: store.update(kind, entity_id, {field: value}))
        if not ok:
            return
        written = next(c for c in changes if c.field == field)
        assert set(written.ctx) == before, "a write replaces exactly the values it saw"
        entity = store.get(kind, entity_id)
        assert same(entity[field], clean_fields(kind, {field: value}, complete=False)[field])
        assert field not in entity.conflicts and ALIVE not in entity.conflicts

    @rule(r=replica_index, which=st.sampled_from(ARCHIVABLE))
    @step
    def archive(self, r, which):
        r, store = self.replica(r)
        kind, entity_id = KINDS[which], self.ids[which]
        ok, _ = self.local_write(r, lambda: store.archive(kind, entity_id))
        if ok:
            entity = store.get(kind, entity_id, include_deleted=True)
            assert entity.deleted and ALIVE not in entity.conflicts

    @rule(r=replica_index, which=st.sampled_from(ARCHIVABLE))
    @step
    def restore(self, r, which):
        r, store = self.replica(r)
        kind, entity_id = KINDS[which], self.ids[which]
        ok, _ = self.local_write(r, lambda: store.restore(kind, entity_id))
        if ok:
            entity = store.get(kind, entity_id)
            assert not entity.deleted and ALIVE not in entity.conflicts

    @rule(r=replica_index, pick=st.integers(0, len(NOTE_TEXTS) - 1))
    @step
    def revise_note(self, r, pick):
        r, store = self.replica(r)
        ok, _ = self.local_write(r, lambda: store.revise_note(self.ids["n"], NOTE_TEXTS[pick]))
        if ok:
            note = store.get("note", self.ids["n"])
            assert note["text"] == NOTE_TEXTS[pick] and "text" not in note.conflicts
            assert store.note_revisions(self.ids["n"])[-1].value == NOTE_TEXTS[pick]

    @rule(r=replica_index, case=st.sampled_from(["c1", "c2"]), when=st.integers(0, 2),
          kind=st.integers(0, 2), met=st.integers(0, 2), stage=st.integers(0, 3),
          action=st.integers(0, 2))
    @step
    def record_visit(self, r, case, when, kind, met, stage, action):
        r, store = self.replica(r)
        ok, visit_id = self.local_write(r, lambda: store.record_visit(
            self.ids[case], occurred_at=OCCURRED[when], kind=VISIT_KINDS[kind],
            met_with=MET_WITH[met], relationship_stage=STAGES[stage],
            next_action=ACTIONS[action], narrative=f"訪問 {len(self.visits_made)}"))
        if ok:
            self.visits_made.add(visit_id)
            self.visit_order.append(visit_id)
            assert store.visit(visit_id).effective["case_id"] == self.ids[case]

    @rule(r=replica_index, pick=st.integers(0, 30), which=st.integers(0, len(AMENDMENTS) - 1),
          value=st.integers(0, 3))
    @step
    def amend_visit(self, r, pick, which, value):
        r, store = self.replica(r)
        here = {v.id for case in ("c1", "c2") for v in store.visits(self.ids[case])}
        known = [visit_id for visit_id in self.visit_order if visit_id in here]
        if not known:
            return
        visit_id = known[pick % len(known)]
        field, candidates = AMENDMENTS[which]
        chosen = candidates[value % len(candidates)]
        ok, _ = self.local_write(
            r, lambda: store.amend_visit(visit_id, {field: chosen}, reason="記載誤り"))
        if ok:
            visit = store.visit(visit_id)
            assert visit.effective[field] == chosen and field not in visit.conflicts

    @rule(r=replica_index, person=st.sampled_from(["p1", "p2"]), grant=st.booleans(),
          mask=st.integers(0, 7))
    @step
    def consent(self, r, person, grant, mask):
        r, store = self.replica(r)
        agencies = [self.ids[a] for i, a in enumerate(("a1", "a2", "a3")) if mask >> i & 1]
        person_id = self.ids[person]
        if grant:
            agencies = agencies or [self.ids["a1"]]
            ok, _ = self.local_write(r, lambda: store.record_consent(
                person_id, agencies=agencies, method="written"))
        else:
            ok, _ = self.local_write(r, lambda: store.record_withdrawal(
                person_id, agencies=agencies, method="oral"))
        if not ok:
            return
        state = store.consent(person_id)
        if grant:
            assert set(agencies) <= state.granted and not set(agencies) & state.flagged
        elif agencies:
            assert set(agencies) <= state.withdrawn and not set(agencies) & state.granted
        else:  # a withdrawal naming no agency withdraws every agency
            assert state.granted == frozenset() and state.status.value == "withdrawn"

    @rule(a=replica_index, b=replica_index, pick=st.integers(0, 30),
          choice=st.integers(0, 4))
    @step
    def sync_then_resolve(self, a, b, pick, choice):
        """The usual workflow: sync with someone, see a conflict, settle it."""
        self.do_exchange(a, b)
        self.do_resolve(a, pick, choice)

    @rule(r=replica_index, pick=st.integers(0, 30), choice=st.integers(0, 4))
    @step
    def resolve(self, r, pick, choice):
        self.do_resolve(r, pick, choice)

    def do_resolve(self, r, pick, choice):
        # the first replica from r on that has an open conflict
        for offset in range(len(self.stores)):
            r, store = self.replica(r + offset)
            conflicts = sorted(store.open_conflicts(), key=self.stable_conflict_key)
            if conflicts:
                break
        else:
            return
        c = conflicts[pick % len(conflicts)]
        self.stats["resolve " + ("alive" if c.field == ALIVE else c.entity)] += 1
        if c.entity == "visit":
            visit = store.visit(c.entity_id)
            candidates = sorted({a["changes"][c.field] for a in visit.amendments
                                 if c.field in a["changes"]})
            value = candidates[choice % len(candidates)]
            ok, _ = self.local_write(r, lambda: store.amend_visit(
                c.entity_id, {c.field: value}, reason="競合の解消"))
            assert ok
            visit = store.visit(c.entity_id)
            assert c.field not in visit.conflicts and same(visit.effective[c.field], value)
        elif c.field.startswith("consent:"):
            agency = c.field.split(":", 1)[1]
            record = store.record_consent if choice % 2 else store.record_withdrawal
            ok, _ = self.local_write(
                r, lambda: record(c.entity_id, agencies=[agency], method="oral"))
            if ok:
                assert agency not in store.consent(c.entity_id).flagged
        elif c.field == ALIVE:
            keep = choice % 2 == 0  # settle an edit-vs-delete conflict either way
            self.stats["resolve alive as " + ("kept" if keep else "deleted")] += 1
            ok, _ = self.local_write(
                r, lambda: store.resolve_conflict(c.entity, c.entity_id, ALIVE, keep))
            assert ok
            entity = store.get(c.entity, c.entity_id, include_deleted=True)
            assert entity.deleted is not keep and ALIVE not in entity.conflicts
        else:
            values = sorted((v.value for v in c.values), key=json.dumps)
            assert len(values) >= 2
            if choice == 4 and all(isinstance(v, str) for v in values):
                value = " / ".join(sorted(set(values)))  # a merged value
            else:
                value = values[choice % len(values)]
            ok, _ = self.local_write(
                r, lambda: store.resolve_conflict(c.entity, c.entity_id, c.field, value))
            if ok:  # refused only while the entity is deleted
                entity = store.get(c.entity, c.entity_id)
                assert c.field not in entity.conflicts
                assert [v.value for v in store.field_values(c.entity, c.entity_id, c.field)] \
                    == [entity[c.field]]

    # -- delivery -----------------------------------------------------------------------------

    @rule(src=replica_index, dst=replica_index, seed=st.integers(0, 2**32 - 1),
          fraction=st.sampled_from([0.25, 0.6, 1.0]), batches=st.integers(1, 3))
    @step
    def deliver(self, src, dst, seed, fraction, batches):
        """A random subset of src's log, shuffled, with duplicates, in one to three calls.

        (A seeded Random rather than st.randoms(): how many numbers are drawn depends on the
        size of the log, which must not change how hypothesis draws the next steps.)"""
        rnd = random.Random(seed)
        (_, source), (d, target) = self.replica(src), self.replica(dst)
        everything = self.stable_log(source)
        chosen = [c for c in everything if rnd.random() < fraction]
        chosen += rnd.sample(chosen, k=min(len(chosen), rnd.randint(0, 3)))
        rnd.shuffle(chosen)
        had = log_keys(target)
        cuts = sorted(rnd.randint(0, len(chosen)) for _ in range(batches - 1))
        for lo, hi in zip([0, *cuts], [*cuts, len(chosen)], strict=True):
            result = target.apply_remote([wire_copy(c) for c in chosen[lo:hi]])
            for _op_id, reason in result.held:
                assert reason
            self.stats["held"] += len(result.held)
        now = self.clocks[d]()
        log = log_keys(target)
        held = dict(target.held_changes())
        for c in chosen:
            key = (c.site, c.seq)
            if key in had:
                continue
            ahead = physical_ms(c.hlc) - now
            if key in log:  # applied: it was plausible
                assert ahead <= MAX_CLOCK_AHEAD_MS
                continue
            # not lost: held aside because it is too far ahead
            assert c.op_id in held, f"{c.op_id} was neither applied nor held"
            assert ahead > MAX_CLOCK_AHEAD_MS and "clock" in held[c.op_id], held[c.op_id]
        applied_ids = {f"{site}:{seq}" for site, seq in log}
        assert not applied_ids & set(held), "a change is both applied and held"

    @rule(a=replica_index, b=replica_index)
    @step
    def exchange(self, a, b):
        self.do_exchange(a, b)

    def do_exchange(self, a, b):
        """A complete sync session between two replicas, both ways."""
        (_, first), (_, second) = self.replica(a), self.replica(b)
        for src, dst in ((first, second), (second, first)):
            result = dst.apply_remote([wire_copy(c) for c in src.changes()])
            self.stats["held"] += len(result.held)

    # -- clocks and restarts ------------------------------------------------------------------

    @rule(r=replica_index, how=st.sampled_from(["tick", "ahead", "back", "catch up"]),
          minutes=st.sampled_from([1, 4, 10, 60, 24 * 60, 72 * 60]))
    @step
    def move_clock(self, r, how, minutes):
        """Time passes; a laptop clock is set ahead (its changes get held elsewhere) or jumps
        back; or it is corrected to the latest time any laptop has shown."""
        r, store = self.replica(r)
        clock = self.clocks[r]
        if how == "tick":
            clock.set(clock.now + minutes * 1000)  # a few seconds to a day
        elif how == "ahead":
            clock.set(clock.now + minutes * MINUTE)
        elif how == "back":
            clock.set(clock.now - minutes * MINUTE)
        else:
            clock.set(max(c.latest for c in self.clocks))
            store.retry_held()
            assert store.held_changes() == [], "a change is held although no clock is ahead"

    @rule(r=replica_index)
    @step
    def reopen(self, r):
        r, store = self.replica(r)
        store.retry_held()
        persons, cases = self.person_and_case_ids()
        before = observe(store, persons, cases)
        before_log = sorted(log_keys(store))
        before_held = store.held_changes()
        site, top = store.site, max(c.hlc for c in store.changes())
        store.close()
        reopened = Store.open(self.tmp / f"r{r}", PASSPHRASE, wall=self.clocks[r])
        self.stores[r] = reopened
        self.stats["reopen"] += 1
        assert reopened.site == site
        assert observe(reopened, persons, cases) == before
        assert sorted(log_keys(reopened)) == before_log
        assert reopened.held_changes() == before_held
        assert reopened.engine.clock.last >= top, "the HLC must survive a restart"

    # -- the end of every example -------------------------------------------------------------

    def person_and_case_ids(self):
        return [self.ids["p1"], self.ids["p2"]], [self.ids["c1"], self.ids["c2"]]

    def teardown(self):
        try:
            if not self.failed:
                self.final_exchange_and_check()
        finally:
            for store in self.stores:
                store.close()
            shutil.rmtree(self.tmp, ignore_errors=True)

    def final_exchange_and_check(self):
        stores = self.stores
        made = {}  # every change any replica ever made (its own outbox; nothing acknowledged)
        for store in stores:
            made.update({(c.site, c.seq): c for c in store.outbox()})
        # Every replica wrote (at least its own worker record, which the setup never
        # delivers), so if apply_remote were a no-op the logs below could not all equal
        # ``made``.
        assert len({site for site, _ in made}) == len(stores) >= 2
        before = [log_keys(store) for store in stores]
        event("final exchange had work to do" if any(keys != set(made) for keys in before)
              else "replicas were already in sync")
        for name in sorted(self.stats):
            event(f"some {name}")

        latest = max(clock.latest for clock in self.clocks)
        for clock in self.clocks:
            clock.set(latest)
        for _ in range(len(stores) + 1):
            moved = 0
            for dst in stores:
                moved += dst.retry_held().applied
                for src in stores:
                    if src is not dst:
                        moved += dst.apply_remote([wire_copy(c) for c in src.changes()]).applied
            if not moved:
                break
        for store in stores:
            assert store.held_changes() == [], "held changes left after the clocks caught up"

        # every replica now holds exactly every change made, with the same content
        for store in stores:
            assert log_keys(store) == set(made)
            assert {(c.site, c.seq): c for c in store.changes()} == made
        union = list(made.values())

        persons, cases = self.person_and_case_ids()
        states = [observe(store, persons, cases) for store in stores]
        fields = {c[2].split(":")[0] for c in states[0]["conflicts"]}
        event(f"open conflicts at the end: {len(states[0]['conflicts'])} "
              f"({', '.join(sorted(fields)) or 'none'})"[:60])
        for i, state in enumerate(states[1:], 1):
            for part in states[0]:
                assert state[part] == states[0][part], f"replica {i} differs in {part}"

        # a replica that receives everything at once, in a random order, agrees too
        fresh = Store.create(self.tmp / "fresh", PASSPHRASE, kdf=FAST_KDF,
                             wall=Clock(latest))
        try:
            shuffled = union[:]
            random.Random(self.seed).shuffle(shuffled)
            for start in range(0, len(shuffled), 7):
                fresh.apply_remote(shuffled[start:start + 7])
            assert fresh.held_changes() == []
            assert observe(fresh, persons, cases) == states[0]
        finally:
            fresh.close()

        # applying everything again changes nothing
        again = stores[0].apply_remote(union)
        assert again.applied == 0 and again.duplicates == len(union)
        assert observe(stores[0], persons, cases) == states[0]

        self.check_against_model(union, persons, cases)

    def check_against_model(self, union, persons, cases):
        expected = expected_state(union)
        store = self.stores[0]
        for kind in ENTITY_KINDS:
            got = {e.id: e for e in store.list_entities(kind, include_deleted=True)}
            want = expected.entities.get(kind, {})
            assert set(got) == set(want), kind
            for entity_id, entity in got.items():
                assert same(entity.values, want[entity_id]["values"]), (kind, entity_id)
                assert entity.deleted == want[entity_id]["deleted"], (kind, entity_id)
                assert entity.conflicts == want[entity_id]["conflicts"], (kind, entity_id)
        assert set(map(conflict_key, store.open_conflicts())) == expected.conflicts

        # every value ever written is current, in an open conflict, or replaced by a write
        # that had seen it
        named = {op_id for c in union for op_id in c.ctx}
        for c in union:
            if c.is_record:
                continue
            surviving = {v.op_id for v in store.field_values(c.entity, c.entity_id, c.field)}
            assert c.op_id in surviving or c.op_id in named, f"{c.op_id} was lost"

        # visits: exactly the ones made, each with the model's effective values
        visits = {v.id: v for case_id in cases for v in store.visits(case_id)}
        assert set(visits) == self.visits_made == set(expected.visits)
        for visit_id, visit in visits.items():
            want = expected.visits[visit_id]
            assert visit.effective == want["effective"], visit_id
            assert visit.conflicts == want["conflicts"], visit_id

        # consent, on every replica
        for person_id in persons:
            want = expected.consent.get(person_id)
            for replica in self.stores:
                state = replica.consent(person_id)
                if want is None:
                    assert state.status.value == "none"
                    continue
                assert state.status.value == want["status"]
                assert state.granted == want["granted"]
                assert state.withdrawn == want["withdrawn"]
                assert state.flagged == want["flagged"]
            # spelled out: a withdrawal no covering grant has seen is in force everywhere
            events = [c for c in union
                      if c.entity == "consent_event" and c.value["person_id"] == person_id]
            for w in events:
                if w.value["action"] != "withdraw":
                    continue
                for agency in w.value["agencies"] or want["named"]:
                    grants = [g for g in events if g.value["action"] == "grant"
                              and agency in g.value["agencies"]]
                    if not any(w.entity_id in g.ctx for g in grants):
                        for replica in self.stores:
                            assert agency in replica.consent(person_id).withdrawn

        # the case row's copy of the latest visit, also when visits tie on date-time and hlc
        for case_id in cases:
            latest, tied = latest_visit(expected.visits, case_id)
            if tied > 1:
                event("latest visit decided by the tie-break")
            summaries = {case_summary(replica, case_id) for replica in self.stores}
            assert len(summaries) == 1
            if latest is not None:
                eff = expected.visits[latest]["effective"]
                assert {(s[0], s[3]) for s in summaries} == {
                    (eff["occurred_at"], eff["relationship_stage"])}
            # the next action is the case's own register (a visit without one keeps it), the
            # same winner everywhere; during a conflict the greatest (hlc, site) is shown
            values = self.stores[0].field_values("case", case_id, "follow_up")
            shown = (values[0].value.get("action"), values[0].value.get("due")) if values \
                else (None, None)
            assert {(s[1], s[2]) for s in summaries} == {shown}


TestReplication = Replication.TestCase
TestReplication.settings = settings.get_profile(PROFILE)


# --------------------------------------------------------------------------------------------
# deterministic examples with two stores
# --------------------------------------------------------------------------------------------


@pytest.fixture
def pair(tmp_path):
    clocks = [Clock(), Clock()]
    stores = [
        Store.create(tmp_path / "a", PASSPHRASE, kdf=FAST_KDF, worker_name="佐藤 花子",
                     wall=clocks[0]),
        Store.create(tmp_path / "b", PASSPHRASE, kdf=FAST_KDF, worker_name="鈴木 一郎",
                     wall=clocks[1]),
    ]
    yield stores, clocks
    for store in stores:
        store.close()


def sync(a: Store, b: Store) -> None:
    b.apply_remote(a.changes())
    a.apply_remote(b.changes())


def shared_person(a: Store, b: Store) -> str:
    person = a.add_person("山田 太郎", "やまだ たろう", "北区")
    sync(a, b)
    return person


def test_concurrent_edits_conflict_then_a_resolution_settles_both(pair):
    (a, b), _ = pair
    person = shared_person(a, b)
    a.update("person", person, {"name": "山田 太朗"})
    b.update("person", person, {"name": "山田 多郎"})
    sync(a, b)
    for store in (a, b):
        [conflict] = store.open_conflicts()
        assert (conflict.entity, conflict.entity_id, conflict.field) == ("person", person, "name")
        assert {(v.value, v.author) for v in conflict.values} == {
            ("山田 太朗", a.author), ("山田 多郎", b.author)}
        assert "name" in store.get("person", person).conflicts
    # the shown value is the same on both: the greatest (hlc, site)
    assert a.get("person", person)["name"] == b.get("person", person)["name"]

    b.resolve_conflict("person", person, "name", "山田 太郎")
    sync(a, b)
    for store in (a, b):
        assert store.open_conflicts() == []
        assert store.get("person", person)["name"] == "山田 太郎"


def test_two_concurrent_resolutions_make_a_new_conflict(pair):
    (a, b), _ = pair
    person = shared_person(a, b)
    a.update("person", person, {"district": "南区"})
    b.update("person", person, {"district": "東区"})
    sync(a, b)
    a.resolve_conflict("person", person, "district", "南区")
    b.resolve_conflict("person", person, "district", "西区")
    sync(a, b)
    for store in (a, b):
        [conflict] = store.open_conflicts()
        assert {v.value for v in conflict.values} == {"南区", "西区"}


def test_edit_concurrent_with_archive_stays_deleted_until_restored(pair):
    (a, b), _ = pair
    person = shared_person(a, b)
    a.archive("person", person)
    b.update("person", person, {"name": "山田 太朗"})
    sync(a, b)
    for store in (a, b):
        entity = store.get("person", person, include_deleted=True)
        assert entity.deleted and ALIVE in entity.conflicts
        assert entity["name"] == "山田 太朗"  # the edit is kept, not lost under the tombstone
        [conflict] = store.open_conflicts()
        assert conflict.field == ALIVE and {v.value for v in conflict.values} == {True, False}
        with pytest.raises(NotFound):
            store.get("person", person)
    b.restore("person", person)
    sync(a, b)
    for store in (a, b):
        entity = store.get("person", person)
        assert not entity.deleted and entity.conflicts == () and entity["name"] == "山田 太朗"


def test_edit_vs_delete_conflict_can_be_settled_as_deleted(pair):
    """Settling an edit-vs-delete conflict in favour of the deletion closes it (the entity is
    shown deleted meanwhile, which must not make ``resolve_conflict`` refuse it)."""
    (a, b), _ = pair
    person = shared_person(a, b)
    a.archive("person", person)
    b.update("person", person, {"name": "山田 太朗"})
    sync(a, b)
    a.resolve_conflict("person", person, ALIVE, False)
    sync(a, b)
    for store in (a, b):
        entity = store.get("person", person, include_deleted=True)
        assert entity.deleted and entity.conflicts == ()
        assert store.open_conflicts() == []


def test_concurrent_grant_and_withdrawal_is_withdrawn_and_flagged(pair):
    (a, b), _ = pair
    person = a.add_person("山田 太郎", "やまだ たろう", "北区")
    agency = a.add_agency("福祉課")
    a.record_consent(person, agencies=[agency], method="written")
    sync(a, b)
    assert b.consent(person).granted == {agency}
    a.record_consent(person, agencies=[agency], method="oral")
    b.record_withdrawal(person, agencies=[agency], method="oral")
    sync(a, b)
    for store in (a, b):
        state = store.consent(person)
        assert state.status.value == "withdrawn"
        assert state.withdrawn == {agency} and state.flagged == {agency}
        assert not state.covers({agency})
        assert f"consent:{agency}" in {c.field for c in store.open_conflicts()}
    # a grant that saw both settles it
    a.record_consent(person, agencies=[agency], method="written")
    sync(a, b)
    for store in (a, b):
        assert store.consent(person).granted == {agency}
        assert store.open_conflicts() == []


def test_a_change_from_a_clock_an_hour_ahead_is_held_then_applied(pair):
    (a, b), clocks = pair
    person = shared_person(a, b)
    clocks[0].set(clocks[0].now + HOUR)
    [change] = [c for c in a.update("person", person, {"district": "南区"}) if c.field != ALIVE]
    result = b.apply_remote(a.changes())
    assert change.op_id in dict(result.held)
    held = dict(b.held_changes())
    assert change.op_id in held and "ahead" in held[change.op_id]
    assert b.get("person", person)["district"] == "北区"
    assert b.apply_remote(a.changes()).applied == 0  # still held, not lost or duplicated

    clocks[1].set(clocks[1].now + HOUR - MINUTE)  # within five minutes of a's clock now
    assert b.retry_held().applied >= 1
    assert b.held_changes() == []
    assert b.get("person", person)["district"] == "南区"


def test_latest_visit_is_the_same_on_every_replica_when_visits_tie(pair):
    """Two visits with the same date-time and the same HLC (different sites) are ordered the
    same way on every replica, whatever order they arrived in, so every case row shows the
    same "latest visit"."""
    (a, b), _ = pair
    household = a.create_household("山田家", "北区")
    case = a.open_case(referral_source="sns", district="北区", household_id=household,
                       opened_on="2025-05-01")
    sync(a, b)
    for store, action in ((a, "再訪問"), (b, "電話をかける")):
        store.record_visit(case, occurred_at="2025-06-01T10:00+09:00", kind="phone",
                           met_with="person", relationship_stage="met_person",
                           next_action=action)
    [mine], [theirs] = a.visits(case), b.visits(case)
    assert mine.recorded_hlc == theirs.recorded_hlc  # equal clocks: equal HLCs on both sites
    sync(a, b)
    assert [v.id for v in a.visits(case)] == [v.id for v in b.visits(case)]
    assert case_summary(a, case) == case_summary(b, case)


def test_one_batched_page_equals_the_changes_one_at_a_time(pair, tmp_path):
    """A pulled page is applied in a few batched statements: the same change twice in it, a
    change already stored and a change held aside count as before, and every derived table
    (visits, order, case summary, conflicts, search, 名寄せ keys) ends as if the changes had
    arrived one by one."""
    (a, b), clocks = pair
    household = a.create_household("山田家", "北区")
    person = a.add_person("山田 太郎", "やまだ たろう", "北区", household_id=household)
    case = a.open_case(referral_source="sns", district="北区", person_id=person,
                       opened_on="2025-05-01")
    for day in range(1, 7):
        a.record_visit(case, occurred_at=f"2025-06-0{day}T10:00+09:00", kind="home_visit",
                       met_with="person", relationship_stage="met_person",
                       narrative=f"{day}回目の訪問。畑の話をした。", next_action="再訪問")
    visit = a.visits(case)[0].id
    a.amend_visit(visit, {"narrative": "畑で話せた"}, reason="聞き違い")
    a.update("person", person, {"district": "南区", "name": "山田 太朗"})
    changes = a.changes()
    b.apply_remote(changes[:3])  # some already stored
    clocks[0].set(clocks[0].now + HOUR)
    [ahead] = [c for c in a.update("case", case, {"referral_note": "先の時計"})
               if c.field != ALIVE]

    page = [*changes, changes[5], ahead]
    result = b.apply_remote(page)
    assert (result.applied, result.duplicates) == (len(changes) - 3, 3 + 1)
    assert [op for op, _ in result.held] == [ahead.op_id]

    one_by_one = Store.create(tmp_path / "c", PASSPHRASE, kdf=FAST_KDF)
    for change in changes:
        one_by_one.apply_remote([change])
    tables = ("visits", "visit_order", "visit_amendments", "persons", "cases", "open_conflicts",
              "person_keys", "search_docs")
    for table in tables:
        rows = f"SELECT * FROM {table} ORDER BY 1, 2"
        if table == "search_docs":  # the document ids differ between stores
            rows = "SELECT entity, entity_id, folded FROM search_docs ORDER BY 1, 2"
        assert b.db.execute(rows).fetchall() == one_by_one.db.execute(rows).fetchall(), table
    for query in ("畑", "畑で話", "太朗", "やまだ"):  # (ranked by each store's own doc ids)
        assert {(h.entity, h.entity_id) for h in b.search(query)} == {
            (h.entity, h.entity_id) for h in one_by_one.search(query)}, query
    assert b.search("畑で話") and case_summary(b, case)[1] == "再訪問"
    one_by_one.close()
