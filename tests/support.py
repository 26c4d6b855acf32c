"""Constants and helpers shared by the tests (import as ``from support import ...``)."""

from datetime import datetime, timedelta

from outreach_desk.keystore import KdfParams

# Argon2id at its cheapest legal cost: tests that need the real parameters say so.
FAST_KDF = KdfParams(memory_kib=8192, iterations=1, lanes=1)
PASSPHRASE = "やまなみ と きりしま 2026"


def recent(hours_ago: float) -> str:
    """A local date-time ``hours_ago`` hours before now (whole seconds, ISO format)."""
    return (datetime.now() - timedelta(hours=hours_ago)).replace(microsecond=0).isoformat()


def visit_fields(**overrides):
    """Keyword arguments for ``Store.record_visit``: a valid visit two hours ago."""
    fields = dict(
        occurred_at=recent(2),
        kind="home_visit",
        met_with="person",
        relationship_stage="met_person",
        narrative="玄関先で短く話せた。",
    )
    fields.update(overrides)
    return fields
