"""Output files of the command line: never an input, nor an existing file without --force.

Written through a temporary file renamed into place; an OS error is one line, not a
traceback (issue 11).
"""

from __future__ import annotations

import errno
import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

import parscore as ps
from parscore.cli import main

EXAMPLE = Path(__file__).parent.parent.parent / "examples" / "communes-2026.csv"
SCHEME = "example-commune-2026"


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture
def data(tmp_path: Path) -> Path:
    path = tmp_path / "in.csv"
    shutil.copy(EXAMPLE, path)
    return path


def _one_error_line(result: Result, *needles: str) -> None:
    """Exit 1, a single ``Error: …`` line naming *needles*, no traceback."""
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit)
    lines = [line for line in result.output.splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("Error: ")]
    assert len(errors) == 1, result.output
    for needle in needles:
        assert needle in errors[0], result.output
    assert "Traceback" not in result.output


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if ".part" in p.name)


# -- never an input ---------------------------------------------------------------------------


@pytest.mark.parametrize("force", [[], ["--force"]])
def test_score_refuses_to_overwrite_its_data(data: Path, force: list[str]) -> None:
    """`-o` naming the data file: refused even with --force, the data unchanged."""
    before = data.read_bytes()
    result = run("score", SCHEME, data, "-o", data, *force)
    _one_error_line(result, "input")
    assert data.read_bytes() == before
    assert "Ranking" not in result.output  # refused before the scoring


def test_score_refuses_a_symlink_to_its_data(data: Path) -> None:
    """`-o link.csv` where link.csv points at the data: refused, even with --force."""
    link = data.with_name("link.csv")
    link.symlink_to(data.name)
    before = data.read_bytes()
    _one_error_line(run("score", SCHEME, data, "-o", link, "--force"), "input")
    _one_error_line(run("score", SCHEME, link, "-o", data, "--force"), "input")
    assert data.read_bytes() == before
    assert link.is_symlink()


def test_score_refuses_the_data_by_another_path(data: Path) -> None:
    """`-o ../folder/in.csv` and a hard link are the data too."""
    other = data.parent / ".." / data.parent.name / data.name
    _one_error_line(run("score", SCHEME, data, "-o", other, "--force"), "input")
    hard = data.with_name("hard.csv")
    os.link(data, hard)
    _one_error_line(run("score", SCHEME, data, "-o", hard, "--force"), "input")


def test_score_refuses_to_overwrite_its_scheme(data: Path, tmp_path: Path) -> None:
    """`-o scheme.json` where scheme.json is the SCHEME: refused, even with --force."""
    scheme = tmp_path / "scheme.json"
    ps.dump_scheme(ps.builtin_scheme(SCHEME), scheme)
    before = scheme.read_bytes()
    _one_error_line(run("score", scheme, data, "-o", scheme, "--force"), "input")
    assert scheme.read_bytes() == before


def test_report_refuses_its_inputs(data: Path, tmp_path: Path) -> None:
    """`report -o` naming --previous (an .html data file cannot be; a link named .html can)."""
    link = tmp_path / "prev.html"
    link.symlink_to(data)
    _one_error_line(run("report", SCHEME, data, "-o", link, "--previous", data, "--force"), "input")


# -- never an existing file without --force -----------------------------------------------------

COMMANDS: dict[str, Callable[[Path], list[str | Path]]] = {
    "score": lambda out: ["score", SCHEME, EXAMPLE, "-o", out],
    "template": lambda out: ["template", SCHEME, "-o", out],
    "schema": lambda out: ["schema", "-o", out],
    "report": lambda out: ["report", SCHEME, EXAMPLE, "-o", out],
}
SUFFIX = {"score": ".csv", "template": ".xlsx", "schema": ".json", "report": ".html"}


@pytest.mark.parametrize("command", list(COMMANDS))
def test_existing_output_needs_force(command: str, tmp_path: Path) -> None:
    """An existing file is kept without --force (exit 1 saying so), replaced with it."""
    if command == "report":
        pytest.importorskip("matplotlib")
    if command == "template":
        pytest.importorskip("openpyxl")
    out = tmp_path / f"out{SUFFIX[command]}"
    out.write_text("keep me", encoding="utf-8")
    result = run(*COMMANDS[command](out))
    _one_error_line(result, str(out), "--force")
    assert out.read_text(encoding="utf-8") == "keep me"
    result = run(*COMMANDS[command](out), "--force")
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8", errors="replace") != "keep me"
    assert _leftovers(tmp_path) == []


def test_demo_out_needs_force(tmp_path: Path) -> None:
    """`demo --out` refuses a folder holding results.csv without --force, before scoring."""
    folder = tmp_path / "out"
    assert run("demo", "--units", "30", "--out", folder).exit_code == 0
    (folder / "results.json").write_text("keep me", encoding="utf-8")
    result = run("demo", "--units", "30", "--out", folder)
    _one_error_line(result, "results.csv", "--force")
    assert (folder / "results.json").read_text(encoding="utf-8") == "keep me"
    assert "Ranking" not in result.output
    assert run("demo", "--units", "30", "--out", folder, "--force").exit_code == 0
    assert json.loads((folder / "results.json").read_text(encoding="utf-8"))["units"]


def test_a_new_file_has_the_usual_permissions(tmp_path: Path) -> None:
    """The renamed temporary file gets the umask's permissions, not mkstemp's 0600."""
    mask = os.umask(0o022)
    try:
        out = tmp_path / "r.csv"
        assert run("score", SCHEME, EXAMPLE, "-o", out).exit_code == 0
    finally:
        os.umask(mask)
    assert out.stat().st_mode & 0o777 == 0o644
    out.chmod(0o600)
    assert run("score", SCHEME, EXAMPLE, "-o", out, "--force").exit_code == 0
    assert out.stat().st_mode & 0o777 == 0o600  # a replaced file keeps its permissions


# -- OS errors: one line ----------------------------------------------------------------------


@pytest.mark.parametrize("command", list(COMMANDS))
def test_a_missing_folder_is_one_line(command: str, tmp_path: Path) -> None:
    """`-o missing/out.x`: exit 1, one line naming the folder, no traceback."""
    if command == "report":
        pytest.importorskip("matplotlib")
    if command == "template":
        pytest.importorskip("openpyxl")
    out = tmp_path / "missing" / f"out{SUFFIX[command]}"
    _one_error_line(run(*COMMANDS[command](out)), "does not exist", str(out.parent))


def test_schema_to_a_bad_path_is_one_line(tmp_path: Path) -> None:
    """`schema -o` to a path under a file, and under /proc: one line each."""
    (tmp_path / "file").write_text("x", encoding="utf-8")
    _one_error_line(run("schema", "-o", tmp_path / "file" / "s.json"), "cannot write")
    if Path("/proc/self").exists():
        _one_error_line(run("schema", "-o", "/proc/s.json"), "cannot write")


def test_a_permission_error_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No permission to create the file: exit 1, "permission denied", no traceback."""
    import tempfile

    def refuse(*_args: object, **_kwargs: object) -> tuple[int, str]:
        raise PermissionError(errno.EACCES, "Permission denied", str(tmp_path / ".r.x.csv"))

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    _one_error_line(run("score", SCHEME, EXAMPLE, "-o", tmp_path / "r.csv"), "permission denied")


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root may write anywhere"
)
def test_a_read_only_folder_is_one_line(tmp_path: Path) -> None:
    """A real read-only folder (as a non-root user)."""
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        _one_error_line(run("schema", "-o", folder / "s.json"), "permission denied")
    finally:
        folder.chmod(0o755)


def test_a_failed_write_leaves_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A writer failing half-way (a full disk): the old file is intact, no temporary left."""
    from parscore.io import tables

    def half(_result: object, path: Path, **_kwargs: object) -> Path:
        Path(path).write_text("half", encoding="utf-8")
        raise OSError(errno.ENOSPC, "No space left on device")

    out = tmp_path / "r.csv"
    out.write_text("old", encoding="utf-8")
    monkeypatch.setattr(tables, "write_result", half)
    result = run("score", SCHEME, EXAMPLE, "-o", out, "--force")
    _one_error_line(result, "cannot write", "no space left on device")
    assert out.read_text(encoding="utf-8") == "old"
    assert _leftovers(tmp_path) == []
