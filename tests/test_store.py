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
