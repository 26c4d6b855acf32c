"""``outreach-desk`` subcommands for tests, administrators and benchmarks.

Every subcommand that opens the store reads the passphrase the same way: prompted (without echo)
when standard input is a terminal, otherwise one line from standard input, so scripts can pipe
it. ``passwd`` reads the old and then the new passphrase (two lines when piped). Failures print
one line to standard error and exit with a non-zero status; no traceback, no personal data.
Exit statuses: 0 done, 1 refused or failed, 2 bad arguments, 65 a damaged key file or data file
(restore from a backup), 74 the disk is full (nothing was written: free space and run it again),
75 the server could not be reached.
"""

from __future__ import annotations

import argparse
import errno
import getpass
import json
import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from . import __version__
from .errors import OutreachDeskError, is_disk_full
from .paths import resolve_data_dir
from .store import Store

log = logging.getLogger(__name__)
PROG = "outreach-desk"


class UsageError(OutreachDeskError):
    code = "usage"


class PassphraseReader:
    """Reads passphrases from a terminal prompt or, when piped, line by line from stdin."""

    def __init__(self, stream: TextIO):
        self.stream = stream
        self.interactive = stream.isatty()

    def read(self, prompt: str, *, confirm: bool = False) -> str:
        if self.interactive:
            value = getpass.getpass(prompt)
            if confirm and getpass.getpass("Repeat: ") != value:
                raise UsageError("the two passphrases differ")
            return value
        line = self.stream.readline()
        if not line:
            raise UsageError("no passphrase on standard input")
        return line.rstrip("\r\n")


def _open(args, reader: PassphraseReader) -> Store:
    return Store.open(args.data_dir, reader.read("Passphrase: "))


def cmd_init(args, reader: PassphraseReader, out: TextIO) -> int:
    passphrase = reader.read("New passphrase: ", confirm=True)
    with Store.create(args.data_dir, passphrase, worker_name=args.worker_name) as store:
        print(f"created a store in {store.data_dir}", file=out)
    return 0


def cmd_demo(args, reader: PassphraseReader, out: TextIO) -> int:
    from .demo import generate

    with _open(args, reader) as store:
        counts = generate(store, cases=args.cases, seed=args.seed)
    print(json.dumps(counts, ensure_ascii=False, sort_keys=True), file=out)
    return 0


def cmd_check(args, reader: PassphraseReader, out: TextIO) -> int:
    with _open(args, reader) as store:
        problems = store.integrity_check()
        report = {"integrity": "ok" if problems == ["ok"] else problems, "counts": store.counts()}
    print(json.dumps(report, ensure_ascii=False, sort_keys=True), file=out)
    return 0 if problems == ["ok"] else 1


def cmd_search(args, reader: PassphraseReader, out: TextIO) -> int:
    with _open(args, reader) as store:
        if store.offline_status().expired:  # records are not shown past the offline limit
            print(f"{PROG}: this laptop has not synced for longer than the server allows; run "
                  f"'{PROG} sync' first (or enter an unlock code in the app)", file=sys.stderr)
            return 1
        for hit in store.search(args.query, limit=args.limit):
            line = {"entity": hit.entity, "id": hit.entity_id, "case_ids": list(hit.case_ids),
                    "snippet": hit.snippet}
            print(json.dumps(line, ensure_ascii=False), file=out)
    return 0


def cmd_passwd(args, reader: PassphraseReader, out: TextIO) -> int:
    store = Store(args.data_dir)
    old = reader.read("Current passphrase: ")
    new = reader.read("New passphrase: ", confirm=True)
    store.change_passphrase(old, new)
    print("passphrase changed", file=out)
    return 0


EXIT_OFFLINE = 75  # sysexits EX_TEMPFAIL: the server could not be reached; try again later
EXIT_DAMAGED = 65  # sysexits EX_DATAERR: the key file or the data file is damaged
EXIT_DISK_FULL = 74  # sysexits EX_IOERR: no space left; nothing was written
_DAMAGED = ("key_file_damaged", "kdf_cost_refused", "store_corrupt", "backup_invalid")


def cmd_sync(args, reader: PassphraseReader, out: TextIO) -> int:
    """One sync round without the desktop app: push the outbox, pull what is new."""
    from sync.client import SyncClient, SyncError

    with _open(args, reader) as store:
        client = SyncClient(store, args.server, timeout=args.timeout)
        try:
            report = client.sync_once()
        except SyncError as exc:
            log.info("sync failed: %s", exc.detail)
            print(f"{PROG}: sync failed ({exc.kind}): {exc.message}", file=sys.stderr)
            if exc.kind == "revoked":
                store.wipe()
                print(f"{PROG}: this laptop was revoked by the administrator; its store in "
                      f"{args.data_dir} has been erased", file=sys.stderr)
            return EXIT_OFFLINE if exc.kind == "offline" else 1
    print(report.summary(), file=out)
    return 0


def cmd_enroll(args, reader: PassphraseReader, out: TextIO) -> int:
    """Enroll this laptop's store with the sync server using the administrator's one-time code."""
    from sync.client import SyncError, enroll

    with _open(args, reader) as store:
        try:
            answer = enroll(store, args.server, args.code, timeout=args.timeout,
                            adopt_teams=True)
        except SyncError as exc:
            log.info("enrollment failed: %s", exc.detail)
            print(f"{PROG}: enrollment failed ({exc.kind}): {exc.message}", file=sys.stderr)
            return EXIT_OFFLINE if exc.kind == "offline" else 1
    print(f"enrolled as {answer.login} ({answer.role}; teams: {', '.join(answer.teams) or '-'})",
          file=out)
    return 0


def cmd_backup(args, reader: PassphraseReader, out: TextIO) -> int:
    """A consistent, still encrypted copy of the store, safe to take while the app runs."""
    from .backup import create_backup

    with _open(args, reader) as store:
        create_backup(store, args.to)
    print(f"backup written to {args.to}", file=out)
    return 0


def cmd_restore(args, reader: PassphraseReader, out: TextIO) -> int:
    """Check a backup and put it into --data-dir (an existing store only with --overwrite)."""
    from .backup import read_manifest, restore_backup

    read_manifest(args.source)  # a damaged file is reported before asking for the passphrase
    passphrase = reader.read("Passphrase of the backup: ")
    report = restore_backup(args.source, args.data_dir, passphrase, overwrite=args.overwrite)
    if report.replaced is not None:
        print(f"the store that was there is kept in {report.replaced}", file=out)
    print(f"restored into {report.data_dir} (integrity ok; {report.counts.get('case', 0)} "
          f"cases, {report.counts.get('visit', 0)} visits)", file=out)
    return 0


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--data-dir", type=Path, default=argparse.SUPPRESS,
        help="folder holding the encrypted store (default: the user data folder)",
    )
    parser = argparse.ArgumentParser(
        prog=PROG, parents=[common],
        description="Outreach Desk: without a command, starts the desktop app.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def add(name: str, handler: Callable, help_text: str) -> argparse.ArgumentParser:
        command = sub.add_parser(name, parents=[common], help=help_text)
        command.set_defaults(handler=handler)
        return command

    init = add("init", cmd_init, "create a new encrypted store")
    init.add_argument("--worker-name", help="the worker whose name goes on the records")
    demo = add("demo", cmd_demo, "fill the store with fictional demo data")
    demo.add_argument("--cases", type=_positive, required=True)
    demo.add_argument("--seed", type=int, default=1)
    add("check", cmd_check, "unlock, run an integrity check, print counts as JSON")
    search = add("search", cmd_search, "search in Japanese; hits as JSON lines")
    search.add_argument("query")
    search.add_argument("--limit", type=_positive, default=50)
    add("passwd", cmd_passwd, "change the passphrase (re-wraps the key only)")
    sync = add("sync", cmd_sync, "one sync round with the server; prints a one-line summary "
               f"(exit {EXIT_OFFLINE} when the server cannot be reached)")
    sync.add_argument("--server", required=True, help="the sync server, e.g. https://host:8443")
    sync.add_argument("--timeout", type=float, default=30.0,
                      help="seconds to wait for the server at each step (default: 30)")
    enroll = add("enroll", cmd_enroll, "enroll this laptop with the sync server, using the "
                 "one-time code from the administrator")
    enroll.add_argument("--server", required=True, help="the sync server, e.g. https://host:8443")
    enroll.add_argument("--code", required=True, help="the enrollment code, e.g. K7QF-2M9X-…")
    enroll.add_argument("--timeout", type=float, default=30.0)
    backup = add("backup", cmd_backup, "write an encrypted backup of the store to a file "
                 "(safe while the app runs; opens with the current passphrase)")
    backup.add_argument("--to", type=Path, required=True, help="the backup file to write")
    restore = add("restore", cmd_restore, "check a backup and restore it into --data-dir")
    restore.add_argument("--from", dest="source", type=Path, required=True,
                         help="the backup file to read")
    restore.add_argument("--overwrite", action="store_true",
                         help="replace a store already in --data-dir (it is moved aside)")
    return parser


def main(argv: list[str] | None = None, *, stdin: TextIO | None = None,
         stdout: TextIO | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(name)s: %(message)s")
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.error("a command is required here (the desktop app starts without one)")
    args.data_dir = resolve_data_dir(getattr(args, "data_dir", None))
    try:
        return args.handler(args, PassphraseReader(stdin or sys.stdin), stdout or sys.stdout)
    except (OutreachDeskError, OSError) as exc:
        return _report(exc)
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130


def _report(exc: OutreachDeskError | OSError) -> int:
    """One line on standard error for an expected failure; the exit status that says which."""
    if is_disk_full(exc):
        log.info("stopped: the disk is full (%s)", type(exc).__name__)
        print(f"{PROG}: error: the disk is full; nothing was written and nothing is lost "
              "(free some space and run the command again)", file=sys.stderr)
        return EXIT_DISK_FULL
    if isinstance(exc, OSError):  # a folder that cannot be written, a file that went away …
        reason = exc.strerror or errno.errorcode.get(exc.errno or 0, type(exc).__name__)
        where = f": {exc.filename}" if exc.filename else ""
        print(f"{PROG}: error: {reason}{where}", file=sys.stderr)
        return 1
    print(f"{PROG}: error: {exc}", file=sys.stderr)
    return EXIT_DAMAGED if exc.code in _DAMAGED else 1


if __name__ == "__main__":
    sys.exit(main())
