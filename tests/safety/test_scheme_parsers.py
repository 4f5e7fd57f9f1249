"""Untrusted scheme text: every parser error, bad text and bad number is a SchemeError with where.

Issue 11: invalid YAML dates, explicit tags, lone surrogates, control characters, non-text keys
and huge numbers escaped as ValueError/TypeError or loaded and failed later (compile,
fingerprint, writers). Each case here asserts the error class and the path or line.
"""

from __future__ import annotations

import pytest

import parscore as ps
from parscore.io import loads_scheme

TINY = """\
parscore: 1
id: tiny
name: Tiny
tiers:
  scale:
    - {name: Đạt, min: 0}
nodes:
  - id: a
    name: Leaf a
    max: 1
    rule: {kind: yes_no}
  - id: b
    name: Leaf b
    max: 1
    rule: {kind: yes_no}
"""

JSON = (
    '{"parscore": 1, "id": "t", "name": "t", "tiers": {"scale": [{"name": "x", "min": 0}]},\n'
    ' "nodes": [{"id": "a", "name": "n", "max": 1, "rule": {"kind": "yes_no"}}]}\n'
)


def _yaml_error(text: str) -> ps.SchemeError:
    with pytest.raises(ps.SchemeError) as caught:
        loads_scheme(text, format="yaml")
    str(caught.value)  # the message builds
    return caught.value


def test_tiny_loads() -> None:
    assert loads_scheme(TINY, format="yaml").node_ids == ("a", "b")


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("2026-13-45", "timestamp"),  # an invalid date: ValueError in pyyaml's constructor
        ("!!int abc", "int"),  # an explicit tag the value does not fit
        ("!!float abc", "float"),
        ("!!timestamp 2026-02-30", "timestamp"),
    ],
)
def test_a_value_yaml_cannot_construct_is_a_scheme_error_with_its_line(
    value: str, words: str
) -> None:
    error = _yaml_error(TINY.replace("max: 1\n", f"max: {value}\n", 1))
    (problem,) = error.problems
    assert problem.line == 10
    assert words in problem.message


def test_python_tags_are_refused_with_their_line() -> None:
    text = TINY.replace("name: Tiny", "name: !!python/object:os.system {}")
    (problem,) = _yaml_error(text).problems
    assert problem.line == 3
    assert "python/object" in problem.message


def test_a_lone_surrogate_is_refused_at_load_naming_the_path() -> None:
    text = TINY.replace("name: Leaf b", 'name: "Leaf \\ud800"')
    (problem,) = _yaml_error(text).problems
    assert problem.path == "$.nodes[1].name"
    assert problem.node_id == "b"
    assert problem.line == 13
    assert "surrogate" in problem.message


def test_a_lone_surrogate_in_json_and_in_a_dict_is_refused() -> None:
    data = ps.scheme_to_dict(loads_scheme(TINY, format="yaml"))
    data["nodes"][0]["name"] = "x\udc80"  # type: ignore[index]
    with pytest.raises(ps.SchemeError) as caught:
        ps.scheme_from_dict(data)
    assert [p.path for p in caught.value.problems] == ["$.nodes[0].name"]
    text = JSON.replace('"name": "t"', '"name": "\\ud800"')
    with pytest.raises(ps.SchemeError) as caught:
        loads_scheme(text, format="json")
    assert [p.path for p in caught.value.problems] == ["$.name"]


def test_a_lone_surrogate_from_python_is_a_parameter_error() -> None:
    with pytest.raises(ps.ParameterError, match="surrogate"):
        ps.Node(id="a", name="\ud800", max_points=1, rule=ps.rules.YesNo())


@pytest.mark.parametrize("char", ["\\x01", "\\x1b", "\\x7f", "\\x9b", "\\t", "\\n", "\\u2028"])
def test_control_characters_and_line_breaks_in_a_name_are_refused(char: str) -> None:
    text = TINY.replace("name: Leaf a", f'name: "Leaf{char}a"')
    (problem,) = _yaml_error(text).problems
    assert problem.path == "$.nodes[0].name"
    assert problem.line == 9
    assert f"U+{ord(char.encode().decode('unicode_escape')):04X}" in problem.message


def test_a_control_character_in_a_key_is_refused_and_kept_out_of_the_path() -> None:
    text = TINY.replace("{kind: yes_no}", '{kind: choice, options: {"a\\x1bb": 1}}', 1)
    (problem,) = _yaml_error(text).problems
    assert problem.path == "$.nodes[0].rule.options.a\ufffdb"
    assert "\x1b" not in str(problem)
    assert problem.line == 11


def test_free_text_may_span_lines_but_holds_no_other_control() -> None:
    ok = TINY.replace("name: Tiny", 'name: Tiny\nnotes: "dòng 1\\n\\tdòng 2\\r\\n"')
    assert loads_scheme(ok, format="yaml").notes == "dòng 1\n\tdòng 2"
    bad = TINY.replace("name: Tiny", 'name: Tiny\nlegal_basis: "a\\x00b"')
    (problem,) = _yaml_error(bad).problems
    assert (problem.path, problem.line) == ("$.legal_basis", 4)


def test_control_characters_from_python_are_problems_of_the_scheme() -> None:
    with pytest.raises(ps.SchemeError) as caught:
        ps.Scheme(
            id="t",
            name="T\x00",
            tiers=ps.TierScale(scale=[ps.Tier(name="x", min=0)]),
            nodes=[ps.Node(id="a", name="a\nb", max_points=1, rule=ps.rules.YesNo())],
        )
    assert [p.path for p in caught.value.problems] == ["$.name", "$.nodes[0].name"]


@pytest.mark.parametrize(
    ("where", "path"),
    [
        ("options", "$.nodes[0].rule.options.1"),  # a name is expected: quote it
        ("rule", "$.nodes[0].rule.1"),  # an unknown key that is not text
    ],
)
def test_a_non_text_key_is_a_scheme_error(where: str, path: str) -> None:
    rule = "{kind: choice, options: {1: 2}}" if where == "options" else "{kind: yes_no, 1: 2}"
    text = TINY.replace("{kind: yes_no}", rule, 1)
    (problem,) = _yaml_error(text).problems
    assert problem.path == path
    assert problem.line == 11


def test_non_text_keys_of_every_type_never_escape() -> None:
    for key in ("1", "1.5", "null", "true", "2026-01-01", "[1, 2]", "{a: 1}", "9" * 40):
        for old, new in (
            ("{kind: yes_no}", f"{{kind: yes_no, {key}: 2}}"),
            ("{kind: yes_no}", f"{{kind: choice, options: {{{key}: 2}}}}"),
            ("{name: Đạt, min: 0}", f"{{name: Đạt, min: 0, {key}: 1}}"),
            ("name: Tiny", f"name: {{{key}: Tiny}}"),
        ):
            with pytest.raises(ps.ParscoreError) as caught:
                loads_scheme(TINY.replace(old, new, 1), format="yaml")
            assert str(caught.value)


def test_max_1e307_is_refused_from_files_and_from_python() -> None:
    text = TINY.replace("max: 1\n", "max: 1.0e+307\n")
    problems = _yaml_error(text).problems
    assert [(p.path, p.line) for p in problems] == [("$.nodes[0].max", 10), ("$.nodes[1].max", 14)]
    assert "too large" in problems[0].message
    json_text = JSON.replace('"max": 1,', '"max": 1e307,')
    with pytest.raises(ps.SchemeError) as caught:
        loads_scheme(json_text, format="json")
    assert [p.path for p in caught.value.problems] == ["$.nodes[0].max"]
    with pytest.raises(ps.SchemeError) as caught:
        ps.Scheme(
            id="t",
            name="t",
            tiers=ps.TierScale(scale=[ps.Tier(name="x", min=0)]),
            nodes=[ps.Node(id=i, name="n", max_points=1e307, rule=ps.rules.YesNo()) for i in "ab"],
        )
    assert [p.path for p in caught.value.problems] == ["$.nodes[0].max", "$.nodes[1].max"]


def test_a_max_above_1e9_is_refused_and_infinity_too() -> None:
    problems = _yaml_error(TINY.replace("max: 1\n", "max: 2000000000\n", 1)).problems
    assert [p.path for p in problems] == ["$.nodes[0].max"]
    problems = _yaml_error(TINY.replace("max: 1\n", "max: .inf\n", 1)).problems
    assert [p.path for p in problems] == ["$.nodes[0].max"]


def test_toml_and_json_syntax_errors_have_their_line() -> None:
    with pytest.raises(ps.SchemeError) as caught:
        loads_scheme('parscore = 1\nid = "t"\nname = \n', format="toml")
    assert caught.value.problems[0].line == 3
    with pytest.raises(ps.SchemeError) as caught:
        loads_scheme('{"parscore": 1,\n "id": }', format="json")
    assert caught.value.problems[0].line == 2


def test_a_plugin_rule_whose_problems_raise_is_a_problem_of_its_node() -> None:
    class Broken:
        kind = "broken"

        def inputs(self) -> tuple[str, ...]:
            return ("x",)

        def points(self, values: object, max_points: float) -> object:
            return values

        def check(self, values: object, max_points: float) -> list[object]:
            return []

        def bounds(self, max_points: float) -> tuple[float, float]:
            return (0.0, max_points)

        def problems(self, max_points: float) -> list[tuple[str, str]]:
            raise ZeroDivisionError

        def describe(self, max_points: float) -> str:
            return "broken"

    with pytest.raises(ps.SchemeError) as caught:
        ps.Scheme(
            id="t",
            name="t",
            tiers=ps.TierScale(scale=[ps.Tier(name="x", min=0)]),
            nodes=[ps.Node(id="a", name="n", max_points=1, rule=Broken())],  # type: ignore[arg-type]
        )
    (problem,) = caught.value.problems
    assert problem.path == "$.nodes[0].rule"
    assert "broken" in problem.message
