"""Reading and writing schemes (YAML, JSON, TOML) and the JSON Schema of the file format.

.. versionadded:: 0.1
"""

from __future__ import annotations

from parscore.io.builtin import UnknownSchemeError, builtin_scheme, builtin_schemes
from parscore.io.scheme_table import read_scheme_table, write_scheme_table
from parscore.io.schemes import (
    SchemeFormat,
    dump_scheme,
    load_scheme,
    loads_scheme,
    scheme_from_dict,
    scheme_json_schema,
    scheme_to_dict,
)
from parscore.io.tables import (
    Table,
    read_measurements,
    read_table,
    result_to_json_dict,
    score_file,
    write_result,
)
from parscore.result import result_json_schema

__all__ = [
    "SchemeFormat",
    "Table",
    "UnknownSchemeError",
    "builtin_scheme",
    "builtin_schemes",
    "dump_scheme",
    "load_scheme",
    "loads_scheme",
    "read_measurements",
    "read_scheme_table",
    "read_table",
    "result_json_schema",
    "result_to_json_dict",
    "scheme_from_dict",
    "scheme_json_schema",
    "scheme_to_dict",
    "score_file",
    "write_result",
    "write_scheme_table",
]
