from __future__ import annotations

from pathlib import Path

from app import create_app
from app.config import from_environment, normalise_database_url


def test_defaults_to_sqlite_in_the_instance_folder(tmp_path: Path):
    config = from_environment(tmp_path, env={})
    assert config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'debrief.db'}"
    assert config["REDIS_URL"] is None


def test_secret_key_is_generated_once_and_kept(tmp_path: Path):
    first = from_environment(tmp_path, env={})["SECRET_KEY"]
    second = from_environment(tmp_path, env={})["SECRET_KEY"]
    other_instance = from_environment(tmp_path / "other", env={})["SECRET_KEY"]

    assert first == second
    assert len(first) == 64
    assert other_instance != first
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_secret_key_from_environment_wins(tmp_path: Path):
    config = from_environment(tmp_path, env={"SECRET_KEY": "from-env"})
    assert config["SECRET_KEY"] == "from-env"
    assert not (tmp_path / "secret_key").exists()


def test_postgres_urls_use_psycopg3():
    assert normalise_database_url("postgres://u@h/d") == "postgresql+psycopg://u@h/d"
    assert normalise_database_url("postgresql://u@h/d") == "postgresql+psycopg://u@h/d"
    assert normalise_database_url("sqlite:///x.db") == "sqlite:///x.db"


def test_an_app_built_from_a_mapping_never_reads_the_environment(tmp_path: Path, monkeypatch):
    # The one test that sets the environment: to prove a given mapping shuts it out.
    monkeypatch.setenv("DATABASE_URL", "postgresql://leak@127.0.0.1/leak")
    monkeypatch.setenv("DEBRIEF_ORGANISATION_NAME", "Leaked Council")
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-leaked")
    monkeypatch.setenv("SECRET_KEY", "leaked-secret")

    app = create_app({"SECRET_KEY": "given", "HUEY_SQLITE_PATH": str(tmp_path / "huey.db")})

    assert app.config["SECRET_KEY"] == "given"
    assert "leak" not in app.config["SQLALCHEMY_DATABASE_URI"]
    assert app.config["ORGANISATION_NAME"] == "County Council"
    assert app.config["SLACK_BOT_TOKEN"] is None


def test_an_app_built_without_a_mapping_reads_the_environment(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("DEBRIEF_ORGANISATION_NAME", "Westshire County Council")
    monkeypatch.setenv("SECRET_KEY", "from-env")
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/13")  # no queue file written

    app = create_app()

    assert app.config["ORGANISATION_NAME"] == "Westshire County Council"
    assert app.config["SECRET_KEY"] == "from-env"
