"""``examples.under_base`` asks ``urls.under`` of a URL without its query: the same answer for
every URL and base, hostile ones included (differential)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from hubtool.core import urls
from hubtool.validate.rules.examples import under_base

PARTS = st.sampled_from(
    [
        "https://", "http://", "//", "api.example", "API.Example", ":443", ":99999", ":x",
        "u:p@", "@", "/", "/v1", "/v1/", "..", ".", "?", "?q=1", "#", "#f", "%2F", "\\", " ",
        "\n", "\t", "[::1]", "[", "\u2100", "\ud800", "a", ":", "=", "&",
    ]
)  # fmt: skip
texts = st.lists(PARTS, max_size=8).map("".join)


@given(base=texts, path=texts, query=texts)
def test_under_base_equals_under(base: str, path: str, query: str) -> None:
    url = urls.join(base, path) + "?" + query
    assert under_base(url, base) == urls.under(url, base)
    assert under_base(path + query, base) == urls.under(path + query, base)


def test_under_base_reads_the_path_not_the_query() -> None:
    base = "https://api.example/v1/"
    assert under_base(f"{base}x?next=https://evil.example/", base)
    assert not under_base("https://api.example/v2/x?u=/v1/", base)
    assert not under_base("https://api.example/v1/../x?a", base)
