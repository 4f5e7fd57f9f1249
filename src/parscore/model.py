"""The scheme model: a frozen tree of nodes with rules, tiers, rounding and policies.

A :class:`Scheme` is a province's published criteria set ("Bộ chỉ số CCHC") for one group of
units: fields (lĩnh vực) → criteria (tiêu chí) → sub-criteria (tiêu chí thành phần), any depth.
Every object here is a frozen, keyword-only attrs class validated on construction; derive a
changed copy with :func:`attrs.evolve`.

.. versionadded:: 0.1
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, Literal

import attrs

from parscore._params import finite_float, nfc, optional_float, optional_nfc
from parscore.errors import ParameterError, ParameterTypeError, Problem, SchemeError
from parscore.typing import Rule

__all__ = [
    "RESERVED_COLUMNS",
    "Adjustment",
    "Adjustments",
    "Level",
    "MissingPolicy",
    "Node",
    "Ranking",
    "Rounding",
    "Scheme",
    "Tier",
    "TierScale",
]

MissingPolicy = Literal["error", "zero", "not_applicable"]
"""What a missing value does: raise an ``error``, score ``zero`` points, or make the
criterion ``not_applicable`` for that unit."""

Level = Literal["province", "ministry", "department", "district", "commune", "other"]
"""The level of the units a scheme scores."""

RESERVED_COLUMNS = frozenset(
    {"unit_id", "group", "total", "max", "index", "tier", "rank", "bonus", "penalty"}
)
"""Column names of result tables and measurements that no node id may take."""

_RULE_PROTOCOL: type = Rule  # a plain type, so the isinstance check below is not "always true"
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-]*\Z")
_MISSING = ("error", "zero", "not_applicable")
_LEVELS = ("province", "ministry", "department", "district", "commune", "other")
# Points are compared with this tolerance (a parent's stated max against its children's sum):
# far below any published precision, far above float noise on sums of a few hundred leaves.
_TOL = 1e-9


def _one_of(*choices: str) -> Callable[[Any, attrs.Attribute[Any], Any], None]:
    def check(_inst: object, attribute: attrs.Attribute[Any], value: Any) -> None:
        if value not in choices:
            msg = f"{attribute.name} must be one of {', '.join(choices)}, found {value!r}"
            raise ParameterError(msg)

    return check


@attrs.frozen(kw_only=True)
class Tier:
    """A named band of results, e.g. ``Tier(name="Tốt", min=80.0)``.

    Attributes:
        name: Label as published; any Unicode text (NFC-normalised).
        min: Inclusive lower bound on the rounded index (or total, per the scale's basis).

    .. versionadded:: 0.1
    """

    name: str = attrs.field(converter=nfc)
    min: float = attrs.field(converter=finite_float)

    @name.validator
    def _check_name(self, _attribute: attrs.Attribute[str], value: str) -> None:
        if not value:
            msg = "a tier needs a name"
            raise ParameterError(msg)


def _tiers(value: Iterable[Tier | Mapping[str, object]]) -> tuple[Tier, ...]:
    return tuple(t if isinstance(t, Tier) else Tier(**t) for t in value)


@attrs.frozen(kw_only=True)
class TierScale:
    """Tiers as inclusive lower bounds, best first.

    Attributes:
        scale: The tiers, best first, with strictly decreasing ``min``; the last starts at 0
            so that every unit gets a tier.
        basis: ``index`` (default): bounds apply to the rounded index (percent of the
            applicable max); ``total``: to the rounded total points.

    .. versionadded:: 0.1
    """

    scale: tuple[Tier, ...] = attrs.field(converter=_tiers)
    basis: Literal["index", "total"] = attrs.field(
        default="index", validator=_one_of("index", "total")
    )

    def __attrs_post_init__(self) -> None:
        problems = self.problems()
        if problems:
            raise SchemeError(problems)

    def problems(self) -> list[Problem]:
        """Every problem with the scale, paths relative to the scale."""
        out: list[Problem] = []
        if not self.scale:
            return [Problem(message="a tier scale needs at least one tier", path="$.scale")]
        seen: set[str] = set()
        for i, tier in enumerate(self.scale):
            if tier.name in seen:
                out.append(
                    Problem(message=f"tier name {tier.name!r} repeats", path=f"$.scale[{i}]")
                )
            seen.add(tier.name)
            if i and tier.min >= self.scale[i - 1].min:
                out.append(
                    Problem(
                        message=(
                            f"tiers must be listed best first with decreasing min: "
                            f"{tier.name!r} (min {tier.min:g}) follows "
                            f"{self.scale[i - 1].name!r} (min {self.scale[i - 1].min:g})"
                        ),
                        path=f"$.scale[{i}].min",
                    )
                )
            if tier.min < 0:
                out.append(
                    Problem(message="a tier's min cannot be negative", path=f"$.scale[{i}].min")
                )
            if self.basis == "index" and tier.min > 100:
                out.append(
                    Problem(
                        message="an index tier's min cannot exceed 100", path=f"$.scale[{i}].min"
                    )
                )
        if self.scale[-1].min != 0:
            out.append(
                Problem(
                    message=(
                        f"the last tier must start at 0 so every unit gets a tier; found "
                        f"{self.scale[-1].name!r} at {self.scale[-1].min:g} (add e.g. "
                        f"{{name: Kém, min: 0}})"
                    ),
                    path=f"$.scale[{len(self.scale) - 1}].min",
                )
            )
        return out

    @property
    def names(self) -> tuple[str, ...]:
        """Tier names, best first."""
        return tuple(t.name for t in self.scale)

    def classify(self, value: float) -> str:
        """Return the tier of one rounded value (a plain-Python helper for one unit)."""
        for tier in self.scale:
            if value >= tier.min:
                return tier.name
        return self.scale[-1].name


@attrs.frozen(kw_only=True)
class Rounding:
    """How reported numbers are rounded: half-up, to *decimals* places.

    Attributes:
        decimals: Decimal places of every reported number (2 nationally; some provinces 3).
        where: ``report`` (default): points are carried unrounded and each reported number (a
            node's points, the total, the index) is rounded on its own, so a total may differ
            by 0.01 from the sum of its rounded parts, as in published tables. ``leaf``: each
            leaf's points are rounded first and the rounded leaves are summed.

    .. versionadded:: 0.1
    """

    decimals: int = attrs.field(default=2)
    where: Literal["report", "leaf"] = attrs.field(
        default="report", validator=_one_of("report", "leaf")
    )

    @decimals.validator
    def _check_decimals(self, _attribute: attrs.Attribute[int], value: int) -> None:
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 6:
            msg = f"decimals must be a whole number from 0 to 6, found {value!r}"
            raise ParameterError(msg)


def _str_tuple(value: Iterable[str]) -> tuple[str, ...]:
    # a typed converter, so that type checkers accept any iterable of ids (not just tuples)
    return tuple(value)


@attrs.frozen(kw_only=True)
class Ranking:
    """How units are ranked within their group.

    Attributes:
        by: ``index`` (default) or ``total``: the rounded value ranked, highest first.
        method: ``competition`` ("1, 2, 2, 4", default), ``dense`` ("1, 2, 2, 3") or
            ``ordinal`` ("1, 2, 3, 4", ties in unit-id order).
        tie_break: Node ids whose rounded points break ties, in order, before ties are shared.

    .. versionadded:: 0.1
    """

    by: Literal["index", "total"] = attrs.field(
        default="index", validator=_one_of("index", "total")
    )
    method: Literal["competition", "dense", "ordinal"] = attrs.field(
        default="competition", validator=_one_of("competition", "dense", "ordinal")
    )
    tie_break: tuple[str, ...] = attrs.field(default=(), converter=_str_tuple)


@attrs.frozen(kw_only=True)
class Adjustment:
    """A bonus or penalty outside the tree, read from its own column and capped.

    Attributes:
        max: The cap (> 0): a unit's bonus (penalty) counts up to this many points.
        name: Label as published.

    .. versionadded:: 0.1
    """

    max: float = attrs.field(converter=finite_float)
    name: str | None = attrs.field(default=None, converter=optional_nfc)

    @max.validator
    def _check_max(self, _attribute: attrs.Attribute[float], value: float) -> None:
        if value <= 0:
            msg = f"an adjustment's max must be positive, found {value:g}"
            raise ParameterError(msg)


@attrs.frozen(kw_only=True)
class Adjustments:
    """Bonus and penalty points added after the tree; the total stays within [0, max].

    Attributes:
        bonus: Bonus points (column ``bonus``), capped.
        penalty: Penalty points (column ``penalty``), capped.

    .. versionadded:: 0.1
    """

    bonus: Adjustment | None = None
    penalty: Adjustment | None = None


def _children(value: Iterable[Node]) -> tuple[Node, ...]:
    return tuple(value)


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

    .. versionadded:: 0.1
    """

    id: str = attrs.field(converter=nfc)
    name: str = attrs.field(converter=nfc)
    max_points: float | None = attrs.field(default=None, converter=optional_float)
    children: tuple[Node, ...] = attrs.field(default=(), converter=_children)
    rule: Rule | None = None
    legal_basis: str | None = attrs.field(default=None, converter=optional_nfc)
    missing: MissingPolicy | None = attrs.field(default=None)

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

    Raises:
        SchemeError: listing every problem found, each with its path and node id.

    .. versionadded:: 0.1
    """

    id: str = attrs.field(converter=nfc)
    name: str = attrs.field(converter=nfc)
    nodes: tuple[Node, ...] = attrs.field(converter=_nodes)
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

    def __attrs_post_init__(self) -> None:
        problems = self.problems()
        if problems:
            raise SchemeError(problems)

    # -- validation ---------------------------------------------------------------------------

    def problems(self) -> list[Problem]:
        """Every problem in the scheme, each with its JSON path and node id."""
        out: list[Problem] = []
        if not _ID.match(self.id):
            message = f"scheme id must be ASCII letters, digits, '.', '_' or '-', found {self.id!r}"
            out.append(Problem(message=message, path="$.id"))
        if not self.name:
            out.append(Problem(message="a scheme needs a name", path="$.name"))
        if not self.nodes:
            out.append(Problem(message="a scheme needs at least one node", path="$.nodes"))
        seen: dict[str, str] = {}
        for i, node in enumerate(self.nodes):
            _node_problems(node, f"$.nodes[{i}]", seen, out)
        out.extend(p.within("$.tiers") for p in self.tiers.problems())
        total = math.fsum(n.max_points or 0.0 for n in self.nodes)
        if self.tiers.basis == "total":
            out.extend(
                Problem(
                    message=f"tier {t.name!r} starts at {t.min:g}, above the scheme's max "
                    f"{total:g}",
                    path=f"$.tiers.scale[{i}].min",
                )
                for i, t in enumerate(self.tiers.scale)
                if t.min > total + _TOL
            )
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
        return math.fsum(n.max for n in self.nodes)

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

    if not _ID.match(node.id):
        add(f"id must be ASCII letters, digits, '.', '_' or '-' (no ':'), found {node.id!r}", ".id")
    elif node.id.casefold() in RESERVED_COLUMNS:
        add(f"id {node.id!r} is reserved for a column of results or measurements", ".id")
    if node.id in seen:
        add(f"id {node.id!r} is used twice (first at {seen[node.id]})", ".id")
    else:
        seen[node.id] = path
    if not node.name:
        add("a node needs a name", ".name")
    if node.missing is not None and node.missing not in _MISSING:
        add(f"missing must be one of {', '.join(_MISSING)}, found {node.missing!r}", ".missing")
    if node.max_points is not None and node.max_points < 0:
        add(f"max cannot be negative, found {node.max_points:g}", ".max")
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
        for where, message in node.rule.problems(node.max_points):
            add(message, f".rule.{where}" if where else ".rule")
