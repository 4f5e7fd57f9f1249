"""What the parts of the scheme format share: the converter, the format version, names, messages."""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from typing import Any

import cattrs

__all__ = ["FILE_NAMES", "FORMAT_VERSION", "NAMED_VALUES", "converter"]


FORMAT_VERSION = 1
"""The version of the scheme file format written by this release (``parscore: 1``)."""

converter = cattrs.Converter(omit_if_default=True, forbid_extra_keys=True, detailed_validation=True)
"""The converter between model objects and plain dicts."""


FILE_NAMES = {"max_points": "max"}
"""Model attribute names that the file format spells differently."""

NAMED_VALUES = tuple[tuple[str, float], ...]
"""The type of ``options``-like parameters: written as a mapping ``{name: number}`` in files."""


NUMBER_BOUND = 1e15
"""The largest magnitude of a number in a scheme file (points are bounded lower, by the model):
beyond it floats no longer hold whole numbers exactly, and sums may overflow."""


class LongNumber:
    """A whole number written with more digits than the limit, kept unconverted.

    The parsers return it instead of converting the text (Python refuses to convert more than
    4,300 digits, and converting is quadratic); the reader refuses it with its path.
    """

    __slots__ = ("digits",)

    def __init__(self, digits: int) -> None:
        self.digits = digits

    def __repr__(self) -> str:
        return f"<a number of {self.digits} digits>"


def plain_number(x: float) -> float | int:
    """Whole floats as ints, so ``max: 1`` is written as authored, not ``1.0``."""
    return int(x) if float(x).is_integer() and abs(x) < 2**53 else x


class _Marker:
    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name


ABSENT: Any = _Marker("<absent>")
FAILED: Any = _Marker("<failed>")


def show(value: object) -> str:
    """Describe a value found in a file: its repr (shortened) and what kind of value it is."""
    text = repr(value)
    if len(text) > 60:
        text = text[:57] + "…"
    kinds: dict[type, str] = {
        bool: "true/false",
        int: "a number",
        float: "a number",
        str: "text",
        list: "a list",
        dict: "a mapping",
        type(None): "null",
    }
    kind = kinds.get(type(value))
    return f"{text} ({kind})" if kind else text


def did_you_mean(word: object, choices: Sequence[str]) -> str:
    close = difflib.get_close_matches(str(word), list(choices), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def unknown_key_message(key: object, allowed: Sequence[str], value: object = ABSENT) -> str:
    """``unknown key 'k'; allowed keys: …``, with the closest allowed key.

    A text key without a value and close to no allowed key is most likely the rest of a text
    cut at a comma in a YAML flow mapping (``{name: Cải cách, hành chính}`` reads a key
    ``hành chính``): the message then says to quote the text.
    """
    hint = did_you_mean(key, allowed)
    message = f"unknown key {key!r}; allowed keys: {', '.join(allowed)}{hint}"
    if not hint and isinstance(key, str) and value is None:
        message += (
            f"; if {key!r} is the end of a text with a comma inside {{…}}, put the whole text "
            f'in quotes (e.g. name: "…, {key}")'
        )
    return message


def add_note(exc: BaseException, note: str) -> None:
    # BaseException.add_note is Python 3.11+; cattrs reads __notes__ on every version.
    setattr(exc, "__notes__", [*getattr(exc, "__notes__", []), note])  # noqa: B010
