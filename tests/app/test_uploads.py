"""Uploaded files kept between preview and import: none outlives its use."""

from __future__ import annotations

import os
import time
from pathlib import Path

from app.admin import uploads


def _files(app) -> set[str]:
    return {path.name for path in (Path(app.instance_path) / "imports").iterdir()}


def test_an_upload_pushed_out_of_the_session_or_never_confirmed_is_deleted(app) -> None:
    with app.test_request_context():
        keys = [
            uploads.keep("contact", f"{n}.csv", b"name,email\nA,a@example.org\n") for n in range(4)
        ]
        assert keys[0] not in _files(app) and set(keys[1:]) <= _files(app)
        assert uploads.fetch("contact", keys[0]) is None

    stale = Path(app.instance_path) / "imports" / keys[1]
    old = time.time() - uploads.MAX_AGE_SECONDS - 60
    os.utime(stale, (old, old))
    with app.test_request_context():
        uploads.keep("response", "other-session.csv", b"text\nHi\n")
    assert keys[1] not in _files(app) and keys[2] in _files(app)
