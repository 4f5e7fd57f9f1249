"""The README's Python example prints what the README says it prints.

The block under "## In Python" is run statement by statement. A bare expression followed by
a comment (``result.index  # array([98.46, 73.08])``) must have that ``repr``; a ``print``
followed by comment lines must print those lines.
"""

from __future__ import annotations

import ast
import contextlib
import io
import re
from pathlib import Path

import parscore as ps

README = Path(__file__).resolve().parents[2] / "README.md"


def _block() -> str:
    text = README.read_text(encoding="utf-8")
    found = re.search(r"^## In Python\n\n```python\n(.*?)^```", text, re.S | re.M)
    assert found, "README.md has no Python block under '## In Python'"
    return found.group(1)


def _shown_after(lines: list[str], end: int) -> list[str]:
    """The comment lines right after line *end* (1-based), without their ``# ``."""
    out = []
    for line in lines[end:]:
        if not line.startswith("#"):
            break
        out.append(line[2:] if line.startswith("# ") else line[1:])
    return out


def _is_print(node: ast.stmt) -> bool:
    return (
        isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Call)
        and isinstance(node.value.func, ast.Name)
        and node.value.func.id == "print"
    )


def test_the_readme_example_prints_what_it_shows() -> None:
    code = _block()
    lines = code.splitlines()
    tree = ast.parse(code)
    namespace: dict[str, object] = {}
    checked = 0
    for node in tree.body:
        assert node.end_lineno is not None
        source = ast.get_source_segment(code, node)
        assert source is not None
        if _is_print(node):
            out = io.StringIO()
            with contextlib.redirect_stdout(out):
                exec(compile(source, "README.md", "exec"), namespace)
            expected = _shown_after(lines, node.end_lineno)
            assert expected, f"README: show what line {node.lineno} prints, as comments after it"
            got = [line.rstrip() for line in out.getvalue().splitlines()]
            assert got == [line.rstrip() for line in expected]
            checked += 1
        elif isinstance(node, ast.Expr):
            value = eval(compile(source, "README.md", "eval"), namespace)
            comment = lines[node.end_lineno - 1][node.end_col_offset :].strip()
            assert comment.startswith("#"), f"README: show the value of line {node.lineno}"
            assert repr(value) == comment[1:].strip()
            checked += 1
        else:
            exec(compile(source, "README.md", "exec"), namespace)
    assert checked >= 4


def test_the_readme_scheme_id_is_not_a_builtin_one() -> None:
    """The README's scheme has an id of its own (no built-in scheme shares it)."""
    found = re.search(r'id="([^"]+)"', _block())
    assert found
    assert found.group(1) not in ps.builtin_schemes()
