"""The benchmark's summary of repeated runs (the runs themselves take minutes: not a test)."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

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


@pytest.mark.slow
def test_the_benchmark_runs_every_row_and_the_peers_in_the_same_run(tmp_path):
    """The benchmark on the seeds (about 60 kB, large enough for the steady rates), once: every stage (zhnews, its parts, the peers a user
    would run instead) prints its row and the ratios are computed. Timings are not asserted."""
    out = tmp_path / "throughput.json"
    result = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "throughput.py"), "--repeat", "1",
                             "--min-bytes", "60000", "--json", str(out)], capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stderr[-2000:]
    module = _throughput()
    for name in module.STAGES:
        assert f"| {name} |" in result.stdout
    saved = json.loads(out.read_text(encoding="utf-8"))
    assert [r["stage"] for r in saved["rows"]] == list(module.STAGES)
    assert all(r["chars_per_s"] > 0 for r in saved["rows"])
    assert saved["ratios"]["first record, fresh process (s)"] > 0
    for ratio in ("steady: pipeline_n1 / peer_sm", "steady: pipeline_n1 / peer_sm_blas", "steady: pipeline_n1 / jieba_posseg",
                  "steady: dask_2 / dask_1"):
        # a steady rate below timing noise is not reported (None, see the next test): on this small
        # corpus, one CI run left one of these out (which one was not recorded); when there, it is positive
        value = saved["ratios"][ratio]
        assert value is None or value > 0, (ratio, value)
    assert saved["ratios"]["steady: pipeline_n1 / peer_sm"] is not None or \
        saved["ratios"]["steady: pipeline_n1 / jieba_posseg"] is not None


def test_a_steady_rate_below_timing_noise_is_not_reported():
    """Regression: on a tiny corpus the second pass could take no longer than the first, and the
    steady rate came out negative or divided by zero."""
    module = _throughput()
    assert module._steady(1000, 0.5) == 2000
    assert module._steady(1000, 0.0) is None
    assert module._steady(1000, -0.2) is None
