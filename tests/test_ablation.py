"""`zhnews evaluate --ablate`: each consistency rule flipped in turn, on dev only."""

from __future__ import annotations

import json

import spacy

from evaluation_runs import COMMITTED_MODEL, zhnews
from zhnews.evaluate.ablation import COMPONENT, configured_rules, variants
from zhnews.evaluate.articles import predict
from zhnews.evaluate.entities import evaluate_entities
from zhnews.gold.splits import load_split
from zhnews.ner.consistency import CANONICAL_ORDER, rules_with

NEWS_GOLD = COMMITTED_MODEL.parent.parent / "annotations" / "news" / "gold"


def test_every_consistency_rule_gets_a_dev_row(tmp_path):
    out = tmp_path / "ablation.json"
    result = zhnews("evaluate", "--ablate", "--json", str(out))
    assert result.returncode == 0, result.stderr[-3000:]
    saved = json.loads(out.read_text(encoding="utf-8"))
    assert saved["split"] == "dev"
    names = [row["variant"] for row in saved["rows"]]
    rules, forms = configured_rules(COMMITTED_MODEL)
    # each rule is flipped from its configured state: one the config leaves out gets an "on" row
    flipped = [f"{rule} {'off' if rule in rules else 'on'}" for rule in dict.fromkeys(CANONICAL_ORDER)]
    assert names == ["as configured"] + flipped + [f"name form {f} off" for f in forms] + ["whole component off"]
    base = saved["rows"][0]
    for row in saved["rows"][1:]:
        assert abs(row["Δ ORG"] - (row["ORG"] - base["ORG"])) < 1e-3
    # the component does something on news: without it ORG recall drops
    assert saved["rows"][-1]["ORG R"] < base["ORG R"]
    assert "each consistency rule" in result.stdout
    assert "scoring test" not in result.stderr
    # the shortcut (upstream components run once) gives what the loaded pipeline gives
    dev = load_split(NEWS_GOLD, "dev")
    nlp = spacy.load(COMMITTED_MODEL, config={"components": {COMPONENT: dict(variants(COMMITTED_MODEL))["repeated_names off"]}})
    strict = evaluate_entities(dev, predict(nlp, dev)[0])["strict"]
    assert abs(strict["ORG"]["f"] - next(r for r in saved["rows"] if r["variant"] == "repeated_names off")["ORG"]) < 1e-4


def test_a_rule_put_back_goes_where_the_canonical_order_places_it():
    rules = ["cut_at_punctuation", "drop_non_orgs", "repeated_names", "drop_non_orgs"]
    assert rules_with(rules, "legal_names") == ["cut_at_punctuation", "drop_non_orgs", "legal_names", "repeated_names", "drop_non_orgs"]
    assert rules_with(rules, "repeated_names") == rules
