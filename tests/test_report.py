"""``zhnews evaluate-seeds --report DIR``: report.md and a self-contained report.html, viewed in Chromium."""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
import subprocess

import pytest

from evaluation_runs import seed_report_run
from zhnews.evaluate.render import merge_rows, to_html, to_markdown, write_report

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def report_dir():
    result, directory = seed_report_run()
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return directory


@pytest.fixture(scope="module")
def report(report_dir) -> dict:
    return json.loads((report_dir / "report.json").read_text(encoding="utf-8"))


def test_report_files_are_written(report_dir):
    for name in ("report.md", "report.html", "f1.png", "report.json"):
        assert (report_dir / name).stat().st_size > 0, name
    assert (report_dir / "f1.png").read_bytes().startswith(PNG_MAGIC)


def test_markdown_has_manifest_model_tables_and_gallery(report_dir, report):
    md = (report_dir / "report.md").read_text(encoding="utf-8")
    assert report["gold"]["gold_sha256"] in md
    assert report["model"]["zhnews"]["config_sha256"] in md
    for file in report["gold"]["files"]:
        assert file in md
    for heading in ("## Entities", "## Relations", "## Relation confusion", "## Relation top features",
                    "## Error gallery"):
        assert heading in md
    assert "| model on the seed gold (in sample) | ORG |" in md
    assert "| model end to end (in sample) | micro |" in md
    assert "![per-label F1](f1.png)" in md
    assert "peak RSS" in md and "chars/s" in md


def test_html_is_self_contained_with_tables_chart_and_gallery(report_dir, report):
    html = (report_dir / "report.html").read_text(encoding="utf-8")
    assert "<style>" in html and not re.search(r"""(src|href)=["']https?:""", html), "no external resources"
    images = re.findall(r'src="data:image/png;base64,([^"]+)"', html)
    assert len(images) == 1 and base64.b64decode(images[0]).startswith(PNG_MAGIC)
    for css_class in ("entities-table", "relations-table", "confusion"):
        assert f'class="{css_class}"' in html
    errors = report["model_errors"]
    assert errors, "the committed model makes some errors on the gold"
    assert sum(e["kind"] == "FP" for e in errors) == report["rows"]["model on the seed gold (in sample)"]["strict"]["micro"]["fp"]
    assert sum(e["kind"] == "FN" for e in errors) == report["rows"]["model on the seed gold (in sample)"]["strict"]["micro"]["fn"]
    assert html.count('class="err ') == len(errors)
    assert html.count("<mark class=\"entity\"") >= len(errors)  # displaCy's entity markup
    for e in errors:
        assert e["context"][e["start"]:e["end"]] == e["text"]


def test_saved_rows_merge_into_the_report(report, tmp_path):
    saved = json.loads(json.dumps(report))
    saved["rows"]["LODO model"] = saved["rows"]["rules baseline"]
    saved["relation_rows"]["LODO model end to end"] = saved["relation_rows"]["baseline, gold entities"]
    merged = json.loads(json.dumps(report))
    assert merge_rows(merged, saved) == ["LODO model", "LODO model end to end"]
    assert "| LODO model | ORG |" in to_markdown(merged) and "LODO model end to end" in to_html(merged)
    other = json.loads(json.dumps(saved))
    other["gold"]["gold_sha256"] = "0" * 64
    with pytest.raises(ValueError, match="another gold"):
        merge_rows(json.loads(json.dumps(report)), other)


def test_benchmark_json_goes_into_the_report(report, tmp_path):
    benchmark = {"rows": [{"stage": "segment", "chars": 10, "docs": 1, "seconds": 1.0, "chars_per_s": 400000, "docs_per_s": 5.0,
                           "cold_start_s": 1.2, "peak_rss_mb": 300},
                          {"stage": "pipeline-n1", "chars": 10, "docs": 1, "seconds": 1.0, "chars_per_s": 350000, "docs_per_s": 4.0,
                           "cold_start_s": 2.0, "peak_rss_mb": 450}],
                 "ratios": {"pipeline_n1 / segment": 0.875}}
    paths = write_report(report, tmp_path, benchmark=benchmark)
    md = paths["md"].read_text(encoding="utf-8")
    assert "## Benchmark" in md and "| pipeline-n1 | 350,000 |" in md and "pipeline_n1 / segment: 0.875 (target ≥ 0.8) — ok" in md
    assert 'id="benchmark"' in paths["html"].read_text(encoding="utf-8")


def test_report_html_renders_in_headless_chromium(report_dir, tmp_path):
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is missing in CI (scripts/test.sh installs Debian's chromium when CI=true)")
        pytest.skip("chromium not installed (apt-get install chromium); CI installs it and runs this test")
    screenshot = tmp_path / "report.png"
    command = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync",
               "--disable-dev-shm-usage", f"--user-data-dir={tmp_path / 'profile'}", f"--screenshot={screenshot}",
               "--window-size=1200,2000", "--hide-scrollbars", (report_dir / "report.html").as_uri()]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert screenshot.exists(), result.stderr[-2000:]
    data = screenshot.read_bytes()
    assert data.startswith(PNG_MAGIC) and len(data) > 50_000, f"{len(data)} bytes: a blank page?"
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert (width, height) == (1200, 2000)
    keep = os.environ.get("ZHNEWS_KEEP_SCREENSHOT")
    if keep:
        shutil.copy(screenshot, keep)


def test_the_seed_lodo_row_says_when_it_was_measured_on_another_training_recipe():
    """Regression: the news report showed a seed LODO figure from an older recipe as if it were this model's."""
    from pathlib import Path

    from zhnews.cli import seed_lodo_row

    saved = {"rows": {"LODO model": {"strict": {"ORG": {"f": 0.85}, "micro": {"f": 0.88}}}},
             "relation_rows": {"LODO model end to end": {"micro": {"f": 0.73}}},
             "model": {"zhnews": {"training_config_sha256": "a" * 64}}}
    same = seed_lodo_row(saved, Path("r.json"), {"training_config_sha256": "a" * 64})
    assert same["name"] == "seed LODO, 5 articles (r.json)" and same["ORG"] == 0.85
    other = seed_lodo_row(saved, Path("r.json"), {"training_config_sha256": "b" * 64, "news_gold_sha256": "c"})
    assert "older training recipe" in other["name"] and "without the news gold" in other["name"]
    assert other["relations end to end"] == 0.73
    # a run that records how its folds were trained (evaluate-seeds --lodo --news-gold ...) is judged by that
    recipe = {"training_config_sha256": "b" * 64, "news_gold_sha256": "c", "vectors_sha256": "v", "init_tok2vec_sha256": "t"}
    today = seed_lodo_row({**saved, "lodo_training": recipe}, Path("r.json"), recipe)
    assert today["name"] == "seed LODO, 5 articles (r.json)"
    newer_gold = seed_lodo_row({**saved, "lodo_training": recipe}, Path("r.json"), {**recipe, "news_gold_sha256": "d"})
    assert newer_gold["name"].endswith("folds trained with this model's config but another news gold")
