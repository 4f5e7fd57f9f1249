"""The fuzz families of issue 11, shared by the tests and ``scripts/fuzz.py``.

Each family is a function ``(cases, seed, folder) -> Outcome``: it builds ``cases`` seeded
inputs in *folder*, feeds each to a public entry and counts how each ended. An **escape** is
anything outside the contract: an exception other than :class:`parscore.ParscoreError` from the
API; from the command line an exit code other than 0, 1 or 2, an exception other than
``SystemExit`` out of :meth:`click.testing.CliRunner.invoke`, or a traceback in the output.

Families (see :data:`FAMILIES`): the scheme files (YAML, JSON, TOML: the mutations of
``test_scheme_fuzz``), the scheme tables (CSV and XLSX written by ``write_scheme_table``),
the data files (CSV, XLSX, JSON, Parquet: the mutations of ``test_data_fuzz``) and the
command line (``fuzz_cli``). Warnings are ignored: the contract is about exceptions.
"""

from __future__ import annotations

import csv
import datetime
import functools
import io
import random
import time
import warnings
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

import parscore as ps

SCHEME_ID = "example-commune-2026"


@dataclass
class Outcome:
    """How the inputs of one family ended."""

    family: str
    tried: int = 0
    refused: int = 0  # a ParscoreError (API) or exit code 1 or 2 (CLI)
    escapes: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def escape(self, case: int, what: str, data: object = None) -> None:
        """Record an escape of case *case*, with (the start of) its input."""
        shown = repr(data)[:300] if data is not None else ""
        self.escapes.append(f"case {case}: {what[:400]}" + (f"\n  input: {shown}" if shown else ""))


@contextmanager
def _quiet() -> Iterator[None]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


def _api_call(out: Outcome, case: int, call: Callable[[], object], data: object) -> None:
    out.tried += 1
    try:
        call()
    except ps.ParscoreError as exc:
        out.refused += 1
        if not str(exc):
            out.escape(case, f"{type(exc).__name__} with an empty message", data)
    except BaseException as exc:  # the contract under test
        if isinstance(exc, KeyboardInterrupt):
            raise
        out.escape(case, f"{type(exc).__name__}: {exc}", data)


# -- mutations ---------------------------------------------------------------------------------


def mutate_bytes(data: bytes, rng: random.Random) -> bytes:
    """Bytes flipped, inserted, deleted, repeated, or the file cut."""
    out = bytearray(data)
    for _ in range(rng.randint(1, 5)):
        if not out:
            break
        pos = rng.randrange(len(out))
        kind = rng.randrange(6)
        if kind == 0:
            out[pos] = rng.randrange(256)
        elif kind == 1:
            out.insert(pos, rng.choice(b"\",;\n\r\t'=-{}[]:<>/&0.9\x00\xff"))
        elif kind == 2:
            del out[pos : pos + rng.randint(1, 64)]
        elif kind == 3:
            out[pos:pos] = out[pos : pos + rng.randint(1, 32)] * rng.randint(1, 50)
        elif kind == 4:
            del out[pos:]
        else:
            out[pos] ^= 1 << rng.randrange(8)
    return bytes(out)


def mutate_text(text: str, rng: random.Random) -> str:
    """Characters deleted, duplicated, swapped, or something hostile inserted."""
    from test_scheme_fuzz import _mutate

    return _mutate(rng, text)


def hostile_value(rng: random.Random) -> object:
    """A cell value a spreadsheet could hold: hostile text, odd numbers, dates, booleans."""
    from test_scheme_fuzz import HOSTILE

    pool: list[object] = [
        *HOSTILE,
        10**40,
        -(10**20),
        1e307,
        -1e-300,
        0.1,
        -3,
        0,
        True,
        False,
        datetime.datetime(2026, 2, 28, 13, 5),
        datetime.date(1900, 1, 1),
        "=SUM(A1:A9)",
        "'=1+1",
        "'''",
        "yes_no",
        "ratio",
        "bands",
        "0-50:1; 50-100:2",
        "1.1.1.1.1",
        "",
        None,
    ]
    return rng.choice(pool)


def mutate_zip(data: bytes, rng: random.Random, mutate: Callable[[bytes], bytes]) -> bytes:
    """The archive with one of its parts mutated by *mutate*, zipped again (CRCs right)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w") as zout:
        infos = zin.infolist()
        target = rng.randrange(len(infos))
        for k, info in enumerate(infos):
            part = zin.read(info)
            zout.writestr(info.filename, mutate(part) if k == target else part)
    return out.getvalue()


def _xml_text(part: bytes, rng: random.Random) -> bytes:
    """An XML part with hostile text put inside a text node or an attribute."""
    text = part.decode("utf-8", "replace")
    spots = [i for i, ch in enumerate(text) if ch in '>"']
    if not spots:
        return part
    i = rng.choice(spots) + 1
    hostile = str(hostile_value(rng))
    return (text[:i] + hostile + text[i:]).encode("utf-8", "surrogatepass")


# -- scheme files (YAML, JSON, TOML) -------------------------------------------------------------


def fuzz_scheme_files(fmt: str) -> Callable[[int, int, Path], Outcome]:
    def run(cases: int, seed: int, folder: Path) -> Outcome:
        from test_scheme_fuzz import _bases, _mutate

        bases = [text for f, text in _bases() if f == fmt]
        rng = random.Random(seed)
        out = Outcome(f"scheme {fmt}")
        for case in range(cases):
            mutated = _mutate(rng, bases[case % len(bases)])
            call = functools.partial(ps.loads_scheme, mutated, format=fmt)
            _api_call(out, case, call, mutated)
        return out

    return run


# -- scheme tables (CSV, XLSX) -----------------------------------------------------------------


def scheme_tables(folder: Path) -> dict[str, list[bytes]]:
    """Every built-in scheme written as a table, CSV and XLSX, English and Vietnamese headers."""
    out: dict[str, list[bytes]] = {"csv": [], "xlsx": []}
    for scheme_id in ps.builtin_schemes():
        scheme = ps.builtin_scheme(scheme_id)
        for fmt, found in out.items():
            for lang in ("en", "vi"):
                path = ps.write_scheme_table(scheme, folder / f"base.{lang}.{fmt}", lang=lang)  # type: ignore[arg-type]
                found.append(path.read_bytes())
    return out


def _csv_cell(data: bytes, rng: random.Random) -> bytes:
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    row = rng.choice(rows)
    if row:
        row[rng.randrange(len(row))] = str(hostile_value(rng))
    else:
        row.append(str(hostile_value(rng)))
    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode("utf-8", "surrogatepass")


def _xlsx_cell(data: bytes, rng: random.Random) -> bytes:
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(data))
    ws = book.worksheets[0]
    for _ in range(rng.randint(1, 3)):
        row = rng.randint(1, ws.max_row + 1)
        column = rng.randint(1, ws.max_column + 1)
        for _attempt in range(5):  # openpyxl refuses control characters: draw again
            try:
                ws.cell(row, column).value = hostile_value(rng)
                break
            except Exception:
                continue
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _table_mutations(fmt: str) -> list[Callable[[bytes, random.Random], bytes]]:
    if fmt == "csv":

        def as_text(data: bytes, rng: random.Random) -> bytes:
            text = mutate_text(data.decode("utf-8-sig"), rng)
            return text.encode("utf-8", "surrogatepass")  # a lone surrogate: invalid UTF-8

        return [mutate_bytes, as_text, _csv_cell]
    return [
        mutate_bytes,
        lambda data, rng: mutate_zip(data, rng, lambda part: mutate_bytes(part, rng)),
        lambda data, rng: mutate_zip(data, rng, lambda part: _xml_text(part, rng)),
        _xlsx_cell,
    ]


def fuzz_scheme_tables(fmt: str) -> Callable[[int, int, Path], Outcome]:
    def run(cases: int, seed: int, folder: Path) -> Outcome:
        bases = scheme_tables(folder)[fmt]
        mutations = _table_mutations(fmt)
        rng = random.Random(seed)
        out = Outcome(f"scheme table {fmt}")
        path = folder / f"case.{fmt}"
        for case in range(cases):
            data = mutations[case % len(mutations)](bases[case % len(bases)], rng)
            path.write_bytes(data)
            read: Callable[[], object] = (
                (lambda: ps.read_scheme_table(path)) if case % 2 else (lambda: ps.load_scheme(path))
            )
            _api_call(out, case, read, data)
        return out

    return run


# -- data files (CSV, XLSX, JSON, Parquet) -----------------------------------------------------


def fuzz_data_files(fmt: str) -> Callable[[int, int, Path], Outcome]:
    def run(cases: int, seed: int, folder: Path) -> Outcome:
        import test_data_fuzz as data_fuzz

        from parscore.io import _read_csv

        original = data_fuzz._files(folder)[fmt]
        rng = np.random.default_rng(seed)
        mutate = [data_fuzz._mutate]
        if fmt == "xlsx":
            mutate.append(data_fuzz._mutate_inside)
        out = Outcome(f"data {fmt}")
        path = folder / f"case.{fmt}"
        use_pyarrow = _read_csv.USE_PYARROW
        try:
            for case in range(cases):
                if fmt == "csv":  # both CSV paths: pyarrow's and the stdlib's
                    _read_csv.USE_PYARROW = case % 2 == 0
                data = mutate[case % len(mutate)](original, rng)
                path.write_bytes(data)
                call = lambda: ps.score_file(data_fuzz.SCHEME, path, limits=data_fuzz.SMALL)  # noqa: E731
                _api_call(out, case, call, data)
        finally:
            _read_csv.USE_PYARROW = use_pyarrow
        return out

    return run


def _families() -> dict[str, Callable[..., Outcome]]:
    from fuzz_cli import fuzz_cli

    return {
        "scheme-yaml": fuzz_scheme_files("yaml"),
        "scheme-json": fuzz_scheme_files("json"),
        "scheme-toml": fuzz_scheme_files("toml"),
        "scheme-table-csv": fuzz_scheme_tables("csv"),
        "scheme-table-xlsx": fuzz_scheme_tables("xlsx"),
        "data-csv": fuzz_data_files("csv"),
        "data-xlsx": fuzz_data_files("xlsx"),
        "data-json": fuzz_data_files("json"),
        "data-parquet": fuzz_data_files("parquet"),
        "cli": fuzz_cli,
    }


def run_family(name: str, cases: int, seed: int, folder: Path, **options: bool) -> Outcome:
    """Run one family of :func:`families`, timed, warnings ignored."""
    start = time.perf_counter()
    with _quiet():
        out = _families()[name](cases, seed, folder, **options)
    out.family = name
    out.seconds = time.perf_counter() - start
    return out


def families() -> list[str]:
    """The names of every family, in the order the script runs them."""
    return list(_families())
