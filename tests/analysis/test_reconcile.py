"""reconcile(): self-assessment against appraisal (and a second round), per node and field."""

from __future__ import annotations

import numpy as np
import pytest
from analysis_cases import small_scheme, table
from hypothesis import given

import parscore as ps
from parscore.testing import schemes_with_measurements

SELF = {"a": (6, 1, 10), "b": (5, 1, 9)}  # 20 and 18
APPRAISED = {"b": (3, 1, 9), "a": (6, 1, 9)}  # 16 and 19, in another order
SECOND = {"a": (6, 1, 9), "b": (5, 1, 9)}  # b explained 1.1: 18


def test_hand_computed_cuts(scheme: ps.Scheme) -> None:
    """Differences, cuts beyond the tolerance and field means are as computed by hand."""
    own = ps.score(scheme, table(SELF))
    appraised = ps.score(scheme, table(APPRAISED))
    rec = ps.reconcile(own, appraised, tolerance=1.0)
    assert list(rec.unit_ids) == ["b", "a"]
    j = rec.node_ids.index("1.1")
    assert rec.difference[:, j].tolist() == [-2.0, 0.0]
    assert rec.total_difference.tolist() == [-2.0, -1.0]
    assert rec.units_cut == ("b",)  # a lost 1 point: not more than the tolerance
    assert rec.criteria_cut == {"1.1": 1}
    summary = {row["node_id"]: row for row in rec.summary()}
    assert summary["1"]["self_mean"] == 9.5
    assert summary["1"]["appraised_mean"] == 8.5
    assert summary["total"]["self_mean"] == 19.0
    assert summary["total"]["appraised_mean"] == 17.5
    assert summary["total"]["mean_difference"] == -1.5
    assert summary["total"]["units_cut"] == 1
    assert summary["2"]["second_mean"] is None


def test_second_round_restores_points(scheme: ps.Scheme) -> None:
    """A second round after the explanation shows the points given back and decides the cuts."""
    own = ps.score(scheme, table(SELF))
    rec = ps.reconcile(
        own,
        ps.score(scheme, table(APPRAISED)),
        tolerance=1.0,
        second_round=ps.score(scheme, table(SECOND)),
    )
    assert rec.restored is not None
    assert rec.restored[0, rec.node_ids.index("1.1")] == 2.0
    assert rec.units_cut == ()
    assert rec.summary()[-2]["second_mean"] == 18.5
    assert "total_second" in rec.to_pandas("units").columns


def test_unmatched_units_and_other_schemes(scheme: ps.Scheme) -> None:
    """Units in one stage only are listed; stages of different schemes are refused."""
    own = ps.score(scheme, table({**SELF, "z": (0, 0, 0)}))
    appraised = ps.score(scheme, table({**APPRAISED, "y": (1, 1, 1)}))
    rec = ps.reconcile(own, appraised)
    assert rec.only_self == ("z",)
    assert rec.only_appraised == ("y",)
    other = ps.score(small_scheme(id="other"), table(APPRAISED))
    with pytest.raises(ps.AnalysisError, match="same scheme"):
        ps.reconcile(own, other)
    with pytest.raises(ps.AnalysisError, match="tolerance"):
        ps.reconcile(own, appraised, tolerance=-1)


def test_tables_and_html(scheme: ps.Scheme) -> None:
    """Each table kind builds and the HTML shows the self-score and council means."""
    rec = ps.reconcile(ps.score(scheme, table(SELF)), ps.score(scheme, table(APPRAISED)))
    assert rec.to_pandas()["node_id"].tolist() == ["1", "2", "total", "index"]
    cuts = rec.to_pandas("cuts")
    assert set(zip(cuts["unit_id"], cuts["node_id"], strict=True)) == {
        ("b", "1"),
        ("b", "1.1"),
        ("a", "2"),
        ("a", "2.1"),
    }
    assert len(rec.to_pandas("nodes")) == 2 * 5
    assert "<td>19.00</td><td>17.50</td>" in rec._repr_html_()


@given(case=schemes_with_measurements())
def test_reconcile_with_itself_is_zero(case: tuple[ps.Scheme, dict[str, list[object]]]) -> None:
    """reconcile(a, a) finds no difference and no cut anywhere."""
    scheme, data = case
    result = ps.score(scheme, data)
    rec = ps.reconcile(result, result, second_round=result)
    assert not rec.difference.any()
    assert not rec.final_difference.any()
    assert not rec.total_difference.any()
    assert not rec.cut_mask.any()
    assert rec.units_cut == ()
    assert all(row["mean_difference"] == 0 for row in rec.summary())
    assert np.array_equal(rec.self_points, rec.appraised_points)
