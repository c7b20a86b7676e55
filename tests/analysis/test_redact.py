"""Redaction of emails, UK phone numbers and names."""

from __future__ import annotations

import re

import pytest

from analysis.redact import REDACTED, redact


@pytest.mark.parametrize(
    "text",
    [
        "Email sarah.p@charity.org.uk for details",
        "Ring 07700 900123 any time",
        "Call +44 (0)1632 960983 please",
        "Our number is 01632-960983.",
        "Phone +447700900123",
    ],
)
def test_contact_details_are_redacted(text: str) -> None:
    out = redact(text)
    assert REDACTED in out
    assert not any(ch.isdigit() for ch in out)
    assert "@" not in out


def test_numbers_that_are_not_phones_survive() -> None:
    text = "66 organisations applied for 44 centres in 2008."
    assert redact(text) == text


def test_names_full_first_and_titled() -> None:
    out = redact("Sarah Patel was great; ask SARAH or Mrs Patel, or Dr. Jones.", ["Sarah Patel"])
    assert "Sarah" not in out and "SARAH" not in out
    assert "Patel" not in out and "Jones" not in out
    assert out.count(REDACTED) == 4


def test_names_match_whole_words_only() -> None:
    assert redact("Sarahs cafe", ["Sarah"]) == "Sarahs cafe"


def test_lower_case_words_that_look_like_titles_are_not_names() -> None:
    text = "The advert was hard to miss. Good publicity, and sir, it worked."
    assert redact(text) == text
    assert redact("Thanks to MISS JONES and Miss Patel.") == "Thanks to [redacted] and [redacted]."


def test_name_pattern_is_compiled_once_per_set_of_names(monkeypatch: pytest.MonkeyPatch) -> None:
    import analysis.redact as module

    module._compiled_names.cache_clear()
    compiled: list[str] = []
    real_compile = re.compile

    def counting_compile(pattern, flags=0):
        compiled.append(pattern)
        return real_compile(pattern, flags)

    monkeypatch.setattr(module.re, "compile", counting_compile)
    quotes = [f"Quote {i}: thanks to Ada Lovelace and Alan." for i in range(50)]
    out = [redact(q, ["Ada Lovelace", "Alan Turing"]) for q in quotes]
    # Same names in another order, duplicated or spaced differently: the same pattern.
    out.append(redact("Alan and Ada", ["Alan  Turing", "Ada Lovelace", "Ada Lovelace"]))
    assert len(compiled) == 1
    assert all("Ada" not in q and "Alan" not in q for q in out)
    assert redact("Grace was here", ["Grace Hopper"]) == f"{REDACTED} was here"
    assert len(compiled) == 2


def test_bare_first_names_and_surnames_are_redacted_in_any_case() -> None:
    out = redact("Dave the therapist was absolutely brilliant", ["Dave Okafor"])
    assert out == f"{REDACTED} the therapist was absolutely brilliant"
    assert redact("okafor and Xenakis helped", ["Dave Okafor", "Yolanda Xenakis"]) == (
        f"{REDACTED} and {REDACTED} helped"
    )
    assert redact("Yolanda xenakis", ["Yolanda Xenakis"]) == REDACTED


def test_names_that_are_everyday_words_are_redacted_only_as_names() -> None:
    names = ["Will Hope", "May Baker", "Mark Bill"]
    text = "We will hope it may help; mark the form. Ask Will or MAY about it."
    assert redact(text, names) == (
        f"We will hope it may help; mark the form. Ask {REDACTED} or {REDACTED} about it."
    )


def test_titles_and_particles_are_not_names_on_their_own() -> None:
    assert redact("de la Cruz was kind; the Dr said so", ["Dr Ana de la Cruz"]) == (
        f"de la {REDACTED} was kind; the Dr said so"
    )


def test_name_parts_without_a_letter_are_not_names() -> None:
    assert redact("12 weeks was right", ["Contact 12"]) == "12 weeks was right"


def test_a_surname_that_is_an_english_word_is_redacted_only_as_a_name() -> None:
    text = "Grant told us a small grant for bid support would widen the field."
    assert redact(text, ["Lisa Grant"]) == (
        f"{REDACTED} told us a small grant for bid support would widen the field."
    )
