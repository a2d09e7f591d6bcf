"""Ingest: files in, statements with provenance out. One module per source kind."""

from threadline.ingest.pipeline import FileReport, IngestOptions, Plan, plan_file, run_plan

__all__ = ["FileReport", "IngestOptions", "Plan", "plan_file", "run_plan"]
