"""The loader's fast path (``hubtool.load.fast``: the C scanner made strict) against the
positional parser, its reference: same data, same LoadErrors, same positions.

The differential property, for generated, mutated and hostile JSON texts: ``fast.loads``
accepts a text exactly when ``parse_positional`` does (it is not merely conservative: every
refusal the fast path makes, the strict parser makes too), returns the same data (compared by a
type-exact canonical form: 1, 1.0 and True differ, key order counts), and ``parse`` returns the
reference's errors, or a Document whose lazily computed offsets equal the eager parser's.
Targeted cases name each reason the fast path refuses a text.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any

import pytest
from conftest import SENTRY
from fuzzkit import damaged_bytes, example, mutated, values
from hypothesis import given, settings
from hypothesis import strategies as st

from hubtool.core.limits import MAX_DEPTH, MAX_NUMBER_CHARS
from hubtool.load import fast, positional
from hubtool.load.positional import PositionalParser
from hubtool.load.strict import Document, LoadError, decode, parse, parse_positional

SENTRY_TEXT = SENTRY.read_text(encoding="utf-8")


def canon(value: Any) -> Any:
    """A type-exact form of a JSON value: 1, 1.0, True and -0.0 all differ; key order counts."""
    if type(value) is dict:
        return ("dict", [(key, canon(child)) for key, child in value.items()])
    if type(value) is list:
        return ("list", [canon(child) for child in value])
    return (type(value).__name__, repr(value))


def agree(text: str, max_depth: int = MAX_DEPTH) -> Document | list[LoadError]:
    """Check the fast path against the positional parser on ``text``; the reference's result."""
    reference = parse_positional(text, "m.json", max_depth)
    quick = fast.loads(text, max_depth)
    accepted = quick is not fast.REFUSED
    assert accepted == isinstance(reference, Document), (accepted, reference)
    if accepted:
        assert canon(quick) == canon(reference.data)
    result = parse(text, "m.json", max_depth)
    if isinstance(reference, list):
        assert result == reference
        return reference
    assert isinstance(result, Document)
    assert canon(result.data) == canon(reference.data)
    assert list(result.values.items()) == list(reference.values.items())
    assert list(result.keys.items()) == list(reference.keys.items())
    assert result.line_starts == reference.line_starts
    for pointer in list(reference.values)[:500]:  # the tables are equal; a sample suffices
        assert result.position(pointer) == reference.position(pointer)
        assert result.position(pointer, at_key=True) == reference.position(pointer, at_key=True)
    return reference


# --- strategies ---------------------------------------------------------------------------------

INDENTS = (None, 0, 1, 2, "\t", " \r\n ")


@st.composite
def json_texts(draw: st.DrawFn, data: st.SearchStrategy[Any]) -> str:
    """``data`` written by ``json.dumps`` in one of its layouts, ASCII-escaped or not."""
    value = draw(data)
    indent = draw(st.sampled_from(INDENTS))
    separators = draw(st.sampled_from((None, (",", ":"), (" , ", " : "))))
    ascii_only = draw(st.booleans())
    try:
        text = json.dumps(value, indent=indent, separators=separators, ensure_ascii=ascii_only)
    except ValueError:  # an integer past Python's digit limit
        text = "9" * 5000
    return text.replace("\n", draw(st.sampled_from(("\n", "\r\n", "\r"))))


manifests = mutated().map(lambda mutant: mutant.data)
HOSTILE = (
    "NaN", "Infinity", "-Infinity", "-NaN", "nan", "inf", "1e400", "-1e400", "1e-400",
    "1.7976931348623157e308", "1.7976931348623159e308", "1" * MAX_NUMBER_CHARS,
    "1" * (MAX_NUMBER_CHARS + 1), "-" + "1" * MAX_NUMBER_CHARS, "0." + "5" * 99, "4" * 4301,
    "01", "-0", "-0.0", "1.", ".5", "1e", "1E+2", "+1", "0x10", "\\ud800", "\\udc00",
    "\\ud83d\\ude00", "\\ud83d\\u0041", "\\ud83d\\ud83d\\ude00", "\\ude00\\ude00",
    "\\\\ud800", "\\\\\\ud800",
    "\\u00zz", "\\x41", "\\'", '"a":1,"a":2', '"a":1,"\\u0061":2', '"a"', '"', "\\", "{", "}",
    "[", "]", ",", ":", "[" * 65, "]" * 65, '{"a":' * 65, "\x00", "\x1f", "\x7f", "\ufeff",
    "\u00a0", "\u2028", "\x0b", "\x0c", "\r", "\t", " ", "true", "tru", "null", "nul", "//",
    "/*", "\ud800", "\udc00", "é", "😀",
)  # fmt: skip
"""Fragments that break strictness (or nearly do) in one way each."""


@st.composite
def spliced(draw: st.DrawFn, base: st.SearchStrategy[str]) -> str:
    """A text from ``base`` with 1 to 4 character-level edits: hostile fragments spliced in,
    ranges deleted or duplicated, the text cut."""
    text = draw(base)
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(text)))
        op = draw(st.sampled_from(("insert", "insert", "delete", "repeat", "cut")))
        if op == "insert":
            fragment = draw(st.one_of(st.sampled_from(HOSTILE), st.text(max_size=4)))
            text = text[:at] + fragment + text[at:]
        elif op == "delete":
            text = text[:at] + text[at + draw(st.integers(1, 12)) :]
        elif op == "repeat":
            text = text[:at] + text[at : at + draw(st.integers(1, 30))] + text[at:]
        else:
            text = text[:at]
    return text


@st.composite
def hostile_texts(draw: st.DrawFn) -> str:
    """One hostile fragment in a small context (alone, in an array, as a value, in a string)."""
    fragment = draw(st.sampled_from(HOSTILE))
    context = draw(
        st.sampled_from(("@", "[@]", '{"k": @}', '["@"]', '{"@": 1}', " @ ", "[1, @, 2]"))
    )
    return context.replace("@", fragment)


def nested(depth: int, leaf: str = "1", as_object: bool = False) -> str:
    """``depth`` levels of arrays (or objects) around ``leaf``."""
    if as_object:
        return '{"a":' * depth + leaf + "}" * depth
    return "[" * depth + leaf + "]" * depth


# --- the differential property -------------------------------------------------------------------


@settings(max_examples=60)
@given(text=json_texts(manifests))
def test_manifests_agree(text: str) -> None:
    agree(text)


@settings(max_examples=120)
@given(text=json_texts(values))
def test_random_json_agrees(text: str) -> None:
    agree(text)


@settings(max_examples=150)
@given(text=spliced(st.one_of(json_texts(values), st.just(SENTRY_TEXT), hostile_texts())))
def test_mutated_texts_agree(text: str) -> None:
    agree(text)


@settings(max_examples=80)
@given(raw=damaged_bytes())
def test_damaged_bytes_agree(raw: bytes) -> None:
    text = decode(raw)
    if isinstance(text, str):
        agree(text)


@settings(max_examples=120)
@given(text=hostile_texts(), depth=st.integers(1, MAX_DEPTH))
def test_hostile_fragments_agree(text: str, depth: int) -> None:
    agree(text)
    agree(text, max_depth=depth)


@pytest.mark.parametrize("as_object", [False, True])
@pytest.mark.parametrize("depth", [1, 2, 63, 64, 65, 66, 200, 999, 1000, 1001, 5000])
def test_nesting_around_every_limit_agrees(depth: int, as_object: bool) -> None:
    agree(nested(depth, as_object=as_object))
    agree(nested(depth, as_object=as_object), max_depth=3)


# --- each refusal, and what the fast path accepts -------------------------------------------

REFUSED = {
    "duplicate key": '{"a": 1, "a": 2}',
    "duplicate key after escapes": '{"a": 1, "\\u0061": 2}',
    "nested duplicate key": '[{"x": {"b": [], "b": null}}]',
    "NaN": "[NaN]",
    "Infinity": '{"a": Infinity}',
    "-Infinity": "-Infinity",
    "lone high surrogate": '"\\ud800"',
    "lone low surrogate": '["\\udc00"]',
    "high surrogate then a letter": '"\\ud83d\\u0041"',
    "two high surrogates": '"\\ud83d\\ud83d\\ude00"',
    "two low surrogates": '"\\ude00\\ude00"',
    "low surrogate before a high one": '"\\ude00\\ud83d"',
    "high surrogate then a literal low one": '"\\ud83d\udc00"',
    "lone surrogate after an escaped backslash": '"\\\\\\ud800"',
    "long integer": "1" * (MAX_NUMBER_CHARS + 1),
    "long negative integer": "-" + "1" * MAX_NUMBER_CHARS,
    "long float": "0." + "5" * (MAX_NUMBER_CHARS - 1),
    "integer past Python's digit limit": "[" + "4" * 4301 + "]",
    "float overflow": "1e400",
    "negative float overflow": "[-1.8e308]",
    "too deep": nested(MAX_DEPTH + 1),
    "too deep in objects": nested(MAX_DEPTH + 1, as_object=True),
    "past the recursion limit": nested(100_000),
    "trailing data": "{} {}",
    "trailing comma": "[1,]",
    "empty": "",
    "blank": " \r\n\t",
    "byte order mark": "\ufeff{}",
    "non-JSON whitespace": "\u00a0{}",
    "control character in a string": '"a\x01"',
    "single quotes": "{'a': 1}",
    "leading zero": "01",
    "comment": "{} // x",
}


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_the_fast_path_refuses(name: str) -> None:
    text = REFUSED[name]
    assert fast.loads(text, MAX_DEPTH) is fast.REFUSED
    errors = agree(text)
    assert isinstance(errors, list) and errors


ACCEPTED: dict[str, tuple[str, Any]] = {
    "surrogate pair": ('"\\ud83d\\ude00"', "\U0001f600"),
    "upper-case surrogate pair": ('"\\uD83D\\uDE00"', "\U0001f600"),
    "escaped backslash then text like an escape": ('"\\\\ud800"', "\\ud800"),
    "longest integer": ("9" * MAX_NUMBER_CHARS, int("9" * MAX_NUMBER_CHARS)),
    "largest float": ("1.7976931348623157e308", 1.7976931348623157e308),
    "underflow is zero": ("1e-400", 0.0),
    "negative zero": ("[-0, -0.0]", [0, -0.0]),
    "exponent makes a float": ("1E2", 100.0),
    "deepest nesting": (nested(MAX_DEPTH), json.loads(nested(MAX_DEPTH))),
    "scalar document": (" true ", True),
    "key order": ('{"b": 1, "a": 2}', {"b": 1, "a": 2}),
}


@pytest.mark.parametrize("name", sorted(ACCEPTED))
def test_the_fast_path_accepts(name: str) -> None:
    text, expected = ACCEPTED[name]
    assert canon(fast.loads(text, MAX_DEPTH)) == canon(expected)
    agree(text)


# --- positions are computed once, and only when asked for ----------------------------------


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Texts the positional parser is run on (through ``hubtool.load.strict``)."""
    seen: list[str] = []

    def counting(text: str, max_depth: int) -> PositionalParser:
        seen.append(text)
        return PositionalParser(text, max_depth)

    monkeypatch.setattr(positional, "PositionalParser", counting)
    return seen


def big_manifest(actions: int = 500) -> str:
    """The Sentry manifest with ``actions`` copies of its actions (as bench/ builds one)."""
    data = json.loads(SENTRY_TEXT)
    originals = data["actionTemplates"]
    data["actionTemplates"] = [
        dict(copy.deepcopy(originals[i % len(originals)]), slug=f"action-{i:04d}")
        for i in range(actions)
    ]
    return json.dumps(data, indent=2)


@pytest.mark.parametrize("make", [lambda: SENTRY_TEXT, big_manifest], ids=["sentry", "500"])
def test_a_clean_manifest_is_parsed_once_without_positions(
    parses: list[str], make: Callable[[], str]
) -> None:
    text = make()
    doc = parse(text, "m.json")
    assert isinstance(doc, Document) and parses == []
    assert doc.position("/actionTemplates/0/slug") > (1, 1)
    assert parses == [text]
    reference = parse_positional(text, "m.json")
    assert isinstance(reference, Document)
    assert doc.keys == reference.keys and doc.values == reference.values
    assert len(parses) == 2  # the reference's own parse; the document's tables are kept


def test_positions_through_keys_first(parses: list[str]) -> None:
    doc = parse('{"a": [1, {"b": 2}]}')
    assert isinstance(doc, Document)
    assert doc.keys == {"/a": 1, "/a/1/b": 11}
    assert doc.values == {"": 0, "/a": 6, "/a/0": 7, "/a/1": 10, "/a/1/b": 16}
    assert len(parses) == 1


def test_given_tables_are_used_as_they_are(parses: list[str]) -> None:
    doc = Document("c.yaml", {"a": 1}, "a: 1\n", {"/a": 3}, {}, [0, 5])
    assert doc.position("/a") == (1, 4) and doc.position("/a", at_key=True) == (1, 4)
    assert doc.line_col(5) == (2, 1)
    assert parses == []


def test_a_document_without_text_has_no_positions() -> None:
    doc = Document("x.json", {"a": 1})
    assert doc.values == {} and doc.keys == {} and doc.position("/a") == (1, 1)


def test_a_depth_limit_over_the_cap_takes_the_positional_parser(parses: list[str]) -> None:
    text = nested(MAX_DEPTH + 5)
    doc = parse(text, max_depth=MAX_DEPTH + 5)
    assert isinstance(doc, Document) and parses == [text]
    assert canon(doc.data) == canon(json.loads(text))


def test_tables_of_text_that_is_not_json_are_empty() -> None:
    doc = Document("x.json", None, '{"a": 1,}')
    assert doc.values == {} and doc.keys == {} and doc.line_starts == [0]


# --- hostile input, up to a mebibyte ------------------------------------------------------

HOSTILE_SHAPES: dict[str, Callable[[int], str]] = {
    "open arrays": lambda n: "[" * n,
    "open objects": lambda n: '{"a":' * (n // 5),
    "balanced deep arrays": lambda n: nested(n // 2),
    "one long number": lambda n: "1" * n,
    "many long numbers": lambda n: "[" + ",".join(["1" * 101] * (n // 102)) + "]",
    "many overflowing floats": lambda n: "[" + "1e400," * (n // 6) + "1]",
    "many NaN": lambda n: "[" + "NaN," * (n // 4) + "1]",
    "lone surrogates": lambda n: '"' + "\\ud800" * (n // 6) + '"',
    "surrogate pairs": lambda n: '["' + "\\ud83d\\ude00" * (n // 12) + '"]',
    "escaped backslashes": lambda n: '"' + "\\\\ud800" * (n // 7) + '"',
    "duplicate keys": lambda n: "{" + '"a":1,' * (n // 6) + '"a":1}',
    "many keys": lambda n: "{" + ",".join(f'"k{i}":{i}' for i in range(n // 12)) + "}",
    "many shallow containers": lambda n: "[" + "[[[[{}]]]]," * (n // 11) + "1]",
    "containers at the depth cap": lambda n: "[" + ",".join([nested(63)] * (n // 128)) + "]",
    "one long string": lambda n: '"' + "a" * n + '"',
}
"""Each hostile class as a text of about ``n`` characters."""


@pytest.mark.parametrize("name", sorted(HOSTILE_SHAPES))
def test_hostile_shapes_agree(name: str) -> None:
    agree(HOSTILE_SHAPES[name](64 * 1024))


@pytest.mark.parametrize("name", sorted(HOSTILE_SHAPES))
def test_a_mebibyte_of_hostile_input_ends(name: str) -> None:
    text = HOSTILE_SHAPES[name](1024 * 1024)
    small = parse(HOSTILE_SHAPES[name](64 * 1024))
    with example("parse-mebibyte", text):  # the watchdog stops a hang
        result = parse(text)
    assert type(result) is type(small)
    assert isinstance(result, Document) or all(isinstance(e, LoadError) for e in result)
