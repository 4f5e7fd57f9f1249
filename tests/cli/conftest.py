"""Fixtures of the command-line tests of issue 12 (helpers in cli_issue12.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from cli_issue12 import run_cli, write_districts
from click.testing import Result


@pytest.fixture
def run() -> Callable[..., Result]:
    """``run(*args)``: invoke ``parscore`` through click's runner."""
    return run_cli


@pytest.fixture
def districts_csv(tmp_path: Path) -> Path:
    """examples/communes-2026.csv with its 12 units spread over three districts (4 each)."""
    return write_districts(tmp_path)
