"""The package version, read by the build backend (``[tool.hatch.version]``).

The only place the version is written: the wheel's metadata, ``parscore --version`` and
``parscore.__version__`` all come from here.
"""

__version__ = "0.2.0.dev0"
