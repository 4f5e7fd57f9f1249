"""gaps(): points lost per unit and criterion, and next-tier targets checked by re-scoring."""

from __future__ import annotations

import numpy as np
import pytest
from analysis_cases import CURRENT, best_inputs, small_scheme, table
from hypothesis import given

import parscore as ps
from parscore.compile import column_names
from parscore.ranking import tier_position
from parscore.testing import schemes_with_measurements


def test_lost_points_per_unit(current: ps.Result) -> None:
    """Each unit's top leaves are where it lost most, largest first, ties in scheme order."""
    g = ps.gaps(current, top=5)
    assert g.unit("a") == [("2.1", 1.0)]
    assert g.unit("b") == [("1.1", 3.0), ("2.1", 2.0)]
    assert g.unit("c") == [("2.1", 5.0), ("1.1", 4.0), ("1.2", 4.0)]
    assert g.lost[2, g.node_ids.index("1")] == 8.0


def test_criteria_where_most_units_lose(current: ps.Result) -> None:
    """Nodes sort by units losing, then points lost, with counts, totals and means."""
    g = ps.gaps(current)
    assert g.criteria_ids == ("2", "2.1", "1", "1.1", "1.2")
    assert g.criteria_units_losing.tolist() == [3, 3, 2, 2, 1]
    assert g.criteria_total_lost.tolist() == [8.0, 8.0, 11.0, 7.0, 4.0]
    assert g.criteria_mean_lost[g.criteria_ids.index("1.1")] == 2.33
    frame = g.to_pandas("criteria")
    assert frame["node_id"].tolist()[:2] == ["2", "2.1"]


def test_next_tier_targets(scheme: ps.Scheme) -> None:
    """One leaf when one suffices (the smallest such), else the fewest leaves, last one smallest."""
    result = ps.score(scheme, table({**CURRENT, "e": (0, 0, 2)}))
    g = ps.gaps(result)
    targets = g.to_pandas("targets").set_index("unit_id")
    assert g.target_tier[0] is None
    assert targets["target_tier"].isna().tolist() == [True, False, False, False]
    assert np.isnan(targets.loc["a", "points_needed"])
    # b: 75 (Khá) needs 80: one more point; 2.1 (2 points to recover) is the smallest leaf
    assert targets.loc["b", "target_tier"] == "Tốt"
    assert targets.loc["b", "points_needed"] == 1.0
    assert targets.loc["b", "target_nodes"] == "2.1"
    # c: 35 needs 60: five points; only 2.1 alone suffices
    assert g.target_nodes[2] == ("2.1",)
    assert targets.loc["c", "target_points"] == 5.0
    # e: 10 needs 60: ten points; 2.1 (8) then 1.2 (4) rather than 1.1 (6)
    assert g.target_nodes[3] == ("1.2", "2.1")
    assert targets.loc["e", "points_needed"] == 10.0
    assert targets.loc["e", "target_points"] == 12.0
    assert g.reachable.tolist() == [False, True, True, True]


def test_targets_respect_penalty_and_clip() -> None:
    """A penalty raises the points needed; one capping the total makes the tier unreachable."""
    scheme = small_scheme(adjustments=ps.Adjustments(penalty=ps.Adjustment(max=5)))
    result = ps.score(scheme, table({"b": (3, 1, 8), "f": (5, 1, 10)}, penalty=[2, 5]))
    g = ps.gaps(result)
    # b: 15 - 2 = 13 (65, Khá); Tốt needs 16: three more points, 1.1 recovers exactly 3
    assert g.target_nodes[0] == ("1.1",)
    assert g.points_needed[0] == 3.0
    better = ps.what_if(result, {"b": {"1.1": 6}})
    assert better.tier[0] == "Tốt"
    # f: 19 - 5 = 14 (70); even 20 - 5 = 15 (75) stays below 80
    assert not g.reachable[1]
    assert g.target_nodes[1] == ("1.1",)


def test_index_basis_uses_applicable_max(scheme: ps.Scheme) -> None:
    """Where a criterion does not apply, the points needed follow the applicable max."""
    result = ps.score(scheme, table({"g": (3, "n/a", 8)}))  # 11 of 16 = 68.75 (Khá)
    g = ps.gaps(result)
    assert g.points_needed[0] == 1.8  # 80 % of 16 = 12.8
    assert g.target_nodes[0] == ("2.1",)


def test_total_basis() -> None:
    """Tiers on the total: the points needed are the tier minimum less the total."""
    tiers = ps.TierScale(scale=[ps.Tier(name="A", min=18), ps.Tier(name="B", min=0)], basis="total")
    result = ps.score(small_scheme(tiers=tiers), table({"b": (3, 1, 8)}))
    g = ps.gaps(result)
    assert g.points_needed[0] == 3.0
    assert g.target_nodes[0] == ("1.1",)


def test_tables_html_and_errors(current: ps.Result) -> None:
    """Every table kind builds, the HTML lists the criteria, and bad options are refused."""
    g = ps.gaps(current, top=2)
    assert g.to_pandas()["node_id"].tolist() == ["2.1", "1.1", "2.1", "2.1", "1.1"]
    assert g.to_pandas("nodes").shape == (3, 6)
    assert "2.1" in g._repr_html_()
    with pytest.raises(ps.AnalysisError, match="at least 1"):
        ps.gaps(current, top=0)
    with pytest.raises(ValueError, match="kind must be"):
        g.to_pandas("nope")


@given(case=schemes_with_measurements(max_units=20))
def test_recovering_the_named_leaves_reaches_the_target(
    case: tuple[ps.Scheme, dict[str, list[object]]],
) -> None:
    """Recovering the named leaves reaches the target tier exactly when gaps calls it reachable."""
    scheme, data = case
    result = ps.score(scheme, data)
    g = ps.gaps(result)
    names = scheme.tiers.names
    basis = result.total if scheme.tiers.basis == "total" else result.index
    positions = tier_position(basis, scheme.tiers)
    needs = np.flatnonzero(g.target_tier != None)  # noqa: E711 - elementwise
    for u in needs[:6]:
        changes: dict[str, object] = {}
        for leaf_id in g.target_nodes[u]:
            node = scheme.node(leaf_id)
            cells = best_inputs(node)
            if cells is None:
                break
            changes.update(zip(column_names(node, node.rule), cells, strict=True))  # type: ignore[arg-type]
        else:
            after = ps.what_if(result, {str(result.unit_ids[u]): changes})
            reached = names.index(str(after.tier[u])) <= names.index(g.target_tier[u])
            # reachable: the named leaves suffice; unreachable: even every leaf falls short
            assert reached == bool(g.reachable[u])
    # every unit below the top tier has a target, and top-tier units have none
    assert np.array_equal(g.target_tier != None, positions > 0)  # noqa: E711 - elementwise
