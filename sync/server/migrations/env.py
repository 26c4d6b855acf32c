"""Alembic environment. The server passes an open connection (``config.attributes``) already
inside its write transaction; the ``alembic`` command line passes ``sqlalchemy.url`` instead
(``alembic -c sync/server/alembic.ini -x db=URL [-x key=KEY_FILE] …``)."""

from __future__ import annotations

from logging.config import fileConfig

from alembic import context

from sync.server.db import Database, metadata

config = context.config
if config.config_file_name:  # the alembic command line; the server configures its own logging
    fileConfig(config.config_file_name, disable_existing_loggers=False)


def _configure(**kwargs) -> None:
    context.configure(target_metadata=metadata, compare_type=True, **kwargs)


def run_offline() -> None:
    _configure(url=_url(), literal_binds=True, dialect_opts={"paramstyle": "named"})
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    db = Database(_url(), context.get_x_argument(as_dictionary=True).get("key"))
    try:
        with db.writing(rebuilding=True) as conn:
            config.attributes.setdefault("data_key", lambda: db.migration_key(conn))
            _run(conn)
    finally:
        db.close()


def _run(connection) -> None:
    sqlite = connection.dialect.name == "sqlite"
    # SQLite's DDL is transactional inside the server's explicit BEGIN IMMEDIATE.
    _configure(connection=connection, render_as_batch=sqlite, transactional_ddl=True)
    with context.begin_transaction():
        context.run_migrations()


def _url() -> str:
    url = context.get_x_argument(as_dictionary=True).get("db") or config.get_main_option(
        "sqlalchemy.url")
    if not url:
        raise SystemExit("no database: pass -x db=URL")
    return url


if context.is_offline_mode():
    run_offline()
else:
    run_online()
