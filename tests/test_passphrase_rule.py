"""The passphrase rule (zxcvbn's estimate, in the core): guessable passphrases are refused by
``Store.create``, by a passphrase change and by the ``init`` and ``passwd`` commands alike, each
refusal with a reason; the passphrases the project itself uses pass."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from support import FAST_KDF, PASSPHRASE

from outreach_desk import passphrase_rule as rule
from outreach_desk.errors import WeakPassphrase
from outreach_desk.paths import DB_FILE, KEY_FILE
from outreach_desk.store import Store
from ui.session import DEMO_PASSPHRASE

ROOT = Path(__file__).resolve().parent.parent
GOOD = "あたらしい あいことば 2027"


@pytest.mark.parametrize(("text", "reason"), [
    ("aaaaaaaaaa", rule.REPEAT),
    ("ああああああああああああ", rule.REPEAT),
    ("1212121212121212", rule.REPEAT),
    ("abcdefghijkl", rule.SEQUENCE),
    ("あいうえおかきくけこ", rule.SEQUENCE),
    ("password123456", rule.COMMON),
    ("qwertyuiop1234", rule.COMMON),
    ("みじかい", rule.TOO_SHORT),
    ("a" * 500, rule.REPEAT),  # longer than zxcvbn takes: judged by its start
])
def test_guessable_passphrases_are_refused_with_a_reason(text, reason):
    found = rule.assess(text)
    assert not found.acceptable and found.reason == reason
    with pytest.raises(WeakPassphrase) as caught:
        rule.check(text)
    assert caught.value.reason == reason and "refused" in str(caught.value)


def test_the_workers_own_name_counts_as_guessable():
    assert rule.assess("yamadahanako").acceptable  # zxcvbn does not know this name …
    found = rule.assess("yamadahanako", ["山田 花子", "yamada hanako"])  # … but it is theirs
    assert not found.acceptable and found.reason == rule.PERSONAL


@pytest.mark.parametrize("text", ["あいうあいいうあうあいう", "ねこいぬねこねこいぬいぬねこ"])
def test_few_distinct_characters_are_refused_where_zxcvbn_has_no_japanese(text):
    from zxcvbn import zxcvbn

    assert zxcvbn(text)["score"] >= rule.MIN_SCORE  # zxcvbn alone would let it through
    found = rule.assess(text)
    assert not found.acceptable and found.reason == rule.FEW_CHARACTERS


@pytest.mark.parametrize("text", [
    PASSPHRASE, GOOD, DEMO_PASSPHRASE, "correct horse battery staple", "kirishima-yamanami",
    "ベンチマーク用のパスフレーズ 2026", "x7!Kp2@qLm9#",
])
def test_good_passphrases_pass(text):
    found = rule.assess(text)
    assert found.acceptable and found.score >= rule.MIN_SCORE, found


def test_store_create_applies_the_rule_and_makes_nothing(tmp_path):
    with pytest.raises(WeakPassphrase) as caught:
        Store.create(tmp_path / "s", "aaaaaaaaaa", kdf=FAST_KDF)
    assert caught.value.reason == rule.REPEAT
    assert not (tmp_path / "s" / KEY_FILE).exists() and not (tmp_path / "s" / DB_FILE).exists()
    with pytest.raises(WeakPassphrase) as caught:  # the worker's name, with its team
        Store.create(tmp_path / "t", "satohanako", kdf=FAST_KDF, worker_name="sato hanako",
                     team_name="野尻担当")
    assert caught.value.reason == rule.PERSONAL


def test_a_passphrase_change_applies_the_rule(make_store):
    store = make_store()
    key_before = store.key_path.read_bytes()
    with pytest.raises(WeakPassphrase):
        store.change_passphrase(PASSPHRASE, "aaaaaaaaaa")
    assert store.key_path.read_bytes() == key_before
    store.change_passphrase(PASSPHRASE, GOOD)
    Store.open(store.data_dir, GOOD).close()


def desk(*args: str | Path, stdin: str = ""):
    env = {**os.environ, "PYTHONUTF8": "1",
           "OUTREACH_DESK_DATA_DIR": str(ROOT / "tests" / "no-such-default-store")}
    return subprocess.run([sys.executable, "-m", "outreach_desk.cli", *map(str, args)],
                          cwd=ROOT, env=env, input=stdin, capture_output=True, text=True,
                          encoding="utf-8", timeout=120)


def test_init_refuses_a_guessable_passphrase_in_one_line(tmp_path):
    result = desk("init", "--data-dir", tmp_path / "s", stdin="aaaaaaaaaa\n")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    (line,) = result.stderr.strip().splitlines()
    assert "passphrase is refused" in line and "repeated" in line
    assert not (tmp_path / "s" / KEY_FILE).exists()


def test_passwd_refuses_a_guessable_new_passphrase_in_one_line(tmp_path):
    data_dir = tmp_path / "s"
    Store.create(data_dir, PASSPHRASE, kdf=FAST_KDF).close()
    key_before = (data_dir / KEY_FILE).read_bytes()
    result = desk("passwd", "--data-dir", data_dir, stdin=f"{PASSPHRASE}\npassword123456\n")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    (line,) = result.stderr.strip().splitlines()
    assert "passphrase is refused" in line and "commonly used password" in line
    assert (data_dir / KEY_FILE).read_bytes() == key_before
