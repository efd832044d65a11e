"""Stable digests shared by every stage and engine (never Python's salted ``hash()``).

:func:`digest` is the exact-match digest of a key: items with equal digests are
identical duplicates, in every process and on every machine.
"""

from __future__ import annotations

import hashlib

__all__ = ["DIGEST_SIZE", "digest", "digest_bytes"]

DIGEST_SIZE = 16
"""Bytes in a :func:`digest` (128 bits)."""


def digest(key: str) -> bytes:
    """A stable 128-bit digest of a key (BLAKE2b, RFC 7693), for exact matching.

    Lone surrogates are digested as they are (``surrogatepass``), so every str has one.

    >>> digest("abc").hex()
    'cf4ab791c62b8d2b2109c90275287816'
    """
    return hashlib.blake2b(key.encode("utf-8", "surrogatepass"), digest_size=DIGEST_SIZE).digest()


def digest_bytes(encoded: bytes) -> bytes:
    """:func:`digest` of a key already encoded (UTF-8, ``surrogatepass``).

    >>> digest_bytes("abc".encode()) == digest("abc")
    True
    """
    return hashlib.blake2b(encoded, digest_size=DIGEST_SIZE).digest()
