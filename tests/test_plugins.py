"""Rule plugins: entry-point discovery, the example plugin end to end, and broken plugins."""

from __future__ import annotations

import sys
import textwrap
import warnings
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

import parscore as ps
from parscore import plugins

EXAMPLE_SRC = Path(__file__).parent.parent / "examples" / "parscore-checklist" / "src"

SCHEME_YAML = """\
parscore: 1
id: checklist-demo
name: Bộ chỉ số có tiêu chí dạng danh mục
tiers:
  scale:
    - {name: Tốt, min: 80}
    - {name: Yếu, min: 0}
nodes:
  - id: "1"
    name: Công tác chỉ đạo, điều hành CCHC
    children:
      - id: "1.1"
        name: Báo cáo CCHC
        max: 2
        rule: {kind: weighted_checklist, items: {bao_cao_quy: 1, bao_cao_nam: 2, dung_han: 1}}
      - id: "1.2"
        name: Kiểm tra công tác CCHC
        max: 1
        rule: {kind: yes_no}
"""


def _fake_distribution(
    root: Path, name: str, entry_points: dict[str, str], modules: dict[str, str] | None = None
) -> None:
    """Write an installed-looking distribution (``*.dist-info``) and its modules under *root*."""
    info = root / f"{name.replace('-', '_')}-0.1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {name}\nVersion: 0.1.0\n", encoding="utf-8"
    )
    lines = ["[parscore.rules]", *(f"{k} = {v}" for k, v in entry_points.items())]
    (info / "entry_points.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    for module, source in (modules or {}).items():
        (root / f"{module}.py").write_text(textwrap.dedent(source), encoding="utf-8")


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A fresh 'site-packages' on sys.path; plugin discovery is reset before and after."""
    monkeypatch.delenv("PARSCORE_DISABLE_PLUGINS", raising=False)
    monkeypatch.syspath_prepend(str(tmp_path))
    plugins._reset_discovery()
    yield tmp_path
    for module in [m for m in sys.modules if m.startswith(("parscore_checklist", "fake_"))]:
        del sys.modules[module]
    plugins._reset_discovery()


@pytest.fixture
def checklist(site: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The example plugin examples/parscore-checklist, 'installed' through a fake dist-info."""
    monkeypatch.syspath_prepend(str(EXAMPLE_SRC))
    _fake_distribution(
        site, "parscore-checklist", {"weighted_checklist": "parscore_checklist:WeightedChecklist"}
    )
    return site


def test_example_plugin_is_discovered(checklist: Path) -> None:
    """The entry point makes weighted_checklist a known kind, provided by its distribution."""
    assert "weighted_checklist" in ps.rule_kinds()
    assert ps.get_rule_class("weighted_checklist").__name__ == "WeightedChecklist"
    assert plugins.plugin_of("weighted_checklist") == "parscore-checklist"
    assert plugins.plugin_of("bands") is None


def test_scheme_with_plugin_rule_loads_scores_and_round_trips(checklist: Path) -> None:
    """A YAML scheme using the plugin's kind loads, scores by the rule and round-trips."""
    scheme = ps.load_scheme(SCHEME_YAML, format="yaml")
    result = ps.score(
        scheme,
        {
            "unit_id": ["xa-001", "xa-002", "xa-003"],
            "1.1:bao_cao_quy": [1, 1, 0],
            "1.1:bao_cao_nam": [1, 0, 0],
            "1.1:dung_han": [1, 1, "n/a"],
            "1.2": [1, 0, 1],
        },
    )
    # xa-002: 2 × (1 + 1) / 4 = 1; xa-003: 1.1 not applicable -> 1 of max 1
    np.testing.assert_array_equal(result.points["1.1"], [2.0, 1.0, 0.0])
    np.testing.assert_array_equal(result.total, [3.0, 1.0, 1.0])
    np.testing.assert_array_equal(result.index, [100.0, 33.33, 100.0])
    for fmt in ("yaml", "json", "toml"):
        text = ps.dump_scheme(scheme, format=fmt)  # type: ignore[arg-type]
        again = ps.load_scheme(text, format=fmt)  # type: ignore[arg-type]
        assert again == scheme
        assert ps.fingerprint(again) == ps.fingerprint(scheme)
    text = ps.dump_scheme(scheme)
    assert "items:\n" in text
    assert "bao_cao_nam: 2" in text


def test_plugin_rule_checks_its_inputs(checklist: Path) -> None:
    """A value other than 0/1 in a checklist item is reported as a bad cell."""
    scheme = ps.load_scheme(SCHEME_YAML, format="yaml")
    data = {
        "unit_id": ["xa-001"],
        "1.1:bao_cao_quy": [2],
        "1.1:bao_cao_nam": [1],
        "1.1:dung_han": [1],
        "1.2": [1],
    }
    with pytest.raises(ps.MeasurementsError, match="expected done"):
        ps.score(scheme, data)


def test_plugin_kinds_appear_in_the_json_schema(checklist: Path) -> None:
    """The JSON Schema of the format includes installed plugin kinds."""
    schema = ps.scheme_json_schema()
    assert "weighted_checklist" in schema["$defs"]["rule"]["properties"]["kind"]["enum"]


def test_check_rule_accepts_the_example_plugin(checklist: Path) -> None:
    """parscore.testing.check_rule passes for the example plugin's rule."""
    from parscore.testing import check_rule

    rule = ps.get_rule_class("weighted_checklist")(items={"a": 1, "b": 3})  # type: ignore[call-arg]
    check_rule(rule, max_points=2.5)


BAD_RULES = """
import attrs, numpy as np
from typing import ClassVar

@attrs.frozen(kw_only=True)
class _Base:
    inputs = ("value",)
    def check(self, values, max_points): return []
    def bounds(self, max_points): return (0.0, max_points)
    def problems(self, max_points): return []
    def describe(self, lang="vi"): return "bad"

@attrs.frozen(kw_only=True)
class TooMuch(_Base):
    kind: ClassVar[str] = "too_much"
    def points(self, values, max_points): return values[0] * 0 + max_points + 1

@attrs.frozen(kw_only=True)
class WrongShape(_Base):
    kind: ClassVar[str] = "wrong_shape"
    def points(self, values, max_points): return np.zeros((2, values.shape[1]))

@attrs.frozen(kw_only=True)
class Crashes(_Base):
    kind: ClassVar[str] = "crashes"
    def points(self, values, max_points): raise ZeroDivisionError("oops")

@attrs.frozen(kw_only=True)
class NaNs(_Base):
    kind: ClassVar[str] = "nans"
    def points(self, values, max_points): return values[0] * np.nan
"""


@pytest.mark.parametrize(
    ("kind", "fragment"),
    [
        ("too_much", "outside its bounds 0 to 1"),
        ("wrong_shape", "returned points of shape (2, 2), expected (2,)"),
        ("crashes", "failed while scoring: ZeroDivisionError: oops"),
        ("nans", "returned NaN points but the rule cannot make a criterion not applicable"),
    ],
)
def test_misbehaving_plugin_rule_names_its_distribution(
    site: Path, kind: str, fragment: str
) -> None:
    """A plugin rule returning bad points raises RuleError naming node, kind and distribution."""
    classes = {"too_much": "TooMuch", "wrong_shape": "WrongShape", "crashes": "Crashes"}
    classes["nans"] = "NaNs"
    _fake_distribution(
        site,
        "fake-bad-rules",
        {k: f"fake_bad:{v}" for k, v in classes.items()},
        {"fake_bad": BAD_RULES},
    )
    scheme = ps.scheme_from_dict(
        {
            "parscore": 1,
            "id": "bad",
            "name": "Bad",
            "tiers": {"scale": [{"name": "Yếu", "min": 0}]},
            "nodes": [{"id": "1", "name": "Một", "max": 1, "rule": {"kind": kind}}],
        }
    )
    with pytest.raises(ps.RuleError) as info:
        ps.score(scheme, {"unit_id": ["a", "b"], "1": [0.5, 1.0]})
    message = str(info.value)
    assert fragment in message
    assert "plugin fake-bad-rules" in message
    assert info.value.node_id == "1"
    assert info.value.kind == kind


BROKEN = "raise ImportError('needs a library that is not installed')\n"


def test_plugin_that_fails_to_import_is_skipped_with_a_warning(site: Path) -> None:
    """A plugin that cannot be imported gives a PluginWarning naming it and is skipped."""
    _fake_distribution(
        site, "fake-broken", {"broken_rule": "fake_broken:Rule"}, {"fake_broken": BROKEN}
    )
    with pytest.warns(ps.PluginWarning, match="broken_rule.*fake-broken.*not installed"):
        kinds = ps.rule_kinds()
    assert "broken_rule" not in kinds
    assert "bands" in kinds


def test_plugin_that_fails_to_import_raises_when_strict(site: Path) -> None:
    """With strict=True a plugin that cannot be imported raises PluginError naming it."""
    _fake_distribution(
        site, "fake-broken", {"broken_rule": "fake_broken:Rule"}, {"fake_broken": BROKEN}
    )
    with pytest.raises(ps.PluginError) as info:
        ps.rule_kinds(strict=True)
    assert info.value.plugin == "fake-broken"
    assert "broken_rule" in str(info.value)


def test_unknown_kind_in_a_scheme_lists_known_kinds(site: Path) -> None:
    """A scheme naming a kind no plugin provides raises UnknownRuleError with the known kinds."""
    text = SCHEME_YAML.replace("weighted_checklist", "weighted_cheklist")
    with pytest.raises(ps.UnknownRuleError, match="unknown rule kind 'weighted_cheklist'"):
        ps.load_scheme(text, format="yaml")


def test_two_distributions_claiming_one_kind_is_an_error_naming_both(checklist: Path) -> None:
    """Two distributions registering the same kind raise PluginError naming both (strict)."""
    _fake_distribution(
        checklist, "other-checklist", {"weighted_checklist": "parscore_checklist:WeightedChecklist"}
    )
    with pytest.raises(ps.PluginError) as info:
        ps.rule_kinds(strict=True)
    message = str(info.value)
    assert "parscore-checklist" in message
    assert "other-checklist" in message


def test_plugin_cannot_replace_a_builtin_kind(site: Path) -> None:
    """A plugin registering a built-in kind raises PluginError naming the distribution."""
    source = "from parscore.rules import Bands as Rule\n"
    _fake_distribution(site, "fake-bands", {"bands": "fake_bands:Rule"}, {"fake_bands": source})
    with pytest.raises(ps.PluginError, match="built in") as info:
        ps.rule_kinds(strict=True)
    assert info.value.plugin == "fake-bands"


def test_plugin_whose_class_declares_another_kind_is_skipped(site: Path) -> None:
    """An entry point naming a class whose kind differs is skipped with a PluginWarning."""
    source = "from parscore.rules import Bands as Rule\n"
    _fake_distribution(
        site, "fake-mislabel", {"my_bands": "fake_mislabel:Rule"}, {"fake_mislabel": source}
    )
    with pytest.warns(ps.PluginWarning, match="declares kind 'bands'"):
        assert "my_bands" not in ps.rule_kinds()


def test_disable_plugins_switches_discovery_off(
    checklist: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """PARSCORE_DISABLE_PLUGINS=1 hides installed plugins; built-in kinds remain."""
    monkeypatch.setenv("PARSCORE_DISABLE_PLUGINS", "1")
    plugins._reset_discovery()
    assert "weighted_checklist" not in ps.rule_kinds()
    assert "bands" in ps.rule_kinds()
    with pytest.raises(ps.UnknownRuleError):
        ps.load_scheme(SCHEME_YAML, format="yaml")


def test_register_rule_without_an_entry_point(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """register_rule makes a class usable by kind until unregister_rule removes it."""
    monkeypatch.syspath_prepend(str(EXAMPLE_SRC))
    from parscore_checklist import WeightedChecklist

    ps.register_rule(WeightedChecklist)
    try:
        assert ps.get_rule_class("weighted_checklist") is WeightedChecklist
        assert plugins.plugin_of("weighted_checklist") is None
        ps.load_scheme(SCHEME_YAML, format="yaml")
    finally:
        plugins.unregister_rule("weighted_checklist")
    with pytest.raises(LookupError):
        ps.get_rule_class("weighted_checklist")


def test_discovery_runs_once(checklist: Path) -> None:
    """Discovery is cached: a distribution added later is not seen until the cache is reset."""
    assert "late_rule" not in ps.rule_kinds()
    _fake_distribution(
        checklist, "fake-late", {"late_rule": "parscore_checklist:WeightedChecklist"}
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert "late_rule" not in ps.rule_kinds()
