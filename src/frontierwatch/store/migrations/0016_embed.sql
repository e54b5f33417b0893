-- Model identity: the fingerprint (sha256 of the files that decide the vectors) of the model that computed a
-- model name's stored vectors. When the committed model is rebuilt or replaced under the same name, the embed
-- stage sees another fingerprint, drops that model's vectors and embeds every document again, once.
ALTER TABLE embedding_models ADD COLUMN fingerprint VARCHAR;
