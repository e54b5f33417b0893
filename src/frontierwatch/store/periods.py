"""The default as-of date: the end of the last complete period with enough data, not the newest straggler's date.

A corpus ends raggedly: a harvest still filling its last months, a few records dated years after the rest (the demo
holds one document dated 2023-02-01 after three thin years). Building "as of the newest date" then fits a map
whose signal year holds a handful of documents, so every topic shows count 0. The rule, stated once here and in
the README:

* **build and catalog** (without ``--as-of`` / ``--edition``): 31 December of the latest complete calendar year.
  Years are the signal stage's periods (growth, share and forecasts are yearly), so the map's signal year is a
  whole one.
* **update** (the monthly job): the newest publication date not later than the end of the latest complete month;
  documents after it are stragglers.

A period (year or month) is complete when it holds at least half (``SHARE``) as many dated documents as the busiest
of the periods just before it (three years, twelve months) **and** at least half of the median of all earlier
periods holding documents. The first test follows the corpus as it grows or moves; the second keeps a
thin tail that happens to bump from passing (the 41 OpenAlex works of the tests: 1–2 a year for four years after
the 2014–2017 arXiv papers, then 31 in 2022). A period after empty ones is not complete; the first period holding
documents is. On the demo corpus: 2019 (4,681 documents; 2020: 469, 2021: 1,742, 2022: 78, 2023: 1).
`complete_period` is the pure rule; `default_as_of` and `update_as_of` read the counts from ``documents``.
"""
from __future__ import annotations

import calendar
from datetime import date

import numpy as np

from frontierwatch.store.database import Store

__all__ = ["SHARE", "complete_period", "default_as_of", "update_as_of", "RULE"]

SHARE = 0.5
YEARS_BEFORE = 3
MONTHS_BEFORE = 12
RULE = {
    "en": "the end of the latest year holding at least half as many dated documents as the busiest of the three "
          "years before it and half the median earlier year (later documents are stragglers)",
    "zh": "最近一个完整年度的年末：该年带日期的文献数至少为此前三年中最多一年的一半、且不少于此前各年中位数的一半（其后的零星文献不计）",
}


def complete_period(counts: list[tuple[int, int]], before: int, share: float = SHARE) -> int | None:
    """The latest complete period of `counts` (``[(period index, documents)]``, any order; consecutive periods
    have consecutive indexes): the first period with documents, or a later one holding at least `share` × the
    busiest of the `before` periods just before it and `share` × the median of all earlier periods with documents.
    None when `counts` holds no document.

    >>> complete_period([(2018, 3889), (2019, 4681), (2020, 469), (2021, 1742), (2022, 78), (2023, 1)], 3)
    2019
    """
    have = dict(sorted((p, n) for p, n in counts if n))
    best, earlier = None, []
    for p, n in have.items():
        busiest = max((have.get(p - k, 0) for k in range(1, before + 1)), default=0)
        if best is None or (busiest > 0 and n >= share * busiest and n >= share * float(np.median(earlier))):
            best = p
        earlier.append(n)
    return best


def default_as_of(store: Store) -> date | None:
    """31 December of the latest complete year of the store's dated documents (see the module docstring); None
    when no document is dated."""
    rows = store.tables.sql("SELECT year(published), count(*) FROM documents WHERE published IS NOT NULL "
                            "GROUP BY 1").rows()
    year = complete_period([(int(y), int(n)) for y, n in rows], YEARS_BEFORE)
    return None if year is None else date(year, 12, 31)


def update_as_of(store: Store) -> date | None:
    """The date an update brings the map to: the newest publication date not later than the end of the latest
    complete month (see the module docstring); None when no document is dated."""
    rows = store.tables.sql("SELECT year(published) * 12 + month(published) - 1, count(*) FROM documents "
                            "WHERE published IS NOT NULL GROUP BY 1").rows()
    month = complete_period([(int(m), int(n)) for m, n in rows], MONTHS_BEFORE)
    if month is None:
        return None
    year, m = divmod(month, 12)
    end = date(year, m + 1, calendar.monthrange(year, m + 1)[1])
    return store.tables.sql("SELECT max(published) FROM documents WHERE published <= ?", [end]).scalar()
