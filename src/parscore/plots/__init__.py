"""Plots for notebooks and scripts, as matplotlib figures (the ``plots`` extra).

Each function takes a result (or an analysis of results) and returns a new
:class:`matplotlib.figure.Figure`:

- :func:`tier_distribution`: units in each tier, a panel per unit type when the scheme has
  types (each type in its own scale);
- :func:`index_histogram`: the index, a small panel per group (or unit type), by tier;
- :func:`field_profile`: one unit's component index per field, bars or a radar, with the
  mean of the units it is compared with;
- :func:`rank_moves`: places gained and lost between two years, from
  :func:`parscore.analysis.compare`;
- :func:`sensitivity_intervals`: each unit's plausible ranks under other field weights,
  from :func:`parscore.analysis.sensitivity`;
- :func:`to_svg`: the SVG text of any figure, for a web page or a service.

Why a module of functions and not a ``result.plot`` accessor: two of the five plots are of
analyses (a comparison of two results, a sensitivity analysis), not of one result, so one
place for all of them is easier to find than methods spread over three classes; a function
adds no attribute to :class:`~parscore.Result`, whose layout is a stable contract; and the
module keeps matplotlib out of every class — ``import parscore`` (and ``import
parscore.plots``) imports no matplotlib, which is imported only when a plot is drawn.
Without matplotlib a plot raises :class:`~parscore.MissingDependencyError` naming the extra
(``pip install 'parscore[plots]'``).

The figures are made without pyplot and without touching matplotlib's global settings
(``rcParams`` is never written), so they are safe to draw from threads and in servers, and
they are not pyplot's "current figure": in a notebook a figure shows when it is the value of
a cell (the figures have a PNG display of their own, with or without ``%matplotlib inline``);
``fig.savefig("tiers.png")`` writes a file, :func:`to_svg` gives SVG text. Names from schemes
and data are drawn as written, never as mathtext: ``Tỷ lệ $x$`` keeps its dollar signs.
Labels are Vietnamese with English in parentheses, as in the HTML report.

Example:
    >>> import parscore as ps
    >>> from parscore import plots
    >>> from parscore.datasets import example_data
    >>> scheme = ps.builtin_scheme("example-commune-2026")
    >>> result = ps.score(scheme, example_data(scheme, 60, seed=1))
    >>> fig = plots.tier_distribution(result)
    >>> type(fig).__mro__[1].__module__, type(fig).__mro__[1].__name__
    ('matplotlib.figure', 'Figure')

.. versionadded:: 0.2
"""

from __future__ import annotations

from parscore.plots._analysis import rank_moves, sensitivity_intervals
from parscore.plots._base import to_svg
from parscore.plots._results import field_profile, index_histogram, tier_distribution

__all__ = [
    "field_profile",
    "index_histogram",
    "rank_moves",
    "sensitivity_intervals",
    "tier_distribution",
    "to_svg",
]
