"""Connected components and keepers against naive references."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from textdedup.cluster import choose_keepers, connected_components


def naive_components(n: int, edges: list[tuple[int, int]]) -> list[int]:
    """Flood fill from each unvisited item in index order; label = smallest member."""
    adj: dict[int, set[int]] = {i: set() for i in range(n)}
    for a, b in edges:
        adj[a].add(b)
        adj[b].add(a)
    label = [-1] * n
    for start in range(n):
        if label[start] >= 0:
            continue
        stack = [start]
        while stack:
            x = stack.pop()
            if label[x] < 0:
                label[x] = start
                stack.extend(adj[x])
    return label


_GRAPH = st.integers(1, 40).flatmap(
    lambda n: st.tuples(
        st.just(n), st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=60)
    )
)


@settings(max_examples=200, deadline=None)
@given(_GRAPH, st.randoms(use_true_random=False))
def test_components_equal_naive_whatever_the_edge_order(graph: object, rnd: object) -> None:
    n, edges = graph  # type: ignore[misc]
    expected = naive_components(n, edges)
    shuffled = list(edges)
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]
    shuffled = [(b, a) if rnd.random() < 0.5 else (a, b) for a, b in shuffled]  # type: ignore[attr-defined]
    for es in (edges, shuffled):
        left = [a for a, _ in es]
        right = [b for _, b in es]
        assert connected_components(n, left, right).tolist() == expected


def test_long_chain_is_one_component() -> None:
    n = 5000
    labels = connected_components(n, np.arange(n - 1)[::-1], np.arange(1, n)[::-1])
    assert (labels == 0).all()


@pytest.mark.parametrize(
    ("keep", "expected"),
    [("first", [0, 0, 2, 0]), ("last", [3, 3, 2, 3]), ("longest", [1, 1, 2, 1])],
)
def test_keep_policies(keep: str, expected: list[int]) -> None:
    labels = np.array([0, 0, 2, 0])
    keeper, score = choose_keepers(labels, keep=keep, lengths=[5, 9, 1, 9])  # type: ignore[arg-type]
    assert keeper.tolist() == expected
    assert score.tolist() == [1.0] * 4


def test_chains_split_when_a_member_does_not_match_the_keeper() -> None:
    # 0~1~2 chained, but 2 is unlike 0: 2 starts its own group.
    labels = np.zeros(3, dtype=np.int64)
    scores = {(1, 0): 0.9}
    keeper, score = choose_keepers(labels, similar=lambda m, k: scores.get((m, k)))
    assert keeper.tolist() == [0, 0, 2]
    assert score.tolist() == [1.0, 0.9, 1.0]


def test_keep_policy_is_validated() -> None:
    with pytest.raises(ValueError, match="keep must be one of first, last, longest, got 'best'"):
        choose_keepers(np.zeros(2, dtype=np.int64), keep="best")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="needs the lengths"):
        choose_keepers(np.zeros(2, dtype=np.int64), keep="longest")
