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
from .io.read import DEFAULT_MAX_BYTES, ReadStats, iter_documents
from .io.records import write_record
from .model import ModelNotFoundError
from .run import RunSummary, run_documents, timed

app = typer.Typer(
    help="zhnews: Chinese economic news → normalized text, tokens, entities and relations.",
    no_args_is_help=True,
    add_completion=False,
)
err_console = Console(stderr=True, width=None if sys.stderr.isatty() else 200)
app.add_typer(gold_app, name="gold")


@app.command()
def run(
    inputs: list[str] = typer.Argument(..., help="Text files, directories (read recursively), JSONL files ({id, text} per line) or - for stdin."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write JSONL records here (default: stdout)."),
    model: Optional[Path] = typer.Option(None, "--model", "-m", help="spaCy pipeline directory (default: models/zhnews-zh or $ZHNEWS_MODEL)."),
    n_process: int = typer.Option(1, "--n-process", "-n", min=1, help="Worker processes; each loads the pipeline once."),
    max_bytes: int = typer.Option(DEFAULT_MAX_BYTES, "--max-bytes", help="Refuse (with an error record) files larger than this."),
    progress: bool = typer.Option(True, "--progress/--no-progress", help="Show a progress bar on stderr."),
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
        with (output.open("w", encoding="utf-8") if output else nullcontext(sys.stdout)) as stream, _progress(show_progress) as bar:
            task = bar.add_task("documents", total=len(docs)) if bar else None
            for record in timed(summary, run_documents(docs, model=model, n_process=n_process)):
                write_record(stream, record)
                if bar:
                    bar.advance(task)
    except ModelNotFoundError as err:
        err_console.print(f"[red]error:[/] {err}")
        raise typer.Exit(2)
    _print_summary(summary)
    raise typer.Exit(0 if summary.ok else 1)


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
