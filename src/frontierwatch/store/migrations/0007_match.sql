-- Matchmaking (供需对接, issue 6): cached multilingual vectors of each topic's text (label + keyphrases), per map,
-- so a Chinese or English need is compared with every topic without re-encoding topics on each query.
CREATE TABLE match_topic_vectors (
    map_id    INTEGER NOT NULL,            -- topic_maps.map_id
    topic_id  VARCHAR NOT NULL,            -- topics.topic_id
    model     VARCHAR NOT NULL,            -- embedding model name, e.g. 'multilingual'
    text_md5  VARCHAR NOT NULL,            -- md5 of the encoded topic text: a relabelled topic is re-encoded
    vector    FLOAT[] NOT NULL,            -- L2-normalised
    PRIMARY KEY (map_id, topic_id, model)
);
