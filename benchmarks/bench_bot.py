"""Slack bot: how fast `/debrief summary` is acknowledged, and how soon the answer arrives.

Run: .venv/bin/python -m benchmarks.bench_bot

Builds a fresh migrated SQLite database with one closed round of 10,000 free-text answers
(5,000 respondents, the same generator as `bench_summary_db`), analyses it once, then posts
signed slash commands to /slack/events through the Flask test client, with the bot's Web
API and response URLs pointed at a local fake Slack server:

* baseline: `/debrief help` (no database work, no analysis);
* `/debrief summary ROUND` on the 10,000-answer round.

"ack" is the time until /slack/events returns (what Slack's 3-second limit applies to);
"answer" is the time until the answer reaches the response URL (the lazy listener's work).
Ratios are against the baseline measured in the same run.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

from benchmarks.bench_analysis_common import table, write_section

COMMAND = ".venv/bin/python -m benchmarks.bench_bot"
ANSWERS = 10_000
RUNS = {"help": 40, "summary": 12}
OFFICER = "U0BENCHOFFICER"
SECRET = "bench-signing-secret"  # noqa: S105 (a throwaway local secret)


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def _post_command(client, verifier, slack, text: str):
    body = urlencode(
        {
            "team_id": "T1",
            "channel_id": "C1",
            "user_id": OFFICER,
            "command": "/debrief",
            "text": text,
            "response_url": slack.response_url("bench"),
            "trigger_id": "t",
        }
    )
    timestamp = str(int(time.time()))
    headers = {
        "X-Slack-Request-Timestamp": timestamp,
        "X-Slack-Signature": verifier.generate_signature(timestamp=timestamp, body=body),
    }
    return client.post(
        "/slack/events", data=body, headers=headers,
        content_type="application/x-www-form-urlencoded",
    )  # fmt: skip


def _time(app, client, verifier, slack, text: str, runs: int) -> dict[str, list[float]]:
    from bot import get_bot

    acks, answers = [], []
    for _ in range(runs):
        before = len(slack.calls_to("/respond/bench"))
        start = time.perf_counter()
        response = _post_command(client, verifier, slack, text)
        acks.append(time.perf_counter() - start)
        assert response.status_code == 200, response.status_code
        while len(slack.calls_to("/respond/bench")) == before:
            time.sleep(0.001)
        answers.append(time.perf_counter() - start)
        assert get_bot(app).executor.wait_idle(60)
    return {"ack": acks, "answer": answers, "last": slack.calls_to("/respond/bench")[-1].text()}


def measure(folder: Path) -> dict:
    from flask_migrate import upgrade
    from slack_sdk.signature import SignatureVerifier

    from app import create_app
    from benchmarks.bench_summary_db import _populate
    from surveys.db import db
    from surveys.models import Officer, Round
    from surveys.services import analysis_runs
    from tests.bot.fake_slack import FakeSlack

    slack = FakeSlack().start()
    app = create_app(
        {
            "SECRET_KEY": "bench",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench-bot.db'}",
            "HUEY_SQLITE_PATH": str(folder / "huey.db"),
            "WORKER_IMMEDIATE": True,
            "SLACK_BOT_TOKEN": "xoxb-bench",
            "SLACK_SIGNING_SECRET": SECRET,
            "SLACK_API_URL": slack.api_url,
        }
    )
    try:
        with app.app_context():
            upgrade()
            round_id = _populate(ANSWERS)
            round_ = db.session.get(Round, round_id)
            analysis_runs.analyse_round(round_)
            db.session.add(
                Officer(email="bench@council.example", password_hash="x", slack_user_id=OFFICER)  # noqa: S106
            )
            slug = round_.slug
            db.session.commit()
            db.session.remove()
        client = app.test_client()
        verifier = SignatureVerifier(SECRET)
        _time(app, client, verifier, slack, "help", 3)  # warm up imports and connections
        results = {
            "help": _time(app, client, verifier, slack, "help", RUNS["help"]),
            "summary": _time(app, client, verifier, slack, f"summary {slug}", RUNS["summary"]),
        }
    finally:
        slack.stop()
    return results


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        results = measure(Path(folder))
    assert "Lessons learned" in results["summary"]["last"]
    base = {k: statistics.median(results["help"][k]) for k in ("ack", "answer")}
    rows = []
    for name in ("help", "summary"):
        for kind in ("ack", "answer"):
            values = results[name][kind]
            p50, p99 = _percentile(values, 0.5), _percentile(values, 0.99)
            rows.append(
                (
                    f"`/debrief {name}`" + (f" ({ANSWERS:,} answers)" if name == "summary" else ""),
                    kind,
                    len(values),
                    f"{p50 * 1000:.1f}",
                    f"{p99 * 1000:.1f}",
                    f"{p50 / base[kind]:.2f}",
                )
            )
    body = (
        "## Slack bot: acknowledgement and answer times\n\n"
        + table(["command", "measure", "runs", "p50 ms", "p99 ms", "p50 ratio to help"], rows)
        + "\n\nack = until /slack/events returns (Slack allows 3,000 ms); answer = until the "
        "answer reaches the response URL. Signed requests through the Flask test client; the "
        "Web API and response URL are a local fake server. p99 of a dozen runs is close to "
        "the maximum. The ack does no database or analysis work: the summary is built by a "
        "lazy listener after the acknowledgement.\n"
    )
    print(body)
    if "--no-write" not in sys.argv:
        write_section("bot", body, COMMAND)


if __name__ == "__main__":
    main()
