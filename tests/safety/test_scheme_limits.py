"""Scheme files are bounded by ps.Limits: each bomb is a LimitError, refused before the cost.

Issue 11: a 730-byte YAML of nested aliases expanded without bound in our walks, deep JSON
raised RecursionError, 5,000-digit integers raised Python's ValueError, trees could be deep
enough to load but not to dump. Each case names the limit and where (file, path or line).
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

import parscore as ps
from parscore.io import load_scheme, loads_scheme, scheme_from_dict

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
"""

LAUGHS = "".join(
    f"{name}: &{name} [{', '.join([f'*{prev}'] * 9) if prev else ', '.join(['lol'] * 9)}]\n"
    for prev, name in zip(["", *"abcdefgh"], "abcdefghi", strict=True)
)


def _limit(call: object, *args: object, **kwargs: object) -> ps.LimitError:
    with pytest.raises(ps.LimitError) as caught:
        call(*args, **kwargs)  # type: ignore[operator]
    assert isinstance(caught.value, ps.ParscoreError)
    assert str(caught.value)
    return caught.value


def test_billion_laughs_is_refused_in_milliseconds() -> None:
    assert len(LAUGHS.encode()) < 800
    start = time.perf_counter()
    error = _limit(loads_scheme, LAUGHS, format="yaml")
    assert time.perf_counter() - start < 1.0  # ms in practice; generous on a busy machine
    assert error.limit == "max_scheme_values"
    assert (error.value or 0) > 9**9  # the size as expanded, counted on the shared graph
    assert "<text>" in (error.where or "")


def test_a_few_aliases_under_the_limit_still_load() -> None:
    text = TINY.replace(
        "tiers:\n  scale:\n    - {name: Đạt, min: 0}",
        "tiers: &t\n  scale:\n    - {name: Đạt, min: 0}",
    )
    assert loads_scheme(text, format="yaml").tiers.names == ("Đạt",)


def test_an_alias_inside_itself_is_a_scheme_error_with_its_line() -> None:
    with pytest.raises(ps.SchemeError) as caught:
        loads_scheme(TINY + "notes: &n [1, *n]\n", format="yaml")
    assert caught.value.problems[0].line == 12


def test_the_expanded_size_counts_for_dicts_too() -> None:
    shared: list[object] = ["x"] * 1000
    data = {"parscore": 1, "notes": [shared] * 1000}
    error = _limit(scheme_from_dict, data, limits=ps.Limits(max_scheme_values=100_000))
    assert error.limit == "max_scheme_values"
    assert (error.where or "").startswith("$.notes[")


@pytest.mark.parametrize(
    ("fmt", "text"),
    [
        ("json", "[" * 100_000 + "]" * 100_000),
        ("json", '{"a":' * 50_000 + "1" + "}" * 50_000),
        ("yaml", "[" * 100_000 + "]" * 100_000),
        ("yaml", "a:\n" + "".join("  " * i + "- \n" for i in range(1, 200))),
        ("toml", "a = " + "[" * 100_000 + "]" * 100_000),
    ],
)
def test_deep_nesting_is_a_limit_error(fmt: str, text: str) -> None:
    error = _limit(loads_scheme, text, format=fmt)
    assert error.limit == "max_depth"
    if fmt == "json":
        assert "line 1" in (error.where or "")


def test_deep_json_reports_its_line() -> None:
    text = "{\n" + '"a": [\n' * 100 + "]" * 100 + "}"
    error = _limit(loads_scheme, text, format="json")
    assert (error.limit, error.maximum, error.value) == ("max_depth", 64, 65)
    assert error.where == "<text>, line 65"


def _chain(depth: int) -> dict[str, object]:
    leaf: dict[str, object] = {"id": "x0", "name": "n", "max": 1, "rule": {"kind": "yes_no"}}
    for i in range(1, depth):
        leaf = {"id": f"x{i}", "name": "n", "children": [leaf]}
    return {
        "parscore": 1,
        "id": "deep",
        "name": "deep",
        "tiers": {"scale": [{"name": "a", "min": 0}]},
        "nodes": [leaf],
    }


def test_a_tree_too_deep_to_dump_is_refused_at_load() -> None:
    error = _limit(scheme_from_dict, _chain(5_000))
    assert error.limit == "max_depth"
    assert (error.where or "").startswith("$.nodes[0].children[0].children[0]")
    scheme = scheme_from_dict(_chain(30))  # within the limit: loads and dumps
    assert ps.dump_scheme(scheme, format="json")


def test_max_nodes() -> None:
    data = _chain(1)
    data["nodes"] = [
        {"id": f"n{i}", "name": "n", "max": 1, "rule": {"kind": "yes_no"}} for i in range(50)
    ]
    error = _limit(scheme_from_dict, data, limits=ps.Limits(max_nodes=10))
    assert (error.limit, error.where) == ("max_nodes", "$.nodes[10]")
    assert len(scheme_from_dict(data).node_ids) == 50


@pytest.mark.parametrize("fmt", ["yaml", "json", "toml"])
def test_a_5000_digit_whole_number_is_refused_before_conversion(fmt: str) -> None:
    digits = "9" * 5_000
    if fmt == "yaml":
        text = TINY.replace("max: 1", f"max: {digits}")
    elif fmt == "json":
        text = '{"parscore": 1, "id": "t", "nodes": [{"max": ' + digits + "}]}"
    else:
        text = f"parscore = 1\nyear = {digits}\n"
    error = _limit(loads_scheme, text, format=fmt)
    assert error.limit == "max_number_digits"
    if fmt == "yaml":
        assert error.where == "<text>, $.nodes[0].max (line 10)"
        assert error.value == 5_000
    elif fmt == "json":
        assert error.where == "<text>, $.nodes[0].max"


def test_whole_numbers_past_the_digit_limit_but_convertible_are_refused_too() -> None:
    error = _limit(loads_scheme, TINY.replace("max: 1", "max: " + "1" * 31), format="yaml")
    assert error.where == "<text>, $.nodes[0].max (line 10)"
    error = _limit(
        loads_scheme,
        "parscore = 1\nyear = 1_000_000_000_000_000_000_000_000_000_000\n",
        format="toml",
    )
    assert error.where == "<text>, $.year"
    error = _limit(scheme_from_dict, {"parscore": 1, "year": 10**5000})
    assert error.where == "$.year"
    wider = ps.Limits(max_number_digits=40)
    with pytest.raises(ps.SchemeError):  # allowed through, then too large for a max
        loads_scheme(TINY.replace("max: 1", "max: " + "1" * 31), format="yaml", limits=wider)


def test_a_file_too_large_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "scheme.yaml"
    path.write_text(TINY, encoding="utf-8")
    small = ps.Limits(max_file_bytes=100)
    error = _limit(load_scheme, path, limits=small)
    assert (error.limit, error.maximum, error.value) == ("max_file_bytes", 100, len(TINY.encode()))
    assert error.where == str(path)
    assert _limit(loads_scheme, TINY, format="yaml", limits=small).limit == "max_file_bytes"
    assert (
        _limit(loads_scheme, TINY.encode(), format="yaml", limits=small).limit == "max_file_bytes"
    )
    vietnamese = TINY.replace("Leaf a", "Đạt " * 20)  # 80 characters, more bytes
    limit = ps.Limits(max_file_bytes=len(vietnamese) + 10)
    assert _limit(loads_scheme, vietnamese, format="yaml", limits=limit).value == len(
        vietnamese.encode()
    )
    assert load_scheme(path).id == "tiny"


def test_limits_pass_through_load_scheme_for_every_source(tmp_path: Path) -> None:
    tight = ps.Limits(max_depth=3)
    path = tmp_path / "s.yaml"
    path.write_text(TINY, encoding="utf-8")
    for source, fmt in ((path, None), (TINY, "yaml"), (TINY.encode(), "yaml")):
        assert _limit(load_scheme, source, format=fmt, limits=tight).limit == "max_depth"
    data = ps.scheme_to_dict(load_scheme(path))
    assert _limit(load_scheme, data, limits=tight).limit == "max_depth"
    assert _limit(scheme_from_dict, data, limits=tight).limit == "max_depth"
