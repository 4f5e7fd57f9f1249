"""Unit types: the kinds of unit one decision scores together (sở, huyện, xã …).

.. versionadded:: 0.2
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping

import attrs

from parscore._params import ID_PATTERN, matching, nfc, non_empty, optional_nfc
from parscore.errors import ParameterError

__all__ = ["UnitType", "UnitTypes"]

_TYPE_ID = matching(
    ID_PATTERN, "a unit type id must be ASCII letters, digits, '.', '_' or '-', found {value!r}"
)


@attrs.frozen(kw_only=True)
class UnitType:
    """A kind of unit, e.g. ``UnitType(id="so", name="Sở, ban, ngành")``.

    In scheme files a type is written as its bare id (``so``) or as ``{id: so, name: …}``.

    Attributes:
        id: ASCII id, used in ``applies_to``, ``tiers.by_type`` and the type column.
        name: Its name as published, optional; a cell may give the name instead of the id.

    .. versionadded:: 0.2
    """

    id: str = attrs.field(converter=nfc, validator=_TYPE_ID)
    name: str | None = attrs.field(default=None, converter=optional_nfc)


def _types(value: Iterable[UnitType | str | Mapping[str, object]]) -> tuple[UnitType, ...]:
    out: list[UnitType] = []
    for item in value:
        if isinstance(item, UnitType):
            out.append(item)
        elif isinstance(item, str):
            out.append(UnitType(id=item))
        else:
            out.append(UnitType(**item))
    return tuple(out)


def _fold(text: str) -> str:
    return unicodedata.normalize("NFC", text).strip().casefold()


@attrs.frozen(kw_only=True)
class UnitTypes:
    """The kinds of unit a scheme scores together, and the column that gives each unit's kind.

    Attributes:
        types: The declared types, in order (at least one; ids and names unique).
        column: The input column holding each unit's type (default ``type``).

    .. versionadded:: 0.2
    """

    types: tuple[UnitType, ...] = attrs.field(
        converter=_types,
        validator=non_empty("unit_types needs at least one type", keyword="minItems"),
    )
    column: str = attrs.field(
        default="type", converter=nfc, validator=non_empty("the type column needs a name")
    )

    def __attrs_post_init__(self) -> None:
        seen: set[str] = set()
        for t in self.types:
            for key in {_fold(t.id), *([_fold(t.name)] if t.name else [])}:
                if key in seen:
                    msg = f"unit type {t.id!r} repeats an id or name of another type"
                    raise ParameterError(msg)
                seen.add(key)
        if self.column.startswith(("cap:", "adj:")):
            msg = f"the type column may not start with 'cap:' or 'adj:', found {self.column!r}"
            raise ParameterError(msg)

    @property
    def ids(self) -> tuple[str, ...]:
        """The declared type ids, in order."""
        return tuple(t.id for t in self.types)

    def lookup(self, text: str) -> str | None:
        """The id of the type a cell names (its id, or its id or name in any case), or None."""
        if text in self.ids:
            return text
        return self._folded.get(_fold(text))

    @property
    def _folded(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for t in self.types:
            out[_fold(t.id)] = t.id
            if t.name:
                out[_fold(t.name)] = t.id
        return out

    def name_of(self, type_id: str) -> str:
        """The type's published name, or its id when it has none."""
        for t in self.types:
            if t.id == type_id:
                return t.name or t.id
        msg = f"no unit type {type_id!r}"
        raise KeyError(msg)
