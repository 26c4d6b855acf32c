"""Alembic migrations of the sync server's database (``alembic upgrade head`` runs at start)."""
