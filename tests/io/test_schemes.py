"""Tests of scheme files: the v1 format in YAML, JSON and TOML, its errors and JSON Schema."""

from __future__ import annotations

import copy
import json
import math
import subprocess
import sys
import unicodedata
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, ClassVar

import attrs
import jsonschema
import numpy as np
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import parscore as ps
from parscore._converter import converter
from parscore.io import dump_scheme, load_scheme, scheme_from_dict, scheme_json_schema
from parscore.io._json_schema import json_schema_text
from parscore.typing import BoolArray, FloatArray, Language

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "commune-example.yaml"
SHIPPED_SCHEMA = ROOT / "src" / "parscore" / "schemes" / "scheme-v1.schema.json"
FORMATS = ("yaml", "json", "toml")

# A small valid scheme; the malformed cases below edit it, so its line numbers matter.
BASE = """\
parscore: 1
id: tiny
name: Bộ chỉ số nhỏ
tiers:
  scale:
    - {name: Đạt, min: 50}
    - {name: Không đạt, min: 0}
nodes:
  - id: "1"
    name: Lĩnh vực 1
    max: 3
    children:
      - id: "1.1"
        name: Tiêu chí 1.1
        max: 2
        rule:
          kind: bands
          bands:
            - {gt: 90, points: 2}
            - {ge: 70, le: 90, points: 1}
      - id: "1.2"
        name: Tiêu chí 1.2
        max: 1
        rule: {kind: yes_no}
"""


def edit(old: str, new: str) -> str:
    assert BASE.count(old) == 1, old
    return BASE.replace(old, new)


def errors_of(text: str | bytes, fmt: str = "yaml") -> ps.SchemeError:
    with pytest.raises(ps.SchemeError) as info:
        load_scheme(text, format=fmt)  # type: ignore[arg-type]
    return info.value


# -- strategies -------------------------------------------------------------------------------

try:
    from parscore.testing import schemes as _base_schemes
except ImportError:  # the strategies module is optional; fall back to a small local one

    @st.composite
    def _base_schemes(draw: st.DrawFn) -> ps.Scheme:
        rules = [
            ps.YesNo(),
            ps.Choice(options={"a": 1, "b": 0.5}),
            ps.Bands(bands=[ps.Band(gt=90, points=1), ps.Band(ge=70, le=90, points=0.5)]),
            ps.Ratio(inputs=("num", "den"), when_empty="not_applicable"),
            ps.Deduction(per=0.25, floor=-0.5),
            ps.Points(clip=True),
            ps.Survey(options={"A": 100, "B": 50}),
        ]
        picked = draw(st.lists(st.sampled_from(rules), min_size=1, max_size=5))
        leaves = [
            ps.Node(id=f"1.{i + 1}", name=f"Tiêu chí 1.{i + 1}", max_points=1, rule=r)
            for i, r in enumerate(picked)
        ]
        return ps.Scheme(
            id="local",
            name="Bộ chỉ số",
            nodes=[ps.Node(id="1", name="Lĩnh vực 1", children=leaves)],
            tiers=ps.TierScale(scale=[ps.Tier(name="Đạt", min=50), ps.Tier(name="Yếu", min=0)]),
        )


_TEXT = st.text(
    # no surrogates, controls or line separators: names refuse them (issue 11)
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zl", "Zp")),
    min_size=1,
    max_size=30,
).filter(lambda t: t.strip() != "")
_VIETNAMESE = st.sampled_from(
    ["Công tác chỉ đạo", "Cải cách thể chế", "Ủy ban nhân dân", "Đạt: 1 / Không đạt: 0"]
)


def _rename(node: ps.Node, names: Callable[[], str]) -> ps.Node:
    return attrs.evolve(
        node,
        name=names(),
        children=[_rename(c, names) for c in node.children],
        # a parent's computed max is not stated in files either; keep it as built
    )


@st.composite
def varied_schemes(draw: st.DrawFn) -> ps.Scheme:
    """Generated schemes with arbitrary Unicode text in names, notes and legal bases."""
    scheme = draw(_base_schemes())
    text = st.one_of(_VIETNAMESE, _TEXT)
    nodes = tuple(_rename(n, lambda: draw(text)) for n in scheme.nodes)
    return attrs.evolve(
        scheme,
        name=draw(text),
        nodes=nodes,
        level=draw(st.sampled_from(["province", "department", "commune", "other"])),
        year=draw(st.none() | st.integers(1990, 2100)),
        version=draw(st.none() | text),
        legal_basis=draw(st.none() | text),
        notes=draw(st.none() | text | st.just("dòng 1\ndòng 2\n\ndòng 4")),
    )


def python_built_schemes() -> list[ps.Scheme]:
    """The schemes of the test suite built in Python (and the example file's)."""
    from parscore.datasets import synthetic_scheme

    return [load_scheme(EXAMPLE), load_scheme(BASE, format="yaml"), synthetic_scheme()]


# -- round trips ------------------------------------------------------------------------------


@given(scheme=varied_schemes(), fmt=st.sampled_from(FORMATS))
@settings(suppress_health_check=[HealthCheck.too_slow])
def test_dump_then_load_gives_an_equal_scheme(scheme: ps.Scheme, fmt: str) -> None:
    """Python → YAML/JSON/TOML → Python gives an equal scheme, fingerprint and text."""
    text = dump_scheme(scheme, format=fmt)  # type: ignore[arg-type]
    loaded = load_scheme(text, format=fmt)  # type: ignore[arg-type]
    assert loaded == scheme
    assert ps.fingerprint(loaded) == ps.fingerprint(scheme)
    assert dump_scheme(loaded, format=fmt) == text  # type: ignore[arg-type]


@pytest.mark.parametrize("fmt", FORMATS)
def test_example_round_trips_through_every_format(fmt: str, tmp_path: Path) -> None:
    """The example scheme written to a file of each format loads back equal."""
    scheme = load_scheme(EXAMPLE)
    path = tmp_path / f"scheme.{fmt}"
    text = dump_scheme(scheme, path)
    assert path.read_text(encoding="utf-8") == text
    assert load_scheme(path) == scheme
    assert ps.fingerprint(load_scheme(str(path))) == ps.fingerprint(scheme)


def test_yaml_dump_is_block_style_and_readable() -> None:
    """YAML output is block style, keeps Vietnamese unescaped and lists keys in a fixed order."""
    text = dump_scheme(load_scheme(EXAMPLE))
    assert "Cải cách thủ tục hành chính" in text
    assert "\\u" not in text
    assert "{" not in text
    assert text.startswith("parscore: 1\nid: example-commune-yaml-2026\n")
    assert "id: '1.1'" in text


def test_toml_dump_omits_absent_values() -> None:
    """TOML cannot hold null, so absent optional values are left out and the file loads."""
    scheme = load_scheme(BASE, format="yaml")
    text = dump_scheme(scheme, format="toml")
    assert "legal_basis" not in text
    assert load_scheme(text, format="toml") == scheme


def test_load_accepts_paths_text_bytes_and_dicts(tmp_path: Path) -> None:
    """A path, text or bytes with format=, and a plain dict all load the same scheme."""
    expected = load_scheme(BASE, format="yaml")
    path = tmp_path / "tiny.yml"
    path.write_text(BASE, encoding="utf-8")
    assert load_scheme(path) == expected
    assert load_scheme(BASE.encode("utf-8"), format="yaml") == expected
    assert load_scheme(("\ufeff" + BASE).encode("utf-8"), format="yaml") == expected
    assert load_scheme(yaml.safe_load(BASE)) == expected
    assert scheme_from_dict(ps.scheme_to_dict(expected)) == expected
    assert converter.structure(ps.scheme_to_dict(expected), ps.Scheme) == expected


def test_a_path_with_an_unknown_suffix_is_an_error(tmp_path: Path) -> None:
    """A file whose suffix names no format is refused with the suffixes to use."""
    path = tmp_path / "scheme.txt"
    path.write_text(BASE, encoding="utf-8")
    with pytest.raises(ps.SchemeError, match=r"\.yaml, \.yml, \.json or \.toml"):
        load_scheme(path)
    assert load_scheme(path, format="yaml") == load_scheme(BASE, format="yaml")


def test_nfd_text_is_normalised_to_nfc() -> None:
    """Names written decomposed (NFD) load as composed (NFC) and fingerprint the same."""
    nfd = unicodedata.normalize("NFD", BASE)
    assert nfd != BASE
    scheme = load_scheme(nfd, format="yaml")
    assert scheme.name == "Bộ chỉ số nhỏ"
    assert unicodedata.is_normalized("NFC", scheme.nodes[0].children[0].name)
    assert ps.fingerprint(scheme) == ps.fingerprint(load_scheme(BASE, format="yaml"))


def test_rules_structure_through_the_converter() -> None:
    """The converter structures a rule dict by its kind, and reports bad ones with paths."""
    rule = converter.structure({"kind": "choice", "options": {"a": 1, "b": 0}}, ps.Rule)
    assert rule == ps.Choice(options={"a": 1, "b": 0})
    with pytest.raises(ps.SchemeError) as info:
        converter.structure({"kind": "bands", "bands": [{"gt": "x", "points": 1}]}, ps.Rule)
    assert info.value.problems[0].path == "$.bands[0].gt"


def test_importing_parscore_does_not_import_yaml_or_tomli_w() -> None:
    """Importing parscore imports neither pyyaml nor tomli-w (they load when files are used)."""
    code = "import sys, parscore; print('yaml' in sys.modules, 'tomli_w' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.split() == ["False", "False"]


# -- malformed files --------------------------------------------------------------------------

#: (case id, file text, message fragment, JSON path, YAML line)
MALFORMED: list[tuple[str, str, str, str, int | None]] = [
    (
        "unknown top-level key",
        BASE + "levl: commune\n",
        "unknown key 'levl'; allowed keys: parscore, id, name",
        "$.levl",
        25,
    ),
    ("did you mean", BASE + "levl: commune\n", "(did you mean 'level'?)", "$.levl", 25),
    (
        "missing version",
        edit("parscore: 1\n", ""),
        "the format version is missing: add 'parscore: 1'",
        "$.parscore",
        1,
    ),
    (
        "newer version",
        edit("parscore: 1", "parscore: 2"),
        "this file is format version 2; this parscore reads version 1 — upgrade parscore",
        "$.parscore",
        1,
    ),
    (
        "version as text",
        edit("parscore: 1", "parscore: 'v1'"),
        "must be the whole number 1",
        "$.parscore",
        1,
    ),
    (
        "number as text",
        edit("{gt: 90, points: 2}", '{gt: "90", points: 2}'),
        "expected a number, found '90' (text)",
        "$.nodes[0].children[0].rule.bands[0].gt",
        19,
    ),
    (
        "decimal comma",
        edit("        max: 1\n", "        max: 0,5\n"),
        "in plain decimal form (0.5, not 0,5 or 5e-1)",
        "$.nodes[0].children[1].max",
        23,
    ),
    (
        "unquoted id",
        edit('id: "1.2"', "id: 1.2"),
        'expected text, found 1.2 (a number); quote it ("1.2")',
        "$.nodes[0].children[1].id",
        21,
    ),
    (
        "missing node name",
        edit("        name: Tiêu chí 1.2\n", ""),
        "missing required key 'name'",
        "$.nodes[0].children[1].name",
        21,
    ),
    (
        "missing tiers",
        edit("tiers:\n  scale:\n    - {name: Đạt, min: 50}\n    - {name: Không đạt, min: 0}\n", ""),
        "missing required key 'tiers'",
        "$.tiers",
        1,
    ),
    (
        "duplicate id",
        edit('id: "1.2"', 'id: "1.1"'),
        "id '1.1' is used twice (first at $.nodes[0].children[0])",
        "$.nodes[0].children[1].id",
        21,
    ),
    (
        "overlapping bands",
        edit("{ge: 70, le: 90, points: 1}", "{ge: 70, le: 95, points: 1}"),
        "bands[0] (above 90) and bands[1] (from 70 up to 95) overlap",
        "$.nodes[0].children[0].rule.bands[0]",
        19,
    ),
    (
        "rule parameter out of range",
        edit("{kind: yes_no}", "{kind: deduction, per: 0}"),
        "per must be positive, found 0.0",
        "$.nodes[0].children[1].rule.per",
        24,
    ),
    (
        "band bounds in the wrong order",
        edit("{ge: 70, le: 90, points: 1}", "{ge: 90, le: 70, points: 1}"),
        "contains no value",
        "$.nodes[0].children[0].rule.bands[1]",
        20,
    ),
    (
        "band points above max",
        edit("{gt: 90, points: 2}", "{gt: 90, points: 3}"),
        "gives 3 points, outside 0 to the maximum 2",
        "$.nodes[0].children[0].rule.bands[0].points",
        19,
    ),
    (
        "unknown band key",
        edit("{gt: 90, points: 2}", "{gt: 90, point: 2}"),
        "unknown key 'point'; allowed keys: points, gt, ge, lt, le (did you mean 'points'?)",
        "$.nodes[0].children[0].rule.bands[0].point",
        19,
    ),
    (
        "missing band points",
        edit("{gt: 90, points: 2}", "{gt: 90}"),
        "missing required key 'points'",
        "$.nodes[0].children[0].rule.bands[0].points",
        19,
    ),
    (
        "unknown rule kind",
        edit("kind: bands", "kind: band"),
        (
            "unknown rule kind 'band'; known kinds: bands, choice, deduction, points, ratio, "
            "survey, yes_no (did you mean 'bands'?)"
        ),
        "$.nodes[0].children[0].rule.kind",
        17,
    ),
    (
        "unknown rule parameter",
        edit("{kind: yes_no}", "{kind: yes_no, input: [a]}"),
        "unknown key 'input'; allowed keys: kind, inputs, need (did you mean 'inputs'?)",
        "$.nodes[0].children[1].rule.input",
        24,
    ),
    (
        "rule not a mapping",
        edit("{kind: yes_no}", "[yes_no]"),
        "a rule must be a mapping such as {kind: yes_no}",
        "$.nodes[0].children[1].rule",
        24,
    ),
    (
        "rule without kind",
        edit("{kind: yes_no}", "{inputs: [a]}"),
        "a rule needs a kind; known kinds:",
        "$.nodes[0].children[1].rule.kind",
        24,
    ),
    (
        "inputs as text",
        edit("{kind: yes_no}", "{kind: yes_no, inputs: a}"),
        "expected a list, found 'a' (text)",
        "$.nodes[0].children[1].rule.inputs",
        24,
    ),
    (
        "yes as an option name",
        edit("{kind: yes_no}", "{kind: choice, options: {yes: 1, no: 0}}"),
        "YAML reads yes/no/on/off/true/false as true/false: quote the name",
        "$.nodes[0].children[1].rule.options.True",
        24,
    ),
    (
        "parent max disagrees",
        edit("    max: 3\n", "    max: 4\n"),
        "max is 4 but the children's max add up to 3",
        "$.nodes[0].max",
        11,
    ),
    (
        "leaf without max",
        edit("        max: 1\n", ""),
        "a leaf needs a max",
        "$.nodes[0].children[1].max",
        21,
    ),
    (
        "tiers out of order",
        edit("{name: Không đạt, min: 0}", "{name: Không đạt, min: 60}"),
        "tiers must be listed best first with decreasing min",
        "$.tiers.scale[1].min",
        7,
    ),
    (
        "unknown level",
        BASE + "level: comune\n",
        (
            "expected one of province, ministry, department, district, commune, other; "
            "found 'comune' (text) (did you mean 'commune'?)"
        ),
        "$.level",
        25,
    ),
    (
        "decimals not whole",
        BASE + "rounding: {decimals: 2.5}\n",
        "expected a whole number, found 2.5",
        "$.rounding.decimals",
        25,
    ),
    (
        "duplicate YAML key",
        edit("        max: 1\n", "        max: 1\n        max: 1\n"),
        "key 'max' is written twice in one mapping (lines 23 and 24)",
        "$.nodes[0].children[1].max",
        24,
    ),
    (
        "node not a mapping",
        edit('  - id: "1"\n', '  - "1"\n  - id: "1"\n'),
        "a node must be a mapping with id, name and max (or children), found '1' (text)",
        "$.nodes[0]",
        9,
    ),
    (
        "bad YAML syntax",
        edit("name: Tiêu chí 1.1", "name: [Tiêu chí 1.1"),
        "invalid YAML",
        "$",
        15,
    ),
    (
        "missing nodes",
        BASE.split("nodes:", maxsplit=1)[0],
        "missing required key 'nodes' (a list of nodes)",
        "$.nodes",
        1,
    ),
    ("empty file", "", "the file is empty", "$", None),
    ("not a mapping", "- a\n- b\n", "a scheme must be a mapping", "$", 1),
]


@pytest.mark.parametrize(
    ("text", "fragment", "path", "line"),
    [pytest.param(*case[1:], id=case[0]) for case in MALFORMED],
)
def test_malformed_yaml_reports_the_problem_with_path_and_line(
    text: str, fragment: str, path: str, line: int | None
) -> None:
    """Each malformed file gives a SchemeError naming the problem, its path and its line."""
    error = errors_of(text)
    matching = [p for p in error.problems if fragment in p.message]
    assert matching, f"{fragment!r} not in:\n{error}"
    assert (matching[0].path, matching[0].line) == (path, line), str(error)
    assert fragment in str(error)


def test_unknown_kind_raises_unknown_rule_error() -> None:
    """An unknown rule kind raises UnknownRuleError, a SchemeError and a LookupError."""
    error = errors_of(edit("kind: bands", "kind: band"))
    assert isinstance(error, ps.UnknownRuleError)
    assert isinstance(error, LookupError)
    assert error.problems[0].node_id == "1.1"


def test_every_problem_is_reported_at_once() -> None:
    """Several problems in one file are all listed, each with its node id, in file order."""
    text = (
        BASE.replace("{gt: 90, points: 2}", '{gt: "90", points: 2}')
        .replace('id: "1.2"', 'id: "1.1"')
        .replace("{kind: yes_no}", "{kind: yes_no, input: [a]}")
        .replace("    max: 3\n", "    max: 4\n")
        + "levl: x\n"
    )
    error = errors_of(text)
    messages = "\n".join(p.message for p in error.problems)
    for fragment in (
        "expected a number",
        "used twice",
        "unknown key 'input'",
        "unknown key 'levl'",
    ):
        assert fragment in messages
    by_path = {p.path: p for p in error.problems}
    assert by_path["$.nodes[0].children[0].rule.bands[0].gt"].node_id == "1.1"
    assert by_path["$.nodes[0].children[1].rule.input"].node_id == "1.1"
    lines = [p.line for p in error.problems]
    assert lines == sorted(lines)  # type: ignore[type-var]
    assert str(error).startswith("invalid scheme in <text>: ")


def test_problems_from_the_model_also_get_lines() -> None:
    """Problems found by the model's own validation carry their YAML line."""
    error = errors_of(edit("    max: 3\n", "    max: 4\n"))
    assert [(p.path, p.node_id, p.line) for p in error.problems] == [("$.nodes[0].max", "1", 11)]


def test_non_utf8_file_names_the_file_and_offset(tmp_path: Path) -> None:
    """Bytes that are not UTF-8 give a SchemeError naming the file, byte offset and line."""
    path = tmp_path / "cp1258.yaml"
    data = BASE.encode("utf-8").replace("Bộ chỉ số nhỏ".encode(), b"B\xf4 ch\xec s\xf4")
    path.write_bytes(data)
    with pytest.raises(ps.SchemeError) as info:
        load_scheme(path)
    offset = data.index(b"\xf4")
    message = str(info.value)
    assert str(path) in message
    assert f"byte 0xf4 at offset {offset} (line 3)" in message
    assert info.value.problems[0].line == 3


@pytest.mark.parametrize(
    ("fmt", "text", "fragment", "line"),
    [
        ("json", '{"parscore": 1,\n "id": }', "invalid JSON", 2),
        ("json", '{"parscore": 1, "parscore": 1}', "written twice", None),
        ("toml", "parscore = 1\nid = \n", "invalid TOML", 2),
        ("yaml", "parscore: 1\nid: *missing\n", "invalid YAML", 2),
    ],
)
def test_syntax_errors_are_scheme_errors_with_lines(
    fmt: str, text: str, fragment: str, line: int | None
) -> None:
    """Bad JSON, TOML or YAML syntax gives a SchemeError with its line, never a parser error."""
    error = errors_of(text, fmt)
    assert fragment in error.problems[0].message
    assert error.problems[0].line == line


def test_json_and_toml_problems_have_paths() -> None:
    """Problems in JSON and TOML files carry the same JSON paths as in YAML."""
    data = yaml.safe_load(edit("{gt: 90, points: 2}", '{gt: "90", points: 2}'))
    for fmt, text in (("json", json.dumps(data)), ("toml", _toml(data))):
        error = errors_of(text, fmt)
        assert error.problems[0].path == "$.nodes[0].children[0].rule.bands[0].gt"


def _toml(data: dict[str, Any]) -> str:
    import tomli_w

    return tomli_w.dumps(data)


# -- fuzzing ----------------------------------------------------------------------------------

_EXAMPLE_TEXT = EXAMPLE.read_text(encoding="utf-8")
_EXAMPLE_DATA = yaml.safe_load(_EXAMPLE_TEXT)

_ANY_VALUE = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.just(10**400),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=10),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=3),
)


def _locations(value: object, out: list[tuple[object, object]]) -> list[tuple[object, object]]:
    """Every (container, key or index) in *value*, depth first."""
    if isinstance(value, dict):
        for key, item in value.items():
            out.append((value, key))
            _locations(item, out)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            out.append((value, i))
            _locations(item, out)
    return out


@st.composite
def mutated_files(draw: st.DrawFn) -> str:
    """The example file with 1–3 random edits to its data, then maybe to its text."""
    data = copy.deepcopy(_EXAMPLE_DATA)
    for _ in range(draw(st.integers(1, 3))):
        locations = _locations(data, [])
        container, key = draw(st.sampled_from(locations))
        op = draw(st.sampled_from(["delete", "retype", "duplicate", "rename"]))
        if op == "delete":
            del container[key]  # type: ignore[attr-defined]
        elif op == "retype":
            container[key] = draw(_ANY_VALUE)  # type: ignore[index]
        elif op == "duplicate" and isinstance(container, list):
            container.append(copy.deepcopy(container[key]))  # type: ignore[index]
        elif op == "rename" and isinstance(container, dict):
            new = draw(st.sampled_from(["id", "max", "kind", "rule", "nodes", "x"]) | st.text())
            container[new] = container.pop(key)
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    edit = draw(st.sampled_from(["none", "insert", "truncate"]))
    at = draw(st.integers(0, len(text)))
    if edit == "insert":
        text = (
            text[:at]
            + draw(st.text(max_size=8) | st.sampled_from(["{", ":", "- ", "\t", "&a *a"]))
            + text[at:]
        )
    elif edit == "truncate":
        text = text[:at]
    return text


@given(text=mutated_files())
@settings(
    max_examples=settings().max_examples * 10,  # 2,000 mutated files with the CI profile
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_only_parscore_errors_escape_load_scheme(text: str) -> None:
    """Whatever is done to a valid file, load_scheme returns a scheme or raises ParscoreError."""
    message = ""
    try:
        scheme = load_scheme(text, format="yaml")
    except ps.ParscoreError as exc:
        message = str(exc)  # building the message must not fail either
        assert message
    else:
        assert isinstance(scheme, ps.Scheme)


# -- JSON Schema ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = scheme_json_schema(plugins=False)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_shipped_schema_is_current() -> None:
    """The shipped scheme-v1.schema.json equals the freshly generated schema."""
    shipped = SHIPPED_SCHEMA.read_text(encoding="utf-8")
    assert shipped == json_schema_text(), "run: python scripts/gen_json_schema.py"


def test_schema_has_a_branch_per_rule_kind() -> None:
    """Rules are a oneOf over the built-in kinds, each branch fixing its kind."""
    schema = scheme_json_schema(plugins=False)
    branches = schema["$defs"]["rule"]["oneOf"]
    kinds = [
        schema["$defs"][b["$ref"].split("/")[-1]]["properties"]["kind"]["const"] for b in branches
    ]
    assert kinds == ["bands", "choice", "deduction", "points", "ratio", "survey", "yes_no"]
    assert schema["properties"]["nodes"]["items"] == {"$ref": "#/$defs/Node"}
    node = schema["$defs"]["Node"]["properties"]
    assert "max" in node
    assert "max_points" not in node
    assert schema["$defs"]["Rounding"]["properties"]["decimals"]["maximum"] == 6


def test_python_built_schemes_validate_against_the_schema(
    validator: jsonschema.Draft202012Validator,
) -> None:
    """The dict of every Python-built test scheme, and the example file, are schema-valid."""
    for scheme in python_built_schemes():
        validator.validate(ps.scheme_to_dict(scheme))
    validator.validate(_EXAMPLE_DATA)


@given(scheme=varied_schemes())
@settings(suppress_health_check=[HealthCheck.too_slow])
def test_generated_schemes_validate_against_the_schema(scheme: ps.Scheme) -> None:
    """The dict of every generated scheme is valid against the JSON Schema."""
    validator = jsonschema.Draft202012Validator(scheme_json_schema(plugins=False))
    validator.validate(ps.scheme_to_dict(scheme))


@pytest.mark.parametrize(
    "text",
    [
        BASE + "levl: commune\n",
        edit("kind: bands", "kind: band"),
        edit("{gt: 90, points: 2}", '{gt: "90", points: 2}'),
        edit("{kind: yes_no}", "{kind: yes_no, when_empty: full}"),
        edit("parscore: 1", "parscore: 2"),
    ],
)
def test_schema_rejects_structurally_bad_files(
    validator: jsonschema.Draft202012Validator, text: str
) -> None:
    """Unknown keys and kinds, wrong types and other versions fail schema validation."""
    assert not validator.is_valid(yaml.safe_load(text))


@attrs.frozen(kw_only=True)
class Checklist:
    """A test plugin rule: a weighted checklist, with nested parameters."""

    kind: ClassVar[str] = "test_checklist"
    can_be_not_applicable: ClassVar[bool] = False

    weights: tuple[float, ...]
    labels: dict[str, str] = attrs.field(factory=dict)

    @property
    def inputs(self) -> tuple[str, ...]:
        """One input per weight."""
        return tuple(f"item{i}" for i in range(len(self.weights)))

    def points(self, values: FloatArray, max_points: float) -> FloatArray:
        """Max × the weighted share of checks passed."""
        share = np.asarray(self.weights) @ values / sum(self.weights)
        return np.asarray(max_points * share, dtype=np.float64)

    def check(self, values: FloatArray, max_points: float) -> Sequence[tuple[BoolArray, str]]:
        """Nothing is invalid."""
        del values, max_points
        return []

    def bounds(self, max_points: float) -> tuple[float, float]:
        """From 0 to the max."""
        return (0.0, max_points)

    def problems(self, max_points: float) -> list[tuple[str, str]]:
        """No problems."""
        del max_points
        return []

    def describe(self, lang: Language = "vi") -> str:
        """A fixed description."""
        del lang
        return "checklist"


@pytest.fixture
def checklist() -> Any:
    ps.register_rule(Checklist)  # type: ignore[arg-type]
    yield Checklist
    ps.plugins.unregister_rule(Checklist.kind)


def test_registered_plugin_rules_load_dump_and_appear_in_the_schema(checklist: Any) -> None:
    """A registered rule loads from files, round-trips and is a branch of the schema's oneOf."""
    text = edit("{kind: yes_no}", "{kind: test_checklist, weights: [1, 2], labels: {a: b}}")
    scheme = load_scheme(text, format="yaml")
    assert scheme.nodes[0].children[1].rule == checklist(weights=(1.0, 2.0), labels={"a": "b"})
    for fmt in FORMATS:
        assert load_scheme(dump_scheme(scheme, format=fmt), format=fmt) == scheme  # type: ignore[arg-type]
    schema = scheme_json_schema()
    assert {"$ref": "#/$defs/rule-test_checklist"} in schema["$defs"]["rule"]["oneOf"]
    jsonschema.Draft202012Validator(schema).validate(ps.scheme_to_dict(scheme))
    assert "rule-test_checklist" not in scheme_json_schema(plugins=False)["$defs"]
    bad = edit("{kind: yes_no}", "{kind: test_checklist, weights: [1, x]}")
    problem = errors_of(bad).problems[0]
    assert (problem.path, problem.line) == ("$.nodes[0].children[1].rule.weights[1]", 24)


# -- the example file -------------------------------------------------------------------------


def test_example_loads_validates_and_scores() -> None:
    """examples/commune-example.yaml loads, is schema-valid and scores sample units."""
    scheme = load_scheme(EXAMPLE)
    assert scheme.max_points == 25
    data = {
        "unit_id": ["xa-001", "xa-002", "xa-003"],
        "1.1": ["kip_thoi", "khong_kip_thoi", "khong_ban_hanh"],
        "1.2": [95, 90, 50],
        "1.3:du_so_luong": [1, 1, 0],
        "1.3:dung_han": [1, 0, 0],
        "3.1:on_time": [48, 30, 0],
        "3.1:received": [50, 40, 0],
        "3.2": [0, 2, 9],
        "3.3": [2, 1.5, 0.5],
        "8.1:A": [10, 5, 0],
        "8.1:B": [5, 5, 2],
        "8.1:C": [0, 5, 5],
        "8.1:D": [0, 0, 3],
        "8.2": [90, None, 40],
        "bonus": [1, 0, 0],
        "penalty": [0, 0, 3],
    }
    result = ps.score(scheme, data)
    # xa-002: 0.5 + 1 + 0 + 7.5 + 0.5 + 1.5 + 5 × (5×100 + 5×60 + 5×20)/(100 × 15) = 14; 8.2 is
    # missing and not applicable, so its max is 25 − 3 = 22.
    np.testing.assert_allclose(result.total, [24.63, 14.0, 9.8])
    np.testing.assert_allclose(result.max, [25, 22, 25])
    assert list(result.tier) == ["Tốt", "Trung bình", "Yếu"]
    assert math.isclose(result.index[1], 63.64)


def test_docs_show_the_example_file() -> None:
    """docs/scheme-format.md contains the example file verbatim, so the two never drift."""
    docs = (ROOT / "docs" / "scheme-format.md").read_text(encoding="utf-8")
    assert _EXAMPLE_TEXT in docs


def test_loads_scheme_reads_text_and_bytes() -> None:
    """loads_scheme reads a document given as text or UTF-8 bytes, like load_scheme of a file."""
    from parscore.io import loads_scheme

    expected = load_scheme(BASE, format="yaml")
    assert loads_scheme(BASE, format="yaml") == expected
    assert loads_scheme(("\ufeff" + BASE).encode("utf-8"), format="yaml") == expected


def test_load_scheme_of_text_points_to_loads_scheme() -> None:
    """load_scheme given a document instead of a path says to use loads_scheme, not the text."""
    with pytest.raises(ps.SchemeError, match=r"use loads_scheme\(text, format=\.\.\.\)") as info:
        load_scheme(BASE)
    assert BASE not in str(info.value)
