"""What the notebook views read from a scheme and a result, as Protocols.

The views sit below the model and the result (layer 0), so they cannot name
:class:`~parscore.Scheme` or :class:`~parscore.Result`; these Protocols list the attributes
they read, and mypy checks that the real classes provide them.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Protocol

import numpy as np
import numpy.typing as npt

from parscore.typing import Language

__all__ = ["NodeView", "ResultView", "SchemeView"]


class _Describes(Protocol):
    def describe(self, lang: Language = ...) -> str: ...  # Rule.describe


class _TierView(Protocol):
    @property
    def name(self) -> str: ...
    def label(self) -> str: ...


class _TierScaleView(Protocol):
    @property
    def scale(self) -> Sequence[_TierView]: ...
    @property
    def names(self) -> tuple[str, ...]: ...


class _RoundingView(Protocol):
    @property
    def decimals(self) -> int: ...


class NodeView(Protocol):
    """A node as the scheme view reads it."""

    @property
    def id(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def max_points(self) -> float | None: ...
    @property
    def children(self) -> Sequence[NodeView]: ...
    @property
    def rule(self) -> _Describes | None: ...


class SchemeView(Protocol):
    """A scheme as the notebook views read it."""

    @property
    def id(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def level(self) -> str: ...
    @property
    def year(self) -> int | None: ...
    @property
    def nodes(self) -> Sequence[NodeView]: ...
    @property
    def node_ids(self) -> tuple[str, ...]: ...
    @property
    def tiers(self) -> _TierScaleView: ...
    @property
    def rounding(self) -> _RoundingView: ...
    @property
    def max_points(self) -> float: ...
    def leaves(self) -> Iterator[NodeView]: ...


class ResultView(Protocol):
    """A result as the notebook view reads it; arrays have shape ``(n_units,)``."""

    @property
    def scheme(self) -> SchemeView: ...
    @property
    def n_units(self) -> int: ...
    @property
    def fingerprint(self) -> str: ...
    @property
    def unit_ids(self) -> npt.NDArray[np.object_]: ...
    @property
    def groups(self) -> npt.NDArray[np.object_] | None: ...
    @property
    def labels(self) -> Mapping[str, npt.NDArray[np.object_]]: ...
    @property
    def rank(self) -> npt.NDArray[np.int64]: ...
    @property
    def tier(self) -> npt.NDArray[np.object_]: ...
    @property
    def total(self) -> npt.NDArray[np.float64]: ...
    @property
    def max(self) -> npt.NDArray[np.float64]: ...
    @property
    def index(self) -> npt.NDArray[np.float64]: ...
