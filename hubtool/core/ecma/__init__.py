"""ECMA-262 regular expressions: the one place hubtool compiles, analyses and matches patterns.

JSON Schema's ``pattern`` (and ``format: regex``) is ECMA-262, and Harbor Node runs the same
patterns in JavaScript, so hubtool never uses Python's ``re`` on a manifest's or a spec's pattern.

Modules, one concern each:

- ``match``: validity (``compile_error``, ``compiles``; ``regress`` for ECMA-262 syntax and
  the linear-time matcher's own refusals) and matching (``search``, through ``jsonschema_rs``,
  time linear in the value); where the matcher differs from ECMA-262 and what is done about it.
- ``syntax``: a lenient reader of the pattern grammar (``parse``) giving the tree the static
  questions run on; it never decides validity. ``ranges``: the character sets it uses.
- ``shape``: anchoring (``anchored``), characters a match may hold (``can_match_any``), length
  bounds (``min_length``, ``max_length``).
- ``analysis``: super-linear backtracking (``backtracking_problem``) on the Glushkov automaton.

Import the public names from here (``from hubtool.core import ecma``).
"""

from __future__ import annotations

from hubtool.core.ecma.analysis import backtracking_problem
from hubtool.core.ecma.match import compile_error, compiles, search
from hubtool.core.ecma.shape import anchored, can_match_any, max_length, min_length
from hubtool.core.ecma.syntax import parse

__all__ = [
    "anchored",
    "backtracking_problem",
    "can_match_any",
    "compile_error",
    "compiles",
    "max_length",
    "min_length",
    "parse",
    "search",
]
