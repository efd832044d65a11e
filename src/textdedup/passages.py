"""Copied passages across documents: align two texts, find pairs in a corpus, and
cut copied passages out of the later documents.

Sits beside the block pipeline: where ``dedup`` compares whole blocks, this module
reports *spans*. Texts are reduced to their comparison keys (see
:func:`textdedup.normalize.key_with_offsets`), which fold every run of whitespace to
one space; a key is therefore the same whether the text was hard-wrapped, reflowed
(:mod:`textdedup.reflow`) or re-wrapped at another width, and every key offset maps
back to the text as written.

The aligner is seed-and-extend, as in BLAST and in text-reuse detectors (Potthast et
al., "An Evaluation Framework for Plagiarism Detection", COLING 2010, describe the task
and its measures): word n-gram shingles shared by both texts are the seeds; seeds on
one diagonal form maximal exact matches; matches whose ends lie within ``max_gap``
words in both texts are chained, so a changed, inserted or deleted word does not split
a passage; chains of at least ``min_words`` words whose exact matches cover at least
``min_score`` of them are reported as :class:`Passage` objects, with character spans in
both texts.

At corpus level (:func:`find_passages`) candidate pairs come from a seed index of rare
shingles, not from whole-document Jaccard LSH: a 50-word passage inside a
5,000-word document has a Jaccard similarity near 0.01 with it, but shares all its
shingles. Shingles found in more than ``max_doc_freq`` documents (boilerplate: licence
lines, navigation, headers) are not seeds, so documents that share only boilerplate are
never aligned on it.

Contamination at span level (a test set against training text) is in
:mod:`textdedup.contamination`, which uses this module's keys and seeds.
"""

from __future__ import annotations

import hashlib
import itertools
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import regex

from .interop import refuse_unreadable
from .normalize import KeyConfig, key_with_offsets
from .scripts import UNSPACED
from .shingle import mix64, token_hashes

__all__ = [
    "DocumentPassage",
    "Passage",
    "PassageCut",
    "align",
    "cut_passages",
    "find_passages",
]

U64 = npt.NDArray[np.uint64]
I64 = npt.NDArray[np.int64]

# Odd multipliers, one per position in a shingle, derived from a fixed seed.
_WEIGHTS = mix64(np.arange(1001, 1065, dtype=np.uint64)) | np.uint64(1)
_SINGLE = regex.compile(rf"[{UNSPACED}]|[^\s{UNSPACED}]+")

# Punctuation that belongs to the words beside it: opening marks before, closing after.
_OPENING = regex.compile(r"[\p{Ps}\p{Pi}\"'\u00bf\u00a1]")
_CLOSING = regex.compile(r"[\p{Pe}\p{Pf}\p{Po}]")
_SINGLE_SCRIPT = regex.compile(rf"[{UNSPACED}]")
_NONE = np.zeros(0, dtype=np.int64)


@dataclass(frozen=True, slots=True)
class Passage:
    """A passage of text ``b`` that copies text ``a``.

    ``a_start:a_end`` and ``b_start:b_end`` are character spans in the texts as given
    (not in their keys). ``words`` is the passage's length in words in ``b``,
    ``matched`` how many words lie in exact matches (the smaller count of the two
    sides; the rest were bridged), and ``score`` is
    ``matched / max(words in a, words in b)``, in [0, 1].
    """

    a_start: int
    a_end: int
    b_start: int
    b_end: int
    words: int
    matched: int
    score: float


@dataclass(frozen=True, slots=True)
class DocumentPassage:
    """A passage of document ``b`` that copies document ``a`` (indices, ``a < b``)."""

    a: int
    b: int
    passage: Passage


@dataclass(frozen=True, slots=True)
class _Doc:
    """A text's key reduced to words: token hashes, key spans and original offsets."""

    text: str
    offsets: I64  # key offset -> original offset (len(key) + 1 entries)
    wstart: I64  # key offset of each word's first character
    wend: I64  # key offset one past each word's last character
    tokens: U64

    def shingles(self, ngram: int) -> U64:
        n = self.tokens.size - ngram + 1
        if n <= 0 or ngram < 1:
            return np.zeros(0, dtype=np.uint64)
        acc = np.zeros(n, dtype=np.uint64)
        with np.errstate(over="ignore"):
            for t in range(ngram):
                acc += self.tokens[t : t + n] * _WEIGHTS[t]
        return mix64(acc)

    def span(self, w0: int, w1: int) -> tuple[int, int]:
        """Original character span of words ``[w0, w1)``, with the punctuation that
        clings to their outer edges (an opening quote, a closing full stop)."""
        text = self.text
        start = int(self.offsets[self.wstart[w0]])
        end = int(self.offsets[self.wend[w1 - 1] - 1]) + 1
        while start > 0 and _OPENING.match(text, start - 1):
            start -= 1
        while end < len(text) and _CLOSING.match(text, end):
            end += 1
        return start, end


def _prepare(text: str, key: KeyConfig | None) -> _Doc:
    if not isinstance(text, str):
        raise TypeError(f"expected str, got {type(text).__name__}")
    keytext, offsets = key_with_offsets(text, key)
    if keytext.isascii() or not _SINGLE_SCRIPT.search(keytext):
        # Keys hold single spaces between words: word bounds from the space positions.
        codes = np.frombuffer(keytext.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        space = np.flatnonzero(codes == 32)
        wstart = np.concatenate([[0], space + 1]).astype(np.int64) if codes.size else _NONE
        wend = np.concatenate([space, [codes.size]]).astype(np.int64) if codes.size else _NONE
    else:
        spans = [(m.start(), m.end()) for m in _SINGLE.finditer(keytext)]
        arr = np.asarray(spans, dtype=np.int64).reshape(-1, 2)
        wstart, wend = arr[:, 0].copy(), arr[:, 1].copy()
    tokens, _ = token_hashes([keytext])
    if tokens.size != wstart.size:  # a key character token_hashes splits differently
        tokens = np.asarray(
            [_hash_word(keytext[a:b]) for a, b in zip(wstart, wend, strict=True)],
            dtype=np.uint64,
        ).reshape(-1)
    return _Doc(text, offsets, wstart, wend, tokens)


def _hash_word(word: str) -> int:
    """A stable 64-bit hash of one word (used when token splits disagree)."""
    digest = hashlib.blake2b(word.encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return int.from_bytes(digest, "little")


def _check(ngram: int, min_words: int, max_gap: int, min_score: float) -> None:
    if not 1 <= ngram <= 64:
        raise ValueError(f"ngram must be in [1, 64], got {ngram}")
    if min_words < ngram:
        raise ValueError(f"min_words must be >= ngram ({ngram}), got {min_words}")
    if max_gap < 0:
        raise ValueError(f"max_gap must be >= 0, got {max_gap}")
    if not 0.0 <= min_score <= 1.0:
        raise ValueError(f"min_score must be in [0, 1], got {min_score}")


@dataclass(frozen=True, slots=True)
class _Seeds:
    """A text's shingle hashes sorted, with the word position of each."""

    hashes: U64
    positions: I64

    @classmethod
    def of(cls, shingles: U64) -> _Seeds:
        order = np.argsort(shingles, kind="stable")
        return cls(shingles[order], order.astype(np.int64))


def _groups(hashes: U64) -> tuple[I64, I64]:
    """Start and size of every run of equal values in a sorted array."""
    if hashes.size == 0:
        return _NONE, _NONE
    new = np.ones(hashes.size, dtype=bool)
    new[1:] = hashes[1:] != hashes[:-1]
    starts = np.flatnonzero(new)
    return starts, np.diff(np.append(starts, hashes.size))


def _in_sorted(values: U64, sorted_ref: U64) -> npt.NDArray[np.bool_]:
    if sorted_ref.size == 0 or values.size == 0:
        return np.zeros(values.size, dtype=bool)
    idx = np.minimum(np.searchsorted(sorted_ref, values), sorted_ref.size - 1)
    return np.asarray(sorted_ref[idx] == values)


def _matches(
    sa: _Seeds, sb: _Seeds, ngram: int, skip: U64 | None, max_pairs: int
) -> list[tuple[int, int, int]]:
    """Maximal exact word matches ``(a_word, b_word, length)`` from shared shingles."""
    ma = _in_sorted(sa.hashes, sb.hashes)
    mb = _in_sorted(sb.hashes, sa.hashes)
    if skip is not None and skip.size:
        ma &= ~_in_sorted(sa.hashes, skip)
        mb &= ~_in_sorted(sb.hashes, skip)
    ha, pa = sa.hashes[ma], sa.positions[ma]
    hb, pb = sb.hashes[mb], sb.positions[mb]
    if ha.size == 0:
        return []
    # Both sides hold the same hashes in the same sorted order: group k of one side
    # is group k of the other.
    ga, na = _groups(ha)
    gb, nb = _groups(hb)
    single = (na == 1) & (nb == 1)
    parts_a = [pa[ga[single]]]
    parts_b = [pb[gb[single]]]
    # A shingle repeated in a text (a refrain) pairs every copy with every copy, unless
    # that gives more than max_pairs seed pairs.
    for k in np.flatnonzero(~single & (na * nb <= max_pairs)).tolist():
        xa = pa[ga[k] : ga[k] + na[k]]
        xb = pb[gb[k] : gb[k] + nb[k]]
        parts_a.append(np.repeat(xa, xb.size))
        parts_b.append(np.tile(xb, xa.size))
    a = np.concatenate(parts_a)
    b = np.concatenate(parts_b)
    if a.size == 0:
        return []
    diag = b - a
    order = np.lexsort((a, diag))
    a, diag = a[order], diag[order]
    new = np.ones(a.size, dtype=bool)
    new[1:] = (diag[1:] != diag[:-1]) | (a[1:] != a[:-1] + 1)
    starts = np.flatnonzero(new)
    ends = np.append(starts[1:], a.size)
    run_a = a[starts]
    run_b = run_a + diag[starts]
    run_n = a[ends - 1] - run_a + ngram
    order = np.lexsort((run_a, run_b))
    return list(
        zip(run_a[order].tolist(), run_b[order].tolist(), run_n[order].tolist(), strict=True)
    )


def _chain(
    runs: list[tuple[int, int, int]], max_gap: int, ngram: int
) -> list[list[tuple[int, int, int]]]:
    """Chain matches in ``b`` order whose ends lie within ``max_gap`` words in both texts."""
    chains: list[list[tuple[int, int, int]]] = []
    ends: list[tuple[int, int]] = []  # (a_end, b_end) of each chain
    open_ends: list[tuple[int, int, int]] = []  # (b_end, a_end, chain index), recent ones
    overlap = ngram - 1 if max_gap > 0 else 0
    for a0, b0, n in runs:
        best = -1
        best_gap = max_gap + 1
        for b_end, a_end, c in open_ends:
            gb, ga = b0 - b_end, a0 - a_end
            if -overlap <= gb <= max_gap and -overlap <= ga <= max_gap and max(gb, ga) < best_gap:
                best, best_gap = c, max(gb, ga)
        if best < 0:
            chains.append([(a0, b0, n)])
            ends.append((a0 + n, b0 + n))
            best = len(chains) - 1
        else:
            chains[best].append((a0, b0, n))
            ends[best] = (max(ends[best][0], a0 + n), max(ends[best][1], b0 + n))
        a_end, b_end = ends[best]
        open_ends = [e for e in open_ends if e[2] != best and e[0] >= b0 - max_gap - ngram]
        open_ends.append((b_end, a_end, best))
    return chains


def _passages(
    da: _Doc,
    db: _Doc,
    runs: list[tuple[int, int, int]],
    *,
    min_words: int,
    max_gap: int,
    min_score: float,
    ngram: int,
) -> list[Passage]:
    out = []
    for chain in _chain(runs, max_gap, ngram):
        a0 = min(r[0] for r in chain)
        a1 = max(r[0] + r[2] for r in chain)
        b0 = min(r[1] for r in chain)
        b1 = max(r[1] + r[2] for r in chain)
        covered_b = np.zeros(b1 - b0, dtype=bool)
        covered_a = np.zeros(a1 - a0, dtype=bool)
        for ra, rb, n in chain:
            covered_b[rb - b0 : rb - b0 + n] = True
            covered_a[ra - a0 : ra - a0 + n] = True
        # Matched words on both sides: a phrase repeated in one text and chained twice
        # against one copy in the other covers more of one side than of the other.
        matched = int(min(covered_a.sum(), covered_b.sum()))
        words = b1 - b0
        score = matched / max(words, a1 - a0)
        if min(words, a1 - a0) < min_words or score < min_score:
            continue
        sa, ea = da.span(a0, a1)
        sb, eb = db.span(b0, b1)
        out.append(Passage(sa, ea, sb, eb, words, matched, round(score, 6)))
    out.sort(key=lambda p: (p.b_start, p.a_start))
    return out


def align(
    a: str,
    b: str,
    *,
    ngram: int = 8,
    min_words: int = 20,
    max_gap: int = 20,
    min_score: float = 0.8,
    key: KeyConfig | None = None,
    max_pairs: int = 64,
) -> list[Passage]:
    """Find the passages of ``b`` that copy ``a``.

    Parameters
    ----------
    a, b:
        The two texts, as written (hard-wrapped or not).
    ngram:
        Words per seed shingle.
    min_words:
        Shortest passage reported, in words of ``b`` (at least ``ngram``).
    max_gap:
        Longest run of unmatched words (in either text) bridged inside a passage;
        ``0`` reports maximal exact matches only.
    min_score:
        Smallest share of a passage's words that must lie in exact matches.
    key:
        How texts are reduced to keys (default :class:`KeyConfig`).
    max_pairs:
        A shingle that gives more seed pairs than this (repeated in both texts) is
        not used as a seed.

    Returns
    -------
    list of Passage
        Sorted by position in ``b``; spans are character offsets into ``a`` and ``b``.

    Raises
    ------
    ValueError
        If an option is out of range.

    >>> src = "Intro. " + " ".join(f"w{i}" for i in range(30)) + ". End."
    >>> copy = "Other words here. " + " ".join(f"w{i}" for i in range(30)) + " and more."
    >>> [(p.words, copy[p.b_start:p.b_end][:6]) for p in align(src, copy)]
    [(30, 'w0 w1 ')]
    """
    _check(ngram, min_words, max_gap, min_score)
    da, db = _prepare(a, key), _prepare(b, key)
    seeds_a, seeds_b = _Seeds.of(da.shingles(ngram)), _Seeds.of(db.shingles(ngram))
    runs = _matches(seeds_a, seeds_b, ngram, None, max_pairs)
    return _passages(
        da, db, runs, min_words=min_words, max_gap=max_gap, min_score=min_score, ngram=ngram
    )


def _doc_pairs(
    shingles: list[U64], max_doc_freq: int, min_seeds: int
) -> tuple[list[tuple[int, int]], U64]:
    """Candidate pairs sharing ``min_seeds`` rare shingles, and the common shingles."""
    hs = [np.unique(s) for s in shingles]
    if not hs:
        return [], np.zeros(0, dtype=np.uint64)
    h = np.concatenate(hs)
    d = np.repeat(np.arange(len(hs), dtype=np.int64), [x.size for x in hs])
    order = np.lexsort((d, h))
    h, d = h[order], d[order]
    uniq, first, counts = np.unique(h, return_index=True, return_counts=True)
    common = uniq[counts > max_doc_freq]
    pair_a: list[I64] = []
    pair_b: list[I64] = []
    for size in np.unique(counts[(counts >= 2) & (counts <= max_doc_freq)]).tolist():
        groups = first[counts == size]
        members = d[groups[:, None] + np.arange(size)]  # (n_groups, size), docs ascending
        for i, j in itertools.combinations(range(size), 2):
            pair_a.append(members[:, i])
            pair_b.append(members[:, j])
    if not pair_a:
        return [], common
    pa = np.concatenate(pair_a)
    pb = np.concatenate(pair_b)
    code = pa * len(hs) + pb
    codes, n = np.unique(code, return_counts=True)
    keep = codes[n >= min_seeds]
    return [(int(c // len(hs)), int(c % len(hs))) for c in keep], common


def find_passages(
    texts: Sequence[str],
    *,
    ngram: int = 8,
    min_words: int = 20,
    max_gap: int = 20,
    min_score: float = 0.8,
    max_doc_freq: int | None = None,
    min_seeds: int = 3,
    key: KeyConfig | None = None,
) -> list[DocumentPassage]:
    """Find passages copied between the documents of a corpus.

    Candidate pairs are documents that share at least ``min_seeds`` shingles found in
    at most ``max_doc_freq`` documents; each pair is aligned with :func:`align`'s
    method, skipping the common shingles. A passage is reported in the later
    document (``b``) against the earlier one (``a``); when text is copied into several
    documents, every pair is reported.

    Parameters
    ----------
    texts:
        The documents, as written.
    max_doc_freq:
        Shingles in more documents than this are boilerplate, never seeds; ``None``:
        :func:`auto_doc_freq` of the number of documents (5 %, at least 4), so a
        passage copied into a few documents of a large corpus still counts.
    min_seeds:
        Shared rare shingles a pair needs to be aligned.
    ngram, min_words, max_gap, min_score, key:
        As in :func:`align`.

    Returns
    -------
    list of DocumentPassage
        Sorted by ``(b, a, b_start)``; the same for the same input on every run.

    >>> body = " ".join(f"w{i}" for i in range(40))
    >>> docs = ["alpha " + body, "unrelated text only", "beta gamma " + body + " tail"]
    >>> [(m.a, m.b, m.passage.words) for m in find_passages(docs)]
    [(0, 2, 40)]
    """
    refuse_unreadable(texts, "find_passages")
    _check(ngram, min_words, max_gap, min_score)
    if max_doc_freq is None:
        max_doc_freq = auto_doc_freq(len(texts))
    if max_doc_freq < 2:
        raise ValueError(f"max_doc_freq must be >= 2, got {max_doc_freq}")
    if min_seeds < 1:
        raise ValueError(f"min_seeds must be >= 1, got {min_seeds}")
    docs = [_prepare(t, key) for t in texts]
    shingles = [d.shingles(ngram) for d in docs]
    pairs, common = _doc_pairs(shingles, max_doc_freq, min_seeds)
    seeds = {i: _Seeds.of(shingles[i]) for pair in pairs for i in pair}
    out = []
    for i, j in sorted(pairs, key=lambda p: (p[1], p[0])):
        runs = _matches(seeds[i], seeds[j], ngram, common, max_doc_freq**2)
        for p in _passages(
            docs[i],
            docs[j],
            runs,
            min_words=min_words,
            max_gap=max_gap,
            min_score=min_score,
            ngram=ngram,
        ):
            out.append(DocumentPassage(i, j, p))
    return out


@dataclass(frozen=True, slots=True)
class PassageCut:
    """One document with the passages it copies from earlier documents cut out.

    ``text`` is the document without them; ``removed`` the passages (each with the
    earlier document ``a`` it copies and spans in both, into the texts as written);
    ``spans`` the character spans of the document that were cut: the union of the
    removed passages' ``b`` spans, sorted and merged.
    """

    text: str
    removed: tuple[DocumentPassage, ...]
    spans: tuple[tuple[int, int], ...]


def auto_doc_freq(documents: int) -> int:
    """How many documents a shingle may be in and still count, by default: 5 % of
    ``documents``, at least 4. Boilerplate (a licence line, a newsletter notice) sits
    in a large share of a corpus; a copied passage, in a few documents."""
    return max(_MIN_DOC_FREQ, math.ceil(_DOC_FREQ_SHARE * documents))


_MIN_DOC_FREQ = 4
_DOC_FREQ_SHARE = 0.05
_WORD = regex.compile(r"[\p{L}\p{N}]+")


def _words(text: str) -> set[str]:
    """The words of ``text``, case folded (punctuation and spacing are not words)."""
    return {w.casefold() for w in _WORD.findall(text)}


def cut_passages(
    texts: Sequence[str],
    found: Iterable[DocumentPassage] | None = None,
    *,
    ngram: int = 8,
    min_words: int = 20,
    max_gap: int = 20,
    min_score: float = 0.8,
    max_doc_freq: int | None = None,
) -> list[PassageCut]:
    """Cut from each document the passages that copy an earlier document.

    The first copy of a passage, in input order, is kept: a passage is only ever cut
    from the later document ``b`` of a pair, and the earliest document holding a
    passage is no pair's later document for it. Nothing but reported passages is cut
    (their spans, bridged edits included: see ``max_gap``/``min_score`` in
    :func:`align`), and only a passage every word of which (case folded) occurs in the
    copy it repeats: an edit that brought in a word of its own (another value, another
    line of verse) keeps the passage whole, as it would lose unique text.

    Parameters
    ----------
    texts:
        The documents, as written, in input order.
    found:
        Passages from :func:`find_passages` on ``texts``; found here when ``None``.
    ngram, min_words, max_gap, min_score, max_doc_freq:
        As in :func:`find_passages`, when ``found`` is ``None``.

    Returns
    -------
    list of PassageCut
        One per document, in order.

    >>> body = " ".join(f"w{i}" for i in range(40))
    >>> cuts = cut_passages(["alpha " + body, "beta " + body + " tail"])
    >>> [c.text for c in cuts][1], cuts[1].spans
    ('beta  tail', ((5, 154),))
    """
    if found is None:
        found = find_passages(
            texts,
            ngram=ngram,
            min_words=min_words,
            max_gap=max_gap,
            min_score=min_score,
            max_doc_freq=max_doc_freq,
        )
    by_doc: dict[int, list[DocumentPassage]] = defaultdict(list)
    for m in found:
        p = m.passage
        # A passage is cut only when every word of it occurs in the copy it repeats:
        # the words an edit brought in (another value, a line of its own) are unique
        # text, and a cut would lose them. Such a passage is still found, not cut.
        if _words(texts[m.b][p.b_start : p.b_end]) <= _words(texts[m.a][p.a_start : p.a_end]):
            by_doc[m.b].append(m)
    out = []
    for n, text in enumerate(texts):
        removed = sorted(by_doc.get(n, []), key=lambda m: (m.passage.b_start, m.a))
        spans: list[tuple[int, int]] = []
        for m in removed:
            start, end = m.passage.b_start, m.passage.b_end
            if spans and start <= spans[-1][1]:
                spans[-1] = (spans[-1][0], max(spans[-1][1], end))
            else:
                spans.append((start, end))
        pieces, at = [], 0
        for start, end in spans:
            pieces.append(text[at:start])
            at = end
        pieces.append(text[at:])
        out.append(PassageCut("".join(pieces), tuple(removed), tuple(spans)))
    return out
