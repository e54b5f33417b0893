-- Catalog (issue 5): topic → six-direction mapping per topic map, and the published catalog editions.
CREATE TABLE topic_directions (
    map_id        INTEGER NOT NULL,
    topic_id      VARCHAR NOT NULL,
    directions    VARCHAR[] NOT NULL,      -- direction ids, best first; ['outside'] when none of the six fits
    fields        VARCHAR[] NOT NULL,      -- 'direction/field' keys, best first (empty when outside)
    confidence    DOUBLE NOT NULL,         -- 0..1 (for 'outside': 1 − best field score)
    products      VARCHAR[],               -- landmark products matched by terms
    reason        JSON,                    -- {"zh", "en"} sentence plus matched terms and similarities
    taxonomy_version INTEGER NOT NULL,
    PRIMARY KEY (map_id, topic_id)
);
CREATE TABLE catalog_editions (
    edition       VARCHAR PRIMARY KEY,     -- e.g. '2019H2'
    as_of         DATE NOT NULL,
    map_id        INTEGER,                 -- topic map the edition was built on
    parameters    JSON NOT NULL,           -- everything needed to rebuild the edition's numbers
    n_entries     INTEGER NOT NULL,
    model         JSON NOT NULL,           -- the whole language-neutral edition model (renderers read it)
    created       TIMESTAMP NOT NULL DEFAULT now()
);
CREATE TABLE catalog_entries (
    edition       VARCHAR NOT NULL,
    topic_id      VARCHAR NOT NULL,
    direction     VARCHAR NOT NULL,
    field         VARCHAR NOT NULL,
    rank_in_field INTEGER NOT NULL,
    overall_rank  INTEGER NOT NULL,        -- rank by score across the edition (used for risen / fallen)
    score         DOUBLE,                  -- selection score; NULL when no signal was available
    breakthrough  DOUBLE,
    industrialisation DOUBLE,
    stage         VARCHAR,
    PRIMARY KEY (edition, topic_id)
);
