"""Contamination at span level: how much of each test item occurs in training text.

Sits beside :mod:`textdedup.passages` and uses its keys and seeds. The test set is
indexed (its word shingles) and the training documents are streamed through that
index once, in worker processes when asked (the scalable direction: the training data
may be far larger than memory and than the test set). Per item the result gives the
share of its words covered by training text, the covered spans of the item and where
they occur (character spans of the texts as written), either by textdedup's definition
(shingles of boilerplate ignored, coverage by one training document) or by the 13-gram
rule of the common evaluation harnesses (Brown et al., "Language Models are Few-Shot
Learners", 2020, appendix C: an item is dirty if any 13-gram of it occurs in the
training data), so figures are comparable with published decontamination reports.

The result does not depend on the number of workers: training documents are scanned
in chunks and the chunks' hits are merged in input order.
"""

from __future__ import annotations

import itertools
import multiprocessing
from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from .interop import refuse_unreadable
from .normalize import KeyConfig
from .passages import U64, _chain, _groups, _in_sorted, _prepare, auto_doc_freq

__all__ = ["DEFINITIONS", "Contamination", "SourceSpan", "contamination"]

Definition = Literal["textdedup", "ngram13"]
#: Accepted values of ``definition`` in :func:`contamination`.
DEFINITIONS: tuple[Definition, ...] = ("textdedup", "ngram13")

# (shingle hash, first word, char start, char end) of one shingle in one training document
_Hit = tuple[int, int, int, int]
_HITS_KEPT = 64  # places of one shingle kept while streaming, with max_doc_freq=None


@dataclass(frozen=True, slots=True)
class SourceSpan:
    """Where part of a test item occurs in one training document.

    ``item_start:item_end`` is a span of the item, ``start:end`` the span of training
    document ``doc`` (its position in the training stream) that it matches.
    """

    doc: int
    item_start: int
    item_end: int
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Contamination:
    """How much of one test item occurs in the training text.

    ``coverage`` is the share of the item's words covered by matches, in [0, 1] (how
    it is counted depends on the definition, see :func:`contamination`); ``spans``
    the covered character spans of the item that count, merged; ``sources`` where they
    occur in training documents (at most ``max_sources`` documents, those covering most
    first); ``contaminated`` applies the definition's rule.
    """

    item: int
    words: int
    coverage: float
    contaminated: bool
    spans: tuple[tuple[int, int], ...]
    sources: tuple[SourceSpan, ...]

    def to_dict(self, item_id: str, training_ids: Sequence[str]) -> dict[str, Any]:
        """One JSON line of ``check --training`` / ``passages --against``: the item's id,
        and each source named by ``training_ids[source.doc]``."""
        return {
            "id": item_id,
            "words": self.words,
            "coverage": self.coverage,
            "contaminated": self.contaminated,
            "spans": [list(span) for span in self.spans],
            "sources": [
                {
                    "id": training_ids[src.doc],
                    "item_start": src.item_start,
                    "item_end": src.item_end,
                    "start": src.start,
                    "end": src.end,
                }
                for src in self.sources
            ],
        }


def contamination(
    items: Sequence[str],
    training: Iterable[str],
    *,
    definition: Definition = "textdedup",
    threshold: float = 0.5,
    ngram: int | None = None,
    max_doc_freq: int | None = None,
    max_sources: int = 3,
    key: KeyConfig | None = None,
    workers: int = 1,
    chunk_size: int = 64,
    progress: Callable[[int], None] | None = None,
) -> list[Contamination]:
    """Report, per test item, the share of it that occurs in the training documents.

    The test set is indexed (its shingles) and the training documents are streamed
    through the index once, so the training data may be far larger than memory.

    Parameters
    ----------
    items:
        The test items (questions, passages), as written.
    training:
        The training documents, streamed once.
    definition:
        ``"ngram13"``: an item is contaminated if any of its ``ngram``-grams (default
        13, the rule of Brown et al. 2020) occurs in a training document; every
        shingle counts and ``coverage`` is the share of words covered by any training
        document. ``"textdedup"``: shingles (default 6 words, short enough that one
        changed word in a two-sentence item leaves both halves matched) found in more
        than ``max_doc_freq`` training documents are boilerplate and do not count;
        ``coverage`` is the largest share of the item's words covered by *one* training
        document (a copied item sits in one place, chance overlaps of common phrases are
        scattered), and the item is contaminated when it reaches ``threshold``.
    threshold:
        Share of words, in [0, 1], for ``"textdedup"``.
    ngram:
        Words per shingle; an item with fewer words than this is one shingle of all
        its words.
    max_doc_freq:
        See ``definition``; ``None``: :func:`textdedup.passages.auto_doc_freq` of the
        number of training documents (5 %, at least 4), known once they are read.
    max_sources:
        Training documents listed per item.
    key:
        How texts are reduced to keys.
    workers:
        Processes that scan training documents (``1``: this process). The result
        does not depend on it.
    chunk_size:
        Training documents sent to a worker at a time.
    progress:
        Called with the number of training documents scanned, as they are.

    Returns
    -------
    list of Contamination
        One per item, in order.

    >>> train = ["Long training text. " + " ".join(f"w{i}" for i in range(20)) + " more."]
    >>> items = [" ".join(f"w{i}" for i in range(20)), "A question nobody has seen before today."]
    >>> [(c.contaminated, c.coverage) for c in contamination(items, train)]
    [(True, 1.0), (False, 0.0)]
    """
    refuse_unreadable(items, "contamination")
    refuse_unreadable(training, "contamination")
    if definition not in DEFINITIONS:
        raise ValueError(f"definition must be one of {', '.join(DEFINITIONS)}, got {definition!r}")
    if not 0.0 <= threshold <= 1.0:
        raise ValueError(f"threshold must be in [0, 1], got {threshold}")
    n = ngram if ngram is not None else (13 if definition == "ngram13" else 6)
    if not 1 <= n <= 64:
        raise ValueError(f"ngram must be in [1, 64], got {n}")
    if max_doc_freq is not None and max_doc_freq < 1:
        raise ValueError(f"max_doc_freq must be >= 1, got {max_doc_freq}")
    for name, value in (("workers", workers), ("chunk_size", chunk_size)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValueError(f"{name} must be an int >= 1, got {value!r}")
    docs = [_prepare(t, key) for t in items]
    # An item shorter than the shingle is one shingle of all its words (as in Brown et
    # al.), matched against training shingles of that length.
    sizes = [min(n, d.tokens.size) for d in docs]
    item_sh = [d.shingles(m) for d, m in zip(docs, sizes, strict=True)]
    index: dict[int, U64] = {}
    for m in sorted(set(sizes) - {0}):
        index[m] = np.unique(
            np.concatenate([sh for sh, k in zip(item_sh, sizes, strict=True) if k == m])
        )
    doc_freq: dict[int, int] = defaultdict(int)
    # hash -> (training doc, first word, char span of the shingle there), a few per hash
    hits: dict[int, list[_Hit]] = defaultdict(list)
    # Training documents are read even when nothing is indexed: the caller counts them.
    hit_docs = _scanned(training, index, key, workers if index else 1, chunk_size, progress)
    # Places kept per shingle while streaming (the limit is known only at the end when
    # it follows the number of training documents).
    cap = max_doc_freq if max_doc_freq is not None else _HITS_KEPT
    read = 0
    for t, found in enumerate(hit_docs):
        read = t + 1
        for h, p, c0, c1 in found:
            doc_freq[h] += 1
            if len(hits[h]) <= cap:
                hits[h].append((t, p, c0, c1))
    if max_doc_freq is None:
        max_doc_freq = auto_doc_freq(read)
    out = []
    for i, (d, sh, m) in enumerate(zip(docs, item_sh, sizes, strict=True)):
        words = d.tokens.size
        covered = np.zeros(words, dtype=bool)
        # training doc -> (item word, training word, training char start, end)
        per_doc: dict[int, list[tuple[int, int, int, int]]] = defaultdict(list)
        for w, h in enumerate(sh.tolist()):
            if h not in hits:
                continue
            if definition == "textdedup" and doc_freq[h] > max_doc_freq:
                continue
            covered[w : w + m] = True
            for t, p, c0, c1 in hits[h]:
                per_doc[t].append((w, p, c0, c1))
        if definition == "textdedup" and per_doc:
            # Coverage by one training document: a copied item sits in one place, while
            # chance overlaps of common phrases are scattered over many documents.
            best = np.zeros(words, dtype=bool)
            for _, seeds in sorted(per_doc.items()):
                mask = np.zeros(words, dtype=bool)
                for w, *_ in seeds:
                    mask[w : w + m] = True
                if mask.sum() > best.sum():
                    best = mask
            covered = best
        coverage = float(covered.sum()) / words if words else 0.0
        if definition == "ngram13":
            hit = bool(covered.any())
        else:
            hit = bool(covered.any()) and coverage >= threshold
        spans = tuple(d.span(a, b) for a, b in _runs_of(covered))
        ranked = sorted(per_doc.items(), key=lambda kv: (-len(kv[1]), kv[0]))[:max_sources]
        sources = []
        for t, seeds in ranked:
            chars = {(p, iw): (c0, c1) for iw, p, c0, c1 in seeds}
            runs = sorted({(p, iw, m) for iw, p, _, _ in seeds}, key=lambda r: (r[1], r[0]))
            for chain in _chain(runs, m, m):
                i0 = min(r[1] for r in chain)
                i1 = max(r[1] + r[2] for r in chain)
                spans_t = [chars[(r[0], r[1])] for r in chain]
                s0, e0 = d.span(i0, i1)
                start = min(c0 for c0, _ in spans_t)
                end = max(c1 for _, c1 in spans_t)
                sources.append(SourceSpan(t, s0, e0, start, end))
        out.append(Contamination(i, words, round(coverage, 6), hit, spans, tuple(sources)))
    return out


def _scan(text: str, index: dict[int, U64], key: KeyConfig | None) -> list[_Hit]:
    """The first occurrence in ``text`` of every indexed shingle it holds."""
    if not index:
        if not isinstance(text, str):
            raise TypeError(f"expected str, got {type(text).__name__}")
        return []
    td = _prepare(text, key)
    out: list[_Hit] = []
    for m, wanted in index.items():
        sh = td.shingles(m)
        found = _in_sorted(sh, wanted)
        if not found.any():
            continue
        pos = np.flatnonzero(found)
        hv = sh[pos]
        order = np.argsort(hv, kind="stable")
        hv, pos = hv[order], pos[order]
        starts, _ = _groups(hv)
        for h, p in zip(hv[starts].tolist(), pos[starts].tolist(), strict=True):
            out.append((h, p, *td.span(p, p + m)))
    return out


_WORKER: tuple[dict[int, U64], KeyConfig | None] | None = None
# Chunks a training stream must reach before worker processes are started.
_SERIAL_CHUNKS = 4


def _init_worker(index: dict[int, U64], key: KeyConfig | None) -> None:
    global _WORKER
    _WORKER = (index, key)


def _scan_chunk(texts: list[str]) -> list[list[_Hit]]:
    if _WORKER is None:  # pragma: no cover - set by _init_worker
        raise RuntimeError("worker not initialized")
    index, key = _WORKER
    return [_scan(t, index, key) for t in texts]


def _scanned(
    training: Iterable[str],
    index: dict[int, U64],
    key: KeyConfig | None,
    workers: int,
    chunk_size: int,
    progress: Callable[[int], None] | None,
) -> Iterator[list[_Hit]]:
    """The hits of each training document, in input order, scanned by ``workers``."""
    source = iter(training)
    chunks = iter(lambda: list(itertools.islice(source, chunk_size)), [])
    # Starting processes costs seconds: a stream of a few chunks is scanned here.
    first = list(itertools.islice(chunks, _SERIAL_CHUNKS))
    if len(first) < _SERIAL_CHUNKS or len(first[-1]) < chunk_size:
        workers = 1
    chunks = itertools.chain(first, chunks)
    if workers == 1:
        for chunk in chunks:
            yield from (_scan(t, index, key) for t in chunk)
            if progress is not None:
                progress(len(chunk))
        return
    # forkserver: workers do not inherit this process's threads or open files.
    context = multiprocessing.get_context(
        "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
    )
    pool = ProcessPoolExecutor(
        max_workers=workers, mp_context=context, initializer=_init_worker, initargs=(index, key)
    )
    pending: deque[tuple[int, Future[list[list[_Hit]]]]] = deque()
    try:
        for chunk in chunks:
            for t in chunk:
                if not isinstance(t, str):  # fail here, naming the type, not in a worker
                    raise TypeError(f"expected str, got {type(t).__name__}")
            pending.append((len(chunk), pool.submit(_scan_chunk, chunk)))
            # A bounded window of chunks in flight: memory does not grow with the corpus.
            while len(pending) >= 4 * workers:
                n, future = pending.popleft()
                yield from future.result()
                if progress is not None:
                    progress(n)
        while pending:
            n, future = pending.popleft()
            yield from future.result()
            if progress is not None:
                progress(n)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _runs_of(mask: npt.NDArray[np.bool_]) -> list[tuple[int, int]]:
    """``[start, end)`` of every run of ``True`` in ``mask``."""
    padded = np.concatenate([[False], mask, [False]]).astype(np.int8)
    edges = np.flatnonzero(np.diff(padded))
    return [(int(a), int(b)) for a, b in zip(edges[::2], edges[1::2], strict=True)]
