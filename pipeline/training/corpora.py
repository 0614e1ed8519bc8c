"""Public annotated corpora (``../shared/corpora``) → ORG training sentences in our conventions.

The corpora are read from a path given at training time and never copied into
the repository. Their labels are mapped onto the schema's ``ORG`` as
``SOURCES.md`` describes, and their conventions are brought closer to ours:

* development zones and industrial parks, which they label as places, become ORG;
* bare generic references (政府, 法院, 公司 …), which the schema excludes, become outside;
* CLUENER ``organization`` (mostly sports teams) is ORG only for named institutions
  (…协会, …研究所, …基金会 …) and *missing* otherwise, so it teaches nothing either way;
* weakly labelled sources (FinRE pairs, CCF-BDCI entity lists) mark the known names
  and leave every other character missing, not outside.

MONEY and YEAR are not predicted by the statistical model (exact rules do that),
so sentences whose amounts and years are unlabelled teach nothing false.
All text goes through the project's normalizer first, as at run time.
"""

from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from ..labels import ORG
from ..normalize import normalize
from ..words import ZONE_SUFFIX

MISSING = "-"

INSTITUTION_SUFFIX = re.compile(r"(协会|学会|商会|联合会|研究所|研究院|研究中心|基金会|委员会|大学|学院|医院|银行|公司|集团|中心|实验室|联盟|组织|署|部|局|厅|委|办|社|台|报)$")
GENERIC = {
    "政府", "市政府", "省政府", "区政府", "县政府", "人民政府", "法院", "部队", "军队", "警方", "警署", "监管部门",
    "有关部门", "相关部门", "市委", "区委", "县委", "省委", "党委", "公司", "集团", "企业", "银行", "工厂", "学校",
    "医院", "大学", "中心", "协会", "管委会", "海军", "空军", "陆军", "政府部门", "当局", "国会", "议会", "本报", "新华社记者",
}


@dataclass
class CorpusSentence:
    """Normalized text with ORG spans and (optionally) spans whose labels are unknown."""

    text: str
    source: str
    orgs: list[tuple[int, int]] = field(default_factory=list)
    missing: list[tuple[int, int]] = field(default_factory=list)
    #: place names (for the place-name list only; never labels)
    places: list[tuple[int, int]] = field(default_factory=list)
    #: True when characters outside the listed spans are unknown, not "outside"
    partial: bool = False


def _normalized(text: str, source: str, orgs, missing=(), partial=False, places=()) -> CorpusSentence | None:
    norm = normalize(text).mapped
    if not norm.text.strip():
        return None
    def remap(spans):
        out = []
        for a, b in spans:
            span = norm.from_raw_span(a, b)
            if span:
                out.append(span)
        return out
    return CorpusSentence(norm.text, source, remap(orgs), remap(missing), places=remap(places), partial=partial)


def _classify(name: str, label: str) -> str | None:
    """ORG, MISSING or None (outside) for a corpus span, under our conventions."""
    if name in GENERIC:
        return None
    if label in ("company", "government", "ORG"):
        return ORG
    if label == "organization":
        return ORG if INSTITUTION_SUFFIX.search(name) else MISSING
    if label in ("address", "scene", "LOC") and ZONE_SUFFIX.search(name):
        return ORG
    return None


def read_cluener(path: Path) -> Iterator[CorpusSentence]:
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        data = json.loads(line)
        orgs, missing, places = [], [], []
        for label, names in data.get("label", {}).items():
            for name, spans in names.items():
                kind = _classify(name, label)
                for start, end_inclusive in spans:
                    span = (start, end_inclusive + 1)
                    if kind == ORG:
                        orgs.append(span)
                    elif kind == MISSING:
                        missing.append(span)
                    elif label == "address":
                        places.append(span)
        sentence = _normalized(data["text"], f"{path.name}:{lineno}", orgs, missing, places=places)
        if sentence:
            yield sentence


def _tagged_sentences(lines: Iterator[list[tuple[str, str]]], source: str) -> Iterator[CorpusSentence]:
    for number, pairs in enumerate(lines, start=1):
        chars = [c for c, _ in pairs]
        text = "".join(chars)
        orgs, start, label = [], None, None
        spans = []
        for i, (_, tag) in enumerate(pairs + [("", "O")]):
            prefix, _, kind = tag.partition("-")
            if start is not None and prefix not in ("I", "M", "E"):
                spans.append((start, i, label))
                start = None
            if prefix in ("B", "S"):
                start, label = i, kind
            if prefix in ("E", "S") and start is not None:
                spans.append((start, i + 1, label))
                start = None
        places = []
        for a, b, kind in spans:
            if _classify(text[a:b], kind) == ORG:
                orgs.append((a, b))
            elif kind in ("LOC", "LOCATION", "GPE"):
                places.append((a, b))
        sentence = _normalized(text, f"{source}:{number}", orgs, places=places)
        if sentence:
            yield sentence


def _char_tag_blocks(path: Path, separator: str | None) -> Iterator[list[tuple[str, str]]]:
    block: list[tuple[str, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split(separator) if separator else line.split()
        if len(parts) < 2:
            if block:
                yield block
            block = []
            continue
        block.append((parts[0], parts[-1]))
    if block:
        yield block


def read_bio(path: Path) -> Iterator[CorpusSentence]:
    """People's Daily (space) and MSRA test (tab) char-per-line BIO, Resume BMES."""
    yield from _tagged_sentences(_char_tag_blocks(path, None), path.name)


def read_msra_val(sentences: Path, tags: Path) -> Iterator[CorpusSentence]:
    def blocks():
        for chars, tagline in zip(sentences.read_text(encoding="utf-8").splitlines(), tags.read_text(encoding="utf-8").splitlines()):
            c, t = chars.split(), tagline.split()
            if c and len(c) == len(t):
                yield list(zip(c, t))
    yield from _tagged_sentences(blocks(), sentences.name)


def read_finre(path: Path) -> Iterator[CorpusSentence]:
    """Each sentence once, with every occurrence of its head and tail names as ORG."""
    names_by_sentence: dict[str, set[str]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) == 4:
            names_by_sentence.setdefault(parts[3], set()).update(parts[:2])
    for number, (text, names) in enumerate(names_by_sentence.items(), start=1):
        yield from _weak(text, names, f"{path.name}:{number}")


def read_ccf(path: Path) -> Iterator[CorpusSentence]:
    with path.open(encoding="utf-8", newline="") as stream:
        for row in csv.DictReader(stream):
            names = {n.strip() for n in (row.get("unknownEntities") or "").split(";") if len(n.strip()) >= 2}
            text = (row.get("text") or "").strip()
            if names and text:
                for number, piece in enumerate(re.split(r"(?<=[。！？!?])", text)):
                    if any(n in piece for n in names) and 8 <= len(piece) <= 300:
                        yield from _weak(piece, names, f"{path.name}:{row['id']}:{number}")


def _weak(text: str, names: set[str], source: str) -> Iterator[CorpusSentence]:
    spans = []
    for name in sorted(names, key=len, reverse=True):
        if name in GENERIC:
            continue
        for match in re.finditer(re.escape(name), text):
            if not any(a < match.end() and match.start() < b for a, b in spans):
                spans.append(match.span())
    sentence = _normalized(text, source, sorted(spans), partial=True)
    if sentence and sentence.orgs:
        yield sentence


#: corpus name -> function(corpora_dir) yielding sentences
READERS = {
    "cluener": lambda d: read_cluener(d / "cluener2020" / "train.json"),
    "cluener_dev": lambda d: read_cluener(d / "cluener2020" / "dev.json"),
    "msra": lambda d: _chain(read_bio(d / "msra_ner" / "msra_test_bio.txt"),
                             read_msra_val(d / "msra_ner" / "val_sentences.txt", d / "msra_ner" / "val_tags.txt")),
    "peoples_daily": lambda d: _chain(read_bio(d / "peoples_daily_ner" / "example.dev"), read_bio(d / "peoples_daily_ner" / "example.test")),
    "resume": lambda d: read_bio(d / "resume_ner" / "train.char.bmes"),
    "finre": lambda d: read_finre(d / "finre" / "train.txt"),
    "ccf": lambda d: read_ccf(d / "ccf_bdci2019_fin_entity" / "Train_Data.csv"),
}


def _chain(*iterators):
    for iterator in iterators:
        yield from iterator


def read_corpus(name: str, corpora_dir: str | Path) -> Iterator[CorpusSentence]:
    if name not in READERS:
        raise KeyError(f"unknown corpus {name!r}; known: {', '.join(READERS)}")
    return READERS[name](Path(corpora_dir))


def collect_names(sentences: list[CorpusSentence]) -> dict[str, list[str]]:
    """The organization-name and place-name lists for ``zhnews_lexicon``."""
    orgs = {s.text[a:b] for s in sentences for a, b in s.orgs}
    places = {s.text[a:b] for s in sentences for a, b in s.places} - orgs
    return {"org": sorted(n for n in orgs if len(n) >= 2), "place": sorted(n for n in places if len(n) >= 2)}
