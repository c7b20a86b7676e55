from __future__ import annotations

from pathlib import Path

from app import create_app
from tests.conftest import make_config


def test_healthz_reports_database_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok", "disk": "ok"}


def test_healthz_is_503_when_database_unreachable(tmp_path: Path):
    missing = tmp_path / "no-such-dir" / "db.sqlite"
    app = create_app(make_config(f"sqlite:///{missing}", tmp_path))
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["database"] == "unreachable"
