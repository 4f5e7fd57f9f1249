"""Mutated scheme files (YAML, JSON, TOML): only ParscoreError ever escapes loads_scheme.

Each built-in scheme is dumped in the three formats, then mutated with a seeded generator:
characters deleted, duplicated, swapped, and inserted from a hostile alphabet (YAML
indicators, quotes, backslashes, aliases and tags, control characters, lone surrogates, long
digit runs, line separators). 500 cases; ``PARSCORE_FUZZ_CASES`` runs more (a release run).
"""

from __future__ import annotations

import os
import random
from functools import cache

import parscore as ps
from parscore.io import builtin_scheme, builtin_schemes, dump_scheme, loads_scheme

CASES = int(os.environ.get("PARSCORE_FUZZ_CASES", "500"))
HOSTILE = [
    *"&*!|>{}[]:-'\"\\#%@`?,~=+\n\t ",
    "\x00",
    "\x01",
    "\x1b",
    "\x7f",
    "\x85",
    "\x9b",
    "\u00a0",
    "\u2028",
    "\ufeff",
    "\ud800",
    "ế",
    "\U0001f600",
    "9" * 40,
    "9" * 5000,
    "1e307",
    "-1",
    ".nan",
    "2026-13-45",
    "!!int ",
    "!!python/object ",
    "!!binary ",
    "&a ",
    "*a",
    "<<: *a\n",
    "[[[[[[[[",
    "{{{{",
    "\\ud800",
    "\\u0000",
    "null",
    "true",
]


@cache
def _bases() -> tuple[tuple[str, str], ...]:
    out = []
    for scheme_id in builtin_schemes():
        scheme = builtin_scheme(scheme_id)
        out.extend((fmt, dump_scheme(scheme, format=fmt)) for fmt in ("yaml", "json", "toml"))
    return tuple(out)


def _mutate(rng: random.Random, text: str) -> str:
    for _ in range(rng.randint(1, 4)):
        if not text:
            text = "x"
        i = rng.randrange(len(text))
        op = rng.randrange(4)
        if op == 0:  # delete
            text = text[:i] + text[i + rng.randint(1, 8) :]
        elif op == 1:  # duplicate a stretch
            j = min(len(text), i + rng.randint(1, 40))
            text = text[:j] + text[i:j] + text[j:]
        elif op == 2:  # swap two characters
            a, b = sorted((i, rng.randrange(len(text))))
            if a < b:
                text = text[:a] + text[b] + text[a + 1 : b] + text[a] + text[b + 1 :]
        else:  # insert something hostile
            text = text[:i] + rng.choice(HOSTILE) + text[i:]
    return text


def test_mutated_scheme_files_raise_only_parscore_errors() -> None:
    rng = random.Random(20261201)
    bases = _bases()
    loaded = refused = empty = 0
    for case in range(CASES):
        fmt, text = bases[case % len(bases)]
        mutated = _mutate(rng, text)
        try:
            loads_scheme(mutated, format=fmt)  # type: ignore[arg-type]
        except ps.ParscoreError as exc:
            empty += not str(exc)  # the message builds, and says something
            refused += 1
        except BaseException as exc:  # the contract under test
            msg = f"{type(exc).__name__} escaped from a mutated {fmt} file: {exc!r}\n{mutated}"
            raise AssertionError(msg) from exc
        else:
            loaded += 1
    assert empty == 0
    assert refused > CASES // 4  # the mutations do reach the checks
