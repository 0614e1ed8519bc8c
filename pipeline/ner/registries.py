"""Registry name lists (listed companies, development zones, organization dictionaries) for
``zhnews_lexicon``: read at training time from the gazetteers folder, stored with the pipeline.

Which lists form which feature family is data (``configs/registries.json``); every list file is
checked against the folder's ``checksums.sha256`` before it is read, and the training record
keeps each file's sha256, so a model says exactly which registry text it learned from.
Build-time only: the run-time component reads the stored names, never this folder.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

REGISTRIES_SPEC = Path(__file__).resolve().parents[2] / "configs" / "registries.json"


class RegistryError(ValueError):
    """A gazetteer list is missing, altered, or not named by the spec."""


@dataclass(frozen=True)
class Registries:
    names: dict[str, list[str]]  # family -> sorted distinct names
    sources: dict[str, str]  # list file -> sha256

    def counts(self) -> dict[str, int]:
        return {family: len(names) for family, names in self.names.items()}


def load_spec(path: Path = REGISTRIES_SPEC) -> dict[str, dict[str, int]]:
    """family -> {list name: min_length}."""
    spec = json.loads(path.read_text(encoding="utf-8"))
    return {family: dict(entry["lists"]) for family, entry in spec["families"].items()}


def _checksums(folder: Path) -> dict[str, str]:
    listing = folder / "checksums.sha256"
    if not listing.is_file():
        raise RegistryError(f"{listing} is missing: the gazetteers folder cannot be verified")
    sums = {}
    for line in listing.read_text(encoding="utf-8").splitlines():
        if line.strip():
            digest, name = line.split(maxsplit=1)
            sums[name.strip().lstrip("*")] = digest
    return sums


def read_list(path: Path, min_length: int) -> set[str]:
    """One name per line; the first line (``# source | licence``) and blank lines are skipped."""
    names = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        name = line.strip()
        if name and not name.startswith("#") and len(name) >= min_length:
            names.add(name)
    return names


def read_registries(folder: Path, families: tuple[str, ...] | None = None,
                    spec: Path = REGISTRIES_SPEC) -> Registries:
    """The names of each family in ``spec`` (or only ``families``), verified against the
    folder's checksums."""
    layout = load_spec(spec)
    if families is not None:
        unknown = set(families) - set(layout)
        if unknown:
            raise RegistryError(f"unknown registry families {sorted(unknown)}; {spec.name} defines {sorted(layout)}")
        layout = {family: layout[family] for family in families}
    sums = _checksums(folder)
    names: dict[str, list[str]] = {}
    sources: dict[str, str] = {}
    for family, lists in layout.items():
        collected: set[str] = set()
        for list_name, min_length in lists.items():
            relative = f"lists/{list_name}.txt"
            path = folder / relative
            if not path.is_file():
                raise RegistryError(f"registry list {path} is missing")
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            if sums.get(relative) != digest:
                raise RegistryError(f"{path} does not match {folder / 'checksums.sha256'}: refusing altered names")
            sources[relative] = digest
            collected |= read_list(path, max(2, min_length))
        names[family] = sorted(collected)
    return Registries(names, sources)
