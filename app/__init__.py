"""The web face. `create_app` builds the application; the factory itself is in `factory.py`.

Importing `app` stays cheap (the factory, and with it the whole product, loads on the first
call), so `debrief --help` starts without importing SQLAlchemy, the models or the blueprints.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Flask


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the Debrief web application (see `app.factory.create_app`)."""
    from app.factory import create_app as build

    return build(config)
