import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# The test servers listen on 127.0.0.1 over plain HTTP, which the client allows only in
# development mode (subprocesses inherit it). tests/test_sync_tls.py checks the real rule.
os.environ["OUTREACH_DESK_DEV"] = "1"


import gc  # noqa: E402

import pytest  # noqa: E402
from support import FAST_KDF, PASSPHRASE  # noqa: E402

from outreach_desk.store import Store  # noqa: E402


@pytest.fixture
def make_store(tmp_path):
    """Factory for fresh stores on disk (real SQLCipher files) in this test's temp folder."""
    made: list[Store] = []

    def make(name: str = "store", **kwargs) -> Store:
        kwargs.setdefault("kdf", FAST_KDF)
        store = Store.create(tmp_path / name, PASSPHRASE, **kwargs)
        made.append(store)
        return store

    yield make
    for store in made:
        store.close()


@pytest.fixture
def store(make_store):
    """One fresh store with a worker set as author."""
    return make_store(worker_name="佐藤 花子")


@pytest.fixture(autouse=True)
def _qt_garbage_between_tests(request):
    """After a test with Qt widgets: run pending deleteLater() calls and collect cycles now,
    on the GUI thread and between tests, rather than whenever the collector next happens to
    run (a collection inside an event filter once crashed the suite)."""
    yield
    if "qtbot" not in request.fixturenames:
        return
    from PySide6.QtCore import QCoreApplication, QEvent

    app = QCoreApplication.instance()
    if app is not None:
        app.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
        app.processEvents()
    gc.collect()

