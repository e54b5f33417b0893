"""Candidate keyphrases and the binary document × phrase matrix behind topic labels.

`candidate_phrases` is the reference: runs of 1–3 content words between stop words and punctuation (words,
separators, stop words and Chinese segmentation from `frontierwatch.text`). `phrase_matrix` gives the same
phrases several times faster on a whole corpus: each text is tokenised by one C-level regex scan, tokens become
integer ids, and the 1-, 2- and 3-word phrases of every run are formed, made distinct per document and
counted as 64-bit integer codes in numpy; only phrases that pass ``min_df`` are turned back into strings.
Texts holding Chinese characters go through `candidate_phrases` itself (they need word segmentation) and
share the same code space, so the result is exactly the reference matrix — a test compares them on real
records.

Why: on the 307k-paper shared corpus the per-phrase Python loop (through scikit-learn's CountVectorizer)
took about as long as k-means itself.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

import numpy as np
from scipy import sparse

from frontierwatch.errors import InputError
from frontierwatch.text import (CJK_CHAR, PHRASE_SEPARATOR, PHRASE_TOKEN, PHRASE_WORD, chinese_words, stop_words,
                                to_simplified)

__all__ = ["candidate_phrases", "phrase_matrix"]

_BITS = 21  # word ids < 2**21, so a 3-word code (a << 42 | b << 21 | c) fits in a signed 64-bit integer
_CHUNK_DOCS = 20_000


def candidate_phrases(text: str, max_words: int = 3) -> list[str]:
    """Distinct candidate keyphrases (1..`max_words` content words, no stop word inside) of a text, in order of
    first appearance; Chinese runs give their words (Traditional folded to Simplified, jieba, two or more
    characters, no stop words).

    >>> candidate_phrases("We propose a graph neural network for drug discovery.")
    ['graph', 'graph neural', 'graph neural network', 'neural', 'neural network', 'network', 'drug', 'drug discovery', 'discovery']
    """
    stops = stop_words()
    out: dict[str, None] = {}
    for chunk in PHRASE_SEPARATOR.split(text.lower()):
        run: list[str] = []
        for tok in PHRASE_WORD.findall(chunk) + [""]:
            if tok and CJK_CHAR.match(tok):
                for w in chinese_words(tok):
                    if w not in stops:
                        out.setdefault(w, None)
                tok = ""
            if tok and tok not in stops and len(tok) > 1 and not tok.isdigit():
                run.append(tok)
                continue
            for i in range(len(run)):
                for n in range(1, max_words + 1):
                    if i + n <= len(run):
                        out.setdefault(" ".join(run[i:i + n]), None)
            run = []
    return list(out)


class _Codes:
    """Word ids and phrase codes: ``a << 42 | b << 21 | c`` for "a b c", ``b << 21 | c`` for "b c", ``c`` for
    "c" (word id 0 is reserved, so lengths never collide); phrases holding Chinese get negative codes."""

    def __init__(self) -> None:
        self.words: defaultdict[str, int] = defaultdict()
        self.words.default_factory = self.words.__len__
        self.words[""] = 0
        self.content: list[bool] = [False]
        self.extra: dict[str, int] = {}
        self.stops = stop_words()

    def plain(self, texts: list[str], doc_index: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(row, code) pairs, distinct per row, for texts without Chinese characters."""
        rows_out, codes_out = [], []
        for start in range(0, len(texts), _CHUNK_DOCS):
            chunk = texts[start:start + _CHUNK_DOCS]
            ids: list[int] = []
            lengths = []
            for text in chunk:
                toks = PHRASE_TOKEN.findall(text.lower())
                toks.append(".")  # a separator ends every document, so no phrase spans two
                ids.extend(map(self.words.__getitem__, toks))
                lengths.append(len(toks))
            self._check_size()
            self.content.extend(self._is_content(w) for w in list(self.words)[len(self.content):])
            ids_arr = np.asarray(ids, dtype=np.int64)
            row = np.repeat(doc_index[start:start + len(chunk)], lengths)
            c1 = np.asarray(self.content, dtype=bool)[ids_arr]
            c2 = c1[:-1] & c1[1:]
            c3 = c2[:-1] & c1[2:]
            codes = np.concatenate([ids_arr[c1], (ids_arr[:-1][c2] << _BITS) | ids_arr[1:][c2],
                                    (ids_arr[:-2][c3] << 2 * _BITS) | (ids_arr[1:-1][c3] << _BITS) | ids_arr[2:][c3]])
            rows = np.concatenate([row[c1], row[:-1][c2], row[:-2][c3]])
            rows_out.append(rows)
            codes_out.append(codes)
        return _distinct_pairs(rows_out, codes_out)

    def special(self, texts: list[str], doc_index: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(row, code) pairs of texts holding Chinese characters, through `candidate_phrases`."""
        rows, codes = [], []
        for i, text in zip(doc_index.tolist(), texts):
            got = [self.code(p, add=True) for p in candidate_phrases(text)]
            rows.append(np.full(len(got), i, dtype=np.int64))
            codes.append(np.asarray(got, dtype=np.int64))
        self._check_size()
        return _distinct_pairs(rows, codes)

    def code(self, phrase: str, add: bool = False) -> int | None:
        """The code of a phrase (None when `add` is false and a word is unknown)."""
        words = phrase.split(" ")
        if CJK_CHAR.search(phrase) or len(words) > 3 or not all(words):
            phrase = to_simplified(phrase)  # Chinese phrases are folded when made (`candidate_phrases`)
            if phrase not in self.extra and add:
                self.extra[phrase] = -1 - len(self.extra)
            return self.extra.get(phrase)
        if not add and any(w not in self.words for w in words):
            return None
        value = 0
        for w in words:
            value = (value << _BITS) | self.words[w]
        return value

    def decode(self, codes: np.ndarray) -> list[str]:
        words = list(self.words)
        extra = {c: p for p, c in self.extra.items()}
        mask = (1 << _BITS) - 1
        out = []
        for code in codes.tolist():
            if code < 0:
                out.append(extra[code])
            else:
                out.append(" ".join(words[i] for i in ((code >> 2 * _BITS) & mask, (code >> _BITS) & mask,
                                                       code & mask) if i))
        return out

    def _is_content(self, word: str) -> bool:
        """A content word: a word token (not a separator, not Chinese), no stop word, longer than one letter."""
        return (len(word) > 1 and word not in self.stops and PHRASE_WORD.fullmatch(word) is not None
                and not CJK_CHAR.match(word))

    def _check_size(self) -> None:
        if len(self.words) >= 1 << _BITS:
            raise InputError(f"more than {1 << _BITS:,} distinct words: too many for one phrase matrix; "
                             "build topics on fewer documents or shard the corpus",
                             f"不同词数超过 {1 << _BITS:,}，无法建一个短语矩阵；请减少文档或分片处理")


def _distinct_pairs(rows: list[np.ndarray], codes: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Concatenate (row, code) pairs and keep each once, sorted by row then code."""
    if not rows:
        return np.array([], dtype=np.int64), np.array([], dtype=np.int64)
    r, c = np.concatenate(rows), np.concatenate(codes)
    order = np.lexsort((c, r))
    r, c = r[order], c[order]
    first = np.ones(len(r), dtype=bool)
    first[1:] = (r[1:] != r[:-1]) | (c[1:] != c[:-1])
    return r[first], c[first]


def phrase_matrix(texts: Sequence[str], min_df: int = 3, vocabulary: Sequence[str] | None = None
                  ) -> tuple[sparse.csr_matrix, np.ndarray]:
    """Binary ``(n_docs, n_phrases)`` int32 CSR matrix and its phrases.

    Without `vocabulary`: phrases held by at least ``min(min_df, n_docs)`` documents, sorted by code point
    (scikit-learn's CountVectorizer order). With it: exactly those columns, in that order (a phrase no
    document holds gives an empty column).
    """
    texts = list(texts)
    special = np.array([bool(CJK_CHAR.search(t)) for t in texts], dtype=bool)
    plain_at, special_at = np.flatnonzero(~special), np.flatnonzero(special)
    codes = _Codes()
    r1, c1 = codes.plain([texts[i] for i in plain_at], plain_at)
    r2, c2 = codes.special([texts[i] for i in special_at], special_at)
    rows, pair_codes = np.concatenate([r1, r2]), np.concatenate([c1, c2])
    distinct, column, df = np.unique(pair_codes, return_inverse=True, return_counts=True)
    if vocabulary is not None:
        wanted = [codes.code(str(v)) for v in vocabulary]
        at = np.searchsorted(distinct, [w if w is not None else 0 for w in wanted])
        target = np.full(len(distinct), -1, dtype=np.int64)
        for k, (w, pos) in enumerate(zip(wanted, at.tolist())):
            if w is not None and pos < len(distinct) and distinct[pos] == w:
                target[pos] = k
        names = np.asarray([str(v) for v in vocabulary], dtype=object).astype(str)
        return _matrix(rows, target[column], len(texts), len(names)), names
    floor = min(min_df, max(1, len(texts)))
    keep = np.flatnonzero(df >= floor)
    phrases = np.asarray(codes.decode(distinct[keep]), dtype=object).astype(str)
    order = np.argsort(phrases, kind="stable")
    target = np.full(len(distinct), -1, dtype=np.int64)
    target[keep[order]] = np.arange(len(keep))
    return _matrix(rows, target[column], len(texts), len(keep)), phrases[order]


def _matrix(rows: np.ndarray, cols: np.ndarray, n_rows: int, n_cols: int) -> sparse.csr_matrix:
    """CSR of ones at (rows, cols) for cols ≥ 0, with sorted indices."""
    keep = cols >= 0
    out = sparse.csr_matrix((np.ones(int(keep.sum()), dtype=np.int32), (rows[keep], cols[keep])),
                            shape=(n_rows, n_cols))
    out.sum_duplicates()
    return out
