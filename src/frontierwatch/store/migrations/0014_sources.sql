-- Institutions gain the Chinese province (ISO 3166-2:CN code, e.g. 'CN-HB') and city, and the affiliation text as
-- the source gave it (e-mail addresses removed), so landscapes can rank provinces and each count traces to its
-- address. The table is rebuilt rather than altered in place: an ALTER … USING expression would be replayed from
-- the write-ahead log of a killed run, and column order (which the ingest writer relies on) is kept.
CREATE TABLE documents_0014 (
    doc_id          VARCHAR PRIMARY KEY,
    kind            VARCHAR NOT NULL,
    title           VARCHAR NOT NULL,
    abstract        VARCHAR,
    language        VARCHAR,
    published       DATE,
    year            INTEGER,
    categories      VARCHAR[],
    primary_category VARCHAR,
    doi             VARCHAR,
    arxiv_id        VARCHAR,
    openalex_id     VARCHAR,
    patent_number   VARCHAR,
    other_ids       MAP(VARCHAR, VARCHAR),
    venue           VARCHAR,
    authors         VARCHAR[],
    institutions    STRUCT(name VARCHAR, type VARCHAR, country VARCHAR, ror VARCHAR, province VARCHAR, city VARCHAR,
                           address VARCHAR)[],
    countries       VARCHAR[],
    cited_by_count  INTEGER,
    reference_ids   VARCHAR[],
    sources         VARCHAR[]
);
INSERT INTO documents_0014
SELECT doc_id, kind, title, abstract, language, published, year, categories, primary_category, doi, arxiv_id,
       openalex_id, patent_number, other_ids, venue, authors,
       list_transform(institutions, lambda i: struct_insert(i, province := NULL::VARCHAR, city := NULL::VARCHAR,
                                                            address := NULL::VARCHAR)),
       countries, cited_by_count, reference_ids, sources
FROM documents;
DROP TABLE documents;
ALTER TABLE documents_0014 RENAME TO documents;
