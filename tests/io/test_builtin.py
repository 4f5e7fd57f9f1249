"""The built-in schemes: they load, validate, round-trip, match the JSON Schema and score."""

from __future__ import annotations

import importlib.resources
import json
from collections import Counter

import pytest

import parscore as ps
from parscore.datasets import FIELD_NAMES, example_data
from parscore.io.builtin import UnknownSchemeError

ALL = ps.builtin_schemes()
ILLUSTRATIVE = "Minh hoạ — không phải văn bản chính thức"


def _yaml_data(scheme_id: str) -> object:
    import yaml

    path = importlib.resources.files("parscore") / "schemes" / f"{scheme_id}.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def test_the_four_schemes_are_listed() -> None:
    """builtin_schemes() lists the shipped schemes, sorted."""
    assert ALL == (
        "camau-2013-field1",
        "example-commune-2026",
        "example-department-2026",
        "example-province-2026",
    )


@pytest.mark.parametrize("scheme_id", ALL)
def test_builtin_scheme_loads_with_its_file_id(scheme_id: str) -> None:
    """Each built-in scheme loads, validates, and its id is its file name."""
    scheme = ps.builtin_scheme(scheme_id)
    assert scheme.id == scheme_id
    assert scheme.problems() == []
    assert ps.builtin_scheme(scheme_id) is scheme  # cached


@pytest.mark.parametrize("scheme_id", ALL)
@pytest.mark.parametrize("fmt", ["yaml", "json", "toml"])
def test_builtin_scheme_round_trips(scheme_id: str, fmt: str) -> None:
    """Dump → load through every format gives an equal scheme with the same fingerprint."""
    scheme = ps.builtin_scheme(scheme_id)
    again = ps.load_scheme(ps.dump_scheme(scheme, format=fmt), format=fmt)  # type: ignore[arg-type]
    assert again == scheme
    assert ps.fingerprint(again) == ps.fingerprint(scheme)


@pytest.mark.parametrize("scheme_id", ALL)
def test_builtin_scheme_matches_the_shipped_json_schema(scheme_id: str) -> None:
    """The file as written, and its canonical dict, validate against scheme-v1.schema.json."""
    jsonschema = pytest.importorskip("jsonschema")
    path = importlib.resources.files("parscore") / "schemes" / "scheme-v1.schema.json"
    schema = json.loads(path.read_text(encoding="utf-8"))
    jsonschema.validate(_yaml_data(scheme_id), schema)
    jsonschema.validate(ps.scheme_to_dict(ps.builtin_scheme(scheme_id)), schema)


@pytest.mark.parametrize("scheme_id", ALL)
def test_builtin_scheme_scores_example_data_with_spread_tiers(scheme_id: str) -> None:
    """500 units of example data score without error and fall in at least three tiers."""
    scheme = ps.builtin_scheme(scheme_id)
    result = ps.score(scheme, example_data(scheme, 500))
    counts = Counter(str(t) for t in result.tier)
    assert len(counts) >= 3
    assert max(counts.values()) < 400


@pytest.mark.parametrize("scheme_id", ALL)
def test_builtin_scheme_says_what_is_illustrative(scheme_id: str) -> None:
    """Every built-in scheme's notes say what is real and what is illustrative."""
    scheme = ps.builtin_scheme(scheme_id)
    assert scheme.notes is not None
    assert "Minh hoạ" in scheme.notes or "minh hoạ" in scheme.notes.casefold()
    assert "Illustrative" in scheme.notes or "illustrative" in scheme.notes
    assert scheme.legal_basis is not None
    assert "Minh hoạ" in scheme.legal_basis or "minh hoạ" in scheme.legal_basis


@pytest.mark.parametrize("scheme_id", ["example-commune-2026", "example-department-2026"])
def test_examples_use_every_rule_kind_and_100_points(scheme_id: str) -> None:
    """The two example sets use every built-in rule kind, total 100 points, 70 appraised."""
    scheme = ps.builtin_scheme(scheme_id)
    kinds = {leaf.rule.kind for leaf in scheme.leaves() if leaf.rule is not None}
    assert kinds == {"bands", "choice", "deduction", "points", "ratio", "survey", "yes_no"}
    assert scheme.max_points == 100
    assert scheme.legal_basis == ILLUSTRATIVE


def test_commune_example_follows_the_national_fields() -> None:
    """example-commune-2026 has the eight national fields, about 40 criteria and 70/30 points."""
    scheme = ps.builtin_scheme("example-commune-2026")
    assert tuple(node.name for node in scheme.nodes) == FIELD_NAMES
    criteria = [c for field in scheme.nodes for c in field.children]
    assert 30 <= len(criteria) <= 50
    assert any(c.children for c in criteria)  # some criteria have sub-criteria
    assert scheme.node("8.2").max + scheme.node("8.3").max == 30
    assert [(t.name, t.min) for t in scheme.tiers.scale] == [
        ("Tốt", 80),
        ("Khá", 70),
        ("Trung bình", 50),
        ("Yếu", 0),
    ]


def test_department_example_has_seven_fields_and_five_tiers() -> None:
    """example-department-2026 has national fields 1-7 only and Xuất sắc … Yếu tiers."""
    scheme = ps.builtin_scheme("example-department-2026")
    assert tuple(node.name for node in scheme.nodes) == FIELD_NAMES[:7]
    assert scheme.level == "department"
    assert scheme.tiers.names == ("Xuất sắc", "Tốt", "Khá", "Trung bình", "Yếu")


def test_camau_fragment_keeps_the_published_points() -> None:
    """camau-2013-field1 reproduces the published maxima of field 1 and criteria 1.1–1.3."""
    scheme = ps.builtin_scheme("camau-2013-field1")
    (field,) = scheme.nodes
    assert (field.name, field.max) == ("Công tác chỉ đạo, điều hành CCHC", 20)
    published = {"1.1": ("Kế hoạch CCHC năm", 5), "1.2": ("Báo cáo CCHC", 2)}
    published["1.3"] = ("Kiểm tra công tác CCHC", 3)
    for node_id, (name, mx) in published.items():
        node = scheme.node(node_id)
        assert (node.name, node.max) == (name, mx)
    others = [c for c in field.children if c.id not in published]
    assert sum(c.max for c in others) == 10
    assert all("minh hoạ" in c.name for c in others)


def test_unknown_builtin_id_lists_the_known_ones() -> None:
    """An unknown id raises a LookupError naming every built-in scheme and the closest one."""
    with pytest.raises(UnknownSchemeError) as info:
        ps.builtin_scheme("example-comune-2026")
    assert isinstance(info.value, LookupError)
    assert isinstance(info.value, ps.ParscoreError)
    message = str(info.value)
    assert all(scheme_id in message for scheme_id in ALL)
    assert "did you mean 'example-commune-2026'" in message
