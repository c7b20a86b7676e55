"""The questionnaire journey as pure functions of a definition and the answers so far.

The web pages, the Slack modal and the telephone-entry screen all walk the journey
through these functions, so show-if rules and "what is left" are decided in one place.
`answers` maps question ids to stored values; `None` records a question seen and left
blank (only optional questions can be).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from surveys.definitions import AnswerError, Definition, Page, Question

Answers = Mapping[str, Any]
Form = Mapping[str, "str | list[str]"]


def is_visible(question: Question, answers: Answers) -> bool:
    """Return whether a question is asked, given the answers so far."""
    return question.show_if is None or question.show_if.matches(answers)


def visible_questions(page: Page, answers: Answers) -> list[Question]:
    """Return the questions of a page that are asked, given the answers so far."""
    return [question for question in page.questions if is_visible(question, answers)]


def visible_pages(definition: Definition, answers: Answers) -> list[Page]:
    """Return the pages with at least one question to ask, in order."""
    return [page for page in definition.pages if visible_questions(page, answers)]


def _visible_ids(definition: Definition, answers: Answers) -> list[str]:
    return [page.id for page in visible_pages(definition, answers)]


def next_page_id(definition: Definition, answers: Answers, page_id: str) -> str | None:
    """Return the page after this one, or None when the next step is checking answers."""
    later = False
    for page in definition.pages:
        if later and visible_questions(page, answers):
            return page.id
        later = later or page.id == page_id
    return None


def previous_page_id(definition: Definition, answers: Answers, page_id: str) -> str | None:
    """Return the page before this one, or None when it is the first (back to the start)."""
    previous = None
    for visible_id in _visible_ids(definition, answers):
        if visible_id == page_id:
            return previous
        previous = visible_id
    return previous


def page_is_visible(definition: Definition, answers: Answers, page_id: str) -> bool:
    """Return whether a page exists and has a question to ask."""
    return page_id in _visible_ids(definition, answers)


def first_unanswered_page_id(definition: Definition, answers: Answers) -> str | None:
    """Return the first page with an unanswered question, or None when all are answered."""
    for page in visible_pages(definition, answers):
        for question in visible_questions(page, answers):
            if question.id not in answers or (question.required and answers[question.id] is None):
                return page.id
    return None


def validate_page(
    definition: Definition,
    page_id: str,
    form: Form,
    answers: Answers | None = None,
) -> tuple[dict[str, Any], dict[str, str]]:
    """Clean a page's form; return (values by question id, error messages by field id).

    With `answers`, questions hidden by earlier answers are skipped.
    """
    page = definition.page(page_id)
    questions = visible_questions(page, answers) if answers is not None else page.questions
    cleaned: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for question in questions:
        try:
            cleaned[question.id] = question.clean_form(form)
        except AnswerError as error:
            errors[question.id] = error.message
    return cleaned, errors


def answered_questions(definition: Definition, answers: Answers) -> dict[str, Any]:
    """Return the answers to visible questions, in question order, leaving out blanks.

    Answers to questions now hidden (an earlier answer changed) are left out; they are
    dropped when the response is submitted.
    """
    visible = [
        question
        for page in visible_pages(definition, answers)
        for question in visible_questions(page, answers)
    ]
    return {
        question.id: answers[question.id]
        for question in visible
        if answers.get(question.id) is not None
    }


def check_answers(definition: Definition, answers: Answers) -> dict[str, str]:
    """Validate every visible answer again; return error messages by question id."""
    errors: dict[str, str] = {}
    for page in visible_pages(definition, answers):
        for question in visible_questions(page, answers):
            try:
                question.check(answers.get(question.id))
            except AnswerError as error:
                errors[question.id] = error.message
    return errors


def is_complete(definition: Definition, answers: Answers) -> bool:
    """Return whether every visible page has been answered and every answer is valid."""
    return first_unanswered_page_id(definition, answers) is None and not check_answers(
        definition, answers
    )
