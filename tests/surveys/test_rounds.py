from __future__ import annotations

from datetime import date

from surveys.services.rounds import apply_round_dates
from tests.factories import make_round


def test_draft_round_opens_on_its_opening_date(app):
    round_ = make_round(status="draft", opens_on=date(2026, 3, 1), closes_on=date(2026, 4, 1))

    changed = apply_round_dates(date(2026, 3, 1))

    assert changed == [round_]
    assert round_.status == "open"


def test_open_round_closes_after_its_closing_date(app):
    round_ = make_round(status="open", opens_on=date(2026, 3, 1), closes_on=date(2026, 4, 1))

    assert apply_round_dates(date(2026, 4, 1)) == []
    assert round_.status == "open"
    apply_round_dates(date(2026, 4, 2))
    assert round_.status == "closed"


def test_draft_round_whose_dates_have_passed_is_not_opened(app):
    round_ = make_round(status="draft", opens_on=date(2026, 1, 1), closes_on=date(2026, 2, 1))

    apply_round_dates(date(2026, 3, 1))

    assert round_.status == "draft"


def test_closed_round_stays_closed(app):
    round_ = make_round(status="closed", opens_on=date(2026, 1, 1), closes_on=date(2026, 12, 1))

    apply_round_dates(date(2026, 6, 1))

    assert round_.status == "closed"
