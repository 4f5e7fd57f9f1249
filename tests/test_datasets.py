"""Tests of the synthetic scheme and the example data generator (parscore.datasets)."""

from __future__ import annotations

from collections import Counter
from typing import ClassVar

import attrs
import numpy as np
import pytest

import parscore as ps
from parscore.datasets import FIELD_NAMES, example_data, example_matrix, synthetic_scheme
from parscore.rules import BUILTIN_RULES
from parscore.typing import BoolArray, FloatArray, Language


@pytest.fixture(scope="module")
def scheme() -> ps.Scheme:
    return synthetic_scheme()


def _kinds(scheme: ps.Scheme) -> Counter[tuple[str, int]]:
    return Counter((leaf.rule.kind, len(leaf.rule.inputs)) for leaf in scheme.leaves() if leaf.rule)


def test_default_scheme_has_the_requested_shape(scheme: ps.Scheme) -> None:
    """The default scheme has the 8 national fields, 40 criteria, 200 leaves and 100 points."""
    assert [n.name for n in scheme.nodes] == list(FIELD_NAMES)
    assert sum(len(n.children) for n in scheme.nodes) == 40
    assert len(list(scheme.leaves())) == 200
    assert scheme.max_points == 100.0
    assert [(t.name, t.min) for t in scheme.tiers.scale] == [
        ("Tốt", 80.0),
        ("Khá", 70.0),
        ("Trung bình", 50.0),
        ("Yếu", 0.0),
    ]
    assert scheme.level == "commune"


def test_default_scheme_says_it_is_synthetic(scheme: ps.Scheme) -> None:
    """The scheme's notes say it is synthetic and illustrative."""
    assert scheme.notes is not None
    assert "Synthetic" in scheme.notes
    assert "illustrative" in scheme.notes


def test_default_scheme_mixes_every_builtin_rule(scheme: ps.Scheme) -> None:
    """Every built-in rule kind appears, with ratio on one and on two inputs."""
    kinds = _kinds(scheme)
    assert {k for k, _ in kinds} == {cls.kind for cls in BUILTIN_RULES}  # type: ignore[attr-defined]
    assert kinds[("ratio", 1)] > 0
    assert kinds[("ratio", 2)] > 0
    assert kinds[("yes_no", 2)] > 0
    # no kind dominates: the most common is under half of the leaves
    assert max(kinds.values()) < 100


def test_leaf_max_points_are_quarter_points(scheme: ps.Scheme) -> None:
    """Every leaf is worth a positive multiple of 0.25 points."""
    for leaf in scheme.leaves():
        assert leaf.max > 0
        assert (leaf.max * 4).is_integer()


def test_synthetic_scheme_is_deterministic() -> None:
    """The same arguments give the same scheme; another seed gives another scheme."""
    assert synthetic_scheme(seed=3) == synthetic_scheme(seed=3)
    assert ps.fingerprint(synthetic_scheme(seed=3)) == ps.fingerprint(synthetic_scheme(seed=3))
    assert ps.fingerprint(synthetic_scheme(seed=3)) != ps.fingerprint(synthetic_scheme(seed=4))


@pytest.mark.parametrize(
    ("n_fields", "n_criteria", "n_leaves"),
    [(1, 1, 1), (3, 5, 9), (8, 8, 8), (10, 30, 60), (8, 40, 1000)],
)
def test_synthetic_scheme_sizes(n_fields: int, n_criteria: int, n_leaves: int) -> None:
    """Any consistent sizes give a valid scheme with exactly that many fields, criteria, leaves."""
    s = synthetic_scheme(n_fields=n_fields, n_criteria=n_criteria, n_leaves=n_leaves, seed=1)
    assert len(s.nodes) == n_fields
    assert sum(len(n.children) or 1 for n in s.nodes) == n_criteria
    assert len(list(s.leaves())) == n_leaves
    assert s.max_points == pytest.approx(100.0, abs=1e-9)


@pytest.mark.parametrize(
    ("n_fields", "n_criteria", "n_leaves"), [(0, 1, 1), (3, 2, 5), (2, 4, 3), (1, 1, 20_000)]
)
def test_synthetic_scheme_rejects_inconsistent_sizes(
    n_fields: int, n_criteria: int, n_leaves: int
) -> None:
    """Sizes that cannot make a tree of 100 points raise ValueError."""
    with pytest.raises(ValueError, match=r"n_fields|too many leaves"):
        synthetic_scheme(n_fields=n_fields, n_criteria=n_criteria, n_leaves=n_leaves)


def test_example_data_columns_and_shapes(scheme: ps.Scheme) -> None:
    """example_data gives unit_id then every input column, each with one cell per unit."""
    data = example_data(scheme, 25)
    compiled = ps.compile_scheme(scheme)
    assert list(data) == ["unit_id", *compiled.columns]
    assert all(col.shape == (25,) for col in data.values())
    assert data["unit_id"][0] == "xa-0001"
    assert data["unit_id"][-1] == "xa-0025"
    assert all(data[c].dtype == np.float64 for c in compiled.columns)


def test_unit_ids_widen_with_the_number_of_units(scheme: ps.Scheme) -> None:
    """Unit ids stay unique and sortable when there are more than 9,999 units."""
    ids, _ = example_matrix(scheme, 12_345)
    assert ids[0] == "xa-00001"
    assert ids[-1] == "xa-12345"
    assert len(set(ids)) == 12_345


def test_example_data_is_deterministic(scheme: ps.Scheme) -> None:
    """The same seed gives identical data; another seed gives different data."""
    a = example_data(scheme, 50, seed=7)
    b = example_data(scheme, 50, seed=7)
    c = example_data(scheme, 50, seed=8)
    assert all(np.array_equal(a[k], b[k]) for k in a)
    assert any(not np.array_equal(a[k], c[k]) for k in a if k != "unit_id")


def test_example_matrix_matches_example_data(scheme: ps.Scheme) -> None:
    """example_matrix holds the numbers of example_data in the compiled matrix order."""
    data = example_data(scheme, 40, seed=5)
    ids, matrix = example_matrix(scheme, 40, seed=5)
    compiled = ps.compile_scheme(scheme)
    assert matrix.shape == (40, len(compiled.matrix_columns))
    assert matrix.flags.c_contiguous
    assert list(ids) == list(data["unit_id"])
    for j, name in enumerate(compiled.matrix_columns):
        np.testing.assert_array_equal(matrix[:, j], data[name])


def test_example_data_is_valid_and_tiers_are_spread(scheme: ps.Scheme) -> None:
    """Scoring 1,000 generated units raises nothing and uses at least three tiers."""
    result = ps.score(scheme, example_data(scheme, 1000, seed=2026))
    counts = Counter(result.tier.tolist())
    assert len(counts) >= 3
    assert max(counts.values()) < 900  # no tier swallows nearly everyone
    assert len(np.unique(result.total)) > 500  # the ranking is meaningful, not mostly ties


def test_numpy_and_mapping_paths_agree(scheme: ps.Scheme) -> None:
    """Scoring the matrix and scoring the columns give the same totals, tiers and ranks."""
    ids, matrix = example_matrix(scheme, 300, seed=11)
    by_matrix = ps.score(scheme, matrix, unit_ids=ids)
    by_columns = ps.score(scheme, example_data(scheme, 300, seed=11))
    np.testing.assert_array_equal(by_matrix.total, by_columns.total)
    np.testing.assert_array_equal(by_matrix.tier, by_columns.tier)
    np.testing.assert_array_equal(by_matrix.rank, by_columns.rank)


def test_every_seed_gives_valid_data_for_every_scheme() -> None:
    """Data for schemes of several seeds and sizes always scores without error."""
    for seed in range(6):
        s = synthetic_scheme(n_fields=4 + seed, n_criteria=12 + seed, n_leaves=30 + 7 * seed)
        result = ps.score(s, example_data(s, 200, seed=seed))
        assert np.all((result.index >= 0) & (result.index <= 100))


def test_missing_cells_follow_the_policy(scheme: ps.Scheme) -> None:
    """missing_rate leaves NaN cells: an error by default, scorable with missing='zero'."""
    data = example_data(scheme, 200, seed=1, missing_rate=0.05)
    nan_share = np.mean([np.isnan(data[c]).mean() for c in ps.compile_scheme(scheme).columns])
    assert 0.02 < nan_share < 0.08
    with pytest.raises(ps.MeasurementsError, match="missing"):
        ps.score(scheme, data)
    full = ps.score(scheme, example_data(scheme, 200, seed=1))
    zero = ps.score(scheme, data, missing="zero")
    assert np.all(zero.total <= full.total + 1e-9)
    assert np.any(zero.total < full.total)


def test_not_applicable_cells_leave_the_max(scheme: ps.Scheme) -> None:
    """not_applicable_rate writes "n/a" cells, which lower the applicable max of units."""
    data = example_data(scheme, 200, seed=1, not_applicable_rate=0.1)
    assert any(
        col.dtype == object and "n/a" in set(col.tolist())
        for key, col in data.items()
        if key != "unit_id"
    )
    result = ps.score(scheme, data)
    assert np.all(result.max < 100.0)
    assert np.all(result.max > 0.0)


def test_every_unit_keeps_something_applicable() -> None:
    """Even with high rates every unit keeps one applicable, filled-in leaf."""
    s = synthetic_scheme(n_fields=1, n_criteria=1, n_leaves=2)
    data = example_data(s, 300, seed=0, missing_rate=0.5, not_applicable_rate=0.49)
    result = ps.score(s, data, missing="zero")
    assert np.all(result.max > 0.0)


def test_other_schemes_get_valid_data() -> None:
    """A hand-written scheme (low-is-better bands, adjustments …) gets valid inputs."""
    s = ps.Scheme(
        id="hand-made",
        name="Ví dụ",
        tiers=ps.TierScale(scale=[ps.Tier(name="Đạt", min=50), ps.Tier(name="Không đạt", min=0)]),
        adjustments=ps.Adjustments(bonus=ps.Adjustment(max=2), penalty=ps.Adjustment(max=1)),
        nodes=[
            ps.Node(
                id="1",
                name="Lĩnh vực 1",
                children=[
                    ps.Node(
                        id="1.1",
                        name="Tỷ lệ trễ hạn (thấp là tốt)",
                        max_points=2,
                        rule=ps.Bands(
                            bands=[ps.Band(lt=5, points=2), ps.Band(ge=5, le=20, points=1)]
                        ),
                    ),
                    ps.Node(
                        id="1.2",
                        name="Số lượng (không phải tỷ lệ)",
                        max_points=3,
                        rule=ps.Bands(bands=[ps.Band(ge=500, points=3)], otherwise=1),
                    ),
                    ps.Node(
                        id="1.3",
                        name="Lựa chọn",
                        max_points=1,
                        rule=ps.Choice(options={"khong": 0, "mot_phan": 0.5, "day_du": 1}),
                    ),
                    ps.Node(
                        id="1.4",
                        name="Khảo sát",
                        max_points=4,
                        rule=ps.Survey(options={"Rất hài lòng": 100, "Hài lòng": 75, "Không": 0}),
                    ),
                    ps.Node(
                        id="1.5",
                        name="Phản ánh",
                        max_points=2,
                        rule=ps.Ratio(inputs=("xu_ly", "tiep_nhan"), when_empty="not_applicable"),
                    ),
                ],
            )
        ],
    )
    data = example_data(s, 500, seed=3)
    assert {"bonus", "penalty"} <= set(data)
    assert np.all(data["bonus"] >= 0)
    assert np.all(data["penalty"] >= 0)
    assert np.all(np.isin(data["1.3"], [0.0, 1.0, 2.0]))
    result = ps.score(s, data)
    # low values of 1.1 are better: the best units mostly earn its full 2 points
    best = result.rank <= 50
    assert np.mean(result.points["1.1"][best] == 2.0) > 0.5


@attrs.frozen(kw_only=True)
class _Custom:
    """A minimal plugin-style rule that example_data does not know."""

    kind: ClassVar[str] = "custom_for_datasets_test"

    @property
    def inputs(self) -> tuple[str, ...]:
        return ("value",)

    def points(self, values: FloatArray, max_points: float) -> FloatArray:
        return np.clip(values[0], 0.0, max_points)

    def check(self, values: FloatArray, max_points: float) -> list[tuple[BoolArray, str]]:
        del values, max_points
        return []

    def bounds(self, max_points: float) -> tuple[float, float]:
        return (0.0, max_points)

    def problems(self, max_points: float) -> list[tuple[str, str]]:
        del max_points
        return []

    def describe(self, lang: Language = "vi") -> str:
        del lang
        return "custom"


def test_unknown_rules_are_reported() -> None:
    """A rule that is not built in is reported as a SchemeError naming the node."""
    s = ps.Scheme(
        id="custom",
        name="Ví dụ",
        tiers=ps.TierScale(scale=[ps.Tier(name="Tất cả", min=0)]),
        nodes=[
            ps.Node(id="1", name="Một", max_points=1, rule=ps.YesNo()),
            ps.Node(id="2", name="Hai", max_points=1, rule=_Custom()),
        ],
    )
    with pytest.raises(ps.SchemeError, match="custom_for_datasets_test") as info:
        example_data(s, 3)
    assert [p.node_id for p in info.value.problems] == ["2"]


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"n_units": 0}, "n_units"),
        ({"n_units": 2.5}, "n_units"),
        ({"n_units": 3, "missing_rate": 1.0}, "missing_rate"),
        ({"n_units": 3, "not_applicable_rate": -0.1}, "not_applicable_rate"),
    ],
)
def test_example_data_rejects_bad_arguments(
    scheme: ps.Scheme, kwargs: dict[str, float], fragment: str
) -> None:
    """Bad sizes and rates raise ValueError naming the argument."""
    with pytest.raises(ValueError, match=fragment):
        example_data(scheme, **kwargs)  # type: ignore[arg-type]
