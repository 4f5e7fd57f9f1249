"""``check_rule``: the checks every rule (built-in or plugin) must pass (in parscore.testing).

Needs Hypothesis (the ``testing`` extra).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parscore._converter import fingerprint
from parscore.compile import compile_scheme
from parscore.engine import score
from parscore.io.schemes import dump_scheme, load_scheme
from parscore.model import Node, Rounding, Scheme, Tier, TierScale
from parscore.plugins import get_rule_class, register_rule, unregister_rule
from parscore.rules import can_be_not_applicable
from parscore.typing import FloatArray, Rule

__all__ = ["RuleCheckError", "check_rule"]

_CELLS = st.one_of(
    st.sampled_from([0.0, 1.0, 2.0, 3.0, 0.5, 10.0, 50.0, 70.0, 90.0, 100.0, 101.0, -1.0]),
    st.integers(0, 10_000).map(lambda k: k / 100),
)
"""Candidate input values: small counts, 0/1 flags, percentages with 2 decimals, a few
out-of-range values; the rule's ``check`` decides which are valid."""


class RuleCheckError(AssertionError):
    """A rule failed one of :func:`check_rule`'s checks; the message says which and why."""


def _fail(rule: Rule, what: str) -> RuleCheckError:
    return RuleCheckError(f"rule {rule!r} (kind {rule.kind!r}): {what}")


def check_rule(
    rule: Rule | st.SearchStrategy[Rule],
    max_points: float = 2.0,
    *,
    n_units: int = 16,
    max_examples: int = 50,
    values: st.SearchStrategy[float] | None = None,
) -> None:
    """Check that a rule keeps the promises of the :class:`~parscore.typing.Rule` protocol.

    For the rule (or for each rule a Hypothesis strategy draws), it checks that:

    1. its parameters are valid for *max_points* (``problems`` is empty), ``bounds`` is an
       ordered pair, ``describe`` gives text in Vietnamese and English, ``inputs`` names at
       least one input;
    2. a one-leaf scheme using it dumps to YAML, JSON and TOML and loads back equal, with the
       same fingerprint (so its parameters survive the file formats);
    3. for random inputs, ``check`` returns masks of shape ``(n_units,)`` and never flags NaN
       (missing); on the inputs it accepts, ``points`` returns float points of shape
       ``(n_units,)`` within ``bounds``, without NaN unless the rule declares
       ``can_be_not_applicable``, without writing into its input;
    4. scored by the engine with the ``zero`` missing-value policy, a unit with a NaN input
       earns 0 points on the leaf and the others earn what ``points`` gives.

    A rule whose kind is not installed (an entry point) or registered is registered for the
    duration of the check.

    Args:
        rule: A rule instance, or a strategy of rule instances valid for *max_points*.
        max_points: The leaf's maximum.
        n_units: Units per generated batch of inputs.
        max_examples: Hypothesis examples to run.
        values: Strategy of candidate input cells (floats); by default counts, flags and
            percentages. Invalid candidates are fine: the rule's ``check`` filters them.

    Raises:
        AssertionError: (a ``RuleCheckError``) saying which check failed, for which rule.

    .. versionadded:: 0.1
    """
    rules = rule if isinstance(rule, st.SearchStrategy) else st.just(rule)
    cells = _CELLS if values is None else values
    checked: list[Rule] = []

    @settings(
        max_examples=max_examples,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    @given(drawn=rules, data=st.data())
    def run(drawn: Rule, data: st.DataObject) -> None:
        with _Known(drawn):
            if drawn not in checked:  # the same rule is drawn again and again
                _check_static(drawn, max_points)
                _check_round_trip(drawn, max_points)
                checked.append(drawn)
            m = len(drawn.inputs)
            grid = data.draw(
                st.lists(
                    st.lists(cells, min_size=n_units, max_size=n_units), min_size=m, max_size=m
                )
            )
            matrix = np.array(grid, dtype=np.float64).reshape(m, n_units)
            nan_mask = np.array(
                data.draw(st.lists(st.booleans(), min_size=n_units, max_size=n_units)), dtype=bool
            )
            _check_values(drawn, max_points, matrix, nan_mask)

    run()


class _Known:
    """Register the rule's class for the duration of the check, if its kind is unknown."""

    def __init__(self, rule: Rule) -> None:
        self.rule = rule
        self.registered = False

    def __enter__(self) -> None:
        cls = type(self.rule)
        try:
            found = get_rule_class(self.rule.kind)
        except LookupError:
            register_rule(cls)
            self.registered = True
            return
        if found is not cls:
            raise _fail(self.rule, f"its kind resolves to another class, {found.__qualname__}")

    def __exit__(self, *exc: object) -> None:
        if self.registered:
            unregister_rule(self.rule.kind)


def _check_static(rule: Rule, max_points: float) -> None:
    if not isinstance(rule.kind, str) or not rule.kind:
        raise _fail(rule, "kind must be non-empty text")
    problems = list(rule.problems(max_points))
    if problems:
        raise _fail(rule, f"its parameters are invalid for max {max_points:g}: {problems}")
    inputs = tuple(rule.inputs)
    if not inputs or not all(isinstance(i, str) and i and ":" not in i for i in inputs):
        raise _fail(rule, f"inputs must be non-empty names without ':', found {inputs!r}")
    if len(set(inputs)) != len(inputs):
        raise _fail(rule, f"input names must be distinct, found {inputs!r}")
    lo, hi = rule.bounds(max_points)
    if not (math.isfinite(lo) and math.isfinite(hi) and lo <= hi):
        raise _fail(rule, f"bounds must be finite and ordered, found ({lo!r}, {hi!r})")
    if hi > max_points + 1e-9:
        raise _fail(rule, f"bounds {lo:g} to {hi:g} exceed the maximum {max_points:g}")
    for lang in ("vi", "en"):
        text = rule.describe(lang)
        if not isinstance(text, str) or not text.strip():
            raise _fail(rule, f"describe({lang!r}) must return text, found {text!r}")


def _one_leaf(rule: Rule, max_points: float) -> Scheme:
    return Scheme(
        id="check-rule",
        name="check_rule",
        nodes=(Node(id="1", name="Tiêu chí", max_points=max_points, rule=rule),),
        tiers=TierScale(scale=(Tier(name="Tốt", min=50), Tier(name="Yếu", min=0))),
        rounding=Rounding(decimals=6),
        missing="zero",
    )


def _check_round_trip(rule: Rule, max_points: float) -> None:
    scheme = _one_leaf(rule, max_points)
    for fmt in ("yaml", "json", "toml"):
        try:
            text = dump_scheme(scheme, format=fmt)
            again = load_scheme(text, format=fmt)
        except Exception as exc:
            raise _fail(rule, f"does not round-trip through {fmt.upper()}: {exc}") from exc
        back = again.node("1").rule
        if back != rule or fingerprint(again) != fingerprint(scheme):
            raise _fail(rule, f"comes back from {fmt.upper()} as {back!r}:\n{text}")


def _check_values(rule: Rule, max_points: float, matrix: FloatArray, nan_mask: Any) -> None:
    n = matrix.shape[1]
    with_nan = matrix.copy()
    with_nan[0, nan_mask] = np.nan
    invalid = np.zeros(n, dtype=bool)
    for found, message in rule.check(matrix, max_points):
        mask = np.asarray(found)
        if mask.shape != (n,) or mask.dtype != np.bool_:
            raise _fail(
                rule,
                f"check() returned a mask of shape {mask.shape} ({mask.dtype}), expected ({n},) "
                f"bool",
            )
        if not isinstance(message, str) or not message:
            raise _fail(rule, "check() must pair each mask with a message")
        invalid |= mask
    flagged = np.zeros(n, dtype=bool)
    for found, _ in rule.check(with_nan, max_points):
        flagged |= np.asarray(found, dtype=bool)
    if (flagged & ~invalid).any():  # a NaN in place of a valid value made a unit invalid
        raise _fail(rule, "check() flags a missing (NaN) input as invalid")
    valid = ~invalid
    if not valid.any():
        return
    good = np.ascontiguousarray(matrix[:, valid])
    before = good.copy()
    good.flags.writeable = False  # as the engine gives it: any write raises, same value or not
    try:
        pts = np.asarray(rule.points(good, max_points))
    except ValueError as exc:
        if "read-only" not in str(exc):
            raise
        raise _fail(rule, "points() wrote into its input array") from exc
    if not np.array_equal(good, before):
        raise _fail(rule, "points() wrote into its input array")
    if pts.shape != (good.shape[1],):
        raise _fail(rule, f"points() returned shape {pts.shape}, expected ({good.shape[1]},)")
    if pts.dtype != np.float64:
        raise _fail(rule, f"points() returned dtype {pts.dtype}, expected float64")
    nan_out = np.isnan(pts)
    if nan_out.any() and not can_be_not_applicable(rule):
        raise _fail(rule, "points() returned NaN but can_be_not_applicable is not true")
    lo, hi = rule.bounds(max_points)
    real = pts[~nan_out]
    if real.size and (np.isinf(real).any() or real.min() < lo - 1e-9 or real.max() > hi + 1e-9):
        raise _fail(
            rule,
            f"points() returned {real.min():g} to {real.max():g}, outside bounds {lo:g} to {hi:g}"
            f" for inputs {good.tolist()}",
        )
    _check_engine(rule, max_points, good, nan_mask[valid], pts)


def _check_engine(
    rule: Rule, max_points: float, good: FloatArray, nan_mask: Any, pts: FloatArray
) -> None:
    scheme = _one_leaf(rule, max_points)
    columns = compile_scheme(scheme).columns
    n = good.shape[1]
    data: dict[str, Any] = {"unit_id": [f"u{i:03d}" for i in range(n)]}
    for j, column in enumerate(columns):
        cells = good[j].copy()
        if j == 0:
            cells[nan_mask] = np.nan
        data[column] = cells
    applicable = ~nan_mask & ~np.isnan(pts)
    if not applicable.any():
        return  # the engine rejects units without an applicable criterion
    keep = np.flatnonzero(applicable | nan_mask)
    data = {k: [v[i] for i in keep] if isinstance(v, list) else v[keep] for k, v in data.items()}
    try:
        result = score(scheme, data)
    except Exception as exc:
        raise _fail(rule, f"the engine failed on valid inputs: {exc}") from exc
    got = result.points["1"]
    want = np.where(nan_mask[keep], 0.0, pts[keep])
    if not np.allclose(got, want, atol=1e-6, equal_nan=True):
        raise _fail(rule, f"the engine gave {got.tolist()}, expected {want.tolist()}")
