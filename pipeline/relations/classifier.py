"""The relation classifier: one scikit-learn model per entity-label pair.

Each group (ORG→MONEY: INVESTMENT/REVENUE/FUNDING; ORG→YEAR: FOUNDED;
MONEY→YEAR: IN_YEAR; ORG→ORG: LOCATED_IN/PART_OF) has its own logistic
regression over ``DictVectorizer`` features with a ``NONE`` class for "no
relation" and balanced class weights for the imbalance. A pair is given its
best relation type when that type's probability reaches ``threshold``
(chosen by cross-validation at training time). Logistic regression keeps the
model explainable: :meth:`top_features` lists what drives each type.

Saved with ``skops`` (never pickle); loading checks that the file holds only
the types a model of this class is made of and fails cleanly otherwise.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ..labels import NO_RELATION
from .candidates import GROUPS

#: the types a saved model may contain (skops refuses anything else)
TRUSTED_TYPES = [
    "sklearn.pipeline.Pipeline",
    "sklearn.feature_extraction._dict_vectorizer.DictVectorizer",
    "sklearn.linear_model._logistic.LogisticRegression",
    "numpy.float64",
    "numpy.dtype",
    "builtins.float",
]


class RelationModelError(ValueError):
    pass


def skops_io():
    """``skops.io``, imported without walking every scikit-learn module.

    On import, skops builds its default list of trusted types from
    ``sklearn.utils.all_estimators()``, which imports all of scikit-learn (0.5-0.7 s
    of the pipeline's cold start). Every load here passes :data:`TRUSTED_TYPES`
    explicitly, so that default is never used: while skops is imported, the
    estimator discovery returns only the scikit-learn classes of
    :data:`TRUSTED_TYPES`. Other code in the same process that loads a skops file
    without ``trusted=`` then trusts fewer types (stricter, never looser).
    """
    import sys

    if "skops.io" in sys.modules:
        return sys.modules["skops.io"]
    import importlib

    import sklearn.utils

    def trusted_estimators(*args, **kwargs):
        classes = []
        for name in TRUSTED_TYPES:
            module, _, attribute = name.rpartition(".")
            if module.startswith("sklearn."):
                classes.append((attribute, getattr(importlib.import_module(module), attribute)))
        return classes

    discover = sklearn.utils.all_estimators
    sklearn.utils.all_estimators = trusted_estimators
    try:
        import skops.io
    finally:
        sklearn.utils.all_estimators = discover
    return skops.io


def group_key(group: tuple[str, str]) -> str:
    return f"{group[0]}-{group[1]}"


class RelationClassifier:
    """Per-group logistic regressions over pair features."""

    def __init__(self, threshold: float = 0.5, C: float = 1.0):
        self.threshold = threshold
        self.C = C
        self.models: dict[str, object] = {}

    def fit(self, features: list[dict], groups: list[tuple[str, str]], labels: list[str]) -> "RelationClassifier":
        from sklearn.feature_extraction import DictVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import Pipeline

        self.models = {}
        for group in GROUPS:
            rows = [i for i, g in enumerate(groups) if g == group]
            classes = {labels[i] for i in rows}
            if len(classes) < 2:
                continue
            model = Pipeline([
                ("features", DictVectorizer()),
                ("classifier", LogisticRegression(C=self.C, class_weight="balanced", max_iter=2000)),
            ])
            model.fit([features[i] for i in rows], [labels[i] for i in rows])
            self.models[group_key(group)] = model
        return self

    def predict(self, features: list[dict], groups: list[tuple[str, str]]) -> list[tuple[str, float]]:
        """``(type or NONE, probability of the best non-NONE type)`` per pair."""
        results: list[tuple[str, float]] = [(NO_RELATION, 0.0)] * len(features)
        for key, model in self.models.items():
            rows = [i for i, g in enumerate(groups) if group_key(g) == key]
            if not rows:
                continue
            probabilities = model.predict_proba([features[i] for i in rows])
            classes = list(model.classes_)
            relation_columns = [j for j, c in enumerate(classes) if c != NO_RELATION]
            for row, p in zip(rows, probabilities):
                best = max(relation_columns, key=lambda j: p[j])
                score = float(p[best])
                results[row] = (str(classes[best]) if score >= self.threshold else NO_RELATION, score)
        return results

    def top_features(self, n: int = 8) -> dict[str, list[tuple[str, float]]]:
        """The ``n`` features with the largest weight for each relation type."""
        top: dict[str, list[tuple[str, float]]] = {}
        for model in self.models.values():
            names = model.named_steps["features"].get_feature_names_out()
            classifier = model.named_steps["classifier"]
            classes = list(classifier.classes_)
            weights = classifier.coef_
            if len(classes) == 2:
                weights = np.vstack([-weights[0], weights[0]])
            for j, label in enumerate(classes):
                if label == NO_RELATION:
                    continue
                order = np.argsort(weights[j])[::-1][:n]
                top[str(label)] = [(str(names[k]), round(float(weights[j][k]), 3)) for k in order]
        return top

    def to_disk(self, path: Path) -> None:
        sio = skops_io()

        path.mkdir(parents=True, exist_ok=True)
        for old in path.glob("*.skops"):
            old.unlink()
        for key, model in self.models.items():
            sio.dump(model, path / f"{key}.skops")

    def from_disk(self, path: Path) -> "RelationClassifier":
        self.models = {file.stem: self._load(file.read_bytes(), str(file)) for file in sorted(path.glob("*.skops"))}
        return self

    def to_bytes(self) -> dict[str, bytes]:
        """``{group key: skops bytes}``: the same audited format as on disk."""
        sio = skops_io()
        return {key: sio.dumps(model) for key, model in self.models.items()}

    def from_bytes(self, data: dict[str, bytes]) -> "RelationClassifier":
        self.models = {key: self._load(blob, f"relation model {key}") for key, blob in sorted(data.items())}
        return self

    @staticmethod
    def _load(blob: bytes, where: str):
        sio = skops_io()
        from skops.io.exceptions import UntrustedTypesFoundException

        try:
            # loads() audits the whole payload before constructing anything (a separate
            # get_untrusted_types() pass parsed it twice: 0.4 s of the cold start)
            return sio.loads(blob, trusted=TRUSTED_TYPES)
        except UntrustedTypesFoundException as err:
            raise RelationModelError(f"{where}: refusing to load unexpected types ({err})") from None
        except Exception as err:  # a damaged or tampered file: never half-load a model
            raise RelationModelError(f"{where}: not a valid relation model ({type(err).__name__}: {err})") from None
