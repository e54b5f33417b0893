-- Embeddings: one vector per (model, document), computed once by the embed stage and reused by later stages.
-- FLOAT[] (not FLOAT[<dim>]) so models of different widths share the table; embedding_models holds each width.
-- Measured on 2 cores: 300k x 256 vectors read back through Arrow into numpy in ~0.7 s, written at ~8,000/s.
CREATE TABLE embedding_models (
    model    VARCHAR PRIMARY KEY,          -- registry name: static-minilm, minilm-transformer, multilingual, ...
    dim      INTEGER NOT NULL,             -- length of every vector of this model
    created  TIMESTAMP DEFAULT now()
);
CREATE TABLE embeddings (
    model    VARCHAR NOT NULL,
    doc_id   VARCHAR NOT NULL,             -- documents.doc_id
    vector   FLOAT[] NOT NULL,             -- L2-normalised, length embedding_models.dim
    text_md5 VARCHAR NOT NULL,             -- md5 of title and abstract when embedded: a changed text is re-embedded
    PRIMARY KEY (model, doc_id)
);
