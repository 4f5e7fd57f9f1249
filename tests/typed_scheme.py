"""A small scheme using every addition of DESIGN §7a, and data whose results are known by hand.

Shared by tests/test_result_types.py and tests/test_cli_types.py.

Units (index = total / max × 100; sở max 4 — field 8 is for huyện only; huyện max 7):

- S1 (sở): 4 + bonus 1 (item sang_kien 1) → 4 of 4 (total kept within max) = 100 → Tốt.
- S2 (sở, written "SO"): 0, penalty 0.5 (vi_pham 1 × 0.5) → 0 → Yếu; the node cap on field 3
  (0 % < 50 %) holds but Yếu is already below Khá.
- H1 (huyện): 4 + 3, bonus 0.5 → 7 of 7 = 100 → Xuất sắc by the scale; H3 ties it at rank 1,
  the quota 20 % of 5 = 1 is exceeded by both, so both move to Tốt.
- H2 (huyện, written by name): 4 + 2 = 6 → 85.71 → Tốt by the scale; cap ky_luat → Khá.
- H4: 0 + 3 = 3 → 42.86 → Khá; field 3 at 0 % holds the node cap (already Khá).
- H5: 4 + 1 (8.1 at 50 %: 0), penalty 2 × 0.5 = 1 → 4 → 57.14 → Khá.
"""

from __future__ import annotations

from typing import Any

import parscore as ps

SCHEME_YAML = """\
parscore: 1
id: typed-test
name: Thử các bổ sung
unit_types:
  column: loai_don_vi
  types: [so, {id: huyen, name: UBND cấp huyện}]
tiers:
  by_type:
    so:    {basis: index, scale: [{name: Tốt, above: 80}, {name: Khá, min: 65},
                                  {name: Yếu, min: 0}]}
    huyen: {basis: index, scale: [{name: Xuất sắc, min: 90, quota: 0.2}, {name: Tốt, min: 80},
                                  {name: Khá, min: 0}]}
  caps:
    - {id: ky_luat, name: Người đứng đầu bị kỷ luật, at_most: Khá}
    - {id: tthc_yeu, name: Lĩnh vực TTHC dưới 50%, node: "3", index_below: 50, at_most: Khá}
nodes:
  - id: "3"
    name: TTHC
    children:
      - {id: "3.1", name: Công khai TTHC, max: 4, rule: {kind: yes_no}}
  - id: "8"
    name: Tác động của CCHC
    applies_to: [huyen]
    children:
      - id: "8.1"
        name: Tỷ lệ hồ sơ giải quyết đúng hạn
        max: 2
        rule: {kind: bands, inputs: [dung_han, tong_so], when_empty: full,
               bands: [{ge: 90, points: 2}, {ge: 70, lt: 90, points: 1}], otherwise: 0}
      - id: "8.2"
        name: Có một trong các hình thức công khai
        max: 1
        rule: {kind: yes_no, inputs: [cong_thong_tin, bang_tin, loa], need: any}
adjustments:
  bonus: {max: 2}
  penalty: {max: 3}
  items:
    - {id: sang_kien, name: Sáng kiến CCHC được công nhận, sign: bonus, max: 1}
    - {id: vi_pham, name: Vi phạm kỷ luật hành chính, sign: penalty, per: 0.5, max: 2}
"""

UNITS = ["S1", "S2", "H1", "H2", "H3", "H4", "H5"]


def typed_scheme() -> ps.Scheme:
    return ps.loads_scheme(SCHEME_YAML, format="yaml")


def typed_data() -> dict[str, list[Any]]:
    """Columns of the seven units above (sở leave field 8 empty: it is not theirs)."""
    return {
        "unit_id": list(UNITS),
        "ten": ["Sở A", "Sở B", "Huyện 1", "Huyện 2", "Huyện 3", "Huyện 4", "Huyện 5"],
        "loai_don_vi": ["so", "SO", "huyen", "UBND cấp huyện", "huyen", "huyen", "huyen"],
        "3.1": [1, 0, 1, 1, 1, 0, 1],
        "8.1:dung_han": [None, None, 95, 80, 100, 90, 50],
        "8.1:tong_so": [None, None, 100, 100, 100, 100, 100],
        "8.2:cong_thong_tin": [None, None, 1, 0, 1, 1, 1],
        "8.2:bang_tin": [None, None, 0, 0, 1, 1, 1],
        "8.2:loa": [None, None, 0, 1, 1, 1, 1],
        "cap:ky_luat": [0, 0, 0, 1, 0, 0, 0],
        "adj:sang_kien": [1, 0, 0.5, 0, 0, 0, 0],
        "adj:vi_pham": [0, 1, 0, 0, 0, 0, 2],
    }


def write_csv(path: Any, data: dict[str, list[Any]]) -> None:
    """The columns as a CSV file (None: an empty cell)."""
    import csv

    names = list(data)
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(names)
        for i in range(len(data["unit_id"])):
            writer.writerow(["" if data[c][i] is None else data[c][i] for c in names])
