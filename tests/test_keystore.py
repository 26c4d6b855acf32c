"""Envelope encryption: the key file, Argon2id parameters and atomic passphrase changes."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from support import FAST_KDF, PASSPHRASE

from outreach_desk import keystore
from outreach_desk.errors import KeyFileDamaged, WeakPassphrase, WrongPassphrase
from outreach_desk.store import Store

NEW = "あたらしい あいことば 77"


def test_key_file_records_versioned_parameters_and_wraps_a_random_key(tmp_path):
    path = tmp_path / "k"
    key = keystore.create_key_file(path, PASSPHRASE, FAST_KDF)
    document = json.loads(path.read_text())
    assert document["format"] == "outreach-desk-keyfile" and document["version"] == 1
    assert document["kdf"]["name"] == "argon2id"
    assert document["kdf"]["memory_kib"] == FAST_KDF.memory_kib
    assert document["cipher"] == "AES-256-GCM"
    assert key.hex() not in path.read_text() and len(key) == 32
    assert keystore.unwrap_data_key(path, PASSPHRASE) == key
    other = keystore.create_key_file(tmp_path / "k2", PASSPHRASE, FAST_KDF)
    assert other != key  # random per store


def test_default_parameters_are_the_documented_ones():
    assert keystore.DEFAULT_KDF == keystore.KdfParams(memory_kib=131072, iterations=3, lanes=4)


def test_real_parameters_unlock(tmp_path):
    """The shipped Argon2id cost, end to end (about half a second here)."""
    path = tmp_path / "k"
    key = keystore.create_key_file(path, PASSPHRASE)
    assert keystore.kdf_params(path) == keystore.DEFAULT_KDF
    assert keystore.unwrap_data_key(path, PASSPHRASE) == key


def test_wrong_passphrase(tmp_path):
    path = tmp_path / "k"
    keystore.create_key_file(path, PASSPHRASE, FAST_KDF)
    with pytest.raises(WrongPassphrase):
        keystore.unwrap_data_key(path, PASSPHRASE + " ")


def test_tampered_parameters_are_detected(tmp_path):
    """Editing the stored KDF cost is reported as a damaged file; recomputing the checksum as
    well still yields no key (the header is authenticated)."""
    path = tmp_path / "k"
    keystore.create_key_file(path, PASSPHRASE, FAST_KDF)
    document = json.loads(path.read_text())
    document["kdf"]["iterations"] = 2
    path.write_text(json.dumps(document))
    with pytest.raises(KeyFileDamaged, match="checksum"):
        keystore.unwrap_data_key(path, PASSPHRASE)
    document["checksum"] = keystore._checksum(document)
    path.write_text(json.dumps(document))
    with pytest.raises(WrongPassphrase):
        keystore.unwrap_data_key(path, PASSPHRASE)


@pytest.mark.parametrize("text", ["", "{}", "not json", '{"format": "outreach-desk-keyfile"}'])
def test_damaged_key_file(tmp_path, text):
    path = tmp_path / "k"
    path.write_text(text)
    with pytest.raises(KeyFileDamaged):
        keystore.unwrap_data_key(path, PASSPHRASE)


def test_short_passphrase_refused(tmp_path):
    with pytest.raises(WeakPassphrase):
        keystore.create_key_file(tmp_path / "k", "short", FAST_KDF)
    assert not (tmp_path / "k").exists()


def test_composed_and_decomposed_kana_are_the_same_passphrase(tmp_path):
    import unicodedata

    phrase = "がっこうのうらやま 2026"
    path = tmp_path / "k"
    key = keystore.create_key_file(path, unicodedata.normalize("NFD", phrase), FAST_KDF)
    assert keystore.unwrap_data_key(path, unicodedata.normalize("NFC", phrase)) == key


def test_change_passphrase_rewraps_only_the_key(make_store):
    store = make_store()
    person = store.add_person("山田 太郎", "やまだ たろう", "野尻")
    store.close()
    db_before = store.db_path.read_bytes()
    store.change_passphrase(PASSPHRASE, NEW)
    assert store.db_path.read_bytes() == db_before
    with pytest.raises(WrongPassphrase):
        Store.open(store.data_dir, PASSPHRASE)
    with Store.open(store.data_dir, NEW) as reopened:
        assert reopened.get("person", person)["name"] == "山田 太郎"


def test_change_passphrase_with_wrong_old_changes_nothing(make_store):
    store = make_store()
    store.close()
    before = store.key_path.read_bytes()
    with pytest.raises(WrongPassphrase):
        store.change_passphrase("definitely wrong!", NEW)
    assert store.key_path.read_bytes() == before


def test_crash_before_rename_keeps_the_old_passphrase(make_store, monkeypatch):
    store = make_store()
    store.close()

    def crash(*args):
        raise OSError("simulated power cut before rename")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError, match="simulated"):
        store.change_passphrase(PASSPHRASE, NEW)
    monkeypatch.undo()
    Store.open(store.data_dir, PASSPHRASE).close()
    with pytest.raises(WrongPassphrase):
        Store.open(store.data_dir, NEW)


def test_crash_after_rename_before_directory_sync_has_the_new_passphrase(make_store, monkeypatch):
    store = make_store()
    store.close()
    from outreach_desk import atomic

    def crash(path):
        raise OSError("simulated power cut after rename")

    monkeypatch.setattr(atomic, "fsync_dir", crash)
    with pytest.raises(OSError, match="simulated"):
        store.change_passphrase(PASSPHRASE, NEW)
    monkeypatch.undo()
    Store.open(store.data_dir, NEW).close()


FLIPPER = r"""
import sys
from outreach_desk import keystore
path, a, b = sys.argv[1:4]
current, other = a, b
print("ready", flush=True)
while True:
    keystore.change_passphrase(__import__("pathlib").Path(path), current, other)
    current, other = other, current
"""


def test_sigkill_during_passphrase_changes_leaves_exactly_one_working(make_store):
    """A process changes the passphrase back and forth and is killed at random moments:
    afterwards exactly one of the two passphrases opens the store, with the same data."""
    store = make_store()
    person = store.add_person("山田 太郎", "やまだ たろう", "野尻")
    store.close()
    root = Path(__file__).resolve().parents[1]
    for round_ in range(10):
        child = subprocess.Popen(
            [sys.executable, "-c", FLIPPER, str(store.key_path), PASSPHRASE, NEW],
            stdout=subprocess.PIPE, cwd=root, text=True,
        )
        assert child.stdout.readline().strip() == "ready"
        time.sleep(0.005 * (round_ % 7))
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
        working = []
        for candidate in (PASSPHRASE, NEW):
            try:
                with Store.open(store.data_dir, candidate) as reopened:
                    assert reopened.get("person", person)["name"] == "山田 太郎"
                working.append(candidate)
            except WrongPassphrase:
                pass
        assert len(working) == 1, f"round {round_}: {len(working)} passphrases work"
        if working[0] == NEW:  # put it back so the child's starting assumption holds
            store.change_passphrase(NEW, PASSPHRASE)
