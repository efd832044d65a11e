from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import numpy as np
import pytest

import textdedup
from textdedup import DedupConfig, Index
from textdedup.engine import digest
from textdedup.index import (
    INDEX_FORMAT,
    PACK_FROM_CHARS,
    SETTING_NAMES,
    IndexError_,
    config_from_settings,
    index_settings,
    read_index_info,
)
from textdedup.lsh import band_keys


def test_add_is_idempotent_and_rows_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "i.sqlite"
    key = "the quick brown fox jumps over the lazy dog"
    with Index(path, DedupConfig()) as index:
        assert index.add([("a", key, 43), ("b", "another text entirely here", 26)]) == 2
        assert index.add([("a", key, 43)]) == 0
        assert len(index) == 2
        [row] = index.candidates(None, [digest(key)])
        assert (row.doc_id, row.key, row.length) == ("a", key, 43)
        assert row.signature is not None and row.signature.shape == (128,)


def test_a_file_that_is_not_an_index(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("just some notes, not a database\n" * 100)
    with pytest.raises(IndexError_, match="not a textdedup index"):
        Index(path, DedupConfig())


def test_a_damaged_settings_record(tmp_path: Path) -> None:
    path = tmp_path / "i.sqlite"
    Index(path, DedupConfig()).close()
    with sqlite3.connect(path) as db:
        db.execute("UPDATE meta SET value = '[1, 2' WHERE name = 'settings'")
    with pytest.raises(IndexError_, match="its settings record is damaged"):
        Index(path, DedupConfig())


def test_missing_index_is_not_created_when_asked_not_to(tmp_path: Path) -> None:
    with pytest.raises(IndexError_, match="no such index"):
        Index(tmp_path / "none.sqlite", DedupConfig(), create=False)
    assert not (tmp_path / "none.sqlite").exists()


def test_settings_record_holds_every_setting_that_decides_the_meaning(tmp_path: Path) -> None:
    path = tmp_path / "i.sqlite"
    config = DedupConfig(level="paragraph", ngram=3, num_perm=64, seed=9, threshold=0.8)
    Index(path, config).close()
    with sqlite3.connect(path) as db:
        stored = json.loads(
            db.execute("SELECT value FROM meta WHERE name='settings'").fetchone()[0]
        )
    assert stored == index_settings(config)
    assert (stored["unit"], stored["shingle"], stored["ngram"], stored["index_format"]) == (
        "paragraph",
        "word",
        3,
        INDEX_FORMAT,
    )
    assert {*SETTING_NAMES, "key", "bands", "rows", "hash", "format_version"} <= set(stored)
    # Opened with no config, the index gives back the config it was built with.
    with Index(path) as index:
        assert index.config == config
    assert config_from_settings(stored) == config
    with pytest.raises(ValueError, match="unit come from the index"):
        config_from_settings(stored, unit="doc")


def test_unit_is_compared_when_opening(tmp_path: Path) -> None:
    path = tmp_path / "i.sqlite"
    Index(path, DedupConfig(level="paragraph")).close()
    with pytest.raises(IndexError_, match="unit: index has 'paragraph', asked for 'doc'"):
        Index(path, DedupConfig(level="doc"))


def test_an_index_of_the_previous_format_asks_for_a_rebuild(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    Index(path, DedupConfig()).close()
    old = index_settings(DedupConfig())
    del old["index_format"], old["verify"]
    old["unit"] = "word"  # format 1 stored the shingle unit under "unit"
    with sqlite3.connect(path) as db:
        db.execute("UPDATE meta SET value = ? WHERE name = 'settings'", (json.dumps(old),))
    message = (
        f"{path} is an index of format 1; this textdedup reads formats 2 and 3 (format 1 did not "
        "record the unit it was built with); rebuild it with "
        "`textdedup index add NEW.sqlite INPUTS...`"
    )
    with pytest.raises(IndexError_) as caught:
        Index(path, DedupConfig())
    assert str(caught.value) == message
    with pytest.raises(IndexError_) as caught:
        read_index_info(path)
    assert str(caught.value) == message


def test_info_counts_items_and_records(tmp_path: Path) -> None:
    path = tmp_path / "i.sqlite"
    with Index(path, DedupConfig(level="line")) as index:
        index.add(
            [
                ("a#0", "first line of record a, long enough", 35),
                ("a#2", "third line of record a, long enough", 35),
                ("b#12#1", "a record whose own id holds a hash sign", 40),
            ]
        )
    info = read_index_info(path)
    assert (info.items, info.records, info.settings["unit"]) == (3, 2, "line")
    assert info.textdedup_version == textdedup.__version__


def test_an_id_with_a_lone_surrogate_round_trips(tmp_path: Path) -> None:
    key = "a text whose record id was cut inside an emoji"
    with Index(tmp_path / "i.sqlite", DedupConfig()) as index:
        assert index.add([("id\ud83d", key, len(key))]) == 1
        assert index.add([("id\ud83d", key, len(key))]) == 0
        [row] = index.candidates(None, [digest(key)])
    assert row.doc_id == "id\ud83d"


def test_the_library_refuses_a_config_that_contradicts_the_index(tmp_path: Path) -> None:
    path = tmp_path / "i.sqlite"
    text = "the swimming pool on mill lane will close for two weeks in august"
    with Index(path, DedupConfig(ngram=3)) as index:
        index.add([("old", text, len(text))])
    with Index(path) as index:
        # no config: the index's own settings are used
        [result] = list(textdedup.check_records([text], index))
        assert result.match == "old" and result.contaminated
        [item] = list(textdedup.dedup_records([text], index=index))
        assert (item.kept, item.duplicate_of) == (False, "old")
        for call in (
            lambda: list(textdedup.check_records([text], index, config=DedupConfig())),
            lambda: list(textdedup.dedup_records([text], index=index, config=DedupConfig())),
        ):
            with pytest.raises(IndexError_, match="ngram: index has 3, asked for 5"):
                call()


def test_check_against_a_paragraph_index_looks_up_each_paragraph(tmp_path: Path) -> None:
    # A test record that holds one training paragraph verbatim, beside a new one, is
    # contaminated: check cuts records into the index's unit before looking them up.
    from click.testing import CliRunner

    from textdedup.cli import main

    p1 = "The committee met on Tuesday to discuss the budget for next year and agreed."
    p2 = "Weather forecasts suggest heavy rain in the northern regions all weekend long."
    train = tmp_path / "train.jsonl"
    train.write_text(json.dumps({"id": "train", "text": p1 + "\n\n" + p2}) + "\n")
    idx = tmp_path / "p.sqlite"
    args = ["index", "add", str(idx), str(train), "--unit", "paragraph", "--id-field", "id"]
    res = CliRunner().invoke(main, args)
    assert res.exit_code == 0, res.output
    tests = [
        {"id": "q1", "text": "A new opening paragraph written for the test set only.\n\n" + p2},
        {"id": "q2", "text": "Nothing from training here at all, only boats and harbours."},
    ]
    with Index(idx) as index:
        found = {r.record.id: r for r in textdedup.check_records(tests, index)}
    assert found["q1"].contaminated and found["q1"].match == "train#1"
    assert found["q1"].containment == 1.0
    assert not found["q2"].contaminated and found["q2"].match is None


def _band_rows(path: Path) -> tuple[list[tuple[int, int, int]], list[str]]:
    db = sqlite3.connect(path)
    try:
        rows = db.execute("SELECT band, bkey, item FROM bands ORDER BY band, bkey, item").fetchall()
        indexes = [
            r[0]
            for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'index' ORDER BY name")
        ]
    finally:
        db.close()
    return rows, indexes


def test_band_rows_and_lookup_index_are_the_same_however_they_were_added(tmp_path: Path) -> None:
    """A first add builds the lookup index after its rows; later adds grow it row by row."""
    entries = [(f"d{k}", f"text number {k} " + "word " * (k % 7), 20 + k) for k in range(60)]
    once, twice = tmp_path / "once.sqlite", tmp_path / "twice.sqlite"
    with Index(once, DedupConfig()) as index:
        assert index.add(entries) == 60
    with Index(twice, DedupConfig()) as index:
        assert index.add(entries[:25]) == 25
        assert index.add(entries[25:]) == 35
        # Found through the index, after both kinds of add.
        [row] = index.candidates(None, [digest(entries[40][1])])
        assert row.doc_id == "d40"
    rows_once, indexes_once = _band_rows(once)
    rows_twice, indexes_twice = _band_rows(twice)
    assert rows_once == rows_twice and len(rows_once) == 60 * DedupConfig().lsh().bands
    assert indexes_once == indexes_twice
    assert {"bands_lookup", "items_digest", "items_unique"} <= set(indexes_once)


class _FailingBands:
    """A connection whose insert of band rows fails (after the lookup index was dropped)."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def __getattr__(self, name: str) -> object:
        return getattr(self.db, name)

    def executemany(self, sql: str, rows: object) -> object:
        if "INTO bands" in sql:
            raise RuntimeError("disk on fire")
        return self.db.executemany(sql, rows)  # type: ignore[arg-type]


def test_a_failed_first_add_leaves_the_lookup_index(tmp_path: Path) -> None:
    path = tmp_path / "i.sqlite"
    with Index(path, DedupConfig()) as index:
        real = index.db
        index.db = _FailingBands(real)  # type: ignore[assignment]
        with pytest.raises(RuntimeError, match="disk on fire"):
            index.add([("a", "a text long enough to be an item", 33)])
        index.db = real
        assert len(index) == 0
    rows, indexes = _band_rows(path)
    assert rows == [] and {"bands_lookup", "items_digest", "items_unique"} <= set(indexes)
    with Index(path, DedupConfig()) as index:
        assert index.add([("a", "a text long enough to be an item", 33)]) == 1
    assert "bands_lookup" in _band_rows(path)[1]


def _expected_matches(
    stored: list[tuple[str, str, int]], queries: list[str], config: DedupConfig
) -> dict[int, set[int]]:
    """Brute force: the items (1-based ids in order added) that share a digest or a band key."""
    hasher, params = config.hasher(), config.lsh()
    keys = [k for _, k, _ in stored]
    mine = band_keys(np.asarray(hasher.signatures(keys)), params)
    theirs = band_keys(np.asarray(hasher.signatures(queries)), params)
    found: dict[int, set[int]] = {}
    for q, query in enumerate(queries):
        for i, key in enumerate(keys):
            if key == query or (mine[i] == theirs[q]).any():
                found.setdefault(q, set()).add(i + 1)
    return found


def test_every_item_of_a_key_is_found_though_only_its_first_has_band_rows(
    tmp_path: Path,
) -> None:
    """Format 3: one set of band rows per key; lookups give what a row per item gives."""
    config = DedupConfig(threshold=0.7)
    base = [
        "the committee met on tuesday to discuss the budget for the coming year and agreed",
        "rain is expected across the north with heavy showers in the hills by the evening",
        "the new library opens its doors next month with a reading room and a small cafe",
    ]
    near = base[0] + " unanimously"
    first = [("a#0", base[0], 80), ("a#1", base[1], 80), ("b#0", base[0], 80)]
    # The second add repeats a stored key (c#0), a key new in this add twice (c#1, d#0),
    # and brings a near copy of a stored key (d#1).
    second = [("c#0", base[0], 80), ("c#1", base[2], 80), ("d#0", base[2], 80), ("d#1", near, 80)]
    path = tmp_path / "i.sqlite"
    with Index(path, config) as index:
        assert index.add(first) == 3
        assert index.add(second) == 4
        stored = first + second
        queries = [base[0], near, base[2], base[1].replace("rain", "snow"), "nothing like it"]
        hasher = config.hasher()
        bk = band_keys(np.asarray(hasher.signatures(queries)), config.lsh())
        got = index.matches(bk, [digest(q) for q in queries])
        assert got == _expected_matches(stored, queries, config)
        assert got[0] == {1, 3, 4, 7} and got[2] == {5, 6}  # all copies of a key
        # Every item keeps the signature of its key, band rows or not.
        rows = index.rows(list(range(1, 8)))
        sigs = np.asarray(hasher.signatures([k for _, k, _ in stored]))
        for row, sig in zip(rows, sigs, strict=True):
            assert row.signature is not None and (row.signature == sig).all()
    band_rows, _ = _band_rows(path)
    # Band rows for a#0, a#1, c#1 and d#1 only: the four distinct keys.
    assert {item for _, _, item in band_rows} == {1, 2, 5, 7}
    assert len(band_rows) == 4 * config.lsh().bands


def test_an_index_of_format_2_is_read_and_becomes_format_3_on_its_next_add(
    tmp_path: Path,
) -> None:
    config = DedupConfig()
    key = "a paragraph that two records of the old index share word for word"
    path = tmp_path / "old.sqlite"
    with Index(path, config) as index:
        index.add([("a#0", key, 66)])
        sig = index.rows([1])[0].signature
    # What format 2 wrote: the second item of the key with band rows of its own.
    old = {**index_settings(config), "index_format": 2}
    with sqlite3.connect(path) as db:
        db.execute("UPDATE meta SET value = ? WHERE name = 'settings'", (json.dumps(old),))
        db.execute("INSERT INTO items SELECT 2, 'b#0', digest, length, signature, key FROM items")
        db.execute("INSERT INTO bands SELECT band, bkey, 2 FROM bands WHERE item = 1")
    assert read_index_info(path).settings["index_format"] == 2
    bk = band_keys(np.asarray([sig]), config.lsh())
    with Index(path, config) as index:  # the same settings: no error
        assert index.matches(bk, [b"no such digest"]) == {0: {1, 2}}
        assert index.add([("c#0", key, 66)]) == 1
        assert index.matches(bk, [b"no such digest"]) == {0: {1, 2, 3}}
    assert read_index_info(path).settings["index_format"] == INDEX_FORMAT == 3
    with Index(path) as index:
        assert index.config == config


def test_short_keys_are_stored_as_text_and_long_or_unencodable_ones_compressed(
    tmp_path: Path,
) -> None:
    short = "a short paragraph key"
    long = "a long key " * (PACK_FROM_CHARS // 10)
    odd = "a key with a lone surrogate \ud83d in it"
    path = tmp_path / "i.sqlite"
    with Index(path, DedupConfig()) as index:
        index.add([("a", short, 21), ("b", long, len(long)), ("c", odd, 34)])
        assert [r.key for r in index.rows([1, 2, 3])] == [short, long, odd]
    with sqlite3.connect(path) as db:
        kinds = db.execute("SELECT typeof(key) FROM items ORDER BY id").fetchall()
    assert kinds == [("text",), ("blob",), ("blob",)]
