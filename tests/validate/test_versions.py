"""The plain-version fast path of ``version-format`` against the semver library it stands in
for: whatever the fast path accepts, semver accepts (differential)."""

from __future__ import annotations

import semver
from hypothesis import assume, given
from hypothesis import strategies as st

from hubtool.core.limits import LIMITS
from hubtool.validate.rules import catalog

PIECES = st.sampled_from(["0", "1", "01", "10", "99999999999999999999", "٣", "", "-", "+", "a"])
"""Digits (leading zero, huge, an Arabic-Indic three), empty parts and the separators of
pre-release and build."""
SHAPED = st.lists(PIECES, min_size=1, max_size=4).map(".".join)


def _semver_accepts(text: str) -> bool:
    try:
        semver.Version.parse(text)
    except (ValueError, TypeError):
        return False
    return True


@given(st.one_of(SHAPED, st.text(max_size=12), SHAPED.map(lambda t: t + "\n")))
def test_the_fast_path_accepts_only_what_semver_accepts(text: str) -> None:
    if catalog._PLAIN_VERSION.fullmatch(text):
        assert _semver_accepts(text)
    assert (catalog.version_problem(text) is None) == _semver_accepts(text)


def test_the_fast_path_and_the_library_on_known_cases() -> None:
    for text in ("0.1.0", "1.2.3", "10.20.30", "99999999999999999999.0.0"):
        assert catalog._PLAIN_VERSION.fullmatch(text) and catalog.version_problem(text) is None
    for text in ("1.2.3-rc.1", "1.2.3+build.5"):  # valid, decided by the library
        assert not catalog._PLAIN_VERSION.fullmatch(text)
        assert catalog.version_problem(text) is None
    for text in ("01.2.3", "1.2", "v1.2.3", "1.2.3\n", "1.٣.3", " 1.2.3", "1.2.3.4"):
        assert not catalog._PLAIN_VERSION.fullmatch(text)
        assert catalog.version_problem(text) == (
            f"{text!r} is not a semantic version; write MAJOR.MINOR.PATCH, e.g. 0.1.0"
        )


COMPARATORS = st.tuples(
    st.sampled_from(["", ">=", "<=", ">", "<", "^", "~", "=", "v", ">= "]), SHAPED
).map("".join)
RANGES = st.lists(
    st.lists(COMPARATORS, min_size=1, max_size=3).map(" ".join), min_size=1, max_size=3
).map(" || ".join)


def _npm_accepts(text: str) -> bool:
    import nodesemver

    return nodesemver.valid_range(text, loose=False) is not None


@given(st.one_of(RANGES, st.text(max_size=16)))
def test_the_range_fast_path_accepts_only_what_npm_accepts(text: str) -> None:
    assume(len(text) <= LIMITS["harbor-node"].value)  # longer: the schema rule (below)
    alternatives = [alternative.strip() for alternative in text.split("||")]
    if all(alternatives) and all(catalog._PLAIN_RANGE.fullmatch(a) for a in alternatives):
        assert _npm_accepts(text)
    if catalog.range_problem(text) is None:
        assert _npm_accepts(text)
    elif all(alternatives):
        assert not _npm_accepts(text)


def test_npm_ranges_harbor_node_is_read_with() -> None:
    for text in ("~0.1", "0.1.x", "*", ">=0.1.0 <2.0.0", "^1 || ^2", "1.2.3 - 2.0.0"):
        assert catalog.range_problem(text) is None
    for text in ("latest", ">=1.0.0 ||", "1.2.3.4", "=>1.0.0", "1.0.0 <"):
        assert catalog.range_problem(text) is not None


def test_an_overlong_range_is_left_to_the_schema_rule() -> None:
    """npm's range grammar is quadratic in a run of spaces (100,000 take minutes): a text over
    the schema's cap never reaches it, and the schema rule reports the length."""
    assert catalog.range_problem(" " * 100_000 + "x") is None
    assert catalog.range_problem(" " * 150 + "y") is not None
