"""Which records a change names: every reference field of every record kind, read from the
domain model's metadata (``outreach_desk.model.ENTITIES``: a field with ``ref``), so a record
kind added there is checked by the server without a line here.

A change names records in two ways: a field write of a mutable entity names the record its
value points at (a note's ``case_id``, a case's ``person_id``), and an immutable record (field
``*``) names them in its dict (a visit's ``case_id``, an amendment's ``visit_id``, a meeting's
or a disclosure's ``case_ids``). A list field names each id in it; a list of dicts (a plan's
``roles``) names each dict's ``…_id`` values. A supervision comment's ``target_id`` names a
visit, a note or a plan (its ``target_kind``): ``DYNAMIC_REFS``.

An entity this server's model does not know (a newer client's) is read by its field names: a
``case_id``/``visit_id``/``person_id``/``household_id`` names that kind, ``case_ids`` cases.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from outreach_desk.changes import RECORD
from outreach_desk.model import COMMENT_TARGETS, ENTITIES

# a field whose kind is decided by another field of the record: any of these kinds
DYNAMIC_REFS: dict[tuple[str, str], tuple[str, ...]] = {
    ("comment", "target_id"): COMMENT_TARGETS,
}
# how a field of an entity this server does not know is read
GUESSED = {"case_id": ("case",), "visit_id": ("visit",), "person_id": ("person",),
           "household_id": ("household",), "case_ids": ("case",), "plan_id": ("plan",)}


@cache
def reference_fields() -> dict[str, dict[str, tuple[str, ...]]]:
    """entity → field → the kinds of record its value may name."""
    found: dict[str, dict[str, tuple[str, ...]]] = {}
    for spec in ENTITIES.values():
        for fspec in spec.fields:
            if fspec.ref is not None:
                found.setdefault(spec.name, {})[fspec.name] = (fspec.ref,)
    for (entity, name), kinds in DYNAMIC_REFS.items():
        found.setdefault(entity, {})[name] = kinds
    return found


def _ids(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        ids: list[str] = []
        for item in value:
            if isinstance(item, str):
                ids.append(item)
            elif isinstance(item, dict):  # e.g. a plan role {"agency_id": …, "role": …}
                ids.extend(v for k, v in item.items()
                           if isinstance(k, str) and k.endswith("_id") and isinstance(v, str))
        return ids
    return []


def references(entity: Any, fld: Any, value: Any) -> list[tuple[str, str]]:
    """(kind, id) of every record ``value`` names (a kind of ``DYNAMIC_REFS`` once per kind)."""
    fields = reference_fields().get(entity) if isinstance(entity, str) else None
    if fields is None:
        fields = {} if entity in ENTITIES else GUESSED
    named: list[tuple[str, str]] = []
    if fld == RECORD and isinstance(value, dict):
        for name, kinds in fields.items():
            for ref_id in _ids(value.get(name)):
                named.extend((kind, ref_id) for kind in kinds)
    elif isinstance(fld, str) and fld in fields:
        for ref_id in _ids(value):
            named.extend((kind, ref_id) for kind in fields[fld])
    return named


__all__ = ["DYNAMIC_REFS", "reference_fields", "references"]
