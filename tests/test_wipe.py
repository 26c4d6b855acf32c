"""Remote wipe (端末の消去): after the server revokes a laptop, nothing in its data folder opens.

A real server process on 127.0.0.1, real stores on disk, the real ``outreach-desk`` command for
restore and sync, and the real ``Store.open`` and ``restore_backup`` tried on everything left.
"""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

from support import PASSPHRASE
from sync_fixtures import sync_server  # noqa: F401 (fixture)

from outreach_desk.backup import create_backup, restore_backup
from outreach_desk.erasure import erase_data_folder
from outreach_desk.errors import OutreachDeskError
from outreach_desk.paths import DB_FILE, KEY_FILE
from outreach_desk.store import Store
from sync.client import SyncClient

ROOT = Path(__file__).resolve().parent.parent
KEY_MARKER = b"outreach-desk-keyfile"


def desk(*args: str | Path, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "outreach_desk.cli", *map(str, args)],
                          cwd=ROOT, input=stdin, capture_output=True, text=True, timeout=120)


def admin(server, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "sync.server.cli", "admin", "--db", server.db_url, *args],
        cwd=ROOT, capture_output=True, text=True, timeout=60)


def everything_under(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*"))


def openable(folder: Path, scratch: Path) -> list[str]:
    """Everything under ``folder`` (and ``folder`` itself) that opens with the passphrase:
    each folder as a store, each file as a backup archive."""
    opened = []
    for n, path in enumerate([folder, *everything_under(folder)]):
        if path.is_dir():
            try:
                Store.open(path, PASSPHRASE).close()
                opened.append(str(path.relative_to(folder)))
            except OutreachDeskError:
                pass
        elif zipfile.is_zipfile(path):
            try:
                restore_backup(path, scratch / f"try-{n}", PASSPHRASE)
                opened.append(str(path.relative_to(folder)))
            except OutreachDeskError:
                pass
    return opened


def test_a_revoked_laptop_keeps_no_copy_that_opens(make_store, sync_server, tmp_path):  # noqa: F811
    a = make_store("a", worker_name="佐藤 花子")
    person = a.add_person("山田 太郎", "やまだ たろう", "北区")
    a.open_case(person_id=person, referral_source="minsei_iin", district="北区")
    sync_server.enroll(a, login="sato")
    SyncClient(a, sync_server.url).sync_once()
    folder, site = a.data_dir, a.site
    backup = folder / "backups" / "before-trip.odbackup"  # a backup kept in the data folder
    create_backup(a, backup)
    a.add_person("田中 次郎", "たなか じろう", "南区")  # after the backup: moved aside below
    a.close()

    restored = desk("restore", "--data-dir", folder, "--from", backup, "--overwrite",
                    stdin=PASSPHRASE + "\n")
    assert restored.returncode == 0, restored.stderr
    replaced = [p for p in folder.iterdir() if p.name.startswith("replaced-")]
    assert len(replaced) == 1 and (replaced[0] / KEY_FILE).exists()
    # before the wipe, three things open with the passphrase: that is what must go
    assert sorted(openable(folder, tmp_path / "before")) == sorted(
        [".", replaced[0].name, "backups/before-trip.odbackup"])

    assert admin(sync_server, "revoke-device", site).returncode == 0
    result = desk("sync", "--data-dir", folder, "--server", sync_server.url,
                  stdin=PASSPHRASE + "\n")
    assert result.returncode == 1 and "erased" in result.stderr, result.stderr

    assert openable(folder, tmp_path / "after") == []
    left = everything_under(folder)
    assert [p for p in left if p.is_file() and KEY_MARKER in p.read_bytes()] == []
    assert [p for p in left if p.name.endswith(".key")] == []
    assert left == []  # the folder stays, empty
    assert folder.is_dir()


def test_key_files_are_overwritten_before_they_are_removed(make_store, tmp_path):
    store = make_store("a")
    folder = store.data_dir
    store.close()
    # a second name for the same bytes, outside the folder: it shows what happened to them
    witness = tmp_path / "witness"
    os.link(folder / KEY_FILE, witness)
    original = witness.read_bytes()
    assert KEY_MARKER in original
    erase_data_folder(folder)
    assert not (folder / KEY_FILE).exists()
    after = witness.read_bytes()
    assert len(after) == len(original) and after != original and KEY_MARKER not in after


def test_every_leftover_goes_but_links_are_not_followed(make_store, tmp_path):
    store = make_store("a")
    folder = store.data_dir
    store.close()
    outside = tmp_path / "outside.txt"
    outside.write_text("not the app's", encoding="utf-8")
    (folder / f".{KEY_FILE}.tmp").write_bytes((folder / KEY_FILE).read_bytes())  # torn write
    (folder / f"{DB_FILE}.before-v99").write_bytes((folder / DB_FILE).read_bytes())
    staging = folder / ".restore-abc" / "deeper"
    staging.mkdir(parents=True)
    (staging / KEY_FILE).write_bytes((folder / KEY_FILE).read_bytes())
    (folder / "link-to-outside").symlink_to(outside)
    (folder / "linked-folder").symlink_to(tmp_path, target_is_directory=True)

    report = erase_data_folder(folder)

    assert everything_under(folder) == []
    assert report.key_files == 3
    assert outside.read_text(encoding="utf-8") == "not the app's"
    assert (tmp_path / "outside.txt").exists()


def test_erasing_a_folder_that_is_not_there_does_nothing(tmp_path):
    report = erase_data_folder(tmp_path / "never-made")
    assert report.key_files == report.other_files == 0
    assert not (tmp_path / "never-made").exists()

