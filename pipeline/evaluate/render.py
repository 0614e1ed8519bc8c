"""``zhnews evaluate --report DIR``: the evaluation report as ``report.md`` and ``report.html``.

Both are rendered from the JSON report of ``evaluate_gold`` (plus the run's time and
peak memory, the gate's table and an optional benchmark JSON of
``benchmarks/throughput.py``), so a report can also be rebuilt from a saved JSON.
``report.html`` is self-contained: inline CSS, the chart as a base64 PNG, the error
gallery as displaCy markup (``spacy.displacy.render(..., manual=True)``).
"""

from __future__ import annotations

import base64
import io
import json
from html import escape
from pathlib import Path

from ..labels import LABEL_COLOURS

#: Targets of issue 7 for the benchmark figures.
BENCHMARK_TARGETS = {
    "pipeline_n1 / segment": (">=", 0.8),
    "pipeline_n2 / pipeline_n1": (">=", 1.6),
}
MAX_RSS_MB = 600
MAX_COLD_START_S = 3.0


def merge_rows(report: dict, saved: dict) -> list[str]:
    """Copy rows the report lacks (e.g. the expensive LODO rows) from a saved JSON report.

    Returns the names copied. Rows are only taken when the saved report was made on the
    same gold (same sha256); otherwise nothing is copied and a ValueError is raised.
    """
    ours, theirs = report.get("gold", {}).get("gold_sha256"), saved.get("gold", {}).get("gold_sha256")
    if ours and theirs and ours != theirs:
        raise ValueError(f"the saved report is of another gold ({theirs[:12]}, this one is {ours[:12]})")
    copied = []
    for section in ("rows", "relation_rows"):
        for name, scores in saved.get(section, {}).items():
            if name not in report.get(section, {}):
                report.setdefault(section, {})[name] = scores
                copied.append(name)
    if copied:
        report.setdefault("merged_from", []).append({"rows": copied, "model": saved.get("model", {}).get("zhnews", {}).get("config_sha256")})
    return copied


def f1_chart_png(report: dict) -> bytes:
    """Grouped bar chart: strict F1 per label (and micro) for every entity row."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    labels = [*report["labels"], "micro"]
    systems = list(report["rows"])
    fig, ax = plt.subplots(figsize=(8, 3.6), dpi=100)
    width = 0.8 / max(1, len(systems))
    for i, system in enumerate(systems):
        values = [report["rows"][system]["strict"][label]["f"] for label in labels]
        positions = [x + (i - (len(systems) - 1) / 2) * width for x in range(len(labels))]
        bars = ax.bar(positions, values, width, label=system)
        for bar, value in zip(bars, values):
            ax.annotate(f"{value:.2f}", (bar.get_x() + bar.get_width() / 2, value), ha="center", va="bottom", fontsize=7)
    ax.set_xticks(range(len(labels)), labels)
    ax.set_ylim(0, 1.12)
    ax.set_ylabel("strict F1")
    ax.set_title("Entity F1 per label")
    ax.legend(fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.1), ncol=min(3, len(systems)), frameon=False)
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    plt.close(fig)
    return buffer.getvalue()


# ---------------------------------------------------------------------------- tables as rows

def _entity_table(report: dict) -> tuple[list[str], list[list[str]]]:
    header = ["system", "label", "P", "R", "F", "partial P", "partial R", "partial F", "tp", "fp", "fn"]
    rows = []
    for system, scores in report["rows"].items():
        for label in [*report["labels"], "micro"]:
            s, p = scores["strict"][label], scores["partial"][label]
            rows.append([system, label, f"{s['p']:.3f}", f"{s['r']:.3f}", f"{s['f']:.3f}", f"{p['p']:.3f}",
                         f"{p['r']:.3f}", f"{p['f']:.3f}", str(s["tp"]), str(s["fp"]), str(s["fn"])])
    return header, rows


def _relation_table(report: dict) -> tuple[list[str], list[list[str]]]:
    header = ["system", "type", "P", "R", "F", "tp", "fp", "fn"]
    rows = []
    for system, scores in report.get("relation_rows", {}).items():
        for label in [*report["relation_types"], "micro"]:
            r = scores[label]
            rows.append([system, label, f"{r['p']:.3f}", f"{r['r']:.3f}", f"{r['f']:.3f}", str(r["tp"]), str(r["fp"]), str(r["fn"])])
    return header, rows


def _confusion_table(report: dict) -> tuple[list[str], list[list[str]]]:
    matrix = report.get("relation_confusion", {})
    types = [t for t in [*report["relation_types"], "NONE"] if t in matrix or any(t in row for row in matrix.values())]
    rows = [[gold, *(str(matrix.get(gold, {}).get(pred, 0)) for pred in types)] for gold in types]
    return ["gold \\ predicted", *types], rows


def _features_table(report: dict) -> tuple[list[str], list[list[str]]]:
    rows = []
    for relation, features in report.get("relation_top_features", {}).items():
        rows.append([relation, ", ".join(f"{name} ({weight:+.2f})" for name, weight in features)])
    return ["relation", "top features (weight)"], rows


def _benchmark_rows(benchmark: dict) -> tuple[list[str], list[list[str]]]:
    header = ["stage", "chars/s", "docs/s", "cold start (s)", "peak RSS (MiB)"]
    rows = []
    for r in benchmark.get("rows", []):
        rss = r.get("peak_rss_mb_per_worker", r.get("peak_rss_mb"))
        cold = r.get("cold_start_s")
        rows.append([r["stage"], f"{r['chars_per_s']:,}", str(r["docs_per_s"]), "–" if cold is None else str(cold),
                     f"{rss:,.0f}" if rss else "not measured"])
    return header, rows


def _benchmark_checks(benchmark: dict) -> list[tuple[str, str, bool]]:
    checks = []
    for name, value in benchmark.get("ratios", {}).items():
        if name in BENCHMARK_TARGETS:
            _, target = BENCHMARK_TARGETS[name]
            checks.append((name, f"{value} (target ≥ {target})", value >= target))
    for r in benchmark.get("rows", []):
        if r["stage"].startswith("pipeline"):
            rss = r.get("peak_rss_mb_per_worker", r.get("peak_rss_mb"))
            if rss:  # 0 or missing: not measured (e.g. workers not reaped), not a pass
                checks.append((f"{r['stage']} peak RSS", f"{rss:,.0f} MiB (target ≤ {MAX_RSS_MB})", rss <= MAX_RSS_MB))
            else:
                checks.append((f"{r['stage']} peak RSS", "not measured", False))
            if r.get("cold_start_s") is not None:
                checks.append((f"{r['stage']} cold start", f"{r['cold_start_s']} s (target ≤ {MAX_COLD_START_S})",
                               r["cold_start_s"] <= MAX_COLD_START_S))
    return checks


def _overview(report: dict) -> list[tuple[str, str]]:
    model = report.get("model", {})
    meta = model.get("zhnews", {})
    items = [("model", f"{model.get('name')} {model.get('version')}"),
             ("model config sha256", str(meta.get("config_sha256"))),
             ("model trained on gold sha256", str(meta.get("gold_sha256"))),
             ("gold examples", str(report.get("examples")))]
    if "gold" in report:
        items.append(("gold sha256", report["gold"]["gold_sha256"]))
    run = report.get("run", {})
    if run:
        items.append(("evaluation run", f"{run.get('seconds')} s, peak RSS {run.get('peak_rss_mb')} MiB"))
    if model.get("chars_per_second"):
        items.append(("model throughput on the gold", f"{model['chars_per_second']:,} chars/s (one process)"))
    if "candidate_recall" in report:
        cr = report["candidate_recall"]
        items.append(("relation candidate recall", f"{cr['candidates']}/{cr['gold_relations']}"))
    for name, a in report.get("alignment", {}).items():
        items.append((f"gold boundaries on {name}", f"{a['aligned']}/{a['entities']} = {a['share']:.2%}"))
    for merged in report.get("merged_from", []):
        items.append(("rows from a saved report", f"{', '.join(merged['rows'])} (model config {str(merged['model'])[:12]})"))
    return items


# ---------------------------------------------------------------------------- markdown

def _md_table(header: list[str], rows: list[list[str]]) -> str:
    cell = lambda v: str(v).replace("|", "\\|")  # noqa: E731
    lines = ["| " + " | ".join(map(cell, header)) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(map(cell, row)) + " |" for row in rows]
    return "\n".join(lines)


def to_markdown(report: dict, *, chart: str | None = "f1.png", gate: dict | None = None, benchmark: dict | None = None) -> str:
    out = ["# zhnews evaluation report", ""]
    out += [f"- **{k}**: {v}" for k, v in _overview(report)]
    if "gold" in report:
        out += ["", "## Gold", "", _md_table(["file", "sha256", "examples", "entities", "relations"],
                                           [[name, f["sha256"], f["examples"], f["entities"], f["relations"]]
                                            for name, f in report["gold"]["files"].items()])]
    if gate:
        out += ["", f"## Regression gate: {'passed' if gate['ok'] else 'FAILED'} (tolerance {gate['tolerance']})", "",
                _md_table(["figure", "baseline", "current", "Δ", "status"],
                          [[r["name"], r["baseline"], r["current"], r["delta"], "ok" if r["ok"] else "FAIL"] for r in gate["rows"]])]
        out += [f"- note: {n}" for n in gate["notes"]]
    out += ["", "## Entities (strict and partial)", "", _md_table(*_entity_table(report))]
    if chart:
        out += ["", f"![per-label F1]({chart})"]
    out += ["", "## Relations (strict: head span, tail span and type)", "", _md_table(*_relation_table(report))]
    out += ["", "## Relation confusion (classifier given gold entities, LODO)", "", _md_table(*_confusion_table(report))]
    out += ["", "## Relation top features", "", _md_table(*_features_table(report))]
    if benchmark:
        out += ["", "## Benchmark", "", _md_table(*_benchmark_rows(benchmark)), ""]
        out += [f"- {name}: {text} — {'ok' if ok else 'MISSED'}" for name, text, ok in _benchmark_checks(benchmark)]
    errors = report.get("model_errors", [])
    out += ["", f"## Error gallery: {sum(e['kind'] == 'FP' for e in errors)} false positives, "
                f"{sum(e['kind'] == 'FN' for e in errors)} false negatives (committed model, strict)", ""]
    for e in errors:
        ctx = e["context"]
        marked = ctx[:e["start"]] + "【" + ctx[e["start"]:e["end"]] + "】" + ctx[e["end"]:]
        other = "; ".join(f"{o['label']} {ctx[o['start']:o['end']]}" for o in e["other"])
        out.append(f"- **{e['kind']} {e['label']}** `{e['text']}` ({e['doc_id']}): {marked.strip()}"
                   + (f" — {'gold' if e['kind'] == 'FP' else 'model'} has: {other}" if other else ""))
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------------------- HTML

CSS = """
body{font-family:"Noto Sans CJK SC","Noto Sans SC","Source Han Sans SC","WenQuanYi Micro Hei",system-ui,sans-serif;
 margin:24px;color:#222;max-width:1150px}
h1{font-size:24px} h2{font-size:19px;margin-top:28px;border-bottom:1px solid #ddd;padding-bottom:4px}
table{border-collapse:collapse;margin:8px 0;font-size:13px}
th,td{border:1px solid #ccc;padding:3px 8px;text-align:right} th{background:#f2f2f2}
td.l,th.l{text-align:left} tr.micro td{font-weight:bold;border-bottom:2px solid #888}
dl{display:grid;grid-template-columns:max-content auto;gap:2px 16px;font-size:13px} dt{font-weight:bold} dd{margin:0;font-family:monospace}
.ok{color:#1a7f37;font-weight:bold} .fail{color:#c62828;font-weight:bold}
.gallery .err{margin:6px 0;padding:4px 8px;border-left:4px solid #c62828;background:#fafafa}
.gallery .err.FN{border-left-color:#ef6c00} .gallery .err .entities{line-height:2.2!important;padding:0!important}
.gallery .meta{font-size:12px;color:#555}
img.chart{max-width:100%;border:1px solid #eee}
"""


def _html_table(header: list[str], rows: list[list[str]], *, left: int = 1, css_class: str = "", micro_col: int | None = None,
                heat: bool = False) -> str:
    head = "".join(f'<th class="{"l" if i < left else ""}">{escape(str(h))}</th>' for i, h in enumerate(header))
    body = []
    peak = max((int(v) for row in rows for v in row[left:] if str(v).isdigit()), default=1) if heat else 1
    for row in rows:
        cls = ' class="micro"' if micro_col is not None and row[micro_col] == "micro" else ""
        cells = []
        for i, v in enumerate(row):
            style = ""
            if heat and i >= left and str(v).isdigit() and int(v):
                diagonal = header[i] == row[0]
                colour = "46,125,50" if diagonal else "198,40,40"
                style = f' style="background:rgba({colour},{0.15 + 0.6 * int(v) / peak:.2f})"'
            cells.append(f'<td class="{"l" if i < left else ""}"{style}>{escape(str(v))}</td>')
        body.append(f"<tr{cls}>{''.join(cells)}</tr>")
    return f'<table class="{css_class}"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'


def _gallery_html(errors: list[dict]) -> str:
    from spacy import displacy

    colours = {f"{kind} {label}": LABEL_COLOURS.get(label, "#ddd") for kind in ("FP", "FN") for label in LABEL_COLOURS}
    parts = []
    for e in errors:
        markup = displacy.render({"text": e["context"], "ents": [{"start": e["start"], "end": e["end"], "label": f"{e['kind']} {e['label']}"}],
                                  "title": None}, style="ent", manual=True, page=False, minify=True,
                                 options={"colors": colours})
        other = "; ".join(f"{o['label']} “{e['context'][o['start']:o['end']]}”" for o in e["other"])
        note = f" — {'gold' if e['kind'] == 'FP' else 'model'} has {escape(other)}" if other else ""
        what = "false positive (predicted, not in the gold)" if e["kind"] == "FP" else "false negative (gold, not predicted)"
        parts.append(f'<div class="err {e["kind"]}"><div class="meta">{what}: <b>{escape(e["label"])}</b> '
                     f'“{escape(e["text"])}” · {escape(e["doc_id"])}{note}</div>{markup}</div>')
    return '<div class="gallery">' + "".join(parts) + "</div>"


def to_html(report: dict, *, chart_png: bytes | None = None, gate: dict | None = None, benchmark: dict | None = None) -> str:
    out = ['<!DOCTYPE html><html lang="zh"><head><meta charset="utf-8"><title>zhnews evaluation report</title>',
           f"<style>{CSS}</style></head><body>", "<h1>zhnews evaluation report</h1>"]
    out.append("<dl>" + "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in _overview(report)) + "</dl>")
    if gate:
        status = '<span class="ok">passed</span>' if gate["ok"] else '<span class="fail">FAILED</span>'
        out.append(f"<h2 id=\"gate\">Regression gate: {status} (tolerance {gate['tolerance']})</h2>")
        out.append(_html_table(["figure", "baseline", "current", "Δ", "status"],
                               [[r["name"], r["baseline"], r["current"], r["delta"], "ok" if r["ok"] else "FAIL"] for r in gate["rows"]]))
        out += [f"<p>note: {escape(n)}</p>" for n in gate["notes"]]
    out.append('<h2 id="entities">Entities (strict and partial P/R/F)</h2>')
    if chart_png:
        out.append(f'<img class="chart" alt="per-label F1 bar chart" src="data:image/png;base64,{base64.b64encode(chart_png).decode()}">')
    out.append(_html_table(*_entity_table(report), left=2, css_class="entities-table", micro_col=1))
    out.append('<h2 id="relations">Relations (strict: head span, tail span and type)</h2>')
    out.append(_html_table(*_relation_table(report), left=2, css_class="relations-table", micro_col=1))
    out.append('<h2 id="confusion">Relation confusion matrix (classifier given gold entities, LODO)</h2>')
    out.append(_html_table(*_confusion_table(report), css_class="confusion", heat=True))
    out.append('<h2 id="features">Relation top features</h2>')
    out.append(_html_table(*_features_table(report), left=2))
    if benchmark:
        out.append('<h2 id="benchmark">Benchmark (benchmarks/throughput.py)</h2>')
        out.append(_html_table(*_benchmark_rows(benchmark)))
        out.append("<ul>" + "".join(f'<li>{escape(n)}: {escape(t)} <span class="{"ok" if ok else "fail"}">{"ok" if ok else "missed"}</span></li>'
                                    for n, t, ok in _benchmark_checks(benchmark)) + "</ul>")
    if "gold" in report:
        out.append('<h2 id="gold">Gold manifest</h2>')
        out.append(_html_table(["file", "sha256", "examples", "entities", "relations"],
                               [[n, f["sha256"], f["examples"], f["entities"], f["relations"]] for n, f in report["gold"]["files"].items()]))
    errors = report.get("model_errors", [])
    out.append(f'<h2 id="errors">Error gallery: {sum(e["kind"] == "FP" for e in errors)} false positives, '
               f'{sum(e["kind"] == "FN" for e in errors)} false negatives (committed model, strict)</h2>')
    out.append(_gallery_html(errors))
    out.append("</body></html>")
    return "\n".join(out) + "\n"


def write_report(report: dict, directory: Path, *, gate: dict | None = None, benchmark: dict | None = None) -> dict[str, Path]:
    """Write report.md, report.html, f1.png and report.json into ``directory``."""
    directory.mkdir(parents=True, exist_ok=True)
    png = f1_chart_png(report)
    paths = {"png": directory / "f1.png", "md": directory / "report.md", "html": directory / "report.html",
             "json": directory / "report.json"}
    paths["png"].write_bytes(png)
    paths["md"].write_text(to_markdown(report, gate=gate, benchmark=benchmark), encoding="utf-8")
    paths["html"].write_text(to_html(report, chart_png=png, gate=gate, benchmark=benchmark), encoding="utf-8")
    paths["json"].write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return paths
