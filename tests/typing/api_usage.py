"""The public API used the way users use it; type-checked by CI (mypy --strict), never run.

A signature change that breaks users shows up here as a type error. pytest does not collect
this file (see ``collect_ignore`` in tests/conftest.py).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

import parscore as ps
from parscore.testing import Columns, measurements_for, schemes, schemes_with_measurements


def build_scheme() -> ps.Scheme:
    """Build a small scheme in Python."""
    return ps.Scheme(
        id="api-usage-commune-2026",
        name="Bộ chỉ số CCHC cấp xã (ví dụ)",
        level="commune",
        year=2026,
        nodes=[
            ps.Node(
                id="1",
                name="Công tác chỉ đạo, điều hành CCHC",
                children=[
                    ps.Node(
                        id="1.1",
                        name="Ban hành kế hoạch CCHC năm",
                        max_points=1,
                        rule=ps.Choice(
                            options={"kip_thoi": 1, "khong_kip_thoi": 0.5, "khong_ban_hanh": 0}
                        ),
                    ),
                    ps.Node(
                        id="1.2",
                        name="Mức độ thực hiện kế hoạch CCHC",
                        max_points=2,
                        rule=ps.Bands(
                            bands=[ps.Band(gt=90, points=2), ps.Band(ge=70, le=90, points=1)],
                            otherwise=0,
                        ),
                    ),
                ],
            ),
            ps.Node(
                id="3.1",
                name="Tỷ lệ hồ sơ giải quyết đúng hạn",
                max_points=10,
                rule=ps.Ratio(inputs=("on_time", "received"), when_empty="full"),
                missing="zero",
            ),
            ps.Node(id="3.2", name="Văn bản trễ hạn", max_points=1, rule=ps.Deduction(per=0.25)),
            ps.Node(id="3.3", name="Điểm thẩm định", max_points=2, rule=ps.Points(clip=True)),
            ps.Node(
                id="8.1",
                name="Phiếu khảo sát",
                max_points=5,
                rule=ps.Survey(options={"A": 100, "B": 60, "C": 20, "D": 0}),
            ),
            ps.Node(id="8.2", name="Đạt yêu cầu", max_points=1, rule=ps.YesNo()),
        ],
        tiers=ps.TierScale(
            scale=[ps.Tier(name="Tốt", min=80), ps.Tier(name="Yếu", min=0)], basis="index"
        ),
        rounding=ps.Rounding(decimals=2, where="report"),
        missing="error",
        adjustments=ps.Adjustments(bonus=ps.Adjustment(max=2), penalty=ps.Adjustment(max=2)),
        ranking=ps.Ranking(by="index", method="competition", tie_break=("1",)),
    )


def use_results(scheme: ps.Scheme, data: dict[str, list[object]]) -> None:
    """Score, then read every part of the result."""
    compiled: ps.CompiledScheme = ps.compile_scheme(scheme)
    columns: tuple[str, ...] = compiled.columns
    result: ps.Result = ps.score(scheme, data, unit_id="unit_id", group=None, missing="zero")
    again: ps.Result = ps.score(
        compiled,
        np.zeros((2, len(columns))),
        unit_ids=["a", "b"],
        not_applicable={"1.2": [False, True]},
        ranking=ps.Ranking(method="dense"),
    )
    index: npt.NDArray[np.float64] = result.index
    total: npt.NDArray[np.float64] = result.total
    ranks: npt.NDArray[np.int64] = again.rank
    field_points: npt.NDArray[np.float64] = result.points["1"]
    matrix: npt.NDArray[np.float64] = result.matrix("points")
    fingerprint: str = result.fingerprint
    explanation: ps.Explanation = result.explain("a", lang="en")
    rows: tuple[ps.ExplanationRow, ...] = explanation.rows
    first: float = rows[0].points
    text: str = str(explanation)
    table: dict[str, object] = result.to_dict()
    frame = result.to_pandas(component_index=True, lost=True)
    del index, total, ranks, field_points, matrix, fingerprint, first, text, table, frame


def handle_errors(scheme: ps.Scheme, data: dict[str, list[object]]) -> list[str]:
    """Catch parscore's errors and read their problems."""
    out: list[str] = []
    try:
        ps.score(scheme, data)
    except ps.MeasurementsError as error:
        for cell in error.problems:
            where: str | None = cell.column
            unit: str | None = cell.unit_id
            out.append(f"{unit} {where}: {cell.message}")
    try:
        ps.scheme_from_dict({"parscore": 1})
    except ps.SchemeError as error:
        out.extend(f"{p.message} @ {p.path}" for p in error.problems)
    except ps.ParscoreError as error:
        out.append(str(error))
    return out


def describe_rules(scheme: ps.Scheme) -> list[str]:
    """Rules describe themselves; kinds and plugins are listed."""
    out = [leaf.rule.describe("vi") for leaf in scheme.leaves() if leaf.rule is not None]
    kinds: tuple[str, ...] = ps.rule_kinds()
    rule_class: type[ps.Rule] = ps.get_rule_class("bands")
    out.extend(kinds)
    out.append(rule_class.kind)
    tiers: npt.NDArray[np.object_] = ps.classify(np.array([79.995]), scheme.tiers)
    ranks: npt.NDArray[np.int64] = ps.rank(np.array([1.0, 2.0]), method="ordinal")
    del tiers, ranks
    return out


def use_strategies() -> None:
    """The Hypothesis strategies are typed for plugin authors."""
    scheme_strategy = schemes(max_nodes=10)
    pair_strategy = schemes_with_measurements(max_units=5)
    data_strategy = measurements_for(build_scheme(), max_units=3, groups=False)
    example: tuple[ps.Scheme, Columns] = pair_strategy.example()
    one: Columns = data_strategy.example()
    del scheme_strategy, example, one


def analyse(previous: ps.Result, current: ps.Result) -> list[object]:
    """The analyses take results and return typed, frozen results with tables."""
    cmp: ps.Comparison = ps.compare(previous, current)
    moves: npt.NDArray[np.int64] = cmp.rank_change
    gaps: ps.Gaps = ps.gaps(current, top=3)
    targets: list[tuple[str, float]] = gaps.unit("xa-001")
    rec: ps.Reconciliation = ps.reconcile(previous, current, tolerance=0.5, second_round=None)
    sens: ps.Sensitivity = ps.sensitivity(
        current, draws=100, spread=0.1, distribution="dirichlet", concentration=50.0, seed=1
    )
    interval: npt.NDArray[np.int64] = sens.rank_high - sens.rank_low
    changed: ps.Result = ps.what_if(current, {"xa-001": {"1.1": "kip_thoi", "bonus": 1}})
    try:
        ps.sensitivity(current, draws=0)
    except ps.AnalysisError as error:
        del error
    return [moves, targets, rec.summary(), interval, changed, cmp.to_pandas("nodes")]
