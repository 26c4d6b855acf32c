"""A laptop restored from an older backup of itself, then synced (real stores on disk, real
backup files, a real server process on loopback).

The backup holds the laptop's own device id and credential. Its changes made after the backup
(and synced) are on the server, under sequence numbers the restored store has not used yet.
"""

from __future__ import annotations

import pytest
from support import PASSPHRASE, visit_fields
from sync_fixtures import sync_server  # noqa: F401 (fixture)

from outreach_desk.backup import create_backup, restore_backup
from outreach_desk.store import Store
from sync.client import SyncClient, SyncError


def _visit(store, case, summary):
    return store.record_visit(case, **visit_fields(narrative=summary))


@pytest.fixture
def laptops(make_store, sync_server, tmp_path):  # noqa: F811
    laptop = make_store("laptop", worker_name="佐藤 花子")
    office = make_store("office", worker_name="田中 推進員")
    sync_server.enroll(laptop, login="sato")
    sync_server.enroll(office, login="tanaka")
    person = laptop.add_person("山田 太郎", "やまだ たろう", "野尻")
    case = laptop.open_case(referral_source="sns", district="野尻", person_id=person)
    return laptop, office, case, tmp_path


def _restore(backup, tmp_path) -> Store:
    restore_backup(backup, tmp_path / "restored", PASSPHRASE)
    return Store.open(tmp_path / "restored", PASSPHRASE)


def _summaries(store, case):
    return sorted(v["narrative"] for v in store.case_history(case).visits)


def test_restored_then_synced_before_writing_gets_its_later_work_back(
        laptops, sync_server):  # noqa: F811
    laptop, office, case, tmp = laptops
    _visit(laptop, case, "一回目")
    SyncClient(laptop, sync_server.url).sync_once()
    create_backup(laptop, tmp / "b.odbackup")
    _visit(laptop, case, "二回目（バックアップの後）")
    SyncClient(laptop, sync_server.url).sync_once()
    laptop.close()  # the disk dies

    restored = _restore(tmp / "b.odbackup", tmp)
    try:
        assert _summaries(restored, case) == ["一回目"]
        SyncClient(restored, sync_server.url).sync_once()
        assert _summaries(restored, case) == ["一回目", "二回目（バックアップの後）"]
        _visit(restored, case, "三回目（復元の後）")
        SyncClient(restored, sync_server.url).sync_once()
        SyncClient(office, sync_server.url).sync_once()
        assert _summaries(office, case) == [
            "一回目", "三回目（復元の後）", "二回目（バックアップの後）"]
        assert restored.pending_count() == 0
    finally:
        restored.close()


def test_restored_with_unsent_changes_in_the_backup_syncs_them_once(
        laptops, sync_server):  # noqa: F811
    laptop, office, case, tmp = laptops
    SyncClient(laptop, sync_server.url).sync_once()
    _visit(laptop, case, "未送信のままバックアップ")
    create_backup(laptop, tmp / "b.odbackup")
    SyncClient(laptop, sync_server.url).sync_once()
    _visit(laptop, case, "バックアップの後")
    SyncClient(laptop, sync_server.url).sync_once()
    laptop.close()

    restored = _restore(tmp / "b.odbackup", tmp)
    try:
        assert restored.pending_count() > 0
        SyncClient(restored, sync_server.url).sync_once()
        assert _summaries(restored, case) == ["バックアップの後", "未送信のままバックアップ"]
        _visit(restored, case, "復元の後")
        SyncClient(restored, sync_server.url).sync_once()
        SyncClient(office, sync_server.url).sync_once()
        assert _summaries(office, case) == [
            "バックアップの後", "復元の後", "未送信のままバックアップ"]
        assert restored.pending_count() == 0
    finally:
        restored.close()


def test_restored_and_written_offline_before_syncing_loses_nothing(
        laptops, sync_server):  # noqa: F811
    laptop, office, case, tmp = laptops
    SyncClient(laptop, sync_server.url).sync_once()
    create_backup(laptop, tmp / "b.odbackup")
    _visit(laptop, case, "バックアップの後")
    SyncClient(laptop, sync_server.url).sync_once()
    laptop.close()

    restored = _restore(tmp / "b.odbackup", tmp)
    try:
        _visit(restored, case, "復元の後、同期の前")
        pending = restored.pending_count()
        # its new visit took the number of the server's "バックアップの後": taking the server's
        # acknowledgement for it would drop it unsent. Refused instead, with nothing acked.
        with pytest.raises(SyncError, match="古い状態") as failed:
            SyncClient(restored, sync_server.url).sync_once()
        assert "differs" in failed.value.detail
        assert restored.pending_count() == pending
        assert _summaries(restored, case) == ["復元の後、同期の前"]
        SyncClient(office, sync_server.url).sync_once()
        assert _summaries(office, case) == ["バックアップの後"]
    finally:
        restored.close()


def test_a_write_during_the_first_sync_after_a_restore_takes_a_new_number(
        laptops, sync_server):  # noqa: F811
    laptop, office, case, tmp = laptops
    SyncClient(laptop, sync_server.url).sync_once()
    create_backup(laptop, tmp / "b.odbackup")
    for n in range(3):
        _visit(laptop, case, f"バックアップの後 {n}")
    SyncClient(laptop, sync_server.url).sync_once()
    server_acked = laptop.sync_state()["last_seq"]
    laptop.close()

    restored = _restore(tmp / "b.odbackup", tmp)
    try:
        # the acknowledgement arrives before the pull that brings the changes back: a visit
        # written in between must not take a number the server holds
        restored.record_ack(server_acked)
        assert restored.sync_state()["last_seq"] == server_acked
        _visit(restored, case, "同期の途中で")
        SyncClient(restored, sync_server.url).sync_once()
        SyncClient(office, sync_server.url).sync_once()
        assert _summaries(office, case) == [
            "バックアップの後 0", "バックアップの後 1", "バックアップの後 2", "同期の途中で"]
        assert _summaries(restored, case) == _summaries(office, case)
    finally:
        restored.close()
