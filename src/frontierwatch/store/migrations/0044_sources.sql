-- Versions and merges of OpenAlex works (issue 13: the monthly update of the snapshot).
-- document_versions: the OpenAlex updated_date of the copy of the work that describes the document; a newer copy
-- replaces what an older one said, an older copy changes nothing (sources.rows.combine_rows).
CREATE TABLE document_versions (
    doc_id      VARCHAR PRIMARY KEY,   -- documents.doc_id
    updated     VARCHAR NOT NULL       -- ISO date or timestamp as OpenAlex writes it
);
-- openalex_merges: the snapshot's merged_ids/works tables — work merged_id was merged by OpenAlex into kept_id;
-- the document of merged_id is folded into the document of kept_id (sources.merges).
CREATE TABLE openalex_merges (
    merged_id   VARCHAR PRIMARY KEY,   -- short OpenAlex id, e.g. W2741809807
    kept_id     VARCHAR NOT NULL,
    merge_date  DATE,
    file        VARCHAR NOT NULL       -- the merged_ids table it came from
);
