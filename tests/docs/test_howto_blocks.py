"""The Python blocks of the web-service and notebook how-tos run as shown."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parents[2] / "docs"
_FENCE = re.compile(r"^```(\w+)\n(.*?)^```$", re.MULTILINE | re.DOTALL)
_CAPTIONED = re.compile(
    r"^```\{code-block\} \w+\n:caption: (\S+)\n(.*?)^```$", re.MULTILINE | re.DOTALL
)


def _python(page: str) -> list[str]:
    text = (DOCS / page).read_text(encoding="utf-8")
    return [body for lang, body in _FENCE.findall(text) if lang == "python"]


def _run(code: str, name: str) -> tuple[dict[str, object], str]:
    namespace: dict[str, object] = {"__name__": "__howto__"}
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, name, "exec"), namespace)
    return namespace, out.getvalue()


def test_the_web_service_block_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Records in, strict JSON out, explanations of many units, an error as data."""
    tutorial = (DOCS / "tutorial.md").read_text(encoding="utf-8")
    files = dict(_CAPTIONED.findall(tutorial))
    (tmp_path / "huong-dan-xa-2026.yaml").write_text(files["huong-dan-xa-2026.yaml"], "utf-8")
    monkeypatch.chdir(tmp_path)
    (code,) = _python("howto/web.md")
    names, printed = _run(code, "howto/web.md")
    assert printed.strip() == "MeasurementsError True"
    document = names["document"]
    assert isinstance(document, dict)
    assert set(document) >= {"scheme", "nodes", "columns", "units"}
    assert "NaN" not in str(names["body"])
    explanations = names["explanations"]
    assert isinstance(explanations, dict)
    assert "units" in explanations


def test_the_notebook_block_runs() -> None:
    """Each object the notebook page shows has an HTML view."""
    pytest.importorskip("pandas")
    code, _plots = _python("howto/notebook.md")
    names, _ = _run(code, "howto/notebook.md")
    lines = [line.split("  #")[0].strip() for line in code.splitlines()]
    shown = [
        line
        for line in lines
        if line and not re.match(r"^(import|from) |^[\w, ]+ = ", line)  # not an assignment
    ]
    assert len(shown) >= 5
    for expression in shown:
        value = eval(expression, names)
        assert hasattr(value, "_repr_html_") or hasattr(value, "to_html"), expression


def test_the_plots_block_draws_figures() -> None:
    """Each plot the notebook page shows is a matplotlib figure; to_svg gives SVG text."""
    pytest.importorskip("matplotlib", reason="matplotlib is not installed (the plots extra)")
    from matplotlib.figure import Figure

    code, plots = _python("howto/notebook.md")
    names, _ = _run(code + "\n" + plots, "howto/notebook.md")
    for line in plots.splitlines():
        expression = line.split("  #")[0].strip()
        if expression.startswith("plots."):
            assert isinstance(eval(expression, names), Figure), expression
    assert str(names["svg"]).lstrip().startswith(("<?xml", "<svg"))


def test_the_plots_page_draws_every_figure_it_shows() -> None:
    """docs/plots.md: each ``plots.…`` line of its example is a matplotlib figure."""
    pytest.importorskip("matplotlib", reason="matplotlib is not installed (the plots extra)")
    from matplotlib.figure import Figure

    (code,) = _python("plots.md")
    names, _ = _run(code, "plots.md")
    drawn = 0
    for line in code.splitlines():
        expression = line.split("  #")[0].strip()
        if expression.startswith("plots."):
            assert isinstance(eval(expression, names), Figure), expression
            drawn += 1
    assert drawn == 6
