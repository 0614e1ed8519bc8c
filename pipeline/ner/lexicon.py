"""``zhnews_lexicon``: name-list and suffix features for the NER, as token features.

Lists of organization names (from the public corpora: CLUENER companies and
governments, MSRA/People's Daily/Resume ORG, CCF-BDCI entity names, FinRE
heads and tails) and of place names are used as *features*, never as a
lookup table: the model learns how far to trust a match. Matches are found
on the word segmentation (sequences of up to ``max_words`` pkuseg words), so a
name is matched only where the segmenter agrees it starts and ends.

Each character token gets ``token.morph`` = ``Org=<BIES or O>|Loc=<…>|Suf=<0/1>``:
its position in the longest matching organization name, in the longest
matching place name, and whether its word ends with an organization suffix word
(公司, 集团, 经开区, 研究院 …; see :func:`suffix_kind`). Registry families (listed
companies, development zones, organization dictionaries: ``configs/registries.json``, read
from ``../shared/gazetteers`` by ``zhnews train --gazetteers``) add one more BIES feature each
(``Lst=…|Zon=…|Dic=…``), so the model learns how far to trust each source.
The lists are saved with the pipeline (msgpack).
"""

from __future__ import annotations

from typing import Iterable, Optional

import srsly
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import ensure_path

from ..segment.chars import word_spans
from ..words import words

DEFAULT_CONFIG = {"max_words": 5}

#: words that end an organization's name (pipeline/data/words.json); a NER feature: changing the
#: list changes what the trained model sees
ORG_SUFFIX_WORDS = frozenset(words("org_suffix_words"))


_LONGEST_SUFFIX = max(len(w) for w in ORG_SUFFIX_WORDS)


def suffix_kind(word: str) -> int:
    """2: the word ends with a multi-character suffix word (…有限公司, …工业园); 1: with a
    one-character one (…厅, …园) and is longer than it; 0: neither."""
    for size in range(min(len(word), _LONGEST_SUFFIX), 0, -1):
        if word[-size:] in ORG_SUFFIX_WORDS:
            if size > 1:
                return 2
            return 1 if len(word) > 1 else 0
    return 0


@Language.factory("zhnews_lexicon", default_config=DEFAULT_CONFIG, assigns=["token.morph"])
def make_lexicon(nlp: Language, name: str, max_words: int) -> "LexiconFeatures":
    return LexiconFeatures(name, max_words=max_words)


class LexiconFeatures:
    """Writes name-list and suffix-word features into ``token.morph``."""

    def __init__(self, name: str = "zhnews_lexicon", *, max_words: int = 5):
        self.name = name
        self.max_words = max_words
        self.org_names: set[str] = set()
        self.place_names: set[str] = set()
        #: registry family (``Lst``, ``Zon``, ``Dic``) -> names; empty when trained without registries
        self.registries: dict[str, set[str]] = {}

    def initialize(self, get_examples=None, *, nlp=None, names: Optional[str] = None) -> None:
        """Load the name lists written by ``zhnews train`` (msgpack ``{"org": [...], "place": [...],
        "registries": {family: [...]}}``; ``registries`` is optional)."""
        if names:
            data = srsly.read_msgpack(names)
            self.set_names(data["org"], data["place"], data.get("registries"))

    def set_names(self, org_names: Iterable[str], place_names: Iterable[str],
                  registries: Optional[dict[str, Iterable[str]]] = None) -> None:
        self.org_names = {n for n in org_names if len(n) >= 2}
        self.place_names = {n for n in place_names if len(n) >= 2}
        self.registries = {family: {n for n in names if len(n) >= 2} for family, names in sorted((registries or {}).items())}

    def _names_data(self) -> dict:
        return {"org": sorted(self.org_names), "place": sorted(self.place_names),
                "registries": {family: sorted(names) for family, names in self.registries.items()}}

    def __call__(self, doc: Doc) -> Doc:
        words = word_spans(doc)
        org = self._bies(doc, words, self.org_names)
        loc = self._bies(doc, words, self.place_names)
        families = [(family, self._bies(doc, words, names)) for family, names in self.registries.items()]
        for i, token in enumerate(doc):
            extra = "".join(f"|{family}={tags[i]}" for family, tags in families)
            token.set_morph(f"Loc={loc[i]}|Org={org[i]}|Suf={suffix_kind(token.lemma_)}{extra}")
        return doc

    def _bies(self, doc: Doc, words: list[tuple[int, int]], names: set[str]) -> list[str]:
        """Per token: B/I/E/S of the longest name match starting at each word, O elsewhere."""
        tags = ["O"] * len(doc)
        if not names:
            return tags
        text = doc.text
        char_to_token = {token.idx: token.i for token in doc}
        i = 0
        while i < len(words):
            best = None
            for j in range(min(len(words), i + self.max_words) - 1, i - 1, -1):
                start, end = words[i][0], words[j][1]
                if text[start:end] in names:
                    best = (start, end, j)
                    break
            if best is None:
                i += 1
                continue
            start, end, j = best
            first, last = char_to_token[start], char_to_token[end - 1]
            if first == last:
                tags[first] = "S"
            else:
                tags[first] = "B"
                for k in range(first + 1, last):
                    tags[k] = "I"
                tags[last] = "E"
            i = j + 1
        return tags

    def to_disk(self, path, *, exclude=tuple()) -> None:
        path = ensure_path(path)
        path.mkdir(parents=True, exist_ok=True)
        srsly.write_msgpack(path / "names.msgpack", self._names_data())
        srsly.write_json(path / "cfg", {"max_words": self.max_words})

    def from_disk(self, path, *, exclude=tuple()) -> "LexiconFeatures":
        path = ensure_path(path)
        data = srsly.read_msgpack(path / "names.msgpack")
        self.set_names(data["org"], data["place"], data.get("registries"))
        self.max_words = srsly.read_json(path / "cfg")["max_words"]
        return self

    def to_bytes(self, *, exclude=tuple()) -> bytes:
        return srsly.msgpack_dumps({"names": self._names_data(), "cfg": {"max_words": self.max_words}})

    def from_bytes(self, data: bytes, *, exclude=tuple()) -> "LexiconFeatures":
        msg = srsly.msgpack_loads(data)
        self.set_names(msg["names"]["org"], msg["names"]["place"], msg["names"].get("registries"))
        self.max_words = msg["cfg"]["max_words"]
        return self
