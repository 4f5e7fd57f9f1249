"""``parscore schema``: print the JSON Schema of the scheme file format."""

from __future__ import annotations

import json
from pathlib import Path

import click

from parscore.cli._common import make_console
from parscore.cli._main import main

__all__ = ["schema"]


@main.command()
@click.option(
    "-o", "--out", type=click.Path(dir_okay=False, path_type=Path), help="Write to a file."
)
def schema(out: Path | None) -> None:
    """Print the JSON Schema of the scheme file format (v1)."""
    from parscore.io import scheme_json_schema

    text = json.dumps(scheme_json_schema(), indent=2, ensure_ascii=False) + "\n"
    if out is None:
        click.echo(text, nl=False)
    else:
        out.write_text(text, encoding="utf-8")
        make_console(stderr=True).print(f"wrote {out}")
