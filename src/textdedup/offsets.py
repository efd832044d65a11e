"""Offsets into a text as written, for reports about a text that was rewritten.

Beside the flow, after :func:`textdedup.clean`. ``clean`` reports its removals as
offsets into ``CleanResult.source`` (the input after the line-preserving
normalization) and its output is that text with the removals cut and the layout
tidied. A corpus report names places in the record as it was read, so positions
of either text are mapped back to the input here:

* source -> input: the normalization keeps every line (line endings, invisible
  characters, spaces, NFC, trailing whitespace change only the inside of a line),
  so lines are paired one to one and each changed line is aligned character by
  character;
* output -> input: the output is aligned with the source *minus the removals* (so
  a kept copy is never confused with the removed copy it equals), line by line
  (:class:`difflib.SequenceMatcher`), then mapped through the source.

A position that has no counterpart (a character the normalization removed) maps
to the nearest edge, so a span ``[start, end)`` maps to the smallest span of the
input that holds what it holds.
"""

from __future__ import annotations

import bisect
import difflib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import regex

if TYPE_CHECKING:
    from .clean import CleanResult

__all__ = ["InputOffsets", "OffsetMap"]

# Every line break str.splitlines() knows, as textdedup.normalize.line_endings does.
_BREAK = regex.compile(r"\r\n|[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
# Above this many characters a changed stretch is aligned greedily (linear time)
# instead of with SequenceMatcher (quadratic in the worst case).
_CHAR_DIFF_MAX = 5000


def _lines(text: str) -> list[tuple[int, int, int]]:
    """``(start, content_end, end)`` of each line; ``end`` includes the line break."""
    out, pos = [], 0
    for m in _BREAK.finditer(text):
        out.append((pos, m.start(), m.end()))
        pos = m.end()
    if pos < len(text):
        out.append((pos, len(text), len(text)))
    return out


@dataclass(frozen=True, slots=True)
class OffsetMap:
    """Where the characters of a rewritten text (``new``) came from in the original (``old``).

    ``segments`` are ``(new_start, old_start, length)`` stretches, sorted and not
    overlapping, in which character ``new_start + k`` came from ``old_start + k``.

    >>> m = OffsetMap.between("a\\r\\nb\\u200bc\\r\\n", "a\\nbc\\n")
    >>> m.span(2, 4)   # "bc" in the new text
    (3, 6)
    """

    segments: tuple[tuple[int, int, int], ...]
    old_len: int

    @classmethod
    def identity(cls, n: int) -> OffsetMap:
        """The map of a text that was not changed, ``n`` characters long."""
        return cls(((0, 0, n),) if n else (), n)

    @classmethod
    def between(cls, old: str, new: str) -> OffsetMap:
        """Align ``new`` with ``old``: whole lines first, then characters in changed lines."""
        if old == new:
            return cls.identity(len(old))
        a, b = _lines(old), _lines(new)
        ca = [old[s:e] for s, e, _ in a]
        cb = [new[s:e] for s, e, _ in b]
        segs: list[tuple[int, int, int]] = []
        if len(a) == len(b):
            # As many lines (the line-preserving normalization): line k is line k. A
            # line diff could pair a changed line with an equal one of a later copy.
            opcodes: Sequence[tuple[str, int, int, int, int]] = [
                ("equal" if x == y else "replace", k, k + 1, k, k + 1)
                for k, (x, y) in enumerate(zip(ca, cb, strict=True))
            ]
        else:
            opcodes = difflib.SequenceMatcher(None, ca, cb, autojunk=False).get_opcodes()
        for tag, i1, i2, j1, j2 in opcodes:
            if tag == "equal":
                for k in range(i2 - i1):
                    (os_, oc, oe), (ns, nc, ne) = a[i1 + k], b[j1 + k]
                    if nc > ns:
                        segs.append((ns, os_, nc - ns))
                    if ne > nc and oe > oc:  # the line break, whichever it was
                        segs.append((nc, oc, 1))
            elif tag == "replace":
                o0, o1 = a[i1][0], a[i2 - 1][2]
                n0, n1 = b[j1][0], b[j2 - 1][2]
                segs += _char_segments(old[o0:o1], new[n0:n1], o0, n0)
        return cls(tuple(segs), len(old))

    def _find(self, pos: int) -> int:
        """The index of the last segment starting at or before ``pos`` (-1 for none)."""
        return bisect.bisect_right(self.segments, pos, key=lambda s: s[0]) - 1

    def start(self, pos: int) -> int:
        """The old offset of a span starting at new offset ``pos``."""
        k = self._find(pos)
        if k < 0:
            return 0
        ns, os_, n = self.segments[k]
        return os_ + (pos - ns) if pos < ns + n else os_ + n

    def end(self, pos: int) -> int:
        """The old offset of a span ending (exclusive) at new offset ``pos``."""
        if pos <= 0:
            return 0
        k = self._find(pos - 1)
        if k >= 0:
            ns, os_, n = self.segments[k]
            if pos - 1 < ns + n:
                return os_ + (pos - ns)
        after = k + 1
        return self.segments[after][1] if after < len(self.segments) else self.old_len

    def span(self, start: int, end: int) -> tuple[int, int]:
        """``[start, end)`` of the new text as ``(start, end)`` of the old one."""
        a = self.start(start)
        return a, max(a, self.end(end)) if end > start else a


def _char_segments(old: str, new: str, o0: int, n0: int) -> list[tuple[int, int, int]]:
    """Matching (and same-length substituted) stretches of two short changed pieces."""
    if len(old) > _CHAR_DIFF_MAX or len(new) > _CHAR_DIFF_MAX:
        return _greedy_segments(old, new, o0, n0)
    out: list[tuple[int, int, int]] = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        # A same-length replacement is a substitution (NBSP -> space): keep it paired.
        if tag == "equal" or (tag == "replace" and i2 - i1 == j2 - j1):
            out.append((n0 + j1, o0 + i1, i2 - i1))
    return out


def _greedy_segments(old: str, new: str, o0: int, n0: int) -> list[tuple[int, int, int]]:
    """A linear-time alignment for long pieces: pair equal characters, skip the extra ones."""
    out: list[tuple[int, int, int]] = []
    i = j = 0
    while i < len(old) and j < len(new):
        if old[i] == new[j] or len(old) - i == len(new) - j:
            start_i, start_j = i, j
            while (
                i < len(old) and j < len(new) and (old[i] == new[j] or len(old) - i == len(new) - j)
            ):
                i += 1
                j += 1
            out.append((n0 + start_j, o0 + start_i, i - start_i))
        elif len(old) - i > len(new) - j:
            i += 1
        else:
            j += 1
    return out


class InputOffsets:
    """Positions in ``clean``'s source and output, as offsets into the input as written.

    Parameters
    ----------
    text:
        The input given to :func:`textdedup.clean`.
    result:
        What ``clean(text, ...)`` returned.

    >>> from textdedup import clean
    >>> body = "A paragraph long enough to be a block of its own.\\r\\n"
    >>> text = "Title\\r\\n" + body + body
    >>> where = InputOffsets(text, clean(text))
    >>> where.from_output(6, 55)   # the kept paragraph in the output, in the input
    (7, 56)
    """

    def __init__(self, text: str, result: CleanResult) -> None:
        self._text = text
        self._result = result
        self._source = OffsetMap.between(text, result.source)
        self._output: tuple[OffsetMap, OffsetMap] | None = None

    def from_source(self, start: int, end: int) -> tuple[int, int]:
        """A span of ``result.source`` (a removal's location) in the input."""
        return self._source.span(start, end)

    def from_output(self, start: int, end: int) -> tuple[int, int]:
        """A span of ``result.text`` (a block of the cleaned text) in the input."""
        if self._output is None:
            self._output = self._output_maps()
        to_rest, to_source = self._output
        a, b = to_rest.span(start, end)
        a, b = to_source.span(a, b)
        return self._source.span(a, b)

    def _output_maps(self) -> tuple[OffsetMap, OffsetMap]:
        source = self._result.source
        cuts = []
        for r in self._result.removals:
            s, e = r.removed.start, r.removed.end
            # A removed run of whole lines takes its line break with it.
            if (s == 0 or source[s - 1] == "\n") and e < len(source) and source[e] == "\n":
                e += 1
            cuts.append((s, e))
        segs: list[tuple[int, int, int]] = []
        pos = at = 0
        for s, e in [*sorted(cuts), (len(source), len(source))]:
            if s > pos:
                segs.append((at, pos, s - pos))
                at += s - pos
            pos = max(pos, e)
        rest = "".join(source[o : o + n] for _, o, n in segs)
        return OffsetMap.between(rest, self._result.text), OffsetMap(tuple(segs), len(source))

    def removal(self, entry: dict[str, Any]) -> dict[str, Any]:
        """A :meth:`Removal.to_dict <textdedup.clean.Removal.to_dict>` entry with its
        ``removed`` and ``kept`` offsets moved into the input (lines stay: they agree)."""
        out = dict(entry)
        for side in ("removed", "kept"):
            loc = dict(entry[side])
            loc["start"], loc["end"] = self.from_source(loc["start"], loc["end"])
            out[side] = loc
        return out
