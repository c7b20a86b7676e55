"""The layering rules, read from the source with `ast`, so they stay true.

`surveys/` and `analysis/` never import a face; `analysis/` imports no Flask or
SQLAlchemy; `bot/` imports nothing from `app/`; no face imports `sqlalchemy.exc`
(database errors are the core's business: services raise domain errors instead).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

RULES: dict[str, tuple[str, ...]] = {
    "surveys": ("app", "bot"),
    "analysis": ("app", "bot", "surveys", "flask", "sqlalchemy", "flask_sqlalchemy"),
    "bot": ("app", "sqlalchemy.exc"),
    "app": ("sqlalchemy.exc",),
}


def imported_modules(path: Path) -> set[str]:
    """Return every module a file imports, at any depth (relative imports resolved)."""
    tree = ast.parse(path.read_text(), filename=str(path))
    package = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{parent}.{base}" if base else parent
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def breaks(module: str, forbidden: str) -> bool:
    return module == forbidden or module.startswith(forbidden + ".")


def test_imports_are_read_at_any_depth(tmp_path):
    assert breaks("sqlalchemy.exc.IntegrityError", "sqlalchemy.exc")
    assert not breaks("application", "app")
    source = ROOT / "bot" / "giving.py"
    assert "surveys.services.walk" in imported_modules(source)


@pytest.mark.parametrize("package", sorted(RULES))
def test_package_imports_only_what_the_layering_allows(package):
    problems = [
        f"{path.relative_to(ROOT)} imports {module}"
        for path in sorted((ROOT / package).rglob("*.py"))
        for module in sorted(imported_modules(path))
        for forbidden in RULES[package]
        if breaks(module, forbidden)
    ]
    assert problems == []
