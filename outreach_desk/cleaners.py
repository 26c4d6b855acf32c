"""Value cleaners: one function per kind of field value (text, kana, year, date, date and
time, choice from a vocabulary, record id, list, plan roles, case stage). Each takes the field's
name and a value, and returns the value cleaned or raises a
:class:`~outreach_desk.errors.ValidationError` naming the field.

:mod:`outreach_desk.model` names the cleaner of every field of every kind of record.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

from .errors import ValidationError
from .vocab import CaseStage, MetWith, Vocab, met_with_set

MAX_FUTURE = timedelta(days=1)  # a visit cannot be dated further ahead than this


def _text(max_len: int) -> Callable[[str, Any], str]:
    def clean(name: str, value: Any) -> str:
        if not isinstance(value, str):
            raise ValidationError(name, "type", "must be text")
        value = unicodedata.normalize("NFC", value).strip()
        if len(value) > max_len:
            raise ValidationError(name, "too_long", f"must be at most {max_len} characters")
        return value

    return clean


def _kana(name: str, value: Any) -> str:
    value = _text(100)(name, value)
    for char in value:
        if char.isspace() or char in "ー・゛゜ﾞﾟ":
            continue
        script = unicodedata.name(char, "")
        if not ("HIRAGANA" in script or "KATAKANA" in script):
            raise ValidationError(name, "kana", "must be written in hiragana or katakana")
    return value


def _birth_year(name: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        if isinstance(value, str) and value.strip().isdecimal():
            value = int(unicodedata.normalize("NFKC", value.strip()))
        else:
            raise ValidationError(name, "type", "must be a year such as 1975")
    if not 1900 <= value <= date.today().year:
        raise ValidationError(name, "range", f"must be between 1900 and {date.today().year}")
    return value


def _date(name: str, value: Any) -> str:
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, str):
        try:
            value = date.fromisoformat(unicodedata.normalize("NFKC", value.strip()))
        except ValueError:
            raise ValidationError(name, "date", "must be a date written YYYY-MM-DD") from None
    if not isinstance(value, date):
        raise ValidationError(name, "date", "must be a date")
    return value.isoformat()


def _datetime(name: str, value: Any) -> str:
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(unicodedata.normalize("NFKC", value.strip()))
        except ValueError:
            raise ValidationError(name, "datetime", "must be a date and time") from None
    if not isinstance(value, datetime):
        raise ValidationError(name, "datetime", "must be a date and time")
    if value.tzinfo is None:
        value = value.astimezone()  # the laptop's local zone, made explicit
    if value - datetime.now(value.tzinfo) > MAX_FUTURE:
        raise ValidationError(name, "future", "cannot be more than a day in the future")
    return value.isoformat(timespec="minutes")


def _vocab(kind: type[Vocab]) -> Callable[[str, Any], str]:
    def clean(name: str, value: Any) -> str:
        if isinstance(value, str) and not isinstance(value, Vocab):
            value = unicodedata.normalize("NFKC", value).strip()
        try:
            return kind.parse(value).value
        except ValueError:
            raise ValidationError(
                name, "choice", f"must be one of {[m.value for m in kind]}"
            ) from None

    return clean


def _ref(name: str, value: Any) -> str:
    if not isinstance(value, str) or not 1 <= len(value) <= 64:
        raise ValidationError(name, "ref", "must be the id of an existing record")
    return value


def _ref_list(name: str, value: Any) -> list[str]:
    if not isinstance(value, (list, tuple)):
        raise ValidationError(name, "type", "must be a list of ids")
    cleaned = [_ref(name, item) for item in value]
    if len(set(cleaned)) != len(cleaned):
        raise ValidationError(name, "duplicate", "lists the same record twice")
    return cleaned


def _text_list(name: str, value: Any) -> list[str]:
    if not isinstance(value, (list, tuple)):
        raise ValidationError(name, "type", "must be a list of texts")
    cleaned = [_text(500)(name, item) for item in value]
    if any(not item for item in cleaned):
        raise ValidationError(name, "empty_item", "has an empty entry")
    return cleaned


def _roles(name: str, value: Any) -> list[dict[str, str]]:
    if not isinstance(value, (list, tuple)):
        raise ValidationError(name, "type", "must be a list of agency roles")
    cleaned = []
    for item in value:
        if not isinstance(item, dict) or set(item) != {"agency_id", "role"}:
            raise ValidationError(name, "shape", "each role needs agency_id and role")
        role = _text(500)(name, item["role"])
        if not role:
            raise ValidationError(name, "empty_item", "a role has no description")
        cleaned.append({"agency_id": _ref(name, item["agency_id"]), "role": role})
    return cleaned


def _stage(name: str, value: Any) -> dict[str, str]:
    if not isinstance(value, dict) or "stage" not in value or "date" not in value:
        raise ValidationError(name, "shape", "needs a stage and the date it changed")
    return {
        "stage": _vocab(CaseStage)(name, value["stage"]),
        "date": _date(name, value["date"]),
        "reason": _text(1000)(name, value.get("reason", "")),
    }


def _choice(*allowed: str) -> Callable[[str, Any], str]:
    def clean(name: str, value: Any) -> str:
        if value not in allowed:
            raise ValidationError(name, "choice", f"must be one of {list(allowed)}")
        return value

    return clean


def _flag(name: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValidationError(name, "type", "must be true or false")
    return value


def _met_with(name: str, value: Any) -> list[str]:
    """会えた人: a set of codes (or labels), in vocabulary order. One code alone is the shape
    visits had before the set (a laptop not yet upgraded still writes it): read as that set.
    会えず stands alone: an attempt without contact met nobody."""
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, (list, tuple)) or not items:
        raise ValidationError(name, "required", "is required")
    cleaned = []
    for item in items:
        if isinstance(item, str) and not isinstance(item, Vocab):
            item = unicodedata.normalize("NFKC", item).strip()
        try:
            cleaned.append(MetWith.parse(item))
        except ValueError:
            raise ValidationError(
                name, "choice", f"must be some of {[m.value for m in MetWith]}") from None
    met = met_with_set(cleaned)
    if MetWith.NOBODY in met and len(met) > 1:
        raise ValidationError(name, "nobody_alone", "会えず cannot be combined with someone met")
    return [member.value for member in met]


def _minutes(name: str, value: Any) -> int:
    """所要時間 in whole minutes, 1 to 24 hours."""
    if isinstance(value, str) and unicodedata.normalize("NFKC", value).strip().isdecimal():
        value = int(unicodedata.normalize("NFKC", value).strip())
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(name, "type", "must be a number of minutes")
    if not 1 <= value <= 24 * 60:
        raise ValidationError(name, "range", "must be between 1 and 1440 minutes")
    return value


def _follow_up(name: str, value: Any) -> dict[str, Any]:
    """A case's next action (次回の予定): ``action`` and ``due`` (both empty when cleared on
    purpose), and ``done_on`` when the worker marked it 完了."""
    if not isinstance(value, dict) or not set(value) <= {"action", "due", "done_on"}:
        raise ValidationError(name, "shape", "needs an action, a due date or neither")
    action = _text(500)(name, value["action"]) if value.get("action") else None
    due = _date(name, value["due"]) if value.get("due") else None
    done_on = _date(name, value["done_on"]) if value.get("done_on") else None
    if due and not action:
        raise ValidationError(name, "required", "a due date needs the action it is for")
    if done_on and not action:
        raise ValidationError(name, "required", "only a next action can be marked done")
    return {"action": action, "due": due, "done_on": done_on}
