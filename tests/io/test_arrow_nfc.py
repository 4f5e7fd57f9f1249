"""Arrow text columns arrive in NFC even where pyarrow's normaliser does not compose.

pyarrow 25 and older (the newest for Python 3.10) give NFD for ``utf8_normalize(..., "NFC")``
(apache/arrow#51225); the reader then normalises the distinct values with :mod:`unicodedata`.
"""

from __future__ import annotations

import unicodedata

import pytest

from parscore.io import _read_frames

pa = pytest.importorskip("pyarrow")


@pytest.mark.parametrize("composes", [True, False])
def test_text_columns_are_nfc_either_way(monkeypatch: pytest.MonkeyPatch, composes: bool) -> None:
    if composes and not _read_frames._arrow_composes():
        pytest.skip("this pyarrow's utf8_normalize does not compose (apache/arrow#51225)")
    monkeypatch.setattr(_read_frames, "_arrow_composes", lambda: composes)
    cells = ["Xa\u0301 Đông", None, "e\u0301", "e\u0301", "plain"]
    out = _read_frames._nfc_strings(pa.array(cells)).to_pylist()
    assert out == [None if c is None else unicodedata.normalize("NFC", c) for c in cells]
    assert out[0] == "Xá Đông"
