"""Tier scales, rounding, ranking and adjustments: the scheme's settings beside its tree."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import ClassVar, Literal

import attrs

from parscore._params import (
    declare,
    nfc,
    non_empty,
    optional_float,
    whole_between,
)
from parscore.errors import ParameterError, Problem, SchemeError
from parscore.model._caps import TierCap
from parscore.model._common import _NOT_NEGATIVE, _one_of


@attrs.frozen(kw_only=True)
class Tier:
    """A named band of results, e.g. ``Tier(name="Tốt", min=80.0)`` or ``above=80.0``.

    Exactly one of *min* and *above* is given.

    Attributes:
        name: Label as published; any Unicode text (NFC-normalised).
        min: Inclusive lower bound on the rounded index (or total, per the scale's basis):
            "từ 80% trở lên".
        above: Strict lower bound on the rounded value instead: "trên 80%".
        quota: At most this share (0 < quota ≤ 1) of the units of a ranking group holds the
            tier ("không quá 20%"), in rank order, rounded down; units tied at the cut all
            take the next tier, so the quota is never exceeded.

    .. versionadded:: 0.1
    .. versionchanged:: 0.2 *above* and *quota*; *min* became optional.
    """

    # a JSON Schema object keyword, stating the check of __attrs_post_init__ once
    json_schema: ClassVar[dict[str, object]] = {
        "oneOf": [{"required": ["min"]}, {"required": ["above"]}]
    }

    name: str = attrs.field(converter=nfc, validator=non_empty("a tier needs a name"))
    # checked by TierScale.problems, with the tier's path (and at most 100 for an index scale)
    min: float | None = attrs.field(
        default=None, converter=optional_float, metadata=declare(_NOT_NEGATIVE)
    )
    above: float | None = attrs.field(
        default=None, converter=optional_float, metadata=declare(_NOT_NEGATIVE)
    )
    quota: float | None = attrs.field(default=None, converter=optional_float)

    def __attrs_post_init__(self) -> None:
        if self.quota is not None and not 0 < self.quota <= 1:
            msg = (
                f"tier {self.name!r}: quota is a share of units above 0 and at most 1 "
                f"(0.2 = 20%), found {self.quota:g}"
            )
            raise ParameterError(msg)
        if (self.min is None) == (self.above is None):
            found = "both" if self.min is not None else "neither"
            msg = (
                f"tier {self.name!r} needs exactly one bound, min (from, ≥) or above "
                f"(strictly above, >), found {found}"
            )
            raise ParameterError(msg)

    @property
    def bound(self) -> float:
        """The tier's lower bound, whether inclusive (*min*) or strict (*above*)."""
        return self.min if self.min is not None else self.above  # type: ignore[return-value]

    @property
    def is_strict(self) -> bool:
        """True when the bound is strict (*above*): a value equal to it falls to the next tier."""
        return self.above is not None

    @property
    def bound_key(self) -> str:
        """The key the bound is written under: ``min`` or ``above``."""
        return "above" if self.is_strict else "min"

    def admits(self, value: float) -> bool:
        """Whether a rounded *value* reaches this tier's bound."""
        return value > self.bound if self.is_strict else value >= self.bound

    def label(self) -> str:
        """The bound as text: ``> 80`` or ``≥ 65``."""
        return f"{'>' if self.is_strict else '≥'} {self.bound:g}"


def _tiers(value: Iterable[Tier | Mapping[str, object]]) -> tuple[Tier, ...]:
    return tuple(t if isinstance(t, Tier) else Tier(**t) for t in value)


def _by_type(
    value: Mapping[str, TierScale | Mapping[str, object]]
    | Iterable[tuple[str, TierScale | Mapping[str, object]]],
) -> tuple[tuple[str, TierScale], ...]:
    pairs = value.items() if isinstance(value, Mapping) else value
    return tuple((nfc(k), v if isinstance(v, TierScale) else TierScale(**v)) for k, v in pairs)


def _caps(value: Iterable[TierCap | Mapping[str, object]]) -> tuple[TierCap, ...]:
    return tuple(c if isinstance(c, TierCap) else TierCap(**c) for c in value)


@attrs.frozen(kw_only=True)
class TierScale:
    """Tiers as lower bounds (inclusive ``min`` or strict ``above``), best first.

    Attributes:
        scale: The tiers, best first, with strictly decreasing bounds (``above: 80`` is above
            ``min: 80``); the last has ``min: 0`` so that every unit gets a tier. It may be
            left empty when *by_type* gives a scale for every unit type.
        basis: ``index`` (default): bounds apply to the rounded index (percent of the
            applicable max); ``total``: to the rounded total points.
        by_type: One scale per unit type (type id -> scale, in file order); a type without
            one uses *scale*. In files: ``by_type: {so: {basis: index, scale: [...]}, ...}``.
        caps: Conditions that cap a unit's tier (:class:`TierCap`), for every type.

    .. versionadded:: 0.1
    .. versionchanged:: 0.2 *by_type* and *caps*; *scale* may be empty beside *by_type*.
    """

    # a JSON Schema object keyword: a scale, or one per type (TierScale.problems checks it)
    json_schema: ClassVar[dict[str, object]] = {
        "anyOf": [{"required": ["scale"]}, {"required": ["by_type"]}]
    }

    # checked by TierScale.problems, as are the tiers' order and the last tier's min of 0
    scale: tuple[Tier, ...] = attrs.field(default=(), converter=_tiers)
    basis: Literal["index", "total"] = attrs.field(
        default="index", validator=_one_of("index", "total")
    )
    by_type: tuple[tuple[str, TierScale], ...] = attrs.field(default=(), converter=_by_type)
    caps: tuple[TierCap, ...] = attrs.field(default=(), converter=_caps)

    def __attrs_post_init__(self) -> None:
        problems = self.problems()
        if problems:
            raise SchemeError(problems)

    def problems(self) -> list[Problem]:
        """Every problem with the scale, paths relative to the scale."""
        out: list[Problem] = []
        for key, sub in self.by_type:
            if sub.by_type or sub.caps:
                message = "a scale of by_type cannot have by_type or caps of its own"
                out.append(Problem(message=message, path=f"$.by_type.{key}"))
        seen_caps: set[str] = set()
        for i, cap in enumerate(self.caps):
            if cap.id in seen_caps:
                out.append(
                    Problem(message=f"cap id {cap.id!r} is used twice", path=f"$.caps[{i}].id")
                )
            seen_caps.add(cap.id)
        if not self.scale:
            if not self.by_type:
                out.append(Problem(message="a tier scale needs at least one tier", path="$.scale"))
            return out
        out.extend(self._scale_problems())
        return out

    def _scale_problems(self) -> list[Problem]:
        out: list[Problem] = []
        seen: set[str] = set()
        for i, tier in enumerate(self.scale):
            if tier.name in seen:
                out.append(
                    Problem(message=f"tier name {tier.name!r} repeats", path=f"$.scale[{i}]")
                )
            seen.add(tier.name)
            key, prev = tier.bound_key, self.scale[i - 1]
            order = "min" if key == "min" else "bounds"
            # above 80 starts higher than min 80: compare (bound, strict)
            if i and (tier.bound, tier.is_strict) >= (prev.bound, prev.is_strict):
                out.append(
                    Problem(
                        message=(
                            f"tiers must be listed best first with decreasing {order}: "
                            f"{tier.name!r} ({key} {tier.bound:g}) follows "
                            f"{prev.name!r} ({prev.bound_key} {prev.bound:g})"
                        ),
                        path=f"$.scale[{i}].{key}",
                    )
                )
            if not _NOT_NEGATIVE.accepts(tier.bound):
                out.append(
                    Problem(
                        message=f"a tier's {key} cannot be negative ({tier.name!r})",
                        path=f"$.scale[{i}].{key}",
                    )
                )
            if self.basis == "index" and tier.bound > 100:
                out.append(
                    Problem(
                        message=f"an index tier's {key} cannot exceed 100 ({tier.name!r})",
                        path=f"$.scale[{i}].{key}",
                    )
                )
        last = self.scale[-1]
        if last.quota is not None:
            out.append(
                Problem(
                    message=(
                        f"the last tier {last.name!r} cannot have a quota: units over a quota "
                        "take the next tier"
                    ),
                    path=f"$.scale[{len(self.scale) - 1}].quota",
                )
            )
        if last.min != 0:
            out.append(
                Problem(
                    message=(
                        f"the last tier must start at 0 so every unit gets a tier (min: 0); "
                        f"found {last.name!r} at {last.bound_key} {last.bound:g} (add e.g. "
                        f"{{name: Kém, min: 0}})"
                    ),
                    path=f"$.scale[{len(self.scale) - 1}].{last.bound_key}",
                )
            )
        return out

    @property
    def names(self) -> tuple[str, ...]:
        """Tier names of *scale*, best first (see :meth:`for_type` for a type's own)."""
        return tuple(t.name for t in self.scale)

    @property
    def has_quota(self) -> bool:
        """Whether a tier of any scale has a quota."""
        return any(t.quota is not None for s in self.scales().values() for t in s.scale)

    def for_type(self, type_id: str | None) -> TierScale:
        """The scale that classifies units of *type_id*: its own in *by_type*, else *scale*.

        The scale returned has neither *by_type* nor *caps*.
        """
        if type_id is not None:
            for key, sub in self.by_type:
                if key == type_id:
                    return sub
        if not self.by_type and not self.caps:
            return self
        return TierScale(scale=self.scale, basis=self.basis)

    def scales(self) -> dict[str | None, TierScale]:
        """Every scale in use: ``None`` -> *scale* (when it has tiers), then each type's own."""
        out: dict[str | None, TierScale] = {}
        if self.scale:
            out[None] = self.for_type(None)
        out.update(self.by_type)
        return out

    def classify(self, value: float) -> str:
        """Return the tier of one rounded value (a plain-Python helper for one unit)."""
        for tier in self.scale:
            if tier.admits(value):
                return tier.name
        return self.scale[-1].name


@attrs.frozen(kw_only=True)
class Rounding:
    """How reported numbers are rounded: half-up, to *decimals* places.

    Attributes:
        decimals: Decimal places of every reported number (2 nationally; some provinces 3).
        where: ``report`` (default): points are carried unrounded and each reported number (a
            node's points, the total, the index) is rounded on its own, so a total may differ
            by 0.01 from the sum of its rounded parts, as in published tables. ``leaf``: each
            leaf's points are rounded first and the rounded leaves are summed.

    .. versionadded:: 0.1
    """

    decimals: int = attrs.field(
        default=2,
        validator=whole_between(
            0, 6, "decimals must be a whole number from {minimum} to {maximum}, found {value!r}"
        ),
    )
    where: Literal["report", "leaf"] = attrs.field(
        default="report", validator=_one_of("report", "leaf")
    )


def _str_tuple(value: Iterable[str]) -> tuple[str, ...]:
    # a typed converter, so that type checkers accept any iterable of ids (not just tuples)
    return tuple(value)


@attrs.frozen(kw_only=True)
class Ranking:
    """How units are ranked within their group.

    Attributes:
        by: ``index`` (default) or ``total``: the rounded value ranked, highest first.
        method: ``competition`` ("1, 2, 2, 4", default), ``dense`` ("1, 2, 2, 3") or
            ``ordinal`` ("1, 2, 3, 4", ties in unit-id order).
        tie_break: Node ids whose rounded points break ties, in order, before ties are shared.

    .. versionadded:: 0.1
    """

    by: Literal["index", "total"] = attrs.field(
        default="index", validator=_one_of("index", "total")
    )
    method: Literal["competition", "dense", "ordinal"] = attrs.field(
        default="competition", validator=_one_of("competition", "dense", "ordinal")
    )
    tie_break: tuple[str, ...] = attrs.field(default=(), converter=_str_tuple)
