"""The GitHub Action (``action.yml``) run for real in a temporary git repository (see
``actionrun``: every ``run:`` step's shell runs as the runner runs it; ``uses:`` steps are
decided, not run), and the example workflow that uses it.

Not exercised here: setup-python and upload-sarif themselves (third-party code, pinned by
commit), the pip install of the action's files (the install step is run with a stub Python that
records what it would install; the gate steps use the ``hubtool`` of this virtual environment,
through a wrapper that counts its invocations), and GitHub's own evaluation of expressions.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from actionrun import ACTION, ActionRun, Runner, action
from conftest import REPO
from gitrepo import (
    BIN,
    RELPATH,
    TOKEN,
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

WORKFLOW = REPO / ".github/workflows/catalog-gate.yml"
BASE_REPO = {"full_name": "harbor/hub", "private": False, "default_branch": "main"}
FORK_REPO = {"full_name": "stranger/hub", "private": False, "default_branch": "main"}


# --- the repositories and the events ---------------------------------------------------------


@pytest.fixture
def origin(tmp_path: Path) -> Path:
    """The hub repository: ``main`` holds the Sentry manifest at 0.1.0."""
    return init(tmp_path / "origin")


@pytest.fixture
def pr(origin: Path, tmp_path: Path) -> Path:
    """The checkout of a pull request: a clone with ``origin/main``, on a branch."""
    clone = tmp_path / "pr"
    git(tmp_path, "clone", "-q", str(origin), str(clone))
    git(clone, "checkout", "-q", "-b", "feature")
    return clone


def pr_event(repo: Path, *, fork: bool = False, private: bool = False) -> dict[str, Any]:
    """A ``pull_request`` payload as GitHub sends it (the fields the action reads, and more)."""
    base_repo = {**BASE_REPO, "private": private}
    head_repo = {**(FORK_REPO if fork else base_repo), "private": private}
    head = git(repo, "rev-parse", "HEAD").strip()
    base = git(repo, "rev-parse", "origin/main").strip()
    return {
        "action": "synchronize",
        "number": 7,
        "pull_request": {
            "number": 7,
            "state": "open",
            "head": {"ref": "feature", "sha": head, "repo": head_repo},
            "base": {"ref": "main", "sha": base, "repo": base_repo},
        },
        "repository": base_repo,
        "sender": {"login": "stranger" if fork else "octocat"},
    }


def push_event(before: str, after: str) -> dict[str, Any]:
    return {
        "ref": "refs/heads/main",
        "before": before,
        "after": after,
        "created": False,
        "forced": False,
        "repository": BASE_REPO,
        "pusher": {"name": "octocat"},
    }


def counting_hubtool(tmp_path: Path) -> tuple[Path, Path]:
    """A directory with a ``hubtool`` that logs each call then runs the real one."""
    wrapper_dir, calls = tmp_path / "wrapper", tmp_path / "hubtool-calls"
    wrapper_dir.mkdir()
    wrapper = wrapper_dir / "hubtool"
    wrapper.write_text(
        f'#!/bin/sh\necho "$*" >> "{calls}"\nexec "{BIN / "hubtool"}" "$@"\n', encoding="utf-8"
    )
    wrapper.chmod(0o755)
    return wrapper_dir, calls


def run_action(
    workspace: Path,
    tmp_path: Path,
    event_name: str,
    event: dict[str, Any],
    inputs: dict[str, str] | None = None,
    **options: Any,
) -> tuple[ActionRun, list[str]]:
    """The action for one event, hubtool already installed (``install: false``); also the
    hubtool command lines it ran."""
    wrapper_dir, calls = counting_hubtool(tmp_path)
    runner = Runner(
        workspace,
        tmp_path / "runner",
        event_name,
        event,
        {"install": "false", **(inputs or {})},
        path=[wrapper_dir],
        **options,
    )
    result = runner.run()
    lines = calls.read_text(encoding="utf-8").splitlines() if calls.exists() else []
    return result, lines


def annotations(output: str) -> list[dict[str, str]]:
    """The ``::command prop=…::message`` lines, parsed."""
    found = []
    for line in output.splitlines():
        if not line.startswith("::"):
            continue
        command, rest = line[2:].split(" ", 1)
        props, message = rest.split("::", 1)
        fields = dict(prop.split("=", 1) for prop in props.split(","))
        found.append({"command": command, "message": message, **fields})
    return found


def annotation(found: list[dict[str, str]], title: str) -> dict[str, str]:
    matching = [a for a in found if a["title"] == title]
    assert len(matching) == 1, (title, found)
    return matching[0]


def sarif_of(result: ActionRun) -> dict[str, Any]:
    path = Path(result.step("gate").outputs["sarif-file"])
    document = json.loads(path.read_text(encoding="utf-8"))
    assert_valid_sarif(document)
    return document


# --- one run, every output --------------------------------------------------------------------


def test_a_pull_request_with_a_token_fails_with_every_output_from_one_run(
    pr: Path, tmp_path: Path
) -> None:
    data = read(pr)
    add_token(data)
    write(pr, data)
    commit(pr, "describe the token")

    result, calls = run_action(pr, tmp_path, "pull_request", pr_event(pr), base_ref="main")

    assert len(calls) == 1, calls  # one hubtool ci run wrote all three reports
    assert calls[0].startswith("ci --base=origin/main --format github --sarif-file ")
    gate = result.step("gate")
    assert gate.outcome == "success", gate.stderr  # the gate step records, the last one fails
    assert gate.outputs["exit-code"] == "1"
    text = (pr / RELPATH).read_text(encoding="utf-8")
    found = annotations(gate.stdout)
    secret = annotation(found, "no-secret-values")
    assert secret["command"] == "error" and secret["file"] == RELPATH
    assert (int(secret["line"]), int(secret["col"])) == line_col(text, '  "description": ', '"')
    assert annotation(found, "version-gate")["command"] == "error"
    results = sarif_of(result)["runs"][0]["results"]
    assert any(r["ruleId"] == "no-secret-values" and r["level"] == "error" for r in results)
    assert "### hubtool: failed" in gate.summary
    assert "| error | `no-secret-values` |" in gate.summary
    upload = result.step("upload")
    assert upload.ran and upload.with_["sarif_file"] == gate.outputs["sarif-file"]
    assert upload.with_["category"] == "hubtool"
    verdict = result.step("The verdict")
    assert verdict.returncode == 1 and result.failed
    assert "SARIF uploaded to code scanning" in result.summary
    sarif_text = Path(gate.outputs["sarif-file"]).read_text(encoding="utf-8")
    for output in (gate.stdout, gate.stderr, result.summary, sarif_text, verdict.stdout):
        assert TOKEN_PART not in output and TOKEN not in output


def test_a_clean_pull_request_passes(pr: Path, tmp_path: Path) -> None:
    data = read(pr)
    data["description"] += " Reviewed by the Sentry integrations team."
    data["version"] = "0.1.1"
    write(pr, data)
    commit(pr, "describe sentry-api better")

    result, calls = run_action(pr, tmp_path, "pull_request", pr_event(pr), base_ref="main")

    assert len(calls) == 1
    gate = result.step("gate")
    assert gate.outputs["exit-code"] == "0"
    assert [(a["command"], a["title"]) for a in annotations(gate.stdout)] == [
        ("notice", "metadata-changed")
    ]
    assert {r["level"] for r in sarif_of(result)["runs"][0]["results"]} == {"note"}
    assert "### hubtool: passed" in gate.summary
    assert result.step("The verdict").returncode == 0 and not result.failed


@pytest.mark.parametrize("committed", [True, False], ids=["commit", "work-tree"])
def test_a_pull_request_that_loosens_approval_annotates_the_line(
    pr: Path, tmp_path: Path, committed: bool
) -> None:
    data = read(pr)
    loosen_approval(data)
    write(pr, data)
    if committed:
        commit(pr, "resolve issues without approval")

    result, _ = run_action(pr, tmp_path, "pull_request", pr_event(pr), base_ref="main")

    text = (pr / RELPATH).read_text(encoding="utf-8")
    approval = line_col(text, '"approvalMode"', '"automatic"', after='"slug": "resolve-issue"')
    gate = result.step("gate")
    found = annotations(gate.stdout)
    unsafe = annotation(found, "write-requires-approval")
    assert (unsafe["command"], int(unsafe["line"]), int(unsafe["col"])) == ("error", *approval)
    assert "resolve-issue" in unsafe["message"]
    version = annotation(found, "version-gate")
    assert version["command"] == "error" and "approval-loosened" in version["message"]
    where = (int(version["line"]), int(version["col"]))
    assert where == line_col(text, '  "version": ', '"')
    loosened = annotation(found, "approval-loosened")
    assert (loosened["command"], int(loosened["line"]), int(loosened["col"])) == (
        "notice",
        *approval,
    )
    assert gate.stdout.rstrip().endswith("failed")
    by_rule = {r["ruleId"]: r for r in sarif_of(result)["runs"][0]["results"]}
    region = by_rule["write-requires-approval"]["locations"][0]["physicalLocation"]["region"]
    assert (region["startLine"], region["startColumn"]) == approval
    assert by_rule["version-gate"]["level"] == "error"
    assert result.failed


# --- forks, private repositories, failed uploads ----------------------------------------------


def test_a_fork_pull_request_skips_the_upload_and_says_so(pr: Path, tmp_path: Path) -> None:
    data = read(pr)
    add_token(data)
    write(pr, data)
    commit(pr, "a stranger's change")

    event = pr_event(pr, fork=True)
    result, calls = run_action(pr, tmp_path, "pull_request", event, base_ref="main")

    assert len(calls) == 1
    context = result.step("context")
    assert context.outputs["upload"] == "false"
    assert "fork" in context.outputs["upload-reason"]
    assert not result.step("upload").ran
    assert "SARIF not uploaded: a pull request from a fork" in result.summary
    assert result.step("gate").outputs["exit-code"] == "1"  # the verdict does not change
    assert annotation(annotations(result.step("gate").stdout), "no-secret-values")
    assert result.step("The verdict").returncode == 1


@pytest.mark.parametrize(
    ("choice", "fork", "upload"),
    [("never", False, "false"), ("always", True, "true"), ("auto", False, "true")],
)
def test_the_upload_input_decides(
    pr: Path, tmp_path: Path, choice: str, fork: bool, upload: str
) -> None:
    event = pr_event(pr, fork=fork)
    inputs = {"upload-sarif": choice}
    result, _ = run_action(pr, tmp_path, "pull_request", event, inputs, base_ref="main")
    assert result.step("context").outputs["upload"] == upload
    assert result.step("upload").ran == (upload == "true")


def test_a_refused_upload_does_not_change_the_verdict(pr: Path, tmp_path: Path) -> None:
    """A private repository without code scanning: upload-sarif fails, continue-on-error."""
    event = pr_event(pr, private=True)
    result, _ = run_action(
        pr, tmp_path, "pull_request", event, base_ref="main", outcomes={"upload": "failure"}
    )
    assert "private repository" in result.step("context").outputs["upload-reason"]
    assert result.step("upload").outcome == "failure"
    assert "The SARIF upload failed" in result.summary
    assert result.step("The verdict").returncode == 0 and not result.failed


# --- push and the exit codes ------------------------------------------------------------------


def test_a_push_compares_with_before_and_checks_the_whole_catalog(
    origin: Path, tmp_path: Path
) -> None:
    before = git(origin, "rev-parse", "HEAD").strip()
    data = read(origin)
    data["description"] += " Maintained."
    data["version"] = "0.1.1"
    write(origin, data)
    after = commit(origin, "release 0.1.1")

    result, calls = run_action(origin, tmp_path, "push", push_event(before, after))

    assert result.step("context").outputs["base"] == before
    assert calls[0].startswith(f"ci --base={before} ") and "--all" in calls[0].split()
    assert len(calls) == 1
    assert result.step("gate").outputs["exit-code"] == "0"
    assert not result.failed


def test_a_first_push_has_nothing_to_compare_with(origin: Path, tmp_path: Path) -> None:
    after = git(origin, "rev-parse", "HEAD").strip()
    result, calls = run_action(origin, tmp_path, "push", push_event("0" * 40, after))
    assert result.step("context").outputs["base"] == "HEAD"
    assert calls[0].startswith("ci --base=HEAD ") and "--all" in calls[0].split()
    assert not result.failed


def test_a_gate_that_cannot_run_fails_with_exit_2_and_no_sarif(pr: Path, tmp_path: Path) -> None:
    inputs = {"base": "origin/no-such-branch"}
    result, calls = run_action(pr, tmp_path, "pull_request", pr_event(pr), inputs, base_ref="main")
    assert len(calls) == 1
    gate = result.step("gate")
    assert gate.outputs["exit-code"] == "2"
    assert "sarif-file" not in gate.outputs
    assert not result.step("upload").ran
    verdict = result.step("The verdict")
    assert verdict.returncode == 2 and result.failed
    assert "::error title=hubtool::hubtool ci could not run (exit 2)" in verdict.stdout
    assert "hubtool ci could not run" in result.summary
    assert "SARIF not uploaded: hubtool ci wrote none." in result.summary


# --- the caps, end to end ---------------------------------------------------------------------


def test_a_broad_pull_request_keeps_to_githubs_annotation_limits(pr: Path, tmp_path: Path) -> None:
    for index in range(13):
        data = another_publisher(sentry(), f"acme{index:02d}", f"acme{index:02d}-api")
        add_token(data)
        write(pr, data, catalog_path(f"acme{index:02d}", f"acme{index:02d}-api"))
    commit(pr, "thirteen manifests, each with a token")

    result, calls = run_action(pr, tmp_path, "pull_request", pr_event(pr), base_ref="main")

    assert len(calls) == 1
    gate = result.step("gate")
    found = annotations(gate.stdout)
    by_type: dict[str, int] = {}
    for a in found:
        by_type[a["command"]] = by_type.get(a["command"], 0) + 1
    assert all(count <= 10 for count in by_type.values()), by_type
    assert len(found) <= 50
    (counted,) = [a for a in found if a["title"] == "hubtool"]
    assert counted["command"] == "error"
    results = sarif_of(result)["runs"][0]["results"]
    # SARIF and the summary have them all
    assert sum(r["ruleId"] == "no-secret-values" for r in results) == 13
    assert gate.summary.count("`no-secret-values`") == 13
    hidden = int(counted["message"].split(" ", 1)[0])
    logged = [
        line
        for line in gate.stdout.splitlines()
        if not line.startswith("::") and not line.startswith("hubtool: ")
    ]
    assert hidden == len(logged)  # every finding not annotated is a log line
    annotated = [a for a in found if a["title"] == "no-secret-values"]
    assert len(annotated) == 9  # 9 + the count = the 10 errors GitHub shows
    assert sum(" error no-secret-values " in line for line in logged) == 4
    assert TOKEN_PART not in gate.stdout


# --- the install step: the action's own files ------------------------------------------------


def test_the_install_step_installs_the_actions_own_files(pr: Path, tmp_path: Path) -> None:
    """Run for real with a stub Python: what it installs is GITHUB_ACTION_PATH, never the
    workspace (the pull request's files), and later steps get the installed hubtool."""
    (pr / "pyproject.toml").write_text("[project]\nname = 'evil'\n", encoding="utf-8")
    stub_dir = tmp_path / "stub"
    stub_dir.mkdir()
    log = tmp_path / "python-calls"
    stub = stub_dir / "python3"
    stub.write_text(
        "#!/bin/sh\n"
        f'echo "$0 $*" >> "{log}"\n'
        'if [ "$1" = -m ] && [ "$2" = venv ]; then\n'
        '  mkdir -p "$3/bin"; cp "$0" "$3/bin/python"\n'
        "fi\n",
        encoding="utf-8",
    )
    stub.chmod(0o755)
    (install,) = [s for s in action()["runs"]["steps"] if s.get("id") == "install"]
    runner = Runner(pr, tmp_path / "runner", "pull_request", pr_event(pr), path=[stub_dir])
    ran = runner.run_step(0, install)
    assert ran.returncode == 0, ran.stderr
    calls = log.read_text(encoding="utf-8").splitlines()
    venv = runner.runner_temp / "hubtool-action/venv"
    assert calls[0] == f"{stub} -m venv {venv}"
    assert calls[1].split() == [
        f"{venv}/bin/python",
        "-m",
        "pip",
        "install",
        "--quiet",
        "--disable-pip-version-check",
        str(REPO),
    ]
    assert ran.outputs == {"hubtool": f"{venv}/bin/hubtool", "python": f"{venv}/bin/python"}


# --- the action's and the workflow's shape ---------------------------------------------------

PINNED = re.compile(r"^\s*(?:-\s+)?uses:\s+([\w.-]+/[\w./-]+)@([0-9a-f]{40}) # v\d+(\.\d+)*\s*$")


def uses_lines(path: Path) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line for line in lines if "uses:" in line and not line.lstrip().startswith("#")]


@pytest.mark.parametrize("path", [ACTION, WORKFLOW], ids=["action", "workflow"])
def test_every_third_party_action_is_pinned_by_commit(path: Path) -> None:
    for line in uses_lines(path):
        if line.split("uses:", 1)[1].strip().startswith("./"):
            continue  # this repository's own action, as the base commit has it
        assert PINNED.match(line), f"not pinned by a full commit sha with a version: {line}"


@pytest.mark.parametrize("path", [ACTION, WORKFLOW], ids=["action", "workflow"])
def test_no_expression_is_pasted_into_a_script(path: Path) -> None:
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    steps = (document.get("runs") or document["jobs"]["hubtool"])["steps"]
    runs = [s["run"] for s in steps if "run" in s]
    assert runs and not any("${{" in run for run in runs)
    assert not any("pip install ." in run for run in runs)


def test_the_workflow_runs_on_every_event_a_required_check_needs() -> None:
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    trigger = workflow.get("on") or workflow.get(True)  # YAML 1.1 reads a bare `on` as true
    assert set(trigger) == {"pull_request", "push", "merge_group"}
    assert not (trigger["pull_request"] or {}).get("paths")  # a required check always reports
    assert trigger["push"]["branches"] == ["main"]
    assert workflow["permissions"] == {
        "contents": "read",
        "security-events": "write",
        "actions": "read",
    }
    job = workflow["jobs"]["hubtool"]
    assert 0 < job["timeout-minutes"] <= 30
    checkout = job["steps"][0]
    assert checkout["uses"].startswith("actions/checkout@")
    assert checkout["with"] == {"fetch-depth": 0, "persist-credentials": False}
    assert job["steps"][-1] == {"uses": "./.hubtool-gate"}


def test_the_readme_example_is_the_workflow_with_the_pinned_action() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```yaml\n(.*?)```", readme, flags=re.DOTALL)
    (block,) = [b for b in blocks if "OWNER/hubtool@" in b]
    example = yaml.safe_load(block)
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    assert (example.get("on") or example.get(True)) == (workflow.get("on") or workflow.get(True))
    assert example["permissions"] == workflow["permissions"]
    job, ours = example["jobs"]["hubtool"], workflow["jobs"]["hubtool"]
    assert job["timeout-minutes"] == ours["timeout-minutes"]
    assert job["steps"][0] == ours["steps"][0]  # the same pinned checkout
    gate = job["steps"][-1]
    assert gate["uses"].startswith("OWNER/hubtool@")
    inputs = action()["inputs"]
    assert gate["with"] == {key: inputs[key]["default"] for key in gate["with"]}


# --- the action's decisions, event by event ----------------------------------------------------

CONTEXT = REPO / "action/context.py"


def decide(
    repo: Path, tmp_path: Path, name: str, event: dict[str, Any] | None, **env: str
) -> dict[str, str]:
    """``action/context.py`` for one event: its ``GITHUB_OUTPUT`` lines."""
    files = Path(tempfile.mkdtemp(dir=tmp_path))  # one directory per decision
    output = files / "output"
    output.write_text("", encoding="utf-8")
    event_path = files / "event.json"
    if event is not None:
        event_path.write_text(json.dumps(event), encoding="utf-8")
    variables = {
        "GITHUB_EVENT_NAME": name,
        "GITHUB_EVENT_PATH": str(event_path),
        "GITHUB_OUTPUT": str(output),
        **env,
    }
    result = subprocess.run(
        [sys.executable, str(CONTEXT)],
        cwd=repo,
        env=git_env(**variables),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    lines = output.read_text(encoding="utf-8").splitlines()
    return dict(line.split("=", 1) for line in lines)


def test_a_merge_group_compares_with_its_base_commit(origin: Path, tmp_path: Path) -> None:
    base = git(origin, "rev-parse", "HEAD").strip()
    event = {"merge_group": {"base_sha": base, "head_sha": base, "base_ref": "refs/heads/main"}}
    decided = decide(origin, tmp_path, "merge_group", {**event, "repository": BASE_REPO})
    assert decided == {
        "base": base,
        "all": "false",
        "upload": "true",
        "upload-reason": "code scanning",
    }


def test_decisions_for_other_events(pr: Path, origin: Path, tmp_path: Path) -> None:
    dependabot = pr_event(pr)
    decided = decide(pr, tmp_path, "pull_request", dependabot, GITHUB_ACTOR="dependabot[bot]")
    assert decided["upload"] == "false" and "Dependabot" in decided["upload-reason"]
    target = decide(pr, tmp_path, "pull_request_target", pr_event(pr, fork=True))
    assert target["upload"] == "true"  # the base's workflow, with a write token
    manual = decide(origin, tmp_path, "workflow_dispatch", {"repository": BASE_REPO})
    assert (manual["base"], manual["all"]) == ("HEAD", "true")
    gone = decide(origin, tmp_path, "push", push_event("f" * 40, "0" * 40))  # force-pushed away
    assert (gone["base"], gone["all"]) == ("HEAD", "true")
    nothing = decide(origin, tmp_path, "push", None, BASE="origin/main", ALL="false")
    assert (nothing["base"], nothing["all"]) == ("origin/main", "false")  # no event file
    assert nothing["upload"] == "true"


@pytest.mark.parametrize(
    ("path", "schema"),
    [(ACTION, "vendor.github-actions"), (WORKFLOW, "vendor.github-workflows")],
    ids=["action", "workflow"],
)
def test_the_files_follow_githubs_schemas(path: Path, schema: str) -> None:
    """SchemaStore's schemas for action metadata and workflows, as vendored by check-jsonschema
    (offline)."""
    result = subprocess.run(
        [str(BIN / "check-jsonschema"), "--builtin-schema", schema, str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("ref", [None, 5, "", ["main"]], ids=["missing", "number", "empty", "list"])
def test_a_pull_request_without_a_base_branch_is_an_error_not_origin_none(
    origin: Path, tmp_path: Path, ref: object
) -> None:
    event: dict[str, Any] = {"pull_request": {"base": {"ref": ref}}, "repository": BASE_REPO}
    (tmp_path / "event.json").write_text(json.dumps(event), encoding="utf-8")
    (tmp_path / "output").write_text("", encoding="utf-8")
    variables = {
        "GITHUB_EVENT_NAME": "pull_request",
        "GITHUB_EVENT_PATH": str(tmp_path / "event.json"),
        "GITHUB_OUTPUT": str(tmp_path / "output"),
        "GITHUB_BASE_REF": "",
    }
    result = subprocess.run(
        [sys.executable, str(CONTEXT)],
        cwd=origin,
        env=git_env(**variables),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2 and "base" in result.stderr
    assert "Traceback" not in result.stderr
    assert (tmp_path / "output").read_text(encoding="utf-8") == ""


def test_an_event_file_nested_too_deep_reads_as_no_event(origin: Path, tmp_path: Path) -> None:
    event = tmp_path / "event.json"
    event.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    (tmp_path / "output").write_text("", encoding="utf-8")
    variables = {
        "GITHUB_EVENT_NAME": "workflow_dispatch",
        "GITHUB_EVENT_PATH": str(event),
        "GITHUB_OUTPUT": str(tmp_path / "output"),
    }
    result = subprocess.run(
        [sys.executable, str(CONTEXT)],
        cwd=origin,
        env=git_env(**variables),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    assert "base=HEAD\n" in (tmp_path / "output").read_text(encoding="utf-8")
