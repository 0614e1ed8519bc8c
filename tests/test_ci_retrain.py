"""Retraining in CI: the training path works from a clone's own data, and the committed model
was produced by the committed config.

A small model (gold + the synthetic training-only gold + 200 sentences per public corpus,
100 steps) is trained with ``zhnews train`` into a temporary directory, loaded with plain
``spacy.load`` and run on a paragraph. Its figures are not judged — that is the gate's job
on the committed model — only that the path works end to end.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import spacy

REPO = Path(__file__).resolve().parent.parent
MODEL = REPO / "models" / "zhnews-zh"
CONFIG = REPO / "configs" / "config.cfg"
PARAGRAPH = ("2023年，杭州微亿智造科技有限公司完成5000万元B轮融资，由深圳市创新投资集团领投。"
             "该公司成立于2018年，位于杭州市余杭区未来科技城。")


def corpora_dir() -> Path | None:
    """$ZHNEWS_CORPORA (relative paths resolved against the repo), else ../shared/corpora beside the clone."""
    configured = os.environ.get("ZHNEWS_CORPORA")
    candidates = [(REPO / configured) if configured else None, REPO.parent / "shared" / "corpora"]
    return next((c.resolve() for c in candidates if c is not None and c.is_dir()), None)


def test_committed_model_was_trained_with_the_committed_config():
    meta = json.loads((MODEL / "meta.json").read_text(encoding="utf-8"))
    assert meta["zhnews"]["config_sha256"] == hashlib.sha256(CONFIG.read_bytes()).hexdigest(), (
        "models/zhnews-zh was not trained with configs/config.cfg as committed: retrain it (zhnews train) "
        "or revert the config change")


def test_training_inputs_are_committed():
    """What the retrain below reads comes from the clone itself (CI runs it on a fresh clone)."""
    tracked = subprocess.run(["git", "ls-files", "annotations/gold", "annotations/synthetic", "configs/config.cfg"],
                             cwd=REPO, capture_output=True, text=True)
    if tracked.returncode != 0:
        pytest.skip("not a git checkout")
    files = tracked.stdout.split()
    assert "configs/config.cfg" in files
    assert any(f.startswith("annotations/gold/") and f.endswith(".jsonl") for f in files)
    assert any(f.startswith("annotations/synthetic/") and f.endswith(".jsonl") for f in files)


@pytest.mark.slow  # a minute of training; CI runs it
def test_retrain_a_small_model_and_load_it(tmp_path):
    corpora = corpora_dir()
    if corpora is None and not os.environ.get("CI"):
        pytest.skip("no public corpora (set ZHNEWS_CORPORA or put shared/corpora beside the clone)")
    assert corpora is not None, "CI has ../shared/corpora beside the clone"
    output = tmp_path / "model"
    silver = tmp_path / "silver.jsonl"  # scripts/build_silver.py's format: ORG only, trained on once
    silver.write_text("".join(json.dumps({"id": f"silver-{i}", "text": text, "relations": [], "meta": {"silver": True},
                                          "entities": [{"id": 1, "label": "ORG", "start_offset": 0, "end_offset": 4}]},
                                         ensure_ascii=False) + "\n"
                              for i, text in enumerate(["华为技术宣布扩产。", "腾讯控股发布财报。"])), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "zhnews.cli", "train", "--output", str(output), "--corpora", str(corpora),
         "--corpus-limit", "200", "--max-steps", "100", "--silver", str(silver), "--segmenter-from", str(MODEL)],
        cwd=REPO, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stderr[-4000:]
    assert "no trained relation model" not in result.stderr  # expected inside spaCy's loop, not shown
    meta = json.loads((output / "meta.json").read_text(encoding="utf-8"))
    assert meta["zhnews"]["config_sha256"] == hashlib.sha256(CONFIG.read_bytes()).hexdigest()
    assert meta["zhnews"]["data"]["corpus_sentences"] > 0 and meta["zhnews"]["data"]["gold_examples"] > 0
    assert meta["zhnews"]["data"]["silver_examples"] == 2 and meta["zhnews"]["silver_sha256"]
    assert meta["zhnews"]["relations"]["groups"], "the relation classifier was trained too"
    weights = Path("tokenizer") / "pkuseg_model" / "weights.npz"
    assert meta["zhnews"]["segmenter_sha256"] == hashlib.sha256((MODEL / weights).read_bytes()).hexdigest()
    assert (output / weights).read_bytes() == (MODEL / weights).read_bytes()
    # regression: the saved config once named the training machine's work files (/tmp/.model.work/...)
    saved = spacy.util.load_config(output / "config.cfg", interpolate=False)
    assert all(value is None for value in saved["paths"].values()), dict(saved["paths"])

    # spacy.load alone (the package's entry points register the tokenizer and components)
    loaded = subprocess.run(
        [sys.executable, "-c",
         "import json, sys, spacy; nlp = spacy.load(sys.argv[1]); doc = nlp(sys.argv[2]); "
         "print(json.dumps({'pipe_names': nlp.pipe_names, 'tokens': len(doc), "
         "'ents': [(e.text, e.label_) for e in doc.ents], 'relations': doc._.relations}, ensure_ascii=False))",
         str(output), PARAGRAPH],
        cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert loaded.returncode == 0, loaded.stderr[-3000:]
    out = json.loads(loaded.stdout.strip().splitlines()[-1])
    assert out["pipe_names"] == json.loads((MODEL / "meta.json").read_text(encoding="utf-8"))["pipeline"]
    assert out["tokens"] > 0 and isinstance(out["relations"], list)
    # 100 steps make a poor NER (it may swallow the MONEY span); only the label set is checked
    assert out["ents"] and {label for _, label in out["ents"]} <= {"ORG", "MONEY", "YEAR"}, out
    assert all(text in PARAGRAPH for text, _ in out["ents"])


def test_a_segmenter_from_a_pipeline_without_one_is_refused(tmp_path):
    """--segmenter-from names a segmenter: a folder without one is an error before any work, not a
    silent fall-back to the default segmenter."""
    empty = tmp_path / "not-a-pipeline"
    empty.mkdir()
    output = tmp_path / "model"
    for extra in ([], ["--relations-only"]):
        result = subprocess.run([sys.executable, "-m", "zhnews.cli", "train", "--output", str(output),
                                 "--segmenter-from", str(empty if not extra else MODEL), *extra],
                                cwd=REPO, capture_output=True, text=True, timeout=120)
        assert result.returncode == 2, result.stderr[-2000:]
        assert ("no pkuseg segmenter" if not extra else "cannot be combined with --relations-only") in result.stderr
        assert not output.exists()


def test_refit_only_the_relations_of_a_pipeline(tmp_path):
    """`zhnews train --relations-only`: new relation model and entity confidence in place, NER weights untouched."""
    import shutil

    copy = tmp_path / "model"
    shutil.copytree(MODEL, copy)
    holdout = sorted((REPO / "annotations" / "gold").glob("*.jsonl"))[0].stem
    silver = tmp_path / "silver-relations.jsonl"  # as scripts/build_silver_relations.py writes it
    silver.write_text(json.dumps({
        "id": "silver-0", "text": "甲公司2023年营收3亿元。",
        "entities": [{"id": 1, "label": "ORG", "start_offset": 0, "end_offset": 3},
                     {"id": 2, "label": "YEAR", "start_offset": 3, "end_offset": 8},
                     {"id": 3, "label": "MONEY", "start_offset": 10, "end_offset": 13}],
        "relations": [{"id": 1, "from_id": 1, "to_id": 3, "type": "REVENUE"}, {"id": 2, "from_id": 3, "to_id": 2, "type": "IN_YEAR"}],
        "meta": {"silver": True, "doc_id": "silver-0", "source": "corpora/news/x.jsonl", "source_id": "x:0"}},
        ensure_ascii=False) + "\n", encoding="utf-8")
    command = [sys.executable, "-m", "zhnews.cli", "train", "--relations-only", "--output", str(copy), "--holdout", holdout,
               "--relation-silver", str(silver)]
    without_news = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=600)
    assert without_news.returncode == 2 and "give --news-gold" in without_news.stderr  # never silently seed-only
    result = subprocess.run(command + ["--news-gold", "annotations/news/gold"], cwd=REPO, capture_output=True,
                            text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    meta = json.loads((copy / "meta.json").read_text(encoding="utf-8"))["zhnews"]
    refitted = meta["relations"]["refitted_on"]
    assert refitted["holdout"] == [holdout]
    assert refitted["relation_silver_sha256"] == hashlib.sha256(silver.read_bytes()).hexdigest()
    assert (meta["relations"]["silver_paragraphs"], meta["relations"]["silver_relations"]) == (1, 2)
    assert meta["entity_confidence"]["entities"] > 1000 and meta["entity_confidence"]["refitted_on"] == refitted
    assert (copy / "ner" / "model").read_bytes() == (MODEL / "ner" / "model").read_bytes()
    model_files = sorted(p.name for p in (copy / "relation_extractor" / "model").glob("*.npz"))
    assert model_files and any((copy / "relation_extractor" / "model" / name).read_bytes()
                               != (MODEL / "relation_extractor" / "model" / name).read_bytes() for name in model_files)
    # the threshold chosen by cross-validation lands in config.cfg, where the component reads it
    config = (copy / "config.cfg").read_text(encoding="utf-8")
    threshold = json.loads((copy / "meta.json").read_text(encoding="utf-8"))["zhnews"]["relations"]["threshold"]
    assert f"threshold = {threshold}" in config.split("[components.relation_extractor]")[1].split("[")[0]
    assert spacy.load(copy).get_pipe("relation_extractor").classifier.threshold == threshold
    fact_threshold = meta["entity_confidence"]["fact_threshold"]
    assert f"fact_threshold = {fact_threshold}" in config.split("[components.relation_extractor]")[1].split("[")[0]

    missing = subprocess.run(
        [sys.executable, "-m", "zhnews.cli", "train", "--relations-only", "--output", str(tmp_path / "nothing")],
        cwd=REPO, capture_output=True, text=True, timeout=300)
    assert missing.returncode == 2 and "no trained pipeline" in missing.stderr


def test_refit_only_the_entity_confidence_and_the_fact_threshold(tmp_path):
    """`zhnews train --confidence-only`: the entity confidence and the fact threshold chosen on the
    news dev split, with the NER and the relation classifier byte for byte as they were."""
    import shutil

    copy = tmp_path / "model"
    shutil.copytree(MODEL, copy)
    command = [sys.executable, "-m", "zhnews.cli", "train", "--confidence-only", "--output", str(copy)]
    for extra, message in ((["--relations-only", "--news-gold", "annotations/news/gold"], "give one of the two"),
                           ([], "give --news-gold")):
        refused = subprocess.run(command + extra, cwd=REPO, capture_output=True, text=True, timeout=120)
        assert refused.returncode == 2 and message in refused.stderr, refused.stderr[-2000:]
    result = subprocess.run(command + ["--news-gold", "annotations/news/gold"], cwd=REPO, capture_output=True,
                            text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "fact threshold:" in result.stderr
    for kept in ("ner/model", *(f"relation_extractor/model/{p.name}" for p in (MODEL / "relation_extractor" / "model").iterdir())):
        assert (copy / kept).read_bytes() == (MODEL / kept).read_bytes(), kept
    meta = json.loads((copy / "meta.json").read_text(encoding="utf-8"))["zhnews"]
    fact_threshold = meta["entity_confidence"]["fact_threshold"]
    assert 0.0 <= fact_threshold <= 1.0 and str(fact_threshold) in meta["entity_confidence"]["fact_threshold_dev_f1"]
    assert meta["relations"] == json.loads((MODEL / "meta.json").read_text(encoding="utf-8"))["zhnews"]["relations"]
    assert spacy.load(copy).get_pipe("relation_extractor").fact_threshold == fact_threshold


def test_the_config_trained_is_the_one_hashed_at_the_start(tmp_path, monkeypatch):
    """Regression: meta.json once hashed configs/config.cfg after the loop, naming an edit made
    mid-training. The config is now copied and hashed before the data are prepared."""
    import spacy.util

    from zhnews import train as training

    config = tmp_path / "config.cfg"
    config.write_bytes(CONFIG.read_bytes())
    original = config.read_text(encoding="utf-8")

    def edit_while_preparing(settings, workdir, log):
        config.write_text(original + "\n# edited mid-training\n", encoding="utf-8")
        return {}

    seen = {}

    def stop_at_load(path, **kwargs):
        seen["path"], seen["text"] = path, path.read_text(encoding="utf-8")
        raise KeyboardInterrupt  # nothing after loading the config matters here

    monkeypatch.setattr(training, "prepare_data", edit_while_preparing)
    monkeypatch.setattr(spacy.util, "load_config", stop_at_load)
    settings = training.TrainSettings(gold=REPO / "annotations" / "gold", output=tmp_path / "out", config=config)
    with pytest.raises(KeyboardInterrupt):
        training.train(settings, log=lambda m: None)
    assert seen["text"] == original and seen["path"] != config


def test_keep_the_relation_classifier_of_another_pipeline(tmp_path):
    """`zhnews train --relations-from SRC`: a retrained NER is paired with the relation classifier dev
    preferred, without a hand step. Here with --confidence-only: the classifier of SRC replaces the
    one at --output, byte for byte with its threshold and record; a tampered or missing source and
    contradicting options are refused before any file is touched."""
    import shutil

    import numpy as np

    from zhnews.loader import write_manifest

    source, target = tmp_path / "source", tmp_path / "target"
    shutil.copytree(MODEL, source)
    shutil.copytree(MODEL, target)
    # a source whose classifier differs from the target's: other weights, another threshold, its own record
    weights = source / "relation_extractor" / "model" / "ORG-ORG.npz"
    arrays = dict(np.load(weights))
    name = next(k for k, v in arrays.items() if v.dtype.kind == "f" and v.size > 1)
    arrays[name] = arrays[name] * 0.5
    np.savez(weights, **arrays)
    config = (source / "config.cfg").read_text(encoding="utf-8")
    head, rest = config.split("[components.relation_extractor]")
    body, tail = rest.split("\n[", 1)
    lines = [line for line in body.splitlines() if not line.startswith("threshold =")]
    (source / "config.cfg").write_text(head + "[components.relation_extractor]" + "\n".join(lines) + "\nthreshold = 0.45\n\n[" + tail,
                                       encoding="utf-8")
    meta = json.loads((source / "meta.json").read_text(encoding="utf-8"))
    meta["zhnews"]["relations"]["threshold"] = 0.45
    meta["zhnews"]["relations"]["marker"] = "the source's record"
    (source / "meta.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    write_manifest(source)
    before = {p.relative_to(target).as_posix(): p.read_bytes() for p in target.rglob("*") if p.is_file()}

    command = [sys.executable, "-m", "zhnews.cli", "train", "--output", str(target), "--news-gold", "annotations/news/gold"]
    refusals = (
        (["--relations-only", "--relations-from", str(source)], "give one of the two"),
        (["--confidence-only", "--relations-from", str(tmp_path / "nothing")], "no zhnews pipeline"),
        (["--confidence-only", "--relations-from", str(source), "--relation-silver", str(weights)], "give one of the two"),
    )
    for extra, message in refusals:
        refused = subprocess.run(command + extra, cwd=REPO, capture_output=True, text=True, timeout=120)
        assert refused.returncode == 2 and message in refused.stderr, refused.stderr[-2000:]
    (source / "relation_extractor" / "cfg").write_text('{"C": 2.0}', encoding="utf-8")  # not what the manifest says
    refused = subprocess.run(command + ["--confidence-only", "--relations-from", str(source)], cwd=REPO,
                             capture_output=True, text=True, timeout=120)
    assert refused.returncode == 2 and "was altered" in refused.stderr, refused.stderr[-2000:]
    assert {p.relative_to(target).as_posix(): p.read_bytes() for p in target.rglob("*") if p.is_file()} == before
    shutil.copyfile(MODEL / "relation_extractor" / "cfg", source / "relation_extractor" / "cfg")

    result = subprocess.run(command + ["--confidence-only", "--relations-from", str(source)], cwd=REPO,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "relation classifier kept from" in result.stderr and "fact threshold:" in result.stderr
    for path in (source / "relation_extractor").rglob("*"):
        if path.is_file():
            kept = target / path.relative_to(source)
            assert kept.read_bytes() == path.read_bytes(), kept
    assert (target / "ner" / "model").read_bytes() == (MODEL / "ner" / "model").read_bytes()
    relations = json.loads((target / "meta.json").read_text(encoding="utf-8"))["zhnews"]["relations"]
    assert relations["marker"] == "the source's record" and relations["kept_from"]["pipeline"] == str(source)
    assert relations["kept_from"]["files_sha256"]["relation_extractor/model/ORG-ORG.npz"] == hashlib.sha256(weights.read_bytes()).hexdigest()
    loaded = spacy.load(target).get_pipe("relation_extractor")
    assert loaded.classifier.threshold == 0.45
    assert subprocess.run([sys.executable, "-m", "zhnews.cli", "model", "verify", str(target)], cwd=REPO,
                          capture_output=True, text=True, timeout=120).returncode == 0
