"""The rule registry: built-in rules, rules registered in code, and entry-point plugins.

Plugins register rule classes in the entry-point group ``parscore.rules``; the entry point's
name is the rule's kind::

    [project.entry-points."parscore.rules"]
    weighted_checklist = "parscore_checklist:WeightedChecklist"

Discovery is lazy (on the first look-up of a kind that is not built in) and cached. A plugin
that fails to load gives a :class:`~parscore.errors.PluginWarning` naming its distribution and
is skipped, or raises :class:`~parscore.errors.PluginError` with ``strict=True``; a plugin
whose import raises ``SystemExit`` or ``KeyboardInterrupt`` is skipped the same way. A kind
claimed by two distributions (or a built-in kind claimed by a plugin) is an error about that
kind only: using it raises :class:`~parscore.errors.PluginError` naming both; every other kind
works. Set ``PARSCORE_DISABLE_PLUGINS=1`` to switch discovery off for reproducible runs.

Every call into a plugin rule (``check``, ``points``, ``batch_points``, ``problems`` …) runs
behind the checks built-in rules pass, on a read-only view of the inputs; see
:func:`safe_problems` and :mod:`parscore.rules`.

.. versionadded:: 0.1
"""

from __future__ import annotations

import difflib
import os
import threading
import warnings

from parscore.errors import PluginError, PluginWarning
from parscore.rules import BUILTIN_RULES, safe_problems
from parscore.typing import Rule

__all__ = [
    "ENTRY_POINT_GROUP",
    "builtin_rule_classes",
    "get_rule_class",
    "register_rule",
    "registered_rule_classes",
    "rule_kinds",
    "safe_problems",
    "unregister_rule",
]

ENTRY_POINT_GROUP = "parscore.rules"
"""The entry-point group plugins register their rule classes in."""

_BUILTIN: dict[str, type[Rule]] = {cls.kind: cls for cls in BUILTIN_RULES}  # type: ignore[attr-defined]
"""Built-in rule classes by kind; use :func:`builtin_rule_classes` outside this module."""
_registered: dict[str, type[Rule]] = {}
_discovered: dict[str, tuple[type[Rule], str]] | None = None
_claimed: dict[str, PluginError] = {}
"""Kinds that cannot be used, each with the error saying why (claimed twice, built in)."""
_lock = threading.Lock()


def _disabled() -> bool:
    return os.environ.get("PARSCORE_DISABLE_PLUGINS", "").strip() not in ("", "0", "false")


def _check_class(cls: object, kind: str, plugin: str | None) -> type[Rule]:
    if not isinstance(cls, type):
        msg = f"entry point {kind!r} must name a class, found {cls!r}"
        raise PluginError(msg, plugin)
    for member in ("points", "check", "bounds", "problems", "describe"):
        if not callable(getattr(cls, member, None)):
            msg = f"rule class {cls.__name__} lacks the method {member}() of the Rule protocol"
            raise PluginError(msg, plugin)
    declared = getattr(cls, "kind", None)
    if declared != kind:
        msg = f"rule class {cls.__name__} declares kind {declared!r} but is registered as {kind!r}"
        raise PluginError(msg, plugin)
    return cls


def _discover(*, strict: bool) -> dict[str, tuple[type[Rule], str]]:
    found: dict[str, tuple[type[Rule], str]] = {}
    _claimed.clear()
    if _disabled():
        return found
    from importlib import metadata  # lazily: it costs ~25 ms, a third of `import parscore`

    claims: dict[str, list[str]] = {}
    for ep in metadata.entry_points(group=ENTRY_POINT_GROUP):
        dist = ep.dist.name if ep.dist is not None else ep.value.split(":")[0]
        try:
            cls = _check_class(ep.load(), ep.name, dist)
        # a broken plugin must not break parscore, nor end the program from its import
        except (Exception, SystemExit, KeyboardInterrupt) as exc:
            if strict:
                if isinstance(exc, PluginError):
                    raise
                msg = f"could not load rule {ep.name!r}: {type(exc).__name__}: {exc}"
                raise PluginError(msg, dist) from exc
            warnings.warn(
                f"parscore: skipped rule plugin {ep.name!r} from {dist}: "
                f"{type(exc).__name__}: {exc}",
                PluginWarning,
                stacklevel=4,
            )
            continue
        if ep.name in _BUILTIN:
            _refuse(
                ep.name, f"rule kind {ep.name!r} is built in and cannot be replaced", dist, strict
            )
            continue
        if dist not in claims.setdefault(ep.name, []):
            claims[ep.name].append(dist)
        found.setdefault(ep.name, (cls, dist))
    for kind, dists in claims.items():
        if len(dists) > 1:
            found.pop(kind, None)
            _refuse(
                kind,
                f"rule kind {kind!r} is claimed by both {' and '.join(dists)}",
                dists[-1],
                strict,
            )
    return found


def _refuse(kind: str, message: str, dist: str, strict: bool) -> None:
    """Make *kind* unusable (a PluginError when used), with a warning; other kinds still work."""
    _claimed[kind] = PluginError(message, dist)
    if strict:
        raise _claimed[kind]
    warnings.warn(f"parscore: {message}; the kind cannot be used", PluginWarning, stacklevel=5)


def _plugins(*, strict: bool = False) -> dict[str, tuple[type[Rule], str]]:
    global _discovered  # noqa: PLW0603 - a process-wide cache, filled once under the lock
    with _lock:
        if _discovered is None or strict:
            _discovered = _discover(strict=strict)
        return _discovered


def builtin_rule_classes() -> tuple[type[Rule], ...]:
    """Return the built-in rule classes, sorted by kind.

    They are registered like any other rule and read through the same declarations
    (:mod:`parscore.rules`); only replacing one of their kinds is refused.

    .. versionadded:: 0.2
    """
    return tuple(_BUILTIN[kind] for kind in sorted(_BUILTIN))


def registered_rule_classes(*, strict: bool = False) -> tuple[type[Rule], ...]:
    """Return every known rule class, sorted by kind: built-in, registered and plugins.

    Args:
        strict: Raise :class:`~parscore.errors.PluginError` for a plugin that fails to load.

    .. versionadded:: 0.2
    """
    return tuple(get_rule_class(kind) for kind in rule_kinds(strict=strict))


def rule_kinds(*, strict: bool = False) -> tuple[str, ...]:
    """Return every known rule kind, sorted: built-in, registered and installed plugins.

    Args:
        strict: Raise :class:`~parscore.errors.PluginError` for a plugin that fails to load,
            instead of warning and skipping it.
    """
    return tuple(sorted({*_BUILTIN, *_registered, *_plugins(strict=strict)}))


def get_rule_class(kind: str) -> type[Rule]:
    """Return the rule class for *kind*.

    Raises:
        LookupError: when no built-in rule, registered rule or plugin has that kind; the
            message lists the known kinds and the closest match.
        PluginError: when two distributions claim *kind* (naming both), or a plugin claims a
            built-in kind (for that kind only).
    """
    if kind in _BUILTIN:
        return _BUILTIN[kind]
    if kind in _registered:
        return _registered[kind]
    plugins = _plugins()
    if kind in plugins:
        return plugins[kind][0]
    refused = _claimed.get(kind)
    if refused is not None:
        raise PluginError(refused.message, refused.plugin)
    raise LookupError(unknown_kind_message(kind))


def plugin_of(kind: str) -> str | None:
    """Return the distribution that provides *kind*; ``None`` for built-in, registered rules."""
    if kind in _BUILTIN or kind in _registered:
        return None
    found = _plugins().get(kind)
    return found[1] if found else None


def unknown_kind_message(kind: object) -> str:
    """The message for an unknown rule kind: the known kinds and the closest match."""
    kinds = rule_kinds()
    close = difflib.get_close_matches(str(kind), kinds, n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    return f"unknown rule kind {kind!r}; known kinds: {', '.join(kinds)}{hint}"


def register_rule(cls: type[Rule]) -> type[Rule]:
    """Register a rule class under its ``kind``, without an entry point (e.g. in a notebook).

    Usable as a class decorator. Registering a built-in kind is an error.

    Raises:
        PluginError: when the class does not implement the protocol or the kind is built in.
    """
    kind = getattr(cls, "kind", None)
    if not isinstance(kind, str) or not kind:
        msg = f"rule class {getattr(cls, '__name__', cls)!r} needs a class attribute kind"
        raise PluginError(msg)
    _check_class(cls, kind, None)
    if kind in _BUILTIN:
        msg = f"rule kind {kind!r} is built in and cannot be replaced"
        raise PluginError(msg)
    _registered[kind] = cls
    return cls


def unregister_rule(kind: str) -> None:
    """Remove a rule registered with :func:`register_rule` (no effect on entry points)."""
    _registered.pop(kind, None)


def _reset_discovery() -> None:
    """Forget discovered plugins so the next look-up discovers again (for tests)."""
    global _discovered  # noqa: PLW0603 - see _plugins
    with _lock:
        _discovered = None
        _claimed.clear()
