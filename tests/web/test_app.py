"""The FastAPI example (examples/web/app.py) through its TestClient (issue 12)."""

from __future__ import annotations

import importlib.util
import json
import math
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

import parscore as ps
from parscore.datasets import builtin_example_data, example_data

pytest.importorskip("fastapi", reason="the web example needs fastapi: pip install -e '.[web]'")
pytest.importorskip("httpx", reason="fastapi's TestClient needs httpx: pip install -e '.[web]'")
from fastapi.testclient import TestClient

APP = Path(__file__).resolve().parents[2] / "examples" / "web" / "app.py"


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("parscore_web_example", APP)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with TestClient(_load().app) as test_client:
        yield test_client


def _records(scheme_id: str, n: int = 12) -> list[dict[str, Any]]:
    """Records as a JSON body carries them: numbers, text, "n/a"."""
    scheme = ps.builtin_scheme(scheme_id)
    columns = builtin_example_data(scheme_id) or example_data(
        scheme, n, seed=1, not_applicable_rate=0.15
    )
    count = len(next(iter(columns.values())))
    rows = [
        {
            name: values[i].item() if hasattr(values[i], "item") else values[i]
            for name, values in columns.items()
        }
        for i in range(count)
    ]
    for row in rows:  # a JSON client sends null for a missing value, never NaN
        row.update({k: None for k, v in row.items() if isinstance(v, float) and math.isnan(v)})
    return json.loads(json.dumps(rows, allow_nan=False))  # exactly what a client sends


def test_list_schemes(client: TestClient) -> None:
    answer = client.get("/schemes")
    assert answer.status_code == 200
    ids = [s["id"] for s in answer.json()]
    assert ids == list(ps.builtin_schemes())
    assert all(s["max"] > 0 and s["nodes"] > 0 for s in answer.json())


def test_validate_a_scheme(client: TestClient) -> None:
    scheme = ps.scheme_to_dict(ps.builtin_scheme("example-commune-2026"))
    answer = client.post("/schemes/validate", json=scheme)
    assert answer.status_code == 200
    assert answer.json() == {
        "valid": True,
        "id": "example-commune-2026",
        "fingerprint": ps.fingerprint(ps.builtin_scheme("example-commune-2026")),
    }


def test_an_invalid_scheme_is_a_422_with_its_problems(client: TestClient) -> None:
    scheme = ps.scheme_to_dict(ps.builtin_scheme("example-commune-2026"))
    scheme["nodes"][0]["children"][0]["max"] = -1
    del scheme["name"]
    answer = client.post("/schemes/validate", json=scheme)
    assert answer.status_code == 422
    body = answer.json()
    assert body["error"] == "SchemeError"
    assert len(body["problems"]) >= 2
    assert all({"message", "path", "node_id", "line"} == set(p) for p in body["problems"])
    assert any(p["path"].startswith("$.nodes[0]") for p in body["problems"])


def test_score_a_body_of_records(client: TestClient) -> None:
    records = _records("example-commune-2026")
    answer = client.post("/score/example-commune-2026", json=records)
    assert answer.status_code == 200
    body = answer.json()
    expected = ps.score(ps.builtin_scheme("example-commune-2026"), records).to_json_dict()
    assert body == expected
    assert any(v is None for u in body["units"] for v in u.values())  # n/a: null, not NaN
    jsonschema = pytest.importorskip("jsonschema")
    jsonschema.validate(body, ps.result_json_schema())


def test_score_the_province_example(client: TestClient) -> None:
    answer = client.post("/score/example-province-2026", json=_records("example-province-2026"))
    assert answer.status_code == 200
    assert {"unit_types", "caps", "items"} <= set(answer.json())


def test_bad_cells_are_a_422_with_row_unit_and_column(client: TestClient) -> None:
    records = _records("example-commune-2026")
    records[2]["1.1.2"] = "nhiều"
    answer = client.post("/score/example-commune-2026", json=records)
    assert answer.status_code == 422
    body = answer.json()
    assert body["error"] == "MeasurementsError"
    problem = body["problems"][0]
    assert problem["unit_id"] == records[2]["unit_id"]
    assert problem["column"] == "1.1.2"
    assert problem["value"] == "nhiều"


def test_unknown_scheme_is_a_404_with_did_you_mean(client: TestClient) -> None:
    answer = client.post("/score/example-comune-2026", json=_records("example-commune-2026"))
    assert answer.status_code == 404
    assert answer.json()["error"] == "UnknownSchemeError"
    assert "did you mean 'example-commune-2026'" in answer.json()["message"]


def test_explain_units(client: TestClient) -> None:
    records = _records("example-province-2026")
    units = [records[3]["unit_id"], records[0]["unit_id"]]
    answer = client.post(
        "/explain/example-province-2026", json={"records": records, "units": units}
    )
    assert answer.status_code == 200
    body = answer.json()
    assert [u["unit_id"] for u in body["units"]] == units
    result = ps.score(ps.builtin_scheme("example-province-2026"), records)
    assert body == result.explain_all(units).to_json_dict()
    assert body["units"][0]["unit_type"] in {"so", "huyen"}


def test_explain_every_unit_and_an_unknown_unit(client: TestClient) -> None:
    records = _records("example-commune-2026")
    answer = client.post("/explain/example-commune-2026", json={"records": records})
    assert answer.status_code == 200
    assert len(answer.json()["units"]) == len(records)
    wrong = records[0]["unit_id"] + "x"
    answer = client.post(
        "/explain/example-commune-2026", json={"records": records, "units": [wrong]}
    )
    assert answer.status_code == 404
    assert "did you mean" in answer.json()["message"]


def test_eight_concurrent_clients_get_the_same_result(client: TestClient) -> None:
    records = _records("example-commune-2026", n=200)
    alone = client.post("/score/example-commune-2026", json=records)
    assert alone.status_code == 200

    def one(_: int) -> tuple[int, bytes]:
        answer = client.post("/score/example-commune-2026", json=records)
        return answer.status_code, answer.content

    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(one, range(16)))
    assert all(status == 200 for status, _ in answers)
    assert {content for _, content in answers} == {alone.content}
