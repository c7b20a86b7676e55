"""Importing earlier evaluations: rows of a CSV or XLSX become submitted responses (channel import).

Each column maps to one of the survey's questions, or to a special target: the row's `id`,
the respondent's `sector` and `organisation`, the `date` it was given, or a `kind` and `text`
pair (a went-well or improve comment in one column, its side in another). `preview` checks
every row and saves nothing; `apply` saves the rows without problems in one transaction and
skips (and reports) the others. Every row has a key (its id, or a hash of its cells and how
many identical rows came before it), kept with its provenance in `ImportedRow`, so importing
the same file again, or the file with its bad rows fixed, adds only the rows not yet imported.

No answer is dropped without the officer saying so: a column holding answers that is mapped
to nothing (its heading matched no question) stops the import until the officer maps it or
chooses to leave it out (LEAVE_OUT), and a cell past the last heading is a problem on its row.
Headings match question ids and texts ignoring case, spaces and punctuation ("What went
well" is "What went well?").
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from surveys.db import db
from surveys.definitions import AnswerError, Definition, Question
from surveys.errors import InvalidInput
from surveys.models import Answer, ImportedRow, Officer, Response, ResponseStatus, Round, Survey
from surveys.services import audit
from surveys.services.contact_import import read_numbered
from surveys.services.contacts import MAX_LENGTHS, sector_key
from surveys.services.import_values import KIND_WORDS, parse_date, raw_for
from surveys.services.responses import current_definition, current_version, new_reference
from surveys.services.tagging import programme_adaptation, tag_all
from surveys.services.vectors import store_vectors

SPECIAL_TARGETS: dict[str, str] = {
    "id": "Row id (stops a second import)",
    "sector": "Sector",
    "organisation": "Organisation",
    "date": "Date given",
    "kind": "Kind of comment (went well or improve)",
    "text": "Comment (its kind in another column)",
}
LEAVE_OUT = "-"  # the officer chose not to import this column
LEAVE_OUT_LABEL = "Leave this column out (its answers are not imported)"
ALIASES = {"organization": "organisation", "org": "organisation", "submitted_at": "date"}
MAX_ID = 100
# ImportedRow.organisation holds what Organisation.name does, with the same message.
MAX_ORGANISATION, ORGANISATION_NAMES = MAX_LENGTHS["organisation"]


@dataclass
class ImportRow:
    """One row of the file: what it would store, or why it cannot be imported."""

    number: int
    key: str
    cells: list[str]
    values: dict[str, Any] = field(default_factory=dict)
    sector: str | None = None
    organisation: str = ""
    given_on: date | None = None
    problems: list[str] = field(default_factory=list)
    already_imported: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def to_import(self) -> bool:
        return self.ok and not self.already_imported


@dataclass
class ImportPreview:
    """The file read against a round's survey with a column mapping, row by row."""

    round: Round
    survey: Survey
    filename: str
    header: list[str]
    mapping: list[str]  # a target per column ("" = not imported)
    rows: list[ImportRow]
    problem: str = ""  # why the mapping cannot work (then nothing can be imported)
    unmapped: list[int] = field(default_factory=list)  # columns with answers mapped to nothing

    def count(self, state: str) -> int:
        """Count rows to import ("new"), already imported ("already") or with problems."""
        test = {
            "new": lambda r: r.to_import,
            "already": lambda r: r.already_imported and r.ok,
            "problems": lambda r: not r.ok,
        }[state]
        return sum(1 for row in self.rows if test(row))


def survey_for_import(round_: Round, survey_slug: str | None = None) -> Survey:
    """Return the survey imported rows answer: the one named, or the round's only one."""
    if survey_slug:
        for survey in round_.surveys:
            if survey.slug == survey_slug:
                return survey
        raise InvalidInput("No such survey", {"survey": "Choose one of the round's surveys"})
    if not round_.surveys:
        raise InvalidInput(
            "No survey",
            {"survey": "Add a questionnaire to the round first: its questions receive the answers"},
        )
    if len(round_.surveys) > 1:
        raise InvalidInput("Which survey", {"survey": "Choose which survey the rows answer"})
    return round_.surveys[0]


def targets(definition: Definition) -> dict[str, str]:
    """Return what a column may be mapped to: the special targets, each question, or
    leaving it out."""
    questions = {q.id: f"{q.text} ({q.id})" for q in definition.questions}
    return SPECIAL_TARGETS | questions | {LEAVE_OUT: LEAVE_OUT_LABEL}


def _normal(text: str) -> str:
    return "_".join(text.strip().lower().replace("-", " ").split())


def _loose(text: str) -> str:
    """A heading's words only: "What went well?" and "what-went well" are the same."""
    return "_".join(re.findall(r"[^\W_]+", text.lower()))


def _imported(target: str) -> bool:
    return bool(target) and target != LEAVE_OUT


def _guess(cell: str, definition: Definition) -> str:
    name = ALIASES.get(_loose(cell), _loose(cell))
    if name in SPECIAL_TARGETS:
        return name
    for question in definition.questions:
        if name in (_loose(question.id), _loose(question.text)):
            return question.id
    kind = KIND_WORDS.get(name)
    side = next((q for q in definition.questions if kind and q.kind == kind), None)
    return side.id if side is not None else ""


def guess_mapping(header: list[str], definition: Definition) -> list[str]:
    """Map each column by its name: a special target, a question id or text, or a side."""
    mapping: list[str] = []
    for cell in header:
        guess = _guess(cell, definition)
        mapping.append("" if guess in mapping else guess)  # the first such column wins
    return mapping


def mapping_from_options(
    header: list[str], options: list[str], definition: Definition
) -> list[str]:
    """Apply `COLUMN=TARGET` options (TARGET empty: leave the column out) over the guessed
    mapping."""
    mapping = guess_mapping(header, definition)
    names = [_normal(cell) for cell in header]
    for option in options:
        column, sep, target = option.partition("=")
        if not sep or _normal(column) not in names:
            raise InvalidInput("Bad map", {"map": f"‘{option}’ does not name a column of the file"})
        mapping[names.index(_normal(column))] = target.strip() or LEAVE_OUT
    return mapping


def _check_mapping(mapping: list[str], definition: Definition) -> None:
    allowed = targets(definition)
    unknown = [t for t in mapping if t and t not in allowed]
    if unknown:
        raise InvalidInput("Bad map", {"map": f"Unknown target ‘{unknown[0]}’"})
    repeated = [t for t, n in Counter(t for t in mapping if _imported(t)).items() if n > 1]
    if repeated:
        raise InvalidInput("Bad map", {"map": f"Two columns are mapped to ‘{repeated[0]}’"})
    if ("kind" in mapping) != ("text" in mapping):
        raise InvalidInput("Bad map", {"map": "Map both a ‘kind’ and a ‘text’ column, or neither"})
    if not any(t in mapping for t in ("text", *(q.id for q in definition.questions))):
        raise InvalidInput("Bad map", {"map": "Map at least one column to a question"})


def preview(
    round_: Round,
    filename: str,
    data: bytes,
    *,
    mapping: list[str] | None = None,
    map_options: list[str] = (),
    survey_slug: str | None = None,
) -> ImportPreview:
    """Read a file against the round's survey and check every row; nothing is saved.

    A mapping that cannot work gives a preview with its `problem` and no rows.
    """
    survey = survey_for_import(round_, survey_slug)
    definition = current_definition(survey)
    table = read_numbered(filename, data)
    header = [cell.strip() for cell in table[0][1]]
    if mapping is None:
        mapping = mapping_from_options(header, list(map_options), definition)
    mapping = (list(mapping) + [""] * len(header))[: len(header)]
    try:
        _check_mapping(mapping, definition)
    except InvalidInput as error:
        return ImportPreview(round_, survey, filename, header, mapping, [], error.errors["map"])
    rows = _read_rows(table[1:], mapping, definition)
    _mark_known(round_, rows)
    unmapped = [
        index
        for index, target in enumerate(mapping)
        if not target and any(index < len(cells) and cells[index].strip() for _, cells in table[1:])
    ]
    problem = _unmapped_problem([header[index] for index in unmapped])
    return ImportPreview(round_, survey, filename, header, mapping, rows, problem, unmapped)


def _unmapped_problem(columns: list[str]) -> str:
    """Say which columns hold answers that would be lost, so the officer maps them first."""
    if not columns:
        return ""
    names = ", ".join(f"‘{column or '(no name)'}’" for column in columns)
    are = "is" if len(columns) == 1 else "are"
    return (
        f"The column{'s' if len(columns) > 1 else ''} {names} {are} not mapped, so "
        f"{'its' if len(columns) == 1 else 'their'} answers would not be imported: "
        "map each to a question, or choose to leave it out"
    )


def _read_rows(
    table: list[tuple[int, list[str]]], mapping: list[str], definition: Definition
) -> list[ImportRow]:
    seen_keys: dict[str, int] = {}
    occurrences: Counter[str] = Counter()
    rows = []
    for number, cells in table:
        cells = [(c or "").strip() for c in cells] + [""] * (len(mapping) - len(cells))
        picked = {t: cells[i] for i, t in enumerate(mapping) if _imported(t)}
        row = ImportRow(number=number, key="", cells=cells[: len(mapping)])
        beyond = sum(1 for cell in cells[len(mapping) :] if cell)
        if beyond:
            row.problems.append(
                f"{beyond} cell{'s' if beyond > 1 else ''} past the last column with a heading"
            )
        row.key = _row_key(picked, occurrences, row)
        if row.key in seen_keys:
            row.problems.append(f"Same id as row {seen_keys[row.key]}")
        seen_keys.setdefault(row.key, number)
        _read_cells(row, picked, definition)
        rows.append(row)
    return rows


def _row_key(picked: dict[str, str], occurrences: Counter[str], row: ImportRow) -> str:
    if "id" in picked:
        if not picked["id"]:
            row.problems.append("No id")
        elif len(picked["id"]) > MAX_ID:
            # Cut short, two ids would be one, and a new row taken for one already imported.
            row.problems.append(f"Row ids must be {MAX_ID} characters or fewer")
        return "id:" + picked["id"][:MAX_ID]
    content = json.dumps(sorted(picked.items()), ensure_ascii=False)
    digest = hashlib.sha256(content.encode()).hexdigest()[:40]
    occurrences[digest] += 1  # identical rows are different answers: number them
    return f"row:{digest}:{occurrences[digest]}"


def _read_cells(row: ImportRow, picked: dict[str, str], definition: Definition) -> None:
    for target, text in picked.items():
        if not text or target == "id":
            continue
        if target == "sector":
            row.sector = sector_key(text)
            if row.sector is None:
                row.problems.append(f"Unknown sector ‘{text}’")
        elif target == "organisation":
            if len(text) > MAX_ORGANISATION:
                # As for a contact's: a longer name would be stored cut short.
                row.problems.append(
                    f"{ORGANISATION_NAMES} must be {MAX_ORGANISATION} characters or fewer"
                )
            else:
                row.organisation = text
        elif target == "date":
            row.given_on = parse_date(text)
            if row.given_on is None:
                row.problems.append(f"‘{text}’ is not a date like 2008-05-01 or 01/05/2008")
        elif target == "kind":
            continue  # read with its text
        elif target == "text":
            _read_comment(row, picked.get("kind", ""), text, definition)
        else:
            _read_answer(row, definition.question(target), text)
    if row.ok and not row.values:
        row.problems.append("Nothing to import: the row has no answers")


def _read_comment(row: ImportRow, kind_text: str, text: str, definition: Definition) -> None:
    kind = KIND_WORDS.get(_normal(kind_text))
    if kind is None:
        row.problems.append(f"Unknown kind ‘{kind_text}’ (use went-well or improve)")
        return
    question = next((q for q in definition.questions if q.kind == kind), None)
    if question is None:
        row.problems.append(f"The questionnaire has no ‘{kind_text}’ question")
        return
    _read_answer(row, question, text)


def _read_answer(row: ImportRow, question: Question, text: str) -> None:
    if question.id in row.values:
        # A question's own column and a kind-and-text pair both answered it: keep neither.
        row.problems.append(f"{question.id}: two columns answer this question in this row")
        return
    try:
        row.values[question.id] = question.clean(raw_for(question, text))
    except AnswerError as error:
        row.problems.append(f"{question.id}: {error.message}")


def _mark_known(round_: Round, rows: list[ImportRow]) -> None:
    known = set(
        db.session.scalars(select(ImportedRow.row_key).where(ImportedRow.round_id == round_.id))
    )
    for row in rows:
        row.already_imported = row.key in known


def _submitted_at(row: ImportRow, round_: Round) -> datetime:
    given = row.given_on or round_.closes_on
    if given is None:
        return datetime.now(UTC)
    return datetime.combine(given, time(12, 0), tzinfo=UTC)


def apply(
    preview_: ImportPreview, *, officer: Officer | None = None, via: str = "web"
) -> dict[str, int]:
    """Save the rows without problems that are not yet imported, tagged; report the counts."""
    if preview_.problem:
        raise InvalidInput("Bad map", {"map": preview_.problem})
    survey, round_ = preview_.survey, preview_.round
    version = current_version(survey)
    definition = current_definition(survey)
    answers: list[Answer] = []
    for row in (r for r in preview_.rows if r.to_import):
        response = Response(
            survey=survey,
            survey_version=version,
            channel="import",
            entered_by=officer,
            status=ResponseStatus.SUBMITTED,
            reference=new_reference(),
            submitted_at=_submitted_at(row, round_),
        )
        for qid, value in row.values.items():
            answer = Answer(question_id=qid, value=value, kind=definition.question(qid).kind)
            response.answers.append(answer)
        if row.sector and "sector" not in row.values:
            # Summaries take a respondent without an invitation's sector from this answer.
            response.answers.append(Answer(question_id="sector", value=row.sector))
        answers.extend(response.answers)
        db.session.add(response)
        db.session.add(_provenance(row, preview_, response, officer))
    tag_all(answers, programme_adaptation(round_.programme_id))
    store_vectors(answers)
    try:
        db.session.flush()
    except IntegrityError as error:
        raise InvalidInput(
            "Imported twice at once",
            {"file": "Another import of these rows ran at the same time. Import the file again"},
        ) from error
    counts = {state: preview_.count(state) for state in ("new", "already", "problems")}
    audit.record(
        "responses.imported",
        actor=officer,
        target=round_,
        rows=len(preview_.rows),
        count=counts["new"],
        via=via,
    )
    return counts


def _provenance(
    row: ImportRow, preview_: ImportPreview, response: Response, officer: Officer | None
) -> ImportedRow:
    return ImportedRow(
        round_id=preview_.round.id,
        row_key=row.key,
        response=response,
        file_name=preview_.filename[:255],
        row_number=row.number,
        organisation=row.organisation,
        sector=row.sector,
        imported_by_id=officer.id if officer is not None else None,
    )
