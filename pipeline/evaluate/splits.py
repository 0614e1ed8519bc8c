"""The headline evaluation: a pipeline on the news gold's dev and test splits.

The news gold (``annotations/news/gold``, issue "Real-news gold") is split by document in
its ``manifest.json``: ``train`` is for training, ``dev`` for every choice (features,
rules, thresholds, hyperparameters), ``test`` for reporting only. This module scores a
pipeline on dev and on test, strict and partial, per label, per relation type and per
source, beside the two baselines. Only dev's errors are listed (the error gallery): test
errors are not read to write rules.

Relations are scored end to end (the pipeline's own entities) and given the gold entities
(the pipeline's relation classifier applied to the gold entities of each example).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Callable

from ..gold.format import GoldExample
from ..gold.keys import document_numbers, entity_keys, example_key, relation_keys
from ..gold.manifest import compute_manifest
from ..gold.splits import load_split, source_of
from ..labels import ENTITY_LABELS, NO_RELATION, RELATION_TYPES
from ..relations.training import example_entities
from ..scoring import bootstrap_interval, reliability
from .articles import predict
from .baselines import jieba_extractor, rules_extractor
from .entities import evaluate_entities, predicted_keys
from .errors import entity_error_kinds, entity_errors, relation_error_kinds
from .relations import baseline_end_to_end, baseline_on_gold_entities, confusion, relation_scores

DEFAULT_NEWS_GOLD = Path("annotations/news/gold")
MODEL_ROW = "pipeline"
GIVEN_GOLD_ROW = "classifier, gold entities"
E2E_ROW = "pipeline end to end"
TRADITIONAL_ROW = "pipeline, traditional input"
TRADITIONAL_E2E_ROW = "pipeline end to end, traditional input"
#: bootstrap resamples of the documents behind each headline figure's interval
INTERVAL_RESAMPLES = 1000


def given_gold_relations(nlp, examples: list[GoldExample]) -> dict:
    """The pipeline's relation classifier applied to each example's gold entities: relation key -> score."""
    from ..segment.chars import words

    extractor = nlp.get_pipe("relation_extractor")
    predicted = {}
    for example in examples:
        entities, _ = example_entities(example)
        key = example_key(example)
        for relation in extractor.predict(example.text, words(nlp.make_doc(example.text)), entities):
            head, tail = entities[relation["head"]], entities[relation["tail"]]
            predicted[(key, (head.start, head.end), (tail.start, tail.end), relation["type"])] = relation["score"]
    return predicted


def predict_traditional(nlp, examples: list[GoldExample]) -> tuple[set, set, int]:
    """The pipeline's entities and relations when each text comes in traditional characters (OpenCC
    s2t), scored against the same gold: the tokenizer normalizes it back, keeping the offsets (an
    article whose normalized length would differ is scored in its original characters). Also returns
    how many articles the conversion changed."""
    import opencc

    to_traditional = opencc.OpenCC("s2t")
    originals = {}

    def converted(text: str):
        traditional = to_traditional.convert(text)
        doc = nlp(traditional)
        if len(doc.text) != len(text):  # offsets would not line up: score the original instead
            return nlp(text)
        originals[text] = traditional != text
        return doc

    entities, relations = predict(nlp=converted, examples=examples)
    return entities, relations, sum(originals.values())


def _by_source(examples: list[GoldExample], entity_keys_: set, relation_keys_: set) -> dict[str, dict]:
    rows = {}
    for source in sorted({source_of(e) for e in examples}):
        subset = [e for e in examples if source_of(e) == source]
        keys = {example_key(e) for e in subset}
        entities = evaluate_entities(subset, {k for k in entity_keys_ if k[0] in keys})
        relations = relation_scores(subset, {k for k in relation_keys_ if k[0] in keys})
        rows[source] = {"documents": len({e.doc_id for e in subset}), "chars": sum(len(e.text) for e in subset),
                        "ORG": entities["strict"]["ORG"], "entity micro": entities["strict"]["micro"],
                        "relations end to end": relations["micro"]}
    return rows


def evaluate_split(nlp, examples: list[GoldExample], *, with_errors: bool, log: Callable[[str], None] = print) -> dict:
    """Every row for one split."""
    segment = nlp.tokenizer.pkuseg_seg.cut
    report: dict = {"documents": len({e.doc_id for e in examples}), "examples": len(examples),
                    "chars": sum(len(e.text) for e in examples), "rows": {}, "relation_rows": {}}
    rules = rules_extractor(segment)
    report["rows"]["rules baseline"] = evaluate_entities(examples, predicted_keys(examples, rules))
    report["rows"]["jieba posseg baseline"] = evaluate_entities(examples, predicted_keys(examples, jieba_extractor()))
    started = time.perf_counter()
    confidences: dict = {}
    fact_confidences: dict = {}
    keys, relation_keys_ = predict(nlp, examples, confidences=confidences, fact_confidences=fact_confidences)
    report["chars_per_second"] = round(report["chars"] / (time.perf_counter() - started))
    report["rows"][MODEL_ROW] = evaluate_entities(examples, keys)
    scored = given_gold_relations(nlp, examples)
    given = set(scored)
    rows = report["relation_rows"]
    rows["baseline, gold entities"] = relation_scores(examples, baseline_on_gold_entities(examples))
    rows[GIVEN_GOLD_ROW] = relation_scores(examples, given)
    gold_entities, gold_relations = entity_keys(examples), relation_keys(examples)
    # does a relation scored s turn out right a fraction s of the time? (given gold entities)
    report["relation_reliability"] = reliability([(score, key in gold_relations) for key, score in scored.items()])
    if confidences:  # does an ORG of confidence p match a gold ORG exactly a fraction p of the time?
        report["org_reliability"] = reliability([(p, key in gold_entities) for key, p in confidences.items() if key[3] == "ORG"])
    if fact_confidences:  # is a relation of fact confidence p right end to end a fraction p of the time?
        report["fact_reliability"] = reliability([(p, key in gold_relations) for key, p in fact_confidences.items()])
    rows["baseline end to end (rule entities)"] = relation_scores(examples, baseline_end_to_end(examples, rules))
    rows[E2E_ROW] = relation_scores(examples, relation_keys_)
    report["relation_confusion"] = confusion(examples, given)
    traditional_keys, traditional_relations, changed = predict_traditional(nlp, examples)
    report["rows"][TRADITIONAL_ROW] = evaluate_entities(examples, traditional_keys)
    rows[TRADITIONAL_E2E_ROW] = relation_scores(examples, traditional_relations)
    report["traditional_articles_changed"] = changed
    report["by_source"] = _by_source(examples, keys, relation_keys_)
    report["error_kinds"] = {
        "entities": entity_error_kinds(gold_entities, keys),
        "relations end to end": relation_error_kinds(gold_relations, relation_keys_, gold_entities, keys),
    }
    report["intervals"] = headline_intervals(examples, keys, given, relation_keys_)
    if with_errors:
        report["errors"] = entity_errors(examples, keys)
    return report


def headline_intervals(examples: list[GoldExample], entities: set, given: set, end_to_end: set) -> dict:
    """95 % intervals of the pipeline's headline F1s over bootstrap resamples of the split's
    documents: how far a figure could move on another sample of such news, so a change smaller than
    that is read as noise."""
    documents, document_of = document_numbers(examples)
    gold_entities, gold_relations = entity_keys(examples), relation_keys(examples)

    def interval(gold, predicted, label=None):
        return list(bootstrap_interval(gold, predicted, document_of, documents, label=label, resamples=INTERVAL_RESAMPLES))

    return {"level": 0.95, "resamples": INTERVAL_RESAMPLES, "documents": documents,
            "ORG": interval(gold_entities, entities, "ORG"),
            "entity micro": interval(gold_entities, entities),
            "relations end to end": interval(gold_relations, end_to_end),
            "relations given gold": interval(gold_relations, given)}


def evaluate_news(nlp, gold_dir: Path = DEFAULT_NEWS_GOLD, *, splits: tuple[str, ...] = ("dev", "test"),
                  log: Callable[[str], None] = print) -> dict:
    """The report: per split (dev errors only), the gold manifest and the model's identity."""
    report: dict = {"labels": list(ENTITY_LABELS), "relation_types": list(RELATION_TYPES), "splits": {},
                    "gold": compute_manifest(gold_dir)}
    report["gold"].pop("files", None)
    report["gold"]["path"] = gold_dir.as_posix()
    for split in splits:
        examples = load_split(gold_dir, split)
        log(f"scoring {split}: {len({e.doc_id for e in examples})} documents")
        report["splits"][split] = evaluate_split(nlp, examples, with_errors=split == "dev", log=log)
    report["model"] = {"name": nlp.meta.get("name"), "version": nlp.meta.get("version"),
                       "zhnews": nlp.meta.get("zhnews", {})}
    return report


def print_news_report(report: dict, console) -> None:
    """Tables: per split and system, strict P/R/F and partial F per label; relations per type; per source."""
    from rich.table import Table

    for split, part in report["splits"].items():
        headline = " (the headline: reported, never tuned on)" if split == "test" else " (for choices)"
        table = Table(title=f"{split}{headline}: {part['documents']} documents, {part['chars']:,} characters — entities")
        for column in ("system", "label", "P", "R", "F", "partial F", "tp", "fp", "fn"):
            table.add_column(column, justify="left" if column in ("system", "label") else "right")
        for system, scores in part["rows"].items():
            for label in [*report["labels"], "micro"]:
                strict, partial = scores["strict"][label], scores["partial"][label]
                table.add_row(system if label == report["labels"][0] else "", label, f"{strict['p']:.3f}",
                              f"{strict['r']:.3f}", f"{strict['f']:.3f}", f"{partial['f']:.3f}", str(strict["tp"]),
                              str(strict["fp"]), str(strict["fn"]), end_section=label == "micro")
        console.print(table)
        relations = Table(title=f"{split}: relations (strict: head span, tail span and type)")
        for column in ("system", "type", "P", "R", "F", "tp", "fp", "fn"):
            relations.add_column(column, justify="left" if column in ("system", "type") else "right")
        for system, scores in part["relation_rows"].items():
            for label in [*report["relation_types"], "micro"]:
                row = scores[label]
                relations.add_row(system if label == report["relation_types"][0] else "", label, f"{row['p']:.3f}",
                                  f"{row['r']:.3f}", f"{row['f']:.3f}", str(row["tp"]), str(row["fp"]),
                                  str(row["fn"]), end_section=label == "micro")
        console.print(relations)
        sources = Table(title=f"{split}: per source (pipeline, strict F1)")
        for column in ("source", "documents", "chars", "ORG", "entity micro", "relations e2e"):
            sources.add_column(column, justify="left" if column == "source" else "right")
        for source, row in part["by_source"].items():
            sources.add_row(source, str(row["documents"]), f"{row['chars']:,}", f"{row['ORG']['f']:.3f}",
                            f"{row['entity micro']['f']:.3f}", f"{row['relations end to end']['f']:.3f}")
        console.print(sources)
        intervals = part.get("intervals")
        if intervals:
            console.print(f"{split}: {intervals['level']:.0%} intervals of the pipeline's F1 over {intervals['resamples']:,} "
                          f"bootstrap resamples of the {intervals['documents']} documents: "
                          + ", ".join(f"{name} [{intervals[name][0]:.3f}, {intervals[name][1]:.3f}]" for name in _headline_figures(part)))
        _print_error_kinds(split, part.get("error_kinds"), console)
    if report.get("secondary"):
        row = report["secondary"]
        console.print(f"secondary — {row['name']}: ORG {row['ORG']:.3f}, entity micro {row['entity micro']:.3f}, "
                      f"relations end to end {row['relations end to end']:.3f}")
    gold = report["gold"]
    model = report.get("model", {})
    console.print(f"gold: {gold.get('path')} sha256 {gold['gold_sha256'][:16]}; model: {model.get('name')} "
                  f"{model.get('version')}, config sha256 {str(model.get('zhnews', {}).get('config_sha256', '?'))[:12]}")


def _error_kind_rows(kinds: dict | None) -> list[tuple[str, str, dict[str, int]]]:
    """(what, label or type, counts) rows of the error breakdown, entities first."""
    if not kinds:
        return []
    return [(what, label, counts) for what in ("entities", "relations end to end")
            for label, counts in sorted(kinds.get(what, {}).items())]


def _print_error_kinds(split: str, kinds: dict | None, console) -> None:
    from rich.table import Table

    for what, title in (("entities", "entity errors of the pipeline by kind (boundary: the other side has an "
                                     "overlapping span of the same label)"),
                        ("relations end to end", "relation errors end to end by cause")):
        rows = [(label, counts) for w, label, counts in _error_kind_rows(kinds) if w == what]
        if not rows:
            continue
        table = Table(title=f"{split}: {title}")
        columns = list(rows[0][1])
        for column in ("label", *columns):
            table.add_column(column, justify="left" if column == "label" else "right")
        for label, counts in rows:
            table.add_row(label, *(str(counts[c]) for c in columns))
        console.print(table)


def news_markdown(report: dict) -> str:
    """The report's tables as Markdown (test first: the headline)."""
    lines = ["# zhnews evaluation on the news gold", "",
             f"gold `{report['gold'].get('path')}` sha256 `{report['gold']['gold_sha256']}`; model "
             f"{report.get('model', {}).get('name')} {report.get('model', {}).get('version')}", ""]
    for split in sorted(report["splits"], key=lambda s: s != "test"):
        part = report["splits"][split]
        lines += [f"## {split}: {part['documents']} documents, {part['chars']:,} characters", "",
                  "| system | label | P | R | F | partial F |", "|---|---|---|---|---|---|"]
        for system, scores in part["rows"].items():
            for label in [*report["labels"], "micro"]:
                st, pa = scores["strict"][label], scores["partial"][label]
                lines.append(f"| {system} | {label} | {st['p']:.3f} | {st['r']:.3f} | {st['f']:.3f} | {pa['f']:.3f} |")
        lines += ["", "| relations | type | P | R | F | tp | fp | fn |", "|---|---|---|---|---|---|---|---|"]
        for system, scores in part["relation_rows"].items():
            for label in [*report["relation_types"], "micro"]:
                row = scores[label]
                lines.append(f"| {system} | {label} | {row['p']:.3f} | {row['r']:.3f} | {row['f']:.3f} | "
                             f"{row['tp']} | {row['fp']} | {row['fn']} |")
        lines += _intervals_markdown(part)
        lines += ["", "| source | documents | chars | ORG F | entity micro F | relations e2e F |", "|---|---|---|---|---|---|"]
        for source, row in part["by_source"].items():
            lines.append(f"| {source} | {row['documents']} | {row['chars']:,} | {row['ORG']['f']:.3f} | "
                         f"{row['entity micro']['f']:.3f} | {row['relations end to end']['f']:.3f} |")
        lines += _confusion_markdown(part.get("relation_confusion"), report["relation_types"])
        lines += _reliability_markdown(part.get("relation_reliability"), "relation score (given gold entities")
        lines += _reliability_markdown(part.get("org_reliability"), "ORG confidence (the pipeline's ORGs"
                                       + (", in sample: the confidence is fitted on dev" if split == "dev" else ""))
        lines += _reliability_markdown(part.get("fact_reliability"), "fact confidence (the pipeline's relations, end to end"
                                       + (", in sample: the entity confidence is fitted on dev" if split == "dev" else ""))
        for what in ("entities", "relations end to end"):
            rows = [(label, counts) for w, label, counts in _error_kind_rows(part.get("error_kinds")) if w == what]
            if rows:
                columns = list(rows[0][1])
                lines += ["", f"| {what}: errors | {' | '.join(columns)} |", "|---|" + "---|" * len(columns)]
                lines += [f"| {label} | {' | '.join(str(counts[c]) for c in columns)} |" for label, counts in rows]
        lines.append("")
    if report.get("secondary"):
        row = report["secondary"]
        lines += ["## secondary", "", f"{row['name']}: ORG {row['ORG']}, entity micro {row['entity micro']}, "
                  f"relations end to end {row['relations end to end']}", ""]
    return "\n".join(lines)


def _intervals_markdown(part: dict) -> list[str]:
    """The headline figures with their bootstrap intervals."""
    intervals = part.get("intervals")
    if not intervals:
        return []
    lines = ["", f"| pipeline F1 ({intervals['level']:.0%} interval, {intervals['resamples']:,} bootstrap resamples of the "
                 f"{intervals['documents']} documents) | F | low | high |", "|---|---|---|---|"]
    lines += [f"| {name} | {figure:.3f} | {intervals[name][0]:.3f} | {intervals[name][1]:.3f} |"
              for name, figure in _headline_figures(part).items()]
    return lines


def _headline_figures(part: dict) -> dict[str, float]:
    """The pipeline's headline F1s of one split, named as ``headline_intervals`` names their intervals."""
    return {"ORG": part["rows"][MODEL_ROW]["strict"]["ORG"]["f"],
            "entity micro": part["rows"][MODEL_ROW]["strict"]["micro"]["f"],
            "relations end to end": part["relation_rows"][E2E_ROW]["micro"]["f"],
            "relations given gold": part["relation_rows"][GIVEN_GOLD_ROW]["micro"]["f"]}


def _confusion_markdown(table: dict | None, types: list[str]) -> list[str]:
    """Gold type (rows) x predicted type (columns), given gold entities."""
    if not table:
        return []
    columns = [*types, NO_RELATION]
    lines = ["", "| relations given gold entities: gold \\ predicted | " + " | ".join(columns) + " |",
             "|---|" + "---|" * len(columns)]
    for gold in columns:
        if gold in table:
            lines.append(f"| {gold} | " + " | ".join(str(table[gold].get(c, 0)) for c in columns) + " |")
    return lines


def _reliability_markdown(reliability_: dict | None, what: str) -> list[str]:
    """The reliability diagram as a table: per score bin, how many and how many were right."""
    if not reliability_ or not reliability_["bins"]:
        return []
    lines = ["", f"| {what}; ECE {reliability_['ece']:.3f}) | n | mean score | right |", "|---|---|---|---|"]
    lines += [f"| {b['bin']} | {b['n']} | {b['mean_score']:.3f} | {b['accuracy']:.3f} |" for b in reliability_["bins"]]
    return lines
