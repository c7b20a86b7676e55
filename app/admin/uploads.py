"""Uploaded files kept between a preview and its confirmation, in the instance folder.

Only the session that uploaded a file may confirm it: the session holds the random keys of
its last few uploads and their file names.
"""

from __future__ import annotations

import re
import secrets
from pathlib import Path

from flask import current_app, session

KEEP = 3
_KEY = re.compile(r"[A-Za-z0-9_-]{20,60}")


def _folder() -> Path:
    folder = Path(current_app.instance_path) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def keep(kind: str, filename: str, data: bytes) -> str:
    """Store an upload for this session; return the key that fetches it."""
    key = secrets.token_urlsafe(24)
    (_folder() / key).write_bytes(data)
    uploads = session.get(f"{kind}_imports", {})
    uploads[key] = filename
    session[f"{kind}_imports"] = dict(list(uploads.items())[-KEEP:])
    return key


def fetch(kind: str, key: str) -> tuple[str, bytes] | None:
    """Return (filename, data) of an upload this session made, or None."""
    uploads = session.get(f"{kind}_imports", {})
    if not _KEY.fullmatch(key or "") or key not in uploads:
        return None
    path = _folder() / key
    if not path.exists():
        return None
    return uploads[key], path.read_bytes()


def discard(kind: str, key: str) -> None:
    """Delete an upload once it has been imported."""
    if _KEY.fullmatch(key or ""):
        (_folder() / key).unlink(missing_ok=True)
    uploads = session.get(f"{kind}_imports", {})
    uploads.pop(key, None)
    session[f"{kind}_imports"] = uploads
