"""The limits of a change's value (``sync.protocol.WireChange``): checked without writing the
value out as JSON when a bound on its length proves it short, with the same verdicts."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from sync.protocol import MAX_JSON_DEPTH, MAX_VALUE_CHARS, WireChange, json_size_bound

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(), inner, max_size=5),
    max_leaves=25)


@settings(max_examples=500, deadline=None)
@given(JSON)
def test_the_bound_is_never_below_the_written_length(value):
    bound = json_size_bound(value)
    try:
        text = json.dumps(value, ensure_ascii=False, allow_nan=False)
    except ValueError:  # NaN or Infinity: the bound must not vouch for it
        assert bound < 0
        return
    assert bound < 0 or len(text) <= bound


def change(value) -> dict:
    return {"site": "dev-a", "seq": 1, "hlc": 1, "entity": "visit", "entity_id": "v1",
            "field": "narrative", "value": value, "ctx": [], "author": "w", "schema": 1}


def test_the_verdicts_at_the_limits_are_the_same():
    exactly = "あ" * (MAX_VALUE_CHARS - 2)  # with its quotes: exactly the limit
    assert WireChange.model_validate(change(exactly)).value == exactly
    control = "\x01" * (MAX_VALUE_CHARS // 6)  # short, but 6 characters each in JSON
    assert WireChange.model_validate(change(control)).value == control
    for too_long in ("あ" * (MAX_VALUE_CHARS - 1), "\x01" * (MAX_VALUE_CHARS // 6 + 1),
                     {"a": ["x" * 50_000, "y" * 50_000]}):
        with pytest.raises(ValidationError, match="longer than"):
            WireChange.model_validate(change(too_long))
    for not_json in (float("nan"), {"a": [float("inf")]}):
        with pytest.raises(ValidationError, match="NaN or Infinity"):
            WireChange.model_validate(change(not_json))
    deep: object = "x"
    for _ in range(MAX_JSON_DEPTH):
        deep = [deep]
    assert WireChange.model_validate(change(deep)).value == deep
    with pytest.raises(ValidationError, match="nested deeper"):
        WireChange.model_validate(change({"a": deep}))
