"""Progress of a long run, one phase at a time.

The corpus pipeline names its phases (reading, signatures, candidates, verifying,
clustering, writing) and, where it knows one, the phase's total, so a bar can show
an ETA. :class:`Progress` reports nothing; :class:`Bars` draws one tqdm bar per
phase on a terminal. Stages know only this protocol, never tqdm (imported lazily).
"""

from __future__ import annotations

import os
import sys
from typing import IO, Any

__all__ = ["PHASES", "Bars", "Progress"]

#: The phases of ``dedup``, in order (``check`` and ``index add`` use some of them).
PHASES = ("reading", "signatures", "candidates", "verifying", "clustering", "writing")


class Progress:
    """Receives the phases of a run and their progress; this base class ignores them.

    >>> p = Progress()
    >>> p.start("reading", total=10, unit="B")
    >>> p.update(4)
    >>> p.close()
    """

    def start(self, phase: str, total: int | None = None, *, unit: str = "items") -> None:
        """A new phase begins (the previous one ends); ``total`` in ``unit``, if known."""

    def update(self, n: int = 1) -> None:
        """``n`` more units of the current phase are done."""

    def close(self) -> None:
        """The run ends (or fails): the last phase ends."""

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class Bars(Progress):
    """One tqdm bar per phase, named after it, with its total and ETA when known.

    Parameters
    ----------
    disable:
        Draw nothing (``--quiet``, or stderr is not a terminal).
    file:
        Where the bars go; standard error by default.
    """

    def __init__(self, *, disable: bool = False, file: IO[str] | None = None) -> None:
        self.disable = disable
        self.file = file
        self._bar: Any = None

    def start(self, phase: str, total: int | None = None, *, unit: str = "items") -> None:
        self.close()
        if self.disable:
            return
        from tqdm import tqdm

        scale = unit == "B"
        file = self.file if self.file is not None else sys.stderr
        # A terminal that reports no width (a fresh pseudo-terminal) would get empty bars.
        try:
            sized = os.get_terminal_size(file.fileno()).columns > 0
        except (OSError, ValueError, AttributeError):
            sized = False
        self._bar = tqdm(
            desc=phase,
            total=total,
            unit=unit if scale else f" {unit}",
            unit_scale=scale,
            unit_divisor=1024 if scale else 1000,
            file=file,
            dynamic_ncols=sized,
            ncols=None if sized else 100,
            leave=True,
        )

    def update(self, n: int = 1) -> None:
        if self._bar is not None:
            self._bar.update(n)

    def close(self) -> None:
        if self._bar is not None:
            bar, self._bar = self._bar, None
            if bar.total is not None and bar.n < bar.total:
                bar.total = bar.n  # the total was an estimate (compressed sizes, skips)
                bar.refresh()
            bar.close()
