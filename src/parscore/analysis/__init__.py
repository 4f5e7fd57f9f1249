"""Analyses officials act on, built from results.

Year-on-year comparison, gaps and next-tier targets, self-assessment against appraisal,
sensitivity of the ranking to the field weights, and what-if re-scoring.

Each analysis takes :class:`~parscore.result.Result` objects and returns a frozen result
class with ``to_pandas()`` and a readable ``_repr_html_``.

.. versionadded:: 0.1
"""

from __future__ import annotations

from parscore.analysis._common import AnalysisError
from parscore.analysis.compare import Comparison, compare
from parscore.analysis.gaps import Gaps, gaps
from parscore.analysis.reconcile import Reconciliation, reconcile
from parscore.analysis.sensitivity import Sensitivity, sensitivity
from parscore.analysis.what_if import what_if

__all__ = [
    "AnalysisError",
    "Comparison",
    "Gaps",
    "Reconciliation",
    "Sensitivity",
    "compare",
    "gaps",
    "reconcile",
    "sensitivity",
    "what_if",
]
