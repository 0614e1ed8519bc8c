"""``zhnews evaluate``: entity scores of the model and the baselines on a gold set.

Rows (each scored by the one scorer, strict and partial):

* ``rules`` and ``jieba`` baselines (see ``baselines.py``);
* ``model on the seed gold (in sample)``: the committed pipeline on the gold it was
  trained on — an upper bound, not a generalization figure;
* ``LODO`` (``--lodo``): leave-one-document-out, the figure to judge the model by,
  with and without the document-consistency component, and run paragraph by paragraph.

The pipeline runs on whole articles, as ``zhnews run`` does (``articles.py``);
its entities are scored per gold example.

The JSON form also carries the gold manifest (which gold, which sha256), the
model's version and config hash, and the token-boundary alignment of the gold.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Callable

from ..gold.format import GoldExample
from ..gold.manifest import compute_manifest
from ..labels import ENTITY_LABELS
from .baselines import jieba_extractor, rules_extractor
from .articles import predict
from .entities import evaluate_entities, predicted_keys
from .errors import entity_errors


def boundary_alignment(examples: list[GoldExample], segment: Callable[[str], list[str]]) -> dict:
    """Share of gold entities whose start and end are word boundaries of ``segment``."""
    aligned = total = 0
    for example in examples:
        boundaries, position = {0}, 0
        for word in segment(example.text):
            start = example.text.index(word, position)
            position = start + len(word)
            boundaries.update((start, position))
        for entity in example.entities:
            total += 1
            aligned += entity.start in boundaries and entity.end in boundaries
    return {"entities": total, "aligned": aligned, "share": round(aligned / total, 4) if total else 1.0}


def evaluate_gold(
    examples: list[GoldExample],
    *,
    nlp=None,
    gold_path: Path | None = None,
    lodo_rows: dict[str, set] | None = None,
    lodo_relation_rows: dict[str, set] | None = None,
    train_only: list[GoldExample] = (),
    log: Callable[[str], None] = print,
) -> dict:
    """All rows of the report as plain data."""
    from ..labels import RELATION_TYPES
    from ..relations.training import candidate_recall
    from ..segment.chars import words
    from .relations import (baseline_end_to_end, baseline_on_gold_entities, confusion, gold_entity_lodo,
                            relation_scores)

    report: dict = {"labels": list(ENTITY_LABELS), "relation_types": list(RELATION_TYPES), "rows": {},
                    "relation_rows": {}, "examples": len(examples)}
    if gold_path is not None and gold_path.is_dir():
        report["gold"] = compute_manifest(gold_path)
    if nlp is None:
        raise ValueError("evaluation needs the pipeline (for its segmenter and models)")
    segment = nlp.tokenizer.pkuseg_seg.cut
    report["alignment"] = {
        "pkuseg_words": boundary_alignment(examples, segment),
        "characters (NER tokens)": boundary_alignment(examples, list),
    }
    rules = rules_extractor(segment)
    log("scoring: rules baseline")
    report["rows"]["rules baseline"] = evaluate_entities(examples, predicted_keys(examples, rules))
    log("scoring: jieba baseline")
    report["rows"]["jieba posseg baseline"] = evaluate_entities(examples, predicted_keys(examples, jieba_extractor()))
    log("scoring: model")
    started = time.perf_counter()
    keys, relation_keys_ = predict(nlp, examples)
    seconds = time.perf_counter() - started
    report["rows"]["model on the seed gold (in sample)"] = evaluate_entities(examples, keys)
    report["model_errors"] = entity_errors(examples, keys)  # the report's error gallery
    chars = sum(len(e.text) for e in examples)
    report["model"] = {"name": nlp.meta.get("name"), "version": nlp.meta.get("version"),
                       "zhnews": nlp.meta.get("zhnews", {}), "chars_per_second": round(chars / seconds)}
    for name, predicted in (lodo_rows or {}).items():
        report["rows"][name] = evaluate_entities(examples, predicted)

    found, total = candidate_recall(examples)
    report["candidate_recall"] = {"candidates": found, "gold_relations": total}
    log("scoring: relations given gold entities (LODO)")
    word_spans = lambda text: words(nlp.make_doc(text))  # noqa: E731
    given_gold, top = gold_entity_lodo(examples, word_spans, train_only=list(train_only), log=log)
    rows = report["relation_rows"]
    rows["baseline, gold entities"] = relation_scores(examples, baseline_on_gold_entities(examples))
    rows["classifier, gold entities (LODO)"] = relation_scores(examples, given_gold)
    rows["baseline end to end (rule entities)"] = relation_scores(examples, baseline_end_to_end(examples, rules))
    rows["model end to end (in sample)"] = relation_scores(examples, relation_keys_)
    for name, predicted in (lodo_relation_rows or {}).items():
        rows[f"{name} end to end"] = relation_scores(examples, predicted)
    report["relation_confusion"] = confusion(examples, given_gold)
    report["relation_top_features"] = top
    return report


def print_report(report: dict, console) -> None:
    """The report as tables: one row per system and label."""
    from rich.table import Table

    table = Table(title=f"entities: {report['examples']} gold examples (strict P/R/F, partial F)")
    for column in ("system", "label", "P", "R", "F", "partial F", "tp", "fp", "fn"):  # noqa: B007
        table.add_column(column, justify="left" if column in ("system", "label") else "right")
    for system, scores in report["rows"].items():
        for label in [*report["labels"], "micro"]:
            strict, partial = scores["strict"][label], scores["partial"][label]
            table.add_row(system if label == report["labels"][0] else "", label, f"{strict['p']:.3f}", f"{strict['r']:.3f}",
                          f"{strict['f']:.3f}", f"{partial['f']:.3f}", str(strict["tp"]), str(strict["fp"]), str(strict["fn"]),
                          end_section=label == "micro")
    console.print(table)
    for name, figures in report.get("alignment", {}).items():
        console.print(f"gold entity boundaries on {name} boundaries: {figures['aligned']}/{figures['entities']} = {figures['share']:.2%}")
    if "gold" in report:
        console.print(f"gold: sha256 {report['gold']['gold_sha256']} ({len(report['gold']['files'])} files)")
    relation_table = Table(title="relations (strict: head span, tail span and type)")
    for column in ("system", "type", "P", "R", "F", "tp", "fp", "fn"):
        relation_table.add_column(column, justify="left" if column in ("system", "type") else "right")
    for system, scores in report.get("relation_rows", {}).items():
        for label in [*report["relation_types"], "micro"]:
            row = scores[label]
            relation_table.add_row(system if label == report["relation_types"][0] else "", label, f"{row['p']:.3f}",
                                   f"{row['r']:.3f}", f"{row['f']:.3f}", str(row["tp"]), str(row["fp"]), str(row["fn"]),
                                   end_section=label == "micro")
    if report.get("relation_rows"):
        console.print(relation_table)
        recall = report["candidate_recall"]
        console.print(f"candidate recall: {recall['candidates']}/{recall['gold_relations']} gold relations are candidates")
    if "model" in report:
        model = report["model"]
        console.print(f"model: {model['name']} {model['version']}, config sha256 {model['zhnews'].get('config_sha256', '?')[:12]}, "
                      f"{model['chars_per_second']:,} chars/s on the gold")
