"""Each document-consistency rule switched off (or on) in turn, scored on the dev split.

The consistency rules (``zhnews_org_consistency``, an ordered list of rules in config.cfg) were chosen on
seed leave-one-document-out folds; on news from other sources they carried over only partly.
This measures every rule on the news gold's dev split — the split choices are made on —
as one row each: the pipeline with that rule left out (or, for a rule the config leaves out,
put in), and the difference to the pipeline as configured.
Test is never scored here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from ..gold.format import GoldExample
from .articles import predict
from .entities import evaluate_entities
from .relations import relation_scores

COMPONENT = "zhnews_org_consistency"


def configured_rules(model: Path) -> tuple[list[str], list[str]]:
    """The consistency component's rules and name forms, as the pipeline's config.cfg lists them."""
    import spacy

    config = spacy.util.load_config(Path(model) / "config.cfg", interpolate=False)
    settings = config["components"][COMPONENT]
    return list(settings["rules"]), list(settings["name_forms"])


def variants(model: Path) -> list[tuple[str, dict]]:
    """One variant per rule: a configured rule left out (every occurrence of it), a rule the
    config leaves out put in where the canonical order places it; then each name form left out."""
    from ..ner.consistency import CANONICAL_ORDER, rules_with

    rules, forms = configured_rules(model)
    out: list[tuple[str, dict]] = [("as configured", {})]
    for rule in dict.fromkeys(CANONICAL_ORDER):
        if rule in rules:
            out.append((f"{rule} off", {"rules": [r for r in rules if r != rule]}))
        else:
            out.append((f"{rule} on", {"rules": rules_with(rules, rule)}))
    for form in forms:
        out.append((f"name form {form} off", {"name_forms": [f for f in forms if f != form]}))
    return out


def _scores(nlp, examples: list[GoldExample]) -> dict[str, float]:
    entities, relations = predict(nlp, examples)
    strict = evaluate_entities(examples, entities)["strict"]
    return {"ORG": strict["ORG"]["f"], "ORG P": strict["ORG"]["p"], "ORG R": strict["ORG"]["r"],
            "entity micro": strict["micro"]["f"], "relations end to end": relation_scores(examples, relations)["micro"]["f"]}


def ablate(model: Path, examples: list[GoldExample], log: Callable[[str], None] = print) -> list[dict]:
    """Rows: the pipeline as configured, each rule flipped alone, and the component off.

    The components before the consistency rules (tokenizer, NER, MONEY/YEAR) run once per
    text; each variant runs its own consistency component and the relation extractor on a
    copy of their output, which gives what ``spacy.load(model, config=variant)`` would."""
    import spacy
    from spacy.tokens import Doc

    from .. import components  # noqa: F401  (registers the factories)
    from ..ner.consistency import make_org_consistency

    nlp = spacy.load(model)
    before = nlp.pipe_names[:nlp.pipe_names.index(COMPONENT)]
    after = [(name, pipe) for name, pipe in nlp.pipeline[nlp.pipe_names.index(COMPONENT) + 1:]]
    configured = {key: value for key, value in nlp.get_pipe_config(COMPONENT).items() if key != "factory"}
    cache: dict[str, bytes] = {}

    def upstream(text: str) -> Doc:
        if text not in cache:
            cache[text] = nlp(text, disable=[n for n in nlp.pipe_names if n not in before]).to_bytes()
        return Doc(nlp.vocab).from_bytes(cache[text])

    def analyser(consistency):
        def analyse(text: str) -> Doc:
            doc = upstream(text)
            for _, pipe in ([(COMPONENT, consistency)] if consistency else []) + after:
                doc = pipe(doc)
            return doc
        return analyse

    rows = []
    for name, settings in variants(model):
        log(f"ablation: {name}")
        component = make_org_consistency(nlp, COMPONENT, **{**configured, **settings})
        rows.append({"variant": name, **_scores(analyser(component), examples)})
    log("ablation: component off")
    rows.append({"variant": "whole component off", **_scores(analyser(None), examples)})
    base = rows[0]
    for row in rows[1:]:
        row["Δ ORG"] = round(row["ORG"] - base["ORG"], 4)
        row["Δ relations"] = round(row["relations end to end"] - base["relations end to end"], 4)
    return rows
