"""JSON pointers (RFC 6901): the one escape and unescape of reference tokens.

A pointer is ``""`` (the whole document) or ``/``-prefixed tokens with ``~`` written ``~0``
and ``/`` written ``~1``. ``hubtool.load.strict`` records positions by pointer; findings,
fingerprints and example patches address values by it.
"""

from __future__ import annotations


def escape(token: str | int) -> str:
    """Escape one reference token for a JSON pointer (RFC 6901)."""
    return str(token).replace("~", "~0").replace("/", "~1")


def pointer_of(*tokens: str | int) -> str:
    """The JSON pointer of a path of keys and indexes: ``("a/b", 0)`` is ``/a~1b/0``."""
    return "".join("/" + escape(t) for t in tokens)


def unescape(token: str) -> str:
    """The key one JSON pointer reference token stands for (RFC 6901: ``~1`` is ``/``)."""
    return token.replace("~1", "/").replace("~0", "~")


def pointer_tokens(pointer: str) -> list[str]:
    """The keys of a JSON pointer, unescaped: ``/a~1b/0`` is ``["a/b", "0"]``."""
    return [unescape(token) for token in pointer.split("/")[1:]]
