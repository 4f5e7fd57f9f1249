"""Run every fuzz family of issue 11 at a given size and print a table of what was found.

    python scripts/fuzz.py                    # 2,000 inputs in all (about a minute)
    python scripts/fuzz.py --total 20000      # the release run (about 10 minutes on 2 cores)
    python scripts/fuzz.py --cases 500 --only cli,scheme-table-xlsx --seed 7
    python scripts/fuzz.py --bombs            # peak memory of a bomb of each kind (~2 minutes)

The families live in ``tests/safety/fuzz_families.py`` (the tests run the same code at a
size that fits CI). An **escape** is an exception other than ``ParscoreError`` from the API,
or, from the command line, an exit code other than 0, 1 or 2, an exception out of
``CliRunner.invoke`` other than ``SystemExit``, a traceback in the output, or an input file
changed. The first escapes of each family are printed below the table; the exit status is 1
when there was any.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "safety"))
os.environ.setdefault("MPLBACKEND", "Agg")

from fuzz_families import Outcome, families, run_family  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    """Run the families (or measure the bombs); 1 when anything escaped."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--total", type=int, default=2000, help="inputs in all, split evenly")
    size.add_argument("--cases", type=int, help="inputs per family (instead of --total)")
    parser.add_argument("--only", help="comma-separated families (default: all)")
    parser.add_argument("--seed", type=int, default=20261201)
    parser.add_argument("--show", type=int, default=5, help="escapes shown per family")
    parser.add_argument("--bombs", action="store_true", help="measure the bombs instead")
    args = parser.parse_args(argv)
    if args.bombs:
        return _bombs()
    names = families()
    if args.only:
        wanted = [n.strip() for n in args.only.split(",") if n.strip()]
        unknown = sorted(set(wanted) - set(names))
        if unknown:
            parser.error(f"unknown families {unknown}; known: {', '.join(names)}")
        names = wanted
    per = args.cases if args.cases is not None else max(1, args.total // len(names))
    print(f"{len(names)} families, {per} inputs each, seed {args.seed}", flush=True)
    outcomes: list[Outcome] = []
    for name in names:
        with tempfile.TemporaryDirectory(prefix=f"fuzz-{name}-") as folder:
            out = run_family(name, per, args.seed, Path(folder))
        outcomes.append(out)
        print(
            f"  {name}: {out.tried} tried, {len(out.escapes)} escapes, {out.seconds:.0f} s",
            flush=True,
        )
    print()
    print(_table(outcomes))
    for out in outcomes:
        for line in out.escapes[: args.show]:
            print(f"\n[{out.family}] {line}")
    return 1 if any(out.escapes for out in outcomes) else 0


def _bombs() -> int:
    """Each bomb of ``fuzz_bombs`` read in a fresh process at the default limits."""
    from fuzz_bombs import BOMBS, measure

    rows = [("bomb", "file", "peak memory", "time", "refused with")]
    bad = 0
    with tempfile.TemporaryDirectory(prefix="fuzz-bombs-") as folder:
        for bomb in BOMBS:
            found = measure(bomb, Path(folder))
            print(f"  {bomb.name}: {found}", flush=True)
            message = str(found["message"])
            limit = next((w for w in message.replace("=", " ").split() if w.startswith("max_")), "")
            bad += found["error"] is None or str(found["error"]).startswith(("ESCAPE", "crashed"))
            rows.append(
                (
                    f"{bomb.name} ({bomb.what})",
                    _size(int(found.get("bytes") or 0)),
                    f"{float(found['mib'] or 0):.0f} MiB",
                    f"{float(found['seconds'] or 0):.2f} s",
                    f"{found['error']} {limit}".strip(),
                )
            )
    print()
    print(_render(rows, right=(1, 2, 3)))
    return 1 if bad else 0


def _size(n: int) -> str:
    for unit, scale in (("GiB", 2**30), ("MiB", 2**20), ("KiB", 2**10)):
        if n >= scale:
            return f"{n / scale:.1f} {unit}"
    return f"{n} B"


def _table(outcomes: list[Outcome]) -> str:
    rows = [("family", "inputs tried", "refused", "escapes", "time")]
    rows.extend(
        (
            out.family,
            f"{out.tried:,}",
            f"{out.refused:,}",
            f"{len(out.escapes):,}",
            f"{out.seconds:.0f} s",
        )
        for out in outcomes
    )
    total_s = sum(out.seconds for out in outcomes)
    rows.append(
        (
            "all",
            f"{sum(out.tried for out in outcomes):,}",
            f"{sum(out.refused for out in outcomes):,}",
            f"{sum(len(out.escapes) for out in outcomes):,}",
            f"{total_s:.0f} s",
        )
    )
    return _render(rows, right=(1, 2, 3, 4))


def _render(rows: list[tuple[str, ...]], right: tuple[int, ...]) -> str:
    """A Markdown table, the columns numbered in *right* aligned right."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for k, row in enumerate(rows):
        cells = [
            c.rjust(w) if i in right else c.ljust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        ]
        lines.append("| " + " | ".join(cells) + " |")
        if k == 0:
            rule = [
                "-" * (w + 1) + ":" if i in right else "-" * (w + 2) for i, w in enumerate(widths)
            ]
            lines.append("|" + "|".join(rule) + "|")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
