-- Walk-forward snapshots computed once and reused by build, backtest and editions (issue 18 item 3, issue 17).
-- topic_fits (topics stage): the topic model fitted on the documents dated on or before as_of. The key holds
-- the as-of date, the seed, the topic model and its parameters, the embedding model and a fingerprint (sha256
-- of the fitted documents' ids and vectors), so a fit is reused only for exactly the documents it read.
CREATE TABLE topic_fits (
    fit_key         VARCHAR PRIMARY KEY,
    as_of           DATE NOT NULL,
    seed            INTEGER NOT NULL,
    n_topics_param  INTEGER,               -- NULL: the size-based default
    embed_model     VARCHAR NOT NULL,
    fingerprint     VARCHAR NOT NULL,
    n_docs          BIGINT NOT NULL,
    n_topics        INTEGER NOT NULL,
    seconds         DOUBLE,                -- time the fit took
    arrays          BLOB NOT NULL,         -- npz: labels (n_docs,) int32 in doc-id order, centroids (n_topics, dim) float32
    created         TIMESTAMP NOT NULL DEFAULT now()
);
-- forecast_snapshots (forecast stage): the forecast features of a fit's topics in its as-of year, computed from
-- the fitted documents only. version: the feature code's version (a change recomputes).
CREATE TABLE forecast_snapshots (
    fit_key         VARCHAR NOT NULL,
    version         VARCHAR NOT NULL,
    n_topics        INTEGER NOT NULL,
    seconds         DOUBLE,
    arrays          BLOB NOT NULL,         -- npz: one (n_topics,) float64 array per signal / feature
    created         TIMESTAMP NOT NULL DEFAULT now(),
    PRIMARY KEY (fit_key, version)
);
-- forecast_runs / forecast_run_topics (forecast stage): the published forecast of one fit (as of a year end, one
-- seed) for one horizon, exactly as `build` publishes it and `backtest` scores it. run_key = fit key + horizon
-- + eligibility floor + forecaster version.
CREATE TABLE forecast_runs (
    run_key         VARCHAR PRIMARY KEY,
    fit_key         VARCHAR NOT NULL,
    as_of_year      INTEGER NOT NULL,
    seed            INTEGER NOT NULL,
    horizon         INTEGER NOT NULL,
    version         VARCHAR NOT NULL,
    info            JSON NOT NULL,         -- training cutoffs, rows, positives, calibration parameters, seconds
    created         TIMESTAMP NOT NULL DEFAULT now()
);
CREATE TABLE forecast_run_topics (
    run_key         VARCHAR NOT NULL,
    topic           INTEGER NOT NULL,      -- index of the topic in the fit (centroid row)
    eligible        BOOLEAN NOT NULL,
    score           DOUBLE,                -- the ranking score (NULL when not eligible)
    rank            INTEGER,               -- published order among eligible topics, 1 = most likely; no ties
    probability     DOUBLE,
    probability_low DOUBLE,
    probability_high DOUBLE,
    required_ratio  DOUBLE,                -- share ratio the topic must reach by as_of + horizon to count
    expected_share_ratio DOUBLE,           -- median share ratio implied by the probability
    call            BOOLEAN,
    PRIMARY KEY (run_key, topic)
);
