"""The exceptions textdedup raises.

Every domain error derives from :class:`TextdedupError`, so callers can catch one
type. Errors about input carry the path and the line (or byte offset) they refer to.

::

    TextdedupError
    ├── InputError              bad input data; has .path, .line, .offset
    │   ├── BinaryInputError    the input looks like binary data, not text
    │   └── DecodeError         the input is not valid in the requested encoding
    ├── OutputError             an output that would equal, hold or replace an input, or
    │                           replace a folder textdedup did not write
    │   └── OutputConflictError an OutputError whose message names a parameter
    ├── IncompatibleSettingsError  settings that do not work together (also a ValueError);
    │                           names the parameters, which a front end renders its own way
    ├── MissingDependencyError  an optional dependency (pyspark, ...) is not installed
    └── IndexError_             (in textdedup.index) an unusable or mismatched index

Bad *arguments* (a threshold of 1.5, an unknown mode) are ``ValueError`` or
``TypeError`` raised when a config is built, not ``TextdedupError``.
"""

from __future__ import annotations

import string
from collections.abc import Mapping

__all__ = [
    "BinaryInputError",
    "DecodeError",
    "IncompatibleSettingsError",
    "InputError",
    "MissingDependencyError",
    "NamedParameters",
    "OutputConflictError",
    "OutputError",
    "TextdedupError",
    "literal",
]


class TextdedupError(Exception):
    """Base class of every error textdedup raises on bad data."""


class InputError(TextdedupError):
    """Input that cannot be processed, with where it came from.

    Parameters
    ----------
    message:
        What is wrong, and where possible what to do about it.
    path:
        The file the input came from (``"<stdin>"`` for standard input), if known.
    line:
        1-based line number, if the problem is on one line.
    offset:
        0-based byte offset, if the problem is at one byte.

    Attributes
    ----------
    skippable:
        What ``on_error="skip"`` would pass over instead of stopping (``"record"`` or
        ``"file"``), or ``None`` when skipping would not help. Set by the readers.
    """

    skippable: str | None = None

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        line: int | None = None,
        offset: int | None = None,
    ) -> None:
        self.message = message
        self.path = path
        self.line = line
        self.offset = offset
        super().__init__(str(self))

    def __str__(self) -> str:
        where = []
        if self.path is not None:
            where.append(self.path)
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.offset is not None:
            where.append(f"byte {self.offset}")
        return f"{', '.join(where)}: {self.message}" if where else self.message


class BinaryInputError(InputError):
    """The input looks like binary data (it contains NUL bytes)."""


class DecodeError(InputError):
    """The input bytes are not valid in the requested encoding."""


class OutputError(TextdedupError):
    """An output that cannot be written without losing data.

    It equals an input, holds one, lies inside an input folder (a later run would read
    it as input), collides with another output, or would replace a folder that
    textdedup did not write. Raised before anything is read or written.
    """


class NamedParameters(TextdedupError):
    """A message whose ``{placeholders}`` are the library's parameter names.

    ``str()`` shows them as they are (``index_path``); a front end shows its own names
    with :meth:`render` (the CLI's one table maps ``index_path`` to ``--index``).
    Values quoted in the message are passed through :func:`literal`.
    """

    def __init__(self, template: str) -> None:
        self.template = template
        super().__init__(self.render({}))

    @property
    def parameters(self) -> tuple[str, ...]:
        """The parameter names the message refers to, in order, each once."""
        names = (name for _, name, _, _ in string.Formatter().parse(self.template) if name)
        return tuple(dict.fromkeys(names))

    def render(self, names: Mapping[str, str]) -> str:
        """The message with each parameter shown as ``names`` spells it (else as is)."""
        return self.template.format_map({p: names.get(p, p) for p in self.parameters})


def literal(value: object) -> str:
    """``value`` as text to quote in a :class:`NamedParameters` template (braces escaped).

    >>> literal("{a}.txt")
    '{{a}}.txt'
    """
    return str(value).replace("{", "{{").replace("}", "}}")


class IncompatibleSettingsError(NamedParameters, ValueError):
    """Settings or arguments that do not work together, naming the parameters.

    Parameters
    ----------
    template : str
        The message, with each parameter named as ``{name}`` and any other brace
        doubled (:func:`literal`).

    Examples
    --------
    >>> e = IncompatibleSettingsError("{fields} works with the local engine only")
    >>> str(e), e.parameters
    ('fields works with the local engine only', ('fields',))
    >>> e.render({"fields": "--fields"})
    '--fields works with the local engine only'
    """


class MissingDependencyError(NamedParameters, ImportError):
    """An optional dependency is not installed; the message says how to install it.

    Its template names the parameter that asked for it, as
    :class:`IncompatibleSettingsError` does.
    """


class OutputConflictError(NamedParameters, OutputError):
    """An :class:`OutputError` about an output given as a parameter, named in the template
    (``{report} r.jsonl is an input file``)."""
