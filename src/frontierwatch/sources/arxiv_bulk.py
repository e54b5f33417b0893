"""The arXiv snapshot parsed in bulk by DuckDB: one SQL statement turns a batch of JSON lines into `documents` rows.

Why: parsing each line in Python (orjson, a `Record`, `prepare`, a dict per row, Arrow from Python lists) costs
about 150 µs of CPU per record; DuckDB's JSON reader and vectorised string functions do the same work in about
20 µs, on both cores. The Python path (`frontierwatch.sources.arxiv` + `prepare`) stays the definition:

* A line takes the bulk path only when it is *canonical*: the snapshot's fourteen keys in the snapshot's order
  (so no duplicate or unknown key), every value a string or null except ``versions`` (objects of strings) and
  ``authors_parsed`` (arrays of strings) — hence no number anywhere, so none of the NaN, Infinity or overflowing
  numbers DuckDB's reader accepts and orjson refuses — no trailing comma (the other leniency), an ASCII arXiv id,
  DOI and title, the snapshot's date layout and every field within the size limit. For such lines the SQL
  below gives exactly what `parse_arxiv_object` → `prepare` → `record_row` give: whitespace is Python's
  `str.split` set (`WS`), names follow the same join rule, ids the same normalisation.
* Every other line (``fast`` false) is handed back by line number to the Python path, so its row, keys or
  reject — reason and raw text included — are the ones that path makes, by construction.

String functions run their regular expression only when a cheap test (ASCII, no whitespace but single spaces)
says the value needs it: a global `regexp_replace` costs about 80 µs on an abstract, `contains` well under one.

`tests/sources/test_ingest_bulk.py` checks the equality on real lines and on odd ones of every kind; `bench/ingest.py`
checks it on the whole shared corpus (one content hash for both paths).

Input: a registered Arrow table ``line BIGINT, text VARCHAR`` (valid UTF-8, non-blank lines).
Output, one row per input line: ``line``, ``fast`` and, where fast, the `documents` columns
(`DOC_COLUMNS`), ``keys`` (strong keys, `STRONG_SCHEMES` order) and ``tkey`` (title key or NULL).
"""
from __future__ import annotations

from frontierwatch.sources.arxiv import parse_arxiv_line as parse_line  # the record path, for the lines left
from frontierwatch.sources.rows import DOC_SCHEMA

# Python's whitespace (str.isspace = str.split = re's \s): code points, and the same as an RE2 class.
SPACES = (9, 10, 11, 12, 13, 28, 29, 30, 31, 32, 133, 160, 5760, 8192, 8193, 8194, 8195, 8196, 8197, 8198, 8199, 8200, 8201, 8202, 8232, 8233, 8239, 8287, 12288)  # == tuple(c for c in range(0x110000) if chr(c).isspace())
WS = (r"[\t\n\x0b\x0c\r\x1c-\x1f \x{85}\x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}\x{205f}"
      r"\x{3000}]")
KEYS = ("id", "submitter", "authors", "title", "comments", "journal-ref", "doi", "report-no", "categories",
        "license", "abstract", "versions", "update_date", "authors_parsed")
STRUCTURE = ("{" + ",".join(f'"{k}":"VARCHAR"' for k in KEYS[:11]) + ',"versions":[{"version":"VARCHAR",'
             '"created":"VARCHAR"}],"update_date":"VARCHAR","authors_parsed":[["VARCHAR"]]}')
SHAPE = ('{"id":"VARCHAR","title":"VARCHAR","abstract":"VARCHAR","categories":"VARCHAR","doi":"VARCHAR",'
         '"journal-ref":"VARCHAR","versions":[{"created":"VARCHAR"}],"authors_parsed":[["VARCHAR"]]}')
TRAILING_COMMA = r",[ \t\r\n]*[\]}]"
DATE = (r"^[A-Z][a-z]{2}, ([0-9]{2}) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) ([0-9]{4}) "
        r"[0-9]{2}:[0-9]{2}:[0-9]{2} GMT$")
__all__ = ["parse_line", "parse_sql"]
MONTHS = "['Jan','Feb','Mar','Apr','May','Jun','Jul','Aug','Sep','Oct','Nov','Dec']"
_SPACE_LIST = "[" + ",".join(map(str, SPACES)) + "]"
# the type of `documents.institutions` (an empty list here), as `rows.DOC_SCHEMA` defines it: fields of strings
_INSTITUTIONS = ("STRUCT(" + ", ".join(f"{f.name} VARCHAR" for f in DOC_SCHEMA.field("institutions").type.value_type)
                 + ")[]")


def _sql_list(items) -> str:
    return "[" + ",".join("'" + i.replace("'", "''") + "'" for i in items) + "]"


def _plain(x: str) -> str:
    """True when `x` is ASCII with no whitespace but single inner spaces: `x.split()` is then `x` itself."""
    inner = " OR ".join(f"contains({x}, chr({c}))" for c in SPACES if c < 128 and c != 32)
    return (f"(strlen({x}) = length({x}) AND NOT ({inner} OR contains({x}, '  ')) "
            f"AND NOT starts_with({x}, ' ') AND NOT ends_with({x}, ' '))")


def _collapse(x: str) -> str:
    """`" ".join(x.split())`."""
    return f"CASE WHEN {_plain(x)} THEN {x} ELSE trim(regexp_replace({x}, '{WS}+', ' ', 'g')) END"


def _strip(x: str) -> str:
    """`x.strip()`."""
    return (f"CASE WHEN {x} = '' OR (NOT list_contains({_SPACE_LIST}, ascii({x})) "
            f"AND NOT list_contains({_SPACE_LIST}, ascii(right({x}, 1)))) THEN {x} "
            f"ELSE regexp_replace({x}, '^{WS}+|{WS}+$', '', 'g') END")


def parse_sql(source: str, max_field_bytes: int) -> str:
    """The SELECT that parses the registered table `source` (see the module docstring).

    Each test is a nested CASE, so a function that would fail on odd input (`json_structure` on invalid JSON,
    `from_json` on another shape) only ever sees lines the test before it accepted.
    """
    limit = int(max_field_bytes)
    name = "concat_ws(' ', CASE WHEN len(a) > 1 THEN nullif(a[2], '') END, nullif(a[1], ''))"
    token = f"regexp_extract(j.doi, '^{WS}*([^{WS[1:-1]}]+)', 1)"  # `doi.split()[0]`: no whitespace in it
    doi_prefix = r"'^(?i:https?://(?:dx\.)?doi\.org/|doi:" + WS + r"*)'"
    arxiv_prefix = r"'^(?i:https?://arxiv\.org/(?:abs|pdf)/|arxiv:)'"
    return rf"""
    WITH parsed AS (
      SELECT line,
        CASE WHEN try(json_keys(text)) = {_sql_list(KEYS)} THEN
          CASE WHEN replace(json_structure(text), '"NULL"', '"VARCHAR"') = '{STRUCTURE}'
                    AND NOT regexp_matches(text, '{TRAILING_COMMA}') THEN
            from_json(text, '{SHAPE}')
        END END AS j,
        (strlen(text) - strlen(replace(text, '"created"', ''))) // 9 AS n_created
      FROM {source}
    ), fields AS (
      SELECT line,
        {_strip("j.id")} AS id, {_collapse("j.title")} AS title, nullif({_collapse("j.abstract")}, '') AS abstract,
        CASE WHEN {_plain("coalesce(j.categories, '')")} THEN string_split(coalesce(j.categories, ''), ' ')
             ELSE regexp_split_to_array(coalesce(j.categories, ''), '{WS}+') END AS cats0,
        nullif(j."journal-ref", '') AS venue, j.doi AS doi_raw, CASE WHEN j.doi <> '' THEN {token} END AS doi_token,
        len(j.versions) AS n_versions, n_created,
        regexp_extract(j.versions[1].created, '{DATE}', ['d', 'm', 'y']) AS date_parts,
        list_transform(list_filter(j.authors_parsed, lambda a: len(a) > 0), lambda a: {name}) AS names,
        len(j.authors_parsed) AS n_names,
        strlen(j.title) AS title_bytes, coalesce(strlen(j.abstract), 0) AS abstract_bytes,
        coalesce(strlen(j."journal-ref"), 0) AS venue_bytes
      FROM parsed
    ), derived AS (
      SELECT *, list_filter(cats0, lambda c: c <> '') AS cats, list_transform(names, lambda n: {_strip("n")}) AS authors,
        lower(regexp_replace(regexp_replace(id, {arxiv_prefix}, ''), 'v[0-9]+$', '')) AS arxiv_id,
        CASE WHEN doi_token <> '' AND strlen(doi_raw) = length(doi_raw)
             THEN lower(regexp_replace(doi_token, {doi_prefix}, '')) END AS doi,
        try(make_date(date_parts.y::INTEGER, list_position({MONTHS}, date_parts.m), date_parts.d::INTEGER))
          AS published,
        trim(regexp_replace(lower(title), '[^a-z0-9]+', ' ', 'g')) AS tnorm
      FROM fields
    ), checked AS (
      SELECT *,
        id <> '' AND strlen(id) = length(id) AND title <> '' AND strlen(title) = length(title)
        AND (doi_raw IS NULL OR doi_raw = '' OR doi IS NOT NULL)
        AND n_created = n_versions AND (n_versions = 0 OR published IS NOT NULL) AND n_names > 0
        AND title_bytes <= {limit} AND abstract_bytes <= {limit} AND venue_bytes <= {limit} AS fast
      FROM derived
    )
    SELECT line, coalesce(fast, false) AS fast,
      'arxiv:' || arxiv_id AS doc_id, 'paper' AS kind, title, abstract, 'en' AS language, published,
      year(published)::INTEGER AS year,
      list_filter(cats, lambda x, i: list_position(cats, x) = i) AS categories, cats[1] AS primary_category,
      doi, arxiv_id, NULL::VARCHAR AS openalex_id, NULL::VARCHAR AS patent_number,
      NULL::MAP(VARCHAR, VARCHAR) AS other_ids, venue, authors,
      []::{_INSTITUTIONS} AS institutions,
      []::VARCHAR[] AS countries, NULL::INTEGER AS cited_by_count, []::VARCHAR[] AS reference_ids,
      ['arxiv'] AS sources,
      ['arxiv:' || arxiv_id] || CASE WHEN doi IS NULL THEN [] ELSE ['doi:' || doi] END AS keys,
      CASE WHEN published IS NOT NULL AND length(tnorm) >= 20 THEN 'title:' || tnorm || '|' || year(published) END
        AS tkey
    FROM checked"""
