"""Corpus deduplication: records in, records out, with an account of every removal.

Composes the stages for a corpus and holds no algorithm of its own: records are
turned into items (whole documents, or the paragraphs or lines of documents
cleaned one by one with :func:`textdedup.clean`), the :class:`~textdedup.engine.Engine`
decides, and the decisions are turned back into records. With an index, items
already in it take part as earlier copies that are always kept.
"""

from __future__ import annotations

import functools
import itertools
import json
import pickle
import re
import time
from array import array
from collections import OrderedDict, deque
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

import numpy as np
import numpy.typing as npt

from ._hashing import digest
from .clean import CleanConfig, CleanResult, _clean
from .config import DedupConfig
from .engine import SAMPLE_BANDS, Decisions, Engine, PairSample
from .engines.batches import block_output, removed_block
from .errors import InputError
from .fields import record_agree, record_digest_text, record_key, record_text
from .interop import refuse_unreadable
from .lsh import band_keys
from .normalize import normalize, normalize_key, normalize_keys_utf8
from .offsets import InputOffsets
from .progress import Progress
from .records import FolderWriter, Format, Record, RecordWriter
from .segment import Block
from .store import NameStore, SpillStore
from .verify import ShortText, short_texts_agree
from .windows import unit_blocks

if TYPE_CHECKING:
    from collections.abc import Callable

    from .index import Index
    from .records import ReadStats

__all__ = [
    "CheckResult",
    "DedupItem",
    "DedupStats",
    "check_records",
    "dedup_records",
    "dedup_to_output",
    "find_clusters",
    "index_entries",
    "is_folder_output",
    "open_output",
    "preview",
    "record_items",
    "run_settings",
    "write_json",
    "write_stats",
]


@dataclass(frozen=True, slots=True)
class DedupItem:
    """The decision about one record.

    ``text`` is the record's output text: unchanged for document units, rewritten
    (repeated blocks removed) for paragraph and line units. ``kept`` is false when
    the record is a duplicate (or, for block units, when nothing of it remains).
    ``duplicate_of`` names the kept record it duplicates, ``cluster`` the keeper of
    its cluster, ``score`` the verified similarity and ``reason`` why it went:
    ``"exact"`` (its text equals the kept record's after the cleaning normalization)
    or ``"near"`` (a verified near duplicate; the score is 1.0 when the comparison
    keys are equal but the texts differ, for example in case or punctuation).
    ``removed_blocks`` lists, for block units, each block removed because it
    occurs in an earlier record, as ``{"start", "end", "duplicate_of", "kept",
    "score", "reason"}``: ``start``/``end`` are offsets into ``record.text`` as read,
    ``kept`` is ``{"id", "start", "end"}``, the kept copy's record id and its offsets
    into that record as read (``None`` offsets for an item of an index, which stores
    keys only). ``in_document`` lists what the in-document cleaning removed first, as
    entries of ``clean``'s report (:meth:`~textdedup.clean.Removal.to_dict`) with
    offsets into ``record.text`` as read. ``record.text`` is always the text as read.
    """

    record: Record
    kept: bool
    text: str
    duplicate_of: str | None = None
    cluster: str | None = None
    score: float | None = None
    removed_blocks: tuple[dict[str, Any], ...] = ()
    reason: str | None = None
    in_document: tuple[dict[str, Any], ...] = ()

    def annotation(self) -> dict[str, Any]:
        """The field ``--action annotate`` adds."""
        out: dict[str, Any] = {
            "duplicate": not self.kept,
            "duplicate_of": self.duplicate_of,
            "cluster": self.cluster,
            "score": None if self.score is None else round(self.score, 6),
            "reason": self.reason,
        }
        if self.removed_blocks:
            out["blocks"] = list(self.removed_blocks)
        if self.in_document:
            out["in_document"] = list(self.in_document)
        return out

    @property
    def removes_something(self) -> bool:
        """Whether the record, or a block or span of it, is removed."""
        return not self.kept or bool(self.removed_blocks) or bool(self.in_document)


@dataclass(slots=True)
class DedupStats:
    """Counts of a run, filled in as it goes."""

    records: int = 0
    kept: int = 0
    removed: int = 0
    reasons: dict[str, int] = field(default_factory=dict)
    items: int = 0
    removed_items: int = 0
    clusters: int = 0
    candidates: int = 0
    #: Of ``candidates``, those the signature screen dropped before verification.
    screened: int = 0
    verified: int = 0
    prior_items: int = 0
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0
    #: What was decided from the items (``shingle="auto"``), for the summary.
    notes: list[str] = field(default_factory=list)
    #: The settings the run used, with ``shingle="auto"`` decided (set when it ends).
    config: DedupConfig | None = None
    #: Candidate pairs by score band, verified and rejected, with a few of each
    #: (:class:`textdedup.engine.PairSample` with item names); ``None`` in exact mode.
    pair_sample: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "records": self.records,
            "kept": self.kept,
            "removed": self.removed,
            "removed_by_reason": dict(sorted(self.reasons.items())),
            "items": self.items,
            "removed_items": self.removed_items,
            "clusters": self.clusters,
            "candidate_pairs": self.candidates,
            "screened_pairs": self.screened,
            "verified_pairs": self.verified,
            "index_items_compared": self.prior_items,
            "warnings": list(self.warnings),
            "notes": list(self.notes),
            "seconds": round(self.seconds, 3),
        } | ({} if self.pair_sample is None else {"candidate_pair_sample": self.pair_sample})

    def summary(self, read: ReadStats) -> str:
        """The summary ``dedup`` and ``find`` print on stderr: counts, notes, skipped
        records (from ``read``) and warnings, one per line."""
        reasons = ", ".join(f"{k}: {v}" for k, v in sorted(self.reasons.items())) or "none"
        lines = [
            f"read {self.records} records"
            + (f" ({read.skipped} skipped)" if read.skipped else "")
            + f"; kept {self.kept}, removed {self.removed}; removals by reason: {reasons}; "
            f"{self.clusters} clusters; {self.seconds:.1f}s"
        ]
        lines += self.notes
        lines += [f"skipped: {e}" for e in read.errors]
        lines += [f"warning: {w}" for w in self.warnings]
        return "\n".join(lines)


RecordLike = Record | dict[str, Any] | str
# Whole documents read before their keys are made together (normalize_keys_utf8).
_DOC_BATCH = 1024
_SURROGATE = re.compile("[\ud800-\udfff]")
# Segmentation of each block unit; windows are cut after in-document cleaning by sentence.
_MODE: dict[str, Literal["paragraph", "line", "sentence"]] = {
    "paragraph": "paragraph",
    "line": "line",
    "sentence": "sentence",
    "window": "sentence",
}


class _Owners:
    """Item number -> ``(record number, block number)`` (``-1`` for a whole document),
    held in two arrays: 16 bytes an item, not a list of tuples' hundred. With
    ``documents``, item ``i`` is record ``i``'s whole document, and nothing is held."""

    def __init__(self, *, documents: bool = False) -> None:
        self._documents = documents
        self._count = 0
        self._records = array("q")
        self._blocks = array("q")

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, i: int) -> tuple[int, int]:
        if self._documents:
            if not 0 <= i < self._count:
                raise IndexError(f"item {i} of {self._count}")
            return i, -1
        return self._records[i], self._blocks[i]

    def append(self, owner: tuple[int, int]) -> None:
        if self._documents and owner != (self._count, -1):
            raise ValueError(f"item {self._count} of documents is not record {owner}")
        self._count += 1
        if not self._documents:
            self._records.append(owner[0])
            self._blocks.append(owner[1])

    def extend_documents(self, count: int) -> None:
        """Add the whole documents of the next ``count`` records (``documents`` only)."""
        if not self._documents:
            raise ValueError("extend_documents() is for whole documents")
        self._count += count

    def records(self) -> npt.NDArray[np.int64]:
        """The record number of every item."""
        if self._documents:
            return np.arange(self._count, dtype=np.int64)
        return np.array(self._records, dtype=np.int64)


def _as_record(obj: RecordLike, n: int, text_field: str, fields: bool = False) -> Record:
    if isinstance(obj, Record):
        return obj
    if isinstance(obj, str):
        if fields:
            raise TypeError(f"record {n} is a string: comparing fields needs dict records")
        return Record(id=str(n), text=obj, path="<records>", line=n)
    if isinstance(obj, dict):
        text = obj.get(text_field)
        if fields and text is None:
            text = ""  # a record with fields needs no text field
        if not isinstance(text, str):
            raise TypeError(f"record {n} has no string field {text_field!r}")
        return Record(id=str(obj.get("id", n)), text=text, path="<records>", line=n, data=obj)
    raise TypeError(
        f"record {n}: records must be Record, dict or str, got {type(obj).__name__}"
        + (
            "; DataFrame.iterrows() gives tuples: use textdedup.interop.dedup_dataframe"
            if isinstance(obj, tuple)
            else ""
        )
    )


def _dump(record: Record, extra: dict[str, Any]) -> bytes:
    # Pickled, not JSON: a Parquet row's values keep their types (timestamps, decimals,
    # bytes) on the way to a Parquet output. A tuple, not a dict: the record goes in and
    # out once per run, and most of a small record's cost is its pickle's keys.
    # ``extra`` holds "text" (the text the items came from) or "text_field" (the field of
    # ``record.data`` that is that text: not stored twice), and for block units more.
    rest = {k: v for k, v in extra.items() if k not in ("text", "text_field")} or None
    payload = [
        record.id,
        record.path,
        record.line,
        record.data,
        record.raw,  # the line as read: a kept record is written as it
        extra.get("text"),
        extra.get("text_field"),
        rest,
    ]
    try:
        return pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL)
    except (pickle.PicklingError, TypeError, AttributeError):
        # A value pickle cannot store (an open file in a dict record): its text form.
        payload[3] = json.loads(json.dumps(record.data, default=str))
        return pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL)


def _dump_document(record: Record, text_field: str) -> bytes:
    """:func:`_dump` of a whole document with no ``extra`` but its text, without the
    per-record dict: the text is a field of the record already (the reader's text
    field, or another one holding it), spilled once, not twice."""
    data = record.data
    text = record.text
    held = (
        text_field
        if data is not None and data.get(text_field) is text
        else _field_holding(data, text)
    )
    if held is None:
        return _dump(record, {"text": text})
    payload = [record.id, record.path, record.line, data, record.raw, None, held, None]
    try:
        return pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL)
    except (pickle.PicklingError, TypeError, AttributeError):
        return _dump(record, {"text_field": held})


def _field_holding(data: dict[str, Any] | None, text: str) -> str | None:
    """The field of ``data`` whose value is ``text`` itself (the reader's text field)."""
    if data is None:
        return None
    for name, value in data.items():
        if value is text:
            return name if isinstance(name, str) else None
    return None


def _load(raw: bytes) -> tuple[Record, dict[str, Any]]:
    """The spilled record, its text the text it was spilled with, and what was spilled
    beside it (for block units; empty for documents)."""
    rid, path, line, data, body, text, held, rest = pickle.loads(raw)
    if text is None:
        text = data[held]
    return Record(rid, text, path, line, data, body), rest or {}


def dedup_records(
    records: Iterable[RecordLike],
    *,
    config: DedupConfig | None = None,
    index: Index | None = None,
    stats: DedupStats | None = None,
    text_field: str = "text",
    progress: Callable[[int], None] | None = None,
    on_kept: Callable[[str, str, int], None] | None = None,
    phases: Progress | None = None,
) -> Iterator[DedupItem]:
    """Deduplicate records: iterator in, iterator of decisions out, in input order.

    Every record is read before the first decision comes out (a duplicate can come
    last). With ``index``, records are also compared with the items already in it,
    which are always kept; the index itself is not changed here, but ``on_kept``
    is called with ``(item_id, key, length)`` for every new item that is kept, once
    every decision is made, so the caller can add them to an index.

    With ``index`` and no ``config``, the index's settings are used; a ``config``
    that means something else than the index raises
    :class:`~textdedup.index.IndexError_`.

    ``progress`` is called with 1 for every record read. ``phases`` (a
    :class:`~textdedup.progress.Progress`) is told each phase after reading, with its
    total: signatures, candidates, verifying, clustering, and writing (the decisions
    coming out); reading is the caller's to report, as only it knows the input sizes.

    Examples
    --------
    >>> docs = ["the cat sat on the mat today", "The cat sat on the mat today!", "dogs bark"]
    >>> [(d.record.id, d.kept, d.duplicate_of) for d in dedup_records(docs)]
    [('0', True, None), ('1', False, '0'), ('2', True, None)]
    """
    refuse_unreadable(records, "dedup_records")
    config = config or (index.config if index is not None else DedupConfig())
    if index is not None:
        index.check_config(config)
    stats = stats if stats is not None else DedupStats()
    started = time.perf_counter()
    engine = Engine(config)
    if phases is not None:
        engine.progress = phases
    spill = SpillStore()
    documents = config.level == "doc"
    owners = _Owners(documents=documents)  # item -> (record number, block number)
    # item -> its block's offsets into the record as read (the kept copy of a removal);
    # block units only
    spans_at: array[int] = array("q")
    # The records' ids by record number, on disk, then the ids of index items: 24 bytes
    # a record in memory (issue #14: memory at 1M documents). Repeated ids are found a
    # batch of records at a time (check_ids).
    names = NameStore()
    unchecked: list[str] = []  # ids of records read but not looked up yet
    # Whole documents go in batches: their keys, digests and spill in one pass each.
    batch: list[Record] | None = [] if documents and not config.fields else None

    def check_ids() -> None:
        """Refuse a repeated id: decisions and clusters name records by id."""
        repeat = names.extend(unchecked)
        unchecked.clear()
        if repeat is None:
            return
        first, _ = _load(spill.get(repeat.first))
        later, _ = _load(spill.get(repeat.later))
        raise InputError(
            f"id {later.id!r} is also the id of the record at "
            f"{first.path}:{first.line}; decisions and clusters name records by id, so "
            'each record needs its own (ids compare as text: 1 and "1" are one id). '
            "Name an id field whose values are unique (--id-field FIELD), or name "
            "every record FILE:LINE (--id-field '', or iter_records(..., id_field=''))",
            path=later.path,
            line=later.line,
        )

    def add_documents(docs: list[Record]) -> None:
        texts = [r.text for r in docs]
        keys = normalize_keys_utf8(texts, config.key)
        # One item per record, and index items come after all records: item and
        # record numbers are equal.
        n = engine.add_keys(keys, [len(t) for t in texts], texts)
        if n != len(owners):
            raise AssertionError(f"item {n} added for record {len(owners)}")
        owners.extend_documents(len(docs))
        unchecked.extend([r.id for r in docs])
        spill.extend([_dump_document(record, text_field) for record in docs])
        docs.clear()
        check_ids()

    try:
        for n, obj in enumerate(records):
            record = _as_record(obj, n, text_field, bool(config.fields))
            stats.records += 1
            if batch is not None:
                batch.append(record)
                if len(batch) >= _DOC_BATCH:
                    add_documents(batch)
                if progress is not None:
                    progress(1)
                continue
            found = _items(record, config)
            text, blocks, items = found.text, found.blocks, found.items
            spans = _input_spans(record.text, found.result, blocks)
            agree = record_agree(record.data or {}, config.fields) if config.fields else None
            numbers = []
            for b, key, length in items:
                numbers.append(len(owners))
                owners.append((n, b))
                if not documents:
                    spans_at.extend(spans[b])
                # The digest of the text as given; block texts come from the cleaned
                # (normalized) text already, documents are normalized only when needed.
                # A record with fields is its fields as written (exact only if equal).
                data = record.data or {}
                same = (
                    record_digest_text(data, config.fields)
                    if config.fields
                    else text
                    if blocks is None
                    else blocks[b].text
                )
                # The short-text rule reads numbers and words from the text as written.
                written = record_text(data, config.fields) if config.fields else same
                # A document's text digest is taken only if its key is not unique (solve).
                later = blocks is None and not config.fields
                engine.add(
                    key,
                    length=length,
                    text_digest=None if later else digest(same),
                    agree=agree,
                    text=written,
                    text_later=later,
                )
            extra: dict[str, Any] = {"text": text}
            held = _field_holding(record.data, text) if blocks is None else None
            if held is not None:
                # The text is a field of the record already: spilled once, not twice.
                extra = {"text_field": held}
            if blocks is not None:
                extra.update(
                    blocks=[[blk.start, blk.end] for blk in blocks],
                    spans=spans,
                    items=numbers,
                    cleaned=_in_document(record.text, found.result),
                    original=None if text == record.text else record.text,
                )
            spill.append(_dump(record, extra))
            unchecked.append(record.id)
            if len(unchecked) >= _DOC_BATCH:
                check_ids()
            if progress is not None:
                progress(1)
        if batch:
            add_documents(batch)
        check_ids()
        new_items = len(engine)
        n_records = len(names)

        def ids(item: int) -> str:
            """The id of the record item ``item`` belongs to (an index item's own id)."""
            if item >= new_items:
                return names[n_records + item - new_items]
            return names[owners[item][0]]

        if index is not None:
            stats.prior_items = _add_prior(engine, index, config, names)

        def normalized(items: list[int]) -> list[bytes]:
            texts = [_load(spill.get(owners[i][0]))[0].text for i in items]
            return [digest(normalize(t)) for t in texts]

        def text_digests(items: list[int]) -> list[bytes]:
            return [digest(_load(spill.get(owners[i][0]))[0].text) for i in items]

        doc_text = config.level == "doc" and not config.fields
        decisions = engine.solve(
            normalized=normalized if doc_text else None, text_digests=text_digests
        )
        if config.level != "doc":
            decisions = _keep_own_repeats(decisions, owners)
        stats.config = engine.config
        if engine.shingle_note:
            stats.notes.append(engine.shingle_note)
        _count(stats, decisions, new_items)
        if index is not None:
            _warn_indexed_again(stats, decisions, engine, owners, ids, new_items)
        if config.near:
            stats.pair_sample = _pair_sample(decisions.pairs, owners, ids, new_items)
        if on_kept is not None:
            for item in np.flatnonzero(~decisions.removed[:new_items]).tolist():
                n, b = owners[item]
                on_kept(
                    ids(item) if b < 0 else f"{ids(item)}#{b}",
                    engine.key(item),
                    engine.length(item),
                )
        out = (
            _doc_items(spill, decisions, ids, stats)
            if config.level == "doc"
            else _block_items(
                spill, decisions, owners, spans_at, ids, stats, cut=config.level != "window"
            )
        )
        if phases is not None:
            phases.start("writing", total=stats.records, unit="rec")
        for decided in out:
            yield decided
            if phases is not None:
                phases.update(1)
    finally:
        engine.close()
        spill.close()
        names.close()
        stats.seconds = time.perf_counter() - started


def record_items(
    record: Record, config: DedupConfig
) -> tuple[str, list[Block] | None, list[tuple[int, str, int]], list[dict[str, Any]]]:
    """The items of a record: ``(block number, key, length)``, ``-1`` for a whole document.

    Also returns the text the items come from (cleaned, for block units), its blocks
    (``None`` for documents) and what cleaning removed inside the document.
    """
    found = _items(record, config)
    removals = (
        [r.to_dict(found.result.source) for r in found.result.removals] if found.result else []
    )
    return found.text, found.blocks, found.items, removals


class _Items(NamedTuple):
    text: str
    blocks: list[Block] | None
    items: list[tuple[int, str, int]]
    result: CleanResult | None


def _items(record: Record, config: DedupConfig) -> _Items:
    if config.level == "doc":
        if config.fields:
            key = record_key(record.data or {}, config.fields)
            return _Items(record.text, None, [(-1, key, len(key))], None)
        return _Items(
            record.text,
            None,
            [(-1, normalize_key(record.text, config.key), len(record.text))],
            None,
        )
    return _text_items(record.text, config)


def _text_items(text: str, config: DedupConfig) -> _Items:
    # A block unit: only the text counts (a module-level function, for pool processes).
    cleaned, blocks, keys = _clean(text, _clean_config(config))
    if blocks is None or config.level not in ("paragraph", "line") or cleaned.mode != config.level:
        # The cleaner's blocks are the unit's only when nothing changed and the cleaner
        # segmented as the unit does (segment() by paragraph or line; sentence and
        # window units cut their own blocks, see unit_blocks).
        blocks, keys = unit_blocks(cleaned.text, config.level), None
    if keys is None:
        keys = [normalize_key(block.text, config.key) for block in blocks]
    items = [
        (b, key, len(block.text))
        for b, (block, key) in enumerate(zip(blocks, keys, strict=True))
        if len(key) >= config.min_length
    ]
    if not items and blocks:
        # No block long enough to count (a record of short lines: "ok", "thanks!"): the
        # record is one block, compared as a whole as the doc unit compares it, so an
        # exact copy of it is not kept (issue #12: no kept record repeats another).
        first, last = blocks[0], blocks[-1]
        text = cleaned.text[first.start : last.end]
        blocks = [Block(0, first.start, last.end, first.line_start, last.line_end, text)]
        items = [(0, normalize_key(text, config.key), len(text))]
    return _Items(cleaned.text, blocks, items, cleaned)


def _block_keys(text: str, config: DedupConfig) -> list[tuple[int, str, int]]:
    return _text_items(text, config).items


#: Distinct record texts :func:`index_entries` remembers the items of (at least).
_RECENT_TEXTS = 1 << 14
#: Characters of record text :func:`index_entries` cleans in this process before it
#: starts pool processes for the rest: a pool process costs about a CPU second before
#: it does any work (importing the package, then the compiled kernels), what cleaning
#: some 10M characters of ordinary records costs; from here on that is a third or less.
_POOL_AFTER_CHARS = 1 << 25


def index_entries(
    records: Iterable[Record],
    config: DedupConfig,
    *,
    workers: int | None = None,
    chunk_size: int = 64,
) -> Iterator[tuple[str, str, int]]:
    """The ``(doc_id, key, length)`` entries :meth:`Index.add <textdedup.index.Index.add>` takes.

    A whole document is one entry named by its id; a paragraph or line unit gives one
    entry per block long enough to count, named ``ID#N`` (``N`` the block's number in
    the cleaned text), as :func:`record_items` finds them. Block units clean every
    record first, the costly part, so past the first :data:`_POOL_AFTER_CHARS`
    characters (cleaned here) they share the records among ``workers`` processes,
    this one included (:func:`textdedup.clean_corpus.map_chunks`; ``None``: every
    core); the entries are the same, in the same order, for any count. A record
    whose text equals one of the last :data:`_RECENT_TEXTS` distinct
    texts (an exact copy) takes that text's items without being cleaned again.

    >>> from textdedup.records import Record
    >>> body = "A paragraph long enough to be a block of its own.\\n\\n"
    >>> body += "Another paragraph, just as long as the first one."
    >>> for entry in index_entries([Record("a", body, "-", 1)], DedupConfig(level="paragraph")):
    ...     print(entry)
    ('a#0', 'a paragraph long enough to be a block of its own', 49)
    ('a#1', 'another paragraph just as long as the first one', 49)
    """
    if config.level == "doc":
        for record in records:
            for _, key, length in _items(record, config).items:
                yield record.id, key, length
        return
    from .clean_corpus import default_workers, map_chunks

    count = default_workers() if workers is None else workers
    # A text met before (an exact copy of a record) has the same items: only the first
    # copy is cleaned. ``recent`` maps the last ``keep`` distinct texts to their items
    # (None while being cleaned); ``waiting`` holds the records read, in input order.
    keep = _RECENT_TEXTS
    recent: OrderedDict[str, list[tuple[int, str, int]] | None] = OrderedDict()
    waiting: deque[Record] = deque()

    def first_copies() -> Iterator[Record]:
        for record in records:
            waiting.append(record)
            if record.text in recent:
                recent.move_to_end(record.text)
                continue
            recent[record.text] = None
            if len(recent) > keep:
                recent.popitem(last=False)
            yield record

    def ready() -> Iterator[tuple[str, str, int]]:
        while waiting:
            record = waiting[0]
            if record.text not in recent:  # forgotten since (more than keep texts later)
                items = _block_keys(record.text, config)
            else:
                found = recent[record.text]
                if found is None:
                    return  # its first copy is not cleaned yet
                items = found
            waiting.popleft()
            for b, key, length in items:
                yield f"{record.id}#{b}", key, length

    def keyed() -> Iterator[tuple[list[Record], list[list[tuple[int, str, int]]]]]:
        chars = 0
        for chunk in chunks:
            yield chunk, [_block_keys(r.text, config) for r in chunk]
            chars += sum(len(r.text) for r in chunk)
            if count > 1 and chars >= _POOL_AFTER_CHARS:
                break  # a large input: the pool's start pays for itself
        yield from map_chunks(_block_keys, config, chunks, workers=count)

    source = first_copies()
    chunks = iter(lambda: list(itertools.islice(source, chunk_size)), [])
    for chunk, done in keyed():
        for record, items in zip(chunk, done, strict=True):
            if record.text in recent:
                recent[record.text] = items
        yield from ready()
    yield from ready()


def _input_spans(
    text: str, result: CleanResult | None, blocks: list[Block] | None
) -> list[tuple[int, int]]:
    """Each block's ``(start, end)`` in the record as read (blocks come from the cleaned text)."""
    if result is None or blocks is None:
        return []
    if result.text == text:
        return [(b.start, b.end) for b in blocks]
    where = InputOffsets(text, result)
    return [where.from_output(b.start, b.end) for b in blocks]


def _in_document(text: str, result: CleanResult | None) -> list[dict[str, Any]]:
    """What the in-document cleaning removed, with offsets into the record as read."""
    if result is None or not result.removals:
        return []
    entries = [r.to_dict(result.source) for r in result.removals]
    if result.source == text:
        return entries
    where = InputOffsets(text, result)
    return [where.removal(e) for e in entries]


@functools.lru_cache(maxsize=8)
def _clean_config(config: DedupConfig) -> CleanConfig:
    # Cached: one config serves every record of a run (configs are frozen).
    return CleanConfig(
        blocks=_MODE[config.level],
        keep="first" if config.keep == "longest" else config.keep,
        min_length=config.min_length,
        key=config.key,
    )


def _add_prior(engine: Engine, index: Index, config: DedupConfig, names: NameStore) -> int:
    """Add the index items that could match the new items, as prior (kept) items;
    their ids go to ``names``, after the records' (they may repeat a record's id)."""
    if len(engine) == 0:
        return 0
    keys = band_keys(engine.signatures(), config.lsh()) if config.near else None
    rows = index.candidates(keys, engine.digests)
    for row in rows:
        engine.add(row.key, length=row.length, prior=True, signature=row.signature)
    names.extend([row.doc_id for row in rows], check=False)
    return len(rows)


def _warn_indexed_again(
    stats: DedupStats,
    decisions: Decisions,
    engine: Engine,
    owners: _Owners,
    ids: Callable[[int], str],
    new_items: int,
) -> None:
    """Warn when new items are removed as copies of indexed items with their own ids
    and keys: the input (or part of it) was added to the index before.

    They are removed all the same (the greedy rule): an id names a record only as far
    as the caller makes it (positions, ``FILE:LINE`` of a file written again), so the
    same id and text is not proof of the same record.
    """
    keeper = decisions.keeper
    again = 0
    for item in np.flatnonzero(keeper[:new_items] >= new_items).tolist():
        k = int(keeper[item])
        b = owners[item][1]
        own = ids(item) if b < 0 else f"{ids(item)}#{b}"
        again += ids(k) == own and engine.digest_of(k) == engine.digest_of(item)
    if again:
        stats.warnings.append(
            f"{again} of {new_items} items were removed as copies of indexed items with the "
            "same id and text: was this input added to the index before? (a run against an "
            "index removes what the index holds; deduplicate it again with a new index)"
        )


def _count(stats: DedupStats, decisions: Decisions, new_items: int) -> None:
    removed = decisions.removed[:new_items]
    stats.items = new_items
    stats.removed_items = int(removed.sum())
    stats.candidates = decisions.candidates
    stats.screened = decisions.screened
    stats.verified = decisions.verified
    stats.clusters = int(np.unique(decisions.cluster[decisions.cluster >= 0]).size)
    stats.warnings.extend(decisions.warnings)


def _keep_own_repeats(d: Decisions, owners: _Owners) -> Decisions:
    """Keep the blocks whose keeper is a block of their own record.

    Each record went through ``clean`` first, whose in-document rule removed what was
    pasted again and kept what is structure (a refrain, a repeated answer, rows that
    differ in a number); the corpus step removes only blocks of earlier records.
    """
    n = len(owners)
    keeper = d.keeper.copy()
    items = np.flatnonzero(keeper[:n] != np.arange(n))
    record = owners.records()
    k = keeper[items]
    own = items[(k < n) & (record[np.minimum(k, n - 1)] == record[items])] if n else items
    if own.size == 0:
        return d
    keeper[own] = own
    exact = d.exact.copy()
    if exact.size:
        exact[own] = False
    score = d.score.copy()
    score[own] = 1.0
    return replace(d, keeper=keeper, exact=exact, score=score)


def _pair_sample(
    sample: PairSample, owners: _Owners, ids: Callable[[int], str], new_items: int
) -> dict[str, Any]:
    """``sample`` with record names: ``id`` for documents, ``id#block`` for blocks."""

    def name(i: int) -> str:
        if i >= new_items:
            return ids(i)  # an index item: the id it was added under
        b = owners[i][1]
        return ids(i) if b < 0 else f"{ids(i)}#{b}"

    width = 1 / SAMPLE_BANDS
    return {
        "bands": [
            {
                "low": round(b * width, 4),
                "high": round((b + 1) * width, 4),
                "verified": int(sample.counts[b, 1]),
                "rejected": int(sample.counts[b, 0]),
            }
            for b in range(SAMPLE_BANDS)
            if sample.counts[b].any()
        ],
        "pairs": [
            {
                "a": name(i),
                "b": name(j),
                "score": None if np.isnan(x) else round(float(x), 6),
                "verified": bool(ok),
                "why": "verified" if ok else "vetoed" if vetoed else "below threshold",
                "index": i >= new_items or j >= new_items,
            }
            for i, j, x, ok, vetoed in zip(
                sample.left.tolist(),
                sample.right.tolist(),
                sample.score.tolist(),
                sample.verified.tolist(),
                sample.vetoed.tolist(),
                strict=True,
            )
        ],
    }


def _doc_items(
    spill: SpillStore, d: Decisions, ids: Callable[[int], str], stats: DedupStats
) -> Iterator[DedupItem]:
    keeper = d.keeper.tolist()
    clusters = d.cluster.tolist()
    for n, raw in enumerate(spill):
        record, _ = _load(raw)
        k = keeper[n]
        c = clusters[n]
        cluster = None if c < 0 else record.id if c == n else ids(c)
        if k == n:
            stats.kept += 1
            yield DedupItem(record, True, record.text, cluster=cluster)
        else:
            reason = d.reason(n) or "near"
            stats.removed += 1
            stats.reasons[reason] = stats.reasons.get(reason, 0) + 1
            yield DedupItem(
                record, False, record.text, ids(k), cluster, float(d.score[n]), reason=reason
            )


def _block_items(
    spill: SpillStore,
    d: Decisions,
    owners: _Owners,
    spans_at: array[int],
    ids: Callable[[int], str],
    stats: DedupStats,
    *,
    cut: bool = True,
) -> Iterator[DedupItem]:
    for raw in spill:
        record, extra = _load(raw)
        removed: list[tuple[int, dict[str, Any]]] = []
        for item in extra["items"]:
            k = int(d.keeper[item])
            if k != item:
                b = owners[item][1]
                start, end = extra["spans"][b]
                # An index item (k past the new items) has no offsets: the index keeps keys.
                new = k < len(owners)
                if not cut and new and owners[k][0] == owners[item][0]:
                    continue  # overlapping windows of one record are not copies
                kept = {
                    "id": ids(k),
                    "start": spans_at[2 * k] if new else None,
                    "end": spans_at[2 * k + 1] if new else None,
                }
                removed.append(
                    (
                        b,
                        removed_block(
                            start, end, ids(k), kept, float(d.score[item]), d.reason(item)
                        ),
                    )
                )
        out = block_output(record.text, [tuple(s) for s in extra["blocks"]], removed)
        if not cut:
            # Windows overlap, and a verified window may hold words of its own: they are
            # reported, never cut (cut copied passages with textdedup.passages).
            out = out._replace(kept=True, text=record.text, duplicate_of=None)
        as_read = record.text if extra["original"] is None else extra["original"]
        original = Record(record.id, as_read, record.path, record.line, record.data)
        in_document = tuple(extra["cleaned"])
        in_doc = len(in_document)
        if in_doc:
            stats.reasons["in-document"] = stats.reasons.get("in-document", 0) + in_doc
        if removed:
            stats.reasons["corpus-block"] = stats.reasons.get("corpus-block", 0) + len(removed)
        if not out.kept:
            stats.removed += 1
            yield DedupItem(
                original,
                False,
                "",
                out.duplicate_of,
                None,
                None,
                out.removed,
                in_document=in_document,
            )
            continue
        stats.kept += 1
        yield DedupItem(
            original, True, out.text, removed_blocks=out.removed, in_document=in_document
        )


@dataclass(frozen=True, slots=True)
class CheckResult:
    """How much of one record already occurs in an index.

    ``jaccard`` is the best exact Jaccard similarity of shingle sets against a
    stored item, ``containment`` the best share of the record's shingles found in
    one stored item; ``match`` names that item. ``contaminated`` is true when
    either reaches the threshold.
    """

    record: Record
    match: str | None
    jaccard: float
    containment: float
    contaminated: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.record.id,
            "match": self.match,
            "jaccard": round(self.jaccard, 6),
            "containment": round(self.containment, 6),
            "contaminated": self.contaminated,
        }


def check_records(
    records: Iterable[RecordLike],
    index: Index,
    *,
    config: DedupConfig | None = None,
    text_field: str = "text",
    batch_size: int = 2048,
) -> Iterator[CheckResult]:
    """Report, for each record, the stored item it overlaps most (train/test contamination).

    Candidates come from the index's LSH bands and exact digests, so a short text
    copied into a much longer stored one is found only when their Jaccard
    similarity is high enough for LSH; its containment is then reported too.
    ``config`` defaults to the index's settings; one that means something else than
    the index raises :class:`~textdedup.index.IndexError_`. With an index of
    paragraphs or lines, each record is cut into the same blocks (as ``index add``
    cuts them) and every block is looked up: the record's result is its best block,
    and it is contaminated when any block is.
    """
    from .shingle import shingle_hashes

    refuse_unreadable(records, "check_records")
    config = config or index.config
    index.check_config(config)
    hasher = config.hasher()
    Best = tuple[str | None, float, float]

    def run(keys: list[str]) -> list[Best]:
        sig = hasher.signatures(keys) if config.near else None
        bk = band_keys(sig, config.lsh()) if sig is not None else None
        found = index.matches(bk, [digest(k) for k in keys])
        rows = {
            r.rowid: r for r in index.rows(sorted(set().union(*found.values())) if found else [])
        }
        out: list[Best] = []
        for q, key in enumerate(keys):
            cands = [rows[i] for i in sorted(found.get(q, ()))]
            sh = shingle_hashes(
                [key] + [c.key for c in cands], ngram=config.ngram, unit=config.shingle_unit
            )
            sets = [
                np.unique(sh.hashes[sh.offsets[i] : sh.offsets[i + 1]])
                for i in range(len(cands) + 1)
            ]
            best: Best = (None, 0.0, 0.0)
            # The short-text rule (DedupConfig.numbers), read from keys on both sides:
            # the index stores keys only.
            mine = ShortText.of(key)
            for c, other in zip(cands, sets[1:], strict=True):
                words = min(key.count(" "), c.key.count(" ")) + 1
                if config.numbers_apply(words) and not short_texts_agree(mine, c.key):
                    continue
                inter = np.intersect1d(sets[0], other, assume_unique=True).size
                union = sets[0].size + other.size - inter
                jac = inter / union if union else 1.0
                con = inter / sets[0].size if sets[0].size else 1.0
                if (jac, con) > best[1:]:
                    best = (c.doc_id, jac, con)
            out.append(best)
        return out

    def hit(best: Best) -> bool:
        return best[0] is not None and max(best[1], best[2]) >= config.threshold

    def flush(batch: list[tuple[Record, list[str]]]) -> Iterator[CheckResult]:
        results = iter(run([k for _, keys in batch for k in keys]))
        for record, keys in batch:
            bests = [next(results) for _ in keys]
            hits = [b for b in bests if hit(b)]
            best = max(hits or bests or [(None, 0.0, 0.0)], key=lambda b: (b[1], b[2]))
            yield CheckResult(record, best[0], best[1], best[2], bool(hits))

    batch: list[tuple[Record, list[str]]] = []
    queries = 0
    for n, obj in enumerate(records):
        record = _as_record(obj, n, text_field)
        if config.level == "doc":
            keys = [normalize_key(record.text, config.key)]
        else:
            keys = [key for _, key, _ in record_items(record, config)[2]]
        batch.append((record, keys))
        queries += len(keys)
        if queries >= batch_size:
            yield from flush(batch)
            batch, queries = [], 0
    if batch:
        yield from flush(batch)


def preview(text: str, width: int = 80) -> str:
    """The start of a text on one line: whitespace runs become one space, cut to ``width``.

    A lone surrogate (half an emoji cut by a scraper) becomes U+FFFD, since it cannot
    be written as UTF-8; a cut text ends with ``...``.

    >>> preview("a  long\\n\\ttext that goes on", width=12)
    'a long te...'
    """
    flat = " ".join(text[: width * 4].split())
    flat = _SURROGATE.sub("\ufffd", flat)
    return flat if len(flat) <= width else flat[: width - 3] + "..."


def find_clusters(
    records: Iterable[RecordLike],
    *,
    config: DedupConfig | None = None,
    stats: DedupStats | None = None,
    text_field: str = "text",
    phases: Progress | None = None,
) -> Iterator[dict[str, Any]]:
    """The duplicates :func:`dedup_records` finds, as JSON-ready rows; nothing is removed.

    What ``textdedup find`` writes, one row per line.

    Parameters
    ----------
    records, config, stats, text_field, phases
        As for :func:`dedup_records`.

    Yields
    ------
    dict
        With document units, one row per cluster of two or more records, in the
        order their first members were read: ``{"cluster", "kept", "size",
        "members"}``, ``cluster`` and ``kept`` the kept record's id, each member
        ``{"id", "kept", "score", "reason", "preview"}`` (``score`` rounded to 6
        places, ``reason`` ``exact`` or ``near`` as decided, ``None`` for the kept
        member, the ``preview`` the first 80 characters on one line). With paragraph and line
        units, one row per record that loses a block: ``{"id", "kept",
        "removed_blocks", "in_document"}`` (see :class:`DedupItem`). Rows come once
        every record is decided.

    Raises
    ------
    InputError, ValueError
        As :func:`dedup_records` does.

    Examples
    --------
    >>> docs = ["the cat sat on the mat today", "The cat sat on the mat today!", "dogs bark"]
    >>> [(row["kept"], row["size"]) for row in find_clusters(docs)]
    [('0', 2)]
    """
    config = config or DedupConfig()
    clusters: dict[str, list[dict[str, Any]]] = {}
    blocks: list[dict[str, Any]] = []
    for item in dedup_records(
        records, config=config, stats=stats, text_field=text_field, phases=phases
    ):
        if config.level == "doc" and item.cluster is not None:
            clusters.setdefault(item.cluster, []).append(
                {
                    "id": item.record.id,
                    "kept": item.kept,
                    "score": None if item.score is None else round(item.score, 6),
                    "reason": item.reason,
                    "preview": preview(item.text),
                }
            )
        elif config.level != "doc" and (item.removed_blocks or item.in_document):
            blocks.append(
                {
                    "id": item.record.id,
                    "kept": item.kept,
                    "removed_blocks": list(item.removed_blocks),
                    "in_document": list(item.in_document),
                }
            )
    for kept_id, members in clusters.items():
        yield {"cluster": kept_id, "kept": kept_id, "size": len(members), "members": members}
    yield from blocks


def dedup_to_output(
    records: Iterable[RecordLike],
    output: RecordWriter | FolderWriter,
    *,
    config: DedupConfig,
    index_path: str | None = None,
    action: Literal["remove", "annotate"] = "remove",
    annotate_field: str = "duplicate",
    removals_path: str | None = None,
    errors: str = "strict",
    stats: DedupStats | None = None,
    phases: Progress | None = None,
    inputs: Sequence[str] = (),
) -> int:
    """Deduplicate ``records`` into ``output``, then add the kept items to the index.

    What ``textdedup dedup`` does once its options are checked and its writer made.
    The output is renamed into place before the index commits: if the run dies in
    between, the index is unchanged and a rerun gives the same output. With
    ``action="annotate"`` every record is written with its text as read and the
    field ``annotate_field`` (:meth:`DedupItem.annotation`); otherwise the kept
    records, with their text as rebuilt (blocks removed). ``removals_path`` gets one
    JSON line per record that loses anything.

    Parameters
    ----------
    records
        As for :func:`dedup_records`.
    output : RecordWriter or FolderWriter
        Not entered yet: it is entered and closed (renamed into place) here.
    config : DedupConfig
        The settings; with ``index_path``, they must mean what the index's mean.
    index_path : str, optional
        A SQLite index (created if missing) the records are compared with, and that
        the kept items are added to after the output is in place.
    inputs : sequence of str
        The files and folders ``records`` are read from, if any: ``removals_path``
        and ``index_path`` may not be one of them (nor lie inside an input folder).
        Whatever ``inputs``, neither may be the output file, nor one another.

    Returns
    -------
    int
        The number of items added to the index (``0`` without one).

    Raises
    ------
    InputError, OutputError, IndexError_, ValueError
        A bad record, an output that cannot be written or that is an input or
        another output (:class:`~textdedup.errors.OutputConflictError`, before
        anything is read), an index made with other settings; nothing is added to
        the index then.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from textdedup.records import RecordWriter
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "kept.jsonl"
    >>> docs = ["the cat sat on the mat today", "The cat sat on the mat today!", "dogs"]
    >>> dedup_to_output(docs, RecordWriter(str(out)), config=DedupConfig())
    0
    >>> len(out.read_text().splitlines())
    2
    """
    import contextlib
    import json

    from .index import Index
    from .io import check_outputs

    if action not in ("remove", "annotate"):
        raise ValueError(f"action must be 'remove' or 'annotate', got {action!r}")
    check_outputs(
        list(inputs),
        {
            "{output}": output.path if isinstance(output, RecordWriter) else None,
            "{removals_path}": removals_path,
            "{index_path}": index_path,
        },
    )
    with contextlib.ExitStack() as stack:
        index = stack.enter_context(Index(index_path, config)) if index_path else None
        kept = stack.enter_context(SpillStore()) if index is not None else None

        def remember(item_id: str, key: str, length: int) -> None:
            if kept is not None:
                row = json.dumps([item_id, key, length], ensure_ascii=False)
                kept.append(row.encode("utf-8", "surrogatepass"))

        log = (
            stack.enter_context(RecordWriter(removals_path, errors=errors))
            if removals_path
            else None
        )
        with output as out:
            items = dedup_records(
                records,
                config=config,
                index=index,
                stats=stats,
                phases=phases,
                on_kept=remember if kept is not None else None,
            )
            for item in items:
                if log is not None and item.removes_something:
                    log.write_obj({"id": item.record.id, **item.annotation()})
                if action == "annotate":
                    # The text as read: annotate marks what would go and cuts nothing.
                    out.write(item.record, extra={annotate_field: item.annotation()})
                elif item.kept:
                    out.write(item.record, text=item.text)
        if index is None or kept is None:
            return 0
        return index.add(tuple(json.loads(raw)) for raw in kept)


def write_json(path: str, payload: Any, *, ensure_ascii: bool = True) -> None:
    """Write a JSON document (indented, one newline at the end) to ``path``, atomically,
    or to stdout for ``"-"``.

    Raises
    ------
    OSError
        When the file cannot be written; the previous file, if any, is left as it was.
    """
    import sys

    from .io import STDIN, atomic_write

    text = json.dumps(payload, ensure_ascii=ensure_ascii, indent=2) + "\n"
    if path == STDIN:
        sys.stdout.write(text)
        sys.stdout.flush()
    else:
        atomic_write(path, text)


def run_settings(config: DedupConfig) -> dict[str, Any]:
    """The settings of a run as JSON-ready values, for ``--stats`` (``review`` marks the
    threshold and draws the curve from them): the config's words, and with near
    duplicates and decided shingles the LSH bands and rows and the Jaccard they catch.

    >>> s = run_settings(DedupConfig())
    >>> s["unit"], s["threshold"], s["bands"] * s["rows"] <= s["num_perm"]
    ('doc', 0.7, True)
    """
    out: dict[str, Any] = {
        "unit": config.level,
        "mode": "near" if config.near else "exact",
        "threshold": config.threshold,
        "verify": config.verify,
        "num_perm": config.num_perm,
        "ngram": config.ngram,
        "shingle": config.shingle,
        "seed": config.seed,
        "numbers": config.numbers,
        "fields": list(config.fields),
    }
    if config.near and config.shingle != "auto":
        params = config.lsh()
        target = config.candidate_target()
        out.update(
            bands=params.bands,
            rows=params.rows,
            lsh_jaccard=params.threshold,
            lsh_source=target.source,
        )
    return out


def write_stats(
    path: str,
    stats: DedupStats,
    read: ReadStats,
    config: DedupConfig | None = None,
    *,
    uncounted: tuple[str, ...] = (),
) -> None:
    """Write the statistics of a run as JSON (:func:`write_json`): the counts of
    :meth:`DedupStats.to_dict`, the records skipped while reading, and the settings
    (:func:`run_settings`, from ``stats.config`` once the run decided ``shingle="auto"``,
    else from ``config``). The ``uncounted`` keys are ``null``: not known to the engine.

    Raises
    ------
    OutputConflictError
        ``path`` is one of the files read (``read.paths``) or inside an input folder.
    OSError
        When the file cannot be written.
    """
    from .io import check_output_file

    check_output_file(path, read.paths, what="{stats_path}")
    payload = {**stats.to_dict(), "skipped": read.skipped, "skipped_errors": read.errors}
    payload.update(dict.fromkeys(uncounted))
    config = stats.config or config  # with shingle="auto" decided, once the run is done
    if config is not None:
        payload["settings"] = run_settings(config)
    write_json(path, payload)


def is_folder_output(output: str) -> bool:
    """Whether ``output`` names a folder of text files: a name ending in a path
    separator, ``"."``, or an existing folder.

    >>> is_folder_output("out/"), is_folder_output("kept.jsonl")
    (True, False)
    """
    import os
    from pathlib import Path

    return output.endswith(("/", os.sep)) or output == "." or Path(output).is_dir()


def open_output(
    output: str,
    inputs: Sequence[str],
    *,
    action: Literal["remove", "annotate"] = "remove",
    output_format: str = "auto",
    text_field: str = "text",
    fmt: Format = "auto",
    encoding: str = "utf-8",
    errors: str = "strict",
    overwrite: bool = False,
    read: ReadStats | None = None,
    beside: Mapping[str, str | None] | None = None,
) -> RecordWriter | FolderWriter:
    """The writer of a deduplication's output ``output`` (not entered yet).

    A folder (:func:`is_folder_output`) gets a
    :class:`~textdedup.records.FolderWriter`: one text file per input text file,
    mirrored under the input's name, the folder replaced as a whole when the run
    ends; anything else a :class:`~textdedup.records.RecordWriter` (JSONL, Parquet,
    ..., by ``output_format`` or the suffix; ``"-"`` is JSONL on stdout; Parquet
    keeps the column types of ``read``'s Parquet inputs).

    Parameters
    ----------
    beside : mapping of str to str, optional
        Other output files of the run by parameter name (``stats_path``,
        ``index_path``, ``removals_path``): none may lie inside an output folder.

    Returns
    -------
    RecordWriter or FolderWriter

    Raises
    ------
    IncompatibleSettingsError
        A folder with ``action="annotate"`` or an ``output_format``.
    OutputError
        The output or a ``beside`` file is an input or lies inside an input folder,
        two of them name one file, the folder is not textdedup's own (or
        ``overwrite`` is not given), or holds one of the ``beside`` files
        (:class:`~textdedup.errors.OutputConflictError`, naming its parameter).
    ValueError
        ``action`` is neither ``"remove"`` nor ``"annotate"``.
    """
    from pathlib import Path

    from .errors import IncompatibleSettingsError, OutputConflictError, literal
    from .io import STDIN, check_outputs

    if action not in ("remove", "annotate"):
        raise ValueError(f"action must be 'remove' or 'annotate', got {action!r}")
    if not is_folder_output(output):
        check_outputs(
            list(inputs), {"{output}": output, **{f"{{{k}}}": v for k, v in (beside or {}).items()}}
        )
        return RecordWriter(
            output, text_field=text_field, errors=errors, fmt=output_format, source=read
        )
    check_outputs(list(inputs), {f"{{{k}}}": v for k, v in (beside or {}).items()})
    if action == "annotate":
        raise IncompatibleSettingsError("{action} annotate needs a JSONL output, not a folder")
    if output_format != "auto":
        raise IncompatibleSettingsError(
            f"{{output}} {literal(output)} is a folder of text files; {{output_format}} names"
            " a file's format"
        )
    writer = FolderWriter(
        output,
        list(inputs) or [STDIN],
        encoding=encoding,
        errors=errors,
        fmt=fmt,
        overwrite=overwrite,
    )
    for name, path in (beside or {}).items():
        if path and writer.path in Path(path).resolve().parents:
            raise OutputConflictError(
                f"{{{name}}} {literal(path)} is inside the output folder {literal(output)}, which"
                " is replaced as a whole; write it elsewhere"
            )
    return writer
