"""Runs at passage level: copied passages found, cut, or measured against training text.

What ``find --unit passage``, ``dedup --unit passage``, ``passages`` (with or without
``--against``) and ``check --training`` do once their options are parsed. The
algorithms are :func:`textdedup.passages.find_passages`,
:func:`textdedup.passages.cut_passages` and
:func:`textdedup.contamination.contamination`; this module reads the records given,
writes one JSON row per result to a writer, and counts what it did.

Every function takes a writer that is not entered yet (a
:class:`~textdedup.records.RecordWriter`, or a
:class:`~textdedup.records.FolderWriter` for :func:`cut_passages_to`), enters it,
and closes it: the output is renamed into place only when the run succeeds.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from .errors import InputError, NamedParameters, literal

if TYPE_CHECKING:
    from .passages import DocumentPassage
    from .records import FolderWriter, ReadStats, Record, RecordWriter

__all__ = [
    "ContaminationRun",
    "NoTrainingError",
    "PassageCuts",
    "PassageFind",
    "contamination_to",
    "cut_passages_to",
    "find_passages_to",
    "passage_row",
    "write_passage_stats",
]


def passage_row(ids: Sequence[str], found: DocumentPassage) -> dict[str, Any]:
    """One JSON row of a copied passage: the ids of the earlier (``a``) and later (``b``)
    record, the character spans in both, its length in words, the words in exact
    matches, and the score."""
    p = found.passage
    return {
        "a": ids[found.a],
        "b": ids[found.b],
        "a_start": p.a_start,
        "a_end": p.a_end,
        "b_start": p.b_start,
        "b_end": p.b_end,
        "words": p.words,
        "matched": p.matched,
        "score": p.score,
    }


def write_passage_stats(path: str, stats: dict[str, Any], read: ReadStats | None) -> None:
    """Write the statistics of a passage run as JSON, with the records read and skipped."""
    from .pipeline import write_json

    counts = (
        {"records": 0, "skipped": 0}
        if read is None
        else {
            "records": read.records,
            "skipped": read.skipped,
        }
    )
    write_json(path, {**stats, "read": counts})


@dataclass(frozen=True, slots=True)
class PassageFind:
    """What :func:`find_passages_to` found.

    Attributes
    ----------
    records : int
        Records read.
    passages : int
        Passages written, one row each.
    pairs : int
        Pairs of records that share at least one passage.
    """

    records: int
    passages: int
    pairs: int


def find_passages_to(
    records: Iterable[Record],
    writer: RecordWriter,
    *,
    ngram: int = 8,
    min_words: int = 20,
    max_gap: int = 20,
    min_score: float = 0.8,
    max_doc_freq: int | None = None,
) -> PassageFind:
    """Write every passage copied between ``records`` as one row (:func:`passage_row`).

    Parameters
    ----------
    records : iterable of Record
        Read whole (passages are found across all of them).
    writer : RecordWriter
        Not entered yet: entered and closed here.
    ngram, min_words, max_gap, min_score, max_doc_freq
        As for :func:`textdedup.passages.find_passages`.

    Returns
    -------
    PassageFind
        Records read, passages written, pairs of records.

    Raises
    ------
    InputError
        A bad record; the output is left as it was.
    ValueError
        A setting out of its bounds (named).
    """
    from .passages import find_passages

    with writer as out:
        items = list(records)
        found = find_passages(
            [r.text for r in items],
            ngram=ngram,
            min_words=min_words,
            max_gap=max_gap,
            min_score=min_score,
            max_doc_freq=max_doc_freq,
        )
        ids = [r.id for r in items]
        for m in found:
            out.write_obj(passage_row(ids, m))
    return PassageFind(
        records=len(items), passages=len(found), pairs=len({(m.a, m.b) for m in found})
    )


@dataclass(frozen=True, slots=True)
class PassageCuts:
    """What :func:`cut_passages_to` cut (or, annotating, would cut).

    Attributes
    ----------
    records : int
        Records read.
    changed : int
        Records that copy at least one passage of an earlier record.
    dropped : int
        Of those, records left with nothing but whitespace (not written).
    characters_cut : int
        Characters of the spans cut.
    passages : int
        Passage pairs with earlier records.
    spans : int
        Spans cut (one span may copy several earlier records).
    """

    records: int
    changed: int
    dropped: int
    characters_cut: int
    passages: int
    spans: int

    def to_dict(self) -> dict[str, int]:
        """The counts ``--stats`` writes."""
        return {
            "passages": self.passages,
            "records_changed": self.changed,
            "records_dropped": self.dropped,
            "characters_cut": self.characters_cut,
        }


def cut_passages_to(
    records: Iterable[Record],
    writer: RecordWriter | FolderWriter,
    *,
    action: Literal["remove", "annotate"] = "remove",
    annotate_field: str = "dedup",
    removals_path: str | None = None,
    errors: str = "strict",
    ngram: int = 8,
    min_score: float = 0.8,
) -> PassageCuts:
    """Cut from each record the passages it copies from an earlier record, into ``writer``.

    The first copy of a passage, in input order, is kept
    (:func:`textdedup.passages.cut_passages`). A record left with nothing but
    whitespace is dropped. With ``action="annotate"`` every record is written with
    its text as read and the field ``annotate_field``: ``{"kept", "passages",
    "cut"}``, each passage with its span (``start``, ``end``), the record it copies
    (``copy_of``, ``copy_start``, ``copy_end``), ``words``, ``matched`` and
    ``score``. ``removals_path`` gets one JSON line per record that loses a passage.

    Returns
    -------
    PassageCuts
        The counts of the run.

    Raises
    ------
    InputError
        A bad record; the outputs are left as they were.
    """
    from .passages import cut_passages
    from .records import RecordWriter

    items = list(records)
    cuts = cut_passages([r.text for r in items], ngram=ngram, min_score=min_score)
    ids = [r.id for r in items]
    changed = dropped = cut_chars = 0
    with contextlib.ExitStack() as stack:
        log = (
            stack.enter_context(RecordWriter(removals_path, errors=errors))
            if removals_path
            else None
        )
        with writer as out:
            for record, cut in zip(items, cuts, strict=True):
                entry = {
                    "passages": [
                        {
                            "start": m.passage.b_start,
                            "end": m.passage.b_end,
                            "copy_of": ids[m.a],
                            "copy_start": m.passage.a_start,
                            "copy_end": m.passage.a_end,
                            "words": m.passage.words,
                            "matched": m.passage.matched,
                            "score": m.passage.score,
                        }
                        for m in cut.removed
                    ],
                    "cut": [list(span) for span in cut.spans],
                }
                kept = not cut.removed or bool(cut.text.strip())
                if cut.removed:
                    changed += 1
                    dropped += not kept
                    cut_chars += sum(end - start for start, end in cut.spans)
                    if log is not None:
                        log.write_obj({"id": record.id, "kept": kept, **entry})
                if action == "annotate":
                    out.write(record, extra={annotate_field: {"kept": kept, **entry}})
                elif kept:
                    out.write(record, text=cut.text)
    return PassageCuts(
        records=len(items),
        changed=changed,
        dropped=dropped,
        characters_cut=cut_chars,
        passages=sum(len(c.removed) for c in cuts),
        spans=sum(len(c.spans) for c in cuts),
    )


class NoTrainingError(NamedParameters, InputError):
    """No training document was read: a contamination gate would pass any test set.

    Its template names the parameter that gave the training paths (``{training}``).
    """


@dataclass(frozen=True, slots=True)
class ContaminationRun:
    """What :func:`contamination_to` measured.

    Attributes
    ----------
    records : int
        Test records checked.
    contaminated : int
        Of those, records found in the training documents.
    training : int
        Training documents read.
    """

    records: int
    contaminated: int
    training: int

    @property
    def share(self) -> float:
        """The share of contaminated records (``0.0`` for no records)."""
        return self.contaminated / self.records if self.records else 0.0


def contamination_to(
    items: Iterable[Record],
    training: Iterable[Record],
    writer: RecordWriter,
    *,
    definition: Literal["textdedup", "ngram13"] = "textdedup",
    threshold: float = 0.5,
    ngram: int | None = None,
    max_doc_freq: int | None = None,
    workers: int = 1,
    progress: Callable[[int], None] | None = None,
    require_training: bool = False,
    training_paths: Sequence[str] = (),
) -> ContaminationRun:
    """Write, per record of ``items``, the share of it found in the ``training`` records.

    The training records are streamed once
    (:func:`textdedup.contamination.contamination`); each row is
    :meth:`textdedup.contamination.Contamination.to_dict`, with sources named by
    training record id.

    Parameters
    ----------
    items : iterable of Record
        The test records, read whole.
    training : iterable of Record
        The training records, streamed.
    writer : RecordWriter
        Not entered yet: entered and closed here.
    definition, threshold, ngram, max_doc_freq, workers, progress
        As for :func:`textdedup.contamination.contamination`.
    require_training : bool, default=False
        Raise :class:`NoTrainingError` when no training record was read (a gate
        that read nothing would pass); ``training_paths`` are named in it.

    Returns
    -------
    ContaminationRun
        Records checked, contaminated, and training documents read.

    Raises
    ------
    InputError
        A bad record; no training record read with ``require_training``. The output
        is left as it was.
    """
    from .contamination import contamination

    train_ids: list[str] = []

    def texts() -> Iterable[str]:
        for r in training:
            train_ids.append(r.id)
            yield r.text

    with writer as out:
        tests = list(items)
        results = contamination(
            [r.text for r in tests],
            texts(),
            definition=definition,
            threshold=threshold,
            ngram=ngram,
            max_doc_freq=max_doc_freq,
            workers=workers,
            progress=progress,
        )
        if require_training and not train_ids:
            paths = literal(", ".join(training_paths))
            raise NoTrainingError(
                f"no training documents were read from {{training}} {paths}: "
                "nothing to check against"
            )
        for r, c in zip(tests, results, strict=True):
            out.write_obj(c.to_dict(r.id, train_ids))
    return ContaminationRun(
        records=len(results),
        contaminated=sum(c.contaminated for c in results),
        training=len(train_ids),
    )
