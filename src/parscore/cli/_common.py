"""Shared plumbing of the commands: the console, errors as exit codes, progress bars."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from parscore.errors import MeasurementsError, ParscoreError, SchemeError

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

    from parscore.model import Tier

F = TypeVar("F", bound=Callable[..., Any])

__all__ = [
    "PIPE_WIDTH",
    "bound",
    "error_line",
    "fail",
    "general",
    "handles_errors",
    "make_console",
    "number",
    "out_option",
    "progress_bar",
    "styled",
    "suffix",
    "width_option",
]

PIPE_WIDTH = 10_000
"""The width of the output when it is not a terminal (a pipe, a file): wide enough that no
table or line is wrapped at 80 columns; ``--width N`` sets another."""

_WIDTH_KEY = "parscore.width"


def _set_width(ctx: click.Context, _param: click.Parameter, value: int | None) -> None:
    if value is not None:
        ctx.meta[_WIDTH_KEY] = value


def width_option(func: F) -> F:
    """The ``--width N`` option (of the group and of the commands printing tables)."""
    return click.option(
        "--width",
        type=click.IntRange(min=20),
        default=None,
        expose_value=False,
        callback=_set_width,
        help="Width of the printed tables, in characters (default: the terminal's; "
        "unlimited when the output is piped or redirected).",
    )(func)


def make_console(*, stderr: bool = False) -> Console:
    """A rich console on stdout (or *stderr*), without highlighting or soft wrapping.

    Markup and emoji codes are off: unit ids, names, labels and messages come from untrusted
    files and are printed as they are written (``[/]`` or ``[link=…]`` in a unit id is text,
    never a style or a hyperlink). Styled output is built from :class:`rich.text.Text`.

    The width is ``--width`` when given, else the terminal's; when the output is not a
    terminal (piped, redirected), :data:`PIPE_WIDTH`, so that nothing wraps at 80 columns.
    """
    from rich.console import Console

    ctx = click.get_current_context(silent=True)
    width: int | None = ctx.meta.get(_WIDTH_KEY) if ctx is not None else None
    console = Console(
        stderr=stderr, highlight=False, soft_wrap=False, markup=False, emoji=False, width=width
    )
    if width is None and not console.is_terminal:
        console.width = PIPE_WIDTH
    return console


def number(value: float, decimals: int) -> str:
    """*value* with *decimals* decimals, never a negative zero (``-0.00`` is ``0.00``)."""
    text = f"{value:.{decimals}f}"
    if text.startswith("-") and not any(c in text for c in "123456789"):
        return text[1:]
    return text


def general(value: float) -> str:
    """*value* as ``{:g}`` writes it, never a negative zero (``-0`` is ``0``)."""
    return f"{value + 0.0:g}" if value == 0 else f"{value:g}"


def bound(tier: Tier) -> str:
    """A tier's bound as :meth:`parscore.Tier.label` writes it (``≥ 65``), never ``≥ -0``."""
    return f"{'>' if tier.is_strict else '≥'} {general(tier.bound)}"


def styled(*parts: str | tuple[str, str]) -> Text:
    """A line of plain text parts and ``(text, style)`` parts; no markup is interpreted."""
    from rich.text import Text

    return Text.assemble(*parts)


def error_line(message: str, *, console: Console | None = None, end: str = "\n") -> None:
    """Print ``Error: message`` on stderr, the message as plain text."""
    out = console if console is not None else make_console(stderr=True)
    out.print(styled(("Error:", "bold red"), " ", message), soft_wrap=True, end=end)


def fail(error: ParscoreError) -> None:
    """Print a bad-input error readably and exit with code 1."""
    console = make_console(stderr=True)
    problems = getattr(error, "problems", None)
    if isinstance(error, SchemeError | MeasurementsError) and problems:
        where = f" in {error.source}" if error.source else ""
        kind = "scheme" if isinstance(error, SchemeError) else "data"
        n = len(problems)
        error_line(f"invalid {kind}{where}: {n} problem{'s' * (n != 1)}", console=console)
        for problem in problems[:200]:
            console.print(f"  • {problem}", markup=False, soft_wrap=True)
        if n > 200:
            console.print(f"  … and {n - 200} more")
    else:
        error_line(str(error), console=console)
    sys.exit(1)


def handles_errors(func: F) -> F:
    """Turn parscore errors into a readable list and exit code 1."""
    import functools

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except ParscoreError as error:
            fail(error)
        except OSError as error:  # a file that cannot be read or written: one line
            from parscore.cli._output import os_error_text

            error_line(os_error_text(error))
            sys.exit(1)

    return wrapper  # type: ignore[return-value]


@contextmanager
def progress_bar(
    label: str, *, then: str | None = None
) -> Iterator[Callable[[int, int], None] | None]:
    """A progress bar on a terminal, moved by the callback it yields; nothing when piped.

    The callback takes ``(done, total)`` (rows or bytes; total 0 = unknown, shown as a
    pulsing bar). Callers with nothing to count just leave the bar pulsing. Once done
    reaches total, the bar is relabelled *then* (e.g. "Scoring …" after the reading).
    """
    console = make_console(stderr=True)
    if not console.is_terminal:
        yield None
        return
    from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn

    # a file name in the description is text, not markup
    columns = (TextColumn("{task.description}", markup=False), BarColumn(), TaskProgressColumn())
    with Progress(*columns, TimeElapsedColumn(), console=console, transient=True) as bar:
        task = bar.add_task(label, total=None)

        def advance(done: int, total: int) -> None:
            if then is not None and total and done >= total:
                bar.update(task, description=then, completed=0, total=None)
            else:
                bar.update(task, completed=done, total=total or None)

        yield advance


def suffix(
    *allowed: str, stdout: bool = False
) -> Callable[[click.Context, click.Parameter, Path | None], Path | None]:
    """A callback refusing (exit code 2) an output path whose suffix is not one of *allowed*.

    With *stdout*, ``-`` (standard output) is accepted too.
    """

    def check(_ctx: click.Context, _param: click.Parameter, value: Path | None) -> Path | None:
        if value is not None and stdout and str(value) == "-":
            return value
        if value is not None and value.suffix.lower() not in allowed:
            msg = f"{value.name!r}: the file name must end in {', '.join(allowed)}"
            if stdout:
                msg += ", or be - (standard output)"
            raise click.BadParameter(msg)
        return value

    return check


def out_option(
    *allowed: str, help_text: str, required: bool = False, stdout: bool = False
) -> Callable[[F], F]:
    """The ``-o/--out FILE`` option of a command writing one file ending in one of *allowed*.

    With it the ``--force`` flag (replace an existing file; see :mod:`parscore.cli._output`).
    With *stdout*, ``-o -`` is accepted: the command writes to standard output.
    """
    from parscore.cli._output import force_option

    option = click.option(
        "-o",
        "--out",
        required=required,
        type=click.Path(dir_okay=False, allow_dash=stdout, path_type=Path),
        callback=suffix(*allowed, stdout=stdout),
        help=help_text,
    )

    def decorate(func: F) -> F:
        return option(force_option(func))

    return decorate
