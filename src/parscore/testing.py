"""Hypothesis strategies for schemes and measurements, for our tests and for plugin authors.

Needs the ``testing`` extra (``pip install 'parscore[testing]'``), which installs Hypothesis.

The strategies build small but varied schemes (depth 1–4, every built-in rule kind, random
tier scales, rounding, missing-value policies, adjustments and tie-breaks) and measurements
whose values are *valid* for each rule, with at most 4 decimals, so that a test can compare
the engine with an exact Decimal computation::

    from hypothesis import given
    from parscore.testing import schemes_with_measurements

    @given(schemes_with_measurements())
    def test_index_is_a_percentage(case):
        scheme, data = case
        result = parscore.score(scheme, data)
        ...

.. versionadded:: 0.1
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from typing import Any, Literal

from hypothesis import strategies as st

from parscore.compile import column_names
from parscore.model import (
    Adjustment,
    Adjustments,
    MissingPolicy,
    Node,
    Ranking,
    Rounding,
    Scheme,
    Tier,
    TierScale,
)
from parscore.rules import Band, Bands, Choice, Deduction, Points, Ratio, Survey, YesNo
from parscore.typing import Rule

__all__ = [
    "MISSING_CELLS",
    "NOT_APPLICABLE_CELLS",
    "Columns",
    "RuleCheckError",
    "check_rule",
    "full_inputs",
    "leaf_values",
    "measurements_for",
    "rules",
    "schemes",
    "schemes_with_measurements",
]

Columns = dict[str, list[object]]
"""Measurements as a mapping of column name -> cells, one cell per unit (``unit_id`` first)."""

MISSING_CELLS: tuple[object, ...] = (None, math.nan, "")
"""Cells that mean "missing" (handled by the missing-value policy)."""

NOT_APPLICABLE_CELLS: tuple[str, ...] = ("n/a", "KAD", "không áp dụng")
"""Cells that mark a criterion not applicable to a unit."""

_MAX_NODES = 30
_POLICIES: tuple[MissingPolicy, ...] = ("error", "zero", "not_applicable")


def _decimal(lo: float, hi: float, places: int = 4) -> st.SearchStrategy[float]:
    """Floats ``k / 10**places`` in ``[lo, hi]``: exact decimals with at most *places* digits."""
    scale = 10**places
    return st.integers(math.ceil(lo * scale - 1e-9), math.floor(hi * scale + 1e-9)).map(
        lambda k: k / scale
    )


def _up_to(hi: float) -> st.SearchStrategy[float]:
    """Points from 0 to *hi* with 0–2 decimals, favouring round values and both ends."""
    return st.one_of(
        st.sampled_from([0.0, hi]),
        _decimal(0.0, hi, 0),
        _decimal(0.0, hi, 2),
    )


_BIT = st.sampled_from([0, 1])
_COUNT = st.integers(0, 30)
_ROLL = st.integers(0, 9)
_NA_CELL = st.sampled_from(NOT_APPLICABLE_CELLS)
_MISSING_CELL = st.sampled_from(MISSING_CELLS)
_GROUP = st.sampled_from(["huyen", "so"])
_AMOUNT = st.one_of(st.none(), _decimal(0, 3, 2))


# -- rules ------------------------------------------------------------------------------------


@st.composite
def _yes_no(draw: st.DrawFn, max_points: float) -> YesNo:
    del max_points
    two = draw(st.booleans())
    return YesNo(inputs=("co_van_ban", "dung_han")) if two else YesNo()


@st.composite
def _choice(draw: st.DrawFn, max_points: float) -> Choice:
    n = draw(st.integers(2, 4))
    names = ["kip_thoi", "khong_kip_thoi", "khong_ban_hanh", "muc_khac"][:n]
    pts = [max_points, draw(st.one_of(st.just(max_points / 2), _up_to(max_points)))]
    pts += [draw(_up_to(max_points)) for _ in range(n - 2)]
    pts = draw(st.permutations(pts))
    return Choice(options=dict(zip(names, pts, strict=True)))


@st.composite
def _bands(draw: st.DrawFn, max_points: float) -> Bands:
    cuts = sorted(
        draw(
            st.lists(
                st.one_of(_decimal(1, 99, 0), _decimal(1, 99, 2)),
                min_size=1,
                max_size=3,
                unique=True,
            )
        )
    )
    monotone = draw(st.booleans())
    n_seg = len(cuts) + 1
    # Which side owns each cut: "left" (le | gt), "right" (lt | ge) or neither (lt | gt).
    owner = [
        draw(st.sampled_from(["left", "right"] if monotone else ["left", "right", "none"]))
        for _ in cuts
    ]
    if monotone:
        keep = [draw(st.booleans())] + [True] * (n_seg - 1)
        pts = sorted(draw(_up_to(max_points)) for _ in range(n_seg))
        pts[-1] = max_points
        otherwise = 0.0
    else:
        keep = [draw(st.booleans()) for _ in range(n_seg)]
        if not any(keep):
            keep[draw(st.integers(0, n_seg - 1))] = True
        pts = [draw(_up_to(max_points)) for _ in range(n_seg)]
        pts[draw(st.sampled_from([i for i in range(n_seg) if keep[i]]))] = max_points
        otherwise = draw(_up_to(max_points))
    bands = []
    for i in range(n_seg):
        if not keep[i]:
            continue
        bounds: dict[str, float] = {}
        if i > 0:
            bounds["ge" if owner[i - 1] == "right" else "gt"] = cuts[i - 1]
        if i < len(cuts):
            bounds["le" if owner[i] == "left" else "lt"] = cuts[i]
        bands.append(Band(points=pts[i], **bounds))
    return Bands(bands=draw(st.permutations(bands)), otherwise=otherwise)


@st.composite
def _ratio(draw: st.DrawFn, max_points: float) -> Ratio:
    del max_points
    two = draw(st.booleans())
    return Ratio(
        inputs=("on_time", "received") if two else ("rate",),
        when_empty=draw(st.sampled_from(["full", "zero", "not_applicable"])),
        over=draw(st.sampled_from(["error", "cap"])),
    )


@st.composite
def _deduction(draw: st.DrawFn, max_points: float) -> Deduction:
    per = draw(st.sampled_from([0.05, 0.1, 0.25, 0.5, 1.0, 2.0]))
    floor = draw(
        st.one_of(
            st.just(0.0),
            st.sampled_from([-1.0, -max_points, -2 * per]),
            _decimal(0.0, max_points, 2),
        )
    )
    return Deduction(per=per, floor=floor)


@st.composite
def _points(draw: st.DrawFn, max_points: float) -> Points:
    del max_points
    return Points(clip=draw(st.booleans()))


@st.composite
def _survey(draw: st.DrawFn, max_points: float) -> Survey:
    del max_points
    n = draw(st.integers(2, 4))
    values = [100.0] + [float(draw(st.integers(0, 100))) for _ in range(n - 1)]
    if n == 4 and draw(st.booleans()):
        values = [100.0, 60.0, 20.0, 0.0]  # the usual A-D scale
    return Survey(
        options=dict(zip("ABCD", values, strict=False)),
        when_empty=draw(st.sampled_from(["not_applicable", "zero", "full"])),
    )


_RULES: dict[str, Callable[[float], st.SearchStrategy[Any]]] = {
    "bands": _bands,
    "choice": _choice,
    "deduction": _deduction,
    "points": _points,
    "ratio": _ratio,
    "survey": _survey,
    "yes_no": _yes_no,
}


def rules(max_points: float, kinds: tuple[str, ...] | None = None) -> st.SearchStrategy[Rule]:
    """Built-in rules valid for a leaf with maximum *max_points*.

    Every generated ``choice`` has an option worth the maximum, every ``bands`` a band worth
    the maximum and every ``survey`` an option worth 100 %, so that full points are reachable
    (see :func:`full_inputs`). About half of the generated ``bands`` are monotone increasing.

    Args:
        max_points: The leaf's maximum, > 0, with at most 2 decimals.
        kinds: Rule kinds to draw from; every built-in kind by default.

    Returns:
        A strategy of rule objects.

    .. versionadded:: 0.1
    """
    return _rules(max_points, tuple(sorted(_RULES)) if kinds is None else kinds)


@functools.lru_cache(maxsize=1024)
def _rules(max_points: float, kinds: tuple[str, ...]) -> st.SearchStrategy[Rule]:
    return st.one_of([_RULES[k](max_points) for k in kinds])


# -- schemes ----------------------------------------------------------------------------------

_MAXES = st.one_of(
    st.integers(1, 10).map(float),
    st.integers(1, 40).map(lambda k: k / 4),
    st.integers(1, 1000).map(lambda k: k / 100),
)


def _node(draw: st.DrawFn, node_id: str, depth: int, max_depth: int, budget: list[int]) -> Node:
    budget[0] -= 1
    name = f"Tiêu chí {node_id}"
    legal = draw(st.sampled_from([None, f"Quyết định số 1/QĐ-UBND, mục {node_id}"]))
    if depth < max_depth and budget[0] >= 2 and draw(st.booleans()):
        n_children = draw(st.integers(1, min(4, budget[0])))
        children = [
            _node(draw, f"{node_id}.{i + 1}", depth + 1, max_depth, budget)
            for i in range(n_children)
        ]
        stated = math.fsum(c.max for c in children) if draw(st.booleans()) else None
        return Node(id=node_id, name=name, max_points=stated, children=children, legal_basis=legal)
    max_points = draw(_MAXES)
    return Node(
        id=node_id,
        name=name,
        max_points=max_points,
        rule=draw(rules(max_points)),
        legal_basis=legal,
        missing=draw(st.sampled_from([None, None, *_POLICIES])),
    )


@st.composite
def _tiers(draw: st.DrawFn, total_max: float) -> TierScale:
    basis: Literal["index", "total"] = "total" if draw(st.booleans()) else "index"
    top = 100.0 if basis == "index" else total_max
    mins = draw(
        st.lists(
            st.one_of(_decimal(0, top, 0), _decimal(0, top, 2), st.sampled_from([80.0, 79.99])),
            max_size=3,
            unique=True,
        ).map(lambda xs: sorted({x for x in xs if 0 < x <= top}, reverse=True))
    )
    names = [*["Xuất sắc", "Tốt", "Khá", "Trung bình"][: len(mins)], "Yếu"]
    scale = [Tier(name=n, min=m) for n, m in zip(names, [*mins, 0.0], strict=True)]
    return TierScale(scale=scale, basis=basis)


def _decimals_of(value: float) -> int:
    """The fewest decimals (0–4) that write *value* exactly."""
    for d in range(5):
        scaled = value * 10**d
        if abs(scaled - round(scaled)) < 1e-9 * max(1.0, abs(scaled)):
            return d
    return 4


@st.composite
def schemes(draw: st.DrawFn, max_nodes: int = _MAX_NODES) -> Scheme:
    """Valid schemes: trees of depth 1–4 mixing every built-in rule kind.

    Node ids are hierarchical codes ("1", "1.2", "1.2.3"); leaf maxima have at most 2
    decimals; parents state their max or not. Tiers are on the index or on the total with
    1–4 inclusive bounds above the last tier at 0; rounding keeps 0–3 decimals at the report
    or at the leaves (then at least as many as any leaf max has); the missing-value policy is
    random for the scheme and sometimes for a leaf; bonus and penalty caps and a tie-break by
    1–2 nodes are optional.

    Args:
        draw: Supplied by Hypothesis.
        max_nodes: The most nodes a scheme may have (30 by default).

    Returns:
        A strategy of :class:`~parscore.model.Scheme`.

    .. versionadded:: 0.1
    """
    max_depth = draw(st.integers(1, 4))
    budget = [max_nodes]
    n_top = draw(st.integers(1, 4))
    nodes = []
    for i in range(n_top):
        if budget[0] <= 0:
            break
        nodes.append(_node(draw, str(i + 1), 1, max_depth, budget))
    total_max = math.fsum(n.max for n in nodes)
    node_ids = [n.id for top in nodes for n in top.walk()]
    adjustments = Adjustments(
        bonus=draw(st.sampled_from([None, Adjustment(max=1.0), Adjustment(max=2.5)])),
        penalty=draw(st.sampled_from([None, Adjustment(max=2.0), Adjustment(max=0.5)])),
    )
    ranking = Ranking(
        by=draw(st.sampled_from(["index", "total"])),
        method=draw(st.sampled_from(["competition", "dense", "ordinal"])),
        tie_break=draw(
            st.one_of(
                st.just(()),
                st.lists(st.sampled_from(node_ids), min_size=1, max_size=2, unique=True).map(tuple),
            )
        ),
    )
    where: Literal["report", "leaf"] = draw(st.sampled_from(["report", "leaf"]))
    # leaf rounding needs every leaf max written with the rounding's decimals
    needed = (
        max(_decimals_of(leaf.max) for top in nodes for leaf in top.leaves())
        if where == "leaf"
        else 0
    )
    return Scheme(
        id="generated-scheme",
        name="Bộ chỉ số sinh ngẫu nhiên",
        nodes=nodes,
        tiers=draw(_tiers(total_max)),
        rounding=Rounding(decimals=draw(st.integers(needed, 3)), where=where),
        missing=draw(st.sampled_from(_POLICIES)),
        adjustments=adjustments,
        ranking=ranking,
    )


# -- measurements -----------------------------------------------------------------------------


def leaf_values(node: Node) -> st.SearchStrategy[list[object]]:
    """One unit's valid cells for the leaf *node*, one per input (its columns' order).

    Values have at most 4 decimals; ``choice`` cells are an option's position or its name;
    ``bands`` values favour the band edges; ratio and survey inputs are whole counts,
    sometimes all zero (an empty denominator).

    Args:
        node: A leaf with a built-in rule.

    Returns:
        A strategy of lists of cells (built once per node and cached).

    .. versionadded:: 0.1
    """
    return _leaf_values(node)


def _one(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[list[object]]:
    return strategy.map(lambda v: [v])


@functools.lru_cache(maxsize=4096)
def _leaf_values(node: Node) -> st.SearchStrategy[list[object]]:  # noqa: PLR0911 (one per kind)
    # Strategies are built once per node: building and validating a strategy per draw costs
    # more than drawing from it.
    rule, mx = node.rule, node.max
    if isinstance(rule, YesNo):
        return st.lists(_BIT, min_size=len(rule.inputs), max_size=len(rule.inputs))
    if isinstance(rule, Choice):
        return _one(st.sampled_from([*range(len(rule.options)), *rule.option_names]))
    if isinstance(rule, Bands):
        edges = sorted({v for b in rule.bands for v in (b.gt, b.ge, b.lt, b.le) if v is not None})
        near = [round(e + d, 4) for e in edges for d in (-0.0001, 0.0, 0.0001)]
        return _one(st.one_of(st.sampled_from(near), _decimal(0, 100, 2), _decimal(0, 100, 4)))
    if isinstance(rule, Ratio):
        cap = rule.over == "cap"
        if len(rule.inputs) == 1:
            top = 150 if cap else 100
            return _one(st.one_of([_decimal(0, top, places) for places in range(5)]))

        def num_den(roll_a_b: tuple[int, int, int]) -> list[object]:
            roll, a, b = roll_a_b
            if not roll:  # about one unit in ten: nothing to assess
                return [0, 0]
            return [a, b] if cap else [min(a, b), max(a, b)]  # with cap, num may exceed den

        return st.tuples(_ROLL, _COUNT, _COUNT).map(num_den)
    if isinstance(rule, Deduction):
        return _one(st.integers(0, 12))
    if isinstance(rule, Points):
        lo, hi = (-mx, 2 * mx) if rule.clip else (0.0, mx)
        return _one(st.one_of(st.sampled_from([0.0, mx]), _decimal(lo, hi, 4)))
    if isinstance(rule, Survey):
        k = len(rule.options)
        answers = st.lists(st.integers(0, 20), min_size=k, max_size=k)

        def some_silent(roll_and_counts: tuple[int, list[int]]) -> list[object]:
            roll, counts = roll_and_counts
            return list(counts) if roll else [0] * k  # about one unit in ten: no answers

        return st.tuples(_ROLL, answers).map(some_silent)
    msg = f"no value strategy for rule kind {type(rule).__name__}"
    raise TypeError(msg)


def full_inputs(node: Node) -> list[object]:  # noqa: PLR0911 (one return per rule kind)
    """Cells that earn the leaf *node* its full points (for a rule from :func:`rules`).

    Args:
        node: A leaf with a built-in rule whose maximum is reachable.

    Returns:
        One cell per input.

    Raises:
        ValueError: when the rule cannot award the maximum.

    .. versionadded:: 0.1
    """
    rule, mx = node.rule, node.max
    if isinstance(rule, YesNo):
        return [1] * len(rule.inputs)
    if isinstance(rule, Choice):
        for pos, (_, pts) in enumerate(rule.options):
            if pts == mx:
                return [pos]
    if isinstance(rule, Bands):
        for band in rule.bands:
            if band.points == mx:
                lo, lo_in, hi, hi_in = band.interval
                if lo_in:
                    return [lo]
                if hi_in:
                    return [hi]
                if math.isinf(lo):
                    return [hi - 1.0]
                if math.isinf(hi):
                    return [lo + 1.0]
                return [(lo + hi) / 2]
    if isinstance(rule, Ratio):
        return [100] if len(rule.inputs) == 1 else [1, 1]
    if isinstance(rule, Deduction):
        return [0]
    if isinstance(rule, Points):
        return [mx]
    if isinstance(rule, Survey):
        for pos, (_, pct) in enumerate(rule.options):
            if pct == 100.0:
                return [1 if i == pos else 0 for i in range(len(rule.options))]
    msg = f'the rule of node "{node.id}" cannot award its maximum'
    raise ValueError(msg)


def _surely_applicable(node: Node, cells: list[object]) -> bool:
    """Whether a leaf with these (present, valid) cells certainly counts towards the max."""
    rule = node.rule
    if isinstance(rule, Ratio) and len(rule.inputs) == 2 and rule.when_empty == "not_applicable":
        return cells[1] != 0
    if isinstance(rule, Survey) and rule.when_empty == "not_applicable":
        return any(c != 0 for c in cells)
    return True


@st.composite
def measurements_for(
    draw: st.DrawFn,
    scheme: Scheme,
    *,
    min_units: int = 1,
    max_units: int = 40,
    missing: bool = True,
    not_applicable: bool = True,
    groups: bool = True,
) -> Columns:
    """Valid measurements for *scheme*: a mapping of columns with a ``unit_id`` column.

    Every cell is valid for its rule (see :func:`leaf_values`). When a leaf's missing-value
    policy is not ``error``, some cells are missing (None, NaN or ""); some leaves are marked
    not applicable ("n/a", "KAD", "không áp dụng"); an optional ``group`` column holds unit
    groups; ``bonus`` and ``penalty`` columns appear when the scheme has those adjustments.
    Every unit keeps at least one applicable criterion, so its index is defined.

    Args:
        draw: Supplied by Hypothesis.
        scheme: The scheme the measurements are for.
        min_units: The fewest units.
        max_units: The most units (40 by default).
        missing: Whether to generate missing cells where the policy allows them.
        not_applicable: Whether to generate not-applicable cells.
        groups: Whether a ``group`` column may be generated.

    Returns:
        A strategy of ``{column: [cell per unit]}``, ``unit_id`` first, then ``group`` when
        present, the scheme's input columns in order, then ``bonus`` and ``penalty``.

    .. versionadded:: 0.1
    """
    n = draw(st.integers(min_units, max_units))
    numbers = draw(st.lists(st.integers(1, 999), min_size=n, max_size=n, unique=True))
    prefix = draw(st.sampled_from(["xa-", "huyen-", "so-"]))
    data: Columns = {"unit_id": [f"{prefix}{k:03d}" for k in numbers]}
    if groups and draw(st.booleans()):
        data["group"] = [draw(_GROUP) for _ in range(n)]
    leaves = list(scheme.leaves())
    columns = {leaf.id: column_names(leaf, leaf.rule) for leaf in leaves if leaf.rule}
    for cols in columns.values():
        for col in cols:
            data[col] = []
    # chances in tenths: a leaf of a unit is not applicable if roll < p_na, else missing if
    # roll < p_na + p_missing (when its policy allows), for a roll from 0 to 9
    p_missing = draw(st.sampled_from([0, 1, 3])) if missing else 0
    p_na = draw(st.sampled_from([0, 1, 3])) if not_applicable else 0
    for _ in range(n):
        rows: dict[str, list[object]] = {}
        fixed = False
        for leaf in leaves:
            cells = list(draw(leaf_values(leaf)))  # a copy: strategies may share lists
            policy = leaf.missing or scheme.missing
            roll = draw(_ROLL) if p_na or p_missing else 10
            if roll < p_na:
                cells = [draw(_NA_CELL), *cells[1:]]
            elif policy != "error" and roll < p_na + p_missing:
                k = draw(_ROLL) % len(cells)
                cells[k] = draw(_MISSING_CELL)
            elif _surely_applicable(leaf, cells):
                fixed = True
            rows[leaf.id] = cells
        if not fixed:  # keep at least one applicable criterion
            rows[leaves[0].id] = full_inputs(leaves[0])
        for leaf in leaves:
            for col, cell in zip(columns[leaf.id], rows[leaf.id], strict=True):
                data[col].append(cell)
    for name in ("bonus", "penalty"):
        if getattr(scheme.adjustments, name) is not None and draw(st.booleans()):
            data[name] = [draw(_AMOUNT) for _ in range(n)]
    return data


@st.composite
def schemes_with_measurements(
    draw: st.DrawFn, max_nodes: int = _MAX_NODES, max_units: int = 40
) -> tuple[Scheme, Columns]:
    """A scheme from :func:`schemes` with measurements from :func:`measurements_for`.

    Args:
        draw: Supplied by Hypothesis.
        max_nodes: The most nodes of the scheme.
        max_units: The most units.

    Returns:
        A strategy of ``(scheme, measurements)`` pairs.

    .. versionadded:: 0.1
    """
    scheme = draw(schemes(max_nodes=max_nodes))
    return scheme, draw(measurements_for(scheme, max_units=max_units))


# -- checking a rule, for plugin authors ------------------------------------------------------

from parscore._rule_check import RuleCheckError, check_rule  # noqa: E402 - see above
