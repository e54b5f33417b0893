-- The catalog's own backtest (issue 10 item 2): past editions built with the published selection rule on the
-- maps of their dates, scored on what their topics did within the horizon, beside alternative rules.
CREATE TABLE catalog_backtests (
    backtest_id     INTEGER PRIMARY KEY,
    created         TIMESTAMP NOT NULL DEFAULT now(),
    horizon         INTEGER NOT NULL,      -- years after each cutoff the outcome is read
    cutoffs         INTEGER[] NOT NULL,    -- editions as of 31 December of these years
    outcomes_through INTEGER NOT NULL,     -- max(cutoffs) + horizon: the first year an edition may cite it
    mean_hit_rate   DOUBLE,                -- the published rule's mean hit rate
    positive_rate   DOUBLE,                -- mean positive rate among eligible six-direction topics
    result          JSON NOT NULL          -- the full catalog backtest output
);
