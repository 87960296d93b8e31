"""``no-secret-fields`` and ``no-secret-values`` (their fast path: a parsed manifest whose keys
and strings are all clean is not walked, ``core.secrets.may_flag``) against the walk, which
runs for any document whose keys and strings the loader did not gather (``Document.texts``),
differentially (issue 11): same findings, same order."""

from __future__ import annotations

import copy
import json
from typing import Any

from fuzzkit import Mutant, budget, mutated
from hypothesis import given
from test_robustness import ORIGINAL

from hubtool.load.strict import Document, parse
from hubtool.validate.rules import secrets

TOKEN = "sntrys_" + "eyJpYXQiOjE2OTQwMDAwMDB9" + "A1b2C3d4" * 6
"""A fake Sentry org auth token, assembled at run time."""


def assert_same(data: Any) -> list[Any]:
    doc = parse(json.dumps(data, indent=2))
    if not isinstance(doc, Document):
        return []
    found = list(secrets.check(doc))
    doc.texts = None
    assert found == list(secrets.check(doc))
    return found


@budget("validate-structure", ci=100)
@given(data=mutated())
def test_mutated_manifests(data: Mutant) -> None:
    assert_same(data.data)


def test_each_kind_of_finding_with_the_fast_path_at_hand() -> None:
    """A clean manifest (twice: the clean sets filled), then a credential name as a key and
    as a parameter, and a token as a value and as a key."""
    assert assert_same(ORIGINAL) == assert_same(ORIGINAL) == []
    cases = []
    for patch in (
        lambda d: d["compatibility"].update(apiKey="x"),
        lambda d: d["actionTemplates"][0]["inputs"]["parameters"][0].update(name="password"),
        lambda d: d["compatibility"].update(notes=f"Use Bearer {TOKEN}"),
        lambda d: d["compatibility"].update({TOKEN: "x"}),
    ):
        data = copy.deepcopy(ORIGINAL)
        patch(data)
        cases.append({f.rule for f in assert_same(data)})
    assert cases == [
        {"no-secret-fields"},
        {"no-secret-fields"},
        {"no-secret-values"},
        {"no-secret-values"},
    ]
