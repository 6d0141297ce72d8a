"""The one door to eventwire's knowledge files (YAML and CSV in this folder).

Stages ask for a file by name; a file of the same name in the user's knowledge folder
(``Settings.knowledge_dir`` / ``EVENTWIRE_KNOWLEDGE_DIR``) replaces the built-in one, so
users can correct or extend knowledge without touching code. Files are parsed once per
process and cached; nothing is read at import time.
"""

from __future__ import annotations

import csv
import io
import os
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from eventwire.errors import KnowledgeError

# libyaml's parser is ~10x faster on the large actor files; fall back to pure Python.
_YamlLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

BUILTIN_DIR = Path(__file__).resolve().parent
USER_DIR_ENV = "EVENTWIRE_KNOWLEDGE_DIR"


def user_dir() -> Path | None:
    value = os.environ.get(USER_DIR_ENV)
    return Path(value) if value else None


def use_user_dir(directory: Path | str | None) -> None:
    """Read the user's knowledge files from ``directory`` (None: built-in files only).

    Kept in the environment so worker processes started later read the same files. Set it
    before coding starts: stages build their indexes from the files on first use.
    """
    if directory is None:
        os.environ.pop(USER_DIR_ENV, None)
    else:
        os.environ[USER_DIR_ENV] = str(directory)


def knowledge_path(name: str) -> Path:
    """Where the knowledge file ``name`` is read from: the user's copy first, else built-in."""
    override = user_dir()
    if override is not None and (override / name).is_file():
        return override / name
    path = BUILTIN_DIR / name
    if not path.is_file():
        raise KnowledgeError(f"knowledge file {name!r} not found in {BUILTIN_DIR}")
    return path


@cache
def _load_yaml(path: Path, mtime: float) -> Any:
    try:
        with path.open(encoding="utf-8") as fh:
            return yaml.load(fh, Loader=_YamlLoader)
    except yaml.YAMLError as exc:
        raise KnowledgeError(f"{path}: not valid YAML: {exc}") from exc


@cache
def _load_csv(path: Path, mtime: float) -> tuple[dict[str, str], ...]:
    text = path.read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    reader = csv.DictReader(io.StringIO("\n".join(lines)))
    rows = []
    for number, row in enumerate(reader, start=2):
        if None in row:
            raise KnowledgeError(f"{path}: row {number} has more fields than the header")
        rows.append({k: (v or "").strip() for k, v in row.items()})
    return tuple(rows)


def load_yaml(name: str) -> Any:
    """Parsed content of a YAML knowledge file (cached until the file changes)."""
    path = knowledge_path(name)
    return _load_yaml(path, path.stat().st_mtime)


def load_csv(name: str) -> tuple[dict[str, str], ...]:
    """Rows of a CSV knowledge file as dicts; lines starting with '#' are comments."""
    path = knowledge_path(name)
    return _load_csv(path, path.stat().st_mtime)


def clear_cache() -> None:
    """Forget parsed files (tests and long-running servers that edit knowledge call this)."""
    _load_yaml.cache_clear()
    _load_csv.cache_clear()
