"""Nothing crosses the network in clear text: the server speaks real TLS on loopback with a
certificate from a test certificate authority (``trustme``), the client verifies it against the
CA kept in the store (or the system's store), refuses another authority's certificate (an
intercepting proxy) and plain HTTP, and neither side speaks below TLS 1.2.
"""

from __future__ import annotations

import socket
import ssl
import subprocess
import sys
from pathlib import Path

import pytest
import trustme
from sync_fixtures import running_server, write_tls_files

from sync.client import SyncClient, SyncError, check_address, enroll

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def authority(tmp_path_factory):
    """The municipality's CA, a certificate it issued for 127.0.0.1, and the files."""
    ca = trustme.CA()
    return (ca, *write_tls_files(ca, tmp_path_factory.mktemp("tls")))


@pytest.fixture
def tls_server(authority, tmp_path):
    _, cert, key, ca_file = authority
    with running_server(f"sqlite:///{tmp_path / 'server.db'}", tmp_path, "--tls-cert", str(cert),
                        "--tls-key", str(key), ca_file=ca_file) as server:
        yield server


def test_a_laptop_enrolls_and_syncs_over_verified_tls(make_store, authority, tls_server):
    ca_pem = authority[3].read_text()
    a = make_store("a", worker_name="佐藤 花子")
    a.add_person("山田 太郎", "やまだ たろう", "北区")
    with pytest.raises(SyncError) as caught:  # the test CA is in no system store
        enroll(a, tls_server.url, tls_server.issue_code("sato"))
    assert caught.value.kind == "refused" and "証明書" in caught.value.message

    a.set_server_ca(ca_pem)  # 設定 → サーバー証明書 (kept inside the encrypted store)
    enroll(a, tls_server.url, tls_server.issue_code("sato"))
    report = SyncClient(a, tls_server.url).sync_once()
    assert report.pushed > 0 and report.pending == 0
    b = make_store("b")
    b.set_server_ca(ca_pem)
    enroll(b, tls_server.url, tls_server.issue_code("suzuki"))
    SyncClient(b, tls_server.url).sync_once()
    assert [p["name"] for p in b.list_entities("person")] == ["山田 太郎"]


def test_a_certificate_from_another_authority_is_refused(make_store, authority, tls_server):
    """An intercepting proxy shows its own certificate: the client will not talk to it."""
    store = make_store("a")
    store.set_server_ca(authority[3].read_text())
    enroll(store, tls_server.url, tls_server.issue_code("sato"))
    store.set_server_ca(trustme.CA().cert_pem.bytes().decode())  # another authority
    with pytest.raises(SyncError) as caught:
        SyncClient(store, tls_server.url).sync_once()
    assert caught.value.kind == "refused"
    assert caught.value.message.startswith("サーバーの証明書を確認できませんでした")
    assert "CERTIFICATE_VERIFY_FAILED" in caught.value.detail


def test_the_server_speaks_tls_1_2_and_1_3_only(authority, tls_server):
    port = int(tls_server.url.rsplit(":", 1)[1])
    versions = {}
    for version in (ssl.TLSVersion.TLSv1_1, ssl.TLSVersion.TLSv1_2, ssl.TLSVersion.TLSv1_3):
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        context.load_verify_locations(str(authority[3]))
        context.minimum_version = context.maximum_version = version
        if version == ssl.TLSVersion.TLSv1_1:
            context.set_ciphers("ALL:@SECLEVEL=0")  # let this client offer it at all
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=5) as raw, \
                    context.wrap_socket(raw, server_hostname="127.0.0.1") as tls:
                versions[version.name] = tls.version()
        except (ssl.SSLError, OSError):
            versions[version.name] = None
    assert versions == {"TLSv1_1": None, "TLSv1_2": "TLSv1.2", "TLSv1_3": "TLSv1.3"}


def test_plain_http_is_refused_except_to_this_machine_in_development(monkeypatch):
    for url in ("http://sync.example.jp", "http://192.168.1.20:8765", "ftp://127.0.0.1"):
        with pytest.raises(SyncError) as caught:
            check_address(url)
        assert caught.value.kind == "refused"
    with pytest.raises(SyncError) as caught:
        check_address("http://sync.example.jp")
    assert "http://" in caught.value.message
    check_address("https://sync.example.jp")
    check_address("http://127.0.0.1:8765")  # the test suite runs in development mode
    check_address("http://[::1]:8765")
    monkeypatch.delenv("OUTREACH_DESK_DEV")
    with pytest.raises(SyncError):
        check_address("http://127.0.0.1:8765")


def test_the_server_will_not_serve_plain_http_beyond_loopback(tmp_path):
    refused = subprocess.run(
        [sys.executable, "-m", "sync.server.cli", "--db", str(tmp_path / "s.db"), "--host",
         "0.0.0.0", "--port", "1"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert refused.returncode == 2
    assert "refusing to serve plain HTTP on 0.0.0.0" in refused.stderr
    missing = subprocess.run(
        [sys.executable, "-m", "sync.server.cli", "--db", str(tmp_path / "s.db"), "--host",
         "0.0.0.0", "--port", "1", "--tls-cert", str(tmp_path / "none.pem"), "--tls-key",
         str(tmp_path / "none.key")], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert missing.returncode == 2 and "cannot use the certificate" in missing.stderr
    assert "Traceback" not in missing.stderr


def test_the_worker_sets_the_server_certificate_in_settings(qtbot, authority, tmp_path):
    from support import FAST_KDF

    from ui.session import Session, Settings
    from ui.settings_dialog import SettingsDialog

    made = Session(tmp_path / "data", Settings(), kdf=FAST_KDF)
    with qtbot.waitSignal(made.unlocked, timeout=20_000):
        made.create("パスフレーズ テスト 2026", "佐藤 花子", "野尻担当")
    try:
        dialog = SettingsDialog(made)
        qtbot.addWidget(dialog)
        assert "証明書ストア" in dialog.ca_status.text() and not dialog.ca_clear.isEnabled()
        junk = tmp_path / "not-a-cert.pem"
        junk.write_text("これは証明書ではありません")
        assert not dialog.load_ca_file(str(junk))
        assert dialog.ca_error.text() == "PEM 形式の証明書ファイルではありません。"
        assert made.store.server_ca() is None

        assert dialog.load_ca_file(str(authority[3]))
        assert dialog.ca_error.isHidden()
        assert dialog.ca_status.text().startswith("設定済み: ") and "有効期限" in \
            dialog.ca_status.text()
        assert made.store.server_ca() == authority[3].read_text()
        dialog.ca_clear.click()
        assert made.store.server_ca() is None and "証明書ストア" in dialog.ca_status.text()
    finally:
        made.close()
