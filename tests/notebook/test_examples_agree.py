"""The examples agree: unique scheme ids, and examples/demo.py does what `parscore demo` does."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import parscore as ps

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "data" / "v1_golden" / "commune-example.yaml"


def test_scheme_ids_are_unique() -> None:
    """The built-in schemes and the example scheme files each have an id of their own."""
    ids = [ps.builtin_scheme(name).id for name in ps.builtin_schemes()]
    files = sorted((ROOT / "examples").glob("*.yaml"))
    assert files
    ids += [ps.load_scheme(path).id for path in files]
    assert len(ids) == len(set(ids)), ids


def test_example_file_differs_from_its_v1_golden_copy_only_by_its_id() -> None:
    """examples/commune-example.yaml is the v1 file pinned in tests/data/v1_golden, renamed."""
    example = (ROOT / "examples" / "commune-example.yaml").read_text(encoding="utf-8")
    golden = GOLDEN.read_text(encoding="utf-8")
    assert example.replace("example-commune-yaml-2026", "example-commune-2026") == golden


def _run(args: list[str]) -> str:
    env = {**os.environ, "COLUMNS": "120", "NO_COLOR": "1", "TERM": "dumb"}
    done = subprocess.run(
        [sys.executable, *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        cwd=ROOT,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.mark.parametrize("extra", [[], ["--scheme", "example-province-2026"]])
def test_demo_py_prints_what_parscore_demo_prints(extra: list[str]) -> None:
    """`python examples/demo.py` and `parscore demo` print the same, with the same options."""
    script = _run([str(ROOT / "examples" / "demo.py"), *extra])
    command = _run(["-m", "parscore.cli", "demo", *extra])
    assert script == command
    assert "units of" in script
