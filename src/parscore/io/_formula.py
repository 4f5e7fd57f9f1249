"""Text cells that a spreadsheet would evaluate: written inert, read back as written.

A cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is a formula (or
may become one) in Excel, LibreOffice and Google Sheets. Unit names, labels and scheme names
come from untrusted files, so every writer of CSV and XLSX text passes them through
:func:`inert`, which prefixes such text with an apostrophe (the convention spreadsheets
themselves use for "text, not a formula"); every reader passes text cells through
:func:`as_written`, which removes that apostrophe again, so a round trip gives the original text.

Numbers are never touched: ``-1.5`` written as a number stays a number.

.. versionadded:: 0.2
"""

from __future__ import annotations

__all__ = ["FORMULA_STARTS", "as_written", "inert"]

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""The first characters that make a spreadsheet treat a text cell as a formula."""


def inert(text: str) -> str:
    """*text*, with an apostrophe in front when a spreadsheet would evaluate it."""
    if text.startswith(FORMULA_STARTS) or (text.startswith("'") and _escaped(text)):
        return "'" + text
    return text


def as_written(text: str) -> str:
    """The text a writer passed to :func:`inert`.

    One leading apostrophe is removed when it guards a formula start (or another such guard).
    """
    if text.startswith("'") and _escaped(text):
        return text[1:]
    return text


def _escaped(text: str) -> bool:
    """Whether *text* (starting with an apostrophe) is a guard: what follows would need one."""
    rest = text[1:]
    return rest.startswith(FORMULA_STARTS) or (rest.startswith("'") and _escaped(rest))
