"""Groups are listed in Vietnamese alphabetical order, not in code-point order (issue 12)."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from pathlib import Path

from cli_issue12 import SCHEME
from click.testing import Result

from parscore.cli._collate import vi_key, vi_sorted


def test_vietnamese_letters_sort_as_the_alphabet() -> None:
    """Letters as the alphabet orders them; tones after the base letter, huyền before sắc."""
    assert vi_sorted(["Huyện Tây Sơn", "Huyện Đông Giang"]) == [
        "Huyện Đông Giang",
        "Huyện Tây Sơn",
    ]
    letters = ["y", "ư", "u", "ơ", "ô", "o", "ê", "e", "đ", "d", "c", "b", "â", "ă", "a"]
    assert vi_sorted(letters) == list(reversed(letters))
    assert vi_sorted(["bạ", "bá", "bã", "bả", "bà", "ba"]) == ["ba", "bà", "bả", "bã", "bá", "bạ"]
    # the base letters decide before any tone: "bà" < "bác" < "bạc" < "be"
    assert vi_sorted(["be", "bạc", "bác", "bà"]) == ["bà", "bác", "bạc", "be"]
    # a word before a longer one; numbers by value
    assert vi_sorted(["Huyện Anh", "Huyện An Lão"]) == ["Huyện An Lão", "Huyện Anh"]
    assert vi_sorted(["Phường 10", "Phường 2"]) == ["Phường 2", "Phường 10"]


def test_nfd_and_nfc_sort_alike() -> None:
    nfd = unicodedata.normalize("NFD", "Huyện Đông Giang")
    assert vi_key(nfd) == vi_key("Huyện Đông Giang")
    assert vi_sorted([unicodedata.normalize("NFD", "Huyện Tây Sơn"), nfd])[0] == nfd


def test_score_lists_the_districts_in_vietnamese_order(
    run: Callable[..., Result], districts_csv: Path
) -> None:
    result = run("score", SCHEME, districts_csv)
    assert result.exit_code == 0, result.output
    out = result.stdout
    an, dong, tay = (out.index(d) for d in ("Huyện An Lão", "Huyện Đông Giang", "Huyện Tây Sơn"))
    assert an < dong < tay
