"""The public surface: exported names, the result table, explanations, picklable errors."""

from __future__ import annotations

import pickle
from decimal import Decimal

import numpy as np
import pytest

import parscore as ps

SCHEME = ps.Scheme(
    id="api-example",
    name="Bộ chỉ số ví dụ",
    nodes=[
        ps.Node(
            id="1",
            name="Công tác chỉ đạo, điều hành CCHC",
            children=[
                ps.Node(
                    id="1.1",
                    name="Ban hành kế hoạch CCHC năm",
                    max_points=1,
                    rule=ps.Choice(options={"kip_thoi": 1, "khong_kip_thoi": 0.5, "khong": 0}),
                    legal_basis="Quyết định số 1/QĐ-UBND, mục 1.1",
                ),
                ps.Node(id="1.2", name="Báo cáo CCHC", max_points=1, rule=ps.YesNo()),
            ],
        ),
        ps.Node(
            id="3.1",
            name="Tỷ lệ hồ sơ đúng hạn",
            max_points=8,
            rule=ps.Ratio(inputs=["on_time", "received"]),
        ),
    ],
    tiers=ps.TierScale(scale=[ps.Tier(name="Tốt", min=80), ps.Tier(name="Yếu", min=0)]),
)

DATA: dict[str, list[object]] = {
    "unit_id": ["xa-001", "xa-002"],
    "group": ["xa", "xa"],
    "1.1": ["kip_thoi", "khong_kip_thoi"],
    "1.2": [1, "n/a"],
    "3.1:on_time": [6, 8],
    "3.1:received": [8, 8],
}


def test_every_name_in_all_is_exported() -> None:
    """`import parscore` exposes every name listed in `__all__`, sorted."""
    missing = [name for name in ps.__all__ if not hasattr(ps, name)]
    assert not missing
    assert list(ps.__all__) == sorted(ps.__all__)


def test_to_pandas_has_the_result_table_layout() -> None:
    """to_pandas(): unit_id, group, one column per node, total, max, index, tier, rank."""
    pytest.importorskip("pandas")
    frame = ps.score(SCHEME, DATA).to_pandas()
    assert list(frame.columns) == [
        "unit_id",
        "group",
        "1",
        "1.1",
        "1.2",
        "3.1",
        "total",
        "max",
        "index",
        "tier",
        "rank",
    ]
    # xa-001: 1 + 1 + 8 × 6/8 = 8 of 10; xa-002: 0.5 + n/a + 8 = 8.5 of 9
    assert frame["total"].tolist() == [8.0, 8.5]
    assert frame["max"].tolist() == [10.0, 9.0]
    assert frame["index"].tolist() == [80.0, 94.44]
    assert frame["tier"].tolist() == ["Tốt", "Tốt"]
    assert frame["rank"].tolist() == [2, 1]


def test_explain_covers_every_node_with_its_audit_trail() -> None:
    """explain() gives one row per node with inputs, rule, points, max and legal basis."""
    explanation = ps.score(SCHEME, DATA).explain("xa-002")
    rows = {row.node_id: row for row in explanation.rows}
    assert list(rows) == ["1", "1.1", "1.2", "3.1"]
    leaf = rows["1.1"]
    assert leaf.inputs == {"1.1": 1.0}  # the option's position
    assert leaf.rule is not None
    assert "0,5" in leaf.rule
    assert (leaf.points, leaf.max) == (0.5, 1.0)
    assert leaf.legal_basis == "Quyết định số 1/QĐ-UBND, mục 1.1"
    assert rows["3.1"].inputs == {"3.1:on_time": 8.0, "3.1:received": 8.0}
    assert not rows["1.2"].applicable
    assert rows["1.2"].max == 0.0
    assert (rows["1"].points, rows["1"].max) == (0.5, 1.0)
    assert rows["1"].rule is None
    assert (explanation.total, explanation.max, explanation.index) == (8.5, 9.0, 94.44)
    assert "xa-002" in str(explanation)


@pytest.mark.parametrize(
    "error",
    [
        ps.SchemeError(
            [ps.Problem(message="max cannot be negative", path="$.nodes[0].max", node_id="1")],
            "scheme.yaml",
        ),
        ps.MeasurementsError(
            [ps.CellProblem(message="a count cannot be negative", unit_id="xa-1", column="3.2")],
            "data.csv",
        ),
    ],
    ids=["scheme", "measurements"],
)
def test_errors_pickle_with_their_problems(error: ps.SchemeError | ps.MeasurementsError) -> None:
    """An error survives pickling (process pools) with its problems, source and message."""
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is type(error)
    assert copy.problems == error.problems
    assert copy.source == error.source
    assert str(copy) == str(error)


def test_scoring_leaves_the_callers_measurements_unchanged() -> None:
    """A criterion made not applicable by its rule is not written into the caller's mask."""
    scheme = ps.Scheme(
        id="mask",
        name="Mặt nạ",
        nodes=[
            ps.Node(id="1", name="Báo cáo", max_points=1, rule=ps.YesNo()),
            ps.Node(
                id="2",
                name="Hồ sơ",
                max_points=10,
                rule=ps.Ratio(inputs=["on_time", "received"], when_empty="not_applicable"),
            ),
        ],
        tiers=ps.TierScale(scale=[ps.Tier(name="Yếu", min=0)]),
    )
    data = ps.Measurements.from_columns(
        scheme,
        {"unit_id": ["a", "b"], "1": ["n/a", 1], "2:on_time": [1, 0], "2:received": [1, 0]},
    )
    assert data.na_mask is not None
    before = data.na_mask.copy()
    result = ps.score(scheme, data)
    assert result.max.tolist() == [10.0, 1.0]
    np.testing.assert_array_equal(data.na_mask, before)


COUNTS = ps.Scheme(
    id="counts",
    name="Số liệu đếm",
    nodes=[
        ps.Node(
            id="3.1",
            name="Tỷ lệ hồ sơ đúng hạn",
            max_points=10,
            rule=ps.Ratio(inputs=["on_time", "received"]),
        ),
        ps.Node(id="3.2", name="Tỷ lệ trực tuyến", max_points=4, rule=ps.Ratio()),
        ps.Node(id="3.3", name="Điểm hội đồng", max_points=2, rule=ps.Points()),
    ],
    tiers=ps.TierScale(scale=[ps.Tier(name="Tốt", min=80), ps.Tier(name="Yếu", min=0)]),
)


def test_counts_written_with_thousands_separators_are_whole_numbers() -> None:
    """A count cell "1.234" or "1,234" is 1234 dossiers; a percentage may end in "%"."""
    result = ps.score(
        COUNTS,
        {
            "unit_id": ["xa-1", "xa-2"],
            "3.1:on_time": ["1.234", "999"],
            "3.1:received": ["2,468", "1.998"],
            "3.2": ["85%", "92,5 %"],
            "3.3": ["1,5", "2"],
        },
    )
    assert result.points["3.1"].tolist() == [5.0, 5.0]  # 1234 / 2468 and 999 / 1998
    assert result.points["3.2"].tolist() == [3.4, 3.7]  # 4 × 85 % and 4 × 92.5 %
    assert result.points["3.3"].tolist() == [1.5, 2.0]  # points keep the decimal comma


def test_a_percent_sign_is_not_read_where_no_percentage_is_due() -> None:
    """Points written as "85%" are reported, not silently read as 85."""
    with pytest.raises(ps.MeasurementsError) as info:
        ps.score(
            COUNTS,
            {
                "unit_id": ["xa-1"],
                "3.1:on_time": [1],
                "3.1:received": [2],
                "3.2": [50],
                "3.3": ["85%"],
            },
        )
    assert [(p.unit_id, p.column) for p in info.value.problems] == [("xa-1", "3.3")]


def test_decimal_and_pandas_missing_cells_are_read() -> None:
    """Decimal cells (from JSON or SQL) are numbers; pandas' NA is a missing value."""
    pd = pytest.importorskip("pandas")
    data = {
        "unit_id": ["xa-1", "xa-2"],
        "3.1:on_time": [Decimal("3"), 4],
        "3.1:received": [Decimal("4"), 4],
        "3.2": pd.array([50.0, None], dtype="Float64"),
        "3.3": pd.Series([Decimal("1.5"), pd.NA], dtype=object),
    }
    result = ps.score(COUNTS, data, missing="zero")
    assert result.points["3.1"].tolist() == [7.5, 10.0]
    assert result.points["3.2"].tolist() == [2.0, 0.0]
    assert result.points["3.3"].tolist() == [1.5, 0.0]


def test_explanation_shows_not_applicable_inputs_as_na() -> None:
    """A criterion marked "n/a" shows n/a in the audit trail, a missing one "missing"."""
    result = ps.score(
        COUNTS,
        {
            "unit_id": ["xa-1"],
            "3.1:on_time": ["n/a"],
            "3.1:received": ["n/a"],
            "3.2": [None],
            "3.3": [1],
        },
        missing="zero",
    )
    text = str(result.explain("xa-1"))
    assert "3.1:on_time=n/a" in text
    assert "3.2=missing" in text


def test_result_to_json_is_the_web_service_layout() -> None:
    """to_json() gives the scheme's identity, the columns and one object per unit, in UTF-8."""
    import json

    result = ps.score(SCHEME, DATA)
    text = result.to_json(component_index=True)
    data = json.loads(text)
    assert data["scheme"]["fingerprint"] == result.fingerprint
    assert data["columns"][:4] == ["unit_id", "group", "1", "1.1"]
    assert [u["unit_id"] for u in data["units"]] == [str(u) for u in result.unit_ids]
    assert [u["index"] for u in data["units"]] == result.index.tolist()
    assert "Bộ chỉ số" in text  # Vietnamese kept as characters, not \\u escapes
