"""textdedup signatures as datasketch ``MinHash`` objects, and back.

Imported only by :func:`textdedup.interop.to_datasketch` and
:func:`~textdedup.interop.from_datasketch`, so datasketch is loaded only when they
are called.

textdedup's permutations (multiply-shift mod 2**64, top 32 bits; see
:mod:`textdedup.minhash`) are not datasketch's, so a textdedup signature and a
datasketch-made one of the same text agree only by chance. Each exported
:class:`TextdedupMinHash` therefore carries the settings that made it, its datasketch
``seed`` is a tuple of them (which no datasketch-made MinHash has, so datasketch's own
``jaccard`` and ``merge`` refuse to mix the two), and ``update`` is refused: its
values can only come from :class:`textdedup.MinHasher`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
from datasketch import MinHash

from .minhash import FORMAT_VERSION, SignatureArray

_SETTINGS = ("num_perm", "seed", "ngram", "unit", "hash", "format_version")


def _seed(settings: dict[str, Any]) -> tuple[Any, ...]:
    return ("textdedup", *(settings.get(k) for k in _SETTINGS))


class TextdedupMinHash(MinHash):  # type: ignore[misc]
    """A textdedup signature as a datasketch ``MinHash`` (``jaccard``, ``merge``, ``MinHashLSH``).

    ``settings`` are the :attr:`textdedup.MinHasher.settings` that made it.
    """

    def __init__(self, hashvalues: Any, settings: dict[str, Any]) -> None:
        values = np.asarray(hashvalues, dtype=np.uint32)
        n = values.size
        # The permutations are never used (update is refused); datasketch wants some.
        super().__init__(
            seed=_seed(settings),
            hashvalues=values,
            permutations=(np.ones(n, dtype=np.uint32), np.zeros(n, dtype=np.uint32)),
            scheme="affine32",
        )
        self.settings = dict(settings)

    def update(self, b: Any) -> None:
        raise TypeError(
            "a textdedup signature cannot be updated with datasketch's hashing; compute it "
            "with textdedup.MinHasher(...).signatures(texts) and export it again"
        )

    def update_batch(self, b: Any) -> None:
        self.update(b)

    def _check(self, other: Any) -> None:
        mine = self.settings
        theirs = getattr(other, "settings", None)
        if theirs != mine:
            raise ValueError(
                f"cannot compare a textdedup signature ({mine}) with a MinHash made "
                f"{'with other settings (' + str(theirs) + ')' if theirs else 'by datasketch'}"
            )

    def jaccard(self, other: MinHash) -> float:
        self._check(other)
        return float(super().jaccard(other))

    def merge(self, other: MinHash) -> None:
        self._check(other)
        super().merge(other)

    def copy(self) -> TextdedupMinHash:
        return TextdedupMinHash(self.hashvalues.copy(), self.settings)


def to_datasketch(signatures: SignatureArray) -> list[TextdedupMinHash]:
    """One :class:`TextdedupMinHash` per row of ``signatures``."""
    settings = getattr(signatures, "settings", None)
    if not isinstance(signatures, SignatureArray) or not settings:
        raise TypeError(
            "to_datasketch takes the SignatureArray of MinHasher.signatures (it carries "
            f"the settings that made it), got {type(signatures).__name__}"
        )
    if signatures.ndim != 2:
        raise ValueError(f"signatures must be 2-d (n_texts, num_perm), got {signatures.shape}")
    return [TextdedupMinHash(row, settings) for row in np.asarray(signatures)]


def from_datasketch(minhashes: Iterable[MinHash]) -> SignatureArray:
    """The signatures of ``minhashes`` as one ``(n, num_perm)`` uint32 SignatureArray."""
    if isinstance(minhashes, MinHash):
        raise TypeError("from_datasketch takes a list of MinHash; pass [minhash]")
    items = minhashes if isinstance(minhashes, Sequence) else list(minhashes)
    if not items:
        raise ValueError("from_datasketch needs at least one MinHash (the settings come from it)")
    settings = [_settings_of(m, n) for n, m in enumerate(items)]
    for n, s in enumerate(settings):
        if s != settings[0]:
            raise ValueError(
                f"MinHash {n} was made with other settings than MinHash 0 ({s} != {settings[0]})"
            )
    values = np.stack([np.asarray(m.hashvalues) for m in items])
    return SignatureArray(values.astype(np.uint32), settings[0])


def _settings_of(m: Any, n: int) -> dict[str, Any]:
    if not isinstance(m, MinHash):
        raise TypeError(f"item {n} is {type(m).__name__}, not a datasketch MinHash")
    if isinstance(m, TextdedupMinHash):
        return dict(m.settings)
    scheme = getattr(m, "scheme", "legacy")
    values = np.asarray(m.hashvalues)
    if scheme not in ("affine32", "legacy") or (values.size and int(values.max()) >= 2**32):
        raise ValueError(
            f"MinHash {n} holds 64-bit values (scheme {scheme!r}); textdedup signatures are "
            "32-bit: make the MinHashes with scheme='affine32'"
        )
    return {
        "num_perm": int(values.size),
        "seed": m.seed,
        "ngram": None,
        "unit": None,
        "hash": f"datasketch-{scheme}-{getattr(m.hashfunc, '__name__', 'custom')}",
        "format_version": FORMAT_VERSION,
    }
