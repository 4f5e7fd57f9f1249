"""``parscore demo`` from Python: score the built-in example scheme on built-in example data.

Run it after ``pip install .``:

    python examples/demo.py                                 # = parscore demo
    python examples/demo.py --scheme example-province-2026  # = parscore demo --scheme ...

It calls the very command ``parscore demo`` runs, with the same options, so both print the
same: the built-in scheme ``example-commune-2026`` on 3,300 synthetic communes (seed 2026),
the ranking's top 10 and bottom 5 and the units in each tier. The scheme and the data are
synthetic and illustrative (``parscore.datasets``); the output is the same on every run.

To do the same steps yourself::

    import parscore as ps
    from parscore.datasets import example_data

    scheme = ps.builtin_scheme("example-commune-2026")
    result = ps.score(scheme, example_data(scheme, 3300, seed=2026))
    print(result.explain(result.unit_ids[result.rank.argmin()]))
"""

from __future__ import annotations

import sys

from parscore.cli import main

if __name__ == "__main__":
    main(["demo", *sys.argv[1:]], prog_name="parscore")
