"""``urls.under`` and ``urls.remove_dot_segments`` (each origin asked once; a path with no dot
returned as it is) against their references, differentially, for hostile URLs (issue 11)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from hubtool.core import urls


def reference_remove_dot_segments(path: str) -> str:
    """RFC 3986, 5.2.4, as hubtool resolved it before the no-dot shortcut."""
    out: list[str] = []
    for segment in path.split("/"):
        if segment == "..":
            if len(out) > 1:
                out.pop()
        elif segment != ".":
            out.append(segment)
    if path.endswith(("/.", "/..")):
        out.append("")
    return "/".join(out)


def reference_under(url: str, base_url: str) -> bool:
    target, base = urls.split(url), urls.split(base_url)
    if (
        target is None
        or base is None
        or not urls.origin(url)
        or urls.origin(url) != urls.origin(base_url)
    ):
        return False
    if target.username is not None:
        return False
    base_path = base.path.rstrip("/") + "/"
    resolved = reference_remove_dot_segments(target.path)
    return (resolved.rstrip("/") + "/").startswith(base_path)


PARTS = st.sampled_from(
    [
        "https://", "http://", "//", "api.example", "API.Example", ":443", ":99999", ":x",
        "u:p@", "@", "/", "/v1", "/v1/", "..", ".", "/.", "/..", "?", "?q=1", "#", "%2E",
        "\\", " ", "\n", "[::1]", "[", "\u2100", "a", ":", "",
    ]
)  # fmt: skip
texts = st.lists(PARTS, max_size=8).map("".join)


@given(path=texts)
def test_remove_dot_segments_is_the_reference(path: str) -> None:
    assert urls.remove_dot_segments(path) == reference_remove_dot_segments(path)


@given(base=texts, path=texts)
def test_under_is_the_reference(base: str, path: str) -> None:
    for url in (urls.join(base, path), path, base + path):
        assert urls.under(url, base) == reference_under(url, base)


def test_dot_segments_still_resolve() -> None:
    assert urls.remove_dot_segments("/v1/../x") == "/x"
    assert urls.remove_dot_segments("/v1/x") == "/v1/x"
    assert not urls.under("https://api.example/v1/../x", "https://api.example/v1/")
    assert urls.under("https://api.example/v1/a.b/c", "https://api.example/v1")


JOIN_PARTS = st.sampled_from(
    [
        "https://", "HTTPS://", "http:", "//", "h", "api.example", "\uff21\uff30.example",
        ":443", ":8080", ":0x", "u@", "u:p@", "[::1]", "[", "]", "/", "/v1", "/v1/", ".", "..",
        "/.", "/..", "%2E", "?", "?q=/..", "#", "#/..", "\t", "\r", "\n", "\x00", "\x1f", " ", "\\",
        ":", "é", "{id}", "x",
    ]
)  # fmt: skip
join_texts = st.lists(JOIN_PARTS, max_size=10).map("".join)


@given(base=join_texts, path=join_texts, rest=join_texts)
def test_under_joined_is_the_reference(base: str, path: str, rest: str) -> None:
    """The path-only judgement of a URL under its base (``urls._base_state``) against
    ``urlsplit`` of both: every URL that starts with the base's joined prefix, whatever follows
    (query, fragment, tab, control characters, dot segments) and whatever the base holds."""
    for url in (urls.join(base, path), urls.join(base, path) + rest, base + "/" + rest):
        assert urls.under(url, base) == reference_under(url, base), (url, base)


def test_joined_urls_take_the_path_only_judgement() -> None:
    """The bases of real manifests take the fast path (else the test above proves little)."""
    for base in ("https://api.github.com/", "https://slack.com/api", "https://h:8443/v1/"):
        state = urls._base_state(base)
        assert state is not None and state[1] is not None
        assert state[0] == urls.join(base, "")
    assert urls._base_state("https://h/?x=1") is None
    assert urls._base_state("https://u@h/") == ("https://u@h/", None)
    assert urls.under("https://api.github.com/repos/a/b?x=..#", "https://api.github.com/")
    assert not urls.under("https://api.github.com/repos/../../x", "https://api.github.com/repos")
