"""Chinese word segmentation: spaCy's ChineseTokenizer + pkuseg's news model.

The model comes from the pinned pkuseg 0.0.25 sdist, converted once to
msgpack/npz (:mod:`.pkuseg_model`); :mod:`.tokenizer` loads it without
unpickling anything. The pipeline is loaded with :func:`zhnews.loader.load_pipeline`.
"""

from .pkuseg_model import (
    ChecksumMismatchError,
    DownloadError,
    RestrictedUnpickler,
    cache_dir,
    convert_model,
    download_sdist,
    ensure_pkuseg_model,
)
from .tokenizer import (
    ZhnewsChineseTokenizer,
    build_segmenter_pipeline,
    create_tokenizer,
)

__all__ = [
    "ChecksumMismatchError",
    "DownloadError",
    "RestrictedUnpickler",
    "ZhnewsChineseTokenizer",
    "build_segmenter_pipeline",
    "cache_dir",
    "convert_model",
    "create_tokenizer",
    "download_sdist",
    "ensure_pkuseg_model",
]
