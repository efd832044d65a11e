"""Deduplicate the tables of the Python data ecosystem: pandas, Arrow, Hugging Face ``datasets``.

Each helper takes a table, runs :func:`textdedup.dedup_records` on its text column
and gives back a table of the same kind: the kept rows (``action="remove"``), or every
row with the decision in added columns (``action="annotate"``). Every other column
keeps its values and type, and rows keep their order. The libraries are imported
inside the functions, so ``import textdedup`` does not load them; each is an extra
(``pip install 'textdedup[pandas]'``, ``'textdedup[parquet]'``, ``'textdedup[hf]'``).

:func:`to_datasketch` and :func:`from_datasketch` move MinHash signatures between
textdedup and datasketch (``MinHash``, ``MinHashLSH``).

The annotation columns (named ``prefix + name``):

========================  =========  ====================================================
column                    type       meaning
========================  =========  ====================================================
``duplicate``             bool       the row was removed (a duplicate, or, for paragraph
                                     and line units, nothing of it remained)
``duplicate_of``          str, null  id of the kept row it duplicates
``cluster``               str, null  id of its cluster's representative (the kept row)
``score``                 float,     the verified similarity to ``duplicate_of``
                          null
``reason``                str, null  ``"exact"`` or ``"near"`` (see :class:`DedupItem`)
``blocks``                list       paragraph and line units only: each removed block
                                     as ``{"start", "end", "duplicate_of", "score",
                                     "reason"}``
========================  =========  ====================================================

Ids are the ``id_field`` column's values (strings or integers), else the row labels
(pandas index) or row numbers (Arrow, ``datasets``), as strings.

:func:`refuse_unreadable` is the guard that :func:`~textdedup.dedup_records` and its
friends run on their input: a table iterated as records would yield column names or
columns, not rows, so it is refused with the helper to use.
"""

from __future__ import annotations

import operator
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, Literal, SupportsIndex

# Nothing of textdedup is imported at module level: pipeline, passages and minhash
# import refuse_unreadable from here.
if TYPE_CHECKING:
    from .engine import DedupConfig
    from .index import Index
    from .minhash import SignatureArray
    from .pipeline import DedupItem, DedupStats

__all__ = [
    "dedup_arrow",
    "dedup_dataframe",
    "dedup_dataset",
    "from_datasketch",
    "refuse_unreadable",
    "to_datasketch",
]

Action = Literal["remove", "annotate"]
_COLUMNS = ("duplicate", "duplicate_of", "cluster", "score", "reason")

# (module prefix, class name) -> what to say. Checked by name so that no library is
# imported to recognize its own objects.
_TABLES: dict[tuple[str, str], str] = {
    ("pandas", "DataFrame"): (
        "a pandas DataFrame (iterating one yields its column names, not its rows); "
        "use textdedup.interop.dedup_dataframe(df, text_field=...), or pass the texts: "
        "df['text'].tolist()"
    ),
    (
        "pyarrow",
        "Table",
    ): "an Arrow Table; use textdedup.interop.dedup_arrow(table, text_field=...)",
    ("pyarrow", "RecordBatch"): (
        "an Arrow RecordBatch; use textdedup.interop.dedup_arrow(batch, text_field=...)"
    ),
    ("pyarrow", "ChunkedArray"): (
        "an Arrow array (its items are Arrow scalars, not str); pass array.to_pylist()"
    ),
    ("pyarrow", "StringArray"): "an Arrow array (its items are Arrow scalars, not str); "
    "pass array.to_pylist()",
    ("pyarrow", "LargeStringArray"): "an Arrow array (its items are Arrow scalars, not str); "
    "pass array.to_pylist()",
    ("polars", "DataFrame"): (
        "a polars DataFrame (iterating one yields its columns); use "
        "textdedup.interop.dedup_arrow(df.to_arrow(), text_field=...)"
    ),
    ("datasets", "DatasetDict"): (
        "a datasets DatasetDict (iterating one yields its split names); pick a split and use "
        "textdedup.interop.dedup_dataset(ds['train'], text_field=...)"
    ),
    ("datasets", "IterableDatasetDict"): (
        "a datasets IterableDatasetDict (iterating one yields its split names); pick a split"
    ),
}


def refuse_unreadable(records: object, name: str) -> None:
    """Raise ``TypeError`` for an input that ``name`` would read wrongly when iterated.

    A pandas or polars DataFrame, an Arrow table, batch or array, a ``datasets``
    ``DatasetDict``, a single ``str``, ``bytes`` or mapping: each iterates as
    something other than records (column names, columns, split names, characters,
    keys). Lists, generators, ``datasets.Dataset`` (rows as dicts) and pandas
    ``Series`` of strings pass.

    Raises
    ------
    TypeError
        Naming the type and the helper or conversion to use.

    >>> refuse_unreadable("one text", "dedup_records")
    Traceback (most recent call last):
    ...
    TypeError: dedup_records got one str (each character would be a record); pass ['one text']
    >>> refuse_unreadable(["one text"], "dedup_records")
    """
    cls = type(records)
    module = cls.__module__.split(".")[0]
    for base in cls.__mro__:
        what = _TABLES.get((base.__module__.split(".")[0], base.__name__))
        if what is not None:
            raise TypeError(f"{name} got {what}")
    if module == "pyarrow" and cls.__name__.endswith("Array"):
        raise TypeError(
            f"{name} got an Arrow {cls.__name__} (its items are Arrow scalars, not str); "
            "pass array.to_pylist()"
        )
    if isinstance(records, str):
        shown = records if len(records) <= 20 else records[:17] + "..."
        raise TypeError(f"{name} got one str (each character would be a record); pass [{shown!r}]")
    if isinstance(records, (bytes, bytearray)):
        raise TypeError(f"{name} got bytes; decode them and pass a list of str")
    if isinstance(records, dict):
        raise TypeError(
            f"{name} got one dict, which would be read key by key; pass a list of records "
            "(dicts with a text field)"
        )


def _check_action(action: str, prefix: str, columns: Iterable[str], unit: str) -> list[str]:
    """The annotation column names, after checking ``action`` and name clashes."""
    if action not in ("remove", "annotate"):
        raise ValueError(f"action must be 'remove' or 'annotate', got {action!r}")
    if action == "remove":
        return []
    names = [prefix + c for c in _COLUMNS] + ([prefix + "blocks"] if unit != "doc" else [])
    clash = sorted(set(names) & set(columns))
    if clash:
        raise ValueError(
            f"the table already has column {clash[0]!r}; pass prefix= (for example "
            f"prefix='dedup_') so the annotation columns get other names"
        )
    return names


def _texts(values: Iterable[object], labels: Sequence[object], text_field: str) -> list[str]:
    out = []
    for label, value in zip(labels, values, strict=True):
        if not isinstance(value, str):
            missing = (
                value is None
                or (isinstance(value, float) and value != value)  # NaN
                or type(value).__name__ in ("NAType", "NaTType")  # pandas' missing values
            )
            hint = "drop or fill the missing texts first" if missing else ""
            raise TypeError(
                f"row {label!r}: column {text_field!r} holds {type(value).__name__} "
                f"({value!r}), not a string" + (f"; {hint}" if hint else "")
            )
        out.append(value)
    return out


def _ids(values: Iterable[object], labels: Sequence[object], id_field: str) -> list[str]:
    out = []
    for label, value in zip(labels, values, strict=True):
        if isinstance(value, str):
            out.append(value)
        elif isinstance(value, SupportsIndex) and not isinstance(value, bool):
            out.append(str(operator.index(value)))  # int, and numpy's integers
        else:
            raise TypeError(
                f"row {label!r}: id column {id_field!r} holds {type(value).__name__} "
                f"({value!r}); ids are strings or integers"
            )
    return out


def _decide(
    texts: list[str],
    ids: list[str],
    source: str,
    config: DedupConfig | None,
    index: Index | None,
    stats: DedupStats | None,
) -> list[DedupItem]:
    from .pipeline import dedup_records
    from .records import Record

    records = (
        Record(id=rid, text=text, path=source, line=n + 1)
        for n, (rid, text) in enumerate(zip(ids, texts, strict=True))
    )
    return list(dedup_records(records, config=config, index=index, stats=stats))


def _annotations(items: list[DedupItem], unit: str) -> dict[str, list[Any]]:
    cols: dict[str, list[Any]] = {c: [] for c in _COLUMNS}
    if unit != "doc":
        cols["blocks"] = []
    for item in items:
        cols["duplicate"].append(not item.kept)
        cols["duplicate_of"].append(item.duplicate_of)
        cols["cluster"].append(item.cluster)
        cols["score"].append(item.score)
        cols["reason"].append(item.reason)
        if unit != "doc":
            cols["blocks"].append([dict(b) for b in item.removed_blocks])
    return cols


def _unit(config: DedupConfig | None, index: Index | None) -> str:
    from .engine import DedupConfig

    if config is not None:
        return config.level
    return index.config.level if index is not None else DedupConfig().level


def dedup_dataframe(
    df: Any,
    *,
    text_field: str = "text",
    id_field: str | None = None,
    config: DedupConfig | None = None,
    index: Index | None = None,
    action: Action = "remove",
    prefix: str = "",
    stats: DedupStats | None = None,
) -> Any:
    """Deduplicate the rows of a pandas ``DataFrame``; a new ``DataFrame`` comes back.

    Parameters
    ----------
    df : pandas.DataFrame
        One row per document; ``text_field`` holds the texts (``str``; a missing
        text is an error).
    text_field, id_field : str
        The text column, and the column of ids (strings or integers). Without
        ``id_field`` the index labels are the ids, so they must be unique.
    config, index, stats
        As in :func:`textdedup.dedup_records`.
    action : {"remove", "annotate"}
        ``"remove"`` returns the kept rows; ``"annotate"`` returns every row with the
        annotation columns of this module added (named ``prefix + name``).
    prefix : str
        Put before each annotation column's name, for tables that already use one.

    Returns
    -------
    pandas.DataFrame
        The same columns, dtypes and index labels, in the same order. For paragraph
        and line units the text of a kept row is its rewritten text.

    Raises
    ------
    TypeError
        ``df`` is not a DataFrame, or a text or id is of the wrong type (the row's
        label is named).
    ValueError
        ``text_field``/``id_field`` is not a column, the index repeats a label when
        it gives the ids, or an annotation column would overwrite a column.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"text": ["the cat sat on the mat today", "The cat sat on the mat today!",
    ...                             "dogs bark"], "n": [1, 2, 3]})
    >>> dedup_dataframe(df)
                               text  n
    0  the cat sat on the mat today  1
    2                     dogs bark  3
    >>> dedup_dataframe(df, action="annotate")[["duplicate", "cluster", "score", "reason"]]
       duplicate cluster  score reason
    0      False       0    NaN   None
    1       True       0    1.0   near
    2      False    None    NaN   None
    """
    import pandas as pd

    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"dedup_dataframe takes a pandas DataFrame, got {type(df).__name__}")
    for what, col in (("text_field", text_field), ("id_field", id_field)):
        if col is not None and col not in df.columns:
            raise ValueError(f"{what} {col!r} is not a column of the DataFrame: {list(df.columns)}")
        if col is not None and not isinstance(df[col], pd.Series):
            raise ValueError(f"the DataFrame has more than one column named {col!r}")
    unit = _unit(config, index)
    names = _check_action(action, prefix, df.columns, unit)
    labels = list(df.index)
    texts = _texts(df[text_field].tolist(), labels, text_field)
    if id_field is not None:
        ids = _ids(df[id_field].tolist(), labels, id_field)
    else:
        if not df.index.is_unique:
            raise ValueError(
                "the DataFrame's index repeats labels, and without id_field the labels are "
                "the ids; pass id_field= or use df.reset_index(drop=True)"
            )
        ids = [str(label) for label in labels]
    items = _decide(texts, ids, "<DataFrame>", config, index, stats)
    if action == "remove":
        keep = [item.kept for item in items]
        out = df.loc[keep].copy()
        if unit != "doc":
            new = [item.text for item in items if item.kept]
            out[text_field] = pd.Series(new, index=out.index, dtype=df[text_field].dtype)
        return out
    out = df.copy()
    if unit != "doc":
        new = [item.text if item.kept else t for item, t in zip(items, texts, strict=True)]
        out[text_field] = pd.Series(new, index=out.index, dtype=df[text_field].dtype)
    cols = _annotations(items, unit)
    for name, key in zip(names, cols, strict=True):
        values = cols[key]
        if key == "score":
            out[name] = pd.Series(values, index=df.index, dtype="float64")
        elif key == "duplicate":
            out[name] = pd.Series(values, index=df.index, dtype="bool")
        else:
            out[name] = pd.Series(values, index=df.index, dtype="object")
    return out


def dedup_arrow(
    data: Any,
    *,
    text_field: str = "text",
    id_field: str | None = None,
    config: DedupConfig | None = None,
    index: Index | None = None,
    action: Action = "remove",
    prefix: str = "",
    stats: DedupStats | None = None,
) -> Any:
    """Deduplicate the rows of an Arrow ``Table`` or ``RecordBatch``; the same kind comes back.

    Parameters
    ----------
    data : pyarrow.Table or pyarrow.RecordBatch
        One row per document; ``text_field`` is a string column without nulls.
    text_field, id_field, config, index, action, prefix, stats
        As in :func:`dedup_dataframe`; without ``id_field`` the ids are the row
        numbers (0, 1, ...).

    Returns
    -------
    pyarrow.Table or pyarrow.RecordBatch
        The kept rows (``"remove"``) or every row with the annotation columns
        (``"annotate"``: ``duplicate`` bool, ``duplicate_of``, ``cluster`` and
        ``reason`` string, ``score`` float64, nullable), every other column and the
        schema's metadata unchanged.

    Raises
    ------
    TypeError
        ``data`` is not a Table or RecordBatch, or a text or id is of the wrong
        type or null (the row number is named).
    ValueError
        As in :func:`dedup_dataframe`.

    Examples
    --------
    >>> import pyarrow as pa
    >>> table = pa.table({"id": ["a", "b", "c"], "text": ["the cat sat on the mat today",
    ...                   "The cat sat on the mat today!", "dogs bark"]})
    >>> dedup_arrow(table, id_field="id").column("id").to_pylist()
    ['a', 'c']
    >>> dedup_arrow(table, id_field="id", action="annotate").column("duplicate_of").to_pylist()
    [None, 'a', None]
    """
    import pyarrow as pa

    batch = isinstance(data, pa.RecordBatch)
    if not batch and not isinstance(data, pa.Table):
        raise TypeError(
            f"dedup_arrow takes a pyarrow Table or RecordBatch, got {type(data).__name__}"
        )
    table = pa.Table.from_batches([data]) if batch else data
    for what, col in (("text_field", text_field), ("id_field", id_field)):
        if col is not None and col not in table.column_names:
            raise ValueError(f"{what} {col!r} is not a column of the table: {table.column_names}")
        if col is not None and table.column_names.count(col) > 1:
            raise ValueError(f"the table has more than one column named {col!r}")
    unit = _unit(config, index)
    names = _check_action(action, prefix, table.column_names, unit)
    rows = range(table.num_rows)
    texts = _texts(table.column(text_field).to_pylist(), rows, text_field)
    ids = (
        _ids(table.column(id_field).to_pylist(), rows, id_field)
        if id_field is not None
        else [str(n) for n in rows]
    )
    items = _decide(texts, ids, "<Arrow table>", config, index, stats)
    text_type = table.schema.field(text_field).type
    position = table.column_names.index(text_field)
    if action == "remove":
        out = table.filter(pa.array([item.kept for item in items], pa.bool_()))
        if unit != "doc":
            new = pa.array([item.text for item in items if item.kept], text_type)
            out = out.set_column(position, table.schema.field(text_field), new)
    else:
        out = table
        if unit != "doc":
            new = pa.array(
                [item.text if item.kept else t for item, t in zip(items, texts, strict=True)],
                text_type,
            )
            out = out.set_column(position, table.schema.field(text_field), new)
        cols = _annotations(items, unit)
        types = {
            "duplicate": pa.bool_(),
            "duplicate_of": pa.string(),
            "cluster": pa.string(),
            "score": pa.float64(),
            "reason": pa.string(),
            "blocks": None,  # list<struct>, inferred
        }
        for name, key in zip(names, cols, strict=True):
            out = out.append_column(name, pa.array(cols[key], types[key]))
    if not batch:
        return out
    batches = out.combine_chunks().to_batches()
    return batches[0] if batches else pa.RecordBatch.from_pylist([], schema=out.schema)


def dedup_dataset(
    ds: Any,
    *,
    text_field: str = "text",
    id_field: str | None = None,
    config: DedupConfig | None = None,
    index: Index | None = None,
    action: Action = "remove",
    prefix: str = "",
    stats: DedupStats | None = None,
    batch_size: int = 1000,
) -> Any:
    """Deduplicate the rows of a Hugging Face ``datasets.Dataset``; a ``Dataset`` comes back.

    The texts are read in batches of ``batch_size`` rows; the kept rows are picked
    with ``Dataset.select`` (so on-disk datasets stay on disk) and the annotation
    columns added with ``Dataset.add_column``.

    Parameters
    ----------
    ds : datasets.Dataset
        A map-style dataset (an ``IterableDataset`` has no length to select from:
        use :func:`textdedup.dedup_records` on it, which reads its rows as dicts).
    text_field, id_field, config, index, action, prefix, stats
        As in :func:`dedup_dataframe`; without ``id_field`` the ids are the row
        numbers (0, 1, ...).

    Returns
    -------
    datasets.Dataset
        The kept rows, or every row with the annotation columns; features of the
        other columns unchanged.

    Raises
    ------
    TypeError
        ``ds`` is not a ``Dataset``, or a text or id is of the wrong type.
    ValueError
        As in :func:`dedup_dataframe`.
    """
    import datasets

    if not isinstance(ds, datasets.Dataset):
        refuse_unreadable(ds, "dedup_dataset")
        raise TypeError(f"dedup_dataset takes a datasets.Dataset, got {type(ds).__name__}")
    if batch_size < 1:
        raise ValueError(f"batch_size must be >= 1, got {batch_size}")
    for what, col in (("text_field", text_field), ("id_field", id_field)):
        if col is not None and col not in ds.column_names:
            raise ValueError(f"{what} {col!r} is not a column of the dataset: {ds.column_names}")
    unit = _unit(config, index)
    names = _check_action(action, prefix, ds.column_names, unit)
    wanted = list(dict.fromkeys([text_field] + ([id_field] if id_field is not None else [])))
    texts: list[str] = []
    ids: list[str] = []
    plain = ds.select_columns(wanted).with_format(None)
    for batch in plain.iter(batch_size=batch_size):
        rows = range(len(texts), len(texts) + len(batch[text_field]))
        texts.extend(_texts(batch[text_field], rows, text_field))
        if id_field is not None:
            ids.extend(_ids(batch[id_field], rows, id_field))
    if id_field is None:
        ids = [str(n) for n in range(len(texts))]
    items = _decide(texts, ids, "<Dataset>", config, index, stats)
    if action == "remove":
        out = ds.select([n for n, item in enumerate(items) if item.kept])
        new = [item.text for item in items if item.kept]
    else:
        out = ds
        new = [item.text if item.kept else t for item, t in zip(items, texts, strict=True)]
    if unit != "doc":
        out = out.map(
            lambda b, idx: {text_field: [new[i] for i in idx]},
            batched=True,
            with_indices=True,
            desc="writing the rewritten texts",
        )
    if action == "annotate":
        cols = _annotations(items, unit)
        features = {
            "duplicate": datasets.Value("bool"),
            "duplicate_of": datasets.Value("string"),
            "cluster": datasets.Value("string"),
            "score": datasets.Value("float64"),
            "reason": datasets.Value("string"),
            "blocks": None,
        }
        for name, key in zip(names, cols, strict=True):
            out = out.add_column(name, cols[key], feature=features[key])
    return out


def to_datasketch(signatures: SignatureArray) -> list[Any]:
    """textdedup signatures as datasketch ``MinHash`` objects, one per text.

    The objects give datasketch users the estimates textdedup computes:
    ``m[i].jaccard(m[j])`` equals :func:`textdedup.jaccard_estimate` of the two rows,
    and a ``MinHashLSH`` with the same bands and rows (``params=(bands, rows)``) finds
    the same candidate pairs as :func:`textdedup.candidate_pairs`. Each carries the
    ``settings`` that made it; comparing it with a MinHash made by datasketch's own
    hashing, or with other settings, raises ``ValueError``, and ``update`` raises
    ``TypeError`` (textdedup's permutations are not datasketch's).

    Parameters
    ----------
    signatures : SignatureArray
        ``(n_texts, num_perm)`` uint32, from :meth:`textdedup.MinHasher.signatures`.

    Returns
    -------
    list of datasketch.MinHash
        Of the subclass ``textdedup._datasketch.TextdedupMinHash``, scheme ``affine32``.

    Raises
    ------
    TypeError
        ``signatures`` is not a SignatureArray (a plain array carries no settings).

    Examples
    --------
    >>> from textdedup import MinHasher, jaccard_estimate
    >>> sig = MinHasher(num_perm=64, ngram=2).signatures(["a b c d e f", "a b c d e g"])
    >>> m = to_datasketch(sig)
    >>> m[0].jaccard(m[1]) == jaccard_estimate(sig[0], sig[1])
    True
    """
    from ._datasketch import to_datasketch as export

    return list(export(signatures))


def from_datasketch(minhashes: Iterable[Any]) -> SignatureArray:
    """datasketch ``MinHash`` objects as one signature array, to use with textdedup's LSH.

    MinHashes exported by :func:`to_datasketch` come back exactly, with their
    settings. MinHashes made by datasketch (scheme ``affine32`` or ``legacy``: 32-bit
    values) keep their values; their settings name datasketch's hash
    (``"hash": "datasketch-affine32-sha1_hash32"``), so :meth:`textdedup.MinHasher.check`
    refuses to compare them with textdedup's own signatures, which hash otherwise.
    :func:`textdedup.band_keys`, :func:`textdedup.candidate_pairs` and
    :func:`textdedup.jaccard_estimate` take them as they are. A ``MinHashLSH`` keeps
    only band hashes, not signatures: export the MinHashes it was built from.

    Parameters
    ----------
    minhashes : iterable of datasketch.MinHash
        All with the same number of permutations, seed and scheme.

    Returns
    -------
    SignatureArray
        ``(len(minhashes), num_perm)`` uint32.

    Raises
    ------
    TypeError
        An item is not a MinHash, or one MinHash is passed instead of a list.
    ValueError
        No MinHash, MinHashes made with different settings, or 64-bit values
        (scheme ``affine64``).

    Examples
    --------
    >>> from datasketch import MinHash
    >>> m = MinHash(num_perm=16)
    >>> m.update(b"word")
    >>> sig = from_datasketch([m, m.copy()])
    >>> sig.shape, sig.dtype, sig.settings["hash"]
    ((2, 16), dtype('uint32'), 'datasketch-affine32-sha1_hash32')
    """
    from ._datasketch import from_datasketch as load

    return load(minhashes)
