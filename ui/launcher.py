"""Process entry point: command-line tools go to the core CLI, otherwise the GUI starts.

Imports no Qt at module level, so CLI subcommands work without a display.
"""

from __future__ import annotations

import sys

# options of the app (or of all commands) that take a value
_TAKES_VALUE = ("--data-dir", "--server", "--enroll-code", "--ca-file")


def _has_command(args: list[str]) -> bool:
    """True when the arguments name a subcommand (``--data-dir DIR`` may come first)."""
    skip = False
    for arg in args:
        if skip:
            skip = False
        elif arg in _TAKES_VALUE:
            skip = True
        elif not arg.startswith("-"):
            return True
        elif arg in ("-h", "--help", "--version"):
            return True
    return False


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if _has_command(args):
        from outreach_desk.cli import main as cli_main

        return int(cli_main(args) or 0)
    from ui import app

    return int(app.main(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
