"""``render.path_segment`` (a value of unreserved characters only is not passed to ``quote``)
against the reference, ``quote`` of every value (differential, issue 11): same segment, or the
same error, for hostile values. ``render_path`` (the template split at its placeholders once,
``render.template_pieces``, cached) against ``PLACEHOLDER.sub`` with a callback, the way it
rendered before: the same path for hostile templates and values."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fuzzkit import budget, json_values
from hypothesis import given
from hypothesis import strategies as st

from hubtool.drafts import render
from hubtool.drafts.render import UNRESERVED, path_segment, render_path, scalar
from hubtool.validate.rules.paths import PLACEHOLDER


def reference_segment(value: Any) -> str:
    text = quote(scalar(value), safe="")
    return text.replace(".", "%2E") if text in (".", "..") else text


def outcome(func: Any, value: Any) -> tuple[str, str]:
    try:
        return "value", func(value)
    except Exception as exc:  # the same error type, or the same text
        return "error", type(exc).__name__


VALUES = st.one_of(
    st.text(alphabet=st.sampled_from([*UNRESERVED[-8:], "a", "Z", "/", "%", " ", "é", "\ud800"])),
    st.text(),
    st.sampled_from(["", ".", "..", "...", "~", "a.b", "%2E", "\x00", "\u2100"]),
    st.integers(),
    st.floats(),
    json_values,
)


@given(value=VALUES)
def test_path_segment_is_the_reference(value: Any) -> None:
    assert outcome(path_segment, value) == outcome(reference_segment, value)


def test_unreserved_is_what_quote_leaves() -> None:
    assert all(quote(chr(c), safe="") == chr(c) for c in range(128) if chr(c) in UNRESERVED)
    assert all(quote(chr(c), safe="") != chr(c) for c in range(128) if chr(c) not in UNRESERVED)
    assert render_path("/a/{x}/{y}/{z}", {"x": "..", "y": "a b", "z": "ok-1.2_~"}) == (
        "/a/%2E%2E/a%20b/ok-1.2_~"
    )


def reference_path(template: str, values: dict[str, Any]) -> str:
    def fill(match: Any) -> str:
        name = match.group(1)
        return path_segment(values[name]) if name in values else match.group(0)

    return PLACEHOLDER.sub(fill, template)


PIECES = st.sampled_from(["/", "{id}", "{org}", "{a b}", "{}", "{", "}", "{{id}}", "x", "..", "é"])
NAMES = st.sampled_from(["id", "org", "x", "a b"])


@budget("validate-structure", ci=200)
@given(
    pieces=st.lists(PIECES, max_size=8),
    values=st.dictionaries(NAMES, json_values, max_size=3),
    long=st.booleans(),
)
def test_render_path_equals_the_substitution(
    pieces: list[str], values: dict[str, Any], long: bool
) -> None:
    template = "".join(pieces) + ("/a" * 300 if long else "")
    for _ in range(2):  # the second time from the cache of template_pieces
        assert render.render_path(template, values) == reference_path(template, values)
