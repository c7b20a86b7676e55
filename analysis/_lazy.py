"""Modules imported on first use, so starting `debrief` does not load scikit-learn.

`np = lazy("numpy")` reads like an import; the module is imported the first time an
attribute is looked up on it (Python's import lock makes that safe across threads).
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any


class LazyModule:
    """A stand-in for a module, importing it when it is first used."""

    def __init__(self, name: str) -> None:
        self._name = name
        self._module: ModuleType | None = None

    def __getattr__(self, attribute: str) -> Any:
        if self._module is None:
            self._module = importlib.import_module(self._name)
        return getattr(self._module, attribute)

    def __repr__(self) -> str:
        state = "loaded" if self._module is not None else "not loaded yet"
        return f"<lazy module {self._name!r} ({state})>"


def lazy(name: str) -> Any:
    """Return a module that is imported only when first used."""
    return LazyModule(name)
