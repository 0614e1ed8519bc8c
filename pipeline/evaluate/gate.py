"""The regression gate: headline figures of the committed model against ``metrics.json``.

``metrics.json`` (repo root, committed) holds the baseline: the headline figures
of the committed model on the **test split of the news gold** (``splits.py``), the
gold's sha256 and the model's config hash they were measured with, and the tolerance. ``zhnews evaluate --check`` fails when
any headline figure is more than ``tolerance`` below its baseline; raising (or
lowering) the baseline is an explicit, reviewed commit made with
``zhnews evaluate --update-baseline``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from ..loader import REPO_ROOT
from .splits import E2E_ROW, GIVEN_GOLD_ROW, MODEL_ROW

BASELINE_PATH = REPO_ROOT / "metrics.json"
DEFAULT_TOLERANCE = 0.02
GATED_SPLIT = "test"


def headline(report: dict) -> dict[str, float]:
    """The gated figures (strict F1 on the test split) from an ``evaluate_news`` report."""
    part = report["splits"][GATED_SPLIT]
    entities = part["rows"][MODEL_ROW]["strict"]
    figures = {"entity micro F1": entities["micro"]["f"]}
    for label in report["labels"]:
        figures[f"{label} F1"] = entities[label]["f"]
    figures["relation micro F1, end to end"] = part["relation_rows"][E2E_ROW]["micro"]["f"]
    figures["relation micro F1, gold entities"] = part["relation_rows"][GIVEN_GOLD_ROW]["micro"]["f"]
    return figures


def baseline_from_report(report: dict, tolerance: float = DEFAULT_TOLERANCE) -> dict:
    model = report.get("model", {})
    return {
        "about": "Regression baseline of `zhnews evaluate --check`: strict F1 of the committed model on the test "
                 "split of the news gold. "
                 "A figure more than `tolerance` below its baseline fails CI. Update only with "
                 "`zhnews evaluate --update-baseline`, in its own reviewed commit.",
        "tolerance": tolerance,
        "gold_sha256": report.get("gold", {}).get("gold_sha256"),
        "model": {"name": model.get("name"), "version": model.get("version"),
                  "config_sha256": model.get("zhnews", {}).get("config_sha256")},
        "metrics": headline(report),
    }


def write_baseline(report: dict, path: Path = BASELINE_PATH, tolerance: float = DEFAULT_TOLERANCE) -> dict:
    baseline = baseline_from_report(report, tolerance)
    path.write_text(json.dumps(baseline, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return baseline


def read_baseline(path: Path = BASELINE_PATH) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


@dataclass
class GateRow:
    name: str
    baseline: float | None
    current: float
    tolerance: float

    @property
    def delta(self) -> float | None:
        return None if self.baseline is None else round(self.current - self.baseline, 4)

    @property
    def ok(self) -> bool:
        # a small epsilon: figures are rounded to 4 places in the report
        return self.baseline is None or self.current >= self.baseline - self.tolerance - 1e-9


@dataclass
class GateResult:
    rows: list[GateRow]
    notes: list[str]
    tolerance: float

    @property
    def ok(self) -> bool:
        return all(row.ok for row in self.rows)

    def to_dict(self) -> dict:
        return {"ok": self.ok, "tolerance": self.tolerance, "notes": self.notes,
                "rows": [{"name": r.name, "baseline": r.baseline, "current": r.current, "delta": r.delta, "ok": r.ok}
                         for r in self.rows]}


def check(report: dict, baseline: dict, tolerance: float | None = None) -> GateResult:
    """Compare the report's headline figures with the baseline's."""
    tolerance = baseline.get("tolerance", DEFAULT_TOLERANCE) if tolerance is None else tolerance
    current = headline(report)
    rows = [GateRow(name, baseline["metrics"].get(name), value, tolerance) for name, value in current.items()]
    notes = []
    gold = report.get("gold", {}).get("gold_sha256")
    if baseline.get("gold_sha256") and gold and gold != baseline["gold_sha256"]:
        notes.append(f"the gold changed since the baseline ({baseline['gold_sha256'][:12]} → {gold[:12]})")
    config = report.get("model", {}).get("zhnews", {}).get("config_sha256")
    if baseline.get("model", {}).get("config_sha256") and config != baseline["model"]["config_sha256"]:
        notes.append(f"the model's config hash differs from the baseline's ({str(config)[:12]})")
    for name in sorted(set(baseline["metrics"]) - set(current)):
        notes.append(f"baseline figure {name!r} is no longer reported")
    return GateResult(rows, notes, tolerance)


def print_gate(result: GateResult, console) -> None:
    from rich.table import Table

    table = Table(title=f"regression gate (tolerance {result.tolerance:.3f}, baseline metrics.json)")
    for column in ("figure", "baseline", "current", "Δ", "status"):
        table.add_column(column, justify="left" if column == "figure" else "right")
    for row in result.rows:
        table.add_row(row.name, "—" if row.baseline is None else f"{row.baseline:.4f}", f"{row.current:.4f}",
                      "—" if row.delta is None else f"{row.delta:+.4f}", "ok" if row.ok else "[red]FAIL[/]")
    console.print(table)
    for note in result.notes:
        console.print(f"note: {note}")
    console.print("gate: [green]passed[/]" if result.ok else "gate: [red]FAILED[/] (a headline figure dropped by more than the tolerance)")
