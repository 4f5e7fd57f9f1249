"""Reports of a result: one self-contained HTML file, and the plots in it.

.. versionadded:: 0.1
"""

from __future__ import annotations

from parscore.report.html import render_report, write_report

__all__ = ["render_report", "write_report"]
