"""Write the JSON Schemas shipped in src/parscore/schemes/: scheme format and result document.

``scheme-v1.schema.json`` (the scheme file format) and ``result-v1.schema.json`` (the result
document, ``Result.to_json_dict()``). Run after changing the model, a built-in rule or the
result document; ``--check`` exits 1 if a file is stale. The scheme schema covers the
built-in rules only (plugins are not consulted).

    python scripts/gen_json_schema.py [--check]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from parscore._converter import FORMAT_VERSION
from parscore.io._json_schema import json_schema_text
from parscore.result._json_schema import result_json_schema_text

FOLDER = Path(__file__).resolve().parents[1] / "src" / "parscore" / "schemes"
TARGET = FOLDER / f"scheme-v{FORMAT_VERSION}.schema.json"
RESULT_TARGET = FOLDER / "result-v1.schema.json"


def main() -> int:
    """Write (or with --check, compare) the schema files; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check the files are current")
    args = parser.parse_args()
    status = 0
    for target, text in ((TARGET, json_schema_text()), (RESULT_TARGET, result_json_schema_text())):
        if args.check:
            current = target.read_text(encoding="utf-8") if target.exists() else ""
            if current != text:
                print(f"{target} is stale: run python scripts/gen_json_schema.py", file=sys.stderr)
                status = 1
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8", newline="\n")
        print(f"wrote {target}")
    return status


if __name__ == "__main__":
    sys.exit(main())
