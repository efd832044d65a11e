"""The labels of ``benchmarks/clean_quality.py`` are right: checked on a few documents."""

from __future__ import annotations

import importlib.util
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType, SimpleNamespace

import pytest

from textdedup.normalize import NormalizeConfig, normalize

BENCH = Path(__file__).resolve().parent.parent / "benchmarks" / "clean_quality.py"


@pytest.fixture(scope="module")
def cq() -> ModuleType:
    spec = importlib.util.spec_from_file_location("clean_quality", BENCH)
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    sys.modules["clean_quality"] = mod  # dataclasses look their module up
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def docs(cq: ModuleType) -> list[object]:
    return list(cq.generate(80, 3))


def _norm(text: str) -> str:
    """Words of a text for comparing a copy with its origin: no markup, case, quotes, spaces."""
    text = re.sub(r"</?p>", " ", text).casefold()
    text = re.sub(r"[\"'\u201c\u201d]", "", text)
    return " ".join(text.split())


def test_documents_are_normalized(docs: Sequence[SimpleNamespace]) -> None:
    line_preserving = NormalizeConfig().line_preserving()
    for d in docs:
        assert normalize(d.text, line_preserving) == d.text, d.id


def test_labels_match_the_artifact(docs: Sequence[SimpleNamespace]) -> None:
    kinds = {d.artifact for d in docs}
    assert "none" in kinds and len(kinds) > 5
    for d in docs:
        if d.artifact == "none":
            assert d.planted == [] and d.origin == [], d.id
        else:
            assert len(d.planted) == 1 and len(d.origin) == 1, d.id


def _grams(text: str, n: int = 8) -> set[str]:
    return {text[i : i + n] for i in range(max(1, len(text) - n + 1))}


EXACT = {"doubled", "run", "short", "midline", "cjk", "cyrillic"}


def test_planted_spans_are_copies_of_earlier_text(docs: Sequence[SimpleNamespace]) -> None:
    for d in docs:
        for (a, b), (oa, ob) in zip(d.planted, d.origin, strict=True):
            assert 0 <= oa < ob <= a < b <= len(d.text), d.id
            copy, origin = _norm(d.text[a:b]), _norm(d.text[oa:ob])
            assert copy and not d.text[a].isspace() and not d.text[b - 1].isspace(), d.id
            # Most of the copy's character 8-grams occur in the text before it (edits
            # change a few), and a copy with no edits is its origin, word for word.
            grams = _grams(copy)
            before = _grams(_norm(d.text[:a]))
            assert len(grams & before) >= 0.8 * len(grams), (d.id, d.genre, d.artifact)
            if d.artifact in EXACT:
                assert copy == origin, (d.id, d.genre, d.artifact, copy[:60], origin[:60])


def test_cutting_the_planted_span_keeps_its_origin(docs: Sequence[SimpleNamespace]) -> None:
    for d in docs:
        for a, b in d.planted:
            if d.artifact in EXACT:
                rest = " ".join((d.text[:a] + d.text[b:]).split())
                assert " ".join(d.text[a:b].split()) in rest, d.id


def test_generation_is_deterministic(cq: ModuleType) -> None:
    one = [(d.text, d.planted) for d in cq.generate(26, 9)]
    two = [(d.text, d.planted) for d in cq.generate(26, 9)]
    assert one == two
    assert one != [(d.text, d.planted) for d in cq.generate(26, 10)]


def _fake_clean(ranges: Sequence[tuple[int, int]]):  # type: ignore[no-untyped-def]
    """A stand-in for ``textdedup.clean`` that removes the given ranges."""

    def run(text: str) -> SimpleNamespace:
        keep = [c for i, c in enumerate(text) if not any(a <= i < b for a, b in ranges)]
        removals = [
            SimpleNamespace(kind="span", removed=SimpleNamespace(start=a, end=b)) for a, b in ranges
        ]
        return SimpleNamespace(source=text, text="".join(keep), removals=removals)

    return run


def test_scoring_counts_lost_and_missed_characters(
    cq: ModuleType, docs: Sequence[SimpleNamespace]
) -> None:
    d = next(x for x in docs if x.artifact == "doubled")
    (a, b) = d.planted[0]
    planted = sum(not c.isspace() for c in d.text[a:b])
    perfect = cq.score_doc(d, _fake_clean(d.planted))
    assert (perfect["tp"], perfect["fp"], perfect["fn"]) == (planted, 0, 0)
    assert perfect["report_ok"]
    nothing = cq.score_doc(d, _fake_clean([]))
    assert (nothing["tp"], nothing["fp"], nothing["fn"]) == (0, 0, planted)
    title = d.text.index("\n")
    lost = cq.score_doc(d, _fake_clean([(0, title)]))
    assert lost["fp"] == sum(not c.isspace() for c in d.text[:title]) > 0


def test_a_copy_may_be_cut_at_an_equivalent_place(cq: ModuleType) -> None:
    text = "Aa.\nBb.\nAa.\nBb.\n"
    # The planted copy is the second "Aa.\nBb.\n"; cutting "Bb.\nAa.\n" leaves the same text.
    removed = cq._mask(len(text), [(4, 12)])
    assert cq._placed(text, (8, 16), removed) == (4, 11)  # "Bb.\nAa."
    assert cq._placed(text, (8, 16), cq._mask(len(text), [])) == (8, 16)


def test_equivalent_places_ignore_whitespace(cq: ModuleType) -> None:
    # Cutting "family.\nPlot 2 owner" leaves the same words as cutting "Plot 2 owner family."
    text = "Plot 1 owner family.\nPlot 2 owner family.\nPlot 2 owner family."
    planted = (text.rindex("Plot 2"), len(text))
    start = text.index("family.", text.index("Plot 2"))
    cut = (start, text.rindex(" family."))
    assert cq._placed(text, planted, cq._mask(len(text), [cut])) == (start, cut[1])


def test_mid_sentence_cut_is_seen(cq: ModuleType) -> None:
    text = 'As she said, "the long quote here" - and it goes on.\nNext line.'
    start = text.index("the long")
    end = text.index('" -')
    assert cq._mid_sentence(text, start, end)
    assert not cq._mid_sentence(text, text.index("Next"), len(text))
