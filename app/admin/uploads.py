"""Uploaded files kept between a preview and its confirmation, in the instance folder.

Only the session that uploaded a file may confirm it: the session holds the random keys of
its last few uploads and their file names. The files hold people's details, so none is kept
past its use: one pushed out of the session's last few, or older than MAX_AGE (an upload
never confirmed), is deleted at the next upload.
"""

from __future__ import annotations

import re
import secrets
import time
from pathlib import Path

from flask import current_app, session

KEEP = 3
MAX_AGE_SECONDS = 24 * 60 * 60
_KEY = re.compile(r"[A-Za-z0-9_-]{20,60}")


def _folder() -> Path:
    folder = Path(current_app.instance_path) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def keep(kind: str, filename: str, data: bytes) -> str:
    """Store an upload for this session; return the key that fetches it."""
    _delete_stale()
    key = secrets.token_urlsafe(24)
    (_folder() / key).write_bytes(data)
    uploads = session.get(f"{kind}_imports", {})
    uploads[key] = filename
    kept = dict(list(uploads.items())[-KEEP:])
    for dropped in uploads.keys() - kept.keys():
        _delete(dropped)
    session[f"{kind}_imports"] = kept
    return key


def _delete(key: str) -> None:
    if _KEY.fullmatch(key or ""):
        (_folder() / key).unlink(missing_ok=True)


def _delete_stale() -> None:
    """Delete uploads older than MAX_AGE_SECONDS, from every session: never confirmed."""
    cutoff = time.time() - MAX_AGE_SECONDS
    for path in _folder().iterdir():
        try:
            if path.is_file() and path.stat().st_mtime < cutoff:
                path.unlink(missing_ok=True)
        except OSError:
            continue  # another worker deleted it first


def fetch(kind: str, key: str) -> tuple[str, bytes] | None:
    """Return (filename, data) of an upload this session made, or None."""
    uploads = session.get(f"{kind}_imports", {})
    if not _KEY.fullmatch(key or "") or key not in uploads:
        return None
    path = _folder() / key
    try:
        if path.stat().st_mtime < time.time() - MAX_AGE_SECONDS:
            return None
        return uploads[key], path.read_bytes()
    except FileNotFoundError:
        return None


def discard(kind: str, key: str) -> None:
    """Delete an upload once it has been imported."""
    _delete(key)
    uploads = session.get(f"{kind}_imports", {})
    uploads.pop(key, None)
    session[f"{kind}_imports"] = uploads
