"""spaCy Chinese tokenizer backed by pkuseg's news model, loaded without pickle.

spaCy's own :class:`spacy.lang.zh.ChineseTokenizer` loads pkuseg with
``spacy_pkuseg.pkuseg(path)``, whose default ``user_dict="default"``
unpickles ``spacy_pkuseg/dicts/default.pkl`` (and ``from_bytes`` does the
same).  :class:`ZhnewsChineseTokenizer` instead constructs pkuseg with
``user_dict=None`` (nothing unpickled: features come from msgpack, weights
from ``np.load(allow_pickle=False)``) and then restores the pre/post-processor
state from spaCy's ``pkuseg_processors`` msgpack, which for our model holds the
``default.pkl`` word list converted once at build time
(:mod:`zhnews.training.pkuseg_build`).  It also reads the compact weight
storage written by that module (exactly-restorable float32) and writes it back
in the same form, so the committed pipeline stays small.

Registered as ``zhnews.ChineseTokenizer.v1`` (also declared as a
``spacy_tokenizers`` entry point in pyproject.toml).
"""

from __future__ import annotations

import gzip
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Optional

import spacy
import srsly
from spacy import util
from spacy.language import Language
from spacy.lang.zh import ChineseTokenizer, Segmenter
from spacy.tokens import Doc
from spacy.vocab import Vocab

from ..loader import DEFAULT_MODEL_NAME, REPO_ROOT
from ..normalize.normalizer import normalize as normalize_raw
from ..normalize.on_doc import attach
from .chars import char_doc
from .pkuseg_store import (
    FEATURES_FILE,
    PROCESSORS_FILE,
    WEIGHTS_FILE,
    ModelFormatError,
    restore_weights,
    save_weights,
    stored_decimals,
)

TOKENIZER_NAME = "zhnews.ChineseTokenizer.v1"


def _build_pkuseg_model() -> Path:
    """A pipeline saved without its pkuseg model: convert it from the pinned sdist (downloaded and
    checked once, then cached); build-time code, imported only on this path."""
    from ..training.pkuseg_build import ensure_pkuseg_model

    return ensure_pkuseg_model()
#: Where the committed pipeline lives (see :mod:`zhnews.loader`).
DEFAULT_MODEL_PATH = REPO_ROOT / "models" / DEFAULT_MODEL_NAME
FEATURES_GZ_FILE = FEATURES_FILE + ".gz"
GZIP_MAGIC = b"\x1f\x8b"
#: ``features.msgpack.gz`` lists the features in id order under this key instead of
#: spacy-pkuseg's ``feature_to_idx`` map: msgpack unpacks the map of 870k names in 1.0-1.4 s,
#: the list in 0.25 s, and the dict is rebuilt from it in 0.5 s, at every process start.
#: Both layouts are read.
FEATURE_LIST_KEY = "features"
#: ``word``: one token per pkuseg word; ``char``: one token per character (for the NER).
GRANULARITIES = ("word", "char")


# --------------------------------------------------------------------------
# Loading pkuseg without pickle
# --------------------------------------------------------------------------
def _restore_processors(seg: Any, data: Iterable[Any] | None) -> None:
    """Apply spaCy's ``pkuseg_processors`` tuple to a pkuseg instance (as spaCy does)."""
    import spacy_pkuseg

    if not data:
        return
    user_dict, do_process, common_words, other_words = data
    seg.preprocesser = spacy_pkuseg.Preprocesser(user_dict)
    seg.postprocesser.do_process = bool(do_process)
    seg.postprocesser.common_words = set(common_words)
    seg.postprocesser.other_words = set(other_words)


def load_pkuseg(model_dir: str | os.PathLike, processors: Any = None) -> Any:
    """Load a spacy-pkuseg model directory without unpickling anything.

    ``spacy_pkuseg.pkuseg(dir, user_dict=None)`` reads ``features.msgpack``
    and ``weights.npz`` only (``np.load`` with numpy's default
    ``allow_pickle=False``); float32 weights are then restored exactly to
    float64 (:func:`restore_weights`).  ``processors`` is spaCy's ``pkuseg_processors`` tuple; if
    omitted, ``<model_dir>/pkuseg_processors.msgpack`` is used when present.
    """
    import spacy_pkuseg

    model_dir = Path(model_dir)
    if not (model_dir / WEIGHTS_FILE).is_file():
        raise FileNotFoundError(f"pkuseg model file missing: {model_dir / WEIGHTS_FILE}")
    if (model_dir / FEATURES_FILE).is_file():
        seg = spacy_pkuseg.pkuseg(str(model_dir), user_dict=None)
    elif (model_dir / FEATURES_GZ_FILE).is_file():
        features = srsly.msgpack_loads(gzip.decompress((model_dir / FEATURES_GZ_FILE).read_bytes()))
        # spacy_pkuseg reads a directory: give it the weights and an empty feature table, then ours
        with tempfile.TemporaryDirectory(prefix="zhnews-pkuseg-") as tmp:
            empty = {"unigram": [], "bigram": [], "feature_to_idx": {}, "tag_to_idx": features["tag_to_idx"]}
            srsly.write_msgpack(Path(tmp) / FEATURES_FILE, empty)
            os.symlink((model_dir / WEIGHTS_FILE).resolve(), Path(tmp) / WEIGHTS_FILE)
            seg = spacy_pkuseg.pkuseg(tmp, user_dict=None)
        _install_features(seg, features)
    else:
        raise FileNotFoundError(f"pkuseg model file missing: {model_dir / FEATURES_FILE}")
    seg.model.w = restore_weights(seg.model.w, stored_decimals(model_dir / WEIGHTS_FILE))
    if processors is None and (model_dir / PROCESSORS_FILE).is_file():
        processors = read_processors((model_dir / PROCESSORS_FILE).read_bytes())
    _restore_processors(seg, processors)
    return seg


def _features_data(seg: Any) -> dict[str, Any]:
    """The feature table for ``features.msgpack.gz``: names in id order when the ids are 0..n-1."""
    extractor = seg.feature_extractor
    feature_to_idx = extractor.feature_to_idx
    ordered = sorted(feature_to_idx, key=feature_to_idx.__getitem__)
    data: dict[str, Any] = {"unigram": sorted(extractor.unigram), "bigram": sorted(extractor.bigram),
                            "tag_to_idx": extractor.tag_to_idx}
    if all(feature_to_idx[name] == i for i, name in enumerate(ordered)):
        data[FEATURE_LIST_KEY] = ordered
    else:
        data["feature_to_idx"] = feature_to_idx
    return data


def _install_features(seg: Any, features: dict[str, Any]) -> None:
    """Give a pkuseg instance the feature table read from ``features.msgpack.gz`` (either layout)."""
    if FEATURE_LIST_KEY in features:
        names = features[FEATURE_LIST_KEY]
        feature_to_idx = dict(zip(names, range(len(names))))
    else:
        feature_to_idx = features["feature_to_idx"]
    if len(feature_to_idx) != seg.model.n_feature:
        raise ModelFormatError(f"{len(feature_to_idx)} features, but the weights are for {seg.model.n_feature}")
    extractor = seg.feature_extractor
    extractor.unigram = set(features["unigram"])
    extractor.bigram = set(features["bigram"])
    extractor.feature_to_idx = feature_to_idx
    seg.n_feature = len(feature_to_idx)


def _processors_data(seg: Any) -> tuple:
    from spacy.lang.zh import _get_pkuseg_trie_data

    return (
        _get_pkuseg_trie_data(seg.preprocesser.trie),
        seg.postprocesser.do_process,
        sorted(seg.postprocesser.common_words),
        sorted(seg.postprocesser.other_words),
    )


def read_processors(data: bytes) -> Any:
    """spaCy's ``pkuseg_processors`` msgpack, gzipped (as we write it) or plain (as spaCy does)."""
    return srsly.msgpack_loads(gzip.decompress(data) if data[:2] == GZIP_MAGIC else data)


def write_processors(seg: Any) -> bytes:
    return gzip.compress(srsly.msgpack_dumps(_processors_data(seg)), compresslevel=9, mtime=0)


def _save_pkuseg_model(seg: Any, path: Path) -> None:
    """Write gzipped ``features.msgpack.gz`` (names in id order, :data:`FEATURE_LIST_KEY`) +
    compact ``weights.npz`` (see ``save_weights``).

    Gzip brings the committed tokenizer under the size that lets it live in the
    repository; it is read back by :func:`load_pkuseg`.
    """
    path.mkdir(parents=True, exist_ok=True)
    (path / FEATURES_GZ_FILE).write_bytes(gzip.compress(srsly.msgpack_dumps(_features_data(seg)), compresslevel=9, mtime=0))
    save_weights(path / WEIGHTS_FILE, seg.model.w, seg.model.n_tag, seg.model.n_feature)


# --------------------------------------------------------------------------
# Tokenizer
# --------------------------------------------------------------------------
#: pkuseg's words per text while :func:`memoized_segmentation` is active, else None
_segmentation_memo: dict[str, list[str]] | None = None


@contextmanager
def memoized_segmentation() -> Iterator[None]:
    """Segment each distinct text once inside the block (character tokens).

    spaCy's training makes each example's predicted doc anew on every pass over the corpus: three
    passes while initializing the pipeline, and the gold is repeated ``gold_repeat`` times in the
    training data. Segmentation is a function of the text alone, so the docs are the same; with the
    seeds, the synthetic sets and 15,000 corpus sentences pkuseg took 188 of the 325 s that
    initialization took.
    """
    global _segmentation_memo
    previous, _segmentation_memo = _segmentation_memo, {}
    try:
        yield
    finally:
        _segmentation_memo = previous


class ZhnewsChineseTokenizer(ChineseTokenizer):
    """:class:`spacy.lang.zh.ChineseTokenizer` whose (de)serialisation never unpickles.

    Segmentation (``__call__``) is inherited unchanged; only model loading and
    saving differ:

    * ``initialize(pkuseg_model=dir)`` loads a directory produced by
      :func:`zhnews.training.pkuseg_build.convert_model`; with no
      ``pkuseg_model`` it keeps an already loaded model (so a later
      ``nlp.initialize()`` for new components does not drop it) or falls
      back to converting the pinned sdist (:mod:`zhnews.training.pkuseg_build`).
    * ``from_disk``/``from_bytes`` read the same ``pkuseg_model``/
      ``pkuseg_processors`` layout as spaCy but go through :func:`load_pkuseg`.
      If ``tokenizer/pkuseg_model/`` is absent (pipeline committed without
      the model), ``from_disk`` converts it the same way.
    * ``to_disk``/``to_bytes`` store exactly-restorable float32 weights.
    """

    def __init__(self, vocab: Vocab, segmenter: Segmenter | str = Segmenter.pkuseg, granularity: str = "word",
                 normalize: bool = False):
        super().__init__(vocab, segmenter=segmenter)
        if granularity not in GRANULARITIES:
            raise ValueError(f"granularity must be one of {', '.join(GRANULARITIES)}, not {granularity!r}")
        self.granularity = granularity
        self.normalize = normalize

    def __call__(self, text: str) -> Doc:
        """Word tokens, or (``granularity="char"``) character tokens that carry their word.

        With ``normalize`` the text is first normalized (:func:`zhnews.normalize.normalize`):
        ``doc.text`` is the normalized text and the map back to ``text`` is on the ``Doc``
        (:mod:`zhnews.normalize.on_doc`). Normalized text normalizes to itself, so gold
        and training text pass through unchanged.

        With character tokens every entity boundary is a token boundary; the
        pkuseg word of each character is kept in ``token.lemma_`` and its
        position in ``token.tag_`` (see :mod:`zhnews.segment.chars`).
        """
        if not self.normalize:
            return self._tokenize(text)
        norm = normalize_raw(text)
        return attach(self._tokenize(norm.text), text, norm)

    def _tokenize(self, text: str) -> Doc:
        if self.granularity == "word":
            return super().__call__(text)
        if self.pkuseg_seg is None:
            raise ValueError("the pkuseg model is not loaded: initialize the tokenizer or load a trained pipeline")
        return char_doc(self.vocab, text, self._words(text))

    def _words(self, text: str) -> list[str]:
        if _segmentation_memo is None:
            return self.pkuseg_seg.cut(text)
        words = _segmentation_memo.get(text)
        if words is None:
            words = _segmentation_memo[text] = self.pkuseg_seg.cut(text)
        return words

    def _get_config(self) -> dict[str, Any]:
        # not ``normalize``: config.cfg is its one source of truth (spacy.load(config=...) overrides it)
        return {"segmenter": self.segmenter, "granularity": self.granularity}

    def _set_config(self, config: dict[str, Any] = {}) -> None:
        super()._set_config(config)
        self.granularity = config.get("granularity", "word")

    # Plain typing names only: spaCy validates these settings with pydantic,
    # resolving the (string) annotations in its own namespace.
    def initialize(
        self,
        get_examples=None,
        *,
        nlp=None,
        pkuseg_model: Optional[str] = None,
        pkuseg_user_dict: Optional[str] = "default",
    ) -> None:
        """Load the pkuseg model (pickle-free).

        ``pkuseg_user_dict``: ``"default"`` uses the converted ``default.pkl``
        merge list stored with the model; ``None`` disables pre/post-processing
        (as ``spacy_pkuseg.pkuseg(user_dict=None)``); a path to a text file
        (``word[\\tTAG]`` per line) forces those words, keeping the default
        merge list, like spacy_pkuseg does.
        """
        if self.segmenter != Segmenter.pkuseg:
            return
        if pkuseg_model is None:
            if self.pkuseg_seg is not None:
                return
            pkuseg_model = _build_pkuseg_model()
        seg = load_pkuseg(pkuseg_model)
        if pkuseg_user_dict is None:
            _restore_processors(seg, ([], False, [], []))
        elif str(pkuseg_user_dict) != "default":
            import spacy_pkuseg

            seg.preprocesser = spacy_pkuseg.Preprocesser(str(pkuseg_user_dict))
        self.pkuseg_seg = seg

    # -- serialisation -------------------------------------------------------
    def to_disk(self, path: str | os.PathLike, *, exclude: Iterable[str] = tuple(), **kwargs: Any) -> None:
        path = util.ensure_path(path)

        def save_model(p: Path) -> None:
            if self.pkuseg_seg is not None:
                _save_pkuseg_model(self.pkuseg_seg, p)

        def save_processors(p: Path) -> None:
            if self.pkuseg_seg is not None:
                p.write_bytes(write_processors(self.pkuseg_seg))

        serializers = {
            "cfg": lambda p: srsly.write_json(p, self._get_config()),
            "pkuseg_model": save_model,
            "pkuseg_processors": save_processors,
        }
        util.to_disk(path, serializers, exclude)

    def from_disk(self, path: str | os.PathLike, *, exclude: Iterable[str] = tuple(), **kwargs: Any) -> "ZhnewsChineseTokenizer":
        path = util.ensure_path(path)
        state: dict[str, Any] = {}

        def load_model(p: Path) -> None:
            if p.exists() and self.segmenter == Segmenter.pkuseg:
                state["model"] = p

        def load_processors(p: Path) -> None:
            if p.exists() and self.segmenter == Segmenter.pkuseg:
                state["processors"] = read_processors(p.read_bytes())

        deserializers = {
            "cfg": lambda p: self._set_config(srsly.read_json(p)),
            "pkuseg_model": load_model,
            "pkuseg_processors": load_processors,
        }
        util.from_disk(path, deserializers, exclude)
        if "model" in state:
            self.pkuseg_seg = load_pkuseg(state["model"], processors=state.get("processors"))
        elif self.segmenter == Segmenter.pkuseg and "pkuseg_model" not in exclude:
            # Pipeline saved/committed without the (large) model files: use
            # the cached conversion, building it on first use.
            self.pkuseg_seg = load_pkuseg(_build_pkuseg_model(), processors=state.get("processors"))
        return self

    def to_bytes(self, *, exclude: Iterable[str] = tuple(), **kwargs: Any) -> bytes:
        features_b = weights_b = b""
        processors = None
        if self.pkuseg_seg is not None:
            with tempfile.TemporaryDirectory() as tmp:
                _save_pkuseg_model(self.pkuseg_seg, Path(tmp))
                features_b = (Path(tmp) / FEATURES_GZ_FILE).read_bytes()
                weights_b = (Path(tmp) / WEIGHTS_FILE).read_bytes()
            processors = write_processors(self.pkuseg_seg)
        serializers = {
            "cfg": lambda: srsly.json_dumps(self._get_config()),
            "pkuseg_features": lambda: features_b,
            "pkuseg_weights": lambda: weights_b,
            "pkuseg_processors": lambda: processors,
        }
        return util.to_bytes(serializers, exclude)

    def from_bytes(self, data: bytes, *, exclude: Iterable[str] = tuple(), **kwargs: Any) -> "ZhnewsChineseTokenizer":
        parts: dict[str, Any] = {"features": b"", "weights": b"", "processors": None}
        deserializers = {
            "cfg": lambda b: self._set_config(srsly.json_loads(b)),
            "pkuseg_features": lambda b: parts.__setitem__("features", b),
            "pkuseg_weights": lambda b: parts.__setitem__("weights", b),
            "pkuseg_processors": lambda b: parts.__setitem__("processors", read_processors(b) if b else None),
        }
        util.from_bytes(data, deserializers, exclude)
        if parts["features"] and parts["weights"] and self.segmenter == Segmenter.pkuseg:
            with tempfile.TemporaryDirectory() as tmp:
                (Path(tmp) / FEATURES_GZ_FILE).write_bytes(parts["features"])
                (Path(tmp) / WEIGHTS_FILE).write_bytes(parts["weights"])
                self.pkuseg_seg = load_pkuseg(tmp, processors=parts["processors"])
        return self


@spacy.registry.tokenizers(TOKENIZER_NAME)
def create_tokenizer(segmenter: str = "pkuseg", granularity: str = "word",
                     normalize: bool = False) -> Callable[[Language], ZhnewsChineseTokenizer]:
    """Registry entry: ``[nlp.tokenizer] @tokenizers = "zhnews.ChineseTokenizer.v1"``;
    ``normalize = true`` makes ``nlp(raw_text)`` normalize first."""

    def tokenizer_factory(nlp: Language) -> ZhnewsChineseTokenizer:
        return ZhnewsChineseTokenizer(nlp.vocab, segmenter=segmenter, granularity=granularity, normalize=normalize)

    return tokenizer_factory


__all__ = [
    "DEFAULT_MODEL_PATH",
    "TOKENIZER_NAME",
    "ZhnewsChineseTokenizer",
    "create_tokenizer",
    "load_pkuseg",
]
