from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from textdedup.store import SpillStore

_OPS = st.lists(
    st.one_of(
        st.tuples(st.just("append"), st.binary(max_size=20)),
        st.tuples(st.just("get"), st.integers(0, 50)),
        st.tuples(st.just("range"), st.tuples(st.integers(0, 50), st.integers(0, 50))),
        st.tuples(st.just("many"), st.lists(st.integers(0, 50), max_size=6)),
    ),
    max_size=60,
)


@settings(max_examples=200, deadline=None)
@given(_OPS)
def test_reads_and_appends_interleaved_match_a_list(ops: list[tuple[str, object]]) -> None:
    # Appends after reads must land at the end (the store skips the seek when the
    # last call appended), and contiguous reads go through one read.
    want: list[bytes] = []
    with SpillStore() as store:
        for op, arg in ops:
            if op == "append":
                assert isinstance(arg, bytes)
                assert store.append(arg) == len(want)
                want.append(arg)
            elif op == "get" and want:
                assert isinstance(arg, int)
                assert store.get(arg % len(want)) == want[arg % len(want)]
            elif op == "range" and want:
                assert isinstance(arg, tuple)
                lo, hi = sorted(x % (len(want) + 1) for x in arg)
                assert store.get_range(lo, hi) == want[lo:hi]
            elif op == "many" and want:
                assert isinstance(arg, list)
                ids = [x % len(want) for x in arg]
                assert store.get_many(np.array(ids, dtype=np.int64)) == [want[i] for i in ids]
        assert list(store) == want
        store.append(b"last")
        assert store.get(len(want)) == b"last"


def test_iteration_in_blocks_and_items_larger_than_the_buffer() -> None:
    # Iteration reads about 1 MB at a time: items across block edges, and items larger
    # than a block, come back whole and in order, also after more appends.
    rng = np.random.default_rng(5)
    sizes = [int(x) for x in rng.integers(0, 70_000, size=120)] + [3_000_000, 0, 5]
    want = [bytes([i % 251]) * n for i, n in enumerate(sizes)]
    with SpillStore() as store:
        for data in want:
            store.append(data)
        assert list(store) == want
        assert store.get(120) == want[120]
        store.append(b"tail")
        assert list(store) == [*want, b"tail"]
        assert store.get_many([123, 0, 121]) == [b"tail", want[0], want[121]]


def test_extend_stores_each_item_as_append_does() -> None:
    from textdedup.store import SpillStore

    items = [b"ab", b"", b"c" * 5000, b"\x00d"]
    with SpillStore() as one, SpillStore() as many:
        for item in items:
            one.append(item)
        many.append(b"first")
        assert many.extend(items) == 1
        assert many.extend([]) == 5
        many.append(b"last")
        assert list(one) == items
        assert list(many) == [b"first", *items, b"last"]
        assert [many.get(i) for i in range(len(many))] == list(many)
        assert many.get_range(1, 5) == items
