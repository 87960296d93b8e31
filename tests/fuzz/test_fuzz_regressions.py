"""Each crash the fuzz harness found, as a fixed input (the minimal reproduction it printed).

Every crash found is fixed and kept here as a plain test (fuzzkit.KNOWN is empty). The
crashes fixed here (a full disk, a read-only store, a credential in a lifecycle note) have their
tests in test_faults.py; a credential after an escape has its own in test_hostile_leakfix.py.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from fuzzkit import cli
from test_robustness import ORIGINAL, TOKENS, leaked, reported

from hubtool.core.errors import HubtoolError
from hubtool.registry import RULES
from hubtool.validate.config.parse import load_config
from hubtool.validate.pipeline import validate


def _manifest(tmp_path: Path, data: Any) -> Path:
    path = tmp_path / "m.json"
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    return path


def _list_issues_query(data: dict[str, Any]) -> dict[str, Any]:
    return data["actionTemplates"][1]["inputs"]["parameters"][1]


def test_pattern_with_a_huge_repetition_count(tmp_path: Path) -> None:
    """Mutant(edits=["replace /actionTemplates/1/inputs/parameters/1/schema/pattern =
    '^a{4294967296}$'"]): OverflowError out of examples-valid/defaults-valid."""
    data = copy.deepcopy(ORIGINAL)
    _list_issues_query(data)["schema"]["pattern"] = "^a{4294967296}$"
    report = validate([_manifest(tmp_path, data)])
    assert report.findings and not any(f.rule == "internal-error" for f in report.findings)


def test_dangling_ref_in_a_parameter_schema(tmp_path: Path) -> None:
    """Mutant(edits=["replace /actionTemplates/1/inputs/parameters/1/schema =
    {'$ref': '#/nowhere'}"]): a referencing error out of examples-valid."""
    data = copy.deepcopy(ORIGINAL)
    _list_issues_query(data)["schema"] = {"$ref": "#/nowhere"}
    report = validate([_manifest(tmp_path, data)])
    assert report.findings and not any(f.rule == "internal-error" for f in report.findings)


@pytest.mark.parametrize("ref", ["http://127.0.0.1:9/s.json", "file:///etc/hostname"])
def test_ref_reaches_nothing_outside(tmp_path: Path, ref: str) -> None:
    """Mutant(edits=["replace /actionTemplates/1/inputs/parameters/1/schema = {'$ref': REF}"]):
    jsonschema's default registry retrieves the URL (a DeprecationWarning in the long run)."""
    import fuzzkit

    data = copy.deepcopy(ORIGINAL)
    _list_issues_query(data)["schema"] = {"$ref": ref}
    path = _manifest(tmp_path, data)
    fuzzkit.REACHED.clear()
    fuzzkit._WATCHING[0] = True
    try:
        validate([path])
    except Exception:  # a crash is another test's business; here: what it reached first
        pass
    finally:
        fuzzkit._WATCHING[0] = False
    assert not fuzzkit.REACHED


@pytest.mark.parametrize("form", [{"slug": None}, {"$ref": "#/nowhere"}, ["date"]], ids=str)
def test_string_format_that_is_not_a_string(tmp_path: Path, form: Any) -> None:
    """StoreMachine / test_fuzz_base_commands: Mutant(edits=["replace /actionTemplates/1/inputs/
    parameters/3/schema/format = {'slug': None}"]): TypeError (unhashable) out of bounded-inputs."""
    data = copy.deepcopy(ORIGINAL)
    data["actionTemplates"][1]["inputs"]["parameters"][3]["schema"]["format"] = form
    report = validate([_manifest(tmp_path, data)])
    pointer = "/actionTemplates/1/inputs/parameters/3/schema/format"
    assert any(f.rule == "schema" and f.pointer == pointer for f in report.findings)
    assert not any(f.rule == "internal-error" for f in report.findings)


@pytest.mark.parametrize("declared", [[[None]], [{"a": 1}], ["string", ["integer"]]], ids=str)
def test_type_list_holding_a_non_string(tmp_path: Path, declared: Any) -> None:
    """test_fuzz_diff / test_fuzz_version_gate: Mutant(edits=["replace /actionTemplates/1/inputs/
    parameters/7/schema/type = [[None]]"]) against the original: TypeError (unhashable list)
    out of the canonical form's declared types."""
    data = copy.deepcopy(ORIGINAL)
    data["actionTemplates"][1]["inputs"]["parameters"][7]["schema"]["type"] = declared
    old, new = _manifest(tmp_path, ORIGINAL), tmp_path / "new.json"
    new.write_text(json.dumps(data), encoding="utf-8")
    for args in (("diff", str(old), str(new)), ("diff", str(new), str(old))):
        run = cli(*args)
        assert run.code in (0, 1), run.err
        assert "internal error" not in run.err


def test_a_long_parameter_name_is_linear(tmp_path: Path) -> None:
    """test_fuzz_validate_structure: Mutant(edits=["replace /actionTemplates/0/inputs/
    parameters/0/name = 'eyJ-eyJ-...'" (48,000 characters)]): 2.39 CPU s, quadratic in the
    number of words (names_credential sliced the rest of the name at every word)."""
    import time

    data = copy.deepcopy(ORIGINAL)
    data["actionTemplates"][0]["inputs"]["parameters"][0]["name"] = "eyJ-" * 12000
    path = _manifest(tmp_path, data)
    validate([path])  # warm imports and caches
    started = time.process_time()
    validate([path])
    assert time.process_time() - started < 1.0  # 2.5 s before; 0.09 s after, on 2 cores


@pytest.mark.parametrize("glue", ["NaN", "x", "0", "_"])
def test_a_token_glued_to_a_word_in_a_key(tmp_path: Path, glue: str) -> None:
    """test_fuzz_validate_cli: a key 'NaNsntrys_eyJ...' (a mutation glued 'NaN' to a planted
    token): the schema rule's "unknown key" message printed the token, whose detector wanted
    a word boundary before its prefix."""
    data = copy.deepcopy(ORIGINAL)
    for token in TOKENS:
        data[glue + token] = 1
    path = _manifest(tmp_path, data)
    for fmt in ("text", "json", "sarif", "github"):
        run = cli("validate", "--format", fmt, str(path))
        assert run.code == 1 and not leaked(run.out, run.err), fmt


def test_config_with_a_5000_digit_integer(tmp_path: Path) -> None:
    """config_texts: 'severity:\\n  schema: 999...9' (5,000 digits): ValueError from int()."""
    path = tmp_path / ".hubtool.yaml"
    path.write_text("severity:\n  schema: " + "9" * 5000 + "\n", encoding="utf-8")
    with pytest.raises(HubtoolError):
        load_config(path, rules=RULES)


def test_credential_after_an_escape_in_an_error_message(tmp_path: Path) -> None:
    """StoreMachine: state.show(other='\\nsntrys_...'): the error quotes the id with repr(),
    the newline becomes '\\n' and the token after it is no longer recognised."""
    store = tmp_path / "store.sqlite3"
    run = cli("drafts", "show", "\n" + TOKENS[0], env={"HUBTOOL_STORE": str(store)})
    assert run.code == 2
    assert not leaked(run.out, run.err)


def test_reported_is_the_oracle_of_every_format(tmp_path: Path) -> None:
    """The oracle reuses test_robustness.reported: every report format of one validation."""
    data = copy.deepcopy(ORIGINAL)
    data["description"] = TOKENS[1]
    text = reported(validate([_manifest(tmp_path, data)]))
    assert '"version"' in text and "::error" in text and TOKENS[1] not in text
