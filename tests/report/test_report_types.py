"""The HTML report and the notebook views with unit types, tier caps, quotas and items.

The scheme (tests/data/types_caps_quotas.yaml) has sở (so) and huyện (huyen) units, a scale
per type (huyen's Xuất sắc has a 20 % quota), a yes/no cap, a node cap and named items.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path

import numpy as np
import pytest
from test_report_html import _parse

import parscore as ps
from parscore.datasets import example_data, synthetic_scheme
from parscore.report import render_report

SCHEME = Path(__file__).resolve().parent.parent / "data" / "types_caps_quotas.yaml"
DATE = dt.date(2026, 12, 31)

# unit: type, 3.1, dung_han (of 100), cong_thong_tin, cap:ky_luat, adj:sang_kien, adj:vi_pham
UNITS = {
    "s1": ("so", 1, None, None, 0, 0, 0),
    "s2": ("so", 1, None, None, 1, 0, 0),  # capped: Khá
    "s3": ("so", 0, None, None, 0, 1, 0),  # a bonus item
    "h1": ("huyen", 1, 95, 1, 0, 0, 0),  # 100: Xuất sắc, the quota keeps it
    "h2": ("huyen", 1, 95, 1, 0, 0, 1),  # 92.86: moved by the quota; a penalty item
    "h3": ("huyen", 1, 80, 0, 0, 0, 0),
    "h4": ("huyen", 0, 95, 1, 0, 0, 0),  # field 3 below 50: the node cap holds
    "h5": ("huyen", 1, 10, 0, 0, 0, 0),
}


def _table(
    units: dict[str, tuple[str, int, int | None, int | None, int, int, int]],
) -> dict[str, list[object]]:
    rows = list(units.values())
    huyen = [u[0] == "huyen" for u in rows]
    return {
        "unit_id": list(units),
        "loai_don_vi": [u[0] for u in rows],
        "3.1": [u[1] for u in rows],
        "8.1:dung_han": [u[2] for u in rows],
        "8.1:tong_so": [100 if h else None for h in huyen],
        "8.2:cong_thong_tin": [u[3] for u in rows],
        "8.2:bang_tin": [0 if h else None for h in huyen],
        "8.2:loa": [0 if h else None for h in huyen],
        "cap:ky_luat": [u[4] for u in rows],
        "adj:sang_kien": [u[5] for u in rows],
        "adj:vi_pham": [u[6] for u in rows],
    }


@pytest.fixture(scope="module")
def typed() -> ps.Result:
    result = ps.score(ps.load_scheme(SCHEME), _table(UNITS))
    # the case the tests read: 5 huyện, floor(0.2 × 5) = 1 Xuất sắc
    assert dict(zip(result.unit_ids, result.tier, strict=True)) == {
        "s1": "Tốt",
        "s2": "Khá",
        "s3": "Yếu",
        "h1": "Xuất sắc",
        "h2": "Tốt",
        "h3": "Khá",
        "h4": "Khá",
        "h5": "Khá",
    }
    return result


def _section(text: str, section: str) -> str:
    found = re.search(f'<section id="{section}">(.*?)</section>', text, re.S)
    assert found is not None, section
    return found.group(1)


def test_one_tier_table_per_type_with_its_scale(typed: ps.Result) -> None:
    """Each type has its own tier table: its scale's tiers, ranges and its units' counts."""
    text = render_report(typed, date=DATE, plots=False)
    page = _parse(_section(text, "tiers"))
    rows = page.table_rows["tiers"]
    assert [r[0] for r in rows] == ["Tốt", "Khá", "Yếu", "Xuất sắc", "Tốt", "Khá"]
    assert [r[2] for r in rows] == ["1", "1", "1", "1", "1", "3"]
    assert rows[0][1] == "trên 80"
    assert rows[3][1] == "từ 90; tối đa 20 % số đơn vị"
    body = " ".join(page.text)
    assert "UBND cấp huyện (huyen)" in body
    assert "so" in body


def test_ranking_within_type_marks_caps_and_quota_moves(typed: ps.Result) -> None:
    """The ranking restarts per type; capped and quota-moved tiers carry a mark and a legend."""
    text = render_report(typed, date=DATE, plots=False)
    page = _parse(text)
    rows = [r for r in page.table_rows["ranking"] if len(r) > 1]
    heads = [r[0] for r in page.table_rows["ranking"] if len(r) == 1]
    assert heads == ["Loại đơn vị type so", "Loại đơn vị type UBND cấp huyện (huyen)"]
    assert [r[1] for r in rows] == ["s1", "s2", "s3", "h1", "h2", "h3", "h5", "h4"]
    assert [r[0] for r in rows].count("1") == 3  # s1 and s2 tie at 100 (so), h1 (huyen)
    tier = {r[1]: r[-1] for r in rows}
    assert tier["s2"] == "Khá*"
    assert tier["h2"] == "Tốt†"
    assert tier["s1"] == "Tốt"
    ranking = _section(text, "ranking")
    assert "capped: Người đứng đầu bị kỷ luật → Khá" in ranking
    assert "moved by quota" in ranking


def test_caps_quotas_and_items_sections(typed: ps.Result) -> None:
    """The caps and quotas each list the units they held and moved; items list their units."""
    text = render_report(typed, date=DATE, plots=False)
    caps = _parse(_section(text, "caps"))
    assert caps.table_rows["caps"] == [
        ["Người đứng đầu bị kỷ luật", "cột cap:ky_luat", "Khá", "1", "1"],
        ["Lĩnh vực TTHC dưới 50%", "chỉ số thành phần 3 dưới 50", "Khá", "2", "0"],
    ]
    assert caps.table_rows["quotas"] == [
        ["UBND cấp huyện (huyen)", "Xuất sắc", "20 %", "2", "1", "1"]
    ]
    items = _parse(_section(text, "adjustments"))
    assert [r[0] for r in items.table_rows["items"]] == [
        "Sáng kiến CCHC được công nhậnadj:sang_kien",
        "Vi phạm kỷ luật hành chínhadj:vi_pham",
    ]
    assert items.table_rows["items"][1][2] == "0,5 điểm mỗi lần; tối đa 2"
    assert items.table_rows["item-units"] == [["s3", "1,00", "·"], ["h2", "·", "0,50"]]


def test_changes_compare_tiers_in_each_types_scale(typed: ps.Result) -> None:
    """Against last year's typed result: tier moves counted in each unit's own scale."""
    before = dict(UNITS)
    before["s3"] = ("so", 1, None, None, 0, 0, 0)  # Tốt last year, Yếu now: down
    before["h3"] = ("huyen", 1, 10, 0, 0, 0, 0)  # Khá both years (ties with h5 last year)
    previous = ps.score(typed.scheme, _table(before))
    text = render_report(typed, previous=previous, date=DATE, plots=False)
    page = _parse(text)
    assert "changes" in page.ids
    moves = page.table_rows["moves"]
    assert [r[0] for r in moves] == ["Xuất sắc", "Tốt", "Khá", "Yếu"]
    assert moves[1][4] == "1"  # s3: Tốt → Yếu
    cards = {
        k: int(v)
        for v, k in re.findall(r'<div class="v">(\d+)</div><div class="k">([^<]+?) <', text)
    }
    assert cards["Lên loại"] == 0
    assert cards["Xuống loại"] == 1


def test_report_plots_one_histogram_per_type(typed: ps.Result) -> None:
    """With matplotlib, each type's tier distribution gets its own histogram, ids distinct."""
    pytest.importorskip("matplotlib")
    text = render_report(typed, date=DATE)
    tiers = _parse(_section(text, "tiers"))
    assert tiers.tags.count("svg") == 2
    ids = [v for tag, name, v in _parse(text).attrs if name == "id"]
    assert len(ids) == len(set(ids))


def test_v1_report_has_no_type_cap_or_item_sections() -> None:
    """A v1 scheme's report keeps its v1 sections and one tier table."""
    scheme = synthetic_scheme()
    result = ps.score(scheme, example_data(scheme, 30, seed=1))
    page = _parse(render_report(result, date=DATE, plots=False))
    assert "caps" not in page.ids
    assert "adjustments" not in page.ids
    assert len(page.table_rows["tiers"]) == len(scheme.tiers.scale)
    assert not [r for r in page.table_rows["ranking"] if len(r) == 1]


def test_notebook_views_show_types_caps_and_items(typed: ps.Result) -> None:
    """Result and Scheme _repr_html_ work with a scale per type and show the types."""
    text = typed._repr_html_()
    page = _parse(text)
    assert "type" in page.text
    rows = page.table_rows["table"]
    tier = {r[1]: r for r in rows}
    assert tier["s2"][2] == "so"
    assert tier["s2"][-1] == "Khá*"
    assert tier["h2"][-1] == "Tốt†"
    body = re.sub(r"\s+", " ", " ".join(page.text))
    assert "so Tốt: 1 · Khá: 1 · Yếu: 1" in body
    assert "huyen Xuất sắc: 1 · Tốt: 1 · Khá: 3" in body
    assert "moved by quota" in body
    scheme_text = html.unescape(re.sub(r"<[^>]+>", "", typed.scheme._repr_html_()))
    assert "unit types so, huyen (UBND cấp huyện)" in scheme_text
    assert "tiers of huyen Xuất sắc ≥ 90 (quota 20 %)" in scheme_text
    assert "cap Lĩnh vực TTHC dưới 50% (node 3 below 50): at most Khá" in scheme_text
    assert "penalty Vi phạm kỷ luật hành chính (0.5 per case, max 2)" in scheme_text
    assert np.all(typed.rank >= 1)
