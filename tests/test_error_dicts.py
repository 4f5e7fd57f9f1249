"""ParscoreError.to_dict: every error class as strict JSON data (issue 12)."""

from __future__ import annotations

import json
import math
import pickle
from typing import Any

import numpy as np
import pytest

import parscore as ps
from parscore.analysis import AnalysisError
from parscore.errors import json_value
from parscore.io import UnknownSchemeError


def _strict(data: dict[str, Any]) -> dict[str, Any]:
    """*data* through strict JSON and back: it must survive unchanged."""
    back: dict[str, Any] = json.loads(json.dumps(data, allow_nan=False))
    assert back == data
    return back


def test_scheme_error_lists_each_problem_with_its_fields() -> None:
    err = ps.SchemeError(
        [
            ps.Problem(message="max must be > 0", path="$.nodes[0].max", node_id="1", line=7),
            ps.Problem(message="missing name"),
        ],
        source="bad.yaml",
    )
    data = _strict(err.to_dict())
    assert data == {
        "error": "SchemeError",
        "message": str(err),
        "problems": [
            {"message": "max must be > 0", "path": "$.nodes[0].max", "node_id": "1", "line": 7},
            {"message": "missing name", "path": "$", "node_id": None, "line": None},
        ],
        "source": "bad.yaml",
    }


def test_a_real_scheme_error_from_loading() -> None:
    with pytest.raises(ps.SchemeError) as caught:
        ps.loads_scheme('{"parscore": 1, "id": "x"}', format="json")
    data = _strict(caught.value.to_dict())
    assert data["error"] == "SchemeError"
    assert data["problems"]
    assert all(set(p) == {"message", "path", "node_id", "line"} for p in data["problems"])


def test_unknown_rule_error_keeps_its_class_name() -> None:
    err = ps.UnknownRuleError([ps.Problem(message="no rule kind 'x'", path="$.rule")])
    assert _strict(err.to_dict())["error"] == "UnknownRuleError"


def test_measurements_error_cells_are_strict_json() -> None:
    err = ps.MeasurementsError(
        [
            ps.CellProblem(
                message="not a number", unit_id="xa-1", column="1.1", value="abc", row=3
            ),
            ps.CellProblem(message="not finite", unit_id="xa-2", column="1.2", value=math.nan),
            ps.CellProblem(message="too big", value=np.float64(math.inf)),
            ps.CellProblem(message="count", value=np.int64(4)),
            ps.CellProblem(message="whole row"),
        ],
        source="data.csv",
    )
    data = _strict(err.to_dict())
    assert data["error"] == "MeasurementsError"
    assert data["source"] == "data.csv"
    assert data["problems"][0] == {
        "message": "not a number",
        "unit_id": "xa-1",
        "column": "1.1",
        "value": "abc",
        "row": 3,
    }
    # a non-finite value found is shown as text: it was there, unlike null
    assert [p["value"] for p in data["problems"][1:]] == ["nan", "inf", 4, None]


def test_a_real_measurements_error_from_scoring() -> None:
    scheme = ps.builtin_scheme("example-commune-2026")
    with pytest.raises(ps.MeasurementsError) as caught:
        ps.score(scheme, [{"unit_id": "xa-1", "1.1.1": "abc"}])
    data = _strict(caught.value.to_dict())
    assert data["problems"]
    assert {"message", "unit_id", "column", "value", "row"} == set(data["problems"][0])


def test_rule_error_plugin_error_limit_error_attributes() -> None:
    rule = ps.RuleError("points out of range", kind="my-rule", node_id="3.1")
    assert _strict(rule.to_dict()) == {
        "error": "RuleError",
        "message": str(rule),
        "problems": [],
        "kind": "my-rule",
        "node_id": "3.1",
    }
    plugin = ps.PluginError("failed to import", plugin="parscore-extra")
    assert _strict(plugin.to_dict()) == {
        "error": "PluginError",
        "message": str(plugin),
        "problems": [],
        "plugin": "parscore-extra",
    }
    limit = ps.LimitError("max_units", 10, value=12, where="big.csv")
    assert _strict(limit.to_dict()) == {
        "error": "LimitError",
        "message": str(limit),
        "problems": [],
        "limit": "max_units",
        "maximum": 10,
        "value": 12,
        "where": "big.csv",
    }


@pytest.mark.parametrize(
    "err",
    [
        ps.ParameterError("per must be ≥ 0"),
        ps.ParameterTypeError("clip must be a bool"),
        ps.MissingDependencyError("pandas is needed: pip install 'parscore[pandas]'"),
        AnalysisError("no units in common"),
        ps.ParscoreError("plain"),
    ],
)
def test_errors_without_attributes(err: ps.ParscoreError) -> None:
    assert _strict(err.to_dict()) == {
        "error": type(err).__name__,
        "message": str(err),
        "problems": [],
    }


def test_unknown_scheme_error_lists_the_known_ids() -> None:
    with pytest.raises(UnknownSchemeError) as caught:
        ps.builtin_scheme("example-comune-2026")
    data = _strict(caught.value.to_dict())
    assert data["error"] == "UnknownSchemeError"
    assert "did you mean 'example-commune-2026'" in data["message"]
    assert data["scheme_id"] == "example-comune-2026"
    assert data["known"] == list(ps.builtin_schemes())


def test_to_dict_survives_pickling_and_notes() -> None:
    err = ps.LimitError("max_cells", 5)
    err.add_note("while reading")
    back = pickle.loads(pickle.dumps(err))
    assert back.to_dict() == _strict(err.to_dict())
    assert "__notes__" not in err.to_dict()


def test_json_value() -> None:
    assert json_value((1, np.float32(0.5), {"a": [math.inf]}, None)) == [
        1,
        0.5,
        {"a": ["inf"]},
        None,
    ]
    assert json_value(np.array([1.0, math.nan])) == [1.0, "nan"]
    assert json_value(object).startswith("<class")
