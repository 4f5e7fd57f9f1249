"""Plugins contained (issue 11): every call into a plugin rule runs behind the built-ins' checks.

Plugins are 'installed' through fake ``*.dist-info`` folders on ``sys.path`` (as in
tests/test_plugins.py) and used through the API and the command line.
"""

from __future__ import annotations

import sys
import textwrap
import warnings
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner, Result

import parscore as ps
from parscore import plugins
from parscore.cli import main
from test_plugins import _fake_distribution  # one writer of fake installed plugins

RULES = """
import sys
import attrs
import numpy as np
from typing import ClassVar

@attrs.frozen(kw_only=True)
class _Base:
    inputs: ClassVar[tuple[str, ...]] = ("value",)
    can_be_not_applicable: ClassVar[bool] = False
    def check(self, values, max_points): return []
    def bounds(self, max_points): return (0.0, max_points)
    def problems(self, max_points): return []
    def describe(self, lang="vi"): return "fake"
    def points(self, values, max_points): return np.where(values[0] > 0, max_points, 0.0)

@attrs.frozen(kw_only=True)
class Good(_Base):
    kind: ClassVar[str] = "good"

@attrs.frozen(kw_only=True)
class Fine(_Base):
    kind: ClassVar[str] = "fine"

@attrs.frozen(kw_only=True)
class CheckRaises(_Base):
    kind: ClassVar[str] = "check_raises"
    def check(self, values, max_points): raise KeyError("no such thing")

@attrs.frozen(kw_only=True)
class CheckShape(_Base):
    kind: ClassVar[str] = "check_shape"
    def check(self, values, max_points): return [(np.zeros(values.shape[1] + 3, bool), "x")]

@attrs.frozen(kw_only=True)
class CheckNotPairs(_Base):
    kind: ClassVar[str] = "check_not_pairs"
    def check(self, values, max_points): return 42

@attrs.frozen(kw_only=True)
class ProblemsRaise(_Base):
    kind: ClassVar[str] = "problems_raise"
    def problems(self, max_points): raise RuntimeError("cannot judge")

@attrs.frozen(kw_only=True)
class ProblemsShape(_Base):
    kind: ClassVar[str] = "problems_shape"
    def problems(self, max_points): return [("a", "b", "c")]

@attrs.frozen(kw_only=True)
class CellsRaise(_Base):
    kind: ClassVar[str] = "cells_raise"
    @property
    def cells(self): raise RuntimeError("declared badly")

@attrs.frozen(kw_only=True)
class DescribeRaises(_Base):
    kind: ClassVar[str] = "describe_raises"
    def describe(self, lang="vi"): raise ValueError("no words")

@attrs.frozen(kw_only=True)
class _Batched(_Base):
    @classmethod
    def batch_invalid(cls, rules, values, max_points):
        return np.zeros(values.shape[::2], dtype=bool)

@attrs.frozen(kw_only=True)
class BatchTooMuch(_Batched):
    kind: ClassVar[str] = "batch_too_much"
    @classmethod
    def batch_points(cls, rules, values, max_points):
        return values[:, 0, :] * 0 + 4.3 * max_points[:, None]

@attrs.frozen(kw_only=True)
class BatchShape(_Batched):
    kind: ClassVar[str] = "batch_shape"
    @classmethod
    def batch_points(cls, rules, values, max_points):
        return np.zeros(values.shape[2])

@attrs.frozen(kw_only=True)
class BatchInf(_Batched):
    kind: ClassVar[str] = "batch_inf"
    @classmethod
    def batch_points(cls, rules, values, max_points):
        return np.full(values.shape[::2], np.inf)

@attrs.frozen(kw_only=True)
class BatchNaN(_Batched):
    kind: ClassVar[str] = "batch_nan"
    @classmethod
    def batch_points(cls, rules, values, max_points):
        return np.full(values.shape[::2], np.nan)

@attrs.frozen(kw_only=True)
class BatchWrites(_Batched):
    kind: ClassVar[str] = "batch_writes"
    @classmethod
    def batch_points(cls, rules, values, max_points):
        values[:] = 1.0
        return values[:, 0, :] * max_points[:, None]

@attrs.frozen(kw_only=True)
class Writes(_Base):
    kind: ClassVar[str] = "writes"
    def points(self, values, max_points):
        values *= 0.0
        return values[0] * max_points

@attrs.frozen(kw_only=True)
class CheckWrites(_Base):
    kind: ClassVar[str] = "check_writes"
    def check(self, values, max_points):
        values[0] = 0.0
        return []

@attrs.frozen(kw_only=True)
class Exits(_Base):
    kind: ClassVar[str] = "exits"
    def points(self, values, max_points): sys.exit(3)
"""

EXIT_AT_IMPORT = "import sys\nsys.exit(3)\n"
INTERRUPT_AT_IMPORT = "raise KeyboardInterrupt\n"


KINDS = {
    "good": "Good",
    "fine": "Fine",
    "check_raises": "CheckRaises",
    "check_shape": "CheckShape",
    "check_not_pairs": "CheckNotPairs",
    "problems_raise": "ProblemsRaise",
    "problems_shape": "ProblemsShape",
    "cells_raise": "CellsRaise",
    "describe_raises": "DescribeRaises",
    "batch_too_much": "BatchTooMuch",
    "batch_shape": "BatchShape",
    "batch_inf": "BatchInf",
    "batch_nan": "BatchNaN",
    "batch_writes": "BatchWrites",
    "writes": "Writes",
    "check_writes": "CheckWrites",
    "exits": "Exits",
}


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A fresh 'site-packages' holding the fake plugin ``fake-safety``; discovery reset."""
    root = tmp_path / "site"
    root.mkdir()
    monkeypatch.delenv("PARSCORE_DISABLE_PLUGINS", raising=False)
    monkeypatch.syspath_prepend(str(root))
    _fake_distribution(
        root,
        "fake-safety",
        {k: f"fake_safety_rules:{v}" for k, v in KINDS.items()},
        {"fake_safety_rules": RULES},
    )
    plugins._reset_discovery()
    yield root
    for module in [m for m in sys.modules if m.startswith("fake_safety")]:
        del sys.modules[module]
    plugins._reset_discovery()


def scheme_dict(kind: str, second: str = "yes_no") -> dict[str, object]:
    """Two leaves: "1" of *kind* (max 1) and "2" of *second* (max 1)."""
    return {
        "parscore": 1,
        "id": "safety",
        "name": "Safety",
        "tiers": {"scale": [{"name": "Tốt", "min": 50}, {"name": "Yếu", "min": 0}]},
        "nodes": [
            {"id": "1", "name": "Một", "max": 1, "rule": {"kind": kind}},
            {"id": "2", "name": "Hai", "max": 1, "rule": {"kind": second}},
        ],
    }


def scheme_yaml(kind: str) -> str:
    return textwrap.dedent(
        f"""\
        parscore: 1
        id: safety
        name: Safety
        tiers:
          scale:
            - {{name: Tốt, min: 50}}
            - {{name: Yếu, min: 0}}
        nodes:
          - {{id: "1", name: Một, max: 1, rule: {{kind: {kind}}}}}
          - {{id: "2", name: Hai, max: 1, rule: {{kind: yes_no}}}}
        """
    )


DATA = {"unit_id": ["a", "b", "c"], "1": [1.0, 0.0, 1.0], "2": [1, 0, 1]}


def run(*args: str | Path) -> Result:
    """Run the command line; plugin warnings are allowed (pytest turns them into errors)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ps.PluginWarning)
        return CliRunner().invoke(main, [str(a) for a in args])


def files(tmp_path: Path, kind: str) -> tuple[Path, Path]:
    scheme = tmp_path / "scheme.yaml"
    scheme.write_text(scheme_yaml(kind), encoding="utf-8")
    data = tmp_path / "data.csv"
    data.write_text("unit_id,1,2\na,1,1\nb,0,0\nc,1,1\n", encoding="utf-8")
    return scheme, data


def assert_names_plugin(error: ps.RuleError, kind: str, node: str | None = "1") -> None:
    assert error.kind == kind
    assert error.node_id == node
    assert "plugin fake-safety" in str(error)


def assert_clean_failure(result: Result, *fragments: str) -> None:
    """Exit 1, no traceback, the message naming what failed."""
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert not isinstance(result.exception, Exception) or isinstance(
        result.exception, SystemExit
    ), repr(result.exception)
    flat = " ".join(result.output.split())
    for fragment in fragments:
        assert fragment in flat, result.output


# --- 1. check() and problems() and the declared hooks ------------------------------------


@pytest.mark.parametrize(
    ("kind", "fragment"),
    [
        ("check_raises", "failed in check(): KeyError"),
        ("check_shape", "check() returned a mask of shape (6,)"),
        ("check_not_pairs", "check() must return pairs of (mask, message), found int"),
        ("cells_raise", "failed reading cells: RuntimeError: declared badly"),
    ],
)
def test_a_plugins_check_is_contained_when_scoring(site: Path, kind: str, fragment: str) -> None:
    """check() raising or answering the wrong shape is a RuleError naming plugin, kind, node."""
    del site
    scheme = ps.scheme_from_dict(scheme_dict(kind))
    with pytest.raises(ps.RuleError) as info:
        ps.score(scheme, DATA)
    assert fragment in str(info.value)
    assert_names_plugin(info.value, kind, None if kind == "cells_raise" else "1")


@pytest.mark.parametrize("kind", ["check_raises", "check_shape", "check_not_pairs"])
def test_a_plugins_check_is_contained_in_the_cli(site: Path, tmp_path: Path, kind: str) -> None:
    """`parscore score` of a plugin whose check() misbehaves: exit 1, a message, no traceback."""
    del site
    scheme, data = files(tmp_path, kind)
    assert_clean_failure(
        run("score", scheme, data, "-o", tmp_path / "out.csv"), kind, "fake-safety"
    )


@pytest.mark.parametrize(
    ("kind", "fragment"),
    [
        ("problems_raise", "failed in problems(): RuntimeError: cannot judge"),
        ("problems_shape", "problems() must return pairs of (path, message)"),
    ],
)
def test_safe_problems_turns_a_plugins_failure_into_one_problem(
    site: Path, kind: str, fragment: str
) -> None:
    """safe_problems: an exception or a wrong shape from problems() is one problem, not a raise."""
    del site
    rule = ps.get_rule_class(kind)()
    found = plugins.safe_problems(rule, 1.0, "1.2")
    assert len(found) == 1
    where, message = found[0]
    assert where == ""
    assert fragment in message
    assert "plugin fake-safety" in message
    assert kind in message
    assert plugins.safe_problems(ps.get_rule_class("good")(), 1.0, "1") == []


@pytest.mark.parametrize("kind", ["problems_raise", "problems_shape"])
def test_a_plugins_problems_make_the_scheme_invalid(site: Path, tmp_path: Path, kind: str) -> None:
    """Loading or checking a scheme whose plugin problems() fails: a SchemeError, exit 1."""
    del site
    with pytest.raises(ps.SchemeError, match="fake-safety"):
        ps.scheme_from_dict(scheme_dict(kind))
    scheme, _ = files(tmp_path, kind)
    assert_clean_failure(run("check", scheme), "fake-safety")


def test_describe_of_a_plugin_is_guarded(site: Path) -> None:
    """describe_of: a plugin's describe() raising is a RuleError naming it; built-ins direct."""
    del site
    from parscore.rules import YesNo, describe_of

    with pytest.raises(ps.RuleError, match="failed in describe\\(\\): ValueError: no words"):
        describe_of(ps.get_rule_class("describe_raises")())
    assert describe_of(YesNo()) == YesNo().describe()


# --- 2. batch_points behind the same checks ---------------------------------------------


@pytest.mark.parametrize(
    ("kind", "fragment"),
    [
        ("batch_too_much", "returned points from 4.3 to 4.3, outside its bounds 0 to 1"),
        ("batch_shape", "returned points of shape (3,), expected (3,)"),
        ("batch_inf", "outside its bounds 0 to 1"),
        ("batch_nan", "returned NaN points but the rule cannot make a criterion not applicable"),
    ],
)
def test_batched_plugin_points_are_checked(site: Path, kind: str, fragment: str) -> None:
    """A plugin with batch_points: shape, finiteness and bounds checked (no index of 430 %)."""
    del site
    scheme = ps.scheme_from_dict(scheme_dict(kind))
    with pytest.raises(ps.RuleError) as info:
        ps.score(scheme, DATA)
    assert fragment.replace("(3,), expected (3,)", "") in str(info.value)
    assert_names_plugin(info.value, kind)


def test_batched_plugin_in_two_leaves_names_the_leaf(site: Path) -> None:
    """With two leaves of one batched plugin kind, the error names the leaf out of bounds."""
    del site
    scheme = ps.scheme_from_dict(scheme_dict("batch_too_much", "batch_too_much"))
    with pytest.raises(ps.RuleError) as info:
        ps.score(scheme, DATA)
    assert info.value.node_id == "1"


def test_batched_plugin_out_of_bounds_in_the_cli(site: Path, tmp_path: Path) -> None:
    """`parscore score` with a batched plugin giving 430 %: exit 1, no result written."""
    del site
    scheme, data = files(tmp_path, "batch_too_much")
    out = tmp_path / "out.csv"
    assert_clean_failure(run("score", scheme, data, "-o", out), "outside its bounds", "fake-safety")
    assert not out.exists()


# --- 3. read-only inputs ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "node"), [("writes", "1"), ("batch_writes", "1"), ("check_writes", "1")]
)
def test_a_plugin_cannot_write_into_its_input(site: Path, kind: str, node: str) -> None:
    """A write into the inputs raises a RuleError; the caller's data and measurements intact."""
    del site
    scheme = ps.scheme_from_dict(scheme_dict(kind))
    compiled = ps.compile_scheme(scheme)
    matrix = np.array([[1.0, 1.0], [0.0, 0.0], [1.0, 1.0]])
    order = [compiled.matrix_columns.index(c) for c in ("1", "2")]
    matrix = matrix[:, np.argsort(order)]
    before = matrix.copy()
    with pytest.raises(ps.RuleError) as info:
        ps.score(scheme, matrix, unit_ids=["a", "b", "c"])
    assert "read-only" in str(info.value)
    assert_names_plugin(info.value, kind, node)
    np.testing.assert_array_equal(matrix, before)
    columns = {"unit_id": ["a", "b", "c"], "1": np.array([1.0, 0.0, 1.0]), "2": [1, 0, 1]}
    with pytest.raises(ps.RuleError, match="read-only"):  # from columns: a writable matrix
        ps.score(scheme, columns)
    np.testing.assert_array_equal(columns["1"], [1.0, 0.0, 1.0])


def test_a_plugin_writing_into_its_input_in_the_cli(site: Path, tmp_path: Path) -> None:
    del site
    scheme, data = files(tmp_path, "writes")
    assert_clean_failure(run("score", scheme, data, "-o", tmp_path / "o.csv"), "read-only")


# --- 4. a kind claimed twice --------------------------------------------------------------


@pytest.fixture
def claimed_twice(site: Path) -> Path:
    """A second distribution, fake-other, claims the kind "good" too."""
    _fake_distribution(site, "fake-other", {"good": "fake_safety_rules:Good"})
    return site


def test_a_kind_claimed_twice_is_an_error_about_that_kind_only(claimed_twice: Path) -> None:
    """Using the kind raises PluginError naming both; other plugin kinds still work."""
    del claimed_twice
    with pytest.warns(ps.PluginWarning, match="'good' is claimed by both"):
        kinds = ps.rule_kinds()
    assert "good" not in kinds
    assert "fine" in kinds
    with pytest.raises(ps.PluginError) as info:
        ps.get_rule_class("good")
    assert "fake-safety" in str(info.value)
    assert "fake-other" in str(info.value)
    with pytest.raises(ps.PluginError, match="fake-other"):
        ps.scheme_from_dict(scheme_dict("good"))
    result = ps.score(ps.scheme_from_dict(scheme_dict("fine")), DATA)
    assert result.total.tolist() == [2.0, 0.0, 2.0]
    assert "fine" in str(ps.scheme_json_schema())  # the JSON Schema lists the usable kinds


def test_a_kind_claimed_twice_in_the_cli(claimed_twice: Path, tmp_path: Path) -> None:
    """`parscore schema` works; `check` of a scheme not using the kind works; using it: exit 1."""
    del claimed_twice
    schema = run("schema")
    assert schema.exit_code == 0, schema.output
    assert "check_raises" in schema.output
    other, _ = files(tmp_path, "check_raises")
    assert run("check", other).exit_code == 0
    (tmp_path / "dup").mkdir()
    dup, _ = files(tmp_path / "dup", "good")
    assert_clean_failure(run("check", dup), "fake-safety", "fake-other", "good")


def test_a_plugin_claiming_a_builtin_kind_spoils_only_its_claim(site: Path) -> None:
    """A plugin claiming "bands" is refused; the built-in and other plugin kinds still work."""
    source = "from parscore.rules import Bands as Rule\n"
    _fake_distribution(
        site, "fake-bands", {"bands": "fake_safety_bands:Rule"}, {"fake_safety_bands": source}
    )
    with pytest.warns(ps.PluginWarning, match="built in"):
        kinds = ps.rule_kinds()
    assert "bands" in kinds
    assert "good" in kinds
    assert ps.get_rule_class("bands") is ps.rules.Bands


# --- 5. SystemExit / KeyboardInterrupt at import, exceptions while scoring ------------------


@pytest.mark.parametrize("source", [EXIT_AT_IMPORT, INTERRUPT_AT_IMPORT])
def test_an_import_that_exits_is_a_warning(site: Path, source: str) -> None:
    """A plugin whose import raises SystemExit/KeyboardInterrupt is skipped with a warning."""
    _fake_distribution(
        site, "fake-exits", {"gone": "fake_safety_exit:Rule"}, {"fake_safety_exit": source}
    )
    with pytest.warns(ps.PluginWarning, match="gone.*fake-exits"):
        kinds = ps.rule_kinds()
    assert "gone" not in kinds
    assert "good" in kinds
    with pytest.raises(ps.PluginError, match="fake-exits"):
        ps.rule_kinds(strict=True)


def test_an_import_that_exits_does_not_end_the_cli(site: Path, tmp_path: Path) -> None:
    """`parscore check` and `schema` go on past a plugin whose import calls sys.exit(3)."""
    _fake_distribution(
        site, "fake-exits", {"gone": "fake_safety_exit:Rule"}, {"fake_safety_exit": EXIT_AT_IMPORT}
    )
    scheme, _ = files(tmp_path, "good")
    checked = run("check", scheme)
    assert checked.exit_code == 0, checked.output
    assert run("schema").exit_code == 0


def test_a_plugin_exiting_while_scoring_is_a_rule_error(site: Path, tmp_path: Path) -> None:
    """sys.exit() inside points(): a RuleError naming plugin, kind and node; CLI exit 1."""
    del site
    with pytest.raises(ps.RuleError) as info:
        ps.score(ps.scheme_from_dict(scheme_dict("exits")), DATA)
    assert "failed while scoring: SystemExit: 3" in str(info.value)
    assert_names_plugin(info.value, "exits")
    scheme, data = files(tmp_path, "exits")
    assert_clean_failure(run("score", scheme, data, "-o", tmp_path / "o.csv"), "SystemExit")
