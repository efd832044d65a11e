"""``dedup --engine spark`` passes JSONL records through as the local engine does.

Spark reads JSONL lines as text and writes the kept lines as read (``--action remove``),
or each record with its annotation added (``--action annotate``), encoded as the local
engine encodes it: no field is retyped (a mixed list stays mixed), reordered, dropped
(a ``null``) or reformatted (``1.0``, ``1e400``, a big integer).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.spark_support import SPARK_WARNINGS, require_pyspark

require_pyspark()

from textdedup import DedupConfig
from textdedup.cli import main
from textdedup.engines.spark_files import dedup_spark
from textdedup.errors import InputError

pytestmark = SPARK_WARNINGS

FOX = "the quick brown fox jumps over the lazy dog near the river bank on a sunny day"
RIVER = "a slow river winds through the old valley past farms and mills to the distant sea"
HILLS = "cold hills rise above quiet lakes where snow lies late and few people ever walk"
OWN = "an entirely different record with its own words and its own meaning written here"
# Written as they are: json.dumps would change them (key order, 1.0, 1e400, escapes).
_TEMPLATES = [
    '{"id": 1, "text": "FOX", "mix": ["x", 1, null, true], "n": null,'
    ' "nest": {"b": {"c": [1.0, 2]}, "a": "\\u00e9"}}',
    '{"text":"FOX","id":"2","big":123456789012345678901234567890,"f":1e400,"g":1.0,"e":1E5}',
    "",
    '{"zeta": "日本語 ☃ 🎉", "id": 3, "text": "OWN", "dedup": "old", "half": "\\ud83d"}',
    '  {"id": 4, "text": "RIVER", "nan": NaN, "z": -0.0}  ',
    '{"id": "5", "text": "RIVER", "empty": {}, "list": []}',
]
LINES = [
    t.replace('"FOX"', f'"{FOX}"').replace('"OWN"', f'"{OWN}"').replace('"RIVER"', f'"{RIVER}"')
    for t in _TEMPLATES
]


def _local(args: list[str]) -> None:
    result = CliRunner().invoke(main, ["dedup", *args, "-q"])
    assert result.exit_code == 0, result.output


def _parts(folder: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(folder.glob("part-*")))


@pytest.mark.parametrize(
    ("unit", "action"), [("doc", "remove"), ("doc", "annotate"), ("paragraph", "remove")]
)
def test_records_come_out_as_the_local_engine_writes_them(
    spark: object, tmp_path: Path, unit: str, action: str
) -> None:
    src = tmp_path / "in.jsonl"
    lines = LINES
    if unit == "paragraph":  # a shared paragraph: the later record's text is rebuilt
        text = f"{HILLS}\n\n{RIVER}"
        lines = [
            *LINES,
            '{"id": 6, "text": TEXT, "k": [1.0, "\\u00e9"]}'.replace("TEXT", json.dumps(text)),
        ]
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    local = tmp_path / "local.jsonl"
    args = [str(src), "--id-field", "id", "--unit", unit, "--action", action]
    _local([*args, "-o", str(local)])
    run = dedup_spark(
        [str(src)],
        str(tmp_path / "spark"),
        config=DedupConfig(level=unit),  # type: ignore[arg-type]
        id_field="id",
        action=action,  # type: ignore[arg-type]
    )
    written = _parts(tmp_path / "spark")
    expected = local.read_bytes()
    assert run.records == len([x for x in lines if x.strip()])
    assert run.written == len(expected.splitlines())
    if action == "remove":
        assert written == expected
        if unit == "paragraph":  # the last record's text was rebuilt: its first paragraph
            assert json.loads(written.splitlines()[-1]) == {"id": 6, "text": HILLS, "k": [1.0, "é"]}
        assert len(expected.splitlines()) < run.records  # something was removed
    else:
        assert [json.loads(x) for x in written.splitlines()] == [
            json.loads(x) for x in expected.splitlines()
        ]
        assert any(json.loads(x)["dedup"]["duplicate"] for x in written.splitlines())
    assert sorted(p.suffix for p in (tmp_path / "spark").glob("part-*")) == [".json"] * len(
        list((tmp_path / "spark").glob("part-*"))
    )


def test_bad_lines_name_the_file_and_line_and_empty_input_is_empty_output(
    spark: object, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.jsonl"
    for body, message in [
        ("[1, 2]", "expected a JSON object, got list"),
        ('{"id": 9, "txt": "no text"}', "missing field 'text'"),
        ('{"id": 9, "text": 5}', "field 'text' must be a string, got int"),
        ('{"id": true, "text": "x"}', "id field 'id' must be a string or integer, got bool"),
    ]:
        bad.write_text(f'{{"id": 1, "text": "fine"}}\n\n{body}\n', encoding="utf-8")
        with pytest.raises(InputError) as info:
            dedup_spark([str(bad)], str(tmp_path / "out"), config=DedupConfig(), id_field="id")
        assert (info.value.message, info.value.path, info.value.line) == (message, str(bad), 3)
        assert not (tmp_path / "out").exists()
    empty = tmp_path / "empty.jsonl"
    empty.write_bytes(b"")
    run = dedup_spark([str(empty)], str(tmp_path / "out"), config=DedupConfig(), id_field="id")
    assert (run.records, run.written) == (0, 0)
    assert _parts(tmp_path / "out") == b""
