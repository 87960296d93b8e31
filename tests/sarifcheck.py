"""SARIF 2.1.0 checks shared by the tests of SARIF output (a helper module, not a test module)."""

from __future__ import annotations

import json
from typing import Any

import jsonschema
from conftest import shared_file


def sarif_validators() -> list[Any]:
    """The official schema with the validator it declares (draft-04) and with Draft 7."""
    schema = json.loads(shared_file("data/sarif/sarif-schema-2.1.0.json").read_text("utf-8"))
    declared = jsonschema.validators.validator_for(schema)
    return [declared(schema), jsonschema.Draft7Validator(schema)]


def assert_valid_sarif(document: dict[str, Any]) -> None:
    for validator in sarif_validators():
        errors = sorted(validator.iter_errors(document), key=lambda e: list(e.path))
        assert not errors, [f"{list(e.path)}: {e.message[:200]}" for e in errors[:5]]
    run = document["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    ids = [rule["id"] for rule in rules]
    assert len(ids) == len(set(ids))
    for rule in rules:
        assert rule["id"] and rule["shortDescription"]["text"] and rule["help"]["text"]
    for result in run["results"]:
        assert result["ruleId"] in ids
        assert ids[result["ruleIndex"]] == result["ruleId"]
        assert result["level"] in ("error", "warning", "note")
        assert result["message"]["text"]
        location = result["locations"][0]["physicalLocation"]
        assert not location["artifactLocation"]["uri"].startswith("/")
        assert location["region"]["startLine"] >= 1
        assert location["region"]["startColumn"] >= 1
        assert result["partialFingerprints"]
