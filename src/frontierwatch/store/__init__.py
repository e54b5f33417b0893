"""The store stage: the DuckDB database, its schema and the document tables every stage reads."""
from frontierwatch.store.database import Store, migrations

__all__ = ["Store", "migrations"]
