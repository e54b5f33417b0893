"""Work split over worker processes gives the one-process result, in order, on real texts."""
from __future__ import annotations

import gzip
import json
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from frontierwatch.signals.content import _hits, application_hits
from frontierwatch.signals.escore import TermIndex, _hash_texts
from frontierwatch.workers import available_workers, map_chunks

SAMPLE = Path(__file__).parent / "samples" / "arxiv" / "arxiv-sample.jsonl.gz"


def _texts() -> list[str]:
    with gzip.open(SAMPLE, "rt", encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh]
    return [f"{r['title']}. {r.get('abstract') or ''}" for r in rows]


def test_chunks_in_workers_equal_one_process():
    texts = _texts()
    assert len(texts) >= 50
    one = _hash_texts(texts)
    split = map_chunks(_hash_texts, texts, min_items=2, workers=3)
    assert len(split) == 3 and sum(m.shape[0] for m in split) == len(texts)
    whole = sp.vstack(split, format="csr")
    assert (whole != one).nnz == 0 and np.array_equal(whole.indices, one.indices)
    assert np.array_equal(np.concatenate(map_chunks(_hits, texts, min_items=2, workers=2)), _hits(texts))
    assert map_chunks(len, texts, min_items=10 ** 9, workers=4) == [len(texts)]  # small input: no pool


def test_term_index_and_hits_remembered_for_the_same_texts_only(monkeypatch):
    texts = _texts()
    ids, years, cats = [f"d{i}" for i in range(len(texts))], np.full(len(texts), 2019), ["cs.LG"] * len(texts)
    first = TermIndex.from_texts(ids, texts, years, cats)
    assert TermIndex.from_texts(ids, texts, years, cats).matrix is first.matrix
    changed = texts[:-1] + [texts[-1] + " quantum error correction"]
    other = TermIndex.from_texts(ids, changed, years, cats)
    assert other.matrix is not first.matrix and (other.matrix[:-1] != first.matrix[:-1]).nnz == 0
    assert (other.matrix[-1] != first.matrix[-1]).nnz > 0
    hits = application_hits(texts)
    hits[:] = -1  # a caller's change never reaches the remembered copy
    assert set(application_hits(texts)) <= {0.0, 1.0}


def test_workers_setting(monkeypatch):
    monkeypatch.setenv("FRONTIERWATCH_WORKERS", "3")
    assert available_workers() == 3
    monkeypatch.setenv("FRONTIERWATCH_WORKERS", "0")
    assert available_workers() >= 1


def test_a_script_without_a_main_guard_is_not_run_again(tmp_path):
    """Workers are `python -m frontierwatch.workers`: they never import the caller's script (a user's script with
    no ``if __name__ == "__main__"`` guard would otherwise run again in each worker)."""
    import subprocess
    import sys

    script = tmp_path / "script.py"
    marker = tmp_path / "runs.txt"
    script.write_text(
        "from frontierwatch.workers import map_chunks\n"
        f"open({str(marker)!r}, 'a').write('run\\n')\n"
        "print(sum(map_chunks(len, ['a'] * 10, min_items=2, workers=2)))\n")
    out = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "10" and marker.read_text() == "run\n"


def test_a_failing_worker_says_which_call_and_why():
    import pytest

    from frontierwatch.errors import StoreError

    with pytest.raises(StoreError, match="int"):
        map_chunks(int, ["1", "x"], min_items=2, workers=2)
