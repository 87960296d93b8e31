"""Hostile pull requests against the trust boundary: the configuration, the tree, config leaks.

Each case is one attack input (issue 9 items 1, 2 and 12, issue 17 item 4, and inputs of the
same kinds): the exit code, the rule and its pointer, a hang guard, and no planted secret or
foreign file content in any output format.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import REPO, run_cli
from gitrepo import (
    RELPATH,
    RESOLVE,
    TOKEN,
    TOKEN_PART,
    add_token,
    commit,
    git,
    git_env,
    init,
    loosen_approval,
    read,
    write,
)

from hubtool.core.errors import HubtoolError
from hubtool.core.fingerprint import value_fingerprint
from hubtool.load.discover import walk
from hubtool.registry import RULES
from hubtool.validate.config.parse import load_config
from hubtool.validate.config.waivers import UNWAIVABLE
from hubtool.validate.config.yamlfile import MAX_CONFIG_NODES

Data = dict[str, Any]
FORMATS = ("text", "json", "sarif", "github")
APPROVAL = f"/actionTemplates/{RESOLVE}/approvalMode"
CATALOG = "apps/hub/catalog"
PASSWD_LINE = "root:x:0:0"
HEX = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
"""64 hex digits: the no-secret-values detector calls it a legacy Sentry token."""


@pytest.fixture
def origin(tmp_path: Path) -> Path:
    return init(tmp_path / "origin")


@pytest.fixture
def pr(origin: Path, tmp_path: Path) -> Path:
    """A clone on a pull request branch, with origin/main fetched."""
    clone = tmp_path / "pr"
    git(tmp_path, "clone", "-q", str(origin), str(clone))
    git(clone, "checkout", "-q", "-b", "feature")
    return clone


def cli(repo: Path, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """The real CLI with a hang guard; never a traceback or an internal error."""
    result = subprocess.run(
        [sys.executable, "-m", "hubtool", *args],
        cwd=repo,
        capture_output=True,
        text=True,
        env=git_env(),
        timeout=timeout,
    )
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr, result
    return result


def ci_doc(repo: Path, *args: str) -> tuple[int, Data]:
    result = cli(repo, "ci", "--base", "origin/main", "--format", "json", *args)
    assert result.returncode in (0, 1), result.stderr
    return result.returncode, json.loads(result.stdout)


def found(document: Data, rule: str) -> list[Data]:
    return [f for f in document["findings"] if f["rule"] == rule]


def assert_absent(repo: Path, command: list[str], *needles: str, code: int = 1) -> None:
    """No needle in stdout or stderr, in any report format."""
    for fmt in FORMATS:
        result = cli(repo, *command, "--format", fmt)
        assert result.returncode == code, (fmt, result.stdout, result.stderr)
        for needle in needles:
            assert needle not in result.stdout + result.stderr, (fmt, needle)


def delete_the_collection(data: Data) -> None:
    """Issue 9, item 1: resolve-issue becomes an automatic DELETE on the collection with an
    open body, and the version is bumped so the gate itself is satisfied."""
    action = data["actionTemplates"][RESOLVE]
    action["method"] = "DELETE"
    action["path"] = "/api/0/organizations/{organizationIdOrSlug}/issues/"
    action["inputs"]["parameters"] = [
        p for p in action["inputs"]["parameters"] if p.get("name") != "issueId"
    ]
    action["inputs"]["body"]["additionalProperties"] = True
    action["approvalMode"] = "automatic"
    for example in action.get("examples", []):
        example["input"].get("path", {}).pop("issueId", None)
    data["version"] = "1.0.0"


def every_rule_off() -> str:
    lowerable = [rule for rule in RULES if rule not in UNWAIVABLE]
    return "severity:\n" + "".join(f"  {rule}: 'off'\n" for rule in lowerable)


def waiver(rule: str, pointer: str, reason: str = "reviewed", file: str = RELPATH) -> str:
    return f"  - rule: {rule}\n    file: {file}\n    pointer: {pointer}\n    reason: {reason}\n"


# --- 1. the configuration comes from the base commit ----------------------------------------


def test_a_pull_request_config_cannot_switch_the_gate_off(pr: Path) -> None:
    data = read(pr)
    delete_the_collection(data)
    write(pr, data)
    (pr / ".hubtool.yaml").write_text(every_rule_off(), encoding="utf-8")
    commit(pr, "resolve everything, quietly")
    started = time.monotonic()
    code, document = ci_doc(pr)
    assert time.monotonic() - started < 30
    assert code == 1
    pointers = {(f["rule"], f["pointer"]) for f in document["findings"]}
    assert ("no-bulk-or-delete", f"/actionTemplates/{RESOLVE}/method") in pointers
    assert ("write-requires-approval", APPROVAL) in pointers
    assert ("bounded-body", f"/actionTemplates/{RESOLVE}/inputs/body/additionalProperties") in (
        pointers
    )
    changed = found(document, "config-changed")
    assert {f["pointer"] for f in changed} >= {
        "/severity/no-bulk-or-delete",
        "/severity/write-requires-approval",
        "/severity/config-changed",
    }
    assert all(f["file"] == ".hubtool.yaml" and f["severity"] == "error" for f in changed)
    lowered = next(f for f in changed if f["pointer"] == "/severity/no-bulk-or-delete")
    assert "lowers the severity of no-bulk-or-delete from error to off" in lowered["message"]
    text = (pr / ".hubtool.yaml").read_text(encoding="utf-8").splitlines()
    line = next(i for i, row in enumerate(text, 1) if "no-bulk-or-delete" in row)
    assert (lowered["line"], lowered["column"]) == (line, text[line - 1].index("'off'") + 1)


def test_a_pull_request_cannot_waive_its_own_finding(pr: Path) -> None:
    data = read(pr)
    loosen_approval(data)
    data["version"] = "0.2.0"
    write(pr, data)
    (pr / ".hubtool.yaml").write_text(
        "waivers:\n" + waiver("write-requires-approval", APPROVAL), encoding="utf-8"
    )
    code, document = ci_doc(pr)
    assert code == 1
    (kept,) = found(document, "write-requires-approval")
    assert kept["pointer"] == APPROVAL
    assert document["summary"]["waived"] == 0
    (changed,) = found(document, "config-changed")
    assert changed["pointer"] == "/waivers/0" and (changed["line"], changed["column"]) == (2, 5)
    assert "adds a waiver of write-requires-approval" in changed["message"]


def test_a_pull_request_cannot_lower_one_severity(pr: Path) -> None:
    data = read(pr)
    loosen_approval(data)
    data["version"] = "0.2.0"
    write(pr, data)
    (pr / ".hubtool.yaml").write_text(
        "severity:\n  write-requires-approval: warning\n", encoding="utf-8"
    )
    code, document = ci_doc(pr)
    assert code == 1
    assert [f["severity"] for f in found(document, "write-requires-approval")] == ["error"]
    (changed,) = found(document, "config-changed")
    assert changed["pointer"] == "/severity/write-requires-approval"
    assert "from error to warning" in changed["message"]


def test_a_pull_request_cannot_allow_its_own_token(pr: Path) -> None:
    data = read(pr)
    add_token(data)
    data["version"] = "0.1.1"
    write(pr, data)
    fingerprint = value_fingerprint(data["description"])
    (pr / ".hubtool.yaml").write_text(
        f"allowlist:\n  - fingerprint: {fingerprint}\n    reason: only an example\n",
        encoding="utf-8",
    )
    code, document = ci_doc(pr)
    assert code == 1
    (secret,) = found(document, "no-secret-values")
    assert secret["fingerprint"] == fingerprint and fingerprint in secret["message"]
    (changed,) = found(document, "config-changed")
    assert changed["pointer"] == "/allowlist/0"
    assert_absent(pr, ["ci", "--base", "origin/main"], TOKEN_PART)


def test_the_base_configuration_applies_and_a_deletion_is_reviewed(
    origin: Path, tmp_path: Path
) -> None:
    (origin / ".hubtool.yaml").write_text(
        "waivers:\n" + waiver("write-requires-approval", APPROVAL, "reviewed, reversible"),
        encoding="utf-8",
    )
    commit(origin, "a reviewed waiver")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(origin), str(clone))
    data = read(clone)
    loosen_approval(data)
    data["version"] = "0.2.0"
    write(clone, data)
    (clone / ".hubtool.yaml").unlink()
    code, document = ci_doc(clone)
    assert code == 1
    assert document["summary"]["waived"] == 1  # the base's waiver still applies
    (changed,) = found(document, "config-changed")
    assert changed["pointer"] == "" and "deletes the configuration" in changed["message"]
    assert {f["rule"] for f in document["findings"] if f["severity"] == "error"} == {
        "config-changed"
    }


def test_a_config_replaced_by_a_link_to_a_system_file_is_never_read(
    origin: Path, tmp_path: Path
) -> None:
    (origin / ".hubtool.yaml").write_text("severity:\n  typed-query: error\n", encoding="utf-8")
    commit(origin, "a configuration")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(origin), str(clone))
    (clone / ".hubtool.yaml").unlink()
    (clone / ".hubtool.yaml").symlink_to("/etc/passwd")
    code, document = ci_doc(clone)
    assert code == 1
    (changed,) = found(document, "config-changed")
    assert "symbolic link (not read)" in changed["message"]
    assert_absent(clone, ["ci", "--base", "origin/main"], PASSWD_LINE)


def test_a_nearer_config_added_by_the_pull_request_is_not_used(pr: Path) -> None:
    data = read(pr)
    loosen_approval(data)
    data["version"] = "0.2.0"
    write(pr, data)
    nearer = pr / CATALOG / ".hubtool.yaml"
    nearer.write_text("severity:\n  write-requires-approval: 'off'\n", encoding="utf-8")
    code, document = ci_doc(pr)
    assert code == 1
    assert found(document, "write-requires-approval")
    (changed,) = found(document, "config-changed")
    assert changed["file"] == f"{CATALOG}/.hubtool.yaml"


def branch_from_an_old_main(origin: Path, base_config: str, later_config: str | None) -> str:
    """main: A commits ``base_config``; B replaces it with ``later_config`` (None: deletes it).
    A branch ``pr`` forks from A (the merge base): returns A's id. Checked out on ``pr``."""
    (origin / ".hubtool.yaml").write_text(base_config, encoding="utf-8")
    forked = commit(origin, "A: the configuration then")
    if later_config is None:
        (origin / ".hubtool.yaml").unlink()
    else:
        (origin / ".hubtool.yaml").write_text(later_config, encoding="utf-8")
    commit(origin, "B: the configuration now")
    git(origin, "checkout", "-q", "-b", "pr", forked)
    return forked


def test_a_waiver_main_removed_after_the_branch_forked_no_longer_applies(origin: Path) -> None:
    # F1: the merge base's old waiver must not judge the pull request: main's tip has none
    branch_from_an_old_main(
        origin, "waivers:\n" + waiver("write-requires-approval", APPROVAL, "temporary"), None
    )
    data = read(origin)
    loosen_approval(data)
    data["version"] = "0.2.0"
    write(origin, data)
    commit(origin, "automatic resolve")
    result = cli(origin, "ci", "--base", "main", "--format", "json")
    assert result.returncode == 1, result.stdout
    document = json.loads(result.stdout)
    assert document["summary"]["waived"] == 0
    (kept,) = found(document, "write-requires-approval")
    assert (kept["pointer"], kept["severity"]) == (APPROVAL, "error")
    assert not found(document, "config-changed")  # the pull request did not touch the file
    for fmt in ("text", "github", "sarif"):
        assert cli(origin, "ci", "--base", "main", "--format", fmt).returncode == 1, fmt


def test_a_stricter_severity_main_added_after_the_branch_forked_applies(origin: Path) -> None:
    # the reverse: main raised a warning to an error after the pull request forked
    branch_from_an_old_main(origin, "severity: {}\n", "severity:\n  typed-query: error\n")
    data = read(origin)
    del data["actionTemplates"][0]["inputs"]["parameters"][3]["schema"]["maxLength"]
    data["version"] = "1.0.0"
    write(origin, data)
    commit(origin, "an unbounded query string")
    result = cli(origin, "ci", "--base", "main", "--format", "json")
    assert result.returncode == 1, result.stdout
    document = json.loads(result.stdout)
    (raised,) = found(document, "typed-query")
    assert raised["severity"] == "error"
    assert raised["pointer"].startswith("/actionTemplates/0/inputs/parameters/3")
    assert not found(document, "config-changed")


def test_the_pull_requests_config_change_is_judged_against_the_merge_base(
    origin: Path,
) -> None:
    # what the pull request changed, not what main changed since: main's later severity is
    # not reported as the pull request's, and the pull request's own waiver is
    branch_from_an_old_main(origin, "severity: {}\n", "severity:\n  typed-query: error\n")
    (origin / ".hubtool.yaml").write_text(
        "severity: {}\nwaivers:\n" + waiver("write-requires-approval", APPROVAL),
        encoding="utf-8",
    )
    data = read(origin)
    loosen_approval(data)
    data["version"] = "0.2.0"
    write(origin, data)
    commit(origin, "a waiver for itself")
    result = cli(origin, "ci", "--base", "main", "--format", "json")
    assert result.returncode == 1, result.stdout
    document = json.loads(result.stdout)
    (changed,) = found(document, "config-changed")
    assert changed["pointer"] == "/waivers/0" and "adds a waiver" in changed["message"]
    assert document["summary"]["waived"] == 0 and found(document, "write-requires-approval")


def test_ci_help_states_the_rule() -> None:
    result = run_cli("ci", "--help")
    assert "base" in result.stdout and ".hubtool.yaml" in result.stdout
    assert "config-changed" in result.stdout
    assert "REF's tip" in result.stdout and "merge base" in result.stdout


# --- 2. the tree: links, special files, odd names -------------------------------------------


def move_catalog_behind_a_link(repo: Path) -> None:
    """Issue 9, item 2: integrations moves away, a link takes its place, and Sentry's manifest
    is edited through it (metadata host, automatic DELETE)."""
    git(repo, "mv", f"{CATALOG}/integrations", "elsewhere")
    (repo / CATALOG / "integrations").symlink_to("../../../elsewhere")
    data = read(repo)
    data["portTemplates"][0]["baseUrl"] = "http://169.254.169.254/"
    data["actionTemplates"][RESOLVE]["method"] = "DELETE"
    data["actionTemplates"][RESOLVE]["approvalMode"] = "automatic"
    write(repo, data)
    commit(repo, "reorganise")


def test_a_symlinked_catalog_directory_is_a_finding(pr: Path) -> None:
    move_catalog_behind_a_link(pr)
    for args in ((), ("--all",)):
        code, document = ci_doc(pr, *args)
        assert code == 1
        (tree,) = found(document, "catalog-tree")
        assert (tree["file"], tree["pointer"]) == (f"{CATALOG}/integrations", "")
        assert "symbolic link" in tree["message"]
    result = cli(pr, "validate")
    assert result.returncode == 1 and "catalog-tree" in result.stdout


def test_git_view_reports_a_committed_link_and_a_submodule(pr: Path) -> None:
    (pr / CATALOG / "integrations/sentry/alias.json").symlink_to("sentry-api.json")
    head = git(pr, "rev-parse", "HEAD").strip()
    module = f"{CATALOG}/integrations/vendored"
    git(pr, "update-index", "--add", "--cacheinfo", f"160000,{head},{module}")
    git(pr, "add", f"{CATALOG}/integrations/sentry/alias.json")
    git(pr, "commit", "-q", "-m", "a link and a submodule")  # not add -A: it drops the gitlink
    code, document = ci_doc(pr)
    assert code == 1
    by_file = {f["file"]: f["message"] for f in found(document, "catalog-tree")}
    assert "symbolic link" in by_file[f"{CATALOG}/integrations/sentry/alias.json"]
    assert "mode 160000" in by_file[module]


@pytest.mark.parametrize("place", [CATALOG, "apps/hub"])
def test_a_linked_catalog_or_parent_stops_the_run(pr: Path, place: str) -> None:
    real = pr / f"{place}-real"
    shutil.move(pr / place, real)
    (pr / place).symlink_to(real.name)
    for command in (["validate"], ["ci", "--base", "origin/main"]):
        result = cli(pr, *command)
        assert result.returncode == 2, result.stdout
        assert f"{place}: is a symbolic link" in result.stderr


def test_a_link_to_a_system_file_named_like_a_manifest_is_never_read(pr: Path) -> None:
    link = pr / CATALOG / "integrations/sentry/x.json"
    link.symlink_to("/etc/passwd")
    code, document = ci_doc(pr)
    assert code == 1
    (tree,) = found(document, "catalog-tree")
    assert tree["file"] == f"{CATALOG}/integrations/sentry/x.json"
    assert_absent(pr, ["validate"], PASSWD_LINE, "root:")
    assert_absent(pr, ["validate", str(link)], PASSWD_LINE, "root:")
    assert_absent(pr, ["ci", "--base", "origin/main"], PASSWD_LINE, "root:")


def test_a_symlinked_single_manifest_is_a_finding(pr: Path) -> None:
    manifest = pr / RELPATH
    outside = pr / "drafts/sentry-api.json"
    outside.parent.mkdir()
    shutil.move(manifest, outside)
    data = read(pr, "drafts/sentry-api.json")
    loosen_approval(data)
    write(pr, data, "drafts/sentry-api.json")
    manifest.symlink_to("../../../../../../drafts/sentry-api.json")
    commit(pr, "the manifest behind a link")
    code, document = ci_doc(pr)
    assert code == 1
    (tree,) = found(document, "catalog-tree")
    assert tree["file"] == RELPATH
    assert not found(document, "write-requires-approval")  # not read through the link
    result = cli(pr, "diff", "--base", "origin/main", RELPATH)
    assert result.returncode == 2 and "symbolic link" in result.stderr


def test_a_fifo_named_like_a_manifest_never_blocks(pr: Path) -> None:
    fifo = pr / CATALOG / "integrations/sentry/x.json"
    os.mkfifo(fifo)
    started = time.monotonic()
    result = cli(pr, "validate", "--format", "json", timeout=30)
    assert result.returncode == 1
    (tree,) = [f for f in json.loads(result.stdout)["findings"] if f["rule"] == "catalog-tree"]
    assert "named pipe" in tree["message"]
    code, document = ci_doc(pr)
    assert code == 1 and found(document, "catalog-tree")
    result = cli(pr, "validate", str(fifo), timeout=30)
    assert result.returncode == 1 and "named pipe" in result.stdout
    for command in (["diff", str(fifo), RELPATH], ["diff", "--base", "origin/main", str(fifo)]):
        result = cli(pr, *command, timeout=30)
        assert result.returncode == 2 and "named pipe" in result.stderr
    assert time.monotonic() - started < 60


@pytest.mark.parametrize("name", ["sentry-api.JSON", "sentry-api.Json"])
def test_manifest_names_in_any_case_are_checked(pr: Path, name: str) -> None:
    manifest = pr / RELPATH
    data = read(pr)
    loosen_approval(data)
    manifest.unlink()
    write(pr, data, f"{CATALOG}/integrations/sentry/{name}")
    code, document = ci_doc(pr)
    assert code == 1
    assert found(document, "write-requires-approval")  # read, not skipped
    (layout,) = found(document, "catalog-layout")
    assert layout["file"] == f"{CATALOG}/integrations/sentry/{name}"


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        (b"evil\xff.json", "evil\\xff.json"),
        (b"evil\n::error::forged.json", "evil\\n::error::forged.json"),
        (b"evil\x1b[2J.json", "evil\\x1b[2J.json"),
        ("evil\u202enosj.json".encode(), "evil\\u202enosj.json"),
    ],
)
def test_odd_names_are_findings_shown_escaped(pr: Path, raw: bytes, shown: str) -> None:
    directory = pr / CATALOG / "integrations/sentry"
    path = os.path.join(os.fsencode(directory), raw)
    with open(path, "wb") as handle:
        handle.write(json.dumps({"description": TOKEN}).encode())
    for command in (["validate"], ["ci", "--base", "origin/main"]):
        result = cli(pr, *command, "--format", "json")
        assert result.returncode == 1
        (tree,) = [f for f in json.loads(result.stdout)["findings"] if f["rule"] == "catalog-tree"]
        assert tree["file"] == f"{CATALOG}/integrations/sentry/{shown}"
    assert_absent(pr, ["validate"], "\x1b", "\u202e", TOKEN_PART)


def test_walk_is_linear_and_never_opens(tmp_path: Path) -> None:
    """2,000 entries of every kind: listed once each, well under the bound."""
    top = tmp_path / "catalog"
    for index in range(400):
        folder = top / f"p{index}"
        folder.mkdir(parents=True)
        (folder / "m.json").write_text("{}", encoding="utf-8")
        (folder / "README.md").write_text("", encoding="utf-8")
        (folder / "l.json").symlink_to("m.json")
        (folder / "d").symlink_to(".")
        os.mkfifo(folder / "f.json")
    started = time.process_time()
    tree = walk([top])
    assert time.process_time() - started < 2
    assert len(tree.files) == 400
    assert len(tree.findings) == 1200


# --- 3. leaks through the configuration -----------------------------------------------------


def test_a_token_in_a_waiver_reason_is_found_and_never_printed(pr: Path) -> None:
    data = read(pr)
    loosen_approval(data)
    write(pr, data)
    config = "waivers:\n" + waiver("write-requires-approval", APPROVAL, f"see {TOKEN}")
    (pr / ".hubtool.yaml").write_text(config, encoding="utf-8")
    result = cli(pr, "validate", "--format", "json")
    assert result.returncode == 1
    document = json.loads(result.stdout)
    (secret,) = found(document, "no-secret-values")
    assert (secret["file"], secret["pointer"]) == (".hubtool.yaml", "/waivers/0/reason")
    assert (secret["line"], secret["column"]) == (5, 13)
    assert document["summary"]["waived"] == 1
    sarif = json.loads(cli(pr, "validate", "--format", "sarif").stdout)
    justifications = [
        s["justification"] for r in sarif["runs"][0]["results"] for s in r.get("suppressions", [])
    ]
    assert justifications and all("redacted" in j for j in justifications)
    assert_absent(pr, ["validate"], TOKEN_PART)
    code, document = ci_doc(pr)
    assert code == 1
    (secret,) = found(document, "no-secret-values")
    assert secret["file"] == ".hubtool.yaml"
    assert_absent(pr, ["ci", "--base", "origin/main"], TOKEN_PART)


@pytest.mark.parametrize(
    "reason",
    [
        '"' + "".join(f"\\x{ord(c):02x}" for c in TOKEN) + '"',  # YAML escapes
        '"' + TOKEN[:20] + "\\\n  " + TOKEN[20:] + '"',  # a line continuation
    ],
)
def test_a_token_hidden_by_yaml_escapes_is_found(tmp_path: Path, reason: str) -> None:
    repo = init(tmp_path / "repo")
    (repo / ".hubtool.yaml").write_text(
        "waivers:\n" + waiver("typed-query", "/actionTemplates", reason), encoding="utf-8"
    )
    result = cli(repo, "validate", "--format", "json")
    assert result.returncode == 1
    (secret,) = found(json.loads(result.stdout), "no-secret-values")
    assert secret["pointer"] == "/waivers/0/reason"
    assert_absent(repo, ["validate"], TOKEN_PART)


def test_a_config_error_never_prints_a_token(tmp_path: Path) -> None:
    repo = init(tmp_path / "repo")
    for text in (
        f"severity:\n  {TOKEN}: error\n",
        f"waivers:\n  - rule: {TOKEN}\n    file: x\n    pointer: /a\n    reason: r\n",
        f"{TOKEN}: 1\n",
        f"waivers: *{TOKEN}\n",
        f"severity: !{TOKEN} x\n",
    ):
        (repo / ".hubtool.yaml").write_text(text, encoding="utf-8")
        result = cli(repo, "validate")
        assert result.returncode == 2, text
        assert TOKEN_PART not in result.stdout + result.stderr, text


GITHUB_TOKEN = "ghp_" + "Q7w2E9r4T1y6U3i8O5p0" + "A2s4D6f8G1h3J5k7"
"""A GitHub token shape (``ghp_`` and 36 letters and digits), built so no file holds it whole."""
GITHUB_PART = GITHUB_TOKEN[4:24]

# issue 9: the file is scanned like a manifest; a comment, an anchor or a tag name is text,
# but no YAML value
OUTSIDE_VALUES = {
    "comment-line": f"# deploy key {GITHUB_TOKEN}\nseverity: {{}}\n",
    "trailing-comment": f"severity: {{}}  # {GITHUB_TOKEN}\n",
    "comment-in-flow": f"severity: {{\n  # {GITHUB_TOKEN}\n}}\n",
    "comment-after-block": f"waivers: []\n\n   # old: {GITHUB_TOKEN}  \n",
    "comment-crlf": f"severity: {{}}\r\n#{GITHUB_TOKEN}\r\n",
    "anchor": f"severity: &{GITHUB_TOKEN} {{}}\n",
}


def token_position(text: str) -> tuple[int, int]:
    """1-based line and column where GITHUB_TOKEN starts in ``text``."""
    line = next(i for i, row in enumerate(text.split("\n"), 1) if GITHUB_TOKEN in row)
    return line, text.split("\n")[line - 1].index(GITHUB_TOKEN) + 1


@pytest.mark.parametrize("name", sorted(OUTSIDE_VALUES))
def test_a_token_outside_the_values_is_found_and_never_printed(tmp_path: Path, name: str) -> None:
    text = OUTSIDE_VALUES[name]
    repo = init(tmp_path / "repo")
    (repo / ".hubtool.yaml").write_bytes(text.encode("utf-8"))
    started = time.monotonic()
    result = cli(repo, "validate", "--format", "json")
    assert time.monotonic() - started < 30
    assert result.returncode == 1, result.stderr
    (secret,) = found(json.loads(result.stdout), "no-secret-values")
    assert (secret["file"], secret["pointer"]) == (".hubtool.yaml", "")
    assert (secret["line"], secret["column"]) == token_position(text)
    assert "GitHub token" in secret["message"]
    assert_absent(repo, ["validate"], GITHUB_PART)


def test_a_token_in_a_comment_added_by_a_pull_request_is_found_in_ci(pr: Path) -> None:
    # F4: before, ci only said "config-changed ... (layout or comments only)"
    text = f"# deploy key {GITHUB_TOKEN}\nseverity: {{}}\n"
    (pr / ".hubtool.yaml").write_text(text, encoding="utf-8")
    code, document = ci_doc(pr)
    assert code == 1
    (secret,) = found(document, "no-secret-values")
    assert (secret["file"], secret["pointer"]) == (".hubtool.yaml", "")
    assert (secret["line"], secret["column"]) == token_position(text) == (1, 14)
    (changed,) = found(document, "config-changed")
    assert "layout or comments only" in changed["message"]
    assert_absent(pr, ["ci", "--base", "origin/main"], GITHUB_PART)
    commit(pr, "committed, not only in the work tree")
    assert_absent(pr, ["ci", "--base", "origin/main"], GITHUB_PART)


def test_a_comment_without_a_token_is_no_finding(tmp_path: Path) -> None:
    repo = init(tmp_path / "repo")
    (repo / ".hubtool.yaml").write_text(
        "# reviewed 2026-01-05, see #412 & the runbook: *ops*, !important\n"
        "severity: {}  # nothing to change\n",
        encoding="utf-8",
    )
    result = cli(repo, "validate", "--format", "json")
    assert result.returncode == 0, result.stdout
    assert not found(json.loads(result.stdout), "no-secret-values")


def test_a_large_commented_config_is_scanned_fast(tmp_path: Path) -> None:
    repo = init(tmp_path / "repo")
    comments = f"# {'word ' * 20}\n" * 2000  # ~200 KiB of comments, under the size limit
    (repo / ".hubtool.yaml").write_text(
        comments + f"severity: {{}} # {GITHUB_TOKEN}\n", encoding="utf-8"
    )
    started = time.monotonic()
    result = cli(repo, "validate", "--format", "json")
    assert time.monotonic() - started < 30
    assert result.returncode == 1
    (secret,) = found(json.loads(result.stdout), "no-secret-values")
    assert secret["line"] == 2001


# --- 4. no dead ends: a value allowed by its fingerprint ------------------------------------


def test_a_value_is_allowed_by_its_fingerprint_from_the_base_only(
    origin: Path, tmp_path: Path
) -> None:
    data = read(origin)
    data["description"] += f" Commit {HEX}."
    write(origin, data)
    commit(origin, "a digest that looks like a token")
    result = cli(origin, "validate", "--format", "json")
    assert result.returncode == 1
    (secret,) = found(json.loads(result.stdout), "no-secret-values")
    fingerprint = value_fingerprint(data["description"])
    assert secret["fingerprint"] == fingerprint and fingerprint in secret["message"]
    sarif = json.loads(cli(origin, "validate", "--format", "sarif").stdout)
    (flagged,) = [r for r in sarif["runs"][0]["results"] if r["ruleId"] == "no-secret-values"]
    assert flagged["partialFingerprints"]["hubtool/value/v1"] == fingerprint

    (origin / ".hubtool.yaml").write_text(
        f"allowlist:\n  - fingerprint: {fingerprint}\n    reason: a commit digest\n"
        f"    file: {RELPATH}\n",
        encoding="utf-8",
    )
    result = cli(origin, "validate", "--format", "json")
    assert result.returncode == 0, result.stdout
    assert json.loads(result.stdout)["summary"]["waived"] == 1
    commit(origin, "allow the digest")

    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(origin), str(clone))
    code, document = ci_doc(clone, "--all")
    assert code == 0 and document["summary"]["waived"] == 1
    data = read(clone)
    data["description"] += f" {TOKEN}"  # the allowed string with a token appended
    data["version"] = "0.1.1"
    write(clone, data)
    code, document = ci_doc(clone)
    assert code == 1
    (secret,) = found(document, "no-secret-values")
    assert secret["fingerprint"] != fingerprint
    assert_absent(clone, ["ci", "--base", "origin/main"], TOKEN_PART)


def test_an_allowlist_entry_that_matches_nothing_is_unused(tmp_path: Path) -> None:
    repo = init(tmp_path / "repo")
    (repo / ".hubtool.yaml").write_text(
        f"allowlist:\n  - fingerprint: sha256:{HEX}\n    reason: gone\n    file: {RELPATH}\n",
        encoding="utf-8",
    )
    result = cli(repo, "validate", "--format", "json")
    assert result.returncode == 0
    (unused,) = found(json.loads(result.stdout), "waiver-unused")
    assert (unused["file"], unused["line"]) == (".hubtool.yaml", 2)


def test_a_fingerprint_survives_redaction() -> None:
    from hubtool.core.findings import Finding

    fingerprint = value_fingerprint(TOKEN)
    finding = Finding("no-secret-values", "error", "x", "", 1, 1, f"allow {fingerprint}")
    assert fingerprint in finding.message


# --- 5. hostile configuration files ---------------------------------------------------------

LAUGHS = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]\n" for i in range(8)
)
MERGES = "a: &a {k0: 1, k1: 1, k2: 1, k3: 1, k4: 1, k5: 1, k6: 1, k7: 1, k8: 1}\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)}\n  <<: [{', '.join(['*' + chr(97 + i)] * 9)}]\n"
    for i in range(8)
)
HOSTILE_CONFIGS = {
    "long-integer": ("severity:\n  typed-query: " + "9" * 5000 + "\n", "integer"),
    "long-integer-key": ("waivers:\n  - ? " + "1" * 5000 + "\n    : x\n", "integer"),
    "long-integer-reason": ("waivers:\n  - reason: " + "7" * 4301 + "\n", "integer"),
    "token-dense": ("a:\n" + ("- " + "[" * 10 + "]" * 10 + "\n") * 9000, "structure"),
    "billion-laughs": (LAUGHS, "expand"),
    "merge-key-bomb": (MERGES, "expand"),
    "recursive-alias": ("waivers: &w\n  - *w\n", "recursive"),
    "python-object": ("severity: !!python/object:os.system {}\n", "constructor"),
    "python-name": ("severity: !!python/name:os.system\n", "constructor"),
    "two-documents": ("severity: {}\n---\nwaivers: []\n", "single document"),
    "list-root": ("- severity\n", "expected a mapping"),
    "scalar-root": ("severity\n", "expected a mapping"),
    "huge": ("# " + "x" * (300 * 1024) + "\n", "larger than"),
    "deep": ("a: " + "[" * 5000 + "]" * 5000 + "\n", "invalid YAML"),
    "nul-byte": ("severity: {}\n\x00\n", "invalid YAML"),
    "binary": ("severity: !!binary AAAA\n", "must map"),
    "not-utf8": (b"severity: \xff\n", "not UTF-8"),
    "unhashable-key": ("severity:\n  ? [a]\n  : error\n", "invalid YAML"),
    "bad-fingerprint": ("allowlist:\n  - fingerprint: md5:abc\n    reason: r\n", "fingerprint"),
}


@pytest.mark.parametrize("name", sorted(HOSTILE_CONFIGS))
def test_hostile_configs_stop_cleanly_and_fast(tmp_path: Path, name: str) -> None:
    text, message = HOSTILE_CONFIGS[name]
    path = tmp_path / ".hubtool.yaml"
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    started = time.monotonic()
    with pytest.raises(HubtoolError) as caught:
        load_config(path, rules=RULES)
    assert time.monotonic() - started < 2
    assert message in str(caught.value), str(caught.value)
    assert str(caught.value).startswith(str(path))


def test_a_too_long_integer_says_what_to_write_in_the_config(tmp_path: Path) -> None:
    path = tmp_path / ".hubtool.yaml"
    path.write_text("severity:\n  typed-query: " + "9" * 5000 + "\n", encoding="utf-8")
    with pytest.raises(HubtoolError) as caught:
        load_config(path, rules=RULES)
    message = str(caught.value)
    assert f"{path}:2: " in message and "integers longer than" in message
    assert "write a shorter value" in message and "sys." not in message


def test_alias_guard_allows_ordinary_anchors(tmp_path: Path) -> None:
    path = tmp_path / ".hubtool.yaml"
    entry = "{rule: typed-query, file: x.json, pointer: /a, reason: r}"
    path.write_text(f"waivers:\n  - &w {entry}\n  - *w\n", encoding="utf-8")
    assert len(load_config(path, rules=RULES).waivers) == 2
    assert MAX_CONFIG_NODES >= 10_000


@pytest.mark.parametrize("name", ["long-integer", "billion-laughs", "python-object", "huge"])
def test_hostile_configs_through_the_cli(pr: Path, name: str) -> None:
    text, message = HOSTILE_CONFIGS[name]
    (pr / ".hubtool.yaml").write_text(text, encoding="utf-8")
    result = cli(pr, "validate", timeout=30)
    assert result.returncode == 2 and message in result.stderr
    code, document = ci_doc(pr)  # the pull request's: a finding, the base's rules apply
    assert code == 1
    (changed,) = found(document, "config-changed")
    assert "does not load" in changed["message"]


def test_a_fifo_config_never_blocks(tmp_path: Path) -> None:
    repo = init(tmp_path / "repo")
    os.mkfifo(repo / ".hubtool.yaml")
    result = cli(repo, "validate", timeout=30)
    assert result.returncode == 2 and "not a regular file" in result.stderr
    result = cli(repo, "ci", "--base", "HEAD", "--format", "json", timeout=30)
    assert result.returncode == 1
    (changed,) = found(json.loads(result.stdout), "config-changed")
    assert "not a regular file" in changed["message"]


# --- 6. the example workflow and the action it runs --------------------------------------------

WORKFLOW = REPO / ".github/workflows/catalog-gate.yml"
ACTION = REPO / "action.yml"


def workflow_job() -> Data:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))["jobs"]["hubtool"]


def test_the_workflow_has_a_time_limit_and_passes_values_through_env() -> None:
    job = workflow_job()
    assert 0 < job["timeout-minutes"] <= 30
    steps = [*job["steps"], *yaml.safe_load(ACTION.read_text(encoding="utf-8"))["runs"]["steps"]]
    runs = [s["run"] for s in steps if "run" in s]
    assert not any("${{" in run for run in runs)  # no expression pasted into a script
    assert not any("pip install ." in run for run in runs)
    (extract,) = [s for s in job["steps"] if "git archive" in s.get("run", "")]
    assert extract["env"]["GATE_COMMIT"].startswith("${{ github.event.pull_request.base.sha")


def test_the_workflow_installs_the_gate_from_the_base_branch(pr: Path, tmp_path: Path) -> None:
    """The workflow's gate steps, run for real with a stub Python: the action used and the
    hubtool it installs are the base commit's, whatever the pull request rewrote."""
    origin = Path(git(pr, "remote", "get-url", "origin").strip())
    (origin / "hubtool").mkdir()
    (origin / "hubtool/__init__.py").write_text("GATE = 'base'\n", encoding="utf-8")
    shutil.copy(ACTION, origin / "action.yml")
    commit(origin, "the gate")
    git(pr, "fetch", "-q", "origin")
    git(pr, "merge", "-q", "origin/main")
    (pr / "hubtool/__init__.py").write_text("GATE = 'pull request'\n", encoding="utf-8")
    (pr / "action.yml").write_text("runs: {using: composite, steps: []}\n", encoding="utf-8")
    commit(pr, "rewrite the gate")
    (extract,) = [s["run"] for s in workflow_job()["steps"] if "git archive" in s.get("run", "")]
    assert workflow_job()["steps"][-1]["uses"] == "./.hubtool-gate"
    base = git(pr, "rev-parse", "origin/main").strip()
    result = subprocess.run(
        ["sh", "-e", "-c", extract],
        cwd=pr,
        env=git_env(GATE_COMMIT=base),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    # the action at ./.hubtool-gate installs its own directory (GITHUB_ACTION_PATH)
    gate = pr / ".hubtool-gate"
    stub = tmp_path / "bin"
    stub.mkdir()
    (stub / "python3").write_text(
        '#!/bin/sh\nif [ "$2" = venv ]; then mkdir -p "$3/bin"; cp "$0" "$3/bin/python"; '
        'else cat "$6/hubtool/__init__.py" > "$RUNNER_TEMP/installed"; fi\n',
        encoding="utf-8",
    )
    (stub / "python3").chmod(0o755)
    steps = yaml.safe_load((gate / "action.yml").read_text(encoding="utf-8"))["runs"]["steps"]
    (install,) = [s["run"] for s in steps if s.get("id") == "install"]
    runner = tmp_path / "runner"
    runner.mkdir()
    env = git_env(
        INSTALL="true",
        RUNNER_TEMP=str(runner),
        GITHUB_ACTION_PATH=str(gate),
        GITHUB_OUTPUT=str(tmp_path / "output"),
    )
    env["PATH"] = f"{stub}{os.pathsep}{env['PATH']}"
    result = subprocess.run(
        ["bash", "-e", "-c", install],
        cwd=pr,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert (runner / "installed").read_text(encoding="utf-8") == "GATE = 'base'\n"


@pytest.mark.parametrize(
    "text",
    [
        f"1: 2\nnull: [a]\n2027-01-01: {{x: 'see {TOKEN}'}}\n",  # keys of every YAML type
        f"waivers: [\n  reason: {TOKEN}\n",  # not YAML at all: scanned line by line
        "a: " + "[" * 900 + f"'{TOKEN}'" + "]" * 900 + "\n",  # deeper than a scan recursion
    ],
    ids=["odd-keys", "broken", "deep"],
)
def test_a_pull_request_config_that_does_not_load_is_still_scanned(pr: Path, text: str) -> None:
    (pr / ".hubtool.yaml").write_text(text, encoding="utf-8")
    code, document = ci_doc(pr)
    assert code == 1
    (changed,) = found(document, "config-changed")
    assert "does not load" in changed["message"]
    (secret,) = found(document, "no-secret-values")
    assert secret["file"] == ".hubtool.yaml"
    line = next(i for i, row in enumerate(text.splitlines(), 1) if TOKEN in row)
    assert secret["line"] == line
    assert_absent(pr, ["ci", "--base", "origin/main"], TOKEN_PART)


def test_a_fifo_given_to_any_reading_command_never_blocks(tmp_path: Path) -> None:
    fifo = tmp_path / "x.json"
    os.mkfifo(fifo)
    spec = tmp_path / "openapi.json"
    spec.write_text(
        json.dumps({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {}}),
        encoding="utf-8",
    )
    for command in (
        ["check-upstream", str(fifo), "--openapi", str(spec)],
        ["render", str(fifo), "list", "--input", "-"],
        ["import", str(fifo), "--dry-run"],
    ):
        result = cli(tmp_path, *command, timeout=30)
        assert result.returncode == 2, (command, result.stdout, result.stderr)
        assert "x.json" in result.stderr, result.stderr  # a clear error, never a hang
