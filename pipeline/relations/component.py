"""``relation_extractor``: relations between the entities of a Doc, stored on ``doc._.relations``.

Like the relation component of explosion/projects' ``tutorials/rel_component``,
relations live in a Doc extension; unlike it, the model is a scikit-learn
classifier over pair features (``classifier.py``), trained by ``zhnews train``
after the NER and saved as arrays (``linear.py``). The decision threshold is the factory's
setting (config.cfg, ``threshold`` and per type ``thresholds``), written there by training. ``doc._.relations`` is a list of
``{"head": i, "tail": j, "type": …, "score": …, "confidence": …}`` with ``i``/``j`` indices into
``doc.ents``.

``score`` is the classifier's calibrated probability that the relation holds *given* its two
entities. ``confidence`` is the probability that the whole fact is right: ``score`` times the
entity confidence of its head and of its tail (``doc._.ent_confidence``, from
``zhnews_entity_confidence``; absent when that component is not in the pipeline or not fitted).
A relation whose confidence is below ``fact_threshold`` is dropped: a relation on an entity
that is probably wrong is probably wrong too. Training chooses ``fact_threshold`` on the news
dev split, with entity confidences predicted out of fold (``train.choose_fact_threshold``).
"""

from __future__ import annotations

from pathlib import Path

import srsly
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import ensure_path

from ..labels import NO_RELATION
from ..scoring import MICRO, score_strict
from ..segment.chars import words
from .candidates import Candidate, Entity, candidate_pairs
from .classifier import RelationClassifier
from .features import pair_features
from .functional import keep_best_of_functional
from .lists import share_list_predicates

DEFAULT_CONFIG = {"threshold": 0.5, "thresholds": {}, "fact_threshold": 0.0}


class UntrainedRelationsError(RuntimeError):
    """The relation extractor was used before it was fitted."""

if not Doc.has_extension("relations"):
    Doc.set_extension("relations", default=None)


#: what ``RelationExtractor.score`` reports; shown by ``nlp.evaluate`` and spaCy's training loop,
#: not weighted into its score (``None``): the NER's training does not fit the relations
SCORE_WEIGHTS = {"rel_micro_p": None, "rel_micro_r": None, "rel_micro_f": None}


@Language.factory("relation_extractor", default_config=DEFAULT_CONFIG, assigns=["doc._.relations"],
                  requires=["doc.ents", "doc._.ent_confidence"], default_score_weights=SCORE_WEIGHTS)
def make_relation_extractor(nlp: Language, name: str, threshold: float, thresholds: dict[str, float],
                            fact_threshold: float) -> "RelationExtractor":
    return RelationExtractor(name, threshold=threshold, thresholds=thresholds, fact_threshold=fact_threshold)


def doc_entities(doc: Doc) -> list[Entity]:
    return [Entity(e.start_char, e.end_char, e.label_) for e in doc.ents]


class RelationExtractor:
    """Classifies every candidate pair of ``doc.ents`` and keeps the relations found."""

    def __init__(self, name: str = "relation_extractor", *, threshold: float = 0.5, thresholds: dict[str, float] | None = None,
                 fact_threshold: float = 0.0):
        if not 0.0 <= fact_threshold <= 1.0:
            raise ValueError(f"{name}: fact_threshold must be between 0 and 1, not {fact_threshold!r}")
        self.name = name
        self.classifier = RelationClassifier(threshold=threshold, thresholds=thresholds)
        self.fact_threshold = fact_threshold
        #: set by `zhnews train` only: spaCy's training loop runs the whole pipeline (to score the
        #: NER on dev) before the relations are fitted, and an untrained extractor then finds none
        self.allow_untrained = False

    @property
    def is_trained(self) -> bool:
        return bool(self.classifier.models)

    def __call__(self, doc: Doc) -> Doc:
        if not self.is_trained:
            if not self.allow_untrained:
                raise UntrainedRelationsError(
                    f"{self.name}: no trained relation model in this pipeline: `zhnews train` fits it, "
                    "`zhnews train --relations-only` refits it; or leave the component out "
                    f"(spacy.load(..., exclude=[{self.name!r}]))")
            doc._.relations = []
            return doc
        relations = self.predict(doc.text, words(doc), doc_entities(doc))
        confidence = doc._.ent_confidence if doc.has_extension("ent_confidence") else None
        doc._.relations = with_fact_confidence(relations, confidence, self.fact_threshold)
        return doc

    def predict(self, text: str, word_spans: list[tuple[int, int]], entities: list[Entity]) -> list[dict]:
        pairs = candidate_pairs(text, entities)
        if not pairs:
            return []
        return self.decode(text, entities, pairs, self.score_pairs(text, word_spans, entities, pairs))

    def score_pairs(self, text: str, word_spans: list[tuple[int, int]], entities: list[Entity],
                    pairs: list[Candidate]) -> list[tuple[str, float]]:
        """The classifier's (type or NONE, calibrated score of the best type) for each candidate pair."""
        features = [pair_features(text, word_spans, entities, p) for p in pairs]
        return self.classifier.predict(features, [p.group(entities) for p in pairs])

    def decode(self, text: str, entities: list[Entity], pairs: list[Candidate],
               predictions: list[tuple[str, float]]) -> list[dict]:
        """The relations found among the scored ``pairs``: one partner per functional relation, a
        list's shared predicate, one direction per pair."""
        predictions = keep_best_of_functional([(p.head, p.tail) for p in pairs], predictions)
        predictions = share_list_predicates(text, entities, pairs, predictions, self.classifier.threshold_for)
        found = [
            {"head": p.head, "tail": p.tail, "type": label, "score": round(score, 4)}
            for p, (label, score) in zip(pairs, predictions)
            if label != NO_RELATION
        ]
        return _one_direction_per_pair(found)

    def score(self, examples, **kwargs) -> dict[str, float]:
        """Strict micro P/R/F of ``doc._.relations``: a relation counts when its type and both
        entities' character offsets match the reference's (``nlp.evaluate`` calls this)."""
        gold, predicted = [], []
        for i, example in enumerate(examples):
            for doc, keys in ((example.reference, gold), (example.predicted, predicted)):
                ents = list(doc.ents)
                for relation in doc._.relations or []:
                    head, tail = ents[relation["head"]], ents[relation["tail"]]
                    keys.append((i, head.start_char, head.end_char, tail.start_char, tail.end_char, relation["type"]))
        micro = score_strict(gold, predicted)[MICRO]
        return {"rel_micro_p": micro.precision, "rel_micro_r": micro.recall, "rel_micro_f": micro.f1}

    def to_disk(self, path, *, exclude=tuple()) -> None:
        path = ensure_path(path)
        path.mkdir(parents=True, exist_ok=True)
        srsly.write_json(path / "cfg", {"C": self.classifier.C})
        self.classifier.to_disk(path / "model")

    def from_disk(self, path, *, exclude=tuple()) -> "RelationExtractor":
        path = ensure_path(path)
        cfg = srsly.read_json(path / "cfg")
        self.classifier = RelationClassifier(threshold=self.classifier.threshold, C=cfg.get("C", 1.0),
                                             thresholds=self.classifier.thresholds)
        if (path / "model").exists():
            self.classifier.from_disk(Path(path) / "model")
        return self

    def to_bytes(self, *, exclude=tuple()) -> bytes:
        return srsly.msgpack_dumps({"cfg": {"C": self.classifier.C},
                                    "models": self.classifier.to_bytes()})

    def from_bytes(self, data: bytes, *, exclude=tuple()) -> "RelationExtractor":
        msg = srsly.msgpack_loads(data)
        self.classifier = RelationClassifier(threshold=self.classifier.threshold, C=msg["cfg"].get("C", 1.0),
                                             thresholds=self.classifier.thresholds)
        self.classifier.from_bytes(msg["models"])
        return self


def with_fact_confidence(relations: list[dict], entity_confidence: list[float] | None, fact_threshold: float) -> list[dict]:
    """Each relation with its ``confidence`` (its score times its two entities' confidence), those
    below ``fact_threshold`` left out; unchanged when the entities carry no confidence."""
    if entity_confidence is None:
        return relations
    kept = []
    for relation in relations:
        confidence = relation["score"] * entity_confidence[relation["head"]] * entity_confidence[relation["tail"]]
        if confidence >= fact_threshold:
            kept.append({**relation, "confidence": round(confidence, 4)})
    return kept


def _one_direction_per_pair(relations: list[dict]) -> list[dict]:
    """Two entities are related in one direction at most: keep the better-scored one.

    Both directions are candidates for ORG→ORG (A 旗下的 B / B 是 A 的子公司), and the
    classifier may accept both; no gold relation of the seeds or the synthetic sets
    (2,115) has its reverse, and keeping the better one raised seed LODO F1.
    """
    best: dict[frozenset, dict] = {}
    for relation in relations:
        key = frozenset((relation["head"], relation["tail"]))
        if key not in best or relation["score"] > best[key]["score"]:
            best[key] = relation
    return [r for r in relations if best[frozenset((r["head"], r["tail"]))] is r]
