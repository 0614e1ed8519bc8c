"""Choose the real-news passages of the news gold and their split (build time, run once).

Reads the unlabeled news of ``CORPORA/news/*.jsonl`` and the unlabeled CCF-BDCI test texts,
cuts one passage per source record (the densest run of consecutive lines in organizations,
amounts and years, 600-1,100 characters, or the whole record when shorter), drops passages that share text with the
maintainers' held-out set or repeat an already chosen passage, groups near-duplicates
(character 10-gram containment) into one story, and assigns whole stories to train, dev and
test, stratified by source. Density is measured with surface cues (amount and year patterns,
organization suffixes), never with a model, so the annotators' first pass inherits nothing
from the pipeline.

    python scripts/select_news.py --corpora ../shared/corpora -o annotations/news/selection.json

The output lists every passage with its source file, source id, licence, raw offsets into the
record's text, story cluster and split; ``scripts/news_skeleton.py`` turns it into paragraph
examples. Deterministic for a seed.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import importlib.util
import json
import random
import re
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from zhnews.ner.rules import find_money, find_years  # noqa: E402
from zhnews.relations.features import AMOUNT_CUE_WINDOW, AMOUNT_CUES  # noqa: E402

#: records per source; the short-item sources need more to weigh as much.
QUOTAS = {
    "news/qipeijun_rss_finance.jsonl": 95,
    "news/datareactor_stock_crawl.jsonl": 35,
    "news/bbt_finna.jsonl": 60,
    "news/bbt_finnl.jsonl": 45,
    "news/bbt_finqa_dueefin.jsonl": 40,
    "news/wwwxmu_company_news.jsonl": 45,
    "news/dcfee_freeze_announcements.jsonl": 8,
    "news/wind_lujiazui_digest.jsonl": 35,
    "news/thucnews_cnews_subset.jsonl": 15,
    "ccf_bdci2019_fin_entity/Test_Data.csv": 30,
}
#: SOURCES.md's licence column, per file.
LICENCES = {
    "news/qipeijun_rss_finance.jsonl": "repo README says MIT, no LICENSE file; text (c) the outlets",
    "news/datareactor_stock_crawl.jsonl": "unstated; text (c) Sina Finance / Eastmoney",
    "news/bbt_finna.jsonl": "unstated (BBT-FinCUGE); text (c) the outlets",
    "news/bbt_finnl.jsonl": "unstated (BBT-FinCUGE); text (c) the outlets",
    "news/bbt_finqa_dueefin.jsonl": "unstated (BBT-FinCUGE, DuEE-fin documents); text (c) the outlets",
    "news/wwwxmu_company_news.jsonl": "unstated; text (c) the outlets",
    "news/dcfee_freeze_announcements.jsonl": "unstated (cite DCFEE, ACL 2018); public announcements",
    "news/wind_lujiazui_digest.jsonl": "theme MIT; the Wind text has no content licence",
    "news/thucnews_cnews_subset.jsonl": "THUCNews terms (research use)",
    "ccf_bdci2019_fin_entity/Test_Data.csv": "unstated (CCF BDCI 2019 competition data, research use)",
}
SPLIT_SHARES = {"test": 0.34, "dev": 0.27, "train": 0.39}
MIN_CHARS, MAX_CHARS = 600, 1100
SHINGLE = 10
#: a shared run this long is a shared sentence, not a shared name (as tests/test_news_gold.py counts)
EVALUATION_RUN = 13

_ORG_CUE = re.compile(
    r"公司|集团|银行|证券|基金|资本|创投|投资|控股|股份|科技|实业|保险|信托|交易所|开发区|高新区|经开区|产业园|工业园"
    r"|研究院|研究所|大学|协会|委员会|管委会|[部局厅署]|基地|工厂|中心"
)
_ZONE = re.compile(r"开发区|高新区|经开区|产业园|工业园|新区|保税区")


def density(text: str) -> tuple[float, int, int, int]:
    """Surface cues per 1,000 characters (amounts weigh double), and their counts."""
    money, years = len(find_money(text)), len(find_years(text))
    orgs = len(_ORG_CUE.findall(text))
    score = (2 * money + years + orgs) * 1000 / max(len(text), 1)
    if _ZONE.search(text):
        score *= 1.5  # the seeds' genre, scarce in these sources
    return score, money, years, orgs


def best_passage(text: str) -> tuple[int, int] | None:
    """The densest run of whole lines (or sentences of one long line) within the length bounds."""
    units = []  # (start, end) of lines, long lines cut into sentences
    for match in re.finditer(r"[^\n]+", text):
        start, end = match.span()
        if end - start <= MAX_CHARS:
            units.append((start, end))
            continue
        piece_start = start
        for sentence_end in re.finditer(r"[。！？!?]”?", text[start:end]):
            stop = start + sentence_end.end()
            if stop - piece_start >= MAX_CHARS // 2:
                units.append((piece_start, stop))
                piece_start = stop
        if end - piece_start > 0:
            units.append((piece_start, end))
    best, best_score = None, 0.0
    for i in range(len(units)):
        for j in range(i, len(units)):
            start, end = units[i][0], units[j][1]
            if end - start > MAX_CHARS:
                break
            if end - start < MIN_CHARS and not (i == 0 and j == len(units) - 1):
                continue
            score, money, _, orgs = density(text[start:end])
            if money >= 1 and orgs >= 2 and score > best_score:
                best, best_score = (start, end), score
    return best


def records(corpora: Path, relative: str):
    path = corpora / relative
    if path.suffix == ".csv":
        csv.field_size_limit(1 << 30)
        with path.open(encoding="utf-8", newline="") as stream:
            for row in csv.DictReader(stream):
                # most of these texts lost their digits upstream (涉及金额约亿元): keep those that did not
                if row.get("text") and re.search(r"\d+(?:\.\d+)?[万亿]?元", row["text"]):
                    yield f"ccf_bdci_test:{row['id']}", row["text"]
        return
    with path.open(encoding="utf-8") as stream:
        for line in stream:
            record = json.loads(line)
            yield record["id"], record["text"]


def load_overlap(corpora: Path):
    """``windows`` and the fingerprint set of ``../heldout/overlap.py``, beside the corpora."""
    script = corpora.parent / "heldout" / "overlap.py"
    spec = importlib.util.spec_from_file_location("heldout_overlap", script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    known = set((script.parent / "fingerprints.txt").read_text().split())
    return module, known


def shingles(text: str, width: int = SHINGLE) -> set[str]:
    s = "".join(unicodedata.normalize("NFKC", text).split())
    return {s[i:i + width] for i in range(max(len(s) - width + 1, 1))}


def containment(a: set[str], b: set[str]) -> float:
    """How much of the smaller of two passages' shingle sets the other holds."""
    return len(a & b) / min(len(a), len(b))


def shares_evaluation_text(passage: str, evaluation_runs: set[str]) -> bool:
    """Whether more than 5 % of a passage's 13-character runs occur in a dev or test passage:
    a rewrite of an evaluation story below the story containment threshold (round 2 found
    three by hand, at 12-16 %)."""
    own = shingles(passage, EVALUATION_RUN)
    return len(own & evaluation_runs) > 0.05 * len(own)


def shares_heldout_text(passage: str, overlap, known: set[str]) -> bool:
    return sum(1 for w in overlap.windows(passage) if w in known) >= overlap.MIN_SHARED


def passage_record(relative: str, source_id: str, span: tuple[int, int], passage: str, score: float) -> dict:
    return {"source": relative, "source_id": source_id, "licence": LICENCES[relative],
            "raw_start": span[0], "raw_end": span[1], "chars": span[1] - span[0], "density": round(score, 1),
            "sha256": hashlib.sha256(passage.encode("utf-8")).hexdigest()}


def cued_amounts(passage: str, kind: str) -> int:
    """How many amounts of ``passage`` have a cue word of ``kind`` (``words.json`` ``amount_cues``:
    invest, revenue, funding) anywhere in the :data:`AMOUNT_CUE_WINDOW` characters before them
    (a looser test than the relation features', which take the nearest cue: round 7 was chosen so)."""
    cues = AMOUNT_CUES[kind]
    return sum(any(cue in passage[max(0, amount.start - AMOUNT_CUE_WINDOW):amount.start] for cue in cues)
               for amount in find_money(passage))


def candidate_pool(corpora: Path, relative: str, quota: int, cue: str | None = None) -> list[tuple[float, str, tuple[int, int], str]]:
    """The densest ``3 x quota`` passages of a source, one per record, densest first
    (with ``cue``: only passages where at least two amounts have a cue of that kind)."""
    candidates = []
    for source_id, text in records(corpora, relative):
        span = best_passage(text)
        if span is None:
            continue
        passage = text[span[0]:span[1]]
        if cue is not None and cued_amounts(passage, cue) < 2:
            continue
        score, money, years, orgs = density(passage)
        # denser first, but a short item weighs less than a passage of a few paragraphs
        candidates.append((score * min(len(passage), 800) ** 0.5 / 800 ** 0.5, source_id, span, passage))
    candidates.sort(key=lambda c: (-c[0], c[1]))
    return candidates[: max(quota * 3, 1)]  # dense, but not only the very densest


def extend(corpora: Path, output: Path, share: float, seed: int, cue: str | None = None) -> int:
    """More training passages for an existing selection (a later annotation round)."""
    selection = json.loads(output.read_text(encoding="utf-8"))
    documents = selection["documents"]
    round_number = 1 + max(d.get("round", 1) for d in documents)
    taken_records = {(d["source"], d["source_id"]) for d in documents}
    texts = {}
    for relative in {d["source"] for d in documents}:
        wanted = {d["source_id"] for d in documents if d["source"] == relative}
        texts |= {(relative, sid): text for sid, text in records(corpora, relative) if sid in wanted}
    passages = [texts[(d["source"], d["source_id"])][d["raw_start"]:d["raw_end"]] for d in documents]
    old_shingles = [shingles(passage) for passage in passages]
    evaluation_runs = set().union(*(shingles(passage, EVALUATION_RUN)
                                    for passage, d in zip(passages, documents) if d["split"] != "train"))
    overlap, known = load_overlap(corpora)
    rng = random.Random(f"{seed}-{round_number}")
    number = 1 + max(d["number"] for d in documents)
    added, new_shingles = [], []
    abbrev = {d["source"]: d["doc_id"].split("_", 1)[1] for d in documents}
    for relative, quota in QUOTAS.items():
        want = max(1, round(quota * share))
        pool = [c for c in candidate_pool(corpora, relative, quota + want, cue) if (relative, c[1]) not in taken_records]
        rng.shuffle(pool)
        taken = 0
        for score, source_id, span, passage in pool:
            if taken == want:
                break
            if shares_heldout_text(passage, overlap, known):
                continue
            grams = shingles(passage)
            if any(containment(grams, other) > 0.25 for other in old_shingles):
                continue  # the same story as a chosen passage: it could join train to dev or test
            if any(containment(grams, other) > 0.6 for other in new_shingles):
                continue
            if shares_evaluation_text(passage, evaluation_runs):
                continue
            added.append(passage_record(relative, source_id, span, passage, score)
                         | {"cluster": f"r{round_number}-{number}", "number": number,
                            "doc_id": f"n{number}_{abbrev[relative]}", "split": "train", "round": round_number})
            new_shingles.append(grams)
            number += 1
            taken += 1
        print(f"{relative}: {taken} of {want} added", file=sys.stderr)
    selection["documents"] = documents + added
    selection.setdefault("rounds", {})[str(round_number)] = {"share": share, "documents": len(added)} | ({"cue": cue} if cue else {})
    temporary = output.with_suffix(".json.tmp")
    temporary.write_text(json.dumps(selection, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    temporary.replace(output)
    print(f"round {round_number}: {len(added)} train documents, {sum(d['chars'] for d in added)} chars", file=sys.stderr)
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpora", type=Path, required=True, help="the shared corpora folder")
    parser.add_argument("-o", "--output", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=19)
    parser.add_argument("--extend", type=float, metavar="SHARE", default=None,
                        help="add SHARE x each source's quota of new passages to the existing selection -o, all "
                             "to the train split: records not chosen before, no story shared with a chosen "
                             "passage of any split (containment > 0.25) and at most 5 %% of a passage's "
                             "13-character runs in a dev or test passage, so dev and test stay unseen")
    parser.add_argument("--cue", choices=sorted(AMOUNT_CUES), default=None,
                        help="with --extend: only passages where at least two amounts have a cue word of this kind "
                             "before them (words.json amount_cues), for a round aimed at one relation type")
    args = parser.parse_args()
    if args.cue and args.extend is None:
        parser.error("--cue only applies to --extend")
    if args.extend is not None:
        return extend(args.corpora, args.output, args.extend, args.seed, args.cue)
    if args.output.exists():
        print(f"{args.output} exists: the selection is made once (delete it to redo)", file=sys.stderr)
        return 2
    overlap, known = load_overlap(args.corpora)
    rng = random.Random(args.seed)
    chosen, chosen_shingles = [], []
    for relative, quota in QUOTAS.items():
        pool = candidate_pool(args.corpora, relative, quota)
        rng.shuffle(pool)
        taken = 0
        for score, source_id, span, passage in pool:
            if taken == quota:
                break
            if shares_heldout_text(passage, overlap, known):
                continue
            grams = shingles(passage)
            if any(containment(grams, other) > 0.6 for other in chosen_shingles):
                continue  # a repost of a story already chosen: annotate it once
            chosen.append(passage_record(relative, source_id, span, passage, score))
            chosen_shingles.append(grams)
            taken += 1
        print(f"{relative}: {taken} of {quota}", file=sys.stderr)

    # near-duplicate stories (containment > 0.25) form one cluster, assigned to one split
    parent = list(range(len(chosen)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(len(chosen)):
        for j in range(i):
            if containment(chosen_shingles[i], chosen_shingles[j]) > 0.25:
                parent[find(i)] = find(j)
    for i, doc in enumerate(chosen):
        doc["cluster"] = find(i)

    by_source: dict[str, list[int]] = {}
    for cluster in sorted({d["cluster"] for d in chosen}):
        first = next(d for d in chosen if d["cluster"] == cluster)
        by_source.setdefault(first["source"], []).append(cluster)
    split_of = {}
    for source, clusters in by_source.items():
        rng.shuffle(clusters)
        total = sum(d["chars"] for d in chosen if d["source"] == source)
        filled = {s: 0 for s in SPLIT_SHARES}
        for cluster in clusters:
            size = sum(d["chars"] for d in chosen if d["cluster"] == cluster)
            split = min(SPLIT_SHARES, key=lambda s: (filled[s] / (SPLIT_SHARES[s] * total), list(SPLIT_SHARES).index(s)))
            split_of[cluster] = split
            filled[split] += size
    abbrev = {r: Path(r).stem.split("_")[0] if not r.startswith("ccf") else "ccf" for r in QUOTAS}
    abbrev["news/bbt_finna.jsonl"], abbrev["news/bbt_finnl.jsonl"] = "finna", "finnl"
    abbrev["news/bbt_finqa_dueefin.jsonl"] = "dueefin"
    for number, doc in enumerate(chosen, start=1000):
        doc["number"] = number
        doc["doc_id"] = f"n{number}_{abbrev[doc['source']]}"
        doc["split"] = split_of[doc["cluster"]]
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps({"seed": args.seed, "documents": chosen}, ensure_ascii=False, indent=1) + "\n",
                           encoding="utf-8")
    for split in SPLIT_SHARES:
        docs = [d for d in chosen if d["split"] == split]
        print(f"{split}: {len(docs)} documents, {sum(d['chars'] for d in docs)} chars, "
              f"{len({d['source'] for d in docs})} sources", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
