"""The risk stage's runner over a topic map: the flags of every topic of the map of a date.

Reads the topics stage's map (`frontierwatch.topics.list_topics`) and each topic's documents dated on or before
the map's date (nearest the centroid first, as the catalog reads them); writes nothing — flags are cheap to
recompute and always follow the taxonomy in force.
"""
from __future__ import annotations

import logging
import time
from datetime import date

from frontierwatch.risk.flags import FlagParams, flag_topic
from frontierwatch.risk.taxonomy import RiskTaxonomy, load_risk_taxonomy

log = logging.getLogger(__name__)


def flag_map(store, as_of: date | None = None, *, taxonomy: RiskTaxonomy | None = None,
             params: FlagParams | None = None) -> dict:
    """``{"as_of", "n_topics", "taxonomy", "params", "topics": [{"id", "label", "size", "flags"}]}`` — flagged
    topics only, largest first."""
    from frontierwatch.catalog.queries import topic_documents
    from frontierwatch.topics import list_topics

    started = time.perf_counter()
    taxonomy = taxonomy or load_risk_taxonomy()
    params = params or FlagParams()
    listed = list_topics(store, as_of)
    ids = [t["id"] for t in listed["topics"]]
    docs = topic_documents(store, listed["map_id"], date.fromisoformat(listed["as_of"]), ids)
    flagged = []
    for t in listed["topics"]:
        flags = flag_topic(t, docs[t["id"]], params=params, taxonomy=taxonomy)
        if flags:
            flagged.append({"id": t["id"], "label": t["label"], "size": t["size"], "flags": flags})
    log.info("risk flags: %d of %d topics flagged in %.1f s", len(flagged), len(ids), time.perf_counter() - started)
    return {"as_of": listed["as_of"], "n_topics": len(ids), "taxonomy": taxonomy.identity(),
            "params": params.as_dict(), "topics": flagged}
