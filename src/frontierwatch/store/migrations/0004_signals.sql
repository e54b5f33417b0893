-- Signals, axes and forecasts per topic of a topic map (issue 4), and the published backtests.
-- Every value of year Y is computed from documents dated on or before Y only; missing = NULL, never 0.
CREATE TABLE topic_signals (
    map_id          INTEGER NOT NULL,      -- topic_maps.map_id
    topic_id        VARCHAR NOT NULL,      -- topics.topic_id
    year            INTEGER NOT NULL,
    count           BIGINT NOT NULL,       -- documents of the topic dated in the year
    cum_count       BIGINT NOT NULL,
    share           DOUBLE, log_share DOUBLE,
    growth1 DOUBLE, growth2 DOUBLE, growth3 DOUBLE,        -- ln share ratio over 1/2/3 years (½-doc smoothing)
    acceleration    DOUBLE, trend_slope DOUBLE,
    peak_share      DOUBLE, peak_year DOUBLE, share_to_peak DOUBLE,
    burst_state     DOUBLE, burst_weight DOUBLE,            -- Kleinberg on the yearly series (s = 2, γ = 1)
    burst_month_state DOUBLE, burst_months DOUBLE, burst_month_weight DOUBLE,   -- on the monthly series
    mean_age DOUBLE, median_age DOUBLE, birth_year DOUBLE, age DOUBLE,
    new_term_ratio  DOUBLE, novelty_distance DOUBLE,
    escore_mean DOUBLE, escore_share DOUBLE, escore_owned DOUBLE,               -- Porter/Carley EScore
    category_entropy DOUBLE, cross_field_share DOUBLE, coherence DOUBLE,
    impact          DOUBLE,                -- field/year-normalised citations (snapshot counts; shown, not predicted from)
    patent_share DOUBLE, patent_growth DOUBLE, company_share DOUBLE, st_linkage DOUBLE,
    application_language DOUBLE,
    missing         VARCHAR[],             -- names of the signals that are NULL in this row
    PRIMARY KEY (map_id, topic_id, year)
);
CREATE TABLE topic_axes (
    map_id          INTEGER NOT NULL,
    topic_id        VARCHAR NOT NULL,
    year            INTEGER NOT NULL,
    breakthrough    DOUBLE,                -- 0..1, weighted percentile ranks (signals/axes.py)
    industrialisation DOUBLE,
    stage           VARCHAR,               -- emerging | growing | mature | declining
    breakthrough_parts MAP(VARCHAR, DOUBLE),      -- component -> contribution; they sum to the score
    industrialisation_parts MAP(VARCHAR, DOUBLE),
    missing_components VARCHAR[],
    PRIMARY KEY (map_id, topic_id, year)
);
CREATE TABLE topic_forecasts (
    map_id          INTEGER NOT NULL,
    topic_id        VARCHAR NOT NULL,
    as_of_year      INTEGER NOT NULL,
    horizon         INTEGER NOT NULL,
    probability     DOUBLE,                -- calibrated P(extreme growth by as_of_year + horizon)
    expected_share_ratio DOUBLE,           -- expected share(as_of+h) / share(as_of)
    call            BOOLEAN,               -- probability >= threshold
    threshold       DOUBLE,                -- published yes/no threshold, chosen on training data
    eligible        BOOLEAN,               -- enough documents in the as-of year to be scored like the backtest
    model           VARCHAR,
    trained_on      INTEGER[],             -- pseudo-cutoffs the forecaster learned from
    PRIMARY KEY (map_id, topic_id, horizon)
);
CREATE TABLE backtests (
    backtest_id     INTEGER PRIMARY KEY,
    created         TIMESTAMP NOT NULL DEFAULT now(),
    horizon         INTEGER NOT NULL,
    label           VARCHAR NOT NULL,
    cutoffs         INTEGER[],
    seeds           INTEGER[],
    mean_ap         DOUBLE,                -- frontierwatch forecaster
    best_baseline   VARCHAR,
    best_baseline_ap DOUBLE,
    mean_p_at_50    DOUBLE,
    mean_f1         DOUBLE,
    positive_rate   DOUBLE,
    result          JSON NOT NULL          -- the full run_backtest output
);
