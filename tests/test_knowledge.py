"""The knowledge loader: built-in files, user overrides by name, clear errors."""

from pathlib import Path

import pytest

from eventwire import knowledge
from eventwire.errors import KnowledgeError


@pytest.fixture(autouse=True)
def _fresh_cache():
    knowledge.clear_cache()
    yield
    knowledge.clear_cache()


def test_every_builtin_yaml_file_parses() -> None:
    names = sorted(p.name for p in knowledge.BUILTIN_DIR.glob("*.yaml"))
    assert names, "the package ships knowledge files"
    for name in names:
        assert knowledge.load_yaml(name) is not None, name


def test_every_builtin_csv_file_has_rows() -> None:
    for path in knowledge.BUILTIN_DIR.glob("*.csv"):
        rows = knowledge.load_csv(path.name)
        assert rows, path.name
        assert all(None not in row for row in rows)


def test_user_file_replaces_builtin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    name = sorted(p.name for p in knowledge.BUILTIN_DIR.glob("*.yaml"))[0]
    (tmp_path / name).write_text("replaced: true\n", encoding="utf-8")
    monkeypatch.setenv("EVENTWIRE_KNOWLEDGE_DIR", str(tmp_path))
    assert knowledge.load_yaml(name) == {"replaced": True}


def test_missing_file_is_a_knowledge_error() -> None:
    with pytest.raises(KnowledgeError, match=r"no-such-file\.yaml"):
        knowledge.load_yaml("no-such-file.yaml")


def test_malformed_yaml_names_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "broken.yaml").write_text("a: [1, 2\n", encoding="utf-8")
    monkeypatch.setenv("EVENTWIRE_KNOWLEDGE_DIR", str(tmp_path))
    monkeypatch.setattr(knowledge, "BUILTIN_DIR", tmp_path)
    with pytest.raises(KnowledgeError, match=r"broken\.yaml"):
        knowledge.load_yaml("broken.yaml")


def test_csv_with_extra_field_names_the_row(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "t.csv").write_text("# comment\na,b\n1,2\n3,4,5\n", encoding="utf-8")
    monkeypatch.setattr(knowledge, "BUILTIN_DIR", tmp_path)
    with pytest.raises(KnowledgeError, match="row 3"):
        knowledge.load_csv("t.csv")


def test_settings_knowledge_dir_reaches_the_loader(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The Python API honours Settings.knowledge_dir, not only the CLI flag."""
    from eventwire.models import Document
    from eventwire.pipeline import iter_code
    from eventwire.settings import Settings

    monkeypatch.delenv(knowledge.USER_DIR_ENV, raising=False)
    empty = Document(id="e", body="   ")  # skipped: no model is loaded
    list(iter_code([empty], Settings(knowledge_dir=tmp_path)))
    assert knowledge.user_dir() == tmp_path
    knowledge.use_user_dir(None)
    assert knowledge.user_dir() is None
