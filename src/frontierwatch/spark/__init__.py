"""The Spark engine: the document-level stages as Apache Spark jobs over a Parquet data directory.

``--engine spark`` (``Settings.engine``) runs ingest (parse + identity), embed, the assignment of every
document to a fitted map and the topic × year aggregations on Spark (`spark_master`: ``local[*]`` by default,
or a cluster), writing Parquet under `spark_data` (a path or a Hadoop URI). What the rest of the product reads
— documents, vectors, the map, signals — is put into the store through the table seam, so names, forecast,
catalog, web and match run unchanged. The embedded engine stays the default and the definition: the Spark jobs
call the same connectors, identity rules, model and signal functions (`tests/spark` holds the two equal).

Needs ``pip install 'frontierwatch[spark]'`` (PySpark) and Java 17.
"""
from frontierwatch.spark.session import DataDir, spark_session, stop_spark

__all__ = ["DataDir", "spark_session", "stop_spark"]
