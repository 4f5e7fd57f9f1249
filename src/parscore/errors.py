"""Errors and warnings raised by parscore.

Every error raised on bad input derives from :class:`ParscoreError` and from the matching
builtin (``ValueError``, ``LookupError``, ``ImportError``), so callers can catch either.
The facts live in attributes (``problems``, ``plugin`` …) and the text is built in ``__str__``;
every constructor argument is passed to ``super().__init__`` so errors pickle across process
pools.

.. versionadded:: 0.1
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, cast

import attrs

__all__ = [
    "CellProblem",
    "LimitError",
    "MeasurementsError",
    "MissingDependencyError",
    "ParameterError",
    "ParameterTypeError",
    "ParscoreError",
    "ParscoreWarning",
    "PluginError",
    "PluginWarning",
    "Problem",
    "RuleError",
    "SchemeError",
    "UnknownRuleError",
    "json_value",
]

#: How many problems ``str(error)`` lists before summarising the rest.
_SHOWN = 50


@attrs.frozen(kw_only=True)
class Problem:
    """One problem found in a scheme.

    Attributes:
        message: What is wrong and what was found, in English.
        path: JSON path of the offending item, e.g. ``$.nodes[0].children[1].rule``.
        node_id: Id of the node the problem belongs to, when there is one.
        line: Line (YAML) or row (table) number in the source, when known.
    """

    message: str
    path: str = "$"
    node_id: str | None = None
    line: int | None = None

    def __str__(self) -> str:
        where = f'node "{self.node_id}": ' if self.node_id is not None else ""
        line = f" (line {self.line})" if self.line is not None else ""
        return f"{where}{self.message} @ {self.path}{line}"

    def within(self, prefix: str) -> Problem:
        """Return this problem with *prefix* prepended to its relative path."""
        rest = self.path[1:] if self.path.startswith("$") else self.path
        if rest and not rest.startswith(("[", ".")):
            rest = "." + rest
        base = prefix if prefix.startswith("$") else "$" + prefix
        return attrs.evolve(self, path=base + rest)


@attrs.frozen(kw_only=True)
class CellProblem:
    """One bad cell (or row, or column) in measurements.

    Attributes:
        message: What is wrong and what was expected.
        unit_id: The unit (row) concerned, when there is one.
        column: The column concerned, when there is one.
        value: The offending value as given, when there is one.
        row: Row number in the source, when known: as the file numbers it when read from a
            file (the row Excel shows, the CSV line), else the position counting from 1.
    """

    message: str
    unit_id: str | None = None
    column: str | None = None
    value: object = None
    row: int | None = None

    def __str__(self) -> str:
        parts = []
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.unit_id is not None:
            parts.append(f'unit "{self.unit_id}"')
        if self.column is not None:
            parts.append(f'column "{self.column}"')
        where = ", ".join(parts)
        value = f" (found {self.value!r})" if self.value is not None else ""
        return f"{where}: {self.message}{value}" if where else f"{self.message}{value}"


def json_value(value: object) -> Any:
    """*value* as strict JSON data (no NaN, no Infinity), for :meth:`ParscoreError.to_dict`.

    None, bool, int and str stay; a finite float stays, a non-finite one becomes its text
    (``"nan"``, ``"inf"``, ``"-inf"``: in a problem it is the value found, not an absent
    one); NumPy scalars become Python ones; lists, tuples and sets become lists, mappings
    dicts with text keys; anything else its ``str``.

    .. versionadded:: 0.2
    """
    item = getattr(value, "item", None)
    if callable(item) and type(value).__module__ == "numpy":
        try:
            value = item()
        except (TypeError, ValueError):  # an array of many values
            value = value.tolist()  # type: ignore[attr-defined]
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, Mapping):
        return {str(k): json_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [json_value(v) for v in value]
    return str(value)


def _problem_dict(problem: object) -> dict[str, Any]:
    if attrs.has(type(problem)):
        fields = attrs.fields(cast("type[attrs.AttrsInstance]", type(problem)))
        return {f.name: json_value(getattr(problem, f.name)) for f in fields}
    return {"message": str(problem)}


def _listing(header: str, items: Sequence[object]) -> str:
    lines = [header]
    lines.extend(f"  {item}" for item in items[:_SHOWN])
    if len(items) > _SHOWN:
        lines.append(f"  … and {len(items) - _SHOWN} more (see the error's .problems)")
    return "\n".join(lines)


class ParscoreError(Exception):
    """Base class of every error parscore raises on bad input.

    .. versionchanged:: 0.2 :meth:`to_dict`.
    """

    def to_dict(self) -> dict[str, Any]:
        """The error as strict JSON data, e.g. for a web service's 422 response.

        ``{"error": <class name>, "message": str(error), "problems": [...]}``: each problem
        (:class:`Problem`, :class:`CellProblem`) as a dict of its fields, then the error's
        other public attributes (``source``; :class:`LimitError`'s ``limit``, ``maximum``,
        ``value``, ``where``; :class:`RuleError`'s ``kind`` and ``node_id``;
        :class:`PluginError`'s ``plugin`` …). An attribute ``message`` is the text without
        the place (already in ``message``) and is not repeated. Every value is JSON data:
        ``json.dumps(error.to_dict(), allow_nan=False)`` works (see :func:`json_value`).

        .. versionadded:: 0.2
        """
        problems = getattr(self, "problems", ())
        out: dict[str, Any] = {
            "error": type(self).__name__,
            "message": str(self),
            "problems": [_problem_dict(p) for p in problems],
        }
        for name, value in vars(self).items():
            if name.startswith("_") or name in out:
                continue
            out[name] = json_value(value)
        return out


class SchemeError(ParscoreError, ValueError):
    """A scheme is invalid; ``problems`` lists every problem found, each with its path."""

    def __init__(self, problems: Iterable[Problem], source: str | None = None) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        self.source = source
        super().__init__(self.problems, source)

    def __str__(self) -> str:
        src = f" in {self.source}" if self.source else ""
        n = len(self.problems)
        header = f"invalid scheme{src}: {n} problem{'s' if n != 1 else ''}"
        return _listing(header, self.problems)

    def within(self, prefix: str) -> SchemeError:
        """Return a copy whose problems' paths start with *prefix*."""
        return type(self)([p.within(prefix) for p in self.problems], self.source)


class ParameterError(ParscoreError, ValueError):
    """A parameter given to a model or rule class is invalid (``Deduction(per=-1)``).

    Raised when a Python object is built; the file readers turn it into a :class:`Problem`
    with the path of the parameter.
    """


class ParameterTypeError(ParscoreError, TypeError):
    """A parameter given to a model or rule class has the wrong type (``Points(clip="yes")``)."""


class UnknownRuleError(SchemeError, LookupError):
    """A scheme names a rule kind that is neither built in nor installed as a plugin."""


class MeasurementsError(ParscoreError, ValueError):
    """Measurements are invalid; ``problems`` lists every bad cell, row or column."""

    def __init__(self, problems: Iterable[CellProblem], source: str | None = None) -> None:
        self.problems: tuple[CellProblem, ...] = tuple(problems)
        self.source = source
        super().__init__(self.problems, source)

    def __str__(self) -> str:
        src = f" in {self.source}" if self.source else ""
        n = len(self.problems)
        header = f"invalid measurements{src}: {n} problem{'s' if n != 1 else ''}"
        return _listing(header, self.problems)


class RuleError(ParscoreError, ValueError):
    """A rule's implementation misbehaved (wrong shape, out-of-range points, NaN)."""

    def __init__(self, message: str, kind: str, node_id: str | None = None) -> None:
        self.message = message
        self.kind = kind
        self.node_id = node_id
        super().__init__(message, kind, node_id)

    def __str__(self) -> str:
        where = f'node "{self.node_id}", ' if self.node_id else ""
        return f"{where}rule kind '{self.kind}': {self.message}"


class PluginError(ParscoreError):
    """A rule plugin failed to load or is ambiguous; ``plugin`` names the distribution."""

    def __init__(self, message: str, plugin: str | None = None) -> None:
        self.message = message
        self.plugin = plugin
        super().__init__(message, plugin)

    def __str__(self) -> str:
        who = f"plugin {self.plugin}: " if self.plugin else ""
        return f"{who}{self.message}"


class LimitError(ParscoreError, ValueError):
    """An input exceeds a limit of :class:`parscore.Limits`; raised before the memory is spent.

    Attributes:
        limit: The name of the limit (a field of :class:`~parscore.Limits`).
        value: The size found (or reached when reading stopped), when known.
        maximum: The limit in force.
        where: What was being read (a file name), when known.

    .. versionadded:: 0.2
    """

    def __init__(
        self, limit: str, maximum: int, value: int | None = None, where: str | None = None
    ) -> None:
        self.limit = limit
        self.maximum = maximum
        self.value = value
        self.where = where
        super().__init__(limit, maximum, value, where)

    def __str__(self) -> str:
        source = f"{self.where}: " if self.where else ""
        found = f" (found {self.value:,})" if self.value is not None else ""
        return (
            f"{source}input exceeds the limit {self.limit} = {self.maximum:,}{found}; raise it "
            f"with parscore.Limits({self.limit}=...) or on the command line "
            f"--limit {self.limit}=..."
        )


class MissingDependencyError(ParscoreError, ImportError):
    """An optional dependency is needed; the message says which extra to install."""


class ParscoreWarning(UserWarning):
    """Base class of parscore's warnings."""


class PluginWarning(ParscoreWarning):
    """A rule plugin could not be loaded and was skipped."""
