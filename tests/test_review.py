"""The review page: what it shows, that it samples, that hostile text stays text."""

from __future__ import annotations

import json
import random
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from textdedup.cli import main
from textdedup.review import ReviewConfig, diff_html

FIXTURE = Path(__file__).resolve().parents[1].parent / "shared" / "fixtures" / "doubled_article.txt"

WORDS = [
    *("river", "stone", "cloud", "maple", "harbor", "lantern", "meadow", "copper", "violet"),
    *("thunder", "orchard", "candle", "falcon", "glacier", "pepper", "saddle", "timber"),
    *("velvet", "walnut", "yellow", "anchor", "basket", "cobalt", "dune"),
]


def _text(seed: int, n: int = 60) -> str:
    # A fixed random text per seed: distinct seeds share almost no 5-word shingles.
    rng = random.Random(seed)
    return " ".join(rng.choice(WORDS) for _ in range(n))


def _edit(text: str, at: int, word: str) -> str:
    words = text.split()
    words[at] = word
    return " ".join(words)


def _corpus(tmp_path: Path) -> Path:
    """Clusters of known shape: one of 4 copies, several pairs, many singletons."""
    rows = []
    base = _text(1)
    rows.append({"id": "big", "text": base})
    for k in range(3):
        rows.append({"id": f"big-{k}", "text": base})
    pair = _text(2)
    rows.append({"id": "pair", "text": pair})
    rows.append({"id": "pair-edit", "text": _edit(pair, 30, "ZEBRA")})
    hostile = _text(3) + " <script>alert('x')</script> &amp; \"quoted\""
    rows.append({"id": "<b>hostile</b>", "text": hostile})
    rows.append({"id": "hostile-copy", "text": hostile + " <img src=x onerror=alert(1)>"})
    for i in range(10, 30):
        rows.append({"id": f"single-{i}", "text": _text(i * 13 + 5)})
    path = tmp_path / "corpus.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


class _Tags(HTMLParser):
    """Every start tag with its attributes, and the text inside elements of a class."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.stack: list[str] = []
        self.text: dict[str, list[str]] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag not in ("meta", "input", "br", "rect", "line", "polyline"):
            self.stack.append(dict(attrs).get("class") or "")

    def handle_endtag(self, tag: str) -> None:
        if self.stack and tag not in ("meta", "input", "br", "rect", "line", "polyline"):
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if self.stack and self.stack[-1]:
            self.text.setdefault(self.stack[-1], []).append(data)


def _parse(page: str) -> _Tags:
    p = _Tags()
    p.feed(page)
    return p


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def found(runner: CliRunner, tmp_path: Path) -> tuple[Path, Path, Path]:
    corpus = _corpus(tmp_path)
    clusters, stats = tmp_path / "clusters.jsonl", tmp_path / "stats.json"
    args = ["--id-field", "id", "--clusters", str(clusters), "--stats", str(stats), "-q"]
    result = runner.invoke(main, ["find", str(corpus), *args])
    assert result.exit_code == 0, result.output
    return corpus, clusters, stats


def test_find_clusters_carry_previews(found: tuple[Path, Path, Path]) -> None:
    corpus, clusters, _ = found
    rows = [json.loads(line) for line in clusters.read_text().splitlines()]
    texts = {
        json.loads(line)["id"]: json.loads(line)["text"] for line in corpus.read_text().splitlines()
    }
    assert sorted(r["size"] for r in rows) == [2, 2, 4]
    for row in rows:
        for m in row["members"]:
            flat = " ".join(texts[m["id"]].split())
            assert m["preview"] == flat[:77] + "..."
            assert len(m["preview"]) == 80


def test_review_page_from_find(runner: CliRunner, found: tuple[Path, Path, Path]) -> None:
    corpus, clusters, stats = found
    out = clusters.parent / "review.html"
    args = [str(stats), "--corpus", str(corpus), "--id-field", "id", "-o", str(out)]
    result = runner.invoke(main, ["review", str(clusters), *args])
    assert result.exit_code == 0, result.output
    assert result.stderr == f"wrote {out} ({len(out.read_text(encoding='utf-8'))} characters)\n"
    page = out.read_text(encoding="utf-8")
    tags = _parse(page)
    details = [a for t, a in tags.tags if t == "details" and a.get("class") == "cluster"]
    assert len(details) == 3
    # Largest first: the first cluster shown is the one of 4 records.
    first = page.index('id="cluster-0"')
    assert "4 records; kept <b>big</b>" in page[first : first + 200]
    # The changed word is marked in the removed copy, and its counterpart in the kept copy.
    assert "".join(tags.text["c-b"]).count("ZEBRA") >= 1
    kept_word = _text(2).split()[30]
    assert kept_word in tags.text["c-a"]
    # Each pair says why it went: the verified score and the reason find computed (not
    # guessed from the score). The three exact copies show in their cluster.
    assert (
        page.count(
            "verified score 1.000 against the kept record (threshold 0.7): exact duplicate "
            '(the same text after normalization)</div><div class="meta">the same text</div>'
        )
        == 3
    )
    score = next(
        m["score"]
        for line in clusters.read_text().splitlines()
        for m in json.loads(line)["members"]
        if m["id"] == "pair-edit"
    )
    assert (
        "removed <b>pair-edit</b> duplicates kept <b>pair</b>: verified score "
        f"{score:.3f} against the kept record (threshold 0.7): near duplicate"
    ) in page
    # Every candidate pair is counted by band, verified and rejected, as in --stats.
    sample = json.loads(stats.read_text())["candidate_pair_sample"]
    assert (
        sum(b["verified"] for b in sample["bands"])
        == json.loads(stats.read_text())["verified_pairs"]
    )
    for band in sample["bands"]:
        row = (
            f"<tr><td>{band['low']:.2f}-{band['high']:.2f}</td><td>{band['verified']}</td>"
            f"<td>{band['rejected']}</td></tr>"
        )
        assert row in page
    # The threshold from --stats is marked on the histogram, with the LSH curve.
    settings = json.loads(stats.read_text())["settings"]
    assert settings["threshold"] == 0.7
    assert 'id="threshold-line"' in page and "threshold 0.7" in page
    assert 'id="detection-curve"' in page
    assert re.search(r"<th>records in</th><td>28</td>", page)
    assert re.search(r"<th>records removed</th><td>5</td>", page)


def test_hostile_text_stays_text(runner: CliRunner, found: tuple[Path, Path, Path]) -> None:
    corpus, clusters, stats = found
    out = clusters.parent / "review.html"
    args = ["review", str(clusters), str(stats), "--corpus", str(corpus), "--id-field", "id"]
    assert runner.invoke(main, [*args, "-o", str(out), "-q"]).exit_code == 0
    page = out.read_text(encoding="utf-8")
    tags = _parse(page)
    assert [t for t, _ in tags.tags].count("script") == 1  # the page's own script only
    assert "img" not in [t for t, _ in tags.tags]
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    assert "&lt;b&gt;hostile&lt;/b&gt;" in page
    assert "&amp;amp;" in page
    # Nothing is fetched: no external address in any attribute, and a CSP forbids it.
    for _, attrs in tags.tags:
        for value in attrs.values():
            assert not (value or "").startswith(("http:", "https:", "//"))
    assert "default-src 'none'" in page


def test_review_samples_and_says_so(runner: CliRunner, tmp_path: Path) -> None:
    clusters = tmp_path / "clusters.jsonl"
    rows = []
    for i in range(40):
        size = 2 + (i == 17) * 5
        score = 0.7 + (i % 30) / 100 if i != 23 else 0.701
        members = [{"id": f"k{i}", "kept": True, "score": None}]
        members += [{"id": f"r{i}-{j}", "kept": False, "score": score} for j in range(size - 1)]
        rows.append({"cluster": f"k{i}", "kept": f"k{i}", "size": size, "members": members})
    clusters.write_text("".join(json.dumps(r) + "\n" for r in rows))
    out = tmp_path / "r.html"
    result = runner.invoke(
        main, ["review", str(clusters), "--clusters", "4", "--threshold", "0.7", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "note: No --corpus given" in result.stderr
    page = out.read_text()
    assert "Sampled: 4 of 40 clusters are shown (2 largest, 2 closest to the threshold)" in page
    assert page.count('class="cluster"') == 4
    largest = page[page.index("<h3>Largest</h3>") : page.index("<h3>Closest")]
    closest = page[page.index("<h3>Closest") :]
    assert "kept <b>k17</b>" in largest  # 7 records
    assert "kept <b>k0</b>" in largest  # then the first of the size-2 clusters
    assert "kept <b>k23</b>" in closest  # 0.701
    assert "kept <b>k30</b>" in closest  # 0.700 (i % 30 == 0), then 0.701: k0 shown already
    # The histogram counts every removed member, not only the ones shown.
    assert "0.70-0.75: 11</title>" in page


def test_review_of_a_clean_report(runner: CliRunner, tmp_path: Path) -> None:
    doc = tmp_path / "article.txt"
    doc.write_bytes(FIXTURE.read_bytes())
    report = tmp_path / "report.json"
    assert runner.invoke(main, ["clean", str(doc), "--report", str(report), "-q"]).exit_code == 0
    out = tmp_path / "r.html"
    result = runner.invoke(main, ["review", str(report), "-o", str(out)])
    assert result.exit_code == 0, result.output
    page = out.read_text()
    rep = json.loads(report.read_text())
    assert (
        f"<tr><th>input characters</th><td>{rep['input_chars']}</td></tr>"
        f"<tr><th>output characters</th><td>{rep['output_chars']}</td></tr>"
        f"<tr><th>removed characters</th><td>{rep['removed_chars']}</td></tr>"
        "<tr><th>blocks</th><td>19 line</td></tr>"
        "<tr><th>removals: repeated-run</th><td>1</td></tr>"
    ) in page
    tags = _parse(page)
    dels = [a for t, a in tags.tags if t == "del" and a.get("class") == "rm"]
    links = [a["href"] for t, a in tags.tags if t == "a" and a.get("class") == "to-kept"]
    anchors = {a["id"] for t, a in tags.tags if t == "span" and a.get("class") == "anchor"}
    assert len(dels) == 1 and links == ["#kept-0"] and anchors == {"kept-0"}
    # The struck-through text is the second copy; the link sits where the first begins.
    lines = FIXTURE.read_text().splitlines()
    body = page[page.index('id="document"') :]
    assert body.index('id="kept-0"') < body.index(_html(lines[1])) < body.index('id="removed-0"')
    struck = body[body.index('id="removed-0"') :]
    assert _html(lines[1]) in struck[: struck.index("</del>")]


def _html(text: str) -> str:
    import html

    return html.escape(text, quote=True)


def test_clean_report_against_another_document_is_an_error(
    runner: CliRunner, tmp_path: Path
) -> None:
    doc = tmp_path / "article.txt"
    doc.write_bytes(FIXTURE.read_bytes())
    report = tmp_path / "report.json"
    assert runner.invoke(main, ["clean", str(doc), "--report", str(report), "-q"]).exit_code == 0
    other = tmp_path / "other.txt"
    other.write_text("something else entirely\n")
    out = tmp_path / "r.html"
    result = runner.invoke(main, ["review", str(report), "--document", str(other), "-o", str(out)])
    assert result.exit_code == 1
    n = json.loads(report.read_text())["input_chars"]
    assert result.stderr == (
        f"Error: {other}: the report is about a text of {n} characters, this one has 24\n"
    )
    assert not out.exists()


def test_bad_input_names_file_and_line(runner: CliRunner, tmp_path: Path) -> None:
    bad = tmp_path / "c.jsonl"
    bad.write_text('{"cluster": "a", "kept": "a", "size": 1, "members": []}\n[1, 2]\n')
    result = runner.invoke(main, ["review", str(bad), "-o", str(tmp_path / "r.html")])
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {bad}, line 2: neither a cluster, a record with removed blocks nor a clean report line; review reads "
        "find's clusters (JSONL), a --stats JSON or a clean --report JSON\n"
    )
    assert not (tmp_path / "r.html").exists()


def test_output_over_an_input_is_refused(runner: CliRunner, found: tuple[Path, Path, Path]) -> None:
    _, clusters, _ = found
    before = clusters.read_bytes()
    result = runner.invoke(main, ["review", str(clusters), "-o", str(clusters)])
    assert result.exit_code == 2
    assert f"output {clusters} is an input file" in result.stderr
    assert clusters.read_bytes() == before


def test_same_input_same_page(runner: CliRunner, found: tuple[Path, Path, Path]) -> None:
    corpus, clusters, stats = found
    pages = []
    for name in ("a.html", "b.html"):
        out = clusters.parent / name
        args = ["review", str(clusters), str(stats), "--corpus", str(corpus), "--id-field", "id"]
        assert runner.invoke(main, [*args, "-o", str(out), "-q"]).exit_code == 0
        pages.append(out.read_bytes())
    assert pages[0] == pages[1]


def test_lone_surrogates_become_replacement_characters(runner: CliRunner, tmp_path: Path) -> None:
    text = "a scraped line cut in half \\ud83d and more words follow here to be long enough"
    corpus = tmp_path / "c.jsonl"
    corpus.write_text(
        f'{{"id": "a", "text": "{text}"}}\n{{"id": "b", "text": "{text}"}}\n', encoding="utf-8"
    )
    clusters = tmp_path / "clusters.jsonl"
    args = ["find", str(corpus), "--id-field", "id", "--clusters", str(clusters), "-q"]
    assert runner.invoke(main, args).exit_code == 0
    # A preview is for reading: the half character shows as U+FFFD.
    assert "cut in half \ufffd and" in clusters.read_text(encoding="utf-8")
    out = tmp_path / "r.html"
    args = ["review", str(clusters), "--corpus", str(corpus), "--id-field", "id", "-o", str(out)]
    result = runner.invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "cut in half \ufffd" in out.read_text(encoding="utf-8")


def test_diff_html_marks_each_kind() -> None:
    a, b = diff_html("keep gone old same", "keep new same added")
    assert a == 'keep <span class="c-a">gone old</span> same'
    assert b == 'keep <span class="c-b">new</span> same <ins class="i">added</ins>'
    a, b = diff_html("x y <z>", "x <z>")
    assert a == 'x <del class="d">y</del> &lt;z&gt;'
    assert b == "x &lt;z&gt;"


def test_config_is_validated() -> None:
    with pytest.raises(ValueError, match="clusters must be an int >= 1, got 0"):
        ReviewConfig(clusters=0)
    with pytest.raises(ValueError, match=r"threshold must be in \[0, 1\], got 1.5"):
        ReviewConfig(threshold=1.5)


def test_review_lists_blocks_removed_inside_records(runner: CliRunner, tmp_path: Path) -> None:
    shared = "A shared paragraph of boilerplate that appears in several records of this corpus."
    rows = [
        {"id": f"r{i}", "text": f"{_text(40 + i, 12)}\n\n{shared}\n\n{_text(60 + i, 12)}"}
        for i in range(3)
    ]
    corpus = tmp_path / "p.jsonl"
    corpus.write_text("".join(json.dumps(r) + "\n" for r in rows))
    clusters = tmp_path / "blocks.jsonl"
    args = ["--id-field", "id", "--unit", "paragraph", "--clusters", str(clusters), "-q"]
    assert runner.invoke(main, ["find", str(corpus), *args]).exit_code == 0
    found = [json.loads(line) for line in clusters.read_text().splitlines()]
    assert [r["id"] for r in found] == ["r1", "r2"]
    out = tmp_path / "r.html"
    assert runner.invoke(main, ["review", str(clusters), "-o", str(out), "-q"]).exit_code == 0
    page = out.read_text()
    for r in found:
        (b,) = r["removed_blocks"]
        k = b["kept"]
        assert (
            f"characters {b['start']}-{b['end']} duplicate <b>r0</b> (characters "
            f"{k['start']}-{k['end']}): exact, score 1.000"
        ) in page
    assert "<tr><th>records with removed blocks</th><td>2</td></tr>" in page
    assert "<tr><th>removed blocks: exact</th><td>2</td></tr>" in page
    assert 'id="clusters"' not in page  # no empty clusters section
    # With --corpus, each removed block shows beside the copy it repeats.
    args = ["review", str(clusters), "--corpus", str(corpus), "--id-field", "id", "-q"]
    assert runner.invoke(main, [*args, "-o", str(out)]).exit_code == 0
    page = out.read_text()
    assert page.count(f'<div class="meta">kept</div><div class="text">{shared}</div>') == 2
    assert page.count(f'<div class="meta">removed</div><div class="text">{shared}</div>') == 2


def test_review_reads_a_corpus_clean_report(runner: CliRunner, tmp_path: Path) -> None:
    body = _text(7, 30)
    rows = [
        {"id": "doubled", "text": f"Title\n\n{body}\n\n{body}\n"},
        {"id": "plain", "text": "Nothing to change.\n"},
        {"id": "ws", "text": "Zero\u200bwidth.\n"},
    ]
    corpus, report = tmp_path / "c.jsonl", tmp_path / "rep.jsonl"
    corpus.write_text("".join(json.dumps(r) + "\n" for r in rows))
    args = ["clean", str(corpus), "--report", str(report), "-o", str(tmp_path / "o.jsonl"), "-q"]
    assert runner.invoke(main, args).exit_code == 0
    out = tmp_path / "r.html"
    args = ["review", str(report), "--corpus", str(corpus), "--id-field", "id", "-o", str(out)]
    result = runner.invoke(main, [*args, "-q"])
    assert result.exit_code == 0, result.output
    page = out.read_text()
    assert "<tr><th>records in the clean report</th><td>3</td></tr>" in page
    assert "<tr><th>records changed</th><td>2</td></tr>" in page
    assert "<b>doubled</b>: 1 exact" in page and "<b>ws</b>: no removal; also invisible" in page
    assert "<b>plain</b>" not in page
    # The second copy is struck through in the record's text, as read.
    tags = _parse(page)
    struck = "".join(t for t in tags.text.get("rm", []))
    assert body.split()[0] in struck
