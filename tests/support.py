"""Constants shared by the tests (import as ``from support import ...``)."""

from outreach_desk.keystore import KdfParams

# Argon2id at its cheapest legal cost: tests that need the real parameters say so.
FAST_KDF = KdfParams(memory_kib=8192, iterations=1, lanes=1)
PASSPHRASE = "やまなみ と きりしま 2026"
