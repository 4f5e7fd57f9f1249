"""Every v1 scheme file of the repository loads and scores exactly as before issue 10.

``tests/data/v1_golden`` was written by the code as it stood before the additions of issue 10
(commit abbafbd): for each scheme file, its fingerprint, example data (120 units, some
criteria not applicable) and the result table. The additions must change none of them.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pandas as pd
import pytest

import parscore as ps

ROOT = Path(__file__).parent.parent
GOLDEN = Path(__file__).parent / "data" / "v1_golden"
MANIFEST: dict[str, dict[str, str]] = json.loads((GOLDEN / "manifest.json").read_text("utf-8"))


def test_every_v1_scheme_file_of_the_repository_is_covered() -> None:
    """The golden set names every scheme file that existed before the additions."""
    assert len(MANIFEST) >= 4
    for name in MANIFEST:
        assert (ROOT / name).is_file(), name


@pytest.mark.parametrize("name", sorted(MANIFEST))
def test_v1_scheme_keeps_its_fingerprint(name: str) -> None:
    scheme = ps.load_scheme(ROOT / name)
    assert ps.fingerprint(scheme) == MANIFEST[name]["fingerprint"]


@pytest.mark.parametrize("name", sorted(MANIFEST))
def test_v1_scheme_scores_as_before(name: str) -> None:
    """The same data give the same result table, cell for cell."""
    entry = MANIFEST[name]
    scheme = ps.load_scheme(ROOT / name)
    result = ps.score_file(scheme, GOLDEN / entry["data"])
    got = pd.read_csv(io.StringIO(result.to_pandas().to_csv(index=False)), dtype=str)
    expected = pd.read_csv(GOLDEN / entry["result"], dtype=str)
    assert list(got.columns) == list(expected.columns)
    pd.testing.assert_frame_equal(got, expected)
