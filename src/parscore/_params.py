"""Converters and constraints shared by the model and the rules.

Converters turn text to NFC and numbers to finite floats. A :class:`Constraint` is a check on one
field together with its JSON Schema keywords, so each constraint is written once: the class
checks it and the JSON Schema generator reads it. They sit below the model and the rules
(importing only :mod:`parscore.errors`), so that ``Node(name=…)`` and ``Deduction(per=…)`` check
their parameters the same way.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Mapping
from typing import Any

import attrs

from parscore.errors import ParameterError, ParameterTypeError, ParscoreError

__all__ = [
    "ID_PATTERN",
    "INPUT_NAME",
    "MULTI_LINE_KEYS",
    "SCHEMA_KEY",
    "Constraint",
    "above",
    "at_least",
    "declare",
    "finite_float",
    "matching",
    "nfc",
    "non_empty",
    "optional_float",
    "optional_nfc",
    "schema",
    "text_fault",
    "whole_between",
]


ID_PATTERN = r"[A-Za-z0-9][A-Za-z0-9_.\-]*"
"""Scheme and node ids: ASCII letters, digits, ``.``, ``_`` and ``-``, starting with a letter or
digit (no ``:``, which separates a node id from an input name in column names)."""


def nfc(text: object) -> str:
    """Return *text* as an NFC-normalised, stripped string.

    Raises:
        ParameterTypeError: when *text* is not a string.
        ParameterError: when it holds a lone surrogate (not Unicode).
    """
    if not isinstance(text, str):
        msg = f"expected text, found {text!r}"
        raise ParameterTypeError(msg)
    found = _SURROGATE.search(text)
    if found:  # not Unicode: it would fail in every writer and in the fingerprint
        msg = f"text contains a lone surrogate (U+{ord(found[0]):04X}), which is not valid Unicode"
        raise ParameterError(msg)
    return unicodedata.normalize("NFC", text).strip()


# Text of a scheme is checked when it is loaded (and by Scheme.problems): no lone surrogates
# (not Unicode: they fail when written), no C0/C1 control characters (terminals obey some, and
# spreadsheets refuse them). Ids, names, keys and every other one-line text refuse tab and line
# breaks too; the free-text fields (notes, legal_basis, version, description) may hold tab, LF,
# CR and the Unicode line breaks (NEL, LS, PS).
_SURROGATE = re.compile("[\ud800-\udfff]")
_ONE_LINE_BAD = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_MULTI_LINE_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f]")
MULTI_LINE_KEYS = frozenset({"notes", "legal_basis", "version", "description"})
"""Keys of a scheme file whose text may span lines (tab and line breaks allowed)."""


def text_fault(text: str, *, multiline: bool = False) -> str | None:
    """What is wrong with *text* as text of a scheme, or None when it is fine.

    Refused: lone surrogates (U+D800-U+DFFF) anywhere, and control characters: in one-line text
    (ids, names, keys) every C0 and C1 control, DEL, LS and PS; in *multiline* text the same
    except tab, LF, CR, NEL, LS and PS.

    .. versionadded:: 0.2
    """
    found = _SURROGATE.search(text)
    if found:
        return (
            f"text contains a lone surrogate (U+{ord(found[0]):04X}) at character "
            f"{found.start() + 1}, which is not valid Unicode"
        )
    found = (_MULTI_LINE_BAD if multiline else _ONE_LINE_BAD).search(text)
    if found:
        breaks = "\t\n\r\x85\u2028\u2029"
        breaks = "\t\n\r\x85\u2028\u2029"
        what = "a line break or tab" if found[0] in breaks else "a control character"
        where = "" if multiline else " (one-line text: names, ids and keys)"
        return (
            f"text contains {what} (U+{ord(found[0]):04X}) at character {found.start() + 1}"
            f"{where}; remove it"
        )
    return None


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


INPUT_NAME: dict[str, Any] = {"type": "string", "minLength": 1, "pattern": "^[^:]+$"}
"""The JSON Schema of one input name, as :func:`parscore.rules._base.input_names` checks it:
non-empty text without ``:`` (which separates a node id from an input name in column names)."""


@attrs.frozen(eq=False)
class Constraint:
    """A check on one field's value and the JSON Schema keywords that state it, written once.

    Used as the field's attrs validator, it raises *error* with *message* when *test* fails.
    A check that a method collects as a problem instead of raising (``Scheme.problems``) puts
    the constraint in the field's metadata with :func:`declare` and calls :meth:`accepts`.

    Attributes:
        schema: The JSON Schema keywords, merged into the field's property.
        test: True when a (converted) value satisfies the constraint.
        message: The error text, a :meth:`str.format` template over ``value``, ``name`` (the
            attribute's) and the *schema* keywords; unused by method checks.
        error: The exception raised.
    """

    schema: Mapping[str, Any]
    test: Callable[[Any], bool]
    message: str = "{name} is invalid, found {value!r}"
    error: type[ParscoreError] = ParameterError

    def accepts(self, value: Any) -> bool:
        """Whether *value* satisfies the constraint."""
        return bool(self.test(value))

    def __call__(self, _inst: object, attribute: attrs.Attribute[Any], value: Any) -> None:
        """Check *value* as an attrs validator."""
        if not self.test(value):
            raise self.error(self.message.format(value=value, name=attribute.name, **self.schema))


def declare(*constraints: Constraint, **keywords: Any) -> dict[str, Any]:
    """Field metadata declaring the keywords of *constraints* (checked by a method) and more."""
    merged: dict[str, Any] = {}
    for constraint in constraints:
        merged.update(constraint.schema)
    return schema(**merged, **keywords)


def non_empty(message: str = "", *, keyword: str = "minLength") -> Constraint:
    """Non-empty text (``minLength``), list (``minItems``) or mapping (``minProperties``)."""
    return Constraint(schema={keyword: 1}, test=lambda v: len(v) >= 1, message=message)


def matching(pattern: str, message: str = "") -> Constraint:
    """Text matching the regular expression *pattern* as a whole."""
    return Constraint(
        schema={"pattern": f"^{pattern}$"},
        test=lambda v: re.fullmatch(pattern, v) is not None,
        message=message,
    )


def at_least(minimum: float, message: str = "") -> Constraint:
    """A number no lower than *minimum*."""
    return Constraint(schema={"minimum": minimum}, test=lambda v: v >= minimum, message=message)


def above(bound: float, message: str = "") -> Constraint:
    """A number strictly above *bound*."""
    return Constraint(schema={"exclusiveMinimum": bound}, test=lambda v: v > bound, message=message)


def whole_between(minimum: int, maximum: int, message: str = "") -> Constraint:
    """A whole number (not a boolean) from *minimum* to *maximum*."""

    def test(value: object) -> bool:
        return (
            not isinstance(value, bool) and isinstance(value, int) and minimum <= value <= maximum
        )

    return Constraint(schema={"minimum": minimum, "maximum": maximum}, test=test, message=message)
