"""Spark jobs: the term statistics of the signals stage — the new-term ratio and EScore (Porter's term emergence and
its topic aggregates) — as aggregations over hashed bigrams, so no document text is hashed on the driver.

Each executor hashes its documents' texts (title + '. ' + abstract, as `signals.documents` builds them) with the
signals stage's own vectoriser (`signals.escore`) into rows (doc_id, topic_id, year, community, term, nnz) — one
per document and bigram, one with term −1 for a document without any — kept as ``terms/map=<id>``. From them:

* documents with each term per year (``groupBy(year, term)``) → `SparkTerms.year_counts`, the counts
  `signals.escore.term_emergence` scores; the community test of its candidates (distinct primary categories in
  the active period, ``countDistinct``) → `SparkTerms.communities`; so the EScore of every term is the driver
  function's own, over the same integer counts;
* per topic and output year: the sum of its recent documents' emergent-term scores, the documents holding an
  emergent term, and each emergent term's documents in the topic and overall (``groupBy(y, topic_id[, term])``, all
  years in one set of jobs) → ``escore_mean``, ``escore_share`` and ``escore_owned`` as
  `signals.escore.topic_escore` defines them;
* each term's first year (``min(year)``) and each document's share of terms first seen in its own year, averaged
  per topic and year → ``new_term_ratio`` as `signals.content.new_term_ratio` defines it.

The sums run in another order than the driver's sparse products, so the values agree within 1e-9, not bit for bit
(`tests/spark`). Keyphrases (the topics stage's c-TF-IDF) and the application-language share are still computed on
the driver.
"""
from __future__ import annotations

import logging

import numpy as np
import pyarrow as pa
import scipy.sparse as sp

log = logging.getLogger(__name__)

__all__ = ["SparkTerms", "hash_terms"]

TERMS_DDL = "doc_id string, topic_id string, year int, community string, term int, nnz int"
_WINDOW = 2  # recent years of `topic_escore` (its default)


def _hash_partition(batches):
    """Executor side: (doc_id, topic_id, year, community, text) batches → one row per document and bigram."""
    from frontierwatch.signals.escore import _vectoriser

    vectoriser = _vectoriser()
    schema = pa.schema([("doc_id", pa.string()), ("topic_id", pa.string()), ("year", pa.int32()),
                        ("community", pa.string()), ("term", pa.int32()), ("nnz", pa.int32())])
    for batch in batches:
        if batch.num_rows == 0:
            continue
        matrix = vectoriser.transform(batch.column("text").to_pylist()).tocsr()
        nnz = np.diff(matrix.indptr)
        take = np.repeat(np.arange(batch.num_rows), np.maximum(nnz, 1))
        terms = np.full(len(take), -1, dtype=np.int32)
        starts = np.concatenate([[0], np.cumsum(np.maximum(nnz, 1))[:-1]])
        for i in np.flatnonzero(nnz):  # each document's columns in its slots; a document without terms keeps −1
            terms[starts[i]:starts[i] + nnz[i]] = matrix.indices[matrix.indptr[i]:matrix.indptr[i + 1]]
        index = pa.array(take)
        yield pa.RecordBatch.from_arrays(
            [batch.column(c).take(index) for c in ("doc_id", "topic_id", "year", "community")]
            + [pa.array(terms), pa.array(nnz[take].astype(np.int32))], schema=schema)


def hash_terms(spark, fitted, out_path: str):
    """Hash the texts of `fitted` (a DataFrame doc_id, topic_id, year, community, text) into `out_path`; return
    the dataset, cached."""
    fitted.mapInArrow(_hash_partition, TERMS_DDL).write.mode("overwrite").parquet(out_path)
    return spark.read.parquet(out_path).cache()


class SparkTerms:
    """The aggregated term statistics of one map's fitted documents (the ``terms`` dataset of `hash_terms`), with
    what `signals.escore.term_emergence` reads (``start``, ``year_counts``, ``communities``) and what
    `signals.compute.compute_topic_signals` asks of term statistics made elsewhere (``topic_term_signals``)."""

    def __init__(self, spark, terms_df):
        from pyspark.sql import functions as F

        from frontierwatch.signals.escore import N_FEATURES

        self.spark, self.df, self._F = spark, terms_df, F
        self.terms = terms_df.where("term >= 0")
        self.docs = terms_df.select("doc_id", "topic_id", "year", "nnz").dropDuplicates(["doc_id"]).cache()
        counts = self.terms.groupBy("year", "term").count().toArrow()
        per_year = self.docs.groupBy("year").count().toArrow()
        years = per_year.column("year").to_numpy()
        self.start = int(years.min()) if len(years) else None
        self._last = int(years.max()) if len(years) else None
        self._docs = dict(zip(years.tolist(), per_year.column("count").to_pylist()))
        n_years = (self._last - self.start + 1) if self.start is not None else 0
        self._counts = sp.csr_matrix((np.asarray(counts.column("count").to_numpy(), dtype=np.float64),
                                      (counts.column("year").to_numpy() - (self.start or 0),
                                       counts.column("term").to_numpy())), shape=(n_years, N_FEATURES))
        log.info("spark terms: %d documents, %d (year, term) counts", sum(self._docs.values()), counts.num_rows)

    def year_counts(self, first: int, last: int) -> tuple[np.ndarray, np.ndarray]:
        """Documents with each term per year ``first..last`` and documents per year (as `TermIndex.year_counts`)."""
        out = np.zeros((last - first + 1, self._counts.shape[1]))
        docs = np.zeros(last - first + 1)
        for y in range(max(first, self.start or first), min(last, self._last or last) + 1):
            out[y - first] = self._counts[y - self.start].toarray().ravel()
            docs[y - first] = self._docs.get(y, 0)
        return out, docs

    def communities(self, terms: np.ndarray, year: int) -> np.ndarray:
        """Distinct community keys among each term's active-period documents (as `TermIndex.communities`)."""
        from frontierwatch.signals.escore import ACTIVE_YEARS
        F = self._F
        wanted = self.spark.createDataFrame(pa.table({"term": pa.array(terms.astype(np.int32))}))
        got = (self.terms.where((F.col("year") > year - ACTIVE_YEARS) & (F.col("year") <= year))
               .join(F.broadcast(wanted), "term").groupBy("term").agg(F.countDistinct("community").alias("n"))
               .toArrow())
        found = dict(zip(got.column("term").to_pylist(), got.column("n").to_pylist()))
        return np.array([found.get(int(t), 0) for t in terms], dtype=np.int64)

    def topic_term_signals(self, topic_ids, years_out: list[int], first: int, term_scores: dict | None = None) -> dict:
        """``new_term_ratio``, ``escore_mean``, ``escore_share``, ``escore_owned``: (topics, years_out) arrays in
        the order of `topic_ids`, as `compute_topic_signals` computes them from a `TermIndex`."""
        from frontierwatch.signals.escore import term_emergence

        code = {str(t): i for i, t in enumerate(topic_ids)}
        shape = (len(topic_ids), len(years_out))
        out = {"new_term_ratio": self._new_term_ratio(code, years_out, shape)}
        cache = term_scores if term_scores is not None else {}
        for y in years_out:
            if y not in cache:
                cache[y] = term_emergence(self, y)
        out.update(self._topic_escore(code, years_out, cache, shape))
        return out

    def _new_term_ratio(self, code: dict, years_out: list[int], shape) -> np.ndarray:
        F = self._F
        first_seen = self.terms.groupBy("term").agg(F.min("year").alias("first_year"))
        new = (self.terms.join(first_seen, "term").where(F.col("first_year") == F.col("year"))
               .groupBy("doc_id").agg(F.count("*").alias("new")))
        ratio = (self.docs.join(new, "doc_id", "left").where(F.col("year").isin(years_out))
                 .select("topic_id", "year", F.when(F.col("nnz") > 0, F.coalesce("new", F.lit(0)) / F.col("nnz"))
                         .otherwise(F.lit(0.0)).alias("ratio"))
                 .groupBy("topic_id", "year").agg(F.avg("ratio").alias("ratio")).toArrow())
        out, col = np.full(shape, np.nan), {y: j for j, y in enumerate(years_out)}
        for t, y, v in zip(*(ratio.column(c).to_pylist() for c in ("topic_id", "year", "ratio"))):
            out[code[str(t)], col[y]] = v
        return out

    def _topic_escore(self, code: dict, years_out: list[int], escores: dict, shape) -> dict:
        """`signals.escore.topic_escore` for every year of `years_out` (one set of jobs for all years), from
        aggregations over each topic's recent documents (years ``y−1 … y``) and their emergent terms."""
        F = self._F
        col = {y: j for j, y in enumerate(years_out)}
        years = self.spark.createDataFrame(pa.table({"y": pa.array(years_out, pa.int32())}))
        window = (F.col("year") > F.col("y") - _WINDOW) & (F.col("year") <= F.col("y"))
        n = np.zeros(shape)
        recent = self.docs.crossJoin(F.broadcast(years)).where(window).groupBy("y", "topic_id").count().toArrow()
        for y, t, c in zip(*(recent.column(k).to_pylist() for k in ("y", "topic_id", "count"))):
            n[code[str(t)], col[y]] = c
        emergent = [(y, np.flatnonzero(escores[y] > 0)) for y in years_out]
        total, have, owned = np.zeros(shape), np.zeros(shape), np.zeros(shape)
        if any(len(terms) for _, terms in emergent):
            scores = self.spark.createDataFrame(pa.table({
                "y": pa.array(np.concatenate([np.full(len(t), y) for y, t in emergent]).astype(np.int32)),
                "term": pa.array(np.concatenate([t for _, t in emergent]).astype(np.int32)),
                "score": pa.array(np.concatenate([escores[y][t] for y, t in emergent]).astype(np.float64))}))
            hits = self.terms.join(F.broadcast(scores), "term").where(window).cache()
            per_topic = hits.groupBy("y", "topic_id").agg(F.sum("score").alias("total"),
                                                          F.countDistinct("doc_id").alias("have")).toArrow()
            for y, t, s_, h in zip(*(per_topic.column(k).to_pylist() for k in ("y", "topic_id", "total", "have"))):
                total[code[str(t)], col[y]], have[code[str(t)], col[y]] = s_, h
            term_total = hits.groupBy("y", "term").agg(F.count("*").alias("term_total"))
            mine = (hits.groupBy("y", "topic_id", "term", "score").agg(F.count("*").alias("n"))
                    .join(term_total, ["y", "term"]).groupBy("y", "topic_id")
                    .agg(F.sum(F.col("score") / F.col("term_total") * F.col("n")).alias("owned")).toArrow())
            for y, t, o in zip(*(mine.column(k).to_pylist() for k in ("y", "topic_id", "owned"))):
                owned[code[str(t)], col[y]] = o
            hits.unpersist()
        with np.errstate(invalid="ignore", divide="ignore"):
            return {"escore_mean": total / n, "escore_share": have / n, "escore_owned": np.where(n > 0, owned, np.nan)}
