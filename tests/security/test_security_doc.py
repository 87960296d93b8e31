"""docs/SECURITY.md maps every attack class to tests: each test it names must exist."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import REPO

DOC = REPO / "docs" / "SECURITY.md"


def named_tests() -> list[tuple[str, str]]:
    """(file, function) for every ``tests/…py::name`` the doc's tables cite."""
    found: list[tuple[str, str]] = []
    for row in DOC.read_text(encoding="utf-8").splitlines():
        current = None
        for token in re.findall(r"`([^`]+)`", row):
            file = re.fullmatch(r"(test_\w+\.py)(?:::(\w+))?", token)
            if file:
                current = file.group(1)
                if file.group(2):
                    found.append((current, file.group(2)))
            elif current and (name := re.fullmatch(r"::(\w+)", token)):
                found.append((current, name.group(1)))
    return found


def _test_file(name: str) -> Path:
    """The test module named ``name`` anywhere under tests/ (cited by file name)."""
    found = sorted((REPO / "tests").rglob(name))
    assert len(found) == 1, f"{name}: {len(found)} files under tests/"
    return found[0]


def test_the_threat_model_cites_tests() -> None:
    assert len(named_tests()) > 50


def test_every_cited_test_exists() -> None:
    missing = [
        f"{file}::{name}"
        for file, name in named_tests()
        if not re.search(rf"def {name}\b", _test_file(file).read_text(encoding="utf-8"))
    ]
    assert missing == []
