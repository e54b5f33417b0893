-- Names (issue 10): a readable technology name in Chinese and English for every topic of a map, what the topic is
-- about (an extractive summary of its most central documents), and the cache of an optional LLM labeller so an
-- edition never changes on re-render. Written by the names stage (frontierwatch.names) after each topic map.
CREATE TABLE topic_names (
    map_id       INTEGER NOT NULL,         -- topic_maps.map_id
    topic_id     VARCHAR NOT NULL,         -- topics.topic_id
    name_en      VARCHAR NOT NULL,         -- "Robotic grasping and manipulation"
    name_zh      VARCHAR,                  -- "机器人抓取与操作"; NULL when no Chinese name could be made
    zh_source    VARCHAR NOT NULL,         -- glossary | documents | labeller | none
    summary_en   VARCHAR NOT NULL,         -- 2–3 sentences: what the topic is about
    summary_zh   VARCHAR NOT NULL,         -- Chinese: from Chinese documents, else templated from name and numbers
    summary_zh_source VARCHAR NOT NULL,    -- documents | template | labeller
    summary_docs VARCHAR[],                -- doc_ids the summary sentences were taken from
    labeller     VARCHAR NOT NULL,         -- 'offline' or 'openai:<model>'
    evidence     JSON,                     -- candidate phrases, glossary pieces, keyphrases the name rests on
    PRIMARY KEY (map_id, topic_id)
);
CREATE TABLE labeller_cache (
    key          VARCHAR PRIMARY KEY,      -- sha256 of model + prompt
    model        VARCHAR NOT NULL,
    prompt       VARCHAR NOT NULL,
    response     VARCHAR NOT NULL,         -- the endpoint's answer, as received
    created      TIMESTAMP NOT NULL DEFAULT now()
);
