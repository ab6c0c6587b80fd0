"""Persistence on SQLite (default) and PostgreSQL: the only place with SQL."""
