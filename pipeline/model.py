"""Where the trained pipeline lives and how it is loaded.

The pipeline in ``models/zhnews-zh`` (tokenizer with the pkuseg model, and the
trained components as they land) is what ``zhnews run`` uses by default. It is
an ordinary spaCy pipeline: ``spacy.load("models/zhnews-zh")`` works once this
package is installed (it registers the tokenizer and components).
"""

from __future__ import annotations

import os
from pathlib import Path

MODEL_ENV = "ZHNEWS_MODEL"
DEFAULT_MODEL_NAME = "zhnews-zh"
REPO_ROOT = Path(__file__).resolve().parent.parent


class ModelNotFoundError(FileNotFoundError):
    pass


def default_model_path() -> Path:
    """``$ZHNEWS_MODEL``, else ``models/zhnews-zh`` of the checkout, else of the cwd."""
    if os.environ.get(MODEL_ENV):
        return Path(os.environ[MODEL_ENV])
    for root in (REPO_ROOT, Path.cwd()):
        candidate = root / "models" / DEFAULT_MODEL_NAME
        if candidate.exists():
            return candidate
    return REPO_ROOT / "models" / DEFAULT_MODEL_NAME


def load_pipeline(path: str | Path | None = None, *, segmenter_only: bool = False):
    """Load the zhnews spaCy pipeline from ``path`` (default: :func:`default_model_path`).

    ``segmenter_only`` loads the tokenizer alone (no NER, no relation models), e.g. to
    measure the segmenter's own start-up and memory.
    """
    import spacy

    from . import components  # noqa: F401  (registers the tokenizer and components)

    model = Path(path) if path else default_model_path()
    if not (model / "config.cfg").exists():
        raise ModelNotFoundError(
            f"no zhnews pipeline at {model} (config.cfg missing). Pass --model, set "
            f"{MODEL_ENV}, or rebuild it with `python scripts/build_segmenter.py`."
        )
    exclude = spacy.util.load_config(model / "config.cfg")["nlp"]["pipeline"] if segmenter_only else []
    return spacy.load(model, exclude=exclude)
