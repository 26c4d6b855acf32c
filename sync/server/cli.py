"""``outreach-sync-server``: run the sync server, or only migrate its database.

    outreach-sync-server [serve] --db URL [--host H] [--port P] [--log-level L] [--no-access-log]
                         [--keep-alive SECONDS]
    outreach-sync-server migrate --db URL

``--db`` is an SQLAlchemy URL (``sqlite:///path/file.db``, ``postgresql+psycopg://user@host/db``;
``postgresql://`` means psycopg 3) or a bare file path (an SQLite file); default
``outreach-sync.db`` in the current folder. Serving migrates first (``alembic upgrade head``).
"""

from __future__ import annotations

import argparse
import logging
import sys

from sync.protocol import CLIENT_KEEP_ALIVE, SERVER_KEEP_ALIVE

DEFAULT_DB = "outreach-sync.db"


def parse_args(argv: list[str]) -> argparse.Namespace:
    command = "serve"
    if argv and argv[0] in ("serve", "migrate"):
        command, argv = argv[0], argv[1:]
    parser = argparse.ArgumentParser(
        prog=f"outreach-sync-server {command}" if command == "migrate" else "outreach-sync-server",
        description=__doc__.strip().replace("``", ""),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--db", default=DEFAULT_DB, help="database URL or SQLite file path")
    if command == "serve":
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8765)
        parser.add_argument("--log-level", default="info",
                            choices=["critical", "error", "warning", "info", "debug"])
        parser.add_argument("--no-access-log", action="store_true")
        parser.add_argument("--keep-alive", type=float, default=SERVER_KEEP_ALIVE,
                            metavar="SECONDS",
                            help="how long an idle client connection is kept open "
                                 f"(default {SERVER_KEEP_ALIVE}; keep it above the client's "
                                 f"{CLIENT_KEEP_ALIVE:g} s)")
    args = parser.parse_args(argv)
    args.command = command
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    level = getattr(args, "log_level", "info").upper()
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("alembic").setLevel(logging.WARNING)

    from sync.server.db import Database, DatabaseURLError

    try:
        db = Database(args.db)
    except DatabaseURLError as exc:
        print(f"outreach-sync-server: {exc}", file=sys.stderr)
        return 2
    except ImportError as exc:  # a database driver that is not installed
        print(f"outreach-sync-server: {exc}", file=sys.stderr)
        return 2
    try:
        db.migrate()
    except Exception as exc:  # noqa: BLE001 (reported in one line, the server does not start)
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        print(f"outreach-sync-server: cannot migrate {db.describe()}: {first}", file=sys.stderr)
        db.close()
        return 1
    if args.command == "migrate":
        print(f"{db.describe()}: at revision {db.revision()}")
        db.close()
        return 0

    import uvicorn

    from sync.server.app import create_app

    app = create_app(db)
    logging.getLogger("sync.server").info("serving %s on %s:%s", db.describe(), args.host,
                                          args.port)
    try:
        uvicorn.run(app, host=args.host, port=args.port, log_level=args.log_level,
                    access_log=not args.no_access_log, server_header=False,
                    timeout_graceful_shutdown=5, timeout_keep_alive=args.keep_alive,
                    log_config=None)
    finally:
        db.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
