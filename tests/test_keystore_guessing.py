"""Guessing the passphrase of a copied key file: no wrong guess opens it, and every guess pays for
a full Argon2id derivation with the parameters written in the file (the figures for the real
parameters are in ``bench/bench_bruteforce.py``).
"""

from __future__ import annotations

import json
import unicodedata

import pytest
from support import FAST_KDF, PASSPHRASE

from outreach_desk import keystore
from outreach_desk.errors import WrongPassphrase

WRONG = [
    "password", "123456", "sakura2026", "やまなみ と きりしま 2025", PASSPHRASE + " ",
    " " + PASSPHRASE, PASSPHRASE[:-1], PASSPHRASE.upper() + "x", PASSPHRASE.replace(" ", ""),
    "", "x" * 1000, unicodedata.normalize("NFKC", "ｙａｍａｎａｍｉ"),
] + [f"common-{n}" for n in range(40)]


@pytest.fixture
def counted(monkeypatch):
    """Every Argon2id instance the key store makes, with its parameters."""
    made: list[dict] = []
    real = keystore.Argon2id

    def recording(**kwargs):
        made.append(kwargs)
        return real(**kwargs)

    monkeypatch.setattr(keystore, "Argon2id", recording)
    return made


def test_no_wrong_passphrase_unwraps_and_each_guess_runs_the_kdf(tmp_path, counted):
    key_file = tmp_path / "outreach-desk.key"
    data_key = keystore.create_key_file(key_file, PASSPHRASE, FAST_KDF)
    salt = json.loads(key_file.read_text())["kdf"]["salt"]
    counted.clear()
    for guess in WRONG:
        with pytest.raises(WrongPassphrase):
            keystore.unwrap_data_key(key_file, guess)
    assert len(counted) == len(WRONG)  # one full derivation per guess, none skipped
    for kwargs in counted:
        assert (kwargs["memory_cost"], kwargs["iterations"], kwargs["lanes"]) == (
            FAST_KDF.memory_kib, FAST_KDF.iterations, FAST_KDF.lanes)
        assert keystore._b64(kwargs["salt"]) == salt
    assert keystore.unwrap_data_key(key_file, PASSPHRASE) == data_key  # the right one does


def test_a_key_file_with_its_cost_lowered_opens_for_nobody(tmp_path, counted):
    """An attacker cannot make guessing cheaper by editing the parameters in the file."""
    key_file = tmp_path / "outreach-desk.key"
    keystore.create_key_file(key_file, PASSPHRASE, keystore.KdfParams(16384, 2, 1))
    document = json.loads(key_file.read_text())
    document["kdf"]["memory_kib"], document["kdf"]["iterations"] = 8192, 1
    document["checksum"] = keystore._checksum(document)  # an attacker recomputes it
    key_file.write_text(json.dumps(document))
    counted.clear()
    with pytest.raises(WrongPassphrase):
        keystore.unwrap_data_key(key_file, PASSPHRASE)
    assert [kwargs["memory_cost"] for kwargs in counted] == [8192]
