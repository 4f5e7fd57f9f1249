"""The built-in schemes shipped with parscore, as package data (``parscore/schemes/*.yaml``).

Every built-in scheme says in its ``notes`` and ``legal_basis`` which parts are real and which
are illustrative; none is an official criteria set.

.. versionadded:: 0.1
"""

from __future__ import annotations

import functools
import importlib.resources
import threading
from typing import TYPE_CHECKING

from parscore.errors import ParscoreError
from parscore.model import Scheme

if TYPE_CHECKING:
    from importlib.abc import Traversable

__all__ = ["UnknownSchemeError", "builtin_scheme", "builtin_schemes"]

_SUFFIX = ".yaml"
_lock = threading.Lock()


class UnknownSchemeError(ParscoreError, LookupError):
    """No built-in scheme has the id asked for; the message lists the known ids.

    .. versionadded:: 0.1
    """

    def __init__(self, scheme_id: str, known: tuple[str, ...]) -> None:
        self.scheme_id = scheme_id
        self.known = known
        super().__init__(scheme_id, known)

    def __str__(self) -> str:
        import difflib

        close = difflib.get_close_matches(self.scheme_id, self.known, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        return (
            f"no built-in scheme {self.scheme_id!r}; built-in schemes: "
            f"{', '.join(self.known)}{hint}"
        )


def _folder() -> Traversable:
    return importlib.resources.files("parscore") / "schemes"


@functools.cache
def builtin_schemes() -> tuple[str, ...]:
    """Return the ids of the built-in schemes, sorted.

    Example: ``("camau-2013-field1", "example-commune-2026", "example-department-2026",
    "example-province-2026")``.

    .. versionadded:: 0.1
    """
    names = (entry.name for entry in _folder().iterdir() if entry.name.endswith(_SUFFIX))
    return tuple(sorted(name.removesuffix(_SUFFIX) for name in names))


def builtin_scheme(scheme_id: str) -> Scheme:
    """Return the built-in scheme *scheme_id* (loaded once, then cached; schemes are immutable).

    Args:
        scheme_id: One of :func:`builtin_schemes`, e.g. ``"example-commune-2026"``.

    Raises:
        UnknownSchemeError: (a :class:`~parscore.errors.ParscoreError` and
            :class:`LookupError`) when no built-in scheme has that id; the message lists them.

    .. versionadded:: 0.1
    """
    known = builtin_schemes()
    if scheme_id not in known:
        raise UnknownSchemeError(scheme_id, known)
    with _lock:
        return _load(scheme_id)


@functools.cache
def _load(scheme_id: str) -> Scheme:
    from parscore.io.schemes import load_scheme

    data = (_folder() / f"{scheme_id}{_SUFFIX}").read_bytes()
    return load_scheme(data, format="yaml")
