"""Normalization: simplified text with a map back to raw offsets."""

from .normalizer import NormalizedText, TextWarning, normalize
from .offsets import MappedText
from .sentences import paragraph_spans, sentence_spans

__all__ = ["MappedText", "NormalizedText", "TextWarning", "normalize", "paragraph_spans", "sentence_spans"]
