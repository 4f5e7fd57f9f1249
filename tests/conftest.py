"""Shared test set-up: Hypothesis profiles and files pytest must not collect.

Profiles: ``dev`` (the default, 50 examples per property) and ``ci`` (200 examples), loaded
when the ``CI`` environment variable is set. No deadline: the first example of a run pays for
imports and compilation, which says nothing about the code under test.
"""

from __future__ import annotations

import os

from hypothesis import settings

# type-checked by mypy in CI, never executed
collect_ignore = ["typing/api_usage.py"]

settings.register_profile("dev", max_examples=50, deadline=None)
settings.register_profile("ci", max_examples=200, deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")
