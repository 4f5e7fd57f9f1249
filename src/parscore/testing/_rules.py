"""Strategies for the built-in rules: one generator per kind, keyed by the kind's tag."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, Literal

from hypothesis import strategies as st

from parscore.rules import Band, Bands, Choice, Deduction, Points, Ratio, Survey, YesNo
from parscore.testing._common import decimal, up_to
from parscore.typing import Rule

__all__ = ["RULE_KINDS", "rules"]


@st.composite
def _yes_no(draw: st.DrawFn, max_points: float) -> YesNo:
    del max_points
    two = draw(st.booleans())
    if not two:
        return YesNo()
    names = ("co_van_ban", "dung_han", "cong_khai")[: draw(st.integers(2, 3))]
    words: list[Literal["all", "any"]] = ["all", "any"]
    need = draw(st.one_of(st.sampled_from(words), st.integers(1, len(names))))
    return YesNo(inputs=names, need=need)


@st.composite
def _choice(draw: st.DrawFn, max_points: float) -> Choice:
    n = draw(st.integers(2, 4))
    names = ["kip_thoi", "khong_kip_thoi", "khong_ban_hanh", "muc_khac"][:n]
    pts = [max_points, draw(st.one_of(st.just(max_points / 2), up_to(max_points)))]
    pts += [draw(up_to(max_points)) for _ in range(n - 2)]
    pts = draw(st.permutations(pts))
    return Choice(options=dict(zip(names, pts, strict=True)))


@st.composite
def _bands(draw: st.DrawFn, max_points: float) -> Bands:
    cuts = sorted(
        draw(
            st.lists(
                st.one_of(decimal(1, 99, 0), decimal(1, 99, 2)),
                min_size=1,
                max_size=3,
                unique=True,
            )
        )
    )
    monotone = draw(st.booleans())
    n_seg = len(cuts) + 1
    # Which side owns each cut: "left" (le | gt), "right" (lt | ge) or neither (lt | gt).
    owner = [
        draw(st.sampled_from(["left", "right"] if monotone else ["left", "right", "none"]))
        for _ in cuts
    ]
    if monotone:
        keep = [draw(st.booleans())] + [True] * (n_seg - 1)
        pts = sorted(draw(up_to(max_points)) for _ in range(n_seg))
        pts[-1] = max_points
        otherwise = 0.0
    else:
        keep = [draw(st.booleans()) for _ in range(n_seg)]
        if not any(keep):
            keep[draw(st.integers(0, n_seg - 1))] = True
        pts = [draw(up_to(max_points)) for _ in range(n_seg)]
        pts[draw(st.sampled_from([i for i in range(n_seg) if keep[i]]))] = max_points
        otherwise = draw(up_to(max_points))
    bands = []
    for i in range(n_seg):
        if not keep[i]:
            continue
        bounds: dict[str, float] = {}
        if i > 0:
            bounds["ge" if owner[i - 1] == "right" else "gt"] = cuts[i - 1]
        if i < len(cuts):
            bounds["le" if owner[i] == "left" else "lt"] = cuts[i]
        bands.append(Band(points=pts[i], **bounds))
    if draw(st.booleans()):  # a rate from two counts, as criteria texts write it
        return Bands(
            bands=draw(st.permutations(bands)),
            otherwise=otherwise,
            inputs=("dung_han", "tong_so"),
            when_empty=draw(st.sampled_from(["full", "zero", "not_applicable"])),
        )
    return Bands(bands=draw(st.permutations(bands)), otherwise=otherwise)


@st.composite
def _ratio(draw: st.DrawFn, max_points: float) -> Ratio:
    del max_points
    two = draw(st.booleans())
    return Ratio(
        inputs=("on_time", "received") if two else ("rate",),
        when_empty=draw(st.sampled_from(["full", "zero", "not_applicable"])),
        over=draw(st.sampled_from(["error", "cap"])),
    )


@st.composite
def _deduction(draw: st.DrawFn, max_points: float) -> Deduction:
    per = draw(st.sampled_from([0.05, 0.1, 0.25, 0.5, 1.0, 2.0]))
    floor = draw(
        st.one_of(
            st.just(0.0),
            st.sampled_from([-1.0, -max_points, -2 * per]),
            decimal(0.0, max_points, 2),
        )
    )
    return Deduction(per=per, floor=floor)


@st.composite
def _points(draw: st.DrawFn, max_points: float) -> Points:
    del max_points
    return Points(clip=draw(st.booleans()))


@st.composite
def _survey(draw: st.DrawFn, max_points: float) -> Survey:
    del max_points
    n = draw(st.integers(2, 4))
    values = [100.0] + [float(draw(st.integers(0, 100))) for _ in range(n - 1)]
    if n == 4 and draw(st.booleans()):
        values = [100.0, 60.0, 20.0, 0.0]  # the usual A-D scale
    return Survey(
        options=dict(zip("ABCD", values, strict=False)),
        when_empty=draw(st.sampled_from(["not_applicable", "zero", "full"])),
    )


_RULES: dict[str, Callable[[float], st.SearchStrategy[Any]]] = {
    "bands": _bands,
    "choice": _choice,
    "deduction": _deduction,
    "points": _points,
    "ratio": _ratio,
    "survey": _survey,
    "yes_no": _yes_no,
}

RULE_KINDS: tuple[str, ...] = tuple(sorted(_RULES))
"""The kinds :func:`rules` draws from by default: every built-in kind."""


def rules(max_points: float, kinds: tuple[str, ...] | None = None) -> st.SearchStrategy[Rule]:
    """Built-in rules valid for a leaf with maximum *max_points*.

    Every generated ``choice`` has an option worth the maximum, every ``bands`` a band worth
    the maximum and every ``survey`` an option worth 100 %, so that full points are reachable
    (see :func:`full_inputs`). About half of the generated ``bands`` are monotone increasing.

    Args:
        max_points: The leaf's maximum, > 0, with at most 2 decimals.
        kinds: Rule kinds to draw from; every built-in kind by default.

    Returns:
        A strategy of rule objects.

    .. versionadded:: 0.1
    """
    return _rules(max_points, RULE_KINDS if kinds is None else kinds)


@functools.lru_cache(maxsize=1024)
def _rules(max_points: float, kinds: tuple[str, ...]) -> st.SearchStrategy[Rule]:
    return st.one_of([_RULES[k](max_points) for k in kinds])
