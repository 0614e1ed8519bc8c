"""Fetch, verify and convert pkuseg's news-domain ``default`` model (build time).

pkuseg's ``default`` model (trained on People's Daily news) is not published
as a GitHub release; it only ships inside the PyPI sdist ``pkuseg==0.0.25``,
as a *pickled* feature table plus a numpy weight file.  This module

* downloads that sdist (pinned URL, size and sha256; the file is moved into
  place only after the hash matched),
* reads the three members it needs straight out of the tar stream (nothing is
  extracted, no code from the sdist is ever imported or run),
* decodes the pickles with :class:`RestrictedUnpickler`, whose ``find_class``
  refuses every global, so a tampered pickle cannot execute code even at
  build time,
* writes the spacy-pkuseg on-disk format (``features.msgpack`` +
  ``weights.npz``) plus ``pkuseg_processors.msgpack`` (the post-processing
  word list of ``dicts/default.pkl`` in spaCy's ``pkuseg_processors`` layout),
  so that nothing needs to be unpickled at run time,
* optionally shrinks the model without changing its output (see
  :func:`convert_model`).

Weight layout (spacy_pkuseg/model.py, inference.pyx): ``w`` has
``n_tag * n_feature`` node weights, index ``feature_id * n_tag + tag_id``,
followed by ``n_tag * n_tag`` transition weights.  Feature 0 (``"$$"``) is
appended for every character by the feature extractor and must keep id 0.
"""

from __future__ import annotations

import hashlib
import http.client
import io
import json
import os
import pickle
import shutil
import tarfile
import tempfile
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
import spacy
import srsly
from spacy.language import Language

from ..segment.tokenizer import DEFAULT_MODEL_PATH, FEATURES_GZ_FILE, TOKENIZER_NAME
from ..segment.pkuseg_store import (
    FEATURES_FILE,
    META_FILE,
    PROCESSORS_FILE,
    WEIGHTS_FILE,
    ModelFormatError,
    save_weights,
)

# --------------------------------------------------------------------------
# Pinned source
# --------------------------------------------------------------------------
SDIST_URL = (
    "https://files.pythonhosted.org/packages/64/3a/"
    "090a533c7f0682d653633cfd2d33e9aab3e671379fb199aeb7fa9bd3c34a/"
    "pkuseg-0.0.25.tar.gz"
)
SDIST_SHA256 = "dd012bf93689721c9574bc2b2ba98fb4ac22790cec0af354a78e217828b81e91"
SDIST_SIZE = 48_751_866
SDIST_FILENAME = "pkuseg-0.0.25.tar.gz"

FEATURES_MEMBER = "pkuseg-0.0.25/pkuseg/models/default/features.pkl"
WEIGHTS_MEMBER = "pkuseg-0.0.25/pkuseg/models/default/weights.npz"
# Same bytes as spacy_pkuseg/dicts/default.pkl (sha256 3cf450d9...6c67).
USER_DICT_MEMBER = "pkuseg-0.0.25/pkuseg/dicts/default.pkl"


#: Prune threshold used for the shipped model: drop feature rows whose
#: largest |weight| is <= this (weights are multiples of 1e-4).  Chosen by
#: measurement (benchmarks/SEGMENTER.md): eps 0.1 keeps 568,123 of 2,643,617
#: features; against the SIGHAN 2005 PKU and MSR gold segmentations it loses
#: 0.00044 / 0.00012 word F1 to the unpruned model (within --max-f1-drop) and
#: changes 28 of 9,596 tokens of the normalized seeds.  An NER retrained on it
#: lost about .01 dev ORG F1 unless its hidden layer was widened (README,
#: "Measured quality").  The feature table is the largest part of the cold
#: start, and eps 0.05 (869,290 features, 0.00002 F1) kept the first record
#: above the 2.0 s target.
DEFAULT_PRUNE_EPS = 0.1

# pkuseg feature-extractor constants (spacy_pkuseg/config.py, feature_extractor.pyx)
_WORD_MIN, _WORD_MAX = 2, 6
_KEYWORDS = frozenset("-._,|/*:")
_NUM = frozenset("0123456789." "几二三四五六七八九十千万亿兆零" "１２３４５６７８９０％")
_LETTER = frozenset(
    "ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺ"
    "ａｂｃｄｅｆｇｈｉｇｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ" "／・－"
)
_NO_WORD = "**noWord"


class DownloadError(RuntimeError):
    """The sdist could not be downloaded."""


class ChecksumMismatchError(DownloadError):
    """The downloaded bytes do not match the pinned size/sha256."""


# --------------------------------------------------------------------------
# Restricted unpickling (build time only)
# --------------------------------------------------------------------------
class RestrictedUnpickler(pickle.Unpickler):
    """Unpickler that refuses every global.

    ``find_class`` is the only way a pickle can reach a callable (GLOBAL,
    STACK_GLOBAL and extension-registry opcodes all go through it), so
    refusing it limits the stream to plain containers and scalars
    (dict/list/tuple/set/str/bytes/int/float/bool/None).  Persistent ids are
    refused as well.
    """

    def find_class(self, module: str, name: str) -> Any:  # noqa: D401
        raise pickle.UnpicklingError(
            f"refusing to load global {module}.{name}: only plain data is allowed"
        )

    def persistent_load(self, pid: Any) -> Any:
        raise pickle.UnpicklingError("refusing persistent id in pickle")


def restricted_loads(data: bytes) -> Any:
    """Unpickle ``data`` allowing only builtin containers and scalars."""
    return RestrictedUnpickler(io.BytesIO(data)).load()


# --------------------------------------------------------------------------
# Cache location and download
# --------------------------------------------------------------------------
def cache_dir() -> Path:
    """``$ZHNEWS_CACHE_DIR``, else ``$XDG_CACHE_HOME/zhnews``, else ``~/.cache/zhnews``."""
    env = os.environ.get("ZHNEWS_CACHE_DIR")
    if env:
        return Path(env).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg).expanduser() if xdg else Path.home() / ".cache"
    return base / "zhnews"


def sha256_file(path: str | os.PathLike, chunk: int = 1 << 20) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while block := f.read(chunk):
            h.update(block)
    return h.hexdigest()


def _verified(path: Path, sha256: str, size: int | None) -> bool:
    if not path.is_file():
        return False
    if size is not None and path.stat().st_size != size:
        return False
    return sha256_file(path) == sha256


ProgressCallback = Callable[[int, "int | None"], None]


def download_sdist(
    dest: str | os.PathLike | None = None,
    *,
    url: str | None = None,
    sha256: str | None = None,
    size: int | None = None,
    progress: ProgressCallback | None = None,
    timeout: float = 60.0,
) -> Path:
    """Download the pinned pkuseg sdist into directory ``dest``; return its path.

    ``dest`` defaults to :func:`cache_dir`.  An existing file that matches the
    pinned size and sha256 is reused.  Otherwise the bytes are streamed to a
    temporary file in ``dest`` (urllib's default opener honours
    ``HTTPS_PROXY``/``NO_PROXY``), hashed on the fly, and only renamed to the
    final name if size and sha256 match; on any failure the temporary file is
    removed and :class:`ChecksumMismatchError`/:class:`DownloadError` raised.
    ``url``/``sha256``/``size`` default to the module constants (read at call
    time).  ``progress(bytes_done, total_or_None)`` is called per chunk.
    """
    url = SDIST_URL if url is None else url
    sha256 = (SDIST_SHA256 if sha256 is None else sha256).lower()
    if size is None and url == SDIST_URL:
        size = SDIST_SIZE
    dest_dir = Path(dest) if dest is not None else cache_dir()
    dest_dir.mkdir(parents=True, exist_ok=True)
    name = url.rstrip("/").rsplit("/", 1)[-1] or SDIST_FILENAME
    final = dest_dir / name

    if final.exists():
        if _verified(final, sha256, size):
            return final
        final.unlink()  # stale or corrupt cache entry: fetch again

    fd, tmp_name = tempfile.mkstemp(prefix=f".{name}.", suffix=".part", dir=dest_dir)
    tmp = Path(tmp_name)
    try:
        h = hashlib.sha256()
        done = 0
        try:
            req = urllib.request.Request(url, headers={"User-Agent": "zhnews-build"})
            with urllib.request.urlopen(req, timeout=timeout) as resp, os.fdopen(fd, "wb") as out:
                fd = -1
                length = resp.headers.get("Content-Length")
                total = int(length) if length and length.isdigit() else size
                while block := resp.read(1 << 20):
                    h.update(block)
                    out.write(block)
                    done += len(block)
                    if progress is not None:
                        progress(done, total)
        except (OSError, http.client.HTTPException) as exc:  # URLError/HTTPError/timeouts, IncompleteRead
            raise DownloadError(f"could not download {url}: {exc}") from exc
        digest = h.hexdigest()
        if (size is not None and done != size) or digest != sha256:
            raise ChecksumMismatchError(
                f"refusing {url}: got {done} bytes with sha256 {digest}, "
                f"expected {size if size is not None else '?'} bytes with sha256 {sha256}. "
                "Nothing was kept; check the URL/proxy and retry."
            )
        os.chmod(tmp, 0o644)  # mkstemp creates 0600
        os.replace(tmp, final)
        return final
    finally:
        if fd != -1:
            os.close(fd)
        tmp.unlink(missing_ok=True)


# --------------------------------------------------------------------------
# Reading the sdist
# --------------------------------------------------------------------------
def _read_members(sdist_path: Path, names: Iterable[str]) -> dict[str, bytes]:
    """Return the bytes of the named regular-file members (single pass, no extraction)."""
    wanted = set(names)
    found: dict[str, bytes] = {}
    with tarfile.open(sdist_path, mode="r:gz") as tar:
        for member in tar:
            if member.name not in wanted:
                continue
            if not member.isfile():
                raise ModelFormatError(f"{member.name} in {sdist_path} is not a regular file")
            f = tar.extractfile(member)
            assert f is not None
            found[member.name] = f.read()
            if len(found) == len(wanted):
                break
    missing = wanted - found.keys()
    if missing:
        raise ModelFormatError(f"{sdist_path} lacks {sorted(missing)}")
    return found


def _check_features(data: Any) -> dict[str, Any]:
    if not isinstance(data, dict) or set(data) != {"unigram", "bigram", "feature_to_idx", "tag_to_idx"}:
        raise ModelFormatError("features.pkl: expected a dict with unigram/bigram/feature_to_idx/tag_to_idx")
    for key in ("unigram", "bigram"):
        v = data[key]
        if not isinstance(v, (list, set, tuple)) or not all(isinstance(s, str) for s in v):
            raise ModelFormatError(f"features.pkl: {key} must be a collection of str")
    for key in ("feature_to_idx", "tag_to_idx"):
        v = data[key]
        if not isinstance(v, dict) or not all(
            isinstance(k, str) and type(i) is int for k, i in v.items()
        ):
            raise ModelFormatError(f"features.pkl: {key} must map str -> int")
    n = len(data["feature_to_idx"])
    if sorted(data["feature_to_idx"].values()) != list(range(n)):
        raise ModelFormatError("features.pkl: feature ids are not 0..n-1")
    if data["feature_to_idx"].get("$$") != 0:
        raise ModelFormatError("features.pkl: feature 0 must be '$$'")
    return data


def _user_dict_words(raw: bytes) -> list[str]:
    """Word list of pkuseg's dicts/default.pkl, as spacy_pkuseg.Postprocesser builds it."""
    text = restricted_loads(raw)
    if not isinstance(text, str):
        raise ModelFormatError("default.pkl: expected a pickled str")
    return sorted(set(text.strip().split("\n")))


def default_processors(other_words: list[str]) -> tuple:
    """spaCy ``pkuseg_processors`` data for pkuseg(user_dict="default").

    (user-dict trie entries, do_process, common_words, other_words): no
    user-dict words, post-processing on, merge list = dicts/default.pkl.
    """
    return ([], True, [], sorted(other_words))


# --------------------------------------------------------------------------
# Shrinking
# --------------------------------------------------------------------------
def _as_nodes(s: str) -> list[str] | None:
    """Split ``s`` into normalised pkuseg nodes, or None if no input can produce it.

    The extractor renames ``-._,|/*:`` to ``&`` and maps digits/letters to
    ``**Num``/``**Letter``, so those characters (and a bare ``*``) never occur
    as nodes.
    """
    out: list[str] = []
    i = 0
    while i < len(s):
        if s.startswith("**Num", i):
            out.append("**Num")
            i += 5
        elif s.startswith("**Letter", i):
            out.append("**Letter")
            i += 8
        else:
            c = s[i]
            if c in _KEYWORDS or c in _NUM or c in _LETTER:
                return None
            out.append(c)
            i += 1
    return out


def _is_node(s: str) -> bool:
    n = _as_nodes(s)
    return n is not None and len(n) == 1


def reachable_unigrams(unigram: Iterable[str]) -> set[str]:
    """Unigram words the extractor can ever look up: "" (the out-of-range slice) or 2..6 nodes."""
    keep = set()
    for u in unigram:
        if u == "":
            keep.add(u)
            continue
        n = _as_nodes(u)
        if n is not None and _WORD_MIN <= len(n) <= _WORD_MAX:
            keep.add(u)
    return keep


def _feature_reachable(key: str, words: set[str]) -> bool:
    """Can ``__get_node_features_idx`` ever build ``key``?

    ``words`` = reachable unigrams plus ``"**noWord"`` (the placeholder the
    extractor uses for non-words in ``ww.*`` features).
    """
    if key == "$$":
        return True
    prefix, _, rest = key.partition(".")
    if prefix in ("c", "c-1", "c1", "c-2", "c2"):
        return _is_node(rest)
    if prefix in ("c-1c", "cc1", "c-2c-1"):
        a, sep, b = rest.partition(".")
        return bool(sep) and _is_node(a) and _is_node(b)
    if prefix in ("w-1", "w1"):
        return rest in words and rest != _NO_WORD
    if prefix == "ww":
        side, _, pair = rest.partition(".")
        if side not in ("l", "r"):
            return False
        ok = words  # caller adds _NO_WORD
        start = 0
        while (i := pair.find("*", start)) != -1:
            if pair[:i] in ok and pair[i + 1 :] in ok:
                return True
            start = i + 1
        return False
    return False


@dataclass
class ConversionReport:
    n_tag: int
    n_feature_in: int
    n_feature_out: int
    dropped_small: int
    dropped_unreachable: int
    unigram_in: int
    unigram_out: int
    bigram_in: int
    bigram_out: int
    prune_eps: float | None
    weights_dtype: str
    bytes_features: int
    bytes_weights: int
    bytes_processors: int

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def shrink(
    features: dict[str, Any], w: np.ndarray, n_tag: int, eps: float
) -> tuple[dict[str, Any], np.ndarray, dict[str, int]]:
    """Drop features that cannot change the output (and those with |w| <= eps).

    * feature rows whose weights are all within ``eps`` of 0 (``eps=0``: exact
      zeros; adding 0.0 to a score is exact, so this is lossless);
    * features the extractor can never generate (see ``_feature_reachable``);
    * unigram words the extractor can never look up (wrong length / contain
      characters that normalisation removes);
    * the bigram set, which only the training-time ``get_node_features``
      reads; inference (``get_node_features_idx``) never does.

    Surviving features are renumbered in their original order (``$$`` stays 0)
    and the node-weight rows are gathered accordingly; transition weights are
    copied unchanged.
    """
    f2i: dict[str, int] = features["feature_to_idx"]
    n_feature = len(f2i)
    node = w[: n_feature * n_tag].reshape(n_feature, n_tag)
    trans = w[n_feature * n_tag :]
    small = np.abs(node).max(axis=1) <= eps
    small[0] = False  # "$$" is hard-coded as feature 0

    words = reachable_unigrams(features["unigram"])
    keep_mask = ~small
    unreachable = 0
    lookup = words | {_NO_WORD}
    for key, idx in f2i.items():
        if keep_mask[idx] and not _feature_reachable(key, lookup):
            keep_mask[idx] = False
            unreachable += 1
    keep_idx = np.flatnonzero(keep_mask)
    new_id = np.full(n_feature, -1, dtype=np.int64)
    new_id[keep_idx] = np.arange(len(keep_idx))
    new_f2i = {k: int(new_id[i]) for k, i in f2i.items() if keep_mask[i]}
    assert new_f2i["$$"] == 0
    new_w = np.concatenate([node[keep_idx].reshape(-1), trans])
    out = {
        "unigram": sorted(words),
        "bigram": [],
        "feature_to_idx": new_f2i,
        "tag_to_idx": dict(features["tag_to_idx"]),
    }
    stats = {"dropped_small": int(small.sum()), "dropped_unreachable": unreachable}
    return out, new_w, stats


# --------------------------------------------------------------------------
# Conversion
# --------------------------------------------------------------------------
def write_features(path: str | os.PathLike, features: dict[str, Any]) -> None:
    """spacy-pkuseg ``features.msgpack`` (sorted unigram/bigram lists)."""
    srsly.write_msgpack(
        path,
        {
            "unigram": sorted(features["unigram"]),
            "bigram": sorted(features["bigram"]),
            "feature_to_idx": features["feature_to_idx"],
            "tag_to_idx": features["tag_to_idx"],
        },
    )


def convert_model(
    sdist_path: str | os.PathLike,
    out_dir: str | os.PathLike,
    *,
    prune: float | None = DEFAULT_PRUNE_EPS,
    float32: bool | None = None,
) -> ConversionReport:
    """Convert the sdist's ``default`` model into a spacy-pkuseg model directory.

    Writes ``features.msgpack``, ``weights.npz``, ``pkuseg_processors.msgpack``
    and ``zhnews_meta.json`` into ``out_dir`` (created; existing files are
    overwritten).  The sdist is *not* re-verified here; use
    :func:`download_sdist` to obtain it.

    ``prune=None`` gives a faithful conversion (all features, bigram set kept,
    uncompressed float64 weights, i.e. what spacy_pkuseg itself would write):
    the "original" model that ``spacy_pkuseg.pkuseg(out_dir)`` loads directly.  ``prune=eps`` (a float >= 0) applies :func:`shrink` and,
    unless ``float32=False``, stores the weights as exactly-restorable float32
    (see :func:`save_weights`; such a directory must be loaded through
    :mod:`zhnews.segment.tokenizer`, which upcasts to float64).
    """
    sdist_path = Path(sdist_path)
    out = Path(out_dir)
    members = _read_members(sdist_path, [FEATURES_MEMBER, WEIGHTS_MEMBER, USER_DICT_MEMBER])
    features = _check_features(restricted_loads(members.pop(FEATURES_MEMBER)))
    with np.load(io.BytesIO(members.pop(WEIGHTS_MEMBER)), allow_pickle=False) as npz:
        n_tag, n_feature = (int(x) for x in npz["sizes"])
        w = np.asarray(npz["w"], dtype=np.float64)
    if n_tag != len(features["tag_to_idx"]) or n_feature != len(features["feature_to_idx"]):
        raise ModelFormatError("weights.npz sizes do not match features.pkl")
    if w.shape != (n_tag * (n_feature + n_tag),):
        raise ModelFormatError("weights.npz: unexpected weight vector length")
    other_words = _user_dict_words(members.pop(USER_DICT_MEMBER))

    unigram_in, bigram_in = len(features["unigram"]), len(features["bigram"])
    stats = {"dropped_small": 0, "dropped_unreachable": 0}
    if prune is not None:
        if prune < 0:
            raise ValueError("prune must be >= 0 or None")
        features, w, stats = shrink(features, w, n_tag, float(prune))
        use_f32 = True if float32 is None else float32
        compress = True
    else:
        use_f32 = bool(float32)
        compress = use_f32
    n_feature_out = len(features["feature_to_idx"])

    out.mkdir(parents=True, exist_ok=True)
    write_features(out / FEATURES_FILE, features)
    dtype = save_weights(out / WEIGHTS_FILE, w, n_tag, n_feature_out, float32=use_f32, compress=compress)
    srsly.write_msgpack(out / PROCESSORS_FILE, default_processors(other_words))
    report = ConversionReport(
        n_tag=n_tag,
        n_feature_in=n_feature,
        n_feature_out=n_feature_out,
        dropped_small=stats["dropped_small"],
        dropped_unreachable=stats["dropped_unreachable"],
        unigram_in=unigram_in,
        unigram_out=len(features["unigram"]),
        bigram_in=bigram_in,
        bigram_out=len(features["bigram"]),
        prune_eps=prune,
        weights_dtype=dtype,
        bytes_features=(out / FEATURES_FILE).stat().st_size,
        bytes_weights=(out / WEIGHTS_FILE).stat().st_size,
        bytes_processors=(out / PROCESSORS_FILE).stat().st_size,
    )
    meta = {"source": SDIST_URL, "sha256": SDIST_SHA256, **report.as_dict()}
    (out / META_FILE).write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    return report


def converted_model_dir(*, prune: float | None = DEFAULT_PRUNE_EPS) -> Path:
    """Where :func:`ensure_pkuseg_model` keeps the converted model for ``prune``."""
    tag = "full" if prune is None else f"eps{prune:g}"
    return cache_dir() / f"pkuseg-default-{SDIST_SHA256[:12]}-{tag}"


def ensure_pkuseg_model(*, prune: float | None = DEFAULT_PRUNE_EPS) -> Path:
    """Cached converted model directory, downloading and converting on first use.

    Only needed when the committed pipeline (``models/zhnews-zh``) does not
    carry the model.  The directory is built under a temporary name and
    renamed into place, so a crashed build never looks complete.
    """
    target = converted_model_dir(prune=prune)
    if (target / META_FILE).is_file():
        return target
    sdist = download_sdist(cache_dir())
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        convert_model(sdist, tmp, prune=prune)
        os.chmod(tmp, 0o755)  # mkdtemp creates 0700
        try:
            os.rename(tmp, target)
        except OSError:
            if not (target / META_FILE).is_file():  # lost a race to a broken dir
                shutil.rmtree(target, ignore_errors=True)
                os.rename(tmp, target)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return target


# --------------------------------------------------------------------------
# Pipelines
# --------------------------------------------------------------------------
def build_segmenter_pipeline(model_dir: str | os.PathLike) -> Language:
    """Blank ``zh`` pipeline with our tokenizer, initialised from a converted model dir.

    Only the tokenizer is initialised (no ``nlp.initialize()``), so the local
    model path never ends up in the saved ``config.cfg``.
    """
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"@tokenizers": TOKENIZER_NAME}}})
    nlp.tokenizer.initialize(pkuseg_model=str(model_dir))
    return nlp


def pipeline_pkuseg_weights(pipeline_dir: str | os.PathLike) -> Path:
    """Where a pipeline's tokenizer keeps its pkuseg weights (the file may be missing)."""
    return Path(pipeline_dir) / "tokenizer" / "pkuseg_model" / WEIGHTS_FILE


def pkuseg_model_path(pipeline_dir: str | os.PathLike | None = None) -> Path:
    """A pkuseg model directory (with its processors) for ``[initialize.tokenizer]``.

    Taken from the tokenizer of an existing pipeline (default: the committed
    ``models/zhnews-zh``), so that retraining needs no download; the model's
    processors file sits beside ``pkuseg_model/`` there and is copied into a
    cache directory next to the model files. Falls back to
    :func:`ensure_pkuseg_model` when there is no such pipeline.
    """
    source = Path(pipeline_dir) if pipeline_dir else DEFAULT_MODEL_PATH
    weights = pipeline_pkuseg_weights(source)
    if not weights.is_file():
        return ensure_pkuseg_model()
    model_dir = weights.parent
    digest = sha256_file(weights)[:16]
    target = cache_dir() / f"pkuseg-from-pipeline-{digest}"
    if not (target / PROCESSORS_FILE).is_file():
        target.mkdir(parents=True, exist_ok=True)
        for name in (FEATURES_FILE, FEATURES_GZ_FILE, WEIGHTS_FILE):
            if (model_dir / name).is_file():
                (target / name).write_bytes((model_dir / name).read_bytes())
        (target / PROCESSORS_FILE).write_bytes((source / "tokenizer" / "pkuseg_processors").read_bytes())
    return target
