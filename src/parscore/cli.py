"""The ``parscore`` command: score, check, explain and report from the command line.

Exit codes: 0 success; 1 bad input (a scheme or data problem, printed as a list); 2 usage
(a wrong option or a missing argument).

.. versionadded:: 0.1
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

import click

from parscore.errors import MeasurementsError, ParscoreError, SchemeError

if TYPE_CHECKING:
    from rich.console import Console

    from parscore.model import Scheme
    from parscore.result import Explanation, Result

__all__ = ["main"]

F = TypeVar("F", bound=Callable[..., Any])

_DEMO_UNITS = 3300  # about the number of communes and wards nationwide after 2025
_DEMO_SEED = 2026


def _console(*, stderr: bool = False) -> Console:
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=False)


def _fail(error: ParscoreError) -> None:
    """Print a bad-input error readably and exit with code 1."""
    console = _console(stderr=True)
    problems = getattr(error, "problems", None)
    if isinstance(error, SchemeError | MeasurementsError) and problems:
        where = f" in {error.source}" if error.source else ""
        kind = "scheme" if isinstance(error, SchemeError) else "data"
        n = len(problems)
        console.print(
            f"[bold red]Error:[/] invalid {kind}{where}: {n} problem{'s' * (n != 1)}",
            soft_wrap=True,
        )
        for problem in problems[:200]:
            console.print(f"  • {problem}", markup=False, soft_wrap=True)
        if n > 200:
            console.print(f"  … and {n - 200} more")
    else:
        console.print("[bold red]Error:[/] ", end="")
        console.print(str(error), markup=False, soft_wrap=True)
    sys.exit(1)


def _handles_errors(func: F) -> F:
    """Turn parscore errors into a readable list and exit code 1."""
    import functools

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except ParscoreError as error:
            _fail(error)
        except OSError as error:  # a file that cannot be read or written
            _console(stderr=True).print(f"[bold red]Error:[/] {error}", markup=False)
            sys.exit(1)

    return wrapper  # type: ignore[return-value]


@contextmanager
def _progress(
    label: str, *, then: str | None = None
) -> Iterator[Callable[[int, int], None] | None]:
    """A progress bar on a terminal, moved by the callback it yields; nothing when piped.

    The callback takes ``(done, total)`` (rows or bytes; total 0 = unknown, shown as a
    pulsing bar). Callers with nothing to count just leave the bar pulsing. Once done
    reaches total, the bar is relabelled *then* (e.g. "Scoring …" after the reading).
    """
    console = _console(stderr=True)
    if not console.is_terminal:
        yield None
        return
    from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn

    columns = (TextColumn("{task.description}"), BarColumn(), TaskProgressColumn())
    with Progress(*columns, TimeElapsedColumn(), console=console, transient=True) as bar:
        task = bar.add_task(label, total=None)

        def advance(done: int, total: int) -> None:
            if then is not None and total and done >= total:
                bar.update(task, description=then, completed=0, total=None)
            else:
                bar.update(task, completed=done, total=total or None)

        yield advance


def _load_scheme(path: str) -> Scheme:
    from parscore.io import load_scheme

    if not Path(path).exists():
        builtin = _builtin(path)
        if builtin is not None:
            return builtin
        from parscore.io.builtin import builtin_schemes

        msg = (
            f"no scheme file {path!r}, and no built-in scheme with that id; built-in schemes: "
            f"{', '.join(builtin_schemes())}"
        )
        raise click.UsageError(msg)
    return load_scheme(Path(path))


def _builtin(name: str) -> Scheme | None:
    try:
        from parscore.io.builtin import builtin_scheme, builtin_schemes
    except ImportError:  # pragma: no cover - built-in schemes ship with the package
        return None
    return builtin_scheme(name) if name in builtin_schemes() else None


def _demo_scheme() -> Scheme:
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


class _DataOptions(NamedTuple):
    """How to read a data file: the options every command reading data shares."""

    unit_id: str = "unit_id"
    group: str | None = None
    sheet: str | None = None
    header_row: int | None = None


def _data_options(func: F) -> F:
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


def _score_file(scheme: Scheme, data: str, how: _DataOptions) -> Result:
    from parscore.io.tables import score_file

    name = Path(data).name
    with _progress(f"Reading {name}", then=f"Scoring {name}") as progress:
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
            )
        except MeasurementsError as error:
            raise _with_cli_hints(error, how) from None


def _with_cli_hints(error: MeasurementsError, how: _DataOptions) -> MeasurementsError:
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


def _carried(result: Result) -> None:
    """Say which label columns of the input were carried through to the results."""
    names = list(result.labels)
    if names:
        n = len(names)
        _console(stderr=True).print(
            f"carried {n} label column{'s' * (n != 1)}: {', '.join(names)}",
            markup=False,
            soft_wrap=True,
        )


def _ranking_table(result: Result, *, top: int, bottom: int, title: str) -> None:
    import numpy as np
    from rich.table import Table

    d = result.scheme.rounding.decimals
    keys = [result.unit_ids.astype(str), result.rank]
    if result.groups is not None:  # ranks restart in each group: list group by group
        keys.append(result.groups.astype(str))
    order = np.lexsort(tuple(keys))
    table = Table(title=title, title_justify="left")
    for name, justify in (
        ("rank", "right"),
        ("unit", "left"),
        ("total", "right"),
        ("max", "right"),
        ("index", "right"),
        ("tier", "left"),
    ):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    if result.groups is not None:
        table.add_column("group")
    shown = list(order[:top])
    hidden = len(order) - top - bottom
    if hidden > 0:
        tail = list(order[-bottom:]) if bottom else []
    else:
        shown, tail = list(order), []
    for rows in (shown, tail):
        for u in rows:
            cells = [
                str(result.rank[u]),
                str(result.unit_ids[u]),
                f"{result.total[u]:.{d}f}",
                f"{result.max[u]:.{d}f}",
                f"{result.index[u]:.{d}f}",
                str(result.tier[u]),
            ]
            if result.groups is not None:
                cells.append(str(result.groups[u]))
            table.add_row(*cells)
        if rows is shown and tail:
            table.add_row("…", f"{hidden} more", "", "", "", "")
    _console().print(table)


def _tier_counts(result: Result) -> None:
    from rich.table import Table

    counts = Counter(str(t) for t in result.tier)
    table = Table(title="Tiers (xếp loại)", title_justify="left")
    table.add_column("tier")
    table.add_column("from", justify="right")
    table.add_column("units", justify="right")
    table.add_column("share", justify="right")
    for tier in result.scheme.tiers.scale:
        n = counts.get(tier.name, 0)
        table.add_row(tier.name, f"{tier.min:g}", str(n), f"{100 * n / result.n_units:.1f} %")
    _console().print(table)


def _check_writer(out: Path) -> None:
    """Raise MissingDependencyError now if writing *out* needs an extra that is missing."""
    from parscore._optional import require

    needs = {".xlsx": ("xlsxwriter", "excel"), ".parquet": ("pyarrow", "arrow")}
    found = needs.get(out.suffix.lower())
    if found is not None:
        require(*found)


def _write(result: Result, out: Path) -> None:
    from parscore.io.tables import write_result

    write_result(result, out)
    _console(stderr=True).print(f"wrote {out}")


def _suffix(*allowed: str) -> Callable[[click.Context, click.Parameter, Path | None], Path | None]:
    """A callback refusing (exit code 2) an output path whose suffix is not one of *allowed*."""

    def check(_ctx: click.Context, _param: click.Parameter, value: Path | None) -> Path | None:
        if value is not None and value.suffix.lower() not in allowed:
            msg = f"{value.name!r}: the file name must end in {', '.join(allowed)}"
            raise click.BadParameter(msg)
        return value

    return check


# -- commands ------------------------------------------------------------------------------


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="parscore", prog_name="parscore")
def main() -> None:
    """Score the Administrative Reform Index (Chỉ số CCHC) of government units.

    A SCHEME is a criteria set (Bộ chỉ số) in YAML, JSON or TOML — or the id of a built-in
    scheme. DATA is a table with one row per unit: a column unit_id and one column per input
    of the scheme (.csv, .xlsx, .parquet or .json). Start with `parscore demo`.
    """


@main.command()
@click.option(
    "--units",
    default=_DEMO_UNITS,
    show_default=True,
    type=click.IntRange(min=1),
    help="Number of units.",
)
@click.option("--seed", default=_DEMO_SEED, show_default=True, help="Seed of the example data.")
@click.option(
    "-o",
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    help="Also write the results (CSV, JSON) into this folder.",
)
@_handles_errors
def demo(units: int, seed: int, out: Path | None) -> None:
    """Score the built-in example scheme on built-in example data.

    The data are synthetic and deterministic: the same on every run. Nothing is read from
    disk; with --out the results are written as files too.
    """
    from parscore.datasets import example_data
    from parscore.engine import score

    scheme = _demo_scheme()
    with _progress("Scoring the example"):
        result = score(scheme, example_data(scheme, units, seed=seed))
    console = _console()
    n_leaves = sum(1 for _ in scheme.leaves())
    console.print(f"[bold]{scheme.name}[/] ({scheme.id})", markup=True)
    console.print(
        f"{len(scheme.nodes)} fields, {n_leaves} criteria scored, {scheme.max_points:g} points; "
        f"{result.n_units} units of synthetic example data"
    )
    _ranking_table(result, top=10, bottom=5, title="Ranking (xếp hạng): top 10 and bottom 5")
    _tier_counts(result)
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
        for name in ("results.csv", "results.json"):
            _write(result, out / name)
    else:
        console.print(
            "\nTo write files: parscore demo --out results/   "
            "(or: parscore score SCHEME DATA -o results.xlsx)"
        )


@main.command()
@click.argument("scheme")
@_handles_errors
def check(scheme: str) -> None:
    """Validate a scheme and summarise it (fields, criteria, rules, tiers, input columns)."""
    from rich.table import Table

    from parscore.compile import compile_scheme

    loaded = _load_scheme(scheme)
    compiled = compile_scheme(loaded)
    console = _console()
    console.print(f"[bold green]OK[/] {loaded.name} ({loaded.id})")
    kinds = Counter(n.rule.kind for n in loaded.leaves() if n.rule is not None)
    console.print(
        f"level {loaded.level}, year {loaded.year or '—'}; {len(loaded.nodes)} fields, "
        f"{compiled.n_nodes} nodes, {compiled.n_leaves} leaves, {loaded.max_points:g} points; "
        f"{len(compiled.columns)} input columns"
    )
    console.print("rules: " + ", ".join(f"{k} × {v}" for k, v in sorted(kinds.items())))
    tiers = ", ".join(f"{t.name} ≥ {t.min:g}" for t in loaded.tiers.scale)
    console.print(f"tiers ({loaded.tiers.basis}): {tiers}")
    console.print(f"fingerprint {compiled.fingerprint}")
    table = Table(title="Fields (lĩnh vực)", title_justify="left")
    table.add_column("id")
    table.add_column("name")
    table.add_column("max", justify="right")
    for node in loaded.nodes:
        table.add_row(node.id, node.name, f"{node.max:g}")
    console.print(table)


@main.command("score")
@click.argument("scheme")
@click.argument("data", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "-o",
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    callback=_suffix(".csv", ".xlsx", ".json", ".parquet"),
    help="Write results here (.csv, .xlsx, .json, .parquet by extension).",
)
@_data_options
@click.option(
    "--top",
    default=20,
    show_default=True,
    type=click.IntRange(min=0),
    help="Units shown at the top.",
)
@_handles_errors
def score_cmd(
    *,
    scheme: str,
    data: str,
    out: Path | None,
    unit_id: str,
    group: str | None,
    sheet: str | None,
    header_row: int | None,
    top: int,
) -> None:
    """Score DATA against SCHEME: print the ranking, write the results with -o.

    Columns of DATA that are not inputs of the scheme (STT, the unit's name, its district)
    are carried through to the results as labels; the command says which.
    """
    if out is not None:
        _check_writer(out)  # a missing extra is said before the scoring, not after
    loaded = _load_scheme(scheme)
    result = _score_file(loaded, data, _DataOptions(unit_id, group, sheet, header_row))
    _carried(result)
    _ranking_table(result, top=top, bottom=5, title=f"Ranking: {loaded.name}")
    _tier_counts(result)
    if out is not None:
        _write(result, out)


@main.command()
@click.argument("scheme")
@click.option(
    "-o",
    "--out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    callback=_suffix(".xlsx", ".csv"),
    help="The template to write (.xlsx, or .csv for a plain header).",
)
@click.option(
    "--units",
    default=0,
    show_default=True,
    type=click.IntRange(min=0),
    help="Empty rows to pre-number.",
)
@click.option(
    "--unit-id", default="unit_id", show_default=True, help="Name of the column of unit ids."
)
@click.option("--group", default=None, help="Add a column of unit groups with this name.")
@click.option(
    "--labels",
    default=None,
    help='Label columns to add, comma-separated (e.g. "STT,Tên đơn vị,Huyện").',
)
@_handles_errors
def template(
    *, scheme: str, out: Path, units: int, unit_id: str, group: str | None, labels: str | None
) -> None:
    """Write the data-entry template for SCHEME: one row per unit, one column per input.

    The columns: the unit id, the group (--group), the labels (--labels), then every input.
    """
    from parscore.io.template import write_template

    names = tuple(n.strip() for n in labels.split(",") if n.strip()) if labels else ()
    loaded = _load_scheme(scheme)
    try:
        write_template(loaded, out, units=units, unit_id=unit_id, group=group, labels=names)
    except ValueError as error:  # a column name taken twice or by an input: a usage error
        raise click.BadParameter(str(error), param_hint="--unit-id/--group/--labels") from None
    _console(stderr=True).print(f"wrote {out}")


@main.command()
@click.argument("scheme")
@click.argument("data", type=click.Path(exists=True, dir_okay=False))
@click.argument("unit")
@_data_options
@click.option("--lang", type=click.Choice(["vi", "en"]), default="vi", show_default=True)
@_handles_errors
def explain(
    *,
    scheme: str,
    data: str,
    unit: str,
    unit_id: str,
    group: str | None,
    sheet: str | None,
    header_row: int | None,
    lang: str,
) -> None:
    """Explain every point of UNIT: inputs, rule, points, max and legal basis per criterion.

    The rank shown is within the unit's group when there are groups (a column 'group', or
    --group).
    """
    loaded = _load_scheme(scheme)
    result = _score_file(loaded, data, _DataOptions(unit_id, group, sheet, header_row))
    try:
        explanation = result.explain(unit, lang=lang)  # type: ignore[arg-type]
    except KeyError:
        _console(stderr=True).print(f"[bold red]Error:[/] no unit {unit!r} in {data}")
        sys.exit(1)
    _explanation_table(explanation)


def _explanation_table(explanation: Explanation) -> None:
    """Print an explanation as a table whose long names and rules wrap instead of being cut."""
    from rich.table import Table
    from rich.text import Text

    d = explanation.decimals
    table = Table(
        title=explanation.header,  # the unit, its label columns and the scheme
        title_justify="left",
        show_lines=False,
    )
    table.add_column("criterion (tiêu chí)", ratio=3)
    table.add_column("points", justify="right", no_wrap=True)
    table.add_column("max", justify="right", no_wrap=True)
    table.add_column("rule and inputs (cách chấm, số liệu)", ratio=4)
    for row in explanation.rows:
        label = Text("  " * row.depth + f"{row.node_id} {row.name}")
        if not row.is_leaf:
            label.stylize("bold")
        detail = ""
        if row.is_leaf:
            detail = f"{row.rule} [{row.shown_inputs()}]"
            if row.legal_basis:
                detail += f" — {row.legal_basis}"
        points = f"{row.points:.{d}f}" if row.applicable else "n/a"
        table.add_row(label, points, f"{row.max:.{d}f}", Text(detail))
    if explanation.bonus is not None:
        table.add_row("bonus", f"{explanation.bonus:.{d}f}", "", "")
    if explanation.penalty is not None:
        table.add_row("penalty", f"{-explanation.penalty:.{d}f}", "", "")
    console = _console()
    console.print(table)
    console.print(explanation.summary, markup=False)


@main.command()
@click.argument("scheme")
@click.argument("data", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "-o",
    "--out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    callback=_suffix(".html", ".htm"),
    help="The HTML file.",
)
@click.option(
    "--previous",
    type=click.Path(exists=True, dir_okay=False),
    help="Last year's DATA (same scheme or one sharing node ids), for rank and tier changes.",
)
@click.option("--previous-scheme", default=None, help="Last year's SCHEME, when it differs.")
@_data_options
@click.option("--title", default=None, help="Title of the report.")
@_handles_errors
def report(
    *,
    scheme: str,
    data: str,
    out: Path,
    previous: str | None,
    previous_scheme: str | None,
    unit_id: str,
    group: str | None,
    sheet: str | None,
    header_row: int | None,
    title: str | None,
) -> None:
    """Write a self-contained HTML report: ranking, tiers, fields, losses, changes.

    --unit-id, --group, --sheet and --header-row apply to DATA and to --previous alike.
    """
    from parscore.report.html import write_report

    loaded = _load_scheme(scheme)
    how = _DataOptions(unit_id, group, sheet, header_row)
    result = _score_file(loaded, data, how)
    last = None
    if previous is not None:
        last_scheme = _load_scheme(previous_scheme) if previous_scheme else loaded
        last = _score_file(last_scheme, previous, how)
    with _progress("Writing the report"):
        write_report(result, out, previous=last, title=title)
    _console(stderr=True).print(f"wrote {out}")


@main.command()
@click.option(
    "-o", "--out", type=click.Path(dir_okay=False, path_type=Path), help="Write to a file."
)
def schema(out: Path | None) -> None:
    """Print the JSON Schema of the scheme file format (v1)."""
    from parscore.io import scheme_json_schema

    text = json.dumps(scheme_json_schema(), indent=2, ensure_ascii=False) + "\n"
    if out is None:
        click.echo(text, nl=False)
    else:
        out.write_text(text, encoding="utf-8")
        _console(stderr=True).print(f"wrote {out}")


if __name__ == "__main__":  # pragma: no cover
    main()
