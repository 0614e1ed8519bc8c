"""The real-news gold: its size, its splits, and no text shared with the held-out set or across splits."""

from __future__ import annotations

import json
import subprocess
import sys
import unicodedata
from collections import defaultdict
from pathlib import Path

import pytest
from typer.testing import CliRunner

from zhnews.cli import app
from zhnews.gold.format import load_gold
from zhnews.gold.splits import load_split, source_of, split_of_files

REPO = Path(__file__).resolve().parent.parent
NEWS_GOLD = REPO / "annotations" / "news" / "gold"
SHARED = REPO.parent / "shared"
OVERLAP = SHARED / "heldout" / "overlap.py"
SHINGLE = 13  # characters: a shared run this long is a shared sentence, not a shared name
TEMPLATE_DOCS = 3  # a run in more documents than this is boilerplate (see test_no_story_crosses_splits)


def _shingles(text: str) -> set[str]:
    s = "".join(unicodedata.normalize("NFKC", text).split())
    return {s[i:i + SHINGLE] for i in range(len(s) - SHINGLE + 1)}


@pytest.fixture(scope="module")
def splits() -> dict[str, list]:
    return {split: load_split(NEWS_GOLD, split) for split in ("train", "dev", "test")}


def test_the_gold_is_valid():
    result = CliRunner().invoke(app, ["gold", "validate", str(NEWS_GOLD), "--root", str(REPO)])
    assert result.exit_code == 0, result.output[-3000:]


def _sizes(splits):
    docs = {split: {e.doc_id for e in examples} for split, examples in splits.items()}
    chars = {split: sum(len(e.text) for e in examples) for split, examples in splits.items()}
    sources = {split: {source_of(e) for e in examples} for split, examples in splits.items()}
    return docs, chars, sources


def test_splits_are_disjoint_and_every_file_has_one(splits):
    docs, chars, sources = _sizes(splits)
    assert not (docs["train"] & docs["dev"] or docs["train"] & docs["test"] or docs["dev"] & docs["test"])
    assert len(split_of_files(NEWS_GOLD)) == sum(len(d) for d in docs.values()), "one file per document, each with a split"
    assert len(set().union(*sources.values())) >= 6 and len(sources["test"]) >= 5


def test_size_meets_the_issue(splits):
    docs, chars, sources = _sizes(splits)
    assert sum(len(d) for d in docs.values()) >= 300 and sum(chars.values()) >= 150_000
    assert len(docs["test"]) >= 80 and chars["test"] >= 50_000 and chars["dev"] >= 40_000


def test_every_example_names_its_source_id_and_licence():
    for example in load_gold(NEWS_GOLD):
        meta = example.meta
        assert meta["source"].startswith("corpora/") and meta["source_id"] and meta["licence"], example.id


def test_no_story_crosses_splits(splits):
    """Reposts and near-duplicates stay in one split: no document shares more than a fifth of its
    13-character runs with a document of another split. A run found in more than TEMPLATE_DOCS
    documents is template language (the disclosure oath every listed company prints under an
    announcement's title, 本公司董事会及全体董事保证本公告内容不存在任何虚假记载…), not a story, and is not counted."""
    by_doc: dict[tuple[str, str], set[str]] = defaultdict(set)
    for split, examples in splits.items():
        for example in examples:
            by_doc[(split, example.doc_id)] |= _shingles(example.text)
    owner: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for doc, grams in by_doc.items():
        for gram in grams:
            owner[gram].add(doc)
    worst, pair = 0.0, None
    for (split, doc_id), grams in by_doc.items():
        if not grams:
            continue
        shared = defaultdict(int)
        for gram in grams:
            if len(owner[gram]) > TEMPLATE_DOCS:
                continue
            for other in owner[gram]:
                if other[0] != split:
                    shared[other] += 1
        for other, count in shared.items():
            if count / len(grams) > worst:
                worst, pair = count / len(grams), ((split, doc_id), other)
    assert worst < 0.2, f"{pair[0]} shares {worst:.0%} of its text with {pair[1]}: put them in one split"


@pytest.mark.skipif(not OVERLAP.exists(), reason="../shared/heldout is not beside this checkout")
def test_no_annotated_text_overlaps_the_held_out_set():
    paths = [REPO / "annotations" / "news" / "gold", REPO / "annotations" / "gold", REPO / "annotations" / "synthetic",
             REPO / "seeds"]
    result = subprocess.run([sys.executable, str(OVERLAP), *map(str, paths)], capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-3000:]
    assert "0 overlap the held-out set" in result.stdout


def _build_news_gold(monkeypatch, news: Path):
    import importlib.util

    monkeypatch.syspath_prepend(str(REPO / "scripts"))
    spec = importlib.util.spec_from_file_location("build_news_gold", REPO / "scripts" / "build_news_gold.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setattr(module, "NEWS", news)
    monkeypatch.setattr(module, "ROOT", news.parent)
    return module


@pytest.mark.parametrize("adjudicated, problem", [
    # pass B's boundary kept, pass A's dropped: a decision
    ('{"id": 1, "entities": [["e1", "ORG", "常州经开区", 1], ["e2", "MONEY", "5亿元", 1]], "relations": []}', None),
    # the MONEY both passes have is gone
    ('{"id": 1, "entities": [["e1", "ORG", "常州经开区", 1]], "relations": []}', "dropped"),
    # a YEAR neither pass has
    ('{"id": 1, "entities": [["e1", "ORG", "常州经开区", 1], ["e2", "MONEY", "5亿元", 1], ["e3", "YEAR", "2024年", 1]], "relations": []}', "added"),
])
def test_an_adjudication_only_decides_disagreements(tmp_path, monkeypatch, adjudicated, problem):
    """Adjudication is not a third pass: the build refuses an adjudicated document that lost an item
    both passes have or gained one neither has."""
    news = tmp_path / "news"
    (news / "skeleton").mkdir(parents=True)
    (news / "skeleton" / "d1.jsonl").write_text(
        '{"id": 1, "text": "2024年常州经开区投资5亿元。", "entities": [], "relations": [], "meta": {}}\n', encoding="utf-8")
    passes = {"pass_a": '{"id": 1, "entities": [["e1", "ORG", "常州经开", 1], ["e2", "MONEY", "5亿元", 1]], "relations": []}',
              "pass_b": '{"id": 1, "entities": [["e1", "ORG", "常州经开区", 1], ["e2", "MONEY", "5亿元", 1]], "relations": []}',
              "adjudicated": adjudicated}
    for name, line in passes.items():
        (news / "passes" / name / "mentions").mkdir(parents=True)
        (news / "passes" / name / "mentions" / "d1.jsonl").write_text(line + "\n", encoding="utf-8")
    module = _build_news_gold(monkeypatch, news)
    examples, errors = module.converted("adjudicated", "d1")
    assert not errors
    problems = module.adjudication_problems("d1", examples)
    if problem is None:
        assert problems == []
    else:
        assert problems and all(problem in p for p in problems)


def test_a_build_with_a_bad_document_writes_nothing(tmp_path, monkeypatch, capsys):
    """A document whose mentions do not convert stops the build: no gold file and no manifest is
    rewritten, so the gold never mixes this build's documents with a failed one's old version."""
    news = tmp_path / "news"
    (news / "skeleton").mkdir(parents=True)
    (news / "passes" / "pass_a" / "mentions").mkdir(parents=True)
    docs = {"d1": ("2024年常州经开区投资5亿元。", '["e1", "MONEY", "5亿元", 1]'),
            "d2": ("金坛开发区成立于2001年。", '["e1", "YEAR", "1999年", 1]')}  # d2's year is not in its text
    for doc_id, (text, entity) in docs.items():
        (news / "skeleton" / f"{doc_id}.jsonl").write_text(
            f'{{"id": 1, "text": "{text}", "entities": [], "relations": [], "meta": {{}}}}\n', encoding="utf-8")
        (news / "passes" / "pass_a" / "mentions" / f"{doc_id}.jsonl").write_text(
            f'{{"id": 1, "entities": [{entity}], "relations": []}}\n', encoding="utf-8")
    (news / "selection.json").write_text(json.dumps({"documents": [
        {"doc_id": d, "split": "train", "source": "corpora/news/x.jsonl"} for d in docs]}), encoding="utf-8")
    gold = news / "gold"
    gold.mkdir()
    before = {"d1.jsonl": "old d1\n", "d2.jsonl": "old d2\n", "manifest.json": "{}\n"}
    for name, content in before.items():
        (gold / name).write_text(content, encoding="utf-8")
    module = _build_news_gold(monkeypatch, news)

    assert module.build() == 1
    assert {p.name: p.read_text(encoding="utf-8") for p in gold.iterdir()} == before
    err = capsys.readouterr().err
    assert "d2" in err and "nothing written" in err

    (news / "passes" / "pass_a" / "mentions" / "d2.jsonl").write_text(
        '{"id": 1, "entities": [["e1", "YEAR", "2001年", 1]], "relations": []}\n', encoding="utf-8")
    assert module.build() == 0
    assert [e.entities[0].label for e in load_gold(gold / "d2.jsonl")] == ["YEAR"]
    assert set(json.loads((gold / "manifest.json").read_text(encoding="utf-8"))["files"]) == {"d1.jsonl", "d2.jsonl"}
