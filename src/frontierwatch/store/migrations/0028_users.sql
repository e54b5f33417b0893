-- Watchlists and alerts (user database): what a CLI profile or a web user follows, the alerts the rules raised
-- for it, and what each delivery channel did with each alert. User data, like the hall: written by batch commands
-- when no site runs, by `frontierwatch serve` while it runs.
CREATE TABLE watches (
    watch_id   INTEGER PRIMARY KEY,
    owner      VARCHAR NOT NULL,               -- 'profile:<name>' (command line) or 'user:<user_id>' (web app)
    kind       VARCHAR NOT NULL,               -- topic | direction | query
    target     VARCHAR NOT NULL,               -- topic id, direction id, or the saved search text (zh/en)
    name       VARCHAR,
    email      VARCHAR,                        -- alerts are e-mailed here when set
    webhook    VARCHAR,                        -- alerts are POSTed here (HMAC-signed) when set
    created    TIMESTAMP NOT NULL,
    removed    TIMESTAMP                       -- removed watches keep their alerts
);
CREATE TABLE alerts (
    alert_id   INTEGER PRIMARY KEY,
    watch_id   INTEGER NOT NULL,
    kind       VARCHAR NOT NULL,               -- new_documents | forecast_crossed | edition_listed | edition_dropped | topic_born | topic_split | topic_merged | hall_item
    subject    VARCHAR NOT NULL,               -- what the alert is about; (watch_id, kind, subject) raises once
    as_of      DATE,                           -- as-of date of the map / edition the evidence comes from
    created    TIMESTAMP NOT NULL,
    title_zh   VARCHAR NOT NULL,
    title_en   VARCHAR NOT NULL,
    evidence   JSON NOT NULL,
    read       BOOLEAN NOT NULL DEFAULT false,
    UNIQUE (watch_id, kind, subject)
);
CREATE TABLE alert_deliveries (
    alert_id   INTEGER NOT NULL,
    channel    VARCHAR NOT NULL,               -- email | webhook
    status     VARCHAR NOT NULL,               -- sent | failed | not-configured
    attempts   INTEGER NOT NULL,
    updated    TIMESTAMP NOT NULL,
    detail     VARCHAR,
    PRIMARY KEY (alert_id, channel)
);
