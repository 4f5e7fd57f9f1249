"""Write the JSON Schema of the scheme format to src/parscore/schemes/scheme-v1.schema.json.

Run after changing the model or a built-in rule; ``--check`` exits 1 if the file is stale.
The schema covers the built-in rules only (plugins are not consulted).

    python scripts/gen_json_schema.py [--check]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from parscore._converter import FORMAT_VERSION
from parscore.io._json_schema import json_schema_text

TARGET = (
    Path(__file__).resolve().parents[1]
    / "src"
    / "parscore"
    / "schemes"
    / f"scheme-v{FORMAT_VERSION}.schema.json"
)


def main() -> int:
    """Write (or with --check, compare) the schema file; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check the file is current")
    args = parser.parse_args()
    text = json_schema_text()
    if args.check:
        current = TARGET.read_text(encoding="utf-8") if TARGET.exists() else ""
        if current != text:
            print(f"{TARGET} is stale: run python scripts/gen_json_schema.py", file=sys.stderr)
            return 1
        return 0
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    TARGET.write_text(text, encoding="utf-8", newline="\n")
    print(f"wrote {TARGET}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
