"""The JSON Schema (draft 2020-12) of the result document: ``Result.to_json_dict()``.

The same document the command line writes with ``--format json`` and a web service returns.
Shipped as ``parscore/schemes/result-v1.schema.json`` (written by
``scripts/gen_json_schema.py``; a test checks it is current).

.. versionadded:: 0.2
"""

from __future__ import annotations

import copy
import functools
import json
from typing import Any

__all__ = ["RESULT_SCHEMA_ID", "result_json_schema", "result_json_schema_text"]

RESULT_SCHEMA_ID = (
    "https://raw.githubusercontent.com/parscore/parscore/main/src/parscore/schemes/"
    "result-v1.schema.json"
)
"""The ``$id`` of the JSON Schema of the result document."""

_DRAFT = "https://json-schema.org/draft/2020-12/schema"

_TEXT = {"type": "string"}
_NUMBER = {"type": "number"}
_NUMBER_OR_NULL = {"type": ["number", "null"]}
_TEXT_OR_NULL = {"type": ["string", "null"]}


def _object(description: str, properties: dict[str, Any]) -> dict[str, Any]:
    return {
        "description": description,
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }


def _described(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, **schema}


@functools.cache
def _schema() -> dict[str, Any]:
    scheme = _object(
        "The scheme scored.",
        {
            "id": _TEXT,
            "name": _TEXT,
            "year": {"type": ["integer", "null"]},
            "level": _TEXT_OR_NULL,
            "fingerprint": _described(
                {"type": "string", "pattern": "^sha256:[0-9a-f]{64}$"},
                "sha256 of the scheme's canonical JSON: the exact scheme scored.",
            ),
            "decimals": {"type": "integer", "minimum": 0},
        },
    )
    node = _object(
        "A node of the scheme, depth-first: a field, its criteria, the next field.",
        {
            "id": _TEXT,
            "name": _TEXT,
            "max": _described(_NUMBER, "Its maximum points in the scheme."),
            "depth": _described({"type": "integer", "minimum": 0}, "0 for a field."),
        },
    )
    unit_type = _object(
        "A unit type (schemes with unit types).",
        {
            "id": _TEXT,
            "name": _TEXT_OR_NULL,
            "max": _described(_NUMBER, "The points of the criteria applying to the type."),
        },
    )
    cap = _object(
        "A tier cap (schemes with caps).",
        {
            "id": _TEXT,
            "name": _TEXT,
            "at_most": _described(_TEXT, "The best tier the cap allows."),
            "node": _described(_TEXT_OR_NULL, "The node whose index is bounded; null: a column."),
            "index_below": _NUMBER_OR_NULL,
        },
    )
    item = _object(
        "A named bonus or penalty item (schemes with items).",
        {
            "id": _TEXT,
            "name": _TEXT,
            "sign": {"enum": ["bonus", "penalty"]},
            "column": _described({"type": "string", "pattern": "^adj:"}, "Its input column."),
            "max": _NUMBER_OR_NULL,
            "per": _NUMBER_OR_NULL,
        },
    )
    unit = {
        "description": (
            "One unit: a value per column of `columns`. Node columns (a node's id, "
            "'<id> %', '<id> lost', '<id> max') and 'adj:<id>' hold numbers, null where the "
            "node does not apply to the unit; label columns hold text."
        ),
        "type": "object",
        "properties": {
            "unit_id": _TEXT,
            "group": _TEXT,
            "type": _described(_TEXT, "The unit's type id (schemes with unit types)."),
            "bonus": _NUMBER,
            "penalty": _NUMBER,
            "total": _NUMBER,
            "max": _described(_NUMBER, "The applicable maximum."),
            "index": _described(_NUMBER, "total / max × 100, rounded."),
            "tier": _TEXT,
            "rank": _described({"type": "integer", "minimum": 1}, "Within type and group."),
            "scale_tier": _described(_TEXT, "The tier of the scale alone (caps, quotas)."),
            "capped_by": _described(_TEXT, "The cap that lowered the tier; empty for none."),
            "quota_moved": _described({"type": "boolean"}, "Moved down by a quota."),
        },
        "required": ["unit_id", "total", "max", "index", "tier", "rank"],
        "additionalProperties": {"type": ["string", "number", "null"]},
    }
    return {
        "$schema": _DRAFT,
        "$id": RESULT_SCHEMA_ID,
        "title": "parscore result document, version 1",
        "description": (
            "Points, index, tier and rank of every unit scored with one scheme "
            "(parscore.Result.to_json_dict, `parscore score --format json`). Strict JSON: "
            "no NaN; null where there is no value."
        ),
        "type": "object",
        "properties": {
            "scheme": {"$ref": "#/$defs/scheme"},
            "nodes": {"type": "array", "items": {"$ref": "#/$defs/node"}},
            "unit_types": {"type": "array", "items": {"$ref": "#/$defs/unit_type"}},
            "caps": {"type": "array", "items": {"$ref": "#/$defs/cap"}},
            "items": {"type": "array", "items": {"$ref": "#/$defs/item"}},
            "columns": _described(
                {"type": "array", "items": _TEXT, "uniqueItems": True},
                "The columns of every unit, in order.",
            ),
            "units": {"type": "array", "items": {"$ref": "#/$defs/unit"}},
        },
        "required": ["scheme", "nodes", "columns", "units"],
        "additionalProperties": False,
        "$defs": {
            "cap": cap,
            "item": item,
            "node": node,
            "scheme": scheme,
            "unit": unit,
            "unit_type": unit_type,
        },
    }


def result_json_schema() -> dict[str, Any]:
    """Return the JSON Schema (draft 2020-12) of the result document (a fresh copy).

    The document is :meth:`parscore.Result.to_json_dict` (and ``parscore score --format
    json``): ``scheme``, ``nodes``, ``unit_types``, ``caps`` and ``items`` (each when the
    scheme uses them), ``columns`` and ``units``. The same schema ships as
    ``parscore/schemes/result-v1.schema.json``.

    .. versionadded:: 0.2
    """
    return copy.deepcopy(_schema())


def result_json_schema_text() -> str:
    """The text of the shipped schema file: indented, UTF-8 characters, a final newline."""
    return json.dumps(_schema(), indent=2, ensure_ascii=False, allow_nan=False) + "\n"
