"""Mutated data files (CSV, XLSX, JSON, Parquet) end in a ParscoreError, never another error.

A seeded fuzz: example data written in each format, then ~300 random mutations per format
(bytes flipped, inserted, deleted, runs repeated, the file cut; for XLSX also the XML inside
the zip mutated and zipped again), each read and scored through ``ps.score_file``. Set
``PARSCORE_FUZZ_CASES`` for a larger run (the release run uses 20000).
"""

from __future__ import annotations

import io
import os
import zipfile
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

import parscore as ps
from parscore.datasets import example_data, synthetic_scheme
from parscore.io import _read_csv as read_csv_module

SCHEME = synthetic_scheme()
CASES = int(os.environ.get("PARSCORE_FUZZ_CASES", "300"))
SMALL = ps.Limits(max_rows=1000, max_columns=2000, max_unzipped_bytes=64 * 1024 * 1024)


def _mutate(data: bytes, rng: np.random.Generator) -> bytes:
    out = bytearray(data)
    for _ in range(int(rng.integers(1, 6))):
        if not out:
            break
        pos = int(rng.integers(0, len(out)))
        kind = int(rng.integers(0, 6))
        if kind == 0:
            out[pos] = int(rng.integers(0, 256))
        elif kind == 1:
            out.insert(pos, int(rng.choice(list(b"\",;\n\r\t'=-{}[]:<>/0.9\x00\xff"))))
        elif kind == 2:
            del out[pos : pos + int(rng.integers(1, 64))]
        elif kind == 3:
            run = out[pos : pos + int(rng.integers(1, 32))]
            out[pos:pos] = run * int(rng.integers(1, 50))
        elif kind == 4:
            del out[pos:]
        else:
            out[pos] ^= 1 << int(rng.integers(0, 8))
    return bytes(out)


def _mutate_inside(data: bytes, rng: np.random.Generator) -> bytes:
    """The workbook with one of its XML parts mutated, zipped again (CRCs right)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w") as zout:
        infos = zin.infolist()
        target = int(rng.integers(0, len(infos)))
        for k, info in enumerate(infos):
            part = zin.read(info)
            zout.writestr(info.filename, _mutate(part, rng) if k == target else part)
    return out.getvalue()


def _files(tmp_path: Path) -> dict[str, bytes]:
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame(example_data(SCHEME, 6, seed=11))
    frame.insert(1, "name", ["Xã A", "'=B", "-C", "Phường D", "E", "F"])
    out: dict[str, bytes] = {}
    frame.to_csv(tmp_path / "d.csv", index=False)
    frame.to_json(tmp_path / "d.json", orient="records", force_ascii=False)
    frame.to_excel(tmp_path / "d.xlsx", index=False)
    frame.to_parquet(tmp_path / "d.parquet")
    for fmt in ("csv", "json", "xlsx", "parquet"):
        out[fmt] = (tmp_path / f"d.{fmt}").read_bytes()
    return out


def _run(path: Path, data: bytes) -> str | None:
    path.write_bytes(data)
    try:
        ps.score_file(SCHEME, path, limits=SMALL)
    except ps.ParscoreError:
        return None
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}"[:300]
    return None


@pytest.mark.parametrize("fmt", ["csv", "json", "xlsx", "parquet"])
def test_mutated_data_files_raise_only_parscore_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    if fmt == "parquet":
        pytest.importorskip("pyarrow")
    if fmt == "xlsx":
        pytest.importorskip("openpyxl")
    original = _files(tmp_path)[fmt]
    rng = np.random.default_rng(20261201 + len(fmt))
    mutate: list[Callable[[bytes, np.random.Generator], bytes]] = [_mutate]
    if fmt == "xlsx":
        mutate.append(_mutate_inside)
    escapes: list[str] = []
    for case in range(CASES):
        if fmt == "csv":  # both CSV paths: pyarrow's and the stdlib's
            monkeypatch.setattr(read_csv_module, "USE_PYARROW", case % 2 == 0)
        data = mutate[case % len(mutate)](original, rng)
        found = _run(tmp_path / f"case.{fmt}", data)
        if found is not None:
            (tmp_path / f"escape{case}.{fmt}").write_bytes(data)
            escapes.append(f"case {case}: {found}")
    assert not escapes, "\n".join(escapes[:10])
