"""Record ids held as hashes and read back from disk (issue #14: memory at 1M documents)."""

from __future__ import annotations

import functools

import pytest

from textdedup import DedupConfig, dedup_records
from textdedup.errors import InputError
from textdedup.pipeline import DedupStats
from textdedup.store import NameStore
from textdedup.synthetic import planted_corpus


def _run(records: list[dict[str, str]], config: DedupConfig) -> tuple[list[tuple], dict]:
    stats = DedupStats()
    out = [
        (d.record.id, d.kept, d.duplicate_of, d.cluster, d.score, d.reason, d.removed_blocks)
        for d in dedup_records(records, config=config, stats=stats)
    ]
    summary = stats.to_dict()
    summary.pop("seconds")
    return out, summary


@pytest.mark.parametrize("unit", ["doc", "paragraph"])
def test_ids_from_a_two_bit_hash_give_the_same_decisions(
    monkeypatch: pytest.MonkeyPatch, unit: str
) -> None:
    # With 2 hash bits every id collides with a quarter of the others: the repeat check
    # must confirm on the ids themselves, and every id written must be read back right.
    corpus = planted_corpus(300, seed=4)
    records = [{"id": f"r{r['id']}", "text": r["text"]} for r in corpus.records]
    config = DedupConfig(level=unit)
    want = _run(records, config)
    assert any(not kept for _, kept, *_ in want[0]) or unit == "paragraph"
    monkeypatch.setattr("textdedup.pipeline.NameStore", functools.partial(NameStore, hash_bits=2))
    assert _run(records, config) == want


@pytest.mark.parametrize("unit", ["doc", "paragraph"])
@pytest.mark.parametrize("bits", [2, 64])
def test_a_repeated_id_far_apart_is_found_and_named(
    monkeypatch: pytest.MonkeyPatch, unit: str, bits: int
) -> None:
    # The repeat lies several batches of records after its first use; the error names
    # the later record and the first one, as when ids were held in a dict.
    monkeypatch.setattr(
        "textdedup.pipeline.NameStore", functools.partial(NameStore, hash_bits=bits)
    )
    records = [{"id": f"id{i}", "text": f"text number {i} here"} for i in range(2600)]
    records[2400] = {"id": "id17", "text": "another text"}
    records[2500] = {"id": "id3", "text": "a third one"}
    with pytest.raises(InputError) as info:
        list(dedup_records(records, config=DedupConfig(level=unit)))
    assert str(info.value).startswith(
        "<records>, line 2400: id 'id17' is also the id of the record at <records>:17;"
    )
    assert (info.value.path, info.value.line) == ("<records>", 2400)


def test_owners_of_whole_documents_are_counted_not_stored() -> None:
    from textdedup.pipeline import _Owners

    docs = _Owners(documents=True)
    docs.extend_documents(3)
    docs.append((3, -1))
    assert len(docs) == 4 and docs[2] == (2, -1) and docs.records().tolist() == [0, 1, 2, 3]
    assert not docs._records and not docs._blocks
    with pytest.raises(ValueError, match="is not record"):
        docs.append((7, 0))
    with pytest.raises(IndexError):
        docs[4]
    blocks = _Owners()
    blocks.append((0, 0))
    blocks.append((0, 1))
    assert blocks[1] == (0, 1) and blocks.records().tolist() == [0, 0]
    with pytest.raises(ValueError, match="for whole documents"):
        blocks.extend_documents(1)


def test_engine_digests_side_by_side_match_the_per_item_digests() -> None:
    from textdedup._hashing import digest
    from textdedup.engine import Engine

    engine = Engine(DedupConfig(near=False))
    keys = ["a b c", "", "a b c", "x"]
    for key in keys:
        engine.add(key)
    engine.add_keys([b"y z", b"a b c"], [3, 5], ["y z", "a b c"])
    want = [digest(k) for k in [*keys, "y z", "a b c"]]
    assert engine.digests == want
    assert [engine.digest_of(i) for i in range(len(engine))] == want
    d = engine.solve(text_digests=lambda items: [digest(f"text {i}") for i in items])
    # Equal keys are exact copies of the first; the empty key stands alone.
    assert d.keeper.tolist() == [0, 1, 0, 3, 4, 0]
    # Text digests: unknown for items added without one (each its own row), asked
    # only for the later item whose key is shared; none equals its keeper's.
    assert not d.exact.any()
    assert len(set(engine._text_rows().tolist())) == len(engine)
    engine.close()
