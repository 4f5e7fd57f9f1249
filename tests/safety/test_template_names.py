r"""Column names given to the template with control characters end in a ParscoreError.

Found by the command-line fuzz at 2,000 cases (issue 11): ``parscore template -o t.xlsx
--labels $'\\x1b[31mred'`` (or ``--unit-id``, ``--group``) let openpyxl's
``IllegalCharacterError`` escape as a traceback; ``parscore.io.template.write_template``
does the same. A control
character can reach a real command line, so the template must refuse such a name (a
``ParameterError`` naming it) or write it as the result writers do (``_x001B_``).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

import parscore as ps
from parscore.cli import main
from parscore.io.template import write_template

NAMES = [{"labels": ["a\x1bb"]}, {"unit_id": "id\x01"}, {"group": "g\x7f\x1b"}]


@pytest.mark.parametrize("names", NAMES)
def test_write_template_refuses_or_writes_control_characters(
    tmp_path: Path, names: dict[str, object]
) -> None:
    pytest.importorskip("openpyxl")
    scheme = ps.builtin_scheme("example-commune-2026")
    try:
        write_template(scheme, tmp_path / "t.xlsx", **names)  # type: ignore[arg-type]
    except ps.ParscoreError:
        pass
    except Exception as exc:  # the contract under test
        msg = f"{type(exc).__name__} escaped: {exc}"
        raise AssertionError(msg) from exc


@pytest.mark.parametrize("option", ["--labels", "--unit-id", "--group"])
def test_parscore_template_with_a_control_character(tmp_path: Path, option: str) -> None:
    pytest.importorskip("openpyxl")
    args = ["template", "example-commune-2026", "-o", str(tmp_path / "t.xlsx"), option, "x\x1by"]
    result = CliRunner().invoke(main, args)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code in (0, 1, 2)
    assert "Traceback" not in result.output
