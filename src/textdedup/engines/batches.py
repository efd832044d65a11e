"""Pure batch functions that every engine maps: the one place engines share their steps.

Each function takes plain values (texts, keys, arrays of item numbers) and returns
plain values, with no state and no I/O, so the local engine calls them on its
in-memory batches and the Spark engine calls them inside ``mapInArrow`` and
``applyInArrow`` on Arrow batches, and both get the same numbers. In the order of
the flow:

1. :func:`record_rows`: the items of each record (whole documents, or the
   paragraphs or lines of each document after cleaning it), through
   :func:`textdedup.pipeline.record_items`, with the digests the decision needs.
2. :func:`signature_rows`: MinHash signatures and LSH band keys of a batch of keys.
3. :func:`bucket_pairs`: the candidate pairs of one LSH bucket.
4. :func:`score_batch`: the verified score of a batch of candidate pairs, through
   :data:`textdedup.verify.SCORER_TABLE` (both directions for an asymmetric score),
   with the short-text rule where :attr:`textdedup.config.DedupConfig.numbers` applies it
   (:func:`numbers_veto`).
5. :func:`decide_component`: the keep policy and the greedy rule of
   :func:`textdedup.cluster.decide` over one connected component.
6. :func:`block_output`: a record rebuilt from its kept blocks, with the account of
   each removed block.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np
import numpy.typing as npt

from .._hashing import digest
from ..cluster import Decided, decide, keep_order
from ..lsh import band_keys
from ..normalize import normalize
from ..verify import ShingleSets, ShortText, score_pairs, short_texts_agree

if TYPE_CHECKING:
    from ..config import DedupConfig

__all__ = [
    "MAX_BUCKET",
    "BlockOutput",
    "ItemRow",
    "RecordRows",
    "SignatureRows",
    "block_output",
    "bucket_pairs",
    "cut_blocks",
    "decide_component",
    "digest",
    "doc_text_digest",
    "numbers_veto",
    "record_rows",
    "removed_block",
    "score_batch",
    "short_facts",
    "signature_rows",
]

MAX_BUCKET = 200
"""A bucket with more members gives star pairs from its smallest member only (as
:func:`textdedup.lsh.candidate_pairs` does by default)."""


def doc_text_digest(text: str, key: str) -> bytes:
    """The digest that makes a whole-document removal ``exact``: key and normalized text.

    Two documents are exact copies when their keys are equal and their texts are
    equal after :func:`textdedup.normalize.normalize`; this is what the local
    engine finds (raw digests first, the normalized texts only where needed).

    >>> doc_text_digest("A b", "a b") == doc_text_digest("A b ", "a b")
    True
    >>> doc_text_digest("A b", "a b") == doc_text_digest("a b", "a b")
    False
    """
    return digest(digest(key).hex() + digest(normalize(text)).hex())


class ItemRow(NamedTuple):
    """One item of a record: its block number (``-1`` for a whole document), its
    comparison key, the length of its text, the :func:`digest` of the key, the
    digest that decides whether a removal is ``exact``, its ``start``/``end``
    offsets into the record as read (the whole text for a document), the digest of
    its group (items of one group always match: :func:`short_facts`) and, where the
    short-text rule applies, its text as written (the rule reads numbers from it)."""

    block: int
    key: str
    length: int
    digest: bytes
    text_digest: bytes
    start: int
    end: int
    group: bytes = b""
    facts: str | None = None


def short_facts(config: DedupConfig, key: str, written: str) -> tuple[bytes, str | None]:
    """An item's group digest, and its text as written when the short-text rule applies.

    As :meth:`textdedup.engine.Engine.add` groups items: where the rule may apply (the
    ``numbers`` setting, or a key under :data:`~textdedup.config.SHORT_TEXT_WORDS`
    words), equal keys match only with equal numbers as written (``-0.5`` is not
    ``0.5``, though their keys are equal); elsewhere the group is the key's digest.

    >>> from textdedup import DedupConfig
    >>> a, _ = short_facts(DedupConfig(), "dose 0 5 mg", "Dose -0.5 mg")
    >>> b, _ = short_facts(DedupConfig(), "dose 0 5 mg", "Dose 0.5 mg")
    >>> a == b
    False
    """
    from ..config import SHORT_TEXT_WORDS

    words = key.count(" ") + 1 if key else 0
    if config.numbers == "ignore" or not (
        config.numbers == "agree" or config.fields or words < SHORT_TEXT_WORDS
    ):
        return digest(key), None
    facts = ShortText.of(written)
    return digest(f"{key}\x00{facts.numbers}\x00{None}"), written


class RecordRows(NamedTuple):
    """What one record turns into: the text its items come from (cleaned, for block
    units), the ``(start, end)`` span of each block in it (empty for documents),
    its items, and what cleaning removed inside it (entries of ``clean``'s report,
    :meth:`textdedup.clean.Removal.to_dict`, with offsets into the record as read)."""

    text: str
    spans: list[tuple[int, int]]
    items: list[ItemRow]
    in_document: list[dict[str, Any]]


def record_rows(text: str, config: DedupConfig) -> RecordRows:
    """The items of one record, as :func:`textdedup.pipeline.record_items` makes them.

    Parameters
    ----------
    text : str
        The record's text.
    config : DedupConfig
        ``unit`` says whether the record is one item or is cleaned and cut into
        paragraphs or lines (blocks whose key is shorter than ``min_length`` are
        not items).

    Returns
    -------
    RecordRows

    >>> from textdedup import DedupConfig
    >>> text = "A line that is long enough to count.\\nshort"
    >>> rows = record_rows(text, DedupConfig(level="line"))
    >>> rows.spans, [(i.block, i.key, i.start, i.end) for i in rows.items]
    ([(0, 36), (37, 42)], [(0, 'a line that is long enough to count', 0, 36)])
    """
    from ..pipeline import _in_document, _input_spans, _items
    from ..records import Record

    found = _items(Record("", text, "", 0), config)
    blocks = found.blocks
    if blocks is None:
        return RecordRows(
            found.text,
            [],
            [
                ItemRow(
                    b,
                    key,
                    n,
                    digest(key),
                    doc_text_digest(text, key),
                    0,
                    len(text),
                    *short_facts(config, key, text),
                )
                for b, key, n in found.items
            ],
            [],
        )
    shown = _input_spans(text, found.result, blocks)
    return RecordRows(
        found.text,
        [(blk.start, blk.end) for blk in blocks],
        [
            ItemRow(
                b,
                key,
                n,
                digest(key),
                digest(blocks[b].text),
                *shown[b],
                *short_facts(config, key, blocks[b].text),
            )
            for b, key, n in found.items
        ],
        _in_document(text, found.result),
    )


class SignatureRows(NamedTuple):
    """MinHash signatures, shape ``(n, num_perm)`` uint32, and LSH band keys, shape
    ``(n, bands)`` int64 (the uint64 keys viewed as signed, for Arrow and Spark)."""

    signatures: npt.NDArray[np.uint32]
    bands: npt.NDArray[np.int64]


def signature_rows(keys: Sequence[str], config: DedupConfig) -> SignatureRows:
    """Signatures and band keys of a batch of keys (``config.near``).

    >>> from textdedup import DedupConfig
    >>> rows = signature_rows(["a b c d e f", "a b c d e g"], DedupConfig(num_perm=16))
    >>> rows.signatures.shape, rows.bands.dtype.name
    ((2, 16), 'int64')
    """
    sig = np.asarray(config.hasher().signatures(list(keys)), dtype=np.uint32)
    if sig.shape[0] == 0:
        sig = np.zeros((0, config.num_perm), dtype=np.uint32)
    return SignatureRows(sig, band_keys(sig, config.lsh()).view(np.int64))


def bucket_pairs(members: Sequence[int]) -> list[tuple[int, int]]:
    """The candidate pairs of one LSH bucket, as :func:`textdedup.lsh.candidate_pairs` makes them.

    All pairs ``(a, b)`` with ``a < b``; a bucket of more than :data:`MAX_BUCKET`
    members links them to its smallest member only.

    >>> bucket_pairs([5, 2, 9])
    [(2, 5), (2, 9), (5, 9)]
    """
    ordered = sorted(members)
    if len(ordered) > MAX_BUCKET:
        return [(ordered[0], m) for m in ordered[1:]]
    return [(a, b) for i, a in enumerate(ordered) for b in ordered[i + 1 :]]


def score_batch(
    config: DedupConfig,
    left: npt.ArrayLike,
    right: npt.ArrayLike,
    *,
    keys: Sequence[str] | None = None,
    sets: ShingleSets | None = None,
    signatures: npt.NDArray[np.uint32] | None = None,
    texts: Sequence[str | None] | None = None,
) -> list[npt.NDArray[np.float64]]:
    """Verified scores of the pairs ``(left[k], right[k])`` with the scorer ``config.verify`` names.

    Items are numbers into ``keys`` (or into ``sets``, the shingle sets of those
    keys, when the caller has them already) or into ``signatures`` for
    ``verify="none"``. When ``keys`` are given, a pair the short-text rule tells
    apart where ``config.numbers`` applies it (:func:`numbers_veto`) scores -1.0, below any
    threshold, in both directions; a caller that passes no keys applies the rule
    itself (the local engine does, in :meth:`textdedup.engine.Engine._veto`).

    Returns
    -------
    list of numpy.ndarray of float64, shape ``(n_pairs,)``
        ``[left in right]`` for a symmetric score; ``[left in right, right in left]``
        for an asymmetric one (containment).

    Raises
    ------
    ValueError
        When what the scorer needs is not given, or for ``shingle="auto"`` (decide
        it first with :meth:`textdedup.config.DedupConfig.resolved`).

    >>> from textdedup import DedupConfig
    >>> keys = ["a b", "a b c d"]
    >>> [s.tolist() for s in score_batch(DedupConfig(verify="containment", ngram=1),
    ...                                  [0], [1], keys=keys)]
    [[1.0], [0.5]]
    >>> keys = ["vol 26 no 1 of the journal", "vol 26 no 2 of the journal"]
    >>> score_batch(DedupConfig(numbers="agree", ngram=1), [0], [1], keys=keys)[0].tolist()
    [-1.0]
    """
    scorer = config.scorer()
    lft = np.asarray(left, dtype=np.int64)
    rgt = np.asarray(right, dtype=np.int64)
    ways = [(lft, rgt)] if scorer.symmetric else [(lft, rgt), (rgt, lft)]
    if lft.size == 0:
        return [np.zeros(0, dtype=np.float64) for _ in ways]
    if scorer.needs == "sets" and sets is None:
        if keys is None:
            raise ValueError(f"scorer {scorer.name!r} needs keys or sets")
        sets = ShingleSets.from_texts(list(keys), ngram=config.ngram, unit=config.shingle_unit)
    out = [
        np.asarray(
            score_pairs(scorer.name, a, b, sets=sets, keys=keys, signatures=signatures),
            dtype=np.float64,
        )
        for a, b in ways
    ]
    if keys is not None and config.numbers_agree:
        veto = numbers_veto(config, keys, lft, rgt, texts=texts)
        for scores in out:
            scores[veto] = -1.0
    return out


def numbers_veto(
    config: DedupConfig,
    keys: Sequence[str],
    left: npt.ArrayLike,
    right: npt.ArrayLike,
    *,
    texts: Sequence[str | None] | None = None,
) -> npt.NDArray[np.bool_]:
    """The pairs the short-text rule tells apart, where ``config`` applies it.

    The rule (:func:`textdedup.verify.short_texts_agree`) applies to a pair when
    :meth:`textdedup.config.DedupConfig.numbers_apply` says so for the shorter key's
    word count. It reads numbers and words from ``texts`` as written where given
    (:attr:`ItemRow.facts`, as the local engine reads them), else from the keys (a key
    has lost signs and decimal points); each item's facts are found once.

    Returns
    -------
    numpy.ndarray of bool, shape ``(n_pairs,)``

    >>> from textdedup import DedupConfig
    >>> keys = ["issue 3 of vol 9", "issue 4 of vol 9", "issue 3 vol 9"]
    >>> numbers_veto(DedupConfig(), keys, [0, 0], [1, 2])
    array([ True, False])
    """
    lft = np.asarray(left, dtype=np.int64).tolist()
    rgt = np.asarray(right, dtype=np.int64).tolist()
    out = np.zeros(len(lft), dtype=bool)
    if not config.numbers_agree:
        return out
    found: dict[int, ShortText] = {}

    def facts(i: int) -> ShortText:
        if i not in found:
            written = None if texts is None else texts[i]
            found[i] = ShortText.of(keys[i] if written is None else written)
        return found[i]

    for k, (i, j) in enumerate(zip(lft, rgt, strict=True)):
        words = min(keys[i].count(" "), keys[j].count(" ")) + 1
        if config.numbers_apply(words) and not short_texts_agree(facts(i), facts(j)):
            out[k] = True
    return out


def decide_component(
    config: DedupConfig,
    items: npt.ArrayLike,
    digests: Sequence[bytes],
    text_digests: Sequence[bytes],
    lengths: Sequence[int],
    left: npt.ArrayLike,
    right: npt.ArrayLike,
    score: npt.ArrayLike,
    *,
    prior: Sequence[bool] | None = None,
) -> tuple[npt.NDArray[np.int64], Decided]:
    """Decide one connected component: the keep policy, then :func:`textdedup.cluster.decide`.

    Parameters
    ----------
    config : DedupConfig
        ``keep`` and ``verify`` (whether the score is symmetric) are used.
    items : array of int, shape ``(n,)``
        Item numbers of the members, in any order; their numeric order is the input order.
    digests, text_digests : sequences of bytes, length ``n``
        Key digests (equal keys always match) and the digests that make a removal
        ``exact`` (see :func:`record_rows`).
    lengths : sequence of int, length ``n``
        Text lengths, for ``keep="longest"``.
    left, right, score : arrays, shape ``(m,)``
        Verified pairs of item numbers with their scores (``left`` in ``right`` for an
        asymmetric score).
    prior : sequence of bool, length ``n``, optional
        Members that are always kept and visited first (items of an index), as
        :func:`textdedup.cluster.keep_order` and :func:`textdedup.cluster.decide`
        take them.

    Returns
    -------
    tuple of (numpy.ndarray of int64, Decided)
        The item numbers sorted, and the decisions in that order (``keeper`` and
        ``cluster`` are positions in it).

    >>> from textdedup import DedupConfig
    >>> order, d = decide_component(DedupConfig(keep="last"), [7, 3], [b"k", b"k"],
    ...                             [b"t", b"t"], [5, 5], [], [], [])
    >>> order.tolist(), d.keeper.tolist(), d.exact.tolist()
    ([3, 7], [1, 1], [True, False])
    >>> _, d = decide_component(DedupConfig(), [7, 3], [b"k", b"k"], [b"t", b"u"], [5, 5],
    ...                         [], [], [], prior=[True, False])
    >>> d.keeper.tolist()  # 7 is an index item: kept, and 3 goes for it
    [1, 1]
    """
    raw = np.asarray(items, dtype=np.int64)
    idx = np.argsort(raw, kind="stable")
    order = raw[idx]
    pick = idx.tolist()
    first = None if prior is None else [bool(prior[k]) for k in pick]
    decided = decide(
        keep_order(config.keep, order.size, lengths=[lengths[k] for k in pick], prior=first),
        np.searchsorted(order, np.asarray(left, dtype=np.int64)),
        np.searchsorted(order, np.asarray(right, dtype=np.int64)),
        np.asarray(score, dtype=np.float64),
        key_group=_group_numbers([digests[k] for k in pick]),
        text_group=_group_numbers([text_digests[k] for k in pick]),
        prior=first,
        symmetric=config.scorer().symmetric,
    )
    return order, decided


def _group_numbers(values: Sequence[bytes]) -> list[int]:
    """Equal numbers for equal values, numbered in order of first appearance."""
    seen: dict[bytes, int] = {}
    return [seen.setdefault(x, len(seen)) for x in values]


class BlockOutput(NamedTuple):
    """A record of paragraphs or lines after deduplication.

    ``kept`` is false when blocks were removed and nothing of the record remains;
    ``text`` is the output text (``""`` then). ``removed`` describes each removed
    block (see :func:`removed_block`), and ``duplicate_of`` names the record of the
    first one.
    """

    kept: bool
    text: str
    removed: tuple[dict[str, Any], ...]
    duplicate_of: str | None


def removed_block(
    start: int,
    end: int,
    duplicate_of: str,
    kept: dict[str, Any],
    score: float,
    reason: str | None,
) -> dict[str, Any]:
    """The account of one removed block, as every engine writes it.

    ``start``/``end`` are offsets into the record as read, ``kept`` is
    ``{"id", "start", "end"}`` (the kept copy's record and its offsets into that
    record as read, ``None`` offsets for an index item), the score is rounded to 6
    places (Python's ``round``), the reason is ``exact`` or ``near``.

    >>> removed_block(4, 7, "r1", {"id": "r1", "start": 0, "end": 3}, 0.9999996, "near")["score"]
    1.0
    """
    return {
        "start": start,
        "end": end,
        "duplicate_of": duplicate_of,
        "kept": kept,
        "score": round(float(score), 6),
        "reason": reason,
    }


def block_output(
    text: str,
    spans: Sequence[tuple[int, int]],
    removed: Sequence[tuple[int, dict[str, Any]]],
) -> BlockOutput:
    """Rebuild a record from its kept blocks.

    Parameters
    ----------
    text : str
        The cleaned text the blocks come from.
    spans : sequence of (int, int)
        ``(start, end)`` of every block of ``text``, in order.
    removed : sequence of (int, dict)
        ``(block number, account)`` of each removed block, in block order: the
        account (:func:`removed_block`) is passed through, its ``duplicate_of``
        names the record the block duplicates.

    Returns
    -------
    BlockOutput

    >>> gone = removed_block(0, 3, "r1", {"id": "r1", "start": 0, "end": 3}, 1.0, "exact")
    >>> out = block_output("one\\ntwo\\n", [(0, 3), (4, 7)], [(0, gone)])
    >>> out.text, out.removed[0]["duplicate_of"]
    ('two\\n', 'r1')
    """
    gone = tuple(entry for _, entry in removed)
    out = cut_blocks(text, spans, {spans[b][0] for b, _ in removed})
    if spans and not out.strip():
        return BlockOutput(False, "", gone, gone[0]["duplicate_of"] if gone else None)
    return BlockOutput(True, out, gone, None)


def cut_blocks(text: str, spans: Sequence[tuple[int, int]], starts: set[int]) -> str:
    """``text`` without the blocks that start at ``starts``.

    A removed block goes with one of the two separators around it, the weaker: two
    kept blocks that had removed blocks between them are joined by the strongest
    separator that stood between them (the one with the most line breaks, the first
    of equals), so a line removed before a blank line leaves the paragraph break, and
    a line removed inside a paragraph adds none. The result is normalized again (a
    cut leaves no run of blank lines), and ends with a newline only when ``text``
    does.

    >>> cut_blocks("a\\n\\nb\\n\\nc", [(0, 1), (3, 4), (6, 7)], {3})
    'a\\n\\nc'
    >>> cut_blocks("a\\nb\\n\\nc", [(0, 1), (2, 3), (5, 6)], {2})  # b ended a paragraph
    'a\\n\\nc'
    >>> cut_blocks("a\\nb\\nc", [(0, 1), (2, 3), (4, 5)], {2})
    'a\\nc'
    """
    if not starts:
        return text
    kept = [i for i, (start, _) in enumerate(spans) if start not in starts]
    if not kept:
        out = normalize(text[: spans[0][0]] + text[spans[-1][1] :])
    else:
        pieces = [text[: spans[0][0]]]
        for a, b in itertools.pairwise(kept):
            pieces.append(text[spans[a][0] : spans[a][1]])
            seps = [text[spans[j][1] : spans[j + 1][0]] for j in range(a, b)]
            pieces.append(max(seps, key=lambda sep: sep.count("\n")))
        last = kept[-1]
        pieces.append(text[spans[last][0] : spans[last][1]])
        if last + 1 < len(spans):
            pieces.append(text[spans[last][1] : spans[last + 1][0]])
        pieces.append(text[spans[-1][1] :])
        out = normalize("".join(pieces))
    return out if text.endswith("\n") or not out.endswith("\n") else out.rstrip("\n")
