"""The contacts service: every detail is checked before it reaches the database."""

from __future__ import annotations

import pytest

from surveys.errors import InvalidInput, NotFound
from surveys.services.contacts import (
    ContactFields,
    add_contact,
    get_current_contact,
    may_contact,
)
from surveys.services.privacy import erase_contact
from tests.factories import make_contact


def test_details_longer_than_their_columns_are_field_errors(app) -> None:
    fields = ContactFields(
        organisation="O" * 201, sector="health", name="N" * 201, slack_user_id="U" * 33
    )
    with pytest.raises(InvalidInput) as refused:
        add_contact(fields)
    assert refused.value.errors == {
        "organisation": "Organisation names must be 200 characters or fewer",
        "name": "Names must be 200 characters or fewer",
        "slack_user_id": "Slack user IDs must be 32 characters or fewer",
    }


def test_the_current_contact_is_never_an_erased_one(app) -> None:
    kept, erased = make_contact(), make_contact()
    erase_contact(erased)
    assert get_current_contact(kept.id) is kept
    for contact_id in (erased.id, erased.id + 1000):
        with pytest.raises(NotFound):
            get_current_contact(contact_id)


def test_an_opted_out_or_erased_contact_may_not_be_contacted(app) -> None:
    keen, shy, gone = make_contact(), make_contact(opted_out=True), make_contact()
    erase_contact(gone)
    assert may_contact(keen)
    assert not may_contact(shy)
    assert not may_contact(gone)
