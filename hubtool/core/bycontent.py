"""Answers of a pure function of a JSON value, kept by the value's content (bounded).

A catalog repeats small schemas (a parameter's, a body field's) across its manifests; a rule
that judges one by its content alone judges each distinct one once per process. The key is
``core.schema.fast.content_key`` (types and keys' order told apart: 1, 1.0 and True differ).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from hubtool.core.schema.fast import content_key

Answer = TypeVar("Answer")


class ByContent:
    """At most ``limit`` answers, each for a value whose key is at most ``key_max`` bytes
    (a larger value is judged each time); emptied when full. Memory: ``limit`` keys."""

    __slots__ = ("_answers", "_key_max", "_limit")

    def __init__(self, limit: int = 4096, key_max: int = 512) -> None:
        self._answers: dict[tuple[Any, ...], Any] = {}
        self._limit = limit
        self._key_max = key_max

    def answer(self, func: Callable[..., Answer], value: Any, *args: Any) -> Answer:
        """``func(value, *args)``, from what was kept when ``value``'s content was judged
        before with the same ``args`` (hashable) and the same ``func``."""
        key = content_key(value)
        if key is None or len(key) > self._key_max:
            return func(value, *args)
        full = (func, key, *args)
        if full in self._answers:
            return self._answers[full]  # type: ignore[no-any-return]
        if len(self._answers) >= self._limit:
            self._answers.clear()
        answer = self._answers[full] = func(value, *args)
        return answer
