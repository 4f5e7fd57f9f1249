"""parscore.testing draws cells from what a rule declares, for built-in and plugin rules alike."""

from __future__ import annotations

from typing import ClassVar, Literal

import attrs
import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import parscore as ps
from parscore.testing import full_inputs, leaf_values
from parscore.testing._leaves import surely_applicable
from parscore.typing import BoolArray, CellKind, FloatArray, Language


@attrs.frozen(kw_only=True)
class _Threshold:
    """A plugin-style rule the strategies have never heard of: full points from 3.5 up."""

    kind: ClassVar[str] = "test_threshold"
    cells: ClassVar[CellKind] = "number"
    can_be_not_applicable: ClassVar[bool] = False

    @property
    def inputs(self) -> tuple[str, ...]:
        return ("value",)

    def points(self, values: FloatArray, max_points: float) -> FloatArray:
        return np.where(values[0] >= 3.5, max_points, 0.0)

    def check(self, values: FloatArray, max_points: float) -> list[tuple[BoolArray, str]]:
        del max_points
        return [((values[0] < 0) | (values[0] > 10), "expected 0 to 10")]

    def bounds(self, max_points: float) -> tuple[float, float]:
        return (0.0, max_points)

    def problems(self, max_points: float) -> list[tuple[str, str]]:
        del max_points
        return []

    def describe(self, lang: Language = "vi") -> str:
        return "Từ 3,5: tối đa" if lang == "vi" else "From 3.5: full points"


def _leaf(rule: ps.Rule, max_points: float = 10.0) -> ps.Node:
    return ps.Node(id="1", name="Tiêu chí", max_points=max_points, rule=rule)


def _edge_draws(node: ps.Node, n: int) -> set[float]:
    """The values drawn in *n* examples (one input), the same on every run."""
    seen: set[float] = set()

    @settings(max_examples=n, deadline=None, database=None, derandomize=True)
    @given(cells=leaf_values(node))
    def draw(cells: list[object]) -> None:
        seen.add(float(cells[0]))  # type: ignore[arg-type]

    draw()
    return seen


def test_a_plugin_rule_gets_valid_cells_its_edge_and_full_inputs() -> None:
    """A rule unknown to parscore.testing gets values within its check, its edge and full points."""
    node = _leaf(_Threshold())
    seen = _edge_draws(node, 200)
    assert all(0.0 <= v <= 10.0 for v in seen)
    assert {3.4999, 3.5} <= seen
    cells = full_inputs(node)
    assert _Threshold().points(np.array([cells], dtype=np.float64), 10.0)[0] == 10.0


def test_band_edges_are_drawn_on_both_sides() -> None:
    """Values on and one step of 0.0001 either side of a band edge are generated."""
    rule = ps.Bands(bands=[ps.Band(gt=90, points=2), ps.Band(ge=70, le=90, points=1)])
    seen = _edge_draws(_leaf(rule, 2.0), 300)
    assert {69.9999, 70.0, 90.0, 90.0001} <= seen


@settings(max_examples=60, deadline=None, database=None)
@given(data=st.data(), over=st.sampled_from(["error", "cap"]))
def test_ratio_counts_are_valid_and_sometimes_empty(
    data: st.DataObject, over: Literal["error", "cap"]
) -> None:
    """Two-input ratio cells pass the rule's check; with over=error the numerator never exceeds."""
    rule = ps.Ratio(inputs=["on_time", "received"], when_empty="not_applicable", over=over)
    node = _leaf(rule)
    num, den = data.draw(leaf_values(node))
    assert isinstance(num, int)
    assert isinstance(den, int)
    assert over == "cap" or num <= den
    assert surely_applicable(node, [num, den]) == (den != 0)


def test_zero_denominators_are_generated() -> None:
    """About one unit in ten has all counts zero, the case 'nothing to assess'."""
    node = _leaf(ps.Survey(options={"A": 100, "B": 0}))
    seen: list[list[object]] = []

    @settings(max_examples=200, deadline=None, database=None, derandomize=True)
    @given(cells=leaf_values(node))
    def draw(cells: list[object]) -> None:
        seen.append(cells)

    draw()
    assert [0, 0] in seen
