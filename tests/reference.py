"""The test oracle: a plain-Python, exact scorer written from the rule definitions.

One unit at a time, one node at a time, recursing over ``scheme.nodes``; no numpy, no engine,
no compiled scheme, no project rounding helper. Every float (input cell or rule parameter) is
read as the decimal it was written as (``Decimal(repr(x))``), and every reported number is
rounded with ``Decimal.quantize(..., ROUND_HALF_UP)``.

In between, arithmetic is exact: :class:`fractions.Fraction`, not a finite Decimal context.
Quotients such as 2.25 × 1/3 = 0.75 or 1/3 + 1/6 = 1/2 are exact halves, and a 50-digit
Decimal computes them as 0.7499…9 and rounds them the wrong way (this happened: 4000 random
examples found one). A Fraction is turned into a Decimal only to be rounded: exactly when its
decimal expansion ends, else to 50 digits, which cannot be a half.

Ranks are computed the plain way: 1 + the number of strictly better units in the group.

It is deliberately slow and simple; it only needs to be obviously right.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction

from parscore.model import Node, Ranking, Scheme
from parscore.rules import Bands, Choice, Deduction, Points, Ratio, Survey, YesNo

__all__ = ["NA_TOKENS", "Ref", "RefUnit", "dec", "exact", "rnd", "score"]

NA_TOKENS = frozenset({"n/a", "na", "kad", "không áp dụng", "khong ap dung"})
PRECISION = 50
ZERO = Fraction(0)
HUNDRED = Fraction(100)


class _NotApplicable:
    """Marker: the leaf does not apply to the unit."""


NA = _NotApplicable()
MISSING = object()


def dec(x: object) -> Decimal:
    """The decimal a number was written as: ``Decimal(repr(float))`` for floats."""
    if isinstance(x, Decimal):
        return x
    if isinstance(x, bool):
        return Decimal(int(x))
    if isinstance(x, int):
        return Decimal(x)
    if isinstance(x, float):
        if not math.isfinite(x):
            msg = f"not a finite number: {x!r}"
            raise ValueError(msg)
        return Decimal(repr(x))
    msg = f"not a number: {x!r}"
    raise TypeError(msg)


def exact(x: object) -> Fraction:
    """The exact value a number was written as (see :func:`dec`)."""
    return Fraction(dec(x))


def rnd(x: Decimal | Fraction, decimals: int) -> Decimal:
    """Round half up (away from zero on exact halves) to *decimals* places."""
    if isinstance(x, Fraction):
        x = _to_decimal(x)
    return x.quantize(Decimal(10) ** -decimals, rounding=ROUND_HALF_UP)


def _to_decimal(x: Fraction) -> Decimal:
    """*x* exactly when its decimal expansion ends, else to 50 significant digits."""
    twos = fives = 0
    den = x.denominator
    while den % 2 == 0:
        den //= 2
        twos += 1
    while den % 5 == 0:
        den //= 5
        fives += 1
    if den == 1:  # x = m / 10**k exactly
        k = max(twos, fives)
        m = x.numerator * 10**k // x.denominator
        return Decimal(f"{m}E-{k}")  # the string constructor is exact
    with localcontext() as ctx:  # never exactly a half: 50 digits tell which side it is on
        ctx.prec = PRECISION
        return Decimal(x.numerator) / Decimal(x.denominator)


@dataclass
class RefUnit:
    """Everything reported for one unit, every number rounded (Decimal)."""

    unit_id: str
    group: str | None
    points: dict[str, Decimal]  # rounded points of every node
    max: dict[str, Decimal]  # rounded applicable max of every node
    total: Decimal
    app_max: Decimal
    index: Decimal
    tier: str
    rank: int = 0
    # unrounded, for properties that need them
    raw_total: Fraction = ZERO
    raw_points: dict[str, Fraction] = field(default_factory=dict)


@dataclass
class Ref:
    """The oracle's result: units in input order."""

    units: list[RefUnit]

    def by_id(self) -> dict[str, RefUnit]:
        """Units by id."""
        return {u.unit_id: u for u in self.units}


# -- reading cells ----------------------------------------------------------------------------


def _columns(node: Node) -> list[str]:
    assert node.rule is not None
    names = node.rule.inputs
    if len(names) == 1:
        return [node.id]
    return [f"{node.id}:{name}" for name in names]


def _read(cell: object, rule: object) -> object:  # noqa: PLR0911 (one return per case)
    """A cell -> its exact value (Fraction), MISSING or NA."""
    if cell is None:
        return MISSING
    if isinstance(cell, float) and math.isnan(cell):
        return MISSING
    if isinstance(cell, str):
        text = unicodedata.normalize("NFC", cell).strip().casefold()
        if not text:
            return MISSING
        if text in NA_TOKENS:
            return NA
        if isinstance(rule, Choice):
            for pos, name in enumerate(rule.option_names):
                if unicodedata.normalize("NFC", name).casefold() == text:
                    return Fraction(pos)
        return Fraction(Decimal(text.replace(",", ".")))
    return exact(cell)


# -- rules ------------------------------------------------------------------------------------


def _in_band(band: object, v: Fraction) -> bool:
    gt, ge, lt, le = (getattr(band, k) for k in ("gt", "ge", "lt", "le"))
    if gt is not None and not v > exact(gt):
        return False
    if ge is not None and not v >= exact(ge):
        return False
    if lt is not None and not v < exact(lt):
        return False
    return not (le is not None and not v <= exact(le))


def _empty(when_empty: str, mx: Fraction) -> Fraction | _NotApplicable:
    choices: dict[str, Fraction | _NotApplicable] = {"full": mx, "zero": ZERO}
    return choices.get(when_empty, NA)


def rule_points(  # noqa: PLR0911 (one return per rule kind)
    node: Node, values: Sequence[Fraction]
) -> Fraction | _NotApplicable:
    """Unrounded points of a leaf from its (present) input values, straight from the rules.

    Raises:
        ValueError: for an input the rule refuses.
    """
    rule = node.rule
    mx = exact(node.max)
    if isinstance(rule, YesNo):
        if any(v not in (0, 1) for v in values):
            raise ValueError("yes_no needs 0 or 1")
        needed = {"all": len(values), "any": 1}.get(str(rule.need), rule.need)
        return mx if sum(v == 1 for v in values) >= int(needed) else ZERO
    if isinstance(rule, Choice):
        (v,) = values
        if v.denominator != 1 or not 0 <= v < len(rule.options):
            raise ValueError("not an option position")
        return exact(rule.options[int(v)][1])
    if isinstance(rule, Bands):
        if len(values) == 2:  # a rate in percent from counts, exactly
            num, den = values
            if num < 0 or den < 0 or num > den:
                raise ValueError("bad counts")
            if den == 0:
                return _empty(rule.when_empty or "full", mx)
            values = [HUNDRED * num / den]
        (v,) = values
        hits = [b for b in rule.bands if _in_band(b, v)]
        assert len(hits) <= 1, "bands never overlap"
        return exact(hits[0].points) if hits else exact(rule.otherwise)
    if isinstance(rule, Ratio):
        if len(values) == 1:
            (v,) = values
            if v < 0 or (v > HUNDRED and rule.over == "error"):
                raise ValueError("percentage out of range")
            return mx * min(v, HUNDRED) / HUNDRED
        num, den = values
        if num < 0 or den < 0 or (num > den and rule.over == "error"):
            raise ValueError("bad counts")
        if den == 0:
            return _empty(rule.when_empty, mx)
        return mx * min(num / den, Fraction(1))
    if isinstance(rule, Deduction):
        (count,) = values
        if count < 0:
            raise ValueError("negative count")
        return max(mx - exact(rule.per) * count, exact(rule.floor))
    if isinstance(rule, Points):
        (v,) = values
        if not rule.clip and not ZERO <= v <= mx:
            raise ValueError("points out of range")
        return min(max(v, ZERO), mx)
    if isinstance(rule, Survey):
        if any(c < 0 for c in values):
            raise ValueError("negative count")
        n = sum(values, ZERO)
        if n == 0:
            return _empty(rule.when_empty, mx)
        weighted = sum((c * exact(p) for c, (_, p) in zip(values, rule.options, strict=True)), ZERO)
        return mx * weighted / (HUNDRED * n)
    msg = f"the oracle knows no rule {type(rule).__name__}"
    raise TypeError(msg)


# -- one unit ---------------------------------------------------------------------------------


def _leaf(
    node: Node,
    row: Mapping[str, object],
    policy: str,
) -> tuple[Fraction, Fraction]:
    """(points, applicable max) of an applicable leaf for one unit, unrounded."""
    mx = exact(node.max)
    cells = [_read(row[c], node.rule) for c in _columns(node)]
    if any(c is NA for c in cells):
        return ZERO, ZERO
    if any(c is MISSING for c in cells):
        if policy == "error":
            msg = f"missing value for {node.id}"
            raise ValueError(msg)
        if policy == "zero":
            return ZERO, mx
        return ZERO, ZERO
    pts = rule_points(node, [c for c in cells if isinstance(c, Fraction)])
    if isinstance(pts, _NotApplicable):
        return ZERO, ZERO
    return pts, mx


def _unit(
    scheme: Scheme,
    row: Mapping[str, object],
    missing: str | None,
    na_nodes: frozenset[str],
) -> tuple[dict[str, Fraction], dict[str, Fraction], Fraction, Fraction]:
    """Unrounded points and applicable max of every node, the tree total and applicable max."""
    d = scheme.rounding.decimals
    points: dict[str, Fraction] = {}
    maxes: dict[str, Fraction] = {}

    def visit(node: Node, inherited_na: bool) -> tuple[Fraction, Fraction]:
        na_here = inherited_na or node.id in na_nodes
        if node.is_leaf:
            policy = missing or node.missing or scheme.missing
            pts, mx = (ZERO, ZERO) if na_here else _leaf(node, row, policy)
            if scheme.rounding.where == "leaf":
                pts = Fraction(rnd(pts, d))
        else:
            pts, mx = ZERO, ZERO
            for child in node.children:
                cp, cm = visit(child, na_here)
                pts += cp
                mx += cm
        points[node.id] = pts
        maxes[node.id] = mx
        return pts, mx

    total, app_max = ZERO, ZERO
    for top in scheme.nodes:
        p, m = visit(top, inherited_na=False)
        total += p
        app_max += m
    return points, maxes, total, app_max


def score(
    scheme: Scheme,
    data: Mapping[str, Sequence[object]],
    *,
    unit_id: str = "unit_id",
    group: str | None = None,
    missing: str | None = None,
    ranking: Ranking | None = None,
    not_applicable: Mapping[str, Sequence[bool]] | None = None,
) -> Ref:
    """Score every unit of *data* (a mapping of columns) the slow, exact way.

    Args:
        scheme: The scheme.
        data: Columns: unit ids, optional ``group``, input columns, ``bonus``, ``penalty``.
        unit_id: Column of unit ids.
        group: Column of unit groups (``group`` when present by default).
        missing: Overrides every leaf's missing-value policy.
        ranking: Overrides the scheme's ranking.
        not_applicable: Node id -> one flag per unit; a flagged node is not applicable
            (with all its descendants).

    Raises:
        ValueError: on invalid input or a unit with nothing applicable.
    """
    with localcontext() as ctx:
        ctx.prec = PRECISION
        return _score(
            scheme,
            data=data,
            unit_id=unit_id,
            group=group,
            missing=missing,
            ranking=ranking,
            not_applicable=not_applicable,
        )


def _score(
    scheme: Scheme,
    *,
    data: Mapping[str, Sequence[object]],
    unit_id: str,
    group: str | None,
    missing: str | None,
    ranking: Ranking | None,
    not_applicable: Mapping[str, Sequence[bool]] | None,
) -> Ref:
    d = scheme.rounding.decimals
    ids = [str(u) for u in data[unit_id]]
    group_col = group or ("group" if "group" in data else None)
    units: list[RefUnit] = []
    for i, uid in enumerate(ids):
        row = {k: v[i] for k, v in data.items()}
        na_nodes = frozenset(k for k, flags in (not_applicable or {}).items() if bool(flags[i]))
        raw_points, raw_max, tree_total, app_max = _unit(scheme, row, missing, na_nodes)
        total = tree_total
        adj = scheme.adjustments
        if adj.bonus is not None or adj.penalty is not None:
            bonus = penalty = ZERO
            if adj.bonus is not None and row.get("bonus") is not None:
                bonus = min(_amount(row["bonus"]), exact(adj.bonus.max))
            if adj.penalty is not None and row.get("penalty") is not None:
                penalty = min(_amount(row["penalty"]), exact(adj.penalty.max))
            total = min(max(tree_total + bonus - penalty, ZERO), app_max)
        if app_max <= 0:
            msg = f"unit {uid}: nothing applicable"
            raise ValueError(msg)
        index = total / app_max * HUNDRED
        total_r, index_r = rnd(total, d), rnd(index, d)
        basis = index_r if scheme.tiers.basis == "index" else total_r
        tier = next(
            (
                t.name
                for t in scheme.tiers.scale
                # "trên 80%" (above) is strict, "từ 80%" (min) inclusive
                if (basis > dec(t.above) if t.above is not None else basis >= dec(t.min))
            ),
            scheme.tiers.scale[-1].name,
        )
        units.append(
            RefUnit(
                unit_id=uid,
                group=None if group_col is None else str(data[group_col][i]),
                points={k: rnd(v, d) for k, v in raw_points.items()},
                max={k: rnd(v, d) for k, v in raw_max.items()},
                total=total_r,
                app_max=rnd(app_max, d),
                index=index_r,
                tier=tier,
                raw_total=total,
                raw_points=raw_points,
            )
        )
    _rank(units, ranking or scheme.ranking)
    return Ref(units=units)


def _amount(cell: object) -> Fraction:
    value = _read(cell, None)
    if value is MISSING:
        return ZERO
    if not isinstance(value, Fraction) or value < 0:
        msg = f"bad adjustment {cell!r}"
        raise ValueError(msg)
    return value


def _rank(units: list[RefUnit], ranking: Ranking) -> None:
    def key(u: RefUnit) -> tuple[Decimal, ...]:
        head = u.index if ranking.by == "index" else u.total
        return (head, *(u.points[n] for n in ranking.tie_break))

    for u in units:
        peers = [v for v in units if v.group == u.group]
        better = [v for v in peers if key(v) > key(u)]
        if ranking.method == "competition":
            u.rank = 1 + len(better)
        elif ranking.method == "dense":
            u.rank = 1 + len({key(v) for v in better})
        else:
            tied_before = [v for v in peers if key(v) == key(u) and v.unit_id < u.unit_id]
            u.rank = 1 + len(better) + len(tied_before)
