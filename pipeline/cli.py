"""The ``zhnews`` command line (typer, as spaCy's own CLI)."""

from __future__ import annotations

import os
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
from .io.read import DEFAULT_MAX_BYTES, ReadStats, count_documents, iter_documents
from .io.facts import FactsWriter
from .io.outputs import OutputConflict, atomic_output, check_outputs
from .io.records import write_record
from .loader import ModelNotFoundError
from .train import (DEFAULT_CONFIG, DEFAULT_RELATION_TRAIN_ONLY, DEFAULT_TRAIN_ONLY, GoldInvalidError, TrainSettings,
                    refit_confidence, refit_relations, training_record)
from .train import train as train_pipeline
from .io.fs import is_url
from .io.partitions import DEFAULT_PARTITION_DOCS
from .run import DEFAULT_MAX_CHARS, RunSummary, run_documents, timed

#: The news gold (``zhnews.evaluate.splits``), named here so that `zhnews run` imports no evaluation code.
DEFAULT_NEWS_GOLD = Path("annotations/news/gold")

app = typer.Typer(
    help="zhnews: Chinese economic news → normalized text, tokens, entities and relations.",
    no_args_is_help=True,
    add_completion=False,
)
err_console = Console(stderr=True, width=None if sys.stderr.isatty() else 200)
app.add_typer(gold_app, name="gold")
app.add_typer(doccano_app, name="doccano")
model_app = typer.Typer(help="The pipeline directory: its manifest of files with sha256.", no_args_is_help=True)
app.add_typer(model_app, name="model")


@model_app.command("verify")
def model_verify(path: Path = typer.Argument(..., help="Pipeline directory.")) -> None:
    """Check every file of a pipeline directory against its manifest.json (exit 2 naming the first problem)."""
    from .loader import verify_model_files

    try:
        verify_model_files(path)
    except ModelNotFoundError as err:
        err_console.print(f"[red]error:[/] {err}")
        raise typer.Exit(2)
    err_console.print(f"[green]✓[/] {path}: every file matches manifest.json")


@model_app.command("manifest")
def model_manifest(path: Path = typer.Argument(..., help="Pipeline directory.")) -> None:
    """Write manifest.json (every file with its sha256). Training writes it; run this only after
    changing a pipeline's files by hand and checking them."""
    from .loader import write_manifest

    if not (path / "config.cfg").exists():
        err_console.print(f"[red]error:[/] {path} is not a pipeline directory (no config.cfg)")
        raise typer.Exit(2)
    err_console.print(f"wrote {write_manifest(path)}")


@app.command()
def run(
    inputs: list[str] = typer.Argument(..., help="Text files, directories (read recursively), JSONL files ({id, text} per line) or - for stdin."),
    output_name: Optional[str] = typer.Option(None, "--output", "-o", help="Write JSONL records here (default: stdout): a path or an fsspec URL. Written to a temporary file and renamed at the end, so a failed run leaves an existing file as it was."),
    overwrite: bool = typer.Option(False, "--overwrite", help="Replace --output/--facts if they exist (otherwise the run refuses, exit 2)."),
    model: Optional[Path] = typer.Option(None, "--model", "-m", help="spaCy pipeline directory (default: models/zhnews-zh or $ZHNEWS_MODEL)."),
    n_process: int = typer.Option(1, "--n-process", "-n", min=1, help="Worker processes; each loads the pipeline once."),
    max_bytes: int = typer.Option(DEFAULT_MAX_BYTES, "--max-bytes", min=1, help="Refuse (with an error record) a document larger than this many bytes: a text file, or one JSONL line."),
    max_chars: int = typer.Option(DEFAULT_MAX_CHARS, "--max-chars", min=100, help="Analyse a longer document in pieces of at most this many characters, cut at paragraph or sentence ends (bounds memory: about 470 MiB + 14 kB per character of a piece)."),
    progress: bool = typer.Option(True, "--progress/--no-progress", help="Show a progress bar on stderr."),
    facts_name: Optional[str] = typer.Option(None, "--facts", help="Also write a facts table (CSV, one row per relation) here (a path or an fsspec URL)."),
    cluster: Optional[str] = typer.Option(None, "--cluster", help="Run the partitions on Dask: local[:N] (N worker processes here) or tcp://HOST:8786 (a running scheduler). Needs zhnews[dask] and -o."),
    resume: bool = typer.Option(False, "--resume", help="Finish an interrupted run with the same inputs and -o: partitions its journal records are not run again."),
    partition_docs: int = typer.Option(DEFAULT_PARTITION_DOCS, "--partition-docs", min=1, help="Documents per partition (the unit of scheduling, retry and resumption)."),
) -> None:
    """Run the pipeline: one JSON record per document, an error record for each failure.

    With -o FILE the input is run in partitions, each written beside the output
    (.FILE.parts/) and recorded in a journal, then merged in input order: an interrupted
    run is finished with --resume, and --cluster runs the partitions on Dask.

    Exit code 0 only if every document succeeded; 1 if any failed; 2 if nothing was run
    (the pipeline could not be loaded, the cluster not reached, or an output would
    overwrite an input or an existing file); 130 if interrupted.
    """
    output = _target(output_name)
    facts = _target(facts_name)
    try:
        check_outputs(inputs, {"--output": output, "--facts": facts}, overwrite=overwrite or resume)
    except OutputConflict as err:
        err_console.print(f"[red]error:[/] {err}; nothing was written")
        raise typer.Exit(2)
    if (cluster or resume) and (output is None or "-" in inputs):
        err_console.print("[red]error:[/] --cluster and --resume need -o FILE and inputs that are files or folders (not stdin)")
        raise typer.Exit(2)
    if output is not None and "-" not in inputs or is_url(output or "") or is_url(facts or ""):
        if output is None or "-" in inputs:
            err_console.print("[red]error:[/] an fsspec URL output needs -o and inputs that are files, folders or URLs (not stdin)")
            raise typer.Exit(2)
        _run_partitioned(inputs, output, facts, model=model, n_process=n_process, max_bytes=max_bytes,
                         max_chars=max_chars, show_progress=progress and err_console.is_terminal, cluster=cluster,
                         resume=resume, partition_docs=partition_docs)
    stats = ReadStats()
    exclude = [p for p in (output, facts) if p is not None]
    docs = iter_documents(inputs, max_bytes=max_bytes, stdin=sys.stdin.buffer, stats=stats, exclude=exclude)
    summary = RunSummary()
    show_progress = progress and err_console.is_terminal
    total = count_documents(inputs, exclude=exclude) if show_progress and "-" not in inputs else None
    code, fatal = 0, None
    try:
        with (atomic_output(output) if output else nullcontext(sys.stdout)) as stream, \
                (atomic_output(facts, newline="") if facts else nullcontext(None)) as facts_stream, \
                _progress(show_progress) as bar:
            task = bar.add_task("documents", total=total) if bar else None
            facts_writer = FactsWriter(facts_stream) if facts_stream else None
            for record in timed(summary, run_documents(docs, model=model, n_process=n_process, max_chars=max_chars)):
                record = write_record(stream, record)
                if facts_writer:
                    facts_writer.write(record)
                if bar:
                    bar.advance(task)
            code = 0 if summary.ok else 1
    except ModelNotFoundError as err:
        fatal, code = f"{err}; nothing was written", 2
    except KeyboardInterrupt:
        fatal, code = "interrupted: the output files were not written (existing ones are unchanged)", 130
    finally:
        _report_run(stats, summary, fatal, code)
    raise typer.Exit(code)


def _report_run(stats: ReadStats, summary: RunSummary, fatal: Optional[str], code: int) -> None:
    """What every run prints at its end: the skipped files, the fatal error if any, the summary
    (not when nothing was run)."""
    for skipped in stats.skipped_files:
        err_console.print(f"[yellow]skipped[/] {skipped} ({stats.skipped_reasons.get(skipped, 'not an input')})",
                          highlight=False)
    if fatal:
        err_console.print(f"[red]error:[/] {fatal}", highlight=False)
    if code != 2:
        _print_summary(summary)


def _target(name: Optional[str]):
    """An output: a local Path, an fsspec URL (kept as a string), or None."""
    if name is None:
        return None
    return name if is_url(name) else Path(name)


def _run_partitioned(inputs: list[str], output, facts, *, model, n_process: int, max_bytes: int,
                     max_chars: int, show_progress: bool, cluster: Optional[str], resume: bool, partition_docs: int) -> None:
    """`zhnews run -o FILE`: partitions, journal, merge (see ``partitioned.py``); exits."""
    import time

    from .partitioned import ResumeError, local_executor, prepare, run_partitioned

    stats = ReadStats()
    summary = RunSummary()
    code, fatal = 0, None
    started = time.perf_counter()
    try:
        partitions, parts_dir, journal, finished = prepare(
            inputs, output, resume=resume, facts=facts is not None, docs_per_partition=partition_docs, stats=stats,
            exclude=[p for p in (output, facts) if p is not None],
            settings={"model": str(model or ""), "max_bytes": max_bytes, "max_chars": max_chars})
        if finished:
            err_console.print(f"resuming: {len(finished)} of {len(partitions)} partitions already done")
        if cluster:
            try:
                from .cluster import ClusterError, dask_executor
            except ImportError as err:
                raise _Fatal(f"{err.name} is missing: install the Dask extra, pip install 'zhnews[dask]'") from None
            from .loader import default_model_path, verify_model_files

            path = Path(model) if model else default_model_path()
            if not (path / "config.cfg").exists():
                raise ModelNotFoundError(f"no zhnews pipeline at {path} (config.cfg missing)")
            verify_model_files(path)
            execute = dask_executor(cluster, parts_dir, model=str(path.resolve()), max_chars=max_chars,
                                    max_bytes=max_bytes, facts=facts is not None)
        else:
            ClusterError = _Fatal  # noqa: N806 (no cluster: nothing raises it)
            execute = local_executor(parts_dir, model=model, n_process=n_process, max_chars=max_chars,
                                     max_bytes=max_bytes, facts=facts is not None)
        total = sum(p.documents for p in partitions)
        with _progress(show_progress) as bar:
            task = bar.add_task("documents", total=total) if bar else None
            advance = (lambda n: bar.advance(task, n)) if bar else (lambda n: None)
            try:
                run_partitioned(partitions, parts_dir, journal, finished, execute, output=output, facts=facts,
                                summary=summary, advance=advance)
            except ClusterError as err:
                raise _Fatal(str(err)) from None
        code = 0 if summary.ok else 1
    except (ModelNotFoundError, ResumeError, _Fatal) as err:
        fatal, code = f"{err}; nothing was written", 2
        if not journal_has_entries(output):
            from .partitioned import parts_dir_for
            import shutil

            shutil.rmtree(parts_dir_for(output), ignore_errors=True)
    except KeyboardInterrupt:
        fatal, code = (f"interrupted: {summary.documents} documents done; run the same command with --resume to "
                       "finish (existing output files are unchanged)"), 130
    finally:
        summary.seconds = time.perf_counter() - started
        _report_run(stats, summary, fatal, code)
    raise typer.Exit(code)


class _Fatal(RuntimeError):
    """Nothing can be run (a missing extra, an unreachable cluster): exit 2."""


def journal_has_entries(output: Path) -> bool:
    from .partitioned import JOURNAL, parts_dir_for

    journal = parts_dir_for(output) / JOURNAL
    return journal.exists() and journal.stat().st_size > 0


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", help="Interface to listen on: loopback unless you mean to expose the service."),
    port: int = typer.Option(8000, min=1, max=65535, help="TCP port."),
    model: Optional[Path] = typer.Option(None, "--model", "-m", help="spaCy pipeline directory (default: models/zhnews-zh or $ZHNEWS_MODEL)."),
    workers: int = typer.Option(1, min=1, help="Worker processes; each loads the pipeline once, at start-up (about 600 MiB each)."),
    max_body_bytes: int = typer.Option(2 * 1024 * 1024, min=1, help="Larger request bodies are refused with 413."),
    max_documents: int = typer.Option(64, min=1, help="More documents in one request are refused with 413."),
    timeout: float = typer.Option(60.0, min=0.1, help="Seconds a request may take before it is answered 504."),
    max_chars: int = typer.Option(DEFAULT_MAX_CHARS, min=100, help="Longer documents are analysed in pieces (as `zhnews run --max-chars`)."),
    log_text: bool = typer.Option(False, "--log-text", help="Log the texts of requests (off: only their sizes are logged)."),
) -> None:
    """Serve the pipeline over HTTP: POST /v1/analyze and /v1/facts, a page to try it at /, API docs at /docs.

    Needs the optional extra: pip install 'zhnews[serve]'. /healthz answers 200 once the
    pipeline is loaded.
    """
    try:
        import uvicorn

        from .serve import ServeSettings
    except ImportError as err:
        err_console.print(f"[red]error:[/] {err.name} is missing: install the service extra, pip install 'zhnews[serve]'")
        raise typer.Exit(2)
    from .loader import default_model_path, verify_model_files

    path = model or default_model_path()
    try:
        if not (path / "config.cfg").exists():
            raise ModelNotFoundError(f"no zhnews pipeline at {path} (config.cfg missing)")
        verify_model_files(path)
    except ModelNotFoundError as err:
        err_console.print(f"[red]error:[/] {err}")
        raise typer.Exit(2)
    if host not in ("127.0.0.1", "localhost", "::1"):
        err_console.print(f"[yellow]note:[/] listening on {host}: the service is reachable from other machines and has no authentication")
    settings = ServeSettings(model=str(path), max_body_bytes=max_body_bytes, max_documents=max_documents,
                             timeout_s=timeout, max_chars=max_chars, log_text=log_text)
    os.environ.update(settings.to_env())
    uvicorn.run("zhnews.serve:app_factory", factory=True, host=host, port=port, workers=workers, log_level="info")


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
    confidence_only: bool = typer.Option(False, help="Refit only the entity confidence and the relations' fact threshold of the pipeline already at --output, on its output on the news dev split (seconds; needs --news-gold): the NER and the relation classifier are kept."),
    news_gold: Optional[Path] = typer.Option(None, help="The news gold folder (annotations/news/gold): its train split is trained on, its dev split scored during training; its test split is never read."),
    news_repeat: int = typer.Option(TrainSettings.news_repeat, help="How many times the news gold's train split is repeated in the training data."),
    gazetteers: Optional[Path] = typer.Option(None, envvar="ZHNEWS_GAZETTEERS", help="The gazetteers folder (../shared/gazetteers): its registry lists (configs/registries.json) become NER features, one per family; checked against its checksums.sha256."),
    registry: list[str] = typer.Option([], help="Registry families to use (repeatable; default: all of configs/registries.json). Needs --gazetteers."),
    silver: Optional[Path] = typer.Option(None, help="Silver ORG data from scripts/build_silver.py (model-tagged real news, two pipelines agreeing), trained on once per pass; keep it outside the repository."),
    relation_silver: Optional[Path] = typer.Option(None, help="Silver relations from scripts/build_silver_relations.py (real news the pipeline is sure of), trained on by the relation classifier beside the gold; its cross-validation scores gold only. Keep the file outside the repository; its sha256 goes into meta.json."),
    vectors: Optional[Path] = typer.Option(None, help="Static character vectors from scripts/build_vectors.py (unlabeled news), added to the NER's embedding; copied into the trained pipeline."),
    init_tok2vec: Optional[Path] = typer.Option(None, help="tok2vec weights pretrained on unlabeled news by scripts/pretrain_tok2vec.py (with the same --vectors), loaded before training."),
    per_type_thresholds: bool = typer.Option(TrainSettings.per_type_thresholds, "--per-type-thresholds/--global-threshold", help="Give a relation type its own threshold where cross-validation on the training gold prefers one (off by default: it lowered the dev split's relation F1)."),
    relations_from: Optional[Path] = typer.Option(None, help="A zhnews pipeline whose relation classifier to keep instead of fitting one (its files, threshold and meta.json record; checked against its manifest): to pair a retrained NER with the classifier dev preferred. With --confidence-only it replaces the classifier of the pipeline at --output; the entity confidence and fact threshold are refitted either way."),
    segmenter_from: Optional[Path] = typer.Option(None, help="A zhnews pipeline whose pkuseg segmenter to train with (default: the committed model's): a trained one, or the segmenter-only pipeline scripts/build_segmenter.py writes. Compares segmenters by retraining; the weights' sha256 goes into meta.json."),
) -> None:
    """Train the pipeline from gold (+ optional public corpora) with spaCy's training loop."""
    if registry and gazetteers is None:
        err_console.print("[red]error:[/] --registry needs --gazetteers (or ZHNEWS_GAZETTEERS)")
        raise typer.Exit(2)
    if relations_only and confidence_only:
        err_console.print("[red]error:[/] --relations-only already refits the entity confidence: give one of the two")
        raise typer.Exit(2)
    settings = TrainSettings(gold=gold, output=output, config=config, corpora_dir=corpora, holdout=tuple(holdout),
                             corpus_limit=corpus_limit, gold_repeat=gold_repeat, max_steps=max_steps, seed=seed,
                             train_only=tuple(train_only), relation_train_only=tuple(relation_train_only),
                             news_gold=news_gold, news_repeat=news_repeat, gazetteers_dir=gazetteers,
                             registries=tuple(registry) or None, per_type_thresholds=per_type_thresholds,
                             silver=silver, relation_silver=relation_silver, vectors=vectors, init_tok2vec=init_tok2vec, segmenter_from=segmenter_from,
                             relations_from=relations_from)
    try:
        fit = refit_relations if relations_only else refit_confidence if confidence_only else train_pipeline
        path = fit(settings, log=lambda message: err_console.print(message, highlight=False, markup=False))
    except (GoldInvalidError, ValueError, FileNotFoundError) as err:
        err_console.print(f"[red]error:[/] {err}")
        raise typer.Exit(2)
    err_console.print(f"[green]✓[/] trained pipeline written to {path}")


@app.command()
def evaluate(
    news_gold: Path = typer.Option(DEFAULT_NEWS_GOLD, help="The news gold folder; its manifest.json gives each file's split (train/dev/test)."),
    model: Optional[Path] = typer.Option(None, "--model", "-m", help="Pipeline to score (default: the committed one)."),
    json_path: Optional[Path] = typer.Option(None, "--json", help="Also write the report as JSON here."),
    markdown: Optional[Path] = typer.Option(None, "--markdown", help="Also write the report's tables as Markdown here."),
    check: bool = typer.Option(False, "--check", "--gate", help="Fail (exit 1) when a test-split figure is more than the tolerance below metrics.json."),
    update_baseline: bool = typer.Option(False, "--update-baseline", help="Rewrite metrics.json from this run's test figures (commit it on its own, reviewed)."),
    baseline: Optional[Path] = typer.Option(None, help="Baseline file of --check/--update-baseline (default: metrics.json of the repo)."),
    tolerance: Optional[float] = typer.Option(None, help="Allowed drop per headline figure (default: the baseline's, 0.02)."),
    seed_report: Optional[Path] = typer.Option(Path("reports/evaluation.json"), help="A saved seed evaluation (`zhnews evaluate-seeds --json`) whose LODO row is shown as the secondary figure; ignored if absent."),
    ablate: bool = typer.Option(False, "--ablate", help="Instead: score the dev split with each document-consistency rule switched off (or, if the config leaves it out, on) in turn: one row per rule and name form; test is not scored. About a minute."),
) -> None:
    """P/R/F of the pipeline and the baselines on the news gold's dev and test splits.

    Test is the headline (reported, never tuned on); dev is where choices are made and the
    only split whose errors are listed. Strict and partial, per label, per relation type
    (end to end and given the gold entities) and per source. Takes about a minute.
    With --check, exit code 1 when the regression gate fails; 2 when the model, the gold's
    split manifest or the baseline is missing.
    """
    import json

    from .evaluate import gate as gate_module
    from .evaluate.splits import evaluate_news, news_markdown, print_news_report
    from .gold.splits import SplitError
    from .loader import load_pipeline

    log = lambda message: err_console.print(message, highlight=False, markup=False)  # noqa: E731
    if ablate:
        _ablate_consistency(model, news_gold, json_path, log)
        return
    try:
        nlp = load_pipeline(model)
        report = evaluate_news(nlp, news_gold, log=log)
    except (ModelNotFoundError, SplitError, FileNotFoundError) as err:
        err_console.print(f"[red]error:[/] {err}")
        raise typer.Exit(2)
    if seed_report and seed_report.exists():
        report["secondary"] = seed_lodo_row(json.loads(seed_report.read_text(encoding="utf-8")), seed_report,
                                            report.get("model", {}).get("zhnews", {}))
    console = Console(width=None if sys.stdout.isatty() else 160)
    print_news_report(report, console=console)
    if json_path:
        json_path.write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    if markdown:
        markdown.write_text(news_markdown(report), encoding="utf-8")
    baseline_path = baseline or gate_module.BASELINE_PATH
    result = None
    if check:
        if not baseline_path.exists():
            err_console.print(f"[red]error:[/] no baseline at {baseline_path}; create it with --update-baseline")
            raise typer.Exit(2)
        result = gate_module.check(report, gate_module.read_baseline(baseline_path), tolerance)
        gate_module.print_gate(result, console)
    if update_baseline:
        written = gate_module.write_baseline(report, baseline_path, gate_module.DEFAULT_TOLERANCE if tolerance is None else tolerance)
        log(f"baseline written to {baseline_path}: {written['metrics']}")
    if result is not None and not result.ok:
        raise typer.Exit(1)


def _ablate_consistency(model: Optional[Path], news_gold: Path, json_path: Optional[Path], log) -> None:
    import json

    from rich.table import Table

    from .evaluate.ablation import ablate
    from .gold.splits import SplitError, load_split
    from .loader import default_model_path, verify_model_files

    path = Path(model) if model else default_model_path()
    try:
        verify_model_files(path)
        dev = load_split(news_gold, "dev")
    except (ModelNotFoundError, SplitError, FileNotFoundError) as err:
        err_console.print(f"[red]error:[/] {err}")
        raise typer.Exit(2)
    rows = ablate(path, dev, log=log)
    table = Table(title=f"dev: {len({e.doc_id for e in dev})} documents, each consistency rule switched off (or on) in turn")
    columns = ["variant", "ORG", "ORG P", "ORG R", "entity micro", "relations end to end", "Δ ORG", "Δ relations"]
    for column in columns:
        table.add_column(column, justify="left" if column == "variant" else "right")
    for row in rows:
        table.add_row(*[row["variant"]] + [f"{row[c]:+.3f}" if c.startswith("Δ") else f"{row[c]:.3f}"
                                            for c in columns[1:] if c in row] + ["–"] * (len(columns) - 1 - sum(c in row for c in columns[1:])))
    Console(width=None if sys.stdout.isatty() else 160).print(table)
    if json_path:
        json_path.write_text(json.dumps({"split": "dev", "model": str(path), "rows": rows}, indent=1, ensure_ascii=False) + "\n",
                             encoding="utf-8")


def seed_lodo_row(saved: dict, path: Path, scored: dict | None = None) -> dict:
    """The seed LODO figures of a saved seed evaluation: the older, secondary yardstick.

    The folds' recipe is the saved run's ``lodo_training`` (how ``evaluate-seeds --lodo`` trained
    them), else, for runs from before it was recorded, the record of the pipeline that run scored.
    When it differs from ``scored`` (the evaluated pipeline's ``meta.json`` "zhnews" record) in
    training config, news gold, vectors or pretrained weights, the row says so."""
    rows, relations = saved.get("rows", {}), saved.get("relation_rows", {})
    lodo = rows.get("LODO model", {}).get("strict", {})
    e2e = relations.get("LODO model end to end", {}).get("micro", {})
    name = f"seed LODO, 5 articles ({path})"
    recipe = saved.get("lodo_training") or saved.get("model", {}).get("zhnews", {})
    scored = scored or {}
    theirs, ours = recipe.get("training_config_sha256"), scored.get("training_config_sha256")
    if theirs and ours and theirs != ours:
        name += (f"; measured on an older training recipe (training config {theirs[:12]}, this model's {ours[:12]}"
                 + (", without the news gold" if "news_gold_sha256" not in recipe else "") + ")")
    elif theirs and ours:
        other = [label for key, label in (("news_gold_sha256", "news gold"), ("vectors_sha256", "vectors"),
                                          ("init_tok2vec_sha256", "pretrained tok2vec"))
                 if recipe.get(key) != scored.get(key)]
        if other:
            name += f"; folds trained with this model's config but another {', '.join(other)}"
    return {"name": name, "ORG": lodo.get("ORG", {}).get("f"),
            "entity micro": lodo.get("micro", {}).get("f"), "relations end to end": e2e.get("f")}


@app.command("evaluate-seeds")
def evaluate_seeds(
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
    news_gold: Optional[Path] = typer.Option(None, help="LODO folds train on the news gold's train split too, as `zhnews train --news-gold` does (the committed recipe); its dev split fits the entity confidence, its test split is never read."),
    vectors: Optional[Path] = typer.Option(None, help="Static character vectors for the LODO folds (as `zhnews train --vectors`)."),
    init_tok2vec: Optional[Path] = typer.Option(None, help="Pretrained tok2vec weights for the LODO folds (as `zhnews train --init-tok2vec`, with the same --vectors)."),
    relation_silver: Optional[Path] = typer.Option(None, help="Silver relations for the folds' relation classifiers (as `zhnews train --relation-silver`)."),
    seed: int = typer.Option(0, help="Training seed of the LODO folds."),
    jobs: int = typer.Option(1, "--jobs", "-j", min=1, help="LODO folds trained at a time, one process each (a fold with the committed recipe takes about 15 minutes on one core and 3 GB)."),
) -> None:
    """The older yardstick: the five seed articles, leave-one-document-out (secondary to `zhnews evaluate`).

    The committed model's rows on the seed gold are in sample (it was trained on them) and
    are labelled so; only the LODO rows say something about new text, and five articles
    of one city and outlet overstate it (see `zhnews evaluate` for the news gold's test split).
    """
    import json
    import resource
    import time

    from .evaluate.lodo import lodo_predictions
    from .evaluate.render import merge_rows, write_report
    from .evaluate.report import evaluate_gold, print_report
    from .gold.format import load_gold
    from .loader import load_pipeline

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
                                 relation_train_only=tuple(relation_train_only), news_gold=news_gold,
                                 vectors=vectors, init_tok2vec=init_tok2vec, relation_silver=relation_silver, seed=seed)
        try:
            lodo_training = {key: value for key, value in training_record(settings).items() if key != "holdout"}
        except (OSError, ValueError) as err:
            err_console.print(f"[red]error:[/] {err}")
            raise typer.Exit(2)
        lodo_rows, lodo_relations = lodo_predictions(
            examples, settings, log=log,
            variants={"LODO model": {}, "LODO model without consistency": {"disable": ["zhnews_org_consistency"]},
                      "LODO model, paragraph by paragraph": {"by_article": False}},
            keep_dir=keep_folds, reuse=reuse_folds, jobs=jobs)
    relation_extra = [e for path in relation_train_only for e in load_gold(path)]
    try:
        nlp = load_pipeline(model)
    except ModelNotFoundError as err:
        err_console.print(f"[red]error:[/] {err}")
        raise typer.Exit(2)
    report = evaluate_gold(examples, nlp=nlp, gold_path=gold, lodo_rows=lodo_rows, lodo_relation_rows=lodo_relations,
                           train_only=relation_extra, log=log)
    if lodo:
        # how the folds were trained (the same record as a trained pipeline's meta.json, without the holdout)
        report["lodo_training"] = lodo_training
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
    if report_dir:
        bench = json.loads(benchmark.read_text(encoding="utf-8")) if benchmark else None
        paths = write_report(report, report_dir, benchmark=bench)
        log(f"report: {paths['html']} and {paths['md']}")


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
