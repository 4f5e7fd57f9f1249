"""Scheme: the tree of nodes with its tiers, rounding and policies, and its validation."""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable, Iterator

import attrs

from parscore._params import declare, nfc, optional_nfc, text_fault
from parscore.errors import ParameterTypeError, Problem, SchemeError
from parscore.model._adjustments import Adjustments
from parscore.model._checks_types import tiers_beyond, type_problems
from parscore.model._common import (
    _ID,
    _LEVELS,
    _MISSING,
    _NAMED,
    _NOT_NEGATIVE,
    _NOT_RESERVED,
    _RULE_PROTOCOL,
    _SOME_ITEMS,
    _TOL,
    MAX_POINTS,
    Level,
    MissingPolicy,
    _one_of,
)
from parscore.model._node import Node
from parscore.model._scales import Ranking, Rounding, TierScale
from parscore.model._unit_types import UnitTypes
from parscore.rules import safe_problems


def _nodes(value: Iterable[Node]) -> tuple[Node, ...]:
    return tuple(value)


def _year(value: object) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        msg = f"year must be a whole number, found {value!r}"
        raise ParameterTypeError(msg)
    return value


@attrs.frozen(kw_only=True, cache_hash=True)
class Scheme:
    """A criteria set: the tree of nodes, with tiers, rounding and policies.

    Attributes:
        id: ASCII id of the scheme (``example-commune-2026``).
        name: Its name as published ("Bộ chỉ số CCHC cấp xã").
        nodes: The top-level nodes (fields, lĩnh vực), in order.
        tiers: The tier scale.
        level: Level of the units scored.
        year: Year scored, when the scheme is for one year.
        version: Free-text version of the scheme.
        legal_basis: The decision that publishes the scheme.
        notes: What is official and what is illustrative, sources, remarks.
        rounding: Rounding policy.
        missing: What a missing value does (``error`` by default).
        adjustments: Bonus and penalty outside the tree.
        ranking: How units are ranked.
        unit_types: The kinds of unit scored together (sở, huyện …), or None. With them,
            nodes may apply to some types only (``Node.applies_to``), tiers may differ by type
            (``TierScale.by_type``) and units are ranked within their type.

    Raises:
        SchemeError: listing every problem found, each with its path and node id.

    .. versionadded:: 0.1
    .. versionchanged:: 0.2 *unit_types*.
    """

    # id, name and nodes: checked by Scheme.problems, which collects every problem
    id: str = attrs.field(converter=nfc, metadata=declare(_ID))
    name: str = attrs.field(converter=nfc, metadata=declare(_NAMED))
    nodes: tuple[Node, ...] = attrs.field(converter=_nodes, metadata=declare(_SOME_ITEMS))
    tiers: TierScale
    level: Level = attrs.field(default="other", validator=_one_of(*_LEVELS))
    year: int | None = attrs.field(default=None, converter=_year)
    version: str | None = attrs.field(default=None, converter=optional_nfc)
    legal_basis: str | None = attrs.field(default=None, converter=optional_nfc)
    notes: str | None = attrs.field(default=None, converter=optional_nfc)
    rounding: Rounding = attrs.field(factory=Rounding)
    missing: MissingPolicy = attrs.field(default="error", validator=_one_of(*_MISSING))
    adjustments: Adjustments = attrs.field(factory=Adjustments)
    ranking: Ranking = attrs.field(factory=Ranking)
    unit_types: UnitTypes | None = None

    def __attrs_post_init__(self) -> None:
        problems = self.problems()
        if problems:
            raise SchemeError(problems)

    # -- validation ---------------------------------------------------------------------------

    def problems(self) -> list[Problem]:
        """Every problem in the scheme, each with its JSON path and node id."""
        out: list[Problem] = []
        if not _ID.accepts(self.id):
            message = f"scheme id must be ASCII letters, digits, '.', '_' or '-', found {self.id!r}"
            out.append(Problem(message=message, path="$.id"))
        if not _NAMED.accepts(self.name):
            out.append(Problem(message="a scheme needs a name", path="$.name"))
        out.extend(
            Problem(message=fault, path=f"$.{key}")
            for key, text, multiline in (
                ("id", self.id, False),
                ("name", self.name, False),
                ("version", self.version, True),
                ("legal_basis", self.legal_basis, True),
                ("notes", self.notes, True),
            )
            if text is not None and (fault := text_fault(text, multiline=multiline))
        )
        if not _SOME_ITEMS.accepts(self.nodes):
            out.append(Problem(message="a scheme needs at least one node", path="$.nodes"))
        seen: dict[str, str] = {}
        for i, node in enumerate(self.nodes):
            _node_problems(node, f"$.nodes[{i}]", seen, out)
        out.extend(p.within("$.tiers") for p in self.tiers.problems())
        total = math.fsum(n.max_points or 0.0 for n in self.nodes)
        if self.tiers.basis == "total" and self.tiers.scale:
            out.extend(
                Problem(
                    message=f"tier {t.name!r} starts at {t.bound:g}, above the scheme's max "
                    f"{total:g}",
                    path=f"$.tiers.scale[{i}].{t.bound_key}",
                )
                for i, t in tiers_beyond(self.tiers, total)
            )
        out.extend(type_problems(self))
        if self.rounding.where == "leaf":
            out.extend(self._leaf_rounding_problems())
        for i, node_id in enumerate(self.ranking.tie_break):
            if node_id not in seen:
                out.append(
                    Problem(
                        message=f"tie_break names {node_id!r}, which is not a node id",
                        path=f"$.ranking.tie_break[{i}]",
                    )
                )
        return out

    def _leaf_rounding_problems(self) -> list[Problem]:
        """Leaf rounding needs every leaf max to be written with the rounding's decimals.

        Otherwise full points round above the max (a max of 0.25 at 1 decimal gives 0.3).
        """
        d = self.rounding.decimals
        out = []
        for path, node in _walk_paths(self.nodes, "$.nodes"):
            if node.is_leaf and node.max_points is not None:
                scaled = node.max_points * 10**d
                if abs(scaled - round(scaled)) > _TOL * max(1.0, abs(scaled)):
                    out.append(
                        Problem(
                            message=(
                                f"max {node.max_points:g} has more than {d} decimals, so with "
                                f"rounding where: leaf full points would round above it; use "
                                f"more decimals or where: report"
                            ),
                            path=f"{path}.max",
                            node_id=node.id,
                        )
                    )
        return out

    # -- navigation ---------------------------------------------------------------------------

    @functools.cached_property
    def _by_id(self) -> dict[str, Node]:
        return {n.id: n for n in self.walk()}

    @property
    def max_points(self) -> float:
        """The scheme's maximum points: the sum of the top-level nodes' max (bonus excluded)."""
        maxes = [n.max_points for n in self.nodes]  # validation guarantees each is set
        return math.fsum(m for m in maxes if m is not None)

    def walk(self) -> Iterator[Node]:
        """Yield every node, depth first, in order."""
        for node in self.nodes:
            yield from node.walk()

    def leaves(self) -> Iterator[Node]:
        """Yield every leaf, depth first, in order."""
        return (n for n in self.walk() if n.is_leaf)

    def node(self, node_id: str) -> Node:
        """Return the node with id *node_id*.

        Raises:
            KeyError: when no node has that id.
        """
        try:
            return self._by_id[node_id]
        except KeyError:
            msg = f"no node {node_id!r} in scheme {self.id!r}"
            raise KeyError(msg) from None

    @functools.cached_property
    def _applies(self) -> dict[str, frozenset[str] | None]:
        """Each node's effective types (None = all): its own applies_to within its parent's."""
        out: dict[str, frozenset[str] | None] = {}

        def walk(nodes: tuple[Node, ...], inherited: frozenset[str] | None) -> None:
            for node in nodes:
                own = inherited
                if node.applies_to is not None:
                    mine = frozenset(node.applies_to)
                    own = mine if inherited is None else mine & inherited
                out[node.id] = own
                walk(node.children, own)

        walk(self.nodes, None)
        return out

    def applies(self, node_id: str, type_id: str | None) -> bool:
        """Whether node *node_id* applies to units of type *type_id* (always, for None).

        .. versionadded:: 0.2
        """
        if type_id is None:
            return True
        types = self._applies[self.node(node_id).id]
        return types is None or type_id in types

    def max_points_for(self, type_id: str | None) -> float:
        """The maximum points of a unit of type *type_id*: the max of the leaves applying.

        .. versionadded:: 0.2
        """
        if type_id is None:
            return self.max_points
        return math.fsum(n.max for n in self.leaves() if self.applies(n.id, type_id))

    def tier_names_for(self, type_id: str | None) -> tuple[str, ...]:
        """The tier names of the scale classifying units of *type_id*, best first.

        .. versionadded:: 0.2
        """
        return self.tiers.for_type(type_id).names

    @property
    def node_ids(self) -> tuple[str, ...]:
        """Every node id, depth first."""
        return tuple(self._by_id)

    def _repr_html_(self) -> str:
        from parscore._display import scheme_html  # lazy: import parscore stays light

        return scheme_html(self)


def _walk_paths(nodes: tuple[Node, ...], prefix: str) -> Iterator[tuple[str, Node]]:
    """Yield ``(JSON path, node)`` for every node below *nodes*, depth first."""
    for i, node in enumerate(nodes):
        path = f"{prefix}[{i}]"
        yield path, node
        yield from _walk_paths(node.children, f"{path}.children")


def _node_problems(node: Node, path: str, seen: dict[str, str], out: list[Problem]) -> None:
    """Append the problems of *node* and its descendants to *out*."""

    def add(message: str, where: str = "") -> None:
        out.append(Problem(message=message, path=path + where, node_id=node.id))

    if not _ID.accepts(node.id):
        add(f"id must be ASCII letters, digits, '.', '_' or '-' (no ':'), found {node.id!r}", ".id")
    elif not _NOT_RESERVED.accepts(node.id):
        add(f"id {node.id!r} is reserved for a column of results or measurements", ".id")
    texts = (("name", node.name, False), ("legal_basis", node.legal_basis, True))
    for key, text, multiline in texts:
        fault = None if text is None else text_fault(text, multiline=multiline)
        if fault:
            add(fault, f".{key}")
    if node.id in seen:
        add(f"id {node.id!r} is used twice (first at {seen[node.id]})", ".id")
    else:
        seen[node.id] = path
    if not _NAMED.accepts(node.name):
        add("a node needs a name", ".name")
    if node.missing is not None and node.missing not in _MISSING:
        add(f"missing must be one of {', '.join(_MISSING)}, found {node.missing!r}", ".missing")
    if node.max_points is not None and not _NOT_NEGATIVE.accepts(node.max_points):
        add(f"max cannot be negative, found {node.max_points:g}", ".max")
    elif node.max_points is not None and node.max_points > MAX_POINTS:  # sums stay finite
        add(f"max {node.max_points:g} is too large: a node's max is at most {MAX_POINTS:g}", ".max")
    if node.children:
        if node.rule is not None:
            add("a node with children cannot have a rule (rules belong to leaves)", ".rule")
        sub = [c.max_points for c in node.children]
        if node.max_points is not None and all(m is not None for m in sub):
            total = math.fsum(m for m in sub if m is not None)
            if abs(total - node.max_points) > _TOL * max(1.0, abs(total)):
                add(
                    f"max is {node.max_points:g} but the children's max add up to {total:g}",
                    ".max",
                )
        for j, child in enumerate(node.children):
            _node_problems(child, f"{path}.children[{j}]", seen, out)
        return
    if node.max_points is None:
        add("a leaf needs a max", ".max")
    if node.rule is None:
        add("a leaf needs a rule (or children)", ".rule")
    elif not isinstance(node.rule, _RULE_PROTOCOL):
        add(f"rule must implement the Rule protocol, found {type(node.rule).__name__}", ".rule")
    elif node.max_points is not None:
        for where, message in safe_problems(node.rule, node.max_points, node.id):
            add(message, f".rule.{where}" if where else ".rule")
