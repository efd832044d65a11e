"""Copied passages across long, hard-wrapped documents: PAN measures, blocks, contamination.

Run from the repository root::

    PYTHONPATH=src .venv/bin/python benchmarks/passages.py            # ~3 min on 2 cores
    PYTHONPATH=src .venv/bin/python benchmarks/passages.py --docs 400 --no-baselines

Everything is seeded; results go to ``benchmarks/results/passages.json``.

The corpus (a text-reuse corpus in the manner of PAN's, Potthast et al., "An Evaluation
Framework for Plagiarism Detection", COLING 2010):

* Prose: an order-1 Markov chain over words, trained on real text found on the machine
  (the license texts the operating system ships and the Clough & Stevenson corpus in
  ``/work/shared/data``), so word frequencies, punctuation and sentence lengths look
  real while two generated documents share no long phrase by construction.
* Half of the documents are sources, half suspicious. Passages of 250 to 8,000
  characters (log-uniform, cut at word boundaries, never overlapping in a source) are
  copied into suspicious documents: verbatim inside a paragraph, verbatim as a
  paragraph of its own, or lightly edited (about 3 % of words substituted, inserted or
  deleted); every document is then hard-wrapped at its own width (60 to 180
  characters), with blank lines between paragraphs in half of the documents and a bare
  newline in the others. So every copy is re-wrapped, with or without blank lines.
* Boilerplate: five notices (licence line, newsletter, navigation, ...) put into about
  40 % of all documents; documents that share only boilerplate are negatives.

Measures:

* PAN character-level precision, recall and granularity, with their definitions: a
  detection ``r`` detects a case ``s`` when both concern the same pair of documents
  and overlap in both; precision averages over detections the share of their
  characters (in both documents) inside detected cases, recall averages over cases the
  share of their characters inside detections, granularity is the mean number of
  detections per detected case.
* Blocks: every document cut into consecutive 40-word blocks; a block is copied if at
  least half its words lie in a case (either side), flagged if at least half lie in a
  detection. Precision and recall over blocks.
* Contamination: test items of 2 to 4 sentences planted into training documents (the
  corpus above), verbatim or with one word changed, plus as many unplanted items, half
  of which start with a boilerplate sentence that also occurs in training. Recall on
  planted items and the number of unplanted items flagged, for textdedup's definition
  and for the 13-gram rule.
* The documented block route on the same corpus (``find --unit line`` and
  ``--unit paragraph``): 40-word blocks of the later copies only, since it reports no
  source span.
* Reflow: the share of wrap breaks :func:`textdedup.reflow.reflow` joins and of
  paragraph breaks it keeps, on the same documents (the passages do not need it: keys
  fold whitespace; blocks cut from text do).
* Throughput: median of ``--repeat`` runs of :func:`textdedup.passages.find_passages`
  and of :func:`textdedup.contamination.contamination`, in MB of text per second, with the
  load average.
* The paths of the corpus commands (``run_command_paths``): ``dedup --unit passage``
  (:func:`textdedup.passages.cut_passages`: the share of cut characters that lie in
  planted copies, and of the later copies' characters cut), ``check --unit passage``
  with 1 and 2 worker processes (same result, training MB/s), the ``sentence`` and
  ``window`` blocks alone and ``dedup_records`` with those units (the share of removed
  or reported characters that lie in planted copies, and MB/s).

Nothing runs at import.
"""

from __future__ import annotations

import argparse
import datetime as dt
import glob
import itertools
import json
import math
import os
import platform
import random
import statistics
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from textdedup.contamination import contamination
from textdedup.passages import DocumentPassage, find_passages

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results" / "passages.json"
CLOUGH = Path("/work/shared/data/clough-stevenson")
BOILERPLATE = [
    "This document is provided as is without warranty of any kind, and may be copied "
    "freely for any purpose provided that this notice is kept intact in every copy.",
    "Subscribe to our newsletter to receive the latest articles, reviews and offers "
    "straight to your inbox every week, and unsubscribe at any time with one click.",
    "Home | About us | Contact | Privacy policy | Terms of use | Sitemap | Back to the top "
    "of this page | Share on social media | Print this page",
    "All rights reserved. No part of this publication may be reproduced, stored in a "
    "retrieval system or transmitted in any form without the prior written permission.",
    "Comments are closed for this article. Please read our community guidelines before "
    "posting, and report any comment that you believe breaks them to the moderators.",
]


# -- prose -------------------------------------------------------------------------------


def training_text() -> str:
    parts = []
    for path in sorted(glob.glob("/usr/share/common-licenses/*")) + sorted(
        glob.glob(str(CLOUGH / "*.txt"))
    ):
        try:
            parts.append(Path(path).read_text(encoding="utf-8", errors="ignore"))
        except (OSError, IsADirectoryError):
            continue
    return "\n".join(parts)


class Markov:
    """An order-1 word Markov chain; a sentence ends at a word ending with . ! or ?."""

    def __init__(self, text: str) -> None:
        words = [w for w in text.split() if w.isprintable() and len(w) < 25]
        self.next: dict[str, list[str]] = defaultdict(list)
        for a, b in itertools.pairwise(words):
            self.next[a].append(b)
        self.starts = sorted(
            {b for a, b in itertools.pairwise(words) if _ends(a) and b[:1].isupper()}
        )

    def sentence(self, rng: random.Random) -> list[str]:
        w = rng.choice(self.starts)
        out = [w]
        while not _ends(w) and len(out) < 40:
            options = self.next.get(w)
            w = rng.choice(options) if options else rng.choice(self.starts)
            out.append(w)
        if not _ends(out[-1]):
            out[-1] = out[-1].rstrip(",;:") + "."
        return out if len(out) >= 4 else out + self.sentence(rng)


def _ends(word: str) -> bool:
    return word.endswith((".", "!", "?"))


# -- corpus --------------------------------------------------------------------------------


@dataclass
class Doc:
    words: list[str]
    paragraph_starts: set[int] = field(default_factory=set)
    width: int = 100
    blank_lines: bool = True
    text: str = ""
    starts: list[int] = field(default_factory=list)
    ends: list[int] = field(default_factory=list)

    def render(self) -> None:
        """Hard-wrap at ``width``; paragraphs start on a new line (blank or not)."""
        pieces: list[str] = []
        pos = 0
        col = 0
        self.starts, self.ends = [], []
        for i, w in enumerate(self.words):
            if i == 0:
                sep = ""
            elif i in self.paragraph_starts:
                sep = "\n\n" if self.blank_lines else "\n"
            elif col + 1 + len(w) > self.width:
                sep = "\n"
            else:
                sep = " "
            pieces.append(sep)
            pos += len(sep)
            col = 0 if "\n" in sep else col + len(sep)
            self.starts.append(pos)
            pieces.append(w)
            pos += len(w)
            col += len(w)
            self.ends.append(pos)
        self.text = "".join(pieces) + "\n"

    def span(self, w0: int, w1: int) -> tuple[int, int]:
        return self.starts[w0], self.ends[w1 - 1]


@dataclass(frozen=True)
class Case:
    src: int
    src_words: tuple[int, int]
    dst: int
    dst_words: tuple[int, int]
    kind: str


def _document(rng: random.Random, chain: Markov, chars: int) -> Doc:
    words: list[str] = []
    paragraphs = set()
    size = 0
    while size < chars:
        paragraphs.add(len(words))
        for _ in range(rng.randint(3, 9)):
            s = chain.sentence(rng)
            words += s
            size += sum(map(len, s)) + len(s)
    return Doc(words, paragraphs - {0})


def _edit(rng: random.Random, words: list[str], vocab: list[str], rate: float) -> list[str]:
    out = list(words)
    n = max(1, round(rate * len(words)))
    # Edits at least 6 words from the edges and from each other.
    spots = sorted(rng.sample(range(6, max(7, len(words) - 6)), min(n, max(1, len(words) - 12))))
    for at in reversed(spots):
        kind = rng.choice(["sub", "ins", "del"])
        if kind == "sub":
            out[at] = rng.choice(vocab)
        elif kind == "ins":
            out.insert(at, rng.choice(vocab))
        else:
            del out[at]
    return out


def build_corpus(n_docs: int, seed: int) -> tuple[list[Doc], list[Case], Markov]:
    rng = random.Random(seed)
    chain = Markov(training_text())
    vocab = sorted(chain.next)
    n_src = n_docs // 2
    docs = [_document(rng, chain, rng.randint(8_000, 30_000)) for _ in range(n_docs)]
    used: dict[int, list[tuple[int, int]]] = defaultdict(list)
    plants: dict[int, list[tuple[int, list[str], int, tuple[int, int], str]]] = defaultdict(list)
    for dst in range(n_src, n_docs):
        for _ in range(rng.randint(0, 3)):
            src = rng.randrange(n_src)
            sw = docs[src].words
            target = math.exp(rng.uniform(math.log(250), math.log(8000)))
            n_words = max(8, round(target / 6.3))
            for _attempt in range(20):
                w0 = rng.randrange(0, max(1, len(sw) - n_words))
                w1 = min(len(sw), w0 + n_words)
                if all(w1 <= a or w0 >= b for a, b in used[src]):
                    break
            else:
                continue
            used[src].append((w0, w1))
            kind = rng.choice(["verbatim", "edited", "own_paragraph"])
            copied = sw[w0:w1] if kind != "edited" else _edit(rng, sw[w0:w1], vocab, 0.03)
            at = rng.randrange(len(docs[dst].words))
            plants[dst].append((at, copied, src, (w0, w1), kind))
    cases = []
    for dst, items in plants.items():
        words = docs[dst].words
        out: list[str] = []
        paragraphs = set()
        last = 0
        spots = sorted(items, key=lambda x: x[0])
        old_paras = docs[dst].paragraph_starts
        for at, copied, src, sw_span, kind in spots:
            paragraphs |= {len(out) + p - last for p in old_paras if last <= p < at}
            out += words[last:at]
            start = len(out)
            out += copied
            if kind == "own_paragraph":
                paragraphs |= {start, len(out)}
            cases.append(Case(src, sw_span, dst, (start, len(out)), kind))
            last = at
        paragraphs |= {len(out) + p - last for p in old_paras if p >= last}
        out += words[last:]
        docs[dst] = Doc(out, paragraphs - {0})
    # Boilerplate: one or two notices in about 40 % of documents, at a paragraph start.
    for i, doc in enumerate(docs):
        if rng.random() < 0.4:
            for note in rng.sample(BOILERPLATE, rng.randint(1, 2)):
                doc_words = note.split()
                at = 0 if rng.random() < 0.5 else len(doc.words)
                shifted = {p + len(doc_words) if p >= at else p for p in doc.paragraph_starts}
                doc.words[at:at] = doc_words
                doc.paragraph_starts = shifted | {at, at + len(doc_words)}
                cases = [_shift(c, i, at, len(doc_words)) for c in cases]
    for doc in docs:
        doc.paragraph_starts.discard(0)
        doc.paragraph_starts.discard(len(doc.words))
        doc.width = rng.randint(60, 180)
        doc.blank_lines = rng.random() < 0.5
        doc.render()
    return docs, cases, chain


def _shift(c: Case, doc: int, at: int, n: int) -> Case:
    def move(span: tuple[int, int]) -> tuple[int, int]:
        return (span[0] + n, span[1] + n) if span[0] >= at else span

    return Case(
        c.src,
        move(c.src_words) if c.src == doc else c.src_words,
        c.dst,
        move(c.dst_words) if c.dst == doc else c.dst_words,
        c.kind,
    )


# -- PAN measures ------------------------------------------------------------------------


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def _union_len(spans: list[tuple[int, int]]) -> int:
    total, end = 0, -1
    for a, b in sorted(spans):
        if b <= end:
            continue
        total += b - max(a, end)
        end = b
    return total


def _detects(s: tuple[Any, ...], r: tuple[Any, ...]) -> bool:
    """PAN: detection r detects case s (same documents, overlapping in both)."""
    return s[0] == r[0] and s[2] == r[2] and _overlap(s[1], r[1]) > 0 and _overlap(s[3], r[3]) > 0


def pan_measures(
    cases: list[tuple[int, tuple[int, int], int, tuple[int, int]]],
    detections: list[tuple[int, tuple[int, int], int, tuple[int, int]]],
) -> dict[str, float]:
    """Character precision, recall and granularity (Potthast et al. 2010).

    Each case and detection is ``(src_doc, src_span, dst_doc, dst_span)``.
    """

    def clipped(x: tuple[Any, ...], y: tuple[Any, ...]) -> tuple[list[Any], list[Any]]:
        src = (max(x[1][0], y[1][0]), min(x[1][1], y[1][1]))
        dst = (max(x[3][0], y[3][0]), min(x[3][1], y[3][1]))
        return [src] if src[1] > src[0] else [], [dst] if dst[1] > dst[0] else []

    by_pair: dict[tuple[int, int], list[Any]] = defaultdict(list)
    for s in cases:
        by_pair[(s[0], s[2])].append(s)
    det_pair: dict[tuple[int, int], list[Any]] = defaultdict(list)
    for r in detections:
        det_pair[(r[0], r[2])].append(r)
    precision = []
    for r in detections:
        src_parts: list[Any] = []
        dst_parts: list[Any] = []
        for s in by_pair.get((r[0], r[2]), []):
            if _detects(s, r):
                a, b = clipped(s, r)
                src_parts += a
                dst_parts += b
        size = (r[1][1] - r[1][0]) + (r[3][1] - r[3][0])
        precision.append((_union_len(src_parts) + _union_len(dst_parts)) / size)
    recall = []
    grains = []
    for s in cases:
        src_parts, dst_parts = [], []
        hits = 0
        for r in det_pair.get((s[0], s[2]), []):
            if _detects(s, r):
                hits += 1
                a, b = clipped(s, r)
                src_parts += a
                dst_parts += b
        size = (s[1][1] - s[1][0]) + (s[3][1] - s[3][0])
        recall.append((_union_len(src_parts) + _union_len(dst_parts)) / size)
        if hits:
            grains.append(hits)
    p = statistics.fmean(precision) if precision else 1.0
    r = statistics.fmean(recall) if recall else 1.0
    g = statistics.fmean(grains) if grains else 1.0
    plagdet = (2 * p * r / (p + r)) / math.log2(1 + g) if p + r else 0.0
    return {
        "precision": round(p, 4),
        "recall": round(r, 4),
        "granularity": round(g, 4),
        "plagdet": round(plagdet, 4),
        "cases": len(cases),
        "detections": len(detections),
    }


def block_measures(
    docs: list[Doc],
    case_spans: dict[int, list[tuple[int, int]]],
    det_spans: dict[int, list[tuple[int, int]]],
    size: int = 40,
) -> dict[str, float]:
    """Precision and recall over consecutive ``size``-word blocks of every document."""
    tp = fp = fn = tn = 0
    for i, doc in enumerate(docs):
        n = len(doc.words)
        for w0 in range(0, n, size):
            w1 = min(n, w0 + size)
            truth = _covered_words(doc, w0, w1, case_spans.get(i, []))
            found = _covered_words(doc, w0, w1, det_spans.get(i, []))
            copied = truth * 2 >= w1 - w0
            flagged = found * 2 >= w1 - w0
            tp += copied and flagged
            fp += flagged and not copied
            fn += copied and not flagged
            tn += not copied and not flagged
    return {
        "precision": round(tp / (tp + fp), 4) if tp + fp else 1.0,
        "recall": round(tp / (tp + fn), 4) if tp + fn else 1.0,
        "blocks": tp + fp + fn + tn,
        "copied_blocks": tp + fn,
        "flagged_blocks": tp + fp,
    }


def _covered_words(doc: Doc, w0: int, w1: int, spans: list[tuple[int, int]]) -> int:
    count = 0
    for w in range(w0, w1):
        a, b = doc.starts[w], doc.ends[w]
        if any(s <= a and b <= e for s, e in spans):
            count += 1
    return count


# -- runs --------------------------------------------------------------------------------


def _timed(fn: Any, repeat: int) -> tuple[Any, float]:
    times = []
    out = None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return out, statistics.median(times)


def run_passages(
    docs: list[Doc], cases: list[Case], repeat: int, baselines: bool = True
) -> dict[str, Any]:
    texts = [d.text for d in docs]
    found, seconds = _timed(lambda: find_passages(texts), repeat)
    truth = [
        (c.src, docs[c.src].span(*c.src_words), c.dst, docs[c.dst].span(*c.dst_words))
        for c in cases
    ]
    dets = [_detection(m) for m in found]
    out: dict[str, Any] = {"all": pan_measures(truth, dets)}
    for kind in ("verbatim", "edited", "own_paragraph"):
        sub = [t for t, c in zip(truth, cases, strict=True) if c.kind == kind]
        keep = [r for r in dets if any(_detects(s, r) for s in sub)]
        out[kind] = {
            **pan_measures(sub, keep),
            "note": "detections that detect a case of this kind",
        }
    case_spans: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for s in truth:
        case_spans[s[0]].append(s[1])
        case_spans[s[2]].append(s[3])
    det_spans: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for r in dets:
        det_spans[r[0]].append(r[1])
        det_spans[r[2]].append(r[3])
    out["blocks40"] = block_measures(docs, case_spans, det_spans)
    if baselines:
        out["blocks40_later_copy_vs_block_route"] = run_block_baselines(docs, cases, found)
    boiler_pairs = {(r[0], r[2]) for r in dets} - {(s[0], s[2]) for s in truth}
    out["pairs_without_planted_case"] = len(boiler_pairs)
    chars = sum(map(len, texts))
    out["throughput"] = {
        "documents": len(texts),
        "characters": chars,
        "median_seconds": round(seconds, 3),
        "mb_per_second": round(chars / seconds / 1e6, 3),
        "repeat": repeat,
    }
    return out


def run_block_baselines(
    docs: list[Doc], cases: list[Case], found: list[DocumentPassage]
) -> dict[str, Any]:
    """The documented block route (``find --unit line|paragraph``) on the same corpus.

    It reports removed blocks in the later document only, without the source span, so
    PAN measures do not apply; both it and the passages are scored on 40-word blocks of
    the later copies alone (a block is copied if half its words lie in a case's copy).
    Block offsets refer to each document after in-document cleaning; documents that
    cleaning changed are counted and left out of the score.
    """
    from textdedup import DedupConfig, clean
    from textdedup.pipeline import dedup_records

    truth: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for c in cases:
        truth[c.dst].append(docs[c.dst].span(*c.dst_words))
    changed = {i for i, d in enumerate(docs) if clean(d.text).text != d.text}
    kept = [d if i not in changed else Doc([]) for i, d in enumerate(docs)]
    ours: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for m in found:
        ours[m.b].append((m.passage.b_start, m.passage.b_end))
    out: dict[str, Any] = {
        "documents_left_out_changed_by_clean": len(changed),
        "passages": block_measures(kept, truth, ours),
    }
    records = [{"id": str(i), "text": d.text} for i, d in enumerate(docs)]
    for unit, threshold in (("line", 0.3), ("paragraph", 0.7)):
        config = DedupConfig(level=unit, threshold=threshold)  # type: ignore[arg-type]
        flagged: dict[int, list[tuple[int, int]]] = defaultdict(list)
        t0 = time.perf_counter()
        for item in dedup_records(records, config=config):
            for b in item.removed_blocks:
                flagged[int(item.record.id)].append((int(b["start"]), int(b["end"])))
        seconds = time.perf_counter() - t0
        out[f"find --unit {unit} --threshold {threshold}"] = {
            **block_measures(kept, truth, flagged),
            "seconds": round(seconds, 2),
        }
    return out


def _detection(m: DocumentPassage) -> tuple[int, tuple[int, int], int, tuple[int, int]]:
    p = m.passage
    return (m.a, (p.a_start, p.a_end), m.b, (p.b_start, p.b_end))


def run_contamination(docs: list[Doc], chain: Markov, seed: int, repeat: int) -> dict[str, Any]:
    rng = random.Random(seed + 1)
    items: list[str] = []
    planted: list[bool] = []
    boiler: list[bool] = []
    edits: list[str] = []
    training = [list(d.words) for d in docs]
    for k in range(400):
        sentences = [chain.sentence(rng) for _ in range(rng.randint(2, 4))]
        words = [w for s in sentences for w in s]
        if k % 2 == 0:
            kind = "verbatim" if k % 4 == 0 else "one_word_changed"
            copy = list(words)
            if kind == "one_word_changed":
                copy[len(copy) // 2] = rng.choice(sorted(chain.next))
            t = rng.randrange(len(training))
            at = rng.randrange(len(training[t]))
            training[t][at:at] = copy
            items.append(" ".join(words))
            planted.append(True)
            boiler.append(False)
            edits.append(kind)
        else:
            with_boiler = k % 4 == 1
            head = rng.choice(BOILERPLATE[:2]).split() if with_boiler else []
            items.append(" ".join(head + words))
            planted.append(False)
            boiler.append(with_boiler)
            edits.append("none")
    texts = []
    for words, d in zip(training, docs, strict=True):
        doc = Doc(words, set(), d.width, False)
        doc.render()
        texts.append(doc.text)
    out: dict[str, Any] = {
        "items": len(items),
        "planted": sum(planted),
        "boilerplate_only": sum(boiler),
    }
    for definition in ("textdedup", "ngram13"):
        res, seconds = _timed(
            lambda d=definition: contamination(items, texts, definition=d),  # type: ignore[misc]
            repeat,
        )
        flagged = [c.contaminated for c in res]
        by_kind = {}
        for kind in ("verbatim", "one_word_changed"):
            idx = [i for i, e in enumerate(edits) if e == kind]
            by_kind[kind] = round(sum(flagged[i] for i in idx) / len(idx), 4)
        out[definition] = {
            "recall_planted": round(
                sum(f for f, p in zip(flagged, planted, strict=True) if p) / sum(planted), 4
            ),
            "recall_by_kind": by_kind,
            "flagged_boilerplate_only": sum(f for f, b in zip(flagged, boiler, strict=True) if b),
            "flagged_unplanted": sum(f for f, p in zip(flagged, planted, strict=True) if not p),
            "median_seconds": round(seconds, 3),
            "training_mb_per_second": round(sum(map(len, texts)) / seconds / 1e6, 3),
        }
    return out


def _inside(spans: list[tuple[int, int]], cases: list[tuple[int, int]]) -> tuple[int, int]:
    """Characters of ``spans`` (merged) and how many of them lie in ``cases``."""
    mask_len = max([e for _, e in spans + cases], default=0)
    got = np.zeros(mask_len, dtype=bool)
    ref = np.zeros(mask_len, dtype=bool)
    for a, b in spans:
        got[a:b] = True
    for a, b in cases:
        ref[a:b] = True
    return int(got.sum()), int((got & ref).sum())


def run_command_paths(docs: list[Doc], cases: list[Case], repeat: int) -> dict[str, Any]:
    """The passage, sentence and window paths of ``dedup``, ``find`` and ``check``."""
    from textdedup import DedupConfig, dedup_records
    from textdedup.passages import cut_passages
    from textdedup.windows import sentence_blocks, window_blocks

    texts = [d.text for d in docs]
    chars = sum(map(len, texts))
    case_spans: dict[int, list[tuple[int, int]]] = defaultdict(list)
    later: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for c in cases:
        src, dst = docs[c.src].span(*c.src_words), docs[c.dst].span(*c.dst_words)
        case_spans[c.src].append(src)
        case_spans[c.dst].append(dst)
        if c.dst > c.src:
            later[c.dst].append(dst)
        else:
            later[c.src].append(src)
    out: dict[str, Any] = {}

    cuts, seconds = _timed(lambda: cut_passages(texts), repeat)
    cut = inside = 0
    later_total = later_cut = 0
    for n, c in enumerate(cuts):
        a, b = _inside(list(c.spans), case_spans[n])
        cut, inside = cut + a, inside + b
        total, hit = _inside(later[n], list(c.spans))
        later_total, later_cut = later_total + total, later_cut + hit
    out["dedup_unit_passage"] = {
        "characters_cut": cut,
        "cut_in_planted_copies": round(inside / max(1, cut), 4),
        "later_copies_cut": round(later_cut / max(1, later_total), 4),
        "median_seconds": round(seconds, 3),
        "mb_per_second": round(chars / seconds / 1e6, 3),
    }

    items = [
        " ".join(d.words[c.dst_words[0] : c.dst_words[0] + 60])
        for d, c in ((docs[c.dst], c) for c in cases[:200])
    ]
    by_workers = {}
    results = []
    for workers in (1, 2):
        res, seconds = _timed(
            lambda w=workers: contamination(items, texts, workers=w, chunk_size=8), repeat
        )
        results.append(res)
        by_workers[str(workers)] = {
            "median_seconds": round(seconds, 3),
            "training_mb_per_second": round(chars / seconds / 1e6, 3),
        }
    out["check_unit_passage"] = {
        "items": len(items),
        "flagged": sum(c.contaminated for c in results[0]),
        "same_result_1_and_2_workers": results[0] == results[1],
        "by_workers": by_workers,
    }

    for name, fn in (("sentence", sentence_blocks), ("window", window_blocks)):
        blocks, seconds = _timed(lambda f=fn: [f(t) for t in texts], repeat)  # type: ignore[misc]
        out[f"{name}_blocks"] = {
            "blocks": sum(map(len, blocks)),
            "median_seconds": round(seconds, 3),
            "mb_per_second": round(chars / seconds / 1e6, 3),
        }
        config = DedupConfig(level=name, shingle="word")  # type: ignore[arg-type]
        run, seconds = _timed(lambda c=config: list(dedup_records(texts, config=c)), 1)
        flagged = inside = later_total = later_hit = 0
        for n, item in enumerate(run):
            spans = [(int(b["start"]), int(b["end"])) for b in item.removed_blocks]
            a, b = _inside(spans, case_spans[n])
            flagged, inside = flagged + a, inside + b
            total, hit = _inside(later[n], spans)
            later_total, later_hit = later_total + total, later_hit + hit
        out[f"dedup_unit_{name}"] = {
            "characters_flagged": flagged,
            "flagged_in_planted_copies": round(inside / max(1, flagged), 4),
            "later_copies_flagged": round(later_hit / max(1, later_total), 4),
            "seconds": round(seconds, 3),
            "mb_per_second": round(chars / seconds / 1e6, 3),
        }
    return out


def run_reflow(docs: list[Doc]) -> dict[str, Any]:
    """How :func:`textdedup.reflow.reflow` treats the corpus's line breaks.

    A wrap break (inside a paragraph) should be joined; a paragraph break (a bare
    newline in documents without blank lines, or a blank line) should be kept.
    """
    from textdedup.reflow import reflow

    joined_wrap = kept_wrap = joined_para = kept_para = 0
    t0 = time.perf_counter()
    for d in docs:
        r = reflow(d.text)
        joined = {
            int(r.offsets[i])
            for i in np.flatnonzero(np.frombuffer(r.text.encode("utf-32-le"), np.uint32) == 32)
            if d.text[r.offsets[i]] == "\n"
        }
        paragraph_breaks = {d.starts[w] - 1 for w in d.paragraph_starts}
        for i, ch in enumerate(d.text[:-1]):
            if ch != "\n" or (d.text[i + 1] == "\n"):
                continue
            if i in paragraph_breaks:
                joined_para += i in joined
                kept_para += i not in joined
            else:
                joined_wrap += i in joined
                kept_wrap += i not in joined
    seconds = time.perf_counter() - t0
    return {
        "wrap_breaks": joined_wrap + kept_wrap,
        "wrap_breaks_joined": round(joined_wrap / max(1, joined_wrap + kept_wrap), 4),
        "paragraph_breaks": joined_para + kept_para,
        "paragraph_breaks_kept": round(kept_para / max(1, joined_para + kept_para), 4),
        "join_precision": round(joined_wrap / max(1, joined_wrap + joined_para), 4),
        "mb_per_second": round(sum(len(d.text) for d in docs) / seconds / 1e6, 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, default=120, help="documents (half are sources)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=3, help="timed runs; the median counts")
    parser.add_argument("--output", type=Path, default=RESULTS)
    parser.add_argument(
        "--no-baselines", action="store_true", help="skip the find --unit line|paragraph runs"
    )
    parser.add_argument(
        "--commands-only",
        action="store_true",
        help="measure only the corpus commands' paths (run_command_paths)",
    )
    args = parser.parse_args()
    t0 = time.perf_counter()
    docs, cases, chain = build_corpus(args.docs, args.seed)
    built = time.perf_counter() - t0
    kinds = {k: sum(c.kind == k for c in cases) for k in ("verbatim", "edited", "own_paragraph")}
    lengths = sorted(
        docs[c.dst].span(*c.dst_words)[1] - docs[c.dst].span(*c.dst_words)[0] for c in cases
    )
    result = {
        "when": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "load_average": [round(x, 2) for x in os.getloadavg()],
        },
        "settings": {
            "docs": args.docs,
            "seed": args.seed,
            "repeat": args.repeat,
            "baselines": not args.no_baselines,
        },
        "corpus": {
            "documents": len(docs),
            "characters": sum(len(d.text) for d in docs),
            "cases": len(cases),
            "cases_by_kind": kinds,
            "case_chars_min_median_max": [lengths[0], lengths[len(lengths) // 2], lengths[-1]]
            if lengths
            else [],
            "docs_with_blank_lines": sum(d.blank_lines for d in docs),
            "build_seconds": round(built, 2),
        },
    }
    if not args.commands_only:
        result["reflow"] = run_reflow(docs)
        result["passages"] = run_passages(docs, cases, args.repeat, not args.no_baselines)
        result["contamination"] = run_contamination(docs, chain, args.seed, args.repeat)
    result["command_paths"] = run_command_paths(docs, cases, args.repeat)
    result["machine"]["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    args.output.parent.mkdir(parents=True, exist_ok=True)
    tmp = args.output.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    tmp.replace(args.output)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
