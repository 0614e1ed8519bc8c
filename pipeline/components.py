"""Imports every module that registers a spaCy tokenizer, component factory or callback.

spaCy finds them through the package's entry points once it is installed; this
import makes them available in a bare checkout (e.g. when run from source).
"""

from . import blas  # noqa: F401
from .ner import confidence, consistency, lexicon, money_year  # noqa: F401
from .relations import component  # noqa: F401
from .segment import tokenizer  # noqa: F401
