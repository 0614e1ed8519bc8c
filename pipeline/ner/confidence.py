"""``zhnews_entity_confidence``: how likely each entity of ``doc.ents`` is exactly right.

The NER is a greedy transition model: it gives no probability per entity (a beam over the
same model was tried: 5-30x slower, and its scores were 0 or 1 for 95 % of the entities, with 62 %
of the "0" ones right). Instead a logistic regression over features of the final entity (where it
came from: the NER or which consistency rule, its label, length, last characters, script, the
characters around it, how often the document repeats it) predicts whether it matches a gold entity
exactly. It is fitted on the pipeline's own output on the news gold's dev split (``zhnews train``,
``zhnews train --confidence-only``), so its scores are calibrated on text the NER did not learn from,
and the test split's reliability table (``zhnews evaluate``) shows how well.

The scores are on the Doc as ``doc._.ent_confidence`` (one float per ``doc.ents``, None when the
component is not fitted) and in each output record's entity as ``confidence``. Saved as arrays
(``linear.py``: ``.npz``, no pickle).
"""

from __future__ import annotations

import re
from collections import Counter

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import ensure_path

from ..linear import LinearModel, LinearModelError

MODEL_FILE = "model.npz"
RIGHT = "right"

if not Doc.has_extension("ent_confidence"):
    Doc.set_extension("ent_confidence", default=None)


class ConfidenceModelError(ValueError):
    pass


def _length_bucket(n: int) -> str:
    for limit in (1, 2, 3, 4, 6, 9, 14):
        if n <= limit:
            return str(limit)
    return "15+"


_LATIN = re.compile(r"[A-Za-z]")


def entity_features(doc_text: str, ent: Span, mentions: Counter) -> dict[str, float]:
    """The features of one entity of ``doc.ents``; ``doc_text`` is ``doc.text`` (which spaCy joins
    anew on every access: read it once per doc), ``mentions`` counts each entity text in the doc."""
    text, label = ent.text, ent.label_
    before = doc_text[max(0, ent.start_char - 1):ent.start_char]
    after = doc_text[ent.end_char:ent.end_char + 1]
    f = {
        "bias": 1.0,
        f"label={label}": 1.0,
        f"source={ent.id_ or 'ner'}|{label}": 1.0,
        f"length={_length_bucket(len(text))}|{label}": 1.0,
        f"last1={text[-1:]}|{label}": 1.0,
        f"last2={text[-2:]}|{label}": 1.0,
        f"first1={text[:1]}|{label}": 1.0,
        f"before={before}|{label}": 1.0,
        f"after={after}|{label}": 1.0,
        f"mentions={min(mentions[text], 3)}|{label}": 1.0,
    }
    if _LATIN.search(text):
        f[f"latin|{label}"] = 1.0
        if _LATIN.fullmatch(text[0]) and _LATIN.fullmatch(text[-1]):
            f[f"latin_edges|{label}"] = 1.0
    if any(c.isdigit() for c in text):
        f[f"digit|{label}"] = 1.0
    if "(" in text or "（" in text:
        f[f"bracket|{label}"] = 1.0
    return f


def doc_features(doc: Doc) -> list[dict[str, float]]:
    ents = doc.ents
    mentions = Counter(ent.text for ent in ents)
    text = doc.text
    return [entity_features(text, ent, mentions) for ent in ents]


@Language.factory("zhnews_entity_confidence", assigns=["doc._.ent_confidence"], requires=["doc.ents"])
def make_entity_confidence(nlp: Language, name: str) -> "EntityConfidence":
    return EntityConfidence(name)


class EntityConfidence:
    def __init__(self, name: str = "zhnews_entity_confidence"):
        self.name = name
        self.model: LinearModel | None = None

    def __call__(self, doc: Doc) -> Doc:
        if self.model is None:
            doc._.ent_confidence = None
            return doc
        features = doc_features(doc)
        doc._.ent_confidence = self.scores(features) if features else []
        return doc

    def scores(self, features: list[dict[str, float]]) -> list[float]:
        assert self.model is not None
        column = list(self.model.classes).index(RIGHT)
        return [round(float(p[column]), 4) for p in self.model.predict_proba(features)]

    def to_disk(self, path, *, exclude=tuple()) -> None:
        path = ensure_path(path)
        path.mkdir(parents=True, exist_ok=True)
        if self.model is not None:
            (path / MODEL_FILE).write_bytes(self.model.to_bytes())

    def from_disk(self, path, *, exclude=tuple()) -> "EntityConfidence":
        file = ensure_path(path) / MODEL_FILE
        self.model = self._load(file.read_bytes(), str(file)) if file.exists() else None
        return self

    def to_bytes(self, *, exclude=tuple()) -> bytes:
        return self.model.to_bytes() if self.model is not None else b""

    def from_bytes(self, data: bytes, *, exclude=tuple()) -> "EntityConfidence":
        self.model = self._load(data, "entity confidence model") if data else None
        return self

    @staticmethod
    def _load(blob: bytes, where: str) -> LinearModel:
        try:
            model = LinearModel.from_bytes(blob, where)
        except LinearModelError as err:
            raise ConfidenceModelError(str(err)) from None
        if RIGHT not in set(model.classes):
            raise ConfidenceModelError(f"{where}: classes {list(model.classes)} lack {RIGHT!r}")
        return model
