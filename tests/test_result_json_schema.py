"""The JSON Schema of the result document: shipped, current, and real output validates."""

from __future__ import annotations

import importlib.resources
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import parscore as ps
from parscore.datasets import builtin_example_data, example_data
from parscore.result._json_schema import result_json_schema_text

jsonschema = pytest.importorskip("jsonschema")

ROOT = Path(__file__).resolve().parents[1]


def _validate(document: dict[str, Any]) -> None:
    validator = jsonschema.Draft202012Validator(ps.result_json_schema())
    errors = sorted(validator.iter_errors(document), key=str)
    assert not errors, errors[0]


def test_the_schema_is_valid_and_shipped_current() -> None:
    schema = ps.io.result_json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    shipped = importlib.resources.files("parscore") / "schemes" / "result-v1.schema.json"
    assert shipped.read_text(encoding="utf-8") == result_json_schema_text()
    assert json.loads(shipped.read_text(encoding="utf-8")) == schema
    schema["title"] = "changed"  # a fresh copy each time
    assert ps.result_json_schema()["title"] != "changed"


def test_gen_script_check_passes() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "gen_json_schema.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize("scheme_id", ps.builtin_schemes())
def test_real_output_of_every_builtin_scheme_validates(scheme_id: str) -> None:
    scheme = ps.builtin_scheme(scheme_id)
    data = builtin_example_data(scheme_id) or example_data(scheme, 30, not_applicable_rate=0.2)
    result = ps.score(scheme, data)
    for options in ({}, {"component_index": True, "lost": True, "node_max": True}):
        _validate(json.loads(result.to_json(**options)))


def test_province_output_has_types_caps_items_and_validates() -> None:
    data = builtin_example_data("example-province-2026")
    assert data is not None
    result = ps.score(ps.builtin_scheme("example-province-2026"), data)
    document = json.loads(result.to_json(component_index=True))
    assert {"unit_types", "caps", "items"} <= set(document)
    _validate(document)


def test_written_json_file_validates(tmp_path: Path) -> None:
    data = builtin_example_data("example-province-2026")
    assert data is not None
    result = ps.score(ps.builtin_scheme("example-province-2026"), data)
    path = ps.write_result(result, tmp_path / "out.json", lost=True)
    _validate(json.loads(path.read_text(encoding="utf-8")))


def test_a_broken_document_fails() -> None:
    scheme = ps.builtin_scheme("example-commune-2026")
    result = ps.score(scheme, example_data(scheme, 3))
    document = result.to_json_dict()
    del document["units"][0]["tier"]
    with pytest.raises(AssertionError):
        _validate(document)
