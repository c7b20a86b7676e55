"""Simultaneous submissions on the real (file or PostgreSQL) database.

Each thread has its own app context, so its own session and connection, as two web
requests or a web request and a Slack listener would.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from surveys.db import db
from surveys.errors import AlreadySubmitted
from surveys.models import Invitation, Response
from surveys.services.responses import save_page, start_or_resume, submit_response
from tests.factories import make_invitation, make_survey
from tests.surveys.test_responses import WINDOW


def _run_together(app, jobs: list[Callable[[], None]]) -> list[str]:
    """Run each job in its own thread and app context at the same moment; return outcomes."""
    # The test's own session must not hold SQLite's write lock while the threads run.
    db.session.close()
    barrier = threading.Barrier(len(jobs))
    outcomes: list[str] = [""] * len(jobs)

    def run(index: int, job: Callable[[], None]) -> None:
        with app.app_context():
            barrier.wait()
            try:
                job()
                db.session.commit()
                outcomes[index] = "submitted"
            except (AlreadySubmitted, IntegrityError):
                db.session.rollback()
                outcomes[index] = "already submitted"
            except Exception as error:  # noqa: BLE001 - report any other failure
                db.session.rollback()
                outcomes[index] = f"error: {error!r}"
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def _submit(invitation_id: int) -> Callable[[], None]:
    def job() -> None:
        invitation = db.session.get(Invitation, invitation_id)
        response = start_or_resume(invitation)
        save_page(response, "enough", {"enough": "yes"})
        submit_response(response)

    return job


def _count() -> int:
    return db.session.scalar(select(func.count()).select_from(Response))


def test_twenty_invitations_submitted_at_once_give_twenty_responses(app):
    survey = make_survey(WINDOW)
    ids = [make_invitation(survey=survey).id for _ in range(20)]
    db.session.commit()

    outcomes = _run_together(app, [_submit(i) for i in ids])

    assert outcomes == ["submitted"] * 20
    db.session.expire_all()
    assert _count() == 20
    statuses = db.session.scalars(select(Response.status)).all()
    assert statuses == ["submitted"] * 20


@pytest.mark.parametrize("with_draft", [False, True], ids=["fresh", "draft"])
def test_one_invitation_submitted_twice_at_once_gives_one_response(app, with_draft):
    invitation = make_invitation(survey=make_survey(WINDOW))
    invitation_id = invitation.id
    if with_draft:
        save_page(start_or_resume(invitation), "enough", {"enough": "no"})
    db.session.commit()

    outcomes = _run_together(app, [_submit(invitation_id), _submit(invitation_id)])

    assert sorted(outcomes) == ["already submitted", "submitted"]
    db.session.expire_all()
    responses = db.session.scalars(select(Response)).all()
    assert [r.status for r in responses] == ["submitted"]
    assert {a.question_id: a.value for a in responses[0].answers} == {"enough": True}
