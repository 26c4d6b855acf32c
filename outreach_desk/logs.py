"""Log files: platformdirs' user log folder, rotated, and never any personal data.

Log lines are written by our own code, which logs counts, ids, class names and states, never
names, notes or narratives (``tests/test_logs.py`` checks the log of a demo session for every
name and narrative in it). Tracebacks are the one place where text from a record could slip in,
through an exception's message, so :class:`ScrubbingFormatter` writes them as frames (file,
line, function, source line) and the exception's type only: no message, no local variables.
Each crash has a short reference id, shown to the worker and written beside the traceback.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import sys
import traceback
from pathlib import Path

from .atomic import ensure_private_dir
from .paths import LOG_DIR_ENV, default_log_dir

LOG_FILE = "outreach-desk.log"
MAX_BYTES = 1_000_000
BACKUPS = 5  # outreach-desk.log.1 … .5: at most ~6 MB
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def scrubbed_traceback(exc: BaseException) -> str:
    """The traceback of ``exc`` (and of its causes) without messages or variable values."""
    parts: list[str] = []
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        frames = traceback.format_list(traceback.extract_tb(current.__traceback__))
        kind = type(current)
        code = getattr(current, "code", None)
        headline = f"{kind.__module__}.{kind.__qualname__}"
        if isinstance(code, str):
            headline += f" [{code}]"
        parts.append("Traceback (most recent call last):\n" + "".join(frames)
                     + f"{headline} (message withheld: it may contain record text)")
        if current.__cause__ is not None:
            current = current.__cause__
        elif not current.__suppress_context__:
            current = current.__context__
        else:
            current = None
        if current is not None:
            parts.append("caused by / while handling:")
    return "\n".join(parts)


class ScrubbingFormatter(logging.Formatter):
    """Formats tracebacks with :func:`scrubbed_traceback` instead of the standard text."""

    def formatException(self, ei) -> str:  # noqa: N802 (logging's name)
        return scrubbed_traceback(ei[1]) if ei and ei[1] is not None else ""

    def format(self, record: logging.LogRecord) -> str:
        # logging caches the first handler's traceback text on the record (``exc_text``); a
        # handler with a standard formatter that ran first would otherwise pass its full text,
        # messages included, on to this one
        cached, record.exc_text = record.exc_text, None
        try:
            return super().format(record)
        finally:
            record.exc_text = cached


def setup_logging(log_dir: Path | None = None, *, level: int = logging.INFO,
                  console: bool = True) -> Path | None:
    """Send the root logger to a rotated file in ``log_dir`` (and to stderr when ``console``);
    return the log file's path. Handlers set up by an earlier call are replaced. When the log
    folder cannot be written the app still starts, logging to stderr only (returns None)."""
    path: Path | None = (log_dir or default_log_dir()) / LOG_FILE
    handlers: list[logging.Handler] = []
    try:
        ensure_private_dir(path.parent)
        handlers.append(logging.handlers.RotatingFileHandler(
            path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8"))
        if os.name == "posix":
            os.chmod(path, 0o600)
    except OSError:
        path = None
    if (console or path is None) and sys.stderr is not None:  # windowed Windows: no stderr
        handlers.append(logging.StreamHandler())
    teardown_logging()
    root = logging.getLogger()
    formatter = ScrubbingFormatter(FORMAT)
    for handler in handlers:
        handler.setFormatter(formatter)
        handler._outreach_desk = True  # type: ignore[attr-defined]
        root.addHandler(handler)
    root.setLevel(level)
    if path is None:
        logging.getLogger(__name__).warning("the log folder cannot be written: stderr only")
    return path


def teardown_logging() -> None:
    """Remove the handlers :func:`setup_logging` added (tests, and the end of a self-test)."""
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, "_outreach_desk", False)]:
        root.removeHandler(old)
        old.close()


__all__ = ["LOG_DIR_ENV", "LOG_FILE", "ScrubbingFormatter", "default_log_dir",
           "scrubbed_traceback", "setup_logging", "teardown_logging"]
