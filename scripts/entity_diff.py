#!/usr/bin/env python
"""Which entities change between two checkouts of zhnews on unlabeled news.

A rule read off the seed errors is not a held-out gain; what it does to news nobody
annotated is the next best evidence. This runs the committed pipeline with the code of
this checkout and of another one (``--before``, e.g. ``git worktree add /tmp/before
<rev>``) on the same texts and prints every entity that one has and the other has not,
in context, to be read and judged by a person.

Texts: a directory of ``.txt`` files, or a CSV file with a ``text`` column (e.g.
``../shared/corpora/ccf_bdci2019_fin_entity/Train_Data.csv``), normalized as ``zhnews run``
does. A text the pipeline fails on is reported, not skipped.

Example (session 10: 3,000 texts, 38 changed):

\b
    git worktree add /tmp/before e64c210
    python scripts/entity_diff.py --before /tmp/before \\
        --texts ../shared/corpora/ccf_bdci2019_fin_entity/Train_Data.csv --limit 3000
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import typer

HERE = Path(__file__).resolve().parents[1]
#: run inside each checkout: entities of every text, or the error it raised
_DUMP = """
import json, sys
sys.path.insert(0, sys.argv[1])
from zhnews.loader import load_pipeline
nlp = load_pipeline(sys.argv[2])
out = []
for text in json.load(sys.stdin):
    try:
        out.append([[e.start_char, e.end_char, e.label_] for e in nlp(text).ents])
    except Exception as error:
        out.append(repr(error)[:200])
json.dump(out, sys.stdout)
"""


def read_texts(path: Path, limit: int, min_chars: int, max_chars: int) -> list[str]:
    """Normalized texts of ``path`` (directory of .txt or CSV with a text column), at most ``limit``."""
    sys.path.insert(0, str(HERE))
    from zhnews.normalize import normalize

    if path.is_dir():
        raw = (p.read_text(encoding="utf-8", errors="replace") for p in sorted(path.glob("*.txt")))
    else:
        raw = (row.get("text") or "" for row in csv.DictReader(path.open(encoding="utf-8", newline="")))
    texts = []
    for text in raw:
        normalized = normalize(text).text
        if min_chars <= len(normalized) <= max_chars:
            texts.append(normalized)
            if len(texts) == limit:
                break
    return texts


def entities(checkout: Path, model: Path, texts: list[str]) -> list:
    result = subprocess.run([sys.executable, "-c", _DUMP, str(checkout), str(model)], input=json.dumps(texts),
                            capture_output=True, text=True, check=True)
    return json.loads(result.stdout)


def changes(text: str, before, after, context: int = 12) -> list[str]:
    """One line per entity only one side has (``-`` before, ``+`` after), or the error of a side."""
    if isinstance(before, str) or isinstance(after, str):
        return [f"{side} error: {found}" for side, found in (("-", before), ("+", after)) if isinstance(found, str)]
    old, new = {tuple(e) for e in before}, {tuple(e) for e in after}
    lines = []
    for sign, spans in (("-", sorted(old - new)), ("+", sorted(new - old))):
        for a, b, label in spans:
            lines.append(f"{sign} {label} {text[a:b]} | {text[max(0, a - context):a]}[{text[a:b]}]{text[b:b + context]}")
    return lines


def main(
    before: Path = typer.Option(..., exists=True, file_okay=False, help="The other checkout (its code, this checkout's model)."),
    texts: Path = typer.Option(..., exists=True, help="Directory of .txt files or CSV file with a 'text' column."),
    model: Path = typer.Option(HERE / "models" / "zhnews-zh", exists=True, help="Pipeline both checkouts run."),
    limit: int = typer.Option(1000, min=1, help="How many texts."),
    min_chars: int = typer.Option(200, help="Skip shorter texts (headlines, fragments)."),
    max_chars: int = typer.Option(3000, help="Skip longer texts."),
) -> None:
    """Print the entities that differ between --before and this checkout, text by text."""
    sample = read_texts(texts, limit, min_chars, max_chars)
    typer.echo(f"{len(sample)} texts, {sum(map(len, sample)):,} characters", err=True)
    old, new = entities(before.resolve(), model, sample), entities(HERE, model, sample)
    changed = 0
    for number, (text, a, b) in enumerate(zip(sample, old, new)):
        lines = changes(text, a, b)
        if lines:
            changed += 1
            typer.echo(f"== text {number}")
            typer.echo("\n".join(lines))
    typer.echo(f"{changed} of {len(sample)} texts changed", err=True)


if __name__ == "__main__":
    typer.run(main)
