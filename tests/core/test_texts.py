"""``core.texts.keys_and_strings`` (the loader's one walk: depth, keys and strings at C speed)
against a recursive reference, differentially (issue 11): the same keys, strings and depth
verdict for generated JSON values and hostile nestings."""

from __future__ import annotations

import json
from typing import Any

from fuzzkit import budget, json_values
from hypothesis import given
from hypothesis import strategies as st

from hubtool.core.texts import keys_and_strings
from hubtool.load import fast


def reference(value: Any, keys: set[str], strings: set[str]) -> int:
    """Gather recursively; the depth of ``value`` (0 for a scalar)."""
    if isinstance(value, str):
        strings.add(value)
        return 0
    if isinstance(value, dict):
        keys.update(value)
        return 1 + max((reference(v, keys, strings) for v in value.values()), default=0)
    if isinstance(value, list):
        return 1 + max((reference(v, keys, strings) for v in value), default=0)
    return 0


@budget("validate-structure", ci=200)
@given(value=json_values, cap=st.integers(0, 6))
def test_equals_the_recursive_walk(value: Any, cap: int) -> None:
    keys: set[str] = set()
    strings: set[str] = set()
    depth = reference(value, keys, strings)
    assert keys_and_strings(value) == (keys, strings)
    assert keys_and_strings(value, cap) == (None if depth > cap else (keys, strings))


def test_depth_at_the_cap_and_one_past() -> None:
    for depth in (1, 2, 63, 64, 65):
        text = '{"k": ' * depth + '"s"' + "}" * depth
        value = json.loads(text)
        assert keys_and_strings(value, 64) == (None if depth > 64 else ({"k"}, {"s"}))
        assert (fast.loads(text, 64) is fast.REFUSED) == (depth > 64)
    assert keys_and_strings("s", 0) == (set(), {"s"}) and keys_and_strings(5, 0) == (set(), set())


def test_the_loader_gathers_what_it_parsed() -> None:
    text = '{"a": ["x", {"b": "y", "c": [1, "x", null]}], "d": {}}'
    loaded = fast.load_texts(text, 64)
    assert loaded == (json.loads(text), {"a", "b", "c", "d"}, {"x", "y"})
