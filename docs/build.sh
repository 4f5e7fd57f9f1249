#!/bin/sh
# Build the docs as CI does: warnings are errors, every warning is shown (--keep-going), and
# nothing is fetched (intersphinx is off unless PARSCORE_DOCS_INTERSPHINX=1).
#   sh docs/build.sh [OUTPUT-FOLDER]        (default docs/_build/html)
# Needs the docs extra: pip install -e ".[docs]".
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-"$here/_build/html"}
exec "${PYTHON:-python}" -m sphinx -W --keep-going -q -b html -d "$out/.doctrees" "$here" "$out"
