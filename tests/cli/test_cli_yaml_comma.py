"""A name with a comma inside a YAML flow mapping ``{…}``: the unknown key says to quote it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from cli_issue12 import words
from click.testing import Result

import parscore as ps

SCHEME = """\
parscore: 1
id: comma
name: Dấu phẩy
tiers:
  scale:
    - {name: Tốt, rất tốt, min: 80}
    - {name: Khá, min: 0}
nodes:
  - {id: "1", name: Công tác chỉ đạo, điều hành, max: 1, rule: {kind: yes_no}}
  - {id: "2", name: Hai, max: 1, rule: {kind: yes_no}, legal_basis: Điều 1, khoản 2}
  - {id: "3", name: Ba, max: 1, rule: {kind: yes_no}, nam: x}
"""


def test_the_unknown_key_message_says_to_quote(run: Callable[..., Result], tmp_path: Path) -> None:
    path = tmp_path / "comma.yaml"
    path.write_text(SCHEME, encoding="utf-8")
    with pytest.raises(ps.SchemeError) as caught:
        ps.load_scheme(path)
    messages = {p.path: p.message for p in caught.value.problems}
    node = messages["$.nodes[0].điều hành"]
    assert node.startswith("unknown key 'điều hành'; allowed keys: id, name, max")
    assert "a text with a comma inside {…}, put the whole text in quotes" in node
    assert 'name: "…, điều hành"' in node
    assert "put the whole text in quotes" in messages["$.tiers.scale[0].rất tốt"]
    assert "put the whole text in quotes" in messages["$.nodes[1].khoản 2"]
    # a key with a value is a misspelt key, not a cut text: no hint to quote
    typo = messages["$.nodes[2].nam"]
    assert "did you mean 'name'?" in typo
    assert "quotes" not in typo
    result = run("check", path)
    assert result.exit_code == 1
    assert "put the whole text in quotes" in words(result.stderr)
