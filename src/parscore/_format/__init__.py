"""The scheme file format: one cattrs converter between model objects and the plain dicts of v1.

It sits just above the model (it imports model, rules and plugins) so that the compiler (for
:func:`fingerprint`) and the file readers in :mod:`parscore.io` share it. Private modules:
``_common`` (the converter, names and messages), ``_hooks`` (strict scalars, lists, mappings),
``_unstructure`` (objects -> dicts, the fingerprint), ``_reader`` (dicts -> a scheme, every
problem with its path) and ``_read_text`` (YAML/JSON/TOML text -> dicts, bounded by the limits,
every parser error a ``SchemeError``).
"""

from __future__ import annotations

from parscore._format._common import FILE_NAMES, FORMAT_VERSION, NAMED_VALUES, converter
from parscore._format._reader import scheme_from_dict
from parscore._format._unstructure import canonical_json, fingerprint, scheme_to_dict

__all__ = [
    "FILE_NAMES",
    "FORMAT_VERSION",
    "NAMED_VALUES",
    "canonical_json",
    "converter",
    "fingerprint",
    "scheme_from_dict",
    "scheme_to_dict",
]
