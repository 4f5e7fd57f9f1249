#!/usr/bin/env bash
# Run the tests under another Python: a fresh virtual environment with the dev extra, then
# pytest (the whole suite, or the pytest arguments given).
#
#   scripts/test-python.sh 3.10                       # the whole suite under Python 3.10
#   scripts/test-python.sh 3.13 tests/test_api.py     # some tests under Python 3.13
#   scripts/test-python.sh /path/to/python3.12 -x     # an interpreter by its path
#   scripts/test-python.sh --if-available 3.10 ...    # skip (exit 0) when there is none
#
# A version is looked up on this machine only: pythonX.Y on PATH, pyenv's versions, then
# `uv python find` (without downloading). Packages come from PyPI; nothing else is fetched.
set -euo pipefail
cd "$(dirname "$0")/.."

if_available=false
if [ "${1:-}" = "--if-available" ]; then
    if_available=true
    shift
fi
want="${1:?usage: scripts/test-python.sh [--if-available] VERSION|PYTHON [PYTEST ARGS...]}"
shift

runs() { [ -n "$1" ] && "$1" -c "" >/dev/null 2>&1; }

find_python() {  # $1: X.Y; prints the path of an interpreter that runs, or nothing
    local candidate root
    # on PATH (a pyenv shim is there too, but runs only for the versions selected)
    candidate="$(command -v "python$1" 2>/dev/null || true)"
    if runs "$candidate"; then
        echo "$candidate"
        return
    fi
    # pyenv's versions, the newest patch release first
    root="$(pyenv root 2>/dev/null || echo "${PYENV_ROOT:-$HOME/.pyenv}")"
    for candidate in $(ls -d "$root/versions/$1".* 2>/dev/null | sort -V -r); do
        if runs "$candidate/bin/python$1"; then
            echo "$candidate/bin/python$1"
            return
        fi
    done
    if command -v uv >/dev/null 2>&1; then
        candidate="$(UV_PYTHON_DOWNLOADS=never uv python find "$1" 2>/dev/null || true)"
        if runs "$candidate"; then
            echo "$candidate"
        fi
    fi
}

if [[ "$want" =~ ^[0-9]+\.[0-9]+$ ]]; then
    python="$(find_python "$want")"
else
    python="$want"
fi
if ! runs "$python"; then
    if $if_available; then
        echo "note: no Python $want on this machine; its tests are skipped"
        exit 0
    fi
    echo "error: no Python $want on this machine" >&2
    exit 2
fi

venv="$(mktemp -d)"
trap 'rm -rf "$venv"' EXIT
"$python" -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --upgrade pip
"$venv/bin/python" -m pip install --quiet -e ".[dev]"
echo "Python $("$venv/bin/python" -c 'import sys; print(sys.version.split()[0])') ($python)"
"$venv/bin/python" -m pytest -p no:cacheprovider "$@"
