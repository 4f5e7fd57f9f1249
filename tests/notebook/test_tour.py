"""docs/notebooks/tour.ipynb runs from top to bottom, headless, without an error.

Needs the ``notebook`` extra (nbclient, nbformat, ipykernel, with pandas and matplotlib);
skipped, saying so, when one is missing.
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
TOUR = ROOT / "docs" / "notebooks" / "tour.ipynb"
# matplotlib's first import on a new machine says so on stderr; nothing else may
_BENIGN = re.compile(r"Matplotlib is building the font cache|\s*$")
EXTRA = "the notebook extra: pip install -e '.[notebook]'"

nbformat = pytest.importorskip("nbformat", reason=f"nbformat is not installed ({EXTRA})")
nbclient = pytest.importorskip("nbclient", reason=f"nbclient is not installed ({EXTRA})")
pytest.importorskip("ipykernel", reason=f"ipykernel is not installed ({EXTRA})")
pytest.importorskip("matplotlib", reason=f"matplotlib is not installed ({EXTRA})")
pytest.importorskip("pandas", reason=f"pandas is not installed ({EXTRA})")


@pytest.fixture(scope="module")
def executed() -> Any:
    """The tour, executed in a fresh kernel from the repository's root."""
    notebook = nbformat.read(TOUR, as_version=4)
    client = nbclient.NotebookClient(
        notebook,
        timeout=600,
        kernel_name="python3",
        resources={"metadata": {"path": str(ROOT)}},
    )
    with warnings.catch_warnings():  # the Jupyter machinery's own deprecations are not ours
        warnings.simplefilter("ignore")
        client.execute()
    return notebook


def _outputs(notebook: Any, needle: str) -> list[dict[str, Any]]:
    """The outputs of the first code cell whose source contains *needle*."""
    for cell in notebook.cells:
        if cell.cell_type == "code" and needle in cell.source:
            return list(cell.outputs)
    msg = f"no code cell with {needle!r}"
    raise AssertionError(msg)


def test_the_tour_is_clean_and_runs_without_errors(executed: Any) -> None:
    """Every code cell ran; none gave an error or a warning on stderr."""
    stored = nbformat.read(TOUR, as_version=4)
    assert all(not c.get("outputs") for c in stored.cells if c.cell_type == "code")
    for cell in executed.cells:
        if cell.cell_type != "code":
            continue
        assert cell.execution_count is not None
        for output in cell.outputs:
            assert output.output_type != "error", output
            if output.output_type == "stream" and output.name == "stderr":
                said = [line for line in output.text.splitlines() if not _BENIGN.match(line)]
                assert not said, output.text


def test_the_objects_show_as_html(executed: Any) -> None:
    """The scheme, result, explanation(s), gaps and comparison show as HTML tables."""
    for needle in (
        "scheme = ps.builtin_scheme",
        "after = ps.score",
        "after.explain(middle)",
        "after.explain_all",
        "found = ps.gaps",
        "moves = ps.compare",
    ):
        html = [o for o in _outputs(executed, needle) if "text/html" in o.get("data", {})]
        assert html, needle
        assert "<table" in html[0]["data"]["text/html"]
    explanation = _outputs(executed, "after.explain(middle)")[-1]["data"]["text/html"]
    assert "tier" in explanation
    assert "xa-" in explanation


def test_the_panel_years_move_a_little(executed: Any) -> None:
    """The comparison cell prints a small median move (example_panel, not two samples)."""
    printed = "".join(
        o["text"] for o in _outputs(executed, "moves = ps.compare") if o["output_type"] == "stream"
    )
    words = printed.split()
    median = int(words[words.index("move") + 1])
    assert median < 50  # of 500 units


def test_the_plots_are_images(executed: Any) -> None:
    """Each plot cell shows a figure (a PNG)."""
    for needle in ("tier_distribution", "rank_moves", "field_profile", "sensitivity_intervals"):
        outputs = _outputs(executed, needle)
        assert any("image/png" in o.get("data", {}) for o in outputs), needle
