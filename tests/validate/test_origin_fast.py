"""``fixed-origin`` (its fast path: base URLs judged once per text, ``base_url_problem``, and
an action's route under the base once per pair of texts, ``origin.path_under``) against the
functions they cache, asked twice (the second answer from the cache), differentially (issue
11), for hostile bases and routes, short and past the cache's length."""

from __future__ import annotations

from fuzzkit import budget
from hypothesis import given
from hypothesis import strategies as st

from hubtool.validate.rules import origin

BASES = st.sampled_from(
    [
        "https://api.example.com/",
        "https://api.example.com/v1",
        "https://api.example.com:443/v1/",
        "http://api.example.com/",
        "https://user:pw@api.example.com/",
        "https://127.0.0.1/",
        "https://[::1]/",
        "https://api.example.com/?q=1",
        "https://api.example.com/#f",
        "https://localhost/",
        " https://api.example.com/",
        "https://api.example.com:99999/",
        "https://a..b/",
    ]
)
ROUTE_PARTS = st.sampled_from(["/", "//", "{id}", "..", ".", "v1", "%2e", "?", "#", "\\", "@", "x"])


@budget("validate-structure", ci=150)
@given(base=BASES, parts=st.lists(ROUTE_PARTS, max_size=8), long=st.booleans())
def test_cached_answers_equal_the_reference(base: str, parts: list[str], long: bool) -> None:
    path = "".join(parts) + ("/a" * 300 if long else "")
    for _ in range(2):
        assert origin.path_under(base, path) == origin._path_under(base, path)
        assert origin.base_url_problem(base) == origin.base_url_problem.__wrapped__(base)  # type: ignore[attr-defined]
