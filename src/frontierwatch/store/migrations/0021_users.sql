-- A release hall people can trust with their contacts: e-mail for resets and notifications, lock-out after failed
-- sign-ins, password-reset tokens, contact requests, notifications, revisions (resubmission keeps history).
-- User data written by the web server (NNNN_users.sql: the user database once the store is split).
ALTER TABLE web_users ADD COLUMN email VARCHAR;      -- optional; never shown to other users
ALTER TABLE hall_items ADD COLUMN revision INTEGER DEFAULT 1;
ALTER TABLE hall_items ADD COLUMN fingerprint VARCHAR; -- sha256 of the normalised title + text (duplicate detection)
CREATE TABLE login_failures (
    username      VARCHAR PRIMARY KEY,         -- lower-cased name as typed (known or not: no account enumeration)
    failures      INTEGER NOT NULL,            -- consecutive failures since the last success
    last_failure  TIMESTAMP NOT NULL,
    locked_until  TIMESTAMP
);
CREATE TABLE password_resets (
    token_hash  VARCHAR PRIMARY KEY,           -- sha256 of the e-mailed token (the token itself is never stored)
    user_id     INTEGER NOT NULL,
    created     TIMESTAMP NOT NULL,
    expires     TIMESTAMP NOT NULL,
    used        TIMESTAMP                      -- single use
);
CREATE TABLE contact_requests (
    request_id   INTEGER PRIMARY KEY,
    item_id      INTEGER NOT NULL,
    requester_id INTEGER NOT NULL,
    message      VARCHAR NOT NULL,
    status       VARCHAR NOT NULL,             -- pending | accepted | declined
    created      TIMESTAMP NOT NULL,
    decided      TIMESTAMP
);
CREATE TABLE hall_notifications (
    notification_id INTEGER PRIMARY KEY,
    user_id     INTEGER NOT NULL,
    created     TIMESTAMP NOT NULL,
    kind        VARCHAR NOT NULL,              -- approved | rejected | contact_request | contact_accepted | ...
    item_id     INTEGER,
    message_zh  VARCHAR NOT NULL,
    message_en  VARCHAR NOT NULL,
    seen        BOOLEAN NOT NULL DEFAULT false,
    mailed      VARCHAR                        -- sent | no-address | not-configured | failed: <reason>
);
CREATE TABLE hall_revisions (
    item_id     INTEGER NOT NULL,
    revision    INTEGER NOT NULL,
    saved       TIMESTAMP NOT NULL,            -- when this revision was replaced
    status      VARCHAR NOT NULL,              -- its status then (e.g. rejected)
    content     VARCHAR NOT NULL,              -- JSON of the item's fields at that revision
    moderation_note VARCHAR,
    PRIMARY KEY (item_id, revision)
);
