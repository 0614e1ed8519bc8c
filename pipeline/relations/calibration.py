"""Calibrated relation scores: the probability that a predicted relation is right.

The classifier's probabilities come from class-balanced logistic regressions, which
inflate the rare relation classes: a score of .6 was right far less often than 60 % of the
time. Per relation type, a logistic map of the score's logit (Platt scaling) is fitted on
the cross-validated predictions of training (``training.choose_thresholds``: grouped by
document, so no prediction comes from a model that saw its document); the decision
thresholds are then chosen on the calibrated scale. A type with too few cross-validated
predictions of either outcome keeps its raw score.

Saved as arrays (``calibration.npz``: ``types``, ``coef``; read with ``allow_pickle=False``). How well
scores are calibrated is measured by ``zhnews.scoring.reliability``.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass, field

import numpy as np

#: predictions of each outcome a type needs for a map of its own
MIN_OUTCOMES = 5
_EPSILON = 1e-6


class CalibrationError(ValueError):
    pass


def _logit(p: float) -> float:
    p = min(max(p, _EPSILON), 1 - _EPSILON)
    return math.log(p / (1 - p))


@dataclass
class Calibration:
    #: relation type -> (slope, intercept) on the logit of the raw score
    maps: dict[str, tuple[float, float]] = field(default_factory=dict)

    def __call__(self, relation_type: str, score: float) -> float:
        m = self.maps.get(relation_type)
        if m is None:
            return score
        return 1.0 / (1.0 + math.exp(-(m[0] * _logit(score) + m[1])))

    @classmethod
    def fit(cls, predictions: list[tuple[str, float, bool]]) -> "Calibration":
        """From ``(predicted type, raw score, was it right)`` triples."""
        from sklearn.linear_model import LogisticRegression

        maps = {}
        for relation_type in sorted({p[0] for p in predictions}):
            rows = [(s, right) for t, s, right in predictions if t == relation_type]
            positives = sum(right for _, right in rows)
            if positives < MIN_OUTCOMES or len(rows) - positives < MIN_OUTCOMES:
                continue
            x = np.array([[_logit(s)] for s, _ in rows])
            y = np.array([int(right) for _, right in rows])
            model = LogisticRegression(C=100.0, max_iter=1000).fit(x, y)
            if model.coef_[0][0] > 0:  # a map that reverses the order of the scores is not a calibration
                maps[relation_type] = (float(model.coef_[0][0]), float(model.intercept_[0]))
        return cls(maps)

    def to_bytes(self) -> bytes:
        types = sorted(self.maps)
        buffer = io.BytesIO()
        np.savez_compressed(buffer, types=np.asarray(types, dtype=str),
                            coef=np.asarray([self.maps[t] for t in types], dtype=np.float64).reshape(len(types), 2))
        return buffer.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes, where: str = "relation calibration") -> "Calibration":
        try:
            with np.load(io.BytesIO(data), allow_pickle=False) as archive:
                if set(archive.files) != {"types", "coef"}:
                    raise CalibrationError(f"{where}: holds {sorted(archive.files)}, expected ['coef', 'types']")
                types, coef = archive["types"], archive["coef"]
        except CalibrationError:
            raise
        except Exception as err:
            raise CalibrationError(f"{where}: not a valid calibration ({type(err).__name__}: {err})") from None
        if types.dtype.kind != "U" or coef.dtype.kind != "f" or coef.shape != (len(types), 2):
            raise CalibrationError(f"{where}: types {types.dtype} {types.shape} and coef {coef.dtype} {coef.shape} do not fit")
        return cls({str(t): (float(a), float(b)) for t, (a, b) in zip(types, coef)})
