"""Unique, readable slugs for many operations at once (``scaffold --all``).

Each operation's slug is ``<verb>-<noun>`` (``names.derive_slug``). Operations whose slugs
collide, with each other or with a slug ``taken`` already, are qualified by the literal path
units before the noun, nearest first (``list-issues`` on ``/issues``, ``/repos/{o}/{r}/issues``
and ``/orgs/{org}/issues`` -> ``list-issues``, ``list-repo-issues``, ``list-org-issues``): in a
collision, the operations that can still be qualified are, and one that cannot keeps its
name. Operations the path cannot tell apart take the other words of their operationId
(``get-app`` on ``/app`` -> ``get-app-authenticated``), then their method, then a number
(``-2``, ``-3`` ...). The result does not depend on the order of the operations except
for that last number.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from hubtool.core.secrets import find_secret
from hubtool.upstream.openapi import Operation
from hubtool.upstream.scaffold.names import (
    bounded_slug,
    context_words,
    id_words,
    noun_words,
    operation_verb,
    word_set,
)

_FILLERS = word_set("a all an and as by for from in into of on or the to with")
"""Words of an operationId that tell no two operations apart."""
_MAX_EXTRA = 3
"""At most this many of the operationId's own words qualify a slug."""


@dataclass(frozen=True)
class _Candidate:
    slug: str
    rank: int
    """How it was qualified: 0 by the path, 1 by the operationId's words, 2 by the method; in
    a collision, the lowest rank is tried first."""


def unique_slugs(operations: Sequence[Operation], taken: Iterable[str] = ()) -> list[str]:
    """One slug per operation (same order): unique, none in ``taken``, each at most 64."""
    taken = set(taken)
    candidates = [_candidates(op) for op in operations]
    level = [0] * len(operations)
    for _ in range(2 * max(map(len, candidates), default=0) + 2):
        clashes = _clashes([c[i].slug for c, i in zip(candidates, level, strict=True)], taken)
        if not clashes or not _advance(clashes, candidates, level):
            break
    return _numbered([c[i].slug for c, i in zip(candidates, level, strict=True)], taken)


def _candidates(operation: Operation) -> list[_Candidate]:
    """The operation's slugs, most readable first, without repeats."""
    verb = operation_verb(operation)
    noun = noun_words(operation.path, verb)
    found = [_Candidate(bounded_slug([verb, *noun]), 0)]
    qualifiers: list[str] = []
    for words in context_words(operation.path, verb):
        qualifiers = [*words, *qualifiers]
        found.append(_Candidate(bounded_slug([verb, *qualifiers, *noun]), 0))
        if sum(map(len, qualifiers)) > 64:
            break  # a longer slug is cut back to the same 64 characters
    words = [verb, *qualifiers, *noun]
    extra = [w for w in dict.fromkeys(id_words(_tail(operation))) if w not in {*words, *_FILLERS}]
    if find_secret(operation.operation_id):
        extra = []  # its words would carry the credential, in pieces, into the slug
    if extra:
        found.append(_Candidate(bounded_slug([verb, *noun, *extra[:_MAX_EXTRA]]), 1))
        words += extra[:_MAX_EXTRA]
        found.append(_Candidate(bounded_slug(words), 1))
    found.append(_Candidate(bounded_slug([*words, operation.method]), 2))
    unique: dict[str, _Candidate] = {}
    for candidate in found:
        if candidate.slug and candidate.slug not in unique:
            unique[candidate.slug] = candidate
    return list(unique.values()) or [_Candidate(operation.method.lower(), 2)]


def _tail(operation: Operation) -> str:
    """The operationId's last ``/`` part (GitHub's ``issues/list-for-repo`` -> list-for-repo)."""
    return operation.operation_id.rsplit("/", 1)[-1]


def _clashes(slugs: list[str], taken: set[str]) -> list[list[int]]:
    """The indexes of each group of operations sharing a slug (or holding a taken one)."""
    groups: dict[str, list[int]] = defaultdict(list)
    for index, slug in enumerate(slugs):
        groups[slug].append(index)
    return [group for slug, group in groups.items() if len(group) > 1 or slug in taken]


def _advance(
    clashes: list[list[int]], candidates: list[list[_Candidate]], level: list[int]
) -> bool:
    """Move the members of each clash that should change to their next slug; False if none can.

    In a clash, the members whose next slug has the lowest rank move; the others keep theirs
    (so ``/issues`` keeps ``list-issues`` while ``/orgs/{org}/issues`` becomes qualified).
    Members the whole path cannot tell apart skip the path's qualifiers.
    """
    moved = False
    for group in clashes:
        full = Counter(_by_path(candidates[i])[-1].slug for i in group)
        for index in group:
            path_only = _by_path(candidates[index])
            if full[path_only[-1].slug] > 1 and candidates[index][level[index]].rank == 0:
                level[index] = len(path_only) - 1
        movable = [i for i in group if level[i] + 1 < len(candidates[i])]
        if not movable:
            continue
        lowest = min(candidates[i][level[i] + 1].rank for i in movable)
        for index in movable:
            if candidates[index][level[index] + 1].rank == lowest:
                level[index] += 1
                moved = True
    return moved


def _by_path(candidates: list[_Candidate]) -> list[_Candidate]:
    """The candidates qualified by the path alone (the first is always one)."""
    return [c for c in candidates if c.rank == 0]


def _numbered(slugs: list[str], taken: set[str]) -> list[str]:
    """The slugs with a number added to every repeat after the first (and to a taken one):
    the lowest free number from 2 up.

    Linear: each slug's search resumes at the number its previous repeat stopped at (every
    lower one is still used, as ``used`` only grows), so n repeats of one slug try about n
    numbers in all, not n²/2.
    """
    used = set(taken)
    last: dict[str, int] = {}
    result = []
    for slug in slugs:
        unique, number = slug, last.get(slug, 1)
        if number > 1:
            unique = _with_number(slug, number)
        while unique in used:
            number += 1
            unique = _with_number(slug, number)
        last[slug] = number
        used.add(unique)
        result.append(unique)
    return result


def _with_number(slug: str, number: int) -> str:
    """``slug-<number>``, the slug cut so that the whole is at most 64 characters."""
    suffix = f"-{number}"
    return bounded_slug([slug[: 64 - len(suffix)]]) + suffix
