"""What ``clean`` would change in a text, change by change, and as a unified diff.

Beside the flow, after :func:`textdedup.clean`: it compares the input as read
with the :class:`~textdedup.clean.CleanResult` and accounts for every difference
in three steps, in the order clean makes them:

1. normalization (input -> ``result.source``): line endings, whitespace,
   invisible characters and other Unicode normalization, line by line;
2. removals: each :class:`~textdedup.clean.Removal` with its reason;
3. layout (``source`` with the removals cut -> ``result.text``): blank lines and
   edges tidied after the cuts.

``textdedup clean --check`` prints these; ``--diff`` prints :func:`unified_diff`
(:mod:`difflib`).
"""

from __future__ import annotations

import difflib
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from .clean import CleanResult

__all__ = ["Change", "changes", "unified_diff"]

ChangeKind = Literal["line-endings", "whitespace", "invisible", "unicode", "removal", "layout"]


@dataclass(frozen=True, slots=True)
class Change:
    """One thing clean would change: its kind, the input line (1-based) and why."""

    kind: ChangeKind
    line: int | None
    detail: str

    def __str__(self) -> str:
        where = f"line {self.line}: " if self.line is not None else ""
        return f"{self.kind}: {where}{self.detail}"


def _invisible(ch: str) -> bool:
    return unicodedata.category(ch) == "Cf"


def _describe_line(old: str, new: str) -> tuple[ChangeKind, str]:
    if old.split() == new.split():
        return "whitespace", "whitespace changed"
    hidden = sorted({ch for ch in old if _invisible(ch)} - set(new))
    if hidden and "".join(ch for ch in old if not _invisible(ch)).split() == new.split():
        names = ", ".join(f"U+{ord(ch):04X} {unicodedata.name(ch, '?')}" for ch in hidden)
        return "invisible", f"invisible characters removed ({names})"
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            return "unicode", f"characters normalized: {old[i1:i2]!r} -> {new[j1:j2]!r}"
    return "unicode", "characters normalized"  # pragma: no cover - lines differ somewhere


def _line_changes(old: str, new: str, kind: ChangeKind | None) -> list[Change]:
    """Per-line account of ``old`` -> ``new``; ``kind`` forces the kind (layout)."""
    a, b = old.splitlines(), new.splitlines()
    out: list[Change] = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        if tag == "replace" and i2 - i1 == j2 - j1:
            for k in range(i2 - i1):
                got, detail = _describe_line(a[i1 + k], b[j1 + k])
                out.append(Change(kind or got, i1 + k + 1, detail))
            continue
        removed = a[i1:i2]
        if kind == "layout" and removed and not any(s.strip() for s in removed) and j1 == j2:
            n = len(removed)
            out.append(Change("layout", i1 + 1, f"{n} blank line{'s' * (n != 1)} removed"))
        else:
            out.append(
                Change(
                    kind or "unicode",
                    i1 + 1,
                    f"{i2 - i1} line(s) replaced by {j2 - j1}",
                )
            )
    if old.endswith(("\n", "\r")) != new.endswith(("\n", "\r")) and not out:
        what = "added" if new.endswith("\n") else "removed"
        out.append(Change(kind or "whitespace", len(a) or None, f"final newline {what}"))
    return out


def _cut(source: str, result: CleanResult) -> str:
    spans = sorted((r.removed.start, r.removed.end) for r in result.removals)
    pieces, pos = [], 0
    for start, end in spans:
        # A removed run of whole lines takes its line break with it.
        whole = start == 0 or source[start - 1] == "\n"
        if whole and end < len(source) and source[end] == "\n":
            end += 1
        if start > pos:
            pieces.append(source[pos:start])
        pos = max(pos, end)
    pieces.append(source[pos:])
    return "".join(pieces)


def changes(text: str, result: CleanResult) -> list[Change]:
    """Everything clean changes in ``text`` to make ``result.text``, in order.

    Parameters
    ----------
    text:
        The input as read (before any normalization).
    result:
        ``clean(text, ...)``.

    Returns
    -------
    list of Change
        Empty exactly when ``result.text == text``. Line numbers of normalization
        changes are the input's; of layout changes, the text's after the cuts.

    >>> from textdedup import clean
    >>> body = "First paragraph of the story, long enough to count.\\n"
    >>> for c in changes("Title \\n" + body + body, clean("Title \\n" + body + body)):
    ...     print(c)
    whitespace: line 1: whitespace changed
    removal: line 3: lines 3: exact duplicate of lines 2 (score 1.000)
    """
    out: list[Change] = []
    if "\r" in text and "\r" not in result.source:
        crlf = text.count("\r\n")
        lone = text.count("\r") - crlf
        counts = ", ".join(f"{n} {w}" for n, w in ((crlf, "CRLF"), (lone, "CR")) if n)
        out.append(Change("line-endings", None, f"line endings changed to LF ({counts})"))
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    out += _line_changes(text, result.source, None)
    out += [Change("removal", r.removed.line_start, r.reason) for r in result.removals]
    out += _line_changes(_cut(result.source, result), result.text, "layout")
    if not out and text != result.text:
        out.append(Change("layout", None, "the text changes (not located to a line)"))
    return out


def unified_diff(text: str, new: str, *, name: str = "-", context: int = 3) -> str:
    """A unified diff of ``text`` -> ``new`` (:func:`difflib.unified_diff`), ``""`` if equal.

    >>> print(unified_diff("a\\nb\\nb\\n", "a\\nb\\n", name="doc.txt"), end="")
    --- a/doc.txt
    +++ b/doc.txt
    @@ -1,3 +1,2 @@
     a
     b
    -b
    """
    lines = difflib.unified_diff(
        text.splitlines(keepends=True),
        new.splitlines(keepends=True),
        fromfile=f"a/{name}",
        tofile=f"b/{name}",
        n=context,
    )
    out = []
    for line in lines:
        out.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return "".join(out)
