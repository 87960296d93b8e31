"""Declared reads: a POST that only reads, named in ``.hubtool.yaml`` under ``reads``
(issue 12, item 5). Matched on the action's slug, method and path; shown as a suppression;
stale or expired entries are findings; in ``ci`` a change is a ``config-changed`` finding."""

from __future__ import annotations

import copy
import datetime
import json
import re
from pathlib import Path
from typing import Any

import pytest
from conftest import run_cli
from gitrepo import RELPATH, RESOLVE, commit, git, git_env, init, read, write

from hubtool.ci.baseconfig import _differences
from hubtool.core.errors import HubtoolError
from hubtool.core.findings import Report
from hubtool.core.registry import BASE_MANIFEST
from hubtool.load.strict import Document, parse
from hubtool.registry import RULES
from hubtool.report.sarif import sarif_document
from hubtool.validate.config.apply import apply_config
from hubtool.validate.config.parse import Config, parse_config
from hubtool.validate.pipeline import validate
from hubtool.validate.rules import approval


def rules_of(findings: Any) -> list[str]:
    return [f.rule for f in findings]


def actions_doc(*actions: dict[str, Any]) -> Document:
    doc = parse(json.dumps({"actionTemplates": list(actions)}), "m.json")
    assert isinstance(doc, Document)
    return doc


SEARCH = "/crm/v3/objects/contacts/search"


def search_manifest(path: str = SEARCH, method: str = "POST", slug: str = "search-contacts"):
    data = copy.deepcopy(BASE_MANIFEST)
    search_action = data["actionTemplates"][0]
    search_action.update(slug=slug, method=method, path=path, requestBodyMode="json")
    search_action["inputs"]["body"] = {
        "type": "object",
        "additionalProperties": False,
        "properties": {"query": {"type": "string", "maxLength": 100}},
    }
    search_action["examples"][0]["input"]["body"] = {"query": "ada"}
    return data


def reads_yaml(**changes: str) -> str:
    entry = {
        "file": "catalog/hubspot.json",
        "action": "search-contacts",
        "method": "POST",
        "path": SEARCH,
        "reason": "HubSpot's contact search only reads",
    } | changes
    lines = [f"    {key}: {value}" for key, value in entry.items() if value != "-"]
    return "reads:\n  - " + "\n".join(lines)[4:] + "\n"


def run(tmp_path: Path, data: dict[str, Any], config: str, today: datetime.date | None = None):
    manifest = tmp_path / "catalog" / "hubspot.json"
    manifest.parent.mkdir(parents=True, exist_ok=True)
    manifest.write_text(json.dumps(data, indent=2), encoding="utf-8")
    config_path = tmp_path / ".hubtool.yaml"
    config_path.write_text(config, encoding="utf-8")
    loaded = parse_config(config.encode(), config_path, rules=RULES)
    return apply_config(validate([manifest]), loaded, today)


def test_a_declared_read_is_a_suppression_with_its_reason(tmp_path: Path) -> None:
    report = run(tmp_path, search_manifest(), reads_yaml())
    assert report.findings == []
    ((finding, reason),) = report.waived
    assert (finding.rule, reason) == (
        "write-requires-approval",
        "HubSpot's contact search only reads",
    )
    (result,) = sarif_document(report)["runs"][0]["results"]
    assert result["suppressions"] == [
        {"kind": "external", "justification": "HubSpot's contact search only reads"}
    ]
    assert "subject" not in finding.to_dict() and "subject" not in repr(finding)


def test_without_the_declaration_the_search_needs_approval(tmp_path: Path) -> None:
    report = run(tmp_path, search_manifest(), "severity: {}\n")
    (finding,) = report.findings
    assert finding.rule == "write-requires-approval"
    assert "declare it under 'reads' in .hubtool.yaml" in finding.message


@pytest.mark.parametrize(
    "data",
    [
        search_manifest(path="/crm/v3/objects/contacts/batch/archive"),
        search_manifest(slug="archive-contacts"),
        search_manifest(method="PUT", path="/crm/v3/objects/contacts/{contactId}"),
    ],
    ids=["path", "slug", "method"],
)
def test_a_changed_action_voids_the_declaration(tmp_path: Path, data: dict[str, Any]) -> None:
    if data["actionTemplates"][0]["method"] == "PUT":
        params = data["actionTemplates"][0]["inputs"]["parameters"]
        params.append(
            {
                "name": "contactId",
                "in": "path",
                "required": True,
                "schema": {"type": "integer", "minimum": 1, "maximum": 2147483647},
                "description": "Contact ID.",
            }
        )
        data["actionTemplates"][0]["examples"][0]["input"]["path"] = {"contactId": 1}
    report = run(tmp_path, data, reads_yaml())
    assert sorted(rules_of(report.findings)) == ["waiver-unused", "write-requires-approval"]
    assert report.waived == []
    unused = next(f for f in report.findings if f.rule == "waiver-unused")
    assert "remove it, or correct it" in unused.message


def test_an_expired_declaration_is_a_finding_and_hides_nothing(tmp_path: Path) -> None:
    config = reads_yaml(expires="2020-01-01")
    report = run(tmp_path, search_manifest(), config, datetime.date(2026, 1, 1))
    assert sorted(rules_of(report.findings)) == ["waiver-expired", "write-requires-approval"]


def test_a_declaration_for_another_file_covers_nothing_there(tmp_path: Path) -> None:
    report = run(tmp_path, search_manifest(), reads_yaml(file="catalog/other.json"))
    assert rules_of(report.findings) == ["write-requires-approval"]  # other.json: not checked


def test_a_declaration_hides_only_write_requires_approval(tmp_path: Path) -> None:
    data = search_manifest()
    data["actionTemplates"][0]["method"] = "DELETE"
    report = run(tmp_path, data, reads_yaml())
    assert "no-bulk-or-delete" in rules_of(report.findings)
    assert "write-requires-approval" in rules_of(report.findings)


@pytest.mark.parametrize(
    ("config", "words"),
    [
        (reads_yaml(method="PUT"), "only a POST can be declared a read"),
        (reads_yaml(method="post"), "only a POST can be declared a read"),
        (reads_yaml(method="GET"), "only a POST can be declared a read"),
        (reads_yaml(reason="-"), "needs a non-empty 'reason'"),
        (reads_yaml(action="''"), "needs a non-empty 'action'"),
        (reads_yaml(path="crm/search"), "path must be the action's path"),
        (reads_yaml(pointer="/actionTemplates/0"), "a reads entry has the keys"),
        (reads_yaml(expires="soon"), "expires must be a date"),
        ("reads: nope\n", "'reads' must be a list"),
        ("reads:\n  - 3\n", "a reads entry has the keys"),
    ],
)
def test_a_bad_declaration_stops_the_run(tmp_path: Path, config: str, words: str) -> None:
    with pytest.raises(HubtoolError, match=re.escape(words)):
        parse_config(config.encode(), tmp_path / ".hubtool.yaml", rules=RULES)


def test_ci_reports_a_new_or_removed_declaration_for_review(tmp_path: Path) -> None:
    config = parse_config(reads_yaml().encode(), tmp_path / ".hubtool.yaml", rules=RULES)
    ((pointer, added),) = _differences(Config(), config, RULES)
    assert pointer == "/reads/0"
    assert added.startswith(f"declares a read: POST '{SEARCH}' (action 'search-contacts') in ")
    ((_, removed),) = _differences(config, Config(), RULES)
    assert removed.startswith("removes the declared read POST")
    assert _differences(config, config, RULES) == []


def test_a_report_without_configuration_keeps_the_finding() -> None:
    doc = actions_doc({"slug": "s", "method": "POST", "path": SEARCH})
    (finding,) = approval.check(doc)
    assert finding.subject == f"s\nPOST\n{SEARCH}"
    assert apply_config(Report(["m.json"], [finding]), Config()).findings == [finding]


def test_a_pull_request_cannot_declare_its_own_read(tmp_path: Path) -> None:
    """In ci only the base branch's declarations apply: the pull request's is for review."""
    origin = init(tmp_path / "origin")
    pr = tmp_path / "pr"
    git(tmp_path, "clone", "-q", str(origin), str(pr))
    git(pr, "checkout", "-q", "-b", "feature")
    data = read(pr)
    resolve = data["actionTemplates"][RESOLVE]
    resolve.update(method="POST", approvalMode="automatic")
    data["version"] = "0.2.0"
    write(pr, data)
    entry = reads_yaml(file=RELPATH, action=resolve["slug"], path=resolve["path"])
    (pr / ".hubtool.yaml").write_text(entry.replace("a read", "a read, trust me"), "utf-8")
    result = run_cli("ci", "--base", "origin/main", "--format", "json", cwd=pr, env=git_env())
    assert result.returncode == 1, result.stderr
    document = json.loads(result.stdout)
    assert "write-requires-approval" in [f["rule"] for f in document["findings"]]
    assert document["summary"]["waived"] == 0
    (changed,) = [f for f in document["findings"] if f["rule"] == "config-changed"]
    assert changed["pointer"] == "/reads/0" and "declares a read: POST" in changed["message"]
    commit(pr, "declare the read")  # once merged into the base, it applies
    git(pr, "update-ref", "refs/remotes/origin/main", "HEAD")
    again = run_cli(
        "ci", "--base", "origin/main", "--all", "--format", "json", cwd=pr, env=git_env()
    )
    merged = json.loads(again.stdout)
    assert "write-requires-approval" not in [f["rule"] for f in merged["findings"]]
    assert merged["summary"]["waived"] == 1
