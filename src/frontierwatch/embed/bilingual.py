"""The bilingual static embedder: static-minilm's English space with Chinese words placed in it.

A document vector is the mean of its tokens' vectors, L2-normalised — exactly static-minilm's rule, and for
English tokens exactly static-minilm's vectors, so an English document gets the vector it always had.
Chinese is cut by the tokenizer into dictionary words (greedy longest match over each run of Han
characters), and each Chinese word's vector is a weighted mix of a few English token vectors — the English
words a multilingual teacher found closest to it (``scripts/build_bilingual_model.py``). So 固态电池
lands beside "solid-state battery" and a Chinese paper joins the English topic about the same technology.

Model folder (``embed/models/static-bilingual``): ``tokenizer.json`` (static-minilm's WordPiece vocabulary
plus the Chinese words and their Traditional spellings), ``zh.safetensors`` (for each Chinese word: the
English token ids it mixes and their weights, as CSR rows ``mix_indptr``/``mix_ids``/``mix_weights``; and for
each Chinese token — plain, ``##`` continuation, Traditional spelling — which word it is),
``config.json`` (the base model and build parameters). The English vectors are read from the base folder
(``static-minilm``), so they exist once in the package.

Speed: tokenising is the Rust ``tokenizers`` library, which already spreads a batch over every core; the mean
is one sparse (documents × tokens) matrix times the dense (tokens × 256) table, so Chinese words cost a few
more sparse entries, not a bigger table. Texts without Han characters (nearly every English abstract) skip the
tokenizer's Han-run split, which can find nothing in them (≈ 20% less tokenising time, the same tokens — a
test pins it on every code point below U+2E80); a text's vector does not depend on the batch it is in.
"""
from __future__ import annotations

import hashlib
import itertools
import json
import logging
import time
from importlib import resources
from pathlib import Path

import numpy as np

from frontierwatch.errors import InputError

log = logging.getLogger(__name__)

MODELS = Path(str(resources.files("frontierwatch.embed") / "models"))
_FIRST_HAN = "\u2e80"  # CJK Radicals Supplement: no Han character (Unicode script Han) lies below it


def _without_han_split(tokenizer):
    """A copy of `tokenizer` whose pre-tokenizer drops its leading Han-run ``Split``, for texts with no Han."""
    from tokenizers import Tokenizer

    spec = json.loads(tokenizer.to_str())
    steps = spec.get("pre_tokenizer") or {}
    if steps.get("type") != "Sequence" or not steps["pretokenizers"] or steps["pretokenizers"][0].get("type") != "Split":
        return tokenizer
    rest = steps["pretokenizers"][1:]
    spec["pre_tokenizer"] = rest[0] if len(rest) == 1 else {"type": "Sequence", "pretokenizers": rest}
    return Tokenizer.from_str(json.dumps(spec))


def fingerprint_files(files: list[Path]) -> str:
    """sha256 over the bytes of the files that decide the vectors (first 16 hex digits)."""
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.name.encode("utf-8"))
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


class BilingualStaticEmbedder:
    """Chinese + English static embedder (256-d, torch-free, no network): see the module docstring.

    Parameters
    ----------
    path : model folder; the one shipped in the package when None.
    batch_size : texts tokenised per call of the tokenizer.
    """

    name = "static-bilingual"

    def __init__(self, path: str | Path | None = None, batch_size: int = 1024):
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        folder = Path(path) if path else MODELS / self.name
        files = [folder / "config.json", folder / "tokenizer.json", folder / "zh.safetensors"]
        missing = [f.name for f in files if not f.is_file()]
        if missing:
            raise InputError(
                f"bilingual model folder {folder} lacks {', '.join(missing)}; rebuild it with scripts/build_bilingual_model.py",
                f"双语模型目录 {folder} 缺少 {', '.join(missing)}；请用 scripts/build_bilingual_model.py 重新生成",
            )
        started = time.perf_counter()
        self.config = json.loads(files[0].read_text(encoding="utf-8"))
        base = folder.parent / self.config["base_model"]  # beside it, else the package's (a trial build elsewhere)
        base = base if (base / "model.safetensors").is_file() else MODELS / self.config["base_model"]
        base_file = base / "model.safetensors"
        if not base_file.is_file():
            raise InputError(
                f"bilingual model {folder} needs its base model {base}, which has no model.safetensors",
                f"双语模型 {folder} 需要基础模型 {base}，但其中缺少 model.safetensors",
            )
        self.fingerprint = fingerprint_files([*files, base_file])
        self._table = load_file(str(base_file))["embeddings"].astype(np.float32)
        self.dim = int(self._table.shape[1])
        mix = load_file(str(files[2]))
        self._tokenizer = Tokenizer.from_file(str(files[1]))
        self.max_length = int(self.config.get("max_length", 512))
        self._tokenizer.enable_truncation(self.max_length)
        self._tokenizer.no_padding()
        self._plain = _without_han_split(self._tokenizer)
        self._token_map = self._token_matrix(mix)
        self.batch_size = batch_size
        log.debug("loaded %s (%d-d, %d tokens) in %.2f s", folder, self.dim, self._token_map.shape[0],
                  time.perf_counter() - started)

    def _token_matrix(self, mix: dict[str, np.ndarray]):
        """Sparse (vocabulary × English tokens) map: English tokens to themselves, Chinese ones to their mix.

        ``mix``: ``token_ids`` (m,) the tokens that get a Chinese vector (their English vector, if any, is
        replaced); ``token_mix`` (m,) the unit each one is; ``mix_indptr``/``mix_ids``/``mix_weights`` the
        units' mixes as CSR rows over English token ids. The unknown token maps to nothing, as model2vec drops it.
        """
        from scipy import sparse

        n_en = self._table.shape[0]
        n_vocab = self._tokenizer.get_vocab_size(with_added_tokens=True)
        token_ids, token_mix = mix["token_ids"].astype(np.int64), mix["token_mix"].astype(np.int64)
        n_units = len(mix["mix_indptr"]) - 1
        units = sparse.csr_matrix((mix["mix_weights"].astype(np.float32), mix["mix_ids"], mix["mix_indptr"]),
                                  shape=(n_units, n_en))
        covered = np.zeros(n_vocab, dtype=bool)
        covered[token_ids] = True
        if covered[n_en:].sum() != n_vocab - n_en or token_mix.max(initial=0) >= n_units:
            raise InputError(
                f"bilingual model: its {n_vocab - n_en} tokens beyond the English {n_en} do not all have a mix of "
                "English tokens; rebuild the model with scripts/build_bilingual_model.py",
                f"双语模型：英文 {n_en} 个词元之外的 {n_vocab - n_en} 个词元并非都有英文词元组合；"
                "请用 scripts/build_bilingual_model.py 重新生成",
            )
        english = np.flatnonzero(~covered[:n_en])
        self._unk = self._tokenizer.token_to_id(self.config.get("unk_token", "[UNK]"))
        english = english[english != self._unk] if self._unk is not None else english
        identity = sparse.csr_matrix((np.ones(len(english), np.float32), (english, english)), shape=(n_vocab, n_en))
        pick = sparse.csr_matrix((np.ones(len(token_ids), np.float32), (token_ids, token_mix)), shape=(n_vocab, n_units))
        return (identity + pick @ units).tocsr()

    def token_ids(self, texts: list[str]) -> list[list[int]]:
        """Token ids of each text as the model sees them (truncated to ``max_length``, unknown tokens dropped)."""
        flat, lengths = self._flat_ids(texts)
        bounds = np.cumsum(lengths)[:-1] if len(lengths) else lengths
        return [part.tolist() for part in np.split(flat, bounds)]

    def _flat_ids(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """All texts' token ids end to end (unknown tokens dropped) and each text's count of them.

        Texts without a character at or above U+2E80 (where every Han character, CJK compatibility ideographs
        included, lies; nothing below it normalises into one) go through `_plain`, the same tokenizer without
        the Han-run split: that split finds nothing in them, so their tokens are the same, ≈ 20% faster.
        """
        cut = self.max_length * int(self.config.get("median_token_length", 6))
        texts = [t[:cut] for t in texts]
        has_han = [bool(t) and max(t) >= _FIRST_HAN for t in texts]
        if not any(has_han):
            encodings = self._plain.encode_batch_fast(texts, add_special_tokens=False)
        else:
            encodings = self._tokenizer.encode_batch_fast([t for t, h in zip(texts, has_han) if h],
                                                          add_special_tokens=False)
            plain = iter(self._plain.encode_batch_fast([t for t, h in zip(texts, has_han) if not h],
                                                       add_special_tokens=False))
            han = iter(encodings)
            encodings = [next(han) if h else next(plain) for h in has_han]
        ids = [e.ids for e in encodings]
        lengths = np.fromiter(map(len, ids), dtype=np.int64, count=len(ids))
        flat = np.fromiter(itertools.chain.from_iterable(ids), dtype=np.int64, count=int(lengths.sum()))
        if self._unk is not None:
            unknown = flat == self._unk
            if unknown.any():
                row = np.repeat(np.arange(len(ids)), lengths)
                lengths = lengths - np.bincount(row[unknown], minlength=len(ids))
                flat = flat[~unknown]
        return flat, lengths

    def tokens(self, text: str) -> list[str]:
        """The tokens a text is cut into (for inspection: 固态电池的研究 → 固态, ##电池, ##的, ##研究)."""
        return [self._tokenizer.id_to_token(i) for i in self.token_ids([text])[0]]

    def encode(self, texts: list[str]) -> np.ndarray:
        from scipy import sparse

        texts = list(texts)
        if not texts:
            return np.empty((0, self.dim), dtype=np.float32)
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        for start in range(0, len(texts), self.batch_size):
            flat, lengths = self._flat_ids(texts[start : start + self.batch_size])
            indptr = np.zeros(len(lengths) + 1, dtype=np.int64)
            np.cumsum(lengths, out=indptr[1:])
            weights = np.repeat(1.0 / np.maximum(lengths, 1), lengths).astype(np.float32)
            counts = sparse.csr_matrix((weights, flat, indptr), shape=(len(lengths), self._token_map.shape[0]))
            out[start : start + len(lengths)] = (counts @ self._token_map) @ self._table
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        np.divide(out, norms, out=out, where=norms > 0)
        return out
