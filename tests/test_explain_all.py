"""Result.explain_all: many explanations as arrays, equal to explain() unit by unit (issue 12)."""

from __future__ import annotations

import json
import math
from typing import Any

import attrs
import numpy as np
import pytest

import parscore as ps
from parscore.datasets import builtin_example_data, example_data


def _strict(data: Any) -> Any:
    return json.loads(json.dumps(data, allow_nan=False))


@pytest.fixture(scope="module")
def commune() -> ps.Result:
    """The built-in commune example with missing cells and criteria not applicable."""
    scheme = ps.builtin_scheme("example-commune-2026")
    data = example_data(scheme, 60, seed=3, missing_rate=0.02, not_applicable_rate=0.15)
    return ps.score(scheme, data, missing="zero")


@pytest.fixture(scope="module")
def province() -> ps.Result:
    """The built-in province example: unit types, caps, a quota and named items."""
    data = builtin_example_data("example-province-2026")
    assert data is not None
    return ps.score(ps.builtin_scheme("example-province-2026"), data)


@pytest.mark.parametrize("name", ["commune", "province"])
def test_each_explanation_equals_explain(name: str, request: pytest.FixtureRequest) -> None:
    result: ps.Result = request.getfixturevalue(name)
    every = result.explain_all()
    assert len(every) == result.n_units
    for unit in result.unit_ids:
        one = result.explain(unit)
        many = every[unit]
        assert str(many) == str(one)
        assert many.to_json_dict() == one.to_json_dict()
        assert [_fields(r) for r in many.rows] == [_fields(r) for r in one.rows]


def _fields(row: ps.ExplanationRow) -> dict[str, Any]:
    """A row's fields with NaN made comparable (None)."""
    out = {f.name: getattr(row, f.name) for f in attrs.fields(type(row))}
    out["inputs"] = {k: None if math.isnan(v) else v for k, v in row.inputs.items()}
    out["rate"] = None if row.rate is None or math.isnan(row.rate) else row.rate
    return out


def test_every_builtin_scheme_explains_alike() -> None:
    for scheme_id in ps.builtin_schemes():
        scheme = ps.builtin_scheme(scheme_id)
        data = builtin_example_data(scheme_id) or example_data(scheme, 25, not_applicable_rate=0.2)
        result = ps.score(scheme, data)
        for lang in ("vi", "en"):
            every = result.explain_all(lang=lang)
            for explanation in every:
                assert str(explanation) == str(result.explain(explanation.unit_id, lang=lang))


def test_units_in_the_order_asked_and_unknown_ids(commune: ps.Result) -> None:
    ids = [str(commune.unit_ids[k]) for k in (5, 0, 17)]
    some = commune.explain_all(ids)
    assert some.unit_ids.tolist() == ids
    assert [e.unit_id for e in some] == ids
    assert some.points.shape == (3, len(commune.node_ids))
    assert some.node_ids == commune.node_ids
    with pytest.raises(KeyError, match="no unit 'nope'"):
        commune.explain_all([*ids, "nope"])
    with pytest.raises(KeyError, match="did you mean"):
        commune.explain_all([ids[0] + "x"])
    with pytest.raises(TypeError, match="list of unit ids"):
        commune.explain_all(ids[0])
    with pytest.raises(KeyError):
        some[str(commune.unit_ids[1])]


def test_arrays_agree_with_the_result(commune: ps.Result) -> None:
    every = commune.explain_all()
    np.testing.assert_array_equal(every.points, commune.matrix("points"))
    np.testing.assert_array_equal(every.max, commune.matrix("max"))
    np.testing.assert_array_equal(every.lost, commune.matrix("lost"))
    np.testing.assert_array_equal(every.component_index, commune.matrix("component"))
    assert commune.node_na_mask is not None
    leaves = [i for i, n in enumerate(every.node_ids) if commune.scheme.node(n).is_leaf]
    np.testing.assert_array_equal(~every.applicable[:, leaves], commune.node_na_mask[:, leaves])
    assert every.inputs.shape == (commune.n_units, len(every.columns))
    assert sorted(every.columns) == sorted(commune.compiled.columns)


def test_to_json_dict_is_strict_and_follows_the_nodes(commune: ps.Result) -> None:
    every = commune.explain_all()
    data = every.to_json_dict()
    assert _strict(data) == data  # no NaN anywhere, every value JSON data
    nodes = [n["id"] for n in data["nodes"]]
    assert nodes == list(commune.node_ids)
    first = data["units"][0]
    one = commune.explain(first["unit_id"]).to_json_dict()
    for j, row in enumerate(one["rows"]):
        assert first["points"][j] == row["points"]
        assert first["max_points"][j] == row["max"]
        assert first["lost"][j] == row["lost"]
        assert first["applicable"][j] == row["applicable"]
        assert first["answers"][j] == row["answer"]
        assert first["rates"][j] == row["rate"]
        assert data["nodes"][j]["rule"] == row["rule"]
        columns = data["nodes"][j]["inputs"]
        got = dict(
            zip(columns, (first["inputs"][data["columns"].index(c)] for c in columns), strict=True)
        )
        assert got == row["inputs"]
    for key in ("total", "max", "index", "tier", "rank"):
        assert first[key] == one[key]
    # a criterion not applicable: null points, null inputs
    na = [
        (u, j)
        for u, unit in enumerate(data["units"])
        for j, a in enumerate(unit["applicable"])
        if not a
    ]
    assert na
    u, j = na[0]
    assert data["units"][u]["points"][j] is None
    assert data["units"][u]["lost"][j] is None


def test_typed_parts_in_json(province: ps.Result) -> None:
    data = _strict(province.explain_all().to_json_dict())
    units = {u["unit_id"]: u for u in data["units"]}
    for unit_id in province.unit_ids:
        one = province.explain(unit_id).to_json_dict()
        unit = units[unit_id]
        for key in (
            "unit_type",
            "type_name",
            "rank_among",
            "not_for_type",
            "scale",
            "scale_tier",
            "caps",
            "quota_moves",
            "items",
        ):
            assert unit[key] == one[key], key
    assert any(u["quota_moves"] for u in data["units"])
    assert any(c["lowered"] for u in data["units"] for c in u["caps"])
    assert all(u["items"] for u in data["units"])
    assert {u["unit_type"] for u in data["units"]} == {"so", "huyen"}


def test_explanation_to_json_dict_strict_with_na(commune: ps.Result) -> None:
    every = commune.explain_all()
    unit = next(
        str(commune.unit_ids[i]) for i in range(commune.n_units) if not every.applicable[i].all()
    )
    data = commune.explain(unit).to_json_dict()
    assert _strict(data) == data
    rows = [r for r in data["rows"] if not r["applicable"]]
    assert rows
    assert all(r["points"] is None and r["lost"] is None for r in rows)
    assert any(v is None for r in rows for v in r["inputs"].values())
    assert data["caps"] == []
    assert data["unit_type"] is None


def test_to_pandas_long_form(commune: ps.Result) -> None:
    pytest.importorskip("pandas")
    ids = [str(u) for u in commune.unit_ids[:4]]
    every = commune.explain_all(ids)
    frame = every.to_pandas()
    assert len(frame) == 4 * len(commune.node_ids)
    assert list(frame.columns[:6]) == ["unit_id", "node_id", "name", "depth", "is_leaf", "points"]
    for unit in ids:
        one = commune.explain(unit)
        sub = frame[frame["unit_id"] == unit]
        assert sub["node_id"].tolist() == [r.node_id for r in one.rows]
        assert sub["inputs"].tolist() == [r.shown_inputs() for r in one.rows]
        rules = [x if isinstance(x, str) else None for x in sub["rule"]]  # pandas: NaN for None
        assert rules == [r.rule for r in one.rows]
        points = [r.points if r.applicable else math.nan for r in one.rows]
        np.testing.assert_array_equal(sub["points"].to_numpy(dtype=float), points)
        assert (sub["total"] == one.total).all()
        assert (sub["tier"] == one.tier).all()


def test_strict_json_through_result_with_na(commune: ps.Result) -> None:
    """Every JSON the result emits survives json.dumps(allow_nan=False)."""
    document = commune.to_json_dict(component_index=True, lost=True, node_max=True)
    assert _strict(document) == document
    assert any(v is None for u in document["units"] for v in u.values())
    json.loads(commune.to_json())


def test_no_negative_zero_penalty_in_the_text() -> None:
    """A unit without a penalty shows "penalty 0.00", never "-0.00"."""
    scheme = ps.builtin_scheme("example-department-2026")
    data = example_data(scheme, 3, seed=1)
    data["penalty"] = np.zeros(3)
    result = ps.score(scheme, data)
    text = str(result.explain(result.measurements.unit_ids[0]))
    assert "-0.00" not in text
    assert any(line.startswith("penalty") for line in text.splitlines())
