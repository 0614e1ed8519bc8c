"""Where the trained pipeline lives and how it is loaded.

The pipeline in ``models/zhnews-zh`` (tokenizer with the pkuseg model, and the
trained components as they land) is what ``zhnews run`` uses by default. It is
an ordinary spaCy pipeline: ``spacy.load("models/zhnews-zh")`` works once this
package is installed (it registers the tokenizer and components).
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

MODEL_ENV = "ZHNEWS_MODEL"
DEFAULT_MODEL_NAME = "zhnews-zh"
REPO_ROOT = Path(__file__).resolve().parent.parent


#: The pipeline directory's list of its files with their sha256, checked at every load.
MANIFEST_NAME = "manifest.json"


class ModelNotFoundError(FileNotFoundError):
    """The pipeline cannot be used: missing, incomplete, altered or unreadable (exit 2)."""


def _model_files(model: Path) -> list[Path]:
    return sorted(p for p in model.rglob("*") if p.is_file() and p.name != MANIFEST_NAME
                  and not any(part.startswith(".") or part == "__pycache__" for part in p.relative_to(model).parts))


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_manifest(model: str | Path) -> Path:
    """Record every file of the pipeline directory with its sha256 in ``manifest.json``."""
    model = Path(model)
    files = {p.relative_to(model).as_posix(): _sha256(p) for p in _model_files(model)}
    path = model / MANIFEST_NAME
    path.write_text(json.dumps({"algorithm": "sha256", "files": files}, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return path


def verify_model_files(model: str | Path) -> None:
    """Raise :class:`ModelNotFoundError` naming the first file that is missing, altered or
    unexpected, compared with the directory's ``manifest.json``."""
    model = Path(model)
    manifest = model / MANIFEST_NAME
    try:
        recorded = json.loads(manifest.read_text(encoding="utf-8"))["files"]
    except FileNotFoundError:
        raise ModelNotFoundError(
            f"{manifest} is missing: the pipeline's files cannot be checked (a trained pipeline has one; "
            f"after checking the files yourself, `zhnews model manifest {model}` writes it)") from None
    except (OSError, ValueError, KeyError, TypeError) as err:
        raise ModelNotFoundError(f"{manifest} is unreadable: {err}") from None
    present = {p.relative_to(model).as_posix() for p in _model_files(model)}
    for name in sorted(recorded):
        if name not in present:
            raise ModelNotFoundError(f"{model / name} is missing (listed in {MANIFEST_NAME})")
    for name in sorted(present - set(recorded)):
        raise ModelNotFoundError(f"{model / name} is not in {MANIFEST_NAME}: an unexpected file in the pipeline")
    for name in sorted(recorded):
        if _sha256(model / name) != recorded[name]:
            raise ModelNotFoundError(f"{model / name} was altered (its sha256 differs from {MANIFEST_NAME})")


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
    verify_model_files(model)
    try:
        exclude = spacy.util.load_config(model / "config.cfg")["nlp"]["pipeline"] if segmenter_only else []
        return spacy.load(model, exclude=exclude)
    except Exception as err:  # a file the manifest vouches for still fails: say which load failed, once
        raise ModelNotFoundError(f"cannot load the pipeline at {model}: {type(err).__name__}: {err}") from err
