"""Each document-consistency rule switched off in turn, scored on the dev split.

The consistency rules (``zhnews_org_consistency``, one switch each in config.cfg) were chosen on
seed leave-one-document-out folds; on news from other sources they carried over only partly.
This measures every switch on the news gold's dev split — the split choices are made on —
as one row each: the pipeline with that rule off, and the difference to the pipeline as
configured. A rule whose row is better off stays switched off in the committed config.
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


def switches(model: Path) -> list[str]:
    """The boolean settings of the consistency component in the pipeline's config.cfg."""
    import spacy

    config = spacy.util.load_config(Path(model) / "config.cfg", interpolate=False)
    return [name for name, value in config["components"][COMPONENT].items() if isinstance(value, bool)]


def _scores(nlp, examples: list[GoldExample]) -> dict[str, float]:
    entities, relations = predict(nlp, examples)
    strict = evaluate_entities(examples, entities)["strict"]
    return {"ORG": strict["ORG"]["f"], "ORG P": strict["ORG"]["p"], "ORG R": strict["ORG"]["r"],
            "entity micro": strict["micro"]["f"], "relations end to end": relation_scores(examples, relations)["micro"]["f"]}


def ablate(model: Path, examples: list[GoldExample], log: Callable[[str], None] = print) -> list[dict]:
    """Rows: the pipeline as configured, each switch off alone, and the component off."""
    import spacy

    from .. import components  # noqa: F401  (registers the factories)

    config = spacy.util.load_config(Path(model) / "config.cfg", interpolate=False)
    configured = {name: config["components"][COMPONENT][name] for name in switches(model)}
    variants: list[tuple[str, dict]] = [("as configured", {})]
    variants += [(f"{name} {'off' if on else 'on'}", {"components": {COMPONENT: {name: not on}}})
                 for name, on in configured.items()]
    rows = []
    for name, overrides in variants:
        log(f"ablation: {name}")
        nlp = spacy.load(model, config=overrides)
        rows.append({"variant": name, **_scores(nlp, examples)})
    log("ablation: component off")
    nlp = spacy.load(model, exclude=[COMPONENT])
    rows.append({"variant": "whole component off", **_scores(nlp, examples)})
    base = rows[0]
    for row in rows[1:]:
        row["Δ ORG"] = round(row["ORG"] - base["ORG"], 4)
        row["Δ relations"] = round(row["relations end to end"] - base["relations end to end"], 4)
    return rows
