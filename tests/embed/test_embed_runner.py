"""The embed stage runner: computes only missing vectors, is resumable, and loads them back in order."""
import numpy as np
import pytest

from frontierwatch.embed import embed_documents, get_embedder, load_embeddings
from frontierwatch.errors import NotFoundError, StoreError
from frontierwatch.store import Store


class CountingEmbedder:
    """The real static embedder, counting the texts it is asked to encode."""

    def __init__(self, fail_after: int | None = None):
        self.inner = get_embedder("static-minilm")
        self.name, self.dim = self.inner.name, self.inner.dim
        self.encoded: list[int] = []
        self.fail_after = fail_after

    def encode(self, texts):
        if self.fail_after is not None and len(self.encoded) >= self.fail_after:
            raise KeyboardInterrupt
        self.encoded.append(len(texts))
        return self.inner.encode(texts)


def test_embed_documents_is_idempotent_and_only_encodes_missing(arxiv_store):
    counter = CountingEmbedder()
    seen = []
    assert embed_documents(arxiv_store, counter, batch=128, progress=lambda d, t: seen.append((d, t))) == 300
    assert counter.encoded == [128, 128, 44]
    assert seen == [(0, 300), (128, 300), (256, 300), (300, 300)]
    assert embed_documents(arxiv_store, counter, batch=128) == 0
    assert counter.encoded == [128, 128, 44]

    arxiv_store.con.execute(
        "INSERT INTO documents (doc_id, kind, title, abstract) VALUES ('x:1', 'paper', 'Solid-state batteries', NULL)"
    )
    first = arxiv_store.con.execute("SELECT min(doc_id) FROM documents WHERE doc_id LIKE 'arxiv:%'").fetchone()[0]
    arxiv_store.con.execute("UPDATE documents SET abstract = abstract || ' Revised.' WHERE doc_id = ?", [first])
    assert embed_documents(arxiv_store, counter) == 2  # the new document and the one whose abstract changed
    assert counter.encoded[-1] == 2
    count = arxiv_store.con.execute("SELECT count(*) FROM embeddings WHERE model = 'static-minilm'").fetchone()[0]
    assert count == 301


def test_vectors_made_under_another_text_rule_are_encoded_again(arxiv_store):
    """Stores embedded before the text rule changed (e.g. abstracts cut at 1,000 characters) get new vectors."""
    counter = CountingEmbedder()
    assert embed_documents(arxiv_store, counter) == 300
    arxiv_store.con.execute(  # the fingerprint an older release wrote: title and abstract without the rule
        "UPDATE embeddings SET text_md5 = (SELECT md5(coalesce(d.title, '') || chr(10) || coalesce(d.abstract, '')) "
        "FROM documents d WHERE d.doc_id = embeddings.doc_id) WHERE doc_id IN "
        "(SELECT doc_id FROM embeddings ORDER BY doc_id LIMIT 7)")
    assert embed_documents(arxiv_store, counter) == 7
    assert embed_documents(arxiv_store, counter) == 0


def test_interrupted_run_keeps_committed_batches_and_continues(arxiv_store):
    with pytest.raises(KeyboardInterrupt):
        embed_documents(arxiv_store, CountingEmbedder(fail_after=2), batch=100)
    assert arxiv_store.con.execute("SELECT count(*) FROM embeddings").fetchone()[0] == 200
    rest = CountingEmbedder()
    assert embed_documents(arxiv_store, rest, batch=100) == 100
    assert rest.encoded == [100]


def test_load_embeddings_order_and_values(arxiv_store, records):
    embed_documents(arxiv_store)
    ids, vectors = load_embeddings(arxiv_store)
    assert ids == sorted("arxiv:" + r["id"] for r in records)
    assert vectors.shape == (300, 256) and vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)

    wanted = [ids[5], ids[0], ids[299], ids[5]]
    got_ids, got = load_embeddings(arxiv_store, doc_ids=wanted)
    assert got_ids == wanted
    np.testing.assert_array_equal(got, vectors[[5, 0, 299, 5]])

    title, abstract = arxiv_store.con.execute(
        "SELECT title, abstract FROM documents WHERE doc_id = ?", [ids[5]]).fetchone()
    from frontierwatch.embed import document_text
    np.testing.assert_allclose(got[0], get_embedder().encode([document_text(title, abstract)])[0], atol=1e-6)


def test_vectors_survive_reopening_the_store(arxiv_store):
    embed_documents(arxiv_store, batch=1000)
    ids, vectors = load_embeddings(arxiv_store)
    path = arxiv_store.path
    arxiv_store.close()
    with Store(path, read_only=True) as again:
        ids2, vectors2 = load_embeddings(again)
        with pytest.raises(StoreError, match="read-only"):
            embed_documents(again)
    assert ids2 == ids
    np.testing.assert_array_equal(vectors2, vectors)


def test_load_errors_name_the_fix(arxiv_store):
    with pytest.raises(NotFoundError, match="frontierwatch embed --model static-bilingual"):
        load_embeddings(arxiv_store)
    embed_documents(arxiv_store)
    known = load_embeddings(arxiv_store)[0][0]
    with pytest.raises(NotFoundError, match=r"1 of 2 documents .*\['no-such-doc'\]"):
        load_embeddings(arxiv_store, doc_ids=[known, "no-such-doc"])


def test_a_model_that_changed_width_is_embedded_again_once(arxiv_store):
    embed_documents(arxiv_store)

    class Narrower(CountingEmbedder):
        def __init__(self):
            super().__init__()
            self.dim = 128

        def encode(self, texts):
            return super().encode(texts)[:, :128]

    narrower = Narrower()
    narrower.name = "static-bilingual"
    assert embed_documents(arxiv_store, narrower) == 300
    assert arxiv_store.con.execute("SELECT dim FROM embedding_models WHERE model = 'static-bilingual'").fetchone()[0] == 128
    assert load_embeddings(arxiv_store)[1].shape == (300, 128)
    assert embed_documents(arxiv_store, narrower) == 0


def test_a_rebuilt_model_is_embedded_again_once(arxiv_store):
    """Same name, other files (another fingerprint): every stored vector is stale, recomputed in one run."""
    counter = CountingEmbedder()
    counter.fingerprint = "a" * 16
    assert embed_documents(arxiv_store, counter) == 300
    assert embed_documents(arxiv_store, counter) == 0
    counter.fingerprint = "b" * 16
    assert embed_documents(arxiv_store, counter) == 300
    assert embed_documents(arxiv_store, counter) == 0
    row = arxiv_store.con.execute("SELECT fingerprint FROM embedding_models WHERE model = 'static-minilm'").fetchone()
    assert row[0] == "b" * 16
    assert arxiv_store.con.execute("SELECT count(*) FROM embeddings").fetchone()[0] == 300


def test_a_store_registered_before_fingerprints_keeps_its_vectors(arxiv_store):
    """A model row from before migration 0016 (no fingerprint) adopts the current one without re-embedding."""
    counter = CountingEmbedder()
    assert embed_documents(arxiv_store, counter) == 300
    arxiv_store.con.execute("UPDATE embedding_models SET fingerprint = NULL")
    assert embed_documents(arxiv_store, get_embedder("static-minilm")) == 0
    row = arxiv_store.con.execute("SELECT fingerprint FROM embedding_models WHERE model = 'static-minilm'").fetchone()
    assert row[0] == get_embedder("static-minilm").fingerprint


def test_the_default_model_change_embeds_the_store_once(arxiv_store):
    """A store embedded with static-minilm gets static-bilingual vectors once; English ones equal the old."""
    embed_documents(arxiv_store, "static-minilm")
    assert embed_documents(arxiv_store) == 300
    assert embed_documents(arxiv_store) == 0
    ids, old = load_embeddings(arxiv_store, "static-minilm")
    ids2, new = load_embeddings(arxiv_store)
    assert ids == ids2
    np.testing.assert_allclose(new, old, atol=1e-6)


def test_stage_works_while_the_store_connection_has_a_pending_result(arxiv_store):
    """Store helpers leave results unfetched (fetchone); the stage must not trip over them."""
    arxiv_store.con.execute("SELECT doc_id FROM documents")  # left pending on purpose
    assert embed_documents(arxiv_store, batch=256) == 300
    arxiv_store.con.execute("SELECT doc_id FROM documents")
    assert len(load_embeddings(arxiv_store)[0]) == 300


def test_stored_vectors_are_bit_identical_whatever_the_batch(arxiv_store, tmp_path):
    """The runner's batch (read, encode, write) changes nothing in a stored vector: every document's bytes equal
    its text encoded alone, with the default batch and with batches of 37."""
    from frontierwatch.embed import document_text
    from frontierwatch.embed.queries import texts_to_embed

    embed_documents(arxiv_store)
    ids, vectors = load_embeddings(arxiv_store)
    with Store(tmp_path / "other") as other:
        rows = arxiv_store.con.execute("SELECT doc_id, kind, title, abstract FROM documents ORDER BY doc_id DESC").fetchall()
        other.con.executemany("INSERT INTO documents (doc_id, kind, title, abstract) VALUES (?, ?, ?, ?)", rows)
        embed_documents(other, batch=37)
        ids2, vectors2 = load_embeddings(other)
    assert ids2 == ids and vectors2.tobytes() == vectors.tobytes()
    got_ids, titles, abstracts, _ = texts_to_embed(arxiv_store, [ids[9], "no-such-doc", ids[3]])
    assert got_ids == [ids[9], ids[3]]  # in the order asked, a missing document skipped
    alone = np.concatenate([get_embedder().encode([document_text(t, a)]) for t, a in zip(titles, abstracts)])
    assert alone.tobytes() == vectors[[9, 3]].tobytes()
