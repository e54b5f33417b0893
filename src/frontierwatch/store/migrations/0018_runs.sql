-- What each long command did, stage by stage (frontierwatch.timings): `frontierwatch status` shows the last one.
CREATE TABLE runs (
    run_id        INTEGER PRIMARY KEY,
    command       VARCHAR NOT NULL,        -- ingest | build | update | catalog | backtest
    started       TIMESTAMP NOT NULL,      -- UTC
    status        VARCHAR NOT NULL,        -- done | failed | interrupted
    seconds       DOUBLE NOT NULL,
    peak_rss_mib  DOUBLE,
    profile       JSON NOT NULL            -- the whole RunTimings: args, machine, stages (seconds, rows, memory)
);
