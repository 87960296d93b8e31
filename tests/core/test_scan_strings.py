"""``scan_strings`` checks each distinct clean key and value once per walk; differentially, its
findings equal a plain walk's that checks every string (``reference``), in the same order."""

from __future__ import annotations

from typing import Any

from fuzzkit import Mutant, budget, mutated
from hypothesis import given

from hubtool.core.pointers import pointer_of
from hubtool.core.secrets import StringScan, find_secret, scan_strings
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
    from hubtool.core.limits import SHORT_TEXT

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
