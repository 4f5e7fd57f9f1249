"""Reading the text of scheme files (YAML, JSON, TOML) safely: every failure a ParscoreError.

Untrusted text meets three third-party parsers here. Each one's errors become a
:class:`~parscore.errors.SchemeError` with the line when known; sizes are bounded by
:class:`~parscore.Limits` before the cost is paid:

- nesting (``max_depth``): counted while YAML is composed and by a linear scan of JSON before it
  is parsed (the parsers recurse); TOML's parser recursing too deep is caught;
- YAML aliases (``max_scheme_values``): the composed graph shares aliased nodes, so the size of
  the document as expanded is counted on the graph (memoised, linear in the text) before any
  walk expands it: a 730-byte "billion laughs" is refused in milliseconds;
- whole numbers (``max_number_digits``): the digits are counted before the text is converted
  (Python refuses more than 4,300 digits, and converting is quadratic); a longer number is
  kept as :class:`~parscore._format._common.LongNumber` and refused with its path by the reader.

The YAML walk records the line of every JSON path for the problems' ``line``.
"""

from __future__ import annotations

import functools
import importlib
import json
import re
import sys
import unicodedata
from typing import TYPE_CHECKING, Any

from parscore._format._common import LongNumber
from parscore.errors import LimitError, Problem, SchemeError
from parscore.limits import Limits

if TYPE_CHECKING:
    import yaml

__all__ = ["read_json", "read_toml", "read_yaml", "yaml_module"]

_NOT_DIGITS = re.compile(r"^[-+]?(0[xXoObB])?|[^0-9a-fA-F]")
_JSON_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')


def _line(text: str, position: int) -> int:
    return text.count("\n", 0, position) + 1


def _digits(text: str) -> int:
    """The digits of a whole number as written (sign, base prefix, ``_`` and ``:`` left out)."""
    return len(_NOT_DIGITS.sub("", text))


# -- YAML ---------------------------------------------------------------------------------------


@functools.cache
def yaml_module() -> Any:
    import yaml

    return yaml


@functools.cache
def _loader_class() -> Any:
    yaml = yaml_module()

    class Loader(yaml.SafeLoader):  # type: ignore[misc,name-defined]
        """The safe loader, bounded in depth, converting no number past the digit limit.

        Every error of a constructor (dates, ``!!int abc`` …) becomes a YAML error with its
        position.
        """

        def __init__(self, stream: str, limits: Limits, name: str) -> None:
            super().__init__(stream)
            self.limits = limits
            self.name = name
            self.depth = 0

        def compose_node(self, parent: Any, index: Any) -> Any:
            if self.depth >= self.limits.max_depth:
                line = self.peek_event().start_mark.line + 1
                where = f"{self.name}, line {line}"
                raise LimitError("max_depth", self.limits.max_depth, self.depth + 1, where)
            self.depth += 1
            try:
                return super().compose_node(parent, index)
            finally:
                self.depth -= 1

        def construct_object(self, node: Any, deep: bool = False) -> Any:
            try:
                return super().construct_object(node, deep=deep)
            except (yaml.YAMLError, LimitError, RecursionError):
                raise
            except Exception as exc:  # a constructor refusing the value: 2026-13-45, !!int abc
                value = repr(node.value) if isinstance(node.value, str) else "this value"
                if len(value) > 60:
                    value = value[:57] + "…"
                tag = str(node.tag).rsplit(":", 1)[-1]
                raise yaml.constructor.ConstructorError(
                    None, None, f"cannot read {value} as {tag} ({_reason(exc)})", node.start_mark
                ) from None

    def construct_int(loader: Any, node: Any) -> object:
        if isinstance(node.value, str):
            digits = _digits(node.value)
            if digits > loader.limits.max_number_digits:
                return LongNumber(digits)
        return yaml.SafeLoader.construct_yaml_int(loader, node)

    Loader.add_constructor("tag:yaml.org,2002:int", construct_int)
    return Loader


def _reason(exc: BaseException) -> str:
    try:
        text = str(exc)
    except Exception:
        text = ""
    text = text[:200]
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def read_yaml(text: str, name: str, limits: Limits) -> tuple[object, dict[str, int], list[Problem]]:
    """The data of a YAML scheme, the line of each JSON path, and its duplicate keys."""
    yaml = yaml_module()
    try:
        loader = _loader_class()(text, limits, name)
    except yaml.reader.ReaderError as exc:  # a character YAML refuses, found before parsing
        at = _line(text, exc.position)
        msg = f"invalid YAML: the character U+{exc.character:04X} is not allowed in YAML text"
        raise SchemeError([Problem(message=msg, line=at)], name) from None
    try:
        node = loader.get_single_node()
        if node is not None:
            _check_expanded(yaml, node, limits, name)
        data = None if node is None else loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        what = exc.problem or exc.context or "invalid syntax"
        if exc.context and exc.problem:
            what = f"{exc.problem} ({exc.context})"
        column = f", column {mark.column + 1}" if mark is not None else ""
        line = mark.line + 1 if mark is not None else None
        msg = f"invalid YAML{column}: {what}"
        raise SchemeError([Problem(message=msg, line=line)], name) from None
    except yaml.YAMLError as exc:  # e.g. a control character the reader refuses
        raise SchemeError([Problem(message=f"invalid YAML: {_reason(exc)}")], name) from None
    finally:
        loader.dispose()
    if node is None:
        raise SchemeError(
            [Problem(message="the file is empty; a scheme starts with 'parscore: 1'")], name
        )
    lines: dict[str, int] = {"$": node.start_mark.line + 1}
    duplicates: list[Problem] = []
    _walk_yaml(yaml, node, path="$", lines=lines, duplicates=duplicates)
    return data, lines, duplicates


def _check_expanded(yaml: Any, root: yaml.Node, limits: Limits, name: str) -> None:
    """Refuse a document whose aliases expand beyond the limits, or refer to themselves.

    Aliased nodes are shared in the composed graph: each node's expanded size and height are
    computed once (memoised), so the cost is that of the text, whatever the expansion.
    """
    sizes: dict[int, tuple[int, int]] = {}
    active: set[int] = set()

    def measure(node: yaml.Node, depth: int) -> tuple[int, int]:
        key = id(node)
        known = sizes.get(key)
        if known is not None:
            return known
        if depth > limits.max_depth:  # deeper through aliases than the text shows
            where = f"{name}, line {node.start_mark.line + 1} (YAML aliases expanded)"
            raise LimitError("max_depth", limits.max_depth, depth, where)
        if key in active:
            line = node.start_mark.line + 1
            msg = "an alias refers to a node that contains it (the document would be infinite)"
            raise SchemeError([Problem(message=msg, line=line)], name)
        size, height = 1, 1
        if isinstance(node, yaml.MappingNode | yaml.SequenceNode):
            active.add(key)
            items = node.value
            children = (
                [n for pair in items for n in pair] if isinstance(node, yaml.MappingNode) else items
            )
            for child in children:
                child_size, child_height = measure(child, depth + 1)
                size += child_size
                height = max(height, child_height + 1)
            active.discard(key)
        sizes[key] = (size, height)
        return size, height

    size, height = measure(root, 1)
    if size > limits.max_scheme_values:
        limit = limits.max_scheme_values
        raise LimitError("max_scheme_values", limit, size, f"{name} (YAML aliases expanded)")
    if height > limits.max_depth:
        limit = limits.max_depth
        raise LimitError("max_depth", limit, height, f"{name} (YAML aliases expanded)")


def _walk_yaml(
    yaml: Any,
    node: yaml.Node,
    *,
    path: str,
    lines: dict[str, int],
    duplicates: list[Problem],
) -> None:
    if isinstance(node, yaml.MappingNode):
        first: dict[str, int] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                continue
            key = unicodedata.normalize("NFC", str(key_node.value))
            sub = f"{path}.{key}"
            line = key_node.start_mark.line + 1
            if key in first and key != "<<":
                duplicates.append(
                    Problem(
                        message=(
                            f"key {key[:60]!r} is written twice in one mapping (lines "
                            f"{first[key]} and {line}); remove one"
                        ),
                        path=sub,
                        line=line,
                    )
                )
            first[key] = line
            lines[sub] = line
            _walk_yaml(yaml, value_node, path=sub, lines=lines, duplicates=duplicates)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            sub = f"{path}[{i}]"
            lines[sub] = item.start_mark.line + 1
            _walk_yaml(yaml, item, path=sub, lines=lines, duplicates=duplicates)


# -- JSON ---------------------------------------------------------------------------------------


def read_json(text: str, name: str, limits: Limits) -> tuple[object, list[Problem]]:
    """The data of a JSON scheme and its duplicate keys."""
    _check_json_depth(text, name, limits)
    duplicates: list[Problem] = []

    def pairs(items: list[tuple[str, object]]) -> dict[str, object]:
        out: dict[str, object] = {}
        for key, value in items:
            if key in out:
                msg = f"key {key[:60]!r} is written twice in one object; remove one"
                duplicates.append(Problem(message=msg))
            out[key] = value
        return out

    def whole(digits: str) -> object:
        count = _digits(digits)
        return LongNumber(count) if count > limits.max_number_digits else int(digits)

    try:
        data = json.loads(text, object_pairs_hook=pairs, parse_int=whole)
    except json.JSONDecodeError as exc:
        msg = f"invalid JSON, column {exc.colno}: {exc.msg}"
        raise SchemeError([Problem(message=msg, line=exc.lineno)], name) from None
    except RecursionError:  # the scan above should have refused it first
        raise LimitError("max_depth", limits.max_depth, None, name) from None
    return data, duplicates


def _check_json_depth(text: str, name: str, limits: Limits) -> None:
    """Refuse JSON nested deeper than the limit, before the (recursive) parser meets it."""
    if text.count("[") + text.count("{") < limits.max_depth:
        return
    depth = 0
    for token in _JSON_TOKENS.finditer(text):
        mark = token[0]
        if mark in "[{":
            depth += 1
            if depth > limits.max_depth:
                where = f"{name}, line {_line(text, token.start())}"
                raise LimitError("max_depth", limits.max_depth, depth, where)
        elif mark in "]}":
            depth -= 1


# -- TOML ---------------------------------------------------------------------------------------


def read_toml(text: str, name: str, limits: Limits) -> object:
    """The data of a TOML scheme."""
    tomllib = importlib.import_module("tomllib" if sys.version_info >= (3, 11) else "tomli")
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        found = re.search(r"\(at line (\d+), column (\d+)\)", message)
        line = int(found[1]) if found else None
        raise SchemeError([Problem(message=f"invalid TOML: {message}", line=line)], name) from None
    except RecursionError:
        raise LimitError("max_depth", limits.max_depth, None, name) from None
    except ValueError as exc:  # tomllib converts numbers itself: Python's digit limit
        if "integer string conversion" in str(exc):
            raise LimitError("max_number_digits", limits.max_number_digits, None, name) from None
        msg = f"invalid TOML: {_reason(exc)}"
        raise SchemeError([Problem(message=msg)], name) from None
