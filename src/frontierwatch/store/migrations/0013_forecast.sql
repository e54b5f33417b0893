-- Published forecasts carry their order, interval and requirement (issue 17 items 0 and 4); citations by year
-- where the source itemises them, so an as-of date reads only citations made by then (item 2).
ALTER TABLE topic_forecasts ADD COLUMN rank INTEGER;               -- published order among eligible topics
ALTER TABLE topic_forecasts ADD COLUMN score DOUBLE;               -- ranking score the order comes from
ALTER TABLE topic_forecasts ADD COLUMN probability_low DOUBLE;     -- 90% interval of the probability
ALTER TABLE topic_forecasts ADD COLUMN probability_high DOUBLE;
ALTER TABLE topic_forecasts ADD COLUMN required_ratio DOUBLE;      -- share ratio the label needs by as_of + h
ALTER TABLE topic_forecasts ADD COLUMN run_key VARCHAR;            -- forecast_runs row it was published from
-- Its own table (written with the document, in the same transaction) so that rebuilds of `documents` keep it.
CREATE TABLE document_citations (
    doc_id          VARCHAR PRIMARY KEY,   -- documents.doc_id
    cited_by_year   MAP(INTEGER, INTEGER) NOT NULL  -- citations received per year (OpenAlex counts_by_year; zero years omitted)
);
