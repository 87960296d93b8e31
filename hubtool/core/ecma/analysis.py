"""Super-linear backtracking: would a backtracking engine (Harbor Node's) be slow on a pattern?

Judged on the Glushkov automaton of the pattern, after Weideman et al., "Analyzing matching
time behavior of backtracking regular expression matchers by using ambiguity of NFA" (CIAA
2016): exponential when two distinct paths lead from a state back to itself on one word (EDA);
polynomial of degree >= 2 when states p != q exist with p->p, p->q and q->q on one word (IDA),
counting only unbounded repeats for IDA. The implicit search loop of an unanchored pattern is
not counted. Lookaround and back-references are not analysed: the matcher refuses them. Work is
bounded by ``ANALYSIS_BUDGET`` steps; a pattern that needs more is a finding of its own.
"""

from __future__ import annotations

import functools
from collections import deque
from collections.abc import Iterable

from hubtool.core.ecma.ranges import Ranges, intersect
from hubtool.core.ecma.syntax import Alt, Chars, Group, Node, Repeat, Seq, parse

EMPTY_REPEATS = 10
"""Mandatory iterations of a body that may match empty text before ``(a?){n}`` is a finding:
each iteration may take the character or not, about 2**n ways to try."""
ANALYSIS_BUDGET = 300_000
"""Steps (edges tried) the backtracking analysis may take before giving up (a finding)."""


class _Glushkov:
    """Positions (one per character node), and edges ``p -> q`` with how many ways they arise.

    ``edges[p][q]`` counts distinct epsilon-paths (capped at 2); the back edges of a bounded
    repeat are left out of ``strong`` (the IDA automaton keeps only ``strong`` edges).
    A plain class: a dataclass's generated methods would cost every start-up 0.5 ms.
    """

    def __init__(self) -> None:
        self.classes: list[Ranges] = []
        self.edges: dict[int, dict[int, int]] = {}
        self.strong: set[tuple[int, int]] = set()
        self.empty_iterations = False

    def all_edges(self) -> dict[int, list[int]]:
        return {p: list(out) for p, out in self.edges.items()}

    def strong_edges(self) -> dict[int, list[int]]:
        return {p: [q for q in out if (p, q) in self.strong] for p, out in self.edges.items()}

    def link(self, lasts: Iterable[int], firsts: Iterable[int], bounded: bool = False) -> None:
        firsts = list(firsts)
        for last in lasts:
            out = self.edges.setdefault(last, {})
            for first in firsts:
                out[first] = min(out.get(first, 0) + 1, 2)
                if not bounded:
                    self.strong.add((last, first))

    def build(self, node: Node) -> tuple[bool, list[int], list[int]]:
        """(nullable, first positions, last positions) of ``node``, adding its edges."""
        if isinstance(node, Chars):
            self.classes.append(node.ranges)
            index = len(self.classes) - 1
            return False, [index], [index]
        if isinstance(node, Seq):
            return self._seq(node.items)
        if isinstance(node, Alt):
            parts = [self.build(branch) for branch in node.branches]
            return (
                any(p[0] for p in parts),
                [i for p in parts for i in p[1]],
                [i for p in parts for i in p[2]],
            )
        if isinstance(node, Group):
            return self.build(node.body)
        if isinstance(node, Repeat):
            if node.high == 0:
                return True, [], []
            nullable, firsts, lasts = self.build(node.body)
            if nullable and firsts and node.low > EMPTY_REPEATS:
                self.empty_iterations = True
            if node.high is None or node.high > 1:
                self.link(lasts, firsts, bounded=node.high is not None)
            return nullable or node.low == 0, firsts, lasts
        return True, [], []  # anchors, boundaries, lookaround, back-references: no character

    def _seq(self, items: list[Node]) -> tuple[bool, list[int], list[int]]:
        nullable, firsts, lasts = True, [], []
        for item in items:
            item_nullable, item_firsts, item_lasts = self.build(item)
            self.link(lasts, item_firsts)
            if nullable:
                firsts += item_firsts
            lasts = lasts + item_lasts if item_nullable else list(item_lasts)
            nullable = nullable and item_nullable
        return nullable, firsts, lasts


def backtracking_problem(pattern: str) -> str | None:
    """Why a backtracking engine (Harbor Node's) may take super-linear time on ``pattern``.

    None when it cannot; a message naming the shape (exponential or polynomial) otherwise.
    Unreadable patterns return None (``compile_error`` reports them).
    """
    return _backtracking(pattern)


@functools.lru_cache(maxsize=1024)
def _backtracking(pattern: str) -> str | None:
    tree = parse(pattern)
    if tree is None:
        return None
    graph = _Glushkov()
    graph.build(tree)
    try:
        budget = [ANALYSIS_BUDGET]
        if graph.empty_iterations or _exponential(graph, budget):
            return (
                "can backtrack exponentially: a repeated part can match the same text in "
                "more than one way (like (a+)+, (a|aa)*, (a*b*)* or (a?){20})"
            )
        if _polynomial(graph, budget):
            return (
                "can backtrack in polynomial time: two unbounded repeats can match the same "
                r"text one after the other (like \d*\d*x or a+.*a+)"
            )
    except _Budget:
        return "is too complex to check for catastrophic backtracking; simplify it"
    return None


class _Budget(Exception):
    pass


def _overlap(graph: _Glushkov, *positions: int) -> bool:
    ranges = graph.classes[positions[0]]
    for position in positions[1:]:
        ranges = intersect(ranges, graph.classes[position])
        if not ranges:
            return False
    return True


def _exponential(graph: _Glushkov, budget: list[int]) -> bool:
    """EDA: two distinct paths from some position back to itself reading the same word."""
    for start in _in_cycles(graph, graph.all_edges(), budget):
        seen = {(start, start, False)}
        queue = deque(seen)
        while queue:
            x, y, diverged = queue.popleft()
            for x2, nx in graph.edges.get(x, {}).items():
                for y2 in graph.edges.get(y, {}):
                    _spend(budget)
                    if not _overlap(graph, x2, y2):
                        continue
                    split = diverged or x2 != y2 or (x == y and nx > 1)
                    if split and x2 == y2 == start:
                        return True
                    state = (x2, y2, split)
                    if state not in seen:
                        seen.add(state)
                        queue.append(state)
    return False


def _spend(budget: list[int], units: int = 1) -> None:
    budget[0] -= units
    if budget[0] < 0:
        raise _Budget


def _in_cycles(graph: _Glushkov, edges: dict[int, list[int]], budget: list[int]) -> list[int]:
    """Positions on a cycle of ``edges``."""
    return [p for p in range(len(graph.classes)) if p in _reach(edges, p, budget)]


def _reach(edges: dict[int, list[int]], source: int, budget: list[int]) -> set[int]:
    """Positions reachable from ``source`` in one or more steps."""
    seen: set[int] = set()
    stack = list(edges.get(source, []))
    while stack:
        node = stack.pop()
        if node not in seen:
            seen.add(node)
            _spend(budget, len(edges.get(node, [])) + 1)
            stack.extend(edges.get(node, []))
    return seen


def _polynomial(graph: _Glushkov, budget: list[int]) -> bool:
    """IDA: positions p != q with p->p, p->q and q->q on one word (unbounded repeats only)."""
    edges = graph.strong_edges()
    reach = {p: _reach(edges, p, budget) for p in range(len(graph.classes))}
    loops = [p for p in reach if p in reach[p]]
    for p in loops:
        for q in loops:
            if p != q and q in reach[p] and _triple(graph, edges, p, q, budget):
                return True
    return False


def _triple(
    graph: _Glushkov, edges: dict[int, list[int]], p: int, q: int, budget: list[int]
) -> bool:
    start, goal = (p, p, q), (p, q, q)
    seen = {start}
    queue = deque([start])
    while queue:
        x, y, z = queue.popleft()
        for x2 in edges.get(x, []):
            for y2 in edges.get(y, []):
                _spend(budget)
                if not _overlap(graph, x2, y2):
                    continue
                for z2 in edges.get(z, []):
                    _spend(budget)
                    state = (x2, y2, z2)
                    if state in seen or not _overlap(graph, x2, y2, z2):
                        continue
                    if state == goal:
                        return True
                    seen.add(state)
                    queue.append(state)
    return False
