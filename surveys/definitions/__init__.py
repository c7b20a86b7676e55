"""Questionnaire definitions: YAML templates, question types and their validation."""

from surveys.definitions.base import LONG_TEXT_KINDS, OTHER_VALUE, AnswerError, Condition, Question
from surveys.definitions.choice_types import (
    NOT_APPLICABLE,
    MultipleChoice,
    Option,
    Point,
    Rating,
    SingleChoice,
    YesNo,
)
from surveys.definitions.definition import (
    RESERVED_PAGE_IDS,
    TEMPLATE_NAMES,
    TEMPLATES_DIR,
    Definition,
    Page,
    definition_of,
    load_template,
    template_path,
    validate_definition,
)
from surveys.definitions.questions import QUESTION_TYPES
from surveys.definitions.text_types import Email, LongText, ShortText
from surveys.definitions.value_types import DateQuestion, Number
from surveys.errors import DefinitionError

__all__ = [
    "LONG_TEXT_KINDS",
    "NOT_APPLICABLE",
    "OTHER_VALUE",
    "QUESTION_TYPES",
    "RESERVED_PAGE_IDS",
    "TEMPLATES_DIR",
    "TEMPLATE_NAMES",
    "AnswerError",
    "Condition",
    "DateQuestion",
    "Definition",
    "DefinitionError",
    "Email",
    "LongText",
    "MultipleChoice",
    "Number",
    "Option",
    "Page",
    "Point",
    "Question",
    "Rating",
    "ShortText",
    "SingleChoice",
    "YesNo",
    "definition_of",
    "load_template",
    "template_path",
    "validate_definition",
]
