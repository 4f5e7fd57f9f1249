"""The constraints of the format have one source: what the JSON Schema says, the classes do.

Each constrained field declares its JSON Schema keywords where it is defined (a
``parscore._params.Constraint`` validator, or field metadata beside the method that checks it).
These tests derive sample values from those keywords and check that the generated schema accepts
a sample exactly when the class does.
"""

from __future__ import annotations

import copy
import inspect
from collections.abc import Mapping
from typing import Any

import attrs
import jsonschema
import pytest

import parscore as ps
import parscore.model
from parscore._format import FILE_NAMES
from parscore.errors import ParscoreError
from parscore.io import _json_schema
from parscore.io._json_schema import field_keywords
from parscore.model import RESERVED_COLUMNS
from parscore.rules import (
    BUILTIN_RULES,
    Band,
    Bands,
    Choice,
    Deduction,
    Points,
    Ratio,
    Survey,
    YesNo,
)

Path = tuple[str | int, ...]

_RULES: dict[type, dict[str, Any]] = {
    Bands: {"kind": "bands", "inputs": ["done", "due"], "bands": [{"ge": 0, "points": 1}]},
    Choice: {"kind": "choice", "options": {"a": 1}},
    Deduction: {"kind": "deduction", "per": 0.5},
    Points: {"kind": "points"},
    Ratio: {"kind": "ratio", "inputs": ["done", "due"]},
    Survey: {"kind": "survey", "options": {"a": 100, "b": 0}},
    YesNo: {"kind": "yes_no", "inputs": ["value"], "need": "all"},
}

# Where an instance of each class sits in the minimal scheme (the rule classes: the leaf's rule).
_SITES: dict[type, Path] = {
    ps.Scheme: (),
    ps.Node: ("nodes", 0),
    ps.TierScale: ("tiers",),
    ps.Tier: ("tiers", "scale", 0),
    ps.Rounding: ("rounding",),
    ps.Ranking: ("ranking",),
    ps.Adjustments: ("adjustments",),
    ps.Adjustment: ("adjustments", "bonus"),
    ps.AdjustmentItem: ("adjustments", "items", 0),
    ps.TierCap: ("tiers", "caps", 0),
    ps.UnitTypes: ("unit_types",),
    ps.UnitType: ("unit_types", "types", 0),
    Band: ("nodes", 0, "rule", "bands", 0),
    **dict.fromkeys(BUILTIN_RULES, ("nodes", 0, "rule")),
}

# Fields written on another instance than their class's site: a tier has min or above, not both.
_FIELD_SITES: dict[tuple[type, str], Path] = {(ps.Tier, "min"): ("tiers", "scale", 1)}

_CLASSES = [
    *(
        c
        for c in vars(parscore.model).values()
        if inspect.isclass(c) and attrs.has(c) and c.__name__ in parscore.model.__all__
    ),
    Band,
    *BUILTIN_RULES,
]

_CONSTRAINED = [
    (cls, field.name, field_keywords(field))
    for cls in _CLASSES
    for field in attrs.fields(cls)
    if field_keywords(field)
]


def _minimal(cls: type) -> dict[str, Any]:
    """A minimal valid scheme dict holding an instance of *cls*, every constrained key written."""
    return {
        "parscore": 1,
        "id": "s",
        "name": "S",
        "unit_types": {"column": "loai", "types": [{"id": "so", "name": "Sở"}]},
        "tiers": {
            "scale": [{"name": "Tốt", "above": 0}, {"name": "Yếu", "min": 0}],
            "caps": [{"id": "c", "name": "C", "at_most": "Yếu"}],
        },
        "rounding": {"decimals": 2},
        "adjustments": {
            "bonus": {"max": 1},
            "items": [{"id": "i", "name": "I", "sign": "bonus", "max": 1}],
        },
        "nodes": [
            {
                "id": "1",
                "name": "A",
                "max": 1,
                "rule": copy.deepcopy(_RULES.get(cls, _RULES[Bands if cls is Band else YesNo])),
            }
        ],
    }


def _at(doc: Any, path: Path) -> Any:
    for step in path:
        doc = doc[step]
    return doc


def _samples(keywords: Mapping[str, Any], valid: Any) -> list[Any]:
    """The valid value, and values on and across each keyword's bound."""
    out = [valid]
    for key, arg in keywords.items():
        if key == "minLength":
            out += ["", "x" * arg]
        elif key == "pattern":
            out += ["a:b", "-a", "a b"]
        elif key == "not":  # the reserved column names, in several cases
            out += [f(w) for w in sorted(RESERVED_COLUMNS) for f in (str, str.upper, str.title)]
        elif key == "minimum":  # not above: a tier above 0 alone would break the tier order
            out += [arg - 1, arg]
        elif key == "maximum":
            out += [arg, arg + 1]
        elif key == "exclusiveMinimum":
            out += [arg - 1, arg, arg + 1]
        elif key == "minItems":
            out += [valid[: arg - 1]]
        elif key == "maxItems":
            out += [[f"{valid[0]}{i}" for i in range(n)] for n in (arg, arg + 1)]
        elif key == "uniqueItems":
            out += [[valid[0], valid[0]]]
        elif key == "items":
            out += [[s] for s in _samples(arg, valid[0])]
        elif key == "minProperties":
            out += [dict(list(valid.items())[: arg - 1])]
        elif key == "propertyNames":
            name, value = next(iter(valid.items()))
            out += [{s: value} for s in _samples(arg, name)]
        elif key == "additionalProperties":
            name, value = next(iter(valid.items()))
            out += [{name: s} for s in _samples(arg, value)]
    return out


def _class_accepts(doc: dict[str, Any]) -> bool:
    try:
        ps.scheme_from_dict(doc)
    except ParscoreError:
        return False
    return True


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    """The validator of the shipped (built-in rules) schema."""
    return jsonschema.Draft202012Validator(ps.io.scheme_json_schema(plugins=False))


def test_every_constrained_class_has_a_site() -> None:
    """Every class with a constrained field has a place in the minimal scheme to test it at."""
    assert {cls for cls, _, _ in _CONSTRAINED} <= set(_SITES)
    assert len(_CONSTRAINED) >= 17


def test_minimal_schemes_are_valid(validator: jsonschema.Draft202012Validator) -> None:
    """The minimal scheme of every class is accepted by both the schema and the classes."""
    for cls in _SITES:
        doc = _minimal(cls)
        assert validator.is_valid(doc), cls
        assert _class_accepts(doc), cls


def test_generator_keeps_no_hand_table() -> None:
    """The generator restates no constraint: the hand table of keywords is gone."""
    assert not hasattr(_json_schema, "_EXTRA")


@pytest.mark.parametrize(
    ("cls", "name", "keywords"),
    _CONSTRAINED,
    ids=[f"{cls.__name__}.{name}" for cls, name, _ in _CONSTRAINED],
)
def test_schema_accepts_what_the_class_accepts(
    validator: jsonschema.Draft202012Validator,
    cls: type,
    name: str,
    keywords: dict[str, Any],
) -> None:
    """Each sample from a field's keywords is schema-valid exactly when the class accepts it."""
    key = FILE_NAMES.get(name, name)
    site = _FIELD_SITES.get((cls, name), _SITES[cls])
    valid = _at(_minimal(cls), site)[key]
    verdicts = []
    for sample in _samples(keywords, valid):
        doc = _minimal(cls)
        _at(doc, site)[key] = copy.deepcopy(sample)
        by_schema, by_class = validator.is_valid(doc), _class_accepts(doc)
        assert by_schema == by_class, f"{cls.__name__}.{name} = {sample!r}"
        verdicts.append(by_schema)
    assert True in verdicts
    assert False in verdicts
