"""Sphinx configuration: MyST Markdown pages, autodoc with Google docstrings.

Build with ``pip install -e ".[docs]" && sphinx-build -b html docs docs/_build/html``.
"""

from __future__ import annotations

from importlib.metadata import version as _version

project = "parscore"
author = "The parscore developers"
release = _version("parscore")
version = ".".join(release.split(".")[:2])

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinx.ext.intersphinx",
]
source_suffix = {".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_build"]
myst_heading_anchors = 3
suppress_warnings = ["myst.xref_missing"]  # links to files outside docs/ (benchmarks, README)

autodoc_member_order = "bysource"
autodoc_typehints = "signature"
autodoc_default_options = {"members": True, "undoc-members": False}
napoleon_google_docstring = True
napoleon_numpy_docstring = False
napoleon_use_ivar = True  # an "Attributes:" section documents the fields once
napoleon_attr_annotations = False  # type hints such as NDArray[np.object_] break reST

intersphinx_mapping = {
    "python": ("https://docs.python.org/3", None),
    "numpy": ("https://numpy.org/doc/stable", None),
    "attrs": ("https://www.attrs.org/en/stable", None),
}

html_theme = "alabaster"
html_title = "parscore"
