"""The analyses, report and views on generated schemes with every addition of issue 10.

Unit types with ``applies_to`` and scales by type, tier caps (yes/no columns and node
indexes), quotas and named items, drawn by :mod:`parscore.testing` (``additions=True``).
"""

from __future__ import annotations

import numpy as np
from analysis_cases import best_inputs
from hypothesis import given, settings

import parscore as ps
from parscore.compile import column_names
from parscore.report import render_report
from parscore.testing import schemes_with_measurements


def _position(scheme: ps.Scheme, unit_type: object, tier: object) -> int:
    return scheme.tier_names_for(None if unit_type is None else str(unit_type)).index(str(tier))


@settings(deadline=None, max_examples=60)
@given(case=schemes_with_measurements(max_units=16, additions=True))
def test_targets_hold_when_rescored(case: tuple[ps.Scheme, dict[str, list[object]]]) -> None:
    """Recovering a target's leaves reaches its tier exactly when gaps calls it reachable.

    Units whose scale has a quota are left out (the quota, not the points, decides there);
    a unit held below its next tier by a yes/no cap has no target, and the cap holds.
    """
    scheme, data = case
    result = ps.score(scheme, data)
    g = ps.gaps(result)
    types = result.unit_types
    caps = {c.id: c for c in scheme.tiers.caps}
    checked = 0
    for u in range(result.n_units):
        unit_type = None if types is None else str(types[u])
        scale = scheme.tiers.for_type(unit_type)
        pos = _position(scheme, unit_type, result.tier[u])
        if g.blocked_by is not None and g.blocked_by[u] is not None:
            cap = caps[g.blocked_by[u]]
            assert cap.node is None
            assert g.target_tier[u] is None
            assert scale.names.index(cap.at_most) >= pos - 1 + 1  # the cap holds it here
            continue
        assert (g.target_tier[u] is None) == (pos == 0)
        if pos == 0 or any(t.quota is not None for t in scale.scale) or checked >= 5:
            continue
        changes: dict[str, object] = {}
        for leaf_id in g.target_nodes[u]:
            node = scheme.node(leaf_id)
            cells = best_inputs(node)
            if cells is None:
                break
            changes.update(zip(column_names(node, node.rule), cells, strict=True))  # type: ignore[arg-type]
        else:
            checked += 1
            after = ps.what_if(result, {str(result.unit_ids[u]): changes})
            reached = _position(scheme, unit_type, after.tier[u]) <= pos - 1
            assert reached == bool(g.reachable[u]), (u, g.target_nodes[u], g.lifted_caps)


@settings(deadline=None, max_examples=40)
@given(case=schemes_with_measurements(max_units=16, additions=True))
def test_compare_sensitivity_report_and_views_run(
    case: tuple[ps.Scheme, dict[str, list[object]]],
) -> None:
    """Compared with itself nothing moves; unperturbed draws reproduce it; all renders."""
    scheme, data = case
    result = ps.score(scheme, data)
    cmp = ps.compare(result, result)
    assert (cmp.tier_move == 0).all()
    assert (cmp.rank_change == 0).all()
    s = ps.sensitivity(result, draws=3, spread=0.0)
    np.testing.assert_array_equal(s.median_rank, result.rank)
    np.testing.assert_array_equal(s.observed_tier_probability, np.ones(result.n_units))
    text = render_report(result, previous=result, plots=False)
    assert text.count('<table class="ranking">') == 1
    assert result._repr_html_()
    assert scheme._repr_html_()
