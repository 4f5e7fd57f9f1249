"""Result: points of every node and unit, the index, tier and rank; and Explanation.

A result is pure data: labelled arrays, the scheme and its fingerprint, no reference to files.
Node points are kept unrounded and rounded (half up, to the scheme's decimals) when read.

Modules: ``_result`` (the :class:`Result` class), ``_tables`` (the result-table layout and
:class:`NodeTable`), ``_explain`` (:class:`Explanation`, the audit trail of one unit),
``_explain_types`` (what unit types, caps, quotas and adjustment items add to it),
``_explain_all`` (:class:`Explanations`, many units at once as arrays) and ``_explain_json``
(explanations as strict JSON data and a long pandas table), ``_json_schema`` (the JSON
Schema of the result document).

.. versionadded:: 0.1
"""

from __future__ import annotations

from parscore.result._explain import Explanation, ExplanationRow
from parscore.result._explain_all import Explanations
from parscore.result._explain_types import CapCheck, ItemLine, QuotaMove
from parscore.result._json_schema import result_json_schema
from parscore.result._result import Result
from parscore.result._tables import NodeTable

__all__ = [
    "CapCheck",
    "Explanation",
    "ExplanationRow",
    "Explanations",
    "ItemLine",
    "NodeTable",
    "QuotaMove",
    "Result",
    "result_json_schema",
]
