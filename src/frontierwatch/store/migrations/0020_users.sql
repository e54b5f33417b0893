-- Risk governance (鉴别-评估-防御-治理): assessments, the governance register, screenings of hall items, and one
-- append-only, hash-chained audit log of every governance and moderation action. These rows are written by the
-- web server (user data: the name NNNN_users.sql places them in the user database once the store is split).
-- hall_audit stays as it was, frozen: its rows are read as the log's legacy part, new rows go to audit_log.
CREATE TABLE risk_assessments (
    assessment_id INTEGER PRIMARY KEY,
    target_kind   VARCHAR NOT NULL,            -- topic | hall_item | entry
    target_id     VARCHAR NOT NULL,            -- topic id (T00042), hall item id, catalog entry '<edition>/<topic id>'
    category      VARCHAR,                     -- risk taxonomy category id; NULL = the target as a whole
    severity      INTEGER NOT NULL CHECK (severity BETWEEN 1 AND 5),
    likelihood    INTEGER NOT NULL CHECK (likelihood BETWEEN 1 AND 5),
    rationale     VARCHAR NOT NULL,
    evidence      VARCHAR[] NOT NULL,          -- http(s) links
    mitigation    VARCHAR NOT NULL DEFAULT '',
    status        VARCHAR NOT NULL,            -- open | assessed | mitigated | accepted | escalated
    reviewer_id   INTEGER NOT NULL,
    created       TIMESTAMP NOT NULL,
    supersedes    INTEGER                      -- the previous assessment of the same target: rows are never changed
);
CREATE TABLE governance_register (
    entry_id    INTEGER PRIMARY KEY,
    kind        VARCHAR NOT NULL,              -- policy | red_line | decision
    title_zh    VARCHAR NOT NULL,
    title_en    VARCHAR NOT NULL,
    body_zh     VARCHAR NOT NULL,
    body_en     VARCHAR NOT NULL,
    reason      VARCHAR NOT NULL DEFAULT '',   -- why (decisions)
    target_kind VARCHAR,                       -- what a decision is about (topic | hall_item | entry), if anything
    target_id   VARCHAR,
    decided_by  INTEGER NOT NULL,
    decided     TIMESTAMP NOT NULL,
    supersedes  INTEGER                        -- an entry replaced by this one (entries are never changed)
);
CREATE TABLE hall_screenings (
    item_id   INTEGER NOT NULL,
    revision  INTEGER NOT NULL,                -- the item's revision the screening read
    screened  TIMESTAMP NOT NULL,
    flags     VARCHAR NOT NULL,                -- JSON list of flags (category, terms, red_line_terms, red_line)
    taxonomy  VARCHAR NOT NULL,                -- JSON identity of the taxonomy used (file, version, date, sha256)
    PRIMARY KEY (item_id, revision)
);
CREATE TABLE audit_log (
    seq         BIGINT PRIMARY KEY,            -- 1, 2, 3 ... in the order written
    at_time     TIMESTAMP NOT NULL,
    actor_id    INTEGER,                       -- the user who acted (NULL: the system)
    action      VARCHAR NOT NULL,              -- submit | edit | resubmit | approve | reject | assess | register | ...
    target_kind VARCHAR,                       -- hall_item | topic | entry | user | register
    target_id   VARCHAR,
    detail      VARCHAR,
    prev_hash   VARCHAR,                       -- hash of the previous row (NULL for the first)
    hash        VARCHAR                        -- sha256 over prev_hash and this row: editing any row breaks the chain
);
