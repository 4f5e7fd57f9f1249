"""What the commands read and write: schemes by path or id, data files and results."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

import click

from parscore.cli._common import make_console, progress_bar
from parscore.cli._limits import cli_limits
from parscore.cli._output import output_file
from parscore.errors import MeasurementsError

if TYPE_CHECKING:
    from parscore.model import Scheme
    from parscore.result import Result

F = TypeVar("F", bound=Callable[..., Any])

__all__ = [
    "DataOptions",
    "builtin_by_id",
    "check_writer",
    "closest",
    "data_options",
    "demo_scheme",
    "load_scheme_arg",
    "scheme_file",
    "score_data",
    "with_cli_hints",
    "write_results",
]


def load_scheme_arg(path: str) -> Scheme:
    """The scheme named by a SCHEME argument: a file, else the id of a built-in scheme.

    A file is read within the limits of the run (``--limit``).
    """
    from parscore.io import load_scheme

    if not Path(path).exists():
        builtin = builtin_by_id(path)
        if builtin is not None:
            return builtin
        from parscore.io.builtin import builtin_schemes

        known = builtin_schemes()
        msg = (
            f"no scheme file {path!r}, and no built-in scheme with that id; built-in schemes: "
            f"{', '.join(known)}{closest(path, known)}"
        )
        raise click.UsageError(msg)
    return load_scheme(Path(path), limits=cli_limits())


def builtin_by_id(name: str) -> Scheme | None:
    """The built-in scheme with id *name* (typed in NFC or NFD), or None."""
    try:
        from parscore.io.builtin import builtin_scheme, builtin_schemes
    except ImportError:  # pragma: no cover - built-in schemes ship with the package
        return None
    name = unicodedata.normalize("NFC", name)
    return builtin_scheme(name) if name in builtin_schemes() else None


def closest(word: str, choices: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` for the choice closest to *word*, or "" when none is close.

    Compared in NFC and case-folded, so a wrong case or accents typed apart still match.
    """
    import difflib

    def plain(text: str) -> str:
        return unicodedata.normalize("NFC", text).casefold()

    by_plain: dict[str, str] = {}
    for choice in choices:
        by_plain.setdefault(plain(choice), choice)
    close = difflib.get_close_matches(plain(word), list(by_plain), n=1)
    return f" (did you mean {by_plain[close[0]]!r}?)" if close else ""


def demo_scheme() -> Scheme:
    """The scheme of ``parscore demo``: a built-in commune scheme, else a synthetic one."""
    found = None
    try:
        from parscore.io.builtin import builtin_scheme, builtin_schemes

        ids = builtin_schemes()
        commune = [i for i in ids if "commune" in i]
        found = builtin_scheme(commune[0]) if commune else None
    except ImportError:  # pragma: no cover
        found = None
    if found is None:
        from parscore.datasets import synthetic_scheme

        found = synthetic_scheme()
    return found


class DataOptions(NamedTuple):
    """How to read a data file: the options every command reading data shares."""

    unit_id: str = "unit_id"
    group: str | None = None
    sheet: str | None = None
    header_row: int | None = None


def data_options(func: F) -> F:
    """Add --unit-id, --group, --sheet and --header-row to a command reading data."""
    options = (
        click.option(
            "--header-row",
            default=None,
            type=click.IntRange(min=1),
            help="Row of the column names in an .xlsx or .csv file, as Excel numbers rows "
            "(default: found, skipping title rows above it).",
        ),
        click.option("--sheet", default=None, help="Sheet to read from an .xlsx file."),
        click.option(
            "--group", default=None, help="Column of unit groups (default: a column 'group')."
        ),
        click.option("--unit-id", default="unit_id", show_default=True, help="Column of unit ids."),
    )
    for option in options:
        func = option(func)
    return func


def score_data(scheme: Scheme, data: str, how: DataOptions) -> Result:
    from parscore.io.tables import score_file

    name = Path(data).name
    with progress_bar(f"Reading {name}", then=f"Scoring {name}") as progress:
        try:
            # read and score in one step, so every bad cell of the file is reported at once
            return score_file(
                scheme,
                Path(data),
                unit_id=how.unit_id,
                group=how.group,
                sheet=how.sheet,
                header_row=how.header_row,
                progress=progress,
                limits=cli_limits(),
            )
        except MeasurementsError as error:
            raise with_cli_hints(error, how) from None


def with_cli_hints(error: MeasurementsError, how: DataOptions) -> MeasurementsError:
    """*error* with the command-line option named where a message only names the argument."""
    import attrs

    missing_id = f'no column "{how.unit_id}" of unit ids'
    problems = [
        attrs.evolve(p, message=f"{p.message}; pass --unit-id COLUMN")
        if p.message.startswith(missing_id) and "--unit-id" not in p.message
        else p
        for p in error.problems
    ]
    return MeasurementsError(problems, error.source)


def check_writer(out: Path) -> None:
    """Raise MissingDependencyError now if writing *out* needs an extra that is missing."""
    from parscore._optional import require

    needs = {".xlsx": ("xlsxwriter", "excel"), ".parquet": ("pyarrow", "arrow")}
    found = needs.get(out.suffix.lower())
    if found is not None:
        require(*found)


def scheme_file(path: str | None) -> str | None:
    """The file a SCHEME argument names, or None for a built-in scheme's id (or no scheme)."""
    return path if path is not None and Path(path).exists() else None


def write_results(
    result: Result, out: Path, *, force: bool, inputs: Iterable[str | Path | None] = ()
) -> None:
    """Write *result* to *out* (format by suffix) and say so on stderr.

    Never over one of *inputs*, over an existing file only with *force*, through a
    temporary file renamed into place (:func:`parscore.cli._output.output_file`).
    """
    from parscore.io.tables import write_result

    with output_file(out, force=force, inputs=inputs) as tmp:
        write_result(result, tmp)
    make_console(stderr=True).print(f"wrote {out}")
