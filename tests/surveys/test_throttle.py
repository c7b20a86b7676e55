"""The database-backed fixed-window throttle."""

from __future__ import annotations

from datetime import timedelta

import pytest

from surveys.db import db
from surveys.models import Throttle
from surveys.services import throttle

pytestmark = pytest.mark.usefixtures("app")


def test_allows_up_to_the_limit_then_refuses():
    results = [throttle.hit("guess:1.2.3.4", 3, 600) for _ in range(5)]

    assert results == [True, True, True, False, False]
    assert throttle.is_blocked("guess:1.2.3.4", 3, 600)
    assert not throttle.is_blocked("guess:5.6.7.8", 3, 600)


def test_keys_are_counted_separately():
    assert throttle.hit("a", 1, 600)
    assert throttle.hit("b", 1, 600)
    assert not throttle.hit("a", 1, 600)


def test_a_new_window_starts_afresh():
    for _ in range(3):
        throttle.hit("k", 2, 600)
    row = db.session.get(Throttle, "k")
    row.window_start -= timedelta(seconds=601)
    db.session.commit()

    assert not throttle.is_blocked("k", 2, 600)
    assert throttle.hit("k", 2, 600)
    assert db.session.get(Throttle, "k").count == 1


def test_counts_survive_a_commit_and_reset_clears_them():
    throttle.hit("k", 1, 600)
    db.session.commit()
    db.session.expire_all()

    assert not throttle.hit("k", 1, 600)
    throttle.reset("k")
    assert throttle.hit("k", 1, 600)
