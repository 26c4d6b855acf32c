"""Algebraic properties of the merge rules (outreach_desk.merge), checked with hypothesis.

The operations are not random sets of contexts: they are produced by simulated replicas that
write with the context a real store would give them (the survivors they see, or for consent
the whole causal history they know) and exchange arbitrary, possibly non-causal, subsets of
what they know. Each simulated op remembers what its writer knew, which gives an oracle that
does not share code with the merge module.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from outreach_desk.changes import canonical
from outreach_desk.merge import (
    ConsentOp,
    Op,
    consent_state,
    effective_visit,
    is_alive,
    is_conflict,
    survivors,
    winner,
)
from outreach_desk.vocab import ConsentAction, ConsentStatus

settings.register_profile(
    "merge-algebra",
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
ALGEBRA = settings.get_profile("merge-algebra")

# Values chosen so that equal values written concurrently happen (they are not a conflict),
# including values whose canonical forms must be compared rather than Python equality.
VALUES = st.sampled_from(["山田", "佐藤", "ﾔﾏﾀﾞ", "", None, 0, 1, True, False, [1, 2], {"a": 1}])
SITES = st.lists(
    st.text("0123456789abcdef", min_size=2, max_size=4), min_size=1, max_size=4, unique=True
)


# --------------------------------------------------------------------------------------------
# a causal simulator of replicas writing one register
# --------------------------------------------------------------------------------------------


@dataclass
class Replica:
    site: str
    known: dict[str, object] = field(default_factory=dict)  # op id -> op
    last_hlc: int = 0
    seq: int = 0


@dataclass
class History:
    ops: list  # every op written, in writing order
    knew: dict[str, frozenset[str]]  # op id -> ids its writer knew when writing it
    replicas: list[Replica]


# One simulation step, drawn as a single tuple of small integers (fast to generate, shrinks
# well): (is_write, replica, other replica, value index, timestamp step, delivery mask).
STEPS = st.lists(
    st.tuples(
        st.booleans(),
        st.integers(0, 7),
        st.integers(0, 7),
        st.integers(0, 63),
        st.sampled_from([1, 1, 2, 3, 1000]),
        st.integers(0, 2**32 - 1),
    ),
    min_size=1,
    max_size=30,
)


def _tick(replica: Replica, step: int) -> int:
    """An HLC-like timestamp: above everything the replica issued or received. Small steps make
    equal timestamps on different sites common (the site breaks the tie); some are jumps."""
    observed = max([replica.last_hlc, *(op.hlc for op in replica.known.values())])
    replica.last_hlc = observed + step
    return replica.last_hlc


def _deliver(src: dict, dst: dict, mask: int) -> None:
    """Copy an arbitrary subset of one replica's ops to another (interrupted, out of order)."""
    ids = sorted(src)
    chosen = [op_id for i, op_id in enumerate(ids) if mask >> (i % 31) & 1]
    if mask >> 31 & 1:
        chosen.reverse()
    for op_id in chosen:
        dst[op_id] = src[op_id]


@st.composite
def register_histories(draw, values=VALUES) -> History:
    replicas = [Replica(site) for site in draw(SITES)]
    value_list = draw(st.lists(values, min_size=1, max_size=4))
    ops, knew = [], {}
    for is_write, r, other, v, step, mask in draw(STEPS):
        replica = replicas[r % len(replicas)]
        if is_write:
            ctx = frozenset(op.id for op in survivors(replica.known.values()))
            replica.seq += 1
            op = Op(
                f"{replica.site}:{replica.seq}",
                ctx,
                _tick(replica, step),
                replica.site,
                value_list[v % len(value_list)],
                author=f"worker-{replica.site}",
            )
            knew[op.id] = frozenset(replica.known)
            replica.known[op.id] = op
            ops.append(op)
        else:
            _deliver(replica.known, replicas[other % len(replicas)].known, mask)
    return History(ops, knew, replicas)


def shuffled_with_duplicates(draw, items: list) -> list:
    extra = draw(st.lists(st.sampled_from(items), max_size=len(items))) if items else []
    return draw(st.permutations(items + extra))


def _key(op: Op) -> tuple:
    return (op.hlc, op.site)


# --------------------------------------------------------------------------------------------
# registers: survivors, winner, is_conflict
# --------------------------------------------------------------------------------------------


@ALGEBRA
@given(st.data())
def test_register_results_are_functions_of_the_set_of_ops(data):
    history = data.draw(register_histories())
    reference = survivors(history.ops)
    again = survivors(shuffled_with_duplicates(data.draw, history.ops))
    assert again == reference
    assert winner(again) == winner(reference)
    assert is_conflict(again) == is_conflict(reference)
    assert is_alive(again) == is_alive(reference)
    # every replica's partial view too
    for replica in history.replicas:
        view = list(replica.known.values())
        assert survivors(shuffled_with_duplicates(data.draw, view)) == survivors(view)


@ALGEBRA
@given(register_histories())
def test_survivors_are_exactly_the_ops_no_writer_had_seen(history):
    """Oracle: an op survives iff no op in the set was written by someone who knew it."""
    result = survivors(history.ops)
    known_by_someone = set().union(*history.knew.values())
    expected = {op.id for op in history.ops if op.id not in known_by_someone}
    assert {op.id for op in result} == expected
    assert len(result) == len({op.id for op in result})  # duplicates collapse
    # ordered greatest (hlc, site) first, so the winner is the maximum
    assert [_key(op) for op in result] == sorted((_key(op) for op in result), reverse=True)
    if result:
        assert winner(result) == max(result, key=_key)
        distinct = {canonical(op.value) for op in result}
        assert is_conflict(result) == (len(distinct) > 1)
    else:
        assert winner(result) is None and not is_conflict(result)
    # nothing is ever lost: each op survives or is named in the context of another op
    named = set().union(*(op.ctx for op in history.ops))
    for op in history.ops:
        assert op.id in expected or op.id in named


@ALGEBRA
@given(register_histories(), st.data())
def test_a_write_that_saw_every_survivor_settles_the_register(history, data):
    replica = data.draw(st.sampled_from(history.replicas))
    for other in history.replicas:  # this replica first receives everything
        replica.known.update(other.known)
    current = survivors(replica.known.values())
    value = data.draw(VALUES)
    resolution = Op(
        f"{replica.site}:{replica.seq + 1}",
        frozenset(op.id for op in current),
        _tick(replica, 1),
        replica.site,
        value,
    )
    after = survivors([*replica.known.values(), resolution])
    assert after == [resolution]
    assert not is_conflict(after)
    assert winner(after).value == value


@ALGEBRA
@given(register_histories(), st.data())
def test_two_concurrent_resolutions_make_a_new_conflict(history, data):
    everything = {op.id: op for op in history.ops}
    current = survivors(everything.values())
    ctx = frozenset(op.id for op in current)
    a, b = data.draw(
        st.lists(st.sampled_from(["山田", "佐藤", "鈴木"]), min_size=2, max_size=2, unique=True)
    )
    top = max((op.hlc for op in history.ops), default=0)
    first = Op("x-site:1", ctx, top + data.draw(st.integers(1, 5)), "x-site", a)
    second = Op("y-site:1", ctx, top + data.draw(st.integers(1, 5)), "y-site", b)
    merged = survivors([*everything.values(), second, first])
    assert {op.id for op in merged} == {first.id, second.id}
    assert is_conflict(merged)
    assert winner(merged) == max(first, second, key=_key)
    # the same value chosen on both sides is not a conflict
    same = Op("y-site:1", ctx, second.hlc, "y-site", a)
    assert not is_conflict(survivors([*everything.values(), first, same]))


@ALGEBRA
@given(register_histories(values=st.booleans()), st.data())
def test_deletion_wins_while_the_tombstone_is_concurrent(history, data):
    """``_alive`` register: deleted iff some surviving op is a deletion, in any order."""
    current = survivors(data.draw(st.permutations(history.ops)))
    assert is_alive(current) == all(op.value is True for op in current)
    # an undelete that saw every survivor brings it back
    if current:
        undelete = Op("z:1", frozenset(op.id for op in current), 10**9, "z", True)
        assert is_alive(survivors([*history.ops, undelete]))


# --------------------------------------------------------------------------------------------
# consent: an event log with transitive causal contexts, as the store writes them
# --------------------------------------------------------------------------------------------

AGENCIES = ["ag-1", "ag-2", "ag-3"]


@dataclass
class ConsentHistory:
    events: list[ConsentOp]
    replicas: list[dict[str, ConsentOp]]


@st.composite
def consent_histories(draw) -> ConsentHistory:
    replicas: list[dict[str, ConsentOp]] = [{} for _ in range(draw(st.integers(1, 4)))]
    events: list[ConsentOp] = []
    for step, (is_write, r, other, pick, _, mask) in enumerate(draw(STEPS)):
        known = replicas[r % len(replicas)]
        if is_write:
            # the store's rule: ctx = every event known, plus everything those events had seen
            ctx = frozenset(known).union(*(e.ctx for e in known.values()))
            action = ConsentAction.GRANT if pick & 1 else ConsentAction.WITHDRAW
            agencies = frozenset(a for i, a in enumerate(AGENCIES) if pick >> (i + 1) & 1)
            if action is ConsentAction.GRANT and not agencies:
                agencies = frozenset({AGENCIES[pick % len(AGENCIES)]})  # a grant names some
            # (an empty withdrawal means every agency)
            event = ConsentOp(f"ev-{step}", action, agencies, ctx)
            known[event.id] = event
            events.append(event)
        else:
            _deliver(known, replicas[other % len(replicas)], mask)
    return ConsentHistory(events, replicas)


def _covers(event: ConsentOp, agency: str) -> bool:
    if event.action is ConsentAction.WITHDRAW and not event.agencies:
        return True
    return agency in event.agencies


def expected_consent(events: list[ConsentOp]):
    """Oracle written from the rule in the spec, not from merge.consent_state.

    Per agency, a withdrawal is in force until a grant covering that agency has the withdrawal
    in its causal context; a grant that no covering event has seen, alongside a withdrawal in
    force, is a concurrent grant and withdrawal (flagged).
    """
    named = {agency for e in events for agency in e.agencies}
    withdrawn, flagged = set(), set()
    for agency in named:
        grants = [e for e in events if e.action is ConsentAction.GRANT and _covers(e, agency)]
        covering = [e for e in events if _covers(e, agency)]
        in_force = [
            w
            for w in covering
            if w.action is ConsentAction.WITHDRAW and not any(w.id in g.ctx for g in grants)
        ]
        if in_force:
            withdrawn.add(agency)
            if any(not any(g.id in e.ctx for e in covering) for g in grants):
                flagged.add(agency)
    granted = named - withdrawn
    any_withdrawal = any(e.action is ConsentAction.WITHDRAW for e in events)
    if not events:
        status = ConsentStatus.NONE
    elif not granted:
        status = ConsentStatus.WITHDRAWN if any_withdrawal else ConsentStatus.NONE
    elif withdrawn:
        status = ConsentStatus.PARTIAL
    else:
        status = ConsentStatus.GRANTED
    return status, frozenset(granted), frozenset(withdrawn), frozenset(flagged)


@ALGEBRA
@given(st.data())
def test_consent_state_is_a_function_of_the_set_of_events(data):
    history = data.draw(consent_histories())
    reference = consent_state(history.events)
    assert consent_state(shuffled_with_duplicates(data.draw, history.events)) == reference
    for known in history.replicas:
        view = list(known.values())
        assert consent_state(shuffled_with_duplicates(data.draw, view)) == consent_state(view)


@ALGEBRA
@given(consent_histories())
def test_consent_state_matches_the_spec_oracle(history):
    for events in [history.events, *(list(known.values()) for known in history.replicas)]:
        state = consent_state(events)
        status, granted, withdrawn, flagged = expected_consent(events)
        assert (state.status, state.granted, state.withdrawn, state.flagged) == (
            status,
            granted,
            withdrawn,
            flagged,
        )
        assert state.granted.isdisjoint(state.withdrawn)
        assert state.flagged <= state.withdrawn


@ALGEBRA
@given(consent_histories())
def test_a_withdrawal_no_covering_grant_has_seen_is_always_in_force(history):
    events = history.events
    state = consent_state(events)
    named = {agency for e in events for agency in e.agencies}
    for w in events:
        if w.action is not ConsentAction.WITHDRAW:
            continue
        if not w.agencies and not named:
            assert state.status is ConsentStatus.WITHDRAWN
        for agency in w.agencies or named:
            grants = [
                g for g in events if g.action is ConsentAction.GRANT and agency in g.agencies
            ]
            if not any(w.id in g.ctx for g in grants):
                assert agency in state.withdrawn, (agency, w)
                assert agency not in state.granted
                assert not state.covers({agency})


@ALGEBRA
@given(consent_histories(), st.data())
def test_concurrent_grant_and_withdrawal_is_withdrawn_and_flagged(history, data):
    """Two replicas that know the same history record a grant and a withdrawal concurrently."""
    events = history.events
    ctx = frozenset(e.id for e in events).union(*(e.ctx for e in events))
    agency = data.draw(st.sampled_from(AGENCIES))
    grant = ConsentOp("g-new", ConsentAction.GRANT, frozenset({agency}), ctx)
    withdraw_all = data.draw(st.booleans())
    withdrawal = ConsentOp(
        "w-new",
        ConsentAction.WITHDRAW,
        frozenset() if withdraw_all else frozenset({agency}),
        ctx,
    )
    state = consent_state(data.draw(st.permutations([*events, grant, withdrawal])))
    assert agency in state.withdrawn and agency in state.flagged
    assert agency not in state.granted
    # a later grant that has seen both settles it
    settle = ConsentOp(
        "g-settle", ConsentAction.GRANT, frozenset({agency}), ctx | {grant.id, withdrawal.id}
    )
    settled = consent_state([*events, grant, withdrawal, settle])
    assert agency in settled.granted and agency not in settled.flagged


# --------------------------------------------------------------------------------------------
# visit amendments
# --------------------------------------------------------------------------------------------

AMENDABLE = ["narrative", "reaction", "next_action", "occurred_at"]
ORIGINAL = {
    "case_id": "case-1",
    "occurred_at": "2025-01-01T10:00+09:00",
    "kind": "home_visit",
    "narrative": "原文",
    "reaction": None,
    "next_action": None,
}


@st.composite
def amendment_histories(draw) -> History:
    """Amendments as the store writes them: ctx = the amendment ids the replica holds."""
    replicas = [Replica(site) for site in draw(SITES)]
    ops, knew = [], {}
    for is_write, r, other, pick, step, mask in draw(STEPS):
        replica = replicas[r % len(replicas)]
        if is_write:
            fields = [name for i, name in enumerate(AMENDABLE) if pick >> i & 1]
            fields = fields or [AMENDABLE[pick % len(AMENDABLE)]]
            changes = {name: ["甲", "乙", "丙"][(mask + i) % 3] for i, name in enumerate(fields)}
            replica.seq += 1
            op = Op(
                f"{replica.site}:{replica.seq}",
                frozenset(replica.known),
                _tick(replica, step),
                replica.site,
                changes,
            )
            knew[op.id] = frozenset(replica.known)
            replica.known[op.id] = op
            ops.append(op)
        else:
            _deliver(replica.known, replicas[other % len(replicas)].known, mask)
    return History(ops, knew, replicas)


@ALGEBRA
@given(st.data())
def test_effective_visit_is_order_independent(data):
    history = data.draw(amendment_histories())
    reference = effective_visit(dict(ORIGINAL), history.ops)
    again = effective_visit(dict(ORIGINAL), shuffled_with_duplicates(data.draw, history.ops))
    assert again == reference
    for replica in history.replicas:
        view = list(replica.known.values())
        assert effective_visit(ORIGINAL, data.draw(st.permutations(view))) == effective_visit(
            ORIGINAL, view
        )


@ALGEBRA
@given(amendment_histories())
def test_effective_visit_applies_the_register_rule_per_field(history):
    original = dict(ORIGINAL)
    effective, conflicts = effective_visit(original, history.ops)
    assert original == ORIGINAL  # the original is never modified
    assert list(conflicts) == sorted(conflicts)
    expected_conflicts = []
    for name in sorted(set(ORIGINAL) | set(AMENDABLE)):
        touching = [op for op in history.ops if name in op.value]
        if not touching:
            assert effective.get(name) == ORIGINAL.get(name)
            continue
        # survivors for this field: amendments of it no amendment of it was written knowing
        alive = [
            op
            for op in touching
            if not any(op.id in history.knew[other.id] for other in touching)
        ]
        top = max(alive, key=_key)
        assert effective[name] == top.value[name]
        if len({canonical(op.value[name]) for op in alive}) > 1:
            expected_conflicts.append(name)
    assert list(conflicts) == expected_conflicts
