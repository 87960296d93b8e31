"""The distinct keys and strings of a JSON value, gathered level by level at C speed.

One walk serves the strict loader (``hubtool.load.fast``: how deep the value nests) and the
secret rules (``hubtool.core.secrets.may_flag``: is any key or string a credential's), so a
manifest's containers are read once for both.
"""

from __future__ import annotations

from typing import Any


def keys_and_strings(value: Any, max_depth: int | None = None) -> tuple[set[str], set[str]] | None:
    """``(keys, strings)``: the distinct keys of every object and the distinct string values
    (items and members, and ``value`` itself) in plain JSON ``value``, at any depth; None when
    objects and arrays nest more than ``max_depth`` levels (the outermost is level 1).

    Plain JSON only (a ``json`` parser's output): subclasses of dict, list and str are not
    looked into. Each level is read by list comprehensions and set updates, no call per member.
    """
    keys: set[str] = set()
    strings: set[str] = {value} if type(value) is str else set()
    level = [value] if type(value) is dict or type(value) is list else []
    depth = 0
    while level:
        depth += 1
        if max_depth is not None and depth > max_depth:
            return None
        keys.update(*[node for node in level if type(node) is dict])
        members = [
            child for node in level for child in (node.values() if type(node) is dict else node)
        ]
        strings.update([child for child in members if type(child) is str])
        level = [child for child in members if type(child) is dict or type(child) is list]
    return keys, strings
