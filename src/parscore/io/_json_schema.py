"""The JSON Schema (draft 2020-12) of the v1 scheme format, generated from the model.

Properties, types, enums, required keys, defaults and descriptions come from the attrs classes
(field types, defaults, the ``Attributes:`` section of each class docstring) and from the rule
classes registered at generation time. Constraints come from where each field is declared: its
validators (``attrs.validators`` bounds and :class:`parscore._params.Constraint`, which carries
its keywords, walked through ``and_`` composites) and its ``metadata[SCHEMA_KEY]`` (for checks
a method makes, e.g. ``Scheme.problems``). Nothing is restated here; checks across fields or
values (a parent's max, unique ids, overlapping bands, tier order) are left to loading.
"""

from __future__ import annotations

import inspect
import json
import re
import types
import typing
from collections.abc import Mapping
from typing import Any, Literal, Union, get_args, get_origin

import attrs

from parscore._format import FILE_NAMES, FORMAT_VERSION, NAMED_VALUES
from parscore._params import ID_PATTERN, SCHEMA_KEY
from parscore.model import Scheme, UnitType
from parscore.plugins import get_rule_class, rule_kinds
from parscore.rules import BUILTIN_RULES
from parscore.typing import Rule

__all__ = ["SCHEMA_ID", "json_schema_text", "scheme_json_schema"]

SCHEMA_ID = (
    "https://raw.githubusercontent.com/parscore/parscore/main/src/parscore/schemes/"
    f"scheme-v{FORMAT_VERSION}.schema.json"
)
"""The ``$id`` of the JSON Schema of the scheme format."""

_DRAFT = "https://json-schema.org/draft/2020-12/schema"
_OPERATORS = {">=": "minimum", "<=": "maximum", ">": "exclusiveMinimum", "<": "exclusiveMaximum"}


def _attribute_docs(cls: type) -> tuple[str, dict[str, str]]:
    """The summary of *cls*'s docstring and the descriptions of its ``Attributes:`` section."""
    doc = inspect.getdoc(cls) or ""
    summary = doc.split("\n\n", 1)[0].replace("\n", " ").strip()
    out: dict[str, str] = {}
    current: str | None = None
    inside = False
    for line in doc.splitlines():
        if line.strip() == "Attributes:":
            inside = True
            continue
        if not inside:
            continue
        if line and not line.startswith(" "):
            break
        entry = re.match(r"^    (\w+)(?: \([^)]*\))?: (.*)$", line)
        if entry:
            current = entry[1]
            out[current] = entry[2].strip()
        elif current is not None and line.strip():
            out[current] += " " + line.strip()
    return summary, out


def _validator_schema(validator: object) -> dict[str, Any]:
    """JSON Schema keywords for the ``attrs.validators`` that can be read back."""
    out: dict[str, Any] = {}
    if validator is None:
        return out
    inner = getattr(validator, "_validators", None) or getattr(validator, "validators", None)
    if isinstance(inner, tuple | list):
        for v in inner:
            out.update(_validator_schema(v))
        return out
    declared = getattr(validator, "schema", None)  # a parscore._params.Constraint
    if isinstance(declared, Mapping):
        out.update(declared)
    op, bound = getattr(validator, "compare_op", None), getattr(validator, "bound", None)
    if op in _OPERATORS and isinstance(bound, int | float):
        out[_OPERATORS[op]] = bound
    options = getattr(validator, "options", None)
    if isinstance(options, tuple | list | set | frozenset) and all(
        isinstance(o, str | int | float) for o in options
    ):
        out["enum"] = sorted(options, key=str)
    return out


def field_keywords(field: attrs.Attribute[Any]) -> dict[str, Any]:
    """The JSON Schema keywords a field declares: from its validators, then its metadata."""
    out = _validator_schema(field.validator)
    out.update(field.metadata.get(SCHEMA_KEY, {}))
    return out


def _json_default(value: object) -> tuple[bool, object]:
    """Whether *value* can be shown as a JSON default, and its JSON form."""
    if value is None or isinstance(value, bool | str):
        return True, value
    if isinstance(value, int | float):
        return True, int(value) if float(value).is_integer() else value
    if isinstance(value, tuple) and all(isinstance(v, str) for v in value):
        return True, list(value)
    return False, None


class _Generator:
    def __init__(self, kinds: tuple[str, ...]) -> None:
        self.kinds = kinds
        self.defs: dict[str, dict[str, Any]] = {}

    def name(self, cls: type) -> str:
        kind = getattr(cls, "kind", None)
        return f"rule-{kind}" if isinstance(kind, str) else cls.__name__

    def ref(self, cls: type) -> dict[str, Any]:
        name = self.name(cls)
        if name not in self.defs:
            self.defs[name] = {}  # reserve: a class may refer to itself (Node.children)
            self.defs[name] = self.object(cls)
        return {"$ref": f"#/$defs/{name}"}

    def object(self, cls: type) -> dict[str, Any]:
        summary, docs = _attribute_docs(cls)
        hints = typing.get_type_hints(cls)
        properties: dict[str, Any] = {}
        required: list[str] = []
        kind = getattr(cls, "kind", None)
        if isinstance(kind, str):
            properties["kind"] = {"const": kind, "description": "The rule kind."}
            required.append("kind")
        for field in attrs.fields(cls):
            if not field.init:
                continue
            key = FILE_NAMES.get(field.name, field.name)
            prop = self.type(hints.get(field.name, Any))
            prop.update(field_keywords(field))
            if field.name in docs:
                prop["description"] = docs[field.name]
            if field.default is attrs.NOTHING:
                required.append(key)
            elif not isinstance(field.default, attrs.Factory):  # type: ignore[arg-type]
                ok, default = _json_default(field.default)
                if default == [] and prop.get("type") == "object":
                    default = {}
                if ok and default is not None:
                    prop["default"] = default
            properties[key] = prop
        out: dict[str, Any] = {"type": "object"}
        if summary:
            out["description"] = summary
        out["properties"] = properties
        if required:
            out["required"] = required
        out["additionalProperties"] = False
        extra = getattr(cls, "json_schema", None)  # object keywords a class declares (Tier)
        if isinstance(extra, Mapping):
            out.update(extra)
        return out

    def type(self, hint: Any) -> dict[str, Any]:  # noqa: PLR0911 - one return per kind of type
        origin, args = get_origin(hint), get_args(hint)
        if hint is float:
            return {"type": "number"}
        if hint is bool:
            return {"type": "boolean"}
        if hint is int:
            return {"type": "integer"}
        if hint is str:
            return {"type": "string"}
        if hint is Rule:
            return {"$ref": "#/$defs/rule"}
        if hint == NAMED_VALUES:
            return {"type": "object", "additionalProperties": {"type": "number"}}
        if hint is UnitType:  # a bare id, or {id, name}
            return {"anyOf": [{"type": "string", "pattern": f"^{ID_PATTERN}$"}, self.ref(hint)]}
        pair = get_args(args[0]) if origin is tuple and args and args[-1] is Ellipsis else ()
        if len(pair) == 2 and pair[0] is str:  # (key, value) pairs: a mapping in files
            return {"type": "object", "additionalProperties": self.type(pair[1])}
        if origin is Literal:
            return {"enum": list(args)}
        if origin in (Union, types.UnionType):
            rest = [a for a in args if a is not type(None)]
            inner = (
                self.type(rest[0]) if len(rest) == 1 else {"anyOf": [self.type(a) for a in rest]}
            )
            if len(rest) < len(args):  # Optional: null means "not given"
                return {"anyOf": [inner, {"type": "null"}]}
            return inner
        if origin is list or (origin is tuple and len(args) == 2 and args[1] is Ellipsis):
            return {"type": "array", "items": self.type(args[0])}
        if origin is dict and len(args) == 2:
            return {"type": "object", "additionalProperties": self.type(args[1])}
        if isinstance(hint, type) and attrs.has(hint):
            return self.ref(hint)
        return {}  # a plugin parameter of a type the generator does not know: anything

    def rule(self) -> dict[str, Any]:
        branches = [self.ref(get_rule_class(kind)) for kind in self.kinds]
        return {
            "description": "How a leaf awards points: a rule kind and its parameters.",
            "type": "object",
            "properties": {"kind": {"enum": list(self.kinds)}},
            "required": ["kind"],
            "oneOf": branches,
        }


def scheme_json_schema(*, plugins: bool = True) -> dict[str, Any]:
    """Return the JSON Schema (draft 2020-12) of the v1 scheme file format.

    Generated from the model classes and the rule classes, so it never drifts from what
    :func:`~parscore.io.load_scheme` accepts; a rule is a ``oneOf`` over the rule kinds,
    discriminated by ``kind``. The schema checks structure and types; checks across values
    (a parent's max, unique ids, overlapping bands, tier order) are made by loading.

    Args:
        plugins: Include rule kinds of installed plugins and of :func:`register_rule`
            (default); with False, only the built-in rules (as in the shipped
            ``parscore/schemes/scheme-v1.schema.json``).

    .. versionadded:: 0.1
    """
    kinds = rule_kinds() if plugins else tuple(sorted(cls.kind for cls in BUILTIN_RULES))  # type: ignore[attr-defined]
    gen = _Generator(kinds)
    root = gen.object(Scheme)
    version = {
        "const": FORMAT_VERSION,
        "description": f"The version of the file format: {FORMAT_VERSION}.",
    }
    root["properties"] = {"parscore": version, **root["properties"]}
    root["required"] = ["parscore", *root.get("required", [])]
    rule = gen.rule()
    defs = {"rule": rule, **dict(sorted(gen.defs.items()))}
    return {
        "$schema": _DRAFT,
        "$id": SCHEMA_ID,
        "title": f"parscore scheme, format version {FORMAT_VERSION}",
        **root,
        "$defs": defs,
    }


def json_schema_text() -> str:
    """The text of the shipped schema file: built-in rules only, indented, a final newline."""
    text = json.dumps(
        scheme_json_schema(plugins=False), indent=2, ensure_ascii=False, allow_nan=False
    )
    return text + "\n"
