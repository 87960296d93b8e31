"""YAML OpenAPI specs: PyYAML's safe loader, on libyaml where PyYAML has it, nesting capped.

libyaml's parser (``yaml.CSafeLoader``) is several times faster than the pure-Python one;
``load_yaml`` keeps the pure-Python loader's results and messages (see its docstring), and
``tests/upstream/test_yaml_loader.py`` runs both on the same documents, hostile ones included.
"""

from __future__ import annotations

import functools
from typing import Any

from hubtool.core.limits import MAX_YAML_DEPTH


def load_yaml(text: str) -> Any:
    """One YAML document, as PyYAML's safe loader reads it (anchors shared, the last of two
    equal keys wins, only the YAML tags of the safe schema), at most ``MAX_YAML_DEPTH``
    collections deep.

    libyaml's parser (``CSafeLoader``) reads it where PyYAML has libyaml, several times faster;
    a document libyaml refuses is read again by the pure-Python loader, so every error is what
    the pure-Python loader says. The two read every document alike (a differential test), but
    for a tab as separating whitespace, valid YAML that libyaml reads and the pure-Python
    scanner refuses. Raises yaml.YAMLError, ValueError (deeper than the cap) or another
    error PyYAML lets out (IndexError for ``!!int ''``): callers catch Exception.
    """
    import yaml

    if yaml.__with_libyaml__:
        try:
            return yaml.load(text, Loader=yaml_loader(fast=True))
        except MemoryError:
            raise
        except Exception:  # the pure-Python loader below gives the message
            pass
    return yaml.load(text, Loader=yaml_loader(fast=False))


@functools.cache
def yaml_loader(fast: bool) -> type:
    """PyYAML's safe loader (``fast``: libyaml's ``CSafeLoader``) with the nesting cap: the
    cap is checked on the composed nodes, so both parsers refuse the same documents."""
    import yaml

    base = yaml.CSafeLoader if fast else yaml.SafeLoader

    class Loader(base):  # type: ignore[misc, valid-type]
        def get_single_data(self) -> Any:
            try:
                node = self.get_single_node()
            except RecursionError:  # the pure-Python composer recurses per level
                raise ValueError(_TOO_DEEP) from None
            if node is None:
                return None
            if _height(node) > MAX_YAML_DEPTH:
                raise ValueError(_TOO_DEEP)
            return self.construct_document(node)

    return Loader


_TOO_DEEP = f"nested more than {MAX_YAML_DEPTH} levels deep"


def _height(root: Any) -> int:
    """Collections on the longest path down from ``root`` (a yaml node; 0 for a scalar).

    Iterative and linear in the nodes: a node shared through an alias is measured once, and an
    alias back into one of its own ancestors (a recursive anchor) is not followed.
    """
    heights: dict[int, int] = {}
    stack = [(root, iter(_children(root)))]
    open_ids = {id(root)}
    while stack:
        node, pending = stack[-1]
        child = next(pending, None)
        if child is None:
            stack.pop()
            open_ids.discard(id(node))
            below = (heights.get(id(c), 0) for c in _children(node))
            heights[id(node)] = 1 + max(below, default=0)
        elif isinstance(child.value, list) and not (id(child) in heights or id(child) in open_ids):
            if len(stack) > MAX_YAML_DEPTH:
                return len(stack) + 1
            open_ids.add(id(child))
            stack.append((child, iter(_children(child))))
    return heights.get(id(root), 0)


def _children(node: Any) -> list[Any]:
    """The nodes inside a mapping (keys and values) or sequence node; none for a scalar."""
    if not isinstance(node.value, list):
        return []
    return [part for item in node.value for part in (item if isinstance(item, tuple) else (item,))]
