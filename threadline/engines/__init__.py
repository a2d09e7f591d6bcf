"""Batch SQL engines for resolution at scale: DuckDB (embedded, default)."""
