"""``render_path`` (its fast path: the template split at its placeholders once,
``render.template_pieces``, cached) against ``PLACEHOLDER.sub`` with a callback, the way it
rendered before, differentially (issue 11): the same path for hostile templates and values."""

from __future__ import annotations

from typing import Any

from fuzzkit import budget, json_values
from hypothesis import given
from hypothesis import strategies as st

from hubtool.drafts import render
from hubtool.validate.rules.paths import PLACEHOLDER


def reference(template: str, values: dict[str, Any]) -> str:
    def fill(match: Any) -> str:
        name = match.group(1)
        return render.path_segment(values[name]) if name in values else match.group(0)

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
    for _ in range(2):  # the second time from the cache
        assert render.render_path(template, values) == reference(template, values)
