"""sensitivity(): Monte Carlo over field weights, vectorised over draws."""

from __future__ import annotations

import math

import numpy as np
import pytest
from analysis_cases import TIERS
from hypothesis import given
from hypothesis import strategies as st

import parscore as ps
from parscore._rounding import round_half_up
from parscore.analysis._common import applicable_max
from parscore.analysis._draws import Ranker as _Ranker
from parscore.testing import schemes_with_measurements


def _two_fields() -> ps.Scheme:
    """Two fields of 10 points, one points leaf each."""
    return ps.Scheme(
        id="two",
        name="Hai lĩnh vực",
        nodes=[
            ps.Node(
                id="1",
                name="Lĩnh vực 1",
                children=[ps.Node(id="1.1", name="Điểm 1", max_points=10, rule=ps.Points())],
            ),
            ps.Node(
                id="2",
                name="Lĩnh vực 2",
                children=[ps.Node(id="2.1", name="Điểm 2", max_points=10, rule=ps.Points())],
            ),
        ],
        tiers=TIERS,
    )


def test_hand_computed_draws() -> None:
    """Each draw ranks x (all of field 1) above y (90 % of field 2) iff 100·w1 > 90·w2."""
    result = ps.score(_two_fields(), {"unit_id": ["x", "y"], "1.1": [10, 0], "2.1": [0, 9]})
    sens = ps.sensitivity(result, draws=400, spread=0.3, seed=7, return_draws=True)
    assert sens.draw_weights is not None
    assert sens.draw_ranks is not None
    w1, w2 = sens.draw_weights.T
    assert np.allclose(w1 + w2, 20.0)
    x_index = round_half_up(100.0 * w1 / 20.0, 2)
    y_index = round_half_up(90.0 * w2 / 20.0, 2)
    expected_x = np.where(x_index >= y_index, 1, 2)
    expected_y = np.where(y_index >= x_index, 1, 2)
    assert np.array_equal(sens.draw_ranks[:, 0], expected_x)
    assert np.array_equal(sens.draw_ranks[:, 1], expected_y)
    shift = (np.abs(expected_x - 1).mean() + np.abs(expected_y - 2).mean()) / 2
    assert sens.mean_abs_rank_shift == pytest.approx(shift)
    # tiers: x is Yếu unless w1 >= 12 (index 60); y is Yếu unless 4.5·w2 >= 60
    p_x_kha = np.mean(x_index >= 60)
    assert sens.tier_probability[0, 1] == pytest.approx(p_x_kha)
    assert sens.tier_probability.sum(axis=1) == pytest.approx([1.0, 1.0])
    assert 0 < p_x_kha < 1


def test_weights_stay_within_the_spread_and_sum_to_the_max() -> None:
    """Uniform draws keep each weight near ±spread of the official and the total at the max."""
    result = ps.score(_two_fields(), {"unit_id": ["x"], "1.1": [5], "2.1": [5]})
    sens = ps.sensitivity(result, draws=200, spread=0.2, return_draws=True)
    assert sens.draw_weights is not None
    assert np.allclose(sens.draw_weights.sum(axis=1), 20.0)
    # renormalising (1 ± 0.2) pairs keeps each weight within 10 × 1.2 / 0.9
    assert (sens.draw_weights <= 10 * 1.2 / 0.9 + 1e-9).all()
    dirichlet = ps.sensitivity(result, draws=200, distribution="dirichlet", return_draws=True)
    assert dirichlet.draw_weights is not None
    assert np.allclose(dirichlet.draw_weights.sum(axis=1), 20.0)
    assert not np.allclose(dirichlet.draw_weights, 10.0)


def test_options_are_checked_and_scheme_input_is_scored() -> None:
    """Bad options are refused with a message; a scheme with data is scored first."""
    scheme = _two_fields()
    data = {"unit_id": ["x", "y"], "1.1": [10, 0], "2.1": [0, 9]}
    sens = ps.sensitivity(scheme, data, draws=10)
    assert sens.observed_rank.tolist() == [1, 2]
    for bad, match in [
        ({"draws": 0}, "draws"),
        ({"spread": 1.0}, "spread"),
        ({"distribution": "normal"}, "distribution"),
        ({"concentration": 0.0}, "concentration"),
        ({"input_noise": -1.0}, "input_noise"),
    ]:
        with pytest.raises(ps.AnalysisError, match=match):
            ps.sensitivity(scheme, data, **bad)  # type: ignore[arg-type]
    with pytest.raises(ps.AnalysisError, match="without data"):
        ps.sensitivity(scheme)


def test_survey_noise_moves_only_survey_units() -> None:
    """Input noise perturbs survey leaves only, reproducibly, and keeps points within max."""
    survey = ps.Survey(options={"A": 100, "B": 0})
    scheme = ps.Scheme(
        id="s",
        name="Khảo sát",
        nodes=[
            ps.Node(
                id="1",
                name="Điểm",
                children=[ps.Node(id="1.1", name="Điểm", max_points=10, rule=ps.Points())],
            ),
            ps.Node(
                id="8",
                name="Hài lòng",
                children=[ps.Node(id="8.1", name="Phiếu", max_points=10, rule=survey)],
            ),
        ],
        tiers=TIERS,
    )
    data = {"unit_id": ["p", "q"], "1.1": [10, 9], "8.1:A": [5, 5], "8.1:B": [5, 5]}
    result = ps.score(scheme, data)
    still = ps.sensitivity(result, draws=50, spread=0.0, input_noise=0.0)
    assert still.mean_abs_rank_shift == 0.0
    noisy = ps.sensitivity(result, draws=200, spread=0.0, input_noise=0.1, seed=3)
    again = ps.sensitivity(result, draws=200, spread=0.0, input_noise=0.1, seed=3)
    assert noisy.mean_abs_rank_shift > 0.0
    assert np.array_equal(noisy.tier_probability, again.tier_probability)


def test_tables_and_html() -> None:
    """to_pandas has a probability column per tier; the HTML shows the intervals."""
    result = ps.score(_two_fields(), {"unit_id": ["x", "y"], "1.1": [10, 0], "2.1": [0, 9]})
    sens = ps.sensitivity(result, draws=50, return_draws=True)
    frame = sens.to_pandas()
    assert {"rank_5", "rank_95", "P(Tốt)", "P(Khá)", "P(Yếu)"} <= set(frame.columns)
    assert sens.to_pandas("draws").shape == (50, 2)
    assert "5–95 %" in sens._repr_html_()
    with pytest.raises(ValueError, match="return_draws"):
        ps.sensitivity(result, draws=5).to_pandas("draws")


@given(case=schemes_with_measurements())
def test_applicable_max_is_the_engines(case: tuple[ps.Scheme, dict[str, list[object]]]) -> None:
    """The applicable max the analyses recompute rounds to the result's and gives its index."""
    scheme, data = case
    result = ps.score(scheme, data)
    app_max = applicable_max(result)
    d = scheme.rounding.decimals
    assert np.array_equal(round_half_up(app_max, d), result.max)


@given(
    case=schemes_with_measurements(),
    distribution=st.sampled_from(["uniform", "dirichlet"]),
)
def test_no_perturbation_reproduces_the_result(
    case: tuple[ps.Scheme, dict[str, list[object]]], distribution: str
) -> None:
    """Without perturbation every draw gives each unit its observed rank and tier."""
    scheme, data = case
    result = ps.score(scheme, data)
    sens = ps.sensitivity(
        result,
        draws=7,
        spread=0.0,
        distribution=distribution,  # type: ignore[arg-type]
        concentration=math.inf,
    )
    assert np.array_equal(sens.median_rank, result.rank)
    assert np.array_equal(sens.rank_low, result.rank)
    assert np.array_equal(sens.rank_high, result.rank)
    assert sens.mean_abs_rank_shift == 0.0
    assert (sens.observed_tier_probability == 1.0).all()


@given(case=schemes_with_measurements(max_units=15), seed=st.integers(0, 2**32 - 1))
def test_a_seed_reproduces_the_draws(
    case: tuple[ps.Scheme, dict[str, list[object]]], seed: int
) -> None:
    """The same seed gives the same answer, draw for draw."""
    scheme, data = case
    result = ps.score(scheme, data)
    first = ps.sensitivity(result, draws=30, seed=seed, return_draws=True)
    second = ps.sensitivity(result, draws=30, seed=seed, return_draws=True)
    assert first.draw_ranks is not None
    assert second.draw_ranks is not None
    assert np.array_equal(first.draw_ranks, second.draw_ranks)
    assert np.array_equal(first.tier_probability, second.tier_probability)
    assert np.array_equal(first.median_rank, second.median_rank)


@given(
    n_units=st.integers(1, 30),
    n_groups=st.integers(1, 3),
    method=st.sampled_from(["competition", "dense", "ordinal"]),
    tie_break=st.booleans(),
    seed=st.integers(0, 1000),
)
def test_batched_ranks_equal_rank(
    n_units: int, n_groups: int, method: str, tie_break: bool, seed: int
) -> None:
    """Each row of the batched ranker equals parscore.rank on that row, ties and groups included."""
    rng = np.random.default_rng(seed)
    values = rng.integers(0, 6, size=(5, n_units)) / 2.0  # many ties
    tie = rng.integers(0, 3, size=(5, n_units)).astype(np.float64)
    ids = np.array([f"u{k:02d}" for k in rng.permutation(n_units)], dtype=object)
    groups = np.array([f"g{k}" for k in rng.integers(0, n_groups, n_units)], dtype=object)
    data = {"unit_id": list(ids), "group": list(groups), "1.1": [0] * n_units, "2.1": [0] * n_units}
    result = ps.score(_two_fields(), data)
    ranker = _Ranker(result, method, 2, has_tie_break=tie_break)
    out = np.empty((5, n_units), dtype=np.int32)
    ranker.rank_into(out, values, [tie] if tie_break else [])
    for row in range(5):
        expected = ps.rank(
            values[row],
            groups=groups,
            method=method,  # type: ignore[arg-type]
            tie_break=[tie[row]] if tie_break else [],
            unit_ids=ids,
        )
        assert np.array_equal(out[row], expected)


def test_tiny_concentration_keeps_every_unit_ranked() -> None:
    """A very small Dirichlet concentration never leaves a unit without an applicable max."""
    data = {"unit_id": ["x", "y", "z"], "1.1": [10, 0, "n/a"], "2.1": ["n/a", 9, 4]}
    result = ps.score(_two_fields(), data)
    sens = ps.sensitivity(result, draws=300, distribution="dirichlet", concentration=0.01)
    assert sens.tier_probability.sum(axis=1) == pytest.approx([1.0, 1.0, 1.0])
    assert ((sens.rank_low >= 1) & (sens.rank_high <= 3)).all()
