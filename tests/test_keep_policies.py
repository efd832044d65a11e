"""A keep policy is one entry of ``cluster.KEEP_RULES`` (and its name in
``cluster.KEEP_POLICIES``): corpus deduplication, in-document cleaning, the configs
and the CLI's ``--keep`` all honour a policy added there and nowhere else."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from textdedup import CleanConfig, DedupConfig, clean, cluster, dedup_records
from textdedup.cli import main

# A near copy one letter longer (a typo is an edit; a word added to a passage shorter
# than verify._EDIT_WORDS words is a fact of its own).
LONG = (
    "The committee met on Tuesday to discuss the budget for the next fiscal year. It"
    " agreed on most of the items after a long debatte."
)
SHORT = (
    "The committee met on Tuesday to discuss the budget for the next fiscal year. It"
    " agreed on most of the items after a long debate."
)
INTRO = "An introduction paragraph that is unique to this document and says something else."
OUTRO = "A closing paragraph, also unique, with its own words about the weather and the harvest."


@pytest.fixture
def shortest(monkeypatch: pytest.MonkeyPatch) -> str:
    """A toy policy, added in cluster.py only: the shortest item stays (ties: the first)."""

    def rule(position: np.ndarray, lengths: np.ndarray | None) -> tuple[np.ndarray, ...]:
        assert lengths is not None
        return (position, lengths)

    # The one module, cluster.py. (Under --doctest-modules with importlib imports,
    # pytest may have imported src/textdedup/cluster.py a second time: each copy the
    # package's modules hold gets the entry, as an edit of the file would give both.)
    from textdedup import config
    from textdedup.engines import batches

    copies = {
        id(g): g
        for g in (
            vars(cluster),
            vars(config.cluster),
            vars(sys.modules["textdedup.cluster"]),
            vars(sys.modules["textdedup.clean"])["choose_keepers"].__globals__,
            batches.keep_order.__globals__,
        )
    }
    for names in copies.values():
        monkeypatch.setitem(names["KEEP_RULES"], "shortest", rule)
        monkeypatch.setitem(names, "KEEP_POLICIES", (*names["KEEP_POLICIES"], "shortest"))
    return "shortest"


def test_keep_order_and_choose_keepers_read_the_rule(shortest: str) -> None:
    assert cluster.keep_order(shortest, 3, lengths=[9, 4, 4]).tolist() == [2, 0, 1]  # type: ignore[arg-type]
    keeper, _ = cluster.choose_keepers(np.array([0, 0, 0]), keep=shortest, lengths=[9, 4, 4])  # type: ignore[arg-type]
    assert keeper.tolist() == [1, 1, 1]


def test_dedup_honours_a_policy_added_in_cluster_only(shortest: str, tmp_path: Path) -> None:
    docs = [
        {"id": "long", "text": LONG},
        {"id": "short", "text": SHORT},
        {"id": "x", "text": INTRO},
    ]
    kept = {
        keep: [i.record.id for i in dedup_records(docs, config=DedupConfig(keep=keep)) if i.kept]  # type: ignore[arg-type]
        for keep in ("first", shortest)
    }
    assert kept == {"first": ["long", "x"], shortest: ["short", "x"]}
    src, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    src.write_text("".join(json.dumps(d) + "\n" for d in docs))
    result = CliRunner().invoke(main, ["dedup", str(src), "--keep", shortest, "-o", str(out), "-q"])
    assert result.exit_code == 0, result.output
    assert [json.loads(line)["id"] for line in out.read_text().splitlines()] == ["short", "x"]


def test_clean_honours_a_policy_added_in_cluster_only(shortest: str, tmp_path: Path) -> None:
    text = "\n\n".join([INTRO, LONG, SHORT, OUTRO])
    first = clean(text, config=CleanConfig(keep="first"))
    toy = clean(text, config=CleanConfig(keep=shortest))  # type: ignore[arg-type]
    assert first.text == "\n\n".join([INTRO, LONG, OUTRO])
    assert toy.text == "\n\n".join([INTRO, SHORT, OUTRO])
    [removal] = toy.removals
    assert text[removal.removed.start : removal.removed.end].startswith(LONG)
    doc = tmp_path / "doc.txt"
    doc.write_text(text)
    result = CliRunner().invoke(main, ["clean", str(doc), "--keep", shortest, "-q"])
    assert result.exit_code == 0, result.output
    assert result.stdout == toy.text


def test_an_unknown_policy_is_refused_everywhere() -> None:
    for make in (lambda: DedupConfig(keep="shortest"), lambda: CleanConfig(keep="shortest")):  # type: ignore[arg-type]
        with pytest.raises(ValueError, match="keep must be one of first, last, longest"):
            make()
    result = CliRunner().invoke(main, ["dedup", "--keep", "shortest"])
    assert result.exit_code == 2
    assert "'shortest' is not one of 'first', 'last', 'longest'" in result.stderr
