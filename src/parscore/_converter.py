"""The scheme format's converter and fingerprint, kept importable here.

The code lives in :mod:`parscore._format`; this module re-exports its names for the modules that
import them from here (``compile``, ``_rule_check``, the package itself).
"""

from __future__ import annotations

from parscore._format import (
    FORMAT_VERSION,
    canonical_json,
    converter,
    fingerprint,
    scheme_from_dict,
    scheme_to_dict,
)

__all__ = [
    "FORMAT_VERSION",
    "canonical_json",
    "converter",
    "fingerprint",
    "scheme_from_dict",
    "scheme_to_dict",
]
