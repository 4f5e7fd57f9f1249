"""Example data over several years (parscore.datasets.example_panel): realistic moves."""

from __future__ import annotations

import numpy as np
import pytest

import parscore as ps
from parscore.datasets import example_data, example_panel, synthetic_scheme


def _moves(scheme: ps.Scheme, panel: dict[int, dict[str, object]]) -> tuple[float, float]:
    """(median |rank move| as a share of the units, share of units changing tier)."""
    first, second = (ps.score(scheme, panel[y]) for y in sorted(panel)[:2])
    moved = np.abs(first.rank.astype(np.int64) - second.rank.astype(np.int64))
    return float(np.median(moved)) / first.n_units, float(np.mean(first.tier != second.tier))


@pytest.mark.parametrize(
    "scheme_id", ["synthetic", "example-commune-2026", "example-province-2026"]
)
def test_ranks_move_a_little_and_most_tiers_stay(scheme_id: str) -> None:
    """The median rank move is under 10 % of the units and a minority changes tier."""
    scheme = synthetic_scheme() if scheme_id == "synthetic" else ps.builtin_scheme(scheme_id)
    share, tiers = _moves(scheme, example_panel(scheme, 400, seed=2026))
    assert share < 0.10
    assert tiers < 0.4


def test_independent_years_move_far_more() -> None:
    """The contrast the panel fixes: two seeds of example_data move ranks by about a third."""
    scheme = ps.builtin_scheme("example-commune-2026")
    independent = {y: example_data(scheme, 400, seed=y) for y in (2025, 2026)}
    share, _ = _moves(scheme, independent)  # type: ignore[arg-type]
    panel_share, _ = _moves(scheme, example_panel(scheme, 400, seed=2026))  # type: ignore[arg-type]
    assert share > 0.2
    assert panel_share < share / 3


def test_same_units_same_types_each_year_and_valid() -> None:
    """Every year has the same ids in the same order; a unit's type does not change."""
    scheme = ps.builtin_scheme("example-province-2026")
    panel = example_panel(scheme, 60, years=(2024, 2025, 2026), seed=3)
    assert list(panel) == [2024, 2025, 2026]
    column = scheme.unit_types.column  # type: ignore[union-attr]
    for year in (2025, 2026):
        assert list(panel[year]) == list(panel[2024])
        assert panel[year]["unit_id"].tolist() == panel[2024]["unit_id"].tolist()
        assert panel[year][column].tolist() == panel[2024][column].tolist()
        ps.score(scheme, panel[year])  # valid


def test_layout_is_that_of_example_data() -> None:
    """A year's table has example_data's columns, in its order."""
    scheme = synthetic_scheme()
    panel = example_panel(scheme, 30, seed=1, missing_rate=0.05, not_applicable_rate=0.05)
    assert list(panel[2025]) == list(example_data(scheme, 30))
    result = ps.score(scheme, panel[2026], missing="zero")
    assert result.n_units == 30


def test_deterministic_and_the_trend_raises_the_index() -> None:
    """The same arguments give the same data; with a trend the mean index rises."""
    scheme = synthetic_scheme()
    a = example_panel(scheme, 300, seed=5)
    b = example_panel(scheme, 300, seed=5)
    for year in a:
        for name in a[year]:
            np.testing.assert_array_equal(a[year][name], b[year][name])
    first, second = (ps.score(scheme, a[y]) for y in (2025, 2026))
    assert second.index.mean() > first.index.mean()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"n_units": 0}, "n_units"),
        ({"years": ()}, "years"),
        ({"years": (2026, 2025)}, "increase"),
        ({"years": ("2025",)}, "years"),
        ({"change": 2.0}, "change"),
        ({"missing_rate": 1.0}, "missing_rate"),
    ],
)
def test_arguments_out_of_range_are_refused(kwargs: dict[str, object], message: str) -> None:
    args: dict[str, object] = {"n_units": 10, **kwargs}
    with pytest.raises(ValueError, match=message):
        example_panel(synthetic_scheme(), **args)  # type: ignore[arg-type]
