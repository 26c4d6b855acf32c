"""``outreach-sync-server``: run the sync server, or only migrate its database.

    outreach-sync-server [serve] --db URL [--key-file F] [--host H] [--port P]
                         [--tls-cert F --tls-key F] [--log-level L] [--no-access-log]
                         [--keep-alive SECONDS] [--trusted-proxy ADDRESS …] [--audit-key FILE]
    outreach-sync-server migrate --db URL [--key-file F]
    outreach-sync-server admin --db URL [--key-file F] COMMAND …   (see admin --help)

``--db`` is an SQLAlchemy URL (``sqlite:///path/file.db``, ``postgresql+psycopg://user@host/db``;
``postgresql://`` means psycopg 3) or a bare file path (an SQLite file); default
``outreach-sync.db`` in the current folder. Serving migrates first (``alembic upgrade head``).

The data is sealed at rest under a key-encryption key kept outside the database: ``--key-file``
(default: ``<database name>.kek`` beside an SQLite file; a PostgreSQL database needs one), or
the environment variable OUTREACH_SYNC_KEK. ``admin init`` (or the first start) creates it;
without it the server does not start.

HTTPS with ``--tls-cert`` and ``--tls-key`` (PEM files; TLS 1.2 and 1.3 only). Plain HTTP is
served only on a loopback address (development, or behind a TLS-terminating proxy on the same
machine): the server refuses to start on any other address without a certificate. Behind a
reverse proxy, ``--trusted-proxy ADDRESS`` (repeatable; an address or a network) names the
proxies whose ``X-Forwarded-For`` is believed; by default none is, and the limits on enrollment
attempts count the connection's own address. ``--audit-key`` is the Ed25519 key that signs the
audit trail's head (``audit_checkpoints.py``).
"""

from __future__ import annotations

import argparse
import gc
import ipaddress
import logging
import ssl
import sys
from pathlib import Path

from sync.protocol import CLIENT_KEEP_ALIVE, SERVER_KEEP_ALIVE, is_loopback
from sync.server.accounts import DEFAULT_CODE_MINUTES, ROLES

DEFAULT_DB = "outreach-sync.db"
KEY_FILE_HELP = ("the key-encryption key's file (default: $OUTREACH_SYNC_KEK, else "
                 "<database name>.kek beside an SQLite database)")


ADMIN_HELP = """Administration happens here, on the server machine, and nowhere else: the network
API has no administrative action.

  add-team NAME                         a team (e.g. 野尻担当)
  add-user LOGIN --name N --role R [--team T …]
                                        R: worker, supervisor (--team: the teams supervised)
                                        or administrator
  set-user LOGIN [--role R] [--team T …] [--disable | --enable]
  users                                 list users with role, teams and state
  enroll-code LOGIN [--minutes M]       a one-time code to enroll one laptop (default 30 min)
  devices                               list enrolled devices
  revoke-device DEVICE                  refuse the device from its next request on, and tell
                                        it to wipe its local store. Changes it made but never
                                        synced are lost by design.
  set-policy --max-offline-days N       how long a laptop may stay offline before it must sync
                                        (default 30; laptops learn it at their next sync)
  unlock-code --device DEVICE           a one-time code that lets a laptop past its offline
                                        limit for one more period (read it out over the phone)
  verify-audit [--expect HASH] [--public-key HEX]
                                        check the audit trail's hash chain and the server's
                                        signed checkpoints (exit 1 if broken); --expect: a head
                                        kept elsewhere (from audit-head) the chain must still
                                        pass through
  audit-head                            the audit trail's head (entry:hash) and the signing
                                        key's public key: keep both outside this machine
  init                                  create the data key and its key file (--key-file, or
                                        beside an SQLite database); back that file up apart
                                        from the database: without it nothing can be read
  rotate-key [--new-key-file F]         wrap the data key under a new key-encryption key,
                                        written over the key file (or to F); the old key then
                                        opens nothing
  export-audit --to FILE.csv            the audit trail as CSV (UTF-8 with BOM, for Excel)
  backup --to FILE [--pg-bin DIR]       a consistent copy of the database, also while the
                                        server runs (SQLite: its backup API; PostgreSQL:
                                        pg_dump, from DIR or the PATH)
  restore --from FILE [--pg-bin DIR]    replace the database with a backup (stop the server
                                        first); laptops notice the changed history and
                                        pull again what differs

Every command that changes something is itself recorded in the audit trail.
"""


def parse_admin(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="outreach-sync-server admin", description=ADMIN_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", default=DEFAULT_DB, help="database URL or SQLite file path")
    parser.add_argument("--audit-key", metavar="FILE", type=Path,
                        help="the audit signing key (default: as the server's)")
    parser.add_argument("--key-file", help=KEY_FILE_HELP)
    sub = parser.add_subparsers(dest="action", required=True, metavar="COMMAND")
    sub.add_parser("add-team").add_argument("name")
    add = sub.add_parser("add-user")
    add.add_argument("login")
    add.add_argument("--name", required=True)
    add.add_argument("--role", required=True, choices=ROLES)
    add.add_argument("--team", action="append", default=[])
    change = sub.add_parser("set-user")
    change.add_argument("login")
    change.add_argument("--role", choices=ROLES)
    change.add_argument("--team", action="append")
    state = change.add_mutually_exclusive_group()
    state.add_argument("--disable", dest="disabled", action="store_true", default=None)
    state.add_argument("--enable", dest="disabled", action="store_false")
    sub.add_parser("users")
    code = sub.add_parser("enroll-code")
    code.add_argument("login")
    code.add_argument("--minutes", type=int, default=DEFAULT_CODE_MINUTES)
    sub.add_parser("devices")
    sub.add_parser("revoke-device").add_argument("device")
    sub.add_parser("set-policy").add_argument("--max-offline-days", type=int, required=True)
    sub.add_parser("unlock-code").add_argument("--device", required=True)
    check = sub.add_parser("verify-audit")
    check.add_argument("--expect", metavar="HASH", help="HASH or ENTRY:HASH from audit-head")
    check.add_argument("--public-key", metavar="HEX",
                       help="the signing key's public key (default: read from the key file)")
    sub.add_parser("audit-head")
    sub.add_parser("export-audit").add_argument("--to", required=True, type=Path)
    for name, option in (("backup", "--to"), ("restore", "--from")):
        copy = sub.add_parser(name)
        copy.add_argument(option, dest="file", required=True, type=Path)
        copy.add_argument("--pg-bin", type=Path, help="folder of pg_dump and pg_restore")
    sub.add_parser("init")
    sub.add_parser("rotate-key").add_argument("--new-key-file", type=Path)
    args = parser.parse_args(argv)
    args.command = "admin"
    return args


def run_admin(db, args: argparse.Namespace) -> int:
    from sync.server import audit, offline_policy
    from sync.server.accounts import AccountError, Accounts
    from sync.server.audit_checkpoints import AuditKeyError

    accounts = Accounts(db)
    changes = {"add-team": lambda: {"team": args.name},
               "add-user": lambda: {"user": args.login, "role": args.role, "teams": args.team},
               "set-user": lambda: {"user": args.login, "role": args.role, "teams": args.team,
                                    "disabled": args.disabled},
               "enroll-code": lambda: {"user": args.login, "minutes": args.minutes},
               "revoke-device": lambda: {"device": args.device},
               "set-policy": lambda: {"max_offline_days": args.max_offline_days},
               "unlock-code": lambda: {"device": args.device},
               "backup": lambda: {"file": args.file.name},
               "restore": lambda: {"file": args.file.name},
               "init": dict, "rotate-key": dict}
    try:
        if args.action == "add-team":
            accounts.add_team(args.name)
            print(f"team {args.name} added")
        elif args.action == "add-user":
            accounts.add_user(args.login, args.name, args.role, args.team)
            print(f"user {args.login} added ({args.role})")
        elif args.action == "set-user":
            accounts.set_user(args.login, role=args.role, team_names=args.team,
                              disabled=args.disabled)
            print(f"user {args.login} changed")
        elif args.action == "users":
            for user in accounts.list_users():
                state = " (disabled)" if user["disabled"] else ""
                print(f"{user['login']}\t{user['name']}\t{user['role']}\t"
                      f"{', '.join(user['teams'])}{state}")
        elif args.action == "enroll-code":
            code = accounts.issue_code(args.login, args.minutes)
            print(f"enrollment code for {args.login} (valid {args.minutes} min, once): {code}")
        elif args.action == "devices":
            for device in accounts.list_devices():
                seen, revoked = device["last_seen_at"], device["revoked_at"]
                line = [device["site"], device["login"],
                        f"enrolled {device['enrolled_at']:%Y-%m-%d %H:%M}",
                        f"last seen {seen:%Y-%m-%d %H:%M}" if seen else "never seen"]
                if revoked:
                    line.append(f"REVOKED {revoked:%Y-%m-%d %H:%M}")
                print("\t".join(line))
        elif args.action == "revoke-device":
            accounts.revoke_device(args.device)
            print(f"device {args.device} revoked: its next request is refused and told to wipe")
        elif args.action == "set-policy":
            offline_policy.set_max_offline_days(db, args.max_offline_days)
            print(f"maximum offline period: {args.max_offline_days} days")
        elif args.action == "unlock-code":
            code = offline_policy.unlock_code(db, args.device)
            print(f"unlock code for device {args.device} (once, one more offline period): "
                  f"{code}")
        elif args.action == "verify-audit":
            return verify_audit(db, args)
        elif args.action == "audit-head":
            seq, head, mark = audit.head(db)
            print(f"audit head: {seq}:{head}")
            public = audit_public_key(db, args, None)
            print(f"signing key (public): {public or 'none yet (the server makes it)'}")
            print(f"last signed checkpoint: entry {mark.seq} at {mark.at}" if mark
                  else "last signed checkpoint: none yet")
        elif args.action == "export-audit":
            count = audit.export_csv(db, args.to)
            print(f"{count} entries written to {args.to}")
        elif args.action in ("backup", "restore"):
            from sync.server import backup

            try:
                if args.action == "backup":
                    done = backup.backup(db, args.file, pg_bin=args.pg_bin)
                    print(f"backup of {done.describe()} written to {args.file}")
                else:
                    done = backup.restore(db, args.file, pg_bin=args.pg_bin)
                    print(f"restored from {args.file}: {done.describe()}")
            except backup.BackupError as exc:
                print(f"outreach-sync-server admin {args.action}: {exc}", file=sys.stderr)
                return 1
        elif args.action == "init":
            print(f"{db.describe()}: data key made, wrapped under the {db.key_source.describe()}."
                  " Back that key up apart from the database's backups: without it nothing in "
                  "the database can be read.")
        elif args.action == "rotate-key":
            from sync.server.data_key import rotate
            from sync.server.db import data_keys

            where = rotate(db, data_keys, db.key_source, args.new_key_file)
            print(f"the data key is now wrapped under the new key in {where}; the old key opens "
                  "nothing any more: replace every copy of it")
    except (AccountError, AuditKeyError) as exc:
        print(f"outreach-sync-server admin: {exc}", file=sys.stderr)
        return 1
    if args.action in changes:
        audit.record(db, login="(admin command line)", device="-",
                     action=f"admin:{args.action}", detail=changes[args.action]())
    return 0


def audit_public_key(db, args: argparse.Namespace, given: str | None) -> str | None:
    """The public key to check checkpoints with (hex): ``given``, else the key file's."""
    from sync.server import audit_checkpoints

    if given:
        return given
    path = args.audit_key or audit_checkpoints.default_key_path(db)
    if not path.exists():
        return None
    return audit_checkpoints.public_hex(audit_checkpoints.load_key(path).public_key())


def verify_audit(db, args: argparse.Namespace) -> int:
    from sync.server import audit, audit_checkpoints

    try:
        public_hex = audit_public_key(db, args, args.public_key)
        public = audit_checkpoints.public_from_hex(public_hex) if public_hex else None
        verdict = audit.verify(db, public_key=public, expect=args.expect)
    except (audit_checkpoints.AuditKeyError, ValueError) as exc:
        print(f"outreach-sync-server admin: {exc}", file=sys.stderr)
        return 2
    if not verdict.ok:
        print(f"audit trail BROKEN at entry {verdict.broken_at}: {verdict.reason} "
              f"({verdict.entries} entries before it verify)", file=sys.stderr)
        return 1
    print(f"audit trail intact: {verdict.entries} entries, last {verdict.last_seq} "
          f"{verdict.last_hash}; {verdict.checkpoints} signed checkpoints, the latest at entry "
          f"{verdict.signed_through}" + ("; the expected head is in the chain"
                                         if args.expect else ""))
    return 0


def parse_args(argv: list[str]) -> argparse.Namespace:
    command = "serve"
    if argv and argv[0] == "admin":
        return parse_admin(argv[1:])
    if argv and argv[0] in ("serve", "migrate"):
        command, argv = argv[0], argv[1:]
    parser = argparse.ArgumentParser(
        prog=f"outreach-sync-server {command}" if command == "migrate" else "outreach-sync-server",
        description=__doc__.strip().replace("``", ""),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--db", default=DEFAULT_DB, help="database URL or SQLite file path")
    parser.add_argument("--key-file", help=KEY_FILE_HELP)
    if command == "serve":
        from sync.server.callers import ENROLL_GLOBAL

        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8765)
        parser.add_argument("--log-level", default="info",
                            choices=["critical", "error", "warning", "info", "debug"])
        parser.add_argument("--no-access-log", action="store_true")
        parser.add_argument("--tls-cert", metavar="FILE", help="certificate chain (PEM)")
        parser.add_argument("--tls-key", metavar="FILE", help="private key (PEM)")
        parser.add_argument("--trusted-proxy", metavar="ADDRESS", action="append", default=[],
                            help="a reverse proxy (address or network) whose X-Forwarded-For "
                                 "and X-Forwarded-Proto are believed (repeatable; default: "
                                 "none, the connection's own address counts)")
        parser.add_argument("--enroll-ceiling", type=int, default=ENROLL_GLOBAL[0],
                            metavar="N", help="enrollment attempts per minute from all "
                                              f"addresses together (default {ENROLL_GLOBAL[0]})")
        parser.add_argument("--audit-key", metavar="FILE", type=Path,
                            help="the Ed25519 key that signs the audit trail's head (made "
                                 "0600 when missing; default: next to an SQLite file, else "
                                 "outreach-sync-audit.key here)")
        parser.add_argument("--audit-checkpoint-entries", type=int, default=100, metavar="N",
                            help="sign the audit head every N entries (default 100) …")
        parser.add_argument("--audit-checkpoint-seconds", type=float, default=300.0,
                            metavar="S", help="… or every S seconds when it moved (default "
                                              "300), and at shutdown")
        parser.add_argument("--keep-alive", type=float, default=SERVER_KEEP_ALIVE,
                            metavar="SECONDS",
                            help="how long an idle client connection is kept open "
                                 f"(default {SERVER_KEEP_ALIVE}; keep it above the client's "
                                 f"{CLIENT_KEEP_ALIVE:g} s)")
    args = parser.parse_args(argv)
    args.command = command
    if command == "serve":
        if bool(args.tls_cert) != bool(args.tls_key):
            parser.error("--tls-cert and --tls-key go together")
        for proxy in args.trusted_proxy:
            try:
                ipaddress.ip_network(proxy, strict=False)
            except ValueError:
                parser.error(f"--trusted-proxy {proxy!r} is not an address or a network")
        if not args.tls_cert and not is_loopback(args.host):
            parser.error(f"refusing to serve plain HTTP on {args.host}: give --tls-cert and "
                         "--tls-key, or listen on 127.0.0.1 behind a TLS-terminating proxy")
    return args


def tls_context_factory(cert: str, key: str):
    """uvicorn's ``ssl_context_factory``: the server's certificate, TLS 1.2 and 1.3 only."""

    def factory(_config, _default) -> ssl.SSLContext:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        context.load_cert_chain(cert, key)
        return context

    return factory


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    level = getattr(args, "log_level", "warning" if args.command == "admin" else "info").upper()
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("alembic").setLevel(logging.WARNING)

    from sync.server.db import Database, DatabaseURLError, DataKeyError

    try:
        db = Database(args.db, args.key_file)
    except DatabaseURLError as exc:
        print(f"outreach-sync-server: {exc}", file=sys.stderr)
        return 2
    except ImportError as exc:  # a database driver that is not installed
        print(f"outreach-sync-server: {exc}", file=sys.stderr)
        return 2
    try:
        if args.command == "admin" and args.action == "init" and db.has_data_key():
            print(f"outreach-sync-server admin: {db.describe()} has its data key already "
                  f"(wrapped under the {db.key_source.describe()}); rotate-key replaces that key",
                  file=sys.stderr)
            db.close()
            return 1
        db.migrate()
    except DataKeyError as exc:  # one line, and the server does not start
        print(f"outreach-sync-server: {exc}", file=sys.stderr)
        db.close()
        return 2
    except Exception as exc:  # noqa: BLE001 (reported in one line, the server does not start)
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        print(f"outreach-sync-server: cannot migrate {db.describe()}: {first}", file=sys.stderr)
        db.close()
        return 1
    if args.command == "migrate":
        print(f"{db.describe()}: at revision {db.revision()}")
        db.close()
        return 0
    if args.command == "admin":
        try:
            return run_admin(db, args)
        except DataKeyError as exc:
            print(f"outreach-sync-server admin: {exc}", file=sys.stderr)
            return 2
        finally:
            db.close()

    import uvicorn

    from sync.server import audit_checkpoints
    from sync.server.app import create_app

    try:
        signing_key = audit_checkpoints.load_or_create_key(
            args.audit_key or audit_checkpoints.default_key_path(db))
    except (audit_checkpoints.AuditKeyError, OSError) as exc:
        print(f"outreach-sync-server: {exc}", file=sys.stderr)
        db.close()
        return 2
    checkpointer = audit_checkpoints.Checkpointer(
        db, signing_key, every=max(1, args.audit_checkpoint_entries),
        seconds=max(0.1, args.audit_checkpoint_seconds))
    app = create_app(db, audit_signer=checkpointer,
                     enroll_ceiling=max(1, args.enroll_ceiling))
    # What is loaded by now lives as long as the server: out of the collector's way, so that a
    # push of thousands of changes (many short-lived objects) does not make it walk all of it
    # again and again (about a tenth of a large push's time).
    gc.collect()
    gc.freeze()
    logging.getLogger("sync.server").info("serving %s on %s:%s", db.describe(), args.host,
                                          args.port)
    tls = {}
    if args.tls_cert:
        try:  # a missing or unreadable file: one line, not a traceback from inside uvicorn
            tls_context_factory(args.tls_cert, args.tls_key)(None, None)
        except (OSError, ssl.SSLError) as exc:
            print(f"outreach-sync-server: cannot use the certificate: {exc}", file=sys.stderr)
            db.close()
            return 2
        tls = {"ssl_certfile": args.tls_cert, "ssl_keyfile": args.tls_key,
               "ssl_context_factory": tls_context_factory(args.tls_cert, args.tls_key)}
    try:  # the app's lifespan runs the checkpointer, and signs the head at shutdown
        uvicorn.run(app, host=args.host, port=args.port, log_level=args.log_level, **tls,
                    access_log=not args.no_access_log, server_header=False,
                    timeout_graceful_shutdown=5, timeout_keep_alive=args.keep_alive,
                    log_config=None, proxy_headers=bool(args.trusted_proxy),
                    forwarded_allow_ips=args.trusted_proxy)
    finally:
        db.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
