"""`debrief tag`: tag the sentiment of JSON lines read on standard input."""

from __future__ import annotations

import json
import sys
from typing import Any

import click
from flask import Flask

from analysis import sentiment


def tag_line(raw: bytes, number: int) -> tuple[dict[str, Any] | None, bool]:
    """Tag one input line; return its output (None when blank) and whether it was good."""
    try:
        line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
    except UnicodeDecodeError:
        return {"line": number, "error": "line is not UTF-8 text"}, False
    if not line.strip():
        return None, True
    try:
        item = json.loads(line)
    except json.JSONDecodeError as error:
        return {"line": number, "error": f"not valid JSON: {error.msg}"}, False
    if not isinstance(item, dict):
        return {"line": number, "error": 'expected an object like {"text": "..."}'}, False
    text, kind = item.get("text"), item.get("kind")
    if not isinstance(text, str):
        return {"line": number, "error": '"text" must be a string'}, False
    if kind is not None and kind not in sentiment.KINDS:
        allowed = ", ".join(sentiment.KINDS)
        return {"line": number, "error": f'"kind" must be one of {allowed} or null'}, False
    tag = sentiment.tag(text, kind=kind)
    out: dict[str, Any] = {"id": item["id"]} if "id" in item else {}
    out |= {
        "label": tag.label,
        "polarity": tag.polarity,
        "subjectivity": tag.subjectivity,
        "suggestion": tag.suggestion,
        "reasons": list(tag.reasons),
    }
    return out, True


@click.command("tag")
def tag_command() -> None:
    """Read {"text": ..., "kind": ...} JSON lines on stdin; write one tag per line on stdout.

    A bad line gets a {"line": N, "error": ...} line and the rest carry on; the exit status
    is 1 if any line was bad.
    """
    bad = 0
    # Bytes, so one badly encoded line is reported instead of stopping the whole read.
    stdin = sys.stdin.buffer
    for number, raw in enumerate(stdin, start=1):
        out, good = tag_line(raw, number)
        bad += not good
        if out is not None:
            click.echo(json.dumps(out, ensure_ascii=False))
    if bad:
        click.echo(f"{bad} line(s) could not be tagged", err=True)
        raise SystemExit(1)


def register(app: Flask) -> None:
    app.cli.add_command(tag_command)
