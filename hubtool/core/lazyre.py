"""Regular expressions compiled on first use, for the patterns a clean run never reaches.

Compiling takes 0.1-1 ms a pattern (``re._compiler``); a module constant that only a finding,
an escape or a rare value needs costs ``hubtool validate`` that much at every start-up (the
pre-commit hook runs once per commit). A pattern every run uses gains nothing from this.
"""

from __future__ import annotations

import re
from typing import Any


class LazyPattern:
    """A regex compiled on first use; delegates every attribute to the ``re.Pattern``."""

    __slots__ = ("_compiled", "_flags", "_pattern")

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self._pattern, self._flags = pattern, flags
        self._compiled: re.Pattern[str] | None = None

    def compiled(self) -> re.Pattern[str]:
        if self._compiled is None:
            self._compiled = re.compile(self._pattern, self._flags)
        return self._compiled

    def __getattr__(self, name: str) -> Any:
        return getattr(self.compiled(), name)


def lazy_compile(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """``re.compile(pattern, flags)`` on first use (a ``LazyPattern`` that stands for it)."""
    return LazyPattern(pattern, flags)  # type: ignore[return-value]  # a re.Pattern on use
