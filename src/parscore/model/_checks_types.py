"""The scheme's checks of unit types, applies_to, scales by type and caps.

Each problem carries its JSON path.

.. versionadded:: 0.2
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from typing import TYPE_CHECKING

from parscore.errors import Problem
from parscore.model._common import _TOL
from parscore.model._node import Node
from parscore.model._scales import Tier, TierScale

if TYPE_CHECKING:
    from parscore.model._scheme import Scheme

__all__ = ["tiers_beyond", "type_problems"]


def _hint(name: str, known: tuple[str, ...]) -> str:
    close = difflib.get_close_matches(name, list(known), n=1)
    listed = ", ".join(known) if known else "none"
    return f'; did you mean "{close[0]}"?' if close else f" (declared: {listed})"


def type_problems(scheme: Scheme) -> list[Problem]:
    """Every problem of unit types, applies_to, tiers by type, caps and items."""
    out: list[Problem] = []
    types = scheme.unit_types.ids if scheme.unit_types is not None else ()
    out.extend(_applies_problems(scheme, types))
    tiers = scheme.tiers
    for key, _sub in tiers.by_type:
        if scheme.unit_types is None:
            out.append(
                Problem(
                    message="tiers.by_type needs unit_types (the kinds of unit scored)",
                    path=f"$.tiers.by_type.{key}",
                )
            )
        elif key not in types:
            out.append(
                Problem(
                    message=(
                        f"tiers.by_type names {key!r}, which is no unit type{_hint(key, types)}"
                    ),
                    path=f"$.tiers.by_type.{key}",
                )
            )
    if not tiers.scale:
        missing = [t for t in types if t not in dict(tiers.by_type)]
        if missing:
            out.append(
                Problem(
                    message=(
                        f"no tier scale for unit type(s) {', '.join(missing)}: give each a "
                        "scale in tiers.by_type, or a scale for all in tiers.scale"
                    ),
                    path="$.tiers",
                )
            )
    out.extend(_total_basis_problems(scheme, types))
    out.extend(_cap_problems(scheme, types))
    return out


def _applies_problems(scheme: Scheme, types: tuple[str, ...]) -> Iterator[Problem]:
    def walk(
        nodes: tuple[Node, ...], prefix: str, inherited: frozenset[str] | None
    ) -> Iterator[Problem]:
        for i, node in enumerate(nodes):
            path = f"{prefix}[{i}]"
            own = inherited
            if node.applies_to is not None:
                if scheme.unit_types is None:
                    yield Problem(
                        message="applies_to needs unit_types (the kinds of unit scored)",
                        path=f"{path}.applies_to",
                        node_id=node.id,
                    )
                elif not node.applies_to:
                    yield Problem(
                        message="applies_to lists no unit type (leave it out to apply to all)",
                        path=f"{path}.applies_to",
                        node_id=node.id,
                    )
                for j, t in enumerate(node.applies_to):
                    if scheme.unit_types is not None and t not in types:
                        yield Problem(
                            message=(
                                f"applies_to names {t!r}, which is no unit type{_hint(t, types)}"
                            ),
                            path=f"{path}.applies_to[{j}]",
                            node_id=node.id,
                        )
                    elif inherited is not None and t not in inherited:
                        yield Problem(
                            message=(
                                f"applies_to names {t!r}, but the node's parent does not apply "
                                f"to it (parent applies to {', '.join(sorted(inherited))})"
                            ),
                            path=f"{path}.applies_to[{j}]",
                            node_id=node.id,
                        )
                mine = frozenset(node.applies_to)
                own = mine if inherited is None else mine & inherited
            yield from walk(node.children, f"{path}.children", own)

    yield from walk(scheme.nodes, "$.nodes", None)
    if scheme.unit_types is not None:
        for t in types:
            if not any(scheme.applies(leaf.id, t) for leaf in scheme.leaves()):
                yield Problem(
                    message=f"no criterion applies to unit type {t!r}",
                    path="$.unit_types.types",
                )


def tiers_beyond(scale: TierScale, total: float) -> Iterator[tuple[int, Tier]]:
    """Tiers of a ``basis: total`` scale that no total up to *total* can reach."""
    for i, t in enumerate(scale.scale):
        if t.bound > total + _TOL or (t.is_strict and t.bound >= total - _TOL):
            yield i, t


def _total_basis_problems(scheme: Scheme, types: tuple[str, ...]) -> Iterator[Problem]:
    for key, sub in scheme.tiers.by_type:
        if sub.basis != "total" or key not in types:
            continue
        total = scheme.max_points_for(key)
        for i, t in tiers_beyond(sub, total):
            yield Problem(
                message=(
                    f"tier {t.name!r} starts at {t.bound:g}, above the max {total:g} of "
                    f"unit type {key!r}"
                ),
                path=f"$.tiers.by_type.{key}.scale[{i}].{t.bound_key}",
            )


def _cap_problems(scheme: Scheme, types: tuple[str, ...]) -> Iterator[Problem]:
    tiers = scheme.tiers
    scales = tiers.scales()
    node_ids = set(scheme.node_ids)
    for i, cap in enumerate(tiers.caps):
        path = f"$.tiers.caps[{i}]"
        if cap.node is not None and cap.node not in node_ids:
            yield Problem(
                message=f"cap {cap.id!r} names node {cap.node!r}, which is not a node id",
                path=f"{path}.node",
            )
        for key, scale in scales.items():
            if key is None and types and all(t in dict(tiers.by_type) for t in types):
                continue  # the v1 scale classifies no unit
            if cap.at_most not in scale.names:
                where = "the tier scale" if key is None else f"the scale of unit type {key!r}"
                yield Problem(
                    message=(
                        f"cap {cap.id!r}: at_most {cap.at_most!r} is no tier of {where} "
                        f"({', '.join(scale.names)})"
                    ),
                    path=f"{path}.at_most",
                )
