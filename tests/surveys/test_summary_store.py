"""Stored summaries: recomputed by the worker after each change and read, not rebuilt, by faces."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import event

from analysis import summary as analysis_summary
from analysis.summary_codec import summary_from_dict, summary_to_dict
from app import create_app
from surveys.db import db
from surveys.models import StoredSummary, utcnow
from surveys.services import analysis_runs, summaries, summary_store
from surveys.worker import queue
from surveys.worker import summaries as summary_tasks
from tests.app.test_admin_workspace import signed_in
from tests.conftest import make_config
from tests.factories import (
    ANALYSIS_DEFINITION,
    make_round,
    make_submitted_response,
    make_survey,
)

ANSWERS = [
    ("The advert reached everyone.", "Six weeks was not long enough."),
    ("Documents were easy to find online.", "We needed a longer window to apply."),
    ("The briefing was clear.", "More time to complete the form, please."),
]


@pytest.fixture
def phase_2(app):
    round_ = make_round(slug="phase-2", name="Phase 2", status="closed")
    survey = make_survey(ANALYSIS_DEFINITION, round=round_)
    for went_well, improve in ANSWERS:
        make_submitted_response(survey, {"went_well": went_well, "improve": improve})
    analysis_runs.analyse_round(round_)
    db.session.commit()
    run_the_worker()
    return round_


def run_the_worker() -> int:
    """Run the worker's summary sweep, as `debrief worker` does every minute."""
    return summary_tasks.refresh_overdue_summaries()


def _stored(round_) -> StoredSummary:
    db.session.expire_all()
    row = db.session.get(StoredSummary, round_.id)
    assert row is not None
    return row


def _count_builds(monkeypatch) -> list[int]:
    calls: list[int] = []
    real = analysis_summary.build_summary

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(analysis_summary, "build_summary", counting)
    return calls


def test_the_worker_stores_the_summary_after_a_change(phase_2):
    row = _stored(phase_2)
    assert row.data is not None and row.computed_changes == row.changes >= 1
    stored = summary_from_dict(row.data)
    assert stored == summaries.round_summary(phase_2)
    before = stored.methodology.completed

    survey = phase_2.surveys[0]
    make_submitted_response(survey, {"went_well": "Helpful officers.", "improve": "Less jargon."})
    db.session.commit()  # the submission
    row = _stored(phase_2)
    assert row.changes > row.computed_changes  # stale until the worker runs

    assert run_the_worker() == 1
    row = _stored(phase_2)
    assert row.computed_changes == row.changes
    assert summary_from_dict(row.data).methodology.completed == before + 1


def test_pages_slack_and_downloads_read_the_stored_summary(app, client, phase_2, monkeypatch):
    calls = _count_builds(monkeypatch)
    statements: list[str] = []
    event.listen(db.engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    signed_in(client, role="viewer")
    statements.clear()

    page = client.get("/admin/reports/phase-2")
    download = client.get("/admin/reports/phase-2/report.json")
    stored = summary_store.stored_summary(phase_2)

    assert page.status_code == 200 and download.status_code == 200
    assert calls == []  # no re-analysis per request
    assert not any("FROM answer" in s for s in statements)
    assert b"Summary computed at" in page.data
    assert stored.summary.methodology.completed == len(ANSWERS) and not stored.updating


def test_a_summary_is_computed_once_when_none_is_stored(app, phase_2, monkeypatch):
    db.session.delete(_stored(phase_2))
    db.session.commit()
    calls = _count_builds(monkeypatch)

    first = summary_store.stored_summary(phase_2)
    db.session.commit()
    second = summary_store.stored_summary(phase_2)

    assert len(calls) == 1 and first.summary == second.summary
    assert _stored(phase_2).computed_at == first.computed_at


def test_a_stale_summary_whose_recompute_was_lost_is_recomputed_on_read(app, phase_2):
    row = _stored(phase_2)
    row.changes += 1
    row.queued_at = utcnow() - timedelta(hours=1)
    db.session.commit()

    assert summary_store.stale_round_ids() == [phase_2.id]
    summary_store.stored_summary(phase_2)
    db.session.commit()
    row = _stored(phase_2)
    assert row.computed_changes == row.changes and summary_store.stale_round_ids() == []


def test_an_open_round_summary_is_recomputed_each_day_for_its_days_open(app):
    from datetime import date

    round_ = make_round(slug="phase-3", status="open", opens_on=date(2026, 1, 5))
    survey = make_survey(ANALYSIS_DEFINITION, round=round_)
    make_submitted_response(survey, {"went_well": "Clear", "improve": "More time"})
    db.session.commit()
    run_the_worker()
    assert summary_store.stale_round_ids() == []
    days = summary_store.stored_summary(round_).summary.round.days_open
    assert days == (utcnow().date() - date(2026, 1, 5)).days

    _stored(round_).computed_at = utcnow() - timedelta(days=1)
    db.session.commit()

    assert summary_store.stale_round_ids() == [round_.id]
    run_the_worker()
    assert summary_store.stale_round_ids() == []


def test_a_burst_of_submissions_queues_one_recompute(migrated_database, tmp_path):
    app = create_app(make_config(migrated_database, tmp_path, WORKER_IMMEDIATE=False))
    huey = queue(app)
    try:
        with app.app_context():
            huey.flush()
            round_ = make_round(slug="burst", name="Burst", status="open")
            survey = make_survey(ANALYSIS_DEFINITION, round=round_)
            db.session.commit()
            for went_well, improve in ANSWERS:
                make_submitted_response(survey, {"went_well": went_well, "improve": improve})
                db.session.commit()

            assert huey.pending_count() == 1  # debounced: one task for the burst
            task = huey.dequeue()
            assert task.eta > utcnow().replace(tzinfo=None)  # run after the burst settles
            huey.execute(task, timestamp=task.eta + timedelta(seconds=1))
            row = _stored(round_)
            assert row.computed_changes == row.changes == len(ANSWERS) + 1
            assert summary_from_dict(row.data).methodology.completed == len(ANSWERS)
            assert row.queued_at is None
    finally:
        huey.flush()
        with app.app_context():
            db.session.remove()
            from tests.conftest import empty_all_tables

            empty_all_tables()
            db.engine.dispose()


def test_stored_comparison_matches_a_fresh_one(app, phase_2):
    phase_3 = make_round(
        slug="phase-3", name="Phase 3", previous_round_id=phase_2.id, programme=phase_2.programme
    )
    survey = make_survey(ANALYSIS_DEFINITION, round=phase_3)
    make_submitted_response(survey, {"went_well": "Twelve weeks.", "improve": "Panel timing."})
    db.session.commit()

    assert summary_store.compare_stored(phase_2, phase_3) == summaries.compare_rounds(
        phase_2, phase_3
    )


def test_the_codec_restores_every_part_of_a_summary(phase_2):
    summary = summaries.round_summary(phase_2)
    assert summary_from_dict(summary_to_dict(summary)) == summary


def test_the_worker_sweep_recomputes_summaries_whose_task_was_lost(app, phase_2):
    row = _stored(phase_2)
    row.changes += 2
    row.queued_at = utcnow() - timedelta(hours=1)
    db.session.commit()

    assert run_the_worker() == 1
    row = _stored(phase_2)
    assert row.computed_changes == row.changes and row.queued_at is None
    assert run_the_worker() == 0


def test_a_summary_from_older_code_is_recomputed(app, phase_2):
    row = _stored(phase_2)
    row.version = "older"
    db.session.commit()

    assert summary_store.stale_round_ids() == [phase_2.id]
    summary_store.stored_summary(phase_2)
    db.session.commit()
    assert _stored(phase_2).version == summary_store.code_version()


def test_pages_show_the_stored_summary_while_the_worker_updates_it(client, phase_2, monkeypatch):
    row = _stored(phase_2)
    row.changes += 1
    row.queued_at = utcnow()
    db.session.commit()
    calls = _count_builds(monkeypatch)
    signed_in(client, role="viewer")

    page = client.get("/admin/reports/phase-2").get_data(as_text=True)

    assert calls == [] and "are being added and will show shortly" in page
    assert summary_store.stored_summary(phase_2, wait=False).updating is False  # the CLI's way
    assert len(calls) == 1
