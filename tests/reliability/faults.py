"""Helpers that make real faults: a full disk, an unwritable file, a lock held too long."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from flask import Flask
from flask_migrate import upgrade
from sqlalchemy.engine import make_url

from app import create_app
from surveys.db import db
from tests.conftest import make_config

KEPT = "Your answers so far are kept"


def needs_root() -> None:
    """Skip a test that mounts or chattrs, only when not root and never under CI."""
    if os.geteuid() != 0 and os.environ.get("CI") != "true":
        pytest.skip("needs root (mount, chattr); CI runs it as root")


@contextmanager
def tmpfs(folder: Path, size: str = "6m") -> Iterator[Path]:
    """Mount a small tmpfs at `folder` for the duration."""
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)], check=True)
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


@contextmanager
def immutable(paths: list[Path]) -> Iterator[None]:
    """Make files unwritable even for root (chattr +i), then writable again."""
    present = [str(p) for p in paths if p.exists()]
    subprocess.run(["chattr", "+i", *present], check=True)
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", *present], check=False)


@contextmanager
def sqlite_app(folder: Path, **config: object) -> Iterator[Flask]:
    """An app on a fresh, migrated SQLite file in `folder`, inside its app context."""
    url = f"sqlite:///{folder / 'd.db'}"
    app = create_app(make_config(url, folder, **config))
    with app.app_context():
        upgrade()
        try:
            yield app
        finally:
            db.session.remove()
            db.engine.dispose()


def sqlite_path(url: str) -> Path:
    return Path(make_url(url).database)


def fill(folder: Path) -> Path:
    """Fill the file system holding `folder` until a write fails; return the filler file."""
    filler = folder / "filler"
    with open(filler, "wb") as handle:
        try:
            while True:
                handle.write(b"\0" * 65536)
                handle.flush()
        except OSError:
            pass
    return filler
