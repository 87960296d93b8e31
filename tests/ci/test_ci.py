"""``hubtool ci`` end to end, the example workflow's own commands, SARIF and GitHub output."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO, run_cli
from gitrepo import (
    BIN,
    RELPATH,
    RESOLVE,
    TOKEN_PART,
    add_token,
    another_publisher,
    catalog_path,
    commit,
    git,
    git_env,
    init,
    line_col,
    loosen_approval,
    read,
    sentry,
    write,
)
from sarifcheck import assert_valid_sarif

from hubtool.core.findings import ERROR, NOTE, WARNING, Finding
from hubtool.report.github import github_line

REPORT_KEYS = {"ok", "files", "findings", "summary", "manifests"}
SUMMARY_KEYS = {"files", "errors", "warnings", "waived"}
MANIFEST_KEYS = {
    "ok",
    "file",
    "status",
    "old_version",
    "new_version",
    "required_bump",
    "minimum_version",
    "problems",
    "changes",
}
FINDING_KEYS = {"rule", "severity", "file", "pointer", "line", "column", "message"}


# --- a pull request: the base repository, a clone, a branch ---------------------------------


@pytest.fixture
def origin(tmp_path: Path) -> Path:
    """The hub repository: ``main`` holds the Sentry manifest at 0.1.0."""
    return init(tmp_path / "origin")


@pytest.fixture
def pr(origin: Path, tmp_path: Path) -> Path:
    """A clone of ``origin`` with ``origin/main`` fetched, on a pull request branch."""
    clone = tmp_path / "pr"
    git(tmp_path, "clone", "-q", str(origin), str(clone))
    git(clone, "fetch", "-q", "origin")
    git(clone, "checkout", "-q", "-b", "feature")
    return clone


def ci(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_cli("ci", *args, cwd=repo, env=git_env())


def ci_json(repo: Path, *args: str) -> tuple[int, dict[str, Any]]:
    result = ci(repo, "--format", "json", *args)
    assert_clean_exit(result)
    return result.returncode, json.loads(result.stdout)


def assert_clean_exit(result: subprocess.CompletedProcess[str]) -> None:
    assert result.returncode in (0, 1), result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert "internal error" not in result.stderr


def rules_of(document: dict[str, Any], severity: str | None = None) -> set[str]:
    return {
        f["rule"] for f in document["findings"] if severity is None or f["severity"] == severity
    }


# --- GitHub output helpers ------------------------------------------------------------------
# The example workflow runs the action (action.yml): its pull request scenarios (a token, a
# loosened approval, a clean change) run through the action in tests/action/test_action.py.


def annotations(output: str) -> list[dict[str, str]]:
    """The ``::command file=…,line=…::message`` lines, parsed."""
    found = []
    for line in output.splitlines():
        if not line.startswith("::"):
            continue
        command, rest = line[2:].split(" ", 1)
        props, message = rest.split("::", 1)
        fields = dict(prop.split("=", 1) for prop in props.split(","))
        found.append({"command": command, "message": message, **fields})
    return found


# --- SARIF ----------------------------------------------------------------------------------


def sarif_of(result: subprocess.CompletedProcess[str]) -> dict[str, Any]:
    assert_clean_exit(result)
    document = json.loads(result.stdout)
    assert_valid_sarif(document)
    return document


def results_of(document: dict[str, Any]) -> list[dict[str, Any]]:
    return document["runs"][0]["results"]


def test_validate_sarif_is_valid_and_complete(tmp_path: Path) -> None:
    data = sentry()
    loosen_approval(data)
    del data["actionTemplates"][1]["inputs"]["parameters"][1]["schema"]["maxLength"]
    path = write(tmp_path, data, "manifest.json")
    result = run_cli("validate", "--format", "sarif", str(path), cwd=tmp_path)
    assert result.returncode == 1
    document = sarif_of(result)
    levels = {r["ruleId"]: r["level"] for r in results_of(document)}
    assert levels == {"write-requires-approval": "error", "typed-query": "warning"}
    location = results_of(document)[0]["locations"][0]
    assert location["physicalLocation"]["artifactLocation"]["uri"] == "manifest.json"
    assert location["logicalLocations"][0]["fullyQualifiedName"].startswith("/actionTemplates/")
    text = path.read_text(encoding="utf-8")
    region = next(
        r["locations"][0]["physicalLocation"]["region"]
        for r in results_of(document)
        if r["ruleId"] == "write-requires-approval"
    )
    expected = line_col(text, '"approvalMode"', '"automatic"', after='"slug": "resolve-issue"')
    assert (region["startLine"], region["startColumn"]) == expected


def test_validate_sarif_of_a_clean_catalog_has_no_results() -> None:
    document = sarif_of(run_cli("validate", "--format", "sarif"))
    results = results_of(document)
    assert [r for r in results if not r.get("suppressions")] == []
    [declared] = results  # HubSpot's contact search, declared a read in .hubtool.yaml
    assert declared["ruleId"] == "write-requires-approval"
    assert declared["suppressions"][0]["kind"] == "external"
    assert document["runs"][0]["tool"]["driver"]["name"] == "hubtool"


def test_diff_sarif_is_valid(origin: Path) -> None:
    data = read(origin)
    loosen_approval(data)
    write(origin, data)
    result = run_cli("diff", "--base", "HEAD", "--format", "sarif", cwd=origin, env=git_env())
    assert result.returncode == 1
    document = sarif_of(result)
    rules = {r["ruleId"]: r["level"] for r in results_of(document)}
    assert rules == {"version-gate": "error", "approval-loosened": "note"}


def test_ci_sarif_is_valid(pr: Path) -> None:
    data = read(pr)
    loosen_approval(data)
    add_token(data)
    write(pr, data)
    result = ci(pr, "--base", "origin/main", "--format", "sarif")
    assert result.returncode == 1
    assert TOKEN_PART not in result.stdout
    document = sarif_of(result)
    errors = {r["ruleId"] for r in results_of(document) if r["level"] == "error"}
    assert errors == {"no-secret-values", "write-requires-approval", "version-gate"}


def fingerprints(document: dict[str, Any]) -> dict[str, tuple[str, int, int]]:
    """Fingerprint -> (rule, start line, start column) of every result."""
    prints = {}
    for result in results_of(document):
        (value,) = result["partialFingerprints"].values()
        region = result["locations"][0]["physicalLocation"]["region"]
        prints[value] = (result["ruleId"], region["startLine"], region["startColumn"])
    assert len(prints) == len(results_of(document)), "fingerprints must be distinct"
    return prints


@pytest.mark.parametrize("command", ["validate", "ci"])
def test_fingerprints_survive_reformatting(tmp_path: Path, command: str) -> None:
    repo = init(tmp_path / "repo")
    data = read(repo)
    loosen_approval(data)
    data["actionTemplates"][1]["method"] = "POST"  # a second write-requires-approval finding
    del data["actionTemplates"][1]["inputs"]["parameters"][1]["schema"]["maxLength"]
    args = ["validate"] if command == "validate" else ["ci", "--base", "HEAD"]
    runs = {}
    for name, indent in (("indent2", 2), ("indent4", 4), ("compact", None)):
        write(repo, data, indent=indent)
        result = run_cli(*args, "--format", "sarif", cwd=repo, env=git_env())
        runs[name] = fingerprints(sarif_of(result))
    first = runs["indent2"]
    assert len(first) >= 3
    assert {rule for rule, _, _ in first.values()} >= {"write-requires-approval", "typed-query"}
    for name, prints in runs.items():
        assert {fp: rule for fp, (rule, _, _) in prints.items()} == {
            fp: rule for fp, (rule, _, _) in first.items()
        }, name
    for fp, (_, line, column) in first.items():
        assert runs["indent4"][fp][1:] != (line, column)  # indented deeper: columns move
        assert runs["compact"][fp][1] == 1  # one line: lines move
        assert line > 1


def test_waived_findings_are_suppressed_in_sarif(tmp_path: Path) -> None:
    data = sentry()
    loosen_approval(data)
    write(tmp_path, data)
    reason = "resolving is reversible; reviewed by the Sentry integrations team"
    (tmp_path / ".hubtool.yaml").write_text(
        "waivers:\n"
        "  - rule: write-requires-approval\n"
        f"    file: {RELPATH}\n"
        f"    pointer: /actionTemplates/{RESOLVE}\n"
        f"    reason: {reason}\n",
        encoding="utf-8",
    )
    result = run_cli("validate", "--format", "sarif", cwd=tmp_path)
    assert result.returncode == 0, result.stdout
    (suppressed,) = results_of(sarif_of(result))
    assert suppressed["ruleId"] == "write-requires-approval"
    assert suppressed["suppressions"] == [{"kind": "external", "justification": reason}]
    as_json = json.loads(run_cli("validate", "--format", "json", cwd=tmp_path).stdout)
    assert as_json["findings"] == []
    assert as_json["summary"]["waived"] == 1
    github = run_cli("validate", "--format", "github", cwd=tmp_path)
    assert github.returncode == 0
    assert "::" not in github.stdout  # a waived finding is no annotation


# --- GitHub workflow commands ---------------------------------------------------------------


def finding(file: str = "m.json", message: str = "bad", severity: str = ERROR) -> Finding:
    return Finding("bounded-path", severity, file, "/x", 3, 5, message)


def test_github_line_shape() -> None:
    assert github_line(finding()) == "::error file=m.json,line=3,col=5,title=bounded-path::bad"
    assert github_line(finding(severity=WARNING)).startswith("::warning file=")
    assert github_line(finding(severity=NOTE)).startswith("::notice file=")


def test_github_line_escapes_the_message() -> None:
    line = github_line(finding(message="100% wrong\nsecond line\r\nthird: a, b"))
    assert line.endswith("::100%25 wrong%0Asecond line%0D%0Athird: a, b")
    assert "\n" not in line and "\r" not in line


def test_github_line_escapes_properties() -> None:
    line = github_line(finding(file="dir,with:colons/50%.json", message="m"))
    assert line == "::error file=dir%2Cwith%3Acolons/50%25.json,line=3,col=5,title=bounded-path::m"


def test_github_format_escapes_a_real_path(tmp_path: Path) -> None:
    data = sentry()
    loosen_approval(data)
    write(tmp_path, data, "odd,name:1.json")
    result = run_cli("validate", "--format", "github", "odd,name:1.json", cwd=tmp_path)
    assert result.returncode == 1
    (found,) = annotations(result.stdout)
    assert found["file"] == "odd%2Cname%3A1.json"
    assert found["title"] == "write-requires-approval"


# --- `hubtool ci` -----------------------------------------------------------------------------


def test_ci_json_shape(pr: Path) -> None:
    data = read(pr)
    loosen_approval(data)
    write(pr, data)
    code, document = ci_json(pr, "--base", "origin/main")
    assert code == 1
    assert set(document) == REPORT_KEYS
    assert document["ok"] is False
    assert document["files"] == [RELPATH]
    assert set(document["summary"]) == SUMMARY_KEYS
    assert document["summary"] == {"files": 1, "errors": 2, "warnings": 0, "waived": 0}
    for item in document["findings"]:
        assert set(item) == FINDING_KEYS
    (manifest,) = document["manifests"]
    assert set(manifest) == MANIFEST_KEYS
    assert manifest["status"] == "changed"
    assert manifest["ok"] is False
    assert (manifest["old_version"], manifest["new_version"]) == ("0.1.0", "0.1.0")
    assert manifest["required_bump"] == "major"
    assert manifest["minimum_version"] == "0.2.0"
    assert [c["kind"] for c in manifest["changes"]] == ["approval-loosened"]


def test_ci_without_changes_is_clean(pr: Path) -> None:
    code, document = ci_json(pr, "--base", "origin/main")
    assert code == 0
    assert document["ok"] is True
    assert document["files"] == []
    assert document["findings"] == []
    assert document["manifests"] == []


def test_ci_validates_only_changed_manifests_unless_all(origin: Path, tmp_path: Path) -> None:
    broken = another_publisher(sentry(), "acme", "acme-api")
    loosen_approval(broken)
    write(origin, broken, catalog_path("acme", "acme-api"))
    (origin / catalog_path("brokenco", "broken")).parent.mkdir(parents=True)
    (origin / catalog_path("brokenco", "broken")).write_text('{"slug": ', encoding="utf-8")
    commit(origin, "two broken manifests (released before the gate)")
    data = read(origin)
    data["description"] += " Reviewed."
    data["version"] = "0.1.1"
    write(origin, data)

    code, document = ci_json(origin, "--base", "HEAD")
    assert code == 0, document["findings"]
    assert document["files"] == [RELPATH]
    assert [m["file"] for m in document["manifests"]] == [RELPATH]

    code, document = ci_json(origin, "--base", "HEAD", "--all")
    assert code == 1
    assert len(document["files"]) == 3
    assert rules_of(document, ERROR) == {"write-requires-approval", "json-syntax"}
    by_file = {f["file"]: f["rule"] for f in document["findings"] if f["severity"] == ERROR}
    assert by_file == {
        catalog_path("acme", "acme-api"): "write-requires-approval",
        catalog_path("brokenco", "broken"): "json-syntax",
    }
    assert {m["status"] for m in document["manifests"]} == {"changed", "unchanged"}


def test_ci_reports_a_duplicate_slug_when_only_one_holder_changed(pr: Path) -> None:
    duplicate = another_publisher(read(pr), "acme")  # same slug "sentry-api"
    relpath = catalog_path("acme", "sentry-api")
    write(pr, duplicate, relpath)
    commit(pr, "acme's copy")
    code, document = ci_json(pr, "--base", "origin/main")
    assert code == 1
    assert document["files"] == [relpath]
    (slug,) = [f for f in document["findings"] if f["rule"] == "unique-slugs"]
    assert slug["file"] == relpath
    assert slug["pointer"] == "/slug"
    assert RELPATH in slug["message"]
    text = (pr / relpath).read_text(encoding="utf-8")
    assert (slug["line"], slug["column"]) == line_col(text, '  "slug": ', '"')
    assert [(m["file"], m["status"]) for m in document["manifests"]] == [(relpath, "added")]


def test_ci_reports_a_deleted_manifest_as_a_note(origin: Path, tmp_path: Path) -> None:
    other = catalog_path("acme", "acme-api")
    write(origin, another_publisher(sentry(), "acme", "acme-api"), other)
    commit(origin, "acme-api 0.1.0")
    (origin / other).unlink()
    code, document = ci_json(origin, "--base", "HEAD")
    assert code == 0, document
    assert document["ok"] is True
    (note,) = document["findings"]
    # the file is gone: the note carries no file location (annotations on it would be dropped)
    # and names the manifest in its message, for the run summary (issue 13, item 6)
    assert (note["rule"], note["severity"], note["file"]) == ("version-gate", "note", "")
    assert "removed" in note["message"] and other in note["message"]
    assert [(m["file"], m["status"]) for m in document["manifests"]] == [(other, "removed")]
    github = ci(origin, "--base", "HEAD", "--format", "github")
    assert github.returncode == 0
    assert github.stdout.startswith("::notice title=version-gate::manifest ")


@pytest.mark.parametrize("kind", ["non-utf8-name", "symlink"])
def test_a_base_manifest_still_present_but_unreadable_is_not_a_removal(
    origin: Path, kind: str
) -> None:
    """A committed manifest the walk refuses to read (a name that is not UTF-8, a link) is
    reported once, by ``catalog-tree``, at its name shown as findings show it; it is not also
    a "removed" manifest, and no output holds a lone surrogate."""
    directory = origin / catalog_path("acme", "acme-api").rsplit("/", 1)[0]
    name = os.fsencode(directory) + (b"/x\xff.json" if kind == "non-utf8-name" else b"/x.json")
    path = Path(os.fsdecode(name))
    write(origin, another_publisher(sentry(), "acme", "acme-api"), str(path.relative_to(origin)))
    commit(origin, "acme-api 0.1.0")
    if kind == "symlink":
        path.unlink()
        path.symlink_to(origin / RELPATH)
    result = ci(origin, "--base", "HEAD", "--format", "json")
    assert_clean_exit(result)
    assert result.returncode == 1 and "\\udc" not in result.stdout.lower()
    document = json.loads(result.stdout)
    assert document["manifests"] == []  # nothing changed, nothing removed
    assert rules_of(document) == {"catalog-tree"}
    (finding,) = document["findings"]
    expected = "x\\xff.json" if kind == "non-utf8-name" else "x.json"
    assert finding["file"].endswith("acme/" + expected)


def test_ci_in_an_unborn_repository_treats_every_manifest_as_a_first_release(
    tmp_path: Path,
) -> None:
    repo = init(tmp_path / "new", commit_files=False)
    write(repo, another_publisher(sentry(), "acme", "acme-api"), catalog_path("acme", "acme-api"))
    code, document = ci_json(repo, "--base", "HEAD")
    assert code == 0, document["findings"]
    assert len(document["files"]) == 2
    assert {m["status"] for m in document["manifests"]} == {"added"}
    assert all(m["ok"] and m["old_version"] is None for m in document["manifests"])
    git(repo, "add", "-A")  # staged but still unborn
    assert ci_json(repo, "--base", "HEAD")[0] == 0


@pytest.mark.parametrize("ref", ["origin/nope", "no-such-branch", "-x", "HEAD~5"])
def test_ci_with_a_bad_ref_exits_2(pr: Path, ref: str) -> None:
    result = ci(pr, f"--base={ref}")
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert "git ref" in result.stderr
    assert result.stdout == ""


def test_ci_outside_a_git_repository_exits_2(tmp_path: Path) -> None:
    write(tmp_path, sentry())
    result = ci(tmp_path, "--base", "main")
    assert result.returncode == 2
    assert "not inside a git repository" in result.stderr
    assert "Traceback" not in result.stderr


def test_ci_strict_fails_on_warnings(pr: Path) -> None:
    data = read(pr)
    del data["actionTemplates"][1]["inputs"]["parameters"][1]["schema"]["maxLength"]
    data["version"] = "0.2.0"
    write(pr, data)
    code, document = ci_json(pr, "--base", "origin/main")
    assert code == 0
    assert rules_of(document, WARNING) == {"typed-query"}
    assert ci(pr, "--base", "origin/main", "--strict").returncode == 1


# --- reporter failures and internal errors exit 2 ---------------------------------------------


def unbuffered(value: bool) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    return {**env, "PYTHONUNBUFFERED": "1"} if value else env


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="/dev/full is Linux-only")
@pytest.mark.parametrize("buffered", [False, True], ids=["unbuffered", "buffered"])
@pytest.mark.parametrize("fmt", ["json", "text", "sarif", "github"])
def test_a_full_disk_exits_2(fmt: str, buffered: bool) -> None:
    result = subprocess.run(
        ["sh", "-c", f"hubtool validate --format {fmt} > /dev/full"],
        cwd=REPO,
        env=unbuffered(not buffered),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2, result.stderr
    assert "cannot write the output" in result.stderr
    assert "Traceback" not in result.stderr
    assert "Exception ignored" not in result.stderr


@pytest.mark.parametrize("buffered", [False, True], ids=["unbuffered", "buffered"])
@pytest.mark.parametrize(
    "args",
    [("validate", "--format", "json"), ("validate", "--format", "sarif"), ("rules",)],
    ids=["json", "sarif", "rules"],
)
def test_a_closed_stdout_pipe_exits_2_silently(args: tuple[str, ...], buffered: bool) -> None:
    """Like git and ruff, nothing on stderr when the reader went away; exit 2, so a pipeline
    under ``set -o pipefail`` still fails."""
    read_end, write_end = os.pipe()
    os.close(read_end)  # nobody will ever read: every write gets EPIPE
    try:
        result = subprocess.run(
            [sys.executable, "-m", "hubtool", *args],
            cwd=REPO,
            env=unbuffered(not buffered),
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
        )
    finally:
        os.close(write_end)
    assert result.returncode == 2, result.stderr
    assert result.stderr == ""


@pytest.mark.parametrize(
    "args",
    [("validate", "--format", "json"), ("rules", "--format", "json"), ("rules",)],
    ids=["validate-json", "rules-json", "rules"],
)
def test_a_closed_stdout_descriptor_exits_2_with_a_message(args: tuple[str, ...]) -> None:
    """``hubtool ... >&-``: no standard output at all (``sys.stdout`` is None) is an output
    that cannot be written, exit 2 and one line, never an internal error or a traceback."""
    result = subprocess.run(
        ["sh", "-c", 'exec "$0" -m hubtool "$@" >&-', sys.executable, *args],
        cwd=REPO,
        env=unbuffered(False),
        capture_output=False,
        stderr=subprocess.PIPE,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2, result.stderr
    assert "cannot write the output" in result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr


@pytest.mark.parametrize(
    ("args", "code"),
    [(("validate", "no-such.json", "--format", "json"), 2), (("validate", "--nope"), 2)],
    ids=["error", "usage"],
)
def test_a_closed_stderr_descriptor_keeps_the_exit_code(args: tuple[str, ...], code: int) -> None:
    result = subprocess.run(
        ["sh", "-c", 'exec "$0" -m hubtool "$@" 2>&-', sys.executable, *args],
        cwd=REPO,
        env=unbuffered(False),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == code
    if "--format" in args:
        assert json.loads(result.stdout)["ok"] is False


def test_ci_into_a_closed_pipe_exits_2(pr: Path) -> None:
    data = read(pr)
    loosen_approval(data)
    write(pr, data)
    piped = subprocess.run(
        ["bash", "-c", "set -o pipefail; hubtool ci --base origin/main --format sarif | true"],
        cwd=pr,
        env={k: v for k, v in git_env().items() if k != "PYTHONUNBUFFERED"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert piped.returncode == 2, piped.stderr
    assert piped.stderr == ""


def test_an_internal_error_in_a_reporter_exits_2() -> None:
    program = (
        "import hubtool.report.json as r\n"
        "def broken(*args, **kwargs):\n"
        "    raise RuntimeError('reporter bug')\n"
        "r.report_json = broken\n"
        "from hubtool.cli import main\n"
        "main(['validate', '--format', 'json'])\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "HUBTOOL_DEBUG"}
    result = subprocess.run(
        [sys.executable, "-c", program], cwd=REPO, env=env, capture_output=True, text=True
    )
    assert result.returncode == 2
    assert "internal error: RuntimeError: reporter bug" in result.stderr
    assert "please report" in result.stderr
    assert "Traceback" not in result.stderr


def test_ci_from_a_subdirectory_reports_repository_relative_paths(pr: Path) -> None:
    data = read(pr)
    loosen_approval(data)
    write(pr, data)
    result = run_cli(
        "ci", "--base", "origin/main", "--format", "github", cwd=pr / "apps/hub", env=git_env()
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"file={RELPATH}," in result.stdout
    assert "file=../" not in result.stdout


def test_ci_compares_with_the_fork_point_when_the_base_moved_on(origin: Path, pr: Path) -> None:
    """A branch behind main is judged on its own changes, not on main's newer ones."""
    ahead = read(origin)
    ahead["version"] = "0.2.0"
    loosen_approval(ahead)
    ahead["actionTemplates"][2]["approvalMode"] = "require_approval"
    ahead["description"] = "Main moved on."
    write(origin, ahead)
    commit(origin, "main moves on")
    git(pr, "fetch", "-q", "origin")
    mine = read(pr)
    mine["summary"] += " Clarified."
    mine["version"] = "0.1.1"
    write(pr, mine)
    code, document = ci_json(pr, "--base", "origin/main")
    assert code == 0, document["findings"]
    [manifest] = document["manifests"]
    assert (manifest["old_version"], manifest["new_version"]) == ("0.1.0", "0.1.1")
    assert [c["kind"] for c in manifest["changes"]] == ["metadata-changed"]
