"""The recipe of docs/howto/scale.md gives the table ps.score gives the whole data at once.

The page's Python blocks are the recipe: the blocks defining functions are written to a module
(so worker processes can import them), the usage blocks are run in a folder holding the data
they read. Dask parts are skipped when dask is not installed (the ``dask`` extra).
"""

from __future__ import annotations

import importlib
import importlib.util
import io
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import attrs
import numpy as np
import pandas as pd
import pytest

import parscore as ps
from parscore.datasets import builtin_example_data, example_data

PAGE = Path(__file__).resolve().parents[2] / "docs" / "howto" / "scale.md"
_FENCE = re.compile(r"^```python\n(.*?)^```$", re.MULTILINE | re.DOTALL)
HAS_DASK = importlib.util.find_spec("dask") is not None and (
    importlib.util.find_spec("dask.dataframe") is not None
)
needs_dask = pytest.mark.skipif(
    not HAS_DASK, reason="dask is not installed (the dask extra: pip install 'dask[dataframe]')"
)


def _blocks() -> list[str]:
    return _FENCE.findall(PAGE.read_text(encoding="utf-8"))


def _is_usage(block: str) -> bool:
    """A block that runs the recipe (reads files) rather than defining it."""
    return block.startswith(("if __name__", "frame ="))


@pytest.fixture
def recipe(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[ModuleType]:
    """The page's definitions as the module ``scale_recipe``, importable by worker processes."""
    blocks = [b for b in _blocks() if not _is_usage(b)]
    if not HAS_DASK:
        blocks = [b for b in blocks if "dask" not in b]
    (tmp_path / "scale_recipe.py").write_text("\n\n".join(blocks), encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.chdir(tmp_path)
    sys.modules.pop("scale_recipe", None)
    module = importlib.import_module("scale_recipe")
    yield module
    sys.modules.pop("scale_recipe", None)


def _usage(start: str) -> str:
    (block,) = [b for b in _blocks() if _is_usage(b) and b.startswith(start)]
    return block


def _communes(folder: Path, n_units: int = 3000) -> pd.DataFrame:
    """Example communes in 7 districts, written where the page reads them."""
    scheme = ps.builtin_scheme("example-commune-2026")
    frame = pd.DataFrame(example_data(scheme, n_units, seed=12))
    frame["group"] = [f"Huyện {i % 7}" for i in range(n_units)]
    frame.to_csv(folder / "so-lieu-2026.csv", index=False)
    return pd.read_csv(folder / "so-lieu-2026.csv")


def _whole(data: pd.DataFrame, scheme: ps.Scheme | None = None) -> pd.DataFrame:
    scheme = scheme or ps.builtin_scheme("example-commune-2026")
    return ps.score(scheme, data, group="group" if "group" in data else None).to_pandas()


def test_the_page_has_the_recipe() -> None:
    """The page defines the functions the tests run, and uses them."""
    text = PAGE.read_text(encoding="utf-8")
    for name in ("score_chunk", "rank_after", "score_in_processes", "score_with_dask"):
        assert f"def {name}(" in text
    assert "map_partitions(score_chunk" in text
    assert "ProcessPoolExecutor" in text


def test_chunks_then_ranks_equal_one_call(recipe: ModuleType, tmp_path: Path) -> None:
    """Chunks scored one by one and ranked after: the table of ps.score on the whole."""
    data = _communes(tmp_path)
    parts = [recipe.score_chunk(data.iloc[i : i + 700]) for i in range(0, len(data), 700)]
    chunked = pd.concat(parts, ignore_index=True)
    assert not np.array_equal(chunked["rank"], _whole(data)["rank"])  # ranks need the step after
    table = recipe.rank_after(chunked, group="group")
    pd.testing.assert_frame_equal(table, _whole(data))


@pytest.mark.parametrize("method", ["competition", "dense", "ordinal"])
def test_ranks_after_follow_the_schemes_ranking(
    recipe: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, method: str
) -> None:
    """Each ranking method, and a tie-break on a field, rank as ps.score does."""
    base = ps.builtin_scheme("example-commune-2026")
    scheme = attrs.evolve(base, ranking=ps.Ranking(by="index", method=method, tie_break=("3",)))
    monkeypatch.setattr(recipe, "compiled_scheme", lambda: ps.compile_scheme(scheme))
    data = _communes(tmp_path, 1200)
    parts = [recipe.score_chunk(data.iloc[i : i + 500]) for i in range(0, len(data), 500)]
    table = recipe.rank_after(pd.concat(parts, ignore_index=True), group="group")
    pd.testing.assert_frame_equal(table, _whole(data, scheme))


def test_in_processes_equals_one_call(recipe: ModuleType, tmp_path: Path) -> None:
    """The page's ``__main__`` block: 3 chunks on 2 processes, written to CSV, equal one call."""
    data = _communes(tmp_path)
    exec(_usage("if __name__"), {**vars(recipe), "__name__": "__main__"})
    table = pd.read_csv(tmp_path / "ket-qua-2026.csv")
    pd.testing.assert_frame_equal(table, _round_trip(data))


def _round_trip(data: pd.DataFrame) -> pd.DataFrame:
    """ps.score's table of *data*, through the same CSV writer and reader as the page's."""
    buffer = io.StringIO()
    _whole(data).to_csv(buffer, index=False)
    buffer.seek(0)
    return pd.read_csv(buffer)


@needs_dask
def test_dask_map_partitions_equals_one_call(recipe: ModuleType, tmp_path: Path) -> None:
    """The page's Dask block: 4 partitions scored, ranked after, equal one call."""
    data = _communes(tmp_path)
    names = {**vars(recipe)}
    exec(_usage("frame ="), names)
    assert names["frame"].npartitions == 4
    pd.testing.assert_frame_equal(names["table"], _whole(data))


def test_a_quota_is_refused_and_whole_groups_score_right(
    recipe: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With a tier quota rank_after refuses; chunks of whole ranking groups equal one call."""
    scheme = ps.builtin_scheme("example-province-2026")
    monkeypatch.setattr(recipe, "compiled_scheme", lambda: ps.compile_scheme(scheme))
    raw = builtin_example_data("example-province-2026")
    assert raw is not None
    data = pd.DataFrame(raw)
    whole = ps.score(scheme, data).to_pandas()
    with pytest.raises(ValueError, match="quota"):
        recipe.rank_after(whole)
    assert scheme.unit_types is not None
    table = recipe.score_by_groups(data, by=[scheme.unit_types.column])
    pd.testing.assert_frame_equal(table, whole)
