"""The last checks at the door: every input value against the missing policy and the rules.

Two steps, both here so that the engine validates nothing itself:

- :func:`check_inputs`, once per scoring call, over the whole matrix: the problems found while
  the data were read (``Measurements.pending``), infinite values, missing values under the
  ``error`` policy; and which cells the rules must not score (missing, not applicable).
- :func:`refused_values`, per rule group and block of units, on the very values the engine is
  about to score: every value a rule refuses (a negative count, points above the maximum).

The engine raises every problem of both steps at once, in one
:class:`~parscore.errors.MeasurementsError`, before it returns anything.

.. versionadded:: 0.2
"""

from __future__ import annotations

from collections.abc import Iterator

import attrs
import numpy as np

from parscore.compile import POLICY_CODE, CompiledScheme, Policy, RuleGroup
from parscore.errors import CellProblem
from parscore.measurements._extras import type_codes
from parscore.measurements._model import Measurements
from parscore.model import MissingPolicy
from parscore.typing import BoolArray, FloatArray, IntArray

__all__ = [
    "BLOCK",
    "CheckedInputs",
    "blocks",
    "check_inputs",
    "group_values",
    "problem_at",
    "refused_values",
    "unit_block",
]

BLOCK = 8192
"""Units handled together: large enough for numpy, small enough to stay in cache."""

_MISSING = (
    "value is missing (the missing-value policy is 'error'; write 'n/a' if the criterion does "
    "not apply)"
)


@attrs.frozen(kw_only=True, eq=False)
class CheckedInputs:
    """Which cells the rules score, once the inputs passed every check.

    Attributes:
        missing_mask: Applicable leaves with a missing input, ``(n_leaves, n_units)``, or None.
        na_mask: Leaves that do not apply (given, written "n/a", not applying to the unit's
            type, or missing under the ``not_applicable`` policy), ``(n_leaves, n_units)``,
            or None.
        zero_mask: Leaves scored zero because an input is missing (``zero`` policy), or None.
        finite: Whether every input value is finite (no missing value at all).
        problems: What is wrong so far: unreadable cells, infinite values, missing values
            under the ``error`` policy (values the rules refuse come from
            :func:`refused_values`).
    """

    missing_mask: BoolArray | None
    na_mask: BoolArray | None
    zero_mask: BoolArray | None
    finite: bool
    problems: tuple[CellProblem, ...] = ()

    def ignored(self, grp: RuleGroup, units: slice) -> BoolArray | None:
        """Cells of the group's leaves the rule does not score, ``(k, units)``, or None."""
        out = None
        if self.missing_mask is not None:
            out = self.missing_mask[grp.leaf_idx, units]
        if self.na_mask is not None:
            sub = self.na_mask[grp.leaf_idx, units]
            out = sub if out is None else (out | sub)
        return out


def blocks(n: int, size: int | None = None) -> Iterator[slice]:
    """Slices of at most *size* (by default :data:`BLOCK`) units covering ``range(n)``."""
    size = size or BLOCK
    for start in range(0, n, size):
        yield slice(start, min(start + size, n))


def unit_block(values: FloatArray, units: slice) -> FloatArray:
    """The inputs of *units*, ``(n_columns, u)``, C-contiguous (a view when they already are).

    A matrix given by the caller is held transposed (a view, not a copy): its blocks are
    copied here, a few MB at a time, so the rules read contiguous rows.
    """
    block = values[:, units]
    if values.flags.c_contiguous:
        return block
    out = np.empty(block.shape, dtype=np.float64)
    step = 512  # sub-blocks keep both sides in cache: about 2× faster than one strided copy
    for start in range(0, block.shape[1], step):
        out[:, start : start + step] = block[:, start : start + step]
    return out


def group_values(
    grp: RuleGroup, block: FloatArray, units: slice, checked: CheckedInputs
) -> tuple[FloatArray, BoolArray | None]:
    """The group's inputs in a block of units, ``(k, m, u)``, with unscored cells set to 0.

    Args:
        grp: The rule group.
        block: The inputs of the block, ``(n_columns, u)`` (see :func:`unit_block`).
        units: Which units the block holds, for the masks.
        checked: What :func:`check_inputs` found.

    Returns the values (a view when nothing is set, else a copy) and the mask of ignored
    cells ``(k, u)`` or None. The caller's array is never written.
    """
    k = len(grp.rules)
    gvals = block[grp.row_start : grp.row_stop].reshape(k, -1, block.shape[-1])
    ignore = checked.ignored(grp, units)
    if ignore is not None:
        gvals = np.where(ignore[:, None, :], 0.0, gvals)
    if not checked.finite:
        gvals = np.where(np.isfinite(gvals), gvals, 0.0)
    return gvals, ignore


def problem_at(
    data: Measurements, unit: int, column: str, message: str, value: object
) -> CellProblem:
    """A problem of one cell, naming the unit by its id (or its row when the id is blank)."""
    if isinstance(value, float | np.floating):
        value = float(value)
    unit_id = str(data.unit_ids[unit])
    row = data.row_of(unit)
    if row is None and not unit_id:  # a blank id names nobody: say the position
        row = unit + 1
    return CellProblem(
        message=message, unit_id=unit_id or None, column=column, value=value, row=row
    )


def check_inputs(
    compiled: CompiledScheme, data: Measurements, missing: MissingPolicy | None = None
) -> CheckedInputs:
    """Check the whole input matrix of *data* and say which cells the rules must not score.

    Args:
        compiled: The compiled scheme.
        data: The measurements (``data.pending`` holds the problems found while reading).
        missing: Overrides the scheme's missing-value policy for every leaf.

    The leaves that do not apply to a unit's type (``scheme.unit_types``, ``applies_to``)
    join the not-applicable mask: their cells are neither missing nor checked nor scored
    (their unreadable cells were not reported either, see ``Builder.inputs``). The
    measurements' own ``na_mask`` (cells written "n/a") is left as it is.

    Returns:
        The masks of cells not scored, and the problems found (not raised: the caller adds
        those of :func:`refused_values` and raises them all at once).
    """
    values = data.values
    problems: list[CellProblem] = list(data.pending)
    na = data.na_mask
    if compiled.type_ids and data.unit_types is None:
        msg = (
            f"the scheme declares unit types ({', '.join(compiled.type_ids)}) and the "
            "measurements have none (Measurements.unit_types)"
        )
        problems.append(CellProblem(message=msg))
    types = data.unit_types
    codes = type_codes(compiled, types)
    declared = compiled.scheme.unit_types
    if codes is not None and types is not None and declared is not None and not data.pending:
        for u in np.flatnonzero(codes < 0).tolist():  # built by hand: the door says its own
            msg = f"the unit's type names no declared type ({', '.join(compiled.type_ids)})"
            problems.append(problem_at(data, u, declared.column, msg, types[u] or None))
    by_type = compiled.type_na(codes)
    if by_type is not None:
        na = by_type if na is None else (na | by_type)
    # a row sums to a finite number iff it holds no NaN or infinity (short of overflow, which
    # the exact check then sorts out): one summing pass instead of a boolean matrix
    finite = bool(np.isfinite(values.sum(axis=1)).all()) or bool(np.isfinite(values).all())
    missing_leaf: BoolArray | None = None
    zero_mask: BoolArray | None = None
    if not finite:
        for r, u in zip(*np.nonzero(np.isinf(values)), strict=True):
            j = compiled.storage_columns[r]
            if by_type is not None and by_type[compiled.column_leaf[j], u]:
                continue  # the criterion does not exist for the unit's type
            column = compiled.columns[j]
            problems.append(problem_at(data, int(u), column, "value is infinite", values[r, u]))
        missing_leaf = _missing_leaves(compiled, values, na)
    if missing_leaf is not None:
        policy = (
            compiled.leaf_policy
            if missing is None
            else np.full(compiled.n_leaves, POLICY_CODE[missing], dtype=np.int64)
        )
        problems.extend(_missing_problems(compiled, data, missing_leaf & _is(policy, Policy.ERROR)))
        to_na = missing_leaf & _is(policy, Policy.NOT_APPLICABLE)
        if to_na.any():
            na = to_na if na is None else (na | to_na)
        zero = missing_leaf & _is(policy, Policy.ZERO)
        zero_mask = zero if zero.any() else None
    return CheckedInputs(
        missing_mask=missing_leaf,
        na_mask=na,
        zero_mask=zero_mask,
        finite=finite,
        problems=tuple(problems),
    )


def _is(policy: IntArray, code: Policy) -> BoolArray:
    out: BoolArray = (policy == code)[:, None]
    return out


def _missing_leaves(
    compiled: CompiledScheme, values: FloatArray, na: BoolArray | None
) -> BoolArray | None:
    """Applicable leaves with a missing input, ``(n_leaves, n)``, or None.

    Unreadable cells (reported already) count as missing here, so that the rule does not judge
    the rest of their leaf's inputs against a placeholder.
    """
    n = values.shape[1]
    nan_cells = np.isnan(values)
    out = np.zeros((compiled.n_leaves, n), dtype=bool)
    for grp in compiled.groups:
        k = len(grp.rules)
        out[grp.leaf_idx] = nan_cells[grp.row_start : grp.row_stop].reshape(k, -1, n).any(axis=1)
    if na is not None:
        out &= ~na
    return out if out.any() else None


def _missing_problems(
    compiled: CompiledScheme, data: Measurements, err: BoolArray
) -> list[CellProblem]:
    """A problem per missing cell of a leaf under the ``error`` policy (unreadable ones aside)."""
    out = []
    values = data.values
    for leaf, u in zip(*np.nonzero(err), strict=True):
        for col in compiled.leaf_columns(int(leaf)):
            r = compiled.row_of[col]
            unread = data.unread_mask is not None and data.unread_mask[r, u]
            if np.isnan(values[r, u]) and not unread:
                out.append(problem_at(data, int(u), col, _MISSING, None))
    return out


def refused_values(
    grp: RuleGroup,
    gvals: FloatArray,
    ignore: BoolArray | None,
    units: slice,
    data: Measurements,
) -> list[CellProblem]:
    """Every value of the group's leaves, in a block of units, that the rule refuses.

    Args:
        grp: The rule group.
        gvals: Its inputs for the block, ``(k, m, u)``, from :func:`group_values`.
        ignore: Cells not scored, ``(k, u)``, or None.
        units: The block's units.
        data: The measurements, for the raw values and ids in messages.
    """
    values = data.values
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
    compiled = data.compiled
    start = units.start or 0
    for k in leaves:
        rule = grp.rules[k]
        for found, message in rule.check(gvals[k], float(grp.max_points[k])):
            mask = np.asarray(found, dtype=bool)
            if ignore is not None:
                mask = mask & ~ignore[k]
            cols = [compiled.columns[c] for c in grp.column_idx[k]]
            col = cols[0] if len(cols) == 1 else ", ".join(cols)
            for u in (np.flatnonzero(mask) + start).tolist():
                # plain Python numbers, so messages say 520, not np.float64(520.0)
                raw = [_plain(values[compiled.row_of[c], u]) for c in cols]
                value: object = raw[0] if len(raw) == 1 else dict(zip(cols, raw, strict=True))
                out.append(problem_at(data, u, col, message, value))
    return out


def _plain(x: object) -> float | int:
    value = float(x)  # type: ignore[arg-type] # a cell of the float64 matrix
    return int(value) if value.is_integer() else value
