"""Leave-one-document-out evaluation: train without a document, score on it.

The seed gold is five articles; scoring a model on documents it was trained on
says nothing about news it has never seen. Each fold trains a fresh pipeline
with one document held out (never in training, never used for model
selection) and predicts that document; the predictions of all folds are
pooled and scored once (micro-averaged over all held-out documents).
"""

from __future__ import annotations

import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Callable

from ..gold.format import GoldExample
from ..train import TrainSettings, train
from ..gold.keys import example_key
from .scorer import EntityKey


def lodo_predictions(
    examples: list[GoldExample],
    settings: TrainSettings,
    *,
    log: Callable[[str], None] = print,
    variants: dict[str, list[str]] | None = None,
    keep_dir: Path | None = None,
) -> tuple[dict[str, set[EntityKey]], dict[str, set]]:
    """Pooled held-out entity and relation predictions per pipeline variant.

    ``variants`` maps a row name to the components disabled for it. With
    ``keep_dir`` the fold pipelines are kept there (``<doc_id>/``, each loadable
    with ``spacy.load``) to inspect their errors without retraining.
    """
    import spacy

    variants = variants or {"model": []}
    pooled: dict[str, set[EntityKey]] = {name: set() for name in variants}
    relations: dict[str, set] = {name: set() for name in variants}
    documents = sorted({e.doc_id for e in examples})
    with tempfile.TemporaryDirectory(prefix="zhnews-lodo-") as tmp:
        for number, doc_id in enumerate(documents, start=1):
            log(f"fold {number}/{len(documents)}: holding out {doc_id}")
            output = (keep_dir / doc_id) if keep_dir else Path(tmp) / f"fold-{number}"
            train(replace(settings, output=output, holdout=(doc_id,)), log=lambda message: None)
            nlp = spacy.load(output)
            held_out = [e for e in examples if e.doc_id == doc_id]
            for name, disabled in variants.items():
                with nlp.select_pipes(disable=disabled):
                    for example in held_out:
                        doc = nlp(example.text)
                        key = example_key(example)
                        ents = list(doc.ents)
                        pooled[name] |= {(key, e.start_char, e.end_char, e.label_) for e in ents}
                        for r in doc._.relations or []:
                            head, tail = ents[r["head"]], ents[r["tail"]]
                            relations[name].add((key, (head.start_char, head.end_char), (tail.start_char, tail.end_char), r["type"]))
    return pooled, relations
