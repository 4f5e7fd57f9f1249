"""Sphinx configuration: MyST Markdown pages, autodoc with Google docstrings.

Build with ``pip install -e ".[docs]" && sh docs/build.sh`` (warnings are errors, no network).
Links to the Python, numpy and attrs docs (intersphinx) need the network: set
``PARSCORE_DOCS_INTERSPHINX=1`` to fetch their inventories; by default they are off, so the
build reads nothing but this folder and the installed package.
"""

from __future__ import annotations

import os
from importlib.metadata import version as _version

project = "parscore"
author = "The parscore developers"
release = _version("parscore")
version = ".".join(release.split(".")[:2])

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
]
source_suffix = {".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_build", "notebooks/.ipynb_checkpoints"]
myst_heading_anchors = 4  # the scheme format links its #### sections (caps, quota, items)

autodoc_member_order = "bysource"
autodoc_typehints = "signature"
autodoc_default_options = {"members": True, "undoc-members": False}
napoleon_google_docstring = True
napoleon_numpy_docstring = False
napoleon_use_ivar = True  # an "Attributes:" section documents the fields once
napoleon_attr_annotations = False  # type hints such as NDArray[np.object_] break reST

if os.environ.get("PARSCORE_DOCS_INTERSPHINX") == "1":  # fetched: needs the network
    extensions.append("sphinx.ext.intersphinx")
intersphinx_mapping = {
    "python": ("https://docs.python.org/3", None),
    "numpy": ("https://numpy.org/doc/stable", None),
    "attrs": ("https://www.attrs.org/en/stable", None),
}

html_theme = "alabaster"
html_title = "parscore"
