from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"


@pytest.fixture(scope="session")
def seed_paths() -> list[Path]:
    paths = sorted(SEEDS.glob("*.txt"))
    assert len(paths) == 5, "the five seed articles must be in seeds/"
    return paths


@pytest.fixture(scope="session")
def committed_nlp():
    """The committed pipeline, loaded once for every test that only reads it."""
    from zhnews.loader import load_pipeline

    return load_pipeline()
