"""``evaluate --lodo --keep-folds DIR --reuse-folds``: a kept fold pipeline is reused only when
it was trained exactly as a new fold would be, and its post-processing follows the current config."""

from __future__ import annotations

import json
import re
from pathlib import Path

import spacy

from zhnews.evaluate.lodo import reusable_fold, with_current_post_processing
from zhnews.gold.manifest import compute_manifest
from zhnews.train import TrainSettings, fit_relations, repo_relative, training_config_sha256

REPO = Path(__file__).resolve().parent.parent
GOLD = REPO / "annotations" / "gold"
CONFIG = REPO / "configs" / "config.cfg"


def _fold(tmp_path: Path, **changes) -> TrainSettings:
    settings = TrainSettings(gold=GOLD, output=tmp_path / "fold", config=CONFIG, holdout=("000_fc2cae570a148aeb",))
    meta = {
        "holdout": sorted(settings.holdout),
        "training_config_sha256": training_config_sha256(CONFIG),
        "gold_sha256": compute_manifest(GOLD)["gold_sha256"],
        "corpus_limit": settings.corpus_limit,
        "gold_repeat": settings.gold_repeat,
        "seed": settings.seed,
        "max_steps": settings.max_steps,
        "corpora": [],
        "train_only": [repo_relative(p) for p in settings.train_only],
        "relation_train_only": [repo_relative(p) for p in settings.relation_train_only],
    }
    meta.update(changes)
    settings.output.mkdir(parents=True)
    (settings.output / "meta.json").write_text(json.dumps({"zhnews": meta}), encoding="utf-8")
    return settings


def test_a_fold_trained_with_the_same_settings_is_reused(tmp_path):
    assert reusable_fold(_fold(tmp_path))


def test_a_fold_with_another_holdout_seed_or_config_is_trained_again(tmp_path):
    for number, change in enumerate([{"holdout": ["001_52c8ccbfabf032ea"]}, {"seed": 1}, {"max_steps": 100},
                                     {"training_config_sha256": "0" * 64}, {"gold_sha256": "0" * 64}]):
        assert not reusable_fold(_fold(tmp_path / str(number), **change)), change


def test_no_meta_means_no_reuse(tmp_path):
    assert not reusable_fold(TrainSettings(gold=GOLD, output=tmp_path / "missing", holdout=("x",)))


def test_post_processing_settings_do_not_change_the_training_hash(tmp_path):
    text = CONFIG.read_text(encoding="utf-8")
    edited = tmp_path / "config.cfg"
    edited.write_text(text.replace('"legal_names",', ""), encoding="utf-8")
    assert edited.read_text(encoding="utf-8") != text, "the committed config lists legal_names"
    assert training_config_sha256(edited) == training_config_sha256(CONFIG)
    trained_differently = tmp_path / "other.cfg"
    changed = re.sub(r"(?m)^max_steps = (\d+)$", lambda m: f"max_steps = {int(m.group(1)) - 1}", text)
    assert changed != text, "the committed config sets max_steps"
    trained_differently.write_text(changed, encoding="utf-8")
    assert training_config_sha256(trained_differently) != training_config_sha256(CONFIG)


def test_reused_fold_gets_the_current_post_processing(tmp_path):
    nlp = spacy.blank("en")
    nlp.add_pipe("zhnews_org_consistency")
    assert "legal_names" in nlp.get_pipe("zhnews_org_consistency").rules
    config = tmp_path / "config.cfg"
    config.write_text(CONFIG.read_text(encoding="utf-8").replace('"legal_names",', ""), encoding="utf-8")
    with_current_post_processing(nlp, config)
    assert nlp.pipe_names == ["zhnews_org_consistency"]
    assert "legal_names" not in nlp.get_pipe("zhnews_org_consistency").rules


def test_reused_fold_gets_its_relation_classifier_refitted_without_its_document(tmp_path, monkeypatch):
    """Relation features may have changed since the fold was trained: refit, never on the held-out document."""
    import zhnews.components  # noqa: F401  (registers relation_extractor)
    import zhnews.relations.training as training

    fitted_on = set()
    real = training.train_relation_classifier

    def spy(examples, segment, **kwargs):
        fitted_on.update(e.doc_id for e in examples)
        return real(examples, segment, **kwargs)

    monkeypatch.setattr(training, "train_relation_classifier", spy)
    nlp = spacy.blank("zh")
    nlp.add_pipe("relation_extractor")
    held_out = "000_fc2cae570a148aeb"
    settings = TrainSettings(gold=GOLD, output=tmp_path / "fold", config=CONFIG, holdout=(held_out,), relation_train_only=())
    info = fit_relations(nlp, settings, log=lambda message: None)
    assert held_out not in fitted_on and len(fitted_on) == 4
    assert nlp.get_pipe("relation_extractor").is_trained and "ORG-MONEY" in info["groups"]


def fake_train(settings: TrainSettings, log) -> Path:
    """Stands in for ``zhnews.train.train`` in the fold workers: records which process trained the fold."""
    import os
    import time

    if settings.holdout == ("fails",):
        raise ValueError("a fold that cannot train")
    settings.output.mkdir(parents=True)
    (settings.output / "pid").write_text(str(os.getpid()), encoding="utf-8")
    time.sleep(0.5)  # long enough that the two workers overlap
    return settings.output


def test_lodo_folds_train_in_parallel_processes_and_a_failing_fold_fails_the_run(tmp_path):
    """``evaluate-seeds --lodo --jobs 2``: every fold is trained, by worker processes, never by this
    one; a fold whose training raises stops the run with its error rather than leaving a hole."""
    import os

    import pytest

    from zhnews.evaluate.lodo import _train_folds

    folds = [TrainSettings(gold=GOLD, output=tmp_path / name, holdout=(name,)) for name in ("a", "b", "c")]
    messages: list[str] = []
    _train_folds(folds, 2, messages.append, trainer=fake_train)
    pids = {int((fold.output / "pid").read_text()) for fold in folds}
    assert len(pids) == 2 and os.getpid() not in pids
    assert messages[0] == "training 3 folds, 2 at a time" and len(messages) == 4
    alone = [TrainSettings(gold=GOLD, output=tmp_path / "alone", holdout=("alone",))]
    _train_folds(alone, 1, messages.append, trainer=fake_train)
    assert int((tmp_path / "alone" / "pid").read_text()) == os.getpid()
    with pytest.raises(ValueError, match="a fold that cannot train"):
        _train_folds([TrainSettings(gold=GOLD, output=tmp_path / "f", holdout=("fails",)),
                      TrainSettings(gold=GOLD, output=tmp_path / "g", holdout=("g",))], 2, messages.append, trainer=fake_train)
