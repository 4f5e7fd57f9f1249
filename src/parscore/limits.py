"""Limits on untrusted input: sizes past which parscore refuses to read, before spending memory.

parscore is meant to sit behind web services that accept scheme files and data tables from
many offices. Every reader checks these limits as it goes and raises
:class:`~parscore.errors.LimitError` (a :class:`~parscore.errors.ParscoreError`) when one is
exceeded. The defaults are far above any real province's needs; raise one for a larger job
with ``parscore.Limits(max_rows=...)``, passed as ``limits=`` to the readers and to
:func:`parscore.score_file`, or set for the whole process with :func:`set_default_limits`
(on the command line: ``--limit max_rows=5000000``).

.. versionadded:: 0.2
"""

from __future__ import annotations

import threading

import attrs

from parscore.errors import ParameterError

__all__ = ["Limits", "default_limits", "set_default_limits"]

_MiB = 1024 * 1024


def _positive(_inst: object, attribute: attrs.Attribute[int], value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        msg = f"Limits.{attribute.name} must be a positive whole number, found {value!r}"
        raise ParameterError(msg)


@attrs.frozen(kw_only=True)
class Limits:
    """Sizes past which untrusted input is refused (:class:`~parscore.errors.LimitError`).

    Attributes:
        max_file_bytes: Size of one input file (scheme or data), in bytes.
        max_rows: Rows (units) of a data table.
        max_columns: Columns of a data table.
        max_cell_chars: Characters of one cell or column name.
        max_nodes: Nodes of a scheme.
        max_depth: Depth of a scheme's tree (and of nested JSON/YAML structures).
        max_scheme_values: Values of a scheme document once YAML aliases are expanded
            (every mapping, list and scalar counts one).
        max_unzipped_bytes: Decompressed size of an XLSX file's parts, and the uncompressed
            size of a Parquet or Arrow file's data, in bytes.
        max_shared_strings: Shared strings of an XLSX file.
        max_number_digits: Digits of a whole number written in a scheme file.

    .. versionadded:: 0.2
    """

    max_file_bytes: int = attrs.field(default=1024 * _MiB, validator=_positive)
    max_rows: int = attrs.field(default=5_000_000, validator=_positive)
    max_columns: int = attrs.field(default=20_000, validator=_positive)
    max_cell_chars: int = attrs.field(default=32_767, validator=_positive)
    max_nodes: int = attrs.field(default=200_000, validator=_positive)
    max_depth: int = attrs.field(default=64, validator=_positive)
    max_scheme_values: int = attrs.field(default=5_000_000, validator=_positive)
    max_unzipped_bytes: int = attrs.field(default=2048 * _MiB, validator=_positive)
    max_shared_strings: int = attrs.field(default=10_000_000, validator=_positive)
    max_number_digits: int = attrs.field(default=30, validator=_positive)

    def with_settings(self, settings: dict[str, int]) -> Limits:
        """A copy with some limits changed (``{"max_rows": 10_000_000}``).

        Raises:
            ParameterError: for an unknown limit or a value that is not a positive number.
        """
        known = {f.name for f in attrs.fields(Limits)}
        unknown = sorted(set(settings) - known)
        if unknown:
            msg = f"unknown limit(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}"
            raise ParameterError(msg)
        return attrs.evolve(self, **settings)


_default = Limits()
_lock = threading.Lock()


def default_limits() -> Limits:
    """The limits used when a reader is given none."""
    return _default


def set_default_limits(limits: object) -> Limits:
    """Set the limits used when a reader is given none; returns the previous ones.

    A process-wide setting: a service sets it once at start-up, not per request (pass
    ``limits=`` per call instead).
    """
    global _default
    if not isinstance(limits, Limits):
        msg = f"expected parscore.Limits, found {type(limits).__name__}"
        raise ParameterError(msg)
    with _lock:
        previous, _default = _default, limits
    return previous
