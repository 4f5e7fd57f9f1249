"""Lazy imports of optional dependencies, with an error naming the extra to install."""

from __future__ import annotations

import importlib
from types import ModuleType

from parscore.errors import MissingDependencyError

__all__ = ["require"]


def require(module: str, extra: str) -> ModuleType:
    """Import *module*, or raise an error saying which parscore extra provides it.

    Raises:
        MissingDependencyError: when the module cannot be imported.
    """
    try:
        return importlib.import_module(module)
    except ImportError:
        msg = f"{module} is required for this; install it with: pip install 'parscore[{extra}]'"
        raise MissingDependencyError(msg) from None
