"""Errors that reach the user as one line plus a hint, each with its exit code.

The CLI catches :class:`KgtoolError` at its edge and prints ``Error: <message>``
followed by ``Hint: <hint>``; the exit code comes from the class.

>>> e = InputError("data/x.ttl:3:5: unexpected end of file", hint="close the string")
>>> (e.exit_code, str(e))
(3, 'data/x.ttl:3:5: unexpected end of file')
"""

from __future__ import annotations

import re

#: Exit codes of the CLI, as documented in the README.
EXIT_OK = 0
EXIT_NO = 1
EXIT_USAGE = 2
EXIT_INPUT = 3
EXIT_LIMIT = 4


class KgtoolError(Exception):
    """A user-facing error: a message, an optional hint and an exit code."""

    exit_code = EXIT_INPUT

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class UsageError(KgtoolError):
    """The command line asked for something that does not exist (exit 2)."""

    exit_code = EXIT_USAGE


class InputError(KgtoolError):
    """Input could not be loaded: syntax error, missing file, bad SPARQL (exit 3)."""

    exit_code = EXIT_INPUT


class ProjectNotFound(InputError):
    """No spacecoop project could be found (exit 3)."""


class LimitError(KgtoolError):
    """A limit was hit: a query timeout or a row cap (exit 4)."""

    exit_code = EXIT_LIMIT


#: Bidirectional formatting characters that reorder what follows them on a line: the
#: embeddings and overrides (U+202A-U+202E) and the isolates (U+2066-U+2069).
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def escape_control(text: str) -> str:
    r"""Make text from input safe to echo on a terminal: C0 and C1 control characters (a
    newline too, so no line can be forged) and bidi overrides are written as escapes.

    >>> escape_control("bad\x1b[31mred\n")
    'bad\\x1b[31mred\\n'
    >>> escape_control("abc\u202edef")
    'abc\\u202edef'
    """
    if not _UNSAFE.search(text):  # the common case, at C speed
        return text
    out = []
    for ch in text:
        code = ord(ch)
        if code < 0x20 or 0x7F <= code < 0xA0:
            out.append({"\n": "\\n", "\t": "\\t", "\r": "\\r"}.get(ch, f"\\x{code:02x}"))
        elif ch in BIDI_CONTROLS:
            out.append(f"\\u{code:04x}")
        else:
            out.append(ch)
    return "".join(out)
