"""parscore: score Vietnam's Administrative Reform Index (PAR Index, Chỉ số CCHC).

Load or build a :class:`Scheme` (fields → criteria → sub-criteria with partial-credit rules),
then :func:`score` thousands of units at once into a :class:`Result` with points, index,
tier and rank for every unit, and an audit trail for every point.
"""

from __future__ import annotations

from typing import Any

from parscore._converter import fingerprint, scheme_to_dict
from parscore.analysis import (
    AnalysisError,
    Comparison,
    Gaps,
    Reconciliation,
    Sensitivity,
    compare,
    gaps,
    reconcile,
    sensitivity,
    what_if,
)
from parscore.compile import CompiledScheme, compile_scheme
from parscore.engine import score
from parscore.errors import (
    CellProblem,
    LimitError,
    MeasurementsError,
    MissingDependencyError,
    ParameterError,
    ParameterTypeError,
    ParscoreError,
    ParscoreWarning,
    PluginError,
    PluginWarning,
    Problem,
    RuleError,
    SchemeError,
    UnknownRuleError,
)
from parscore.io import (
    builtin_scheme,
    builtin_schemes,
    dump_scheme,
    load_scheme,
    loads_scheme,
    read_scheme_table,
    result_json_schema,
    scheme_from_dict,
    scheme_json_schema,
    write_scheme_table,
)
from parscore.io.tables import read_measurements, score_file, write_result
from parscore.limits import Limits
from parscore.measurements import Measurements
from parscore.model import (
    Adjustment,
    AdjustmentItem,
    Adjustments,
    Node,
    Ranking,
    Rounding,
    Scheme,
    Tier,
    TierCap,
    TierScale,
    UnitType,
    UnitTypes,
)
from parscore.plugins import get_rule_class, register_rule, rule_kinds
from parscore.ranking import classify, rank
from parscore.result import (
    CapCheck,
    Explanation,
    ExplanationRow,
    Explanations,
    ItemLine,
    NodeTable,
    QuotaMove,
    Result,
)
from parscore.rules import Band, Bands, Choice, Deduction, Points, Ratio, Survey, YesNo
from parscore.typing import Rule

__all__ = [
    "Adjustment",
    "AdjustmentItem",
    "Adjustments",
    "AnalysisError",
    "Band",
    "Bands",
    "CapCheck",
    "CellProblem",
    "Choice",
    "Comparison",
    "CompiledScheme",
    "Deduction",
    "Explanation",
    "ExplanationRow",
    "Explanations",
    "Gaps",
    "ItemLine",
    "LimitError",
    "Limits",
    "Measurements",
    "MeasurementsError",
    "MissingDependencyError",
    "Node",
    "NodeTable",
    "ParameterError",
    "ParameterTypeError",
    "ParscoreError",
    "ParscoreWarning",
    "PluginError",
    "PluginWarning",
    "Points",
    "Problem",
    "QuotaMove",
    "Ranking",
    "Ratio",
    "Reconciliation",
    "Result",
    "Rounding",
    "Rule",
    "RuleError",
    "Scheme",
    "SchemeError",
    "Sensitivity",
    "Survey",
    "Tier",
    "TierCap",
    "TierScale",
    "UnitType",
    "UnitTypes",
    "UnknownRuleError",
    "YesNo",
    "__version__",
    "builtin_scheme",
    "builtin_schemes",
    "classify",
    "compare",
    "compile_scheme",
    "dump_scheme",
    "fingerprint",
    "gaps",
    "get_rule_class",
    "load_scheme",
    "loads_scheme",
    "rank",
    "read_measurements",
    "read_scheme_table",
    "reconcile",
    "register_rule",
    "result_json_schema",
    "rule_kinds",
    "scheme_from_dict",
    "scheme_json_schema",
    "scheme_to_dict",
    "score",
    "score_file",
    "sensitivity",
    "what_if",
    "write_result",
    "write_scheme_table",
]


def __getattr__(name: str) -> Any:
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version("parscore")
        except PackageNotFoundError:  # a source checkout that is not installed
            from parscore._version import __version__

            return __version__
    msg = f"module 'parscore' has no attribute {name!r}"
    raise AttributeError(msg)
