"""Turn an annotator's mention list into gold JSONL, computing every offset with code.

Annotators (people or helper agents) name entities by their text and which
occurrence in the example's text they are, never by counting characters::

    {"id": 2005, "entities": [["e1", "ORG", "西电常变", 1], ["e2", "MONEY", "3亿元", 1]],
     "relations": [["e1", "e2", "INVESTMENT"]]}

``nth`` counts occurrences of that exact string in the example text from 1
(overlapping occurrences included). Examples not listed keep no annotations.
The result is validated with the gold validator; every problem is printed.

    python scripts/mentions_to_gold.py SKELETON.jsonl MENTIONS.jsonl -o OUT.jsonl
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from zhnews.gold.format import GoldEntity, GoldExample, GoldRelation, dump_examples, load_gold  # noqa: E402
from zhnews.gold.validate import validate_examples  # noqa: E402


def find_nth(text: str, needle: str, nth: int) -> int:
    pos = -1
    for _ in range(nth):
        pos = text.find(needle, pos + 1)
        if pos < 0:
            return -1
    return pos


def convert(examples: list[GoldExample], mention_lines: list[str], where: str = "mentions") -> list[str]:
    """Fill ``examples`` (in place) from mention-list lines; returns the problems found."""
    by_id = {str(e.id): e for e in examples}
    errors = []
    next_entity, next_relation = 1, 1
    for e in examples:
        e.entities, e.relations = [], []
    for lineno, line in enumerate(mention_lines, start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as err:
            errors.append(f"{where}:{lineno}: not JSON: {err.msg}")
            continue
        example = by_id.get(str(item.get("id")))
        if example is None:
            errors.append(f"{where}:{lineno}: no example with id {item.get('id')}")
            continue
        keys = {}
        for entry in item.get("entities", []):
            try:
                key, label, text, nth = entry
                nth = int(nth)
            except (TypeError, ValueError):
                errors.append(f"{where}:{lineno}: example {example.id}: entity {entry!r} is not [key, label, text, nth]")
                continue
            start = find_nth(example.text, text, nth)
            if start < 0 or not text:
                errors.append(f"{where}:{lineno}: example {example.id}: {text!r} occurrence {nth} not found")
                continue
            if key in keys:
                errors.append(f"{where}:{lineno}: example {example.id}: key {key!r} used twice")
            keys[key] = next_entity
            example.entities.append(GoldEntity(next_entity, label, start, start + len(text)))
            next_entity += 1
        for entry in item.get("relations", []):
            try:
                head, tail, rel_type = entry
            except (TypeError, ValueError):
                errors.append(f"{where}:{lineno}: example {example.id}: relation {entry!r} is not [head, tail, type]")
                continue
            if head not in keys or tail not in keys:
                errors.append(f"{where}:{lineno}: example {example.id}: relation {head}->{tail} names an unknown key")
                continue
            example.relations.append(GoldRelation(next_relation, keys[head], keys[tail], rel_type))
            next_relation += 1
    return errors


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("skeleton", type=Path, help="gold JSONL with text and meta (annotations ignored)")
    parser.add_argument("mentions", type=Path, help="mention list JSONL as above")
    parser.add_argument("-o", "--output", type=Path, required=True)
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parent.parent)
    args = parser.parse_args()

    examples = load_gold(args.skeleton)
    errors = convert(examples, args.mentions.read_text(encoding="utf-8").splitlines(), str(args.mentions))
    ordered = sorted(examples, key=lambda e: e.line)
    for problem in validate_examples(ordered, root=args.root):
        errors.append(f"example {problem.example_id}: {problem.message}")
    dump_examples(ordered, args.output)
    for error in errors:
        print(error, file=sys.stderr)
    n_ent = sum(len(e.entities) for e in ordered)
    n_rel = sum(len(e.relations) for e in ordered)
    print(f"wrote {args.output}: {len(ordered)} examples, {n_ent} entities, {n_rel} relations, {len(errors)} problems")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
