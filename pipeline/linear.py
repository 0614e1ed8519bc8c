"""A fitted linear classifier as plain arrays, applied with numpy (run time): the relation models
and the entity confidence. A leaf module (numpy only).

scikit-learn fits the relation models (``DictVectorizer`` + ``LogisticRegression``,
``training.py``); what a prediction needs from them is the feature vocabulary, the
coefficients, the intercepts and the class names. Kept as arrays in an ``.npz`` file (read
with ``allow_pickle=False``: nothing is unpickled), they load without importing scikit-learn,
which was about a second of the pipeline's cold start, and they are a fraction of the size of
the serialized estimators.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import numpy as np

#: the arrays a saved model holds, with the dtype kind each must have
FIELDS = {"features": "U", "coef": "f", "intercept": "f", "classes": "U"}


class LinearModelError(ValueError):
    pass


@dataclass
class LinearModel:
    features: np.ndarray   # (n_features,) feature names, in column order
    coef: np.ndarray       # (n_rows, n_features): one row per class, or one row for two classes
    intercept: np.ndarray  # (n_rows,)
    classes: np.ndarray    # (n_classes,) class names

    def __post_init__(self) -> None:
        self._index = {str(name): i for i, name in enumerate(self.features)}

    @classmethod
    def from_sklearn(cls, pipeline) -> "LinearModel":
        """The arrays of a fitted ``Pipeline([("features", DictVectorizer()), ("classifier", LogisticRegression())])``."""
        vectorizer, classifier = pipeline.named_steps["features"], pipeline.named_steps["classifier"]
        return cls(features=np.asarray(vectorizer.get_feature_names_out(), dtype=str),
                   coef=np.asarray(classifier.coef_, dtype=np.float64),
                   intercept=np.asarray(classifier.intercept_, dtype=np.float64),
                   classes=np.asarray([str(c) for c in classifier.classes_], dtype=str))

    def pruned(self, eps: float) -> "LinearModel":
        """Without the features whose every weight is below ``eps`` in magnitude: each moves a
        score by less than ``eps`` per unit of its value, and a vocabulary that keeps them costs
        memory and load time (the silver-trained relation models: 425k features, 33 % above .003)."""
        keep = np.abs(self.coef).max(axis=0) >= eps
        return LinearModel(self.features[keep], self.coef[:, keep], self.intercept, self.classes)

    def decision_function(self, rows: list[dict[str, float]]) -> np.ndarray:
        """Intercept plus the weighted features of each row; features the model never saw are
        dropped, as ``DictVectorizer`` does. Row by row over the few features present: a dense
        matrix would be pairs x vocabulary."""
        scores = np.tile(self.intercept, (len(rows), 1))
        for r, row in enumerate(rows):
            columns, values = [], []
            for name, value in row.items():
                column = self._index.get(name)
                if column is not None:
                    columns.append(column)
                    values.append(value)
            if columns:
                scores[r] += self.coef[:, columns] @ np.asarray(values, dtype=np.float64)
        return scores

    def predict_proba(self, rows: list[dict[str, float]]) -> np.ndarray:
        """Class probabilities, columns in the order of :attr:`classes` (``LogisticRegression.predict_proba``)."""
        scores = self.decision_function(rows)
        if len(self.classes) == 2:  # binary: one row of weights, the logistic function
            positive = 1.0 / (1.0 + np.exp(-scores[:, 0]))
            return np.column_stack([1.0 - positive, positive])
        scores -= scores.max(axis=1, keepdims=True)  # multinomial: the softmax
        exp = np.exp(scores)
        return exp / exp.sum(axis=1, keepdims=True)

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        np.savez_compressed(buffer, **{name: getattr(self, name) for name in FIELDS})
        return buffer.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes, where: str = "relation model") -> "LinearModel":
        """Load and check: exactly the expected arrays, of the expected kinds and matching shapes."""
        try:
            with np.load(io.BytesIO(data), allow_pickle=False) as archive:
                names = set(archive.files)
                if names != set(FIELDS):
                    raise LinearModelError(f"{where}: holds {sorted(names)}, expected {sorted(FIELDS)}")
                arrays = {name: archive[name] for name in FIELDS}
        except LinearModelError:
            raise
        except Exception as err:  # a damaged or foreign file: never half-load a model
            raise LinearModelError(f"{where}: not a valid relation model ({type(err).__name__}: {err})") from None
        for name, kind in FIELDS.items():
            if arrays[name].dtype.kind != kind:
                raise LinearModelError(f"{where}: {name} has dtype {arrays[name].dtype}, expected kind {kind!r}")
        n_classes, n_features = len(arrays["classes"]), len(arrays["features"])
        n_rows = 1 if n_classes == 2 else n_classes
        if n_classes < 2 or arrays["coef"].shape != (n_rows, n_features) or arrays["intercept"].shape != (n_rows,):
            raise LinearModelError(f"{where}: coef {arrays['coef'].shape} and intercept {arrays['intercept'].shape} "
                                   f"do not fit {n_classes} classes and {n_features} features")
        return cls(**arrays)
