"""Round summary from the database: `round_summary` for 1k and 10k free-text answers.

Run: .venv/bin/python -m benchmarks.bench_summary_db

Each size gets a fresh migrated SQLite database holding one round whose respondents each
gave a "went well" answer, an "improve" answer and a rating. The round is analysed once
(`analyse_round`: tags and stored themes), then timed:

* baseline: the pure `analysis.summary.build_summary` on the same answers already in
  memory, with the same codebook and the same stored theme assignments (pins);
* `surveys.services.summaries.round_summary`: the same summary, recomputed from the database;
* `surveys.services.summary_store.stored_summary`: what pages, Slack and downloads now do —
  read the summary the worker stored after the last change.

The ratio (DB / in-memory) is the cost of loading; SQL statements are counted too, to show
the loading is a handful of bulk queries rather than one per answer. The ratio stored /
recompute is what a page view or Slack answer saves.
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import event, insert

from benchmarks.bench_analysis_common import table, write_section
from benchmarks.bench_analysis_scaling import FILL, TOPICS

COMMAND = ".venv/bin/python -m benchmarks.bench_summary_db"
SIZES = (1_000, 10_000)
SECTOR_KEYS = ("school_fe", "health", "district_council", "voluntary", "private")
DEFINITION = {
    "id": "bench",
    "title": "Benchmark questionnaire",
    "pages": [
        {
            "id": "feedback",
            "questions": [
                {"id": "went_well", "type": "long_text", "text": "What went well?",
                 "kind": "went_well"},
                {"id": "improve", "type": "long_text", "text": "What could improve?",
                 "kind": "improve"},
                {"id": "overall", "type": "rating", "text": "How clear was the process?",
                 "points": [{"value": v, "label": str(v)} for v in range(1, 6)]},
            ],
        }
    ],
}  # fmt: skip


def _text(rng: random.Random, kind: str) -> str:
    text = rng.choice(TOPICS[kind]).format(**{k: rng.choice(v) for k, v in FILL.items()})
    return text + (f" Reference {rng.randrange(10_000)}." if rng.random() < 0.3 else "")


def _populate(answers: int) -> int:
    """Insert one round with answers // 2 respondents; return the round id."""
    from surveys.db import db
    from surveys.models import (
        Answer,
        Contact,
        Invitation,
        Organisation,
        Programme,
        Response,
        Round,
        Survey,
        SurveyVersion,
    )

    rng = random.Random(11)
    programme = Programme(slug="bench", name="Benchmark programme")
    round_ = Round(programme=programme, slug="bench-round", name="Benchmark round", status="closed")
    survey = Survey(round=round_, slug="bench-survey", template="bench", title="Benchmark")
    version = SurveyVersion(survey=survey, version=1, definition=DEFINITION)
    db.session.add_all([programme, round_, survey, version])
    db.session.flush()
    people = answers // 2
    db.session.execute(
        insert(Organisation),
        [{"id": i + 1, "name": f"Org {i}", "sector": SECTOR_KEYS[i % 5]} for i in range(people)],
    )
    db.session.execute(
        insert(Contact),
        [
            {"id": i + 1, "organisation_id": i + 1, "name": f"Person {i}", "role": "provider",
             "email": f"p{i}@example.org"}
            for i in range(people)
        ],
    )  # fmt: skip
    db.session.execute(
        insert(Invitation),
        [
            {"id": i + 1, "survey_id": survey.id, "contact_id": i + 1, "status": "completed"}
            for i in range(people + people // 4)
            if i < people
        ],
    )
    db.session.execute(
        insert(Response),
        [
            {"id": i + 1, "survey_id": survey.id, "survey_version_id": version.id,
             "invitation_id": i + 1, "status": "submitted", "reference": f"B{i:07d}",
             "channel": "telephone" if i % 10 == 0 else "web"}
            for i in range(people)
        ],
    )  # fmt: skip
    rows = []
    for i in range(people):
        for kind in ("went_well", "improve"):
            rows.append(
                {"response_id": i + 1, "question_id": kind, "value": _text(rng, kind), "kind": kind}
            )
        rows.append({"response_id": i + 1, "question_id": "overall", "value": rng.randint(1, 5)})
    db.session.execute(insert(Answer), rows)
    db.session.commit()
    return round_.id


def _in_memory_inputs(round_):
    """Build the pure summary's inputs from the database once, outside the timing."""
    from analysis.summary import RoundInfo
    from surveys.services import summaries, summary_load

    loaded = summary_load.load_round(round_)
    method = summaries._methodology(round_, loaded)
    return RoundInfo(round_.slug, round_.name), method, loaded


def _best_of(runs: int, func) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        func()
        best = min(best, time.perf_counter() - start)
    return best


def measure(answers: int, folder: Path) -> dict:
    """Build a database of this size and time both summaries."""
    from flask_migrate import upgrade

    from analysis.summary import build_summary
    from app import create_app
    from surveys.db import db
    from surveys.models import Round
    from surveys.services import analysis_runs, summaries, summary_store
    from surveys.services.analysis_runs import known_theme, programme_themes

    app = create_app(
        {
            "SECRET_KEY": "bench",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / f'bench-{answers}.db'}",
            "HUEY_SQLITE_PATH": str(folder / "huey.db"),
            "WORKER_IMMEDIATE": True,
        }
    )
    with app.app_context():
        upgrade()
        round_id = _populate(answers)
        round_ = db.session.get(Round, round_id)
        start = time.perf_counter()
        result = analysis_runs.analyse_round(round_)
        db.session.commit()
        analyse_seconds = time.perf_counter() - start

        info, method, loaded = _in_memory_inputs(round_)
        by_id = programme_themes(round_.programme_id)
        codebook = [known_theme(t) for t in by_id.values() if not t.merged_into_id]
        names = summaries.redaction_names(round_.programme_id, [a.text for a in loaded.free_text])

        def in_memory():
            return build_summary(
                info, method, loaded.free_text, loaded.ratings,
                codebook=codebook, pinned=loaded.pinned, names=names, k=3,
            )  # fmt: skip

        statements = []

        def count(*_args):
            statements.append(1)

        def from_db():
            db.session.expire_all()
            return summaries.round_summary(db.session.get(Round, round_id), k=3)

        baseline = _best_of(3, in_memory)
        event.listen(db.engine, "before_cursor_execute", count)
        first = _best_of(1, from_db)
        event.remove(db.engine, "before_cursor_execute", count)
        database = min(first, _best_of(2, from_db))
        summary = from_db()

        def from_store():
            db.session.expire_all()
            return summary_store.stored_summary(db.session.get(Round, round_id)).summary

        assert from_store() == summary  # noqa: S101 - the worker stored the same summary
        read_statements = len(statements)
        event.listen(db.engine, "before_cursor_execute", count)
        from_store()
        event.remove(db.engine, "before_cursor_execute", count)
        read_statements = len(statements) - read_statements
        stored = _best_of(5, from_store)
        db.session.remove()
        db.engine.dispose()
    return {
        "answers": len(loaded.free_text),
        "analyse": analyse_seconds,
        "baseline": baseline,
        "database": database,
        "statements": len(statements) - read_statements,
        "stored": stored,
        "read_statements": read_statements,
        "themes": len(summary.went_well) + len(summary.improve) + len(summary.other),
        "retagged": result.retagged,
    }


def main() -> None:
    """Measure each size and update the summary-db section of RESULTS.md."""
    sizes = tuple(int(a) for a in sys.argv[1:]) or SIZES
    results = []
    with tempfile.TemporaryDirectory() as folder:
        for n in sizes:
            results.append(measure(n, Path(folder)))
            print(results[-1], flush=True)
    rows = [
        [
            f"{r['answers']:,}",
            f"{r['analyse']:.2f}",
            f"{r['baseline']:.2f}",
            f"{r['database']:.2f}",
            f"{r['database'] / r['baseline']:.2f}",
            r["statements"],
            f"{r['stored'] * 1000:.1f}",
            f"{r['stored'] / r['database']:.3f}",
            r["read_statements"],
            r["themes"],
            "≤ 5 s" if r["answers"] >= 10_000 else "-",
        ]
        for r in results
    ]
    body = "\n".join(
        [
            "## Round summary from the database",
            "",
            table(
                [
                    "free-text answers",
                    "analyse_round s",
                    "in-memory build_summary s (baseline)",
                    "round_summary from DB s",
                    "ratio DB / in-memory",
                    "SQL statements per summary",
                    "stored_summary read ms",
                    "ratio stored / recompute",
                    "SQL statements per read",
                    "themes",
                    "target",
                ],
                rows,
            ),
            "",
            "SQLite file database, one round, half as many respondents as free-text answers "
            "(each gave a went-well and an improve answer plus a rating). Baseline: "
            "analysis.summary.build_summary on the same answers, codebook and stored theme "
            "pins already in memory, best of 3. round_summary: best of 3 with the session "
            "expired each time, so every row is read from the database; the statement count "
            "is for one summary, previous-round comparison and lessons included. "
            "analyse_round (tag every answer, group and store themes) runs once first. "
            "stored_summary: what the summary page, Slack and the downloads do since the worker "
            "stores each round's summary after every change — read and decode the stored JSON "
            "(best of 5, session expired each time); the benchmark checks it equals the "
            "recomputed summary.",
        ]
    )
    if sizes == SIZES:
        write_section("summary-db", body, COMMAND)
    print(body)


if __name__ == "__main__":
    main()
