"""pandas, Arrow and Hugging Face ``datasets`` in and out (textdedup.interop), DuckDB reading outputs."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

import textdedup
from textdedup import DedupConfig
from textdedup.interop import dedup_arrow, dedup_dataframe, dedup_dataset

pd = pytest.importorskip("pandas")
pa = pytest.importorskip("pyarrow")

BODY = "the quick brown fox jumps over the lazy dog near the river bank at dawn"
TEXTS = [
    BODY,  # 0 kept
    "an unrelated sentence about gardening tomatoes and beans in the spring",  # 1 kept
    BODY.upper() + "!",  # 2 near copy of 0 (same key, other case)
    BODY,  # 3 exact copy of 0
    "yet another text about sailing boats on a windy lake in autumn afternoons",  # 4 kept
    "an unrelated sentence about gardening tomatoes and beans in the spring",  # 5 exact of 1
]
IDS = ["a", "b", "c", "d", "e", "f"]


def reference(config: DedupConfig | None = None) -> list[textdedup.DedupItem]:
    """The decisions dedup_records makes on the same texts and ids: what every helper must give."""
    records = [{"id": i, "text": t} for i, t in zip(IDS, TEXTS, strict=True)]
    return list(textdedup.dedup_records(records, config=config))


def frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "id": IDS,
            "text": TEXTS,
            "n": pd.array([10, 11, 12, 13, 14, 15], dtype="int32"),
            "lang": pd.Categorical(["en", "en", "de", "en", "fr", "en"]),
            "when": pd.to_datetime([f"2024-01-0{d}" for d in range(1, 7)]),
        },
        index=[f"r{i}" for i in range(6)],
    )


# -- refusals --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (
            lambda: pd.DataFrame({"text": ["x", "y"]}),
            "dedup_records got a pandas DataFrame (iterating one yields its column names, not "
            "its rows); use textdedup.interop.dedup_dataframe(df, text_field=...), or pass the "
            "texts: df['text'].tolist()",
        ),
        (
            lambda: pa.table({"text": ["x", "y"]}),
            "dedup_records got an Arrow Table; use textdedup.interop.dedup_arrow(table, "
            "text_field=...)",
        ),
        (
            lambda: pa.record_batch({"text": ["x", "y"]}),
            "dedup_records got an Arrow RecordBatch; use textdedup.interop.dedup_arrow(batch, "
            "text_field=...)",
        ),
        (
            lambda: pa.chunked_array([["x", "y"]]),
            "dedup_records got an Arrow array (its items are Arrow scalars, not str); pass "
            "array.to_pylist()",
        ),
        (
            lambda: pa.array(["x", "y"]),
            "dedup_records got an Arrow array (its items are Arrow scalars, not str); pass "
            "array.to_pylist()",
        ),
        (
            lambda: "just one text here",
            "dedup_records got one str (each character would be a record); pass "
            "['just one text here']",
        ),
        (
            lambda: {"id": "1", "text": "x"},
            "dedup_records got one dict, which would be read key by key; pass a list of "
            "records (dicts with a text field)",
        ),
        (lambda: b"bytes", "dedup_records got bytes; decode them and pass a list of str"),
    ],
)
def test_dedup_records_refuses_what_it_would_read_wrongly(make, expected):
    with pytest.raises(TypeError) as err:
        list(textdedup.dedup_records(make()))
    assert str(err.value) == expected


def test_import_textdedup_stays_light():
    code = (
        "import sys, textdedup, textdedup.interop; "
        "print(sorted(m for m in ('pandas', 'pyarrow', 'datasets', 'datasketch', 'duckdb') "
        "if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_minhasher_signatures_refuses_a_dataframe():
    with pytest.raises(TypeError, match=r"^MinHasher\.signatures got a pandas DataFrame"):
        textdedup.MinHasher().signatures(pd.DataFrame({"text": ["x"]}))


def test_a_subclass_of_a_dataframe_is_refused_too():
    class MyFrame(pd.DataFrame):
        pass

    with pytest.raises(TypeError, match="got a pandas DataFrame"):
        list(textdedup.dedup_records(MyFrame({"text": ["x"]})))


def test_find_passages_contamination_and_check_records_refuse_a_dataframe(tmp_path):
    df = pd.DataFrame({"text": ["x"]})
    with pytest.raises(TypeError, match=r"^find_passages got a pandas DataFrame"):
        textdedup.find_passages(df)
    with pytest.raises(TypeError, match=r"^contamination got a pandas DataFrame"):
        textdedup.contamination(["a question"], df)
    with (
        textdedup.Index(str(tmp_path / "i.sqlite"), DedupConfig()) as index,
        pytest.raises(TypeError, match=r"^check_records got an Arrow Table"),
    ):
        list(textdedup.check_records(pa.table({"text": ["x"]}), index))


def test_a_row_tuple_from_iterrows_names_the_helper():
    with pytest.raises(TypeError) as err:
        list(textdedup.dedup_records(frame().iterrows()))
    assert str(err.value) == (
        "record 0: records must be Record, dict or str, got tuple; "
        "DataFrame.iterrows() gives tuples: use textdedup.interop.dedup_dataframe"
    )


def test_what_iterates_as_records_still_passes():
    # A Series of str iterates its values; a list of dicts from to_dict("records") too.
    series = pd.Series(TEXTS)
    by_series = [i.kept for i in textdedup.dedup_records(series)]
    by_rows = [i.kept for i in textdedup.dedup_records(frame().to_dict("records"))]
    assert by_series == by_rows == [i.kept for i in reference()]


# -- pandas ----------------------------------------------------------------------------------


def test_dataframe_remove_keeps_the_kept_rows_with_every_column_and_dtype():
    df = frame()
    out = dedup_dataframe(df, id_field="id")
    kept = [i.record.id for i in reference() if i.kept]
    assert kept == ["a", "b", "e"]
    assert list(out["id"]) == kept
    assert list(out.index) == ["r0", "r1", "r4"]
    assert out.dtypes.equals(df.dtypes)
    pd.testing.assert_frame_equal(out, df.loc[["r0", "r1", "r4"]])
    assert df.shape == (6, 5)  # the input is not changed


def test_dataframe_annotate_matches_dedup_records():
    out = dedup_dataframe(frame(), id_field="id", action="annotate")
    ref = reference()
    assert list(out.columns) == [
        "id", "text", "n", "lang", "when", "duplicate", "duplicate_of", "cluster", "score",
        "reason",
    ]  # fmt: skip
    assert out["duplicate"].dtype == bool and out["score"].dtype == "float64"
    assert list(out["duplicate"]) == [not i.kept for i in ref] == [0, 0, 1, 1, 0, 1]
    assert list(out["duplicate_of"]) == [None, None, "a", "a", None, "b"]
    assert list(out["cluster"]) == ["a", "b", "a", "a", None, "b"]
    assert list(out["reason"]) == [None, None, "near", "exact", None, "exact"]
    assert out["score"].isna().tolist() == [True, True, False, False, True, False]
    assert out["score"].dropna().tolist() == [1.0, 1.0, 1.0]
    pd.testing.assert_frame_equal(out[list(frame().columns)], frame())


def test_dataframe_ids_default_to_the_index_labels_and_keep_last_is_honoured():
    out = dedup_dataframe(frame(), config=DedupConfig(keep="last"), action="annotate")
    # keep=last visits the rows from the end: r3 (the last copy of a) and r5 (of b) stay.
    assert out.index[~out["duplicate"]].tolist() == ["r3", "r4", "r5"]
    assert out["duplicate"].tolist() == [not i.kept for i in reference(DedupConfig(keep="last"))]
    # ids are the index labels
    assert out["duplicate_of"].tolist() == ["r3", "r5", "r3", None, None, None]


def test_dataframe_errors_name_the_row_and_the_fix():
    df = frame()
    df.loc["r2", "text"] = None
    with pytest.raises(TypeError) as err:
        dedup_dataframe(df)
    assert str(err.value) == (
        "row 'r2': column 'text' holds NoneType (None), not a string; drop or fill the "
        "missing texts first"
    )
    with pytest.raises(ValueError, match="index repeats labels"):
        dedup_dataframe(frame().set_index(pd.Index([0, 0, 1, 2, 3, 4])))
    with pytest.raises(ValueError, match=r"text_field 'body' is not a column"):
        dedup_dataframe(frame(), text_field="body")
    with pytest.raises(ValueError, match="prefix="):
        dedup_dataframe(frame().assign(score=1), action="annotate")
    out = dedup_dataframe(frame().assign(score=1), action="annotate", prefix="dedup_")
    assert out["score"].tolist() == [1] * 6 and "dedup_score" in out
    with pytest.raises(TypeError, match="takes a pandas DataFrame, got list"):
        dedup_dataframe([1])
    with pytest.raises(ValueError, match="action must be 'remove' or 'annotate', got 'drop'"):
        dedup_dataframe(frame(), action="drop")  # type: ignore[arg-type]


def test_dataframe_paragraph_unit_rewrites_the_text_and_lists_removed_blocks():
    para = "A paragraph long enough to count as a block across documents, shared."
    df = pd.DataFrame({"text": [f"First one.\n\n{para}\n", f"Second one here.\n\n{para}\n"]})
    config = DedupConfig(level="paragraph", near=False)
    out = dedup_dataframe(df, config=config)
    assert out["text"].tolist() == [f"First one.\n\n{para}\n", "Second one here.\n"]
    ann = dedup_dataframe(df, config=config, action="annotate")
    assert ann["text"].tolist() == out["text"].tolist()
    assert ann["blocks"][1] == [
        {
            "start": 18,
            "end": 18 + len(para),
            "duplicate_of": "0",
            "kept": {"id": "0", "start": 12, "end": 12 + len(para)},
            "score": 1.0,
            "reason": "exact",
        }
    ]
    assert ann["blocks"][0] == []


def test_dataframe_string_dtype_and_pandas_missing_values():
    df = pd.DataFrame({"text": pd.array(TEXTS, dtype="string")})
    para = dedup_dataframe(df, config=DedupConfig(level="paragraph"))
    assert para["text"].dtype == "string"
    assert dedup_dataframe(df)["text"].dtype == "string"
    df.loc[4, "text"] = pd.NA
    with pytest.raises(TypeError) as err:
        dedup_dataframe(df)
    assert str(err.value) == (
        "row 4: column 'text' holds NAType (<NA>), not a string; drop or fill the missing "
        "texts first"
    )


def test_empty_dataframe_is_empty_output():
    df = frame().iloc[:0]
    assert dedup_dataframe(df).empty
    assert list(dedup_dataframe(df, action="annotate").columns)[-1] == "reason"


# -- Arrow -----------------------------------------------------------------------------------


def table() -> pa.Table:
    schema = pa.schema(
        [("id", pa.string()), ("text", pa.large_string()), ("n", pa.int16())],
        metadata={b"source": b"test"},
    )
    return pa.table({"id": IDS, "text": TEXTS, "n": list(range(6))}, schema=schema)


def test_arrow_table_remove_and_annotate():
    t = table()
    out = dedup_arrow(t, id_field="id")
    assert out.schema == t.schema and out.schema.metadata == {b"source": b"test"}
    assert out.column("id").to_pylist() == ["a", "b", "e"]
    assert out.column("n").to_pylist() == [0, 1, 4]
    ann = dedup_arrow(t, id_field="id", action="annotate")
    assert ann.schema.names[-5:] == ["duplicate", "duplicate_of", "cluster", "score", "reason"]
    assert ann.schema.field("duplicate").type == pa.bool_()
    assert ann.schema.field("score").type == pa.float64()
    assert ann.column("duplicate_of").to_pylist() == [None, None, "a", "a", None, "b"]
    assert ann.column("reason").to_pylist() == [None, None, "near", "exact", None, "exact"]
    assert ann.select(["id", "text", "n"]).equals(t)


def test_arrow_record_batch_comes_back_as_a_record_batch():
    batch = table().to_batches()[0]
    out = dedup_arrow(batch)
    assert isinstance(out, pa.RecordBatch)
    assert out.column(0).to_pylist() == ["a", "b", "e"]
    empty = dedup_arrow(batch.slice(0, 0), action="annotate")
    assert isinstance(empty, pa.RecordBatch) and empty.num_rows == 0


def test_arrow_chunked_table_and_errors():
    t = pa.concat_tables([table().slice(0, 3), table().slice(3)])
    assert t.column("text").num_chunks == 2
    assert dedup_arrow(t, id_field="id").column("id").to_pylist() == ["a", "b", "e"]
    nulls = pa.table({"text": ["one text", None]})
    with pytest.raises(TypeError, match=r"^row 1: column 'text' holds NoneType \(None\)"):
        dedup_arrow(nulls)
    with pytest.raises(TypeError, match=r"^row 0: id column 'id' holds float"):
        dedup_arrow(pa.table({"id": [1.5], "text": ["x"]}), id_field="id")
    with pytest.raises(TypeError, match="takes a pyarrow Table or RecordBatch, got DataFrame"):
        dedup_arrow(frame())


def test_arrow_integer_ids():
    t = pa.table({"id": pa.array([7, 8, 9], pa.int64()), "text": [BODY, BODY, "other text"]})
    ann = dedup_arrow(t, id_field="id", action="annotate")
    assert ann.column("duplicate_of").to_pylist() == [None, "7", None]


# -- Hugging Face datasets --------------------------------------------------------------------


def test_dataset_remove_and_annotate():
    datasets = pytest.importorskip("datasets")
    ds = datasets.Dataset.from_dict({"id": IDS, "text": TEXTS, "n": list(range(6))})
    out = dedup_dataset(ds, id_field="id", batch_size=4)  # batches that cut the data
    assert isinstance(out, datasets.Dataset)
    assert out["id"][:] == ["a", "b", "e"] and out.features == ds.features
    ann = dedup_dataset(ds, id_field="id", action="annotate")
    assert ann["duplicate_of"][:] == [None, None, "a", "a", None, "b"]
    assert ann["reason"][:] == [None, None, "near", "exact", None, "exact"]
    assert ann.features["duplicate"] == datasets.Value("bool")
    assert ann.features["score"] == datasets.Value("float64")


def test_dataset_rows_are_records_and_a_dataset_dict_is_refused():
    datasets = pytest.importorskip("datasets")
    ds = datasets.Dataset.from_dict({"id": IDS, "text": TEXTS})
    # a Dataset iterates its rows as dicts, so dedup_records reads it right
    assert [i.record.id for i in textdedup.dedup_records(ds) if i.kept] == ["a", "b", "e"]
    dd = datasets.DatasetDict({"train": ds})
    with pytest.raises(TypeError) as err:
        list(textdedup.dedup_records(dd))
    assert str(err.value) == (
        "dedup_records got a datasets DatasetDict (iterating one yields its split names); pick "
        "a split and use textdedup.interop.dedup_dataset(ds['train'], text_field=...)"
    )
    with pytest.raises(TypeError, match=r"^dedup_dataset got a datasets DatasetDict"):
        dedup_dataset(dd)


def test_dataset_paragraph_unit():
    datasets = pytest.importorskip("datasets")
    para = "A paragraph long enough to count as a block across documents, shared."
    ds = datasets.Dataset.from_dict({"text": [f"First one.\n\n{para}\n", f"Second.\n\n{para}\n"]})
    out = dedup_dataset(ds, config=DedupConfig(level="paragraph", near=False))
    assert out["text"][:] == [f"First one.\n\n{para}\n", "Second.\n"]


# -- DuckDB reading the outputs ---------------------------------------------------------------


def test_duckdb_reads_the_annotated_output_and_the_clusters(tmp_path):
    duckdb = pytest.importorskip("duckdb")
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text(
        "".join(json.dumps({"id": i, "text": t}) + "\n" for i, t in zip(IDS, TEXTS, strict=True))
    )
    run = [sys.executable, "-m", "textdedup"]
    subprocess.run(
        [*run, "dedup", str(corpus), "--id-field", "id", "--action", "annotate", "-q", "-o",
         str(tmp_path / "annotated.jsonl")],
        check=True,
    )  # fmt: skip
    subprocess.run(
        [*run, "find", str(corpus), "--id-field", "id", "-q", "--clusters",
         str(tmp_path / "clusters.jsonl")],
        check=True,
    )  # fmt: skip
    con = duckdb.connect()
    rows = con.execute(
        "SELECT id, dedup.duplicate, dedup.duplicate_of, dedup.reason "
        f"FROM read_json_auto('{tmp_path / 'annotated.jsonl'}') ORDER BY id"
    ).fetchall()
    assert rows == [(i.record.id, not i.kept, i.duplicate_of, i.reason) for i in reference()]
    sizes = con.execute(
        f"SELECT kept, size FROM read_json_auto('{tmp_path / 'clusters.jsonl'}') ORDER BY kept"
    ).fetchall()
    assert sizes == [("a", 3), ("b", 2)]
    # a DataFrame from dedup_dataframe is a table to DuckDB as it is
    annotated = dedup_dataframe(frame(), id_field="id", action="annotate")  # noqa: F841
    counts = con.execute(
        "SELECT reason, count(*) FROM annotated WHERE duplicate GROUP BY reason ORDER BY reason"
    ).fetchall()
    assert counts == [("exact", 2), ("near", 1)]


# -- datasketch ------------------------------------------------------------------------------


def _corpus_texts() -> list[str]:
    import random

    rng = random.Random(7)
    words = [f"w{i}" for i in range(300)]
    base = [" ".join(rng.choice(words) for _ in range(40)) for _ in range(40)]
    edited = []
    for k, text in enumerate(base[:30]):
        toks = text.split()
        for _ in range(k % 6):  # 0..5 words changed: Jaccard from 1.0 down to about 0.5
            toks[rng.randrange(len(toks))] = rng.choice(words)
        edited.append(" ".join(toks))
    return base + edited


def test_datasketch_users_get_the_same_estimates_and_candidates():
    datasketch = pytest.importorskip("datasketch")
    from textdedup.interop import from_datasketch, to_datasketch

    texts = _corpus_texts()
    sig = textdedup.MinHasher(num_perm=128, ngram=3).signatures(texts)
    ms = to_datasketch(sig)
    assert len(ms) == len(texts) and all(isinstance(m, datasketch.MinHash) for m in ms)
    estimates = {
        (i, j): ms[i].jaccard(ms[j]) for i in range(len(ms)) for j in range(i + 1, len(ms))
    }
    assert estimates == {(i, j): textdedup.jaccard_estimate(sig[i], sig[j]) for i, j in estimates}
    assert sum(e > 0.3 for e in estimates.values()) >= 25  # the edited copies are there

    params = textdedup.lsh_params(0.6, num_perm=128)
    lsh = datasketch.MinHashLSH(num_perm=128, params=(params.bands, params.rows))
    for n, m in enumerate(ms):
        lsh.insert(n, m)
    theirs = {(min(n, k), max(n, k)) for n, m in enumerate(ms) for k in lsh.query(m) if k != n}
    cands = textdedup.candidate_pairs(textdedup.band_keys(sig, params))
    ours = set(zip(cands.left.tolist(), cands.right.tolist(), strict=True))
    assert ours == theirs and len(ours) >= 20

    back = from_datasketch(ms)
    assert np.array_equal(back, sig) and back.settings == sig.settings
    textdedup.MinHasher(num_perm=128, ngram=3).check(back.settings)


def test_datasketch_made_minhashes_come_over_with_their_own_hash_named():
    datasketch = pytest.importorskip("datasketch")
    from textdedup.interop import from_datasketch, to_datasketch

    texts = _corpus_texts()[:10]
    native = []
    for text in texts:
        m = datasketch.MinHash(num_perm=64, seed=3)
        m.update_batch([w.encode() for w in text.split()])
        native.append(m)
    sig = from_datasketch(native)
    assert sig.shape == (10, 64) and sig.dtype == np.uint32
    assert sig.settings["hash"] == "datasketch-affine32-sha1_hash32"
    for i in range(10):
        for j in range(10):
            assert textdedup.jaccard_estimate(sig[i], sig[j]) == native[i].jaccard(native[j])
    # never mixed with textdedup's own signatures, from either side
    with pytest.raises(ValueError, match=r"hash: stored 'datasketch-affine32-sha1_hash32'"):
        textdedup.MinHasher(num_perm=64, seed=3, ngram=1).check(sig.settings)
    ours = to_datasketch(textdedup.MinHasher(num_perm=64, seed=3).signatures(texts))
    with pytest.raises(ValueError, match="with a MinHash made by datasketch"):
        ours[0].jaccard(native[0])
    with pytest.raises(ValueError, match="different seeds"):
        native[0].jaccard(ours[0])
    with pytest.raises(TypeError, match="cannot be updated with datasketch's hashing"):
        ours[0].update(b"word")
    other = to_datasketch(textdedup.MinHasher(num_perm=64, seed=3, ngram=2).signatures(texts))
    with pytest.raises(ValueError, match="with other settings"):
        ours[0].jaccard(other[0])
    with pytest.raises(ValueError, match="MinHash 1 was made with other settings"):
        from_datasketch([ours[0], other[0]])
    copy = ours[0].copy()
    assert copy.jaccard(ours[0]) == 1.0 and copy.settings == ours[0].settings


def test_datasketch_misuse_is_refused():
    datasketch = pytest.importorskip("datasketch")
    from textdedup.interop import from_datasketch, to_datasketch

    with pytest.raises(TypeError, match=r"takes the SignatureArray of MinHasher\.signatures"):
        to_datasketch(np.zeros((2, 8), dtype=np.uint32))
    with pytest.raises(TypeError, match=r"pass \[minhash\]"):
        from_datasketch(datasketch.MinHash(num_perm=8))
    with pytest.raises(ValueError, match="at least one MinHash"):
        from_datasketch([])
    with pytest.raises(TypeError, match="item 0 is str, not a datasketch MinHash"):
        from_datasketch(["x"])
    wide = datasketch.MinHash(num_perm=8, scheme="affine64")
    wide.update(b"x")
    with pytest.raises(ValueError, match="64-bit values"):
        from_datasketch([wide])


def test_repeated_or_colliding_ids_in_a_table_are_an_error():
    from textdedup.errors import InputError

    texts = ["one two three four five", "six seven eight nine ten", "a b c d e f g"]
    # An id column with a repeated value.
    with pytest.raises(InputError, match=r"id '5' is also the id of the record at .*:1"):
        dedup_dataframe(pd.DataFrame({"text": texts, "id": [5, 5, 6]}), id_field="id")
    # Index labels 1 and "1": distinct to pandas, one id as text.
    with pytest.raises(InputError, match=r"id '1' is also the id of the record at .*:1"):
        dedup_dataframe(pd.DataFrame({"text": texts}, index=pd.Index([1, "1", 2], dtype=object)))
    with pytest.raises(InputError, match=r"id 'x' is also the id"):
        dedup_arrow(pa.table({"text": texts, "id": ["x", "y", "x"]}), id_field="id")
