"""`debrief tag`: tag the sentiment of JSON lines read on standard input."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from typing import Any

import click

from analysis import sentiment

# Lines are tagged in batches, so the embedding and classifier run once per batch;
# output order and per-line errors are unchanged.
BATCH = 256


Request = tuple[str, str | None, dict[str, Any]]


def parse_line(raw: bytes, number: int) -> Request | dict[str, Any] | None:
    """Return (text, kind, id part) for a good line, an error for a bad one, None if blank."""
    try:
        line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
    except UnicodeDecodeError:
        return {"line": number, "error": "line is not UTF-8 text"}
    if not line.strip():
        return None
    try:
        item = json.loads(line)
    except json.JSONDecodeError as error:
        return {"line": number, "error": f"not valid JSON: {error.msg}"}
    if not isinstance(item, dict):
        return {"line": number, "error": 'expected an object like {"text": "..."}'}
    text, kind = item.get("text"), item.get("kind")
    if not isinstance(text, str):
        return {"line": number, "error": '"text" must be a string'}
    if kind is not None and kind not in sentiment.KINDS:
        allowed = ", ".join(sentiment.KINDS)
        return {"line": number, "error": f'"kind" must be one of {allowed} or null'}
    return text, kind, ({"id": item["id"]} if "id" in item else {})


def _output(head: dict[str, Any], tag: sentiment.Tag) -> dict[str, Any]:
    return head | {
        "label": tag.label,
        "polarity": tag.polarity,
        "subjectivity": tag.subjectivity,
        "suggestion": tag.suggestion,
        "reasons": list(tag.reasons),
    }


def _tag_batch(lines: list[tuple[int, bytes]]) -> Iterator[tuple[dict[str, Any], bool]]:
    """Yield (output, whether the line was good) per non-blank line, in input order."""
    parsed = [parse_line(raw, number) for number, raw in lines]
    requests = [p for p in parsed if isinstance(p, tuple)]
    tags = iter(sentiment.tag_many((text, kind) for text, kind, _ in requests))
    for p in parsed:
        if isinstance(p, tuple):
            yield _output(p[2], next(tags)), True
        elif p is not None:
            yield p, False


def _batches(stream: Iterable[bytes]) -> Iterator[list[tuple[int, bytes]]]:
    batch: list[tuple[int, bytes]] = []
    for number, raw in enumerate(stream, start=1):
        batch.append((number, raw))
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


@click.command("tag")
def tag_command() -> None:
    """Read {"text": ..., "kind": ...} JSON lines on stdin; write one tag per line on stdout.

    Each tag has the label, the reasons for it, the suggestion flag, the rules'
    subjectivity (0 to 1) and the classifier's polarity (P(positive) - P(negative), -1 to
    1). Polarity is read before the rules and the question kind have their say, so it can
    lean against the label. A bad line gets a {"line": N, "error": ...} line and the rest
    carry on; the exit status is 1 if any line was bad.
    """
    bad = 0
    # Bytes, so one badly encoded line is reported instead of stopping the whole read.
    for batch in _batches(sys.stdin.buffer):
        for out, good in _tag_batch(batch):
            bad += not good
            click.echo(json.dumps(out, ensure_ascii=False))
    if bad:
        click.echo(f"{bad} line(s) could not be tagged", err=True)
        raise SystemExit(1)
