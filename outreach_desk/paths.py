"""Where the store's files live: platformdirs' user data folder, or ``--data-dir``."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "outreach-desk"
DATA_DIR_ENV = "OUTREACH_DESK_DATA_DIR"  # development override, like --data-dir
KEY_FILE = "outreach-desk.key"
DB_FILE = "outreach-desk.db"


def default_data_dir() -> Path:
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        return Path(override)
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def resolve_data_dir(data_dir: str | os.PathLike | None) -> Path:
    return Path(data_dir).expanduser() if data_dir else default_data_dir()
