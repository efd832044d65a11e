"""Group verified pairs into clusters and choose what each cluster keeps.

Seventh stage of the flow: verified pairs in, one label per item and one keeper
per cluster out. Union-find by vectorized label propagation with pointer jumping:
every item ends up labelled with the smallest index in its component, whatever the
order of the pairs. :func:`choose_keepers` applies the keep policy and splits
chains (A~B~C with A and C unlike) by checking each member against the keeper.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

import numpy as np
import numpy.typing as npt

__all__ = ["KEEP_POLICIES", "choose_keepers", "connected_components"]

KeepPolicy = Literal["first", "last", "longest"]
KEEP_POLICIES: tuple[KeepPolicy, ...] = ("first", "last", "longest")


def connected_components(
    n: int, left: npt.ArrayLike, right: npt.ArrayLike
) -> npt.NDArray[np.int64]:
    """Label each of ``n`` items with the smallest item index of its component.

    >>> connected_components(5, [3, 1], [4, 0]).tolist()
    [0, 0, 2, 3, 3]
    """
    labels = np.arange(n, dtype=np.int64)
    u = np.asarray(left, dtype=np.int64)
    v = np.asarray(right, dtype=np.int64)
    if u.size == 0:
        return labels
    while True:
        lu, lv = labels[u], labels[v]
        low = np.minimum(lu, lv)
        before = labels.copy()
        np.minimum.at(labels, lu, low)
        np.minimum.at(labels, lv, low)
        while True:  # pointer jumping until every label points at a root
            jumped = labels[labels]
            if np.array_equal(jumped, labels):
                break
            labels = jumped
        if np.array_equal(labels, before):
            return labels


def choose_keepers(
    labels: npt.NDArray[np.int64],
    *,
    keep: KeepPolicy = "first",
    lengths: npt.ArrayLike | None = None,
    similar: Callable[[int, int], float | None] | None = None,
    preferred: npt.NDArray[np.bool_] | None = None,
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float64]]:
    """For each item, the item it is kept as (itself if it is kept), and the score.

    Parameters
    ----------
    labels:
        Component labels from :func:`connected_components`.
    keep:
        ``"first"`` keeps the lowest index, ``"last"`` the highest, ``"longest"``
        the longest item (ties to the lowest index).
    lengths:
        Item lengths, needed for ``"longest"``.
    similar:
        ``similar(member, keeper)`` returns the verified score, or ``None`` when the
        member does not match the keeper; such members form a new group among
        themselves, and so on until every member matches its keeper.
    preferred:
        Items that are chosen as keepers before any other (for example, items already
        in an index); the keep policy decides among them.

    >>> keeper, score = choose_keepers(np.array([0, 0, 2, 0]), keep="last")
    >>> keeper.tolist()
    [3, 3, 2, 3]
    """
    if keep not in KEEP_POLICIES:
        raise ValueError(f"keep must be one of {', '.join(KEEP_POLICIES)}, got {keep!r}")
    n = labels.size
    keeper = np.arange(n, dtype=np.int64)
    score = np.ones(n, dtype=np.float64)
    if keep == "longest":
        if lengths is None:
            raise ValueError("keep='longest' needs the lengths of the items")
        size = np.asarray(lengths)
    order = np.argsort(labels, kind="stable")
    bounds = np.flatnonzero(np.diff(labels[order])) + 1
    for group in np.split(order, bounds):
        pending = group.tolist()
        while len(pending) > 1:
            pool = pending
            if preferred is not None:
                pool = [i for i in pending if preferred[i]] or pending
            if keep == "first":
                head = min(pool)
            elif keep == "last":
                head = max(pool)
            else:
                head = min(pool, key=lambda i: (-int(size[i]), i))
            rest = []
            for member in pending:
                if member == head:
                    continue
                s = 1.0 if similar is None else similar(member, head)
                if s is None:
                    rest.append(member)
                else:
                    keeper[member], score[member] = head, s
            pending = rest
    return keeper, score
