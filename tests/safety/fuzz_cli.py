"""The command-line fuzz family: seeded argument vectors and mutated input files.

Each case draws a command (``check``, ``score``, ``explain``, ``template``, ``report``), its
positional arguments (built-in ids, good files, mutated files, files of the wrong kind,
folders, missing paths, hostile text), any of its options with good or bad values (``-o`` an
input, an existing file, a missing folder, a folder; ``--limit`` settings small and bad), now
and then an unknown option or a stray argument, and runs it through click's ``CliRunner``.

The contract: exit code 0, 1 or 2; ``result.exception`` None or ``SystemExit``; no traceback
in the output; the input files unchanged.
"""

from __future__ import annotations

import hashlib
import random
import shutil
from pathlib import Path

import click
from click.testing import CliRunner
from fuzz_families import SCHEME_ID, Outcome, mutate_bytes, mutate_text

import parscore as ps
from parscore.cli import main

EXAMPLE = Path(__file__).resolve().parent.parent.parent / "examples" / "communes-2026.csv"
POSITIONALS = {
    "check": ["scheme"],
    "score": ["scheme", "data"],
    "explain": ["scheme", "data", "unit"],
    "template": ["scheme"],
    "report": ["scheme", "data"],
}
WEIGHTS = {"check": 3, "score": 3, "explain": 3, "template": 2, "report": 1}
TEXT = [
    "",
    " ",
    "[/]",
    "[link=https://example.org]x[/link]",
    "[bold red]x",
    ":warning:",
    "$x^2$",
    "\x1b[31mred",
    "\u202e",
    "\udcff",  # an undecodable byte of a real argv (surrogateescape)
    "'=1+1",
    "=HYPERLINK(1)",
    "-",
    "--",
    "x" * 5000,
    "Xã Ế",
    "../../etc/passwd",
]
LIMITS = [
    "max_rows=3",
    "rows=1",
    "max_columns=5",
    "max_nodes=10",
    "depth=2",
    "max_cell_chars=4",
    "max_file_bytes=100",
    "unzipped_bytes=1000",
    "shared_strings=3",
    "number_digits=1",
    "scheme_values=50",
    "max_rows=10_000_000",
    "max_rows",
    "max_rows=0",
    "max_rows=-1",
    "max_rows=1e9",
    "rowz=5",
    "=",
    "max_rows=" + "9" * 400,
]


class _Inputs:
    """The good input files of the family, in *folder*, and their bytes."""

    def __init__(self, folder: Path) -> None:
        import pandas as pd

        self.folder = folder
        scheme = ps.builtin_scheme(SCHEME_ID)
        folder.mkdir(parents=True, exist_ok=True)
        self.schemes = [folder / f"s.{fmt}" for fmt in ("yaml", "json", "toml", "csv", "xlsx")]
        for path in self.schemes[:3]:
            ps.dump_scheme(scheme, path)
        for path in self.schemes[3:]:
            ps.write_scheme_table(scheme, path)
        frame = pd.read_csv(EXAMPLE, dtype=str, keep_default_na=False)
        self.data = [folder / "d.csv", folder / "d.xlsx", folder / "d.json", folder / "d.parquet"]
        shutil.copy(EXAMPLE, self.data[0])
        table = pd.read_csv(EXAMPLE, dtype={"unit_id": str, "group": str})
        table.to_excel(self.data[1], index=False)
        table.to_json(self.data[2], orient="records", force_ascii=False)
        table.to_parquet(self.data[3])
        self.units = [str(u) for u in frame["unit_id"]]
        (folder / "existing.csv").write_text("x\n")
        (folder / "sub").mkdir(exist_ok=True)
        self.original = {p: p.read_bytes() for p in self.schemes + self.data}

    def restore(self) -> None:
        """The good files as they were (``template -o d.csv --force`` may replace one)."""
        for path, data in self.original.items():
            if not path.is_file() or path.read_bytes() != data:
                if path.is_dir():
                    shutil.rmtree(path)
                path.write_bytes(data)


class _Case:
    """One drawn argument vector, with the mutated files it needs."""

    def __init__(self, inputs: _Inputs, rng: random.Random, case: int, xlsx_schemes: bool) -> None:
        self.inputs = inputs
        self.xlsx_schemes = xlsx_schemes
        self.rng = rng
        self.folder = inputs.folder / "cases"
        self.folder.mkdir(exist_ok=True)
        self.case = case
        self.mutated: list[Path] = []
        self.read: list[Path] = []  # the files the command reads: never to be changed

    def _input(self, path: Path) -> str:
        self.read.append(path)
        return str(path)

    def _mutated(self, source: Path) -> Path:
        rng = self.rng
        data = source.read_bytes()
        if source.suffix in (".yaml", ".json", ".toml", ".csv") and rng.random() < 0.5:
            text = mutate_text(data.decode("utf-8-sig"), rng)
            data = text.encode("utf-8", "surrogatepass")
        else:
            data = mutate_bytes(data, rng)
        path = self.folder / f"m{len(self.mutated)}{source.suffix}"
        path.write_bytes(data)
        self.mutated.append(path)
        self.read.append(path)
        return path

    def scheme(self) -> str:
        rng = self.rng
        kind = rng.randrange(12)
        if kind < 3:
            return rng.choice([SCHEME_ID] * 6 + [*ps.builtin_schemes(), "example-2025", "camau"])
        if kind < 7:
            return self._input(rng.choice(self.inputs.schemes))
        if kind < 11:
            source = rng.choice(self.inputs.schemes)
            if source.suffix == ".xlsx" and not self.xlsx_schemes:
                return self._input(source)
            return str(self._mutated(source))
        return rng.choice(
            [str(self.inputs.data[0]), str(self.inputs.folder), "missing.yaml", *TEXT]
        )

    def data(self) -> str:
        rng = self.rng
        kind = rng.randrange(12)
        if kind < 5:
            return self._input(rng.choice(self.inputs.data))
        if kind < 11:
            return str(self._mutated(rng.choice(self.inputs.data)))
        return rng.choice(
            [str(self.inputs.schemes[0]), str(self.inputs.folder), "missing.csv", *TEXT]
        )

    def unit(self) -> str:
        return (
            self.rng.choice(self.inputs.units) if self.rng.random() < 0.6 else self.rng.choice(TEXT)
        )

    def out(self, command: str) -> str:
        rng = self.rng
        suffix = (
            ".html" if command == "report" else rng.choice([".csv", ".xlsx", ".json", ".parquet"])
        )
        if command == "template":
            suffix = rng.choice([".csv", ".xlsx"])
        if rng.random() < 0.7:
            return str(self.folder / f"out{self.case}{suffix}")
        return rng.choice(
            [
                str(self.inputs.folder / "existing.csv"),
                str(self.inputs.folder / "sub"),
                str(self.inputs.folder / "no" / "such" / f"folder{suffix}"),
                str(self.folder / f"out{self.case}.txt"),
                str(self.folder / f"out{self.case}"),
                *(str(p) for p in self.inputs.schemes + self.inputs.data),
                *(str(p) for p in self.mutated),
                "",
            ]
        )

    def option(self, param: click.Parameter, command: str) -> list[str]:
        """The option *param* with a value: good more often than not, else a bad one."""
        rng = self.rng
        name = param.name or ""
        opts = getattr(param, "opts", None) or ["--" + name.replace("_", "-")]
        flag = rng.choice(opts)
        if getattr(param, "is_flag", False):
            return [flag]
        good = rng.random() < 0.75
        special = {
            "out": lambda: self.out(command),
            "limit": lambda: rng.choice(LIMITS[:12] if good else LIMITS),
            "previous": self.data,
            "previous_scheme": self.scheme,
            "unit_id": lambda: rng.choice(["unit_id", "name"] if good else ["x", *TEXT]),
            "group": lambda: rng.choice(["group"] if good else ["name", "unit_id", *TEXT]),
            "sheet": lambda: rng.choice(["Sheet1", "0"] if good else ["Sheet2", *TEXT]),
            "labels": lambda: rng.choice(["STT,Tên đơn vị,Huyện", "a,a", ",,", *TEXT]),
            "header_row": lambda: "1" if good else rng.choice(["2", "0", "-1", "x", "99999"]),
            "units": lambda: rng.choice(["0", "1", "3", "12"] if good else ["-2", "abc", ""]),
        }
        if name in special:
            value = special[name]()
        elif isinstance(param.type, click.Choice):
            choices = [str(c) for c in param.type.choices]
            value = rng.choice(choices if good else ["", "x", *TEXT])
        elif isinstance(param.type, click.types.IntParamType):
            low = getattr(param.type, "min", None) or 0
            value = (
                str(low + rng.choice([0, 1, 2, 40])) if good else rng.choice(["-1", "x", "1" * 30])
            )
        else:
            value = rng.choice(TEXT)
        return [flag] if rng.random() < 0.02 else [flag, value]  # now and then the value missing

    def argv(self) -> list[str]:
        rng = self.rng
        command = rng.choices(list(WEIGHTS), weights=list(WEIGHTS.values()))[0]
        args: list[str] = []
        if rng.random() < 0.1:
            args += ["--limit", rng.choice(LIMITS[:12])]
        args.append(command)
        for slot in POSITIONALS[command]:
            if rng.random() < 0.97:  # now and then one missing
                args.append(getattr(self, slot)())
        params = [p for p in main.commands[command].params if p.name not in POSITIONALS[command]]
        for param in params:
            chance = 0.85 if param.name == "out" else 0.3
            if param.name and rng.random() < chance:
                args += self.option(param, command)
        if rng.random() < 0.03:
            args.insert(rng.randrange(len(args) + 1), rng.choice(["--bogus", "stray", "-x", "--"]))
        if rng.random() < 0.02:
            args.append("--help")
        return args


def fuzz_cli(cases: int, seed: int, folder: Path, *, xlsx_schemes: bool = True) -> Outcome:
    """Run *cases* drawn argument vectors; see the module's docstring for the contract.

    With *xlsx_schemes* false, a SCHEME drawn as a mutated XLSX table is the good one instead
    (the draws stay the same otherwise).
    """
    inputs = _Inputs(folder / "cli")
    rng = random.Random(seed)
    runner = CliRunner()
    out = Outcome("cli")
    for case in range(cases):
        drawn = _Case(inputs, rng, case, xlsx_schemes)
        argv = drawn.argv()
        before = {p: _digest(p) for p in drawn.read}
        out.tried += 1
        result = runner.invoke(main, argv)
        changed = sorted({str(p) for p in drawn.read if _digest(p) != before[p]})
        exc = result.exception
        if exc is not None and not isinstance(exc, SystemExit):
            out.escape(case, f"{type(exc).__name__} escaped: {exc}", argv)
        elif result.exit_code not in (0, 1, 2):
            out.escape(case, f"exit code {result.exit_code}: {result.output[-300:]}", argv)
        elif "Traceback" in result.output:
            out.escape(case, f"a traceback in the output: {result.output[-300:]}", argv)
        elif changed:
            out.escape(case, f"an input file changed: {changed}", argv)
        elif result.exit_code:
            out.refused += 1
        for path in drawn.mutated:
            path.unlink(missing_ok=True)
        inputs.restore()
    return out


def _digest(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError as exc:
        return type(exc).__name__
