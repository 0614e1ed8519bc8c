"""The benchmark's summary of repeated runs (the runs themselves take minutes: not a test)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _throughput():
    spec = importlib.util.spec_from_file_location("throughput", ROOT / "benchmarks" / "throughput.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_repeated_runs_give_medians_and_the_largest_peak_memory():
    runs = [
        {"stage": "pipeline-n2", "chars": 1000, "docs": 10, "seconds": 2.0, "chars_per_s": 500, "docs_per_s": 5.0,
         "cold_start_s": None, "peak_rss_mb": 100, "steady_chars_per_s": 600, "peak_rss_mb_per_worker": 550},
        {"stage": "pipeline-n2", "chars": 1000, "docs": 10, "seconds": 8.0, "chars_per_s": 125, "docs_per_s": 1.25,
         "cold_start_s": None, "peak_rss_mb": 90, "steady_chars_per_s": 150, "peak_rss_mb_per_worker": 570},
        {"stage": "pipeline-n2", "chars": 1000, "docs": 10, "seconds": 2.5, "chars_per_s": 400, "docs_per_s": 4.0,
         "cold_start_s": None, "peak_rss_mb": 95, "steady_chars_per_s": 450, "peak_rss_mb_per_worker": 560},
    ]
    row = _throughput()._median_row(runs)
    # one slow run (a busy machine) moves neither the median nor the ratios built from it
    assert (row["seconds"], row["chars_per_s"], row["docs_per_s"], row["steady_chars_per_s"]) == (2.5, 400, 4.0, 450)
    assert row["cold_start_s"] is None
    assert (row["peak_rss_mb"], row["peak_rss_mb_per_worker"]) == (100, 570)
    assert row["chars_per_s_runs"] == [500, 125, 400]
