"""Vietnamese alphabetical order for what the commands list (groups, districts, units).

Code-point order puts "Huyện Tây Sơn" before "Huyện Đông Giang" (``Đ`` is U+0110, after
every ASCII letter). :func:`vi_key` orders text as a Vietnamese dictionary does: letters in
the order of the alphabet (a, ă, â, b, c, d, đ, e, ê, g, h, i, k, l, m, n, o, ô, ơ, p, q,
r, s, t, u, ư, v, x, y; f, j, w and z where the Latin alphabet has them), a space before any
letter (so "An" comes before "Anh"), runs of digits by their value ("Phường 2" before
"Phường 10"); then, between words equal letter for letter, the tones after the base letter
(none, huyền, hỏi, ngã, sắc, nặng), then lower case before upper case. Text in NFD or NFC
sorts the same.
"""

from __future__ import annotations

import unicodedata

__all__ = ["vi_key", "vi_sorted"]

_ALPHABET = (
    "a",
    "a\u0306",  # ă
    "a\u0302",  # â
    "b",
    "c",
    "d",
    "đ",
    "e",
    "e\u0302",  # ê
    "f",
    "g",
    "h",
    "i",
    "j",
    "k",
    "l",
    "m",
    "n",
    "o",
    "o\u0302",  # ô
    "o\u031b",  # ơ
    "p",
    "q",
    "r",
    "s",
    "t",
    "u",
    "u\u031b",  # ư
    "v",
    "w",
    "x",
    "y",
    "z",
)
_LETTER = {letter: i for i, letter in enumerate(_ALPHABET)}
_SHAPES = frozenset("\u0306\u0302\u031b")  # breve, circumflex, horn: part of the letter
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}  # huyền … nặng

# classes of a primary weight: separators, then numbers, then letters, then anything else
_SPACE, _NUMBER, _LETTER_CLASS, _OTHER = 0, 1, 2, 3

Weight = tuple[int, int]


def _clusters(text: str) -> list[tuple[str, str]]:
    """``(base with its letter-shaping marks, the other marks)`` per character of *text*."""
    out: list[tuple[str, str]] = []
    for char in unicodedata.normalize("NFD", text):
        if unicodedata.combining(char) and out:
            base, marks = out[-1]
            if char in _SHAPES:
                out[-1] = (base + char, marks)
            else:
                out[-1] = (base, marks + char)
        else:
            out.append((char, ""))
    return out


def vi_key(text: str) -> tuple[tuple[Weight, ...], tuple[int, ...], tuple[int, ...], str]:
    """A sort key ordering *text* as the Vietnamese alphabet does (see the module's text).

    ``sorted(["Huyện Tây Sơn", "Huyện Đông Giang"], key=vi_key)`` gives
    ``["Huyện Đông Giang", "Huyện Tây Sơn"]``.
    """
    primary: list[Weight] = []
    tones: list[int] = []
    cases: list[int] = []
    clusters = _clusters(text)
    i = 0
    while i < len(clusters):
        base, marks = clusters[i]
        if base.isdigit() and base.isascii():
            j = i
            while j < len(clusters) and clusters[j][0].isdigit() and clusters[j][0].isascii():
                j += 1
            primary.append((_NUMBER, int("".join(c[0] for c in clusters[i:j]))))
            i = j
            continue
        lower = base.lower()
        shaped = lower.replace("Đ", "đ")
        if shaped in _LETTER:
            primary.append((_LETTER_CLASS, _LETTER[shaped]))
            tone = 0
            for mark in marks:
                tone = _TONES.get(mark, tone)
            tones.append(tone)
            cases.append(0 if base == lower else 1)
        elif base.isspace() or (not base.isalnum() and base.isascii()):
            primary.append((_SPACE, ord(base[0])))
        else:
            primary.append((_OTHER, ord(base[0])))
        i += 1
    return tuple(primary), tuple(tones), tuple(cases), unicodedata.normalize("NFC", text)


def vi_sorted(texts: list[str]) -> list[str]:
    """*texts* in Vietnamese alphabetical order (:func:`vi_key`)."""
    return sorted(texts, key=vi_key)
