"""Matplotlib figures without global state: new figures, house style, literal text, SVG text.

Everything here works on one :class:`matplotlib.figure.Figure` and never on matplotlib's
globals: no ``pyplot`` (no current figure, no backend), and no ``rcParams`` written, not even
for a moment (``rc_context`` writes the global dictionary and restores it on exit, which
races with any other thread drawing or changing settings). The house style is set on each
artist; the SVG is written by a renderer that keeps text as text and names its elements from
their content, where matplotlib would read ``svg.fonttype`` and ``svg.hashsalt`` from
``rcParams``.

Text from schemes and data is never read as mathtext or TeX (:func:`literal_text`): a name
such as ``Xã $A$`` is drawn as written.

matplotlib is imported lazily (the ``plots`` extra); importing this module imports nothing.
"""

from __future__ import annotations

import codecs
import functools
import hashlib
import io
import re
from typing import Any

from parscore._optional import require

__all__ = [
    "ACCENT",
    "FONT",
    "GRID",
    "INK",
    "MUTED",
    "SVG_NS",
    "XLINK_NS",
    "figure_svg",
    "literal_text",
    "new_figure",
    "style_axes",
]

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"

INK = "#1f2937"
MUTED = "#6b7280"
GRID = "#e5e7eb"
ACCENT = "#1d4ed8"
FONT: dict[str, Any] = {"family": "sans-serif", "size": 9.0}
"""Font of every text the plots draw (set per text, never through ``rcParams``)."""


def new_figure(width: float, height: float, *, figure_class: Any = None) -> Any:
    """A new :class:`~matplotlib.figure.Figure` (not pyplot's), constrained layout, white.

    Args:
        width: Width in inches.
        height: Height in inches.
        figure_class: A subclass of Figure to make, or None for Figure.

    Raises:
        MissingDependencyError: when matplotlib is not installed.
    """
    figure_mod = require("matplotlib.figure", "plots")
    cls = figure_class if figure_class is not None else figure_mod.Figure
    return cls(figsize=(width, height), dpi=100, layout="constrained", facecolor="white")


def style_axes(ax: Any, *, grid: str | None = "y") -> None:
    """The house style on one Axes: light frame, no top or right spine, small grey ticks."""
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    for side in ("bottom", "left"):
        ax.spines[side].set_edgecolor(GRID)
    ax.tick_params(
        axis="x",
        colors=MUTED,
        labelcolor=MUTED,
        labelsize=FONT["size"],
        labelfontfamily="sans-serif",
    )
    ax.tick_params(
        axis="y", colors=MUTED, labelcolor=INK, labelsize=FONT["size"], labelfontfamily="sans-serif"
    )
    ax.xaxis.label.set_color(INK)
    ax.yaxis.label.set_color(INK)
    ax.xaxis.label.set_fontsize(FONT["size"])
    ax.yaxis.label.set_fontsize(FONT["size"])
    if grid is not None:
        ax.grid(axis=grid, color=GRID, lw=0.6)
    ax.set_axisbelow(True)


def literal_text(fig: Any) -> Any:
    r"""Mark every text of *fig* literal: no mathtext, no TeX, whatever ``rcParams`` say.

    Names from schemes and data may hold ``$``: ``Tỷ lệ $x$`` would otherwise be parsed as
    mathtext (drawn in math italics, or raising on ``$\frac$``). Returns *fig*.
    """
    text_mod = require("matplotlib.text", "plots")
    for text in fig.findobj(text_mod.Text):
        text.set_usetex(False)
        text.set_parse_math(False)
    return fig


@functools.cache
def _canvas_class() -> Any:
    """An SVG canvas whose renderer keeps text as text and names elements deterministically."""
    backend_svg = require("matplotlib.backends.backend_svg", "plots")
    backend_mixed = require("matplotlib.backends.backend_mixed", "plots")
    cbook = require("matplotlib.cbook", "plots")

    class _Renderer(backend_svg.RendererSVG):  # type: ignore[misc,name-defined]
        def draw_text(  # noqa: PLR0917 - matplotlib's signature
            self,
            gc: Any,
            x: float,
            y: float,
            s: str,
            prop: Any,
            angle: float,
            ismath: Any = False,
            mtext: Any = None,
        ) -> None:
            # as RendererSVG.draw_text with svg.fonttype "none", without reading rcParams
            clip_attrs = self._get_clip_attrs(gc)
            url = gc.get_url()
            if clip_attrs:
                self.writer.start("g", **clip_attrs)
            if url is not None:
                self.writer.start("a", {"xlink:href": url})
            self._draw_text_as_text(gc, x, y, s, prop, angle, ismath, mtext)
            if url is not None:
                self.writer.end("a")
            if clip_attrs:
                self.writer.end("g")

        def _make_id(self, type: str, content: object) -> str:  # noqa: A002 - matplotlib's name
            digest = hashlib.sha256(f"parscore\0{content}".encode()).hexdigest()[:10]
            return f"{type}{digest}"

    class _Canvas(backend_svg.FigureCanvasSVG):  # type: ignore[misc,name-defined]
        def print_svg(
            self,
            filename: Any,
            *,
            bbox_inches_restore: Any = None,
            metadata: Any = None,
            **_: Any,
        ) -> None:
            fig = self.figure
            dpi = fig.dpi
            with cbook.open_file_cm(filename, "w", encoding="utf-8") as fh:
                out = fh if cbook.file_requires_unicode(fh) else codecs.getwriter("utf-8")(fh)
                fig.dpi = 72
                try:
                    width, height = fig.get_size_inches()
                    svg = _Renderer(width * 72, height * 72, out, image_dpi=dpi, metadata=metadata)
                    renderer = backend_mixed.MixedModeRenderer(
                        fig, width, height, dpi, svg, bbox_inches_restore=bbox_inches_restore
                    )
                    fig.draw(renderer)
                    renderer.finalize()
                finally:
                    fig.dpi = dpi

    return _Canvas


_METADATA = {"Date": None, "Creator": None, "Format": None, "Type": None}


def figure_svg(
    fig: Any, *, prefix: str | None = None, standalone: bool = True, literal: bool = True
) -> str:
    """SVG text of *fig*, drawn without touching matplotlib's global state.

    Text stays text (set in the page's fonts, no font embedded) and is never mathtext; element
    ids are derived from their content, so the same figure gives the same bytes, from any
    thread. The figure's canvas is restored afterwards.

    Args:
        fig: The figure.
        prefix: Prefix of every element id (several plots on one page), or None.
        standalone: True: a document of its own, with the SVG namespace (what
            ``IPython.display.SVG`` and XML parsers need); False: to inline in HTML, without
            namespace declarations (an HTML parser places inline SVG in its namespace).
        literal: Make every text of *fig* literal first (:func:`literal_text`); False keeps
            the figure's own settings (mathtext in a figure made elsewhere).

    Raises:
        MissingDependencyError: when matplotlib is not installed.
    """
    canvas_class = _canvas_class()
    if literal:
        literal_text(fig)
    old = fig.canvas
    buf = io.StringIO()
    try:
        canvas = canvas_class(fig)
        canvas.print_figure(
            buf,
            format="svg",
            dpi=72,
            facecolor="white",
            edgecolor="none",
            bbox_inches=None,
            metadata=_METADATA,
        )
    finally:
        fig.set_canvas(old)
    text = buf.getvalue()
    text = text[text.index("<svg") :]
    text = re.sub(r"<metadata>.*?</metadata>\s*", "", text, flags=re.S)
    # the page (or the notebook) sizes the plot; viewBox keeps its aspect ratio
    text = re.sub(r'(<svg[^>]*?)\swidth="[^"]*"\s+height="[^"]*"', r"\1", text, count=1)
    text = re.sub(r'(<svg[^>]*?)\sversion="[^"]*"', r"\1", text, count=1)
    text = re.sub(r'\s+xmlns(:\w+)?="[^"]*"', "", text)
    if prefix:
        text = re.sub(r'\bid="([^"]+)"', rf'id="{prefix}-\1"', text)
        text = re.sub(r"url\(#([^)]+)\)", rf"url(#{prefix}-\1)", text)
        text = re.sub(r'href="#([^"]+)"', rf'href="#{prefix}-\1"', text)
    head = '<svg role="img" class="plot"'
    if standalone:
        head += f' xmlns="{SVG_NS}"' + (f' xmlns:xlink="{XLINK_NS}"' if "xlink:" in text else "")
    return text.replace("<svg", head, 1).rstrip() + "\n"
