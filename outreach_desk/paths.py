"""Where the store's files live: platformdirs' user data folder, or ``--data-dir``; and where
the logs go: platformdirs' user log folder."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import platformdirs

APP_NAME = "outreach-desk"
DATA_DIR_ENV = "OUTREACH_DESK_DATA_DIR"  # development override, like --data-dir
LOG_DIR_ENV = "OUTREACH_DESK_LOG_DIR"  # development and test override
KEY_FILE = "outreach-desk.key"
DB_FILE = "outreach-desk.db"


def _folder(env: str, platform_folder: Callable[..., str]) -> Path:
    override = os.environ.get(env)
    if override:
        return Path(override)
    return Path(platform_folder(APP_NAME, appauthor=False))


def default_data_dir() -> Path:
    return _folder(DATA_DIR_ENV, platformdirs.user_data_dir)


def default_log_dir() -> Path:
    return _folder(LOG_DIR_ENV, platformdirs.user_log_dir)


def resolve_data_dir(data_dir: str | os.PathLike | None) -> Path:
    return Path(data_dir).expanduser() if data_dir else default_data_dir()
