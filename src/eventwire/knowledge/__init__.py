"""Everything the coder knows, in one object: ``Knowledge``, built once from ``Settings``.

The knowledge files (YAML and CSV in this folder) are read, and each is checked against its
schema (``knowledge.schemas``), when the object is built: an unknown key or a bad value is a
``KnowledgeError`` naming the file and the key. A file of the same name in the user's
knowledge folder (``Settings.knowledge_dir``) replaces the built-in one.

Tables derived from the files (the actor lexicon, the people index, the trigger index, the
compiled date and place patterns...) belong to the object too: a stage asks for one with
``knowledge.derived(name, build)``, which builds it on first use *for this object*. There are
no module-level caches, so a new ``Knowledge`` (another folder, edited files) reaches every
stage, and nothing is found through the environment or context variables: stages receive
the object as an argument.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeVar

import yaml

from eventwire.errors import KnowledgeError
from eventwire.knowledge.policy import Policy, with_overrides
from eventwire.knowledge.schemas import SCHEMAS, check

if TYPE_CHECKING:
    from eventwire.actorkb import ActorKnowledge
    from eventwire.settings import Settings

# libyaml's parser is ~10x faster on the large actor files; fall back to pure Python.
_YamlLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

BUILTIN_DIR = Path(__file__).resolve().parent
BUILTIN_MODEL_DIR = BUILTIN_DIR.parent / "model"
"""The shipped learned event classifier (``eventwire.training`` makes it)."""
T = TypeVar("T")
GroupCountries = Literal["guideline", "cameo"]

__all__ = ["BUILTIN_DIR", "Knowledge", "read_builtin_yaml", "read_yaml_file"]


def _read_yaml(path: Path) -> Any:
    try:
        with path.open(encoding="utf-8") as fh:
            return yaml.load(fh, Loader=_YamlLoader)
    except yaml.YAMLError as exc:
        raise KnowledgeError(f"{path}: not valid YAML: {exc}") from exc


def _read_csv(path: Path) -> tuple[dict[str, str], ...]:
    text = path.read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    reader = csv.DictReader(io.StringIO("\n".join(lines)))
    rows = []
    for number, row in enumerate(reader, start=2):
        if None in row:
            raise KnowledgeError(f"{path}: row {number} has more fields than the header")
        rows.append({k: (v or "").strip() for k, v in row.items()})
    return tuple(rows)


def read_builtin_yaml(name: str) -> Any:
    """A built-in file as shipped, for facts that must not vary with a user's folder."""
    return read_yaml_file(name, BUILTIN_DIR / name)


def read_yaml_file(name: str, path: Path) -> Any:
    """The knowledge file ``name`` read from ``path`` and checked against its schema."""
    return check(name, _read_yaml(path), path)


class Knowledge:
    """The knowledge files of one run (built-in, or the user's copies) and their derived tables.

    Read-only while coding. Build it once (``Knowledge.from_settings``) and pass it to every
    stage; it pickles with its files, so a worker process receives it once, and rebuilds the
    derived tables it needs on first use.
    """

    def __init__(
        self,
        directory: Path | str | None = None,
        *,
        actors: ActorKnowledge | None = None,
        event_model: Path | str | None = BUILTIN_MODEL_DIR,
        group_countries: GroupCountries = "guideline",
        event_policy: Mapping[str, float | bool] | None = None,
    ) -> None:
        self.directory = Path(directory) if directory is not None else None
        self.group_countries: GroupCountries = group_countries
        """Whether armed and criminal groups carry a state (``cameo``) or none (``guideline``)."""
        self.actors = actors
        self.event_model_dir = Path(event_model) if event_model is not None else None
        """The learned event classifier's folder (the shipped one by default), or None: rules
        alone decide."""
        if (
            self.event_model_dir is not None
            and not (self.event_model_dir / "event_types.json").is_file()
        ):
            raise KnowledgeError(
                f"{self.event_model_dir}: no event classifier there (event_types.json missing);"
                " --event-model off codes with the trigger rules alone"
            )
        """A snapshot of the store's actor knowledge (user edits, imports, corpus memory), or
        None: the people of the knowledge files only."""
        self.event_policy: dict[str, float | bool] = dict(event_policy or {})
        """Thresholds of the classify policy that replace the model folder's for this run."""
        if self.event_policy:
            if self.event_model_dir is None:
                raise KnowledgeError(
                    "an event policy needs the learned event classifier; --event-model off"
                    " codes with the trigger rules alone"
                )
            with_overrides(Policy(), self.event_policy)  # names and kinds, checked now
        self._files: dict[str, Any] = {}
        self._derived: dict[str, Any] = {}
        for name in sorted(SCHEMAS):
            self._files[name] = self._load(name)

    @classmethod
    def from_settings(
        cls, settings: Settings | None = None, *, actors: ActorKnowledge | None = None
    ) -> Knowledge:
        """The knowledge ``settings`` point at (its ``knowledge_dir``, else the built-in files)."""
        if settings is None:
            return cls(None, actors=actors)
        model = settings.event_model
        where = {"builtin": BUILTIN_MODEL_DIR, "off": None}.get(model, Path(model))
        return cls(
            settings.knowledge_dir,
            actors=actors,
            event_model=where,
            group_countries=settings.group_countries,
            event_policy=settings.event_policy,
        )

    def with_actors(self, actors: ActorKnowledge | None) -> Knowledge:
        """The same files and derived tables with another actor snapshot."""
        other = object.__new__(Knowledge)
        other.directory = self.directory
        other.actors = actors
        other.event_model_dir = self.event_model_dir
        other.group_countries = self.group_countries
        other.event_policy = self.event_policy
        other._files = self._files
        other._derived = self._derived
        return other

    # -- files

    def path(self, name: str) -> Path:
        """Where the file ``name`` is read from: the user's copy first, else the built-in one."""
        if self.directory is not None and (self.directory / name).is_file():
            return self.directory / name
        path = BUILTIN_DIR / name
        if not path.is_file():
            raise KnowledgeError(f"knowledge file {name!r} not found in {BUILTIN_DIR}")
        return path

    def _load(self, name: str) -> Any:
        path = self.path(name)
        data = _read_csv(path) if name.endswith(".csv") else _read_yaml(path)
        return check(name, data, path)

    def yaml(self, name: str) -> Any:
        """Parsed, checked content of a YAML knowledge file."""
        if name not in self._files:
            raise KnowledgeError(f"knowledge file {name!r} has no schema: add it to SCHEMAS")
        return self._files[name]

    def csv(self, name: str) -> tuple[dict[str, str], ...]:
        """Rows of a CSV knowledge file as dicts; lines starting with '#' are comments."""
        rows: tuple[dict[str, str], ...] = self.yaml(name)
        return rows

    # -- derived tables

    def derived(self, name: str, build: Callable[[Knowledge], T]) -> T:
        """The table ``name``, built from this object by ``build`` on first use."""
        try:
            value: T = self._derived[name]
            return value
        except KeyError:
            value = self._derived[name] = build(self)
            return value

    def __getstate__(self) -> dict[str, Any]:
        # derived tables may hold spaCy objects (phrase matchers): a worker rebuilds them
        return {
            "directory": self.directory,
            "actors": self.actors,
            "event_model_dir": self.event_model_dir,
            "group_countries": self.group_countries,
            "event_policy": self.event_policy,
            "_files": self._files,
        }

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self.__dict__.setdefault("event_policy", {})
        self._derived = {}

    def __repr__(self) -> str:
        where = self.directory or "built-in"
        return f"Knowledge({where}, actors={self.actors!r})"
