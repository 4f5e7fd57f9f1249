"""Unstructuring: model objects -> the plain dicts of the v1 format; the fingerprint."""

from __future__ import annotations

import functools
import hashlib
import json
from typing import Any

import attrs

from parscore._format._common import FORMAT_VERSION, NAMED_VALUES, converter, plain_number
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
    UnitTypes,
)
from parscore.rules import Band, Choice, Survey
from parscore.typing import Rule

__all__ = ["canonical_json", "fingerprint", "scheme_to_dict"]


def _unstructure_attrs(obj: Any) -> dict[str, Any]:
    """Unstructure an attrs instance: fields in declaration order, defaults omitted."""
    out: dict[str, Any] = {}
    for field in attrs.fields(type(obj)):
        if not field.init:
            continue
        value = getattr(obj, field.name)
        default = field.default
        if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
            default = default.factory()
        if default is not attrs.NOTHING and value == default:
            continue
        if field.name in _named_value_fields(type(obj)):  # type: ignore[arg-type] # files: {name: number}
            out[field.name] = {name: plain_number(v) for name, v in value}
            continue
        out[field.name] = _unstructure_value(value)
    return out


@functools.cache
def _named_value_fields(cls: type) -> frozenset[str]:
    """Fields typed like ``options`` (name -> number pairs), which files write as mappings.

    Structuring reads such a field from a mapping only, so unstructuring must write one: this
    makes any rule, plugin rules included, round-trip through every format.
    """
    try:
        attrs.resolve_types(cls)
    except Exception:  # a plugin's annotations that cannot be resolved: no such fields
        return frozenset()
    return frozenset(f.name for f in attrs.fields(cls) if f.type == NAMED_VALUES)


def _unstructure_value(value: Any) -> Any:
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, float | int):
        return plain_number(value)
    if isinstance(value, tuple | list):
        return [_unstructure_value(v) for v in value]
    return converter.unstructure(value)


def _unstructure_rule(rule: Rule) -> dict[str, Any]:
    out: dict[str, Any] = {"kind": rule.kind}
    if attrs.has(type(rule)):
        out.update(_unstructure_attrs(rule))
    return out


def _unstructure_options(rule: Choice | Survey) -> dict[str, Any]:
    out = _unstructure_rule(rule)
    out["options"] = {name: plain_number(v) for name, v in rule.options}
    return out


def _unstructure_node(node: Node) -> dict[str, Any]:
    out: dict[str, Any] = {"id": node.id, "name": node.name}
    if node.max_points is not None:
        out["max"] = plain_number(node.max_points)
    if node.legal_basis is not None:
        out["legal_basis"] = node.legal_basis
    if node.missing is not None:
        out["missing"] = node.missing
    if node.applies_to is not None:
        out["applies_to"] = list(node.applies_to)
    if node.rule is not None:
        out["rule"] = converter.unstructure(node.rule, unstructure_as=type(node.rule))
    if node.children:
        out["children"] = [_unstructure_node(c) for c in node.children]
    return out


def _unstructure_tier(tier: Tier) -> dict[str, Any]:
    out: dict[str, Any] = {"name": tier.name, tier.bound_key: plain_number(tier.bound)}
    if tier.quota is not None:
        out["quota"] = plain_number(tier.quota)
    return out


def _unstructure_tier_scale(scale: TierScale) -> dict[str, Any]:
    out: dict[str, Any] = {"basis": scale.basis}
    if scale.scale or not scale.by_type:
        out["scale"] = [_unstructure_tier(t) for t in scale.scale]
    if scale.by_type:
        out["by_type"] = {key: _unstructure_tier_scale(sub) for key, sub in scale.by_type}
    if scale.caps:
        out["caps"] = [_unstructure_attrs(c) for c in scale.caps]
    return out


def _unstructure_unit_types(unit_types: UnitTypes) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if unit_types.column != "type":
        out["column"] = unit_types.column
    out["types"] = [
        t.id if t.name is None else {"id": t.id, "name": t.name} for t in unit_types.types
    ]
    return out


def _unstructure_scheme(scheme: Scheme) -> dict[str, Any]:
    out: dict[str, Any] = {"parscore": FORMAT_VERSION, "id": scheme.id, "name": scheme.name}
    out["level"] = scheme.level
    if scheme.unit_types is not None:
        out["unit_types"] = _unstructure_unit_types(scheme.unit_types)
    for key in ("year", "version", "legal_basis", "notes"):
        value = getattr(scheme, key)
        if value is not None:
            out[key] = value
    out["rounding"] = _unstructure_attrs(scheme.rounding) or {"decimals": 2}
    out["tiers"] = _unstructure_tier_scale(scheme.tiers)
    out["missing"] = scheme.missing
    ranking = _unstructure_attrs(scheme.ranking)
    if ranking:
        out["ranking"] = ranking
    adjustments = _unstructure_attrs(scheme.adjustments)
    if adjustments:
        out["adjustments"] = adjustments
    out["nodes"] = [_unstructure_node(n) for n in scheme.nodes]
    return out


def _register() -> None:
    for cls in (Adjustment, AdjustmentItem, Adjustments, Ranking, Rounding, TierCap, Band):
        converter.register_unstructure_hook(cls, _unstructure_attrs)
    converter.register_unstructure_hook(Tier, _unstructure_tier)
    converter.register_unstructure_hook(UnitTypes, _unstructure_unit_types)
    converter.register_unstructure_hook(TierScale, _unstructure_tier_scale)
    converter.register_unstructure_hook(Node, _unstructure_node)
    converter.register_unstructure_hook(Scheme, _unstructure_scheme)
    converter.register_unstructure_hook(Choice, _unstructure_options)
    converter.register_unstructure_hook(Survey, _unstructure_options)
    # Any other rule (built-in or plugin): its kind, then its attrs fields.
    converter.register_unstructure_hook_func(
        lambda t: isinstance(t, type) and isinstance(getattr(t, "kind", None), str),
        _unstructure_rule,
    )


_register()


def scheme_to_dict(scheme: Scheme) -> dict[str, Any]:
    """Return the scheme as the plain dict of the v1 format, keys in a stable order."""
    return _unstructure_scheme(scheme)


def canonical_json(scheme: Scheme) -> str:
    """Return the canonical JSON text of *scheme*: sorted keys, no spaces, UTF-8 characters."""
    return json.dumps(
        scheme_to_dict(scheme), sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )


def fingerprint(scheme: Scheme) -> str:
    """Return ``sha256:<hex>`` of the scheme's canonical JSON; equal schemes share it."""
    digest = hashlib.sha256(canonical_json(scheme).encode("utf-8")).hexdigest()
    return f"sha256:{digest}"
