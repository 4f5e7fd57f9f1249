"""The vectorised scorer: measurements in, a labelled :class:`~parscore.result.Result` out.

Steps, each over all units at once: check the inputs (infinite values, missing values under
the ``error`` policy, values a rule refuses); score each group of leaves of one rule kind in
one numpy call; apply the missing-value policy and the not-applicable mask; sum children into
parents one depth at a time; add capped adjustments; compute the index, round half up, classify
and rank. No Python loop runs over units.

.. versionadded:: 0.1
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs
import numpy as np

from parscore._adjust import capped_adjustments
from parscore._exact import settle_halves
from parscore._rounding import round_half_up
from parscore._tiering import assign_tiers
from parscore.compile import CompiledScheme, RuleGroup, compile_scheme
from parscore.errors import CellProblem, MeasurementsError
from parscore.measurements import (
    CheckedInputs,
    Measurements,
    as_measurements,
    blocks,
    check_inputs,
    group_values,
    problem_at,
    refused_values,
    unit_block,
)
from parscore.model import MissingPolicy, Ranking, Scheme
from parscore.ranking import rank, ranking_codes
from parscore.result import Result
from parscore.rules import (
    checked_points,
    foreign_call,
    guarded_check,
    is_builtin_rule,
    read_only_view,
    rule_error,
)
from parscore.typing import BoolArray, FloatArray, IntArray

__all__ = ["score"]


def score(
    scheme: Scheme | CompiledScheme,
    data: object,
    *,
    unit_id: str = "unit_id",
    unit_ids: Sequence[object] | None = None,
    group: str | None = None,
    not_applicable: object = None,
    missing: MissingPolicy | None = None,
    ranking: Ranking | None = None,
    source: str | None = None,
    unit_types: Sequence[object] | None = None,
) -> Result:
    """Score every unit of *data* against *scheme*.

    Args:
        scheme: The scheme, or its compilation (:func:`parscore.compile_scheme`).
        data: The units' inputs, one row per unit: a mapping of column name -> cells, a list
            of records (mappings, the usual JSON body), a pandas or polars DataFrame, a
            pyarrow Table or RecordBatch, a numpy matrix ``(n_units, n_columns)`` in
            ``compiled.matrix_columns`` order with *unit_ids* (read through a view, not
            copied), or :class:`~parscore.measurements.Measurements`. Input columns are named
            by leaf id (``"1.2"``), or ``"<id>:<input>"`` for rules with several inputs;
            ``bonus`` and ``penalty`` carry adjustments. Other columns that do not look like
            inputs (``STT``, names, districts) are carried through as labels
            (:attr:`Result.labels`); cells are read by column (see ``docs/data.md``).
        unit_id: The column of unit ids (every input but a numpy matrix).
        unit_ids: Unit ids, one per row (numpy input).
        group: The column of unit groups; ranks are computed within each group. By default
            a column named ``group`` is used when present.
        not_applicable: Criteria that do not apply, as a mapping node id -> booleans per unit
            (a parent applies to all its leaves), or a boolean matrix ``(n_units, n_leaves)``.
            A not-applicable criterion leaves both the points and the max.
        missing: Overrides the scheme's missing-value policy (``error``, ``zero``,
            ``not_applicable``) for every leaf.
        ranking: Overrides the scheme's ranking.
        source: Where the data came from (a file name), for messages.
        unit_types: Each unit's type (an id or name of ``scheme.unit_types``), one per row,
            when *data* has no type column (a numpy matrix, or a table without it).

    Returns:
        The result: points of every node, the total, the applicable max, the index, tier and
        rank of every unit.

    Raises:
        MeasurementsError: listing every bad column, id and cell.
        RuleError: when a plugin rule returns points of the wrong shape or range.

    .. versionadded:: 0.1
    .. versionchanged:: 0.2 *unit_types*; numbers within float error of a rounding half are
       decided exactly.
    """
    compiled = compile_scheme(scheme)
    data_m = as_measurements(
        compiled,
        data,
        unit_id=unit_id,
        unit_ids=unit_ids,
        group=group,
        not_applicable=not_applicable,
        source=source,
        unit_types=unit_types,
        defer=True,
    )
    if data_m.compiled is not compiled and data_m.compiled != compiled:
        msg = "the measurements were built for another scheme"
        raise MeasurementsError([CellProblem(message=msg)], source)
    return _score(compiled, data_m, missing=missing, ranking=ranking)


def _score(
    compiled: CompiledScheme,
    data: Measurements,
    *,
    missing: MissingPolicy | None,
    ranking: Ranking | None,
) -> Result:
    """The engine's steps, in order; each works on whole arrays (or blocks of units)."""
    checked = check_inputs(compiled, data, missing)  # the door's checks of the whole matrix
    node_points, na = _leaf_points(compiled, data, checked)
    _zero_unscored(compiled, node_points, checked.zero_mask, na)
    if na is not None and not na.any():
        na = None
    if compiled.scheme.rounding.where == "leaf":
        rows = compiled.leaf_pos
        node_points[rows] = round_half_up(node_points[rows], compiled.scheme.rounding.decimals)
    compiled.aggregate(node_points)
    app_max = _applicable_max(compiled, data, na)
    bonus, penalty, total, items = _adjusted_total(compiled, data, node_points)
    return _classified(
        compiled,
        data,
        node_points=node_points,
        na=na,
        app_max=app_max,
        total=total,
        adjusted=(bonus, penalty, items),
        rk=ranking or compiled.scheme.ranking,
    )


def _leaf_points(
    compiled: CompiledScheme, data: Measurements, checked: CheckedInputs
) -> tuple[FloatArray, BoolArray | None]:
    """Points of every leaf, block by block of units, into a fresh node matrix.

    Each block of inputs is read once: the door's :func:`refused_values` checks the very
    values the rules then score. Every problem (``checked.problems`` and the values refused)
    is raised at once, before any result exists.

    Returns the node matrix ``(n_nodes, n_units)`` (parent rows not yet summed) and the
    not-applicable mask ``(n_leaves, n_units)``, extended by rules that judged a criterion
    not applicable (a zero denominator under ``when_empty: not_applicable``).
    """
    n = data.n_units
    node_points = np.empty((compiled.n_nodes, n), dtype=np.float64)
    na = checked.na_mask
    problems = list(checked.problems)
    door = [_guarded(grp) for grp in compiled.groups]  # plugins' check() behind checks
    for units in blocks(n):
        block = unit_block(data.values, units)
        for grp, at_door in zip(compiled.groups, door, strict=True):
            gvals, ignore = group_values(grp, block, units, checked)
            problems.extend(refused_values(at_door, gvals, ignore, units, data))
            if problems:
                continue  # keep checking; nothing is scored any more
            pts = _points(grp, gvals, ignore)
            if grp.may_give_nan:
                judged = np.isnan(pts)
                if ignore is not None:
                    judged &= ~ignore
                if judged.any():
                    _check_may_be_not_applicable(grp, judged)
                    if na is None:
                        na = np.zeros((compiled.n_leaves, n), dtype=bool)
                    elif na is checked.na_mask:
                        na = na.copy()  # never write into the caller's measurements
                    na[grp.leaf_idx, units] |= judged
            node_points[compiled.leaf_pos[grp.leaf_idx], units] = pts
    if problems:
        raise MeasurementsError(problems, data.source)
    return node_points, na


def _check_may_be_not_applicable(grp: RuleGroup, judged: BoolArray) -> None:
    """A rule may return NaN (not applicable) only if it says it can."""
    allowed = np.array([bool(getattr(r, "can_be_not_applicable", False)) for r in grp.rules])
    bad = judged & ~allowed[:, None]
    if bad.any():
        k = int(np.flatnonzero(bad.any(axis=1))[0])
        msg = "returned NaN points but the rule cannot make a criterion not applicable"
        raise rule_error(grp.rules[k], msg, grp.node_ids[k])


def _zero_unscored(
    compiled: CompiledScheme,
    node_points: FloatArray,
    zero_mask: BoolArray | None,
    na: BoolArray | None,
) -> None:
    """Set to 0 the leaves scored zero by the missing policy and those not applicable."""
    for mask in (zero_mask, na):
        if mask is None:
            continue
        for leaf in np.flatnonzero(mask.any(axis=1)):  # only rows with such a unit
            np.putmask(node_points[compiled.leaf_pos[leaf]], mask[leaf], 0.0)


def _applicable_max(
    compiled: CompiledScheme, data: Measurements, na: BoolArray | None
) -> FloatArray:
    """Applicable max per unit; a unit to which nothing applies is an error."""
    app_max = compiled.applicable_max(na, data.n_units)
    empty = app_max <= 0.0
    if empty.any():
        msg = "no criterion applies to this unit (its applicable max is 0)"
        problems = [problem_at(data, int(u), "", msg, None) for u in np.flatnonzero(empty)]
        raise MeasurementsError([attrs.evolve(p, column=None) for p in problems], data.source)
    return app_max


def _adjusted_total(
    compiled: CompiledScheme, data: Measurements, node_points: FloatArray
) -> tuple[FloatArray | None, FloatArray | None, FloatArray, dict[str, FloatArray]]:
    """Capped bonus and penalty, the unrounded total (the tree's sum, adjusted), the items.

    Each named item gives ``per × count`` (or the points written), capped by its own max; the
    bonus (penalty) is the column's value plus the items of its sign, capped by the overall
    max. A scheme with adjustments keeps every total within ``[0, max]``, columns given or not.
    """
    adjustments = compiled.scheme.adjustments
    bonus, penalty, items = capped_adjustments(adjustments, data)
    total = node_points[: compiled.n_top].sum(axis=0)
    if adjustments.any:
        if bonus is not None:
            total += bonus
        if penalty is not None:
            total -= penalty
    return bonus, penalty, total, items


def _classified(
    compiled: CompiledScheme,
    data: Measurements,
    *,
    node_points: FloatArray,
    na: BoolArray | None,
    app_max: FloatArray,
    total: FloatArray,
    adjusted: tuple[FloatArray | None, FloatArray | None, dict[str, FloatArray]],
    rk: Ranking,
) -> Result:
    """Index, rounding, ranks and tiers (a scale per type, caps, quotas): the result."""
    scheme = compiled.scheme
    bonus, penalty, items = adjusted
    if scheme.adjustments.any:
        np.clip(total, 0.0, app_max, out=total)
    decimals = scheme.rounding.decimals
    index = total / app_max * 100.0
    # numbers within float error of a rounding half: decided exactly, from the inputs
    settle_halves(
        compiled, data, node_points=node_points, na=na, total=total, index=index, app_max=app_max
    )
    total_r = round_half_up(total, decimals, out=total)
    index_r = round_half_up(index, decimals, out=index)
    tie_break = [
        round_half_up(node_points[compiled.node_pos[node_id]], decimals) for node_id in rk.tie_break
    ]
    type_codes = _type_codes(compiled, data)
    group_codes = ranking_codes(data.groups, type_codes, data.n_units)
    ranks = rank(
        index_r if rk.by == "index" else total_r,
        group_codes=group_codes,
        method=rk.method,
        tie_break=tie_break,
        unit_ids=data.unit_ids,
        decimals=decimals,  # rounded values: ranked by counting, not by sorting
    )
    caps_held = _caps_held(compiled, data, node_points, na)
    tiers = assign_tiers(
        tiers=scheme.tiers,
        type_ids=compiled.type_ids,
        type_codes=type_codes,
        index=index_r,
        total=total_r,
        caps_held=caps_held,
        ranks=ranks,
        group_codes=group_codes,
    )
    return Result(
        compiled=compiled,
        measurements=data,
        node_points=node_points,
        na_mask=na,
        total=total_r,
        max=round_half_up(app_max, decimals),
        index=index_r,
        tier=tiers.tier,
        rank=ranks,
        bonus=None if bonus is None else round_half_up(bonus, decimals),
        penalty=None if penalty is None else round_half_up(penalty, decimals),
        ranking=rk,
        unit_types=data.unit_types,
        scale_tier=tiers.scale_tier,
        caps_held=caps_held,
        capped_by=tiers.capped_by,
        quota_moved=tiers.quota_moved,
        items={k: round_half_up(v, decimals) for k, v in items.items()},
    )


def _type_codes(compiled: CompiledScheme, data: Measurements) -> IntArray | None:
    """Each unit's position in ``compiled.type_ids``, or None without unit types."""
    if not compiled.type_ids or data.unit_types is None:
        return None
    lookup = {t: i for i, t in enumerate(compiled.type_ids)}
    return np.fromiter((lookup[t] for t in data.unit_types), dtype=np.int64, count=data.n_units)


def _caps_held(
    compiled: CompiledScheme, data: Measurements, node_points: FloatArray, na: BoolArray | None
) -> BoolArray | None:
    """Where each cap's condition holds, ``(n_caps, n_units)``, or None without caps.

    A column cap holds where its yes/no column says yes. A node cap holds where the node
    applies and its component index, rounded to the scheme's decimals, is below the bound.
    """
    caps = compiled.scheme.tiers.caps
    if not caps:
        return None
    n = data.n_units
    out = np.zeros((len(caps), n), dtype=bool)
    decimals = compiled.scheme.rounding.decimals
    for c, cap in enumerate(caps):
        if cap.node is None:
            column = data.caps.get(cap.id)
            if column is not None:
                out[c] = column > 0.5
            continue
        leaves = compiled.descendant_leaves[cap.node]
        node_max = np.full(n, float(compiled.leaf_max[leaves].sum()))
        if na is not None:
            node_max -= compiled.leaf_max[leaves] @ na[leaves].astype(np.float64)
        applies = node_max > 1e-9 * max(1.0, float(compiled.leaf_max[leaves].sum()))
        points = node_points[compiled.node_pos[cap.node]]
        with np.errstate(divide="ignore", invalid="ignore"):
            idx = round_half_up(np.where(applies, points / node_max * 100.0, np.inf), decimals)
        assert cap.index_below is not None  # a node cap has its bound (model validation)
        out[c] = applies & (idx < cap.index_below)
    return out


def _points(grp: RuleGroup, gvals: FloatArray, ignore: BoolArray | None) -> FloatArray:
    """Score the group's leaves: one call for built-ins, checked calls for plugins.

    Built-in batched rules are trusted. Any other rule (a plugin, batched or not) is given a
    read-only view of its inputs and its points are checked (shape, finite, within
    ``bounds``, NaN only if it may judge a criterion not applicable): a failure is a
    RuleError naming the plugin, the kind and the node.
    """
    k, _, n = gvals.shape
    if grp.batched and is_builtin_rule(grp.rule_class):
        batch = grp.rule_class.batch_points  # type: ignore[attr-defined]
        return np.asarray(batch(grp.rules, gvals, grp.max_points), dtype=np.float64)
    values = read_only_view(gvals)
    if grp.batched:
        batch = grp.rule_class.batch_points  # type: ignore[attr-defined]
        where = grp.node_ids[0] if k == 1 else None
        maxes = read_only_view(grp.max_points)
        raw = foreign_call(grp.rules[0], "while scoring", where, batch, grp.rules, values, maxes)
        return checked_points(grp.rules, grp.node_ids, raw, grp.max_points, n=n, ignore=ignore)
    out = np.empty((k, n), dtype=np.float64)
    for i, rule in enumerate(grp.rules):
        mx, node = float(grp.max_points[i]), grp.node_ids[i]
        raw = foreign_call(rule, "while scoring", node, rule.points, values[i], mx)
        one = None if ignore is None else ignore[i : i + 1]
        out[i] = checked_points(
            (rule,), (node,), [raw], grp.max_points[i : i + 1], n=n, ignore=one
        )[0]
    return out


def _guarded(grp: RuleGroup) -> RuleGroup:
    """The group as the door's checks see it: a plugin's ``check`` guarded, leaf by leaf."""
    if is_builtin_rule(grp.rule_class):
        return grp
    rules = tuple(_GuardedRule(r, i) for r, i in zip(grp.rules, grp.node_ids, strict=True))
    return attrs.evolve(grp, rules=rules, batched=False)  # type: ignore[arg-type]


@attrs.frozen
class _GuardedRule:
    """A plugin rule whose ``check`` answers are checked (see :func:`guarded_check`)."""

    rule: object
    node_id: str

    @property
    def kind(self) -> str:
        return str(getattr(self.rule, "kind", type(self.rule).__name__))

    def check(self, values: FloatArray, max_points: float) -> list[tuple[BoolArray, str]]:
        return guarded_check(self.rule, read_only_view(values), max_points, self.node_id)
