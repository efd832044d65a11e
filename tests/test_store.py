from __future__ import annotations

import numpy as np
import pytest
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


def _first_repeat(batches: list[list[str]]) -> tuple[int, tuple[int, int] | None]:
    """Reference for NameStore: (the batch, (later, first)) of the first repeated name."""
    seen: dict[str, int] = {}
    n = 0
    for b, batch in enumerate(batches):
        for name in batch:
            if name in seen:
                return b, (n, seen[name])
            seen[name] = n
            n += 1
    return len(batches), None


_NAMES = st.lists(
    st.lists(st.text(alphabet="ab\ud800é", max_size=3), max_size=8),
    max_size=12,
)


@settings(max_examples=300, deadline=None)
@given(_NAMES, st.sampled_from([1, 2, 3, 64]))
def test_name_store_finds_the_first_repeat_whatever_the_hash_collisions(
    batches: list[list[str]], bits: int
) -> None:
    # With 1 to 3 hash bits nearly every name collides with another: a repeat must be
    # confirmed on the names, never taken from equal hashes.
    from textdedup.store import NameStore, Repeat

    stop, want = _first_repeat(batches)
    given_names: list[str] = []
    with NameStore(hash_bits=bits) as names:
        for b, batch in enumerate(batches):
            got = names.extend(batch)
            given_names.extend(batch)
            if b < stop:
                assert got is None
            else:
                assert want is not None
                assert got == Repeat(*want)
                break
        assert len(names) == len(given_names)
        assert [names[i] for i in range(len(names))] == given_names


def test_name_store_with_a_one_bit_hash_tells_colliding_names_apart() -> None:
    from textdedup.store import NameStore, Repeat

    with NameStore(hash_bits=1) as names:
        assert names.extend([f"doc{i}" for i in range(100)]) is None
        assert names.extend(["new", "doc7x", "doc", "doc99"]) == Repeat(103, 99)
        assert names[101] == "doc7x"
    with NameStore(hash_bits=1) as names:
        # A repeat within one batch, behind names that only share its hash.
        assert names.extend(["a", "b", "c", "d", "e", "c", "a"]) == Repeat(5, 2)


def test_name_store_unchecked_names_are_kept_but_not_looked_up() -> None:
    from textdedup.store import NameStore, Repeat

    with NameStore() as names:
        assert names.extend(["x", "y"]) is None
        assert names.extend(["x", "x"], check=False) is None  # index items' ids
        assert [names[i] for i in range(4)] == ["x", "y", "x", "x"]
        assert names.extend(["y"]) == Repeat(4, 1)


def test_name_store_runs_stay_logarithmic_and_sorted() -> None:
    from textdedup.store import NameStore

    with NameStore() as names:
        for lo in range(0, 5000, 37):
            assert names.extend([str(i) for i in range(lo, lo + 37)]) is None
        runs = names._runs
        assert len(runs) <= 12
        assert sum(h.size for h, _ in runs) == len(names)
        for h, _ in runs:
            assert np.all(h[1:] >= h[:-1])
        numbers = np.sort(np.concatenate([n for _, n in runs]))
        assert numbers.tolist() == list(range(len(names)))
        with pytest.raises(ValueError, match="hash_bits must be in"):
            NameStore(hash_bits=0)
