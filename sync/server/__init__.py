"""The central sync server: FastAPI on uvicorn, SQLAlchemy 2 storage (an SQLite file, or
PostgreSQL), Alembic migrations. ``outreach-sync-server --db URL --host H --port P`` runs it
(``sync.server.cli``); ``sync.server.app.create_app`` builds the application."""
