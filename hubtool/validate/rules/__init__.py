"""Policy rule families. Each module exposes ``check(doc) -> Iterator[Finding]``.

The registry (``hubtool.registry``) holds each rule's id, severity and docs; a module here
holds the code that finds violations of the rules of its family.
"""

from __future__ import annotations

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
    """The per-document check function of every family, in a fixed order."""
    return [family(name).check for name in FAMILIES]
