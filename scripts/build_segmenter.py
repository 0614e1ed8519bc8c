#!/usr/bin/env python
"""Build the segmenter-only spaCy pipeline (default: models/zhnews-segmenter/).

Steps: download the pinned pkuseg 0.0.25 sdist (sha256-verified; or use a
local copy with --sdist, verified the same way), convert its news-domain
``default`` model without executing any pickle code, shrink it (--prune), and
write ``spacy.blank("zh")`` with the zhnews tokenizer via ``nlp.to_disk``.
NER/relation components are added to the same pipeline later by other
scripts.  With --verify, the result is compared token by token with the
unpruned model on the seeds and the SIGHAN 2005 test texts, and both are
scored against the SIGHAN gold segmentation (word F1).

Examples:

\b
    python scripts/build_segmenter.py   # download to the cache, build models/zhnews-segmenter
    python scripts/build_segmenter.py --sdist /tmp/pkudl/pkuseg-0.0.25.tar.gz --verify
    python scripts/build_segmenter.py --prune 0.1 --output /tmp/try --verify
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn, TransferSpeedColumn

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from zhnews.training import pkuseg_build as pm  # noqa: E402
from zhnews.segment.chars import token_spans  # noqa: E402
from zhnews.segment.tokenizer import DEFAULT_MODEL_PATH, load_pkuseg  # noqa: E402
from zhnews.training.pkuseg_build import build_segmenter_pipeline  # noqa: E402

COMMIT_LIMIT_BYTES = 40 * 2**20
DEFAULT_SIGHAN = Path("/work/shared/corpora/sighan2005_cws")
console = Console(stderr=True)
app = typer.Typer(add_completion=False, rich_markup_mode=None)


def _dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def _obtain_sdist(sdist: Path | None, cache: Path) -> Path:
    if sdist is not None:
        console.print(f"verifying {sdist} ...")
        if sdist.stat().st_size != pm.SDIST_SIZE or pm.sha256_file(sdist) != pm.SDIST_SHA256:
            raise typer.BadParameter(f"{sdist} does not match the pinned size/sha256 {pm.SDIST_SHA256}")
        return sdist
    with Progress(
        TextColumn("[bold]pkuseg-0.0.25.tar.gz"),
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        TimeRemainingColumn(),
        console=console,
    ) as progress:
        task = progress.add_task("download", total=pm.SDIST_SIZE)

        def cb(done: int, total: int | None) -> None:
            progress.update(task, completed=done, total=total or pm.SDIST_SIZE)

        path = pm.download_sdist(cache, progress=cb)
        progress.update(task, completed=pm.SDIST_SIZE)
    return path


def verification_texts(sighan_dir: Path | None) -> dict[str, list[str]]:
    """Seeds + (if present) SIGHAN 2005 PKU/MSR test texts, as lists of lines."""
    texts = {p.name: p.read_text(encoding="utf-8").splitlines() for p in sorted((ROOT / "seeds").glob("*.txt"))}
    if sighan_dir is not None and sighan_dir.is_dir():
        for name in ("pku_test.utf8", "msr_test.utf8"):
            if (sighan_dir / name).is_file():
                texts[name] = (sighan_dir / name).read_text(encoding="utf-8").splitlines()
    return texts


def word_f1(seg, sighan_dir: Path | None) -> dict[str, float]:
    """Word F1 of ``seg`` against the SIGHAN 2005 gold segmentation of each present test set."""
    scores = {}
    for name in ("pku", "msr"):
        raw, gold = (sighan_dir / f"{name}_test.utf8", sighan_dir / f"{name}_test_gold.utf8") if sighan_dir else (None, None)
        if raw is None or not (raw.is_file() and gold.is_file()):
            continue
        tp = predicted = expected = 0
        for line, gold_line in zip(raw.read_text(encoding="utf-8").splitlines(), gold.read_text(encoding="utf-8").splitlines()):
            line = line.replace(" ", "").strip()
            if not line:
                continue
            p, g = token_spans(seg.cut(line)), token_spans(gold_line.split())
            tp, predicted, expected = tp + len(p & g), predicted + len(p), expected + len(g)
        scores[name] = 2 * tp / (predicted + expected) if predicted + expected else 0.0
    return scores


def count_differences(ref_seg, seg, texts: dict[str, list[str]]) -> dict[str, tuple[int, int]]:
    """Per text: (tokens of ``seg`` whose span the reference does not produce, total tokens)."""
    result = {}
    for name, lines in texts.items():
        diff = total = 0
        for line in lines:
            a, b = ref_seg.cut(line), seg.cut(line)
            total += len(b)
            if a != b:
                diff += len(token_spans(b) - token_spans(a))
        result[name] = (diff, total)
    return result


@app.command(help=__doc__)
def main(
    output: Path = typer.Option(DEFAULT_MODEL_PATH.parent / "zhnews-segmenter", help="Pipeline directory to write (replaced if it exists). Not models/zhnews-zh: that is the trained pipeline, whose tokenizer `zhnews train` reuses."),
    sdist: Path | None = typer.Option(None, exists=True, dir_okay=False, help="Use this local copy of pkuseg-0.0.25.tar.gz (must match the pinned sha256) instead of downloading."),
    cache: Path = typer.Option(pm.cache_dir(), help="Download cache ($ZHNEWS_CACHE_DIR or XDG cache)."),
    prune: float = typer.Option(pm.DEFAULT_PRUNE_EPS, help="Drop features whose weights are all within this of 0; weights are stored as exactly-restorable float32."),
    no_prune: bool = typer.Option(False, "--no-prune", help="Faithful conversion: keep every feature, the bigram set and float64 weights."),
    verify: bool = typer.Option(False, help="Compare with the unpruned model: differing tokens on seeds + SIGHAN test texts, and word F1 against the SIGHAN gold; exit 1 when F1 drops by more than --max-f1-drop."),
    max_f1_drop: float = typer.Option(0.0005, help="Largest word-F1 loss (per SIGHAN test set) that --verify accepts."),
    sighan_dir: Path = typer.Option(DEFAULT_SIGHAN, help="Directory with pku_test.utf8 / msr_test.utf8 for --verify (read only)."),
) -> None:
    """Download/verify/convert/shrink pkuseg's news model and save the segmenter pipeline."""
    t0 = time.perf_counter()
    src = _obtain_sdist(sdist, cache)
    eps = None if no_prune else prune
    with tempfile.TemporaryDirectory(prefix="zhnews-seg-") as tmp:
        model_dir = Path(tmp) / "converted"
        console.print(f"converting (prune={eps}) ...")
        report = pm.convert_model(src, model_dir, prune=eps)
        console.print(json.dumps(report.as_dict(), indent=1))

        nlp = build_segmenter_pipeline(model_dir)
        nlp.meta["name"] = "zh"
        nlp.meta.setdefault("sources", []).append(
            {"name": "pkuseg 0.0.25 default (news) model", "url": pm.SDIST_URL, "sha256": pm.SDIST_SHA256}
        )
        nlp.meta["zhnews_segmenter"] = report.as_dict()
        if output.exists():
            shutil.rmtree(output)
        nlp.to_disk(output)

        size = _dir_size(output / "tokenizer")
        console.print(f"wrote {output}; tokenizer/ = {size / 2**20:.1f} MiB "
                      f"({'within' if size <= COMMIT_LIMIT_BYTES else 'OVER'} the 40 MiB commit limit)")

        if verify:
            import spacy

            from zhnews.segment import tokenizer as _tok  # noqa: F401  (registers the tokenizer)

            full_dir = Path(tmp) / "full"
            console.print("converting the unpruned reference model ...")
            pm.convert_model(src, full_dir, prune=None)
            ref = load_pkuseg(full_dir)
            loaded = spacy.load(output).tokenizer.pkuseg_seg
            texts = verification_texts(sighan_dir)
            diffs = count_differences(ref, loaded, texts)
            total = 0
            for name, (d, n) in diffs.items():
                console.print(f"  {name:28s} {d:6d} differing of {n:7d} tokens")
                total += d
            console.print(f"verify: {total} differing tokens")
            reference_f1, pruned_f1 = word_f1(ref, sighan_dir), word_f1(loaded, sighan_dir)
            worse = []
            for name, f1 in pruned_f1.items():
                console.print(f"  {name} word F1: unpruned {reference_f1[name]:.5f}, pruned {f1:.5f}")
                if reference_f1[name] - f1 > max_f1_drop:
                    worse.append(name)
            if not pruned_f1:
                console.print(f"verify: no SIGHAN gold in {sighan_dir}; only the differences above were measured")
            if worse:
                console.print(f"verify: word F1 dropped by more than {max_f1_drop} on {', '.join(worse)}")
                raise typer.Exit(1)
    console.print(f"done in {time.perf_counter() - t0:.0f}s")


if __name__ == "__main__":
    app()
