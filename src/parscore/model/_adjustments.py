"""Adjustments: bonus and penalty outside the tree, in sums and as named items.

.. versionadded:: 0.1
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, Literal

import attrs

from parscore._params import (
    ID_PATTERN,
    above,
    finite_float,
    matching,
    nfc,
    non_empty,
    optional_float,
    optional_nfc,
)
from parscore.errors import ParameterError
from parscore.model._common import _one_of

__all__ = ["Adjustment", "AdjustmentItem", "Adjustments"]


@attrs.frozen(kw_only=True)
class Adjustment:
    """A bonus or penalty outside the tree, read from its own column and capped.

    Attributes:
        max: The cap (> 0): a unit's bonus (penalty) counts up to this many points. With
            named items, it caps the sum of the column and the items.
        name: Label as published.

    .. versionadded:: 0.1
    """

    max: float = attrs.field(
        converter=finite_float,
        validator=above(0, "an adjustment's max must be positive, found {value:g}"),
    )
    name: str | None = attrs.field(default=None, converter=optional_nfc)


def _positive_or_none(message: str) -> Callable[[Any, attrs.Attribute[Any], Any], None]:
    check = above(0, message)

    def validate(inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if value is not None:
            check(inst, attribute, value)

    return validate


@attrs.frozen(kw_only=True)
class AdjustmentItem:
    """A named kind of bonus or penalty, read from the column ``adj:<id>`` and capped.

    ``AdjustmentItem(id="vi_pham", name="Vi phạm kỷ luật hành chính", sign="penalty", per=0.5,
    max=2)`` encodes "trừ 0,5 điểm mỗi trường hợp, tối đa 2 điểm".

    Attributes:
        id: ASCII id; the column is ``adj:<id>``.
        name: Its name as published.
        sign: ``bonus`` (added) or ``penalty`` (subtracted).
        max: Its own cap (> 0), or None for none (the overall bonus/penalty cap still applies).
        per: Points per case (> 0): the column holds a count and the item gives ``per × count``.
            Without it, the column holds points.

    .. versionadded:: 0.2
    """

    id: str = attrs.field(
        converter=nfc,
        validator=matching(
            ID_PATTERN,
            "an adjustment item id must be ASCII letters, digits, '.', '_' or '-', found {value!r}",
        ),
    )
    name: str = attrs.field(converter=nfc, validator=non_empty("an adjustment item needs a name"))
    sign: Literal["bonus", "penalty"] = attrs.field(validator=_one_of("bonus", "penalty"))
    max: float | None = attrs.field(
        default=None,
        converter=optional_float,
        validator=_positive_or_none("an adjustment item's max must be positive, found {value:g}"),
    )
    per: float | None = attrs.field(
        default=None,
        converter=optional_float,
        validator=_positive_or_none("an adjustment item's per must be positive, found {value:g}"),
    )

    @property
    def column(self) -> str:
        """The input column: ``adj:<id>``."""
        return f"adj:{self.id}"

    def points(self, value: float) -> float:
        """The capped points of one written value (a count when *per* is set)."""
        pts = value * self.per if self.per is not None else value
        return min(pts, self.max) if self.max is not None else pts


def _items(value: Iterable[AdjustmentItem | Mapping[str, object]]) -> tuple[AdjustmentItem, ...]:
    return tuple(i if isinstance(i, AdjustmentItem) else AdjustmentItem(**i) for i in value)  # type: ignore[arg-type]


@attrs.frozen(kw_only=True)
class Adjustments:
    """Bonus and penalty points added after the tree; the total stays within [0, max].

    Attributes:
        bonus: Bonus points (column ``bonus``), capped; with items, the cap of the sum.
        penalty: Penalty points (column ``penalty``), capped; with items, the cap of the sum.
        items: Named kinds of bonus and penalty (columns ``adj:<id>``), each with its own cap.

    .. versionadded:: 0.1
    .. versionchanged:: 0.2 *items*.
    """

    bonus: Adjustment | None = None
    penalty: Adjustment | None = None
    items: tuple[AdjustmentItem, ...] = attrs.field(default=(), converter=_items)

    def __attrs_post_init__(self) -> None:
        seen: set[str] = set()
        for item in self.items:
            if item.id in seen:
                msg = f"adjustment item id {item.id!r} is used twice"
                raise ParameterError(msg)
            seen.add(item.id)

    @property
    def any(self) -> bool:
        """Whether the scheme has any adjustment (so totals are kept within [0, max])."""
        return self.bonus is not None or self.penalty is not None or bool(self.items)

    def items_of(self, sign: Literal["bonus", "penalty"]) -> tuple[AdjustmentItem, ...]:
        """The items of one sign, in order."""
        return tuple(i for i in self.items if i.sign == sign)
