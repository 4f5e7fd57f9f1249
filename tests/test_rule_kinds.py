"""A rule kind lives in one place: its declarations, one kernel, and a kind from a test module.

The built-in rules' per-leaf ``points``/``check`` and batched ``batch_points``/``batch_invalid``
are bound by properties, and ``_Threshold`` — a rule kind defined here and nowhere else —
works in scheme files, scoring, templates, explain, gaps, the JSON Schema and example data.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import ClassVar

import attrs
import numpy as np
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import parscore as ps
from parscore import plugins
from parscore.cli import main
from parscore.datasets import example_data
from parscore.io.template import template_columns
from parscore.rules import (
    BUILTIN_RULES,
    Band,
    Bands,
    Choice,
    Deduction,
    Points,
    Ratio,
    Survey,
    YesNo,
    cells_of,
    example_values,
    input_label,
    is_batched,
    is_sampled,
    may_give_nan,
    option_names_of,
)
from parscore.typing import BoolArray, CellKind, FloatArray, Language, Rule

# -- one kernel per built-in rule ------------------------------------------------------------

_CELL = st.sampled_from([0.0, 1.0, 2.0, 0.5, -1.0, 3.0, 69.9, 70.0, 90.0, 90.5, 100.0, 120.0])


def _rules(kind: str) -> st.SearchStrategy[tuple[Rule, ...]]:
    """Lists of 1–3 rules of one built-in kind with the same number of inputs."""
    inputs = st.sampled_from([("value",), ("a", "b"), ("a", "b", "c")])
    one: dict[str, st.SearchStrategy[object]] = {
        "yes_no": inputs.map(lambda names: YesNo(inputs=names)),
        "points": st.booleans().map(lambda clip: Points(clip=clip)),
        "deduction": st.builds(
            Deduction, per=st.sampled_from([0.25, 0.5, 1.0]), floor=st.sampled_from([-1.0, 0.0])
        ),
        "choice": st.integers(1, 4).map(
            lambda k: Choice(options={f"o{i}": float(k - i) / 2 for i in range(k)})
        ),
        "bands": st.sampled_from(
            [
                Bands(bands=[Band(gt=90, points=2), Band(ge=70, le=90, points=1)]),
                Bands(bands=[Band(lt=5, points=3)], otherwise=1),
                Bands(bands=[Band(ge=0, lt=50, points=0.5), Band(ge=50, points=1)]),
            ]
        ),
        "survey": st.sampled_from(["full", "zero", "not_applicable"]).map(
            lambda empty: Survey(options={"A": 100, "B": 50, "C": 0}, when_empty=empty)  # type: ignore[arg-type]
        ),
    }
    if kind == "ratio":
        return st.sampled_from([("rate",), ("num", "den")]).flatmap(
            lambda names: st.lists(
                st.builds(
                    Ratio,
                    inputs=st.just(names),
                    when_empty=st.sampled_from(["full", "zero", "not_applicable"]),
                    over=st.sampled_from(["error", "cap"]),
                ),
                min_size=1,
                max_size=3,
            ).map(tuple)
        )
    if kind == "yes_no":
        return inputs.flatmap(
            lambda names: st.lists(st.just(YesNo(inputs=names)), min_size=1, max_size=3).map(tuple)
        )
    return st.lists(one[kind], min_size=1, max_size=3).map(tuple)  # type: ignore[arg-type]


@st.composite
def _batches(draw: st.DrawFn) -> tuple[tuple[Rule, ...], FloatArray, FloatArray]:
    kind = draw(st.sampled_from(sorted(cls.kind for cls in BUILTIN_RULES)))  # type: ignore[attr-defined]
    rules = draw(_rules(kind))
    m, n = len(rules[0].inputs), draw(st.integers(1, 4))
    flat = draw(st.lists(_CELL, min_size=len(rules) * m * n, max_size=len(rules) * m * n))
    values = np.array(flat, dtype=np.float64).reshape(len(rules), m, n)
    max_points = np.array(
        draw(st.lists(st.sampled_from([1.0, 2.0, 3.5]), min_size=len(rules), max_size=len(rules)))
    )
    return rules, values, max_points


@settings(max_examples=300, deadline=None)
@given(case=_batches())
def test_batch_kernels_agree_with_each_leaf(
    case: tuple[tuple[Rule, ...], FloatArray, FloatArray],
) -> None:
    """For every built-in rule, batch_points/batch_invalid over k leaves equal points/check."""
    rules, values, max_points = case
    cls = type(rules[0])
    assert is_batched(cls)
    batch = cls.batch_points(rules, values, max_points)  # type: ignore[attr-defined]
    invalid = cls.batch_invalid(rules, values, max_points)  # type: ignore[attr-defined]
    for i, rule in enumerate(rules):
        mx = float(max_points[i])
        np.testing.assert_array_equal(batch[i], rule.points(values[i], mx))
        flagged = np.zeros(values.shape[2], dtype=bool)
        for mask, _message in rule.check(values[i], mx):
            flagged |= np.asarray(mask, dtype=bool)
        np.testing.assert_array_equal(invalid[i], flagged)


@settings(max_examples=200, deadline=None)
@given(case=_batches())
def test_points_of_valid_inputs_lie_within_exact_bounds(
    case: tuple[tuple[Rule, ...], FloatArray, FloatArray],
) -> None:
    """Points for valid inputs of every built-in rule lie within its bounds."""
    rules, values, max_points = case
    for i, rule in enumerate(rules):
        mx = float(max_points[i])
        bad = np.zeros(values.shape[2], dtype=bool)
        for mask, _message in rule.check(values[i], mx):
            bad |= np.asarray(mask, dtype=bool)
        pts = rule.points(values[i], mx)[~bad]
        lo, hi = rule.bounds(mx)
        real = pts[~np.isnan(pts)]
        assert np.all(real >= lo - 1e-12)
        assert np.all(real <= hi + 1e-12)


@pytest.mark.parametrize(
    ("when_empty", "expected"),
    [("not_applicable", (0.5, 2.0)), ("zero", (0.0, 2.0)), ("full", (0.5, 2.5))],
)
def test_survey_bounds_are_exact(when_empty: str, expected: tuple[float, float]) -> None:
    """A survey's bounds are the points of all answers on its worst and best options."""
    rule = Survey(options={"A": 80, "B": 20}, when_empty=when_empty)  # type: ignore[arg-type]
    assert rule.bounds(2.5) == expected


def test_builtin_rule_classes_are_public_and_sorted() -> None:
    """plugins.builtin_rule_classes lists the built-in classes, sorted by kind."""
    classes = plugins.builtin_rule_classes()
    assert set(classes) == set(BUILTIN_RULES)
    kinds = [cls.kind for cls in classes]
    assert kinds == sorted(kinds)
    assert set(plugins.registered_rule_classes()) >= set(classes)


def test_declarations_of_builtin_rules() -> None:
    """Built-in rules declare cells, options, sampling and input labels that readers use."""
    choice = Choice(options={"kip_thoi": 1, "khong": 0})
    assert cells_of(choice) == "option"
    assert option_names_of(choice) == ("kip_thoi", "khong")
    assert option_names_of(YesNo()) == ()
    assert cells_of(Ratio()) == "percent"
    assert cells_of(Ratio(inputs=("a", "b"))) == "count"
    survey = Survey(options={"A": 100, "B": 0})
    assert is_sampled(survey)
    assert not is_sampled(Ratio())
    assert input_label(survey, "A") == "số phiếu trả lời A"
    assert input_label(Ratio(inputs=("a", "b")), "a") == "a"
    assert may_give_nan(survey)
    assert not may_give_nan(YesNo())
    assert not may_give_nan(Ratio(inputs=("a", "b")))


# -- a rule kind from this module alone ------------------------------------------------------


@attrs.frozen(kw_only=True)
class _Threshold:
    """Full points for a rate at or above ``at`` percent, else ``below`` × the maximum."""

    kind: ClassVar[str] = "threshold"
    cells: ClassVar[CellKind] = "percent"
    can_be_not_applicable: ClassVar[bool] = False

    at: float = attrs.field(converter=float)
    below: float = attrs.field(default=0.0, converter=float)

    @property
    def inputs(self) -> tuple[str, ...]:
        return ("rate",)

    def points(self, values: FloatArray, max_points: float) -> FloatArray:
        out: FloatArray = _Threshold.batch_points([self], values[None], np.array([max_points]))[0]
        return out

    @classmethod
    def batch_points(
        cls, rules: Sequence[_Threshold], values: FloatArray, max_points: FloatArray
    ) -> FloatArray:
        at = np.array([r.at for r in rules])[:, None]
        below = np.array([r.below for r in rules])[:, None]
        mx = max_points[:, None]
        return np.asarray(np.where(values[:, 0, :] >= at, mx, below * mx), dtype=np.float64)

    def check(self, values: FloatArray, max_points: float) -> list[tuple[BoolArray, str]]:
        bad = _Threshold.batch_invalid([self], values[None], np.array([max_points]))[0]
        return [(bad, "a percentage runs from 0 to 100")]

    @classmethod
    def batch_invalid(
        cls, rules: Sequence[_Threshold], values: FloatArray, max_points: FloatArray
    ) -> BoolArray:
        del rules, max_points
        v = values[:, 0, :]
        return np.asarray((v < 0.0) | (v > 100.0))

    def bounds(self, max_points: float) -> tuple[float, float]:
        return (self.below * max_points, max_points)

    def problems(self, max_points: float) -> list[tuple[str, str]]:
        del max_points
        if not 0.0 <= self.below <= 1.0:
            return [("below", f"below must be a share from 0 to 1, found {self.below:g}")]
        return []

    def describe(self, lang: Language = "vi") -> str:
        if lang == "en":
            return f"Full points from {self.at:g}%, otherwise {self.below:g} × the maximum."
        return f"Điểm tối đa nếu đạt từ {self.at:g}%, dưới mức đó {self.below:g} × điểm tối đa."

    def example_values(
        self,
        rng: np.random.Generator,
        quality: FloatArray,
        max_points: float,
        unit_size: FloatArray,
    ) -> FloatArray:
        del rng, max_points, unit_size
        return np.round(100.0 * quality, 1)[None, :]


@attrs.frozen(kw_only=True)
class _Tally:
    """A count of items done out of ``of``: declares only ``cells``, no example_values."""

    kind: ClassVar[str] = "tally"
    cells: ClassVar[CellKind] = "count"

    of: int = attrs.field(default=10)

    @property
    def inputs(self) -> tuple[str, ...]:
        return ("done",)

    def points(self, values: FloatArray, max_points: float) -> FloatArray:
        return np.asarray(max_points * np.clip(values[0], 0, self.of) / self.of, dtype=np.float64)

    def check(self, values: FloatArray, max_points: float) -> list[tuple[BoolArray, str]]:
        del max_points
        return [((values[0] < 0) | (values[0] > self.of), f"a count from 0 to {self.of}")]

    def bounds(self, max_points: float) -> tuple[float, float]:
        return (0.0, max_points)

    def problems(self, max_points: float) -> list[tuple[str, str]]:
        del max_points
        return []

    def describe(self, lang: Language = "vi") -> str:
        return f"max × done / {self.of}" if lang == "en" else f"tối đa × số đã làm / {self.of}"


SCHEME_YAML = """\
parscore: 1
id: threshold-demo
name: Bộ chỉ số có tiêu chí ngưỡng
tiers:
  scale:
    - {name: Tốt, min: 80}
    - {name: Yếu, min: 0}
nodes:
  - id: "1"
    name: Cải cách thủ tục hành chính
    children:
      - id: "1.1"
        name: Tỷ lệ hồ sơ trực tuyến
        max: 4
        rule: {kind: threshold, at: 80, below: 0.25}
      - id: "1.2"
        name: Báo cáo đúng hạn
        max: 1
        rule: {kind: yes_no}
      - id: "1.3"
        name: Số nhiệm vụ hoàn thành
        max: 2
        rule: {kind: tally, of: 4}
"""


@pytest.fixture
def threshold() -> Iterator[ps.Scheme]:
    """_Threshold and _Tally registered with register_rule, unregistered after; the scheme."""
    ps.register_rule(_Threshold)
    ps.register_rule(_Tally)
    try:
        yield ps.load_scheme(SCHEME_YAML, format="yaml")
    finally:
        plugins.unregister_rule("threshold")
        plugins.unregister_rule("tally")


DATA = {
    "unit_id": ["xa-001", "xa-002", "xa-003"],
    "1.1": [85.0, "79,5", 80],
    "1.2": ["có", "không", 1],
    "1.3": [4, 2, 0],
}


def test_new_kind_round_trips_through_scheme_files(threshold: ps.Scheme) -> None:
    """A scheme using the test-module kind loads from YAML and dumps back in every format."""
    rule = threshold.node("1.1").rule
    assert isinstance(rule, _Threshold)
    assert rule == _Threshold(at=80, below=0.25)
    for fmt in ("yaml", "json", "toml"):
        text = ps.dump_scheme(threshold, format=fmt)
        again = ps.load_scheme(text, format=fmt)
        assert again == threshold
        assert ps.fingerprint(again) == ps.fingerprint(threshold)
    assert "kind: threshold" in ps.dump_scheme(threshold)


def test_new_kind_scores_through_the_batch_path(threshold: ps.Scheme) -> None:
    """The new kind is compiled like a built-in (batched, no NaN check) and scores as written."""
    compiled = ps.compile_scheme(threshold)
    group = next(g for g in compiled.groups if g.rule_class is _Threshold)
    assert group.batched
    assert not group.may_give_nan
    result = ps.score(threshold, DATA)
    np.testing.assert_array_equal(result.points["1.1"], [4.0, 1.0, 4.0])
    np.testing.assert_array_equal(result.points["1.3"], [2.0, 1.0, 0.0])
    np.testing.assert_array_equal(result.total, [7.0, 2.0, 5.0])


def test_new_kind_checks_its_cells(threshold: ps.Scheme) -> None:
    """An out-of-range percentage in the new kind's column is reported as a bad cell."""
    data = {**DATA, "1.1": [85.0, 120.0, 80]}
    with pytest.raises(ps.MeasurementsError, match="a percentage runs from 0 to 100"):
        ps.score(threshold, data)


def test_new_kind_is_explained(threshold: ps.Scheme) -> None:
    """result.explain shows the new kind's description for its node."""
    result = ps.score(threshold, DATA)
    text = str(result.explain("xa-002"))
    assert "Điểm tối đa nếu đạt từ 80%" in text
    assert "Full points from 80%" in str(result.explain("xa-002", lang="en"))


def test_new_kind_gets_template_columns(threshold: ps.Scheme, tmp_path: Path) -> None:
    """`parscore template` writes the new kind's column, described by its rule."""
    columns = dict(template_columns(threshold))
    assert "Điểm tối đa nếu đạt từ 80%" in columns["1.1"]
    scheme_file = tmp_path / "scheme.yaml"
    scheme_file.write_text(SCHEME_YAML, encoding="utf-8")
    out = tmp_path / "template.csv"
    run = CliRunner().invoke(main, ["template", str(scheme_file), "-o", str(out)])
    assert run.exit_code == 0, run.output
    with out.open(encoding="utf-8-sig", newline="") as handle:
        header = next(csv.reader(handle))
    assert header == ["unit_id", "1.1", "1.2", "1.3"]


def test_new_kind_in_gaps_like_a_builtin(threshold: ps.Scheme) -> None:
    """Gaps reads the new kind's best points from its bounds and names its leaf to recover."""
    result = ps.score(threshold, DATA)
    g = ps.gaps(result)
    # xa-002 has 2 of 7; Tốt needs 5.6. Recoverable: 1.1 +3 (its bounds' top is 4), 1.2 +1,
    # 1.3 +1, so two leaves suffice: 1.1 and one worth 1
    assert g.target_tier[1] == "Tốt"
    assert "1.1" in g.target_nodes[1]
    assert len(g.target_nodes[1]) == 2
    assert g.target_points[1] == 4.0


def test_new_kind_in_the_json_schema(threshold: ps.Scheme) -> None:
    """The scheme JSON Schema lists the new kind and its parameters among the rule kinds."""
    schema = ps.io.scheme_json_schema()
    assert "threshold" in json.dumps(schema)
    assert "threshold" in schema["$defs"]["rule"]["properties"]["kind"]["enum"]
    own = schema["$defs"]["rule-threshold"]
    assert set(own["properties"]) == {"kind", "at", "below"}
    assert own["required"] == ["kind", "at"]


def test_new_kind_gets_example_data(threshold: ps.Scheme) -> None:
    """example_data makes valid inputs for the new kind (declared) and for _Tally (from cells)."""
    data = example_data(threshold, 300, seed=4)
    rates = np.asarray(data["1.1"], dtype=np.float64)
    assert np.all((rates >= 0) & (rates <= 100))
    done = np.asarray(data["1.3"], dtype=np.float64)
    assert np.all((done >= 0) & (done <= 4) | (done > 4))  # made from cells: a count
    assert np.all(done == np.round(done))
    result = ps.score(threshold, {**data, "1.3": np.minimum(done, 4)})
    assert len(set(result.points["1.1"].tolist())) == 2


def test_rule_without_declarations_gets_no_example_values() -> None:
    """A rule declaring neither example_values nor cells gets None from example_values."""
    rng = np.random.default_rng(0)
    quality = np.full(3, 0.5)

    class Bare:
        inputs = ("value",)

    assert example_values(Bare(), rng, quality, 1.0, np.ones(3)) is None
    made = example_values(_Tally(of=4), rng, quality, 1.0, np.ones(3))
    assert made is not None
    assert made.shape == (1, 3)
