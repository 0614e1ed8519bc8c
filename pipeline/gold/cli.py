"""``zhnews gold …``: validate, count, fingerprint and compare gold annotations."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.table import Table

from ..scoring import score_strict
from ..labels import ENTITY_LABELS, RELATION_TYPES
from .format import GoldFormatError, dump_examples, load_gold, load_gold_checked
from .keys import disagreements, entity_keys, relation_keys
from .manifest import MANIFEST, manifest_problems, write_manifest
from .paragraphs import paragraph_examples
from .splits import SplitError, source_of, split_of_files
from .stats import gold_stats
from .validate import validate_examples

DEFAULT_GOLD = Path("annotations/gold")
app = typer.Typer(help="Gold annotations: validate, stats, manifest, skeleton, agreement.", no_args_is_help=True)
console = Console(width=None if sys.stdout.isatty() else 200)
err_console = Console(stderr=True, width=None if sys.stderr.isatty() else 200)


def _load(path: Path):
    try:
        return load_gold(path)
    except (GoldFormatError, FileNotFoundError) as err:
        err_console.print(f"[red]error:[/] {err}")
        raise typer.Exit(2)


@app.command()
def validate(
    path: Path = typer.Argument(DEFAULT_GOLD, help="Gold JSONL file or directory."),
    root: Optional[Path] = typer.Option(None, help="Directory that meta.source paths are relative to (default: the current directory, then the folders above the gold)."),
    corpora: Optional[Path] = typer.Option(None, envvar="ZHNEWS_CORPORA", help="The shared corpora folder: news examples' texts are checked against their records when given."),
    check_text: bool = typer.Option(True, "--check-text/--no-check-text", help="Check each text against the current normalizer."),
) -> None:
    """Check gold against the schema and the normalizer; one line per problem, exit 1 if any.

    Every file and line is checked (format and types first, then content), so a broken
    revision is fixed in one pass; a manifest that no longer matches is reported after the
    content problems, which must be fixed first.
    """
    try:
        examples, problems = load_gold_checked(path)
    except FileNotFoundError as err:
        err_console.print(f"[red]error:[/] {err}")
        raise typer.Exit(2)
    problems += [str(p) for p in validate_examples(examples, root=root, check_text=check_text, corpora=corpora)]
    if path.is_dir() and ((path / MANIFEST).exists() or path.resolve() == DEFAULT_GOLD.resolve()):
        stale = manifest_problems(path)
        if stale and problems:
            stale = [p for p in stale if not p.startswith("after reviewing")]
            stale.append("fix the problems above first; then review the change and run `zhnews gold manifest`")
        problems += [f"{path}: {p}" for p in stale]
    for problem in problems:
        err_console.print(f"[red]✗[/] {problem}", highlight=False)
    n_ent = sum(len(e.entities) for e in examples)
    n_rel = sum(len(e.relations) for e in examples)
    if problems:
        err_console.print(f"[red]{len(problems)} problem(s)[/] in {len(examples)} examples")
        raise typer.Exit(1)
    console.print(f"[green]✓[/] {len(examples)} examples, {n_ent} entities, {n_rel} relations: valid")


@app.command()
def stats(
    path: Path = typer.Argument(DEFAULT_GOLD, help="Gold JSONL file or directory."),
    by: str = typer.Option("auto", help="Rows per 'document', per 'source', or per 'split' (a table per split, rows per source); 'auto': per split when the folder's manifest records splits, else per document."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of tables."),
) -> None:
    """Counts of documents, examples, characters, entities per label and relations per type."""

    examples = _load(path)
    splits = {}
    if by in ("auto", "split") and path.is_dir():
        try:
            splits = split_of_files(path)
        except SplitError as err:
            if by == "split":
                err_console.print(f"[red]error:[/] {err}")
                raise typer.Exit(2)
    if by not in ("auto", "split", "source", "document"):
        err_console.print(f"[red]error:[/] --by must be document, source or split, not {by!r}")
        raise typer.Exit(2)
    if splits:
        file_split = lambda ex: splits.get(Path(ex.path).name, "?")  # noqa: E731
        tables = {"all splits": gold_stats(examples, key=file_split)}
        for split in ("train", "dev", "test"):
            subset = [e for e in examples if file_split(e) == split]
            if subset:
                tables[split] = gold_stats(subset, key=source_of)
    elif by == "source":
        tables = {"per source": gold_stats(examples, key=source_of)}
    else:
        tables = {"per document": gold_stats(examples)}
    if as_json:
        print(json.dumps(tables, indent=2, ensure_ascii=False))
        return
    columns = ["documents", "examples", "chars", *ENTITY_LABELS, *RELATION_TYPES]
    for title, rows in tables.items():
        table = Table(title=f"gold: {path} — {title}")
        table.add_column("split" if title == "all splits" else "group")
        for column in columns:
            table.add_column(column, justify="right")
        for name, row in rows.items():
            table.add_row(name, *(f"{row[c]:,}" for c in columns), style="bold" if name == "total" else None)
        console.print(table)


@app.command()
def manifest(path: Path = typer.Argument(DEFAULT_GOLD, help="Gold directory.")) -> None:
    """Write manifest.json: the sha256 and counts of every gold file."""
    written = write_manifest(path)
    console.print(f"wrote {written}")


@app.command()
def skeleton(
    sources: list[Path] = typer.Argument(..., help="Raw article files (or directories of .txt files)."),
    output: Path = typer.Option(..., "--output", "-o", help="Directory for one unannotated gold file per article (never overwritten)."),
    root: Path = typer.Option(Path("."), help="meta.source paths are written relative to this directory."),
    first_number: int = typer.Option(0, help="Document number of the first article (example ids are number*1000+paragraph)."),
) -> None:
    """Cut articles into unannotated paragraph examples (normalized text + raw offsets).

    Refuses (exit 2, nothing written) when a target file exists: a skeleton is blank, and
    writing it over annotated gold would erase the annotations.
    """
    if output.exists() and not output.is_dir():
        err_console.print(f"[red]error:[/] --output {output} is a file: give the directory the skeleton files go to")
        raise typer.Exit(2)
    files = sorted(f for s in sources for f in ([s] if s.is_file() else s.rglob("*.txt")))
    existing = [output / f"{file.stem}.jsonl" for file in files if (output / f"{file.stem}.jsonl").exists()]
    if existing:
        for path in existing:
            err_console.print(f"[red]error:[/] {path} exists (it may hold annotations): remove it or choose another --output")
        raise typer.Exit(2)
    for number, file in enumerate(files, start=first_number):
        examples = paragraph_examples(file, number, root=root)
        dump_examples(examples, output / f"{file.stem}.jsonl")
        console.print(f"{file}: {len(examples)} paragraphs")


@app.command()
def agreement(
    first: Path = typer.Argument(..., help="Gold of the first annotator (file or directory)."),
    second: Path = typer.Argument(..., help="Gold of the second annotator."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of tables."),
    show_diff: bool = typer.Option(False, "--diff", help="List every disagreement in its context."),
) -> None:
    """Inter-annotator agreement: strict span F1 per label, relation F1 per type."""
    a, b = _load(first), _load(second)
    if show_diff:
        for line in disagreements(a, b):
            print(line)
    entity_scores = score_strict(entity_keys(a), entity_keys(b), labels=ENTITY_LABELS)
    relation_scores = score_strict(relation_keys(a), relation_keys(b), labels=RELATION_TYPES)
    if as_json:
        print(json.dumps({"entities": {k: v.to_dict() for k, v in entity_scores.items()},
                          "relations": {k: v.to_dict() for k, v in relation_scores.items()}}, indent=2))
        return
    for title, scores in (("entities (strict)", entity_scores), ("relations (strict)", relation_scores)):
        table = Table(title=f"agreement {first} vs {second}: {title}")
        for column in ("label", "F1", "only first", "only second", "both"):
            table.add_column(column, justify="right")
        for label, prf in scores.items():
            table.add_row(label, f"{prf.f1:.3f}", str(prf.fn), str(prf.fp), str(prf.tp))
        console.print(table)
