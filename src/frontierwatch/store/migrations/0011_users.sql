-- The user database (users.duckdb; the files NNNN_users.sql apply there, the others to the pipeline database):
-- accounts, sessions, release-hall submissions, their topic links and the audit log — written by the web server
-- while it runs. Same columns as in migration 0006, where a store kept them before the split (0010).
CREATE TABLE web_users (
    user_id         INTEGER PRIMARY KEY,
    username        VARCHAR NOT NULL UNIQUE,   -- 3–40 chars of [A-Za-z0-9_.-]
    password_hash   VARCHAR NOT NULL,          -- argon2id (argon2-cffi), never the password
    role            VARCHAR NOT NULL,          -- viewer | submitter | moderator | admin
    api_token_hash  VARCHAR,                   -- sha256 of the bearer token (the token itself is shown once)
    created         TIMESTAMP NOT NULL,
    disabled        BOOLEAN NOT NULL DEFAULT false
);
CREATE TABLE web_sessions (
    session_id  VARCHAR PRIMARY KEY,           -- random; the signed cookie carries it
    user_id     INTEGER NOT NULL,
    csrf_token  VARCHAR NOT NULL,              -- random per session; every cookie-authenticated POST must echo it
    created     TIMESTAMP NOT NULL,
    expires     TIMESTAMP NOT NULL,
    revoked     BOOLEAN NOT NULL DEFAULT false
);
CREATE TABLE hall_items (
    item_id      INTEGER PRIMARY KEY,
    kind         VARCHAR NOT NULL,             -- achievement (技术成果) | scenario (应用场景需求)
    status       VARCHAR NOT NULL,             -- pending | approved | rejected
    title        VARCHAR NOT NULL,
    body         VARCHAR NOT NULL,             -- achievement: description; scenario: the problem
    direction    VARCHAR,                      -- achievement: one of the six directions (taxonomy id)
    field        VARCHAR,                      -- achievement: field within the direction
    trl          INTEGER,                      -- achievement: technology readiness level 1–9
    organisation VARCHAR,
    contact      VARCHAR,
    links        VARCHAR[],                    -- http(s) URLs only
    sector       VARCHAR,                      -- scenario: industry sector
    constraints  VARCHAR,                      -- scenario
    budget_band  VARCHAR,                      -- scenario: undisclosed | lt_1m | 1m_5m | 5m_20m | gt_20m (CNY)
    deadline     DATE,                         -- scenario
    submitter_id INTEGER NOT NULL,
    created      TIMESTAMP NOT NULL,
    updated      TIMESTAMP NOT NULL,
    moderator_id INTEGER,
    moderated    TIMESTAMP,
    moderation_note VARCHAR
);
CREATE TABLE hall_topic_links (
    item_id   INTEGER NOT NULL,
    topic_id  VARCHAR NOT NULL,
    rank      INTEGER NOT NULL,
    score     DOUBLE,
    label     VARCHAR,
    reason    VARCHAR,                         -- why (shared terms, similarity), from the linking hook
    PRIMARY KEY (item_id, topic_id)
);
CREATE TABLE hall_audit (
    at_time  TIMESTAMP NOT NULL,
    user_id  INTEGER,
    action   VARCHAR NOT NULL,                 -- submit | approve | reject | edit | login | admin_create
    item_id  INTEGER,
    detail   VARCHAR
);
