"""The `debrief` console script: Flask's CLI bound to the Debrief app factory."""

from __future__ import annotations

from flask.cli import FlaskGroup


def _create_app():
    from app import create_app

    return create_app()


main = FlaskGroup(create_app=_create_app, help="Debrief: learn from each commissioning round.")


if __name__ == "__main__":
    main()
