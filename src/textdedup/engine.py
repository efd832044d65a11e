"""The corpus engine: items (keys) in, one decision per item out.

Composes the comparison core for a corpus: MinHash signatures in batches, LSH
candidates, verification of all candidate pairs in batches (:mod:`textdedup.verify`),
the greedy decision rule (:func:`textdedup.cluster.decide`) and the guards against
over-removal. Items are plain keys; :mod:`textdedup.pipeline` turns
records (documents, paragraphs or lines) into items and decisions back into
records. Keys are spilled to disk as they come, so memory holds only signatures,
digests and lengths.
"""

from __future__ import annotations

import itertools
import pickle
from array import array
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from ._hashing import DIGEST_SIZE, digest, digest_bytes
from .cluster import decide, keep_order
from .config import (
    AUTO_CHAR_NGRAM,
    MODES,
    NUMBERS,
    SCORER_OF,
    SHINGLES,
    SHORT_TEXT_WORDS,
    UNITS,
    VERIFIERS,
    DedupConfig,
    Mode,
    Numbers,
    Shingle,
    Unit,
    Verify,
)
from .engines.batches import score_batch
from .fields import records_agree
from .lsh import band_keys, candidate_pairs, min_agreement, screened_candidate_pairs
from .progress import Progress
from .store import SpillStore
from .verify import ShingleSets, ShortText, short_texts_agree

# DedupConfig and its vocabulary live in textdedup.config, digest in textdedup._hashing;
# they stay importable from here under their old names.
__all__ = [
    "AUTO_CHAR_NGRAM",
    "MODES",
    "NUMBERS",
    "SCORER_OF",
    "SHINGLES",
    "SHORT_TEXT_WORDS",
    "UNITS",
    "VERIFIERS",
    "Decisions",
    "DedupConfig",
    "Engine",
    "Mode",
    "Numbers",
    "PairSample",
    "Shingle",
    "Unit",
    "Verify",
    "digest",
]


#: Score bands of a :class:`PairSample`: ``[b / 20, (b + 1) / 20)``, 1.0 in the last.
SAMPLE_BANDS = 20


@dataclass(frozen=True, slots=True)
class PairSample:
    """A sample of the candidate pairs that were verified, by score band.

    Every candidate pair is counted: ``counts[b, 1]`` pairs of band ``b`` verified at
    or above the threshold, ``counts[b, 0]`` rejected ones (below it, or vetoed
    because fields or numbers disagree), shape ``(SAMPLE_BANDS, 2)``, int64. A pair's
    band is that of its best score (the larger direction for an asymmetric score;
    0 for a pair the numbers rule rejected before scoring). ``left``, ``right``
    (item numbers, int64), ``score`` (float64, ``nan`` when the pair was rejected
    before scoring), ``verified`` and ``vetoed`` (bool) hold up to ``per_band``
    pairs of each (band, verified) cell, picked by a hash of the pair's two item
    numbers, so the same input gives the same sample; ordered by band, then hash.
    """

    counts: npt.NDArray[np.int64]
    left: npt.NDArray[np.int64]
    right: npt.NDArray[np.int64]
    score: npt.NDArray[np.float64]
    verified: npt.NDArray[np.bool_]
    vetoed: npt.NDArray[np.bool_]

    @classmethod
    def empty(cls) -> PairSample:
        none = np.zeros(0, dtype=np.int64)
        flags = np.zeros(0, dtype=bool)
        counts = np.zeros((SAMPLE_BANDS, 2), dtype=np.int64)
        return cls(counts, none, none, np.zeros(0), flags, flags)

    @classmethod
    def draw(
        cls,
        left: npt.NDArray[np.int64],
        right: npt.NDArray[np.int64],
        score: npt.NDArray[np.float64],
        verified: npt.NDArray[np.bool_],
        vetoed: npt.NDArray[np.bool_],
        *,
        per_band: int,
    ) -> PairSample:
        """Count every pair by (band, verified) and keep ``per_band`` of each cell."""
        known = np.where(np.isnan(score), 0.0, score)
        band = np.clip((known * SAMPLE_BANDS + 1e-9).astype(np.int64), 0, SAMPLE_BANDS - 1)
        cell = band * 2 + verified.astype(np.int64)
        counts = np.bincount(cell, minlength=2 * SAMPLE_BANDS).reshape(SAMPLE_BANDS, 2)
        # A hash of the unordered pair (splitmix64's finalizer): a sample that does not
        # depend on the order the candidate pairs came in.
        lo = np.minimum(left, right).astype(np.uint64)
        hi = np.maximum(left, right).astype(np.uint64)
        with np.errstate(over="ignore"):
            h = lo * np.uint64(0x9E3779B97F4A7C15) ^ hi
            h ^= h >> np.uint64(30)
            h *= np.uint64(0xBF58476D1CE4E5B9)
            h ^= h >> np.uint64(27)
        order = np.lexsort((h, cell))
        sorted_cell = cell[order]
        first = np.searchsorted(sorted_cell, sorted_cell, side="left")
        take = order[np.arange(order.size) - first < per_band]
        return cls(
            counts.astype(np.int64),
            left[take].astype(np.int64),
            right[take].astype(np.int64),
            score[take].astype(np.float64),
            verified[take],
            vetoed[take],
        )


@dataclass(frozen=True, slots=True)
class Decisions:
    """One decision per item, made by :func:`textdedup.cluster.decide`.

    ``keeper[i] == i`` for kept items; otherwise the kept item it matches, with the
    verified ``score``. ``exact[i]`` is true for a removed item whose normalized text
    is identical to its keeper's (the removal reason ``exact``; otherwise ``near``).
    ``cluster[i]`` is the keeper of ``i``'s cluster, or ``-1`` for an item that
    duplicates nothing. ``candidates`` and ``verified`` count pairs; ``warnings`` say
    where a guard stepped in; ``pairs`` is a sample of the candidate pairs by score band,
    verified and rejected, for a person to judge the threshold.
    """

    keeper: npt.NDArray[np.int64]
    score: npt.NDArray[np.float64]
    cluster: npt.NDArray[np.int64]
    candidates: int
    verified: int
    warnings: tuple[str, ...]
    exact: npt.NDArray[np.bool_] = field(default_factory=lambda: np.zeros(0, dtype=bool))
    #: Candidate pairs by score band, verified and rejected (near mode).
    pairs: PairSample = field(default_factory=PairSample.empty)
    #: Of ``candidates``, the pairs the signature screen dropped before verification
    #: (:func:`textdedup.lsh.screened_candidate_pairs`): not in ``pairs``.
    screened: int = 0

    @property
    def removed(self) -> npt.NDArray[np.bool_]:
        return np.asarray(self.keeper != np.arange(self.keeper.size))

    def reason(self, i: int) -> str | None:
        """``"exact"`` or ``"near"`` for a removed item, ``None`` for a kept one."""
        if int(self.keeper[i]) == i:
            return None
        return "exact" if self.exact.size and bool(self.exact[i]) else "near"


class Engine:
    """Collects items, then decides which duplicate which.

    Items added with ``prior=True`` (for example, from an index) are preferred as
    keepers, so they are never removed by a new item.
    """

    def __init__(self, config: DedupConfig) -> None:
        self.config = config
        # shingle="auto" is decided when the items are known (at the first signature).
        self._auto = config.shingle == "auto"
        self.hasher = None if self._auto else config.hasher()
        self.store = SpillStore()
        # Per-item numbers in arrays (8 bytes an item, not a list's 36): memory at 1M items.
        self._words = array("q")
        # Must-agree field values, for the items that have them (most have none).
        self._agree: dict[int, tuple[str | None, ...]] = {}
        # What the short-text rule compares, for the items it may apply to.
        # Spilled too (pickled, numbered in _fact_at, -1 for none): a short text's facts
        # hold each of its words, a few KB an item, and only candidate pairs read them.
        self._fact_store = SpillStore()
        self._fact_at = array("q")
        # Digests side by side in one buffer, DIGEST_SIZE bytes an item (a 16-byte
        # ``bytes`` object and its list slot take 57): memory at 1M items.
        # Items in one group always match: equal keys, and equal facts and fields.
        self._group_digests = bytearray()
        #: What ``shingle="auto"`` chose and why (empty when it was not asked for).
        self.shingle_note = ""
        self._digests = bytearray()  # of the keys
        # Text digests, and whether each is known (an item whose text is not known
        # equals no other: its row is zeros and its flag 0).
        self._texts = bytearray()
        self._text_known = bytearray()
        self._later = bytearray()  # 1 for an item whose text digest solve() asks for
        self._lengths = array("q")
        self._prior = array("b")
        self._sigs: list[np.ndarray] = []
        # Items from here on have no signature yet: they are signed in batches, from
        # their spilled keys, when the signatures are needed (a phase of its own).
        self._unsigned = 0
        self._released = False  # solve() released the signature matrix
        self.progress: Progress = Progress()

    def __len__(self) -> int:
        return len(self._lengths)

    def add(
        self,
        key: str,
        *,
        length: int | None = None,
        prior: bool = False,
        signature: np.ndarray | None = None,
        text_digest: bytes | None = None,
        agree: tuple[str | None, ...] | None = None,
        text: str | None = None,
        text_later: bool = False,
    ) -> int:
        """Add one item (its key); returns its number.

        ``text_digest`` is the :func:`digest` of the item's normalized text: a removal
        is labelled ``exact`` only when it equals the keeper's. Without it (for
        example, an index item, whose text is not stored) no removal involving the
        item is labelled ``exact``. ``agree`` holds the item's must-agree field values
        (``None`` where a field is missing): a pair whose values differ in a field both
        give is never a duplicate (:mod:`textdedup.fields`). ``text`` is the item's text
        as written, from which the short-text rule reads numbers (with signs and decimal
        points) and words (:class:`textdedup.verify.ShortText`); without it (an index
        item) they are read from the key. With ``text_later``, ``text_digest`` is not
        given here but asked from :meth:`solve`'s ``text_digests``, and only for an item
        that shares its key with another (an item with a key of its own cannot have its
        text in common with any other).
        """
        cfg = self.config
        if signature is not None:
            if self._auto:
                raise ValueError(
                    "an item with a signature needs fixed shingles, not shingle='auto'"
                )
            if cfg.near:
                self._flush()  # the items before this one are signed first, in order
        encoded = key.encode("utf-8", "surrogatepass")
        i = self.store.append(encoded)
        words = key.count(" ") + 1 if key else 0  # keys have single spaces
        self._words.append(words)
        if agree is not None:
            self._agree[i] = agree
        facts = None
        if cfg.numbers != "ignore" and (cfg.numbers == "agree" or cfg.fields
                                        or words < SHORT_TEXT_WORDS):  # fmt: skip
            facts = ShortText.of(key if text is None else text)
        self._fact_at.append(self._spill_facts(facts))
        key_digest = digest_bytes(encoded)
        self._digests += key_digest
        self._group_digests += (
            key_digest
            if facts is None and agree is None
            else digest(f"{key}\x00{facts.numbers if facts else ''}\x00{agree}")
        )
        self._texts += _NO_DIGEST if text_digest is None else text_digest
        self._text_known.append(text_digest is not None)
        self._later.append(bool(text_later))
        self._lengths.append(len(key) if length is None else length)
        self._prior.append(bool(prior))
        if signature is not None and cfg.near:
            self._sigs.append(np.asarray(signature, dtype=np.uint32)[None, :])
            self._unsigned = i + 1
        return i

    def add_keys(self, keys: Sequence[bytes], lengths: Sequence[int], texts: Sequence[str]) -> int:
        """Add many new items at once, each as :meth:`add` with ``text_later=True``.

        ``keys`` are the items' keys encoded as UTF-8 (``surrogatepass``, as
        :func:`textdedup.normalize.normalize_keys_utf8` gives them), ``lengths`` the
        lengths of their texts and ``texts`` the texts as written (read only by the
        short-text rule, for the items it may apply to). The same items, numbers and
        decisions as one :meth:`add` call each, without the per-call cost. Returns
        the number of the first item added.
        """
        cfg = self.config
        first = len(self)
        count = len(keys)
        words = _word_counts(keys)
        digests = b"".join([digest_bytes(k) for k in keys])
        self.store.extend(list(keys))
        self._words.extend(words)
        self._digests += digests
        self._lengths.extend(lengths)
        self._prior.extend(bytes(count))
        self._later += b"\x01" * count
        self._texts += bytes(DIGEST_SIZE * count)
        self._text_known += bytes(count)
        if cfg.numbers == "ignore":
            self._fact_at.extend(array("q", [-1]) * count)
            self._group_digests += digests
            return first
        agree = cfg.numbers == "agree" or bool(cfg.fields)
        size = DIGEST_SIZE
        for k, (key, w, text) in enumerate(zip(keys, words, texts, strict=True)):
            if agree or w < SHORT_TEXT_WORDS:
                facts = ShortText.of(text)
                self._fact_at.append(self._spill_facts(facts))
                key_str = key.decode("utf-8", "surrogatepass")
                self._group_digests += digest(f"{key_str}\x00{facts.numbers}\x00{None}")
            else:
                self._fact_at.append(-1)
                self._group_digests += digests[k * size : (k + 1) * size]
        return first

    def _spill_facts(self, facts: ShortText | None) -> int:
        if facts is None:
            return -1
        payload = (facts.numbers, facts.words, facts.markers)
        return self._fact_store.append(pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL))

    def _flush(self) -> None:
        """Sign the items that have no signature yet, in batches, reporting progress.

        Nothing is signed before ``shingle="auto"`` is decided (no hasher yet).
        """
        n = len(self)
        if not self.config.near or self.hasher is None or self._unsigned >= n:
            return
        self.progress.start("signatures", total=n - self._unsigned)
        # One matrix for every item, filled in place: a list of batches concatenated
        # later would hold the signatures twice (1 GB at a million items).
        out = np.empty((n, self.config.num_perm), dtype=np.uint32)
        done = 0
        # Popped from the end (one row a block for items added with a signature: a
        # pop from the front would move the whole list each time), each freed once copied.
        self._sigs.reverse()
        while self._sigs:
            block = self._sigs.pop()
            out[done : done + block.shape[0]] = block
            done += block.shape[0]
        if done != self._unsigned:
            raise AssertionError(f"{done} signatures for {self._unsigned} signed items")
        step = self.config.batch_size
        for lo in range(self._unsigned, n, step):
            hi = min(lo + step, n)
            ids = np.arange(lo, hi, dtype=np.int64)
            out[lo:hi] = self.hasher.signatures_utf8(self.store.get_many(ids))
            self.progress.update(hi - lo)
        self._sigs = [out]
        self._unsigned = n

    def _resolve(self) -> None:
        """Decide ``shingle="auto"`` from the items so far, and hash them all."""
        if not self._auto:
            return
        median = float(np.median(self._words)) if self._words else 0.0
        self.config = self.config.resolved(median)
        self._auto = False
        what = (
            f"char {self.config.ngram}-grams"
            if self.config.shingle == "char"
            else f"word {self.config.ngram}-grams"
        )
        self.shingle_note = f"shingles: {what} (auto: median item {median:g} words)"
        self.hasher = self.config.hasher()  # every item is signed by _flush, next

    def signatures(self) -> npt.NDArray[np.uint32]:
        """The signature matrix of every item so far, shape ``(items, num_perm)``, uint32.

        Raises
        ------
        RuntimeError
            After :meth:`solve` released it (a scorer that verifies from keys does not
            need it once the candidate pairs are known).
        """
        if self._released:
            raise RuntimeError("solve() released the signatures; ask for them before solve()")
        self._resolve()
        self._flush()
        if not self._sigs:
            return np.zeros((0, self.config.num_perm), dtype=np.uint32)
        if len(self._sigs) > 1:
            self._sigs = [np.concatenate(self._sigs)]
        return self._sigs[0]

    def key(self, i: int) -> str:
        """The key of item ``i``."""
        return self.store.get(i).decode("utf-8", "surrogatepass")

    def length(self, i: int) -> int:
        """The length of item ``i`` (of its text, not its key)."""
        return self._lengths[i]

    @property
    def digests(self) -> list[bytes]:
        """Exact digests of the items so far (of their keys; a new list, 16 bytes each)."""
        size = DIGEST_SIZE
        buf = self._digests
        return [bytes(buf[k : k + size]) for k in range(0, len(buf), size)]

    def digest_of(self, i: int) -> bytes:
        """The exact digest of item ``i`` (of its key, :func:`digest`)."""
        return bytes(self._digests[i * DIGEST_SIZE : (i + 1) * DIGEST_SIZE])

    # -- deciding --------------------------------------------------------------------
    def solve(
        self,
        *,
        normalized: Callable[[list[int]], list[bytes]] | None = None,
        text_digests: Callable[[list[int]], list[bytes]] | None = None,
    ) -> Decisions:
        """Decide every item by the greedy rule of :func:`textdedup.cluster.decide`.

        Candidate pairs (LSH, near mode only) are verified in batches; items with
        equal keys always match. Items are visited in the keep policy's order, prior
        items first, and an item is removed when it matches an item kept before it.

        A removal is ``exact`` when the item's text digest equals its keeper's. When
        the text digests were taken before normalization, ``normalized(items)`` gives
        the digests of the normalized texts of (new) items; it is called only for
        removed items whose key equals their keeper's but whose text digest differs,
        and decides whether they are ``exact`` after all. ``text_digests(items)`` gives
        the text digests of items added with ``text_later`` that share their key with
        another item (required when there are such items).

        With a scorer that verifies from keys (every one but ``verify="none"``), the
        signature matrix is released once the candidate pairs are found: at a million
        items it is half a kilobyte an item that verification does not read. Call
        :meth:`signatures` before ``solve()`` if you need it.
        """
        self._resolve()
        self._text_digests_later(text_digests)
        n = len(self)
        cfg = self.config
        candidates = verified = screened = 0
        sample = PairSample.empty()
        notes: list[str] = []
        left = right = np.zeros(0, dtype=np.int64)
        s = np.zeros(0, dtype=np.float64)
        if cfg.near and n > 1:
            sig = self.signatures()
            valid = _rows(self._digests) != _EMPTY
            self.progress.start("candidates", unit="pairs")  # no total: counted as found
            if cfg.scorer().name == "jaccard":
                # Verification is the exact Jaccard that MinHash estimates: pairs whose
                # signatures agree too little for the threshold are dropped band by band.
                pairs = screened_candidate_pairs(
                    sig,
                    cfg.lsh(),
                    min_agree=min_agreement(cfg.threshold, cfg.num_perm),
                    valid=valid,
                )
            else:
                pairs = candidate_pairs(band_keys(sig, cfg.lsh()), valid=valid)
            candidates = len(pairs) + pairs.screened
            screened = pairs.screened
            if cfg.scorer().needs != "signatures":
                # Verification reads keys, not signatures: release the matrix (4 bytes a
                # permutation an item, 512 bytes at 128) before the sets are built.
                sig = np.zeros((0, sig.shape[1]), dtype=np.uint32)  # not sig[:0]: a view keeps it
                self._sigs = []
                self._released = True
            self.progress.update(candidates)
            if pairs.giant_buckets:
                notes.append(
                    f"{pairs.giant_buckets} LSH bucket(s) held more than 200 items (boilerplate or "
                    "near-empty texts?); their members were linked to one member only"
                )
            scores = self._verify(pairs.left, pairs.right, sig)
            veto = self._veto(pairs.left, pairs.right)
            ok = [(x >= cfg.threshold) & ~veto for x in scores]
            verified = int(np.logical_or.reduce(ok).sum())
            best = np.maximum.reduce(scores)
            sample = PairSample.draw(
                pairs.left,
                pairs.right,
                np.where(best < 0, np.nan, best),
                np.logical_or.reduce(ok),
                veto | (best < 0),
                per_band=_SAMPLE_PER_BAND,
            )
            left = np.concatenate([pairs.left[ok[0]], pairs.right[ok[-1]]][: len(ok)])
            right = np.concatenate([pairs.right[ok[0]], pairs.left[ok[-1]]][: len(ok)])
            s = np.concatenate([scores[0][ok[0]], scores[-1][ok[-1]]][: len(ok)])
        self.progress.start("clustering", total=n)
        prior = np.array(self._prior, dtype=bool)
        lengths = np.array(self._lengths, dtype=np.int64)
        rank = keep_order(cfg.keep, n, lengths=lengths, prior=prior)
        d = decide(
            rank,
            left,
            right,
            s,
            key_group=_groups(self._group_digests),
            text_group=_groups(self._text_rows()),
            prior=prior,
            symmetric=cfg.scorer().symmetric,
        )
        exact = d.exact
        if normalized is not None:
            exact = self._refine(d.keeper, exact, prior, normalized)
        keeper, warnings = self._guard(d.keeper)
        undone = keeper != d.keeper
        score = np.where(undone, 1.0, d.score)
        exact = exact & ~undone
        self.progress.update(n)
        return Decisions(
            keeper,
            score,
            d.cluster,
            candidates,
            verified,
            tuple(notes + warnings),
            exact,
            sample,
            screened,
        )

    def _text_digests_later(self, text_digests: Callable[[list[int]], list[bytes]] | None) -> None:
        """Fill in the text digests of the ``text_later`` items whose key is not unique."""
        later = np.flatnonzero(np.frombuffer(self._later, dtype=np.uint8))
        if not later.size:
            return
        self._later[:] = bytes(len(self._later))
        _, inverse, counts = np.unique(
            _rows(self._digests), return_inverse=True, return_counts=True
        )
        shared = later[counts[inverse.reshape(-1)[later]] > 1].tolist()
        if not shared:
            return
        if text_digests is None:
            raise ValueError("items were added with text_later: solve() needs text_digests")
        size = DIGEST_SIZE
        for i, d in zip(shared, text_digests(shared), strict=True):
            self._texts[i * size : (i + 1) * size] = d
            self._text_known[i] = 1

    def _text_rows(self) -> npt.NDArray[np.bytes_]:
        """The text digest of every item, ``S16``; a row that equals no other where the
        text is not known (``0xff`` eight times, then the item number, big-endian)."""
        rows = _rows(self._texts)
        unknown = np.flatnonzero(np.frombuffer(self._text_known, dtype=np.uint8) == 0)
        if unknown.size:
            raw = rows.view(np.uint8).reshape(-1, DIGEST_SIZE)
            raw[unknown, :8] = 0xFF
            raw[unknown, 8:] = unknown.astype(">u8").view(np.uint8).reshape(-1, 8)
        return rows

    def _refine(
        self,
        keeper: npt.NDArray[np.int64],
        exact: npt.NDArray[np.bool_],
        prior: npt.NDArray[np.bool_],
        normalized: Callable[[list[int]], list[bytes]],
    ) -> npt.NDArray[np.bool_]:
        """Label ``exact`` the removals whose normalized text equals the keeper's."""
        n = keeper.size
        keys = _rows(self._digests)
        gone = (keeper != np.arange(n)) & ~exact & ~prior[keeper] & (keys == keys[keeper])
        items = np.flatnonzero(gone)
        if items.size == 0:
            return exact
        both = np.unique(np.concatenate([items, keeper[items]]))
        digests = dict(zip(both.tolist(), normalized(both.tolist()), strict=True))
        out = exact.copy()
        out[items] = [digests[i] == digests[int(keeper[i])] for i in items.tolist()]
        return out

    def _veto(
        self, left: npt.NDArray[np.int64], right: npt.NDArray[np.int64]
    ) -> npt.NDArray[np.bool_]:
        """Pairs that are never duplicates: must-agree fields differ, or short texts disagree."""
        out = np.zeros(left.size, dtype=bool)
        cfg = self.config
        if not cfg.numbers_agree and not self._agree:
            return out

        def facts(i: int) -> ShortText:
            f = seen.get(i)
            if f is None:
                at = self._fact_at[i]
                if at < 0:  # a long item paired with a short one: read from its key
                    f = ShortText.of(self.key(i))
                else:
                    numbers, words, markers = pickle.loads(self._fact_store.get(at))
                    f = ShortText(numbers, words, markers)
                if len(seen) >= _FACTS_KEPT:
                    seen.clear()  # bounded: the facts of every paired item would not be
                seen[i] = f
            return f

        seen: dict[int, ShortText] = {}

        for k, (i, j) in enumerate(zip(left.tolist(), right.tolist(), strict=True)):
            a, b = self._agree.get(i), self._agree.get(j)
            if (a is not None and b is not None and not records_agree(a, b)) or (
                cfg.numbers_apply(min(self._words[i], self._words[j]))
                and not short_texts_agree(facts(i), facts(j))
            ):
                out[k] = True
        return out

    def _verify(
        self, left: npt.NDArray[np.int64], right: npt.NDArray[np.int64], sig: npt.NDArray[np.uint32]
    ) -> list[npt.NDArray[np.float64]]:
        """Scores of all candidate pairs at once: ``[left in right]``, plus ``[right in left]``
        for an asymmetric scorer (:func:`textdedup.engines.batches.score_batch`). Each
        item's key is read and shingled once. Pairs scored from keys get -1.0 where the
        numbers rule rejects them; :meth:`_veto` applies the rule to every pair."""
        cfg = self.config
        scorer = cfg.scorer()
        if left.size == 0:
            return score_batch(cfg, left, right, signatures=sig)
        if scorer.needs == "signatures":
            self.progress.start("verifying", total=left.size, unit="pairs")
            return score_batch(cfg, left, right, signatures=sig)
        if scorer.needs == "sets":
            items = np.unique(np.concatenate([left, right]))
            # Shingles per item, estimated from above: one a character, or one a word.
            per_item = np.array(
                self._lengths if cfg.shingle_unit == "char" else self._words, dtype=np.int64
            )
            if int(per_item[items].sum()) > _VERIFY_SHINGLES_AT_ONCE:
                return self._verify_sets_in_chunks(left, right, per_item)
            # Shingling each item of a pair once is the slow part; the pairs then go at once.
            self.progress.start("verifying", total=items.size)
            parts = []
            for keys in self._key_chunks(items):
                parts.append(ShingleSets.from_texts(keys, ngram=cfg.ngram, unit=cfg.shingle_unit))
                self.progress.update(len(keys))
            sets = ShingleSets.concat(parts)
            return score_batch(
                cfg, np.searchsorted(items, left), np.searchsorted(items, right), sets=sets
            )
        # Keys: chunks of pairs whose texts add up to a bounded size.
        lengths = np.array(self._lengths, dtype=np.int64)
        cost = np.cumsum(lengths[left] + lengths[right])
        bounds = np.searchsorted(cost, np.arange(_VERIFY_CHARS, int(cost[-1]), _VERIFY_CHARS))
        cuts = np.unique(np.concatenate([[0], np.maximum(bounds, 1), [left.size]]))
        out = [np.empty(left.size) for _ in range(1 if scorer.symmetric else 2)]
        self.progress.start("verifying", total=left.size, unit="pairs")
        for lo, hi in zip(cuts[:-1].tolist(), cuts[1:].tolist(), strict=True):
            ids = np.unique(np.concatenate([left[lo:hi], right[lo:hi]]))
            keys = [k.decode("utf-8", "surrogatepass") for k in self.store.get_many(ids)]
            chunk = score_batch(
                cfg,
                np.searchsorted(ids, left[lo:hi]),
                np.searchsorted(ids, right[lo:hi]),
                keys=keys,
            )
            for o, scores in zip(out, chunk, strict=True):
                o[lo:hi] = scores
            self.progress.update(hi - lo)
        return out

    def _verify_sets_in_chunks(
        self,
        left: npt.NDArray[np.int64],
        right: npt.NDArray[np.int64],
        per_item: npt.NDArray[np.int64],
    ) -> list[npt.NDArray[np.float64]]:
        """:meth:`_verify` for the shingle-set scorers when the sets of every paired item
        would not fit in ``_VERIFY_SHINGLES_AT_ONCE``: the pairs go in chunks (in the
        order of their left items) whose items' shingles add up to at most
        ``_VERIFY_SHINGLES``, each item of a chunk shingled once for it. An item paired
        in several chunks is shingled again in each: time traded for memory, which stays
        bounded by the chunk, not the corpus.
        """
        cfg = self.config
        scorer = cfg.scorer()
        order = np.argsort(left, kind="stable")
        lo_items, hi_items = left[order], right[order]
        out = [np.empty(left.size) for _ in range(1 if scorer.symmetric else 2)]
        stamp = np.full(per_item.size, -1, dtype=np.int64)
        cuts = [0]
        cost = 0
        size = per_item.tolist()
        for k, (i, j) in enumerate(zip(lo_items.tolist(), hi_items.tolist(), strict=True)):
            add = (size[i] if stamp[i] != len(cuts) else 0) + (
                size[j] if stamp[j] != len(cuts) and j != i else 0
            )
            if cost and cost + add > _VERIFY_SHINGLES:
                cuts.append(k)
                cost = 0
                add = size[i] + (size[j] if j != i else 0)
            stamp[i] = stamp[j] = len(cuts)
            cost += add
        cuts.append(left.size)
        self.progress.start("verifying", total=left.size, unit="pairs")
        for lo, hi in itertools.pairwise(cuts):
            a, b = lo_items[lo:hi], hi_items[lo:hi]
            ids = np.unique(np.concatenate([a, b]))
            sets = ShingleSets.concat(
                [
                    ShingleSets.from_texts(keys, ngram=cfg.ngram, unit=cfg.shingle_unit)
                    for keys in self._key_chunks(ids, chars=_VERIFY_CHARS // 4)
                ]
            )
            chunk = score_batch(cfg, np.searchsorted(ids, a), np.searchsorted(ids, b), sets=sets)
            del sets
            for o, scores in zip(out, chunk, strict=True):
                o[order[lo:hi]] = scores
            self.progress.update(hi - lo)
        return out

    def _key_chunks(self, items: npt.NDArray[np.int64], chars: int = 0) -> Iterator[list[str]]:
        """The keys of ``items``, in chunks of at most about ``chars`` characters
        (default ``_VERIFY_CHARS``)."""
        chars = chars or _VERIFY_CHARS
        lengths = np.array(self._lengths, dtype=np.int64)[items]
        cost = np.cumsum(lengths)
        bounds = np.searchsorted(cost, np.arange(chars, int(cost[-1]) + 1, chars))
        cuts = np.unique(np.concatenate([[0], np.maximum(bounds, 1), [items.size]]))
        for lo, hi in zip(cuts[:-1].tolist(), cuts[1:].tolist(), strict=True):
            yield [k.decode("utf-8", "surrogatepass") for k in self.store.get_many(items[lo:hi])]

    def _guard(self, keeper: npt.NDArray[np.int64]) -> tuple[npt.NDArray[np.int64], list[str]]:
        n = keeper.size
        warnings: list[str] = []
        sizes = np.bincount(keeper, minlength=n)
        limit = self.config.max_cluster_size
        if limit:
            big = np.flatnonzero(sizes > limit)
            if big.size:
                undo = np.isin(keeper, big)
                keeper = np.where(undo, np.arange(n), keeper)
                warnings.append(
                    f"{big.size} cluster(s) larger than max_cluster_size={limit} were left "
                    f"alone ({int(undo.sum())} items kept)"
                )
        top = int(sizes.max()) if n else 0
        if n >= 50 and top > 0.1 * n and not (limit and top > limit):
            warnings.append(
                f"one cluster holds {top} of {n} items ({top / n:.0%}); check the threshold, "
                "or set max_cluster_size"
            )
        return keeper, warnings

    def close(self) -> None:
        self.store.close()
        self._fact_store.close()


_EMPTY = digest("")
_FACTS_KEPT = 4096  # short texts' facts kept in memory while the pairs are vetoed
_VERIFY_CHARS = 1 << 24  # text characters verified at once
# Shingles held at once by a chunk of a set-scorer verification: 16M uint64 hashes,
# 128 MB (plus the sets' offsets).
_VERIFY_SHINGLES = 1 << 24
# Up to 32M shingles (256 MB of hashes) the paired items' sets are built at once, each
# item shingled once; beyond, in chunks of _VERIFY_SHINGLES (issue #14: memory at 1M).
_VERIFY_SHINGLES_AT_ONCE = 1 << 25


def pair_scores(
    keys: Sequence[str], left: Sequence[int], right: Sequence[int], config: DedupConfig
) -> npt.NDArray[np.float64]:
    """Verified similarity of ``keys[left[k]]`` and ``keys[right[k]]`` for every ``k``.

    The scorer ``config.verify`` names, "left in right" for an asymmetric one; -1.0
    for a pair that the short-text rule tells apart where :attr:`DedupConfig.numbers`
    applies (read from the keys: a key has lost signs and decimal points). The first
    result of :func:`textdedup.engines.batches.score_batch`, kept under its old name:
    a pure function of its inputs, shared by every engine.

    >>> config = DedupConfig(ngram=1, numbers="ignore")
    >>> round(float(pair_scores(["a b c d", "a b c e"], [0], [1], config)[0]), 2)
    0.6
    """
    return score_batch(config, left, right, keys=list(keys))[0]


def _word_counts(keys: Sequence[bytes]) -> list[int]:
    """Words in each key (keys have single spaces, none at the edges): its spaces plus
    one, 0 for an empty key. One pass over the keys joined, not one call per key.

    >>> _word_counts([b"a b c", b"", b"one", b"x y"])
    [3, 0, 1, 2]
    """
    if not keys:
        return []
    lengths = np.fromiter(map(len, keys), dtype=np.int64, count=len(keys))
    ends = np.cumsum(lengths)
    spaces = np.flatnonzero(np.frombuffer(b"".join(keys), dtype=np.uint8) == 32)
    before = np.searchsorted(spaces, ends)  # spaces before the end of each key
    counts = np.diff(before, prepend=0) + (lengths > 0)
    return counts.tolist()  # type: ignore[no-any-return]


def _rows(buf: bytearray) -> npt.NDArray[np.bytes_]:
    """The digests of ``buf`` (side by side, DIGEST_SIZE bytes each) as an ``S16`` array,
    a copy: a view would pin the buffer, which could then not grow."""
    return np.frombuffer(buf, dtype=f"S{DIGEST_SIZE}").copy()


def _groups(digests: bytearray | npt.NDArray[np.bytes_]) -> npt.NDArray[np.int64]:
    """Equal numbers for equal digests (16 bytes each, side by side or ``S16`` rows)."""
    arr = _rows(digests) if isinstance(digests, bytearray) else digests
    if not arr.size:
        return np.zeros(0, dtype=np.int64)
    return np.unique(arr, return_inverse=True)[1].astype(np.int64).reshape(-1)


_NO_DIGEST = bytes(DIGEST_SIZE)  # the row of an unknown text digest (see _text_rows)


_SAMPLE_PER_BAND = 4  # candidate pairs kept per (score band, verified) for review
