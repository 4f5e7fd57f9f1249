"""The figure class of :mod:`parscore.plots`: a matplotlib Figure that shows in a notebook.

Imported only when a plot is drawn (it imports matplotlib).
"""

from __future__ import annotations

import io

from matplotlib.figure import Figure

__all__ = ["PlotFigure"]


class PlotFigure(Figure):
    """A :class:`matplotlib.figure.Figure` that Jupyter shows as a PNG without pyplot.

    A Figure made without pyplot has no notebook display of its own (it prints as
    ``<Figure size … with 1 Axes>`` unless pyplot's inline backend was loaded); this one
    has ``_repr_png_``. Everything else is matplotlib's Figure.

    .. versionadded:: 0.2
    """

    def _repr_png_(self) -> bytes:
        buf = io.BytesIO()
        self.savefig(buf, format="png", dpi=self.dpi, facecolor="white", bbox_inches=None)
        return buf.getvalue()
