"""``check`` lists the input columns a data table needs, in order, with what each holds."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from cli_issue12 import SCHEME
from click.testing import Result

import parscore as ps
from parscore.io.template import template_columns
from typed_scheme import SCHEME_YAML

ROW = re.compile(r"^│\s*(\d+) │ (\S+)\s+│ (.*?)\s+│ (.*?)\s+│(?: (.*?)\s+│)?$", re.MULTILINE)


def _rows(out: str) -> list[tuple[str, ...]]:
    return ROW.findall(out.split("Input columns")[1])


def test_check_lists_the_input_columns_in_order(run: Callable[..., Result]) -> None:
    result = run("check", SCHEME)
    assert result.exit_code == 0, result.output
    scheme = ps.builtin_scheme(SCHEME)
    rows = _rows(result.stdout)
    assert [r[1] for r in rows] == [name for name, _ in template_columns(scheme)]
    assert [int(r[0]) for r in rows] == list(range(1, len(rows) + 1))
    holds = {r[1]: r[3] for r in rows}
    assert holds["1.1.1"] == "one of kip_thoi, khong_kip_thoi, khong_ban_hanh"
    assert holds["1.2:du_so_luong"] == "yes/no (1/0, có/không)"
    assert holds["1.5:hoan_thanh"] == "a whole number (count)"
    assert holds["8.3.2"] == "a percentage 0–100"
    assert f"Input columns (cột số liệu), {len(rows)}, in this order" in result.stdout


def test_check_says_which_type_each_column_is_for(
    run: Callable[..., Result], tmp_path: Path
) -> None:
    scheme_file = tmp_path / "typed.yaml"
    scheme_file.write_text(SCHEME_YAML, encoding="utf-8")
    result = run("check", scheme_file)
    assert result.exit_code == 0, result.output
    rows = _rows(result.stdout)
    scheme = ps.load_scheme(scheme_file)
    assert [r[1] for r in rows] == [name for name, _ in template_columns(scheme)]
    types = {r[1]: r[4] for r in rows}
    assert types["3.1"] == "all"
    assert types["8.1:dung_han"] == "huyen"
    assert types["8.2:loa"] == "huyen"
    assert types["loai_don_vi"] == "all"
    holds = {r[1]: r[3] for r in rows}
    assert holds["loai_don_vi"] == "one of so, huyen"
    assert holds["adj:vi_pham"] == "a count × 0.5; empty if none"
    assert holds["cap:ky_luat"] == "yes/no: yes caps the tier at Khá; empty is no"
