"""Unannotated paragraph examples of the news gold's passages (build time).

For every passage of ``annotations/news/selection.json`` the raw passage (the record's text at
``[raw_start, raw_end)``) is normalized as ``zhnews run`` normalizes a document and cut into
one example per paragraph; ``meta`` keeps the source file, source id, licence and the raw
span of each paragraph in the record's text, so every gold offset points into the original.

    python scripts/news_skeleton.py --corpora ../shared/corpora -o annotations/news/skeleton

An existing skeleton file is never overwritten.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from zhnews.gold.corpus import corpus_record_text  # noqa: E402
from zhnews.gold.format import GoldExample, dump_examples  # noqa: E402
from zhnews.gold.paragraphs import ID_STRIDE  # noqa: E402
from zhnews.normalize import normalize  # noqa: E402


def passage_examples(doc: dict, record_text: str) -> list[GoldExample]:
    raw = record_text[doc["raw_start"]:doc["raw_end"]]
    norm = normalize(raw)
    examples = []
    for number, (start, end) in enumerate(norm.paragraphs()):
        raw_start, raw_end = norm.raw_span(start, end)
        examples.append(GoldExample(
            id=doc["number"] * ID_STRIDE + number,
            text=norm.text[start:end],
            meta={"source": f"corpora/{doc['source']}", "source_id": doc["source_id"], "licence": doc["licence"],
                  "doc_id": doc["doc_id"], "paragraph": number,
                  "raw_start": doc["raw_start"] + raw_start, "raw_end": doc["raw_start"] + raw_end},
        ))
    return examples


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpora", type=Path, required=True)
    parser.add_argument("--selection", type=Path, default=ROOT / "annotations/news/selection.json")
    parser.add_argument("-o", "--output", type=Path, required=True)
    args = parser.parse_args()
    documents = json.loads(args.selection.read_text(encoding="utf-8"))["documents"]
    written = 0
    for doc in documents:
        target = args.output / f"{doc['doc_id']}.jsonl"
        if target.exists():
            continue
        text = corpus_record_text(args.corpora, f"corpora/{doc['source']}", doc["source_id"])
        dump_examples(passage_examples(doc, text), target)
        written += 1
    print(f"{written} skeleton files written to {args.output} ({len(documents) - written} existed)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
