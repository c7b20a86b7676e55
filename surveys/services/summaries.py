"""A round's lessons-learned summary, built from the database by the pure analysis package.

`round_summary` loads everything it needs in a handful of bulk queries (no per-answer lazy
loads), keeps the officers' theme assignments by pinning every themed answer to its stored
theme, redacts quotes with the programme's contact and officer names, suppresses groups
under k respondents, compares with the previous round and reports "You said, we did" from
the lessons carried into the round. The web page, `debrief report` and the Slack bot all
call it.
"""

from __future__ import annotations

import html
import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from flask import current_app, has_app_context
from sqlalchemy import select

from analysis import summary as analysis_summary
from analysis.charts import bar_chart, stacked_bar_chart
from analysis.summary import (
    Comparison,
    FreeTextAnswer,
    MethodologyCounts,
    RatingAnswer,
    RoundInfo,
    RoundSummary,
    action_line,
    completed_line,
    improved_line,
    responded_line,
    side_rows,
    summary_to_dict,
    summary_to_markdown,
)
from surveys.db import db
from surveys.errors import InvalidInput
from surveys.models import (
    ACTION_STATUSES,
    SECTORS,
    Answer,
    Contact,
    Invitation,
    Officer,
    Organisation,
    Response,
    Round,
    Survey,
    SurveyVersion,
)
from surveys.services import lessons as lesson_service
from surveys.services import tagging, vectors
from surveys.services.analysis_runs import known_theme, programme_themes, resolve_theme

FORMATS = ("markdown", "json", "html")
SECTOR_QUESTION_ID = "sector"
NOT_KNOWN_SECTOR = "Not known"
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
__all__ = [
    "FORMATS",
    "Comparison",
    "RoundSummary",
    "compare_rounds",
    "render_report",
    "render_summary",
    "round_summary",
]


@dataclass
class _Followups:
    """Answers to one lesson's follow-up questions: counts, who answered, and comments."""

    improved: Counter[str] = field(default_factory=Counter)
    respondents: set[str] = field(default_factory=set)
    # (submitted at as a timestamp, answer id, text), so the most recent is quoted first.
    comments: list[tuple[float, int, str]] = field(default_factory=list)


@dataclass(frozen=True)
class _Loaded:
    """One round's answers and respondents, read in bulk."""

    free_text: list[FreeTextAnswer]
    pinned: dict[str, str]
    ratings: list[RatingAnswer]
    followups: dict[int, _Followups]
    completed: int
    telephone: int
    responded_by_sector: Counter[str]
    responded_by_channel: Counter[str]


def suppression_k(k: int | None = None) -> int:
    """Return the smallest group size shown: the argument, else SUPPRESSION_K, else 3."""
    if k is not None:
        return max(1, int(k))
    if has_app_context():
        return max(1, int(current_app.config.get("SUPPRESSION_K", 3)))
    return 3


def round_summary(round_: Round, *, k: int | None = None, compare: bool = True) -> RoundSummary:
    """Build a round's lessons-learned summary (with the previous round's for comparison)."""
    k = suppression_k(k)
    previous = None
    if compare and round_.previous_round_id is not None:
        previous_round = db.session.get(Round, round_.previous_round_id)
        if previous_round is not None:
            previous = round_summary(previous_round, k=k, compare=False)
            if previous.methodology.completed == 0:
                previous = None  # nothing was gathered then, so there is nothing to compare
    return _build(round_, k, previous, with_lessons=True)


def compare_rounds(round_a: Round, round_b: Round, *, k: int | None = None) -> Comparison:
    """Compare a later round (b) with an earlier one (a): themes, ratings, response rate."""
    if round_a.programme_id != round_b.programme_id:
        raise InvalidInput("Only rounds of the same programme can be compared.")
    k = suppression_k(k)
    earlier = _build(round_a, k, None, with_lessons=False)
    later = _build(round_b, k, earlier, with_lessons=False)
    assert later.comparison is not None  # noqa: S101 - built with a previous summary
    return later.comparison


def _build(
    round_: Round, k: int, previous: RoundSummary | None, *, with_lessons: bool
) -> RoundSummary:
    loaded = _load(round_)
    by_id = programme_themes(round_.programme_id)
    codebook = [
        known_theme(t) for t in sorted(by_id.values(), key=lambda t: t.id) if not t.merged_into_id
    ]
    lessons = _lessons(round_, loaded.followups) if with_lessons else ()
    return analysis_summary.build_summary(
        RoundInfo(slug=round_.slug, name=round_.name),
        _methodology(round_, loaded),
        loaded.free_text,
        loaded.ratings,
        codebook=codebook,
        pinned=loaded.pinned,
        names=redaction_names(round_.programme_id, _quotable(loaded)),
        k=k,
        previous=previous,
        lessons=lessons,
    )


def _quotable(loaded: _Loaded) -> list[str]:
    """Return every text the summary may quote: free-text answers and follow-up comments."""
    comments = [text for f in loaded.followups.values() for _, _, text in f.comments]
    return [a.text for a in loaded.free_text] + comments


def _load(round_: Round) -> _Loaded:
    """Read every submitted answer of the round with its respondent in one query."""
    rows = db.session.execute(
        select(
            Answer.id,
            Answer.response_id,
            Answer.question_id,
            Answer.value,
            Answer.kind,
            Answer.sentiment_label,
            Answer.override_label,
            Answer.theme_id,
            Answer.theme_pinned,
            Answer.vector,
            Answer.vector_model,
            Response.channel,
            Response.submitted_at,
            Response.survey_version_id,
            Contact.organisation_id,
            Organisation.sector,
        )
        .join(Response, Response.id == Answer.response_id)
        .join(Survey, Survey.id == Response.survey_id)
        .outerjoin(Invitation, Invitation.id == Response.invitation_id)
        .outerjoin(Contact, Contact.id == Invitation.contact_id)
        .outerjoin(Organisation, Organisation.id == Contact.organisation_id)
        .where(Survey.round_id == round_.id, Response.status == "submitted")
        .order_by(Answer.id)
    ).all()
    by_id = programme_themes(round_.programme_id)
    theme_key = {tid: resolve_theme(t, by_id).key for tid, t in by_id.items()}
    questions = _rating_questions(round_)

    # Respondents: invited ones by organisation; open-link ones by their own answer.
    sector_of: dict[int, str | None] = {}
    respondent_of: dict[int, str] = {}
    channel_of: dict[int, str] = {}
    invited: set[int] = set()
    for row in rows:
        response_id = row.response_id
        channel_of[response_id] = row.channel
        if row.organisation_id is not None:
            invited.add(response_id)
            sector_of[response_id] = row.sector
            respondent_of[response_id] = f"org-{row.organisation_id}"
        else:
            respondent_of.setdefault(response_id, f"response-{response_id}")
            if row.question_id == SECTOR_QUESTION_ID and row.value in SECTORS:
                sector_of[response_id] = row.value

    free_text: list[FreeTextAnswer] = []
    pinned: dict[str, str] = {}
    rating_counts: dict[str, Counter[str]] = defaultdict(Counter)
    rating_by_sector: dict[str, dict[str, Counter[str]]] = defaultdict(lambda: defaultdict(Counter))
    followups: dict[int, _Followups] = defaultdict(_Followups)
    for row in rows:
        sector = sector_of.get(row.response_id)
        sector_label = SECTORS.get(sector, NOT_KNOWN_SECTOR) if sector else NOT_KNOWN_SECTOR
        if lesson_id := lesson_service.lesson_id_of(row.question_id):
            # Follow-ups belong under their lesson, not in this round's themes.
            _add_followup(followups[lesson_id], row, respondent_of[row.response_id])
        elif tagging.is_free_text(row):
            if row.theme_pinned and row.theme_id is None:
                continue  # an officer took it out of every theme
            answer_id = str(row.id)
            if row.theme_id is not None and row.theme_id in theme_key:
                pinned[answer_id] = theme_key[row.theme_id]
            free_text.append(
                FreeTextAnswer(
                    id=answer_id,
                    text=row.value,
                    kind=row.kind,
                    sector=sector_label,
                    channel=row.channel,
                    label=row.override_label or row.sentiment_label,
                    respondent_id=respondent_of[row.response_id],
                    vector=vectors.decode(row.vector, row.vector_model),
                )
            )
        elif row.question_id in questions:
            point = questions[row.question_id][1].get(row.value)
            if point is not None:
                rating_counts[row.question_id][point] += 1
                rating_by_sector[row.question_id][sector_label][point] += 1

    ratings = [
        RatingAnswer(
            question_id=qid,
            question_text=text,
            points=tuple(points.values()),
            counts=dict(rating_counts[qid]),
            counts_by_sector={s: dict(c) for s, c in rating_by_sector[qid].items()},
        )
        for qid, (text, points) in questions.items()
        if rating_counts[qid]  # a question nobody in this round answered says nothing
    ]
    responded_by_sector: Counter[str] = Counter()
    seen_orgs: set[str] = set()
    for response_id in invited:
        respondent = respondent_of[response_id]
        if respondent not in seen_orgs:
            seen_orgs.add(respondent)
            responded_by_sector[SECTORS.get(sector_of.get(response_id) or "", "Other")] += 1
    return _Loaded(
        free_text=free_text,
        pinned=pinned,
        ratings=ratings,
        followups=followups,
        completed=len(channel_of),
        telephone=sum(1 for c in channel_of.values() if c == "telephone"),
        responded_by_sector=responded_by_sector,
        # Every completed questionnaire, invited or by open link, by how it came in.
        responded_by_channel=Counter(channel_of.values()),
    )


def _add_followup(followup: _Followups, row: Any, respondent: str) -> None:
    """Count a "Has this improved?" answer or keep a follow-up comment."""
    if not isinstance(row.value, str) or not row.value.strip():
        return
    if row.question_id.endswith("_improved"):
        followup.improved[row.value] += 1
        followup.respondents.add(respondent)
    else:
        submitted = row.submitted_at.timestamp() if row.submitted_at else 0.0
        followup.comments.append((submitted, row.id, row.value))


def _rating_questions(round_: Round) -> dict[str, tuple[str, dict[Any, str]]]:
    """Return the round's rating questions: id -> (text, {stored value: point label})."""
    found: dict[str, tuple[str, dict[Any, str]]] = {}
    definitions = db.session.scalars(
        select(SurveyVersion.definition)
        .join(Survey, Survey.id == SurveyVersion.survey_id)
        .where(Survey.round_id == round_.id)
        .order_by(SurveyVersion.id)
    )
    for definition in definitions:
        for question in lesson_service.iter_questions(definition or {}):
            if question.get("type") != "rating" or question.get("id") in found:
                continue
            points = {
                p["value"]: str(p.get("label") or p["value"])
                for p in question.get("points") or ()
                if isinstance(p, dict) and "value" in p
            }
            if points:
                found[question["id"]] = (str(question.get("text") or question["id"]), points)
    return found


def _methodology(round_: Round, loaded: _Loaded) -> MethodologyCounts:
    """Count organisations contacted and responding by sector, and questionnaires by channel."""
    contacted = db.session.execute(
        select(Contact.organisation_id, Contact.role, Organisation.sector)
        .join(Invitation, Invitation.contact_id == Contact.id)
        .join(Survey, Survey.id == Invitation.survey_id)
        .join(Organisation, Organisation.id == Contact.organisation_id)
        .where(Survey.round_id == round_.id, Invitation.status != "revoked")
    ).all()
    organisations: dict[int, str] = {}
    partners: set[int] = set()
    for organisation_id, role, sector in contacted:
        organisations[organisation_id] = SECTORS.get(sector, "Other")
        if role == "partner":
            partners.add(organisation_id)
    invited_by_sector = Counter(organisations.values())
    return MethodologyCounts(
        invited_by_sector=dict(invited_by_sector),
        # Everyone invited gets the web link, whoever else phoned them or reached them in Slack.
        invited_by_channel={"web": len(organisations)} if organisations else {},
        responded_by_sector=dict(loaded.responded_by_sector),
        responded_by_channel=dict(loaded.responded_by_channel),
        completed=loaded.completed,
        telephone=loaded.telephone,
        partners_consulted=len(partners),
    )


def _lessons(round_: Round, followups: dict[int, _Followups]) -> tuple[Any, ...]:
    """Turn the lessons carried into this round into "You said, we did" entries."""
    labels = {option["value"]: option["label"] for option in lesson_service.FOLLOWUP_OPTIONS}
    entries = []
    for lesson in lesson_service.lessons_targeting(round_):
        answered = followups.get(lesson.id, _Followups())
        comments = sorted(answered.comments, reverse=True)  # most recent first
        entries.append(
            analysis_summary.Lesson(
                theme_label=lesson.theme.label if lesson.theme else lesson.title,
                lesson=lesson.what_we_heard or lesson.title,
                actions=tuple(
                    analysis_summary.LessonAction(
                        description=a.description,
                        status=a.status,
                        status_label=ACTION_STATUSES.get(a.status, a.status),
                        evidence=a.evidence or "",
                    )
                    for a in sorted(lesson.actions, key=lambda a: a.id)
                ),
                improved={labels[v]: answered.improved[v] for v in labels if answered.improved[v]},
                what_we_did=lesson.what_we_did.strip(),
                respondents=len(answered.respondents),
                comments=tuple(text for _, _, text in comments),
            )
        )
    return tuple(entries)


def redaction_names(programme_id: int, texts: Iterable[str] | None = None) -> list[str]:
    """Return the names to redact from quotes: the programme's contacts and all officers.

    Given the texts to be quoted, only names with a part (first name, surname) that occurs
    in them are returned, so redaction does not build one pattern from thousands of names.
    """
    contacts = db.session.scalars(
        select(Contact.name)
        .join(Invitation, Invitation.contact_id == Contact.id)
        .join(Survey, Survey.id == Invitation.survey_id)
        .join(Round, Round.id == Survey.round_id)
        .where(Round.programme_id == programme_id, Contact.erased_at.is_(None))
        .distinct()
    )
    officers = db.session.scalars(select(Officer.name).where(Officer.name != ""))
    names = {name.strip() for name in (*contacts, *officers) if name and name.strip()}
    if texts is not None:
        words = {word for text in texts for word in _WORD.findall(text.lower())}
        names = {n for n in names if any(p in words for p in _WORD.findall(n.lower()))}
    return sorted(names)


def render_report(round_: Round, fmt: str, *, k: int | None = None) -> str:
    """Render a round's summary as markdown, JSON or a standalone printable HTML page."""
    if fmt not in FORMATS:
        raise InvalidInput(f"Unknown format {fmt!r}; use markdown, json or html.")
    return render_summary(round_summary(round_, k=k), fmt)


def render_summary(summary: RoundSummary, fmt: str) -> str:
    """Render a computed summary as markdown, JSON or a standalone printable HTML page."""
    if fmt not in FORMATS:
        raise InvalidInput(f"Unknown format {fmt!r}; use markdown, json or html.")
    if fmt == "markdown":
        return summary_to_markdown(summary)
    if fmt == "json":
        return json.dumps(summary_to_dict(summary), indent=2, ensure_ascii=False) + "\n"
    return summary_to_html(summary)


@dataclass(frozen=True)
class Chart:
    """A server-rendered SVG chart and the data table that must follow it."""

    key: str
    title: str
    svg: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


def _percent(value: float | None) -> str:
    return "Suppressed" if value is None else f"{value * 100:.0f}%"


def summary_charts(summary: RoundSummary) -> dict[str, Chart]:
    """Return the summary's charts, each with its data table, keyed by section."""
    charts: dict[str, Chart] = {}
    m = summary.methodology
    shown = [(s, r) for s, r in m.response_rate_by_sector.items() if r is not None]
    if m.invited_by_sector:
        title = "Response rate by sector (%)"
        charts["response_rate"] = Chart(
            "response_rate",
            title,
            bar_chart(title, [s for s, _ in shown], [round(r * 100) for _, r in shown], unit="%")
            if shown
            else "",
            ("Sector", "Contacted", "Response rate"),
            tuple(
                (sector, str(n), _percent(m.response_rate_by_sector.get(sector)))
                for sector, n in m.invited_by_sector.items()
            ),
        )
    for key, title, themes in (
        ("went_well", "What we did well: answers per theme", summary.went_well),
        ("to_improve", "What we could improve: answers per theme", summary.to_improve),
    ):
        if themes:
            charts[key] = Chart(
                key,
                title,
                bar_chart(title, [t.label for t in themes], [t.count for t in themes]),
                ("Theme", "Answers", "Share of all answers"),
                tuple((t.label, str(t.count), f"{t.share * 100:.0f}%") for t in themes),
            )
    for rating in summary.ratings:
        title = rating.question_text
        charts[f"rating:{rating.question_id}"] = Chart(
            f"rating:{rating.question_id}",
            title,
            bar_chart(title, list(rating.points), [rating.counts[p] for p in rating.points]),
            ("Answer", "Count"),
            tuple((p, str(rating.counts[p])) for p in rating.points),
        )
    rows = [(s.sector, s.counts) for s in summary.sentiment_by_sector if s.counts is not None]
    if summary.sentiment_by_sector:
        title = "Sentiment of answers by sector"
        charts["sentiment"] = Chart(
            "sentiment",
            title,
            stacked_bar_chart(title, rows) if rows else "",
            ("Sector", "Respondents", "Positive", "Neutral", "Negative"),
            tuple(
                (s.sector, str(s.respondents), "-", "-", "-")
                if s.counts is None
                else (
                    s.sector,
                    str(s.respondents),
                    str(s.counts["positive"]),
                    str(s.counts["neutral"]),
                    str(s.counts["negative"]),
                )
                for s in summary.sentiment_by_sector
            ),
        )
    return charts


def summary_to_html(summary: RoundSummary) -> str:
    """Render a summary as one self-contained, printable HTML page (inline SVG, no scripts)."""
    e = _escape
    charts = summary_charts(summary)
    m = summary.methodology
    out = [
        "<!DOCTYPE html>",
        '<html lang="en-GB"><head><meta charset="utf-8">',
        f"<title>Lessons learned: {e(summary.round.name)}</title>",
        "<style>body{font-family:Arial,Helvetica,sans-serif;max-width:50em;margin:2em auto;"
        "padding:0 1em;color:#0b0c0c;line-height:1.4}table{border-collapse:collapse;"
        "margin:1em 0}th,td{border-bottom:1px solid #b1b4b6;padding:.3em .8em .3em 0;"
        "text-align:left}blockquote{border-left:4px solid #b1b4b6;margin:.5em 0;"
        "padding-left:1em}.app-chart{max-width:100%;height:auto}</style></head><body>",
        f"<h1>Lessons learned: {e(summary.round.name)}</h1>",
        "<h2>Methodology</h2><ul>",
        f"<li>Organisations contacted for feedback: {m.invited}</li>",
        f"<li>{e(responded_line(m))}</li>",
        f"<li>{e(completed_line(m))}</li>",
    ]
    if m.partners_consulted:
        out.append(f"<li>Partners consulted: {m.partners_consulted}</li>")
    out.append("</ul>")
    out += _chart_html(charts.get("response_rate"))
    out.append(
        f"<p>Rates and breakdowns for groups of fewer than {summary.k} respondents are "
        "suppressed. Names, email addresses and phone numbers in quotes are redacted.</p>"
    )
    for key, title, themes in (
        ("went_well", "What we did well", summary.went_well),
        ("to_improve", "What we could improve", summary.to_improve),
        ("other", "Other comments", summary.other),
    ):
        nothing = summary.non_answer_line("improve" if key == "to_improve" else key)
        if key == "other" and not themes and not nothing:
            continue
        out.append(f"<h2>{title}</h2>")
        if nothing:
            out.append(f"<p>{e(nothing)}</p>")
        if not themes:
            out.append("<p>No answers in this section.</p>")
        out += _chart_html(charts.get(key))
        for theme in themes:
            answers = "answer" if theme.count == 1 else "answers"
            out.append(f"<h3>{e(theme.label)} ({theme.count} {answers})</h3>")
            out += [f"<blockquote>{e(q)}</blockquote>" for q in theme.quotes]
    if summary.ratings:
        out.append("<h2>Ratings</h2>")
        for rating in summary.ratings:
            out += _chart_html(charts.get(f"rating:{rating.question_id}"), level=3)
            if rating.mean is not None:
                out.append(
                    f"<p>{rating.answers} answers; mean {rating.mean:.2f} "
                    f"of {len(rating.points)}.</p>"
                )
    if summary.sentiment_by_sector:
        out.append("<h2>Sentiment by sector</h2>")
        out += _chart_html(charts.get("sentiment"))
    if summary.comparison is not None:
        c = summary.comparison
        out.append(f"<h2>Compared with {e(c.previous_name)}</h2>")
        for side in c.sides:
            out.append(f"<h3>{e(side.title)}</h3><ul>")
            for title, hint, items in side_rows(side):
                shown = ", ".join(f"{e(t.label)} ({t.previous_count} → {t.count})" for t in items)
                out.append(f"<li>{title} ({hint}): {shown or 'none'}</li>")
            out.append("</ul>")
        out.append("<h3>Ratings and response rate</h3><ul>")
        for qid, delta in c.rating_shifts.items():
            text = e(c.rating_questions.get(qid, qid))
            out.append(f"<li>{text} — mean rating changed by {delta:+.2f}</li>")
        if c.response_rate_change is not None:
            out.append(
                f"<li>Response rate changed by {c.response_rate_change * 100:+.0f} points</li>"
            )
        elif not c.rating_shifts:
            out.append("<li>No ratings or response rates to compare.</li>")
        out.append("</ul>")
    if summary.lessons:
        out.append("<h2>You said, we did</h2>")
        for lesson in summary.lessons:
            out.append(f"<h3>{e(lesson.theme_label)}</h3>")
            out.append(f"<p><strong>You said:</strong> {e(lesson.lesson)}</p>")
            if lesson.what_we_did:
                out.append(f"<p><strong>We did:</strong> {e(lesson.what_we_did)}</p>")
            if lesson.actions:
                out.append("<p>Actions:</p><ul>")
                out += [f"<li>{e(action_line(a))}</li>" for a in lesson.actions]
                out.append("</ul>")
            if improved := improved_line(lesson, summary.k):
                out.append(f"<p>{e(improved)}</p>")
            if lesson.quotes:
                out.append("<p>What respondents said:</p>")
                out += [f"<blockquote>{e(q)}</blockquote>" for q in lesson.quotes]
    out.append(f"<p>Sentiment tagger version {e(summary.tagger_version)}.</p></body></html>")
    return "\n".join(out) + "\n"


def _chart_html(chart: Chart | None, level: int = 3) -> list[str]:
    if chart is None:
        return []
    out = [f"<h{level}>{_escape(chart.title)}</h{level}>"]
    if chart.svg:
        out.append(f"<figure>{chart.svg}</figure>")
    return out + _table_html(f"Data for: {chart.title}", chart.headers, chart.rows)


def _table_html(caption: str, headers, rows) -> list[str]:
    e = _escape
    out = [f"<table><caption>{e(caption)}</caption><thead><tr>"]
    out += [f'<th scope="col">{e(h)}</th>' for h in headers]
    out.append("</tr></thead><tbody>")
    for row in rows:
        cells = [f'<th scope="row">{e(row[0])}</th>'] + [f"<td>{e(c)}</td>" for c in row[1:]]
        out.append("<tr>" + "".join(cells) + "</tr>")
    return [*out, "</tbody></table>"]


def _escape(text: Any) -> str:
    return html.escape(str(text), quote=True)
