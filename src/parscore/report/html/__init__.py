"""A self-contained HTML report of a result, to send to a provincial office.

One file, nothing fetched: inline CSS, plots as inline SVG (matplotlib, the ``plots`` extra),
no scripts, no web fonts, no links to other sites. Without matplotlib the report still renders,
with HTML/CSS bar charts, and says so. Every text from the scheme or the data is escaped.

Sections: the header (scheme, year, level, fingerprint, units, date); the tier distribution
(one table per unit type, each with its own scale's ranges); the caps and quotas (when the
scheme has them: each condition, the units it lowered, each quota's moves); the ranking of
every unit with its tier (within each unit type and group; a lowered tier marked ``*`` capped
or ``†`` moved by quota, with a legend); the named adjustments (when the scheme has items);
each field's component index across units; the units that lost most points in each field;
and, given last year's result, rank and tier changes (units matched by id; new and gone units
listed; tiers compared each in its unit type's scale).

.. versionadded:: 0.1

Modules: ``_page`` (the page and its order), one per section (``_header``, ``_ranking``,
``_fields``, ``_changes``, ``_types``: unit types, caps, quotas and items), ``_parts``
(escaping, numbers, badges), ``_style`` (the CSS).
"""

from __future__ import annotations

from parscore.report.html._page import render_report, write_report

__all__ = ["render_report", "write_report"]
