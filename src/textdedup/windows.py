"""Sentence and word-window blocks that do not depend on where lines were wrapped.

A segmentation stage beside :mod:`textdedup.segment`, used by the corpus commands'
``sentence`` and ``window`` units. Paragraph and line blocks follow a document's line
breaks, so a passage copied and re-wrapped at another width shares no line with its
source, and a hard-wrapped document without blank lines is one paragraph. The blocks
here are cut from the words alone:

* :func:`sentence_blocks` reflows hard-wrapped text first (:func:`textdedup.reflow.reflow`:
  line breaks that only wrap prose are joined; breaks of verse, code, lists, headings
  stay), then splits at the breaks that remain and at sentence ends
  (:func:`textdedup.segment.sentence_bounds`).
* :func:`window_blocks` cuts fixed windows of :data:`WINDOW_WORDS` words every
  :data:`WINDOW_STEP` words (they overlap), the last one ending at the last word, as in
  the overlapping-chunk setups of text-reuse and decontamination tools. Windows are
  for finding copies (``find``, ``index add``, ``check``, ``dedup --action annotate``):
  a verified window may hold words of its own, so ``dedup`` reports windows and cuts
  none (``--unit passage`` cuts exactly the aligned copy).

Every block's span refers to the text as given, and ``text[start:end]`` is its text.
"""

from __future__ import annotations

import regex

from .passages import _SINGLE
from .reflow import reflow
from .segment import Block, LineIndex, segment, sentence_bounds

__all__ = ["WINDOW_STEP", "WINDOW_WORDS", "sentence_blocks", "unit_blocks", "window_blocks"]

#: Words per window of the ``window`` unit.
WINDOW_WORDS = 50
#: Words from one window's start to the next one's. A copy then starts at most 5 words
#: from a window start of its source, and two 50-word windows 5 words apart keep a word
#: 5-gram Jaccard similarity of 41/51 = 0.80, above the default threshold of 0.7.
WINDOW_STEP = 10

_LINE = regex.compile(r"[^\n]*\S[^\n]*")
_PARAGRAPH_BREAK = regex.compile(r"\n(?:[^\S\n]*\n)+")


def _blocks(text: str, spans: list[tuple[int, int]]) -> list[Block]:
    lines = LineIndex(text)
    firsts = lines.lines_of([a for a, _ in spans]).tolist()
    lasts = lines.lines_of([b - 1 for _, b in spans]).tolist()
    return [
        Block(index=i, start=a, end=b, line_start=first, line_end=last, text=text[a:b])
        for i, ((a, b), first, last) in enumerate(zip(spans, firsts, lasts, strict=True))
    ]


def sentence_blocks(text: str) -> list[Block]:
    """Split ``text`` into sentences, whatever its line width.

    Hard-wrapped paragraphs are reflowed first, so a sentence wrapped over three lines
    is one block, and inside a reflowed paragraph a line break that reflowing keeps
    (a heading, a short line that ends a paragraph in a text without blank lines) ends
    a block too. Elsewhere blocks end at blank lines and sentence ends, as in
    :func:`textdedup.segment.segment`'s ``"sentence"`` mode: verse, code and short
    paragraphs, which are not reflowed, are not cut at their line breaks either.

    Parameters
    ----------
    text:
        The document, as written.

    Returns
    -------
    list of Block
        In order, with spans into ``text`` and 1-based line numbers.

    >>> t = "A heading\\n\\nThe first sentence is wrapped\\nover two lines. A second one."
    >>> [b.text for b in sentence_blocks(t)]
    ['A heading', 'The first sentence is wrapped\\nover two lines.', 'A second one.']
    """
    r = reflow(text)
    spans: list[tuple[int, int]] = []
    cuts = [0]
    for m in _PARAGRAPH_BREAK.finditer(r.text):
        cuts += [m.start(), m.end()]
    cuts.append(len(r.text))
    for a, b in zip(cuts[::2], cuts[1::2], strict=True):
        oa, ob = r.span(a, b)
        reflowed = text.count("\n", oa, ob) > r.text.count("\n", a, b)
        parts = (
            [(m.start(), m.end()) for m in _LINE.finditer(r.text, a, b)] if reflowed else [(a, b)]
        )
        spans += [r.span(x, y) for pa, pb in parts for x, y in sentence_bounds(r.text, pa, pb)]
    return _blocks(text, spans)


def window_blocks(text: str, *, size: int = WINDOW_WORDS, step: int = WINDOW_STEP) -> list[Block]:
    """Cut ``text`` into windows of ``size`` words, one every ``step`` words.

    A word is a run of non-space characters, or one character of a script written
    without spaces (Chinese, Japanese, Thai...). Line breaks count as spaces, so the
    windows of a text do not depend on its wrapping. A text of at most ``size`` words
    is one window; the last window ends at the last word.

    Parameters
    ----------
    text:
        The document, as written.
    size, step:
        Words per window and between window starts; ``1 <= step <= size``.

    Returns
    -------
    list of Block
        In order of their starts, with spans into ``text``.

    Raises
    ------
    ValueError
        ``size`` or ``step`` out of range.

    >>> [b.text for b in window_blocks("a b c d e\\nf g", size=4, step=2)]
    ['a b c d', 'c d e\\nf', 'd e\\nf g']
    """
    if isinstance(size, bool) or not isinstance(size, int) or size < 1:
        raise ValueError(f"size must be an int >= 1, got {size!r}")
    if isinstance(step, bool) or not isinstance(step, int) or not 1 <= step <= size:
        raise ValueError(f"step must be an int in [1, size={size}], got {step!r}")
    words = [(m.start(), m.end()) for m in _SINGLE.finditer(text)]
    n = len(words)
    if n == 0:
        return []
    starts = list(range(0, max(n - size, 0) + 1, step))
    if starts[-1] + size < n:
        starts.append(n - size)
    spans = [(words[s][0], words[min(s + size, n) - 1][1]) for s in starts]
    return _blocks(text, spans)


def unit_blocks(text: str, unit: str) -> list[Block]:
    """The blocks of a corpus command's block ``unit`` (``paragraph``, ``line``,
    ``sentence`` or ``window``) in ``text``.

    >>> [b.text for b in unit_blocks("One. Two.\\nThree.", "line")]
    ['One. Two.', 'Three.']
    """
    if unit == "sentence":
        return sentence_blocks(text)
    if unit == "window":
        return window_blocks(text)
    if unit in ("paragraph", "line"):
        return segment(text, unit)  # type: ignore[arg-type]
    raise ValueError(f"unit must be one of paragraph, line, sentence, window, got {unit!r}")
