-- Honest axes and a stage from counts and share (issue 16 items 1 and 3).
-- topic_signals: the evidence each axis component rests on (documents of the topic in the window y-2..y, by
-- kind) and the numbers two years before that the lifecycle stage states. Rows written before this migration
-- keep NULL there until the map's signals are rebuilt.
ALTER TABLE topic_signals ADD COLUMN count_prev2 DOUBLE;          -- documents of the topic in year-2
ALTER TABLE topic_signals ADD COLUMN share_prev2 DOUBLE;          -- their share of all documents of year-2
ALTER TABLE topic_signals ADD COLUMN count_growth2 DOUBLE;        -- ln((count+1/2)/(count_prev2+1/2))
ALTER TABLE topic_signals ADD COLUMN window_count BIGINT;         -- documents in year-2..year
ALTER TABLE topic_signals ADD COLUMN patent_count BIGINT;         -- of which patents
ALTER TABLE topic_signals ADD COLUMN paper_count BIGINT;          -- of which not patents
ALTER TABLE topic_signals ADD COLUMN affiliated_count BIGINT;     -- with at least one known institution type
ALTER TABLE topic_signals ADD COLUMN patent_count_before BIGINT;  -- patents in year-5..year-3
ALTER TABLE topic_signals ADD COLUMN cited_count BIGINT;          -- with a known citation count
-- topic_axes: why each missing component is missing (component -> reason code, signals/axes.py REASONS) and
-- the numbers the stage was decided on (count, count_prev2, count_ratio, share, share_prev2, share_ratio,
-- share_to_peak, peak_share, peak_year, birth_year, median_share). An axis that rests on fewer than the
-- published minimum of components is NULL: insufficient data.
ALTER TABLE topic_axes ADD COLUMN missing_reasons MAP(VARCHAR, VARCHAR);
ALTER TABLE topic_axes ADD COLUMN stage_basis MAP(VARCHAR, DOUBLE);
