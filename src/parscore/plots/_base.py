"""What every plot of :mod:`parscore.plots` shares: the figure, labels, orders, SVG text."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from parscore._display import tier_colour_map
from parscore._display._svg import FONT, figure_svg, literal_text, new_figure
from parscore._optional import require

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from parscore.model import Scheme

__all__ = [
    "finish",
    "legend",
    "new",
    "ordered",
    "scheme_colours",
    "to_svg",
    "type_name",
    "vi_key",
]


def new(width: float, height: float) -> Any:
    """A new :class:`~parscore.plots._figure.PlotFigure` (matplotlib is imported here)."""
    require("matplotlib.figure", "plots")
    from parscore.plots._figure import PlotFigure

    return new_figure(width, height, figure_class=PlotFigure)


def finish(fig: Any) -> Figure:
    """Every text of *fig* drawn as written (never mathtext); returns *fig*."""
    return literal_text(fig)  # type: ignore[no-any-return]


def legend(target: Any, **kwargs: Any) -> None:
    """A frameless legend in the house font."""
    target.legend(frameon=False, prop=dict(FONT), title_fontproperties=dict(FONT), **kwargs)


def scheme_colours(scheme: Scheme) -> dict[str, str]:
    """One colour per tier name of every scale of *scheme*, green best to red worst."""
    return tier_colour_map([s.names for s in scheme.tiers.scales().values()])


def type_name(scheme: Scheme, type_id: str) -> str:
    """A unit type's name as published (its id when it has none)."""
    types = scheme.unit_types
    for t in types.types if types is not None else ():
        if t.id == type_id:
            return t.name or t.id
    return type_id


def vi_key(text: object) -> tuple[str, str]:
    """A sort key in Vietnamese alphabetical order (Đ after D), close enough for panels."""
    value = unicodedata.normalize("NFC", str(text))
    base = "".join(
        "d\U0010ffff" if ch in "đĐ" else ch
        for ch in unicodedata.normalize("NFD", value)
        if not unicodedata.combining(ch)
    )
    return base.casefold(), value


def ordered(values: Iterable[object]) -> list[str]:
    """The distinct values as text, in Vietnamese alphabetical order."""
    return sorted({str(v) for v in values}, key=vi_key)


def to_svg(fig: Figure, *, standalone: bool = True) -> str:
    """SVG text of any matplotlib figure, drawn without touching matplotlib's global state.

    What a web service or a report needs: text stays text (no font embedded), element ids
    depend only on the content (the same figure gives the same bytes, from any thread), and
    no ``rcParams`` entry is read for the SVG settings or written. The figure's canvas and
    texts are left as they were: the figures of this module draw names as written (never
    mathtext); mathtext you put in a figure of your own stays mathtext.

    Args:
        fig: A figure, from this module or any other.
        standalone: True (default): an SVG document with the SVG namespace, which
            ``IPython.display.SVG``, browsers and XML parsers accept as a file; False: to
            inline in an HTML page (no namespace declarations).

    Returns:
        SVG text, without XML prologue or metadata.

    Raises:
        MissingDependencyError: when matplotlib is not installed.

    Example:
        >>> import parscore as ps
        >>> from parscore import plots
        >>> from parscore.datasets import example_data
        >>> scheme = ps.builtin_scheme("example-commune-2026")
        >>> result = ps.score(scheme, example_data(scheme, 50))
        >>> svg = plots.to_svg(plots.tier_distribution(result))
        >>> svg.startswith('<svg role="img" class="plot" xmlns="http://www.w3.org/2000/svg"')
        True

    .. versionadded:: 0.2
    """
    return figure_svg(fig, standalone=standalone, literal=False)
