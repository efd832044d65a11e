"""The library's output functions refuse what the CLI refuses: an output that is an input.

A new user's try (T13) found ``pipeline.open_output`` and ``dedup_to_output`` overwriting
an input file given as the output or the removals file, ``write_stats`` replacing one,
and ``config_for_index`` ignoring the config's own words in ``given``.
"""

from __future__ import annotations

import pytest


def test_library_outputs_never_replace_an_input(tmp_path):
    from textdedup.config import DedupConfig
    from textdedup.errors import OutputConflictError
    from textdedup.pipeline import DedupStats, dedup_to_output, open_output, write_stats
    from textdedup.records import ReadStats, RecordWriter, iter_records

    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text('{"text": "a b c d e"}\n{"text": "a b c d e"}\n{"text": "f g h"}\n')
    before = corpus.read_bytes()
    with pytest.raises(OutputConflictError, match="output"):
        open_output(str(corpus), [str(corpus)])
    with pytest.raises(OutputConflictError, match="output"):
        open_output(str(tmp_path / "out.jsonl"), [str(tmp_path)])  # inside an input folder
    out = tmp_path / "out" / "kept.jsonl"
    out.parent.mkdir()
    with pytest.raises(OutputConflictError, match="removals_path"):
        dedup_to_output(
            iter_records([str(corpus)]),
            RecordWriter(str(out)),
            config=DedupConfig(),
            removals_path=str(corpus),
            inputs=[str(corpus)],
        )
    with pytest.raises(OutputConflictError, match="output and index_path"):
        dedup_to_output(
            iter_records([str(corpus)]), RecordWriter(str(out)), config=DedupConfig(),
            index_path=str(out),
        )  # fmt: skip
    read = ReadStats()
    assert len(list(iter_records([str(corpus)], stats=read))) == 3
    with pytest.raises(OutputConflictError, match="stats_path"):
        write_stats(str(corpus), DedupStats(), read)
    assert corpus.read_bytes() == before
    assert not out.exists()


def test_open_output_refuses_an_unknown_action(tmp_path):
    from textdedup.pipeline import open_output

    with pytest.raises(ValueError, match="action"):
        open_output(str(tmp_path / "k.jsonl"), [], action="x")  # type: ignore[arg-type]


def test_config_for_index_understands_the_configs_words_in_given(tmp_path):
    from textdedup.config import DedupConfig
    from textdedup.index import IndexError_
    from textdedup.index_ops import add_to_index, config_for_index
    from textdedup.records import Record

    path = str(tmp_path / "i.sqlite")
    add_to_index(path, [Record("a", "one two three four five six", "mem", 1)], config=DedupConfig())
    asked = DedupConfig(level="line", near=False)
    with pytest.raises(IndexError_, match="unit: index has 'doc', asked for 'line'"):
        config_for_index(path, asked, given=("level",))
    with pytest.raises(IndexError_, match="mode: index has 'near', asked for 'exact'"):
        config_for_index(path, asked, given=("near",))
    with pytest.raises(ValueError, match="given names settings an index does not store: colour"):
        config_for_index(path, asked, given=("colour",))


def test_spark_names_a_missing_input_before_spark_starts(tmp_path):
    pytest.importorskip("pyspark")
    from textdedup.config import DedupConfig
    from textdedup.engines.spark_files import dedup_spark
    from textdedup.errors import InputError

    missing = str(tmp_path / "nope.jsonl")
    with pytest.raises(InputError, match=r"nope\.jsonl: no such file or folder"):
        dedup_spark([missing], str(tmp_path / "out/"), config=DedupConfig())
