"""Display helpers below every other layer: tier colours, notebook HTML, figures and SVG.

The figures and their SVG text (``_svg``) are drawn without matplotlib's global state, for
the report's plots and :mod:`parscore.plots`; matplotlib is imported only when one is drawn.

Layer 0 (see docs/architecture.md): this package imports nothing above layer 0, so that
:meth:`Scheme._repr_html_ <parscore.Scheme>` and :meth:`Result._repr_html_ <parscore.Result>`
import downward. The views read the scheme and result through small Protocols
(:mod:`parscore._display._shapes`), never through their classes.
"""

from __future__ import annotations

from parscore._display._colours import TIER_COLOURS, tier_colour_map, tier_colours, tier_order
from parscore._display._notebook import result_html, scheme_html

__all__ = [
    "TIER_COLOURS",
    "result_html",
    "scheme_html",
    "tier_colour_map",
    "tier_colours",
    "tier_order",
]
