"""Deterministic example data: a synthetic commune-level scheme and plausible measurements.

Nothing here is a published criteria set or real results. :func:`synthetic_scheme` builds a
scheme shaped like a province's commune-level "Bộ chỉ số CCHC" (the eight national fields,
criteria, sub-criteria, every built-in rule kind, 100 points, the usual tiers);
:func:`example_data` and :func:`example_matrix` generate valid inputs for any scheme built
from the built-in rules, driven by a latent quality per unit so that rankings and tiers are
meaningful. Both are deterministic for a seed (a :class:`numpy.random.Generator`), so demos,
docs, tests and benchmarks can share them. NumPy keeps its random streams stable within a
version but does not promise it across versions, so pin NumPy where exact numbers matter.

.. versionadded:: 0.1
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from parscore.compile import CompiledScheme, compile_scheme
from parscore.errors import Problem, SchemeError
from parscore.model import Node, Scheme, Tier, TierScale
from parscore.rules import Band, Bands, Choice, Deduction, Points, Ratio, Survey, YesNo
from parscore.typing import BoolArray, FloatArray, Rule

__all__ = ["example_data", "example_matrix", "synthetic_scheme"]

ObjectArray = npt.NDArray[np.object_]

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


# -- example data ---------------------------------------------------------------------------


def _sigmoid(x: FloatArray) -> FloatArray:
    out: FloatArray = 1.0 / (1.0 + np.exp(-x))
    return out


def _check_rate(name: str, value: float) -> None:
    if not 0.0 <= value < 1.0:
        msg = f"{name} must be from 0 up to (not including) 1, found {value!r}"
        raise ValueError(msg)


# Valid inputs of one leaf for every unit, shape (n_inputs, n_units), by rule class. Arguments:
# the rule, its max, the units' performance on the leaf in (0, 1) (higher is better), a unit
# size factor for counts (n_units,), and the random generator.
_InputMaker = Callable[[Any, float, FloatArray, FloatArray, np.random.Generator], FloatArray]


def _yes_no_inputs(
    rule: YesNo, _max: float, perf: FloatArray, _size: FloatArray, rng: np.random.Generator
) -> FloatArray:
    return (rng.random((len(rule.inputs), perf.shape[0])) < perf).astype(np.float64)


def _choice_inputs(
    rule: Choice, _max: float, perf: FloatArray, _size: FloatArray, rng: np.random.Generator
) -> FloatArray:
    # options from best to worst; each failed draw moves a unit one option down
    n = perf.shape[0]
    by_points = np.argsort([-p for _, p in rule.options], kind="stable")
    falls = np.zeros(n, dtype=np.int64)
    alive = np.ones(n, dtype=bool)
    for _ in range(len(by_points) - 1):
        alive &= rng.random(n) >= perf
        falls += alive
    return by_points[falls].astype(np.float64)[None, :]


def _bands_inputs(
    rule: Bands, max_points: float, perf: FloatArray, _size: FloatArray, _rng: np.random.Generator
) -> FloatArray:
    edges = [b for band in rule.bands for b in band.interval[::2] if math.isfinite(b)]
    lo, hi = min([0.0, *edges]), max([100.0, *edges])
    if lo < 0.0 or hi > 100.0:  # not a percentage: leave room beyond the outer edges
        span = (hi - lo) or 1.0
        lo, hi = lo - span / 4, hi + span / 4
    ends = rule.points(np.array([[lo, hi]]), max_points)
    share = perf if ends[1] >= ends[0] else 1.0 - perf  # some bands reward low values
    return np.round(lo + (hi - lo) * share, 1)[None, :]  # one decimal: edges like 90.0 occur


def _ratio_inputs(
    rule: Ratio, _max: float, perf: FloatArray, size: FloatArray, rng: np.random.Generator
) -> FloatArray:
    if len(rule.inputs) == 1:
        return np.round(100.0 * perf, 2)[None, :]
    received = rng.poisson(size)
    received[rng.random(perf.shape[0]) < 0.02] = 0  # nothing to assess this year
    on_time = rng.binomial(received, 1.0 - (1.0 - perf) * 0.5)
    return np.stack([on_time, received]).astype(np.float64)


def _deduction_inputs(
    _rule: Deduction, _max: float, perf: FloatArray, _size: FloatArray, rng: np.random.Generator
) -> FloatArray:
    return rng.poisson(3.0 * (1.0 - perf)).astype(np.float64)[None, :]


def _points_inputs(
    _rule: Points, max_points: float, perf: FloatArray, _size: FloatArray, _rng: np.random.Generator
) -> FloatArray:
    return np.minimum(np.round(max_points * perf * 20.0) / 20.0, max_points)[None, :]


def _survey_inputs(
    rule: Survey, _max: float, perf: FloatArray, _size: FloatArray, rng: np.random.Generator
) -> FloatArray:
    values = np.array([v for _, v in rule.options]) / 100.0  # (m,)
    tilt = 5.0 * (perf - 0.45)  # (n,): good units answer A, weak ones spread towards D
    logits = tilt[:, None] * (values[None, :] - 0.5) * 2.0
    probs = np.exp(logits - logits.max(axis=1, keepdims=True))
    probs /= probs.sum(axis=1, keepdims=True)
    respondents = rng.integers(30, 121, size=perf.shape[0])
    counts: FloatArray = rng.multinomial(respondents, probs).T.astype(np.float64)
    return counts


_INPUTS: dict[type, _InputMaker] = {
    YesNo: _yes_no_inputs,
    Choice: _choice_inputs,
    Bands: _bands_inputs,
    Ratio: _ratio_inputs,
    Deduction: _deduction_inputs,
    Points: _points_inputs,
    Survey: _survey_inputs,
}


def _generate(
    compiled: CompiledScheme,
    n_units: int,
    seed: int,
    missing_rate: float,
    not_applicable_rate: float,
) -> tuple[ObjectArray, FloatArray, BoolArray | None, dict[str, FloatArray]]:
    """Ids, values ``(n_columns, n_units)``, N/A mask ``(n_leaves, n_units)``, adjustments."""
    if isinstance(n_units, bool) or not isinstance(n_units, int | np.integer) or n_units < 1:
        msg = f"n_units must be a whole number ≥ 1, found {n_units!r}"
        raise ValueError(msg)
    _check_rate("missing_rate", missing_rate)
    _check_rate("not_applicable_rate", not_applicable_rate)
    n = int(n_units)
    scheme = compiled.scheme
    rng = np.random.default_rng(seed)
    # The latent quality drives every input of a unit; with per-criterion difficulty and noise
    # it gives indices mostly from 60 to 95 (about half Tốt, a third Khá, a few Yếu).
    quality = rng.standard_normal(n)
    size = np.exp(rng.normal(np.log(300.0), 0.8, size=n))  # dossiers a commune receives
    values = np.empty((len(compiled.columns), n), dtype=np.float64)
    unsupported: list[Problem] = []
    for leaf, node_id in enumerate(compiled.leaf_ids):
        node = scheme.node(node_id)
        assert node.rule is not None  # leaves have rules (scheme validation)
        difficulty = rng.normal(0.0, 0.6)
        perf = _sigmoid(1.8 + 0.7 * quality - difficulty + rng.standard_normal(n))
        maker = _INPUTS.get(type(node.rule))
        if maker is None:
            unsupported.append(
                Problem(
                    message=(
                        f"example data supports the built-in rules only; found rule kind "
                        f"{node.rule.kind!r}"
                    ),
                    node_id=node_id,
                )
            )
            continue
        inputs = maker(node.rule, node.max, perf, size, rng)
        start = int(compiled.leaf_col_start[leaf])
        values[start : start + inputs.shape[0]] = inputs
    if unsupported:
        raise SchemeError(unsupported)

    blank = None
    if missing_rate > 0.0 or not_applicable_rate > 0.0:
        draw = rng.random((compiled.n_leaves, n))
        missing = draw < missing_rate
        na = (draw >= missing_rate) & (draw < missing_rate + not_applicable_rate)
        # every unit keeps at least one criterion that applies and is filled in
        empty = (missing | na).all(axis=0)
        missing[0, empty] = False
        na[0, empty] = False
        nan_cells = missing[compiled.column_leaf]
        values[nan_cells] = np.nan
        blank = na if na.any() else None

    adjustments: dict[str, FloatArray] = {}
    for name, rate in (("bonus", 0.2), ("penalty", 0.1)):
        adjustment = getattr(scheme.adjustments, name)
        if adjustment is not None:
            amount = np.round(rng.uniform(0.0, adjustment.max, size=n), 2)
            adjustments[name] = np.where(rng.random(n) < rate, amount, 0.0)

    width = max(4, len(str(n)))
    ids = np.array([f"xa-{i + 1:0{width}d}" for i in range(n)], dtype=object)
    return ids, values, blank, adjustments


def example_data(
    scheme: Scheme | CompiledScheme,
    n_units: int,
    *,
    seed: int = 0,
    missing_rate: float = 0.0,
    not_applicable_rate: float = 0.0,
) -> dict[str, FloatArray | ObjectArray]:
    """Generate plausible, valid measurements for every input column of *scheme*.

    Each unit has a latent quality (standard normal) that drives all its inputs, with noise
    per criterion, so better units earn more points almost everywhere, ranks are meaningful
    and tiers are spread. Inputs follow each rule: 0/1 checks for ``yes_no``, option positions
    for ``choice``, rates with one decimal for ``bands`` (edge values such as 90.0 do occur),
    counts of dossiers (``on_time`` ≤ ``received``, sometimes 0 received) or percentages for
    ``ratio``, counts for ``deduction``, points in steps of 0.05 for ``points``, answer counts
    (30–120 respondents) for ``survey``; capped ``bonus`` and ``penalty`` columns when the
    scheme has adjustments.

    Args:
        scheme: Any scheme built from the built-in rules (or its compilation).
        n_units: Number of units (≥ 1); ids are ``"xa-0001"``, ``"xa-0002"`` …
        seed: Seed of the :class:`numpy.random.Generator`; the same arguments always give the
            same data.
        missing_rate: Share of (unit, leaf) pairs left empty (NaN in every input of the leaf);
            score with ``missing="zero"`` (or ``"not_applicable"``) when it is above 0.
        not_applicable_rate: Share of (unit, leaf) pairs marked not applicable (the cell text
            ``"n/a"`` in every input of the leaf; those columns become object arrays). Every
            unit keeps at least one applicable, filled-in leaf.

    Returns:
        Columns by name: ``unit_id`` (object array of str), then every input column in
        ``compile_scheme(scheme).columns`` order (float64, shape ``(n_units,)``), then
        ``bonus`` and ``penalty`` when the scheme has them. Ready for :func:`parscore.score`
        or ``pandas.DataFrame``.

    Raises:
        ValueError: when *n_units* or a rate is out of range.
        SchemeError: when a leaf uses a rule that is not built in.

    .. versionadded:: 0.1
    """
    compiled = compile_scheme(scheme)
    ids, values, na, adjustments = _generate(
        compiled, n_units, seed, missing_rate, not_applicable_rate
    )
    out: dict[str, FloatArray | ObjectArray] = {"unit_id": ids}
    na_cells = None if na is None else na[compiled.column_leaf]
    for j, name in enumerate(compiled.columns):
        column = values[j]
        if na_cells is not None and na_cells[j].any():
            cells = column.astype(object)
            cells[na_cells[j]] = "n/a"
            out[name] = cells
        else:
            out[name] = column
    out.update(adjustments)
    return out


def example_matrix(
    scheme: Scheme | CompiledScheme,
    n_units: int,
    *,
    seed: int = 0,
    missing_rate: float = 0.0,
) -> tuple[ObjectArray, FloatArray]:
    """The numbers of :func:`example_data` as one matrix, for the numpy path of ``score``.

    The same seed gives the same numbers as :func:`example_data` (with
    ``not_applicable_rate=0``); adjustments are not included (pass ``bonus=`` / ``penalty=`` to
    :meth:`parscore.Measurements.from_array` if the scheme has them).

    Args:
        scheme: Any scheme built from the built-in rules (or its compilation).
        n_units: Number of units (≥ 1).
        seed: Seed of the :class:`numpy.random.Generator`.
        missing_rate: Share of (unit, leaf) pairs left empty (NaN).

    Returns:
        ``(unit_ids, matrix)``: ids, object array of str, shape ``(n_units,)``; inputs,
        float64, C-contiguous, shape ``(n_units, n_columns)`` in
        ``compile_scheme(scheme).matrix_columns`` order. Use as
        ``parscore.score(scheme, matrix, unit_ids=unit_ids)``.

    Raises:
        ValueError: when *n_units* or *missing_rate* is out of range.
        SchemeError: when a leaf uses a rule that is not built in.

    .. versionadded:: 0.1
    """
    compiled = compile_scheme(scheme)
    ids, values, _, _ = _generate(compiled, n_units, seed, missing_rate, 0.0)
    return ids, np.ascontiguousarray(values[compiled.storage_columns].T)
