"""How a converted pkuseg model is stored: its file names and its weights (run time).

``weights.npz`` holds pkuseg's weights as float32 when they can be restored exactly (they are
4-decimal numbers) and the number of decimals to round them back to; nothing is pickled. The
conversion from pkuseg's own sdist is build-time code (:mod:`zhnews.training.pkuseg_build`).
"""

from __future__ import annotations

import os

import numpy as np

FEATURES_FILE = "features.msgpack"
WEIGHTS_FILE = "weights.npz"
PROCESSORS_FILE = "pkuseg_processors.msgpack"
META_FILE = "zhnews_meta.json"


class ModelFormatError(ValueError):
    """A model member does not have the expected structure."""


# --------------------------------------------------------------------------
# Weights (de)serialisation
# --------------------------------------------------------------------------
def _exact_decimals(w: np.ndarray, max_decimals: int = 6) -> int | None:
    """Smallest d such that float32 storage + :func:`restore_weights` gives ``w`` bit for bit."""
    w32 = w.astype(np.float32)
    for d in range(max_decimals + 1):
        if np.array_equal(restore_weights(w32, d), w):
            return d
    return None


def save_weights(
    path: str | os.PathLike,
    w: np.ndarray,
    n_tag: int,
    n_feature: int,
    *,
    float32: bool = True,
    compress: bool = True,
) -> str:
    """Write ``weights.npz`` (``sizes``, ``w``); return the dtype written.

    With ``float32=True`` the weights are stored as float32 only if they can be
    restored *exactly* (pkuseg's weights are 4-decimal numbers, so rounding the
    float32 value to 4 decimals gives back the original float64); the number
    of decimals is stored as ``decimals`` and applied by :func:`load_weights`.
    Otherwise float64 is kept.  ``compress`` selects ``np.savez_compressed``
    (``np.load`` reads either; ``compress=False, float32=False`` is exactly
    what ``spacy_pkuseg.model.Model.save`` writes).
    """
    w = np.asarray(w, dtype=np.float64)
    if w.shape != (n_tag * (n_feature + n_tag),):
        raise ModelFormatError(f"weights: shape {w.shape} does not match n_tag={n_tag}, n_feature={n_feature}")
    sizes = np.array([n_tag, n_feature], dtype=np.int64)
    dec = _exact_decimals(w) if float32 else None
    savez = np.savez_compressed if compress else np.savez
    if dec is not None:
        savez(path, sizes=sizes, w=w.astype(np.float32), decimals=np.array([dec], dtype=np.int64))
        return "float32"
    savez(path, sizes=sizes, w=w)
    return "float64"


def restore_weights(w: np.ndarray, decimals: int | None) -> np.ndarray:
    """float64 weights for inference (pkuseg's Viterbi needs ``double``).

    Undoes :func:`save_weights`' float32 storage: upcast, then round to
    ``decimals`` decimals (in place, to keep peak memory low).
    """
    w = np.asarray(w)
    if w.dtype == np.float64 and decimals is None:
        return w
    w64 = w.astype(np.float64)
    if decimals is not None:
        scale = 10.0 ** int(decimals)
        w64 *= scale
        np.rint(w64, out=w64)
        w64 /= scale
    return w64


def stored_decimals(path: str | os.PathLike) -> int | None:
    """The ``decimals`` entry of a ``weights.npz`` written by :func:`save_weights`, if any."""
    with np.load(path, allow_pickle=False) as npz:
        return int(npz["decimals"][0]) if "decimals" in npz.files else None


def load_weights(path: str | os.PathLike) -> tuple[int, int, np.ndarray]:
    """Read ``weights.npz`` without pickle; return (n_tag, n_feature, float64 w)."""
    with np.load(path, allow_pickle=False) as npz:
        n_tag, n_feature = (int(x) for x in npz["sizes"])
        dec = int(npz["decimals"][0]) if "decimals" in npz.files else None
        w = restore_weights(npz["w"], dec)
    if w.shape != (n_tag * (n_feature + n_tag),):
        raise ModelFormatError(f"{path}: weight shape {w.shape} inconsistent with sizes")
    return n_tag, n_feature, w
