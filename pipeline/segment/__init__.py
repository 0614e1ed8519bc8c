"""Chinese word segmentation: spaCy's ChineseTokenizer + pkuseg's news model.

The model comes from the pinned pkuseg 0.0.25 sdist, converted once to msgpack/npz at build
time (:mod:`zhnews.training.pkuseg_build`); :mod:`.tokenizer` loads it without unpickling
anything (:mod:`.pkuseg_store`: its files). The pipeline is loaded with
:func:`zhnews.loader.load_pipeline`.
"""

from .tokenizer import ZhnewsChineseTokenizer, create_tokenizer

__all__ = ["ZhnewsChineseTokenizer", "create_tokenizer"]
