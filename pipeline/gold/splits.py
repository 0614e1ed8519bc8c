"""The news gold's splits: each file's split (train, dev, test) is recorded in the folder's manifest.

``train`` is for training, ``dev`` for every choice (features, rules, thresholds,
hyperparameters), ``test`` for reporting only: its errors are not read to write rules.
Documents of one story (reposts, near-duplicates) are in one split
(``scripts/select_news.py``; ``tests/test_news_gold.py`` checks it).
"""

from __future__ import annotations

import json
from pathlib import Path

from .format import GoldExample, load_gold
from .manifest import MANIFEST

SPLITS = ("train", "dev", "test")
class SplitError(ValueError):
    """The gold folder has no usable split manifest."""


def split_of_files(gold_dir: Path) -> dict[str, str]:
    """``{file name: split}`` from the gold folder's manifest."""
    path = gold_dir / MANIFEST
    if not path.exists():
        raise SplitError(f"{path} is missing: the news gold's splits are recorded there")
    files = json.loads(path.read_text(encoding="utf-8")).get("files", {})
    splits = {name: row.get("split") for name, row in files.items()}
    unknown = sorted(name for name, split in splits.items() if split not in SPLITS)
    if unknown:
        raise SplitError(f"{path}: no split (train/dev/test) recorded for {', '.join(unknown[:5])}")
    return splits


def load_split(gold_dir: str | Path, split: str) -> list[GoldExample]:
    """The examples of one split of a gold folder (files in the manifest's order)."""
    gold_dir = Path(gold_dir)
    if split not in SPLITS:
        raise SplitError(f"unknown split {split!r} (one of {', '.join(SPLITS)})")
    names = sorted(name for name, s in split_of_files(gold_dir).items() if s == split)
    return [example for name in names for example in load_gold(gold_dir / name)]


def source_of(example: GoldExample) -> str:
    """The source a news example came from (its corpus file), for per-source figures."""
    source = str(example.meta.get("source", ""))
    return Path(source).stem if source.startswith("corpora/") else source.split("/")[0] or "unknown"
