"""Explanations as strict JSON data and as a long pandas table.

Strict JSON: no NaN or Infinity anywhere; a value that is not there (the points of a node
that does not apply, a missing input, no rate) is null.

.. versionadded:: 0.2
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np

from parscore.result._explain import shown_inputs
from parscore.result._tables import json_head, plain

if TYPE_CHECKING:
    import pandas as pd

    from parscore.result._explain import Explanation
    from parscore.result._explain_all import Explanations
    from parscore.typing import BoolArray, FloatArray

__all__ = ["explanation_json", "explanations_frame", "explanations_json", "strict"]


def _untyped() -> dict[str, Any]:
    """The keys unit types, caps, quotas and items add to an explanation, empty."""
    return {
        "unit_type": None,
        "type_name": None,
        "rank_among": None,
        "not_for_type": [],
        "scale": None,
        "scale_tier": None,
        "caps": [],
        "quota_moves": [],
        "items": [],
    }


def strict(value: Any) -> Any:
    """*value* (dicts, lists, tuples, floats …) with every NaN or infinite float as None."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: strict(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [strict(v) for v in value]
    return value


def _typed_json(parts: dict[str, Any]) -> dict[str, Any]:
    out = _untyped()
    for key, value in parts.items():
        if key in ("caps", "quota_moves", "items"):
            value = [attrs.asdict(v) for v in value]  # noqa: PLW2901
        elif key == "not_for_type":
            value = list(value)  # noqa: PLW2901
        out[key] = strict(value)
    return out


def explanation_json(e: Explanation) -> dict[str, Any]:
    """One :class:`~parscore.Explanation` as strict JSON data (see its ``to_json_dict``)."""
    rows = [
        {
            "node_id": r.node_id,
            "name": r.name,
            "depth": r.depth,
            "is_leaf": r.is_leaf,
            "rule": r.rule,
            "legal_basis": r.legal_basis,
            "inputs": strict(r.inputs),
            "answer": r.answer,
            "rate": strict(r.rate),
            "points": r.points if r.applicable else None,
            "max": r.max,
            "lost": r.lost if r.applicable else None,
            "applicable": r.applicable,
            "for_type": r.for_type,
        }
        for r in e.rows
    ]
    typed = {
        "unit_type": e.unit_type,
        "type_name": e.type_name,
        "rank_among": e.rank_among,
        "not_for_type": e.not_for_type,
        "scale": e.scale,
        "scale_tier": e.scale_tier,
        "caps": e.caps,
        "quota_moves": e.quota_moves,
        "items": e.items,
    }
    out: dict[str, Any] = strict(
        {
            "unit_id": e.unit_id,
            "scheme": {"id": e.scheme_id, "fingerprint": e.fingerprint},
            "decimals": e.decimals,
            "labels": dict(e.labels),
            "total": e.total,
            "max": e.max,
            "index": e.index,
            "tier": e.tier,
            "rank": e.rank,
            "bonus": e.bonus,
            "penalty": e.penalty,
            **_typed_json(typed),
            "rows": rows,
        }
    )
    return out


def _cells(values: FloatArray, blank: BoolArray | None = None) -> list[list[Any]]:
    """A ``(n, k)`` float array as one list per row, None where NaN (or *blank*)."""
    out = values.astype(object)
    mask = np.isnan(values)
    if blank is not None:
        mask |= blank
    out[mask] = None
    return out.tolist()  # type: ignore[no-any-return]


def _has_typed(ex: Explanations) -> bool:
    scheme = ex.result.scheme
    return bool(
        scheme.unit_types is not None
        or scheme.tiers.caps
        or scheme.tiers.has_quota
        or scheme.adjustments.items
    )


def explanations_json(ex: Explanations) -> dict[str, Any]:
    """:meth:`Explanations.to_json_dict`, which see."""
    result = ex.result
    head = json_head(result)
    scheme = result.scheme
    cols = ex.columns
    nodes = [
        {
            **entry,
            "is_leaf": scheme.node(entry["id"]).is_leaf,
            "rule": ex.rules[j],
            "legal_basis": scheme.node(entry["id"]).legal_basis,
            "inputs": list(cols[ex.node_columns[j]]),
        }
        for j, entry in enumerate(head["nodes"])
    ]
    na = ~ex.applicable
    pos = ex.positions
    per_unit: dict[str, list[Any]] = {
        "unit_id": plain(result.unit_ids[pos].astype(str).astype(object)),
        "total": plain(result.total[pos]),
        "max": plain(result.max[pos]),
        "index": plain(result.index[pos]),
        "tier": plain(result.tier[pos]),
        "rank": plain(np.asarray(result.rank[pos], dtype=np.int64)),
        "bonus": [None] * len(ex) if result.bonus is None else plain(result.bonus[pos]),
        "penalty": [None] * len(ex) if result.penalty is None else plain(result.penalty[pos]),
        "points": _cells(ex.points, na),
        "max_points": _cells(ex.max),
        "lost": _cells(ex.lost, na),
        "component_index": _cells(ex.component_index, na),
        "applicable": ex.applicable.tolist(),
        "for_type": ex.for_type.tolist(),
        "answers": ex.answers.tolist(),
        "rates": _cells(ex.rates, ~ex.has_rate),
        "inputs": _cells(ex.inputs),
    }
    labels = {name: [str(v) for v in values[pos]] for name, values in result.labels.items()}
    names = list(per_unit)
    units = []
    typed = _has_typed(ex)
    for i, row in enumerate(zip(*per_unit.values(), strict=True)):
        unit = dict(zip(names, row, strict=True))
        unit["labels"] = {name: values[i] for name, values in labels.items()}
        unit.update(_typed_json(ex.typed(i)) if typed else _untyped())
        units.append(unit)
    return {"scheme": head["scheme"], "nodes": nodes, "columns": list(cols), "units": units}


def _shown_column(ex: Explanations, j: int, span: slice) -> list[str]:
    """The inputs of leaf *j* in words for every unit, as ``ExplanationRow.shown_inputs``."""
    applicable = ex.applicable[:, j].tolist()
    texts: list[list[str]] = []
    for name, values in zip(ex.columns[span], ex.inputs[:, span].T.tolist(), strict=True):
        texts.append(
            [
                f"{name}={v:g}" if v == v else f"{name}={'missing' if a else 'n/a'}"  # noqa: PLR0124
                for v, a in zip(values, applicable, strict=True)
            ]
        )
    joined = [", ".join(parts) for parts in zip(*texts, strict=True)]
    tails = zip(
        ex.answers[:, j].tolist(), ex.rates[:, j].tolist(), ex.has_rate[:, j].tolist(), strict=True
    )
    return [
        base
        + shown_inputs(
            {}, applicable=True, answer=answer, rate=rate if has else None
        )  # the answer and rate
        for base, (answer, rate, has) in zip(joined, tails, strict=True)
    ]


def explanations_frame(ex: Explanations) -> pd.DataFrame:
    """:meth:`Explanations.to_pandas`, which see."""
    from parscore._optional import require

    pd_mod = require("pandas", "pandas")
    result = ex.result
    scheme = result.scheme
    n, k = ex.points.shape
    pos = ex.positions
    nodes = [scheme.node(nid) for nid in ex.node_ids]
    depth = result.compiled.depth[result.compiled.display_pos]
    na = ~ex.applicable

    def blanked(values: FloatArray) -> FloatArray:
        out: FloatArray = values.copy()
        out[na] = np.nan
        return out.reshape(-1)

    shown = np.full((n, k), "", dtype=object)
    for j in range(k):
        span = ex.node_columns[j]
        if span.start != span.stop:
            shown[:, j] = _shown_column(ex, j, span)
    columns = {
        "unit_id": np.repeat(result.unit_ids[pos].astype(str), k),
        "node_id": np.tile(np.array(ex.node_ids, dtype=object), n),
        "name": np.tile(np.array([x.name for x in nodes], dtype=object), n),
        "depth": np.tile(np.asarray(depth, dtype=np.int64), n),
        "is_leaf": np.tile(np.array([x.is_leaf for x in nodes]), n),
        "points": blanked(ex.points),
        "max": ex.max.reshape(-1),
        "lost": blanked(ex.lost),
        "component_index": blanked(ex.component_index),
        "applicable": ex.applicable.reshape(-1),
        "for_type": ex.for_type.reshape(-1),
        "rule": np.tile(np.array(ex.rules, dtype=object), n),
        "inputs": shown.reshape(-1),
        "answer": ex.answers.reshape(-1),
        "rate": np.where(ex.has_rate, ex.rates, np.nan).reshape(-1),
        "legal_basis": np.tile(np.array([x.legal_basis for x in nodes], dtype=object), n),
        "total": np.repeat(result.total[pos], k),
        "index": np.repeat(result.index[pos], k),
        "tier": np.repeat(result.tier[pos].astype(str), k),
        "rank": np.repeat(np.asarray(result.rank[pos], dtype=np.int64), k),
    }
    return pd_mod.DataFrame(columns)  # type: ignore[no-any-return]
