"""Output files that are never half-written, never an input, never silently replaced.

A run writes each output to a hidden temporary file beside its target and renames it into
place only when the run has finished (``os.replace`` is atomic on one file system), so a
run that fails, is interrupted or cannot load its model leaves existing files as they
were. Before anything is opened, :func:`check_outputs` refuses targets that name an input
file, lie inside an input directory's reach as files the run would read, name each other,
or exist already without ``overwrite``.
"""

from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Iterator


class OutputConflict(ValueError):
    """An output target that the run must not write (the message says why)."""


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (a.exists() and b.exists() and os.path.samefile(a, b))
    except OSError:
        return False


def check_outputs(inputs: list[str], outputs: dict[str, Path | None], *, overwrite: bool) -> None:
    """Raise :class:`OutputConflict` for a target that names an input or another target,
    exists without ``overwrite``, or cannot be written (missing or read-only directory)."""
    from .fs import filesystem, is_url

    targets = {name: path for name, path in outputs.items() if path is not None}
    names = list(targets)
    for i, first in enumerate(names):
        for second in names[i + 1:]:
            if str(targets[first]) == str(targets[second]) or _same_file(Path(str(targets[first])), Path(str(targets[second]))):
                raise OutputConflict(f"{first} and {second} name the same file ({targets[first]})")
    for name, path in list(targets.items()):
        if is_url(path):
            if any(str(path) == item for item in inputs):
                raise OutputConflict(f"{name} {path} is an input of this run: choose another file")
            try:
                fs, remote = filesystem(str(path))
                exists = fs.exists(remote)
            except (ImportError, ValueError, OSError) as err:
                raise OutputConflict(f"{name} {path}: {err}") from None
            if exists and not overwrite:
                raise OutputConflict(f"{name} {path} exists: pass --overwrite to replace it")
            continue
        for item in inputs:
            if item == "-":
                continue
            if _same_file(path, Path(item)):
                raise OutputConflict(f"{name} {path} is an input of this run: choose another file")
        if path.is_dir():
            raise OutputConflict(f"{name} {path} is a directory")
        parent = path.parent if str(path.parent) else Path(".")
        if not parent.is_dir():
            raise OutputConflict(f"{name} {path}: directory {parent} does not exist")
        if not os.access(parent, os.W_OK):
            raise OutputConflict(f"{name} {path}: directory {parent} is not writable")
        if path.exists() and not overwrite:
            raise OutputConflict(f"{name} {path} exists: pass --overwrite to replace it")


@contextmanager
def atomic_output(path: Path, *, newline: str | None = None, durable: bool = True) -> Iterator[IO[str]]:
    """A text stream whose content replaces ``path`` only if the block ends without an error
    (``durable``: flushed to disk before the rename)."""
    path = Path(path)
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent or ".")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline=newline) as stream:
            yield stream
            stream.flush()
            if durable:
                os.fsync(stream.fileno())
        if path.exists():
            os.chmod(temporary, path.stat().st_mode & 0o777)
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(temporary, 0o666 & ~umask)
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except FileNotFoundError:
            pass
        raise

