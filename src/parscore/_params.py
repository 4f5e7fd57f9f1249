"""Converters shared by the model and the rules: text to NFC, numbers to finite floats.

They sit below both (importing only :mod:`parscore.errors`), so that ``Node(name=…)`` and
``Deduction(per=…)`` check their parameters the same way.
"""

from __future__ import annotations

import math
import unicodedata
from typing import Any

from parscore.errors import ParameterError, ParameterTypeError

__all__ = [
    "ID_PATTERN",
    "SCHEMA_KEY",
    "finite_float",
    "nfc",
    "optional_float",
    "optional_nfc",
    "schema",
]


ID_PATTERN = r"[A-Za-z0-9][A-Za-z0-9_.\-]*"
"""Scheme and node ids: ASCII letters, digits, ``.``, ``_`` and ``-``, starting with a letter or
digit (no ``:``, which separates a node id from an input name in column names)."""


def nfc(text: object) -> str:
    """Return *text* as an NFC-normalised, stripped string.

    Raises:
        ParameterTypeError: when *text* is not a string.
    """
    if not isinstance(text, str):
        msg = f"expected text, found {text!r}"
        raise ParameterTypeError(msg)
    return unicodedata.normalize("NFC", text).strip()


def optional_nfc(text: object) -> str | None:
    """Like :func:`nfc`, letting ``None`` through."""
    return None if text is None else nfc(text)


def finite_float(value: object) -> float:
    """Convert *value* to a finite float, refusing booleans, text, NaN and infinities.

    Raises:
        ParameterTypeError: when *value* is not a number.
        ParameterError: when it is NaN or infinite.
    """
    if isinstance(value, bool) or not isinstance(value, int | float):
        msg = f"expected a number, found {value!r}"
        raise ParameterTypeError(msg)
    out = float(value)
    if not math.isfinite(out):
        msg = f"expected a finite number, found {value!r}"
        raise ParameterError(msg)
    return out


def optional_float(value: object) -> float | None:
    """Like :func:`finite_float`, letting ``None`` through."""
    return None if value is None else finite_float(value)


SCHEMA_KEY = "json_schema"
"""The key of an attrs field's ``metadata`` holding its JSON Schema keywords."""


def schema(**keywords: Any) -> dict[str, Any]:
    """Field metadata stating the JSON Schema keywords of a constrained field.

    ``attrs.field(converter=nfc, metadata=schema(minLength=1))`` declares the constraint beside
    the field, where the JSON Schema generator reads it; the test of the format's sources checks
    the keywords against what the class accepts.
    """
    return {SCHEMA_KEY: dict(keywords)}
