"""``catalog-layout`` (its fast path: a file's absolute path parts with its directory's parts
cached, ``catalog.absolute_parts``) against ``Path(path).absolute().parts``, differentially
(issue 11), for relative and absolute paths with empty, dot and dot-dot segments, from two
working directories."""

from __future__ import annotations

from pathlib import Path

import pytest
from fuzzkit import budget
from hypothesis import given
from hypothesis import strategies as st

from hubtool.validate.rules import catalog

SEGMENTS = st.sampled_from(["a", "b.json", ".", "..", "", "apps", "hub", "catalog", " x", "é"])


@budget("validate-structure", ci=200)
@given(segments=st.lists(SEGMENTS, max_size=6), absolute=st.booleans())
def test_absolute_parts_equal_pathlib(segments: list[str], absolute: bool) -> None:
    path = ("/" if absolute else "") + "/".join(segments)
    for _ in range(2):  # the second answer from the cache
        assert catalog.absolute_parts(path) == Path(path).absolute().parts


def test_another_working_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = "apps/hub/catalog/integrations/p/s.json"
    before = catalog.absolute_parts(path)
    monkeypatch.chdir(tmp_path)
    assert catalog.absolute_parts(path) == Path(path).absolute().parts != before
