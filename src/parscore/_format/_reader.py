"""Structuring a scheme: plain dicts of the v1 format -> model objects, every problem at once."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

import attrs
from cattrs.errors import AttributeValidationNote, ForbiddenExtraKeysError, IterableValidationNote

from parscore._format import _hooks as hooks
from parscore._format._common import (
    ABSENT,
    FAILED,
    FILE_NAMES,
    FORMAT_VERSION,
    NAMED_VALUES,
    LongNumber,
    converter,
    show,
    unknown_key_message,
)
from parscore._params import MULTI_LINE_KEYS, text_fault
from parscore.errors import LimitError, Problem, SchemeError, UnknownRuleError
from parscore.limits import Limits, default_limits
from parscore.model import Node, Scheme, Tier, TierScale, UnitType
from parscore.plugins import get_rule_class, rule_kinds, unknown_kind_message
from parscore.typing import Rule

__all__ = ["scheme_from_dict"]

# -- structuring: plain dicts of the v1 format -> model objects ---------------------------------
#
# Scalars are strict (a number is never read from text, text never from a number), so a file
# means what it says. Every problem is collected with its JSON path: ``_Reader`` walks the scheme
# and node levels itself and structures everything below (rules, tiers, rounding …) through the
# converter, translating cattrs' detailed validation errors into ``Problem``s. A value that fails
# is replaced by a placeholder so that validation of the rest (duplicate ids, parents' max …)
# still runs; the model's problems about replaced values are then dropped as consequences.


def _segment(exc: BaseException) -> str:
    """The path steps cattrs notes record on *exc*: ``.key`` and ``[index]``, in order."""
    out = ""
    for note in getattr(exc, "__notes__", ()):
        if isinstance(note, AttributeValidationNote):
            out += "." + FILE_NAMES.get(note.name, note.name)
        elif isinstance(note, IterableValidationNote):
            out += f"[{note.index}]" if isinstance(note.index, int) else f".{note.index}"
    return out


def _below(raw: object, exc: BaseException) -> object:
    """The value of *raw* that *exc*'s path notes lead to (as :func:`_segment`), or ABSENT."""
    for note in getattr(exc, "__notes__", ()):
        if isinstance(note, AttributeValidationNote):
            step: object = FILE_NAMES.get(note.name, note.name)
        elif isinstance(note, IterableValidationNote):
            step = note.index
        else:
            continue
        if isinstance(raw, Mapping):
            raw = raw.get(step, ABSENT)
        elif isinstance(raw, list | tuple) and isinstance(step, int) and 0 <= step < len(raw):
            raw = raw[step]
        else:
            return ABSENT
    return raw


def _translate(exc: BaseException, path: str, raw: object = ABSENT) -> list[Problem]:
    """Turn an exception raised while structuring the value at *path* into problems.

    *raw* is that value as read from the file, when known (an unknown key's value is shown
    in the message's hint).
    """
    if isinstance(exc, SchemeError):  # the model's own validation, paths relative to the value
        return [p.within(path) for p in exc.problems]
    if isinstance(exc, ForbiddenExtraKeysError):
        allowed = hooks.allowed_keys(exc.cl) if attrs.has(exc.cl) else []
        values = raw if isinstance(raw, Mapping) else {}
        return [
            Problem(
                message=unknown_key_message(key, allowed, values.get(key, ABSENT)),
                path=f"{path}.{key}",
            )
            for key in sorted(exc.extra_fields, key=str)
        ]
    subs = getattr(exc, "exceptions", None)
    if isinstance(subs, tuple | list) and subs:
        out: list[Problem] = []
        for sub in subs:
            out.extend(_translate(sub, path + _segment(sub), _below(raw, sub)))
        return out
    if isinstance(exc, KeyError):  # cattrs reading a required attribute that is not there
        return [Problem(message=f"missing required key {exc.args[0]!r}", path=path)]
    try:  # some messages fail to build (cattrs' sorts non-text keys)
        message = str(exc) or type(exc).__name__
    except Exception:
        message = type(exc).__name__
    return [Problem(message=message, path=path)]


def _ancestors(path: str) -> Iterator[str]:
    """*path* and every path it lies under (cut before a ``.`` or ``[``), longest first.

    A problem's path has the depth of the document (bounded), so looking its ancestors up in a
    set is linear in the number of problems, where testing every recorded path was quadratic.
    """
    yield path
    for i in range(len(path) - 1, 0, -1):
        if path[i] in ".[":
            yield path[:i]


_SCHEME_KEYS = ("parscore", *(FILE_NAMES.get(f.name, f.name) for f in attrs.fields(Scheme)))
_NODE_KEYS = tuple(FILE_NAMES.get(f.name, f.name) for f in attrs.fields(Node))


# Text without any character text_fault looks at (the common case: checked by one search).
_SUSPECT = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")


def _plain(text: str) -> bool:
    return _SUSPECT.search(text) is None


class _Reader:
    """Structures one scheme dict, collecting every problem instead of stopping at the first."""

    def __init__(self, limits: Limits | None = None) -> None:
        self.limits = limits if limits is not None else default_limits()
        self.problems: list[Problem] = []
        self.repaired: set[str] = set()  # paths whose value was replaced by a placeholder
        self.node_ids: dict[str, str] = {}  # node path -> node id, to label problems
        self.unknown_kind = False
        self.placeholders = 0
        self.values = 0  # values of the document walked (YAML aliases expanded)
        self.nodes = 0

    def add(self, message: str, path: str) -> None:
        self.problems.append(Problem(message=message, path=path))

    def fail(self, message: str, path: str) -> Any:
        """Record a problem with the value at *path*, which is replaced by a placeholder."""
        self.add(message, path)
        self.repaired.add(path)
        return FAILED

    def structure(self, value: object, type_: Any, path: str) -> Any:
        try:
            return converter.structure(value, type_)
        except RecursionError:
            raise
        except Exception as exc:  # every failure becomes problems with paths
            self.problems.extend(_translate(exc, path, value))
            self.repaired.add(path)
            return FAILED

    def normalise(self, value: object, path: str, key: object = None, depth: int = 1) -> object:
        """Return *value* with every text (keys too) NFC-normalised, reporting clashes.

        The walk also enforces the limits (values as expanded, depth, digits of whole numbers)
        and refuses text that is not Unicode or holds control characters (replaced, so that the
        rest is still checked).
        """
        self.values += 1
        if self.values > self.limits.max_scheme_values:
            raise LimitError("max_scheme_values", self.limits.max_scheme_values, None, path)
        if isinstance(value, str):
            if _plain(value):  # the common case, by one search
                return unicodedata.normalize("NFC", value)
            return self.text(value, path, multiline=key in MULTI_LINE_KEYS)
        if isinstance(value, list | tuple | Mapping):
            if depth >= self.limits.max_depth:
                raise LimitError("max_depth", self.limits.max_depth, depth + 1, path)
            return self.container(value, path, depth)
        if isinstance(value, LongNumber):
            limit = self.limits.max_number_digits
            raise LimitError("max_number_digits", limit, value.digits, path)
        if isinstance(value, int) and not isinstance(value, bool):
            limit = self.limits.max_number_digits
            if abs(value) >= 10**limit:  # no conversion to text: it is quadratic
                raise LimitError("max_number_digits", limit, None, path)
        return value

    def container(
        self, value: list[object] | tuple[object, ...] | Mapping[Any, object], path: str, depth: int
    ) -> object:
        if not isinstance(value, Mapping):
            return [self.normalise(v, f"{path}[{i}]", None, depth + 1) for i, v in enumerate(value)]
        out: dict[object, object] = {}
        for k, v in value.items():
            if isinstance(k, str):
                k = (  # noqa: PLW2901
                    unicodedata.normalize("NFC", k)
                    if _plain(k)
                    else self.text(k, f"{path}.", multiline=False, key=True)
                )
            elif isinstance(k, int | LongNumber) and not isinstance(k, bool):
                self.normalise(k, f"{path}.<key>", None, depth)  # refuses long numbers
            if k in out:
                self.add(f"key {k!r} is written twice (in different Unicode forms)", path)
            out[k] = self.normalise(v, f"{path}.{k}", k, depth + 1)
        return out

    def text(self, value: str, path: str, *, multiline: bool, key: bool = False) -> str:
        """*value* NFC-normalised; refused text is recorded and replaced by a cleaned copy."""
        fault = text_fault(value, multiline=multiline)
        if fault is None:
            return unicodedata.normalize("NFC", value)
        cleaned = "".join(
            c if text_fault(c, multiline=multiline) is None else "\ufffd" for c in value
        )
        self.fail(fault, path + cleaned if key else path)  # a path never holds the characters
        return cleaned

    def version(self, raw: Mapping[Any, object]) -> None:
        version = raw.get("parscore", ABSENT)
        if version is ABSENT:
            self.add("the format version is missing: add 'parscore: 1' at the top", "$.parscore")
        elif isinstance(version, bool) or not isinstance(version, int):
            self.add(
                f"parscore (the format version) must be the whole number {FORMAT_VERSION}, "
                f"found {show(version)}",
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
                self.add(unknown_key_message(key, allowed, raw[key]), f"{path}.{key}")

    def scheme(self, raw: object) -> Scheme:
        if not isinstance(raw, Mapping):
            msg = (
                f"a scheme must be a mapping with the keys parscore, id, name, tiers, nodes …; "
                f"found {show(raw)}"
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
                value = self.node_list(raw.get("nodes", ABSENT), path, "nodes")
            elif field.name not in raw:
                if field.default is attrs.NOTHING:
                    value = self.fail(f"missing required key {field.name!r}", path)
                else:
                    continue
            else:
                value = self.structure(raw[field.name], field.type, path)
            if value is FAILED:
                if field.name not in placeholders:
                    continue
                value = placeholders[field.name]
            kwargs[field.name] = value
        return self.build(Scheme, kwargs, "$")  # type: ignore[no-any-return]

    def node_list(self, raw: object, path: str, key: str) -> Any:
        if raw is ABSENT:
            return self.fail(f"missing required key {key!r} (a list of nodes)", path)
        if not isinstance(raw, list | tuple):
            return self.fail(f"{key} must be a list of nodes, found {show(raw)}", path)
        return tuple(self.node(item, f"{path}[{i}]") for i, item in enumerate(raw))

    def placeholder_id(self) -> str:
        self.placeholders += 1
        return f"_invalid{self.placeholders}"

    def placeholder_node(self) -> Node:
        return Node(id=self.placeholder_id(), name="?")

    def node(self, raw: object, path: str) -> Node:
        self.nodes += 1
        if self.nodes > self.limits.max_nodes:
            raise LimitError("max_nodes", self.limits.max_nodes, None, path)
        if not isinstance(raw, Mapping):
            self.fail(
                f"a node must be a mapping with id, name and max (or children), found {show(raw)}",
                path,
            )
            return self.placeholder_node()
        if isinstance(raw.get("id"), str):
            self.node_ids[path] = unicodedata.normalize("NFC", raw["id"]).strip()
        self.keys(raw, _NODE_KEYS, path)
        kwargs: dict[str, Any] = {}
        for field in attrs.fields(Node):
            key = FILE_NAMES.get(field.name, field.name)
            where = f"{path}.{key}"
            if key not in raw:
                if field.default is attrs.NOTHING:
                    self.fail(f"missing required key {key!r}", where)
                    kwargs[field.name] = self.placeholder_id() if field.name == "id" else "?"
                continue
            if key == "children":
                value = self.node_list(raw[key], where, key)
            elif key == "rule":
                value = self.rule(raw[key], where)
            else:
                value = self.structure(raw[key], field.type, where)
            if value is FAILED:
                if field.default is attrs.NOTHING:
                    value = self.placeholder_id() if field.name == "id" else "?"
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
                f"a rule must be a mapping such as {{kind: yes_no}}, found {show(raw)}", path
            )
        kind = raw.get("kind", ABSENT)
        if kind is ABSENT:
            return self.fail(
                f"a rule needs a kind; known kinds: {', '.join(rule_kinds())}", f"{path}.kind"
            )
        try:
            cls = get_rule_class(kind) if isinstance(kind, str) else None
        except LookupError:
            cls = None
        if cls is None:
            self.unknown_kind = True
            self.repaired.add(path)
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
            repaired = self.repaired
            self.problems.extend(
                p
                for p in _translate(exc, path)
                if not any(a in repaired for a in _ancestors(p.path))
            )
            repaired.add(path)
            return FAILED

    def error(self, source: str | None = None) -> SchemeError:
        """One error listing every problem, each labelled with its node id."""
        seen: set[Problem] = set()
        problems: list[Problem] = []
        for problem in self.problems:
            if problem.node_id is None:
                node_path = next((a for a in _ancestors(problem.path) if a in self.node_ids), None)
                if node_path is not None:
                    problem = attrs.evolve(problem, node_id=self.node_ids[node_path])  # noqa: PLW2901
            if problem not in seen:
                seen.add(problem)
                problems.append(problem)
        cls = UnknownRuleError if self.unknown_kind else SchemeError
        return cls(problems, source)


def _read_scheme(data: object, limits: Limits | None = None) -> Scheme:
    reader = _Reader(limits)
    try:
        raw = reader.normalise(data, "$")
        scheme = reader.scheme(raw)
    except RecursionError:
        msg = "the scheme nests too deeply (or an alias refers to itself)"
        raise SchemeError([Problem(message=msg)]) from None
    if reader.problems or not isinstance(scheme, Scheme):
        raise reader.error()
    return scheme


def scheme_from_dict(data: Mapping[str, object], *, limits: Limits | None = None) -> Scheme:
    """Build a scheme from the plain dict of the v1 file format (as read from YAML/JSON/TOML).

    Keys are those of the file format (``max``, ``rule: {kind: …}``, ``options`` as a mapping
    …); see ``docs/scheme-format.md``. Text is NFC-normalised; numbers are never read from text.

    Text must be Unicode (no lone surrogates) without control characters (tab and line breaks
    only in ``notes``, ``legal_basis``, ``version`` and ``description``); numbers must be finite
    and at most 1e15 in magnitude (a node's max at most 1e9).

    Args:
        data: The plain dict.
        limits: The limits on its size (values, depth, nodes, digits of whole numbers); by
            default :func:`parscore.default_limits`.

    Raises:
        SchemeError: listing every problem found, each with its JSON path and node id.
        UnknownRuleError: the same, when a rule kind is neither built in nor installed.
        LimitError: when the dict exceeds a limit (its ``where`` is the JSON path reached).

    .. versionadded:: 0.1
    .. versionchanged:: 0.2 *limits*; text and number checks.
    """
    return _read_scheme(data, limits)


def _structure_rule(value: object, _type: object) -> Rule:
    reader = _Reader()
    rule = reader.rule(reader.normalise(value, "$"), "$")
    if reader.problems or rule is None:
        if not reader.problems:
            reader.add("expected a rule, found null", "$")
        raise reader.error()
    return rule  # type: ignore[no-any-return]


SCALES_BY_TYPE = tuple[tuple[str, TierScale], ...]
"""The type of ``TierScale.by_type``: written as a mapping ``{type: scale}`` in files."""


def _register_structure() -> None:
    # Later registrations take precedence: generic factories first, specific types last.
    converter.register_structure_hook_factory(attrs.has, hooks.attrs_hook)
    converter.register_structure_hook_factory(hooks.is_sequence, hooks.sequence_hook)
    converter.register_structure_hook_factory(hooks.is_literal, hooks.literal_hook)
    converter.register_structure_hook_factory(hooks.is_choice_union, hooks.choice_union_hook)
    converter.register_structure_hook(float, hooks.structure_float)
    converter.register_structure_hook(int, hooks.structure_int)
    converter.register_structure_hook(str, hooks.structure_str)
    converter.register_structure_hook(bool, hooks.structure_bool)
    converter.register_structure_hook_func(
        lambda t: t == NAMED_VALUES, hooks.structure_named_values
    )
    converter.register_structure_hook_func(lambda t: t is Rule, _structure_rule)
    unit_type = hooks.attrs_hook(UnitType)
    converter.register_structure_hook(
        UnitType,
        lambda value, t: (
            UnitType(id=hooks.structure_str(value))
            if isinstance(value, str)
            else unit_type(value, t)
        ),
    )
    converter.register_structure_hook_func(lambda t: t == SCALES_BY_TYPE, hooks.structure_by_type)
    converter.register_structure_hook_func(
        lambda t: t is Scheme, lambda value, _t: _read_scheme(value)
    )
    for cls in (Scheme, Node, TierScale):
        attrs.resolve_types(cls)


_register_structure()
