"""``zhnews evaluate`` runs shared by test_report.py and test_gate.py (each costs about a minute).

Plain cached functions rather than fixtures, so a run is made once per pytest session
whichever of the two modules asks first.
"""

from __future__ import annotations

import functools
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from zhnews.loader import write_manifest

REPO = Path(__file__).resolve().parent.parent
COMMITTED_MODEL = REPO / "models" / "zhnews-zh"


def zhnews(*args: str, timeout: int = 900) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "zhnews.cli", *args], cwd=REPO, capture_output=True, text=True,
                          timeout=timeout)


@functools.cache
def committed_run() -> tuple[subprocess.CompletedProcess, Path]:
    """The CI gate on the committed model (news gold, test split): ``evaluate --check --json FILE``."""
    directory = Path(tempfile.mkdtemp(prefix="zhnews-gate-"))
    return zhnews("evaluate", "--check", "--json", str(directory / "report.json")), directory / "report.json"


@functools.cache
def seed_report_run() -> tuple[subprocess.CompletedProcess, Path]:
    """The seed report of the committed model: ``evaluate-seeds --report DIR``."""
    directory = Path(tempfile.mkdtemp(prefix="zhnews-report-"))
    return zhnews("evaluate-seeds", "--report", str(directory / "report")), directory / "report"


@functools.cache
def worse_model() -> Path:
    """A copy of the committed model whose relation classifier keeps only pairs scored ≥ 0.99."""
    directory = Path(tempfile.mkdtemp(prefix="zhnews-worse-")) / "zhnews-zh"
    shutil.copytree(COMMITTED_MODEL, directory)
    config = directory / "config.cfg"
    text = config.read_text(encoding="utf-8")
    section = text.index("[components.relation_extractor]")
    start = text.index("threshold = ", section)
    end = text.index("\n", start)
    config.write_text(text[:start] + "threshold = 0.99" + text[end:], encoding="utf-8")
    write_manifest(directory)  # a deliberate change: the manifest vouches for it
    return directory
