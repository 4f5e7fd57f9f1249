"""``parscore check``: validate a scheme and summarise it."""

from __future__ import annotations

from collections import Counter

import click

from parscore.cli._check_columns import print_input_columns
from parscore.cli._common import bound, general, handles_errors, make_console, styled, width_option
from parscore.cli._inputs import load_scheme_arg
from parscore.cli._limits import limit_option
from parscore.cli._main import main
from parscore.cli._show_types import scheme_additions

__all__ = ["check"]


@main.command()
@click.argument("scheme")
@limit_option
@width_option
@handles_errors
def check(scheme: str) -> None:
    """Validate a scheme and summarise it (fields, criteria, rules, tiers, input columns).

    With unit types, caps, quotas or adjustment items, also each type's max and scale, the
    criteria not applying to it, each cap, quota and item. Last, the input columns a data
    table needs, in order (as `parscore template` writes them): what each holds, and with
    unit types which types it applies to.
    """
    from rich.table import Table

    from parscore.compile import compile_scheme

    loaded = load_scheme_arg(scheme)
    compiled = compile_scheme(loaded)
    console = make_console()
    console.print(styled(("OK", "bold green"), f" {loaded.name} ({loaded.id})"))
    kinds = Counter(n.rule.kind for n in loaded.leaves() if n.rule is not None)
    console.print(
        f"level {loaded.level}, year {loaded.year or '—'}; {len(loaded.nodes)} fields, "
        f"{compiled.n_nodes} nodes, {compiled.n_leaves} leaves, "
        f"{general(loaded.max_points)} points; "
        f"{len(compiled.columns)} input columns"
    )
    console.print("rules: " + ", ".join(f"{k} × {v}" for k, v in sorted(kinds.items())))
    if loaded.tiers.scale:
        tiers = ", ".join(f"{t.name} {bound(t)}" for t in loaded.tiers.scale)
        console.print(f"tiers ({loaded.tiers.basis}): {tiers}")
    else:
        console.print("tiers: a scale per unit type (below)")
    scheme_additions(loaded, console)
    console.print(f"fingerprint {compiled.fingerprint}")
    table = Table(title="Fields (lĩnh vực)", title_justify="left")
    table.add_column("id")
    table.add_column("name")
    table.add_column("max", justify="right")
    for node in loaded.nodes:
        table.add_row(node.id, node.name, f"{general(node.max)}")
    console.print(table)
    print_input_columns(loaded, console)
