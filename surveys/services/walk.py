"""The questionnaire walk every face drives: open a page, save it, check, submit.

The public pages, telephone entry and the Slack modal all hold a `Walk` over one
response and ask it the same questions: which page comes first, what a page shows
(its visible questions, their current values, its position and the way back), where a
saved page leads (the next page, or the check step when it returns None), the check
rows (one rule: the visible questions) and submission. Faces only render and commit.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from surveys import journey
from surveys.definitions import Definition, Page, Question
from surveys.errors import InvalidInput, NotFound
from surveys.models import Response
from surveys.services import responses

Form = Mapping[str, "str | list[str]"]


@dataclass(frozen=True)
class PageView:
    """What a face shows for one page: the questions asked and where it sits."""

    page: Page
    questions: list[Question]
    values: dict[str, str | list[str]]
    number: int
    count: int
    previous_id: str | None  # None: this is the first page (back to the start)
    next_id: str | None  # None: the check step comes next


@dataclass(frozen=True)
class CheckRow:
    """One visible question on the check step, with its answer as text ("" if blank)."""

    page_id: str
    question: Question
    answer: str


class Walk:
    """One response's journey through its questionnaire version."""

    def __init__(self, response: Response) -> None:
        self.response = response

    @cached_property
    def definition(self) -> Definition:
        return responses.definition_for(self.response)

    @property
    def answers(self) -> dict[str, Any]:
        return responses.answers_of(self.response)

    def first_page_id(self) -> str | None:
        """Return the first page with something to answer, or None for the check step."""
        return journey.first_unanswered_page_id(self.definition, self.answers)

    def is_ready_to_check(self) -> bool:
        """Say whether every visible page has been answered."""
        return self.first_page_id() is None

    def has_page(self, page_id: str) -> bool:
        """Say whether a page is part of the questionnaire as answered so far."""
        return journey.page_is_visible(self.definition, self.answers, page_id)

    def open_page(self, page_id: str) -> PageView:
        """Return what a page shows, prefilled with the stored answers (NotFound if hidden)."""
        definition, answers = self.definition, self.answers
        if not journey.page_is_visible(definition, answers, page_id):
            raise NotFound("This page is not part of the questionnaire")
        page = definition.page(page_id)
        values: dict[str, str | list[str]] = {}
        for question in page.questions:
            values.update(question.form_values(answers.get(question.id)))
        visible = [p.id for p in journey.visible_pages(definition, answers)]
        return PageView(
            page=page,
            questions=journey.visible_questions(page, answers),
            values=values,
            number=visible.index(page_id) + 1,
            count=len(visible),
            previous_id=journey.previous_page_id(definition, answers, page_id),
            next_id=journey.next_page_id(definition, answers, page_id),
        )

    def visible_questions(self, page_id: str) -> list[Question]:
        """Return the questions a page asks, given the answers so far."""
        return journey.visible_questions(self.definition.page(page_id), self.answers)

    def save_page(self, page_id: str, form: Form, *, changing: bool = False) -> str | None:
        """Store a page; return the page to go to next, or None for the check step.

        When changing an answer from the check step, the walk goes on only to pages the
        change brought into view and left unanswered.
        """
        responses.save_page(self.response, page_id, form)
        if changing:
            return self.first_page_id()
        return journey.next_page_id(self.definition, self.answers, page_id)

    def save_all(self, form: Form) -> None:
        """Store a whole questionnaire's form page by page, in journey order.

        For faces that send every answer at once (the JSON API): each visible page is
        validated and saved as if posted on its own, so show-if rules apply as they do
        on the web. Raises InvalidInput for the first page with a problem, and first of all
        for a field no question reads: a misspelt answer is refused, never dropped.
        """
        known = {name for question in self.definition.questions for name in question.form_fields}
        unknown = [name for name in form if name not in known]
        if unknown:
            raise InvalidInput(
                "No question has this field",
                {name: "No question in this questionnaire has this field" for name in unknown},
            )
        visible = journey.visible_pages(self.definition, self.answers)
        page_id = visible[0].id if visible else None
        while page_id is not None:
            page_id = self.save_page(page_id, form)

    def last_page_id(self) -> str | None:
        """Return the last visible page (the way back from the check step)."""
        visible = journey.visible_pages(self.definition, self.answers)
        return visible[-1].id if visible else None

    def check_rows(self) -> list[CheckRow]:
        """Return the visible questions with their answers as text, in order."""
        definition, answers = self.definition, self.answers
        return [
            CheckRow(page.id, question, question.display(answers.get(question.id)))
            for page in journey.visible_pages(definition, answers)
            for question in journey.visible_questions(page, answers)
        ]

    def page_of(self, question_id: str) -> str:
        """Return the id of the page a question is on."""
        return self.definition.page_of(question_id).id

    def submit(self) -> Response:
        """Submit the response once (AlreadySubmitted for a concurrent duplicate)."""
        return responses.submit_response(self.response)
