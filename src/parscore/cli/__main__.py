"""``python -m parscore.cli``: the same as the ``parscore`` command."""

from __future__ import annotations

from parscore.cli import main

if __name__ == "__main__":  # pragma: no cover
    main()
