"""The real console command (``python -m ui.launcher …``) in subprocesses.

The passphrase is piped on standard input, as scripts and administrators do. Stores made by
``init`` here use the real Argon2id parameters (about half a second per unlock); stores that
only serve as a fixture for another command are made through the API with the fast test KDF.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from support import FAST_KDF, PASSPHRASE

from outreach_desk.keystore import DEFAULT_KDF, kdf_params
from outreach_desk.store import Store

ROOT = Path(__file__).resolve().parent.parent
NEW_PASSPHRASE = "あたらしい あいことば 2027"


def run(*args: str | Path, stdin: str = ""):
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "PYTHONUTF8": "1",
        # never fall back to the real user data folder if --data-dir were lost on the way
        "OUTREACH_DESK_DATA_DIR": str(ROOT / "tests" / "no-such-default-store"),
    }
    return subprocess.run(
        [sys.executable, "-m", "ui.launcher", *map(str, args)],
        input=stdin, capture_output=True, text=True, encoding="utf-8", cwd=ROOT, env=env,
        timeout=120,
    )


def one_line_error(result) -> str:
    """The command failed with exactly one line on stderr and no traceback."""
    assert result.returncode != 0, result
    assert "Traceback" not in result.stderr, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


@pytest.fixture(scope="module")
def initialised(tmp_path_factory):
    """A store made by ``init`` with the real KDF parameters (shared by read-only tests)."""
    data_dir = tmp_path_factory.mktemp("cli") / "store"
    result = run("init", "--data-dir", data_dir, "--worker-name", "佐藤", stdin=PASSPHRASE + "\n")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert str(data_dir) in result.stdout
    return data_dir


def test_init_then_check_reports_integrity_and_counts(initialised):
    assert kdf_params(initialised / "outreach-desk.key") == DEFAULT_KDF
    result = run("check", "--data-dir", initialised, stdin=PASSPHRASE + "\n")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["integrity"] == "ok"
    assert report["counts"]["worker"] == 1
    assert report["counts"]["person"] == 0
    assert report["counts"]["outbox"] == report["counts"]["changes"] > 0
    with Store.open(initialised, PASSPHRASE) as store:
        assert [w["name"] for w in store.list_entities("worker")] == ["佐藤"]
        assert store.author == store.list_entities("worker")[0].id


def test_data_dir_may_come_before_the_command(initialised):
    result = run("--data-dir", initialised, "check", stdin=PASSPHRASE + "\n")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["integrity"] == "ok" and report["counts"]["worker"] == 1


def test_wrong_passphrase_is_one_clear_line(initialised):
    key_before = (initialised / "outreach-desk.key").read_bytes()
    result = run("check", "--data-dir", initialised, stdin="まちがった あいことば 99\n")
    line = one_line_error(result)
    assert "passphrase" in line
    assert result.stdout == ""
    assert (initialised / "outreach-desk.key").read_bytes() == key_before


def test_init_refuses_to_overwrite_an_existing_store(initialised):
    key_before = (initialised / "outreach-desk.key").read_bytes()
    result = run("init", "--data-dir", initialised, stdin=NEW_PASSPHRASE + "\n")
    line = one_line_error(result)
    assert "exists" in line
    assert (initialised / "outreach-desk.key").read_bytes() == key_before
    assert run("check", "--data-dir", initialised, stdin=NEW_PASSPHRASE + "\n").returncode != 0


def test_init_refuses_a_too_short_passphrase(tmp_path):
    data_dir = tmp_path / "store"
    line = one_line_error(run("init", "--data-dir", data_dir, stdin="short\n"))
    assert "passphrase" in line
    assert not (data_dir / "outreach-desk.key").exists()
    assert not (data_dir / "outreach-desk.db").exists()


def test_search_without_a_query_is_a_usage_error(tmp_path):
    result = run("search", "--data-dir", tmp_path, stdin=PASSPHRASE + "\n")
    assert result.returncode == 2
    assert "usage" in result.stderr and "query" in result.stderr
    assert "Traceback" not in result.stderr


def test_missing_store_is_one_clear_line(tmp_path):
    missing = tmp_path / "nowhere"
    line = one_line_error(run("check", "--data-dir", missing, stdin=PASSPHRASE + "\n"))
    assert "init" in line or "no store" in line
    assert not missing.exists()


def test_empty_stdin_is_one_clear_line(tmp_path):
    Store.create(tmp_path / "store", PASSPHRASE, kdf=FAST_KDF).close()
    line = one_line_error(run("check", "--data-dir", tmp_path / "store", stdin=""))
    assert "passphrase" in line


def test_passwd_replaces_the_passphrase(tmp_path):
    data_dir = tmp_path / "store"
    with Store.create(data_dir, PASSPHRASE, worker_name="佐藤", kdf=FAST_KDF) as store:
        store.add_person("山田 太郎", "やまだ たろう", "北区")
    result = run("passwd", "--data-dir", data_dir, stdin=f"{PASSPHRASE}\n{NEW_PASSPHRASE}\n")
    assert result.returncode == 0, result.stderr

    old = run("check", "--data-dir", data_dir, stdin=PASSPHRASE + "\n")
    assert "passphrase" in one_line_error(old)
    new = run("check", "--data-dir", data_dir, stdin=NEW_PASSPHRASE + "\n")
    assert new.returncode == 0, new.stderr
    assert json.loads(new.stdout)["counts"]["person"] == 1


def test_passwd_with_a_wrong_old_passphrase_changes_nothing(tmp_path):
    data_dir = tmp_path / "store"
    Store.create(data_dir, PASSPHRASE, kdf=FAST_KDF).close()
    key_before = (data_dir / "outreach-desk.key").read_bytes()
    result = run("passwd", "--data-dir", data_dir,
                 stdin=f"まちがった あいことば 99\n{NEW_PASSPHRASE}\n")
    assert "passphrase" in one_line_error(result)
    assert (data_dir / "outreach-desk.key").read_bytes() == key_before


def test_passwd_on_a_missing_store_is_one_clear_line(tmp_path):
    missing = tmp_path / "nowhere"
    result = run("passwd", "--data-dir", missing, stdin=f"{PASSPHRASE}\n{NEW_PASSPHRASE}\n")
    one_line_error(result)
    assert not missing.exists()


def test_demo_then_search_by_surname(tmp_path):
    data_dir = tmp_path / "store"
    Store.create(data_dir, PASSPHRASE, worker_name="佐藤", kdf=FAST_KDF).close()
    demo = run("demo", "--cases", "3", "--data-dir", data_dir, stdin=PASSPHRASE + "\n")
    assert demo.returncode == 0, demo.stderr
    json.loads(demo.stdout)

    with Store.open(data_dir, PASSPHRASE) as store:
        assert store.counts()["case"] == 3
        persons = store.list_entities("person")
        assert persons
        name = persons[0]["name"]
        person_ids = {p.id for p in persons}
    surname = name.split()[0] if len(name.split()) > 1 else name[:2]

    result = run("search", surname, "--data-dir", data_dir, stdin=PASSPHRASE + "\n")
    assert result.returncode == 0, result.stderr
    hits = [json.loads(line) for line in result.stdout.splitlines()]
    assert hits
    for hit in hits:
        assert set(hit) == {"entity", "id", "case_ids", "snippet"}
        assert isinstance(hit["case_ids"], list)
    person_hits = [h for h in hits if h["entity"] == "person"]
    assert persons[0].id in {h["id"] for h in person_hits}
    assert {h["id"] for h in person_hits} <= person_ids
    assert any(surname in h["snippet"] for h in person_hits)
