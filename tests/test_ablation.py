"""`zhnews evaluate --ablate`: each consistency rule switched off in turn, on dev only."""

from __future__ import annotations

import json

import spacy

from evaluation_runs import COMMITTED_MODEL, zhnews
from pipeline.evaluate.ablation import switches


def test_every_consistency_switch_gets_a_dev_row(tmp_path):
    out = tmp_path / "ablation.json"
    result = zhnews("evaluate", "--ablate", "--json", str(out))
    assert result.returncode == 0, result.stderr[-3000:]
    saved = json.loads(out.read_text(encoding="utf-8"))
    assert saved["split"] == "dev"
    names = [row["variant"] for row in saved["rows"]]
    rules = switches(COMMITTED_MODEL)
    assert {"short_forms", "lists", "boundaries", "non_orgs"} <= set(rules)
    # each switch is flipped from its configured value: a rule that is off gets an "on" row
    config = spacy.util.load_config(COMMITTED_MODEL / "config.cfg", interpolate=False)
    configured = config["components"]["zhnews_org_consistency"]
    flipped = [f"{rule} {'off' if configured[rule] else 'on'}" for rule in rules]
    assert names == ["as configured"] + flipped + ["whole component off"]
    base = saved["rows"][0]
    for row in saved["rows"][1:]:
        assert abs(row["Δ ORG"] - (row["ORG"] - base["ORG"])) < 1e-3
    # the component does something on news: without it ORG recall drops
    assert saved["rows"][-1]["ORG R"] < base["ORG R"]
    assert "each consistency rule switched off" in result.stdout
    assert "scoring test" not in result.stderr
