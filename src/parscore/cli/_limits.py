"""``--limit NAME=VALUE``: raise (or lower) a limit on untrusted input for one run.

Given to the ``parscore`` group (``parscore --limit max_rows=10000000 score …``) or to a
command reading files (``parscore score --limit max_rows=10000000 …``), repeatable; the
names are the fields of :class:`parscore.Limits` (``max_rows``, or just ``rows``). A bad name
or value is a usage error (exit code 2) listing the known limits.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import click

if TYPE_CHECKING:
    from parscore.limits import Limits

F = TypeVar("F", bound=Callable[..., Any])

__all__ = ["cli_limits", "limit_option", "parse_limit"]

_META_KEY = "parscore.limits"


def _known() -> list[str]:
    import attrs

    from parscore.limits import Limits

    return [f.name for f in attrs.fields(Limits)]


def _known_text() -> str:
    from parscore.limits import Limits

    defaults = Limits()
    listed = ", ".join(f"{name} (default {getattr(defaults, name):_})" for name in _known())
    return f"known limits: {listed}"


def parse_limit(text: str) -> tuple[str, int]:
    """``NAME=VALUE`` as ``(field name, value)``; ``rows=10`` is ``max_rows``.

    Raises:
        click.BadParameter: for no ``=``, an unknown name or a value that is not a positive
            whole number (``10_000_000`` is fine); the message lists the known limits.
    """
    name, sep, value = text.partition("=")
    name = name.strip().lower().replace("-", "_")
    known = _known()
    if not sep or not name:
        msg = f"{text!r}: write NAME=VALUE; {_known_text()}"
        raise click.BadParameter(msg)
    if name not in known and f"max_{name}" in known:
        name = f"max_{name}"
    if name not in known:
        from difflib import get_close_matches

        short = {n.removeprefix("max_"): n for n in known}
        close = get_close_matches(name.removeprefix("max_"), list(short), n=1)
        hint = f" (did you mean {short[close[0]]}?)" if close else ""
        msg = f"unknown limit {name!r}{hint}; {_known_text()}"
        raise click.BadParameter(msg)
    digits = value.strip()
    if not (digits.replace("_", "").isascii() and digits.replace("_", "").isdigit()):
        msg = f"{text!r}: the value of {name} must be a positive whole number; {_known_text()}"
        raise click.BadParameter(msg)
    number = int(digits)
    if number <= 0:
        msg = f"{text!r}: the value of {name} must be a positive whole number; {_known_text()}"
        raise click.BadParameter(msg)
    return name, number


def _collect(ctx: click.Context, _param: click.Parameter, values: tuple[str, ...]) -> None:
    """Parse the --limit values into the run's settings (shared by the group and command)."""
    settings: dict[str, int] = ctx.meta.setdefault(_META_KEY, {})
    for text in values:
        name, number = parse_limit(text)
        settings[name] = number


def limit_option(func: F) -> F:
    """The repeatable ``--limit NAME=VALUE`` option (of the group and of commands reading)."""
    return click.option(
        "--limit",
        "limit",
        multiple=True,
        metavar="NAME=VALUE",
        expose_value=False,
        callback=_collect,
        help=(
            "Raise or lower a limit on the input files (repeatable), e.g. "
            "--limit max_rows=10000000; names: " + ", ".join(_known()) + "."
        ),
    )(func)


def cli_limits() -> Limits | None:
    """The limits of this run: the process default with the --limit settings; None if none."""
    ctx = click.get_current_context(silent=True)
    settings: dict[str, int] = ctx.meta.get(_META_KEY, {}) if ctx is not None else {}
    if not settings:
        return None
    from parscore.limits import default_limits

    return default_limits().with_settings(settings)
