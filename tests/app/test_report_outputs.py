"""Every output of the lessons-learned report renders one model and agrees with the others.

On the demonstration data (phase 2 closed, phase 3 still open, lessons carried in): the
page, the HTML, Word and Markdown downloads and the Slack reply show the same sections under
the same titles, the same key findings and the same theme counts; the Word file is read back
with python-docx; hostile free text is escaped in every output.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator

import pytest
from docx import Document
from flask import Flask

from analysis.summary_model import SIDES
from analysis.summary_text import points_change, theme_heading
from app.reports.render import FORMATS, render
from bot.reply_blocks import compare_reply, summary_reply
from surveys.db import db
from surveys.services import lessons, rounds_admin, summary_store
from tests.app.test_admin_workspace import signed_in
from tests.app.test_demo_exports import demo  # noqa: F401 - the module's demo app

pytestmark = pytest.mark.usefixtures("demo")


@pytest.fixture
def context(demo: Flask) -> Iterator[Flask]:  # noqa: F811
    with demo.app_context():
        yield demo
        db.session.rollback()
        db.session.remove()


def _summary(slug: str):
    return summary_store.stored_summary(rounds_admin.round_by_slug(slug)).summary


def _docx(body: bytes) -> Document:
    return Document(io.BytesIO(body))


def _html_headings(page: str, level: int) -> list[str]:
    found = re.findall(rf"<h{level}[^>]*>(.*?)</h{level}>", page, re.S)
    return [re.sub(r"<[^>]+>", "", h).split("\n")[0].strip() for h in found]


@pytest.mark.parametrize("slug", ["phase-2", "phase-3"])
def test_every_output_shows_the_same_sections_titles_and_counts(context, slug):
    summary = _summary(slug)
    titles = [s.title for s in summary.sections()]
    assert titles[:3] == ["Key findings", "What went well", "What could improve"]
    client = context.test_client()
    with context.test_request_context():
        signed_in(client, role="viewer")
    page = client.get(f"/admin/reports/{slug}").get_data(as_text=True)
    html = render(summary, "html")
    markdown = render(summary, "markdown")
    word = _docx(render(summary, "docx"))
    data = json.loads(render(summary, "json"))

    assert _html_headings(page.split("<main", 1)[1], 2) == titles
    assert _html_headings(html, 2) == titles
    assert re.findall(r"^## (.+)$", markdown, re.M) == titles
    word_titles = [p.text for p in word.paragraphs if p.style.name == "Heading 1"]
    assert word_titles == titles
    # Theme headings with their counts, in every output.
    for side in SIDES:
        for theme in summary.themes(side.key):
            heading = theme_heading(theme.label, theme.count)
            assert f"### {heading}" in markdown.replace("\\", "")
            assert any(p.text == heading for p in word.paragraphs)
            assert f"{theme.count} answer" in page
    assert [t["label"] for t in data["improve"]] == [t.label for t in summary.improve]
    # The key findings, phrased once, read the same everywhere.
    for finding in summary.key_findings.findings:
        assert finding.title in page and finding.title in html
        if finding.key not in ("went_well", "improve"):
            assert finding.text in page.replace("&#39;", "'")
            assert any(finding.text in p.text for p in word.paragraphs)
    reply = summary_reply(summary, "https://example.test/report")
    text = json.dumps(reply.blocks, ensure_ascii=False)
    for side in SIDES[:2]:
        assert f"*{side.title}*" in text


def test_key_findings_come_first_and_an_open_round_is_not_compared_on_rates(context):
    summary = _summary("phase-3")
    findings = {f.key: f for f in summary.key_findings.findings}
    assert list(findings)[:3] == ["went_well", "improve", "response"]
    assert summary.key_findings.improve[0].count >= summary.key_findings.improve[-1].count
    assert "By sector:" in findings["response"].text and "By channel:" in findings["response"].text
    assert "lessons" in findings and "changes" in findings
    c = summary.comparison
    assert c.open_rounds == ("Phase 3",) and c.days_open is not None
    # Like with like: the rate so far against phase 2's on the same day after opening,
    # never against its final rate.
    assert c.previous_rate_same_point < c.previous_response_rate
    assert c.response_rate_change == round(c.response_rate - c.previous_rate_same_point, 4)
    unfair = f"{(c.response_rate - c.previous_response_rate) * 100:+.0f} percentage points"
    markdown = render(summary, "markdown")
    assert unfair not in markdown and "at the same point" in markdown
    assert "Phase 3 is still open" in markdown


def test_downloads_have_correct_content_types_and_word_reads_back(context):
    client = context.test_client()
    with context.test_request_context():
        signed_in(client, role="viewer")
    expected = {f.extension: f.content_type for f in FORMATS.values()}
    for extension, content_type in expected.items():
        response = client.get(f"/admin/reports/phase-2/report.{extension}")
        assert response.status_code == 200
        assert response.headers["Content-Type"] == content_type
        assert response.headers["Content-Type"].count("charset") <= 1
        assert (
            f'filename="phase-2-lessons-learned.{extension}"'
            in response.headers["Content-Disposition"]
        )
    word = _docx(client.get("/admin/reports/phase-2/report.docx").data)
    summary = _summary("phase-2")
    assert word.core_properties.title == "Lessons learned: Phase 2"
    assert word.paragraphs[0].text == "Lessons learned: Phase 2"
    quotes = [p.text for p in word.paragraphs if p.style.name == "Quote"]
    assert quotes and all(q.startswith("“") for q in quotes)
    assert f"“{summary.improve[0].quotes[0]}”" in quotes
    assert len(word.tables) >= 3
    ratings = next(t for t in word.tables if t.rows[0].cells[0].text == "Question")
    first = summary.ratings[0]
    row = next(r for r in ratings.rows if r.cells[0].text == first.question_text)
    assert row.cells[-2].text == str(first.answers)


def _texts(summary) -> dict[str, str]:
    """Every human-facing output of a summary as text (the page is checked elsewhere)."""
    word = _docx(render(summary, "docx"))
    reply = summary_reply(summary, "https://example.test/report")
    return {
        "html": render(summary, "html"),
        "markdown": render(summary, "markdown").replace("\\", ""),
        "word": "\n".join(p.text for p in word.paragraphs),
        "slack": json.dumps(reply.blocks, ensure_ascii=False),
    }


def test_phase_2_findings_count_the_lessons_recorded_from_it(context):
    summary = _summary("phase-2")
    recorded = lessons.lessons_for_round(rounds_admin.round_by_slug("phase-2"))
    assert recorded and not summary.lessons  # nothing carried into phase 2
    finding = next(f for f in summary.key_findings.findings if f.key == "lessons_recorded")
    assert finding.title == "Lessons from this round"
    assert finding.text.startswith(f"{len(recorded)} lessons recorded from this round (")
    assert "followed up in Phase 3" in finding.text
    actions = [a for lesson in recorded for a in lesson.actions]
    assert "actions: " in finding.text and len(actions) == sum(
        int(n) for n in re.findall(r"(\d+) [a-z ]+(?:,|\.$)", finding.text.split("actions: ")[1])
    )
    for name, text in _texts(summary).items():
        assert finding.title in text and finding.text.split(" (")[0] in text, name
    carried = lessons.lessons_targeting(rounds_admin.round_by_slug("phase-3"))
    followed = next(f for f in _summary("phase-3").key_findings.findings if f.key == "lessons")
    assert {lesson.id for lesson in carried} == {lesson.id for lesson in recorded}
    assert followed.title == "Lessons followed up"
    assert followed.text.startswith(
        f"{len(carried)} lessons from earlier rounds carried into this round, all asked about"
    )


def test_phase_3_names_what_it_counts_and_writes_falls_with_a_minus_sign(context):
    summary = _summary("phase-3")
    c = summary.comparison
    changes = next(f for f in summary.key_findings.findings if f.key == "changes").text
    named = changes.split("Resolved: ", 1)[1].split(".", 1)[0]
    more = re.search(r"\(and (\d+) more\)$", named)
    shown = [t for t in c.resolved if t.label in named]
    assert f"{len(c.resolved)} resolved" in changes
    assert len(shown) + (int(more.group(1)) if more else 0) == len(c.resolved)
    # A resolved theme a few still raise says so, not just "resolved".
    still = [t for t in shown if t.count > 0]
    assert still, "the demo's phase 3 still raises one resolved theme"
    for theme in still:
        assert f"{theme.label} (still raised by {theme.count})" in named

    assert c.response_rate_change < 0  # the demo's phase 3 is behind phase 2's pace
    fall = points_change(c.response_rate_change)
    assert fall.startswith("\N{MINUS SIGN}")
    client = context.test_client()
    with context.test_request_context():
        signed_in(client, role="viewer")
    outputs = _texts(summary)
    outputs["page"] = client.get("/admin/reports/phase-3").get_data(as_text=True)
    earlier, later = (rounds_admin.round_by_slug(s) for s in ("phase-2", "phase-3"))
    compared = compare_reply(c, earlier, later).blocks
    outputs["slack compare"] = json.dumps(compared, ensure_ascii=False)
    for name, text in outputs.items():
        assert fall in text, name
        assert not re.search(r"-\d+ percentage points|changed by -\d", text), name
    data = json.loads(render(summary, "json"))
    assert data["comparison"]["response_rate_change"] == c.response_rate_change < 0
