#!/usr/bin/env python
"""Load time, memory and SIGHAN 2005 word F1 of one converted pkuseg model directory.

One model per process, so its RSS is its own. Used to choose the prune threshold
(benchmarks/SEGMENTER.md, "Why eps 0.05 is shipped"):

    python scripts/build_segmenter.py --prune 0.1 --output /tmp/seg/p0.1
    python benchmarks/segmenter_prune.py /tmp/seg/p0.1/tokenizer/pkuseg_model
    python benchmarks/segmenter_prune.py models/zhnews-zh/tokenizer/pkuseg_model

The segmenter runs without the post-processing word list (``build_segmenter_pipeline``),
so its F1 differs from ``build_segmenter.py --verify``'s; compare rows of the same script.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from segmenter import _peak_rss_mb, _rss_mb  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("model_dir", type=Path, help="a converted pkuseg model directory (features + weights)")
    parser.add_argument("--sighan-dir", type=Path, default=Path("/work/shared/corpora/sighan2005_cws"))
    args = parser.parse_args()

    from zhnews.training.pkuseg_build import build_segmenter_pipeline

    sys.path.insert(0, str(ROOT / "scripts"))
    from build_segmenter import word_f1

    before = _rss_mb()
    started = time.perf_counter()
    seg = build_segmenter_pipeline(args.model_dir).tokenizer.pkuseg_seg
    load = time.perf_counter() - started
    print(f"{args.model_dir}: load {load:.2f} s, RSS +{_rss_mb() - before:.0f} MiB, peak {_peak_rss_mb():.0f} MiB")
    for name, f1 in word_f1(seg, args.sighan_dir).items():
        print(f"  {name} word F1 {f1:.5f}")


if __name__ == "__main__":
    main()
