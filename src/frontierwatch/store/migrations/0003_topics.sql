-- Topic maps (issue 3): one map per as-of date; topics, broad fields, document assignments, lineage
-- between maps, and candidate new topics. Plain table-to-table design (no UDFs) so it could run on Spark.
CREATE TABLE topic_maps (
    map_id          INTEGER PRIMARY KEY,   -- never reused; a rebuild of an as-of gets a new map_id
    as_of           DATE NOT NULL UNIQUE,  -- only documents published on or before it were fitted
    model           VARCHAR NOT NULL,      -- topic method, e.g. 'kmeans'
    embed_model     VARCHAR NOT NULL,      -- embedding model name (embeddings table)
    seed            INTEGER NOT NULL,
    params          JSON,                  -- every setting that shaped the map
    n_topics        INTEGER NOT NULL,
    n_fields        INTEGER NOT NULL,
    n_docs_fit      BIGINT NOT NULL,
    candidate_distance DOUBLE,             -- beyond it an assigned document is a candidate for a new topic
    prev_map_id     INTEGER,               -- map the ids and lineage were matched against
    created         TIMESTAMP NOT NULL DEFAULT now()
);
CREATE TABLE topic_fields (
    map_id      INTEGER NOT NULL,
    field_id    VARCHAR NOT NULL,          -- 'F01'… per map, largest field first
    label       VARCHAR NOT NULL,
    keyphrases  STRUCT(phrase VARCHAR, weight DOUBLE)[],
    size        BIGINT NOT NULL,           -- fitted documents in the field's topics
    n_topics    INTEGER NOT NULL,
    x           DOUBLE,
    y           DOUBLE,
    PRIMARY KEY (map_id, field_id)
);
CREATE TABLE topics (
    map_id      INTEGER NOT NULL,
    topic_id    VARCHAR NOT NULL,          -- stable across maps: 'T00042'
    field_id    VARCHAR NOT NULL,
    label       VARCHAR NOT NULL,          -- top keyphrases joined by ' · '
    keyphrases  STRUCT(phrase VARCHAR, weight DOUBLE)[],
    size        BIGINT NOT NULL,           -- fitted documents (all dated on or before as_of)
    centroid    FLOAT[] NOT NULL,          -- unit vector in the embedding space
    x           DOUBLE,
    y           DOUBLE,
    representative_ids VARCHAR[],          -- fitted documents closest to the centroid
    PRIMARY KEY (map_id, topic_id)
);
CREATE TABLE doc_topics (
    map_id      INTEGER NOT NULL,
    doc_id      VARCHAR NOT NULL,
    topic_id    VARCHAR NOT NULL,          -- nearest topic
    distance    FLOAT NOT NULL,            -- cosine distance to its centroid
    fitted      BOOLEAN NOT NULL,          -- used to fit the map (dated on or before as_of)
    candidate_new BOOLEAN NOT NULL,        -- assigned later and farther than candidate_distance
    PRIMARY KEY (map_id, doc_id)
);
CREATE TABLE topic_lineage (
    map_id        INTEGER NOT NULL,
    prev_map_id   INTEGER NOT NULL,
    topic_id      VARCHAR,                 -- NULL for 'died'
    prev_topic_id VARCHAR,                 -- NULL for 'born'
    event         VARCHAR NOT NULL,        -- continues | split | merge | born | died
    jaccard       DOUBLE,                  -- member overlap on documents both maps fitted
    cosine        DOUBLE,                  -- centroid similarity
    shared_docs   BIGINT NOT NULL
);
CREATE TABLE candidate_topics (
    map_id        INTEGER NOT NULL,
    candidate_id  VARCHAR NOT NULL,        -- 'C001'… per map, largest first; recomputed on each assignment
    label         VARCHAR NOT NULL,
    keyphrases    STRUCT(phrase VARCHAR, weight DOUBLE)[],
    size          BIGINT NOT NULL,
    nearest_topic_id VARCHAR,
    distance      DOUBLE,                  -- cosine distance of its centroid to the nearest topic
    first_published DATE,
    last_published  DATE,
    doc_ids       VARCHAR[],
    PRIMARY KEY (map_id, candidate_id)
);
