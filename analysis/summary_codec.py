"""Round summaries to JSON and back, so a computed summary can be stored and read again.

Decoding follows the dataclasses' own type hints, so a field added to `RoundSummary`, `Theme`
or any part of them is stored and restored without a change here. `SCHEMA` fingerprints those
fields: a summary stored under another schema is recomputed rather than misread.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import types
import typing
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from analysis.summary_model import RoundSummary, summary_to_dict

__all__ = ["SCHEMA", "summary_from_dict", "summary_to_dict"]


@functools.cache
def _fields(cls: type) -> tuple[tuple[str, Any], ...]:
    hints = typing.get_type_hints(cls)
    return tuple((f.name, hints[f.name]) for f in dataclasses.fields(cls))


def _decode(hint: Any, value: Any) -> Any:
    """Rebuild a value of the hinted type from its JSON form."""
    origin = typing.get_origin(hint)
    if value is None:
        return None
    if dataclasses.is_dataclass(hint):
        return hint(**{name: _decode(h, value.get(name)) for name, h in _fields(hint)})
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(hint) if a is not type(None)]
        return _decode(options[0], value) if len(options) == 1 else value
    if origin is tuple:
        args = typing.get_args(hint)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_decode(args[0], v) for v in value)
        return tuple(_decode(a, v) for a, v in zip(args, value, strict=False))
    if origin in (Mapping, dict, typing.Mapping) or hint in (Mapping, dict):
        args = typing.get_args(hint) or (str, Any)
        return MappingProxyType({k: _decode(args[1], v) for k, v in value.items()})
    if hint is float and isinstance(value, int):
        return float(value)
    return value


def summary_from_dict(data: Mapping[str, Any]) -> RoundSummary:
    """Rebuild a `RoundSummary` from `summary_to_dict`'s output."""
    return _decode(RoundSummary, data)


def _describe(hint: Any, seen: set[type]) -> str:
    if dataclasses.is_dataclass(hint):
        if hint in seen:
            return hint.__name__
        seen.add(hint)
        inner = ",".join(f"{n}:{_describe(h, seen)}" for n, h in _fields(hint))
        return f"{hint.__name__}({inner})"
    args = typing.get_args(hint)
    if args:
        return f"{typing.get_origin(hint)}[{','.join(_describe(a, seen) for a in args)}]"
    return str(hint)


SCHEMA = hashlib.sha256(_describe(RoundSummary, set()).encode()).hexdigest()[:16]
