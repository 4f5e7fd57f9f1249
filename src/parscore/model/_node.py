"""Node: a field, criterion or sub-criterion of the tree."""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator

import attrs

from parscore._params import declare, nfc, optional_float, optional_nfc
from parscore.errors import ParameterError
from parscore.model._common import _ID, _NAMED, _NOT_NEGATIVE, _NOT_RESERVED, MissingPolicy
from parscore.typing import Rule


def _children(value: Iterable[Node]) -> tuple[Node, ...]:
    return tuple(value)


def _type_ids(value: Iterable[str] | None) -> tuple[str, ...] | None:
    if value is None:
        return None
    if isinstance(value, str):
        return (nfc(value),)
    return tuple(nfc(v) for v in value)


@attrs.frozen(kw_only=True, cache_hash=True)
class Node:
    """A field, criterion or sub-criterion. Leaves carry a rule; parents carry children.

    Attributes:
        id: ASCII id unique in the scheme, usually the hierarchical code ("1", "1.2", "1.2.3").
        name: The name as published, in Vietnamese (NFC-normalised).
        max_points: Maximum points. A parent's max is the sum of its children's when not
            given; a stated max that disagrees is a validation error.
        children: Sub-nodes, in order; empty for a leaf.
        rule: How a leaf awards points; ``None`` for a parent.
        legal_basis: The text that defines the criterion, for the audit trail.
        missing: Overrides the scheme's missing-value policy for this leaf.
        applies_to: The unit types (ids of ``Scheme.unit_types``) the node applies to, or
            None for every type. A node applies only where its parent does too; for other
            types its points and its max are left out, and its cells may be left empty.

    .. versionadded:: 0.1
    .. versionchanged:: 0.2 *applies_to*.
    """

    # id, name and max_points: checked by Scheme.problems (_node_problems), with the node's path
    id: str = attrs.field(converter=nfc, metadata=declare(_ID, _NOT_RESERVED))
    name: str = attrs.field(converter=nfc, metadata=declare(_NAMED))
    max_points: float | None = attrs.field(
        default=None, converter=optional_float, metadata=declare(_NOT_NEGATIVE)
    )
    children: tuple[Node, ...] = attrs.field(default=(), converter=_children)
    rule: Rule | None = None
    legal_basis: str | None = attrs.field(default=None, converter=optional_nfc)
    missing: MissingPolicy | None = attrs.field(default=None)
    applies_to: tuple[str, ...] | None = attrs.field(default=None, converter=_type_ids)

    def __attrs_post_init__(self) -> None:
        # A parent without a stated max takes the sum of its children's (when all are known).
        if self.max_points is None and self.children:
            maxes = [c.max_points for c in self.children]
            if all(m is not None for m in maxes):
                object.__setattr__(self, "max_points", math.fsum(m for m in maxes if m is not None))

    @property
    def is_leaf(self) -> bool:
        """Whether the node has no children."""
        return not self.children

    @property
    def max(self) -> float:
        """The node's maximum points (``max_points``, which validation guarantees is set)."""
        if self.max_points is None:
            msg = f'node "{self.id}" has no max'
            raise ParameterError(msg)
        return self.max_points

    def walk(self) -> Iterator[Node]:
        """Yield this node and its descendants, depth first, in order."""
        yield self
        for child in self.children:
            yield from child.walk()

    def leaves(self) -> Iterator[Node]:
        """Yield the leaves below (or at) this node, in order."""
        return (n for n in self.walk() if n.is_leaf)
