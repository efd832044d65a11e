"""textdedup.index_ops: the settings a run takes from an index, and index add, called directly."""

from __future__ import annotations

from pathlib import Path

import pytest

from textdedup.config import DedupConfig
from textdedup.errors import IncompatibleSettingsError
from textdedup.index import IndexError_, read_index_info
from textdedup.index_ops import IndexAdd, add_to_index, config_for_index, index_exists
from textdedup.records import Record

PARAS = [
    "The committee met on Tuesday to discuss the budget for the coming year in detail.\n\n"
    "Everyone agreed that the library needs a new roof before the winter rains arrive.",
    "A different opening paragraph about the weather, which was sunny and warm all day.\n\n"
    "Everyone agreed that the library needs a new roof before the winter rains arrive.",
]


def _records(texts: list[str]) -> list[Record]:
    return [Record(f"r{i}", t, "mem", i + 1) for i, t in enumerate(texts)]


def test_a_new_index_takes_the_settings_given_with_auto_shingles_as_words(tmp_path: Path) -> None:
    path = str(tmp_path / "new.sqlite")
    config = config_for_index(path, DedupConfig(shingle="auto", ngram=4, level="paragraph"))
    assert (config.shingle, config.ngram, config.level) == ("word", 4, "paragraph")
    assert not index_exists(path)


def test_an_existing_index_gives_its_settings_and_refuses_a_contradicting_given_one(
    tmp_path: Path,
) -> None:
    path = str(tmp_path / "i.sqlite")
    done = add_to_index(path, _records(PARAS), config=DedupConfig(level="paragraph", num_perm=64))
    assert index_exists(path)
    assert done.total == read_index_info(path).items == done.added
    # Not given: the index's settings win, whatever the config says.
    config = config_for_index(path, DedupConfig(num_perm=128, keep="last"))
    assert (config.level, config.num_perm, config.keep) == ("paragraph", 64, "last")
    # Given and different: refused, both values named.
    with pytest.raises(IndexError_) as info:
        config_for_index(path, DedupConfig(num_perm=128), given=("num_perm", "seed"))
    assert str(info.value) == (
        f"{path} was built with other settings (num_perm: index has 64, asked for 128); "
        "leave these options out to use the index's settings, or use a new index"
    )
    # Given and equal: accepted.
    assert config_for_index(path, DedupConfig(num_perm=64), given=("num_perm",)).num_perm == 64


def test_fields_are_refused_naming_the_parameter(tmp_path: Path) -> None:
    with pytest.raises(IncompatibleSettingsError) as info:
        config_for_index(str(tmp_path / "i.sqlite"), DedupConfig(fields=("title",)))
    assert info.value.parameters == ("fields",)
    assert str(info.value) == "fields works without an index"
    assert info.value.render({"fields": "--fields"}) == "--fields works without an index"


def test_add_to_index_counts_blocks_and_adding_again_adds_nothing(tmp_path: Path) -> None:
    path = str(tmp_path / "p.sqlite")
    config = DedupConfig(level="paragraph")
    first = add_to_index(path, _records(PARAS), config=config)
    # Two records of two paragraphs each, all at least min_length long.
    assert first == IndexAdd(added=4, total=4)
    assert add_to_index(path, _records(PARAS), config=config) == IndexAdd(added=0, total=4)
    more = add_to_index(
        path, _records(["One more paragraph, long enough to be an item."]), config=config
    )
    assert more == IndexAdd(added=1, total=5)


def test_add_to_index_of_documents(tmp_path: Path) -> None:
    path = str(tmp_path / "d.sqlite")
    done = add_to_index(path, _records([*PARAS, "short"]), config=DedupConfig())
    assert done == IndexAdd(added=3, total=3)
    assert read_index_info(path).records == 3
