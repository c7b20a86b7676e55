"""After an erasure no file of the SQLite database holds the person's details, byte by byte.

The database is a fresh file of its own (with its -wal and -shm files) so every byte of
it can be read while the app still has it open, as a running server would.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from flask_migrate import upgrade

from app import create_app
from surveys.db import db
from surveys.models import Theme
from surveys.services import telephone
from tests.conftest import make_config
from tests.factories import make_contact, make_officer, make_organisation, make_survey
from tests.surveys.test_privacy import DEFINITION, answered

NAME = "Yolanda Xenakis"
EMAIL = "yolanda.xenakis@quillbrook-trust.example.org"
PHONE = "07700 900461"
WENT_WELL = f"Briefings were clear. I am {NAME}, write to {EMAIL} or ring {PHONE}."
IMPROVE = "Xenakis here again: the window was too short. Yolanda."
SECRETS = [NAME, EMAIL, PHONE, "Xenakis", "Yolanda", "yolanda.xenakis"]


def database_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.name.startswith("erase.db"))


def traces(folder: Path) -> dict[str, list[str]]:
    """Which secrets each database file still holds, in any letter case."""
    found = {}
    for path in database_files(folder):
        data = path.read_bytes().lower()
        hits = [s for s in SECRETS if s.lower().encode() in data]
        if hits:
            found[path.name] = hits
    return found


@pytest.fixture
def erasable(tmp_path: Path):
    url = f"sqlite:///{tmp_path / 'erase.db'}"
    app = create_app(make_config(url, tmp_path))
    with app.app_context():
        upgrade()
        yield app
        db.session.remove()
        db.engine.dispose()


def test_erasure_leaves_no_trace_in_the_database_wal_or_shm(erasable, tmp_path: Path):
    organisation = make_organisation(name="Quillbrook Trust", sector="voluntary")
    contact = make_contact(name=NAME, email=EMAIL, phone=PHONE, organisation=organisation)
    survey = make_survey(DEFINITION, title="Phase 2 provider feedback")
    _, response = answered(contact, survey, went_well=WENT_WELL, improve=IMPROVE)
    programme_id = survey.round.programme_id
    db.session.add(
        Theme(
            programme_id=programme_id,
            key="yolanda-xenakis",
            label="Yolanda xenakis",
            label_edited=True,  # an officer's label: kept as typed until the erasure
            kind="went_well",
            exemplars=[WENT_WELL, "The Xenakis papers were good"],
        )
    )
    officer = make_officer(role="officer")
    telephone.record_call(response.invitation, officer, "call_back", note=f"Spoke to {NAME}")
    db.session.commit()
    assert traces(tmp_path)  # the details are there to begin with

    result = erasable.test_cli_runner().invoke(args=["privacy", "erase-contact", EMAIL, "--yes"])

    assert result.exit_code == 0, result.output
    assert "Redacted: 2 answers, 2 theme exemplars, 1 theme labels" in result.output
    assert "1 call notes" in result.output and "1 contact-detail answers" in result.output
    assert traces(tmp_path) == {}
    db.session.expire_all()
    theme = db.session.query(Theme).one()
    assert "xenakis" not in theme.label.lower() and "yolanda" not in theme.label.lower()


def test_automatic_theme_labels_never_carry_a_persons_name(app):
    contact = make_contact(name="Dave Okafor")
    survey = make_survey(DEFINITION, title="Phase 2 provider feedback")
    answered(contact, survey, went_well="Dave the therapist was absolutely brilliant")
    make_officer(name="Ngozi Adeyemi")
    programme_id = survey.round.programme_id
    themes = [
        Theme(programme_id=programme_id, key=f"k{n}", label=label, kind="went_well")
        for n, label in enumerate(["Dave therapist brilliant", "Okafor", "adeyemi support"])
    ]
    db.session.add_all(themes)
    db.session.commit()
    assert [t.label for t in themes] == ["therapist brilliant", "Other comments", "support"]
    themes[0].label = "dave okafor again"
    db.session.commit()
    assert themes[0].label == "again"
