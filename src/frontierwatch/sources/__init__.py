"""The sources stage: streaming connectors for real formats and the ingest runner that writes the store."""
from frontierwatch.sources.detect import FORMATS, detect, format_names, plan_files
from frontierwatch.sources.ingest import IngestSummary, ingest
from frontierwatch.sources.record import Institution, Record, Reject

__all__ = ["FORMATS", "Institution", "IngestSummary", "Record", "Reject", "detect", "format_names", "ingest", "plan_files"]
