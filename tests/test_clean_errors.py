"""Clean errors on the laptop: a full disk, a damaged key file, edited Argon2id parameters and a
damaged page of a search index each give one clear line (and an exit status) from the command
line, and lose nothing. The desktop app's messages for the same files are in
``tests/test_ui_open_errors.py``.

The full disk is real where it can be (``tests/full_disk.py``): a small tmpfs mounted for the
test; else a simulated one, named as such there.
"""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from full_disk import SmallDisk, disk  # noqa: F401 (fixture)
from support import FAST_KDF, PASSPHRASE

from outreach_desk import keystore
from outreach_desk.errors import KdfCostRefused, KeyFileDamaged, StoreCorrupt, WrongPassphrase
from outreach_desk.paths import DB_FILE, KEY_FILE
from outreach_desk.store import Store

ROOT = Path(__file__).resolve().parent.parent
NEW_PASSPHRASE = "あたらしい あいことば 2027"
EXIT_DAMAGED, EXIT_DISK_FULL = 65, 74


def desk(*args: str | Path, stdin: str = "", disk: SmallDisk | None = None):  # noqa: F811
    env = {**os.environ, "PYTHONUTF8": "1",
           "OUTREACH_DESK_DATA_DIR": str(ROOT / "tests" / "no-such-default-store")}
    return subprocess.run(
        [sys.executable, "-m", "outreach_desk.cli", *map(str, args)], cwd=ROOT, env=env,
        input=stdin, capture_output=True, text=True, encoding="utf-8", timeout=120,
        preexec_fn=disk.preexec if disk else None)


def one_line(result, status: int) -> str:
    assert "Traceback" not in result.stderr, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert result.returncode == status, result.stderr
    return lines[0]


def counts_of(data_dir: Path) -> dict:
    result = desk("check", "--data-dir", data_dir, stdin=PASSPHRASE + "\n")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["integrity"] == "ok"
    return report["counts"]


def filled_store(folder: Path) -> Path:
    with Store.create(folder, PASSPHRASE, kdf=FAST_KDF, worker_name="佐藤 花子") as store:
        with store.batch():
            for i in range(30):
                store.add_person(f"山田 {i}", "やまだ", "野尻")
    return folder


# -- a full disk --------------------------------------------------------------------------------


def test_a_full_disk_stops_a_big_write_with_one_line_and_loses_nothing(disk):  # noqa: F811
    data_dir = filled_store(disk.root / "store")
    before = counts_of(data_dir)
    disk.fill(leave=256 * 1024)  # room to open the store, not for 300 demo cases
    result = desk("demo", "--cases", "300", "--data-dir", data_dir, stdin=PASSPHRASE + "\n",
                  disk=disk)
    assert "disk is full" in one_line(result, EXIT_DISK_FULL)
    disk.free()
    after = counts_of(data_dir)  # the integrity check passes
    # the demo's cases are one transaction: none of them half-written; what was there stays
    assert after["case"] == before["case"] == 0 and after["visit"] == 0
    assert after["person"] == before["person"] == 30
    with Store.open(data_dir, PASSPHRASE) as store:
        assert sorted(p["name"] for p in store.list_entities("person")) == sorted(
            f"山田 {i}" for i in range(30))


def test_a_full_disk_during_passwd_keeps_the_old_passphrase(disk):  # noqa: F811
    data_dir = filled_store(disk.root / "store")
    key_before = (data_dir / KEY_FILE).read_bytes()
    disk.fill()
    result = desk("passwd", "--data-dir", data_dir, stdin=f"{PASSPHRASE}\n{NEW_PASSPHRASE}\n",
                  disk=disk)
    assert "disk is full" in one_line(result, EXIT_DISK_FULL)
    disk.free()
    assert (data_dir / KEY_FILE).read_bytes() == key_before
    assert sorted(p.name for p in data_dir.iterdir() if p.name.startswith(".")) == []
    assert counts_of(data_dir)["person"] == 30


def test_a_full_disk_during_init_leaves_no_half_made_store(disk):  # noqa: F811
    disk.fill()
    data_dir = disk.root / "new"
    result = desk("init", "--data-dir", data_dir, stdin=PASSPHRASE + "\n", disk=disk)
    assert "disk is full" in one_line(result, EXIT_DISK_FULL)
    assert not (data_dir / KEY_FILE).exists() and not (data_dir / DB_FILE).exists()


def test_a_full_disk_during_backup_leaves_no_partial_file(disk):  # noqa: F811
    data_dir = filled_store(disk.root / "store")
    target = disk.root / "backups" / "b.odbackup"
    target.parent.mkdir()
    disk.fill(leave=(data_dir / DB_FILE).stat().st_size // 2)  # room to open, not to copy
    result = desk("backup", "--data-dir", data_dir, "--to", target, stdin=PASSPHRASE + "\n",
                  disk=disk)
    assert "disk is full" in one_line(result, EXIT_DISK_FULL)
    assert not target.exists()
    assert [p.name for p in target.parent.iterdir()] == []  # no staging folder left behind
    disk.free()
    assert counts_of(data_dir)["person"] == 30


def test_a_disk_too_full_to_open_the_store_is_one_line(disk):  # noqa: F811
    data_dir = filled_store(disk.root / "store")
    disk.fill()  # not even room for the shared-memory file SQLite makes at open
    result = desk("check", "--data-dir", data_dir, stdin=PASSPHRASE + "\n", disk=disk)
    assert "disk is full" in one_line(result, EXIT_DISK_FULL)
    disk.free()
    assert counts_of(data_dir)["person"] == 30


# -- a damaged key file -------------------------------------------------------------------------


def _flip_base64(text: str) -> str:
    raw = bytearray(base64.b64decode(text))
    raw[len(raw) // 2] ^= 0x01
    return base64.b64encode(bytes(raw)).decode()


def _edit(document: dict, how: str) -> dict:
    if how == "wrapped-key-bit":
        document["wrapped_key"] = _flip_base64(document["wrapped_key"])
    elif how == "salt-bit":
        document["kdf"]["salt"] = _flip_base64(document["kdf"]["salt"])
    elif how == "nonce-bit":
        document["nonce"] = _flip_base64(document["nonce"])
    elif how == "memory-edited":
        document["kdf"]["memory_kib"] = 16384
    elif how == "cipher-dropped":
        del document["cipher"]
    return document


@pytest.mark.parametrize("damage", [
    pytest.param(lambda b: b[: len(b) // 2], id="truncated"),
    pytest.param(lambda b: b"", id="emptied"),
    pytest.param(lambda b: b"\xff\xfe" + b[2:], id="not-utf8"),
    pytest.param(lambda b: b"[1, 2, 3]", id="a-json-list"),
    *[pytest.param(lambda b, how=how: json.dumps(_edit(json.loads(b), how)).encode(), id=how)
      for how in ("wrapped-key-bit", "salt-bit", "nonce-bit", "memory-edited",
                  "cipher-dropped")],
])
def test_a_damaged_key_file_says_so_and_not_wrong_passphrase(make_store, damage):
    store = make_store()
    store.close()
    store.key_path.write_bytes(damage(store.key_path.read_bytes()))
    with pytest.raises(KeyFileDamaged, match="damaged|not an Outreach Desk key file") as caught:
        Store.open(store.data_dir, PASSPHRASE)
    assert not isinstance(caught.value, WrongPassphrase)
    line = one_line(desk("check", "--data-dir", store.data_dir, stdin=PASSPHRASE + "\n"),
                    EXIT_DAMAGED)
    assert KEY_FILE in line and "damaged" in line and "passphrase" not in line


def test_a_sound_key_file_still_tells_a_wrong_passphrase(make_store):
    store = make_store()
    store.close()
    with pytest.raises(WrongPassphrase):
        Store.open(store.data_dir, "まちがった あいことば 99")
    line = one_line(desk("check", "--data-dir", store.data_dir,
                         stdin="まちがった あいことば 99\n"), 1)
    assert "passphrase is not correct" in line


def test_a_key_file_written_before_checksums_still_opens(make_store):
    store = make_store()
    store.close()
    document = json.loads(store.key_path.read_text())
    del document["checksum"]
    store.key_path.write_text(json.dumps(document, indent=2))
    Store.open(store.data_dir, PASSPHRASE).close()
    with pytest.raises(WrongPassphrase):  # without a checksum a blob cannot be told apart
        Store.open(store.data_dir, PASSPHRASE + "x")
    store.change_passphrase(PASSPHRASE, NEW_PASSPHRASE)  # re-written with a checksum
    assert "checksum" in json.loads(store.key_path.read_text())


# -- edited Argon2id parameters -----------------------------------------------------------------


@pytest.fixture
def argon2_runs(monkeypatch):
    """The Argon2id derivations the key store starts (the real ones, counted)."""
    made: list[dict] = []
    real = keystore.Argon2id

    def counting(**kwargs):
        made.append(kwargs)
        return real(**kwargs)

    monkeypatch.setattr(keystore, "Argon2id", counting)
    return made


@pytest.mark.parametrize(("field", "value", "said"), [
    ("memory_kib", 64 << 20, "memory"),  # 64 GiB
    ("memory_kib", 2**32 - 1, "memory"),
    ("iterations", 100_000, "passes"),
    ("lanes", 0, "lanes"),
    ("lanes", 1024, "lanes"),
    ("memory_kib", 4, "memory"),  # below Argon2id's own floor
])
@pytest.mark.parametrize("with_checksum", [True, False], ids=["checksum-recomputed", "legacy"])
def test_a_cost_outside_the_ceiling_is_refused_before_argon2_runs(
        make_store, argon2_runs, field, value, said, with_checksum):
    store = make_store()
    store.close()
    document = json.loads(store.key_path.read_text())
    document["kdf"][field] = value
    del document["checksum"]
    if with_checksum:
        document["checksum"] = keystore._checksum(document)
    store.key_path.write_text(json.dumps(document))
    argon2_runs.clear()
    with pytest.raises(KdfCostRefused, match=said):
        Store.open(store.data_dir, PASSPHRASE)
    assert argon2_runs == []
    line = one_line(desk("check", "--data-dir", store.data_dir, stdin=PASSPHRASE + "\n"),
                    EXIT_DAMAGED)
    assert "refuses to run" in line


@pytest.mark.parametrize("value", ["131072", 3.5, True, None, [1]])
def test_a_parameter_of_the_wrong_type_is_damage(make_store, argon2_runs, value):
    store = make_store()
    store.close()
    document = json.loads(store.key_path.read_text())
    document["kdf"]["iterations"] = value
    document["checksum"] = keystore._checksum(document)
    store.key_path.write_text(json.dumps(document))
    argon2_runs.clear()
    with pytest.raises(KeyFileDamaged, match="damaged"):
        Store.open(store.data_dir, PASSPHRASE)
    assert argon2_runs == []


def test_no_key_file_is_written_with_a_cost_above_the_ceiling(tmp_path):
    with pytest.raises(KdfCostRefused):
        keystore.create_key_file(tmp_path / "k", PASSPHRASE,
                                 keystore.KdfParams(memory_kib=8 << 20, iterations=3, lanes=4))
    assert not (tmp_path / "k").exists()


def test_the_shipped_cost_is_inside_the_ceiling():
    keystore.KDF_LIMITS.check(keystore.DEFAULT_KDF, "default")  # raises if not


# -- a damaged page of a search index -----------------------------------------------------------


def _damage_page_of(store: Store, table: str) -> None:
    """Flip one byte inside the page that holds ``table`` (SQLCipher then refuses the page)."""
    root = store.db.execute("SELECT rootpage FROM sqlite_master WHERE name = ?",
                            (table,)).fetchone()[0]
    page_size = store.db.execute("PRAGMA page_size").fetchone()[0]
    store.db.checkpoint()
    store.close()
    data = bytearray(store.db_path.read_bytes())
    data[(int(root) - 1) * int(page_size) + 100] ^= 0xFF
    store.db_path.write_bytes(bytes(data))


def test_a_damaged_search_index_page_reads_as_damaged(make_store):
    store = make_store()
    with store.batch():
        for i in range(200):
            store.add_person(f"山田 {i}", "やまだ", "野尻")
    _damage_page_of(store, "search_grams_config")
    with Store.open(store.data_dir, PASSPHRASE) as reopened:
        with pytest.raises(StoreCorrupt, match="damaged") as caught:
            reopened.search("山")  # one character: answered by search_grams
        assert "restore it from a backup" in str(caught.value)
        assert "vtable constructor failed: search_grams" in str(caught.value)  # the cause
    line = one_line(desk("search", "山", "--data-dir", store.data_dir,
                         stdin=PASSPHRASE + "\n"), EXIT_DAMAGED)
    assert "damaged" in line
    line = one_line(desk("check", "--data-dir", store.data_dir, stdin=PASSPHRASE + "\n"),
                    EXIT_DAMAGED)
    assert "damaged" in line

