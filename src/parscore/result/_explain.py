"""Explanation: every point of one unit, node by node, for the audit trail."""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs
import numpy as np

from parscore._rounding import round_half_up
from parscore.rules import Bands
from parscore.typing import Language

if TYPE_CHECKING:
    import pandas as pd

    from parscore.result._result import Result

__all__ = ["Explanation", "ExplanationRow", "explain_unit"]


def _shown(value: float, applicable: bool) -> str:
    """An input as the audit trail shows it: the number, "missing", or "n/a"."""
    if np.isnan(value):
        return "missing" if applicable else "n/a"
    return f"{value:g}"


@attrs.frozen(kw_only=True, eq=False)
class ExplanationRow:
    """One node of one unit, for the audit trail.

    Attributes:
        node_id: The node's id.
        name: The node's name.
        depth: 0 for a field, 1 for a criterion, …
        is_leaf: Whether the node is a leaf.
        inputs: Raw input values by column (leaves only); NaN = missing.
        rule: The rule's description (leaves only).
        points: Points, rounded; 0 where not applicable (see *applicable*).
        max: Applicable maximum; 0 where not applicable.
        lost: ``max - points``.
        applicable: Whether the node applies to the unit.
        legal_basis: The node's legal basis, when given.
        answer: For a ``choice`` leaf, the name of the option chosen.
        rate: For a ``bands`` leaf over two counts, the rate banded (``100 × num / den``);
            None when the denominator is 0 or a count is missing.
    """

    node_id: str
    name: str
    depth: int
    is_leaf: bool
    inputs: dict[str, float]
    rule: str | None
    points: float
    max: float
    lost: float
    applicable: bool
    legal_basis: str | None
    answer: str | None = None
    rate: float | None = None

    def shown_inputs(self) -> str:
        """The raw inputs as the audit trail shows them, e.g. ``"3.1:received=12, 3.1:done=n/a"``.

        Each input is the number, ``missing`` or ``n/a`` (the node does not apply); a
        ``choice`` leaf adds the option chosen in parentheses, a ``bands`` leaf over two
        counts the rate (``"8.1:dung_han=95, 8.1:tong_so=100 → 95%"``). Empty for a parent
        node.

        .. versionadded:: 0.3
        """
        shown = ", ".join(f"{k}={_shown(v, self.applicable)}" for k, v in self.inputs.items())
        if self.answer is not None:
            shown += f" ({self.answer})"
        if self.rate is not None:
            shown += f" → {self.rate:.4f}".rstrip("0").rstrip(".") + "%"
        return shown


@attrs.frozen(kw_only=True, eq=False)
class Explanation:
    """Every point of one unit: each node's inputs, rule, points, max and legal basis.

    Attributes:
        labels: The unit's label columns (``STT``, its name, its district …), column name ->
            text, in the order of the source; empty when the data had none.

    .. versionadded:: 0.1
    """

    unit_id: str
    scheme_id: str
    fingerprint: str
    rows: tuple[ExplanationRow, ...]
    total: float
    max: float
    index: float
    tier: str
    rank: int
    bonus: float | None
    penalty: float | None
    decimals: int
    labels: dict[str, str] = attrs.field(factory=dict)

    @property
    def header(self) -> str:
        """The first line of :meth:`__str__`: the unit, its labels and the scheme.

        .. versionadded:: 0.2
        """
        shown = "; ".join(f"{name}: {text}" for name, text in self.labels.items() if text)
        unit = f"Unit {self.unit_id} ({shown})" if shown else f"Unit {self.unit_id}"
        return f"{unit} — scheme {self.scheme_id}"

    @property
    def summary(self) -> str:
        """The last line of :meth:`__str__`: total, max, index, tier and rank.

        .. versionadded:: 0.3
        """
        d = self.decimals
        return (
            f"total {self.total:.{d}f} of {self.max:.{d}f} = index {self.index:.{d}f} — "
            f"tier {self.tier}, rank {self.rank}"
        )

    def __str__(self) -> str:
        d = self.decimals
        lines = [
            self.header,
            f"{'node':<24} {'points':>9} {'max':>9}  rule / inputs",
        ]
        for row in self.rows:
            label = ("  " * row.depth + f"{row.node_id} {row.name}")[:24]
            pts = f"{row.points:.{d}f}" if row.applicable else "n/a"
            extra = ""
            if row.is_leaf:
                extra = f"{row.rule} [{row.shown_inputs()}]"
            lines.append(f"{label:<24} {pts:>9} {row.max:>9.{d}f}  {extra}")
        if self.bonus is not None:
            lines.append(f"{'bonus':<24} {self.bonus:>9.{d}f}")
        if self.penalty is not None:
            lines.append(f"{'penalty':<24} {-self.penalty:>9.{d}f}")
        lines.append(self.summary)
        return "\n".join(lines)

    def to_pandas(self) -> pd.DataFrame:
        """One row per node: id, name, depth, points, max, lost, applicable, rule, inputs."""
        from parscore._optional import require

        pd_mod = require("pandas", "pandas")
        return pd_mod.DataFrame([attrs.asdict(r) for r in self.rows])  # type: ignore[no-any-return]


def explain_unit(result: Result, u: int, *, lang: Language = "vi") -> Explanation:
    """The explanation of the unit at position *u* of *result* (see :meth:`Result.explain`)."""
    compiled = result.compiled
    scheme = result.scheme
    d = scheme.rounding.decimals
    pts = round_half_up(result.node_points[:, u], d)
    node_max = result.node_max_matrix
    mx = compiled.max_points if node_max is None else node_max[:, u]
    leaf_of = {nid: i for i, nid in enumerate(compiled.leaf_ids)}
    rows = []
    depth_of = compiled.depth
    for pos in compiled.display_pos:
        node_id = compiled.node_ids[pos]
        node = scheme.node(node_id)
        inputs: dict[str, float] = {}
        answer = None
        rate = None
        applicable = bool(mx[pos] > 0) or compiled.max_points[pos] == 0
        if node.is_leaf:
            leaf = leaf_of[node_id]
            for col in compiled.leaf_columns(leaf):
                inputs[col] = float(result.measurements.values[compiled.row_of[col], u])
            names = getattr(node.rule, "option_names", None)
            code = next(iter(inputs.values()))
            if names is not None and code == code and 0 <= int(code) < len(names):  # noqa: PLR0124 - NaN check
                answer = str(names[int(code)])
            if isinstance(node.rule, Bands) and len(node.rule.inputs) == 2:
                num, den = inputs.values()
                if den > 0:  # NaN (missing) and 0 (nothing to assess) have no rate
                    rate = 100.0 * num / den
            if result.na_mask is not None:
                applicable = not bool(result.na_mask[leaf, u])
        rows.append(
            ExplanationRow(
                node_id=node_id,
                name=node.name,
                depth=int(depth_of[pos]),
                is_leaf=node.is_leaf,
                inputs=inputs,
                rule=node.rule.describe(lang) if node.rule is not None else None,
                points=float(pts[pos]),
                max=float(round_half_up(np.array([mx[pos]]), d)[0]),
                lost=float(round_half_up(np.array([mx[pos] - result.node_points[pos, u]]), d)[0]),
                applicable=applicable,
                legal_basis=node.legal_basis,
                answer=answer,
                rate=rate,
            )
        )
    return Explanation(
        unit_id=str(result.unit_ids[u]),
        scheme_id=scheme.id,
        fingerprint=result.fingerprint,
        rows=tuple(rows),
        total=float(result.total[u]),
        max=float(result.max[u]),
        index=float(result.index[u]),
        tier=str(result.tier[u]),
        rank=int(result.rank[u]),
        bonus=None if result.bonus is None else float(result.bonus[u]),
        penalty=None if result.penalty is None else float(result.penalty[u]),
        decimals=d,
        labels={name: str(values[u]) for name, values in result.labels.items()},
    )
