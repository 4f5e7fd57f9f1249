"""Measurements from numpy matrices, column mappings and data frames, and their errors."""

from __future__ import annotations

import numpy as np
import pytest

import parscore as ps

SCHEME = ps.Scheme(
    id="matrix",
    name="Ma trận",
    nodes=[
        ps.Node(
            id="1",
            name="Lĩnh vực 1",
            children=[
                ps.Node(id="1.1", name="Báo cáo", max_points=1, rule=ps.YesNo()),
                ps.Node(id="1.2", name="Văn bản trễ hạn", max_points=2, rule=ps.Deduction(per=0.5)),
            ],
        ),
        ps.Node(
            id="2",
            name="Tỷ lệ đúng hạn",
            max_points=7,
            rule=ps.Ratio(inputs=("on_time", "received")),
        ),
    ],
    tiers=ps.TierScale(scale=[ps.Tier(name="Tốt", min=80), ps.Tier(name="Yếu", min=0)]),
    adjustments=ps.Adjustments(bonus=ps.Adjustment(max=1)),
)
COMPILED = ps.compile_scheme(SCHEME)
ROWS = {  # unit -> input column -> value
    "xa-1": {"1.1": 1, "1.2": 1, "2:on_time": 7, "2:received": 10},
    "xa-2": {"1.1": 0, "1.2": 0, "2:on_time": 5, "2:received": 5},
}


def _matrix(order: tuple[str, ...]) -> np.ndarray:
    return np.array([[ROWS[u][c] for c in order] for u in ROWS], dtype=float)


def test_matrix_in_storage_order_scores_like_the_mapping() -> None:
    """A matrix in matrix_columns order, or with named columns, scores like a dict."""
    expected = ps.score(
        SCHEME, {"unit_id": list(ROWS), **{c: [ROWS[u][c] for u in ROWS] for c in COMPILED.columns}}
    )
    by_order = ps.score(SCHEME, _matrix(COMPILED.matrix_columns), unit_ids=list(ROWS))
    named = ps.Measurements.from_array(
        SCHEME, _matrix(COMPILED.columns), list(ROWS), columns=COMPILED.columns
    )
    for result in (by_order, ps.score(SCHEME, named)):
        np.testing.assert_array_equal(result.total, expected.total)
        np.testing.assert_array_equal(result.matrix("points"), expected.matrix("points"))
    assert expected.total.tolist() == [7.4, 9.0]  # 1 + (2 - 0.5) + 7 × 7/10; 0 + 2 + 7
    assert named.column("2:on_time").tolist() == [7.0, 5.0]


def test_matrix_with_groups_bonus_and_not_applicable() -> None:
    """from_array takes groups, a bonus column and a not-applicable matrix."""
    na = np.zeros((2, COMPILED.n_leaves), dtype=bool)
    na[1, COMPILED.leaf_ids.index("2")] = True
    data = ps.Measurements.from_array(
        SCHEME,
        _matrix(COMPILED.matrix_columns),
        list(ROWS),
        groups=["xã", "phường"],
        bonus=[0.5, 3],
        not_applicable=na,
    )
    result = ps.score(SCHEME, data)
    # 7.4 + bonus 0.5; 0 + 2 (criterion 2 does not apply) + bonus capped at 1, within max 3
    assert result.total.tolist() == [7.9, 3.0]
    assert result.max.tolist() == [10.0, 3.0]
    assert result.rank.tolist() == [1, 1]  # each unit is alone in its group


@pytest.mark.parametrize(
    ("values", "kwargs", "fragment"),
    [
        (np.zeros((2, 3)), {}, "values have 3 columns but the scheme reads 4"),
        (np.zeros(4), {}, "must be a 2-D matrix"),
        (np.zeros((2, 4)), {"columns": ["1.1", "1.2"]}, "2 column names for 4 columns"),
        ([["a", "b", "c", "d"], [1, 2, 3, 4]], {}, "values must be numbers"),
    ],
)
def test_bad_matrices_are_reported(
    values: object, kwargs: dict[str, object], fragment: str
) -> None:
    """A matrix of the wrong shape or type is a MeasurementsError saying what was expected."""
    with pytest.raises(ps.MeasurementsError, match=fragment):
        ps.Measurements.from_array(SCHEME, values, ["xa-1", "xa-2"], **kwargs)  # type: ignore[arg-type]


def test_a_matrix_needs_unit_ids_and_data_must_be_a_table() -> None:
    """score() says what it needs for a matrix, and what it accepts."""
    with pytest.raises(ps.MeasurementsError, match="needs unit_ids"):
        ps.score(SCHEME, _matrix(COMPILED.matrix_columns))
    with pytest.raises(ps.MeasurementsError, match="has no named columns"):
        ps.score(SCHEME, _matrix(COMPILED.matrix_columns), unit_ids=list(ROWS), group="huyen")
    with pytest.raises(ps.ParscoreError, match="data must be a mapping of columns"):
        ps.score(SCHEME, [1, 2, 3])
    with pytest.raises(TypeError):
        ps.score(SCHEME, "table.csv")


def test_not_applicable_mask_errors_are_listed() -> None:
    """A not-applicable mapping naming no node, or with the wrong length, is reported."""
    data = {"unit_id": list(ROWS), **{c: [ROWS[u][c] for u in ROWS] for c in COMPILED.columns}}
    with pytest.raises(ps.MeasurementsError) as info:
        ps.score(SCHEME, data, not_applicable={"9": [True, False], "1": [True]})
    messages = [str(p) for p in info.value.problems]
    assert any('column "9"' in m and "names no node" in m for m in messages), messages
    assert any('column "1"' in m and "needs 2 booleans" in m for m in messages), messages
    with pytest.raises(ps.MeasurementsError, match="boolean matrix of shape"):
        ps.score(SCHEME, data, not_applicable=np.zeros((2, 2), dtype=bool))


def test_not_applicable_added_to_given_measurements_does_not_change_them() -> None:
    """score(measurements, not_applicable=...) scores with the mask and leaves the input as is."""
    data = ps.Measurements.from_array(SCHEME, _matrix(COMPILED.matrix_columns), list(ROWS))
    result = ps.score(SCHEME, data, not_applicable={"1": [True, False]})
    assert result.max.tolist() == [7.0, 10.0]
    assert data.na_mask is None
    with pytest.raises(ps.MeasurementsError, match="carry their own unit ids"):
        ps.score(SCHEME, data, group="huyen")


def test_data_frames_by_index_and_with_repeated_columns() -> None:
    """A frame indexed by unit_id is read; a frame with a repeated column is an error."""
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame({c: [ROWS[u][c] for u in ROWS] for c in COMPILED.columns})
    frame.index = pd.Index(list(ROWS), name="unit_id")
    assert ps.score(SCHEME, frame).total.tolist() == [7.4, 9.0]
    with pytest.raises(ps.MeasurementsError, match="not unit_ids="):
        ps.score(SCHEME, frame, unit_ids=["a", "b"])
    twice = pd.concat([frame.reset_index(), frame[["1.1"]].reset_index(drop=True)], axis=1)
    with pytest.raises(ps.MeasurementsError, match=r"columns repeat: 1\.1"):
        ps.score(SCHEME, twice)


def test_option_names_match_without_diacritics_case_or_underscores() -> None:
    """Không kịp thời reads as khong_kip_thoi; a loose spelling two options share does not."""
    scheme = ps.Scheme(
        id="options",
        name="Lựa chọn",
        nodes=[
            ps.Node(
                id="1.1",
                name="Ban hành kế hoạch",
                max_points=1,
                rule=ps.Choice(options={"kip_thoi": 1, "khong_kip_thoi": 0.5, "khong_ban_hanh": 0}),
            ),
            ps.Node(
                id="1.2",
                name="Đánh giá",
                max_points=2,
                rule=ps.Choice(options={"Có": 2, "co": 1, "không": 0}),
            ),
        ],
        tiers=ps.TierScale(scale=[ps.Tier(name="Yếu", min=0)]),
    )
    cells = {"1.1": ["Không kịp thời", "KIP-THOI", "khong ban hanh"], "1.2": ["CÓ", "co", "khong"]}
    result = ps.score(scheme, {"unit_id": ["a", "b", "c"], **cells})
    assert result.points["1.1"].tolist() == [0.5, 1.0, 0.0]
    assert result.points["1.2"].tolist() == [2.0, 1.0, 0.0]  # exact names decide "Có" and "co"
    with pytest.raises(ps.MeasurementsError) as info:
        ps.score(scheme, {"unit_id": ["a"], "1.1": ["kip thoi"], "1.2": ["cỏ"]})
    assert [(p.column, p.value) for p in info.value.problems] == [("1.2", "cỏ")]
