"""``zhnews doccano push|pull``: the annotation round trip through a doccano server."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import List, Optional, Tuple

import typer
from rich.console import Console

from ..gold.format import GoldFormatError
from .client import DoccanoClient, DoccanoError
from .config import ConfigError, load_settings
from .pull import PullError, pull
from .push import PushError, load_inputs, pre_annotate, push

DEFAULT_GOLD = Path("annotations/gold")
app = typer.Typer(help="Annotation round trip through doccano: push pre-annotations, pull gold.", no_args_is_help=True)
console = Console(width=None if sys.stdout.isatty() else 200)
err_console = Console(stderr=True, width=None if sys.stderr.isatty() else 200)


def _fail(err: Exception, code: int = 2) -> None:
    err_console.print("[red]error:[/] " + str(err).replace("[", "\\["), highlight=False)
    raise typer.Exit(code)


def _client() -> DoccanoClient:
    try:
        return DoccanoClient(load_settings())
    except (ConfigError, DoccanoError) as err:
        _fail(err)
        raise  # unreachable


@app.command("push")
def push_command(
    inputs: List[Path] = typer.Argument(..., help="Raw articles (.txt, or directories of them) or gold JSONL files/directories."),
    project: str = typer.Option(..., "--project", "-p", help="doccano project name (created if missing)."),
    model: Optional[Path] = typer.Option(None, help="Pipeline for pre-annotating raw articles (default: the trained model)."),
    select: Optional[Tuple[str, int]] = typer.Option(None, "--select", help="`uncertain N`: only the N paragraphs (of raw articles) the model is least sure about."),
    root: Path = typer.Option(Path("."), help="Directory that meta.source paths are relative to."),
) -> None:
    """Upload examples (raw articles pre-annotated by the model, or gold as it is); skip those already there."""
    try:
        gold, raw = load_inputs(inputs, root=root)
    except (PushError, GoldFormatError, FileNotFoundError) as err:
        _fail(err)
    if raw:
        from ..loader import ModelNotFoundError, load_pipeline

        try:
            nlp = load_pipeline(model)
        except ModelNotFoundError as err:
            _fail(err)
        scores = pre_annotate(raw, nlp)
        if select and select[0] is not None:
            from .selection import least_certain, parse_select

            try:
                n = parse_select(*select)
            except ValueError as err:
                _fail(err)
            pool = len(raw)
            raw = least_certain(raw, scores, n)
            err_console.print(f"selected the {len(raw)} least certain of {pool} paragraphs")
    client = _client()
    try:
        result = push(client, gold + raw, project, root=root, log=lambda m: err_console.print(m, highlight=False))
    except (PushError, DoccanoError) as err:
        _fail(err, 1)
    created = "created, " if result.created else ""
    console.print(f"[green]✓[/] project {result.project!r} ({created}{client.url}): "
                  f"{result.uploaded} uploaded, {result.skipped} already there")


@app.command("pull")
def pull_command(
    project: str = typer.Option(..., "--project", "-p", help="doccano project name."),
    gold: Path = typer.Option(DEFAULT_GOLD, help="Gold directory to write the new revision into."),
    changelog: Optional[Path] = typer.Option(None, help="Changelog to append to (default: <gold>/../CHANGELOG.md)."),
    root: Path = typer.Option(Path("."), help="Directory that meta.source paths are relative to."),
) -> None:
    """Export the project, validate it, and write a new gold revision; conflicts are reported, not overwritten."""
    client = _client()
    try:
        result = pull(client, project, gold, root=root, changelog=changelog)
    except (PullError, DoccanoError, GoldFormatError) as err:
        _fail(err, 1)
    by_doc: dict[str, list] = {}
    for change in result.changes:
        by_doc.setdefault(change.doc_id, []).append(change)
    for doc, changes in sorted(by_doc.items()):
        console.print(f"[bold]{doc}[/]", highlight=False)
        for change in changes:
            console.print(f"  example {change.example_id} ({change.kind})", highlight=False)
            for line in change.lines:
                console.print("    " + line.replace("[", "\\["), highlight=False)
    for conflict in result.conflicts:
        err_console.print("[yellow]conflict:[/] " + conflict.replace("[", "\\["), highlight=False)
    console.print(result.summary())
    if result.revision:
        console.print(f"[green]✓[/] gold revision {result.revision} written: " + ", ".join(str(p) for p in result.written))
    if result.conflicts:
        raise typer.Exit(3)
