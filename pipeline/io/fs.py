"""Paths and fsspec URLs: inputs and outputs may be ``s3://…``, ``gs://…``, ``memory://…``,
``file://…`` or any other protocol fsspec knows (with its package installed); plain paths
stay local and never import fsspec.
"""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO


def is_url(name: str | Path) -> bool:
    return "://" in str(name)


def filesystem(url: str):
    """``(fs, path)`` of an fsspec URL."""
    import fsspec

    return fsspec.core.url_to_fs(url)


class Location:
    """A file named by a local path or a URL: size, bytes, a binary stream, a version stamp."""

    def __init__(self, name: str | Path):
        self.name = str(name)
        self.url = is_url(self.name)
        self._local = None if self.url else Path(self.name)

    @property
    def suffix(self) -> str:
        return Path(self.name.split("?", 1)[0]).suffix

    def size(self) -> int:
        if self._local is not None:
            return self._local.stat().st_size
        fs, path = filesystem(self.name)
        return fs.size(path)

    def read_bytes(self) -> bytes:
        if self._local is not None:
            return self._local.read_bytes()
        fs, path = filesystem(self.name)
        return fs.cat_file(path)

    def open(self) -> BinaryIO:
        if self._local is not None:
            return self._local.open("rb")
        fs, path = filesystem(self.name)
        return fs.open(path, "rb")

    def stamp(self) -> list | None:
        """Size and modification time, or None: what tells a resumed run its input changed."""
        try:
            if self._local is not None:
                st = self._local.stat()
                return [st.st_size, st.st_mtime_ns]
            fs, path = filesystem(self.name)
            info = fs.info(path)
            return [info.get("size"), str(info.get("mtime") or info.get("LastModified") or info.get("created") or "")]
        except (OSError, FileNotFoundError):
            return None


def list_files(url: str) -> list[tuple[str, str]] | None:
    """``[(url of a file, path relative to url)]`` under a directory URL, sorted; None if it is not a directory."""
    fs, root = filesystem(url)
    if not fs.isdir(root):
        return None
    protocol = url.split("://", 1)[0]
    root = root.rstrip("/")
    files = []
    for path in sorted(fs.find(root)):
        relative = path[len(root):].lstrip("/")
        files.append((f"{protocol}://{path}" if not path.startswith(f"{protocol}://") else path, relative))
    return files


def write_text_url(url: str, text_path: Path) -> None:
    """Upload a finished local file to ``url`` (written under a temporary name, then moved)."""
    fs, path = filesystem(url)
    temporary = f"{path}.partial"
    fs.put_file(str(text_path), temporary)
    fs.mv(temporary, path)
