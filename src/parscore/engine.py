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

import numpy as np

from parscore._rounding import round_half_up
from parscore.compile import POLICY_CODE, CompiledScheme, RuleGroup, compile_scheme
from parscore.errors import CellProblem, MeasurementsError, RuleError
from parscore.measurements import Measurements, as_measurements
from parscore.model import MissingPolicy, Ranking, Scheme
from parscore.plugins import plugin_of
from parscore.ranking import classify, rank
from parscore.result import Result
from parscore.typing import BoolArray, FloatArray

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
) -> Result:
    """Score every unit of *data* against *scheme*.

    Args:
        scheme: The scheme, or its compilation (:func:`parscore.compile_scheme`).
        data: A mapping of column name -> cells (with a column of unit ids), a pandas
            DataFrame, a numpy matrix ``(n_units, n_columns)`` in
            ``compiled.matrix_columns`` order with *unit_ids*, or
            :class:`~parscore.measurements.Measurements`. Input columns are named by leaf id
            (``"1.2"``), or ``"<id>:<input>"`` for rules with several inputs; ``bonus`` and
            ``penalty`` carry adjustments.
        unit_id: The column of unit ids (mapping and DataFrame input).
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

    Returns:
        The result: points of every node, the total, the applicable max, the index, tier and
        rank of every unit.

    Raises:
        MeasurementsError: listing every bad column, id and cell.
        RuleError: when a plugin rule returns points of the wrong shape or range.

    .. versionadded:: 0.1
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
    scheme = compiled.scheme
    values = data.values  # (n_columns, n) in storage order
    n = data.n_units
    problems: list[CellProblem] = list(data.pending)
    na = data.na_mask  # (n_leaves, n) or None

    # -- infinite and missing values ----------------------------------------------------------
    # a row sums to a finite number iff it holds no NaN or infinity (short of overflow, which
    # the exact check below then sorts out): one summing pass instead of a boolean matrix
    all_finite = bool(np.isfinite(values.sum(axis=1)).all()) or bool(np.isfinite(values).all())
    missing_leaf: BoolArray | None = None
    if not all_finite:
        for r, u in zip(*np.nonzero(np.isinf(values)), strict=True):
            column = compiled.columns[compiled.storage_columns[r]]
            problems.append(_cell(data, int(u), column, "value is infinite", values[r, u]))
        # unreadable cells (reported already) count as missing here, so that the rule does not
        # judge the rest of their leaf's inputs against a placeholder; the 'error' policy below
        # skips them, so they are not reported twice
        nan_cells = np.isnan(values)
        missing_leaf = np.zeros((compiled.n_leaves, n), dtype=bool)
        for grp in compiled.groups:
            k = len(grp.rules)
            block = nan_cells[grp.row_start : grp.row_stop].reshape(k, -1, n)
            missing_leaf[grp.leaf_idx] = block.any(axis=1)
        if na is not None:
            missing_leaf &= ~na
        if not missing_leaf.any():
            missing_leaf = None
    policy = (
        compiled.leaf_policy
        if missing is None
        else np.full(compiled.n_leaves, POLICY_CODE[missing], dtype=np.int64)
    )
    zero_mask: BoolArray | None = None
    if missing_leaf is not None:
        err = missing_leaf & (policy == 0)[:, None]
        for leaf, u in zip(*np.nonzero(err), strict=True):
            for col in compiled.leaf_columns(int(leaf)):
                r = compiled.row_of[col]
                if np.isnan(values[r, u]) and (
                    data.unread_mask is None or not data.unread_mask[r, u]
                ):
                    problems.append(
                        _cell(
                            data,
                            int(u),
                            col,
                            "value is missing (the missing-value policy is 'error'; write "
                            "'n/a' if the criterion does not apply)",
                            None,
                        )
                    )
        to_na = missing_leaf & (policy == 2)[:, None]
        if to_na.any():
            na = to_na if na is None else (na | to_na)
        zero = missing_leaf & (policy == 1)[:, None]
        if zero.any():
            zero_mask = zero

    # -- rules -------------------------------------------------------------------------------
    # kernels write straight into the leaf rows of the node matrix
    node_points = np.empty((compiled.n_nodes, n), dtype=np.float64)
    rule_na: list[tuple[RuleGroup, BoolArray]] = []
    for grp in compiled.groups:
        k = len(grp.rules)
        gvals = values[grp.row_start : grp.row_stop].reshape(k, -1, n)  # a view: (k, m, n)
        ignore = _ignored(grp, missing_leaf, na)  # cells not scored by the rule: (k, n) or None
        if ignore is not None:
            gvals = np.where(ignore[:, None, :], 0.0, gvals)
        if not all_finite:
            gvals = np.where(np.isfinite(gvals), gvals, 0.0)
        problems.extend(_invalid(grp, gvals, ignore, data))
        if problems:
            continue
        pts = _points(grp, gvals)
        if grp.may_give_nan:
            nan_out = np.isnan(pts)
            if nan_out.any():
                if ignore is not None:
                    nan_out &= ~ignore
                if nan_out.any():
                    rule_na.append((grp, nan_out))
        node_points[compiled.leaf_pos[grp.leaf_idx]] = pts
    if problems:
        raise MeasurementsError(problems, data.source)
    for grp, mask in rule_na:
        allowed = np.array([bool(getattr(r, "can_be_not_applicable", False)) for r in grp.rules])
        bad = mask & ~allowed[:, None]
        if bad.any():
            k = int(np.flatnonzero(bad.any(axis=1))[0])
            msg = "returned NaN points but the rule cannot make a criterion not applicable"
            raise RuleError(_with_plugin(msg, grp), grp.rules[k].kind, grp.node_ids[k])
        if na is None:
            na = np.zeros((compiled.n_leaves, n), dtype=bool)
        elif na is data.na_mask:
            na = na.copy()  # never write into the caller's measurements
        na[grp.leaf_idx] |= mask

    # -- policies, not applicable, rounding of leaves ------------------------------------------
    # only leaves with a zero or not-applicable unit are touched, row by row
    for maybe in (zero_mask, na):
        if maybe is None:
            continue
        zeroed: BoolArray = maybe
        for leaf in np.flatnonzero(zeroed.any(axis=1)):
            np.putmask(node_points[compiled.leaf_pos[leaf]], zeroed[leaf], 0.0)
    if na is not None and not na.any():
        na = None
    if scheme.rounding.where == "leaf":
        rows = compiled.leaf_pos
        node_points[rows] = round_half_up(node_points[rows], scheme.rounding.decimals)

    # -- aggregation --------------------------------------------------------------------------
    compiled.aggregate(node_points)
    tree_total = node_points[: compiled.n_top].sum(axis=0)
    app_max = compiled.applicable_max(na, n)

    # -- adjustments ----------------------------------------------------------------------------
    bonus = _capped(data.bonus, scheme.adjustments.bonus)
    penalty = _capped(data.penalty, scheme.adjustments.penalty)
    total = tree_total
    # a scheme with adjustments keeps every total within [0, max], columns given or not
    if scheme.adjustments.bonus is not None or scheme.adjustments.penalty is not None:
        total = (
            tree_total + (0.0 if bonus is None else bonus) - (0.0 if penalty is None else penalty)
        )
        total = np.clip(total, 0.0, app_max)

    # -- index, rounding, tiers, ranks --------------------------------------------------------
    empty = app_max <= 0.0
    if empty.any():
        raise MeasurementsError(
            [
                CellProblem(
                    message="no criterion applies to this unit (its applicable max is 0)",
                    unit_id=str(data.unit_ids[u]),
                    row=data.row_of(int(u)),
                )
                for u in np.flatnonzero(empty)
            ],
            data.source,
        )
    decimals = scheme.rounding.decimals
    index = total / app_max * 100.0
    total_r = round_half_up(total, decimals)
    index_r = round_half_up(index, decimals)
    tiers = classify(index_r if scheme.tiers.basis == "index" else total_r, scheme.tiers)
    rk = ranking or scheme.ranking
    tie_break = [
        round_half_up(node_points[compiled.node_pos[node_id]], decimals) for node_id in rk.tie_break
    ]
    ranks = rank(
        index_r if rk.by == "index" else total_r,
        groups=data.groups,
        method=rk.method,
        tie_break=tie_break,
        unit_ids=data.unit_ids,
    )
    return Result(
        compiled=compiled,
        measurements=data,
        node_points=node_points,
        na_mask=na,
        total=total_r,
        max=round_half_up(app_max, decimals),
        index=index_r,
        tier=tiers,
        rank=ranks,
        bonus=None if bonus is None else round_half_up(bonus, decimals),
        penalty=None if penalty is None else round_half_up(penalty, decimals),
        ranking=rk,
    )


def _ignored(
    grp: RuleGroup, missing_leaf: BoolArray | None, na: BoolArray | None
) -> BoolArray | None:
    """Cells of the group's leaves that the rule does not score: missing or not applicable."""
    out = None
    if missing_leaf is not None:
        out = missing_leaf[grp.leaf_idx]
    if na is not None:
        sub = na[grp.leaf_idx]
        out = sub if out is None else (out | sub)
    return out


def _invalid(
    grp: RuleGroup, gvals: FloatArray, ignore: BoolArray | None, data: Measurements
) -> list[CellProblem]:
    """Every invalid input of the group's leaves, as cell problems."""
    if grp.batched:
        bad = grp.rule_class.batch_invalid(grp.rules, gvals, grp.max_points)  # type: ignore[attr-defined]
        if ignore is not None:
            bad = bad & ~ignore
        if not bad.any():
            return []
        leaves = np.flatnonzero(bad.any(axis=1))
    else:
        leaves = np.arange(len(grp.rules))
    out: list[CellProblem] = []
    columns = data.compiled.columns
    for k in leaves:
        rule = grp.rules[k]
        for found, message in rule.check(gvals[k], float(grp.max_points[k])):
            mask = np.asarray(found, dtype=bool)
            if ignore is not None:
                mask = mask & ~ignore[k]
            for u in np.flatnonzero(mask):
                cols = [columns[c] for c in grp.column_idx[k]]
                # plain Python numbers, so messages say 520, not np.float64(520.0)
                raw = [_plain(data.values[data.compiled.row_of[c], u]) for c in cols]
                col = cols[0] if len(cols) == 1 else ", ".join(cols)
                value: object = raw[0] if len(raw) == 1 else dict(zip(cols, raw, strict=True))
                out.append(_cell(data, int(u), col, message, value))
    return out


def _plain(x: object) -> float | int:
    value = float(x)  # type: ignore[arg-type] # a cell of the float64 matrix
    return int(value) if value.is_integer() else value


def _points(grp: RuleGroup, gvals: FloatArray) -> FloatArray:
    """Score the group's leaves: one call for built-ins, one call per leaf for plugins."""
    k, _, n = gvals.shape
    if grp.batched:
        batch = grp.rule_class.batch_points  # type: ignore[attr-defined]
        return np.asarray(batch(grp.rules, gvals, grp.max_points), dtype=np.float64)
    out = np.empty((k, n), dtype=np.float64)
    for i, rule in enumerate(grp.rules):
        mx = float(grp.max_points[i])
        try:
            pts = np.asarray(rule.points(gvals[i], mx), dtype=np.float64)
        except Exception as exc:
            msg = f"failed while scoring: {type(exc).__name__}: {exc}"
            raise RuleError(_with_plugin(msg, grp), rule.kind, grp.node_ids[i]) from exc
        if pts.shape != (n,):
            msg = f"returned points of shape {pts.shape}, expected ({n},)"
            raise RuleError(_with_plugin(msg, grp), rule.kind, grp.node_ids[i])
        lo, hi = rule.bounds(mx)
        real = pts[~np.isnan(pts)]
        if real.size and (real.min() < lo - 1e-9 or real.max() > hi + 1e-9 or np.isinf(real).any()):
            msg = (
                f"returned points from {real.min():g} to {real.max():g}, outside its bounds "
                f"{lo:g} to {hi:g}"
            )
            raise RuleError(_with_plugin(msg, grp), rule.kind, grp.node_ids[i])
        out[i] = pts
    return out


def _with_plugin(message: str, grp: RuleGroup) -> str:
    plugin = plugin_of(grp.rule_class.kind)  # type: ignore[attr-defined]
    return f"{message} (rule from plugin {plugin})" if plugin else message


def _capped(values: FloatArray | None, adjustment: object) -> FloatArray | None:
    if values is None or adjustment is None:
        return None
    cap = float(adjustment.max)  # type: ignore[attr-defined]
    return np.minimum(values, cap)


def _cell(data: Measurements, unit: int, column: str, message: str, value: object) -> CellProblem:
    if isinstance(value, float | np.floating):
        value = float(value)
    unit_id = str(data.unit_ids[unit])
    row = data.row_of(unit)
    if row is None and not unit_id:  # a blank id names nobody: say the position
        row = unit + 1
    return CellProblem(
        message=message, unit_id=unit_id or None, column=column, value=value, row=row
    )
