"""``scan_strings`` checks each distinct clean key and value once per walk; differentially, its
findings equal a plain walk's that checks every string (``reference``), in the same order."""

from __future__ import annotations

from typing import Any

from fuzzkit import Mutant, budget, mutated
from hypothesis import given

from hubtool.core.limits import SHORT_TEXT
from hubtool.core.pointers import pointer_of
from hubtool.core.secrets import StringScan, find_secret, may_flag, scan_strings
from hubtool.core.secrets.names import names_credential

TOKEN = "sntrys_" + "eyJpYXQiOjE2OTQwMDAwMDB9" + "A1b2C3d4" * 6
"""A fake Sentry org auth token, assembled at run time."""


def reference(value: Any, path: list[Any], scan: StringScan) -> StringScan:
    """Every string checked, every time: the walk before the clean sets."""
    if isinstance(value, str):
        if match := find_secret(value):
            scan.secrets.append((pointer_of(*path), match, False))
    elif isinstance(value, dict):
        for key, child in value.items():
            if names_credential(key):
                scan.named.append((pointer_of(*path, key), key))
            if match := find_secret(key):
                scan.secrets.append((pointer_of(*path, key), match, True))
            reference(child, [*path, key], scan)
    elif isinstance(value, list):
        for index, child in enumerate(value):
            reference(child, [*path, index], scan)
    return scan


def assert_same(value: Any) -> None:
    assert scan_strings(value, names_credential) == reference(value, [], StringScan())


def test_a_repeated_secret_or_credential_name_is_found_each_time() -> None:
    value = {
        "a": [TOKEN, "x", TOKEN, "x"],
        TOKEN: {"apiKey": TOKEN, "b": "x"},
        "c": {"apiKey": "y", TOKEN: TOKEN, "x": "x"},
        "x": [{"x": "x"}, "x", TOKEN],
    }
    found = scan_strings(value, names_credential)
    assert [p for p, _ in found.named] == [f"/{TOKEN}/apiKey", "/c/apiKey"]
    assert len(found.secrets) == 7
    assert_same(value)


@budget("validate-structure", ci=100)
@given(data=mutated())
def test_scan_strings_equals_a_walk_that_checks_every_string(data: Mutant) -> None:
    assert_same(data.data)


def test_long_and_short_strings_alike() -> None:
    """Texts either side of ``SHORT_TEXT`` (the walk asks ``find_secret``'s cache itself for a
    short one), clean or holding a credential, as values, items and keys, repeated."""
    texts = [
        "x" * (SHORT_TEXT - len(TOKEN) - 1) + " " + TOKEN,
        "y " * (SHORT_TEXT // 2),
        "z " * SHORT_TEXT + TOKEN,
        "w " * SHORT_TEXT,
        TOKEN,
        "plain",
    ]
    value = {text: {"v": text, "l": [text, [text]]} for text in texts}
    assert_same([value, value, texts])
    found = scan_strings([value, texts], names_credential)
    assert len(found.secrets) == 3 * 4 + 3  # three texts hold it: key, value, item, nested


def assert_cleared_only_when_clean(value: Any) -> None:
    """``may_flag`` False (the rule skips the walk) only where the walk finds nothing; asked
    twice, so the second answer comes from the clean sets the first one filled."""
    expected = reference(value, [], StringScan())
    for _ in range(2):
        if not may_flag(value, names_credential):
            assert expected == StringScan()


@budget("validate-structure", ci=100)
@given(data=mutated())
def test_may_flag_clears_only_documents_the_walk_finds_clean(data: Mutant) -> None:
    assert_cleared_only_when_clean(data.data)


def test_may_flag_finds_a_credential_anywhere() -> None:
    """A key naming a credential, a token as a key, a value, an item or the whole value, at
    any depth, long or short, after the same texts were seen clean elsewhere."""
    clean = {"a": ["x", {"b": "y" * 300}], "page_token": "z"}
    assert not may_flag(clean, names_credential)
    long = "w " * SHORT_TEXT + TOKEN
    for value in (
        {"a": [{"apiKey": "x"}]},
        {"a": [[{"b": TOKEN}]]},
        {TOKEN: 1},
        [[["y" * 300, long]]],
        TOKEN,
        {"a": ["x", {"b": "y" * 300}], "c": [1, 2.5, None, True, TOKEN]},
    ):
        assert may_flag(value, names_credential)
        assert_cleared_only_when_clean(value)


def test_the_clean_sets_are_bounded(monkeypatch: Any) -> None:
    """Full sets are emptied (bounded memory); long texts are never kept."""
    import hubtool.core.secrets as secrets

    monkeypatch.setattr(secrets, "_REMEMBERED", 4)
    monkeypatch.setattr(secrets, "_CLEAN_STRINGS", set())
    monkeypatch.setattr(secrets, "_CLEAN_KEYS", {})
    assert not may_flag([f"word {i}" for i in range(10)] + ["v" * 200], names_credential)
    assert 0 < len(secrets._CLEAN_STRINGS) <= 4 and "v" * 200 not in secrets._CLEAN_STRINGS
    assert not may_flag({f"k{i}": 1 for i in range(9)}, str.isdigit)
    assert len(secrets._CLEAN_KEYS[str.isdigit]) == 1  # nine keys through a set of four
