"""Questionnaire definitions: the built-in templates, validation messages and question types."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from surveys.definitions import (
    TEMPLATE_NAMES,
    AnswerError,
    Definition,
    DefinitionError,
    LongText,
    Rating,
    load_template,
    validate_definition,
)
from tests.factories import MINIMAL_DEFINITION


def _definition(*questions: dict, **extra) -> dict:
    pages = [{"id": f"page_{i}", "questions": [q]} for i, q in enumerate(questions, start=1)]
    return {"id": "example", "title": "Example", "pages": pages} | extra


def _question(definition: dict, **fields):
    return validate_definition(_definition(fields)).questions[0]


@pytest.mark.parametrize("name", TEMPLATE_NAMES)
def test_every_built_in_template_loads_and_round_trips(name):
    definition = load_template(name)

    assert definition.id == name
    assert definition.title
    assert definition.privacy_notice
    assert Definition.from_dict(definition.to_dict()) == definition


def test_provider_template_asks_what_the_issue_lists():
    definition = load_template("provider-post-round")
    ids = {question.id for question in definition.questions}

    assert {
        "heard_about",
        "rating_advertising",
        "rating_documents",
        "rating_guidance",
        "rating_briefings",
        "rating_window",
        "rating_communication",
        "rating_panel",
        "rating_presentations",
        "went_well",
        "improve",
        "window_long_enough",
        "window_weeks",
        "anything_else",
        "may_contact",
    } <= ids
    assert definition.question("went_well").kind == "went_well"
    assert definition.question("improve").kind == "improve"
    assert definition.question("anything_else").kind == "other"
    assert definition.question("window_weeks").show_if.question == "window_long_enough"
    rating = definition.question("rating_panel")
    assert isinstance(rating, Rating)
    assert [(p.value, p.label) for p in rating.points][0] == (1, "Very poor")
    assert definition.question("heard_about").other_label == "Somewhere else"


def test_validate_command_style_errors_name_file_question_and_field(tmp_path: Path):
    path = tmp_path / "broken.yaml"
    path.write_text(
        "id: broken\ntitle: Broken\npages:\n"
        "  - id: one\n    questions:\n"
        "      - {id: feel, type: rating, text: How was it, points: [{value: 1, label: Bad}]}\n"
        "      - {id: notes, type: long_text, text: Notes, kind: feelings}\n"
    )

    with pytest.raises(DefinitionError) as caught:
        load_template(path)

    message = str(caught.value)
    assert (
        f"{path}: question 'feel', field 'points': must be a list of at least 2 points" in message
    )
    assert "question 'notes', field 'kind': must be one of went_well, improve, other" in message
    assert "page 'one', field 'title': is required when a page has more than one question" in (
        message
    )
    assert len(caught.value.problems) == 3


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"type": "slider"}, "field 'type': must be one of short_text"),
        ({"id": "Bad Id"}, "field 'id': must be lower-case letters"),
        ({"colour": "red"}, "field 'colour': is not a field of a long_text question"),
        ({"max_length": 0}, "field 'max_length': must be a whole number of characters"),
        ({"required": "sometimes"}, "field 'required': must be true or false"),
        ({"text": ""}, "field 'text': is required"),
    ],
)
def test_question_problems_are_named(change, expected):
    data = copy.deepcopy(MINIMAL_DEFINITION)
    data["pages"][0]["questions"][0].update(change)

    with pytest.raises(DefinitionError, match=expected):
        validate_definition(data, "minimal.yaml")


def test_unknown_template_file_is_a_definition_error(tmp_path: Path):
    with pytest.raises(DefinitionError, match="cannot be read"):
        load_template(tmp_path / "missing.yaml")


def test_invalid_yaml_is_a_definition_error(tmp_path: Path):
    path = tmp_path / "bad.yaml"
    path.write_text("id: [unclosed\n")
    with pytest.raises(DefinitionError, match="bad.yaml: is not valid YAML"):
        load_template(path)


def test_duplicate_ids_and_reserved_page_ids_are_refused():
    question = {"id": "same", "type": "short_text", "text": "Q"}
    data = _definition(question, dict(question))
    data["pages"][1]["id"] = "check"

    with pytest.raises(DefinitionError) as caught:
        validate_definition(data, "dup.yaml")

    assert "question 'same', field 'id': is used by another question" in str(caught.value)
    assert "'check' is reserved" in str(caught.value)


def test_show_if_must_refer_to_an_earlier_page_and_a_possible_value():
    yes_no = {"id": "enough", "type": "yes_no", "text": "Long enough?"}
    later = {
        "id": "weeks",
        "type": "number",
        "text": "Weeks?",
        "show_if": {"question": "enough", "equals": "maybe"},
    }
    forward = {
        "id": "first",
        "type": "short_text",
        "text": "First",
        "show_if": {"question": "enough", "equals": False},
    }

    with pytest.raises(DefinitionError, match="'maybe' is not an answer question 'enough' can"):
        validate_definition(_definition(yes_no, later))
    with pytest.raises(DefinitionError, match="must refer to a question on an earlier page"):
        validate_definition(_definition(forward, yes_no))


def test_text_length_limit_has_a_clear_message():
    question = _question(_definition, id="name", type="short_text", text="Name", max_length=5)

    assert question.clean("Hello") == "Hello"
    with pytest.raises(AnswerError, match="must be 5 characters or fewer \\(it is 6 characters\\)"):
        question.clean("Hello!")


def test_text_is_kept_exactly_as_entered():
    question = _question(_definition, id="notes", type="long_text", text="Notes", kind="other")
    text = "  <b>Bold</b> & 'quoted'\r\nsecond line  "

    assert question.clean(text) == text
    assert isinstance(question, LongText)


def test_required_blank_uses_the_question_error_message():
    question = _question(
        _definition, id="enough", type="yes_no", text="Enough?", error_message="Select yes or no"
    )
    with pytest.raises(AnswerError, match="Select yes or no"):
        question.clean("   ")
    assert question.clean("no") is False


def test_optional_blank_is_none():
    question = _question(_definition, id="n", type="number", text="N", required=False)
    assert question.clean("") is None


def test_single_choice_with_other_please_specify():
    question = _question(
        _definition,
        id="heard",
        type="single_choice",
        text="Heard?",
        options=["Web site", {"value": "press", "label": "Press"}],
        other="Other, please specify",
    )

    assert question.clean("web_site") == "web_site"
    assert question.clean_form({"heard": "other", "heard-other": "A neighbour"}) == {
        "other": "A neighbour"
    }
    assert question.display({"other": "A neighbour"}) == "Other, please specify: A neighbour"
    with pytest.raises(AnswerError, match="Tell us what ‘other’ means"):
        question.clean_form({"heard": "other", "heard-other": " "})
    with pytest.raises(AnswerError, match="Select one of the options"):
        question.clean("radio")


def test_multiple_choice_keeps_option_order_and_other():
    question = _question(
        _definition,
        id="heard",
        type="multiple_choice",
        text="Heard?",
        options=["A", "B", "C"],
        other=True,
    )

    value = question.clean_form({"heard": ["other", "c", "a"], "heard-other": "Radio"})

    assert value == ["a", "c", {"other": "Radio"}]
    assert question.check(value) == value
    assert question.display(value) == "A\nC\nOther: Radio"


def test_rating_points_and_not_applicable():
    question = _question(
        _definition,
        id="r",
        type="rating",
        text="Rate",
        points=[{"value": 1, "label": "Poor"}, {"value": 2, "label": "Good"}],
        not_applicable="Did not attend",
    )

    assert question.clean("2") == 2
    assert question.clean("na") == "na"
    assert question.display(2) == "2 – Good"
    assert question.display("na") == "Did not attend"
    with pytest.raises(AnswerError):
        question.clean("3")


def test_number_range_and_whole_numbers():
    question = _question(_definition, id="weeks", type="number", text="Weeks", min=1, max=52)

    assert question.clean("12") == 12
    with pytest.raises(AnswerError, match="Enter a number between 1 and 52"):
        question.clean("60")
    with pytest.raises(AnswerError, match="Enter a whole number"):
        question.clean("twelve")
    with pytest.raises(AnswerError, match="Enter a whole number"):
        question.clean("nan")


def test_date_from_day_month_year_fields():
    question = _question(_definition, id="when", type="date", text="When?")

    assert question.clean_form({"when-day": "7", "when-month": "3", "when-year": "2008"}) == (
        "2008-03-07"
    )
    assert question.display("2008-03-07") == "7 March 2008"
    assert question.form_values("2008-03-07") == {
        "when-day": "7",
        "when-month": "3",
        "when-year": "2008",
    }
    with pytest.raises(AnswerError, match="must include a month"):
        question.clean(["7", "", "2008"])
    with pytest.raises(AnswerError, match="must be a real date"):
        question.clean(["31", "2", "2008"])


def test_email_is_checked():
    question = _question(_definition, id="email", type="email", text="Email")

    assert question.clean(" sam@example.org ") == "sam@example.org"
    with pytest.raises(AnswerError, match="correct format"):
        question.clean("sam at example")
