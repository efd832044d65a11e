"""Why two texts are (or are not) duplicates: every score the flow computes, for one pair.

A diagnostic beside the flow: two texts in, one :class:`Explanation` out. It runs
the same stages a corpus run does with the same :class:`~textdedup.DedupConfig`
(key normalization, shingling, MinHash, LSH banding, verification) and reports
what each one saw: the exact and estimated Jaccard similarity of the shingle
sets, containment both ways, rapidfuzz scores of the keys, which LSH bands
collide, the verdict ``dedup`` would reach, and the aligned matching spans of
words with their character offsets in the original texts.

The spans come from one monotonic word alignment (rapidfuzz ``Indel.opcodes``,
a longest common subsequence): text moved to another place matches in one of
its two places only. :func:`word_diff` aligns the words as written the same way
and names what differs (words removed, added, changed); ``textdedup explain``
and ``textdedup review`` show it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
import regex
from rapidfuzz import fuzz
from rapidfuzz.distance import Indel

from .config import DedupConfig
from .lsh import LSHParams, band_keys
from .minhash import jaccard_estimate
from .normalize import key_with_offsets
from .shingle import _SINGLE_SCRIPTS, shingle_hashes
from .verify import (
    short_texts_differ,
)

__all__ = ["Explanation", "MatchSpan", "WordEdit", "explain", "format_explanation", "word_diff"]

# Words as the shingler sees them: runs of non-space, one character for scripts
# written without spaces.
_WORD = regex.compile(rf"[{_SINGLE_SCRIPTS}]|[^\s{_SINGLE_SCRIPTS}]+")

EditTag = Literal["equal", "delete", "insert", "replace"]


@dataclass(frozen=True, slots=True)
class WordEdit:
    """One step of the word alignment of A and B, with character spans in each.

    ``tag`` is ``equal`` (same words), ``delete`` (words of A missing from B),
    ``insert`` (words of B missing from A) or ``replace`` (words of A changed into
    words of B). ``a_start:a_end`` indexes A as written, ``b_start:b_end`` B; an
    empty side is the position where the words would go. ``words_a`` and
    ``words_b`` count the words on each side.
    """

    tag: EditTag
    a_start: int
    a_end: int
    b_start: int
    b_end: int
    words_a: int
    words_b: int

    def to_dict(self, a: str, b: str) -> dict[str, Any]:
        """A JSON-ready dict with the text of both sides."""
        return {
            "tag": self.tag,
            "a": [self.a_start, self.a_end],
            "b": [self.b_start, self.b_end],
            "a_text": a[self.a_start : self.a_end],
            "b_text": b[self.b_start : self.b_end],
        }


def _raw_words(text: str) -> tuple[list[str], list[tuple[int, int]]]:
    words, spans = [], []
    # The same word pattern, on the text as written (case and punctuation kept).
    for m in _WORD.finditer(text):
        words.append(m.group())
        spans.append(m.span())
    return words, spans


def word_diff(a: str, b: str) -> tuple[WordEdit, ...]:
    """Align the words of ``a`` and ``b`` as written and say what differs.

    Words are runs of non-space characters (one character for scripts written
    without spaces); case and punctuation count. The alignment is rapidfuzz's
    ``Indel.opcodes`` (a longest common subsequence of words); a deletion next to
    an insertion is reported as one ``replace``. The edits cover both word lists
    in order; the whitespace between words belongs to no edit.

    Parameters
    ----------
    a, b:
        The two texts.

    Returns
    -------
    tuple of WordEdit
        In order of position; empty when both texts have no words.

    >>> a, b = "the cat sat on the mat", "the cat sat on a red mat today"
    >>> for e in word_diff(a, b):
    ...     print(e.tag, repr(a[e.a_start : e.a_end]), repr(b[e.b_start : e.b_end]))
    equal 'the cat sat on' 'the cat sat on'
    replace 'the' 'a red'
    equal 'mat' 'mat'
    insert '' 'today'
    """
    if not isinstance(a, str) or not isinstance(b, str):
        raise TypeError(f"a and b must be str, got {type(a).__name__} and {type(b).__name__}")
    wa, pa = _raw_words(a)
    wb, pb = _raw_words(b)
    steps: list[list[Any]] = []
    for op in Indel.opcodes(wa, wb):
        tag, i1, i2, j1, j2 = op.tag, op.src_start, op.src_end, op.dest_start, op.dest_end
        if steps and tag != "equal" and steps[-1][0] in ("delete", "insert", "replace"):
            last = steps[-1]
            last[0] = "replace" if last[0] != tag else tag
            last[2], last[4] = i2, j2
            continue
        steps.append([tag, i1, i2, j1, j2])

    def span(pos: list[tuple[int, int]], start: int, end: int, size: int) -> tuple[int, int]:
        if end > start:
            return pos[start][0], pos[end - 1][1]
        at = pos[start][0] if start < len(pos) else size
        return at, at

    edits = []
    for tag, i1, i2, j1, j2 in steps:
        a0, a1 = span(pa, i1, i2, len(a))
        b0, b1 = span(pb, j1, j2, len(b))
        edits.append(WordEdit(tag, a0, a1, b0, b1, i2 - i1, j2 - j1))
    return tuple(edits)


@dataclass(frozen=True, slots=True)
class MatchSpan:
    """A run of ``words`` words found in both texts, with its character spans in each.

    ``a_start:a_end`` and ``b_start:b_end`` index the original texts (not the keys);
    ``text`` is the run as it reads in text A.
    """

    words: int
    a_start: int
    a_end: int
    b_start: int
    b_end: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "words": self.words,
            "a": [self.a_start, self.a_end],
            "b": [self.b_start, self.b_end],
            "text": self.text,
        }


@dataclass(frozen=True, slots=True)
class Explanation:
    """Every score of one pair of texts, and the verdict ``dedup`` would reach.

    ``containment_a`` is the share of A's shingles found in B (``|A & B| / |A|``),
    ``containment_b`` the share of B's found in A. ``bands`` lists the LSH bands
    whose keys collide; the pair is a ``candidate`` when there is one (an empty
    text never is). ``duplicate`` is the decision: a candidate whose ``score``
    (the one ``config.verify`` names) is at or above the threshold. ``matched_words``
    counts the words of A inside the alignment; ``spans`` are its longest runs.
    """

    config: DedupConfig
    bands_total: int
    rows: int
    shingles_a: int
    shingles_b: int
    shared: int
    jaccard: float
    jaccard_estimate: float
    containment_a: float
    containment_b: float
    ratio: float
    partial_ratio: float
    token_sort_ratio: float
    bands: tuple[int, ...]
    lsh_probability: float
    candidate: bool
    score: float
    duplicate: bool
    reason: str
    words_a: int
    words_b: int
    matched_words: int
    spans: tuple[MatchSpan, ...]
    diff: tuple[WordEdit, ...] = ()
    a: str = ""
    b: str = ""
    lsh_jaccard: float = 0.0
    lsh_source: str = ""

    def diff_counts(self) -> dict[str, int]:
        """Words removed from A, added in B, and changed (words of A, words of B)."""
        out = {"removed": 0, "added": 0, "changed_a": 0, "changed_b": 0}
        for e in self.diff:
            if e.tag == "delete":
                out["removed"] += e.words_a
            elif e.tag == "insert":
                out["added"] += e.words_b
            elif e.tag == "replace":
                out["changed_a"] += e.words_a
                out["changed_b"] += e.words_b
        return out

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict of the explanation."""
        c = self.config
        return {
            "settings": {
                "threshold": c.threshold,
                "verify": c.verify,
                "num_perm": c.num_perm,
                "ngram": c.ngram,
                "shingle": c.shingle,
                "seed": c.seed,
                "bands": self.bands_total,
                "rows": self.rows,
                "lsh_jaccard": round(self.lsh_jaccard, 6),
                "lsh_source": self.lsh_source,
                "numbers": c.numbers,
            },
            "shingles": {"a": self.shingles_a, "b": self.shingles_b, "shared": self.shared},
            "jaccard": round(self.jaccard, 6),
            "jaccard_estimate": round(self.jaccard_estimate, 6),
            "containment": {
                "a_in_b": round(self.containment_a, 6),
                "b_in_a": round(self.containment_b, 6),
            },
            "fuzz": {
                "ratio": round(self.ratio, 6),
                "partial_ratio": round(self.partial_ratio, 6),
                "token_sort_ratio": round(self.token_sort_ratio, 6),
            },
            "lsh": {
                "colliding_bands": list(self.bands),
                "probability": round(self.lsh_probability, 6),
                "candidate": self.candidate,
            },
            "score": round(self.score, 6),
            "duplicate": self.duplicate,
            "reason": self.reason,
            "words": {"a": self.words_a, "b": self.words_b, "matched": self.matched_words},
            "spans": [s.to_dict() for s in self.spans],
            "diff": {
                **self.diff_counts(),
                "edits": [e.to_dict(self.a, self.b) for e in self.diff if e.tag != "equal"],
            },
        }


@lru_cache(maxsize=64)
def _lsh(config: DedupConfig) -> LSHParams:
    """Bands and rows of a config (the optimizer's search is worth remembering)."""
    return config.lsh()


def _set(sh: Any, i: int) -> npt.NDArray[np.uint64]:
    return np.unique(sh.hashes[sh.offsets[i] : sh.offsets[i + 1]])


def _words(text: str, config: DedupConfig) -> tuple[list[str], list[tuple[int, int]]]:
    """Words of ``text``'s key and each word's character span in ``text``."""
    key, offsets = key_with_offsets(text, config.key)
    words, spans = [], []
    for m in _WORD.finditer(key):
        words.append(m.group())
        spans.append((int(offsets[m.start()]), int(offsets[m.end() - 1]) + 1))
    return words, spans


def explain(a: str, b: str, *, config: DedupConfig | None = None, spans: int = 5) -> Explanation:
    """Explain how the flow sees the pair ``a``, ``b`` under ``config``.

    Parameters
    ----------
    a, b:
        The two texts, as written (normalization happens here).
    config:
        The corpus settings to explain (threshold, verification, MinHash and
        shingling); the defaults of ``dedup`` when ``None``.
    spans:
        How many of the longest matching runs to report.

    >>> e = explain("The cat sat on the mat, all day long.", "the cat sat on the MAT all day")
    >>> round(e.jaccard, 2), round(e.containment_b, 2), e.candidate, e.duplicate
    (0.8, 1.0, True, True)
    >>> s = e.spans[0]
    >>> s.words, s.a_start, s.a_end, s.b_start, s.b_end
    (8, 0, 31, 0, 30)
    """
    if not isinstance(a, str) or not isinstance(b, str):
        raise TypeError(f"a and b must be str, got {type(a).__name__} and {type(b).__name__}")
    if isinstance(spans, bool) or not isinstance(spans, int) or spans < 0:
        raise ValueError(f"spans must be an int >= 0, got {spans!r}")
    config = config or DedupConfig()
    keys = [key_with_offsets(t, config.key)[0] for t in (a, b)]
    # shingle="auto" is decided as a run would decide it on these two texts.
    config = config.resolved(float(np.median([len(k.split()) for k in keys])))
    hasher = config.hasher()
    params = _lsh(config)
    sh = shingle_hashes(keys, ngram=config.ngram, unit=config.shingle_unit, workers=1)
    sa, sb = _set(sh, 0), _set(sh, 1)
    shared = int(np.intersect1d(sa, sb, assume_unique=True).size)
    union = sa.size + sb.size - shared
    jaccard = shared / union if union else 1.0
    sig = hasher.signatures_of(sh)
    estimate = jaccard_estimate(sig[0], sig[1])
    bk = band_keys(sig, params)
    nonempty = bool(keys[0]) and bool(keys[1])
    bands = tuple(int(i) for i in np.flatnonzero(bk[0] == bk[1])) if nonempty else ()
    ratio = fuzz.ratio(keys[0], keys[1]) / 100.0
    if config.verify == "jaccard":
        score, scorer = jaccard, "exact Jaccard"
    elif config.verify == "ratio":
        score, scorer = ratio, "ratio"
    elif config.verify == "containment":  # of b in a: b is the later text, a the kept one
        score, scorer = (shared / sb.size if sb.size else 1.0), "containment"
    else:
        score, scorer = estimate, "MinHash estimate"
    candidate = bool(bands)
    words = min(keys[0].count(" "), keys[1].count(" ")) + 1
    differ = short_texts_differ(a, b) if config.numbers_apply(words) else None
    rule = ""
    if differ is not None:
        what = "numbers" if differ.startswith("the numbers") else "kind and words"
        rule = f"{differ}: short texts must agree in their {what}"
    if keys[0] and keys[0] == keys[1]:
        # Equal keys with other numbers as written ("-5" / "5") are two texts.
        duplicate, reason = (
            (False, rule) if rule else (True, "same key: exact duplicate (found without LSH)")
        )
    elif not nonempty:
        duplicate, reason = False, "an empty key is never compared"
    elif not candidate:
        duplicate, reason = False, "no LSH band collides, so the pair is never verified"
    elif score >= config.threshold and rule:
        duplicate, reason = False, rule
    elif score >= config.threshold:
        duplicate = True
        reason = f"{len(bands)} band(s) collide and {scorer} {score:.3f} >= {config.threshold:g}"
    else:
        duplicate = False
        reason = f"{len(bands)} band(s) collide but {scorer} {score:.3f} < {config.threshold:g}"

    (wa, pa), (wb, pb) = _words(a, config), _words(b, config)
    runs = [op for op in Indel.opcodes(wa, wb) if op.tag == "equal"]
    longest = sorted(runs, key=lambda op: (-(op.src_end - op.src_start), op.src_start))[:spans]
    found = tuple(
        MatchSpan(
            words=op.src_end - op.src_start,
            a_start=pa[op.src_start][0],
            a_end=pa[op.src_end - 1][1],
            b_start=pb[op.dest_start][0],
            b_end=pb[op.dest_end - 1][1],
            text=a[pa[op.src_start][0] : pa[op.src_end - 1][1]],
        )
        for op in longest
    )
    return Explanation(
        config=config,
        bands_total=params.bands,
        rows=params.rows,
        shingles_a=int(sa.size),
        shingles_b=int(sb.size),
        shared=shared,
        jaccard=jaccard,
        jaccard_estimate=estimate,
        containment_a=shared / sa.size if sa.size else 1.0,
        containment_b=shared / sb.size if sb.size else 1.0,
        ratio=ratio,
        partial_ratio=fuzz.partial_ratio(keys[0], keys[1]) / 100.0,
        token_sort_ratio=fuzz.token_sort_ratio(keys[0], keys[1]) / 100.0,
        bands=bands,
        lsh_probability=float(params.probability(jaccard)),
        candidate=candidate,
        score=score,
        duplicate=duplicate,
        reason=reason,
        words_a=len(wa),
        words_b=len(wb),
        matched_words=sum(op.src_end - op.src_start for op in runs),
        spans=found,
        diff=word_diff(a, b),
        a=a,
        b=b,
        lsh_jaccard=params.threshold,
        lsh_source=config.candidate_target().source,
    )


def format_explanation(e: Explanation, *, width: int = 72, edits: int = 10) -> str:
    """The explanation as the readable report ``textdedup explain`` prints.

    >>> e = explain("one two three four five six", "one two three four five six seven")
    >>> print("\\n".join(format_explanation(e).splitlines()[-4:]))
    aligned words: 6 of 6 in A, of 7 in B; longest runs (1):
      1. 6 words, A[0:27] ~ B[0:27]: "one two three four five six"
    differences (1): 0 words removed, 1 added, 0 changed into 0; first 1:
      + A[27:27] B[28:33] added "seven"
    """
    c = e.config
    lines = [
        f"verdict: {'duplicate' if e.duplicate else 'not a duplicate'} ({e.reason})",
        f"settings: threshold {c.threshold:g}, verify {c.verify}, {c.shingle} {c.ngram}-grams, "
        f"num_perm {c.num_perm}, seed {c.seed}, {e.bands_total} bands x {e.rows} rows",
        f"shingles: A {e.shingles_a}, B {e.shingles_b}, shared {e.shared}",
        f"jaccard: exact {e.jaccard:.4f}, MinHash estimate {e.jaccard_estimate:.4f}",
        f"containment: A in B {e.containment_a:.4f}, B in A {e.containment_b:.4f}",
        f"rapidfuzz: ratio {e.ratio:.4f}, partial_ratio {e.partial_ratio:.4f}, "
        f"token_sort_ratio {e.token_sort_ratio:.4f}",
        f"lsh: {len(e.bands)} of {e.bands_total} bands collide"
        + (f" ({', '.join(map(str, e.bands))})" if e.bands else "")
        + f"; P(candidate | jaccard {e.jaccard:.2f}) = {e.lsh_probability:.3f}",
        f"bands tuned for: Jaccard {e.lsh_jaccard:.3f} ({e.lsh_source})",
        f"aligned words: {e.matched_words} of {e.words_a} in A, of {e.words_b} in B; "
        f"longest runs ({len(e.spans)}):",
    ]
    for n, s in enumerate(e.spans, 1):
        text = " ".join(s.text.split())
        if len(text) > width:
            text = text[: width - 3] + "..."
        lines.append(
            f'  {n}. {s.words} words, A[{s.a_start}:{s.a_end}] ~ B[{s.b_start}:{s.b_end}]: "{text}"'
        )
    lines += _format_diff(e, width=width, edits=edits)
    return "\n".join(lines)


def _short(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 3] + "..."


def _format_diff(e: Explanation, *, width: int, edits: int) -> list[str]:
    """The word differences: counts, then the first ``edits`` edits."""
    c = e.diff_counts()
    changes = [d for d in e.diff if d.tag != "equal"]
    if not changes:
        return ["differences: none (the same words in the same order)"]
    lines = [
        f"differences ({len(changes)}): {c['removed']} words removed, {c['added']} added, "
        f"{c['changed_a']} changed into {c['changed_b']}; first {min(edits, len(changes))}:"
    ]
    half = max(8, (width - 20) // 2)
    for d in changes[:edits]:
        old = _short(e.a[d.a_start : d.a_end], half)
        new = _short(e.b[d.b_start : d.b_end], half)
        where = f"A[{d.a_start}:{d.a_end}] B[{d.b_start}:{d.b_end}]"
        if d.tag == "delete":
            lines.append(f'  - {where} removed "{old}"')
        elif d.tag == "insert":
            lines.append(f'  + {where} added "{new}"')
        else:
            lines.append(f'  ~ {where} changed "{old}" -> "{new}"')
    if len(changes) > edits:
        lines.append(f"  ... {len(changes) - edits} more (--json lists all)")
    return lines
