r"""A report title that is not Unicode text ends in a ParscoreError, not a UnicodeEncodeError.

Found by the command-line fuzz at 2,000 cases (issue 11): ``parscore report … --title`` with
an undecodable byte (a Latin-1 terminal's ``\xff`` reaches Python's argv as the lone
surrogate ``\udcff``) renders, then fails writing the HTML with a traceback;
``write_report(result, path, title="\ud800")`` raises ``UnicodeEncodeError`` the same way.
The title must be refused (a ``ParameterError``, or exit 2 on the command line) or written.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

import parscore as ps
from parscore.cli import main

EXAMPLE = Path(__file__).resolve().parent.parent.parent / "examples" / "communes-2026.csv"


def test_write_report_with_a_surrogate_title(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    from parscore.report import write_report

    result = ps.score_file(ps.builtin_scheme("example-commune-2026"), EXAMPLE)
    try:
        write_report(result, tmp_path / "r.html", title="B\u00e1o c\u00e1o \ud800", plots=False)
    except ps.ParscoreError:
        pass
    except Exception as exc:  # the contract under test
        msg = f"{type(exc).__name__} escaped: {exc}"
        raise AssertionError(msg) from exc


def test_parscore_report_with_an_undecodable_title(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    out = tmp_path / "r.html"
    args = ["report", "example-commune-2026", str(EXAMPLE), "-o", str(out), "--title", "\udcff"]
    result = CliRunner().invoke(main, args)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code in (0, 1, 2)
    assert "Traceback" not in result.output
