"""Example data of the built-in scheme ``example-province-2026``: 20 sở, ban, ngành and 9 huyện.

The unit names are those of a province's departments before 2025 and invented districts; the
numbers are synthetic. The data is made so that the demo shows every addition of the scheme:
results in every tier of both scales, a head disciplined (``cap:ky_luat``) and a weak
administrative-procedures field each lowering a unit's tier, the Xuất sắc quota of the huyện
moving units down, and named bonus and penalty items with their caps reached.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from parscore.compile import compile_scheme
from parscore.rules import example_values, option_names_of
from parscore.typing import FloatArray

__all__ = ["PROVINCE_SCHEME", "example_province_data"]

ObjectArray = npt.NDArray[np.object_]

PROVINCE_SCHEME = "example-province-2026"
"""The id of the built-in scheme this data is for."""

# (unit id, name, latent quality): the quality drives every input of the unit, with noise.
_SO: tuple[tuple[str, str, float], ...] = (
    ("so-noi-vu", "Sở Nội vụ", 1.9),
    ("so-tu-phap", "Sở Tư pháp", 1.5),
    ("so-ke-hoach-dau-tu", "Sở Kế hoạch và Đầu tư", 1.2),
    ("so-tai-chinh", "Sở Tài chính", 1.6),  # the head disciplined: capped at Khá
    ("so-cong-thuong", "Sở Công Thương", 0.6),
    ("so-nong-nghiep", "Sở Nông nghiệp và Phát triển nông thôn", 0.3),
    ("so-giao-thong", "Sở Giao thông vận tải", -0.4),
    ("so-xay-dung", "Sở Xây dựng", -0.1),
    ("so-tai-nguyen", "Sở Tài nguyên và Môi trường", 2.6),  # weak procedures field: capped
    ("so-thong-tin", "Sở Thông tin và Truyền thông", 1.0),
    ("so-lao-dong", "Sở Lao động – Thương binh và Xã hội", 0.2),
    ("so-van-hoa", "Sở Văn hoá, Thể thao và Du lịch", -0.8),
    ("so-khoa-hoc", "Sở Khoa học và Công nghệ", 0.8),
    ("so-giao-duc", "Sở Giáo dục và Đào tạo", 0.4),
    ("so-y-te", "Sở Y tế", -1.2),
    ("so-ngoai-vu", "Sở Ngoại vụ", -2.4),
    ("thanh-tra-tinh", "Thanh tra tỉnh", 0.0),
    ("van-phong-ubnd", "Văn phòng UBND tỉnh", 1.3),
    ("ban-dan-toc", "Ban Dân tộc", -1.7),
    ("ban-quan-ly-kkt", "Ban Quản lý Khu kinh tế", -0.6),
)
_HUYEN: tuple[tuple[str, str, float], ...] = (
    ("tp-hoa-an", "UBND thành phố Hoà An", 2.6),
    ("tx-phu-lam", "UBND thị xã Phú Lâm", 2.4),
    ("h-tan-my", "UBND huyện Tân Mỹ", 2.2),
    ("h-loc-son", "UBND huyện Lộc Sơn", 1.3),  # the head disciplined: capped at Khá
    ("h-thuan-giang", "UBND huyện Thuận Giang", 0.9),
    ("h-kim-dien", "UBND huyện Kim Điền", 0.3),
    ("h-my-lam", "UBND huyện Mỹ Lâm", -0.4),
    ("h-vinh-thanh", "UBND huyện Vĩnh Thạnh", -1.3),
    ("h-cao-phong", "UBND huyện Cao Phong", -2.4),
)
_DISCIPLINED = ("so-tai-chinh", "h-loc-son")
# A good department whose administrative-procedures field (3) earns 12.75 of 26 points
# (49.04 %, below the cap's 50 %): list published on time 4, made public 3, 85 % of dossiers
# on time 0, 75 % of complaints settled 3.75, four late dossiers without apology 4 − 2.
_WEAK_PROCEDURES: dict[str, dict[str, float | str]] = {
    "so-tai-nguyen": {
        "3.1": "kip_thoi",
        "3.2:cong_dich_vu_cong": 1.0,
        "3.2:niem_yet": 0.0,
        "3.2:trang_thong_tin": 0.0,
        "3.3:dung_han": 1105.0,
        "3.3:da_giai_quyet": 1300.0,
        "3.4:da_xu_ly": 15.0,
        "3.4:tiep_nhan": 20.0,
        "3.5": 4.0,
    }
}

# Two-count leaves: (typical count of the denominator, rate of a unit of quality 0 … 1 is
# floor + (1 - floor) × quality). Real on-time rates sit in the nineties.
_COUNTS: dict[str, tuple[float, float]] = {
    "1.2": (30.0, 0.45),  # tasks of the plan
    "2.2": (3.0, 0.4),  # legal documents assigned (often 0: full points)
    "3.3": (900.0, 0.8),  # dossiers settled
    "3.4": (25.0, 0.6),  # complaints received
    "6.3": (4.0, 0.3),  # public service units (0: not applicable)
    "7.1": (1500.0, 0.7),  # outgoing documents
    "7.2": (900.0, 0.25),  # dossiers received online end to end
    "8.1": (4000.0, 0.6),  # dossiers of the communes
}
# Named items written for some units (id -> value: points for sang_kien, counts otherwise),
# so that each cap is reached by someone; other units draw theirs.
_ITEMS: dict[str, dict[str, float | str]] = {
    "tp-hoa-an": {"adj:sang_kien": 1.5, "adj:khen_thuong": 2.0},  # bonus 2.5, capped at 2
    "so-noi-vu": {"adj:sang_kien": 1.0, "adj:khen_thuong": 3.0},  # khen_thuong capped at 1
    "so-ngoai-vu": {"adj:vi_pham": 5.0, "adj:bao_cao_tre": 6.0},  # penalty 3.5, capped at 3
    "h-cao-phong": {"adj:vi_pham": 2.0, "adj:bao_cao_tre": 7.0},  # bao_cao_tre capped at 1.5
    "so-tai-nguyen": {"adj:sang_kien": 0.5, "adj:vi_pham": 0.0, "adj:bao_cao_tre": 0.0},
}


_BASE = 1.5  # the performance of a unit of quality 0 is sigmoid(_BASE) before noise


def _sigmoid(x: FloatArray) -> FloatArray:
    out: FloatArray = 1.0 / (1.0 + np.exp(-x))
    return out


def example_province_data(*, seed: int = 2026) -> dict[str, FloatArray | ObjectArray]:
    """Example measurements for the built-in scheme ``example-province-2026`` (29 units).

    Twenty sở, ban, ngành and nine huyện (invented names) with a ``STT`` and a ``ten_don_vi``
    label column, the type column ``loai_don_vi`` (``so`` / ``huyen``), every input of the
    scheme (the cells of criteria that do not apply to a unit's type are empty), the tier cap
    column ``cap:ky_luat`` and the named bonus and penalty items ``adj:…``. A latent quality
    per unit drives its inputs, so with the default seed the results fall in every tier of
    both scales, two heads disciplined and one weak administrative-procedures field each
    lower a unit's tier, two huyện reach Xuất sắc beyond its 20 % quota, and the bonus and
    penalty caps are reached. Other seeds change the noise, not the design.

    Args:
        seed: Seed of the :class:`numpy.random.Generator`; the same seed always gives the
            same data.

    Returns:
        Columns by name, in order: ``STT``, ``unit_id``, ``ten_don_vi``, ``loai_don_vi``
        (object arrays), every input column of the scheme (float64; choice options as option
        names, object arrays), ``cap:ky_luat`` and the ``adj:`` columns (float64). Ready for
        :func:`parscore.score` or ``pandas.DataFrame``.

    .. versionadded:: 0.2
    """
    from parscore.io.builtin import builtin_scheme

    scheme = builtin_scheme(PROVINCE_SCHEME)
    compiled = compile_scheme(scheme)
    units = [(*u, "so") for u in _SO] + [(*u, "huyen") for u in _HUYEN]
    n = len(units)
    ids = np.array([u[0] for u in units], dtype=object)
    types = np.array([u[3] for u in units], dtype=object)
    quality = np.array([u[2] for u in units], dtype=np.float64)
    rng = np.random.default_rng(seed)
    size = np.exp(rng.normal(0.0, 0.4, size=n))  # a unit's workload relative to the typical
    out: dict[str, FloatArray | ObjectArray] = {
        "STT": np.array([str(i + 1) for i in range(n)], dtype=object),
        "unit_id": ids,
        "ten_don_vi": np.array([u[1] for u in units], dtype=object),
        "loai_don_vi": types,
    }
    for leaf, node_id in enumerate(compiled.leaf_ids):
        node = scheme.node(node_id)
        rule = node.rule
        assert rule is not None  # leaves have rules
        difficulty = rng.normal(0.0, 0.4)
        perf = _sigmoid(_BASE + 0.9 * quality - difficulty + 0.5 * rng.standard_normal(n))
        if node_id in _COUNTS:
            typical, floor = _COUNTS[node_id]
            den = rng.poisson(typical * size).astype(np.float64)
            num = rng.binomial(den.astype(np.int64), floor + (1.0 - floor) * perf)
            values: FloatArray = np.stack([num.astype(np.float64), den])
        else:
            made = example_values(rule, rng, perf, node.max, 100.0 * size)
            assert made is not None  # every built-in rule makes example values
            values = made
        applies = np.array([scheme.applies(node_id, str(t)) for t in types])
        names = option_names_of(rule)
        start = int(compiled.leaf_col_start[leaf])
        keys = compiled.columns[start : start + len(rule.inputs)]
        for key, column in zip(keys, values, strict=True):
            if names:  # options by name, as officials write them
                cells = np.array([names[int(v)] for v in column], dtype=object)
                cells[~applies] = None
                out[key] = cells
            else:
                out[key] = np.where(applies, column, np.nan)
    out["cap:ky_luat"] = np.isin(ids, _DISCIPLINED).astype(np.float64)
    for item in scheme.adjustments.items:
        draw = rng.random(n)
        if item.per is not None:
            amount = rng.integers(1, 3, size=n).astype(np.float64)
        else:
            amount = np.ceil(rng.uniform(0.0, 1.0, size=n) * 4.0) / 4.0
        rate = 0.25 if item.sign == "bonus" else 0.2
        out[item.column] = np.where(draw < rate, amount, 0.0)
    for table in (_WEAK_PROCEDURES, _ITEMS):
        for unit, written in table.items():
            (row,) = np.flatnonzero(ids == unit)
            for column, value in written.items():
                out[column][row] = value
    return out
