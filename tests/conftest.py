import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


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
