"""The relation classifier: one linear model per entity-label pair.

Each group (ORG→MONEY: INVESTMENT/REVENUE/FUNDING; ORG→YEAR: FOUNDED;
MONEY→YEAR: IN_YEAR; ORG→ORG: LOCATED_IN/PART_OF) has its own logistic
regression over ``DictVectorizer`` features with a ``NONE`` class for "no
relation" and balanced class weights for the imbalance. A pair is given its
best relation type when that type's probability reaches the type's threshold
(``thresholds``, else the global ``threshold``; both chosen by cross-validation at
training time and kept in the pipeline's config.cfg).
Logistic regression keeps the model explainable: :meth:`top_features` lists what
drives each type.

scikit-learn fits the models (training only); each is saved and applied as plain
arrays (``linear.py``: ``.npz``, no pickle), so loading the pipeline never imports
scikit-learn.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ..labels import NO_RELATION
from ..linear import LinearModel, LinearModelError
from .calibration import Calibration, CalibrationError
from .candidates import GROUPS

SUFFIX = ".npz"
#: a saved model keeps only the features with a weight of at least this size (``LinearModel.pruned``):
#: on the silver-trained models .003 keeps 139k of 425k features and changes no decision on the news
#: dev split given gold entities (.01 changes 3, .05 changes 7)
PRUNE_EPS = 0.003
#: the file (and ``to_bytes`` key) of the score calibration, beside the group models
CALIBRATION = "calibration"


class RelationModelError(ValueError):
    pass


def group_key(group: tuple[str, str]) -> str:
    return f"{group[0]}-{group[1]}"


class RelationClassifier:
    """Per-group logistic regressions over pair features."""

    def __init__(self, threshold: float = 0.5, C: float = 1.0, thresholds: dict[str, float] | None = None,
                 prune_eps: float = PRUNE_EPS):
        self.threshold = threshold
        #: weights smaller than this are dropped from the fitted models (0: keep every feature)
        self.prune_eps = prune_eps
        #: per relation type; a type not listed uses ``threshold``
        self.thresholds: dict[str, float] = dict(thresholds or {})
        self.C = C
        self.models: dict[str, LinearModel] = {}
        #: maps each type's raw score to the probability that the relation is right (``calibration.py``)
        self.calibration = Calibration()

    def threshold_for(self, relation_type: str) -> float:
        return self.thresholds.get(relation_type, self.threshold)

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
            self.models[group_key(group)] = LinearModel.from_sklearn(model).pruned(self.prune_eps)
        return self

    def predict(self, features: list[dict], groups: list[tuple[str, str]]) -> list[tuple[str, float]]:
        """``(type or NONE, calibrated score of the best non-NONE type)`` per pair."""
        results: list[tuple[str, float]] = [(NO_RELATION, 0.0)] * len(features)
        for key, model in self.models.items():
            rows = [i for i, g in enumerate(groups) if group_key(g) == key]
            if not rows:
                continue
            probabilities = model.predict_proba([features[i] for i in rows])
            classes = list(model.classes)
            relation_columns = [j for j, c in enumerate(classes) if c != NO_RELATION]
            for row, p in zip(rows, probabilities):
                best = max(relation_columns, key=lambda j: p[j])
                label = str(classes[best])
                score = self.calibration(label, float(p[best]))
                results[row] = (label if score >= self.threshold_for(label) else NO_RELATION, score)
        return results

    def top_features(self, n: int = 8) -> dict[str, list[tuple[str, float]]]:
        """The ``n`` features with the largest weight for each relation type."""
        top: dict[str, list[tuple[str, float]]] = {}
        for model in self.models.values():
            classes, weights = list(model.classes), model.coef
            if len(classes) == 2:
                weights = np.vstack([-weights[0], weights[0]])
            for j, label in enumerate(classes):
                if label == NO_RELATION:
                    continue
                order = np.argsort(weights[j])[::-1][:n]
                top[str(label)] = [(str(model.features[k]), round(float(weights[j][k]), 3)) for k in order]
        return top

    def to_disk(self, path: Path) -> None:
        path.mkdir(parents=True, exist_ok=True)
        for old in path.glob(f"*{SUFFIX}"):
            old.unlink()
        for key, model in self.models.items():
            (path / f"{key}{SUFFIX}").write_bytes(model.to_bytes())
        (path / f"{CALIBRATION}{SUFFIX}").write_bytes(self.calibration.to_bytes())

    def from_disk(self, path: Path) -> "RelationClassifier":
        files = {file.stem: file for file in sorted(path.glob(f"*{SUFFIX}"))}
        calibration = files.pop(CALIBRATION, None)
        self.models = {key: self._load(file.read_bytes(), str(file)) for key, file in files.items()}
        self.calibration = self._load(calibration.read_bytes(), str(calibration), Calibration.from_bytes) if calibration else Calibration()
        return self

    def to_bytes(self) -> dict[str, bytes]:
        """``{group key: .npz bytes, "calibration": .npz bytes}``: the same checked format as on disk."""
        return {key: model.to_bytes() for key, model in self.models.items()} | {CALIBRATION: self.calibration.to_bytes()}

    def from_bytes(self, data: dict[str, bytes]) -> "RelationClassifier":
        data = dict(data)
        calibration = data.pop(CALIBRATION, None)
        self.models = {key: self._load(blob, f"relation model {key}") for key, blob in sorted(data.items())}
        self.calibration = self._load(calibration, "relation calibration", Calibration.from_bytes) if calibration else Calibration()
        return self

    @staticmethod
    def _load(blob: bytes, where: str, read=LinearModel.from_bytes):
        """A group model (or, with ``read=Calibration.from_bytes``, the calibration), checked at load."""
        try:
            return read(blob, where)
        except (LinearModelError, CalibrationError) as err:
            raise RelationModelError(str(err)) from None
