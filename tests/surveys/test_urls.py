"""The one URL builder agrees with the web face's routes, so a link can never drift."""

from __future__ import annotations

import re

import pytest
from flask import url_for

from surveys import urls

SAMPLES = {"token": "abc123", "slug": "phase-3", "round_slug": "phase-3", "round_id": 7}


@pytest.mark.parametrize("endpoint", sorted(urls.PATHS))
def test_each_built_link_is_the_web_route_of_its_endpoint(app, endpoint):
    names = re.findall(r"{(\w+)}", urls.PATHS[endpoint])
    values = {name: SAMPLES[name] for name in names}

    with app.test_request_context():
        expected = url_for(endpoint, **values, _external=False)

    assert urls.link(endpoint, **values) == app.config["BASE_URL"] + expected
