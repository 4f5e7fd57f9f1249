"""The ``parscore`` command: score, check, explain and report from the command line.

Exit codes: 0 success; 1 bad input (a scheme or data problem, printed as a list); 2 usage
(a wrong option or a missing argument).

One module per command (``_demo``, ``_check``, ``_score``, ``_template``, ``_explain``,
``_report``, ``_schema``), each registering itself on the group of ``_main``; ``_common``
holds the console, error and progress plumbing, ``_inputs`` the reading and writing of
files, ``_show`` the tables printed.

.. versionadded:: 0.1
"""

from __future__ import annotations

from parscore.cli import _check, _demo, _explain, _report, _schema, _score, _template
from parscore.cli._main import main

__all__ = ["main"]

# the command modules register themselves on `main` when imported
_COMMANDS = (_demo, _check, _score, _template, _explain, _report, _schema)
