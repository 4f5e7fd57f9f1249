"""The result-table layout (DESIGN §8): label columns, nodes that do not apply, node max."""

from __future__ import annotations

import json
import math

import attrs
import numpy as np
import pytest

import parscore as ps

SCHEME = ps.Scheme(
    id="layout-case",
    name="Bộ chỉ số thử bảng kết quả",
    year=2026,
    level="commune",
    tiers=ps.TierScale(scale=[ps.Tier(name="Tốt", min=80), ps.Tier(name="Khá", min=0)]),
    nodes=[
        ps.Node(
            id="1",
            name="Công tác chỉ đạo, điều hành",
            children=[
                ps.Node(id="1.1", name="Kế hoạch CCHC", max_points=2, rule=ps.YesNo()),
                ps.Node(id="1.2", name="Báo cáo", max_points=1, rule=ps.YesNo()),
            ],
        ),
        ps.Node(
            id="2",
            name="Thủ tục hành chính",
            children=[ps.Node(id="2.1", name="Tỷ lệ đúng hạn", max_points=7, rule=ps.Ratio())],
        ),
    ],
)
NODE_IDS = ["1", "1.1", "1.2", "2", "2.1"]
LABELS = {
    "STT": ["1", "2", "3"],
    "Tên đơn vị": ["Xã Đồng Tâm", 'Phường "Một"', "Thị trấn, Hòa Bình"],
    "Huyện": ["Mỹ Đức", "", "Ba Vì"],
}


def with_labels(result: ps.Result, labels: dict[str, list[str]]) -> ps.Result:
    """*result* carrying *labels* as the data door will hand them over."""
    columns = {name: np.array(values, dtype=object) for name, values in labels.items()}
    return attrs.evolve(result, measurements=attrs.evolve(result.measurements, labels=columns))


@pytest.fixture(scope="module")
def result() -> ps.Result:
    """Unit a earned 0 at 1.1; 1.2 does not apply to b; 2.1 (so field 2) not to c."""
    data = {
        "unit_id": ["a", "b", "c"],
        "group": ["xã", "phường", "xã"],
        "1.1": [0, 1, 1],
        "1.2": [1, 1, 1],
        "2.1": [50, 100, 100],
    }
    na = {"1.2": [False, True, False], "2.1": [False, False, True]}
    return with_labels(ps.score(SCHEME, data, not_applicable=na), LABELS)


def test_columns_follow_the_layout(result: ps.Result) -> None:
    """unit_id, labels in order, group, nodes, total … rank, then %, lost and max per node."""
    names = [c[0] for c in result.table_columns(component_index=True, lost=True, node_max=True)]
    assert names == [
        "unit_id",
        "STT",
        "Tên đơn vị",
        "Huyện",
        "group",
        *NODE_IDS,
        "total",
        "max",
        "index",
        "tier",
        "rank",
        *(f"{n} %" for n in NODE_IDS),
        *(f"{n} lost" for n in NODE_IDS),
        *(f"{n} max" for n in NODE_IDS),
    ]
    assert list(result.to_dict()) == names[: names.index("rank") + 1]
    assert list(result.to_pandas(component_index=True, lost=True, node_max=True).columns) == names
    assert result.to_json_dict(component_index=True, lost=True, node_max=True)["columns"] == names


def test_label_columns_are_text_in_every_view(result: ps.Result) -> None:
    """Label columns keep their text, "" for an empty cell, kind "text", in every view."""
    kinds = {name: kind for name, kind, _ in result.table_columns()}
    assert [kinds[n] for n in LABELS] == ["text"] * 3
    assert {n: result.to_dict()[n] for n in LABELS} == LABELS
    frame = result.to_pandas()
    assert frame["Tên đơn vị"].tolist() == LABELS["Tên đơn vị"]
    units = json.loads(result.to_json())["units"]
    assert [u["Huyện"] for u in units] == ["Mỹ Đức", "", "Ba Vì"]


@pytest.mark.parametrize("name", ["unit_id", "group", "1.2", "total", "rank", "tier"])
def test_label_named_like_a_result_column_is_refused(result: ps.Result, name: str) -> None:
    """A label column named like a result column raises instead of overwriting either."""
    clashing = with_labels(result, {name: ["x", "y", "z"]})
    with pytest.raises(ps.MeasurementsError, match=rf'column "{name}".*name of a result column'):
        clashing.table_columns()
    with pytest.raises(ps.MeasurementsError):
        clashing.to_pandas()


def test_label_named_like_an_extra_column_is_refused_when_asked_for(result: ps.Result) -> None:
    """A label "1.2 lost" is fine until the points-lost columns are asked for."""
    clashing = with_labels(result, {"1.2 lost": ["x", "y", "z"]})
    assert clashing.table_columns()[1][0] == "1.2 lost"
    with pytest.raises(ps.MeasurementsError, match=r"1\.2 lost"):
        clashing.table_columns(lost=True)


def test_not_applicable_nodes_have_no_points(result: ps.Result) -> None:
    """A node that does not apply (or no leaf of which does) is None/null/NaN; a zero stays 0.0."""
    table = result.to_dict(lost=True)
    assert table["1.1"] == [0.0, 2.0, 2.0]  # a earned zero
    assert table["1.2"] == [1.0, None, 1.0]
    assert table["1"] == [1.0, 2.0, 3.0]  # 1.1 still applies to b
    assert table["2.1"] == [3.5, 7.0, None]
    assert table["2"] == [3.5, 7.0, None]
    assert table["1.2 lost"] == [0.0, None, 0.0]
    assert table["2 lost"] == [3.5, 0.0, None]
    assert table["1.1 lost"] == [2.0, 0.0, 0.0]
    by_name = {name: values for name, _, values in result.table_columns()}
    assert by_name["2"] == [3.5, 7.0, None]
    frame = result.to_pandas()
    assert frame["1.2"].isna().tolist() == [False, True, False]
    assert frame["2"].isna().tolist() == [False, False, True]
    assert frame["1.1"].tolist()[0] == 0.0
    units = json.loads(result.to_json(lost=True))["units"]
    assert units[1]["1.2"] is None
    assert units[2]["2"] is None
    assert units[2]["2 lost"] is None


def test_totals_and_indexes_are_unchanged(result: ps.Result) -> None:
    """Nodes that do not apply leave totals, max and index as the engine scored them."""
    table = result.to_dict()
    assert table["total"] == [4.5, 9.0, 3.0]
    assert table["max"] == [10.0, 9.0, 3.0]
    assert table["index"] == [45.0, 100.0, 100.0]


def test_points_and_matrix_keep_zero_and_take_na(result: ps.Result) -> None:
    """points[...] and matrix() keep 0 where a node does not apply; matrix(na=nan) gives NaN."""
    assert result.points["2"].tolist() == [3.5, 7.0, 0.0]
    assert result.matrix("points")[2, NODE_IDS.index("2")] == 0.0
    shown = result.matrix("points", na=np.nan)
    assert np.isnan(shown[:, NODE_IDS.index("1.2")]).tolist() == [False, True, False]
    assert np.isnan(shown[:, NODE_IDS.index("2")]).tolist() == [False, False, True]
    mask = result.node_na_mask
    assert mask is not None
    assert mask.shape == (3, len(NODE_IDS))
    assert mask.sum() == 3


def test_everything_applies_gives_no_mask() -> None:
    """Without criteria that do not apply the mask is None and matrix(na=...) changes nothing."""
    plain = ps.score(SCHEME, {"unit_id": ["a"], "1.1": [1], "1.2": [0], "2.1": [70]})
    assert plain.node_na_mask is None
    np.testing.assert_array_equal(plain.matrix("points", na=np.nan), plain.matrix("points"))


def test_node_max_columns_give_the_applicable_max(result: ps.Result) -> None:
    """Columns "<id> max" hold each node's applicable max per unit: 0 where it does not apply."""
    table = result.to_dict(node_max=True)
    assert table["1 max"] == [3.0, 2.0, 3.0]
    assert table["1.2 max"] == [1.0, 0.0, 1.0]
    assert table["2 max"] == [7.0, 7.0, 0.0]
    assert result.to_pandas(node_max=True)["2.1 max"].tolist() == [7.0, 7.0, 0.0]


def test_json_lists_the_nodes_and_is_strict(result: ps.Result) -> None:
    """The JSON lists each node's id, name, max and depth, and holds no NaN."""
    text = result.to_json(component_index=True, lost=True, node_max=True)

    def refuse(token: str) -> object:
        raise AssertionError(token)

    data = json.loads(text, parse_constant=refuse)
    assert data["nodes"][:3] == [
        {"id": "1", "name": "Công tác chỉ đạo, điều hành", "max": 3.0, "depth": 0},
        {"id": "1.1", "name": "Kế hoạch CCHC", "max": 2.0, "depth": 1},
        {"id": "1.2", "name": "Báo cáo", "max": 1.0, "depth": 1},
    ]
    assert data["units"][2]["2 %"] is None


def test_explanation_carries_the_labels(result: ps.Result) -> None:
    """explain() names the unit's labels in its header line, leaving empty ones out."""
    explanation = result.explain("b")
    assert explanation.labels == {"STT": "2", "Tên đơn vị": 'Phường "Một"', "Huyện": ""}
    assert explanation.header == 'Unit b (STT: 2; Tên đơn vị: Phường "Một") — scheme layout-case'
    assert str(explanation).splitlines()[0] == explanation.header
    assert "n/a" in str(explanation).splitlines()[4]  # 1.2 does not apply to b


def test_explanation_without_labels_keeps_its_header(result: ps.Result) -> None:
    """Without label columns the header is the unit and the scheme, as before."""
    plain = with_labels(result, {})
    assert plain.explain("a").header == "Unit a — scheme layout-case"


def test_report_and_notebook_show_the_labels(result: ps.Result) -> None:
    """The HTML report's ranking and the notebook view show each unit's labels, escaped."""
    from parscore.report import render_report

    page = render_report(result, plots=False)
    ranking = page[page.index('id="ranking"') : page.index('id="fields"')]
    assert "Tên đơn vị" in ranking
    assert "Phường &quot;Một&quot;" in ranking
    assert "Thị trấn, Hòa Bình" in ranking
    lost = page[page.index('id="lost"') :]
    assert "Xã Đồng Tâm" in lost  # a lost points in field 1 and 2
    notebook = result._repr_html_()
    assert "Huyện" in notebook
    assert "Mỹ Đức" in notebook


def test_report_shows_no_points_where_a_field_does_not_apply(result: ps.Result) -> None:
    """The report renders a field that does not apply to a unit without NaN text."""
    from parscore.report import render_report

    page = render_report(result, plots=False)
    assert ">nan" not in page.lower()
    assert not math.isnan(result.points["2"][2])


def test_explain_takes_the_unit_by_keyword_or_position(result: ps.Result) -> None:
    """explain(unit=...) and explain(...) name the same unit."""
    assert str(result.explain(unit="b")) == str(result.explain("b"))


def test_explain_unit_id_is_deprecated_but_works(result: ps.Result) -> None:
    """explain(unit_id=...) still explains the unit, with a DeprecationWarning."""
    with pytest.warns(DeprecationWarning, match=r"explain\(unit=\.\.\.\)"):
        old = result.explain(unit_id="b")
    assert str(old) == str(result.explain(unit="b"))


def test_explain_needs_a_unit(result: ps.Result) -> None:
    """explain() without a unit is a TypeError saying how to name one."""
    with pytest.raises(TypeError, match="needs the unit's id"):
        result.explain()


def test_explain_refuses_unit_and_unit_id_together(result: ps.Result) -> None:
    """explain(unit=..., unit_id=...) is a TypeError, after the deprecation warning."""
    with (
        pytest.warns(DeprecationWarning, match="unit_id"),
        pytest.raises(TypeError, match="takes the unit once"),
    ):
        result.explain(unit="a", unit_id="b")


def test_node_max_matrix_is_unrounded_and_breadth_first(result: ps.Result) -> None:
    """node_max_matrix rows follow compiled.node_ids; node_max_points agrees by node id."""
    matrix = result.node_max_matrix
    assert matrix is not None
    assert matrix.shape == (len(NODE_IDS), result.n_units)
    for pos, node_id in enumerate(result.compiled.node_ids):
        np.testing.assert_array_equal(result.node_max_points[node_id], matrix[pos])


def test_node_max_is_a_deprecated_alias(result: ps.Result) -> None:
    """Result.node_max gives node_max_matrix, with a DeprecationWarning."""
    with pytest.warns(DeprecationWarning, match="node_max_matrix"):
        old = result.node_max
    assert old is result.node_max_matrix


def test_explanation_rows_show_their_inputs(result: ps.Result) -> None:
    """shown_inputs() writes each input as ``column=value``; a parent shows none."""
    rows = {row.node_id: row for row in result.explain("b").rows}
    assert rows["1.1"].shown_inputs() == "1.1=1"
    assert rows["1"].shown_inputs() == ""


def test_explanation_summary_is_its_last_line(result: ps.Result) -> None:
    """Explanation.summary is the total line that closes str(explanation)."""
    explanation = result.explain("a")
    assert str(explanation).splitlines()[-1] == explanation.summary
    assert explanation.summary.startswith("total ")


def test_table_arrays_hold_the_table_columns(result: ps.Result) -> None:
    """table_arrays() has the names, kinds and (NaN for None) values of table_columns()."""
    arrays = result.table_arrays(lost=True, node_max=True)
    columns = result.table_columns(lost=True, node_max=True)
    assert [(n, k) for n, k, _ in arrays] == [(n, k) for n, k, _ in columns]
    for (_, _, values), (_, _, listed) in zip(arrays, columns, strict=True):
        assert [None if v != v else v for v in values.tolist()] == listed  # noqa: PLR0124 - NaN


def test_json_header_heads_the_json_document(result: ps.Result) -> None:
    """json_header() is the scheme and nodes entries of to_json_dict()."""
    document = result.to_json_dict()
    assert result.json_header() == {k: document[k] for k in ("scheme", "nodes")}


def test_matrix_takes_a_quantity_and_the_old_kind_keyword_warns() -> None:
    """matrix(quantity) names what it reads; matrix(kind=...) still works with a warning."""
    from parscore.datasets import example_data, synthetic_scheme

    scheme = synthetic_scheme()
    result = ps.score(scheme, example_data(scheme, 3))
    lost = result.matrix("lost")
    np.testing.assert_array_equal(result.matrix(quantity="lost"), lost)
    with pytest.warns(DeprecationWarning, match="quantity"):
        np.testing.assert_array_equal(result.matrix(kind="lost"), lost)
    with pytest.raises(ValueError, match="quantity must be"):
        result.matrix("everything")
