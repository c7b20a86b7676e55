"""Durability: concurrent submissions to gunicorn while web workers are SIGKILLed.

Run: .venv/bin/python -m benchmarks.bench_durability

For SQLite (a fresh file) and PostgreSQL (a throwaway `h9_durability_*` database on
BENCH_DATABASE_URL, default postgresql://postgres@127.0.0.1/postgres; skipped when no
server answers), it migrates a database, invites RESPONDENTS providers, serves the app
with gunicorn (3 sync workers, loopback, a free port) and has CLIENTS threads walk each
questionnaire (start, one page, check your answers, send) as a browser would, retrying a
step whose request failed. Meanwhile a web worker is SIGKILLed every 2 to 5 seconds.

Then it counts, from the database:
* acknowledged: submissions the server confirmed (a 303 to the confirmation page, or a
  later visit showing the answers were received);
* stored: submitted responses; duplicates: invitations with more than one response;
* half-written: submitted responses missing an answer, a reference or their invitation's
  completion, and invitations marked completed with no submitted response.
Acknowledged must equal stored, and duplicates and half-written must be 0. The baseline
is the same load with no worker killed, measured in the same run.
"""

from __future__ import annotations

import os
import random
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import requests

from benchmarks.bench_analysis_common import table, write_section

COMMAND = (
    f"BENCH_RESPONDENTS={os.environ['BENCH_RESPONDENTS']} "
    if "BENCH_RESPONDENTS" in os.environ
    else ""
) + ".venv/bin/python -m benchmarks.bench_durability"
RESPONDENTS = int(os.environ.get("BENCH_RESPONDENTS", "40"))
CLIENTS = 8
WORKERS = 3
KILL_EVERY = (2.0, 5.0)
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
ROOT = Path(__file__).resolve().parent.parent
DEFINITION = {
    "id": "durability",
    "title": "Durability feedback",
    "pages": [
        {
            "id": "feedback",
            "title": "Your feedback",
            "questions": [
                {
                    "id": "went_well",
                    "type": "long_text",
                    "text": "What went well?",
                    "kind": "went_well",
                },
                {
                    "id": "improve",
                    "type": "long_text",
                    "text": "What could improve?",
                    "kind": "improve",
                },
            ],
        }
    ],
}
ANSWER_COUNT = 2
RECEIVED = "You have already sent your answers"


@dataclass
class Outcome:
    acknowledged: int = 0
    client_retries: int = 0
    gave_up: int = 0
    kills: int = 0
    seconds: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, **counts: int) -> None:
        with self.lock:
            for name, n in counts.items():
                setattr(self, name, getattr(self, name) + n)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def prepare(url: str, folder: Path) -> list[str]:
    """Migrate the database and invite the respondents; return their link tokens."""
    from flask_migrate import upgrade

    from app import create_app
    from surveys.db import db
    from surveys.services.invitations import issue_link
    from tests.factories import make_invitation, make_survey

    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": "x",
            "HUEY_SQLITE_PATH": str(folder / "huey.db"),
        }
    )
    with app.app_context():
        upgrade()
        survey = make_survey(DEFINITION, title="Durability")
        tokens = [issue_link(make_invitation(survey=survey)) for _ in range(RESPONDENTS)]
        db.session.commit()
        db.engine.dispose()
    return tokens


def serve(url: str, folder: Path, port: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "SECRET_KEY": secrets.token_hex(16),
        "DEBRIEF_BASE_URL": f"http://127.0.0.1:{port}",
        "DEBRIEF_SMTP_PORT": "1",  # mail is queued, never sent: no worker runs
    }
    env.pop("REDIS_URL", None)
    redis_url = queue_url()
    if redis_url:
        env["REDIS_URL"] = redis_url
    command = [
        str(ROOT / ".venv/bin/gunicorn"),
        f"--workers={WORKERS}",
        # Loaded once and forked, so a replacement worker serves at once instead of
        # spending seconds importing (a SQLite task queue must not cross a fork).
        *(["--preload"] if redis_url else []),
        f"--bind=127.0.0.1:{port}",
        "--graceful-timeout=2",
        f"--error-logfile={folder / 'gunicorn.log'}",
        "app:create_app()",
    ]
    server = subprocess.Popen(command, env=env, cwd=ROOT)  # noqa: S603 - our own gunicorn
    deadline = time.monotonic() + 180  # a loaded machine imports slowly
    while time.monotonic() < deadline:
        try:
            if requests.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                return server
        except requests.RequestException:
            pass
        time.sleep(0.2)
    server.kill()
    raise RuntimeError("gunicorn did not start:\n" + (folder / "gunicorn.log").read_text()[-2000:])


def queue_url() -> str | None:
    """The Redis queue to use (BENCH_REDIS_URL, default DB 9 on loopback), if it answers."""
    import redis

    url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/9")
    try:
        redis.Redis.from_url(url, socket_timeout=1).ping()
    except redis.RedisError:
        return None
    return url


def worker_pids(master: int) -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == master:
                pids.append(int(entry.name))
    return pids


def killer(master: int, stop: threading.Event, outcome: Outcome) -> None:
    """SIGKILL one web worker every few seconds, mid-request or not."""
    rng = random.Random(7)  # noqa: S311 - not for security
    while not stop.wait(rng.uniform(*KILL_EVERY)):
        pids = worker_pids(master)
        if pids:
            try:
                os.kill(rng.choice(pids), signal.SIGKILL)
                outcome.add(kills=1)
            except ProcessLookupError:
                pass


def respond(base: str, token: str, outcome: Outcome) -> None:
    """Walk one questionnaire as a browser would, retrying a step whose request failed.

    Each step fetches the page it was sent to (following redirects, as after a lost reply
    the server may send the respondent elsewhere) and posts that page's form.
    """
    session = requests.Session()
    answers = {"/feedback": {"went_well": f"Clear {token[:6]}", "improve": "Longer window"}}
    url, failures = f"{base}/r/{token}", 0
    while failures < 60:
        try:
            page = session.get(url, timeout=10)
            if page.url.endswith("/confirmation") or RECEIVED in page.text:
                outcome.add(acknowledged=1)
                return
            match = CSRF.search(page.text) if page.status_code == 200 else None
            if match is None:
                raise requests.RequestException(f"no form ({page.status_code})")
            step = page.url.removeprefix(f"{base}/r/{token}")
            data = {"csrf_token": match.group(1), **answers.get(step, {})}
            sent = session.post(page.url, data=data, allow_redirects=False, timeout=10)
            if sent.status_code != 303:
                raise requests.RequestException(f"status {sent.status_code}")
            url = requests.compat.urljoin(page.url, sent.headers["Location"])
        except requests.RequestException:
            failures += 1
            outcome.add(client_retries=1)
            time.sleep(0.2)
    outcome.add(gave_up=1)


def count(url: str, folder: Path) -> dict[str, int]:
    """Stored, duplicate and half-written responses, straight from the database."""
    from sqlalchemy import func, select

    from app import create_app
    from surveys.db import db
    from surveys.models import Answer, Invitation, Response

    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": "x",
            "HUEY_SQLITE_PATH": str(folder / "huey.db"),
        }
    )
    with app.app_context():
        submitted = list(db.session.scalars(select(Response).where(Response.status == "submitted")))
        per_invitation = db.session.execute(
            select(Response.invitation_id, func.count()).group_by(Response.invitation_id)
        ).all()
        answers = dict(
            db.session.execute(
                select(Answer.response_id, func.count()).group_by(Answer.response_id)
            ).all()
        )
        completed = set(
            db.session.scalars(select(Invitation.id).where(Invitation.status == "completed"))
        )
        half = sum(
            1
            for r in submitted
            if answers.get(r.id, 0) != ANSWER_COUNT
            or not r.reference
            or r.invitation_id not in completed
        )
        half += len(completed - {r.invitation_id for r in submitted})
        result = {
            "stored": len(submitted),
            "duplicates": sum(n - 1 for _, n in per_invitation if n > 1),
            "half-written": half,
        }
        db.engine.dispose()
    return result


def run(name: str, url: str, folder: Path, *, kill: bool) -> dict[str, object]:
    tokens = prepare(url, folder)
    port = free_port()
    server = serve(url, folder, port)
    outcome, stop = Outcome(), threading.Event()
    chaos = threading.Thread(target=killer, args=(server.pid, stop, outcome), daemon=True)
    started = time.perf_counter()
    if kill:
        chaos.start()
    try:
        with ThreadPoolExecutor(CLIENTS) as pool:
            list(pool.map(lambda t: respond(f"http://127.0.0.1:{port}", t, outcome), tokens))
    finally:
        stop.set()
        outcome.seconds = time.perf_counter() - started
        server.send_signal(signal.SIGTERM)
        server.wait(30)
    counts = count(url, folder)
    print(
        f"{name}, kill={kill}: {outcome.kills} kills, {outcome.acknowledged} acknowledged, {counts}"
    )
    return {"database": name, "kill": kill, "outcome": outcome, **counts}


def postgres_url() -> str | None:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    from app.config import normalise_database_url

    server = normalise_database_url(
        os.environ.get("BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1/postgres")
    )
    name = f"h9_durability_{secrets.token_hex(3)}"
    try:
        admin = create_engine(server, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception:  # noqa: BLE001 - no server: skip PostgreSQL
        return None
    return make_url(server).set(database=name).render_as_string(hide_password=False)


def drop_postgres(url: str) -> None:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)'))
    admin.dispose()


def scratch() -> str:
    """Scratch space: BENCH_SCRATCH, else the system's temporary folder."""
    folder = os.environ.get("BENCH_SCRATCH") or tempfile.gettempdir()
    Path(folder).mkdir(parents=True, exist_ok=True)
    return folder


def main() -> int:
    rows, failed = [], False
    with tempfile.TemporaryDirectory(prefix="durability-", dir=scratch()) as tmp:
        for kill in (False, True):
            folder = Path(tmp) / f"sqlite-{kill}"
            folder.mkdir()
            rows.append(run("SQLite", f"sqlite:///{folder / 'd.db'}", folder, kill=kill))
            pg = postgres_url()
            if pg is not None:
                try:
                    rows.append(run("PostgreSQL", pg, Path(tmp), kill=kill))
                finally:
                    drop_postgres(pg)
    baseline = {row["database"]: row["outcome"].seconds for row in rows if not row["kill"]}
    lines = []
    for row in rows:
        outcome: Outcome = row["outcome"]
        ok = outcome.acknowledged == row["stored"] and row["duplicates"] == row["half-written"] == 0
        failed |= not ok
        lines.append(
            [
                row["database"],
                "yes" if row["kill"] else "no (baseline)",
                outcome.kills,
                RESPONDENTS,
                outcome.acknowledged,
                row["stored"],
                row["duplicates"],
                row["half-written"],
                outcome.client_retries,
                outcome.gave_up,
                f"{outcome.seconds:.1f}",
                f"{outcome.seconds / baseline[row['database']]:.2f}",
                "ok" if ok else "FAILED",
            ]
        )
    headers = [
        "database",
        "workers killed",
        "kills",
        "respondents",
        "acknowledged",
        "stored",
        "duplicates",
        "half-written",
        "client retries",
        "gave up",
        "seconds",
        "time ratio to baseline",
        "check",
    ]
    body = (
        "## Durability: submissions while web workers are SIGKILLed\n\n"
        + table(headers, lines)
        + f"\n\n{RESPONDENTS} respondents, {CLIENTS} concurrent clients, gunicorn with"
        f" {WORKERS} sync workers on loopback; with kills, one worker is SIGKILLed every"
        " 2-5 s. Each client walks start, one page of two answers, check your answers and"
        " send, retrying a step whose request failed. acknowledged = sends the server"
        " confirmed; stored, duplicates and half-written are counted in the database afterwards."
    )
    print(body)
    write_section("durability", body, COMMAND)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
