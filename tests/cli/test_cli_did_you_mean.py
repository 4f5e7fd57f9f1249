"""Unknown unit and scheme ids get "did you mean"; ids typed in NFD match their NFC form."""

from __future__ import annotations

import csv
import unicodedata
from collections.abc import Callable
from pathlib import Path

from cli_issue12 import SCHEME, words
from click.testing import Result

import parscore as ps


def test_unknown_unit_is_told_the_closest_id(
    run: Callable[..., Result], districts_csv: Path
) -> None:
    result = run("explain", SCHEME, districts_csv, "phuong1")
    assert result.exit_code == 1
    assert "no unit 'phuong1'" in result.stderr
    assert "(did you mean 'phuong-1'?)" in result.stderr
    far = run("explain", SCHEME, districts_csv, "zzzzzzzz")
    assert far.exit_code == 1
    assert "did you mean" not in far.stderr


def test_unit_id_typed_in_nfd_matches_its_nfc_form(
    run: Callable[..., Result], tmp_path: Path
) -> None:
    data = tmp_path / "vi.csv"
    source = ps.builtin_scheme(SCHEME)
    example = Path(__file__).parent.parent.parent / "examples" / "communes-2026.csv"
    with example.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    rows[1][0] = "Xã An Bình"  # written in NFC in the file
    with data.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    typed = unicodedata.normalize("NFD", "Xã An Bình")
    assert typed != "Xã An Bình"
    result = run("explain", source.id, data, typed)
    assert result.exit_code == 0, result.output
    assert "Unit Xã An Bình" in words(result.stdout)
    near = run("explain", source.id, data, unicodedata.normalize("NFD", "xa an binh"))
    assert near.exit_code == 1
    assert "(did you mean 'Xã An Bình'?)" in near.stderr


def test_unknown_scheme_id_is_told_the_closest_built_in(
    run: Callable[..., Result], districts_csv: Path, tmp_path: Path
) -> None:
    typo = "example-comune-2026"
    for args in (
        ("check", typo),
        ("score", typo, districts_csv),
        ("explain", typo, districts_csv, "phuong-1"),
        ("template", typo, "-o", tmp_path / "t.csv"),
        ("report", typo, districts_csv, "-o", tmp_path / "r.html"),
        ("demo", "--scheme", typo),
    ):
        result = run(*args)
        assert result.exit_code == 2, (args, result.output)
        assert "did you mean 'example-commune-2026'?" in words(result.stderr), args


def test_scheme_id_in_nfd_is_the_built_in(run: Callable[..., Result]) -> None:
    """A built-in id with a letter typed apart from its accent (NFD) is still found."""
    assert run("check", unicodedata.normalize("NFD", SCHEME)).exit_code == 0
    from parscore.cli._inputs import builtin_by_id, closest

    assert builtin_by_id(unicodedata.normalize("NFD", SCHEME)) is not None
    assert closest(unicodedata.normalize("NFD", "Huyện Đông Giag"), ["Huyện Đông Giang"]) == (
        " (did you mean 'Huyện Đông Giang'?)"
    )
