"""The regression gate: ``zhnews evaluate --check`` (test split of the news gold) against metrics.json.

The committed model passes (and the gate's table is printed into the test log, as CI
shows it); a deliberately worse copy of it (relation threshold 0.99) fails with exit 1.
The gate runs no training and no cross-validation: it takes a minute, not minutes.
"""

from __future__ import annotations

import copy
import json

import pytest

from evaluation_runs import REPO, committed_run, worse_model, zhnews
from zhnews.evaluate import gate

HEADLINE = {"entity micro F1", "ORG F1", "MONEY F1", "YEAR F1", "relation micro F1, end to end",
            "relation micro F1, gold entities"}


def test_committed_baseline_has_the_headline_figures():
    baseline = gate.read_baseline()
    assert gate.BASELINE_PATH == REPO / "metrics.json"
    assert set(baseline["metrics"]) == HEADLINE
    assert 0 < baseline["tolerance"] <= 0.05
    assert all(0.0 <= v <= 1.0 for v in baseline["metrics"].values())
    assert baseline["gold_sha256"] and baseline["model"]["config_sha256"]


def test_gate_passes_on_the_committed_model(capsys):
    result, report_path = committed_run()
    with capsys.disabled():  # the gate's table in the CI log
        print("\n" + result.stdout[result.stdout.find("regression gate"):])
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "regression gate" in result.stdout and "gate: passed" in result.stdout
    saved = json.loads(report_path.read_text(encoding="utf-8"))
    assert gate.check(saved, gate.read_baseline()).ok
    assert set(saved["splits"]) == {"dev", "test"} and "errors" in saved["splits"]["dev"]
    assert "errors" not in saved["splits"]["test"], "test errors are not listed: nobody reads them to write rules"


def test_each_headline_figure_has_a_bootstrap_interval_around_it():
    """The report says how far each headline F1 could move on another sample of such documents."""
    _, report_path = committed_run()
    for split in ("dev", "test"):
        part = json.loads(report_path.read_text(encoding="utf-8"))["splits"][split]
        intervals = part["intervals"]
        assert intervals["documents"] == part["documents"] and intervals["resamples"] >= 1000
        figures = {"ORG": part["rows"]["pipeline"]["strict"]["ORG"]["f"],
                   "entity micro": part["rows"]["pipeline"]["strict"]["micro"]["f"],
                   "relations end to end": part["relation_rows"]["pipeline end to end"]["micro"]["f"],
                   "relations given gold": part["relation_rows"]["classifier, gold entities"]["micro"]["f"]}
        for name, figure in figures.items():
            low, high = intervals[name]
            assert low < figure < high and high - low < 0.3, (split, name, low, figure, high)


@pytest.mark.slow  # a second full evaluation; CI runs it
def test_gate_fails_on_a_worse_model(capsys):
    result = zhnews("evaluate", "--check", "--model", str(worse_model()))
    with capsys.disabled():
        print("\n" + result.stdout[result.stdout.find("regression gate"):])
    assert result.returncode == 1, result.stdout[-3000:] + result.stderr[-3000:]
    assert "gate: FAILED" in result.stdout
    table = result.stdout[result.stdout.find("regression gate"):]
    assert "relation micro F1, end to end" in table and "FAIL" in table


def _report(entity_f: float, relation_f: float) -> dict:
    labels = ["ORG", "MONEY", "YEAR"]
    scores = {label: {"f": entity_f} for label in [*labels, "micro"]}
    test = {"rows": {gate.MODEL_ROW: {"strict": scores}},
            "relation_rows": {gate.E2E_ROW: {"micro": {"f": relation_f}}, gate.GIVEN_GOLD_ROW: {"micro": {"f": 0.5}}}}
    return {"labels": labels, "splits": {"test": test},
            "gold": {"gold_sha256": "a" * 64}, "model": {"zhnews": {"config_sha256": "b" * 64}}}


def test_tolerance_boundaries_and_update_baseline(tmp_path):
    path = tmp_path / "metrics.json"
    written = gate.write_baseline(_report(0.9, 0.6), path, tolerance=0.02)
    baseline = gate.read_baseline(path)
    assert baseline == json.loads(json.dumps(written)) and baseline["tolerance"] == 0.02
    assert gate.check(_report(0.9, 0.6), baseline).ok
    assert gate.check(_report(0.88, 0.6), baseline).ok  # exactly the tolerance: still ok
    assert gate.check(_report(0.95, 0.7), baseline).ok  # improvements pass (raise the baseline by hand)
    failed = gate.check(_report(0.9, 0.57), baseline)
    assert not failed.ok
    assert [r.name for r in failed.rows if not r.ok] == ["relation micro F1, end to end"]
    assert not gate.check(_report(0.87, 0.6), baseline).ok
    assert gate.check(_report(0.87, 0.6), baseline, tolerance=0.05).ok


def test_notes_when_gold_or_config_changed():
    baseline = gate.baseline_from_report(_report(0.9, 0.6))
    other = copy.deepcopy(_report(0.9, 0.6))
    other["gold"]["gold_sha256"] = "c" * 64
    other["model"]["zhnews"]["config_sha256"] = "d" * 64
    notes = gate.check(other, baseline).notes
    assert any("gold changed" in n for n in notes) and any("config hash" in n for n in notes)
