"""The catalog stage: six-direction taxonomy, topic → direction mapping, landscape, risk flags and the
periodic frontier-technology catalog editions (前沿技术推广目录), all rendered from one `Edition` model.

Runner: `build_edition` (reads the stored topic map, directions, axes and forecast of the as-of date, which
the core builds first) → `Edition`; `save_edition` / `load_edition`; `write_edition` renders html, pdf, xlsx,
json or md. Tables of migration 0005 are read and written only in `catalog/queries.py` (`read_directions`,
`write_directions`, editions). Pure steps: `load_taxonomy`, `map_topics`, `landscapes`, `diff_editions`. Risk
flags and assessed risks of the entries come from the risk stage (`frontierwatch.risk`).
"""
from frontierwatch.catalog.changes import diff_editions
from frontierwatch.catalog.edition import (Edition, EditionParams, build_edition, edition_as_of, edition_code,
                                           load_edition, previous_edition, save_edition, stored_editions)
from frontierwatch.catalog.landscape import landscapes, topic_members
from frontierwatch.catalog.mapping import MappingParams, map_topics
from frontierwatch.catalog.queries import read_directions, topic_documents, write_directions
from frontierwatch.catalog.render import FORMATS, render_edition, write_edition
from frontierwatch.catalog.taxonomy import OUTSIDE, Taxonomy, load_taxonomy

__all__ = ["Edition", "EditionParams", "FORMATS", "MappingParams", "OUTSIDE", "Taxonomy",
           "build_edition", "diff_editions", "edition_as_of", "edition_code", "landscapes", "load_edition",
           "load_taxonomy", "map_topics", "previous_edition", "read_directions", "render_edition",
           "save_edition", "stored_editions", "topic_documents", "topic_members", "write_directions", "write_edition"]
