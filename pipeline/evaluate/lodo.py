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
from ..train import TrainSettings, fit_relations, train
from .articles import predict
from ..scoring import EntityKey


def lodo_predictions(
    examples: list[GoldExample],
    settings: TrainSettings,
    *,
    log: Callable[[str], None] = print,
    variants: dict[str, dict] | None = None,
    keep_dir: Path | None = None,
    reuse: bool = False,
    jobs: int = 1,
) -> tuple[dict[str, set[EntityKey]], dict[str, set]]:
    """Pooled held-out entity and relation predictions per pipeline variant.

    ``variants`` maps a row name to how its pipeline runs: ``{"disable": [components],
    "by_article": bool}`` (whole articles by default, see ``articles.py``). With
    ``keep_dir`` the fold pipelines are kept there (``<doc_id>/``, each loadable
    with ``spacy.load``) to inspect their errors without retraining; with
    ``reuse`` as well, a fold pipeline already there is scored instead of
    trained again when its meta shows it was trained without that document,
    on this gold, from this config (see :func:`reusable_fold`); what is cheap to
    rebuild is rebuilt from the current code and config: the post-processing
    components and the relation classifier (it learns from gold entities, not
    from the NER, so refitting it gives what a new training would). With
    ``jobs`` > 1 the folds to train are trained that many at a time, each in its
    own process (training is deterministic for a seed: the same pipelines as one
    at a time), then scored in order.
    """
    import spacy

    variants = variants or {"model": {}}
    pooled: dict[str, set[EntityKey]] = {name: set() for name in variants}
    relations: dict[str, set] = {name: set() for name in variants}
    documents = sorted({e.doc_id for e in examples})
    with tempfile.TemporaryDirectory(prefix="zhnews-lodo-") as tmp:
        folds = [replace(settings, output=(keep_dir / doc_id) if keep_dir else Path(tmp) / f"fold-{number}",
                         holdout=(doc_id,))
                 for number, doc_id in enumerate(documents, start=1)]
        reused = {fold.holdout[0] for fold in folds if reuse and reusable_fold(fold)}
        _train_folds([fold for fold in folds if fold.holdout[0] not in reused], jobs, log)
        for number, (doc_id, fold_settings) in enumerate(zip(documents, folds), start=1):
            output = fold_settings.output
            if doc_id in reused:
                log(f"fold {number}/{len(documents)}: reusing {output} (trained without {doc_id}, same gold and training config)")
            else:
                log(f"fold {number}/{len(documents)}: scoring {doc_id}")
            nlp = spacy.load(output)
            if doc_id in reused:
                with_current_post_processing(nlp, settings.config)
                fit_relations(nlp, fold_settings, log=lambda message: None)
            held_out = [e for e in examples if e.doc_id == doc_id]
            for name, variant in variants.items():
                with nlp.select_pipes(disable=variant.get("disable", [])):
                    entities, found = predict(nlp, held_out, by_article=variant.get("by_article", True))
                pooled[name] |= entities
                relations[name] |= found
    return pooled, relations


def _train_folds(folds: list[TrainSettings], jobs: int, log: Callable[[str], None], trainer: Callable = train) -> None:
    """Train each fold's pipeline with ``trainer``, ``jobs`` at a time (each in its own process when
    more than one)."""
    if not folds:
        return
    if jobs <= 1 or len(folds) == 1:
        for number, fold in enumerate(folds, start=1):
            log(f"training fold {number}/{len(folds)} without {fold.holdout[0]}")
            trainer(fold, log=_quiet)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed

    log(f"training {len(folds)} folds, {jobs} at a time")
    # spawn: a fresh interpreter per fold, nothing of this process's spaCy state is shared
    with ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("spawn")) as pool:
        running = {pool.submit(trainer, fold, log=_quiet): fold for fold in folds}
        for done, future in enumerate(as_completed(running), start=1):
            # a failed fold fails the run, naming its error (after the folds already queued have run)
            future.result()
            log(f"  trained {done}/{len(folds)}: without {running[future].holdout[0]}")


def _quiet(message: str) -> None:
    """Discards a fold's training log (a module-level function: it is sent to a worker process)."""


def reusable_fold(settings: TrainSettings) -> bool:
    """Was the pipeline at ``settings.output`` trained with exactly these held-out documents, gold and config?

    Training is deterministic for a seed, so such a pipeline has the weights a
    new run would train; anything else (another holdout, edited gold or training
    config, a different seed, corpora or training-only sets) is trained again.
    Post-processing settings may differ: the caller rebuilds those components
    from the current config (:func:`with_current_post_processing`) and refits the
    relation classifier. Code is not recorded: a change to NER training or NER
    feature code needs folds trained again.
    """
    import srsly

    from ..train import training_record

    meta_path = settings.output / "meta.json"
    if not meta_path.exists():
        return False
    meta = srsly.read_json(meta_path).get("zhnews", {})
    expected = training_record(settings)
    del expected["config_sha256"]  # post-processing settings may differ: rebuilt by the caller
    return all(meta.get(key) == value for key, value in expected.items())


def with_current_post_processing(nlp, config_path: Path) -> None:
    """Replace the post-processing components of ``nlp`` by the ones ``config_path`` configures."""
    from thinc.api import Config

    from ..train import POST_PROCESSING

    config = Config().from_str(config_path.read_text(encoding="utf-8"), interpolate=False)
    for name in POST_PROCESSING:
        if name in nlp.pipe_names and name in config["components"]:
            settings = {k: v for k, v in config["components"][name].items() if k != "factory"}
            nlp.replace_pipe(name, config["components"][name]["factory"], config=settings)
