"""Batch SQL engines for resolution at scale: DuckDB (embedded, default) and Spark
(pyspark, the `spark` extra), behind one interface (base.Engine), chosen by name
(registry.open_engine)."""
