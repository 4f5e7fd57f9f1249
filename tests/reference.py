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

Ranks are computed the plain way: 1 + the number of strictly better units in the group (with
unit types: the units of the same type and group).

The additions of issue 10 are computed per unit, straight from their definitions: a leaf that
does not apply to the unit's type is left out (no points, no max); each type takes its own tier
scale; a tier cap lowers the tier to its ``at_most`` when its condition holds (the worst
``at_most`` wins); quotas then move the units beyond ``floor(quota x n)`` of a tier (n: the
units of the ranking group; ties at the cut all move) to the next tier, best tier first;
named adjustment items add to the bonus and penalty, each capped, before the overall caps.

It is deliberately slow and simple; it only needs to be obviously right.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction

from parscore.model import Node, Ranking, Scheme, Tier, TierCap, UnitTypes
from parscore.rules import Bands, Choice, Deduction, Points, Ratio, Survey, YesNo

__all__ = ["NA_TOKENS", "Ref", "RefUnit", "dec", "exact", "rnd", "score"]

NA_TOKENS = frozenset({"n/a", "na", "kad", "không áp dụng", "khong ap dung"})
YES_TOKENS = frozenset({"1", "true", "có", "co", "đạt", "dat", "yes", "x"})
NO_TOKENS = frozenset({"0", "false", "không", "khong", "không đạt", "khong dat", "no"})
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
    # the additions (issue 10)
    type_id: str | None = None
    scale_tier: str = ""  # the tier the unit's scale alone gives, before caps and quotas
    caps_held: dict[str, bool] = field(default_factory=dict)  # cap id -> condition held
    capped_by: str = ""  # the cap that lowered the tier, "" if none
    quota_moved: bool = False  # moved to a lower tier by a quota
    bonus: Decimal = Decimal(0)  # capped sum of the bonus column and items, rounded
    penalty: Decimal = Decimal(0)
    items: dict[str, Decimal] = field(default_factory=dict)  # item id -> capped points, rounded


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


def _applies(node: Node, type_id: str | None) -> bool:
    """Whether *node* itself names *type_id* (or names no types); ancestors are checked apart."""
    return type_id is None or node.applies_to is None or type_id in node.applies_to


def _unit(
    scheme: Scheme,
    row: Mapping[str, object],
    missing: str | None,
    na_nodes: frozenset[str],
    type_id: str | None = None,
) -> tuple[dict[str, Fraction], dict[str, Fraction], Fraction, Fraction]:
    """Unrounded points and applicable max of every node, the tree total and applicable max."""
    d = scheme.rounding.decimals
    points: dict[str, Fraction] = {}
    maxes: dict[str, Fraction] = {}

    def visit(node: Node, inherited_na: bool) -> tuple[Fraction, Fraction]:
        # a node not applying to the unit's type is not applicable, with its descendants
        na_here = inherited_na or node.id in na_nodes or not _applies(node, type_id)
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
    unit_types = scheme.unit_types
    units: list[RefUnit] = []
    for i, uid in enumerate(ids):
        row = {k: v[i] for k, v in data.items()}
        type_id = None if unit_types is None else _type_of(unit_types, row.get(unit_types.column))
        na_nodes = frozenset(k for k, flags in (not_applicable or {}).items() if bool(flags[i]))
        raw_points, raw_max, tree_total, app_max = _unit(scheme, row, missing, na_nodes, type_id)
        total = tree_total
        bonus, penalty, items = _adjustments(scheme, row)
        if _has_adjustments(scheme):
            total = min(max(tree_total + bonus - penalty, ZERO), app_max)
        if app_max <= 0:
            msg = f"unit {uid}: nothing applicable"
            raise ValueError(msg)
        index = total / app_max * HUNDRED
        total_r, index_r = rnd(total, d), rnd(index, d)
        scale, basis_name = _scale(scheme, type_id)
        basis = index_r if basis_name == "index" else total_r
        tier = next(
            (
                t.name
                for t in scale
                # "trên 80%" (above) is strict, "từ 80%" (min) inclusive
                if (basis > dec(t.above) if t.above is not None else basis >= dec(t.min))
            ),
            scale[-1].name,
        )
        caps_held = {c.id: _cap_holds(c, row, raw_points, raw_max, d) for c in scheme.tiers.caps}
        capped, capped_by = _capped(scheme, [t.name for t in scale], tier, caps_held)
        units.append(
            RefUnit(
                unit_id=uid,
                group=None if group_col is None else str(data[group_col][i]),
                points={k: rnd(v, d) for k, v in raw_points.items()},
                max={k: rnd(v, d) for k, v in raw_max.items()},
                total=total_r,
                app_max=rnd(app_max, d),
                index=index_r,
                tier=capped,
                raw_total=total,
                raw_points=raw_points,
                type_id=type_id,
                scale_tier=tier,
                caps_held=caps_held,
                capped_by=capped_by,
                bonus=rnd(bonus, d),
                penalty=rnd(penalty, d),
                items={k: rnd(v, d) for k, v in items.items()},
            )
        )
    _rank(units, ranking or scheme.ranking)
    _quotas(scheme, units)
    return Ref(units=units)


# -- the additions: unit types, tier scales per type, caps, quotas, adjustment items ----------


def _text(cell: object) -> str:
    return unicodedata.normalize("NFC", str(cell)).strip().casefold()


def _type_of(unit_types: UnitTypes, cell: object) -> str:
    """The declared type id a cell names: its id or its name, in any case."""
    text = _text(cell)
    for t in unit_types.types:
        if text in {_text(t.id), *([] if t.name is None else [_text(t.name)])}:
            return str(t.id)
    msg = f"no declared unit type {cell!r}"
    raise ValueError(msg)


def _scale(scheme: Scheme, type_id: str | None) -> tuple[Sequence[Tier], str]:
    """The tiers (best first) and basis of the unit's scale: its type's own, else the v1 one."""
    own = dict(scheme.tiers.by_type)
    found = own.get(type_id) if type_id is not None else None
    tiers = found if found is not None else scheme.tiers
    return tiers.scale, tiers.basis


def _yes(cell: object) -> bool:
    """A yes/no cell of a cap column; blank means the condition does not hold."""
    if cell is None or (isinstance(cell, float) and math.isnan(cell)):
        return False
    if isinstance(cell, bool | int | float):
        if cell not in (0, 1):
            msg = f"not a yes/no cell: {cell!r}"
            raise ValueError(msg)
        return cell == 1
    text = _text(cell)
    if text in YES_TOKENS:
        return True
    if text in NO_TOKENS or not text:
        return False
    msg = f"not a yes/no cell: {cell!r}"
    raise ValueError(msg)


def _cap_holds(
    cap: TierCap,
    row: Mapping[str, object],
    raw_points: Mapping[str, Fraction],
    raw_max: Mapping[str, Fraction],
    decimals: int,
) -> bool:
    """Whether a cap's condition holds for one unit.

    A node cap: the node's component index rounded half up < index_below (a node that does
    not apply has no index: the condition does not hold); else the yes/no column ``cap:<id>``.
    """
    if cap.node is not None and cap.index_below is not None:
        mx = raw_max[cap.node]
        return mx > 0 and rnd(raw_points[cap.node] / mx * HUNDRED, decimals) < dec(cap.index_below)
    return _yes(row.get(f"cap:{cap.id}"))


def _capped(
    scheme: Scheme, names: Sequence[str], tier: str, held: Mapping[str, bool]
) -> tuple[str, str]:
    """The tier after the caps that hold, and the id of the cap that lowered it ("" if none).

    The lowest ``at_most`` wins; among caps with the same ``at_most``, the first listed.
    """
    worst, by = names.index(tier), ""
    for cap in scheme.tiers.caps:
        at = names.index(cap.at_most)
        if held[cap.id] and at > worst:
            worst, by = at, cap.id
    return names[worst], by


def _quotas(scheme: Scheme, units: list[RefUnit]) -> None:
    """Quotas per ranking group (type x group), best tier first, after the caps.

    A tier with quota q keeps at most L = floor(q x n) of the group's n units: a unit holding
    it is kept iff the units holding it ranked at or above it (rank <= its rank) number at
    most L, so units tied at the cut all move; moved units take the next tier (and count
    against that tier's quota).
    """
    for key in {(u.type_id, u.group) for u in units}:
        peers = [u for u in units if (u.type_id, u.group) == key]
        scale, _ = _scale(scheme, key[0])
        for pos, tier in enumerate(scale):
            if tier.quota is None:
                continue
            limit = math.floor(exact(tier.quota) * len(peers))
            holders = [u for u in peers if u.tier == tier.name]
            moved = [u for u in holders if sum(v.rank <= u.rank for v in holders) > limit]
            for u in moved:
                if pos + 1 == len(scale):
                    msg = "a quota on the last tier"
                    raise ValueError(msg)
                u.tier = scale[pos + 1].name
                u.quota_moved = True


def _has_adjustments(scheme: Scheme) -> bool:
    """Whether the total is adjusted (and so clipped to [0, applicable max])."""
    adj = scheme.adjustments
    return adj.bonus is not None or adj.penalty is not None or bool(adj.items)


def _adjustments(
    scheme: Scheme, row: Mapping[str, object]
) -> tuple[Fraction, Fraction, dict[str, Fraction]]:
    """Bonus, penalty (each capped: the v1 column plus the items) and every item's points.

    An item's column holds points, or a count when the item has ``per`` (points = per x
    count); each item is capped by its own max; the sums by the bonus (penalty) max.
    """
    adj = scheme.adjustments
    sums = {"bonus": ZERO, "penalty": ZERO}
    for name in sums:
        cap = getattr(adj, name)
        if cap is not None and row.get(name) is not None:
            sums[name] = _amount(row[name])
    items: dict[str, Fraction] = {}
    for item in adj.items:
        value = _amount(row.get(f"adj:{item.id}"))
        if item.per is not None:
            value *= exact(item.per)
        if item.max is not None:
            value = min(value, exact(item.max))
        items[item.id] = value
        sums[item.sign] += value
    for name, value in sums.items():
        cap = getattr(adj, name)
        if cap is not None:
            sums[name] = min(value, exact(cap.max))
    return sums["bonus"], sums["penalty"], items


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

    for u in units:  # within the unit's group, and its type (with unit types)
        peers = [v for v in units if (v.group, v.type_id) == (u.group, u.type_id)]
        better = [v for v in peers if key(v) > key(u)]
        if ranking.method == "competition":
            u.rank = 1 + len(better)
        elif ranking.method == "dense":
            u.rank = 1 + len({key(v) for v in better})
        else:
            tied_before = [v for v in peers if key(v) == key(u) and v.unit_id < u.unit_id]
            u.rank = 1 + len(better) + len(tied_before)
