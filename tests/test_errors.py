"""Validation tables: every bad scheme and bad measurement is reported with what and where."""

from __future__ import annotations

import copy
import math
from collections.abc import Callable
from typing import Any

import pytest

import parscore as ps

# -- bad schemes --------------------------------------------------------------------------------


def _scheme_dict() -> dict[str, Any]:
    """A valid scheme in the v1 file format, to be broken one way per case."""
    return {
        "parscore": 1,
        "id": "example-commune-2026",
        "name": "Bộ chỉ số CCHC cấp xã (ví dụ)",
        "tiers": {
            "scale": [
                {"name": "Tốt", "min": 80},
                {"name": "Khá", "min": 70},
                {"name": "Yếu", "min": 0},
            ]
        },
        "nodes": [
            {
                "id": "1",
                "name": "Công tác chỉ đạo, điều hành CCHC",
                "children": [
                    {
                        "id": "1.1",
                        "name": "Ban hành kế hoạch CCHC năm",
                        "max": 1,
                        "rule": {
                            "kind": "choice",
                            "options": {"kip_thoi": 1, "khong_kip_thoi": 0.5, "khong": 0},
                        },
                    },
                    {
                        "id": "1.2",
                        "name": "Mức độ thực hiện kế hoạch CCHC",
                        "max": 2,
                        "rule": {
                            "kind": "bands",
                            "bands": [{"gt": 90, "points": 2}, {"ge": 70, "le": 90, "points": 1}],
                        },
                    },
                ],
            },
            {
                "id": "3",
                "name": "Cải cách thủ tục hành chính",
                "children": [
                    {
                        "id": "3.1",
                        "name": "Tỷ lệ hồ sơ giải quyết đúng hạn",
                        "max": 10,
                        "rule": {"kind": "ratio", "inputs": ["on_time", "received"]},
                    }
                ],
            },
        ],
    }


Edit = Callable[[dict[str, Any]], None]


def _edits(*edits: Edit) -> Edit:
    """Several edits, in order."""

    def edit(d: dict[str, Any]) -> None:
        for one in edits:
            one(d)

    return edit


def _set(path: str, value: object) -> Edit:
    """An edit setting ``a.b.0.c`` (keys and list positions) to *value*."""

    def edit(d: dict[str, Any]) -> None:
        *head, last = path.split(".")
        target: Any = d
        for key in head:
            target = target[int(key)] if key.isdigit() else target[key]
        if last.isdigit():
            target[int(last)] = value
        else:
            target[last] = value

    return edit


def _append_child(node: dict[str, Any]) -> Edit:
    def edit(d: dict[str, Any]) -> None:
        d["nodes"][0]["children"].append(node)

    return edit


BAD_SCHEMES: list[tuple[str, Edit, str, str]] = [
    (
        "duplicate id",
        _set("nodes.0.children.1.id", "1.1"),
        "is used twice",
        "$.nodes[0].children[1].id",
    ),
    (
        "empty group",
        _append_child({"id": "1.3", "name": "Nhóm trống"}),
        "a leaf needs a rule (or children)",
        "$.nodes[0].children[2].rule",
    ),
    (
        "negative max",
        _set("nodes.1.children.0.max", -10),
        "max cannot be negative",
        "$.nodes[1].children[0].max",
    ),
    (
        "parent max disagrees",
        _set("nodes.0.max", 4),
        "max is 4 but the children's max add up to 3",
        "$.nodes[0].max",
    ),
    (
        "unsorted tiers",
        _set(
            "tiers.scale",
            [{"name": "Khá", "min": 70}, {"name": "Tốt", "min": 80}, {"name": "Yếu", "min": 0}],
        ),
        "best first with decreasing min",
        "$.tiers.scale[1].min",
    ),
    (
        "overlapping tiers",
        _set("tiers.scale.1.min", 80),
        "'Khá' (min 80) follows 'Tốt' (min 80)",
        "$.tiers.scale[1].min",
    ),
    (
        "last tier not 0",
        _set("tiers.scale.2.min", 50),
        "the last tier must start at 0",
        "$.tiers.scale[2].min",
    ),
    (
        "overlapping bands",
        _set("nodes.0.children.1.rule.bands.1.le", 95),
        "bands[0] (above 90) and bands[1] (from 70 up to 95) overlap",
        "$.nodes[0].children[1].rule.bands[0]",
    ),
    (
        "band points above max",
        _set("nodes.0.children.1.rule.bands.0.points", 3),
        "gives 3 points, outside 0 to the maximum 2",
        "$.nodes[0].children[1].rule.bands[0].points",
    ),
    (
        "choice option above max",
        _set("nodes.0.children.0.rule.options.kip_thoi", 1.5),
        "option 'kip_thoi' gives 1.5 points",
        "$.nodes[0].children[0].rule.options.kip_thoi",
    ),
    (
        "reserved id",
        _set("nodes.1.children.0.id", "total"),
        "reserved",
        "$.nodes[1].children[0].id",
    ),
    (
        "non-ASCII id",
        _set("nodes.1.children.0.id", "tiêu-chí-3.1"),
        "ASCII",
        "$.nodes[1].children[0].id",
    ),
    (
        "leaf max finer than leaf rounding",
        _edits(
            _set("rounding", {"decimals": 1, "where": "leaf"}),
            _set("nodes.1.children.0.max", 10.25),
            _set("nodes.1.max", 10.25),
        ),
        "max 10.25 has more than 1 decimals",
        "$.nodes[1].children[0].max",
    ),
    (
        "tie_break naming no node",
        _set("ranking", {"tie_break": ["3", "9.9"]}),
        "tie_break names '9.9', which is not a node id",
        "$.ranking.tie_break[1]",
    ),
]


@pytest.mark.parametrize(
    ("edit", "fragment", "path"),
    [pytest.param(edit, fragment, path, id=name) for name, edit, fragment, path in BAD_SCHEMES],
)
def test_bad_scheme_is_reported_with_message_and_path(edit: Edit, fragment: str, path: str) -> None:
    """Each broken scheme raises a SchemeError whose problems name the fault and its path."""
    data = _scheme_dict()
    ps.scheme_from_dict(copy.deepcopy(data))  # the unbroken scheme is valid
    edit(data)
    with pytest.raises(ps.SchemeError) as info:
        ps.scheme_from_dict(data)
    error = info.value
    assert isinstance(error, ps.ParscoreError)
    assert isinstance(error, ValueError)
    hits = [p for p in error.problems if fragment in p.message and p.path == path]
    assert hits, [str(p) for p in error.problems]
    assert fragment in str(error)
    assert path in str(error)


def test_every_scheme_problem_is_reported_at_once() -> None:
    """A scheme with three independent problems lists exactly those three."""
    data = _scheme_dict()
    _set("nodes.0.max", 4)(data)
    _set("nodes.1.children.0.id", "total")(data)
    _set("ranking", {"tie_break": ["9.9"]})(data)
    with pytest.raises(ps.SchemeError) as info:
        ps.scheme_from_dict(data)
    paths = sorted(p.path for p in info.value.problems)
    assert paths == ["$.nodes[0].max", "$.nodes[1].children[0].id", "$.ranking.tie_break[0]"]
    assert "3 problems" in str(info.value)


def test_python_api_reports_scheme_problems_too() -> None:
    """Building a Scheme in Python raises the same SchemeError, listing every problem."""
    leaf = ps.Node(id="1", name="Tiêu chí", max_points=1, rule=ps.YesNo())
    with pytest.raises(ps.SchemeError) as info:
        ps.Scheme(
            id="s",
            name="Bộ chỉ số",
            nodes=[leaf, leaf, ps.Node(id="total", name="Tổng", max_points=-1, rule=ps.YesNo())],
            tiers=ps.TierScale(scale=[ps.Tier(name="Yếu", min=0)]),
        )
    messages = [p.message for p in info.value.problems]
    assert len(messages) == 3, messages
    assert any("used twice" in m for m in messages)
    assert any("reserved" in m for m in messages)
    assert any("cannot be negative" in m for m in messages)


@pytest.mark.parametrize(
    ("build", "fragment"),
    [
        (lambda: ps.Deduction(per=-1), "per must be positive"),
        (lambda: ps.Bands(bands=[ps.Band(gt=90, points=2), ps.Band(ge=70, points=1)]), "overlap"),
        (lambda: ps.Band(ge=90, le=70, points=1), "contains no value"),
        (lambda: ps.Ratio(when_empty="sometimes"), "when_empty must be one of"),  # type: ignore[arg-type]
        (lambda: ps.Rounding(decimals=9), "decimals must be a whole number from 0 to 6"),
        (lambda: ps.Points(clip="yes"), "clip"),  # type: ignore[arg-type]
        (lambda: ps.Tier(name="Tốt", min="80"), "expected a number"),  # type: ignore[arg-type]
    ],
)
def test_python_api_parameter_errors_are_parscore_errors(build: object, fragment: str) -> None:
    """A bad parameter given in Python raises a ParscoreError that names the problem."""
    with pytest.raises(ps.ParscoreError) as info:
        build()  # type: ignore[operator]
    assert isinstance(info.value, ValueError | TypeError)
    assert fragment in str(info.value)


# -- bad measurements ---------------------------------------------------------------------------

SCHEME = ps.Scheme(
    id="measured",
    name="Bộ chỉ số đo",
    nodes=[
        ps.Node(id="1.1", name="Báo cáo đúng hạn", max_points=1, rule=ps.YesNo()),
        ps.Node(
            id="3.1",
            name="Hồ sơ đúng hạn",
            max_points=10,
            rule=ps.Ratio(inputs=["on_time", "received"]),
        ),
        ps.Node(id="3.2", name="Văn bản trễ hạn", max_points=1, rule=ps.Deduction(per=0.25)),
        ps.Node(id="3.3", name="Điểm thẩm định", max_points=2, rule=ps.Points()),
        ps.Node(
            id="8.1",
            name="Phiếu khảo sát",
            max_points=5,
            rule=ps.Survey(options={"A": 100, "B": 60, "C": 20, "D": 0}),
        ),
    ],
    tiers=ps.TierScale(scale=[ps.Tier(name="Tốt", min=80), ps.Tier(name="Yếu", min=0)]),
)


def _data() -> dict[str, list[object]]:
    return {
        "unit_id": ["xa-001", "xa-002"],
        "1.1": [1, 0],
        "3.1:on_time": [3, 4],
        "3.1:received": [4, 4],
        "3.2": [1, 0],
        "3.3": [1.5, 2],
        "8.1:A": [1, 2],
        "8.1:B": [0, 0],
        "8.1:C": [0, 0],
        "8.1:D": [0, 0],
    }


def _rename(old: str, new: str) -> Edit:
    def edit(d: dict[str, Any]) -> None:
        d[new] = d.pop(old)

    return edit


def _cells(*changes: tuple[str, int, object]) -> Edit:
    def edit(d: dict[str, Any]) -> None:
        for column, unit, value in changes:
            d[column][unit] = value

    return edit


def _drop(column: str) -> Edit:
    def edit(d: dict[str, Any]) -> None:
        del d[column]

    return edit


def _empty(d: dict[str, Any]) -> None:
    for cells in d.values():
        cells.clear()


def _nothing_applies(d: dict[str, Any]) -> None:
    for column in ("1.1", "3.1:on_time", "3.2", "3.3", "8.1:A"):
        d[column][0] = "n/a"


# (edit, expected problems as (message fragment, unit id, column))
BAD_MEASUREMENTS: list[tuple[str, Edit, list[tuple[str, str | None, str | None]]]] = [
    (
        "unknown column",
        _rename("3.1:received", "3.1:recieved"),
        [
            ('did you mean "3.1:received"', None, "3.1:recieved"),
            ('column is missing; found "3.1:recieved"', None, "3.1:received"),
        ],
    ),
    ("missing column", _drop("3.3"), [("column is missing", None, "3.3")]),
    (
        "NaN under policy error",
        _cells(("3.3", 0, math.nan), ("1.1", 1, None)),
        [("value is missing", "xa-001", "3.3"), ("value is missing", "xa-002", "1.1")],
    ),
    (
        "text where a number is due",
        _cells(("3.2", 1, "nhiều"), ("3.1:received", 0, "bốn")),
        [("expected a number", "xa-002", "3.2"), ("expected a number", "xa-001", "3.1:received")],
    ),
    (
        "negative counts",
        _cells(("3.2", 0, -1), ("8.1:B", 1, -2)),
        [
            ("a count cannot be negative", "xa-001", "3.2"),
            ("a count of answers cannot be negative", "xa-002", "8.1:A, 8.1:B, 8.1:C, 8.1:D"),
        ],
    ),
    (
        "numerator above denominator",
        _cells(("3.1:on_time", 1, 5)),
        [("exceeds the denominator", "xa-002", "3.1:on_time, 3.1:received")],
    ),
    ("duplicate unit ids", _cells(("unit_id", 1, "xa-001")), [("unit id repeats", "xa-001", None)]),
    ("empty table", _empty, [("no units", None, None)]),
    (
        "points out of range",
        _cells(("3.3", 0, 2.5), ("3.3", 1, -0.1)),
        [("cannot exceed the maximum 2", "xa-001", "3.3"), ("cannot be negative", "xa-002", "3.3")],
    ),
    ("infinite value", _cells(("3.3", 0, math.inf)), [("infinite", "xa-001", "3.3")]),
    ("nothing applicable", _nothing_applies, [("no criterion applies", "xa-001", None)]),
    (
        "two bad cells in two columns",
        _cells(("3.3", 0, 7), ("1.1", 1, 2)),
        [
            ("cannot exceed the maximum", "xa-001", "3.3"),
            ("expected yes (1) or no (0)", "xa-002", "1.1"),
        ],
    ),
]


@pytest.mark.parametrize(
    ("edit", "expected"),
    [pytest.param(edit, expected, id=name) for name, edit, expected in BAD_MEASUREMENTS],
)
def test_bad_measurements_list_every_offending_cell(
    edit: Edit, expected: list[tuple[str, str | None, str | None]]
) -> None:
    """A bad table raises one MeasurementsError listing exactly its bad cells, unit and column."""
    data = _data()
    ps.score(SCHEME, copy.deepcopy(data))  # the unbroken table is valid
    edit(data)
    with pytest.raises(ps.MeasurementsError) as info:
        ps.score(SCHEME, data)
    error = info.value
    assert isinstance(error, ps.ParscoreError)
    assert isinstance(error, ValueError)
    found = [(p.unit_id, p.column) for p in error.problems]
    assert sorted(found, key=str) == sorted(((u, c) for _, u, c in expected), key=str)
    for fragment, unit, column in expected:
        problem = next(p for p in error.problems if (p.unit_id, p.column) == (unit, column))
        assert fragment in problem.message, str(error)
        assert fragment in str(error)


def test_unknown_rule_key_after_a_list_is_named_at_the_rule() -> None:
    """A misspelt key after a list-valued one is not pinned on the list's first item."""
    doc = {
        "parscore": 1,
        "id": "s",
        "name": "S",
        "tiers": {"scale": [{"name": "Y", "min": 0}]},
        "nodes": [
            {
                "id": "1",
                "name": "A",
                "max": 1,
                "rule": {"kind": "ratio", "inputs": ["a", "b"], "wen_empty": "zero"},
            }
        ],
    }
    with pytest.raises(ps.SchemeError) as info:
        ps.scheme_from_dict(doc)
    [problem] = info.value.problems
    assert problem.path == "$.nodes[0].rule.wen_empty"
    assert "did you mean 'when_empty'" in problem.message
