"""A questionnaire definition: pages of questions, validated as a whole when loaded."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from surveys.definitions.base import ID_PATTERN, Problems, Question
from surveys.definitions.questions import parse_condition, parse_question
from surveys.errors import DefinitionError

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"
TEMPLATE_NAMES: tuple[str, ...] = ("provider-post-round", "partner-consultation", "panel-member")
SLUG_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")
# Page ids share the URL space with the journey's own steps.
RESERVED_PAGE_IDS = frozenset({"check", "confirmation", "answers", "accessibility", "start"})
DEFINITION_FIELDS = {
    "id": "the questionnaire's id",
    "title": "its title",
    "description": "why we are asking (shown on the start page)",
    "asked_by": "who is asking",
    "time_to_complete": "how long it takes",
    "privacy_notice": "how answers are used and kept",
    "pages": "the pages of questions",
}
PAGE_FIELDS = ("id", "title", "questions")


@dataclass(frozen=True)
class Page:
    """A page of one or more questions, shown together."""

    id: str
    title: str
    questions: tuple[Question, ...]

    @property
    def heading(self) -> str:
        """The page's heading: its title, or its only question's text."""
        if self.title:
            return self.title
        return self.questions[0].text if self.questions else ""

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id}
        if self.title:
            data["title"] = self.title
        data["questions"] = [question.to_dict() for question in self.questions]
        return data


@dataclass(frozen=True)
class Definition:
    """A validated questionnaire definition (build one with `Definition.from_dict`)."""

    id: str
    title: str
    pages: tuple[Page, ...]
    description: str = ""
    asked_by: str = ""
    time_to_complete: str = ""
    privacy_notice: str = ""
    _by_id: dict[str, Question] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_dict(cls, data: Any, source: str = "<definition>") -> Definition:
        """Validate a definition mapping and build it (raises DefinitionError)."""
        return validate_definition(data, source)

    @property
    def questions(self) -> tuple[Question, ...]:
        return tuple(question for page in self.pages for question in page.questions)

    def question(self, qid: str) -> Question:
        """Return the question with this id (KeyError when there is none)."""
        return self._by_id[qid]

    def page(self, page_id: str) -> Page:
        """Return the page with this id (KeyError when there is none)."""
        for page in self.pages:
            if page.id == page_id:
                return page
        raise KeyError(page_id)

    def page_of(self, qid: str) -> Page:
        """Return the page that holds a question."""
        for page in self.pages:
            if any(question.id == qid for question in page.questions):
                return page
        raise KeyError(qid)

    def to_dict(self) -> dict[str, Any]:
        """Return the definition as plain data (what a survey version stores)."""
        data: dict[str, Any] = {"id": self.id, "title": self.title}
        for name in ("description", "asked_by", "time_to_complete", "privacy_notice"):
            if getattr(self, name):
                data[name] = getattr(self, name)
        data["pages"] = [page.to_dict() for page in self.pages]
        return data


def _text(data: dict, name: str, where: str, problems: Problems, *, required: bool = False) -> str:
    value = data.get(name, "")
    if value is None:
        value = ""
    if not isinstance(value, str) or (required and not value.strip()):
        problems.add(where, name, "is required text" if required else "must be text")
        return ""
    return value.strip() if name != "privacy_notice" else value


def validate_definition(data: Any, source: str = "<definition>") -> Definition:
    """Check a definition mapping; raise DefinitionError naming file, question and field."""
    problems = Problems(source)
    if not isinstance(data, dict):
        problems.add("questionnaire", "(top level)", "must be a mapping with id, title and pages")
        raise _error(problems)
    for name in sorted(set(data) - set(DEFINITION_FIELDS)):
        problems.add("questionnaire", name, "is not a questionnaire field")
    definition_id = data.get("id")
    if not isinstance(definition_id, str) or not SLUG_PATTERN.match(definition_id):
        problems.add("questionnaire", "id", "must be lower-case letters, digits and hyphens")
        definition_id = ""
    title = _text(data, "title", "questionnaire", problems, required=True)
    meta = {
        name: _text(data, name, "questionnaire", problems)
        for name in ("description", "asked_by", "time_to_complete", "privacy_notice")
    }
    pages = _parse_pages(data.get("pages"), problems)
    by_id = {question.id: question for page in pages for question in page.questions}
    _check_conditions(pages, problems)
    if problems.items:
        raise _error(problems)
    return Definition(id=definition_id, title=title, pages=tuple(pages), _by_id=by_id, **meta)


def _parse_pages(raw_pages: Any, problems: Problems) -> list[Page]:
    if not isinstance(raw_pages, list) or not raw_pages:
        problems.add("questionnaire", "pages", "must be a list of at least one page")
        return []
    pages: list[Page] = []
    page_ids: set[str] = set()
    question_ids: set[str] = set()
    for index, raw_page in enumerate(raw_pages, start=1):
        where = f"page {index}"
        if not isinstance(raw_page, dict):
            problems.add(where, "page", "must be a mapping with id and questions")
            continue
        page_id = raw_page.get("id")
        if isinstance(page_id, str) and page_id:
            where = f"page '{page_id}'"
        if not isinstance(page_id, str) or not ID_PATTERN.match(page_id):
            problems.add(where, "id", "must be lower-case letters, digits and underscores")
        elif page_id in RESERVED_PAGE_IDS:
            problems.add(where, "id", f"'{page_id}' is reserved; choose another page id")
        elif page_id in page_ids:
            problems.add(where, "id", "is used by another page")
        page_ids.add(str(page_id))
        for name in sorted(set(raw_page) - set(PAGE_FIELDS)):
            problems.add(where, name, "is not a page field")
        title = _text(raw_page, "title", where, problems)
        raw_questions = raw_page.get("questions")
        if not isinstance(raw_questions, list) or not raw_questions:
            problems.add(where, "questions", "must be a list of at least one question")
            raw_questions = []
        if len(raw_questions) > 1 and not title:
            problems.add(where, "title", "is required when a page has more than one question")
        questions: list[Question] = []
        for q_index, raw_question in enumerate(raw_questions, start=1):
            qid = raw_question.get("id") if isinstance(raw_question, dict) else None
            q_where = (
                f"question '{qid}'"
                if isinstance(qid, str) and qid
                else f"{where} question {q_index}"
            )
            if not isinstance(qid, str) or not ID_PATTERN.match(qid):
                problems.add(q_where, "id", "must be lower-case letters, digits and underscores")
            elif qid in question_ids:
                problems.add(q_where, "id", "is used by another question")
            question = parse_question(raw_question, q_where, problems)
            if question is None:
                continue
            question_ids.add(question.id)
            condition = None
            if "show_if" in raw_question:
                condition = parse_condition(raw_question["show_if"], q_where, problems)
            questions.append(_with_condition(question, condition))
        pages.append(Page(id=str(page_id or ""), title=title, questions=tuple(questions)))
    return pages


def _with_condition(question: Question, condition) -> Question:
    if condition is None:
        return question
    return replace(question, show_if=condition)


def _check_conditions(pages: list[Page], problems: Problems) -> None:
    """Each show_if must name a question on an earlier page and a value it can take."""
    earlier: dict[str, Question] = {}
    for page in pages:
        for question in page.questions:
            condition = question.show_if
            if condition is None:
                continue
            where = f"question '{question.id}'"
            target = earlier.get(condition.question)
            if target is None:
                problems.add(
                    where,
                    "show_if",
                    f"must refer to a question on an earlier page (not {condition.question!r})",
                )
                continue
            allowed = target.condition_values()
            compared = [
                value
                for value in (condition.equals, condition.not_equals, condition.includes)
                if value is not None
            ] + list(condition.one_of or ())
            for value in compared:
                if allowed is not None and value not in allowed:
                    problems.add(
                        where,
                        "show_if",
                        f"{value!r} is not an answer question '{target.id}' can have",
                    )
        earlier.update({question.id: question for question in page.questions})


def _error(problems: Problems) -> DefinitionError:
    return DefinitionError("\n".join(problems.items), problems.items)


def template_path(name_or_path: str | Path) -> Path:
    """Return the YAML file for a built-in template name or a path."""
    if isinstance(name_or_path, str) and name_or_path in TEMPLATE_NAMES:
        return TEMPLATES_DIR / f"{name_or_path}.yaml"
    return Path(name_or_path)


def load_template(name_or_path: str | Path) -> Definition:
    """Load and validate a built-in template (by name) or a YAML file (by path)."""
    path = template_path(name_or_path)
    source = path.name if path.parent == TEMPLATES_DIR else str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise DefinitionError(f"{source}: cannot be read ({error.strerror})") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise DefinitionError(f"{source}: is not valid YAML ({error})") from None
    return validate_definition(data, source)


@lru_cache(maxsize=128)
def _from_json(text: str) -> Definition:
    return validate_definition(json.loads(text), "stored survey version")


def definition_of(data: dict[str, Any]) -> Definition:
    """Return the Definition for a stored survey version's JSON (cached)."""
    return _from_json(json.dumps(data, sort_keys=True))
