"""``bands`` over a rate from two counts (scheme format §7a).

Exact edges, ``when_empty``, counts read from tables, explain, bad parameters, the oracle.
"""

from __future__ import annotations

import csv
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

import parscore as ps
import reference
from parscore.cli import main
from parscore.rules import cells_of

SCHEME_YAML = """\
parscore: 1
id: bands-rate
name: Tỷ lệ theo mức
tiers: {scale: [{name: Tốt, min: 80}, {name: Khá, min: 0}]}
nodes:
  - id: "8"
    name: Tác động của CCHC
    children:
      - id: "8.1"
        name: Tỷ lệ hồ sơ giải quyết đúng hạn
        max: 2
        rule: {kind: bands, inputs: [dung_han, tong_so], when_empty: WHEN,
               bands: [{ge: 90, points: 2}, {ge: 70, lt: 90, points: 1}], otherwise: 0}
      - id: "8.2"
        name: Báo cáo đúng hạn
        max: 1
        rule: {kind: yes_no}
"""


def _scheme(when_empty: str = "full") -> ps.Scheme:
    return ps.loads_scheme(SCHEME_YAML.replace("WHEN", when_empty), format="yaml")


def _rate_rule(**bands: object) -> ps.Bands:
    return ps.Bands(inputs=("dung_han", "tong_so"), **bands)  # type: ignore[arg-type]


RULE = _rate_rule(
    bands=[ps.Band(ge=90, points=2), ps.Band(ge=70, lt=90, points=1)],
    otherwise=0,
    when_empty="full",
)


@pytest.mark.parametrize(
    ("num", "den", "points"),
    [
        (9, 10, 2.0),  # 100 × 9 / 10 is 90.00000000000001 in floats, exactly 90 here
        (8999, 10000, 1.0),  # 89.99: below the 90 edge
        (899999, 1000000, 1.0),  # 89.9999
        (7, 10, 1.0),  # exactly 70: ge includes it
        (69999, 100000, 0.0),  # 69.999: otherwise
        (10, 10, 2.0),
        (0, 10, 0.0),
        (1234, 1300, 2.0),  # 94.92…
    ],
)
def test_rate_edges_are_exact(num: int, den: int, points: float) -> None:
    """The rate 100 × num / den is banded exactly, so 9 of 10 falls in ``ge: 90``."""
    values = np.array([[num], [den]], dtype=np.float64)
    assert RULE.points(values, 2.0)[0] == points


@pytest.mark.parametrize(
    ("num", "den", "points"),
    [
        (9, 10, 1.0),  # exactly 90 is not "trên 90"
        (901, 1000, 2.0),
        (3, 10, 0.0),  # exactly 30: lt 30 excludes it, gt 30 too
        (299, 1000, 0.5),
        (3333, 10000, 0.0),  # 33.33 is not "trên 33,33"
        (33331, 100000, 1.0),  # 33.331 is
    ],
)
def test_strict_edges_exclude_the_edge_rate(num: int, den: int, points: float) -> None:
    """``gt`` and ``lt`` leave out a rate exactly on the edge, decimal edges included."""
    rule = _rate_rule(
        bands=[
            ps.Band(gt=90, points=2),
            ps.Band(gt=33.33, le=90, points=1),
            ps.Band(lt=30, points=0.5),
        ],
        otherwise=0,
    )
    values = np.array([[num], [den]], dtype=np.float64)
    assert rule.points(values, 2.0)[0] == points


@pytest.mark.parametrize(
    ("when_empty", "points", "applicable_max"),
    [("full", 2.0, 3.0), ("zero", 0.0, 3.0), ("not_applicable", 0.0, 1.0)],
)
def test_zero_denominator_earns_when_empty(
    when_empty: str, points: float, applicable_max: float
) -> None:
    """0 of 0 earns the maximum, nothing, or leaves the criterion out, as ``when_empty`` says."""
    data = {"unit_id": ["xa-1"], "8.1:dung_han": [0], "8.1:tong_so": [0], "8.2": [1]}
    result = ps.score(_scheme(when_empty), data)
    assert result.points["8.1"][0] == points
    assert result.max[0] == applicable_max
    assert ps.Bands(
        inputs=("a", "b"), bands=[ps.Band(ge=90, points=2)], when_empty=when_empty
    ).can_be_not_applicable == (when_empty == "not_applicable")


def test_when_empty_defaults_to_full_and_is_written_once() -> None:
    """Two inputs without ``when_empty`` mean ``full``; a one-input rule dumps as before."""
    rule = _rate_rule(bands=[ps.Band(ge=90, points=2)])
    assert rule.when_empty == "full"
    assert rule == _rate_rule(bands=[ps.Band(ge=90, points=2)], when_empty="full")
    one = ps.Bands(bands=[ps.Band(ge=90, points=2)])
    assert one.when_empty is None
    assert cells_of(one) == "percent"
    assert cells_of(rule) == "count"
    text = ps.dump_scheme(_scheme(), format="yaml")
    assert "when_empty: full" in text
    assert ps.fingerprint(ps.loads_scheme(text, format="yaml")) == ps.fingerprint(_scheme())


def test_bounds_include_the_empty_points() -> None:
    """``bounds`` is exact: a zero denominator under ``full`` or ``zero`` widens the range."""
    bands = [ps.Band(ge=90, points=1), ps.Band(ge=70, lt=90, points=0.5)]
    assert _rate_rule(bands=bands, otherwise=0.5, when_empty="full").bounds(2.0) == (0.5, 2.0)
    assert _rate_rule(bands=bands, otherwise=0.5, when_empty="zero").bounds(2.0) == (0.0, 1.0)
    assert _rate_rule(bands=bands, otherwise=0.5, when_empty="not_applicable").bounds(2.0) == (
        0.5,
        1.0,
    )


def test_bad_counts_are_refused_per_leaf_and_in_batch() -> None:
    """Negative counts and a numerator above its denominator are errors, alike on one leaf."""
    values = np.array([[-1, 5, 11, 9], [10, -2, 10, 10]], dtype=np.float64)
    bad = RULE.batch_invalid([RULE], values[None], np.array([2.0]))[0]
    assert bad.tolist() == [True, True, True, False]
    per_leaf = np.zeros(4, dtype=bool)
    for mask, message in RULE.check(values, 2.0):
        per_leaf |= mask
        assert "count" in message or "dung_han" in message
    assert per_leaf.tolist() == bad.tolist()
    with pytest.raises(ps.MeasurementsError, match=r"8\.1"):
        ps.score(
            _scheme(), {"unit_id": ["xa-1"], "8.1:dung_han": [11], "8.1:tong_so": [10], "8.2": [1]}
        )


def test_describe_writes_the_rate_formula() -> None:
    """The description gives the rate as officials write it, then the bands, in vi and en."""
    assert RULE.describe("vi").startswith("Tỷ lệ = dung_han / tong_so × 100; từ 90: 2; ")
    assert "nếu tong_so bằng 0: điểm tối đa" in RULE.describe("vi")
    assert RULE.describe("en").startswith("Rate = dung_han / tong_so × 100; from 90: 2; ")


CSV = (
    "unit_id,8.1:dung_han,8.1:tong_so,8.2\n"
    'xa-1,"1.234","1.300",1\n'  # thousands separators: 94.92 %
    "xa-2,9,10,1\n"  # exactly 90 %
    "xa-3,8999,10000,0\n"  # 89.99 %
    "xa-4,0,0,1\n"  # nothing to assess
)


def test_counts_with_thousands_separators_score_from_a_csv(tmp_path: Path) -> None:
    """Counts "1.234" and "1.300" read as thousands (not 1.234 %): xa-1 earns the top band."""
    path = tmp_path / "data.csv"
    path.write_text(CSV, encoding="utf-8")
    result = ps.score(_scheme(), ps.read_measurements(_scheme(), path))
    assert result.points["8.1"].tolist() == [2.0, 2.0, 1.0, 2.0]
    assert result.total.tolist() == [3.0, 3.0, 1.0, 3.0]
    explanation = result.explain(unit="xa-1")
    row = next(r for r in explanation.rows if r.node_id == "8.1")
    assert row.inputs == {"8.1:dung_han": 1234.0, "8.1:tong_so": 1300.0}


def test_cli_scores_and_explains_the_rate(tmp_path: Path) -> None:
    """`parscore score` writes the banded points; `parscore explain` shows counts and rate."""
    scheme, data, out = tmp_path / "s.yaml", tmp_path / "data.csv", tmp_path / "r.csv"
    scheme.write_text(SCHEME_YAML.replace("WHEN", "full"), encoding="utf-8")
    data.write_text(CSV, encoding="utf-8")
    runner = CliRunner()
    scored = runner.invoke(main, ["score", str(scheme), str(data), "-o", str(out)])
    assert scored.exit_code == 0, scored.output
    with out.open(encoding="utf-8-sig", newline="") as handle:
        written = [row["8.1"] for row in csv.DictReader(handle)]
    assert written == ["2.00", "2.00", "1.00", "2.00"]
    wide = {"COLUMNS": "240"}  # one table line per row, so the rate reads in one piece
    explained = runner.invoke(main, ["explain", str(scheme), str(data), "xa-2"], env=wide)
    assert explained.exit_code == 0, explained.output
    assert "8.1:dung_han=9, 8.1:tong_so=10 → 90%" in explained.output
    assert "Tỷ lệ = dung_han / tong_so × 100" in explained.output


def test_explain_shows_both_counts_and_the_rate() -> None:
    """An explanation row of a rate leaf shows the counts and the rate; 0 of 0 has no rate."""
    data = {
        "unit_id": ["xa-1", "xa-2"],
        "8.1:dung_han": [95, 0],
        "8.1:tong_so": [100, 0],
        "8.2": [1, 1],
    }
    result = ps.score(_scheme(), data)
    row = next(r for r in result.explain(unit="xa-1").rows if r.node_id == "8.1")
    assert row.rate == 95.0
    assert row.shown_inputs() == "8.1:dung_han=95, 8.1:tong_so=100 → 95%"
    assert "→ 95%" in str(result.explain(unit="xa-1"))
    empty = next(r for r in result.explain(unit="xa-2").rows if r.node_id == "8.1")
    assert empty.rate is None
    assert empty.shown_inputs() == "8.1:dung_han=0, 8.1:tong_so=0"


@pytest.mark.parametrize(
    ("rule", "path", "fragment"),
    [
        (
            "{kind: bands, inputs: [a, b, c], bands: [{ge: 90, points: 2}]}",
            "rule.inputs",
            "bands reads one input",
        ),
        (
            "{kind: bands, when_empty: zero, bands: [{ge: 90, points: 2}]}",
            "rule.when_empty",
            "when_empty applies only to a rate of two counts",
        ),
        (
            "{kind: bands, inputs: [a, b], when_empty: never, bands: [{ge: 90, points: 2}]}",
            "rule.when_empty",
            "expected one of full, zero, not_applicable",
        ),
    ],
)
def test_bad_parameters_name_the_node_and_key(rule: str, path: str, fragment: str) -> None:
    """Three inputs, ``when_empty`` with one input, or an unknown one: SchemeErrors."""
    text = SCHEME_YAML.replace(
        """{kind: bands, inputs: [dung_han, tong_so], when_empty: WHEN,
               bands: [{ge: 90, points: 2}, {ge: 70, lt: 90, points: 1}], otherwise: 0}""",
        rule,
    )
    with pytest.raises(ps.SchemeError) as info:
        ps.loads_scheme(text, format="yaml")
    message = str(info.value)
    assert 'node "8.1"' in message
    assert f"$.nodes[0].children[0].{path}" in message
    assert fragment in message


@pytest.mark.parametrize("when_empty", ["full", "zero", "not_applicable"])
def test_oracle_agrees_on_rate_edges(when_empty: str) -> None:
    """The engine gives exactly the Fraction oracle's points on edge rates and empty units."""
    pairs = [(9, 10), (8999, 10000), (7, 10), (69999, 100000), (0, 0), (1, 3), (2, 3), (0, 5)]
    data = {
        "unit_id": [f"xa-{i}" for i in range(len(pairs))],
        "8.1:dung_han": [n for n, _ in pairs],
        "8.1:tong_so": [d for _, d in pairs],
        "8.2": [1] * len(pairs),
    }
    scheme = _scheme(when_empty)
    node = scheme.node("8.1")
    for (num, den), got in zip(pairs, ps.score(scheme, data).points["8.1"], strict=True):
        want = reference.rule_points(node, [Fraction(num), Fraction(den)])
        expected = 0.0 if want is reference.NA else float(want)
        assert got == expected, (num, den)
