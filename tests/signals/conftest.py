"""A small real frame: demo-corpus arXiv papers of 2010–2016 in three fields, with the field as topic."""
from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

DEMO = Path(__file__).resolve().parents[2] / "data" / "demo" / "arxiv"
FIELDS = {"cs.LG": 0, "stat.ML": 0, "cs.CV": 0, "quant-ph": 1, "cs.NI": 2}


def demo_frame(last_year: int = 2016, fields: dict[str, int] | None = FIELDS) -> dict[str, list]:
    """Columns of `compute_topic_signals` for demo papers of the three fields (topic = field); with
    ``fields=None`` every primary arXiv category is a topic of its own (152 topics)."""
    cols: dict[str, list] = {k: [] for k in ("doc_id", "topic_id", "year", "month", "kind", "categories", "text",
                                             "cited_by_count", "institution_types")}
    for path in sorted(DEMO.glob("arxiv-*.jsonl.gz")):
        year = int(path.name[6:10])
        if year > last_year:
            continue
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            for line in fh:
                doc = json.loads(line)
                cats = doc["categories"].split()
                if fields is not None and cats[0] not in fields:
                    continue
                created = doc["versions"][0]["created"]          # "Thu, 28 Oct 2010 00:00:00 GMT"
                month = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
                         "Dec"].index(created.split()[2]) + 1
                cols["doc_id"].append(doc["id"])
                cols["topic_id"].append(fields[cats[0]] if fields is not None else cats[0])
                cols["year"].append(year)
                cols["month"].append(month)
                cols["kind"].append("paper")
                cols["categories"].append(cats)
                cols["text"].append(doc["title"] + ". " + doc["abstract"])
                cols["cited_by_count"].append(None)
                cols["institution_types"].append([])
    return cols


@pytest.fixture(scope="session")
def field_frame() -> dict[str, list]:
    return demo_frame()


@pytest.fixture(scope="session")
def category_frame() -> dict[str, list]:
    """Demo papers to 2016 with their primary arXiv category as topic: enough topics for ranks to mean something."""
    return demo_frame(fields=None)


@pytest.fixture(scope="session")
def frame_until():
    """`demo_frame` as a fixture: call it with the last year to include."""
    return demo_frame
