"""Tier caps: conditions that cap a unit's tier ("không xếp loại Tốt nếu …").

.. versionadded:: 0.2
"""

from __future__ import annotations

import attrs

from parscore._params import ID_PATTERN, matching, nfc, non_empty, optional_float, optional_nfc
from parscore.errors import ParameterError

__all__ = ["TierCap"]


@attrs.frozen(kw_only=True)
class TierCap:
    """A condition that caps a unit's tier at *at_most* when it holds.

    Two kinds: a yes/no column ``cap:<id>`` (``TierCap(id="ky_luat", name="Người đứng đầu bị kỷ
    luật", at_most="Khá")``), or a node's component index below a bound (``node="3",
    index_below=50``: "lĩnh vực TTHC đạt dưới 50%"), compared on the index rounded to the
    scheme's decimals.

    Attributes:
        id: ASCII id; a column cap reads ``cap:<id>``.
        name: The condition as published.
        at_most: The best tier a unit can hold when the condition holds (a tier name of every
            scale the cap meets).
        node: The node whose component index is tested, or None for a column cap.
        index_below: The bound (0 < bound ≤ 100): the cap holds when the node's rounded
            component index is below it.

    .. versionadded:: 0.2
    """

    id: str = attrs.field(
        converter=nfc,
        validator=matching(
            ID_PATTERN, "a cap id must be ASCII letters, digits, '.', '_' or '-', found {value!r}"
        ),
    )
    name: str = attrs.field(converter=nfc, validator=non_empty("a cap needs a name"))
    # a tier name: Scheme.problems checks it names a tier of every scale the cap meets
    at_most: str = attrs.field(converter=nfc)
    node: str | None = attrs.field(default=None, converter=optional_nfc)
    index_below: float | None = attrs.field(default=None, converter=optional_float)

    def __attrs_post_init__(self) -> None:
        if (self.node is None) != (self.index_below is None):
            msg = (
                f"cap {self.id!r}: node and index_below go together (a node's index below a "
                f"bound); a cap with neither reads the yes/no column 'cap:{self.id}'"
            )
            raise ParameterError(msg)
        if self.index_below is not None and not 0 < self.index_below <= 100:
            msg = (
                f"cap {self.id!r}: index_below must be above 0 and at most 100, found "
                f"{self.index_below:g}"
            )
            raise ParameterError(msg)

    @property
    def column(self) -> str | None:
        """The yes/no input column ``cap:<id>``, or None for a node cap."""
        return None if self.node is not None else f"cap:{self.id}"
