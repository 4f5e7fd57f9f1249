"""compare() and sensitivity() with unit types, caps and quotas.

Ranks within type × group, tiers each in the unit's own scale, classified by the engine's code.
"""

from __future__ import annotations

import numpy as np
import pytest
from test_types_gaps import SCHEME, UNITS, typed_table

import parscore as ps
from parscore.ranking import rank


@pytest.fixture(scope="module")
def typed_scheme() -> ps.Scheme:
    return ps.load_scheme(SCHEME)


@pytest.fixture(scope="module")
def result(typed_scheme: ps.Scheme) -> ps.Result:
    return ps.score(typed_scheme, typed_table(UNITS))


def _at(result: ps.Result, unit: str) -> int:
    return int(np.flatnonzero(result.unit_ids == unit)[0])


def test_compare_moves_tiers_in_each_units_own_scale(
    typed_scheme: ps.Scheme, result: ps.Result
) -> None:
    """Tốt is the best sở tier but the second huyện tier: moves count in the unit's scale."""
    before = dict(UNITS)
    before["s4"] = ("so", 1, None, None, 0, 0, 0)  # Tốt last year, Yếu now: two tiers down
    before["h05"] = ("huyen", 1, 95, 1, 1, 0, 0)  # Khá (capped) last year, Khá now
    before["h09"] = ("huyen", 0, 95, 1, 0, 0, 0)  # Khá last year, Khá now
    before["h04"] = ("huyen", 1, 10, 0, 0, 0, 0)  # Khá last year, Tốt now: one tier up
    previous = ps.score(typed_scheme, typed_table(before))
    cmp = ps.compare(previous, result)
    move = dict(zip(cmp.unit_ids, cmp.tier_move.tolist(), strict=True))
    assert move["s4"] == -2
    assert move["h05"] == 0
    assert move["h04"] == 1
    assert move["h01"] == 0  # Tốt (moved by quota) both years
    assert cmp.unit_types is not None
    assert cmp.type_previous is not None
    frame = cmp.to_pandas()
    assert list(frame.columns[:2]) == ["unit_id", "type"]
    assert list(cmp.to_pandas("nodes").columns[:2]) == ["unit_id", "type"]


def test_compare_ranks_fields_within_each_type(result: ps.Result) -> None:
    """Each field is ranked among the units of the same type, not across types."""
    cmp = ps.compare(result, result)
    types = result.unit_types
    assert types is not None
    for j, field in enumerate(cmp.field_ids):
        comp = np.where(
            np.isnan(result.component_index[field]), -np.inf, result.component_index[field]
        )
        for t in ("so", "huyen"):
            mine = types == t
            expected = rank(comp[mine], method="competition")
            np.testing.assert_array_equal(cmp.field_rank_current[mine, j], expected)
    assert (cmp.rank_current == result.rank).all()


def test_sensitivity_without_perturbation_reproduces_tiers_caps_and_quotas(
    result: ps.Result,
) -> None:
    """With spread 0 every draw is the result: ranks within type, capped and moved tiers."""
    s = ps.sensitivity(result, draws=12, spread=0.0)
    assert s.tier_names == ("Xuất sắc", "Tốt", "Khá", "Yếu")
    np.testing.assert_array_equal(s.median_rank, result.rank)
    np.testing.assert_array_equal(s.observed_tier_probability, np.ones(result.n_units))
    np.testing.assert_allclose(s.tier_probability.sum(axis=1), 1.0)
    frame = s.to_pandas()
    assert list(frame.columns[:2]) == ["unit_id", "type"]
    assert frame.set_index("unit_id").loc["h01", "P(Tốt)"] == 1.0  # moved by the quota
    assert frame.set_index("unit_id").loc["h07", "P(Khá)"] == 1.0  # capped


def test_sensitivity_keeps_quotas_types_and_caps_in_every_draw(result: ps.Result) -> None:
    """Perturbed draws keep types, caps and quotas.

    A sở unit never takes a huyện-only tier, ranks stay within the type, the capped unit never
    rises above its cap, and the quota is never exceeded on average.
    """
    s = ps.sensitivity(result, draws=300, spread=0.6, input_noise=0.2, seed=3)
    types = result.unit_types
    assert types is not None
    names = list(s.tier_names)
    so = types == "so"
    huyen = ~so
    assert (s.tier_probability[so, names.index("Xuất sắc")] == 0).all()
    assert (s.tier_probability[huyen, names.index("Yếu")] == 0).all()
    assert s.rank_high[so].max() <= so.sum()
    assert s.rank_high[huyen].max() <= huyen.sum()
    h07 = _at(result, "h07")
    assert s.tier_probability[h07, names.index("Khá")] == 1.0
    # at most floor(0.2 × 10) = 2 huyện hold Xuất sắc in any draw
    assert s.tier_probability[huyen, names.index("Xuất sắc")].sum() <= 2.0 + 1e-9
    np.testing.assert_allclose(s.tier_probability.sum(axis=1), 1.0)
    assert ((s.tier_probability > 0) & (s.tier_probability < 1)).any()  # the draws do move


def test_sensitivity_ranker_ranks_within_type_and_group(typed_scheme: ps.Scheme) -> None:
    """With a group column too, the draws rank within type × group, as the engine does."""
    data = typed_table(UNITS)
    data["group"] = ["a" if i % 2 else "b" for i in range(len(UNITS))]
    result = ps.score(typed_scheme, data)
    s = ps.sensitivity(result, draws=5, spread=0.0)
    np.testing.assert_array_equal(s.median_rank, result.rank)
    assert list(s.to_pandas().columns[:3]) == ["unit_id", "group", "type"]
