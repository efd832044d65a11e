"""Clean one document: remove repeated blocks, runs and spans, and say why.

The single-document pipeline. It composes the stages (normalize, segment, the
span finder, MinHash/LSH, verification, clustering) and turns their output into
decisions, :class:`Removal` records and the cleaned text:

1. Normalize the text with the line-preserving cleaning steps, so offsets and line
   numbers in the report refer to the input's lines.
2. Long repeated spans at character level (:mod:`textdedup.repeats`). Their edges
   are moved to word boundaries; a span that covers whole blocks becomes a
   ``repeated-run`` (or a single ``exact``/``near`` block), any other a ``span``.
3. Blocks not touched by a span: exact duplicates by key, near duplicates by
   MinHash/LSH candidates verified with rapidfuzz, clustered, one keeper per
   cluster by the keep policy. Consecutive removed blocks whose keepers are
   consecutive form a ``repeated-run``. A short block is removed only inside a run
   that also holds a long block.
4. Cut the removals out and apply the layout steps (blank lines, edges).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import regex

from .cluster import KEEP_POLICIES, KeepPolicy, choose_keepers, connected_components
from .lsh import band_keys, candidate_pairs, lsh_params
from .minhash import MinHasher
from .normalize import KeyConfig, NormalizeConfig, normalize, normalize_key, trailing_whitespace
from .repeats import find_repeats
from .segment import SEGMENT_MODES, LineIndex, SegmentMode, resolve_mode, segment
from .verify import fuzzy_scores

__all__ = ["CleanConfig", "CleanResult", "Location", "Removal", "clean"]

RemovalKind = Literal["exact", "near", "repeated-run", "span"]

_CONTENT = regex.compile(r"[\p{L}\p{N}]")
_SINGLE = regex.compile(
    r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Thai}\p{Lao}\p{Khmer}\p{Myanmar}\p{Tibetan}]"
)
_PUNCT = regex.compile(r"\p{P}")
_COLLAPSE_MIN = 10_000  # characters; shorter texts are not warned about


@dataclass(frozen=True, slots=True, kw_only=True)
class CleanConfig:
    """Options of :func:`clean`.

    Parameters
    ----------
    mode:
        How blocks are cut: ``auto``, ``paragraph``, ``line`` or ``sentence``.
    keep:
        Which copy stays: ``first``, ``last`` or ``longest``.
    threshold:
        Verified similarity (rapidfuzz ``ratio`` of the keys, in [0, 1]) at which
        two blocks count as near duplicates.
    min_length:
        Blocks whose key is shorter than this many characters are removed only as
        part of a repeated run.
    min_span:
        Shortest repeated span, in key characters, looked for at character level;
        ``0`` turns the span search off.
    near:
        Look for near-duplicate blocks (exact ones are always found).
    lsh_threshold:
        Jaccard similarity of character n-grams that LSH aims to catch as candidates.
    num_perm, ngram, seed:
        MinHash settings for the near-duplicate search (character n-grams).
    normalize, key:
        Cleaning and comparison normalization.
    """

    mode: SegmentMode = "auto"
    keep: KeepPolicy = "first"
    threshold: float = 0.9
    min_length: int = 30
    min_span: int = 200
    near: bool = True
    lsh_threshold: float = 0.5
    num_perm: int = 128
    ngram: int = 5
    seed: int = 1
    normalize: NormalizeConfig = field(default_factory=NormalizeConfig)
    key: KeyConfig = field(default_factory=KeyConfig)

    def __post_init__(self) -> None:
        if self.mode not in SEGMENT_MODES:
            raise ValueError(f"mode must be one of {', '.join(SEGMENT_MODES)}, got {self.mode!r}")
        if self.keep not in KEEP_POLICIES:
            raise ValueError(f"keep must be one of {', '.join(KEEP_POLICIES)}, got {self.keep!r}")
        for name in ("threshold", "lsh_threshold"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise TypeError(f"{name} must be a float in [0, 1], got {value!r}")
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"{name} must be in [0, 1], got {value}")
        for name in ("min_length", "min_span", "num_perm", "ngram"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ValueError(f"{name} must be an int >= 0, got {value!r}")
        if self.num_perm < 1 or self.ngram < 1:
            raise ValueError("num_perm and ngram must be >= 1")


@dataclass(frozen=True, slots=True)
class Location:
    """A span of the normalized input: characters ``[start, end)``, lines 1-based inclusive."""

    start: int
    end: int
    line_start: int
    line_end: int

    def lines(self) -> str:
        """``"11-19"``, or ``"4"`` for one line."""
        if self.line_start == self.line_end:
            return str(self.line_start)
        return f"{self.line_start}-{self.line_end}"


@dataclass(frozen=True, slots=True)
class Removal:
    """One thing :func:`clean` removed, and the kept text it duplicates.

    ``kind`` is ``exact`` (one block, same key), ``near`` (one block, verified
    similar), ``repeated-run`` (consecutive blocks repeating consecutive blocks) or
    ``span`` (a repeated stretch of text that does not start or end on a block
    boundary). ``score`` is the verified similarity of removed and kept text in
    [0, 1] (rapidfuzz ``ratio`` of their keys).
    """

    kind: RemovalKind
    removed: Location
    kept: Location
    score: float
    blocks: int

    @property
    def reason(self) -> str:
        """One line saying what was removed and why."""
        what = {
            "exact": "exact duplicate of",
            "near": "near duplicate of",
            "repeated-run": f"run of {self.blocks} blocks repeating",
            "span": "repeated span of",
        }[self.kind]
        return (
            f"lines {self.removed.lines()}: {what} lines {self.kept.lines()} "
            f"(score {self.score:.3f})"
        )

    def to_dict(self, source: str) -> dict[str, Any]:
        """A JSON-ready description, with a short preview of the removed text."""
        text = source[self.removed.start : self.removed.end]
        return {
            "kind": self.kind,
            "removed": _loc_dict(self.removed),
            "kept": _loc_dict(self.kept),
            "score": round(self.score, 6),
            "blocks": self.blocks,
            "chars": len(text),
            "preview": text[:80],
            "reason": self.reason,
        }


def _loc_dict(loc: Location) -> dict[str, int]:
    return {
        "start": loc.start,
        "end": loc.end,
        "line_start": loc.line_start,
        "line_end": loc.line_end,
    }


@dataclass(frozen=True, slots=True)
class CleanResult:
    """The cleaned text and what was removed.

    ``source`` is the input after the line-preserving normalization; every
    :class:`Location` points into it, and its line numbers are the input's.
    ``warnings`` flag results worth a look, such as a long text that was almost all
    one stretch repeated.
    """

    text: str
    removals: tuple[Removal, ...]
    source: str
    mode: str
    blocks: int
    warnings: tuple[str, ...] = ()

    @property
    def changed(self) -> bool:
        """Whether any block, run or span was removed."""
        return bool(self.removals)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready report."""
        return {
            "mode": self.mode,
            "blocks": self.blocks,
            "removed": len(self.removals),
            "removed_chars": sum(r.removed.end - r.removed.start for r in self.removals),
            "input_chars": len(self.source),
            "output_chars": len(self.text),
            "removals": [r.to_dict(self.source) for r in self.removals],
            "warnings": list(self.warnings),
        }


def clean(text: str, *, config: CleanConfig | None = None) -> CleanResult:
    """Remove repeated blocks, runs and spans from one document.

    >>> body = "First paragraph of the story, long enough to count.\\n"
    >>> body += "Second one, also long enough.\\n"
    >>> result = clean("Headline\\n" + body + body + "\\n\\n\\n")
    >>> print(result.text, end="")
    Headline
    First paragraph of the story, long enough to count.
    Second one, also long enough.
    >>> [r.reason for r in result.removals]
    ['lines 4-5: run of 2 blocks repeating lines 2-3 (score 1.000)']
    """
    if not isinstance(text, str):
        normalize(text)  # raises the friendly TypeError
    config = config or CleanConfig()
    source = normalize(text, config.normalize.line_preserving())
    return _Cleaner(source, config).run(ends_with_newline=text.endswith(("\n", "\r")))


class _Cleaner:
    def __init__(self, source: str, config: CleanConfig) -> None:
        self.source = source
        self.config = config
        self.mode = resolve_mode(source, config.mode)
        self.blocks = segment(source, self.mode)
        self.lines = LineIndex(source)
        self.keys = [normalize_key(b.text, config.key) for b in self.blocks]
        self.starts = np.array([b.start for b in self.blocks], dtype=np.int64)
        self.ends = np.array([b.end for b in self.blocks], dtype=np.int64)
        self.covered = np.zeros(len(self.blocks), dtype=bool)
        self.cuts: list[tuple[int, int]] = []
        self.removals: list[Removal] = []

    def run(self, *, ends_with_newline: bool) -> CleanResult:
        if self.config.min_span:
            self._spans()
        self._blocks()
        text = self._cut()
        order = sorted(range(len(self.removals)), key=lambda k: self.removals[k].removed.start)
        out = _finish(text, self.config.normalize, ends_with_newline)
        warnings = []
        if len(self.source) >= _COLLAPSE_MIN and len(out) < 0.01 * len(self.source):
            warnings.append(
                f"{len(self.source)} characters came down to {len(out)}: the text is almost all "
                "one stretch repeated (a template or a generated page?)"
            )
        return CleanResult(
            text=out,
            removals=tuple(self.removals[k] for k in order),
            source=self.source,
            mode=self.mode,
            blocks=len(self.blocks),
            warnings=tuple(warnings),
        )

    # -- locations -------------------------------------------------------------------
    def _loc(self, start: int, end: int) -> Location:
        return Location(
            start, end, self.lines.line_of(start), self.lines.line_of(max(start, end - 1))
        )

    def _block_loc(self, first: int, last: int) -> Location:
        return self._loc(self.blocks[first].start, self.blocks[last].end)

    def _score(self, a: tuple[int, int], b: tuple[int, int]) -> float:
        ka = normalize_key(self.source[a[0] : a[1]], self.config.key)
        kb = normalize_key(self.source[b[0] : b[1]], self.config.key)
        return 1.0 if ka == kb else float(fuzzy_scores([ka], [kb])[0])

    # -- stage 2: spans ----------------------------------------------------------------
    def _spans(self) -> None:
        cfg = self.config
        gap = 32 if cfg.near else 0
        for rep in find_repeats(self.source, min_length=cfg.min_span, max_gap=gap, key=cfg.key):
            later = self._snap(rep.start, rep.end)
            earlier = self._snap(rep.source_start, rep.source_end)
            if later is None or earlier is None:
                continue
            score = self._score(later, earlier)
            if score < (cfg.threshold if cfg.near else 1.0):
                continue
            if self.config.keep == "last" and earlier[1] <= later[0]:
                later, earlier = earlier, later
            if any(a < later[1] and later[0] < b for a, b in self.cuts):
                continue
            self._add_span(later, earlier, score)

    def _add_span(self, later: tuple[int, int], earlier: tuple[int, int], score: float) -> None:
        first, last = self._aligned(*later)
        if first is not None and last is not None:
            kfirst, klast = self._aligned(*earlier)
            kept = (
                self._block_loc(kfirst, klast)
                if kfirst is not None and klast is not None
                else self._loc(*earlier)
            )
            count = last - first + 1
            kind: RemovalKind = "repeated-run" if count > 1 else "exact" if score == 1.0 else "near"
            self.covered[first : last + 1] = True
            self.removals.append(Removal(kind, self._block_loc(first, last), kept, score, count))
            self.cuts.append(self._block_cut(first, last))
            return
        overlap = (self.starts < later[1]) & (self.ends > later[0])
        self.covered |= overlap
        self.removals.append(
            Removal("span", self._loc(*later), self._loc(*earlier), score, int(overlap.sum()))
        )
        self.cuts.append(later)

    def _snap(self, start: int, end: int) -> tuple[int, int] | None:
        """Move a span's edges to word boundaries, taking in punctuation at its end."""
        src = self.source
        if _inside_word(src, start):
            # Started inside a word: the copy begins after it, and after the
            # punctuation and space that close it.
            while start < end and _inside_word(src, start):
                start += 1
            while start < end and not _CONTENT.match(src, start):
                start += 1
        while end > start and _inside_word(src, end):
            end -= 1
        while end > start and src[end - 1].isspace():
            end -= 1
        while end < len(src) and _PUNCT.match(src, end):
            end += 1
        if not _CONTENT.search(src, start, end):
            return None
        return start, end

    def _aligned(self, start: int, end: int) -> tuple[int | None, int | None]:
        """First and last block of a span that covers whole blocks, else ``None``."""
        src = self.source
        i = int(np.searchsorted(self.ends, start, side="right"))
        j = int(np.searchsorted(self.starts, end, side="left")) - 1
        if i >= len(self.blocks) or j < i:
            return None, None
        if _CONTENT.search(src, self.blocks[i].start, start) or _CONTENT.search(
            src, end, self.blocks[j].end
        ):
            return None, None
        return i, j

    def _block_cut(self, first: int, last: int) -> tuple[int, int]:
        """The text to cut for blocks first..last: the blocks and the space after them."""
        end = self.blocks[last].end
        nxt = last + 1
        return self.blocks[first].start, self.blocks[nxt].start if nxt < len(self.blocks) else max(
            end, len(self.source)
        )

    # -- stage 3: blocks ---------------------------------------------------------------
    def _blocks(self) -> None:
        cfg = self.config
        live = np.flatnonzero(~self.covered)
        if live.size < 2:
            return
        long = np.array([len(self.keys[i]) >= cfg.min_length for i in range(len(self.blocks))])
        left: list[int] = []
        right: list[int] = []
        groups: dict[str, list[int]] = defaultdict(list)
        for i in live.tolist():
            groups[self.keys[i]].append(i)
        for members in groups.values():
            left += members[:-1]
            right += members[1:]
        near_ok: dict[tuple[int, int], float] = {}
        if cfg.near:
            cand = live[long[live]]
            if cand.size > 1:
                for (i, j), s in self._near_pairs(cand).items():
                    near_ok[(i, j)] = s
                    left.append(i)
                    right.append(j)
        labels = connected_components(len(self.blocks), left, right)

        def similar(member: int, head: int) -> float | None:
            pair = (min(member, head), max(member, head))
            return near_ok[pair] if pair in near_ok else self._matches(member, head, long)

        lengths = [len(b.text) for b in self.blocks]
        keeper, score = choose_keepers(labels, keep=cfg.keep, lengths=lengths, similar=similar)
        keeper[self.covered] = np.flatnonzero(self.covered)
        removed = keeper != np.arange(len(self.blocks))
        self._extend_runs(keeper, score, removed, long)
        self._emit_runs(keeper, score, removed, long)

    def _near_pairs(self, cand: np.ndarray) -> dict[tuple[int, int], float]:
        cfg = self.config
        hasher = MinHasher(
            num_perm=cfg.num_perm, ngram=cfg.ngram, unit="char", seed=cfg.seed, key=None, workers=1
        )
        keys = [self.keys[i] for i in cand.tolist()]
        sig = hasher.signatures(keys)
        params = lsh_params(cfg.lsh_threshold, cfg.num_perm)
        pairs = candidate_pairs(band_keys(sig, params))
        if not len(pairs):
            return {}
        li, ri = cand[pairs.left], cand[pairs.right]
        scores = fuzzy_scores(
            [self.keys[i] for i in li.tolist()], [self.keys[j] for j in ri.tolist()]
        )
        return {
            (int(i), int(j)): float(s)
            for i, j, s in zip(li.tolist(), ri.tolist(), scores.tolist(), strict=True)
            if s >= cfg.threshold
        }

    def _matches(self, a: int, b: int, long: np.ndarray) -> float | None:
        if self.keys[a] == self.keys[b]:
            return 1.0
        if self.config.near and long[a] and long[b]:
            s = float(fuzzy_scores([self.keys[a]], [self.keys[b]])[0])
            if s >= self.config.threshold:
                return s
        return None

    def _extend_runs(
        self, keeper: np.ndarray, score: np.ndarray, removed: np.ndarray, long: np.ndarray
    ) -> None:
        """Grow runs over neighbours that repeat the kept blocks' neighbours (short ones too)."""
        n = len(self.blocks)
        is_keeper = np.zeros(n, dtype=bool)
        is_keeper[keeper[removed]] = True
        for j in np.flatnonzero(removed & long).tolist():
            for step in (1, -1):
                t = 1
                while True:
                    jj, kk = j + step * t, int(keeper[j]) + step * t
                    if not (0 <= jj < n and 0 <= kk < n) or jj == kk:
                        break
                    if self.covered[jj] or self.covered[kk] or removed[kk] or is_keeper[jj]:
                        break
                    if (
                        removed[jj]
                        or (self.config.keep == "first" and kk > jj)
                        or (self.config.keep == "last" and kk < jj)
                    ):
                        break
                    s = self._matches(jj, kk, long)
                    if s is None:
                        break
                    keeper[jj], score[jj], removed[jj] = kk, s, True
                    is_keeper[kk] = True
                    t += 1

    def _runs(self, keeper: np.ndarray, removed: np.ndarray) -> list[list[int]]:
        runs: list[list[int]] = []
        for j in np.flatnonzero(removed & ~self.covered).tolist():
            if runs and runs[-1][-1] == j - 1 and keeper[j] == keeper[j - 1] + 1:
                runs[-1].append(j)
            else:
                runs.append([j])
        return runs

    def _emit_runs(
        self, keeper: np.ndarray, score: np.ndarray, removed: np.ndarray, long: np.ndarray
    ) -> None:
        for run in self._runs(keeper, removed):
            if len(run) < 2 or not long[run].any():
                removed[[j for j in run if not long[j]]] = False
        for run in self._runs(keeper, removed):
            first, last = run[0], run[-1]
            kfirst, klast = int(keeper[first]), int(keeper[last])
            s = float(score[run].min())
            if len(run) > 1:
                kind: RemovalKind = "repeated-run"
            else:
                kind = "exact" if self.keys[first] == self.keys[kfirst] else "near"
            self.removals.append(
                Removal(
                    kind, self._block_loc(first, last), self._block_loc(kfirst, klast), s, len(run)
                )
            )
            self.cuts.append(self._block_cut(first, last))

    # -- stage 4: output ---------------------------------------------------------------
    def _cut(self) -> str:
        pieces, pos = [], 0
        for a, b in sorted(self.cuts):
            if a > pos:
                pieces.append(self.source[pos:a])
            pos = max(pos, b)
        pieces.append(self.source[pos:])
        return "".join(pieces)


def _is_word_char(ch: str) -> bool:
    return bool(_CONTENT.match(ch)) and not _SINGLE.match(ch)


def _inside_word(src: str, pos: int) -> bool:
    """Whether ``pos`` falls between two characters of one word."""
    return 0 < pos < len(src) and _is_word_char(src[pos - 1]) and _is_word_char(src[pos])


def _finish(text: str, config: NormalizeConfig, ends_with_newline: bool) -> str:
    if config.trailing_whitespace:
        text = trailing_whitespace(text)
    text = normalize(text, config.layout_only())
    if text and ends_with_newline and not text.endswith("\n"):
        text += "\n"
    elif not ends_with_newline:
        text = text.rstrip("\n")
    return text
