"""Small files of huge cost ("bombs"), one of each kind, and their peak memory when read.

Each bomb is built in a folder, then read in a fresh process with the default limits (only
the many-rows CSV is read under ``max_rows=1000``): the peak resident memory after the imports
is subtracted from the peak after the read, so the figure is what reading the bomb cost. The
peak is the process's own (``VmHWM`` of ``/proc/self/status`` on Linux): ``ru_maxrss`` of a
child starts at its parent's size when it was forked, which hides any cost below that.
``scripts/fuzz.py --bombs`` prints the table that ``docs/security.md`` shows; ``test_bombs.py``
checks each is refused within a bound.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

MiB = 1024 * 1024
SAFETY = Path(__file__).resolve().parent

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
    'package/2006/content-types"><Override PartName="/xl/sharedStrings.xml" ContentType='
    '"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
)


@dataclass(frozen=True)
class Bomb:
    """One kind of bomb: how to build it (scaled by *scale*) and which entry reads it."""

    name: str
    what: str
    build: Callable[[Path, float], Path]
    entry: str  # the call, with ``path`` in scope, e.g. "ps.load_scheme(path)"
    setup: str = ""  # run before the measure starts (what the caller already holds)


def _laughs(folder: Path, scale: float) -> Path:
    levels = 9 if scale >= 1 else 6
    text = "".join(
        f"{name}: &{name} [{', '.join([f'*{prev}'] * 9) if prev else ', '.join(['lol'] * 9)}]\n"
        for prev, name in zip(["", *"abcdefghijkl"], "abcdefghijkl"[:levels], strict=False)
    )
    path = folder / "laughs.yaml"
    path.write_text(text)
    return path


def _deep_json(folder: Path, scale: float) -> Path:
    depth = int(1_000_000 * scale)
    path = folder / "deep.json"
    path.write_text('{"parscore": 1, "id": "x", "nodes": ' + "[" * depth + "]" * depth + "}")
    return path


def _zip_bomb(folder: Path, scale: float) -> Path:
    path = folder / "zip-bomb.xlsx"
    size = int(3 * 1024 * MiB * scale)  # 3 GiB of spaces, past max_unzipped_bytes (2 GiB)
    chunk = b" " * (64 * MiB)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", _CONTENT_TYPES)
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            left = size
            while left > 0:
                part.write(chunk[: min(left, len(chunk))])
                left -= len(chunk)
    return path


def _strings_bomb(folder: Path, scale: float) -> Path:
    path = folder / "strings-bomb.xlsx"
    count = int(12_000_000 * scale)  # past max_shared_strings (10 million)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", _CONTENT_TYPES)
        with z.open("xl/sharedStrings.xml", "w", force_zip64=True) as part:
            part.write(b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')
            block = b"<si><t>a</t></si>" * 100_000
            for _ in range(max(1, count // 100_000)):
                part.write(block)
            part.write(b"</sst>")
    return path


def _wide_cell(folder: Path, scale: float) -> Path:
    path = folder / "huge-header.csv"
    size = int(256 * MiB * scale)
    with path.open("w") as fh:
        fh.write("unit_id,")
        for start in range(0, size, 16 * MiB):  # in pieces: the builder stays small
            fh.write("x" * min(16 * MiB, size - start))
        fh.write("\nA,1\n")
    return path


def _many_rows(folder: Path, scale: float) -> Path:
    path = folder / "many-rows.csv"
    rows = int(2_000_000 * scale)
    line = ",".join(["1"] * 20) + "\n"
    with path.open("w") as fh:
        fh.write("unit_id," + ",".join(f"c{j}" for j in range(20)) + "\n")
        for start in range(0, rows, 10_000):
            fh.write("".join(f"u{i}," + line for i in range(start, min(rows, start + 10_000))))
    return path


def _million_names(folder: Path, scale: float) -> Path:
    path = folder / "million-names.csv"
    n = int(1_000_000 * scale)
    names = ",".join(f"1.{k % 9}.{k}.{k % 7}z" + "x" * (k % 5) for k in range(n))
    path.write_text("unit_id," + names + "\nA," + ",1" * (n - 1) + ",1\n")
    return path


BOMBS: tuple[Bomb, ...] = (
    Bomb("YAML billion laughs", "9 levels of 9 aliases", _laughs, "ps.load_scheme(path)"),
    Bomb("deep JSON scheme", "1,000,000 nested lists", _deep_json, "ps.load_scheme(path)"),
    Bomb("XLSX zip bomb", "3 GiB of spaces in one part", _zip_bomb, "ps.score_file(S, path)"),
    Bomb(
        "XLSX shared strings",
        "12 million shared strings",
        _strings_bomb,
        "ps.score_file(S, path)",
    ),
    Bomb("huge CSV header", "one column name of 256 MiB", _wide_cell, "ps.score_file(S, path)"),
    Bomb(
        "CSV of many rows",
        "2 million rows, under max_rows=1000",
        _many_rows,
        "ps.score_file(S, path, limits=ps.Limits(max_rows=1000))",
    ),
    Bomb(
        "1M column names (CSV)",
        "a header of 1,000,000 crafted names",
        _million_names,
        "ps.score_file(S, path)",
    ),
    Bomb(
        "1M column names (mapping)",
        "ps.score on a dict of 1,000,000 crafted names",
        lambda folder, scale: _marker(folder, int(1_000_000 * scale)),
        "ps.score(S, names)",
        setup=(
            "n = int(open(path).read()); names = {'unit_id': ['a', 'b']} | "
            "{f'1.{k % 9}.{k}.{k % 7}z' + 'x' * (k % 5): ['x', 'y'] for k in range(n)}"
        ),
    ),
)


def _marker(folder: Path, n: int) -> Path:
    path = folder / "count.txt"
    path.write_text(str(n))
    return path


_MEASURE = textwrap.dedent(
    """
    import json, resource, sys, time
    import openpyxl, pyarrow, pyarrow.csv, pyarrow.parquet
    import parscore as ps
    import parscore.io
    from parscore.datasets import synthetic_scheme
    S = synthetic_scheme()
    ps.score_file(S, sys.argv[3])  # warm: every lazy import of the readers done
    def peak_kib():
        try:
            with open("/proc/self/status") as fh:
                return next(int(l.split()[1]) for l in fh if l.startswith("VmHWM:"))
        except (OSError, StopIteration):
            return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    path = sys.argv[1]
    exec(sys.argv[4])
    before = peak_kib()
    start = time.perf_counter()
    try:
        exec(sys.argv[2])
        error, message = None, ""
    except ps.ParscoreError as exc:
        error, message = type(exc).__name__, str(exc)
    except BaseException as exc:
        error, message = "ESCAPE " + type(exc).__name__, str(exc)
    seconds = time.perf_counter() - start
    after = peak_kib()
    print(json.dumps({"mib": (after - before) / 1024, "seconds": seconds,
                      "error": error, "message": message[:300]}))
    """
)


def measure(bomb: Bomb, folder: Path, scale: float = 1.0) -> dict[str, object]:
    """Build *bomb* in *folder* and read it in a fresh process: MiB, seconds, the error."""
    path = bomb.build(folder, scale)
    warm = folder / "warm.csv"
    if not warm.exists():
        from parscore.datasets import example_data, synthetic_scheme

        columns = example_data(synthetic_scheme(), 3, seed=1)
        lines = [
            ",".join(columns),
            *(",".join(str(columns[c][i]) for c in columns) for i in range(3)),
        ]
        warm.write_text("\n".join(lines) + "\n")
    out = subprocess.run(
        [sys.executable, "-c", _MEASURE, str(path), bomb.entry, str(warm), bomb.setup],
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    if out.returncode != 0:
        return {"mib": None, "seconds": None, "error": "crashed", "message": out.stderr[-300:]}
    found: dict[str, object] = json.loads(out.stdout.strip().splitlines()[-1])
    found["bytes"] = path.stat().st_size
    path.unlink()
    return found
