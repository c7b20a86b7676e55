"""Imported responses count as respondents: in the summary and every output of it, and in
answer search by sector (the import's own sector and organisation, with no invitation)."""

from __future__ import annotations

import json
import re

import pytest

from app.reports.render import render
from bot.reply_blocks import methodology_line, summary_reply
from surveys.db import db
from surveys.models import Theme
from surveys.services import analysis_runs, ask, exports, search, summary_store, themes
from tests.app.test_admin_workspace import signed_in
from tests.surveys.test_response_import import csv_bytes, import_file, past_round  # noqa: F401

ROWS = [
    ["Organisation", "Sector", "What went well?", "What could we improve?"],
    ["Sure Start Trust", "Voluntary/Charity", "Clear forms", "Six weeks was too short"],
    ["sure start trust ", "voluntary", "Friendly officers", "The deadline was too tight"],
    ["Hill School", "School", "Good advertising", "More time to write the bid"],
    ["", "Health", "Helpful briefing", "The timeframe was too short"],
]
ZERO_RATE = re.compile(r"(?<![\d.])0%")


@pytest.fixture
def imported(app, past_round):  # noqa: F811
    """A round of a past phase with no invitations: four imported rows, three respondents."""
    app.config["SUPPRESSION_K"] = 1  # so each sector shows on its own
    preview, counts = import_file(past_round, "phase2.csv", csv_bytes(ROWS))
    assert counts["new"] == 4, [r.problems for r in preview.rows]
    return past_round


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("&#39;", "'")


def test_imported_respondents_count_in_the_summary_without_a_response_rate(imported):
    summary = summary_store.stored_summary(imported).summary
    m = summary.methodology
    assert (m.invited, m.responded, m.response_rate) == (0, 0, None)
    # Organisations by their imported name (case and spaces aside); a row with none is one.
    assert (m.imported, m.imported_responses, m.completed) == (3, 4, 4)
    assert dict(m.responded_by_sector) == {
        "Health": 1,
        "School/Further or Higher Education": 1,
        "Voluntary/Charity": 1,
    }
    assert [(c.channel, c.completed) for c in m.completed_by_channel] == [("import", 4)]
    response = {f.key: f for f in summary.key_findings.findings}["response"].text
    assert response.startswith("4 responses imported from earlier evaluation files;")
    assert "By channel: Import 4" in response and "Voluntary/Charity 1" in response
    assert "%" not in response and "suppressed" not in response and "0 of" not in response


def test_every_output_says_how_many_responses_were_imported(imported, client):
    summary = summary_store.stored_summary(imported).summary
    db.session.commit()
    line = (
        "Organisations that responded: 3 (4 responses imported from earlier evaluation files;"
        " no invitations, so no response rate)"
    )
    finding = {f.key: f for f in summary.key_findings.findings}["response"].text
    signed_in(client, role="viewer")
    page = client.get(f"/admin/reports/{imported.slug}").get_data(as_text=True)
    word = "\n".join(p.text for p in _docx(render(summary, "docx")).paragraphs)
    outputs = {
        "page": _text(page),
        "html": _text(render(summary, "html")),
        "markdown": render(summary, "markdown").replace("\\", ""),
        "word": word,
    }
    for name, text in outputs.items():
        assert line in text, name
        assert finding in text, name
        assert "Organisations that responded: 0" not in text, name
        assert "response rate suppressed" not in text and not ZERO_RATE.search(text), name
    slack = json.dumps(summary_reply(summary, "https://example.test/r").blocks)
    home = methodology_line(summary.methodology)  # the Slack home tab's line per round
    for text in (slack, home):
        assert "4 responses imported from earlier evaluation files" in text
        assert "suppressed" not in text and not ZERO_RATE.search(text)


def test_search_and_questions_find_imported_answers_by_their_sector(imported):
    found = search.find_answers("", round_slug=imported.slug, sector="voluntary")
    assert sorted(item.text for item in found) == sorted(
        [
            "Clear forms",
            "Six weeks was too short",
            "Friendly officers",
            "The deadline was too tight",
        ]
    )
    assert {item.sector_label for item in found} == {"Voluntary/Charity"}
    # The trust's two rows are one respondent, as in the summary.
    assert len({item.respondent for item in found}) == 1
    health = search.find_answers("", round_slug=imported.slug, sector="health")
    assert sorted(item.text for item in health) == [
        "Helpful briefing",
        "The timeframe was too short",
    ]

    answered = ask.ask("What did voluntary sector providers say about time?", k=1)
    assert answered.question.sector == "voluntary" and answered.matched >= 2
    assert {a.sector_label for a in answered.answers} == {"Voluntary/Charity"}


def test_the_cli_and_the_search_page_filter_imported_answers_by_sector(imported, runner, client):
    result = runner.invoke(args=["ask", "What did the health sector say?", "--format", "json"])
    assert result.exit_code == 0, result.output
    answers = json.loads(result.output)["answers"]
    assert {a["text"] for a in answers} == {"Helpful briefing", "The timeframe was too short"}
    signed_in(client, role="viewer")
    page = client.get(f"/admin/reports/search?round={imported.slug}&sector=school_fe&q=time")
    text = _text(page.get_data(as_text=True))
    assert "More time to write the bid" in text and "The timeframe was too short" not in text


def test_exports_give_the_same_organisation_and_sector(imported):
    header, *rows = list(exports.rows(imported))
    assert [row[2:4] for row in rows] == [
        ["Sure Start Trust", "Voluntary/Charity"],
        ["sure start trust", "Voluntary/Charity"],
        ["Hill School", "School/Further or Higher Education"],
        ["", "Health"],
    ]


def _docx(body: bytes):
    import io

    from docx import Document

    return Document(io.BytesIO(body))


def test_analysis_and_theme_pages_read_an_imported_response_s_sector(imported):
    """The analysis input and a theme's answers take the sector by the one rule in
    `respondents`, so an imported row's sector is not lost for want of an invitation."""
    sectors = {a.value: s for a, s in analysis_runs.free_text_answers(imported)}
    assert sectors["Six weeks was too short"] == "voluntary"
    assert sectors["More time to write the bid"] == "school_fe"
    assert sectors["The timeframe was too short"] == "health"
    analysis_runs.analyse_round(imported)
    answer = next(a for a, _ in analysis_runs.free_text_answers(imported) if a.theme_id)
    theme = db.session.get(Theme, answer.theme_id)
    assert all(sector is not None for _, sector in themes.theme_answers(theme, imported))
