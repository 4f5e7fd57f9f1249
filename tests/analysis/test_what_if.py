"""what_if(): re-scoring with changed inputs, without recompiling the scheme."""

from __future__ import annotations

import numpy as np
import pytest
from analysis_cases import CURRENT, small_scheme, table
from hypothesis import given

import parscore as ps
from parscore.testing import schemes_with_measurements


def test_changed_inputs_rescore(current: ps.Result) -> None:
    """A changed value moves the unit's points, index, tier and every unit's rank."""
    after = ps.what_if(current, {"b": {"1.1": 6}, "c": {"1.2": "có"}})
    assert after.total.tolist() == [19.0, 18.0, 11.0]
    assert after.tier.tolist() == ["Tốt", "Tốt", "Yếu"]
    assert after.rank.tolist() == [1, 2, 3]
    assert after.compiled is current.compiled
    assert current.total.tolist() == [19.0, 15.0, 7.0]  # the original is untouched


def test_not_applicable_and_back(current: ps.Result) -> None:
    """A cell "n/a" removes a criterion from the max; a value makes it apply again."""
    na = ps.what_if(current, {"c": {"1.2": "n/a"}})
    assert na.max[2] == 16.0
    assert na.index[2] == 43.75
    back = ps.what_if(na, {"c": {"1.2": 1}})
    assert back.max[2] == 20.0
    assert back.total[2] == 11.0


def test_adjustments() -> None:
    """Bonus and penalty can be changed, and the total stays clipped to the max."""
    scheme = small_scheme(adjustments=ps.Adjustments(bonus=ps.Adjustment(max=2)))
    result = ps.score(scheme, table(CURRENT))
    after = ps.what_if(result, {"a": {"bonus": 5}, "c": {"bonus": 1.5}})
    assert after.total.tolist() == [20.0, 15.0, 8.5]


def test_every_problem_is_reported(current: ps.Result) -> None:
    """Unknown units and columns, unreadable cells and invalid values are all listed."""
    with pytest.raises(ps.MeasurementsError) as info:
        ps.what_if(
            current,
            {"zz": {"1.1": 1}, "a": {"1.3": 1, "1.2": "maybe", "bonus": 1}},
        )
    text = str(info.value)
    assert "4 problems" in text
    assert 'did you mean "1.1"' in text or 'did you mean "1.2"' in text
    assert "expected yes or no" in text
    assert "no bonus" in text
    with pytest.raises(ps.MeasurementsError, match="expected yes"):
        ps.what_if(current, {"a": {"1.2": 2}})


@given(case=schemes_with_measurements(max_units=15))
def test_no_change_reproduces_the_result(case: tuple[ps.Scheme, dict[str, list[object]]]) -> None:
    """what_if with no changes gives the same numbers as the original score."""
    scheme, data = case
    result = ps.score(scheme, data)
    again = ps.what_if(result, {})
    assert np.array_equal(again.node_points, result.node_points)
    assert np.array_equal(again.index, result.index)
    assert np.array_equal(again.rank, result.rank)
