"""Screenshots of the governance walk-through (flag → assessment → approval, and a contact request), zh and en.

Why: ``docs/governance-walkthrough.md`` shows a reader what the risk workflow looks like; its pictures must come
from the product itself, not be drawn by hand. This runs the real-browser test
``tests/web/test_browser_governance.py`` (Debian chromium, a real uvicorn server, a fresh user database) with
``FRONTIERWATCH_SCREENSHOTS`` pointing at ``docs/screenshots/governance/``, then re-encodes each PNG with an
adaptive 256-colour palette so that every picture stays small in the repository (limit ``MAX_BYTES``; a picture
still larger is scaled down until it fits).

    python scripts/governance_walkthrough.py            # ≈ 2 min; needs `make system-deps` (chromium)
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots" / "governance"
MAX_BYTES = 300_000


def shrink(path: Path) -> int:
    """Re-encode `path` as a palette PNG (text and flat colours survive 256 colours); scale down if still too big."""
    image = Image.open(path).convert("RGB")
    scale = 1.0
    while True:
        sized = image if scale == 1.0 else image.resize((int(image.width * scale), int(image.height * scale)),
                                                        Image.LANCZOS)
        sized.quantize(colors=256, method=Image.MEDIANCUT, dither=Image.NONE).save(path, optimize=True)
        size = path.stat().st_size
        if size <= MAX_BYTES or scale < 0.5:
            return size
        scale *= 0.85


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for old in OUT.glob("walkthrough-*.png"):
        old.unlink()
    env = dict(os.environ, FRONTIERWATCH_SCREENSHOTS=str(OUT))
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider",
                           "tests/web/test_browser_governance.py"], cwd=ROOT, env=env)
    if done.returncode:
        sys.exit(f"the walk-through test failed; no screenshots kept / 演示测试失败，未保存截图 ({OUT})")
    for path in sorted(OUT.glob("walkthrough-*.png")):
        print(f"{path.relative_to(ROOT)}  {shrink(path) // 1000} kB")


if __name__ == "__main__":
    main()
