"""Deterministic example data: a synthetic commune-level scheme and plausible measurements.

Nothing here is a published criteria set or real results. :func:`synthetic_scheme` builds a
scheme shaped like a province's commune-level "Bộ chỉ số CCHC" (the eight national fields,
criteria, sub-criteria, every built-in rule kind, 100 points, the usual tiers);
:func:`example_data` and :func:`example_matrix` generate valid inputs for any scheme whose
rules declare ``example_values`` (every built-in rule does) or at least their ``cells``, driven
by a latent quality per unit so that rankings and tiers are meaningful. Both are deterministic
for a seed (a :class:`numpy.random.Generator`), so demos, docs, tests and benchmarks can share
them. :func:`example_province_data` is the example data of the built-in scheme
``example-province-2026`` (20 sở and 9 huyện, made to show unit types, tier caps, the quota
and named bonus and penalty items); :func:`builtin_example_data` finds a built-in scheme's
own data. :func:`example_panel` gives the same units over several years, with realistic
year-on-year moves (for comparisons). NumPy keeps its random streams stable within a version
but does not promise it across versions, so pin NumPy where exact numbers matter.

.. versionadded:: 0.1
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from parscore.compile import CompiledScheme, compile_scheme
from parscore.datasets._fill import place_inputs
from parscore.datasets._panel import example_panel
from parscore.datasets._province import PROVINCE_SCHEME, example_province_data
from parscore.datasets._scheme import FIELD_NAMES, synthetic_scheme
from parscore.datasets._typed import typed_columns
from parscore.errors import Problem, SchemeError
from parscore.model import Scheme
from parscore.rules import example_values
from parscore.typing import BoolArray, FloatArray

__all__ = [
    "FIELD_NAMES",
    "builtin_example_data",
    "example_data",
    "example_matrix",
    "example_panel",
    "example_province_data",
    "synthetic_scheme",
]

ObjectArray = npt.NDArray[np.object_]


def _sigmoid(x: FloatArray) -> FloatArray:
    out: FloatArray = 1.0 / (1.0 + np.exp(-x))
    return out


def _check_rate(name: str, value: float) -> None:
    if not 0.0 <= value < 1.0:
        msg = f"{name} must be from 0 up to (not including) 1, found {value!r}"
        raise ValueError(msg)


def _generate(
    compiled: CompiledScheme,
    n_units: int,
    seed: int,
    missing_rate: float,
    not_applicable_rate: float,
) -> tuple[ObjectArray, FloatArray, BoolArray | None, dict[str, FloatArray | ObjectArray]]:
    """Ids, values ``(n_columns, n_units)``, N/A mask ``(n_leaves, n_units)``, extra columns.

    The extra columns: ``bonus`` and ``penalty``, the unit type column, ``cap:<id>`` and
    ``adj:<id>``, each when the scheme has it.
    """
    if isinstance(n_units, bool) or not isinstance(n_units, int | np.integer) or n_units < 1:
        msg = f"n_units must be a whole number ≥ 1, found {n_units!r}"
        raise ValueError(msg)
    _check_rate("missing_rate", missing_rate)
    _check_rate("not_applicable_rate", not_applicable_rate)
    n = int(n_units)
    scheme = compiled.scheme
    rng = np.random.default_rng(seed)
    # The latent quality drives every input of a unit; with per-criterion difficulty and noise
    # it gives indices mostly from 60 to 95 (about half Tốt, a third Khá, a few Yếu).
    quality = rng.standard_normal(n)
    size = np.exp(rng.normal(np.log(300.0), 0.8, size=n))  # dossiers a commune receives
    values = np.empty((len(compiled.columns), n), dtype=np.float64)
    unsupported: list[Problem] = []
    for leaf, node_id in enumerate(compiled.leaf_ids):
        node = scheme.node(node_id)
        assert node.rule is not None  # leaves have rules (scheme validation)
        difficulty = rng.normal(0.0, 0.6)
        perf = _sigmoid(1.8 + 0.7 * quality - difficulty + rng.standard_normal(n))
        inputs = example_values(node.rule, rng, perf, node.max, size)
        place_inputs(values, compiled, leaf, node.rule, inputs, unsupported)
    if unsupported:
        raise SchemeError(unsupported)

    blank = None
    if missing_rate > 0.0 or not_applicable_rate > 0.0:
        draw = rng.random((compiled.n_leaves, n))
        missing = draw < missing_rate
        na = (draw >= missing_rate) & (draw < missing_rate + not_applicable_rate)
        # every unit keeps at least one criterion that applies and is filled in
        empty = (missing | na).all(axis=0)
        missing[0, empty] = False
        na[0, empty] = False
        nan_cells = missing[compiled.column_leaf]
        values[nan_cells] = np.nan
        blank = na if na.any() else None

    adjustments: dict[str, FloatArray | ObjectArray] = {}
    for name, rate in (("bonus", 0.2), ("penalty", 0.1)):
        adjustment = getattr(scheme.adjustments, name)
        if adjustment is not None:
            amount = np.round(rng.uniform(0.0, adjustment.max, size=n), 2)
            adjustments[name] = np.where(rng.random(n) < rate, amount, 0.0)

    # Drawn last, and only for schemes that use them, so v1 schemes keep their numbers.
    adjustments.update(typed_columns(compiled, rng, values))
    width = max(4, len(str(n)))
    ids = np.array([f"xa-{i + 1:0{width}d}" for i in range(n)], dtype=object)
    return ids, values, blank, adjustments


def example_data(
    scheme: Scheme | CompiledScheme,
    n_units: int,
    *,
    seed: int = 0,
    missing_rate: float = 0.0,
    not_applicable_rate: float = 0.0,
) -> dict[str, FloatArray | ObjectArray]:
    """Generate plausible, valid measurements for every input column of *scheme*.

    Each unit has a latent quality (standard normal) that drives all its inputs, with noise
    per criterion, so better units earn more points almost everywhere, ranks are meaningful
    and tiers are spread. Inputs follow each rule: 0/1 checks for ``yes_no``, option positions
    for ``choice``, rates with one decimal for ``bands`` (edge values such as 90.0 do occur),
    counts of dossiers (``on_time`` ≤ ``received``, sometimes 0 received) or percentages for
    ``ratio``, counts for ``deduction``, points in steps of 0.05 for ``points``, answer counts
    (30–120 respondents) for ``survey``; capped ``bonus`` and ``penalty`` columns when the
    scheme has adjustments. With unit types, each unit's type is drawn uniformly and the
    cells of criteria that do not apply to it are left empty (NaN); a ``cap:<id>`` column
    holds for about 5 % of units, and ``adj:<id>`` items are earned by about 20 % (bonus) or
    15 % (penalty) of units: 1–3 cases for an item counted ``per`` case, else points in steps
    of 0.25 up to the item's max. Schemes without these additions get exactly the data of
    earlier versions.

    Args:
        scheme: Any scheme whose rules declare ``example_values`` or ``cells`` (every
            built-in rule does), or its compilation.
        n_units: Number of units (≥ 1); ids are ``"xa-0001"``, ``"xa-0002"`` …
        seed: Seed of the :class:`numpy.random.Generator`; the same arguments always give the
            same data.
        missing_rate: Share of (unit, leaf) pairs left empty (NaN in every input of the leaf);
            score with ``missing="zero"`` (or ``"not_applicable"``) when it is above 0.
        not_applicable_rate: Share of (unit, leaf) pairs marked not applicable (the cell text
            ``"n/a"`` in every input of the leaf; those columns become object arrays). Every
            unit keeps at least one applicable, filled-in leaf.

    Returns:
        Columns by name: ``unit_id`` (object array of str), the unit type column when the
        scheme has unit types (object array of type ids), then every input column in
        ``compile_scheme(scheme).columns`` order (float64, shape ``(n_units,)``), then
        ``bonus`` and ``penalty`` when the scheme has them, then the ``cap:<id>`` (0/1) and
        ``adj:<id>`` columns it declares. Ready for :func:`parscore.score` or
        ``pandas.DataFrame``.

    Raises:
        ValueError: when *n_units* or a rate is out of range.
        SchemeError: when a leaf's rule declares neither ``example_values`` nor ``cells``.

    .. versionadded:: 0.1
    .. versionchanged:: 0.2 the unit type, ``cap:`` and ``adj:`` columns.
    """
    compiled = compile_scheme(scheme)
    ids, values, na, adjustments = _generate(
        compiled, n_units, seed, missing_rate, not_applicable_rate
    )
    out: dict[str, FloatArray | ObjectArray] = {"unit_id": ids}
    if compiled.scheme.unit_types is not None:  # the type column follows the unit id
        column = compiled.scheme.unit_types.column
        out[column] = adjustments.pop(column)
    na_cells = None if na is None else na[compiled.column_leaf]
    for j, name in enumerate(compiled.columns):
        column = values[j]
        if na_cells is not None and na_cells[j].any():
            cells = column.astype(object)
            cells[na_cells[j]] = "n/a"
            out[name] = cells
        else:
            out[name] = column
    out.update(adjustments)
    return out


def example_matrix(
    scheme: Scheme | CompiledScheme,
    n_units: int,
    *,
    seed: int = 0,
    missing_rate: float = 0.0,
) -> tuple[ObjectArray, FloatArray]:
    """The numbers of :func:`example_data` as one matrix, for the numpy path of ``score``.

    The same seed gives the same numbers as :func:`example_data` (with
    ``not_applicable_rate=0``); adjustments are not included (pass ``bonus=`` / ``penalty=`` to
    :meth:`parscore.Measurements.from_array` if the scheme has them).

    Args:
        scheme: Any scheme whose rules declare ``example_values`` or ``cells`` (every
            built-in rule does), or its compilation.
        n_units: Number of units (≥ 1).
        seed: Seed of the :class:`numpy.random.Generator`.
        missing_rate: Share of (unit, leaf) pairs left empty (NaN).

    Returns:
        ``(unit_ids, matrix)``: ids, object array of str, shape ``(n_units,)``; inputs,
        float64, C-contiguous, shape ``(n_units, n_columns)`` in
        ``compile_scheme(scheme).matrix_columns`` order. Use as
        ``parscore.score(scheme, matrix, unit_ids=unit_ids)``.

    Raises:
        ValueError: when *n_units* or *missing_rate* is out of range.
        SchemeError: when a leaf's rule declares neither ``example_values`` nor ``cells``.

    .. versionadded:: 0.1
    """
    compiled = compile_scheme(scheme)
    ids, values, _, _ = _generate(compiled, n_units, seed, missing_rate, 0.0)
    return ids, np.ascontiguousarray(values[compiled.storage_columns].T)


def builtin_example_data(
    scheme_id: str, *, seed: int = 2026
) -> dict[str, FloatArray | ObjectArray] | None:
    """The example data made for the built-in scheme *scheme_id*, or None when it has none.

    Only ``example-province-2026`` has its own (:func:`example_province_data`); the other
    built-in schemes take :func:`example_data` of any size.

    Args:
        scheme_id: The id of a built-in scheme.
        seed: Seed of the data's noise.

    .. versionadded:: 0.2
    """
    if scheme_id == PROVINCE_SCHEME:
        return example_province_data(seed=seed)
    return None
