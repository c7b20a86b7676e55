"""Webhooks: signing, the address rules, the outbox, delivery to a real receiver, retries."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from surveys.db import db
from surveys.errors import InvalidInput
from surveys.models import (
    IntegrationProblem,
    Webhook,
    WebhookDelivery,
    WebhookEvent,
    utcnow,
)
from surveys.services import (
    integration_problems,
    lessons,
    responses,
    rounds,
    rounds_admin,
    webhooks,
)
from surveys.services.webhook_delivery import Policy, attempt, claim, due_delivery_ids
from surveys.worker.webhooks import deliver_overdue_webhooks, deliver_webhook
from tests.factories import make_invitation, make_officer, make_round, make_survey
from tests.webhook_receiver import running_receiver, verify

ALL_EVENTS = ["response.submitted", "round.opened", "round.closed", "lesson.updated"]


@pytest.fixture
def loopback(app):
    app.config["WEBHOOK_ALLOW_LOOPBACK"] = True
    return app


def subscribe(url: str, events: list[str] | None = None) -> Webhook:
    webhook = webhooks.create_webhook(url, events or ALL_EVENTS, "Test receiver")
    db.session.commit()
    return webhook


def queued() -> list[WebhookDelivery]:
    return list(db.session.scalars(select(WebhookDelivery).order_by(WebhookDelivery.id)))


def test_signature_matches_the_standard_webhooks_test_vector():
    signature = webhooks.sign(
        "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
        "msg_p5jXN8AQM9LWM0D4loKWxJek",
        1614265330,
        b'{"test": 2432232314}',
    )
    assert signature == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="


def test_the_documented_verifier_accepts_the_test_vector_and_refuses_a_stale_timestamp():
    headers = {
        "webhook-id": "msg_p5jXN8AQM9LWM0D4loKWxJek",
        "webhook-timestamp": "1614265330",
        "webhook-signature": "v1,bm9wZQ== v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
    }
    secret, body = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", b'{"test": 2432232314}'
    assert verify(secret, headers, body, tolerance=10**10) == {"test": 2432232314}
    with pytest.raises(ValueError, match="timestamp"):
        verify(secret, headers, body)


def test_new_secrets_are_standard_webhooks_secrets_and_differ():
    first, second = webhooks.new_secret(), webhooks.new_secret()
    assert first.startswith("whsec_") and first != second
    assert len(webhooks.base64.b64decode(first.removeprefix("whsec_"))) == 32


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("", "Enter the address"),
        ("ftp://example.org/x", "https://"),
        ("http://127.0.0.1:9/x", "must start with https://"),
        ("https://127.0.0.1:9/x", "public internet"),
        ("https://10.1.2.3/x", "public internet"),
        ("https://169.254.169.254/latest/meta-data", "public internet"),
        ("https://[::1]/x", "public internet"),
        ("https://[::ffff:192.168.0.1]/x", "public internet"),
        # IPv6 addresses that stand for a private IPv4 one: NAT64, 6to4, IPv4-compatible.
        ("https://[64:ff9b::a9fe:a9fe]/latest/meta-data", "public internet"),
        ("https://[64:ff9b::a00:1]/x", "public internet"),
        ("https://[64:ff9b:1::5db8:d70e]/x", "public internet"),
        ("https://[2002:7f00:1::]/x", "public internet"),
        ("https://[2002:c0a8:1::1]/x", "public internet"),
        ("https://[::7f00:1]/x", "public internet"),
        ("https://[::a00:1]/x", "public internet"),
        ("https://[::]/x", "public internet"),
        ("https://user:pw@93.184.215.14/x", "user name or password"),
        ("https://no-such-host.invalid/x", "could not be found"),
    ],
)
def test_addresses_that_could_reach_the_council_network_are_refused(app, url, message):
    with pytest.raises(InvalidInput) as refused:
        webhooks.create_webhook(url, ["round.opened"])
    assert message in refused.value.errors["url"]


def test_loopback_over_http_needs_the_explicit_setting_and_private_networks_stay_refused(loopback):
    assert subscribe("http://127.0.0.1:9/hooks").url == "http://127.0.0.1:9/hooks"
    with pytest.raises(InvalidInput):
        webhooks.create_webhook("http://10.0.0.1/hooks", ["round.opened"])
    with pytest.raises(InvalidInput) as no_events:
        webhooks.create_webhook("https://93.184.215.14/x", ["round.renamed"])
    assert "events" in no_events.value.errors


def test_public_addresses_in_any_form_are_allowed(app):
    for url in (
        "https://93.184.215.14/x",
        "https://[64:ff9b::5db8:d70e]/x",
        "https://[2606:2800:21f:cb07:6820:80da:af6b:8b2c]/x",
    ):
        assert webhooks.create_webhook(url, ["round.opened"]).url == url


def test_events_are_queued_only_for_subscribers_and_a_rolled_back_change_sends_nothing(loopback):
    subscribe("http://127.0.0.1:9/a", ["round.opened"])
    round_ = make_round(status="draft")
    make_survey(round=round_)
    db.session.commit()

    rounds_admin.close_round(round_)  # not subscribed
    db.session.rollback()
    rounds_admin.open_round(round_)
    db.session.rollback()  # the change is undone, and so is its event
    assert queued() == []

    rounds_admin.open_round(round_)
    db.session.commit()
    [delivery] = queued()
    assert delivery.event.event_type == "round.opened"
    assert delivery.event.payload["round"]["slug"] == round_.slug


def test_every_channel_that_submits_raises_response_submitted(loopback):
    subscribe("http://127.0.0.1:9/a", ["response.submitted"])
    officer = make_officer()
    survey = make_survey()
    for channel in ("telephone", "slack"):
        response = responses.start_or_resume(
            make_invitation(survey=survey), channel=channel, entered_by=officer
        )
        responses.save_page(response, "feedback", {"went_well": "Clear briefings"})
        responses.submit_response(response)
    db.session.commit()
    sent = [d.event.payload["response"] for d in queued()]
    assert [r["channel"] for r in sent] == ["telephone", "slack"]
    assert "Clear briefings" not in str(sent)  # identifiers only, never answers


def test_the_periodic_date_task_and_lessons_raise_events(loopback):
    subscribe("http://127.0.0.1:9/a", ["round.opened", "lesson.updated", "action.updated"])
    today = rounds.today()
    round_ = make_round(status="draft", opens_on=today, closes_on=today + timedelta(days=3))
    rounds.apply_round_dates(today)
    lesson = lessons.record_lesson(
        round_,
        None,
        "Give more time",
        "Six weeks was too short",
        None,
        [{"description": "Twelve-week window", "owner": "Team"}],
    )
    lessons.update_lesson(lesson, None, what_we_did="Twelve weeks")
    db.session.commit()
    kinds = [d.event.event_type for d in queued()]
    assert kinds == ["round.opened", "action.updated", "lesson.updated", "lesson.updated"]


def test_a_delivery_is_signed_and_verifies_at_the_receiver(loopback):
    with running_receiver() as receiver:
        webhook = subscribe(receiver.url)
        lessons.record_lesson(make_round(), None, "Brief earlier", "", None)
        db.session.commit()
        [delivery] = queued()
        deliver_webhook(delivery.id)
        db.session.commit()
        [got] = receiver.wait_for(1)
    event = verify(webhook.secret, got.headers, got.body)
    assert event["type"] == "lesson.updated"
    assert event["data"]["lesson"]["title"] == "Brief earlier"
    assert got.headers["webhook-id"] == delivery.event.message_id
    assert delivery.status == "delivered" and delivery.last_status_code == 200
    with pytest.raises(ValueError, match="no valid signature"):
        verify(webhooks.new_secret(), got.headers, got.body)
    with pytest.raises(ValueError):
        verify(webhook.secret, got.headers, got.body.replace(b"Brief", b"Brie"))


def test_the_worker_holds_no_database_lock_while_the_receiver_answers(loopback):
    loopback.config["WEBHOOK_TIMEOUT_SECONDS"] = 3
    waited: list[float] = []

    def write_meanwhile() -> None:
        # Another process's write (a web submission, say) must not wait for the call.
        started = time.monotonic()
        with loopback.app_context():
            integration_problems.record("slack", "written while the receiver answers")
            db.session.commit()
        waited.append(time.monotonic() - started)

    with running_receiver() as receiver:
        receiver.while_answering = write_meanwhile
        subscribe(receiver.url)
        lessons.record_lesson(make_round(), None, "Brief earlier", "", None)
        db.session.commit()
        [delivery] = queued()
        deliver_webhook(delivery.id)
        db.session.commit()
    db.session.refresh(delivery)
    assert delivery.status == "delivered" and waited and waited[0] < 2


def test_a_500_is_retried_with_backoff_under_the_same_id(loopback):
    with running_receiver([500]) as receiver:
        webhook = subscribe(receiver.url)
        lessons.record_lesson(make_round(), None, "Brief earlier", "", None)
        db.session.commit()
        [delivery] = queued()
        start = utcnow()
        retry_at = attempt(delivery, start)
        db.session.commit()
        assert delivery.status == "queued" and delivery.last_status_code == 500
        assert retry_at == start + timedelta(seconds=30)
        deliver_webhook(delivery.id)  # not due yet: nothing is sent
        assert len(receiver.received) == 1
        assert due_delivery_ids(start + timedelta(minutes=3)) == [delivery.id]
        assert attempt(delivery, start + timedelta(minutes=3)) is None
        db.session.commit()
        first, second = receiver.wait_for(2)
    assert delivery.status == "delivered" and delivery.attempts == 2
    assert first.headers["webhook-id"] == second.headers["webhook-id"]
    for got in (first, second):
        verify(webhook.secret, got.headers, got.body)
    assert webhook.consecutive_failures == 0


def test_backoff_doubles_and_a_delivery_gives_up_after_its_attempts(loopback):
    loopback.config.update(WEBHOOK_MAX_ATTEMPTS=3, WEBHOOK_DISABLE_AFTER=100)
    with running_receiver([503, 503, 503]) as receiver:
        subscribe(receiver.url)
        lessons.record_lesson(make_round(), None, "Brief earlier", "", None)
        db.session.commit()
        [delivery] = queued()
        now = utcnow()
        waits = []
        for _ in range(3):
            retry_at = attempt(delivery, now)
            waits.append(retry_at and (retry_at - now).total_seconds())
            now = retry_at or now
        db.session.commit()
    assert waits == [30, 60, None]
    assert delivery.status == "failed" and "HTTP 503" in delivery.last_error


def test_a_failing_receiver_is_turned_off_with_an_integration_problem(loopback):
    loopback.config.update(WEBHOOK_DISABLE_AFTER=3)
    with running_receiver([500] * 10) as receiver:
        webhook = subscribe(receiver.url + "?token=receivers-own-secret")
        for title in ("One", "Two"):
            lessons.record_lesson(make_round(), None, title, "", None)
        db.session.commit()
        first, second = queued()
        now = utcnow()
        attempt(first, now)
        attempt(second, now)
        attempt(first, now + timedelta(minutes=1))
        db.session.commit()
        assert len(receiver.received) == 3
    assert not webhook.active and webhook.disabled_at is not None
    assert {first.status, second.status} == {"failed"}
    # The attempt that turned it off keeps its own answer; the one left waiting says why.
    assert first.last_error == "The receiver answered HTTP 500"
    assert second.last_error == "The webhook was turned off after 3 failures in a row"
    [problem] = integration_problems.open_problems("webhooks")
    assert receiver.url in problem.summary and "turned off" in problem.summary
    assert "receivers-own-secret" not in problem.summary
    lessons.record_lesson(make_round(), None, "Three", "", None)
    db.session.commit()
    assert len(queued()) == 2  # a turned-off webhook gets nothing new

    webhooks.set_active(webhook, True)
    db.session.commit()
    assert webhook.consecutive_failures == 0
    assert integration_problems.open_problems("webhooks") == []


def test_the_sweep_sends_a_delivery_whose_task_was_lost_and_a_claim_is_taken_once(loopback):
    with running_receiver() as receiver:
        subscribe(receiver.url)
        lessons.record_lesson(make_round(), None, "One", "", None)
        db.session.commit()
        [delivery] = queued()
        policy = Policy.from_config()
        assert claim(delivery, utcnow(), policy) is not None
        assert claim(delivery, utcnow(), policy) is None  # held while the first is sending
        delivery.next_attempt_at = utcnow() - timedelta(minutes=5)
        db.session.commit()
        assert deliver_overdue_webhooks() == 1
        [got] = receiver.wait_for(1)
    db.session.refresh(delivery)
    assert delivery.status == "delivered" and got.headers["webhook-id"].startswith("msg_")


def test_an_unreachable_receiver_counts_as_a_failure(loopback):
    webhook = subscribe("http://127.0.0.1:9/nothing-listens-here")
    lessons.record_lesson(make_round(), None, "One", "", None)
    db.session.commit()
    [delivery] = queued()
    assert attempt(delivery) is not None
    assert delivery.last_status_code is None and "Could not connect" in delivery.last_error
    assert webhook.consecutive_failures == 1


def test_an_address_no_longer_allowed_is_not_called(loopback):
    with running_receiver() as receiver:
        subscribe(receiver.url)
        lessons.record_lesson(make_round(), None, "One", "", None)
        db.session.commit()
        loopback.config["WEBHOOK_ALLOW_LOOPBACK"] = False
        [delivery] = queued()
        attempt(delivery)
        db.session.commit()
        assert receiver.received == []
    assert "https://" in delivery.last_error


def test_deleting_a_webhook_removes_its_log_but_keeps_other_events(loopback):
    webhook = subscribe("http://127.0.0.1:9/a")
    lessons.record_lesson(make_round(), None, "One", "", None)
    db.session.commit()
    webhooks.delete_webhook(webhook)
    db.session.commit()
    assert queued() == []
    assert db.session.scalar(select(func.count()).select_from(WebhookEvent)) == 1
    assert db.session.scalar(select(func.count()).select_from(IntegrationProblem)) == 0


def test_a_webhook_deleted_while_its_delivery_is_sent_is_let_go(loopback, monkeypatch):
    from surveys.services import webhook_delivery

    webhook = subscribe("http://127.0.0.1:9/a")
    lessons.record_lesson(make_round(), None, "One", "", None)
    db.session.commit()
    [delivery] = queued()

    def send_while_an_admin_deletes(outgoing, policy):
        webhooks.delete_webhook(webhooks.get_webhook(webhook.id))
        db.session.commit()
        return 200, None

    monkeypatch.setattr(webhook_delivery, "send", send_while_an_admin_deletes)
    deliver_webhook(delivery.id)  # the delivery went with its webhook: nothing to record
    assert queued() == []


def test_turning_a_webhook_on_clears_its_own_problem_only(loopback):
    from surveys.services.webhook_delivery import disable

    first = subscribe("http://127.0.0.1:9/hooks")
    second = subscribe("http://127.0.0.1:9/hooks-2")
    policy = Policy.from_config()
    disable(first, policy)
    disable(second, policy)
    db.session.commit()
    webhooks.set_active(first, True)
    db.session.commit()
    [left] = integration_problems.open_problems("webhooks")
    assert "127.0.0.1:9/hooks-2 was turned off" in left.summary
    webhooks.set_active(second, True)
    assert integration_problems.open_problems("webhooks") == []
