"""Group verified pairs into clusters and choose what each cluster keeps.

Seventh stage of the flow: verified pairs in, one label per item and one keeper
per cluster out. Union-find by vectorized label propagation with pointer jumping:
every item ends up labelled with the smallest index in its component, whatever the
order of the pairs. :func:`decide` is the decision core of corpus deduplication
(local and Spark engines): items are visited in the keep policy's order
(:func:`keep_order`) and an item is removed when it matches an item kept before it.
In-document cleaning chooses one keeper per component with :func:`choose_keepers`,
in the same order. A keep policy is one entry of :data:`KEEP_RULES` (and its name in
:data:`KEEP_POLICIES`): both paths, both engines, the configs and the CLI read them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal, NamedTuple

import numpy as np
import numpy.typing as npt

__all__ = [
    "KEEP_POLICIES",
    "KEEP_RULES",
    "Decided",
    "choose_keepers",
    "connected_components",
    "decide",
    "keep_order",
]

KeepPolicy = Literal["first", "last", "longest"]

KeepRule = Callable[
    [npt.NDArray[np.int64], "npt.NDArray[np.int64] | None"], tuple[npt.NDArray[np.int64], ...]
]
"""A keep policy's visiting order: ``rule(position, lengths)`` gives the sort keys of
:func:`numpy.lexsort` (the last key is the primary one) over the items' input
positions and text lengths (``None`` when the caller has none); the item visited
first is kept first."""


def _lengths(policy: str, lengths: npt.NDArray[np.int64] | None) -> npt.NDArray[np.int64]:
    if lengths is None:
        raise ValueError(f"keep={policy!r} needs the lengths of the items")
    return lengths


KEEP_RULES: dict[str, KeepRule] = {
    "first": lambda position, lengths: (position,),
    "last": lambda position, lengths: (-position,),
    # Longest first; equal lengths in input order.
    "longest": lambda position, lengths: (position, -_lengths("longest", lengths)),
}
"""Keep policy -> its :data:`KeepRule`: the one place a policy is defined. Corpus
deduplication (both engines, through :func:`keep_order` and :func:`decide`) and
in-document cleaning (:func:`choose_keepers`) read it, and so do the configs and the
CLI's ``--keep`` choices (through :data:`KEEP_POLICIES`): a policy added here, with
its name in :data:`KEEP_POLICIES`, is honoured everywhere."""

KEEP_POLICIES: tuple[KeepPolicy, ...] = ("first", "last", "longest")
"""The names of :data:`KEEP_RULES`, in the order the choices are shown."""


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
        A policy of :data:`KEEP_RULES`, applied as :func:`keep_order` ranks the items:
        ``"first"`` keeps the lowest index, ``"last"`` the highest, ``"longest"``
        the longest item (ties to the lowest index).
    lengths:
        Item lengths, needed for ``"longest"`` (and any policy by length).
    similar:
        ``similar(member, keeper)`` returns the verified score, or ``None`` when the
        member does not match the keeper; such members form a new group among
        themselves, and so on until every member matches its keeper.
    preferred:
        Items that are chosen as keepers before any other (for example, items already
        in an index); the keep policy decides among them.

    Examples
    --------
    >>> keeper, score = choose_keepers(np.array([0, 0, 2, 0]), keep="last")
    >>> keeper.tolist()
    [3, 3, 2, 3]
    """
    n = labels.size
    # The policy's order, from KEEP_RULES; a list: cheap to index in the loop below.
    rank = keep_order(keep, n, lengths=lengths).tolist()
    keeper = np.arange(n, dtype=np.int64)
    score = np.ones(n, dtype=np.float64)
    order = np.argsort(labels, kind="stable")
    bounds = np.flatnonzero(np.diff(labels[order])) + 1
    for group in np.split(order, bounds):
        pending = group.tolist()
        while len(pending) > 1:
            pool = pending
            if preferred is not None:
                pool = [i for i in pending if preferred[i]] or pending
            head = min(pool, key=rank.__getitem__)
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


class Decided(NamedTuple):
    """One decision per item, from :func:`decide`.

    ``keeper[i] == i`` for a kept item; otherwise the kept item that ``i`` matches.
    ``score[i]`` is the verified similarity to it (1.0 for kept items and for items
    whose key equals the keeper's). ``exact[i]`` is true for a removed item whose text
    is identical to its keeper's (same text digest). ``cluster[i]`` is the keeper of
    ``i``'s cluster, or ``-1`` for a kept item that no item names.
    """

    keeper: npt.NDArray[np.int64]
    score: npt.NDArray[np.float64]
    exact: npt.NDArray[np.bool_]
    cluster: npt.NDArray[np.int64]


def keep_order(
    keep: KeepPolicy,
    n: int,
    *,
    lengths: npt.ArrayLike | None = None,
    prior: npt.ArrayLike | None = None,
) -> npt.NDArray[np.int64]:
    """The rank of each item in the order the greedy rule visits them (0 = first).

    Prior items (for example, items already in an index) come first, in their own
    order. Then the policy's :data:`KEEP_RULES` entry orders them: ``"first"`` visits
    the items in input order, ``"last"`` in reverse input order, and ``"longest"``
    from the longest to the shortest (ties in input order).

    Returns
    -------
    numpy.ndarray of int64, shape ``(n,)``
        ``rank[i]`` is the position of item ``i`` in the visiting order.

    Raises
    ------
    ValueError
        For an unknown policy, or ``"longest"`` without ``lengths``.

    >>> keep_order("last", 3).tolist()
    [2, 1, 0]
    >>> keep_order("longest", 3, lengths=[4, 9, 9], prior=[True, False, False]).tolist()
    [0, 1, 2]
    """
    if keep not in KEEP_POLICIES or keep not in KEEP_RULES:
        raise ValueError(f"keep must be one of {', '.join(KEEP_POLICIES)}, got {keep!r}")
    position = np.arange(n, dtype=np.int64)
    first = np.zeros(n, dtype=np.int64) if prior is None else ~np.asarray(prior, dtype=bool) * 1
    size = None if lengths is None else np.asarray(lengths, dtype=np.int64)
    order = np.lexsort((*KEEP_RULES[keep](position, size), first))
    rank = np.empty(n, dtype=np.int64)
    rank[order] = position
    return rank


def decide(
    rank: npt.ArrayLike,
    left: npt.ArrayLike,
    right: npt.ArrayLike,
    score: npt.ArrayLike,
    *,
    key_group: npt.ArrayLike,
    text_group: npt.ArrayLike | None = None,
    prior: npt.ArrayLike | None = None,
    symmetric: bool = True,
) -> Decided:
    """Decide which items are kept, by the greedy rule: the one decision core of textdedup.

    Items are visited in ``rank`` order (see :func:`keep_order`). An item is removed
    when it matches an item visited and kept before it; otherwise it is kept. An item
    matches another when their keys are equal (same ``key_group``), or when the pair
    ``(left[k], right[k])`` was verified with ``score[k]`` at or above the threshold
    (pass only verified pairs). A removed item names the earlier kept item with an
    equal key if there is one, else the earlier kept item it matches best (highest
    score, ties to the earliest). Prior items are never removed.

    The rule holds these invariants: no two kept (non-prior) items have equal keys;
    no verified pair joins two kept items (except prior ones); every removed item
    names a kept item it matches, with that pair's score. With ``"first"`` order,
    deciding a prefix of the input, then the rest against the prefix's kept items
    (as prior items), keeps exactly what deciding everything at once keeps, because
    an item's fate depends only on the items before it. A chain A~B~C with A and C
    unlike keeps A and C and removes B.

    Parameters
    ----------
    rank : array of int, shape ``(n,)``
        Visiting order: a permutation of ``0 .. n-1``.
    left, right : arrays of int, shape ``(m,)``
        Verified pairs of item numbers (any orientation, duplicates allowed).
    score : array of float, shape ``(m,)``
        The verified similarity of each pair, in [0, 1].
    key_group : array of int, shape ``(n,)``
        Equal for items with equal comparison keys (for example, the inverse of
        ``numpy.unique`` over key digests).
    text_group : array of int, shape ``(n,)``, optional
        Equal for items whose texts are identical after normalization; a removed
        item is an ``exact`` removal only when it shares its keeper's text group.
        By default no removal is exact.
    prior : array of bool, shape ``(n,)``, optional
        Items that are always kept.
    symmetric : bool, default=True
        With ``False``, a pair says only that ``left[k]`` matches ``right[k]`` (for an
        asymmetric score such as containment: ``left[k]`` is contained in
        ``right[k]``), so ``left[k]`` may be removed for ``right[k]`` but not the
        other way round.

    Returns
    -------
    Decided

    >>> # 0~1 and 1~2 verified, 0 and 2 unlike: a chain. 3 has the same key as 2.
    >>> d = decide([0, 1, 2, 3], [0, 1], [1, 2], [0.8, 0.9], key_group=[0, 1, 2, 2])
    >>> d.keeper.tolist(), d.score.tolist(), d.cluster.tolist()
    ([0, 0, 2, 2], [1.0, 0.8, 1.0, 1.0], [0, 0, 2, 2])
    """
    rnk = np.asarray(rank, dtype=np.int64)
    n = rnk.size
    _, group = np.unique(np.asarray(key_group), return_inverse=True)
    group = group.reshape(-1).astype(np.int64)
    n_groups = int(group.max()) + 1 if n else 0
    pri = np.zeros(n, dtype=bool) if prior is None else np.asarray(prior, dtype=bool)
    keeper = np.arange(n, dtype=np.int64)
    best = np.ones(n, dtype=np.float64)

    # Verified pairs between key groups (items with equal keys score alike against
    # the rest), as a symmetric adjacency list: group -> (neighbour group, score).
    u = group[np.asarray(left, dtype=np.int64)]
    v = group[np.asarray(right, dtype=np.int64)]
    s = np.asarray(score, dtype=np.float64)
    real = u != v
    if symmetric:
        a = np.concatenate([u[real], v[real]])
        b = np.concatenate([v[real], u[real]])
        w = np.concatenate([s[real], s[real]])
    else:
        a, b, w = u[real], v[real], s[real]
    by = np.lexsort((b, a))
    a, b, w = a[by], b[by], w[by]
    start = np.searchsorted(a, np.arange(n_groups + 1))
    sizes = np.bincount(group, minlength=n_groups)
    # Only items in a group of two or more, or with a verified pair, can be removed.
    paired = np.bincount(np.concatenate([a, b]), minlength=n_groups) > 0
    busy = (sizes[group] > 1) | paired[group]
    visit = np.flatnonzero(busy)
    visit = visit[np.argsort(rnk[visit], kind="stable")]

    first_kept = np.full(n_groups, -1, dtype=np.int64)  # the group's first kept item
    fk = first_kept.tolist()
    starts, nbrs, weights = start.tolist(), b.tolist(), w.tolist()
    ranks, groups_l, prior_l = rnk.tolist(), group.tolist(), pri.tolist()
    for i in visit.tolist():
        g = groups_l[i]
        if prior_l[i]:
            if fk[g] < 0:
                fk[g] = i
            continue
        if fk[g] >= 0:
            keeper[i] = fk[g]
            continue
        chosen, chosen_score, chosen_rank = -1, -1.0, 0
        for k in range(starts[g], starts[g + 1]):
            other = fk[nbrs[k]]
            if other < 0:
                continue
            sc, r = weights[k], ranks[other]
            if sc > chosen_score or (sc == chosen_score and r < chosen_rank):
                chosen, chosen_score, chosen_rank = other, sc, r
        if chosen >= 0:
            keeper[i], best[i] = chosen, chosen_score
        else:
            fk[g] = i
    gone = keeper != np.arange(n)
    if text_group is None:
        exact = np.zeros(n, dtype=bool)
    else:
        texts = np.asarray(text_group)
        exact = gone & (texts == texts[keeper])
    cluster = np.full(n, -1, dtype=np.int64)
    cluster[gone] = keeper[gone]
    cluster[keeper[gone]] = keeper[gone]
    return Decided(keeper, best, exact, cluster)
