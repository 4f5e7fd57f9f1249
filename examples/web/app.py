"""A small web service scoring the PAR Index with parscore (FastAPI).

Run it::

    pip install "parscore[web]" uvicorn
    uvicorn app:app --app-dir examples/web

Endpoints:

* ``GET /schemes``: the built-in schemes (id, name, year, level, max, number of nodes).
* ``POST /schemes/validate``: a scheme as JSON (the v1 file format) → its id and fingerprint;
  422 with every problem when it is invalid.
* ``POST /score/{scheme_id}``: a list of records (one object per unit: ``unit_id`` and a
  value per input column, ``"n/a"`` where a criterion does not apply) → the result document
  (``Result.to_json_dict()``, see ``parscore.result_json_schema()``).
* ``POST /explain/{scheme_id}``: ``{"records": [...], "units": [ids] or null}`` → the
  explanations of those units (``Result.explain_all(units).to_json_dict()``).

Errors: a :class:`parscore.ParscoreError` (bad scheme, bad cells, a limit) is a 422 whose body
is ``error.to_dict()``; an unknown scheme or unit id is a 404 whose message says "did you
mean …". Every body is strict JSON (no NaN). Handlers are plain functions: FastAPI runs them
in its thread pool, and parscore's objects are safe to share across threads (the compiled
schemes are cached).
"""

from __future__ import annotations

import functools
from typing import Any

from fastapi import Body, FastAPI, Request
from fastapi.responses import JSONResponse

import parscore as ps
from parscore.io import UnknownSchemeError

app = FastAPI(title="parscore example service", version=ps.__version__)


@app.exception_handler(UnknownSchemeError)
def unknown_scheme(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, UnknownSchemeError)
    return JSONResponse(error.to_dict(), status_code=404)


@app.exception_handler(ps.ParscoreError)
def parscore_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, ps.ParscoreError)
    return JSONResponse(error.to_dict(), status_code=422)


@app.exception_handler(KeyError)
def unknown_unit(request: Request, error: Exception) -> JSONResponse:
    message = error.args[0] if error.args else str(error)
    return JSONResponse({"error": "KeyError", "message": message, "problems": []}, 404)


@functools.cache
def compiled(scheme_id: str) -> ps.CompiledScheme:
    """A built-in scheme, compiled once (raises UnknownSchemeError: a 404)."""
    return ps.compile_scheme(ps.builtin_scheme(scheme_id))


@app.get("/schemes")
def schemes() -> list[dict[str, Any]]:
    out = []
    for scheme_id in ps.builtin_schemes():
        scheme = ps.builtin_scheme(scheme_id)
        out.append(
            {
                "id": scheme.id,
                "name": scheme.name,
                "year": scheme.year,
                "level": scheme.level,
                "max": scheme.max_points,
                "nodes": len(compiled(scheme_id).node_ids),
            }
        )
    return out


@app.post("/schemes/validate")
def validate(scheme: dict[str, Any] = Body(...)) -> dict[str, Any]:  # noqa: B008 - FastAPI's idiom
    loaded = ps.scheme_from_dict(scheme)  # a SchemeError is a 422 with every problem
    return {"valid": True, "id": loaded.id, "fingerprint": ps.fingerprint(loaded)}


@app.post("/score/{scheme_id}")
def score(scheme_id: str, records: list[dict[str, Any]] = Body(...)) -> JSONResponse:  # noqa: B008
    result = ps.score(compiled(scheme_id), records)
    return JSONResponse(result.to_json_dict())


@app.post("/explain/{scheme_id}")
def explain(
    scheme_id: str,
    records: list[dict[str, Any]] = Body(...),  # noqa: B008
    units: list[str] | None = Body(None),  # noqa: B008
) -> JSONResponse:
    result = ps.score(compiled(scheme_id), records)
    return JSONResponse(result.explain_all(units).to_json_dict())
