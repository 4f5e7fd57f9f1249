"""The built-in partial-credit rules.

Each rule is a frozen attrs class implementing :class:`parscore.typing.Rule`; its fields are
the parameters written in scheme files, and its ``kind`` is the tag (``{kind: bands, …}``).
Built-in rules also provide ``batch_points`` and ``batch_invalid`` class methods that score
many leaves of the same kind in one numpy call; plugin rules need not.

.. versionadded:: 0.1
"""

from __future__ import annotations

from parscore.rules._bands import Band, Bands
from parscore.rules._choice import Choice, Survey
from parscore.rules._ratio import Ratio
from parscore.rules._simple import Deduction, Points, YesNo

__all__ = [
    "BUILTIN_RULES",
    "Band",
    "Bands",
    "Choice",
    "Deduction",
    "Points",
    "Ratio",
    "Survey",
    "YesNo",
]

BUILTIN_RULES: tuple[type, ...] = (Bands, Choice, Deduction, Points, Ratio, Survey, YesNo)
"""The built-in rule classes, sorted by kind."""
