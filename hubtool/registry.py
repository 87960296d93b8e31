"""The registry: every rule and change kind, collected from the module whose code finds it.

Each rule is a ``Rule`` constant beside the code that finds it; this module finds them by
module (``NEAR``: the rule families of ``hubtool.validate.rules.FAMILIES`` and the other
modules a validation loads, indexed at import; ``FAR``: check-upstream and ci, on first use),
so a rule added to a family module needs no edit here; change kinds likewise by module
(``KIND_MODULES``), on first use. Rule ids are a stable contract (configuration, waivers,
SARIF and CI logs refer to them). Imported by cli, commands, report and tests only, never by a
module that defines a rule or change kind.
"""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Iterator, Mapping
from typing import Any

from hubtool.core.findings import ERROR, NOTE, WARNING
from hubtool.core.registry import (
    ALWAYS,
    BUMPS,
    NEVER,
    ON_WRITE,
    ChangeKind,
    Rule,
)
from hubtool.validate.rules import FAMILIES

NEAR: tuple[str, ...] = (
    "hubtool.load.syntax",
    *(f"hubtool.validate.rules.{name}" for name in FAMILIES),
    "hubtool.validate.testable",
    "hubtool.load.discover",
    "hubtool.validate.config.waivers",
)
"""Modules every validation loads, in the order of docs/RULES.md: their rules are indexed at
import. A rule defined in a family module (``FAMILIES``) is found there: nothing to add here."""
FAR: tuple[str, ...] = ("hubtool.upstream.contract", "hubtool.ci.baseconfig", "hubtool.core.guard")
"""Modules whose rules are indexed on first use (check-upstream and ci code: not loaded by a
validation), then ``internal-error`` last."""

FAR_FAMILIES: dict[str, str] = {
    "upstream-route": "upstream",
    "upstream-path-params": "upstream",
    "upstream-query": "upstream",
    "upstream-body": "upstream",
    "upstream-scopes": "upstream",
    "upstream-examples": "upstream",
    "config-changed": "config",
    "internal-error": "internal",
}
"""The id and family of each rule of the FAR modules, so that a configuration naming one (a
waiver of ``upstream-body``) is checked without importing check-upstream or ci code on the hook
path. ``tests/test_registry.py`` keeps it equal to the rules themselves."""

RULES_TABLE: tuple[Rule, ...]
"""Every rule, in the order of docs/RULES.md. Collected on first use (``__getattr__``)."""


def rules_of(module_names: tuple[str, ...]) -> tuple[Rule, ...]:
    """The ``Rule`` constants of each module, in module order and then definition order
    (a module never holds another module's rule: ``tests/test_registry.py`` checks it)."""
    found: dict[int, Rule] = {}
    for name in module_names:
        for value in vars(importlib.import_module(name)).values():
            if isinstance(value, Rule):
                found.setdefault(id(value), value)
    return tuple(found.values())


def _collect_rules() -> tuple[Rule, ...]:
    """Every rule in docs order; the FAR modules are imported here, when first needed."""
    return rules_of(NEAR) + rules_of(FAR)


def _index(rules: tuple[Rule, ...]) -> dict[str, Rule]:
    table: dict[str, Rule] = {}
    for rule in rules:
        if rule.id in table:
            raise ValueError(f"duplicate rule id {rule.id!r}")
        if rule.severity not in (ERROR, WARNING, NOTE):
            raise ValueError(f"rule {rule.id!r} has unknown severity {rule.severity!r}")
        table[rule.id] = rule
    return table


class RuleIndex(Mapping[str, Rule]):
    """Rule id -> rule, checked by ``_index``. The rules of the modules every validation loads
    are indexed at import; the others (``upstream-*``, ``config-changed``) the first time an id
    is not among them or the whole index is read, so start-up loads no code it does not run."""

    def __init__(self, near: tuple[Rule, ...]) -> None:
        self._table = _index(near)
        self._complete = False

    def _complete_table(self) -> dict[str, Rule]:
        if not self._complete:
            self._table = _index(_collect_rules())
            self._complete = True
        return self._table

    def __getitem__(self, rule_id: str) -> Rule:
        if rule_id in self._table:
            return self._table[rule_id]
        return self._complete_table()[rule_id]

    def __contains__(self, rule_id: object) -> bool:
        known = rule_id in self._table or rule_id in FAR_FAMILIES
        return known or rule_id in self._complete_table()

    def family(self, rule_id: str) -> str:
        """The family of rule ``rule_id`` (KeyError for an unknown id), without importing a FAR
        module for one of ``FAR_FAMILIES``."""
        if rule_id in self._table:
            return self._table[rule_id].family
        if rule_id in FAR_FAMILIES:
            return FAR_FAMILIES[rule_id]
        return self._complete_table()[rule_id].family

    def __iter__(self) -> Iterator[str]:
        return iter(self._complete_table())

    def __len__(self) -> int:
        return len(self._complete_table())


RULES: Mapping[str, Rule] = RuleIndex(rules_of(NEAR))
"""Every rule by id (the rules ``hubtool validate`` can report are indexed without importing
check-upstream, ci or gate code)."""

GATE_RULE: Rule
"""The semver gate (``hubtool.diff.gate.VERSION_GATE``), reported like a rule; it compares two
versions, so it is not in RULES. Collected on first use (``__getattr__``)."""


# --- change kinds ---------------------------------------------------------------------------

CHANGE_KINDS_TABLE: tuple[ChangeKind, ...]
"""Every change kind, in the order of docs/CHANGES.md; each is defined in the
``hubtool.diff.kinds`` module that emits it. Collected on first use (``__getattr__``)."""
CHANGE_KINDS: dict[str, ChangeKind]
"""Change kind id -> kind, checked by ``_index_kinds``."""


KIND_MODULES: tuple[str, ...] = (
    "hubtool.diff.kinds.actions",
    "hubtool.diff.kinds.inputs",
    "hubtool.diff.kinds.schemas",
    "hubtool.diff.kinds.body",
    "hubtool.diff.kinds.port",
    "hubtool.diff.kinds.metadata",
    "hubtool.diff.kinds",
)
"""The change families, in the order of docs/CHANGES.md. A kind defined in one of them is
found there: nothing to add here."""


def kinds_of(module_names: tuple[str, ...]) -> tuple[ChangeKind, ...]:
    """The ``ChangeKind`` constants each module defines (``NAME = ChangeKind(`` in its source;
    kinds modules import each other's constants), in module and then definition order."""
    found: list[ChangeKind] = []
    for name in module_names:
        module = importlib.import_module(name)
        source = inspect.getsource(module)
        found += [
            value
            for key, value in vars(module).items()
            if isinstance(value, ChangeKind) and f"\n{key} = ChangeKind(" in source
        ]
    return tuple(found)


def _collect_kinds() -> tuple[ChangeKind, ...]:
    """The change kinds, imported when first used so that ``hubtool validate`` (which reads the
    rules here) does not load ``hubtool.diff``: start-up imports no more than it needs."""
    return kinds_of(KIND_MODULES)


def _index_kinds(kinds: tuple[ChangeKind, ...]) -> dict[str, ChangeKind]:
    table: dict[str, ChangeKind] = {}
    for kind in kinds:
        if kind.id in table or kind.id in RULES:
            raise ValueError(f"duplicate change kind id {kind.id!r}")
        if kind.bump not in BUMPS or kind.review not in (ALWAYS, NEVER, ON_WRITE):
            raise ValueError(f"change kind {kind.id!r} has an unknown bump or review")
        table[kind.id] = kind
    for kind in kinds:
        if kind.mirror is not None and kind.mirror not in table:
            raise ValueError(f"change kind {kind.id!r} mirrors unknown {kind.mirror!r}")
    return table


def __getattr__(name: str) -> Any:
    """``RULES_TABLE``, ``GATE_RULE``, ``CHANGE_KINDS_TABLE`` and ``CHANGE_KINDS``, collected and
    checked on first use (PEP 562).

    Raises AttributeError for any other name, ValueError for a duplicate or unknown kind."""
    if name == "RULES_TABLE":
        globals()["RULES_TABLE"] = _collect_rules()
        return globals()[name]
    if name == "GATE_RULE":
        from hubtool.diff.gate import VERSION_GATE

        globals()["GATE_RULE"] = VERSION_GATE
        return VERSION_GATE
    if name not in ("CHANGE_KINDS_TABLE", "CHANGE_KINDS"):
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    table = _collect_kinds()
    globals().update(CHANGE_KINDS_TABLE=table, CHANGE_KINDS=_index_kinds(table))
    return globals()[name]
