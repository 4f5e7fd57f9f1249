"""Calls into rule code parscore does not own (plugins), behind the checks built-ins pass.

A rule class defined outside parscore (an entry-point plugin, or a class registered with
``parscore.register_rule``) is *foreign*: every call parscore makes into it goes through the
helpers here, so that an exception or an answer of the wrong shape becomes a
:class:`~parscore.errors.RuleError` naming the plugin, the kind and the node, never a raw
exception. Built-in rules are trusted and called directly (their speed is kept).

.. versionadded:: 0.2
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from typing import Any, TypeVar

import numpy as np

from parscore.errors import RuleError
from parscore.typing import BoolArray, FloatArray

__all__ = [
    "checked_points",
    "foreign_call",
    "guarded_check",
    "is_builtin_rule",
    "read_only_view",
    "rule_error",
    "rule_origin",
    "safe_problems",
]

T = TypeVar("T")

_HOME = "parscore."


def is_builtin_rule(rule: object) -> bool:
    """Whether *rule* (an instance or a class) is one of parscore's own rules (trusted).

    .. versionadded:: 0.2
    """
    cls = rule if isinstance(rule, type) else type(rule)
    return str(getattr(cls, "__module__", "")).startswith(_HOME)


@functools.lru_cache(maxsize=256)
def _distributions_of(kind: str) -> tuple[str, ...]:
    """Distributions whose entry points in ``parscore.rules`` are named *kind* (error path)."""
    from importlib import metadata  # lazily: only when a message needs the name

    try:
        eps = metadata.entry_points(group="parscore.rules")
    except Exception:  # broken metadata must not hide the rule's own error
        return ()
    names = {ep.dist.name if ep.dist is not None else ep.value for ep in eps if ep.name == kind}
    return tuple(sorted(names))


def rule_origin(rule: object) -> str | None:
    """Where a foreign rule comes from, for messages; None for a built-in rule.

    ``"plugin <distribution>"`` for a rule installed through an entry point, otherwise
    ``"rule class <module>.<name>"`` (a class registered in code, or made by hand).

    .. versionadded:: 0.2
    """
    if is_builtin_rule(rule):
        return None
    cls = rule if isinstance(rule, type) else type(rule)
    kind = getattr(cls, "kind", None)
    dists = _distributions_of(kind) if isinstance(kind, str) else ()
    if dists:
        return f"plugin {' or '.join(dists)}"
    return f"rule class {getattr(cls, '__module__', '?')}.{getattr(cls, '__qualname__', cls)}"


def _kind_of(rule: object) -> str:
    """The rule's kind as text, whatever the rule declares."""
    kind = getattr(type(rule) if not isinstance(rule, type) else rule, "kind", None)
    return kind if isinstance(kind, str) else type(rule).__name__


def rule_error(rule: object, message: str, node_id: str | None) -> RuleError:
    """A :class:`~parscore.errors.RuleError` for *rule*, naming where it comes from.

    .. versionadded:: 0.2
    """
    origin = rule_origin(rule)
    text = f"{message} (rule from {origin})" if origin else message
    return RuleError(text, _kind_of(rule), node_id)


def foreign_call(
    rule: object, what: str, node_id: str | None, call: Callable[..., T], *args: Any
) -> T:
    """Call *call(*args)* for a foreign *rule*: an exception becomes a RuleError.

    A write into a read-only input (``ValueError: assignment destination is read-only``) is
    reported as such. ``SystemExit`` raised by a plugin is an error of the plugin too, not an
    exit of the program (``KeyboardInterrupt`` still stops it).

    Args:
        rule: The rule (for its kind and origin).
        what: What was being done, for the message (``"in check()"``, ``"while scoring"``).
        node_id: The node, when known.
        call: The function.
        *args: Its arguments.

    .. versionadded:: 0.2
    """
    try:
        return call(*args)
    except RuleError:
        raise
    except (Exception, SystemExit) as exc:
        if isinstance(exc, ValueError) and "read-only" in str(exc):
            msg = f"wrote into its input {what}, which is read-only: {exc}"
        else:
            msg = f"failed {what}: {type(exc).__name__}: {exc}"
        raise rule_error(rule, msg, node_id) from exc


def safe_problems(rule: object, max_points: float, node_id: str | None) -> list[tuple[str, str]]:
    """The rule's ``problems(max_points)``, as (relative path, message) pairs, never raising.

    A built-in rule is asked directly. A foreign rule (a plugin) that raises, or answers
    something other than pairs of text, gives one problem naming the plugin and the kind
    instead, at the rule's own path (``""``), so the scheme is reported invalid with the
    reason rather than crashing its validation.

    Args:
        rule: The leaf's rule.
        max_points: The leaf's max.
        node_id: The leaf's id (for the message).

    Returns:
        Pairs of (path relative to the rule, such as ``"items.a"``, or ``""``; message).

    .. versionadded:: 0.2
    """
    if is_builtin_rule(rule):
        return [(str(w), str(m)) for w, m in rule.problems(max_points)]  # type: ignore[attr-defined]
    where = f' (node "{node_id}")' if node_id else ""
    try:
        found = foreign_call(rule, "in problems()", node_id, _problem_pairs, rule, max_points)
    except RuleError as exc:
        return [("", f"rule kind '{exc.kind}'{where}: {exc.message}")]
    return found


def _problem_pairs(rule: Any, max_points: float) -> list[tuple[str, str]]:
    answer = rule.problems(max_points)
    if isinstance(answer, (str, bytes)) or not hasattr(answer, "__iter__"):
        msg = f"problems() must return pairs of (path, message), found {type(answer).__name__}"
        raise TypeError(msg)
    out: list[tuple[str, str]] = []
    for pair in answer:
        if (
            not isinstance(pair, tuple | list)
            or len(pair) != 2
            or not all(isinstance(p, str) for p in pair)
        ):
            msg = f"problems() must return pairs of (path, message), found {pair!r:.80}"
            raise TypeError(msg)
        out.append((pair[0], pair[1]))
    return out


def read_only_view(values: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    """A view of *values* that refuses writes: what a foreign rule is given.

    .. versionadded:: 0.2
    """
    view: np.ndarray[Any, Any] = values.view()
    view.flags.writeable = False
    return view


def guarded_check(
    rule: object, values: FloatArray, max_points: float, node_id: str | None
) -> list[tuple[BoolArray, str]]:
    """A foreign rule's ``check(values, max_points)``, checked: pairs of (mask, message).

    Each mask must be booleans of shape ``(n_units,)`` (the last axis of *values*) and each
    message text; anything else, or an exception, raises a RuleError naming the rule.

    .. versionadded:: 0.2
    """
    return foreign_call(
        rule, "in check()", node_id, _check_pairs, rule, values, max_points, node_id
    )


def _check_pairs(
    rule: Any, values: FloatArray, max_points: float, node_id: str | None
) -> list[tuple[BoolArray, str]]:
    n = values.shape[-1]
    answer = rule.check(values, max_points)
    if isinstance(answer, (str, bytes, np.ndarray)) or not hasattr(answer, "__iter__"):
        msg = f"check() must return pairs of (mask, message), found {type(answer).__name__}"
        raise rule_error(rule, msg, node_id)
    out: list[tuple[BoolArray, str]] = []
    for pair in answer:
        if not isinstance(pair, tuple | list) or len(pair) != 2 or not isinstance(pair[1], str):
            msg = f"check() must return pairs of (mask, message), found {pair!r:.80}"
            raise rule_error(rule, msg, node_id)
        mask = np.asarray(pair[0])
        if mask.shape != (n,) or mask.dtype.kind not in "bui":
            msg = (
                f"check() returned a mask of shape {mask.shape} and type {mask.dtype}, "
                f"expected booleans of shape ({n},)"
            )
            raise rule_error(rule, msg, node_id)
        out.append((mask.astype(bool), pair[1]))
    return out


def checked_points(
    rules: tuple[Any, ...],
    node_ids: tuple[str, ...],
    points: object,
    max_points: FloatArray,
    *,
    n: int,
    ignore: BoolArray | None,
) -> FloatArray:
    """A foreign rule group's points ``(k, n)``, checked as the engine checks every rule.

    Checks the shape, that no point is infinite, that each leaf's points lie within its
    rule's ``bounds(max)`` (within 1e-9), and that NaN (not applicable) comes only from a rule
    declaring ``can_be_not_applicable`` (cells in *ignore* are not looked at).

    Args:
        rules: The group's rules, ``(k,)``.
        node_ids: Their leaves' ids.
        points: What the rule returned (``batch_points``, or the per-leaf points stacked).
        max_points: The leaves' max, ``(k,)``.
        n: The number of units.
        ignore: Cells not scored ``(k, n)``, or None.

    Returns:
        The points as float64 ``(k, n)``.

    .. versionadded:: 0.2
    """
    k = len(rules)
    first = rules[0]
    where = node_ids[0] if k == 1 else None
    pts = foreign_call(first, "while scoring", where, np.asarray, points, np.float64)
    if pts.shape != (k, n):
        shape, want = (pts.shape[1:], f"({n},)") if k == 1 else (pts.shape, f"({k}, {n})")
        msg = f"returned points of shape {shape}, expected {want}"
        raise rule_error(first, msg, where)
    bounds = np.array(
        [
            foreign_call(r, "in bounds()", i, _bounds, r, float(m))
            for r, i, m in zip(rules, node_ids, max_points, strict=True)
        ]
    )
    nan = np.isnan(pts)
    with np.errstate(invalid="ignore"):
        out = (pts < bounds[:, :1] - 1e-9) | (pts > bounds[:, 1:] + 1e-9) | np.isinf(pts)
    if ignore is not None:
        nan &= ~ignore
    if out.any():
        row = int(np.flatnonzero(out.any(axis=1))[0])
        real = pts[row][~np.isnan(pts[row])]
        lo, hi = bounds[row]
        msg = (
            f"returned points from {real.min():g} to {real.max():g}, outside its bounds "
            f"{lo:g} to {hi:g}"
        )
        raise rule_error(rules[row], msg, node_ids[row])
    if nan.any():
        allowed = np.array([bool(getattr(r, "can_be_not_applicable", False)) for r in rules])
        bad = nan & ~allowed[:, None]
        if bad.any():
            row = int(np.flatnonzero(bad.any(axis=1))[0])
            msg = "returned NaN points but the rule cannot make a criterion not applicable"
            raise rule_error(rules[row], msg, node_ids[row])
    return pts


def _bounds(rule: Any, max_points: float) -> tuple[float, float]:
    lo, hi = rule.bounds(max_points)
    lo, hi = float(lo), float(hi)
    if math.isnan(lo) or math.isnan(hi) or lo > hi:
        msg = f"bounds() must give (lowest, highest), found ({lo:g}, {hi:g})"
        raise ValueError(msg)
    return lo, hi
