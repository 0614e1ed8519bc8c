#!/usr/bin/env python
"""Silver ORG data for self-training (issue #21): paragraphs of unlabeled real news tagged by
two differently trained pipelines, kept where both agree exactly on every ORG.

    python scripts/build_silver.py --corpora ../shared/corpora --model A --model B \\
        --out ~/.cache/zhnews/silver.jsonl [--paragraphs 4000] [--seed 0]

Build time only. The output holds corpus text, so it is written outside the repository (never
commit it); `zhnews train --silver PATH` trains on it once per epoch (not repeated like the gold).

What keeps the evaluation honest:
* no paragraph shares a 13-character run with any document of the news gold (any split) or the
  seed gold: self-training never sees the text it is scored on, nor a repost of it;
* ``../shared/heldout/overlap.py`` must pass on the output (run it; `zhnews train` does not);
* only ORG spans are written (MONEY and YEAR are rules); a paragraph where the two pipelines
  disagree on any ORG, or where neither finds one, is left out: agreement between models trained
  differently stands in for the confidence a transition-based NER does not give.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SHINGLE = 13
MIN_CHARS, MAX_CHARS = 40, 600


def _shingles(text: str) -> set[str]:
    s = "".join(unicodedata.normalize("NFKC", text).split())
    return {s[i:i + SHINGLE] for i in range(len(s) - SHINGLE + 1)}


def gold_shingles() -> set[str]:
    from zhnews.gold.format import load_gold

    grams: set[str] = set()
    for folder in (ROOT / "annotations" / "news" / "gold", ROOT / "annotations" / "gold"):
        for path in sorted(folder.glob("*.jsonl")):
            for example in load_gold(path):
                grams |= _shingles(example.text)
    return grams


def paragraphs(corpora: Path, excluded: set[str], log) -> list[dict]:
    """Normalized paragraphs of the news corpus that share no run with the gold."""
    from zhnews.normalize import normalize, paragraph_spans

    out, dropped, seen = [], 0, set()
    for path in sorted((corpora / "news").glob("*.jsonl")):
        with path.open(encoding="utf-8") as lines:
            for line in lines:
                record = json.loads(line)
                normalized = normalize(record.get("text") or "")
                text = normalized.text
                for start, end in paragraph_spans(text):
                    paragraph = text[start:end]
                    if not MIN_CHARS <= len(paragraph.strip()) <= MAX_CHARS or paragraph.strip() != paragraph:
                        continue
                    if paragraph in seen:  # a repost: one copy is enough
                        continue
                    if _shingles(paragraph) & excluded:
                        dropped += 1
                        continue
                    seen.add(paragraph)
                    raw_start, raw_end = normalized.raw_span(start, end)
                    out.append({"text": paragraph, "source": f"corpora/news/{path.name}", "source_id": record.get("id", ""),
                                "raw_start": raw_start, "raw_end": raw_end})
        log(f"{path.name}: {len(out)} paragraphs so far ({dropped} left out for sharing text with the gold)")
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpora", type=Path, required=True, help="the public corpora folder (../shared/corpora)")
    parser.add_argument("--model", type=Path, action="append", required=True, help="a trained pipeline (give two)")
    parser.add_argument("--out", type=Path, required=True, help="silver JSONL to write (outside the repository)")
    parser.add_argument("--paragraphs", type=int, default=4000, help="paragraphs sampled before the agreement filter")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    if len(args.model) != 2:
        parser.error("give --model twice: silver is where two pipelines agree")
    if args.out.resolve().is_relative_to(ROOT):
        parser.error(f"{args.out} is inside the repository: silver holds corpus text, keep it outside")

    import spacy

    import zhnews.components  # noqa: F401

    log = lambda message: print(message, file=sys.stderr, flush=True)  # noqa: E731
    started = time.perf_counter()
    pool = paragraphs(args.corpora, gold_shingles(), log)
    random.Random(args.seed).shuffle(pool)
    sample = pool[: args.paragraphs]
    tagged = []
    for model in args.model:
        nlp = spacy.load(model, exclude=["relation_extractor"])
        tagged.append([{(e.start_char, e.end_char) for e in doc.ents if e.label_ == "ORG"}
                       for doc in nlp.pipe((p["text"] for p in sample), batch_size=64)])
        log(f"{model}: tagged {len(sample)} paragraphs")
    kept = 0
    args.out.parent.mkdir(parents=True, exist_ok=True)
    partial = args.out.with_name(args.out.name + ".partial")
    with partial.open("w", encoding="utf-8") as out:
        for n, (paragraph, first, second) in enumerate(zip(sample, *tagged)):
            if first != second or not first:
                continue
            entities = [{"id": i + 1, "label": "ORG", "start_offset": a, "end_offset": b}
                        for i, (a, b) in enumerate(sorted(first))]
            meta = {"source": paragraph["source"], "source_id": paragraph["source_id"], "raw_start": paragraph["raw_start"],
                    "raw_end": paragraph["raw_end"], "silver": True,
                    "doc_id": f"silver-{n}", "models": [str(m) for m in args.model]}
            out.write(json.dumps({"id": f"silver-{n}", "text": paragraph["text"], "entities": entities,
                                  "relations": [], "meta": meta}, ensure_ascii=False) + "\n")
            kept += 1
    partial.replace(args.out)
    log(f"wrote {kept} of {len(sample)} paragraphs (both pipelines agree on every ORG) to {args.out} "
        f"in {time.perf_counter() - started:.0f} s; now run ../shared/heldout/overlap.py {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
