"""Policy rule families. Each module exposes ``check(doc) -> Iterator[Finding]``.

A module here defines the rules of its family (``Rule`` constants: id, severity, docs,
examples) beside the code that finds their violations; ``hubtool.registry`` collects them.
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable, Iterator
from types import ModuleType

from hubtool.core.findings import Finding
from hubtool.load.strict import Document

FAMILIES = (
    "schema",
    "secrets",
    "origin",
    "paths",
    "inputs",
    "body",
    "approval",
    "examples",
    "references",
    "catalog",
)

Check = Callable[[Document], Iterator[Finding]]


def family(name: str) -> ModuleType:
    """Import one rule family module by name."""
    return importlib.import_module(f"hubtool.validate.rules.{name}")


def checks() -> list[Check]:
    """The per-document check function of every family, in a fixed order (read from each
    module at every call, so a module's ``check`` replaced in a test is the one called)."""
    return [module.check for module in _modules()]


@functools.cache
def _modules() -> tuple[ModuleType, ...]:
    """Every family's module, imported once (``checks`` is asked once per document)."""
    return tuple(family(name) for name in FAMILIES)
