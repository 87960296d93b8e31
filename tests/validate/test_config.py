""".hubtool.yaml: severities, waivers, the waiver rules, bad configurations and discovery."""

from __future__ import annotations

import datetime
import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO, run_cli
from gitrepo import (
    RELPATH,
    RESOLVE,
    TOKEN_PART,
    add_token,
    catalog_path,
    commit,
    git,
    git_env,
    init,
    loosen_approval,
    read,
    sentry,
    write,
)

from hubtool.core.findings import ERROR, Finding
from hubtool.validate.config.waivers import UNWAIVABLE, Waiver

APPROVAL = f"/actionTemplates/{RESOLVE}/approvalMode"
HUBSPOT = catalog_path("hubspot", "hubspot-crm-api")
Data = dict[str, Any]


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A git repository whose catalog's Sentry manifest resolves issues without approval."""
    path = init(tmp_path / "repo")
    data = read(path)
    loosen_approval(data)
    write(path, data)
    return path


def configure(repo: Path, text: str, name: str = ".hubtool.yaml") -> Path:
    path = repo / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def waiver(
    rule: str = "write-requires-approval",
    file: str = RELPATH,
    pointer: str = APPROVAL,
    reason: str = "reviewed, resolving is reversible",
    extra: str = "",
) -> str:
    return (
        f"  - rule: {rule}\n    file: {file}\n    pointer: {pointer}\n    reason: {reason}\n{extra}"
    )


def validate(repo: Path, *args: str, cwd: Path | None = None) -> tuple[int, Data]:
    result = run_cli("validate", "--format", "json", *args, cwd=cwd or repo, env=git_env())
    assert_no_crash(result)
    assert result.returncode in (0, 1), result.stderr
    return result.returncode, json.loads(result.stdout)


def assert_no_crash(result: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in result.stdout + result.stderr
    assert "internal error" not in result.stderr


def rules(document: Data) -> list[tuple[str, str]]:
    return [(f["rule"], f["severity"]) for f in document["findings"]]


def line_of(text: str, marker: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if marker in line)


# --- severities -----------------------------------------------------------------------------


def unbounded_query(data: Data) -> None:
    """list-issues' `query` loses its maxLength: a typed-query warning."""
    del data["actionTemplates"][1]["inputs"]["parameters"][1]["schema"]["maxLength"]


def test_warning_raised_to_error_fails_the_run(tmp_path: Path) -> None:
    repo = init(tmp_path / "repo")
    data = read(repo)
    unbounded_query(data)
    write(repo, data)
    code, document = validate(repo)
    assert (code, rules(document)) == (0, [("typed-query", "warning")])
    configure(repo, "severity:\n  typed-query: error\n")
    code, document = validate(repo)
    assert code == 1
    assert rules(document) == [("typed-query", "error")]


def test_error_lowered_to_warning_fails_only_with_strict(repo: Path) -> None:
    configure(repo, "severity:\n  write-requires-approval: warning\n")
    code, document = validate(repo)
    assert (code, rules(document)) == (0, [("write-requires-approval", "warning")])
    assert validate(repo, "--strict")[0] == 1


def test_off_hides_a_rule(repo: Path) -> None:
    assert validate(repo)[0] == 1
    configure(repo, "severity:\n  write-requires-approval: off\n")
    code, document = validate(repo)
    assert (code, document["findings"]) == (0, [])
    assert document["summary"]["waived"] == 0  # off is not a waiver: nothing is recorded


@pytest.mark.parametrize("severity", ["warning", "off"])
@pytest.mark.parametrize("rule", sorted(UNWAIVABLE))
def test_secret_and_syntax_rules_cannot_be_lowered(repo: Path, rule: str, severity: str) -> None:
    path = configure(repo, f"# secrets stay errors\nseverity:\n  {rule}: {severity}\n")
    result = run_cli("validate", cwd=repo)
    assert result.returncode == 2
    assert_no_crash(result)
    assert f"{path}:3: severity of {rule} cannot be lowered" in result.stderr
    assert result.stdout == ""


def test_secret_rules_may_be_set_to_error(repo: Path) -> None:
    configure(repo, "severity:\n  no-secret-values: error\n  json-syntax: error\n")
    assert validate(repo)[0] == 1


def test_severity_applies_to_the_waiver_rules(repo: Path) -> None:
    configure(repo, "severity:\n  waiver-unused: error\nwaivers:\n" + waiver(pointer="/tags"))
    code, document = validate(repo)
    assert code == 1
    assert ("waiver-unused", "error") in rules(document)


# --- waivers --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "pointer", [APPROVAL, f"/actionTemplates/{RESOLVE}", "/actionTemplates"], ids=str
)
def test_a_waiver_covers_its_pointer_and_everything_below(repo: Path, pointer: str) -> None:
    configure(repo, "waivers:\n" + waiver(pointer=pointer))
    code, document = validate(repo)
    assert (code, document["findings"]) == (0, [])
    assert document["summary"]["waived"] == 1


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("pointer", "/actionTemplates/1"),
        ("pointer", f"/actionTemplates/{RESOLVE}/approval"),  # a prefix, but not a segment
        ("rule", "bounded-path"),
        ("file", catalog_path("sentry", "other")),
    ],
)
def test_a_waiver_that_does_not_match_hides_nothing(repo: Path, field: str, value: str) -> None:
    configure(repo, "waivers:\n" + waiver(**{field: value}))
    code, document = validate(repo)
    assert code == 1
    found = rules(document)
    assert ("write-requires-approval", "error") in found
    assert document["summary"]["waived"] == 0
    if field != "file":  # a waiver of a file this run did not check is not reported unused
        assert ("waiver-unused", "warning") in found


def test_waiver_pointer_prefix_is_segment_wise() -> None:
    covering = Waiver("schema", Path("/x/m.json").resolve(), "/a/2", "r", None, 1, 1)

    def at(pointer: str) -> Finding:
        return Finding("schema", ERROR, "/x/m.json", pointer, 1, 1, "m")

    assert covering.covers(at("/a/2"))
    assert covering.covers(at("/a/2/b/c"))
    assert not covering.covers(at("/a/20"))
    assert not covering.covers(at("/a"))
    assert not covering.covers(Finding("bounded-path", ERROR, "/x/m.json", "/a/2", 1, 1, "m"))


def test_waiver_file_is_relative_to_the_config_directory(repo: Path) -> None:
    config = configure(repo, "waivers:\n" + waiver(file=f"../{RELPATH}"), "policy/hubtool.yaml")
    code, document = validate(repo, "--config", str(config.relative_to(repo)))
    assert (code, document["summary"]["waived"]) == (0, 1)
    (repo / "docs").mkdir()
    code, document = validate(repo, "--config", "../policy/hubtool.yaml", cwd=repo / "docs")
    assert (code, document["summary"]["waived"]) == (0, 1)


def test_waiver_matches_a_file_given_with_dot_dot(repo: Path) -> None:
    config = configure(repo, "waivers:\n" + waiver())
    (repo / "docs").mkdir()
    for config_arg in (str(config), "../.hubtool.yaml"):
        code, document = validate(repo, "--config", config_arg, f"../{RELPATH}", cwd=repo / "docs")
        assert (code, document["findings"]) == (0, []), config_arg
        assert document["summary"]["waived"] == 1


def test_an_expired_waiver_is_a_finding_and_the_finding_is_back(repo: Path) -> None:
    text = "waivers:\n" + waiver(extra="    expires: 2000-01-31\n")
    config = configure(repo, text)
    code, document = validate(repo)
    assert code == 1
    assert rules(document) == [("waiver-expired", "error"), ("write-requires-approval", "error")]
    expired = document["findings"][0]
    assert expired["file"] == ".hubtool.yaml"
    assert expired["line"] == line_of(text, "- rule:")
    assert "2000-01-31" in expired["message"]
    assert config.exists()


def test_a_waiver_expiring_today_or_later_still_applies(repo: Path) -> None:
    today = datetime.date.today().isoformat()
    configure(repo, "waivers:\n" + waiver(extra=f"    expires: {today}\n"))
    code, document = validate(repo)
    assert (code, document["summary"]["waived"]) == (0, 1)


def test_an_unused_waiver_warns_and_fails_only_with_strict(tmp_path: Path) -> None:
    repo = init(tmp_path / "repo")  # the manifest is clean: the waiver matches nothing
    text = "severity:\n  typed-query: error\nwaivers:\n" + waiver()
    configure(repo, text)
    code, document = validate(repo)
    assert code == 0
    (unused,) = document["findings"]
    assert (unused["rule"], unused["severity"]) == ("waiver-unused", "warning")
    assert (unused["file"], unused["line"]) == (".hubtool.yaml", line_of(text, "- rule:"))
    assert validate(repo, "--strict")[0] == 1
    text_output = run_cli("validate", cwd=repo)
    assert f".hubtool.yaml:{line_of(text, '- rule:')}:5: warning waiver-unused" in (
        text_output.stdout
    )


def test_a_waiver_of_a_secret_is_invalid_and_hides_nothing(tmp_path: Path) -> None:
    repo = init(tmp_path / "repo")
    data = read(repo)
    add_token(data)
    write(repo, data)
    configure(repo, "waivers:\n" + waiver("no-secret-values", pointer="/description"))
    code, document = validate(repo)
    assert code == 1
    assert rules(document) == [("waiver-invalid", "error"), ("no-secret-values", "error")]
    assert document["summary"]["waived"] == 0
    for fmt in ("text", "json", "sarif", "github"):
        result = run_cli("validate", "--format", fmt, cwd=repo)
        assert result.returncode == 1
        assert TOKEN_PART not in result.stdout + result.stderr, fmt


# --- bad configurations: exit 2, path and line, no traceback ----------------------------------

ENTRY = waiver().replace(f"    pointer: {APPROVAL}\n", "")  # rule, file, reason


@pytest.mark.parametrize(
    ("text", "marker", "message"),
    [
        pytest.param(
            "waivers:\n  - rule: [write-requires-approval\n    file: x\n",
            "file: x",
            "invalid YAML",
            id="bad-yaml",
        ),
        pytest.param("waivers:\n\t- rule: x\n", "\t- rule", "invalid YAML", id="tab"),
        pytest.param(
            "severity:\n  typed-query: error\nseverity:\n  schema: error\n",
            "severity:\n  schema",
            "duplicate key 'severity'",
            id="duplicate-key",
        ),
        pytest.param("severity:\n  typo-rule: error\n", "typo-rule", "unknown rule", id="sev-rule"),
        pytest.param(
            "severity:\n  typed-query: fatal\n",
            "typed-query",
            "use error, warning or off",
            id="sev",
        ),
        pytest.param("severity:\n  - typed-query\n", "severity", "must map", id="sev-list"),
        pytest.param(
            "waivers:\n" + waiver(rule="typo-rule"), "- rule", "unknown rule", id="waiver-rule"
        ),
        pytest.param(
            "waivers:\n" + waiver().replace("    reason: reviewed, resolving is reversible\n", ""),
            "- rule",
            "non-empty 'reason'",
            id="missing-reason",
        ),
        pytest.param(
            "waivers:\n" + waiver(reason="''"), "- rule", "non-empty 'reason'", id="empty-reason"
        ),
        pytest.param(
            "waivers:\n" + ENTRY + f"    pointer: {APPROVAL}\n    expires: 2027-13-45\n",
            "expires",
            "'2027-13-45' is not a date",
            id="impossible-date",
        ),
        pytest.param(
            "waivers:\n" + waiver(extra="    expires: next quarter\n"),
            "- rule",
            "expires must be a date",
            id="not-a-date",
        ),
        pytest.param(
            "waivers:\n" + waiver(extra="    expires: 2027-06-30 12:00:00\n"),
            "- rule",
            "expires must be a date",
            id="timestamp",
        ),
        pytest.param(
            "waivers:\n" + waiver(extra="    owner: platform-team\n"),
            "- rule",
            "a waiver has the keys",
            id="unknown-waiver-key",
        ),
        pytest.param(
            "# policy\nwaivers: []\nwaviers: []\n", "waviers", "unknown key 'waviers'", id="key"
        ),
        pytest.param("waivers:\n  rule: schema\n", "waivers", "must be a list", id="not-a-list"),
        pytest.param("- severity\n", "- severity", "expected a mapping", id="top-level-list"),
        pytest.param(
            "waivers:\n" + waiver(pointer="actionTemplates/2"),
            "- rule",
            "JSON pointer",
            id="pointer",
        ),
    ],
)
def test_a_bad_configuration_exits_2_with_path_and_line(
    repo: Path, text: str, marker: str, message: str
) -> None:
    path = configure(repo, text)
    line = text.count("\n", 0, text.index(marker)) + 1
    result = run_cli("validate", cwd=repo, env=git_env())
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert_no_crash(result)
    assert result.stderr.startswith(f"hubtool: error: {path}:{line}: "), result.stderr
    assert message in result.stderr
    assert result.stdout == ""
    # ci judges with the base commit's configuration: the pull request's broken file is a
    # config-changed finding that says why it does not load
    result = run_cli("ci", "--base", "HEAD", "--format", "json", cwd=repo, env=git_env())
    assert result.returncode == 1, (result.stdout, result.stderr)
    changed = [f for f in json.loads(result.stdout)["findings"] if f["rule"] == "config-changed"]
    assert [f["file"] for f in changed] == [".hubtool.yaml"]
    assert "does not load" in changed[0]["message"] and message in changed[0]["message"]
    # committed, it is the base configuration: then ci cannot run either
    commit(repo, "a broken configuration")
    result = run_cli("ci", "--base", "HEAD", cwd=repo, env=git_env())
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert result.stderr.startswith("hubtool: error: .hubtool.yaml (at the base commit ")
    assert f"):{line}: " in result.stderr and message in result.stderr


def test_an_unreadable_configuration_exits_2(repo: Path) -> None:
    result = run_cli("validate", "--config", "missing.yaml", cwd=repo)
    assert result.returncode == 2
    assert "missing.yaml: cannot read the configuration" in result.stderr
    configure(repo, "").write_bytes("waivers: []\n".encode("utf-16"))
    result = run_cli("validate", cwd=repo)
    assert result.returncode == 2
    assert_no_crash(result)
    assert ".hubtool.yaml: invalid YAML: not UTF-8" in result.stderr


def test_an_empty_configuration_is_the_default(repo: Path) -> None:
    configure(repo, "# nothing configured yet\n")
    code, document = validate(repo)
    assert (code, rules(document)) == (1, [("write-requires-approval", "error")])


def test_no_configuration_reports_as_an_empty_one(repo: Path) -> None:
    """Without a file, validate loads no configuration code (the pre-commit hook's start-up);
    the report is byte for byte the one an empty configuration gives, in every format."""
    for fmt in ("json", "text", "sarif"):
        without = run_cli("validate", "--format", fmt, cwd=repo, env=git_env())
        configure(repo, "# nothing configured yet\n")
        empty = run_cli("validate", "--format", fmt, cwd=repo, env=git_env())
        (repo / ".hubtool.yaml").unlink()
        assert without.returncode == empty.returncode == 1
        assert without.stdout == empty.stdout and without.stderr == empty.stderr


# --- discovery ------------------------------------------------------------------------------


def test_the_root_configuration_is_found_from_a_subdirectory(repo: Path) -> None:
    configure(repo, "waivers:\n" + waiver())
    subdirectory = repo / "docs" / "notes"
    subdirectory.mkdir(parents=True)
    code, document = validate(repo, cwd=subdirectory)
    assert (code, document["summary"]["waived"]) == (0, 1)
    code, document = validate(repo, str(repo / RELPATH), cwd=subdirectory)
    assert (code, document["summary"]["waived"]) == (0, 1)
    code, document = validate(repo, "--strict", cwd=repo / "apps/hub/catalog/integrations")
    assert (code, document["summary"]["waived"]) == (0, 1)


def test_the_option_overrides_the_root_configuration(repo: Path) -> None:
    configure(repo, "waivers:\n" + waiver())
    other = configure(repo, "severity:\n  write-requires-approval: warning\n", "strict.yaml")
    code, document = validate(repo, "--config", str(other))
    assert (code, rules(document)) == (0, [("write-requires-approval", "warning")])
    assert document["summary"]["waived"] == 0


def test_a_configuration_outside_the_repository_is_not_used(tmp_path: Path) -> None:
    configure(tmp_path, "severity:\n  write-requires-approval: off\n")  # above the repository
    repo = init(tmp_path / "repo")
    data = read(repo)
    loosen_approval(data)
    write(repo, data)
    assert validate(repo)[0] == 1


def test_ci_uses_the_configuration(repo: Path) -> None:
    configure(repo, "waivers:\n" + waiver())
    git(repo, "add", ".hubtool.yaml")  # reviewed on its own: ci reads the base's configuration
    git(repo, "commit", "-q", "-m", "the waiver")
    data = read(repo)
    data["version"] = "0.2.0"  # the loosening is a major change (0.x: a minor bump)
    write(repo, data)
    result = run_cli("ci", "--base", "HEAD", "--format", "json", cwd=repo, env=git_env())
    assert result.returncode == 0, result.stdout
    document = json.loads(result.stdout)
    assert document["summary"]["waived"] == 1
    assert [f["rule"] for f in document["findings"]] == ["approval-loosened"]  # a note


# --- the documented example: a POST search that is a read ------------------------------------


def hubspot() -> Data:
    """A HubSpot-like manifest: search-contacts is POST /crm/v3/objects/contacts/search."""
    data = sentry()
    data.update(
        slug="hubspot-crm-api",
        title="HubSpot CRM API",
        summary="Search HubSpot CRM contacts from Harbor.",
        description="A Dock-hosted HubSpot CRM starter integration for Harbor.",
        publisher={
            "slug": "hubspot",
            "name": "HubSpot",
            "websiteUrl": "https://developers.hubspot.com/docs/api/crm/contacts",
        },
        tags=["hubspot", "crm", "contacts"],
    )
    data["portTemplates"][0].update(
        label="HubSpot CRM API",
        description="HubSpot CRM connection managed locally through Harbor.",
        baseUrl="https://api.hubapi.com/",
    )
    body = {
        "type": "object",
        "additionalProperties": False,
        "required": ["query"],
        "properties": {
            "query": {"type": "string", "minLength": 1, "maxLength": 200},
            "limit": {"type": "integer", "minimum": 1, "maximum": 100},
        },
    }
    data["actionTemplates"] = [
        {
            "slug": "search-contacts",
            "label": "Search Contacts",
            "description": "Search contacts. HubSpot's search is a POST, but it only reads.",
            "method": "POST",
            "path": "/crm/v3/objects/contacts/search",
            "inputs": {"parameters": [], "body": body},
            "approvalMode": "automatic",
            "requestBodyMode": "json",
            "resultMode": "json_summary",
            "examples": [{"name": "by-email", "input": {"body": {"query": "ada@example.com"}}}],
        }
    ]
    return data


def readme_waiver_example() -> str:
    """The README's `.hubtool.yaml` example that waives the POST search."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```yaml\n(.*?)```", readme, flags=re.DOTALL)
    matching = [block for block in blocks if "search-contacts" in block or HUBSPOT in block]
    assert matching, "README.md documents the POST-search waiver in a ```yaml block"
    return matching[0]


def test_the_documented_post_search_waiver(tmp_path: Path) -> None:
    repo = init(tmp_path / "repo")
    write(repo, hubspot(), HUBSPOT)
    code, document = validate(repo)
    assert code == 1
    (finding,) = document["findings"]
    assert (finding["rule"], finding["file"]) == ("write-requires-approval", HUBSPOT)
    assert finding["pointer"] == "/actionTemplates/0/approvalMode"

    example = readme_waiver_example()
    configure(repo, example)
    code, document = validate(repo)
    assert (code, document["findings"]) == (0, [])
    assert document["summary"]["waived"] == 1
    sarif = json.loads(run_cli("validate", "--format", "sarif", cwd=repo).stdout)
    (result,) = sarif["runs"][0]["results"]
    (suppression,) = result["suppressions"]
    assert suppression["kind"] == "external"
    assert "search" in suppression["justification"]
    assert suppression["justification"] in example
