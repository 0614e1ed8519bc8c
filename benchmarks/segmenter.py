#!/usr/bin/env python
"""Segmenter benchmark: load time, throughput and memory, each in a fresh process.

Rows:
  original  the unpruned pkuseg ``default`` model, faithfully converted
            (float64, all 2.64M features, bigram set), loaded by the zhnews
            tokenizer (``build_segmenter_pipeline``);
  shrunk    the pipeline written by scripts/build_segmenter.py
            (models/zhnews-zh, or one built from ensure_pkuseg_model());
  jieba     ``jieba.cut`` with its default dictionary, as a reference.

Input: the five seeds concatenated and repeated to >= 1 MB of UTF-8.  For each
row a fresh ``python`` subprocess loads the segmenter (timed), segments the
input with the raw segmenter (``pkuseg.cut`` / ``jieba.cut``) and then through
``nlp(text)`` (spaCy Doc construction included; pkuseg rows only), and reports
peak RSS (VmHWM, else ``ru_maxrss``) and RSS after loading (psutil).  Medians over
``--repeat`` runs.  Needs the cached sdist or models (no network if cached).

    python benchmarks/segmenter.py [--repeat 3] [--pipeline models/zhnews-zh]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

MIN_BYTES = 1_000_000


def bench_text() -> str:
    seeds = "\n".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt")))
    reps = -(-MIN_BYTES // len(seeds.encode("utf-8")))
    return "\n".join([seeds] * reps)


def _peak_rss_mb() -> float:
    """Peak RSS of this process image.

    ``/proc/self/status`` VmHWM where available: unlike ``ru_maxrss``, it is
    reset by ``exec``, so it does not inherit the parent's peak.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _rss_mb() -> float:
    import psutil

    return psutil.Process().memory_info().rss / 2**20


def worker(kind: str, path: str | None) -> dict:
    """Runs in the fresh subprocess."""
    text = bench_text()
    nlp = None
    if kind == "jieba":
        import jieba

        jieba.setLogLevel(60)
        base_rss = _rss_mb()
        t0 = time.perf_counter()
        jieba.initialize()
        load = time.perf_counter() - t0
        cut = lambda s: list(jieba.cut(s))  # noqa: E731
    else:
        import spacy

        from zhnews.training.pkuseg_build import build_segmenter_pipeline

        base_rss = _rss_mb()
        t0 = time.perf_counter()
        nlp = build_segmenter_pipeline(path) if kind == "original" else spacy.load(path)
        load = time.perf_counter() - t0
        cut = nlp.tokenizer.pkuseg_seg.cut
    rss_loaded = _rss_mb()

    t0 = time.perf_counter()
    words = [w for line in text.split("\n") for w in cut(line) if w.strip()]
    seg_s = time.perf_counter() - t0
    digest = hashlib.sha256("\x00".join(words).encode()).hexdigest()[:16]
    nlp_s = None
    if nlp is not None:
        t0 = time.perf_counter()
        n_tok = sum(len(nlp(line)) for line in text.split("\n"))
        nlp_s = time.perf_counter() - t0
        assert n_tok >= len(words)
    return {
        "kind": kind,
        "load_s": load,
        "chars": len(text),
        "bytes": len(text.encode("utf-8")),
        "seg_chars_per_s": len(text) / seg_s,
        "nlp_chars_per_s": None if nlp_s is None else len(text) / nlp_s,
        "words": len(words),
        "digest": digest,
        "rss_base_mb": base_rss,
        "rss_loaded_mb": rss_loaded,
        "peak_rss_mb": _peak_rss_mb(),
    }


def _run(kind: str, path: str | None) -> dict:
    cmd = [sys.executable, __file__, "--worker", kind] + (["--path", path] if path else [])
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, cwd=ROOT)
    return json.loads(out.stdout.strip().splitlines()[-1])


def _dir_mb(p: Path) -> float:
    return sum(f.stat().st_size for f in p.rglob("*") if f.is_file()) / 2**20


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=3, help="fresh-process runs per row (median reported)")
    ap.add_argument("--pipeline", type=Path, default=None, help="shrunk pipeline dir (default: models/zhnews-zh, else built from the cache)")
    ap.add_argument("--worker", choices=["original", "shrunk", "jieba"], help=argparse.SUPPRESS)
    ap.add_argument("--path", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker, args.path)))
        return

    from zhnews.training.pkuseg_build import build_segmenter_pipeline, ensure_pkuseg_model
    from zhnews.segment.tokenizer import DEFAULT_MODEL_PATH

    original_dir = ensure_pkuseg_model(prune=None)
    tmp = None
    shrunk = args.pipeline or DEFAULT_MODEL_PATH
    if not (shrunk / "tokenizer" / "pkuseg_model").is_dir():
        tmp = tempfile.TemporaryDirectory()
        shrunk = Path(tmp.name) / "zhnews-zh"
        build_segmenter_pipeline(ensure_pkuseg_model()).to_disk(shrunk)

    rows = {"original": str(original_dir), "shrunk": str(shrunk), "jieba": None}
    sizes = {
        "original": _dir_mb(original_dir),
        "shrunk": _dir_mb(shrunk / "tokenizer"),
        "jieba": None,
    }
    results = {}
    for kind, path in rows.items():
        runs = [_run(kind, path) for _ in range(args.repeat)]
        med = {k: statistics.median(r[k] for r in runs) for k in ("load_s", "seg_chars_per_s", "rss_loaded_mb", "peak_rss_mb", "rss_base_mb")}
        nlp_vals = [r["nlp_chars_per_s"] for r in runs if r["nlp_chars_per_s"] is not None]
        med["nlp_chars_per_s"] = statistics.median(nlp_vals) if nlp_vals else None
        med.update({k: runs[0][k] for k in ("chars", "bytes", "words", "digest")})
        results[kind] = med

    first = results["original"]
    print(f"# {platform.python_version()} on {platform.machine()} ({os.cpu_count()} CPUs); "
          f"input {first['bytes']:,} bytes / {first['chars']:,} chars; median of {args.repeat} fresh processes")
    print()
    print("| segmenter | on disk (MiB) | load (s) | cut chars/s | nlp() chars/s | RSS after load (MiB) | peak RSS (MiB) | words | output digest |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---|")
    for kind, r in results.items():
        size = "–" if sizes[kind] is None else f"{sizes[kind]:.1f}"
        nlp_cps = "–" if r["nlp_chars_per_s"] is None else f"{r['nlp_chars_per_s']:,.0f}"
        print(f"| {kind} | {size} | {r['load_s']:.2f} | {r['seg_chars_per_s']:,.0f} | {nlp_cps} | "
              f"{r['rss_loaded_mb']:.0f} | {r['peak_rss_mb']:.0f} | {r['words']:,} | {r['digest']} |")
    same = results["original"]["digest"] == results["shrunk"]["digest"]
    print()
    print(f"original and shrunk segmentations identical: {same}; "
          f"process RSS before loading (python + spaCy imports + input text): {results['shrunk']['rss_base_mb']:.0f} MiB")
    if tmp is not None:
        tmp.cleanup()


if __name__ == "__main__":
    main()
