"""parscore.testing.check_rule: built-in rules pass it, misbehaving rules fail it clearly."""

from __future__ import annotations

from typing import ClassVar

import attrs
import numpy as np
import pytest

import parscore as ps
from parscore.testing import RuleCheckError, check_rule, rules
from parscore.typing import BoolArray, FloatArray, Language


@pytest.mark.parametrize(
    "kind", ["bands", "choice", "deduction", "points", "ratio", "survey", "yes_no"]
)
def test_builtin_rules_pass_check_rule(kind: str) -> None:
    """Every built-in rule kind, drawn by parscore.testing.rules, passes check_rule."""
    check_rule(rules(2.5, kinds=(kind,)), max_points=2.5, max_examples=15)


def test_check_rule_accepts_a_rule_instance() -> None:
    """check_rule takes a single rule instance too."""
    check_rule(ps.Choice(options={"kip_thoi": 1, "khong_kip_thoi": 0.5, "khong_ban_hanh": 0}), 1.0)


@attrs.frozen(kw_only=True)
class _Flag:
    """A yes/no rule with a configurable defect, for testing check_rule itself."""

    kind: ClassVar[str] = "test_flag"
    defect: str = "none"

    @property
    def inputs(self) -> tuple[str, ...]:
        return ("value",)

    def points(self, values: FloatArray, max_points: float) -> FloatArray:
        if self.defect == "too_much":
            return np.full(values.shape[1], max_points + 1.0)
        if self.defect == "shape":
            return np.zeros((1, values.shape[1]))
        if self.defect == "writes":
            values[0] = 0.0
        if self.defect == "nan":
            return np.full(values.shape[1], np.nan)
        return np.where(values[0] == 1.0, max_points, 0.0)

    def check(self, values: FloatArray, max_points: float) -> list[tuple[BoolArray, str]]:
        del max_points
        bad = (values[0] != 0.0) & (values[0] != 1.0)
        if self.defect != "flags_nan":
            bad &= ~np.isnan(values[0])
        return [(bad, "expected 0 or 1")]

    def bounds(self, max_points: float) -> tuple[float, float]:
        return (0.0, max_points * (2 if self.defect == "bounds" else 1))

    def problems(self, max_points: float) -> list[tuple[str, str]]:
        del max_points
        return []

    def describe(self, lang: Language = "vi") -> str:
        return "Đạt: tối đa" if lang == "vi" else "Pass: full points"


def test_check_rule_passes_a_correct_custom_rule() -> None:
    """A correct custom rule, not installed, passes (registered only during the check)."""
    check_rule(_Flag(), 1.0, max_examples=10)
    with pytest.raises(LookupError):
        ps.get_rule_class("test_flag")


@pytest.mark.parametrize(
    ("defect", "fragment"),
    [
        ("too_much", "outside bounds 0 to 1"),
        ("shape", "returned shape (1,"),
        ("writes", "wrote into its input"),
        ("nan", "returned NaN but can_be_not_applicable is not true"),
        ("flags_nan", "flags a missing (NaN) input as invalid"),
        ("bounds", "exceed the maximum 1"),
    ],
)
def test_check_rule_reports_each_defect(defect: str, fragment: str) -> None:
    """Each broken promise of the Rule protocol fails check_rule with a message saying which."""
    with pytest.raises(RuleCheckError, match="test_flag") as info:
        check_rule(_Flag(defect=defect), 1.0, max_examples=20)
    assert fragment in str(info.value)
