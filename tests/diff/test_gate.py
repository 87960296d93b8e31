"""The semver gate: required bump, minimum version (0.x and 1.x), and its verdicts."""

from __future__ import annotations

import pytest

from hubtool.diff.gate import gate, minimum_version, required_bump
from hubtool.diff.kinds import Scope
from hubtool.registry import CHANGE_KINDS


def _changes(*kinds: str):
    return [Scope().change(CHANGE_KINDS[kind], "", kind) for kind in kinds]


@pytest.mark.parametrize(
    ("old", "bump", "minimum"),
    [
        ("0.1.0", "major", "0.2.0"),
        ("0.1.0", "minor", "0.1.1"),
        ("0.1.0", "patch", "0.1.1"),
        ("0.4.7", "major", "0.5.0"),
        ("1.4.2", "major", "2.0.0"),
        ("1.4.2", "minor", "1.5.0"),
        ("1.4.2", "patch", "1.4.3"),
        ("1.4.2", None, "1.4.2"),
        ("1.0.0-rc.1", "patch", "1.0.0"),
    ],
)
def test_minimum_version(old: str, bump: str | None, minimum: str) -> None:
    assert minimum_version(old, bump) == minimum


def test_required_bump_is_the_largest() -> None:
    assert required_bump(_changes("metadata-changed", "action-added")) == "minor"
    assert required_bump(_changes("metadata-changed", "approval-loosened")) == "major"
    assert required_bump([]) == "none"


def test_unchanged_content_and_version_passes() -> None:
    verdict = gate("0.1.0", "0.1.0", [])
    assert verdict.ok and verdict.required_bump == "none"


def test_content_changed_but_version_not() -> None:
    verdict = gate("0.1.0", "0.1.0", _changes("metadata-changed"))
    assert not verdict.ok
    assert verdict.problems == [
        "the content changed but the version is still 0.1.0; use 0.1.1 (`hubtool bump` writes it)"
    ]


def test_too_small_bump_names_the_version_to_use() -> None:
    verdict = gate("1.4.2", "1.4.3", _changes("approval-loosened"))
    assert not verdict.ok and verdict.minimum_version == "2.0.0"
    assert "major changes need at least 2.0.0" in verdict.problems[0]


def test_bigger_bump_passes() -> None:
    assert gate("1.4.2", "3.0.0", _changes("metadata-changed")).ok
    assert gate("0.1.0", "0.2.0", _changes("metadata-changed")).ok


def test_version_decreased_fails_even_without_changes() -> None:
    verdict = gate("0.2.0", "0.1.9", [])
    assert not verdict.ok and "decreased" in verdict.problems[0]


def test_bump_without_changes_passes() -> None:
    assert gate("0.1.0", "0.1.1", []).ok


def test_invalid_versions_fail_with_a_message() -> None:
    verdict = gate("0.1.0", "v0.2", _changes("metadata-changed"))
    assert not verdict.ok and "'v0.2' is not a semantic version" in verdict.problems[0]
    assert not gate("one", "0.2.0", []).ok
