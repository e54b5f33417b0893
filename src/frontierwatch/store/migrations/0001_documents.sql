-- Core tables: documents, identity keys, provenance, ingest runs, per-file progress, rejects.
CREATE TABLE documents (
    doc_id          VARCHAR PRIMARY KEY,   -- stable: the first strong key the document was created with
    kind            VARCHAR NOT NULL,      -- paper | patent | achievement
    title           VARCHAR NOT NULL,
    abstract        VARCHAR,
    language        VARCHAR,               -- ISO 639-1 (en, zh, ...)
    published       DATE,                  -- first publication / submission / filing date
    year            INTEGER,
    categories      VARCHAR[],             -- arXiv categories, CPC/IPC classes, OpenAlex topics/concepts, keywords
    primary_category VARCHAR,
    doi             VARCHAR,
    arxiv_id        VARCHAR,
    openalex_id     VARCHAR,
    patent_number   VARCHAR,
    other_ids       MAP(VARCHAR, VARCHAR),
    venue           VARCHAR,
    authors         VARCHAR[],
    institutions    STRUCT(name VARCHAR, type VARCHAR, country VARCHAR, ror VARCHAR)[],
    countries       VARCHAR[],
    cited_by_count  INTEGER,
    reference_ids   VARCHAR[],             -- cited works / patents / non-patent literature as given
    sources         VARCHAR[]              -- every source that contributed
);
CREATE TABLE document_keys (
    key     VARCHAR PRIMARY KEY,           -- 'doi:…', 'arxiv:…', 'openalex:W…', 'patent:US…', 'title:<norm>|<year>'
    doc_id  VARCHAR NOT NULL
);
CREATE TABLE provenance (
    doc_id  VARCHAR NOT NULL,
    source  VARCHAR NOT NULL,
    file    VARCHAR NOT NULL,
    line    BIGINT NOT NULL,               -- line number, or record ordinal for non-line formats
    run_id  INTEGER NOT NULL,
    PRIMARY KEY (file, line)
);
CREATE TABLE ingest_runs (
    run_id    INTEGER PRIMARY KEY,
    started   TIMESTAMP NOT NULL,
    finished  TIMESTAMP,
    status    VARCHAR NOT NULL,            -- running | done | failed (a killed run stays 'running')
    paths     VARCHAR[],
    source    VARCHAR,
    accepted  BIGINT DEFAULT 0,
    merged    BIGINT DEFAULT 0,
    rejected  BIGINT DEFAULT 0,
    skipped_files VARCHAR[]
);
CREATE TABLE ingest_files (
    file        VARCHAR PRIMARY KEY,
    fingerprint VARCHAR NOT NULL,          -- size + mtime + hash of the first 64 KiB
    source      VARCHAR NOT NULL,
    records_done BIGINT NOT NULL,          -- resume point: records (good or rejected) already stored
    complete    BOOLEAN NOT NULL,
    run_id      INTEGER NOT NULL
);
CREATE TABLE rejects (
    file    VARCHAR NOT NULL,
    line    BIGINT NOT NULL,
    reason  VARCHAR NOT NULL,
    raw     VARCHAR,                       -- the raw text, cut to 4 KiB (raw_bytes gives the full length)
    raw_bytes BIGINT,
    run_id  INTEGER NOT NULL,
    PRIMARY KEY (file, line)
);
