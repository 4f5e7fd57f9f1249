"""The synthetic commune-level scheme of :mod:`parscore.datasets` (not any province's set)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from parscore.model import Node, Scheme, Tier, TierScale
from parscore.rules import Band, Bands, Choice, Deduction, Points, Ratio, Survey, YesNo
from parscore.typing import Rule

__all__ = ["FIELD_NAMES", "synthetic_scheme"]

FIELD_NAMES = (
    "Công tác chỉ đạo, điều hành CCHC",
    "Cải cách thể chế",
    "Cải cách thủ tục hành chính",
    "Cải cách tổ chức bộ máy hành chính",
    "Cải cách chế độ công vụ",
    "Cải cách tài chính công",
    "Xây dựng và phát triển chính quyền điện tử, chính quyền số",
    "Tác động của CCHC đến người dân, tổ chức và phát triển kinh tế – xã hội",
)
"""The eight national fields (lĩnh vực), in order."""

# Points of the eight fields (sum 100): field 8 carries most survey points, as in the national
# and provincial sets (roughly 30–40 of 100 points come from surveys).
_FIELD_POINTS = (8, 7, 14, 6, 8, 6, 13, 38)
# Relative number of criteria per field: field 3 (procedures) and 7 (e-government) are the
# largest in real sets.
_FIELD_SIZE = (5, 4, 7, 4, 5, 4, 7, 4)

_KINDS = (
    "yes_no",
    "yes_no_2",
    "choice",
    "bands",
    "ratio_2",
    "ratio_1",
    "deduction",
    "points",
    "survey",
)
# Probabilities of each kind (in _KINDS order) for a leaf of: an ordinary field; field 3
# (administrative procedures: counts of dossiers on time); field 8 (impact: surveys).
_MIX_GENERAL = (0.30, 0.06, 0.20, 0.17, 0.06, 0.06, 0.10, 0.05, 0.0)
_MIX_PROCEDURES = (0.15, 0.0, 0.10, 0.15, 0.35, 0.05, 0.15, 0.05, 0.0)
_MIX_IMPACT = (0.0, 0.0, 0.0, 0.0, 0.0, 0.25, 0.0, 0.20, 0.55)
# A leaf's share of its field's points grows with this weight (surveys weigh most).
_KIND_WEIGHT = {"survey": 3.0, "ratio_2": 2.0, "ratio_1": 1.5, "points": 1.5, "bands": 1.2}

_LEAF_NAMES = {
    "yes_no": (
        "Công khai thủ tục hành chính đúng quy định",
        "Thực hiện chế độ báo cáo định kỳ đầy đủ",
        "Tổ chức kiểm tra công tác CCHC",
        "Ban hành văn bản đúng thẩm quyền",
        "Cập nhật cơ sở dữ liệu đúng quy định",
    ),
    "yes_no_2": (
        "Báo cáo đủ số lượng và đúng thời gian quy định",
        "Kế hoạch đủ nội dung và đúng thời hạn",
    ),
    "choice": (
        "Ban hành kế hoạch kịp thời",
        "Ban hành kế hoạch tuyên truyền CCHC",
        "Ban hành kế hoạch rà soát văn bản",
    ),
    "bands": (
        "Mức độ hoàn thành kế hoạch",
        "Tỷ lệ nhiệm vụ hoàn thành đúng hạn",
        "Tỷ lệ văn bản được rà soát",
    ),
    "ratio_2": (
        "Tỷ lệ hồ sơ giải quyết đúng hạn",
        "Tỷ lệ phản ánh, kiến nghị được xử lý đúng hạn",
    ),
    "ratio_1": (
        "Tỷ lệ hồ sơ trực tuyến toàn trình (%)",
        "Tỷ lệ số hoá kết quả giải quyết TTHC (%)",
    ),
    "deduction": (
        "Văn bản, báo cáo trễ hạn",
        "Hồ sơ quá hạn không có văn bản xin lỗi",
    ),
    "points": (
        "Điểm do Hội đồng thẩm định chấm",
        "Tính sáng tạo trong triển khai nhiệm vụ CCHC",
    ),
    "survey": (
        "Mức độ hài lòng của người dân, tổ chức",
        "Đánh giá của cán bộ, công chức",
        "Tác động đến phát triển kinh tế – xã hội",
    ),
}
_BAND_EDGES = ((90.0, 70.0), (80.0, 50.0), (95.0, 80.0))
_SURVEY_OPTIONS = {"A": 100.0, "B": 60.0, "C": 20.0, "D": 0.0}
_TIMELINESS = ("kip_thoi", "khong_kip_thoi", "khong_ban_hanh")


def _split(total: int, weights: Sequence[float], minimum: int = 1) -> list[int]:
    """Split *total* into integers proportional to *weights*, each at least *minimum*."""
    n = len(weights)
    spare = total - minimum * n
    w = np.asarray(weights, dtype=np.float64)
    exact = spare * w / w.sum()
    out = np.floor(exact).astype(np.int64)
    # largest remainders first; ties by position, so the split is deterministic
    order = np.argsort(-(exact - out), kind="stable")
    out[order[: spare - int(out.sum())]] += 1
    return [int(x) + minimum for x in out]


def _bands_rule(max_points: float, variant: int) -> Rule:
    high, low = _BAND_EDGES[variant % len(_BAND_EDGES)]
    # "trên 90%: max / từ 70% – 90%: half / dưới 70%: 0"
    return Bands(
        bands=(Band(gt=high, points=max_points), Band(ge=low, le=high, points=max_points / 2)),
        otherwise=0.0,
    )


_RULES: dict[str, Callable[[float, int], Rule]] = {
    "yes_no": lambda _m, _v: YesNo(),
    "yes_no_2": lambda _m, _v: YesNo(inputs=("du_so_luong", "dung_han")),
    "choice": lambda m, _v: Choice(options=dict(zip(_TIMELINESS, (m, m / 2, 0.0), strict=True))),
    "bands": _bands_rule,
    "ratio_2": lambda _m, _v: Ratio(inputs=("on_time", "received"), when_empty="full"),
    "ratio_1": lambda _m, _v: Ratio(),
    "deduction": lambda _m, _v: Deduction(per=0.25, floor=0.0),
    "points": lambda _m, _v: Points(),
    "survey": lambda _m, _v: Survey(options=_SURVEY_OPTIONS),
}
"""How to build the rule of a synthetic leaf of each kind, from its max and a variant."""


def synthetic_scheme(
    *, n_fields: int = 8, n_criteria: int = 40, n_leaves: int = 200, seed: int = 0
) -> Scheme:
    """Build a synthetic, illustrative commune-level scheme (not any province's real set).

    The tree has *n_fields* fields named like the national list (1 "Công tác chỉ đạo, điều
    hành CCHC" … 8 "Tác động của CCHC …"; extra fields are "Lĩnh vực 9" …), *n_criteria*
    criteria spread over the fields, and *n_leaves* leaves: a criterion with one leaf is itself
    the leaf, otherwise it has sub-criteria ("3.2.1"). Leaves use every built-in rule kind in
    realistic proportions: ``yes_no`` (some the AND of two checks), ``choice`` timeliness
    (kịp thời = max, không kịp thời = max/2, không ban hành = 0), ``bands`` on rates ("trên 90%:
    max / từ 70% – 90%: max/2 / dưới 70%: 0"), ``ratio`` on two counts (``on_time`` /
    ``received``, a zero denominator earns full points) or on a percentage, ``deduction`` of
    0.25 per item, ``points`` given by the council, and ``survey`` answers A–D worth
    100/60/20/0 %. Field 3 favours counts of dossiers, field 8 surveys. Leaf maxima are
    multiples of 0.25 (finer when there are too many leaves) and the whole tree is 100 points.
    Tiers: Tốt ≥ 80, Khá ≥ 70, Trung bình ≥ 50, Yếu ≥ 0.

    Args:
        n_fields: Number of fields (top-level nodes), at least 1.
        n_criteria: Number of criteria, at least *n_fields*.
        n_leaves: Number of leaves, at least *n_criteria* and at most 10,000.
        seed: Seed of the random choices (rule kinds, points, band edges); the same arguments
            always give the same scheme (and fingerprint).

    Returns:
        The scheme; its ``notes`` say it is synthetic.

    Raises:
        ValueError: when the sizes are inconsistent.

    .. versionadded:: 0.1
    """
    if n_fields < 1 or n_criteria < n_fields or n_leaves < n_criteria:
        msg = (
            f"need 1 ≤ n_fields ≤ n_criteria ≤ n_leaves; found n_fields={n_fields}, "
            f"n_criteria={n_criteria}, n_leaves={n_leaves}"
        )
        raise ValueError(msg)
    rng = np.random.default_rng(seed)
    if n_fields == len(FIELD_NAMES):
        names: tuple[str, ...] = FIELD_NAMES
        field_points: tuple[int, ...] = _FIELD_POINTS
        sizes: tuple[int, ...] = _FIELD_SIZE
    else:
        names = tuple(
            FIELD_NAMES[i] if i < len(FIELD_NAMES) else f"Lĩnh vực {i + 1}" for i in range(n_fields)
        )
        field_points = tuple(_split(100, [1.0] * n_fields, minimum=0))
        sizes = tuple([1] * n_fields)
    criteria_per_field = _split(n_criteria, sizes)
    extra = _split(n_leaves - n_criteria, criteria_per_field, minimum=0)
    leaves_per_field = [c + e for c, e in zip(criteria_per_field, extra, strict=True)]
    # uneven within a field: some criteria are leaves themselves, others have many sub-criteria
    leaves_per_criterion = [
        k
        for n_crit, n_field_leaves in zip(criteria_per_field, leaves_per_field, strict=True)
        for k in _split(n_field_leaves, list(rng.gamma(1.5, size=n_crit)))
    ]

    # Points are whole multiples of a quantum so that every sum is exact (0.25 when possible).
    for per_point in (4, 20, 100):
        if all(
            p * per_point >= k for p, k in zip(field_points, leaves_per_field, strict=True)
        ) and all(p > 0 for p in field_points):
            break
    else:
        msg = f"too many leaves ({n_leaves}) for 100 points split into {n_fields} fields"
        raise ValueError(msg)

    kinds_by_field: list[list[str]] = []
    for f, n_field_leaves in enumerate(leaves_per_field):
        mix = (
            _MIX_PROCEDURES
            if f == 2 and n_fields == len(FIELD_NAMES)
            else _MIX_IMPACT
            if f == 7 and n_fields == len(FIELD_NAMES)
            else _MIX_GENERAL
        )
        picks = rng.choice(len(_KINDS), size=n_field_leaves, p=np.asarray(mix) / sum(mix))
        kinds_by_field.append([_KINDS[int(i)] for i in picks])
    _cover_every_kind(kinds_by_field)

    nodes = []
    crit = 0
    for f in range(n_fields):
        kinds = kinds_by_field[f]
        weights = [_KIND_WEIGHT.get(k, 1.0) * float(rng.uniform(0.6, 1.4)) for k in kinds]
        units = _split(field_points[f] * per_point, weights)
        field_id = str(f + 1)
        children = []
        leaf = 0
        for c in range(criteria_per_field[f]):
            crit_id = f"{field_id}.{c + 1}"
            n_sub = leaves_per_criterion[crit]
            crit += 1
            leaf_nodes = []
            for s in range(n_sub):
                kind = kinds[leaf]
                max_points = units[leaf] / per_point
                node_id = crit_id if n_sub == 1 else f"{crit_id}.{s + 1}"
                variants = _LEAF_NAMES[kind]
                variant = int(rng.integers(len(variants) * len(_BAND_EDGES)))
                leaf_nodes.append(
                    Node(
                        id=node_id,
                        name=f"{variants[variant % len(variants)]} (tiêu chí {node_id})",
                        max_points=max_points,
                        rule=_RULES[kind](max_points, variant),
                    )
                )
                leaf += 1
            if n_sub == 1:
                children.append(leaf_nodes[0])
            else:
                children.append(Node(id=crit_id, name=f"Tiêu chí {crit_id}", children=leaf_nodes))
        nodes.append(Node(id=field_id, name=names[f], children=children))

    return Scheme(
        id="synthetic-commune",
        name="Bộ chỉ số CCHC cấp xã (tổng hợp, minh hoạ)",
        level="commune",
        year=2026,
        version=f"synthetic-{n_fields}-{n_criteria}-{n_leaves}-seed{seed}",
        notes=(
            "Synthetic, illustrative scheme generated by parscore.datasets.synthetic_scheme "
            f"(n_fields={n_fields}, n_criteria={n_criteria}, n_leaves={n_leaves}, "
            f"seed={seed}); shaped like a commune-level criteria set but not any province's "
            "published one. Dữ liệu tổng hợp, chỉ để minh hoạ."
        ),
        tiers=TierScale(
            scale=(
                Tier(name="Tốt", min=80),
                Tier(name="Khá", min=70),
                Tier(name="Trung bình", min=50),
                Tier(name="Yếu", min=0),
            )
        ),
        nodes=nodes,
    )


def _cover_every_kind(kinds_by_field: list[list[str]]) -> None:
    """Make sure every kind appears once when there are enough leaves (in place)."""
    flat = [k for kinds in kinds_by_field for k in kinds]
    if len(flat) < len(_KINDS):
        return
    for kind in _KINDS:
        counts = {k: sum(1 for x in flat if x == k) for k in _KINDS}
        if counts[kind]:
            continue
        # replace one leaf of the most common kind (its first occurrence)
        common = max(_KINDS, key=lambda k: counts[k])
        for kinds in kinds_by_field:
            if common in kinds:
                kinds[kinds.index(common)] = kind
                break
        flat = [k for kinds in kinds_by_field for k in kinds]
