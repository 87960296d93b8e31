"""Static questions about input-schema patterns: see ``hubtool.core.ecma`` (ECMA-262, one place).

JSON Schema ``pattern`` is an unanchored search, so a bounded value needs ``^...$``; and a
path value must not be able to contain ``/``. Both are decided on the parsed pattern, not by
trying sample strings. This module re-exports the answers for the rule families.
"""

from __future__ import annotations

from hubtool.core.ecma import (
    anchored,
    backtracking_problem,
    can_match_any,
    compile_error,
    compiles,
    max_length,
    min_length,
    search,
)

__all__ = [
    "anchored",
    "backtracking_problem",
    "can_match_any",
    "compile_error",
    "compiles",
    "max_length",
    "min_length",
    "search",
]
