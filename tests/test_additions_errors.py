"""Bad uses of the issue-10 additions: each is one problem naming its path.

From the API, and from ``parscore check`` (exit 1, the message on stderr, no traceback).
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

import parscore as ps
from parscore.cli import main
from parscore.errors import SchemeError

SCHEME: dict[str, Any] = {
    "parscore": 1,
    "id": "loi",
    "name": "Lỗi",
    "unit_types": {"column": "loai", "types": ["so", {"id": "huyen", "name": "UBND cấp huyện"}]},
    "tiers": {
        "by_type": {
            "so": {"scale": [{"name": "Tốt", "above": 80}, {"name": "Khá", "min": 0}]},
            "huyen": {
                "scale": [
                    {"name": "Xuất sắc", "min": 90, "quota": 0.2},
                    {"name": "Tốt", "min": 80},
                    {"name": "Khá", "min": 0},
                ]
            },
        },
        "caps": [
            {"id": "ky_luat", "name": "Kỷ luật", "at_most": "Khá"},
            {
                "id": "tthc",
                "name": "TTHC dưới 50%",
                "node": "1",
                "index_below": 50,
                "at_most": "Khá",
            },
        ],
    },
    "adjustments": {
        "penalty": {"max": 3},
        "items": [{"id": "vi_pham", "name": "Vi phạm", "sign": "penalty", "per": 0.5, "max": 2}],
    },
    "nodes": [
        {"id": "1", "name": "Một", "max": 2, "rule": {"kind": "points"}},
        {
            "id": "2",
            "name": "Hai",
            "applies_to": ["huyen"],
            "children": [{"id": "2.1", "name": "Hai một", "max": 1, "rule": {"kind": "yes_no"}}],
        },
    ],
}

Change = Callable[[dict[str, Any]], None]


def _set(path: tuple[str | int, ...], value: object) -> Change:
    def change(doc: dict[str, Any]) -> None:
        target: Any = doc
        for step in path[:-1]:
            target = target[step]
        target[path[-1]] = value

    return change


CASES: list[tuple[str, Change, str, str]] = [
    (
        "undeclared type in applies_to",
        _set(("nodes", 1, "applies_to"), ["huyn"]),
        'did you mean "huyen"',
        "$.nodes[1].applies_to[0]",
    ),
    (
        "child wider than its parent",
        _set(("nodes", 1, "children", 0, "applies_to"), ["so"]),
        "parent does not apply",
        "$.nodes[1].children[0].applies_to[0]",
    ),
    (
        "scale of an undeclared type",
        _set(("tiers", "by_type", "xa"), {"scale": [{"name": "Đạt", "min": 0}]}),
        "no unit type",
        "$.tiers.by_type.xa",
    ),
    (
        "a type without a scale",
        lambda d: d["tiers"]["by_type"].pop("so"),
        "no tier scale for unit type(s) so",
        "$.tiers",
    ),
    (
        "quota above 1",
        _set(("tiers", "by_type", "huyen", "scale", 0, "quota"), 1.5),
        "quota is a share of units",
        "$.tiers.by_type.huyen.scale[0]",
    ),
    (
        "quota on the last tier",
        _set(("tiers", "by_type", "huyen", "scale", 2, "quota"), 0.5),
        "cannot have a quota",
        "quota",
    ),
    (
        "cap to a tier a scale lacks",
        _set(("tiers", "caps", 0, "at_most"), "Trung bình"),
        "is no tier of the scale of unit type 'so'",
        "$.tiers.caps[0].at_most",
    ),
    (
        "cap on an unknown node",
        _set(("tiers", "caps", 1, "node"), "9"),
        "which is not a node id",
        "$.tiers.caps[1].node",
    ),
    (
        "node cap without its bound",
        lambda d: d["tiers"]["caps"][1].pop("index_below"),
        "node and index_below go together",
        "$.tiers.caps[1]",
    ),
    (
        "adjustment item of an unknown sign",
        _set(("adjustments", "items", 0, "sign"), "tru"),
        "expected one of bonus, penalty",
        "$.adjustments.items[0].sign",
    ),
    (
        "negative per",
        _set(("adjustments", "items", 0, "per"), -0.5),
        "per must be positive",
        "$.adjustments.items[0]",
    ),
    (
        "applies_to without unit types",
        lambda d: (
            d.pop("unit_types"),
            d["tiers"].pop("by_type"),
            d["tiers"].update(scale=[{"name": "Khá", "min": 0}]),
        ),
        "applies_to needs unit_types",
        "$.nodes[1].applies_to",
    ),
    (
        "a type id that is not ASCII",
        _set(("unit_types", "types", 0), "sở"),
        "unit type id must be ASCII",
        "$.unit_types.types[0]",
    ),
]


def _bad(change: Change) -> dict[str, Any]:
    doc = copy.deepcopy(SCHEME)
    change(doc)
    return doc


def test_the_base_scheme_is_valid() -> None:
    scheme = ps.scheme_from_dict(SCHEME)
    assert scheme.max_points_for("so") == 2
    assert scheme.max_points_for("huyen") == 3


@pytest.mark.parametrize(("case", "change", "message", "path"), CASES, ids=[c[0] for c in CASES])
def test_bad_addition_is_named_with_its_path(
    case: str, change: Change, message: str, path: str
) -> None:
    with pytest.raises(SchemeError) as info:
        ps.scheme_from_dict(_bad(change))
    problems = info.value.problems
    assert any(message in p.message and path in (p.path or "") for p in problems), (
        case,
        [(p.message, p.path) for p in problems],
    )


@pytest.mark.parametrize(("case", "change", "message", "path"), CASES, ids=[c[0] for c in CASES])
def test_check_command_reports_a_bad_addition(
    tmp_path: Path, case: str, change: Change, message: str, path: str
) -> None:
    file = tmp_path / "bad.yaml"
    file.write_text(yaml.safe_dump(_bad(change), allow_unicode=True), encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(file)])
    assert result.exit_code == 1, (case, result.output)
    assert message in result.stderr, (case, result.stderr)
    assert "Traceback" not in result.stderr
