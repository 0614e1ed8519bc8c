"""The ``zhnews`` command line (typer, as spaCy's own CLI)."""

from __future__ import annotations

import sys
from contextlib import nullcontext
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.table import Table

from .gold.cli import app as gold_app
from .doccano.cli import app as doccano_app
from .io.read import DEFAULT_MAX_BYTES, ReadStats, iter_documents
from .io.facts import FactsWriter
from .io.records import write_record
from .model import ModelNotFoundError
from .train import (DEFAULT_CONFIG, DEFAULT_RELATION_TRAIN_ONLY, DEFAULT_TRAIN_ONLY, GoldInvalidError, TrainSettings,
                    refit_relations)
from .train import train as train_pipeline
from .run import RunSummary, run_documents, timed

app = typer.Typer(
    help="zhnews: Chinese economic news → normalized text, tokens, entities and relations.",
    no_args_is_help=True,
    add_completion=False,
)
err_console = Console(stderr=True, width=None if sys.stderr.isatty() else 200)
app.add_typer(gold_app, name="gold")
app.add_typer(doccano_app, name="doccano")


@app.command()
def run(
    inputs: list[str] = typer.Argument(..., help="Text files, directories (read recursively), JSONL files ({id, text} per line) or - for stdin."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write JSONL records here (default: stdout)."),
    model: Optional[Path] = typer.Option(None, "--model", "-m", help="spaCy pipeline directory (default: models/zhnews-zh or $ZHNEWS_MODEL)."),
    n_process: int = typer.Option(1, "--n-process", "-n", min=1, help="Worker processes; each loads the pipeline once."),
    max_bytes: int = typer.Option(DEFAULT_MAX_BYTES, "--max-bytes", help="Refuse (with an error record) files larger than this."),
    progress: bool = typer.Option(True, "--progress/--no-progress", help="Show a progress bar on stderr."),
    facts: Optional[Path] = typer.Option(None, "--facts", help="Also write a facts table (CSV, one row per relation) here."),
) -> None:
    """Run the pipeline: one JSON record per document, an error record for each failure.

    Exit code 0 only if every document succeeded; 1 if any failed; 2 if the
    pipeline itself could not be loaded.
    """
    stats = ReadStats(skipped_files=[])
    docs = list(iter_documents(inputs, max_bytes=max_bytes, stdin=sys.stdin.buffer, stats=stats))
    for skipped in stats.skipped_files:
        err_console.print(f"[yellow]skipped[/] {skipped} (not .txt/.text/.jsonl/.ndjson)")
    summary = RunSummary()
    show_progress = progress and err_console.is_terminal
    try:
        with (output.open("w", encoding="utf-8") if output else nullcontext(sys.stdout)) as stream, \
                (facts.open("w", encoding="utf-8", newline="") if facts else nullcontext(None)) as facts_stream, \
                _progress(show_progress) as bar:
            task = bar.add_task("documents", total=len(docs)) if bar else None
            facts_writer = FactsWriter(facts_stream) if facts_stream else None
            for record in timed(summary, run_documents(docs, model=model, n_process=n_process)):
                write_record(stream, record)
                if facts_writer:
                    facts_writer.write(record)
                if bar:
                    bar.advance(task)
    except ModelNotFoundError as err:
        err_console.print(f"[red]error:[/] {err}")
        raise typer.Exit(2)
    _print_summary(summary)
    raise typer.Exit(0 if summary.ok else 1)


@app.command()
def train(
    output: Path = typer.Option(Path("models/zhnews-zh"), "--output", "-o", help="Where to write the trained pipeline (replaced)."),
    gold: Path = typer.Option(Path("annotations/gold"), help="Gold JSONL file or directory (validated first)."),
    corpora: Optional[Path] = typer.Option(None, envvar="ZHNEWS_CORPORA", help="Directory of the public corpora (../shared/corpora); without it only the gold is used."),
    config: Path = typer.Option(DEFAULT_CONFIG, help="spaCy training config."),
    holdout: list[str] = typer.Option([], help="Gold document ids to keep out of training (repeatable)."),
    corpus_limit: int = typer.Option(TrainSettings.corpus_limit, help="Sentences sampled per corpus (0 = all)."),
    gold_repeat: int = typer.Option(TrainSettings.gold_repeat, help="How many times the gold is repeated in the training data."),
    train_only: list[Path] = typer.Option(DEFAULT_TRAIN_ONLY, help="Gold used for training only, never evaluated (repeatable)."),
    relation_train_only: list[Path] = typer.Option(DEFAULT_RELATION_TRAIN_ONLY, help="Training-only gold for the relation classifier (repeatable)."),
    max_steps: Optional[int] = typer.Option(None, help="Training steps (default: the config's)."),
    seed: int = typer.Option(0, help="Random seed (training is deterministic for a seed)."),
    relations_only: bool = typer.Option(False, help="Refit only the relation classifier of the pipeline already at --output (about a minute; its NER is kept): after new relation gold or relation-feature changes."),
) -> None:
    """Train the pipeline from gold (+ optional public corpora) with spaCy's training loop."""
    settings = TrainSettings(gold=gold, output=output, config=config, corpora_dir=corpora, holdout=tuple(holdout),
                             corpus_limit=corpus_limit, gold_repeat=gold_repeat, max_steps=max_steps, seed=seed,
                             train_only=tuple(train_only), relation_train_only=tuple(relation_train_only))
    try:
        fit = refit_relations if relations_only else train_pipeline
        path = fit(settings, log=lambda message: err_console.print(message, highlight=False, markup=False))
    except (GoldInvalidError, ValueError, FileNotFoundError) as err:
        err_console.print(f"[red]error:[/] {err}")
        raise typer.Exit(2)
    err_console.print(f"[green]✓[/] trained pipeline written to {path}")


@app.command()
def evaluate(
    gold: Path = typer.Option(Path("annotations/gold"), help="Gold JSONL file or directory in the schema's format."),
    model: Optional[Path] = typer.Option(None, "--model", "-m", help="Pipeline to score (default: the committed one)."),
    lodo: bool = typer.Option(False, help="Also run leave-one-document-out cross-validation (trains one model per document)."),
    corpora: Optional[Path] = typer.Option(None, envvar="ZHNEWS_CORPORA", help="Public corpora for the LODO training runs."),
    corpus_limit: int = typer.Option(TrainSettings.corpus_limit, help="Sentences sampled per corpus in LODO training (0 = all)."),
    max_steps: Optional[int] = typer.Option(None, help="Training steps per LODO fold (default: the config's)."),
    keep_folds: Optional[Path] = typer.Option(None, help="Keep the LODO fold pipelines here (one directory per held-out document)."),
    reuse_folds: bool = typer.Option(False, help="With --keep-folds: score a fold pipeline already there instead of retraining it, when its meta shows the same holdout, gold, config and training settings (not code: after changing NER training or NER-feature code, train again; post-processing is rebuilt and the relation classifier refitted from the current code)."),
    json_path: Optional[Path] = typer.Option(None, "--json", help="Also write the report as JSON here."),
    train_only: list[Path] = typer.Option(DEFAULT_TRAIN_ONLY, help="Training-only gold for the LODO runs (repeatable)."),
    relation_train_only: list[Path] = typer.Option(DEFAULT_RELATION_TRAIN_ONLY, help="Training-only gold for the relation classifier in the LODO runs (repeatable)."),
    report_dir: Optional[Path] = typer.Option(None, "--report", help="Write report.md, a self-contained report.html, f1.png and report.json here."),
    from_json: Optional[Path] = typer.Option(None, "--from-json", help="Take rows this run lacks (e.g. LODO) from a saved JSON report of the same gold."),
    benchmark: Optional[Path] = typer.Option(None, "--benchmark", help="Include a benchmark JSON (benchmarks/throughput.py --json) in the report."),
    check: bool = typer.Option(False, "--check", "--gate", help="Fail (exit 1) when a headline figure is more than the tolerance below metrics.json."),
    update_baseline: bool = typer.Option(False, "--update-baseline", help="Rewrite metrics.json from this run (commit it on its own, reviewed)."),
    baseline: Optional[Path] = typer.Option(None, help="Baseline file of --check/--update-baseline (default: metrics.json of the repo)."),
    tolerance: Optional[float] = typer.Option(None, help="Allowed drop per headline figure (default: the baseline's, 0.02)."),
) -> None:
    """Entity and relation P/R/F for the model and the baselines (strict and partial).

    With --check, exit code 1 when the regression gate fails; 2 when the model or
    the baseline is missing.
    """
    import json
    import resource
    import time

    from .evaluate import gate as gate_module
    from .evaluate.render import merge_rows, write_report

    from .evaluate.lodo import lodo_predictions
    from .evaluate.report import evaluate_gold, print_report
    from .gold.format import load_gold
    from .model import load_pipeline

    log = lambda message: err_console.print(message, highlight=False, markup=False)  # noqa: E731
    started = time.perf_counter()
    examples = load_gold(gold)
    lodo_rows, lodo_relations = {}, {}
    if reuse_folds and not keep_folds:
        err_console.print("[red]error:[/] --reuse-folds needs --keep-folds DIR (where the fold pipelines are)")
        raise typer.Exit(2)
    if lodo:
        settings = TrainSettings(gold=gold, output=Path("unused"), corpora_dir=corpora, corpus_limit=corpus_limit,
                                 max_steps=max_steps, train_only=tuple(train_only),
                                 relation_train_only=tuple(relation_train_only))
        lodo_rows, lodo_relations = lodo_predictions(
            examples, settings, log=log,
            variants={"LODO model": {}, "LODO model without consistency": {"disable": ["zhnews_org_consistency"]},
                      "LODO model, paragraph by paragraph": {"by_article": False}},
            keep_dir=keep_folds, reuse=reuse_folds)
    relation_extra = [e for path in relation_train_only for e in load_gold(path)]
    try:
        nlp = load_pipeline(model)
    except ModelNotFoundError as err:
        err_console.print(f"[red]error:[/] {err}")
        raise typer.Exit(2)
    report = evaluate_gold(examples, nlp=nlp, gold_path=gold, lodo_rows=lodo_rows, lodo_relation_rows=lodo_relations,
                           train_only=relation_extra, log=log)
    if from_json:
        try:
            copied = merge_rows(report, json.loads(from_json.read_text(encoding="utf-8")))
        except ValueError as err:
            err_console.print(f"[red]error:[/] {from_json}: {err}")
            raise typer.Exit(2)
        log(f"rows from {from_json}: {', '.join(copied) or 'none'}")
    report["run"] = {"seconds": round(time.perf_counter() - started, 1),
                     "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}  # Linux: KiB
    console = Console(width=None if sys.stdout.isatty() else 160)
    print_report(report, console=console)
    if json_path:
        json_path.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    baseline_path = baseline or gate_module.BASELINE_PATH
    result = None
    if check:
        if not baseline_path.exists():
            err_console.print(f"[red]error:[/] no baseline at {baseline_path}; create it with --update-baseline")
            raise typer.Exit(2)
        result = gate_module.check(report, gate_module.read_baseline(baseline_path), tolerance)
        gate_module.print_gate(result, console)
    if report_dir:
        bench = json.loads(benchmark.read_text(encoding="utf-8")) if benchmark else None
        paths = write_report(report, report_dir, gate=result.to_dict() if result else None, benchmark=bench)
        log(f"report: {paths['html']} and {paths['md']}")
    if update_baseline:
        written = gate_module.write_baseline(report, baseline_path, gate_module.DEFAULT_TOLERANCE if tolerance is None else tolerance)
        log(f"baseline written to {baseline_path}: {written['metrics']}")
    if result is not None and not result.ok:
        raise typer.Exit(1)


def _progress(enabled: bool):
    if not enabled:
        return nullcontext(None)
    return Progress(
        TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
        TimeElapsedColumn(), TimeRemainingColumn(), console=err_console,
    )


def _print_summary(summary: RunSummary) -> None:
    table = Table(title="zhnews run", show_header=False)
    table.add_row("documents", str(summary.documents))
    table.add_row("failed", f"[red]{summary.failed}[/]" if summary.failed else "0")
    table.add_row("warnings", str(summary.warnings))
    table.add_row("characters", f"{summary.chars:,}")
    rate = summary.chars / summary.seconds if summary.seconds else 0.0
    table.add_row("time", f"{summary.seconds:.1f} s ({rate:,.0f} chars/s)")
    err_console.print(table)
    for source, error in summary.failures:
        err_console.print(f"[red]failed[/] {source}: {error}")


if __name__ == "__main__":
    app()
