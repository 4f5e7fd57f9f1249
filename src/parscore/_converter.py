"""The one cattrs converter: schemes to and from the plain dicts of the v1 file format.

This module sits just above the model (it imports model, rules and plugins) so that both the
compiler (for the fingerprint) and the file readers in :mod:`parscore.io` share it.
"""

from __future__ import annotations

import difflib
import functools
import hashlib
import json
import math
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Literal, get_args, get_origin

import attrs
import cattrs
from cattrs.errors import (
    AttributeValidationNote,
    ForbiddenExtraKeysError,
    IterableValidationError,
    IterableValidationNote,
)
from cattrs.gen import make_dict_structure_fn

from parscore.errors import Problem, SchemeError, UnknownRuleError
from parscore.model import (
    Adjustment,
    Adjustments,
    Node,
    Ranking,
    Rounding,
    Scheme,
    Tier,
    TierScale,
)
from parscore.plugins import get_rule_class, rule_kinds, unknown_kind_message
from parscore.rules import Band, Choice, Survey
from parscore.typing import Rule

__all__ = [
    "FORMAT_VERSION",
    "canonical_json",
    "converter",
    "fingerprint",
    "scheme_from_dict",
    "scheme_to_dict",
]

FORMAT_VERSION = 1
"""The version of the scheme file format written by this release (``parscore: 1``)."""

converter = cattrs.Converter(omit_if_default=True, forbid_extra_keys=True, detailed_validation=True)
"""The converter between model objects and plain dicts."""


def _plain_number(x: float) -> float | int:
    """Whole floats as ints, so ``max: 1`` is written as authored, not ``1.0``."""
    return int(x) if float(x).is_integer() and abs(x) < 2**53 else x


def _unstructure_attrs(obj: Any) -> dict[str, Any]:
    """Unstructure an attrs instance: fields in declaration order, defaults omitted."""
    out: dict[str, Any] = {}
    for field in attrs.fields(type(obj)):
        if not field.init:
            continue
        value = getattr(obj, field.name)
        default = field.default
        if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
            default = default.factory()
        if default is not attrs.NOTHING and value == default:
            continue
        if field.name in _named_value_fields(type(obj)):  # type: ignore[arg-type] # files: {name: number}
            out[field.name] = {name: _plain_number(v) for name, v in value}
            continue
        out[field.name] = _unstructure_value(value)
    return out


@functools.cache
def _named_value_fields(cls: type) -> frozenset[str]:
    """Fields typed like ``options`` (name -> number pairs), which files write as mappings.

    Structuring reads such a field from a mapping only, so unstructuring must write one: this
    makes any rule, plugin rules included, round-trip through every format.
    """
    try:
        attrs.resolve_types(cls)
    except Exception:  # a plugin's annotations that cannot be resolved: no such fields
        return frozenset()
    return frozenset(f.name for f in attrs.fields(cls) if f.type == _NAMED_VALUES)


def _unstructure_value(value: Any) -> Any:
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, float | int):
        return _plain_number(value)
    if isinstance(value, tuple | list):
        return [_unstructure_value(v) for v in value]
    return converter.unstructure(value)


def _unstructure_rule(rule: Rule) -> dict[str, Any]:
    out: dict[str, Any] = {"kind": rule.kind}
    if attrs.has(type(rule)):
        out.update(_unstructure_attrs(rule))
    return out


def _unstructure_options(rule: Choice | Survey) -> dict[str, Any]:
    out = _unstructure_rule(rule)
    out["options"] = {name: _plain_number(v) for name, v in rule.options}
    return out


def _unstructure_node(node: Node) -> dict[str, Any]:
    out: dict[str, Any] = {"id": node.id, "name": node.name}
    if node.max_points is not None:
        out["max"] = _plain_number(node.max_points)
    if node.legal_basis is not None:
        out["legal_basis"] = node.legal_basis
    if node.missing is not None:
        out["missing"] = node.missing
    if node.rule is not None:
        out["rule"] = converter.unstructure(node.rule, unstructure_as=type(node.rule))
    if node.children:
        out["children"] = [_unstructure_node(c) for c in node.children]
    return out


def _unstructure_tier_scale(scale: TierScale) -> dict[str, Any]:
    return {
        "basis": scale.basis,
        "scale": [{"name": t.name, "min": _plain_number(t.min)} for t in scale.scale],
    }


def _unstructure_scheme(scheme: Scheme) -> dict[str, Any]:
    out: dict[str, Any] = {"parscore": FORMAT_VERSION, "id": scheme.id, "name": scheme.name}
    out["level"] = scheme.level
    for key in ("year", "version", "legal_basis", "notes"):
        value = getattr(scheme, key)
        if value is not None:
            out[key] = value
    out["rounding"] = _unstructure_attrs(scheme.rounding) or {"decimals": 2}
    out["tiers"] = _unstructure_tier_scale(scheme.tiers)
    out["missing"] = scheme.missing
    ranking = _unstructure_attrs(scheme.ranking)
    if ranking:
        out["ranking"] = ranking
    adjustments = _unstructure_attrs(scheme.adjustments)
    if adjustments:
        out["adjustments"] = adjustments
    out["nodes"] = [_unstructure_node(n) for n in scheme.nodes]
    return out


def _register() -> None:
    for cls in (Adjustment, Adjustments, Ranking, Rounding, Tier, Band):
        converter.register_unstructure_hook(cls, _unstructure_attrs)
    converter.register_unstructure_hook(TierScale, _unstructure_tier_scale)
    converter.register_unstructure_hook(Node, _unstructure_node)
    converter.register_unstructure_hook(Scheme, _unstructure_scheme)
    converter.register_unstructure_hook(Choice, _unstructure_options)
    converter.register_unstructure_hook(Survey, _unstructure_options)
    # Any other rule (built-in or plugin): its kind, then its attrs fields.
    converter.register_unstructure_hook_func(
        lambda t: isinstance(t, type) and isinstance(getattr(t, "kind", None), str),
        _unstructure_rule,
    )


_register()


def scheme_to_dict(scheme: Scheme) -> dict[str, Any]:
    """Return the scheme as the plain dict of the v1 format, keys in a stable order."""
    return _unstructure_scheme(scheme)


def canonical_json(scheme: Scheme) -> str:
    """Return the canonical JSON text of *scheme*: sorted keys, no spaces, UTF-8 characters."""
    return json.dumps(
        scheme_to_dict(scheme), sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )


def fingerprint(scheme: Scheme) -> str:
    """Return ``sha256:<hex>`` of the scheme's canonical JSON; equal schemes share it."""
    digest = hashlib.sha256(canonical_json(scheme).encode("utf-8")).hexdigest()
    return f"sha256:{digest}"


# -- structuring: plain dicts of the v1 format -> model objects ---------------------------------
#
# Scalars are strict (a number is never read from text, text never from a number), so a file
# means what it says. Every problem is collected with its JSON path: ``_Reader`` walks the scheme
# and node levels itself and structures everything below (rules, tiers, rounding …) through the
# converter, translating cattrs' detailed validation errors into ``Problem``s. A value that fails
# is replaced by a placeholder so that validation of the rest (duplicate ids, parents' max …)
# still runs; the model's problems about replaced values are then dropped as consequences.

_FILE_NAMES = {"max_points": "max"}
"""Model attribute names that the file format spells differently."""

_NAMED_VALUES = tuple[tuple[str, float], ...]
"""The type of ``options``-like parameters: written as a mapping ``{name: number}`` in files."""


class _Marker:
    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name


_ABSENT: Any = _Marker("<absent>")
_FAILED: Any = _Marker("<failed>")


def _show(value: object) -> str:
    """Describe a value found in a file: its repr (shortened) and what kind of value it is."""
    text = repr(value)
    if len(text) > 60:
        text = text[:57] + "…"
    kinds: dict[type, str] = {
        bool: "true/false",
        int: "a number",
        float: "a number",
        str: "text",
        list: "a list",
        dict: "a mapping",
        type(None): "null",
    }
    kind = kinds.get(type(value))
    return f"{text} ({kind})" if kind else text


def _did_you_mean(word: object, choices: Sequence[str]) -> str:
    close = difflib.get_close_matches(str(word), list(choices), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _unknown_key_message(key: object, allowed: Sequence[str]) -> str:
    return f"unknown key {key!r}; allowed keys: {', '.join(allowed)}{_did_you_mean(key, allowed)}"


def _add_note(exc: BaseException, note: str) -> None:
    # BaseException.add_note is Python 3.11+; cattrs reads __notes__ on every version.
    setattr(exc, "__notes__", [*getattr(exc, "__notes__", []), note])  # noqa: B010


def _structure_float(value: object, _type: object = float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        hint = ""
        if isinstance(value, str):
            hint = "; write numbers without quotes, in plain decimal form (0.5, not 0,5 or 5e-1)"
        msg = f"expected a number, found {_show(value)}{hint}"
        raise TypeError(msg)
    try:
        out = float(value)
    except OverflowError:
        msg = f"number too large: {value}"
        raise ValueError(msg) from None
    if not math.isfinite(out):
        msg = f"expected a finite number, found {value!r}"
        raise ValueError(msg)
    return out


def _structure_int(value: object, _type: object = int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        msg = f"expected a whole number, found {_show(value)}"
        raise TypeError(msg)
    return value


def _structure_str(value: object, _type: object = str) -> str:
    if not isinstance(value, str):
        hint = ""
        if isinstance(value, bool):
            hint = "; YAML reads yes/no/on/off/true/false as true/false: quote the text"
        elif isinstance(value, int | float):
            hint = f'; quote it ("{value}") so it is read as text'
        msg = f"expected text, found {_show(value)}{hint}"
        raise TypeError(msg)
    return unicodedata.normalize("NFC", value)


def _structure_bool(value: object, _type: object = bool) -> bool:
    if not isinstance(value, bool):
        msg = f"expected true or false, found {_show(value)}"
        raise TypeError(msg)
    return value


def _literal_hook(type_: Any) -> Callable[[object, object], object]:
    choices = get_args(type_)

    def structure(value: object, _type: object) -> object:
        if not any(type(value) is type(c) and value == c for c in choices):
            names = [str(c) for c in choices]
            msg = (
                f"expected one of {', '.join(names)}; found {_show(value)}"
                f"{_did_you_mean(value, names)}"
            )
            raise ValueError(msg)
        return value

    return structure


def _is_sequence(type_: Any) -> bool:
    origin, args = get_origin(type_), get_args(type_)
    return origin is list or (origin is tuple and len(args) == 2 and args[1] is Ellipsis)


def _sequence_hook(type_: Any) -> Callable[[object, object], object]:
    item = get_args(type_)[0]
    as_tuple = get_origin(type_) is tuple

    def structure(value: object, _type: object) -> object:
        # A string is iterable, but "on_time" must never become ('o', 'n', …).
        if not isinstance(value, list | tuple):
            msg = f"expected a list, found {_show(value)}"
            raise TypeError(msg)
        out: list[object] = []
        errors: list[Exception] = []
        for i, x in enumerate(value):
            try:
                out.append(converter.structure(x, item))
            except Exception as exc:  # noqa: PERF203 - collected, translated into problems
                _add_note(exc, IterableValidationNote(f"Structuring {type_} @ index {i}", i, item))
                errors.append(exc)
        if errors:
            msg = f"While structuring {type_!r}"
            raise IterableValidationError(msg, errors, type_)
        return tuple(out) if as_tuple else out

    return structure


def _structure_named_values(value: object, _type: object) -> tuple[tuple[str, float], ...]:
    """``{name: number, …}`` in a file -> ``((name, number), …)`` in the model, order kept."""
    if not isinstance(value, Mapping):
        msg = f"expected a mapping of name: number, found {_show(value)}"
        raise TypeError(msg)
    out: list[tuple[str, float]] = []
    errors: list[Exception] = []
    for key, number in value.items():
        try:
            if not isinstance(key, str):
                msg = f"a name must be text, found {_show(key)}"
                if isinstance(key, bool):
                    msg += "; YAML reads yes/no/on/off/true/false as true/false: quote the name"
                else:
                    msg += "; quote it"
                raise TypeError(msg)
            out.append((key, _structure_float(number)))
        except Exception as exc:  # noqa: PERF203 - collected, translated into problems
            _add_note(exc, IterableValidationNote(f"Structuring name {key}", str(key), float))
            errors.append(exc)
    if errors:
        msg = "While structuring named values"
        raise IterableValidationError(msg, errors, _NAMED_VALUES)
    return tuple(out)


def _attrs_hook(cls: type) -> Callable[[object, object], object]:
    inner: Callable[[Any, Any], Any] = make_dict_structure_fn(
        cls,
        converter,
        _cattrs_forbid_extra_keys=True,
        _cattrs_detailed_validation=True,
    )

    def structure(value: object, _type: object) -> object:
        if not isinstance(value, Mapping):
            msg = f"expected a mapping (key: value, …), found {_show(value)}"
            raise TypeError(msg)
        return inner(value, cls)

    return structure


def _allowed_keys(cls: type) -> list[str]:
    keys = [_FILE_NAMES.get(f.name, f.name) for f in attrs.fields(cls) if f.init]
    if isinstance(getattr(cls, "kind", None), str):
        keys.insert(0, "kind")
    return keys


def _segment(exc: BaseException) -> str:
    """The path step a cattrs note records on *exc*: ``.key`` or ``[index]``."""
    for note in getattr(exc, "__notes__", ()):
        if isinstance(note, AttributeValidationNote):
            return "." + _FILE_NAMES.get(note.name, note.name)
        if isinstance(note, IterableValidationNote):
            return f"[{note.index}]" if isinstance(note.index, int) else f".{note.index}"
    return ""


def _field_named_in(exc: BaseException, cls: type) -> str:
    """The path step of the field a validator's message starts with ("per must be …")."""
    if isinstance(exc, SchemeError):
        return ""
    found = re.match(r"(\w+)((?:\[\d+\])?)", str(exc))
    if found and found[1] in {f.name for f in attrs.fields(cls) if f.init}:
        return f".{_FILE_NAMES.get(found[1], found[1])}{found[2]}"
    return ""


def _translate(exc: BaseException, path: str) -> list[Problem]:
    """Turn an exception raised while structuring the value at *path* into problems."""
    if isinstance(exc, SchemeError):  # the model's own validation, paths relative to the value
        return [p.within(path) for p in exc.problems]
    if isinstance(exc, ForbiddenExtraKeysError):
        allowed = _allowed_keys(exc.cl) if attrs.has(exc.cl) else []
        return [
            Problem(message=_unknown_key_message(key, allowed), path=f"{path}.{key}")
            for key in sorted(exc.extra_fields, key=str)
        ]
    subs = getattr(exc, "exceptions", None)
    if isinstance(subs, tuple | list) and subs:
        out: list[Problem] = []
        cls = getattr(exc, "cl", None)
        for sub in subs:
            step = _segment(sub)
            if not step and isinstance(cls, type) and attrs.has(cls):
                step = _field_named_in(sub, cls)
            out.extend(_translate(sub, path + step))
        return out
    if isinstance(exc, KeyError):  # cattrs reading a required attribute that is not there
        return [Problem(message=f"missing required key {exc.args[0]!r}", path=path)]
    message = str(exc) or type(exc).__name__
    return [Problem(message=message, path=path)]


def _under(path: str, prefix: str) -> bool:
    return path == prefix or (path.startswith(prefix) and path[len(prefix)] in ".[")


_SCHEME_KEYS = ("parscore", *(_FILE_NAMES.get(f.name, f.name) for f in attrs.fields(Scheme)))
_NODE_KEYS = tuple(_FILE_NAMES.get(f.name, f.name) for f in attrs.fields(Node))


class _Reader:
    """Structures one scheme dict, collecting every problem instead of stopping at the first."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.repaired: list[str] = []  # paths whose value was replaced by a placeholder
        self.node_ids: dict[str, str] = {}  # node path -> node id, to label problems
        self.unknown_kind = False
        self.placeholders = 0

    def add(self, message: str, path: str) -> None:
        self.problems.append(Problem(message=message, path=path))

    def fail(self, message: str, path: str) -> Any:
        """Record a problem with the value at *path*, which is replaced by a placeholder."""
        self.add(message, path)
        self.repaired.append(path)
        return _FAILED

    def structure(self, value: object, type_: Any, path: str) -> Any:
        try:
            return converter.structure(value, type_)
        except RecursionError:
            raise
        except Exception as exc:  # every failure becomes problems with paths
            self.problems.extend(_translate(exc, path))
            self.repaired.append(path)
            return _FAILED

    def normalise(self, value: object, path: str) -> object:
        """Return *value* with every text (keys too) NFC-normalised, reporting clashes."""
        if isinstance(value, str):
            return unicodedata.normalize("NFC", value)
        if isinstance(value, list | tuple):
            return [self.normalise(v, f"{path}[{i}]") for i, v in enumerate(value)]
        if isinstance(value, Mapping):
            out: dict[object, object] = {}
            for key, v in value.items():
                k = unicodedata.normalize("NFC", key) if isinstance(key, str) else key
                if k in out:
                    self.add(f"key {k!r} is written twice (in different Unicode forms)", path)
                out[k] = self.normalise(v, f"{path}.{k}")
            return out
        return value

    def version(self, raw: Mapping[Any, object]) -> None:
        version = raw.get("parscore", _ABSENT)
        if version is _ABSENT:
            self.add("the format version is missing: add 'parscore: 1' at the top", "$.parscore")
        elif isinstance(version, bool) or not isinstance(version, int):
            self.add(
                f"parscore (the format version) must be the whole number {FORMAT_VERSION}, "
                f"found {_show(version)}",
                "$.parscore",
            )
        elif version != FORMAT_VERSION:
            if version > FORMAT_VERSION:
                msg = (
                    f"this file is format version {version}; this parscore reads version "
                    f"{FORMAT_VERSION} — upgrade parscore"
                )
            else:
                msg = (
                    f"unknown format version {version}; this parscore reads version "
                    f"{FORMAT_VERSION}"
                )
            # Nothing else is worth reporting: the rest of the file follows another format.
            raise SchemeError([Problem(message=msg, path="$.parscore")])

    def keys(self, raw: Mapping[Any, object], allowed: Sequence[str], path: str) -> None:
        for key in raw:
            if key not in allowed:
                self.add(_unknown_key_message(key, allowed), f"{path}.{key}")

    def scheme(self, raw: object) -> Scheme:
        if not isinstance(raw, Mapping):
            msg = (
                f"a scheme must be a mapping with the keys parscore, id, name, tiers, nodes …; "
                f"found {_show(raw)}"
            )
            raise SchemeError([Problem(message=msg)])
        self.version(raw)
        self.keys(raw, _SCHEME_KEYS, "$")
        placeholders: dict[str, object] = {
            "id": "invalid",
            "name": "?",
            "tiers": TierScale(scale=(Tier(name="?", min=0),)),
            "nodes": (),
        }
        kwargs: dict[str, Any] = {}
        for field in attrs.fields(Scheme):
            path = f"$.{field.name}"
            if field.name == "nodes":
                value = self.node_list(raw.get("nodes", _ABSENT), path, "nodes")
            elif field.name not in raw:
                if field.default is attrs.NOTHING:
                    value = self.fail(f"missing required key {field.name!r}", path)
                else:
                    continue
            else:
                value = self.structure(raw[field.name], field.type, path)
            if value is _FAILED:
                if field.name not in placeholders:
                    continue
                value = placeholders[field.name]
            kwargs[field.name] = value
        return self.build(Scheme, kwargs, "$")  # type: ignore[no-any-return]

    def node_list(self, raw: object, path: str, key: str) -> Any:
        if raw is _ABSENT:
            return self.fail(f"missing required key {key!r} (a list of nodes)", path)
        if not isinstance(raw, list | tuple):
            return self.fail(f"{key} must be a list of nodes, found {_show(raw)}", path)
        return tuple(self.node(item, f"{path}[{i}]") for i, item in enumerate(raw))

    def placeholder_node(self) -> Node:
        self.placeholders += 1
        return Node(id=f"_invalid{self.placeholders}", name="?")

    def node(self, raw: object, path: str) -> Node:
        if not isinstance(raw, Mapping):
            self.fail(
                f"a node must be a mapping with id, name and max (or children), found {_show(raw)}",
                path,
            )
            return self.placeholder_node()
        if isinstance(raw.get("id"), str):
            self.node_ids[path] = unicodedata.normalize("NFC", raw["id"]).strip()
        self.keys(raw, _NODE_KEYS, path)
        kwargs: dict[str, Any] = {}
        for field in attrs.fields(Node):
            key = _FILE_NAMES.get(field.name, field.name)
            where = f"{path}.{key}"
            if key not in raw:
                if field.default is attrs.NOTHING:
                    self.fail(f"missing required key {key!r}", where)
                    kwargs[field.name] = (
                        f"_invalid{len(self.repaired)}" if field.name == "id" else "?"
                    )
                continue
            if key == "children":
                value = self.node_list(raw[key], where, key)
            elif key == "rule":
                value = self.rule(raw[key], where)
            else:
                value = self.structure(raw[key], field.type, where)
            if value is _FAILED:
                if field.default is attrs.NOTHING:
                    value = f"_invalid{len(self.repaired)}" if field.name == "id" else "?"
                else:
                    continue
            kwargs[field.name] = value
        node = self.build(Node, kwargs, path)
        return node if isinstance(node, Node) else self.placeholder_node()

    def rule(self, raw: object, path: str) -> Any:
        if raw is None:
            return None
        if not isinstance(raw, Mapping):
            return self.fail(
                f"a rule must be a mapping such as {{kind: yes_no}}, found {_show(raw)}", path
            )
        kind = raw.get("kind", _ABSENT)
        if kind is _ABSENT:
            return self.fail(
                f"a rule needs a kind; known kinds: {', '.join(rule_kinds())}", f"{path}.kind"
            )
        try:
            cls = get_rule_class(kind) if isinstance(kind, str) else None
        except LookupError:
            cls = None
        if cls is None:
            self.unknown_kind = True
            self.repaired.append(path)
            return self.fail(unknown_kind_message(kind), f"{path}.kind")
        params = {k: v for k, v in raw.items() if k != "kind"}
        if attrs.has(cls):
            return self.structure(params, cls, path)
        return self.build(cls, params, path)  # a plugin rule that is not an attrs class

    def build(self, cls: Callable[..., object], kwargs: dict[str, Any], path: str) -> Any:
        """Call *cls* with *kwargs*, recording its problems (less consequences of repairs)."""
        try:
            return cls(**kwargs)
        except RecursionError:
            raise
        except Exception as exc:  # the model's validation: keep problems not already explained
            self.problems.extend(
                p
                for p in _translate(exc, path)
                if not any(_under(p.path, r) for r in self.repaired)
            )
            self.repaired.append(path)
            return _FAILED

    def error(self, source: str | None = None) -> SchemeError:
        """One error listing every problem, each labelled with its node id."""
        paths = sorted(self.node_ids, key=len, reverse=True)
        seen: set[Problem] = set()
        problems: list[Problem] = []
        for problem in self.problems:
            if problem.node_id is None:
                node_path = next((p for p in paths if _under(problem.path, p)), None)
                if node_path is not None:
                    problem = attrs.evolve(problem, node_id=self.node_ids[node_path])  # noqa: PLW2901
            if problem not in seen:
                seen.add(problem)
                problems.append(problem)
        cls = UnknownRuleError if self.unknown_kind else SchemeError
        return cls(problems, source)


def _read_scheme(data: object) -> Scheme:
    reader = _Reader()
    try:
        raw = reader.normalise(data, "$")
        scheme = reader.scheme(raw)
    except RecursionError:
        msg = "the scheme nests too deeply (or an alias refers to itself)"
        raise SchemeError([Problem(message=msg)]) from None
    if reader.problems or not isinstance(scheme, Scheme):
        raise reader.error()
    return scheme


def scheme_from_dict(data: Mapping[str, object]) -> Scheme:
    """Build a scheme from the plain dict of the v1 file format (as read from YAML/JSON/TOML).

    Keys are those of the file format (``max``, ``rule: {kind: …}``, ``options`` as a mapping
    …); see ``docs/scheme-format.md``. Text is NFC-normalised; numbers are never read from text.

    Raises:
        SchemeError: listing every problem found, each with its JSON path and node id.
        UnknownRuleError: the same, when a rule kind is neither built in nor installed.

    .. versionadded:: 0.1
    """
    return _read_scheme(data)


def _structure_rule(value: object, _type: object) -> Rule:
    reader = _Reader()
    rule = reader.rule(reader.normalise(value, "$"), "$")
    if reader.problems or rule is None:
        if not reader.problems:
            reader.add("expected a rule, found null", "$")
        raise reader.error()
    return rule  # type: ignore[no-any-return]


def _is_literal(type_: object) -> bool:
    return get_origin(type_) is Literal


def _register_structure() -> None:
    # Later registrations take precedence: generic factories first, specific types last.
    converter.register_structure_hook_factory(attrs.has, _attrs_hook)
    converter.register_structure_hook_factory(_is_sequence, _sequence_hook)
    converter.register_structure_hook_factory(_is_literal, _literal_hook)
    converter.register_structure_hook(float, _structure_float)
    converter.register_structure_hook(int, _structure_int)
    converter.register_structure_hook(str, _structure_str)
    converter.register_structure_hook(bool, _structure_bool)
    converter.register_structure_hook_func(lambda t: t == _NAMED_VALUES, _structure_named_values)
    converter.register_structure_hook_func(lambda t: t is Rule, _structure_rule)
    converter.register_structure_hook_func(
        lambda t: t is Scheme, lambda value, _t: _read_scheme(value)
    )
    for cls in (Scheme, Node):
        attrs.resolve_types(cls)


_register_structure()
