"""Seizure analytics: pure functions over frames, computed by DuckDB in process."""
