"""Demo data (デモデータ): the texts of a visit record, assembled from the phrase tables.

Each function draws from the demo's seeded random generator, so the texts depend only on the
seed and on the order the writer in :mod:`outreach_desk.demo` calls them in.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from .demo_plan import Case
from .demo_text import (
    ACCOMPANY_BODY,
    ACCOMPANY_OPEN,
    AGENCY_BODY,
    AGENCY_OPEN,
    FAMILY_BODY,
    FAMILY_OPEN,
    HOKATSU,
    HOME_NOBODY_DID,
    HOME_NOBODY_OPEN,
    HOME_NOBODY_SEEN,
    LETTER_BODY,
    LETTER_OPEN,
    NEXT_FAMILY,
    NEXT_NOBODY,
    NEXT_PERSON,
    OFFICE_OPEN,
    PERSON_BODY,
    PERSON_OPEN,
    PHONE_FAMILY,
    PHONE_NOBODY,
    PHONE_PERSON,
    PHONE_PERSON_BODY,
    PLACES,
    REACTION_FAMILY,
    REACTION_NEGATIVE,
    REACTION_NOBODY,
    REACTION_PERSON,
    SETBACK,
    SHAKYO,
)
from .vocab import MetWith, VisitKind


def fill(rng: random.Random, template: str, case: Case, **extra: str) -> str:
    """``template`` with the case's hobby, family member, a place, an agency… put in."""
    values = {
        "hobby": case.hobby[0], "hobby_detail": case.hobby[1], "avoid": case.avoid,
        "fam": case.family, "place": rng.choice(PLACES),
        "agency": rng.choice((HOKATSU[case.district], "民生委員", SHAKYO,
                              "小林市生活自立相談支援センター", "にしもろ基幹相談支援センター")),
        "tp": "", "later": "",
    }
    values.update(extra)
    return template.format(**values)


def visit_narrative(rng: random.Random, case: Case, kind: VisitKind, met: MetWith, setback: bool,
                    hour: int, first: bool) -> str:
    """What a visit's record says happened."""
    tp = "午前中" if hour < 12 else "昼過ぎ" if hour < 15 else "夕方"
    parts: list[str] = []
    if kind == VisitKind.HOME_VISIT and met == MetWith.NOBODY:
        parts = [rng.choice(HOME_NOBODY_OPEN), rng.choice(HOME_NOBODY_SEEN),
                 HOME_NOBODY_DID[0] if first and case.index == 0
                 else rng.choice(HOME_NOBODY_DID)]
    elif kind == VisitKind.HOME_VISIT and met == MetWith.FAMILY:
        parts = [rng.choice(FAMILY_OPEN), *rng.sample(FAMILY_BODY, 2)]
    elif kind == VisitKind.HOME_VISIT:
        parts = [rng.choice(PERSON_OPEN), *rng.sample(PERSON_BODY, 2)]
    elif kind == VisitKind.ACCOMPANY:
        parts = [rng.choice(ACCOMPANY_OPEN), *rng.sample(ACCOMPANY_BODY, 2)]
    elif kind == VisitKind.PHONE:
        if met == MetWith.NOBODY:
            parts = [rng.choice(PHONE_NOBODY)]
        elif met == MetWith.FAMILY:
            parts = [rng.choice(PHONE_FAMILY), rng.choice(FAMILY_BODY)]
        else:
            parts = [rng.choice(PHONE_PERSON), rng.choice(PHONE_PERSON_BODY)]
    elif kind == VisitKind.LETTER:
        parts = [rng.choice(LETTER_OPEN), rng.choice(LETTER_BODY)]
    elif kind == VisitKind.OFFICE_VISIT:
        parts = [rng.choice(OFFICE_OPEN), *rng.sample(PERSON_BODY, 2)]
    else:
        parts = [rng.choice(AGENCY_OPEN), rng.choice(AGENCY_BODY)]
    if setback:
        parts.append(rng.choice(SETBACK) if met == MetWith.PERSON else
                     "この1か月、訪問しても応答のない状態が続いている。")
    if first:
        parts.insert(0, "初回訪問。")
    return fill(rng, "".join(parts), case, tp=tp)


def visit_reaction(rng: random.Random, case: Case, met: MetWith, setback: bool) -> str:
    """How the person or family reacted (often nothing, when nobody was met)."""
    if met == MetWith.PERSON:
        pool = REACTION_NEGATIVE if setback else REACTION_PERSON
    elif met == MetWith.FAMILY:
        pool = REACTION_FAMILY
    else:
        pool = REACTION_NOBODY
    return fill(rng, rng.choice(pool), case)


def visit_next_action(rng: random.Random, case: Case, met: MetWith,
                      day: date) -> tuple[str | None, date | None]:
    """The next step and its due date (either may be missing)."""
    roll = rng.random()
    days = rng.choice((3, 7, 7, 10, 14, 14, 21, 28))
    pool = {MetWith.NOBODY: NEXT_NOBODY, MetWith.AGENCY: NEXT_NOBODY,
            MetWith.FAMILY: NEXT_FAMILY}.get(met, NEXT_PERSON)
    action = fill(rng, rng.choice(pool), case, later=_later(days))
    if roll < 0.2:
        return None, None
    if roll < 0.3:
        return action, None
    return action, day + timedelta(days=days)


def _later(days: int) -> str:
    return {7: "1週間後に", 14: "2週間後に", 21: "3週間後に", 28: "4週間後に"}.get(
        days, f"{days}日後に")


__all__ = ["fill", "visit_narrative", "visit_next_action", "visit_reaction"]
