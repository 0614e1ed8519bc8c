#!/usr/bin/env python
"""Fingerprints of `zhnews run`'s records on the seeds and the gold texts, to show that a
refactoring changed no output byte.

    python scripts/check_records.py --save /tmp/before.json        # on the old code
    python scripts/check_records.py --against /tmp/before.json     # on the new code: exit 1 on any change

Runs the CLI as a user would (a fresh process, the committed pipeline unless --model): the
seeds as files, and the text of every gold example (seed gold, news gold, all splits) as one
JSONL input. A record's fingerprint is the sha256 of its JSON line.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ZHNEWS = Path(sys.executable).parent / "zhnews"


def gold_texts() -> list[dict]:
    from zhnews.gold.format import gold_files, load_gold

    rows = []
    for folder in (ROOT / "annotations" / "gold", ROOT / "annotations" / "news" / "gold"):
        for path in gold_files(folder):
            rows += [{"id": f"{path.relative_to(ROOT)}:{n}", "text": example.text}
                     for n, example in enumerate(load_gold(path), 1)]
    return rows


def fingerprints(model: Path | None, log) -> dict[str, str]:
    """Inputs are named as a user in the repository would name them (``seeds``, stdin), so
    records' ``source`` fields do not depend on where the check runs."""
    out: dict[str, str] = {}
    with tempfile.TemporaryDirectory() as tmp:
        gold = Path(tmp) / "gold-texts.jsonl"
        gold.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in gold_texts()), encoding="utf-8")
        for name, inputs, stdin in (("seeds", ["seeds"], None), ("gold", ["-"], gold)):
            records = Path(tmp) / f"{name}.jsonl"
            command = [str(ZHNEWS), "run", *inputs, "-o", str(records), *(["--model", str(model)] if model else [])]
            log(f"running: {' '.join(command)}")
            with (stdin.open("rb") if stdin else open("/dev/null", "rb")) as feed:
                done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, stdin=feed)
            if done.returncode != 0:
                sys.exit(f"zhnews run failed ({done.returncode}):\n{done.stderr[-3000:]}")
            for line in records.read_text(encoding="utf-8").splitlines():
                record = json.loads(line)
                key = f"{name}:{record['source']}:{record['id']}"
                out[key] = hashlib.sha256(line.encode("utf-8")).hexdigest()
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--save", type=Path, help="write the fingerprints here")
    group.add_argument("--against", type=Path, help="compare with fingerprints saved earlier; exit 1 on any difference")
    parser.add_argument("--model", type=Path, default=None, help="pipeline to run (default: the committed one)")
    args = parser.parse_args(argv)

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    current = fingerprints(args.model, log)
    if args.save:
        args.save.write_text(json.dumps(current, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        log(f"{len(current)} record fingerprints written to {args.save}")
        return 0
    saved = json.loads(args.against.read_text(encoding="utf-8"))
    changed = sorted(k for k in saved.keys() & current.keys() if saved[k] != current[k])
    missing, new = sorted(saved.keys() - current.keys()), sorted(current.keys() - saved.keys())
    for label, keys in (("changed", changed), ("missing", missing), ("new", new)):
        for key in keys[:20]:
            print(f"{label}: {key}")
    same = len(saved) - len(changed) - len(missing)
    print(f"{same} of {len(saved)} records byte-identical; {len(changed)} changed, {len(missing)} missing, {len(new)} new")
    return 1 if changed or missing or new else 0


if __name__ == "__main__":
    sys.exit(main())
