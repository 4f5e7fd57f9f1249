"""Fixtures of the analysis tests: the small hand-computed scheme and its result."""

from __future__ import annotations

import pytest
from analysis_cases import CURRENT, small_scheme, table

import parscore as ps


@pytest.fixture
def scheme() -> ps.Scheme:
    """The small scheme."""
    return small_scheme()


@pytest.fixture
def current(scheme: ps.Scheme) -> ps.Result:
    """The small scheme scored on CURRENT."""
    return ps.score(scheme, table(CURRENT))
