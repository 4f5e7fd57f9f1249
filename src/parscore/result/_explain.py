"""Explanation: every point of one unit, node by node, for the audit trail."""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np

from parscore._rounding import round_half_up
from parscore.result._explain_types import CapCheck, ItemLine, QuotaMove, typed_parts
from parscore.rules import Bands
from parscore.typing import IntArray, Language

if TYPE_CHECKING:
    import pandas as pd

    from parscore.result._result import Result

__all__ = [
    "CapCheck",
    "Explanation",
    "ExplanationRow",
    "ItemLine",
    "QuotaMove",
    "explain_unit",
    "resolve_unit",
    "shown_inputs",
    "unit_positions",
]


def _shown(value: float, applicable: bool) -> str:
    """An input as the audit trail shows it: the number, "missing", or "n/a"."""
    if np.isnan(value):
        return "missing" if applicable else "n/a"
    return f"{value + 0.0:g}"  # -0 read from a cell is shown as 0


def shown_inputs(
    inputs: dict[str, float], applicable: bool, answer: str | None, rate: float | None
) -> str:
    """The raw inputs of one leaf in words (see :meth:`ExplanationRow.shown_inputs`)."""
    shown = ", ".join(f"{k}={_shown(v, applicable)}" for k, v in inputs.items())
    if answer is not None:
        shown += f" ({answer})"
    if rate is not None:
        shown += f" → {rate:.4f}".rstrip("0").rstrip(".") + "%"
    return shown


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
        for_type: False when the node does not apply to the unit's type (``applies_to``):
            not scored, its cells not read; distinct from a criterion not applicable
            because the data said so (``n/a``).

    .. versionchanged:: 0.2 *for_type*.
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
    for_type: bool = True

    def shown_inputs(self) -> str:
        """The raw inputs as the audit trail shows them, e.g. ``"3.1:received=12, 3.1:done=n/a"``.

        Each input is the number, ``missing`` or ``n/a`` (the node does not apply); a
        ``choice`` leaf adds the option chosen in parentheses, a ``bands`` leaf over two
        counts the rate (``"8.1:dung_han=95, 8.1:tong_so=100 → 95%"``). Empty for a parent
        node.

        .. versionadded:: 0.2
        """
        return shown_inputs(self.inputs, self.applicable, self.answer, self.rate)


@attrs.frozen(kw_only=True, eq=False)
class Explanation:
    """Every point of one unit: each node's inputs, rule, points, max and legal basis.

    Attributes:
        labels: The unit's label columns (``STT``, its name, its district …), column name ->
            text, in the order of the source; empty when the data had none.
        unit_type: The unit's type id (schemes with ``unit_types``), else None.
        type_name: The type's name, when it has one.
        not_for_type: The highest nodes that do not apply to the unit's type (their
            criteria neither), in the scheme's order; the rows say so too
            (:attr:`ExplanationRow.for_type`).
        scale: The scale that classified the unit, in words (its type's, with unit types);
            None for a scheme without unit types, caps or quotas.
        scale_tier: The tier that scale gives, before caps and quotas (set with *scale*).
        caps: Every tier cap checked for the unit, in the scheme's order: whether it held,
            whether it lowered the tier, and why.
        quota_moves: The steps down quotas made the unit take, best tier first.
        items: The named adjustment items: value written, per, cap and points.
        rank_among: With unit types, the units ranked with this one (its type, and its
            group); *rank* is among them.

    .. versionadded:: 0.1
    .. versionchanged:: 0.2 *unit_type*, *type_name*, *not_for_type*, *scale*,
       *scale_tier*, *caps*, *quota_moves*, *items*, *rank_among*.
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
    unit_type: str | None = None
    type_name: str | None = None
    not_for_type: tuple[str, ...] = ()
    scale: str | None = None
    scale_tier: str | None = None
    caps: tuple[CapCheck, ...] = ()
    quota_moves: tuple[QuotaMove, ...] = ()
    items: tuple[ItemLine, ...] = ()
    rank_among: int | None = None

    @property
    def type_label(self) -> str | None:
        """The unit's type as shown: ``huyen (UBND cấp huyện)``, or None without types.

        .. versionadded:: 0.2
        """
        if self.unit_type is None:
            return None
        return f"{self.unit_type} ({self.type_name})" if self.type_name else self.unit_type

    @property
    def header(self) -> str:
        """The first line of :meth:`__str__`: the unit, its labels, the scheme (and type).

        .. versionadded:: 0.2
        """
        shown = "; ".join(f"{name}: {text}" for name, text in self.labels.items() if text)
        unit = f"Unit {self.unit_id} ({shown})" if shown else f"Unit {self.unit_id}"
        typed = f" — type {self.type_label}" if self.type_label is not None else ""
        return f"{unit} — scheme {self.scheme_id}{typed}"

    def item_lines(self, sign: str) -> list[str]:
        """The named items of one sign (``bonus``, ``penalty``), one line each.

        .. versionadded:: 0.2
        """
        return [i.text(self.decimals) for i in self.items if i.sign == sign]

    @property
    def notes(self) -> list[str]:
        """The lines between the adjustments and :attr:`summary`: what made the tier.

        The criteria not for the unit's type, the scale used and the tier it gives, each
        cap that held (saying which lowered the tier), each quota move. Empty for a scheme
        without unit types, caps or quotas.

        .. versionadded:: 0.2
        """
        out: list[str] = []
        if self.not_for_type:
            names = {r.node_id: r.name for r in self.rows}
            listed = ", ".join(f"{nid} {names.get(nid, '')}".rstrip() for nid in self.not_for_type)
            out.append(f"not for type {self.unit_type}: {listed}")
        if self.scale is not None:
            of = f" of {self.unit_type}" if self.unit_type is not None else ""
            out.append(f"scale{of}: {self.scale} → {self.scale_tier}")
        held = [c for c in self.caps if c.held]
        if self.caps and not held:
            out.append("caps: none held")
        for cap in held:
            if cap.lowered:
                effect = f"lowered the tier to {cap.at_most}"
            else:
                effect = f"the tier was already {cap.at_most} or lower"
            out.append(f"cap {cap.id} held: {cap.reason} — {effect}")
        out.extend(f"quota: {move.reason}" for move in self.quota_moves)
        return out

    @property
    def summary(self) -> str:
        """The last line of :meth:`__str__`: total, max, index, tier and rank.

        .. versionadded:: 0.2
        """
        d = self.decimals
        rank = f"rank {self.rank}"
        if self.rank_among is not None and self.unit_type is not None:
            rank += f" of {self.rank_among} {self.unit_type}"
        return (
            f"total {self.total:.{d}f} of {self.max:.{d}f} = index {self.index:.{d}f} — "
            f"tier {self.tier}, {rank}"
        )

    def __str__(self) -> str:
        d = self.decimals
        labels = ["  " * row.depth + f"{row.node_id} {row.name}" for row in self.rows]
        w = max([24, *(len(label) for label in labels)])  # names in full, never cut
        lines = [
            self.header,
            f"{'node':<{w}} {'points':>9} {'max':>9}  rule / inputs",
        ]
        for row, label in zip(self.rows, labels, strict=True):
            pts = f"{row.points:.{d}f}" if row.applicable else "n/a"
            extra = ""
            if not row.for_type:
                pts, extra = "—", f"not for type {self.unit_type}"
            elif row.is_leaf:
                extra = f"{row.rule} [{row.shown_inputs()}]"
            lines.append(f"{label:<{w}} {pts:>9} {row.max:>9.{d}f}  {extra}".rstrip())
        if self.bonus is not None:
            lines.append(f"{'bonus':<{w}} {self.bonus:>9.{d}f}")
            lines.extend(f"  {line}" for line in self.item_lines("bonus"))
        if self.penalty is not None:
            lines.append(f"{'penalty':<{w}} {-self.penalty + 0.0:>9.{d}f}")  # no "-0.00"
            lines.extend(f"  {line}" for line in self.item_lines("penalty"))
        lines.extend(self.notes)
        lines.append(self.summary)
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        """The explanation as a compact HTML table, for Jupyter (every text escaped).

        .. versionadded:: 0.2
        """
        from parscore.result._html import explanation_html

        return explanation_html(self)

    def to_json_dict(self) -> dict[str, Any]:
        """The explanation as strict JSON data (no NaN: null), e.g. for a web service.

        The document::

            {"unit_id", "scheme": {"id", "fingerprint"}, "decimals", "labels": {...},
             "total", "max", "index", "tier", "rank", "bonus", "penalty",
             "unit_type", "type_name", "rank_among", "not_for_type": [...], "scale",
             "scale_tier", "caps": [...], "quota_moves": [...], "items": [...],
             "rows": [{"node_id", "name", "depth", "is_leaf", "rule", "legal_basis",
                       "inputs": {column: value}, "answer", "rate", "points", "max",
                       "lost", "applicable", "for_type"}, ...]}

        ``points`` and ``lost`` are null where the node does not apply (``max`` is 0); an
        input is null where it is missing or not applicable; ``caps``, ``quota_moves`` and
        ``items`` hold the fields of :class:`CapCheck`, :class:`QuotaMove` and
        :class:`ItemLine`. The keys of unit types, caps, quotas and items are always there
        (null or empty without them), so every document has the same shape.

        .. versionadded:: 0.2
        """
        from parscore.result._explain_json import explanation_json

        return explanation_json(self)

    def to_pandas(self) -> pd.DataFrame:
        """One row per node: id, name, depth, points, max, lost, applicable, rule, inputs."""
        from parscore._optional import require

        pd_mod = require("pandas", "pandas")
        return pd_mod.DataFrame([attrs.asdict(r) for r in self.rows])  # type: ignore[no-any-return]


def resolve_unit(unit: str | None, unit_id: str | None) -> str:
    """The unit named by ``explain(unit=...)`` or the deprecated ``explain(unit_id=...)``.

    Raises:
        TypeError: when no unit, or both, are given.
    """
    if unit_id is not None:
        warnings.warn(
            "explain(unit_id=...) is deprecated: name the unit with explain(unit=...); "
            "unit_id names a column elsewhere in parscore",
            DeprecationWarning,
            stacklevel=3,
        )
        if unit is not None:
            msg = "explain() takes the unit once: give unit=, not also unit_id="
            raise TypeError(msg)
        unit = unit_id
    if unit is None:
        msg = "explain() needs the unit's id: explain(unit=...)"
        raise TypeError(msg)
    return unit


def unit_positions(result: Result, units: Iterable[str] | None) -> IntArray:
    """The positions of *units* (ids) in *result*, in their order; every unit for None.

    Raises:
        KeyError: naming the ids not in the result (and the closest id, for one).
    """
    if units is None:
        return np.arange(result.n_units, dtype=np.int64)
    if isinstance(units, str):
        msg = f"units must be a list of unit ids, not one id: units=[{units!r}]"
        raise TypeError(msg)
    wanted = list(units)
    ids = result.unit_ids.tolist()
    where = {uid: k for k, uid in reversed(list(enumerate(ids)))}  # the first of equal ids
    missing = [u for u in wanted if u not in where]
    if missing:
        import difflib

        shown = ", ".join(repr(u) for u in missing[:5])
        more = f" and {len(missing) - 5} more" if len(missing) > 5 else ""
        close = difflib.get_close_matches(str(missing[0]), [str(i) for i in ids], n=1)
        hint = f" (did you mean {close[0]!r}?)" if close and len(missing) == 1 else ""
        msg = f"no unit {shown}{more} in the result{hint}"
        raise KeyError(msg)
    return np.array([where[u] for u in wanted], dtype=np.int64)


def explain_unit(result: Result, u: int, *, lang: Language = "vi") -> Explanation:
    """The explanation of the unit at position *u* of *result* (see :meth:`Result.explain`)."""
    compiled = result.compiled
    scheme = result.scheme
    d = scheme.rounding.decimals
    pts = round_half_up(result.node_points[:, u], d)
    node_max = result.node_max_matrix
    mx = compiled.max_points if node_max is None else node_max[:, u]
    leaf_of = {nid: i for i, nid in enumerate(compiled.leaf_ids)}
    parts = typed_parts(result, u, lang=lang)
    type_id: str | None = parts.get("unit_type")
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
                for_type=type_id is None or scheme.applies(node_id, type_id),
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
    return Explanation(rows=tuple(rows), **unit_summary(result, u), **parts)


def unit_summary(result: Result, u: int) -> dict[str, Any]:
    """The fields of an :class:`Explanation` that summarise unit *u*: id, totals, tier, rank."""
    return {
        "unit_id": str(result.unit_ids[u]),
        "scheme_id": result.scheme.id,
        "fingerprint": result.fingerprint,
        "total": float(result.total[u]),
        "max": float(result.max[u]),
        "index": float(result.index[u]),
        "tier": str(result.tier[u]),
        "rank": int(result.rank[u]),
        "bonus": None if result.bonus is None else float(result.bonus[u]),
        "penalty": None if result.penalty is None else float(result.penalty[u]),
        "decimals": result.scheme.rounding.decimals,
        "labels": {name: str(values[u]) for name, values in result.labels.items()},
    }
