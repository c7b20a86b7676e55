"""Email through a real SMTP server on loopback (aiosmtpd): invitations, links, opt-out,
reminders to non-responders only, and retries that never send twice."""

from __future__ import annotations

import asyncio
import email
import re
import socket
import threading
from datetime import date, timedelta
from email.message import Message
from urllib.parse import urlsplit

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from surveys import worker
from surveys.db import db
from surveys.models import Contact, IntegrationProblem, OutboundMessage, utcnow
from surveys.services import mail, reminders
from surveys.services.invitations import invite
from surveys.worker.mail import enqueue_messages
from tests.factories import make_contact, make_organisation, make_round, make_survey

HOLD_SECONDS = 5


class RecordingHandler:
    """Accepts mail and keeps it; refuses the first `refuse` messages with a 451. Given a
    `hold` event, it is a slow server: it waits (at most HOLD_SECONDS) for the event before
    answering, having set `arrived`."""

    def __init__(self) -> None:
        self.messages: list[Message] = []
        self.refuse = 0
        self.hold: threading.Event | None = None
        self.arrived = threading.Event()
        self.held_too_long = False

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        if self.hold is not None:
            self.arrived.set()
            loop = asyncio.get_running_loop()
            released = await loop.run_in_executor(None, self.hold.wait, HOLD_SECONDS)
            self.held_too_long = self.held_too_long or not released
        if self.refuse > 0:
            self.refuse -= 1
            return "451 Requested action aborted: try again later"
        self.messages.append(email.message_from_bytes(envelope.original_content))
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp(app):
    handler = RecordingHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=_free_port())
    controller.start()
    app.config.update(
        SMTP_HOST="127.0.0.1", SMTP_PORT=controller.port, MAIL_FROM="feedback@council.example"
    )
    try:
        yield handler
    finally:
        controller.stop()


def _parts(message: Message) -> tuple[str, str]:
    text = html = ""
    for part in message.walk():
        if part.get_content_type() == "text/plain":
            text = part.get_payload(decode=True).decode()
        elif part.get_content_type() == "text/html":
            html = part.get_payload(decode=True).decode()
    return text, html


def _link(text: str, marker: str) -> str:
    return next(word for word in text.split() if marker in word)


def _invite(survey, contacts):
    messages = mail.queue_invitations(invite(survey, contacts))
    db.session.commit()
    enqueue_messages(messages)
    return messages


def test_invitation_arrives_personalised_and_its_link_opens_the_questionnaire(smtp, client):
    round_ = make_round(name="Phase 3", closes_on=date(2030, 3, 27))
    survey = make_survey(round=round_, title="Provider feedback")
    organisation = make_organisation(name="Sure Start <Trust>")
    contact = make_contact(name="Ann <b>Lee</b>", organisation=organisation)
    _invite(survey, [contact])
    assert len(smtp.messages) == 1
    message = smtp.messages[0]
    assert message["To"] == contact.email
    assert "Phase 3" in message["Subject"]
    text, html = _parts(message)
    assert "Dear Ann <b>Lee</b>" in text
    assert "Ann &lt;b&gt;Lee&lt;/b&gt;" in html and "<b>Lee" not in html
    assert "Sure Start &lt;Trust&gt;" in html
    assert "27 March 2030" in text and "27 March 2030" in html
    link = _link(text, "/r/")
    assert f'href="{link}"' in html
    # The token is in the email only: the outbox row holds no body.
    row = db.session.scalars(select(OutboundMessage)).one()
    assert row.status == "sent" and row.attempts == 1
    assert link.rsplit("/", 1)[1] not in (row.body_text + row.body_html)
    page = client.get(urlsplit(link).path, follow_redirects=True)
    assert page.status_code == 200
    assert "Provider feedback" in page.get_data(as_text=True)


def test_opt_out_link_is_honoured(smtp, client):
    survey = make_survey()
    contact = make_contact()
    _invite(survey, [contact])
    text, _ = _parts(smtp.messages[0])
    path = urlsplit(_link(text, "/opt-out/")).path
    page = client.get(path).get_data(as_text=True)
    token = page.split('name="csrf_token" value="')[1].split('"')[0]
    client.post(path, data={"csrf_token": token})
    assert db.session.get(Contact, contact.id).opted_out
    assert "You have opted out" in client.get(path).get_data(as_text=True)
    # Opted out: no reminder, no invitation to another survey.
    assert reminders.remind_non_responders(survey.round) == []
    _invite(make_survey(round=survey.round), [contact])
    assert len(smtp.messages) == 1
    assert client.get("/opt-out/forged-token").status_code == 404


def test_reminder_goes_only_to_non_responders(smtp, app):
    from surveys.services import responses

    survey = make_survey()
    answered, waiting = make_contact(), make_contact()
    invitations = invite(survey, [answered, waiting])
    enqueue_messages(mail.queue_invitations(invitations))
    response = responses.start_or_resume(invitations[0])
    responses.save_page(response, "feedback", {"went_well": "Good"})
    responses.submit_response(response)
    db.session.commit()
    messages = reminders.remind_non_responders(survey.round)
    # A second click before the worker sends adds nothing.
    assert reminders.remind_non_responders(survey.round) == []
    db.session.commit()
    enqueue_messages(messages)
    reminder_mail = [m for m in smtp.messages if m["Subject"].startswith("Reminder")]
    assert [m["To"] for m in reminder_mail] == [waiting.email]
    assert invitations[1].reminder_count == 1


def test_scheduled_reminders_follow_the_rounds_days(smtp, app):
    closes = date.today() + timedelta(days=7)
    round_ = make_round(closes_on=closes, reminder_days="7,2")
    survey = make_survey(round=round_)
    contact = make_contact()
    _invite(survey, [contact])
    assert reminders.due_reminder_day(round_, closes - timedelta(days=8)) is None
    assert reminders.due_reminder_day(round_, closes - timedelta(days=7)) == 7
    assert reminders.due_reminder_day(round_, closes - timedelta(days=1)) == 2
    first = reminders.queue_scheduled_reminders(closes - timedelta(days=7))
    again = reminders.queue_scheduled_reminders(closes - timedelta(days=6))
    assert len(first) == 1 and again == []
    later = reminders.queue_scheduled_reminders(closes - timedelta(days=2))
    assert [m.idempotency_key.rsplit(":", 1)[1] for m in later] == ["auto-2"]


def test_a_refused_send_is_retried_until_accepted_and_never_duplicated(smtp, app):
    app.config["WORKER_IMMEDIATE"] = False
    worker.init_app(app)
    huey = worker.queue(app)
    huey.flush()
    try:
        survey = make_survey()
        smtp.refuse = 1
        [message] = _invite(survey, [make_contact()])
        task = huey.dequeue()
        huey.execute(task)  # the server says 451
        db.session.expire_all()
        row = db.session.get(OutboundMessage, message.id)
        assert row.status == "queued" and row.attempts == 1 and "451" in row.last_error
        assert smtp.messages == []
        # Huey scheduled the retry; run it as the consumer would when it falls due.
        later = huey._get_timestamp() + timedelta(hours=1)
        [retry] = huey.read_schedule(later)
        huey.execute(retry, later)
        db.session.expire_all()
        assert db.session.get(OutboundMessage, message.id).status == "sent"
        assert len(smtp.messages) == 1
        # A stray second task for the same row sends nothing.
        enqueue_messages([row])
        huey.execute(huey.dequeue())
        assert len(smtp.messages) == 1
        mail_tasks = [t for t in huey.pending() if "send_message" in t.name]
        assert mail_tasks == [] and huey.scheduled_count() == 0
    finally:
        huey.flush()
        app.config["WORKER_IMMEDIATE"] = True
        worker.init_app(app)


def test_a_message_that_never_goes_is_marked_failed_and_reported(smtp, app):
    from surveys.worker.mail import send_message_now

    survey = make_survey()
    [invitation] = invite(survey, [make_contact()])
    message = mail.queue_invitation(invitation)
    db.session.commit()
    smtp.refuse = 1
    send_message_now(message.id, 0)
    assert message.status == "failed"
    assert db.session.scalars(select(IntegrationProblem)).one().service == "mail"


def test_invitations_are_queued_once_per_invitation(app):
    survey = make_survey()
    invitations = invite(survey, [make_contact()])
    assert len(mail.queue_invitations(invitations)) == 1
    assert mail.queue_invitations(invitations) == []


def test_password_reset_email_link_works(smtp, client):

    from surveys.services import officers
    from tests.factories import make_officer

    officer = make_officer(password_hash=officers.hash_password("an old long password"))
    db.session.commit()
    page = client.get("/reset-password").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    client.post("/reset-password", data={"csrf_token": token, "email": officer.email})
    enqueue_messages(db.session.scalars(select(OutboundMessage)).all())
    text, _ = _parts(smtp.messages[0])
    assert client.get(urlsplit(_link(text, "/reset-password/")).path).status_code == 200


def _unfolded(message: Message, name: str) -> str | None:
    """A header's value with any folding undone (RFC 5322 2.2.3): a long link may be folded."""
    value = message[name]
    return None if value is None else re.sub(r"\r?\n", "", value).strip()


def _unsubscribe_headers(message: Message) -> tuple[str | None, str | None]:
    return _unfolded(message, "List-Unsubscribe"), _unfolded(message, "List-Unsubscribe-Post")


def test_invitations_and_reminders_offer_one_click_unsubscribe(smtp, app):
    survey = make_survey(round=make_round(closes_on=date.today() + timedelta(days=3)))
    contact = make_contact()
    _invite(survey, [contact])
    enqueue_messages(reminders.remind_non_responders(survey.round))
    db.session.commit()

    assert len(smtp.messages) == 2  # the invitation, then the reminder
    for message in smtp.messages:
        text, html = _parts(message)
        link, post = _unsubscribe_headers(message)
        assert link == f"<{_link(text, '/opt-out/')}>"  # the body's own opt-out link
        assert link.startswith("<http://localhost/opt-out/")  # whole, not encoded
        assert post == "List-Unsubscribe=One-Click"


def test_password_reset_emails_have_no_unsubscribe(smtp, app):
    from tests.factories import make_officer

    officer = make_officer()
    message = mail.queue_password_reset(officer)
    db.session.commit()
    enqueue_messages([message])

    assert len(smtp.messages) == 1
    assert _unsubscribe_headers(smtp.messages[0]) == (None, None)


def test_a_one_click_post_opts_out_without_csrf_or_sign_in_and_logs_no_token(smtp, app, caplog):
    survey = make_survey()
    contact = make_contact()
    _invite(survey, [contact])
    link = _unfolded(smtp.messages[0], "List-Unsubscribe").strip("<>")
    token = link.rsplit("/", 1)[1]
    mail_program = app.test_client()  # no session, no CSRF token: as a mail provider POSTs

    with caplog.at_level("DEBUG"):
        reply = mail_program.post(
            urlsplit(link).path,
            data="List-Unsubscribe=One-Click",
            content_type="application/x-www-form-urlencoded",
        )

    assert reply.status_code == 200
    assert "You have opted out" in reply.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Contact, contact.id).opted_out
    assert all(token not in record.getMessage() for record in caplog.records)
    forged = mail_program.post("/opt-out/forged", data={"List-Unsubscribe": "One-Click"})
    assert forged.status_code == 404


def _queued_invitation() -> tuple[int, int]:
    contact = make_contact()
    [invitation] = invite(make_survey(), [contact])
    message = mail.queue_invitation(invitation)
    db.session.commit()
    return message.id, contact.id


def test_a_slow_mail_server_holds_no_database_lock_and_the_message_goes_once(smtp, app):
    from surveys.worker.mail import send_message_now

    message_id, contact_id = _queued_invitation()
    db.session.close()  # the test's own session holds no lock while the worker runs
    smtp.hold = threading.Event()
    failures: list[BaseException] = []

    def work() -> None:
        with app.app_context():
            try:
                send_message_now(message_id, 3)
            except BaseException as error:  # noqa: BLE001 - reported below
                failures.append(error)
            finally:
                db.session.remove()

    sender = threading.Thread(target=work)
    sender.start()
    try:
        assert smtp.arrived.wait(10)  # the server has the message and is thinking
        # Another writer goes ahead meanwhile; a second task for the message sends nothing.
        db.session.get(Contact, contact_id).name = "Renamed while the mail server thinks"
        db.session.commit()
        send_message_now(message_id, 3)
        written_while_held = not smtp.hold.is_set() and not smtp.held_too_long
    finally:
        smtp.hold.set()
        sender.join(30)
    assert written_while_held and not smtp.held_too_long and failures == []
    db.session.expire_all()
    row = db.session.get(OutboundMessage, message_id)
    assert (row.status, row.attempts, row.claimed_until) == ("sent", 1, None)
    assert row.sent_at is not None and len(smtp.messages) == 1
    assert db.session.get(Contact, contact_id).name == "Renamed while the mail server thinks"


def test_a_message_claimed_by_a_worker_that_died_is_sent_by_the_sweep_once(smtp, app):
    from surveys.worker.mail import send_message_now

    message_id, _ = _queued_invitation()
    assert mail.claim(db.session.get(OutboundMessage, message_id)) is not None
    db.session.commit()  # ... and the worker dies before the SMTP call
    assert mail.queued_message_ids() == []  # the claim keeps the sweep off it for now
    send_message_now(message_id, 3)  # a stray task sends nothing either
    assert smtp.messages == []
    later = utcnow() + mail.CLAIM_LEASE + timedelta(seconds=1)
    assert mail.queued_message_ids(now=later) == [message_id]

    db.session.get(OutboundMessage, message_id).claimed_until = utcnow() - timedelta(seconds=1)
    db.session.commit()  # the claim has run out: the sweep's task sends it, once
    for swept in mail.queued_message_ids():
        send_message_now(swept, 3)
    send_message_now(message_id, 3)
    assert len(smtp.messages) == 1
    row = db.session.get(OutboundMessage, message_id)
    assert (row.status, row.attempts, row.claimed_until) == ("sent", 2, None)
