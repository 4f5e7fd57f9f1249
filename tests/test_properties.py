"""Properties of the engine over random schemes and measurements (parscore.testing)."""

from __future__ import annotations

import itertools
import math
from decimal import Decimal

import numpy as np
from hypothesis import assume, example, given
from hypothesis import strategies as st

import parscore as ps
import reference
from parscore.testing import (
    Columns,
    full_inputs,
    schemes,
    schemes_with_measurements,
)

# -- helpers ----------------------------------------------------------------------------------


def _assert_matches_reference(result: ps.Result, ref: reference.Ref) -> None:
    """Every reported number of the engine equals the oracle's, as floats."""
    assert [str(u) for u in result.unit_ids] == [u.unit_id for u in ref.units]
    for i, unit in enumerate(ref.units):
        for node_id in result.node_ids:
            assert result.points[node_id][i] == float(unit.points[node_id]), (unit, node_id)
            assert result.node_max_points[node_id][i] == float(unit.max[node_id]), (
                unit,
                node_id,
            )
        assert result.total[i] == float(unit.total), unit
        assert result.max[i] == float(unit.app_max), unit
        assert result.index[i] == float(unit.index), unit
        assert result.tier[i] == unit.tier, unit
        assert result.rank[i] == unit.rank, unit


def _may_go_negative(node: ps.Node) -> bool:
    """Whether a leaf at or below *node* has a deduction floor below 0."""
    return any(
        isinstance(leaf.rule, ps.Deduction) and leaf.rule.floor < 0 for leaf in node.leaves()
    )


def _d(x: float) -> Decimal:
    return Decimal(repr(float(x)))


def _tier_pos(scheme: ps.Scheme, tier: object) -> int:
    return scheme.tiers.names.index(str(tier))


def _is_monotone(rule: ps.Bands) -> bool:
    """Whether the bands' points never decrease as the value grows (checked piece by piece)."""
    edges = sorted({v for b in rule.bands for v in (b.gt, b.ge, b.lt, b.le) if v is not None})
    probes = [edges[0] - 1, *edges, edges[-1] + 1]
    probes += [(a + b) / 2 for a, b in itertools.pairwise(edges)]
    pts = [rule.points(np.array([[p]]), 1e9)[0] for p in sorted(probes)]
    return all(a <= b for a, b in itertools.pairwise(pts))


def _present(cells: list[object]) -> bool:
    return all(
        not (c is None or (isinstance(c, float) and math.isnan(c)) or isinstance(c, str))
        for c in cells
    )


def _improved(  # noqa: PLR0911 (one return per rule kind)
    draw: st.DrawFn, node: ps.Node, cells: list[object]
) -> list[object] | None:
    """The leaf's cells moved in the rule's better direction, or None when none exists."""
    rule, mx = node.rule, node.max
    if isinstance(rule, ps.Choice):
        if cells[0] in rule.option_names:  # written as the option's name
            cells = [rule.option_names.index(str(cells[0]))]
        if not _present(cells):
            return None
        pos = int(cells[0])  # type: ignore[call-overload]
        now = rule.options[pos][1]
        better = [k for k, (_, p) in enumerate(rule.options) if p > now]
        return [draw(st.sampled_from(better))] if better else None
    if not _present(cells):
        return None
    values = [float(c) for c in cells]  # type: ignore[arg-type]
    if isinstance(rule, ps.YesNo):
        zeros = [k for k, v in enumerate(values) if v == 0]
        if not zeros:
            return None
        values[draw(st.sampled_from(zeros))] = 1
        return values  # type: ignore[return-value]
    if isinstance(rule, ps.Bands):
        if not _is_monotone(rule):
            return None
        if len(values) == 2:  # a rate of counts: more in the numerator, same denominator
            num, den = values
            if den == 0 or num >= den:
                return None
            return [draw(st.integers(int(num) + 1, int(den))), den]
        return [values[0] + draw(st.sampled_from([0.0001, 0.01, 1.0, 20.0]))]
    if isinstance(rule, ps.Ratio):
        if len(values) == 1:
            top = 150.0 if rule.over == "cap" else 100.0
            return [draw(st.integers(round(values[0] * 100), round(top * 100))) / 100]
        num, den = values
        top = den + 10 if rule.over == "cap" else den
        if den == 0 or num >= top:
            return None
        return [draw(st.integers(int(num) + 1, int(top))), den]
    if isinstance(rule, ps.Deduction):
        return [draw(st.integers(0, int(values[0])))]
    if isinstance(rule, ps.Points):
        top = 2 * mx if rule.clip else mx
        return [draw(st.integers(round(values[0] * 1e4), round(top * 1e4))) / 1e4]
    if isinstance(rule, ps.Survey):
        pct = [p for _, p in rule.options]
        moves = [
            (i, j)
            for i in range(len(pct))
            for j in range(len(pct))
            if values[i] > 0 and pct[j] > pct[i]
        ]
        if not moves:
            return None
        i, j = draw(st.sampled_from(moves))
        values[i] -= 1
        values[j] += 1
        return values  # type: ignore[return-value]
    return None


def _columns(node: ps.Node) -> list[str]:
    assert node.rule is not None
    if len(node.rule.inputs) == 1:
        return [node.id]
    return [f"{node.id}:{name}" for name in node.rule.inputs]


# A scheme with a penalty cap but no penalty column, and a unit whose deduction goes below 0:
# the total must still be clipped to 0 (the engine used to clip only when a column was given).
_NEGATIVE_TREE = ps.Scheme(
    id="negative-tree",
    name="Trừ điểm dưới 0",
    nodes=[
        ps.Node(id="1", name="Điểm chấm", max_points=1, rule=ps.Points()),
        ps.Node(
            id="2",
            name="Văn bản trễ hạn",
            max_points=1,
            rule=ps.Deduction(per=0.25, floor=-1),
        ),
    ],
    tiers=ps.TierScale(scale=[ps.Tier(name="Yếu", min=0)]),
    rounding=ps.Rounding(decimals=0),
    adjustments=ps.Adjustments(penalty=ps.Adjustment(max=2)),
)


# -- properties -------------------------------------------------------------------------------


# 2.25 × 1/3 is exactly 0.75, which rounds to 0.8 at one decimal (a 50-digit Decimal oracle
# computed 0.7499…9 and rounded it down: the oracle now computes exactly)
_THIRDS = ps.Scheme(
    id="thirds",
    name="Tỷ lệ một phần ba",
    nodes=[
        ps.Node(
            id="1",
            name="Hồ sơ đúng hạn",
            max_points=2.25,
            rule=ps.Ratio(inputs=["on_time", "received"]),
        )
    ],
    tiers=ps.TierScale(scale=[ps.Tier(name="Yếu", min=0)]),
    rounding=ps.Rounding(decimals=1),
)


@given(case=schemes_with_measurements())
@example(case=(_NEGATIVE_TREE, {"unit_id": ["xa-001"], "1": [0.0], "2": [5]}))
@example(case=(_THIRDS, {"unit_id": ["xa-001"], "1:on_time": [1], "1:received": [3]}))
def test_engine_matches_reference(case: tuple[ps.Scheme, Columns]) -> None:
    """The engine reports exactly the oracle's points, max, total, index, tier and rank."""
    scheme, data = case
    _assert_matches_reference(ps.score(scheme, data), reference.score(scheme, data))


@given(case=schemes_with_measurements())
def test_points_stay_within_zero_and_max(case: tuple[ps.Scheme, Columns]) -> None:
    """Every node's points lie in [0, applicable max] unless a negative floor lies below it."""
    scheme, data = case
    result = ps.score(scheme, data)
    for node in scheme.walk():
        # with leaf rounding too: every leaf max is written with the rounding's decimals
        # (validated), so rounded full points never exceed it
        pts, mx = result.points[node.id], result.node_max_points[node.id]
        assert (pts <= mx).all(), node.id
        if not _may_go_negative(node):
            assert (pts >= 0).all(), node.id


@given(case=schemes_with_measurements())
def test_parent_is_the_sum_of_its_children(case: tuple[ps.Scheme, Columns]) -> None:
    """A parent's rounded points equal its rounded children's sum, within rounding slack."""
    scheme, data = case
    result = ps.score(scheme, data)
    d = scheme.rounding.decimals
    half = Decimal(5) * Decimal(10) ** -(d + 1)
    points = {k: [_d(x) for x in result.points[k].tolist()] for k in result.node_ids}
    for node in scheme.walk():
        if node.is_leaf:
            continue
        for i in range(result.n_units):
            parent = points[node.id][i]
            children = sum((points[c.id][i] for c in node.children), Decimal(0))
            if scheme.rounding.where == "leaf":
                assert parent == children, (node.id, i)
            else:
                assert abs(parent - children) <= len(node.children) * half, (node.id, i)


@given(case=schemes_with_measurements(max_units=10), data=st.data())
def test_improving_an_input_never_lowers_anything(
    case: tuple[ps.Scheme, Columns], data: st.DataObject
) -> None:
    """Moving one input in its rule's better direction lowers no node, index or tier."""
    scheme, columns = case
    candidates = []
    for leaf in scheme.leaves():
        cols = _columns(leaf)
        for u in range(len(columns["unit_id"])):
            cells = [columns[c][u] for c in cols]
            if _improved(data.draw, leaf, cells) is not None:  # probe: cheap, draws discarded
                candidates.append((leaf, u))
    assume(candidates)
    leaf, u = data.draw(st.sampled_from(candidates))
    cols = _columns(leaf)
    new_cells = _improved(data.draw, leaf, [columns[c][u] for c in cols])
    assert new_cells is not None
    better = {k: list(v) for k, v in columns.items()}
    for col, cell in zip(cols, new_cells, strict=True):
        better[col][u] = cell
    before, after = ps.score(scheme, columns), ps.score(scheme, better)
    for node_id in before.node_ids:
        assert after.points[node_id][u] >= before.points[node_id][u], node_id
    assert after.total[u] >= before.total[u]
    assert after.index[u] >= before.index[u]
    assert _tier_pos(scheme, after.tier[u]) <= _tier_pos(scheme, before.tier[u])


@given(case=schemes_with_measurements(), data=st.data())
def test_permuting_units_permutes_the_result(
    case: tuple[ps.Scheme, Columns], data: st.DataObject
) -> None:
    """Scoring units in another order gives the same numbers per unit, in that order."""
    scheme, columns = case
    n = len(columns["unit_id"])
    order = data.draw(st.permutations(range(n)))
    shuffled = {k: [v[i] for i in order] for k, v in columns.items()}
    a, b = ps.score(scheme, columns), ps.score(scheme, shuffled)
    assert list(b.unit_ids) == [a.unit_ids[i] for i in order]
    np.testing.assert_array_equal(b.matrix("points"), a.matrix("points")[order])
    np.testing.assert_array_equal(b.matrix("max"), a.matrix("max")[order])
    for name in ("total", "max", "index", "tier", "rank"):
        np.testing.assert_array_equal(getattr(b, name), getattr(a, name)[order], err_msg=name)


@given(case=schemes_with_measurements(max_units=8))
def test_scoring_one_by_one_equals_scoring_the_batch(case: tuple[ps.Scheme, Columns]) -> None:
    """Each unit scored alone gets the points, total, max, index and tier it gets in a batch."""
    scheme, columns = case
    batch = ps.score(scheme, columns)
    for u in range(batch.n_units):
        alone = ps.score(scheme, {k: [v[u]] for k, v in columns.items()})
        np.testing.assert_array_equal(alone.matrix("points")[0], batch.matrix("points")[u])
        for name in ("total", "max", "index", "tier"):
            assert getattr(alone, name)[0] == getattr(batch, name)[u], name


@given(scheme=schemes(), data=st.data())
def test_not_applicable_criterion_keeps_a_full_index_at_100(
    scheme: ps.Scheme, data: st.DataObject
) -> None:
    """A unit with full points everywhere keeps index 100 when one criterion does not apply."""
    leaves = list(scheme.leaves())
    d = scheme.rounding.decimals
    # rounding each leaf to fewer decimals than its max has makes full points fall short of it
    assume(
        scheme.rounding.where == "report"
        or all(reference.rnd(_d(leaf.max), d) == _d(leaf.max) for leaf in leaves)
    )
    columns: Columns = {"unit_id": ["xa-001"]}
    for leaf in leaves:
        for col, cell in zip(_columns(leaf), full_inputs(leaf), strict=True):
            columns[col] = [cell]
    assert ps.score(scheme, columns).index[0] == 100.0
    # any node but one covering every leaf
    node = data.draw(
        st.sampled_from([n for n in scheme.walk() if len(list(n.leaves())) < len(leaves)] or [None])
    )
    assume(node is not None)
    assert node is not None
    if node.is_leaf and data.draw(st.booleans()):
        columns[_columns(node)[0]] = ["không áp dụng"]
        result = ps.score(scheme, columns)
    else:
        result = ps.score(scheme, columns, not_applicable={node.id: [True]})
    assert result.index[0] == 100.0
    assert result.node_max_points[node.id][0] == 0.0


@given(case=schemes_with_measurements())
def test_ranks_agree_with_the_ranked_value(case: tuple[ps.Scheme, Columns]) -> None:
    """A higher rounded value ranks strictly better; without tie-break equal values share."""
    scheme, columns = case
    result = ps.score(scheme, columns)
    value = (result.index if scheme.ranking.by == "index" else result.total).tolist()
    rank = result.rank.tolist()
    groups = [""] * result.n_units if result.groups is None else result.groups.tolist()
    shared = not scheme.ranking.tie_break and scheme.ranking.method != "ordinal"
    for a in range(result.n_units):
        for b in range(result.n_units):
            if groups[a] != groups[b]:
                continue
            if value[a] > value[b]:
                assert rank[a] < rank[b]
            if value[a] == value[b] and shared:
                assert rank[a] == rank[b]
    for g in set(groups):
        ranks = sorted(r for r, h in zip(rank, groups, strict=True) if h == g)
        assert ranks[0] == 1
        if scheme.ranking.method == "ordinal":
            assert ranks == list(range(1, len(ranks) + 1))
