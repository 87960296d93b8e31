"""``--format json`` on every command: its output parses as one JSON document, and an exit-2
error (usage errors included) is ``{"ok": false, "error": {...}}`` on stdout as well as a line
on stderr. ``CASES`` holds one success and one exit-2 run per leaf command of
``hubtool.cli.COMMANDS``; a command missing from it fails ``test_every_command_has_a_case``.

To add a command: one ``CASES`` entry ``"PATH": Case(ok=(...), error=(...))`` (``PATH`` as
typed after ``hubtool``, e.g. ``"hub search"``), with ``prep`` for the runs that must come
first; a server speaking a protocol on stdout gives ``ok=None`` (e.g. ``"mcp": Case(None,
("mcp", "--root", "{tmp}/none", "--format", "json"))``: an unknown option is a usage error,
still an envelope). A row for a command this build does not have is skipped. Arguments may
name ``{store}`` (a draft store with Sentry imported), ``{draft}`` (its ``list-issues``
draft), ``{repo}`` (a git repository holding the Sentry manifest, with an uncommitted change;
the command runs there), ``{spec}`` (a small OpenAPI spec), ``{tmp}``.
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import click
import pytest
from conftest import REPO, SENTRY, store_env
from gitrepo import RELPATH, commit, git_env, init, sentry, write

from hubtool.cli import COMMANDS, cli

SPEC = {
    "openapi": "3.0.3",
    "info": {"title": "Acme", "version": "1"},
    "servers": [{"url": "https://api.acme.example/v2"}],
    "paths": {
        "/widgets/{widgetId}": {
            "get": {
                "operationId": "getWidget",
                "summary": "Get a widget",
                "parameters": [
                    {
                        "name": "widgetId",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string"},
                    }
                ],
                "responses": {"200": {"description": "ok"}},
            }
        }
    },
}


@dataclass(frozen=True)
class Case:
    ok: tuple[str, ...] | None
    """A run that completes (exit 0 or 1); None for a command whose stdout is a protocol
    stream, not a document (a server such as ``mcp``): only its error is checked."""
    error: tuple[str, ...]
    """A run that cannot (exit 2)."""
    prep: tuple[tuple[str, ...], ...] = ()
    """Runs before ``ok`` (without --format json), each expected to exit 0."""


J = ("--format", "json")
CASES: dict[str, Case] = {
    "validate": Case(("validate", str(SENTRY), *J), ("validate", "{tmp}/missing.json", *J)),
    "diff": Case(("diff", "--base", "HEAD", *J), ("diff", "--base", "nope", *J)),
    "bump": Case(("bump", RELPATH, *J), ("bump", RELPATH, "--base", "nope", *J)),
    "ci": Case(("ci", "--base", "HEAD", *J), ("ci", "--base", "nope", *J)),
    "check-upstream": Case(
        ("check-upstream", str(SENTRY), "--openapi", "{spec}", *J),
        ("check-upstream", str(SENTRY), "--openapi", "{tmp}/none.json", *J),
    ),
    "import": Case(
        ("import", "sentry", "--store", "{tmp}/new.sqlite3", *J),
        ("import", "no-such-manifest", *J),
    ),
    "drafts list": Case(("drafts", "list", *J), ("drafts", "list", "--state", "nope", *J)),
    "drafts show": Case(("drafts", "show", "{draft}", *J), ("drafts", "show", "dr_nope", *J)),
    "drafts validate": Case(("drafts", "validate", "{draft}", *J), ("drafts", "validate", *J)),
    "drafts test": Case(("drafts", "test", "--all", *J), ("drafts", "test", "dr_nope", *J)),
    "drafts request-publish": Case(
        ("drafts", "request-publish", "{draft}", *J),
        ("drafts", "request-publish", *J),
        prep=(("drafts", "test", "{draft}"),),
    ),
    "drafts publish": Case(
        ("drafts", "publish", "{draft}", "--operator", "alice", *J),
        ("drafts", "publish", "{draft}", *J),
        prep=(("drafts", "test", "{draft}"),),
    ),
    "drafts reject": Case(
        ("drafts", "reject", "--all", "--operator", "alice", *J),
        ("drafts", "reject", "dr_nope", "--operator", "alice", *J),
    ),
    "render": Case(
        ("render", "sentry", "list-projects", "--input", "{tmp}/input.json", *J),
        ("render", "sentry", "no-such-action", "--input", "{tmp}/input.json", *J),
    ),
    "scaffold": Case(
        ("scaffold", "--openapi", "{spec}", "--operation", "getWidget", *J),
        ("scaffold", "--openapi", "{spec}", "--operation", "getWidgets", *J),
    ),
    "new": Case(
        ("new", "acme/acme-api", "--base-url", "https://api.acme.example/", *J),
        ("new", "Acme", "--base-url", "https://api.acme.example/", *J),
    ),
    "rules": Case(("rules", "bounded-path", *J), ("rules", "no-such-rule", *J)),
    "kinds": Case(("kinds", *J), ("kinds", "no-such-kind", *J)),
    "schema": Case(("schema", *J), ("schema", "--nope", *J)),
    "mcp": Case(None, ("mcp", "--root", "{tmp}/none", *J)),  # a JSON-RPC stream on stdout
    "hub build": Case(
        ("hub", "build", "--db", "{tmp}/hub/hub.db", *J), ("hub", "build", "--db", "{tmp}", *J)
    ),
    "hub serve": Case(
        None, ("hub", "serve", "--db", "{tmp}/missing.db", *J)
    ),  # serves until stopped
    "hub export": Case(
        ("hub", "export", "{tmp}/out", "--db", "{tmp}/hub/hub.db", *J),
        ("hub", "export", "{tmp}/out", "--db", "{tmp}/missing.db", *J),
        prep=(("hub", "build", "--db", "{tmp}/hub/hub.db"),),
    ),
}
"""Per leaf command: a run that completes and one that cannot, both with --format json."""


def leaf_commands() -> list[str]:
    """Every runnable command, as typed after ``hubtool``: groups by their subcommands."""
    found: list[str] = []
    for name in COMMANDS:
        command = cli.commands[name]
        if isinstance(command, click.Group):
            found.extend(f"{name} {sub}" for sub in command.commands)
        else:
            found.append(name)
    return found


class Workspace:
    """The files a case names, made on first use."""

    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.store = tmp / "state" / "store.sqlite3"
        self.repo = tmp / "repo"
        self._draft: str | None = None

    def run(self, args: tuple[str, ...], cwd: Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "hubtool", *args],
            cwd=cwd,
            capture_output=True,
            text=True,
            env=git_env(**store_env(self.store, "json-test")),
            timeout=120,
        )

    def values(self, args: tuple[str, ...]) -> dict[str, str]:
        text = " ".join(args)
        values = {"tmp": str(self.tmp), "store": str(self.store)}
        (self.tmp / "input.json").write_text(
            json.dumps({"path": {"organizationIdOrSlug": "acme"}}), encoding="utf-8"
        )
        if "{spec}" in text:
            (self.tmp / "spec.json").write_text(json.dumps(SPEC), encoding="utf-8")
            values["spec"] = str(self.tmp / "spec.json")
        if "{draft}" in text or "drafts" in args[:1]:
            values["draft"] = self.draft()
        return values

    def draft(self) -> str:
        if self._draft is None:
            imported = self.run(("import", "sentry"), REPO)
            assert imported.returncode == 0, imported.stderr
            listed = self.run(("drafts", "list", "--format", "json"), REPO)
            drafts = {d["action"]: d["id"] for d in json.loads(listed.stdout)["drafts"]}
            self._draft = drafts["list-issues"]
        return self._draft

    def cwd(self, command: str) -> Path:
        """A git repository with a changed manifest for the version commands; an empty
        directory with a catalog for ``new``; else the project."""
        if command in ("diff", "bump", "ci"):
            if not self.repo.exists():
                init(self.repo)
                changed = sentry()
                changed["actionTemplates"][0]["description"] += " Changed."
                write(self.repo, changed)
            return self.repo
        if command == "new":
            catalog = self.tmp / "hub" / "apps/hub/catalog"
            catalog.mkdir(parents=True, exist_ok=True)
            return catalog.parents[2]
        return REPO

    def case(self, command: str, args: tuple[str, ...]) -> subprocess.CompletedProcess[str]:
        values = self.values(args)
        return self.run(tuple(arg.format(**values) for arg in args), self.cwd(command))


@pytest.fixture
def workspace(tmp_path: Path) -> Workspace:
    return Workspace(tmp_path)


def test_every_command_has_a_case() -> None:
    missing = sorted(set(leaf_commands()) - set(CASES))
    assert missing == [], "add these commands to CASES"


def _present(command: str) -> None:
    if command not in leaf_commands():
        pytest.skip(f"no {command} command in this build")


@pytest.mark.parametrize("command", sorted(CASES))
def test_json_output_parses(command: str, workspace: Workspace) -> None:
    _present(command)
    case = CASES[command]
    if case.ok is None:
        pytest.skip(f"{command}: stdout is a protocol stream")
    for args in case.prep:
        done = workspace.case(command, args)
        assert done.returncode == 0, done.stderr
    result = workspace.case(command, case.ok)
    assert result.returncode in (0, 1), result.stderr
    json.loads(result.stdout)  # one document, nothing else


@pytest.mark.parametrize("command", sorted(CASES))
def test_an_exit_2_error_is_a_json_document_too(command: str, workspace: Workspace) -> None:
    _present(command)
    result = workspace.case(command, CASES[command].error)
    assert result.returncode == 2, (result.stdout, result.stderr)
    document = json.loads(result.stdout)
    assert document["ok"] is False and isinstance(document["error"]["message"], str)
    assert document["error"]["kind"] in ("usage", "error")
    assert isinstance(document["error"]["details"], list)
    assert result.stderr.strip(), "the error is on stderr as well"
    assert "Traceback" not in result.stderr


def test_without_format_json_an_error_leaves_stdout_empty(workspace: Workspace) -> None:
    result = workspace.run(("validate", str(workspace.tmp / "missing.json")), REPO)
    assert result.returncode == 2 and result.stdout == ""
    usage = workspace.run(("validate", "--nope", "--format", "text"), REPO)
    assert usage.returncode == 2 and usage.stdout == ""


def test_the_envelope_redacts_as_stderr_does(workspace: Workspace) -> None:
    token = "gh" + "p_" + "A1b2" * 9
    for args in (("validate", f"{token}.json", *J), ("validate", f"--{token}", *J)):
        result = workspace.run(args, REPO)
        assert result.returncode == 2
        assert token not in result.stdout + result.stderr
        assert json.loads(result.stdout)["ok"] is False


def test_the_drafts_list_filter_is_redacted(workspace: Workspace) -> None:
    token = "gh" + "p_" + "A1b2" * 9
    result = workspace.run(("drafts", "list", "--manifest", token, *J), REPO)
    assert result.returncode == 0, result.stderr
    assert token not in result.stdout + result.stderr
    assert json.loads(result.stdout)["filter"]["manifest"] != token


def test_an_internal_error_is_an_envelope(monkeypatch: pytest.MonkeyPatch, capfd) -> None:
    import hubtool.commands.validate as validate_module
    from hubtool.cli import main

    token = "gh" + "p_" + "A1b2" * 9

    def crash(options: object) -> int:
        raise RuntimeError(f"boom {token}")

    monkeypatch.delenv("HUBTOOL_DEBUG", raising=False)
    monkeypatch.setattr(validate_module, "run_validate", crash)
    with pytest.raises(SystemExit) as exited:
        main(["validate", str(SENTRY), "--format", "json"])
    assert exited.value.code == 2
    out, err = capfd.readouterr()
    document = json.loads(out)
    assert document["error"]["kind"] == "internal"
    assert "RuntimeError: boom" in document["error"]["message"]
    assert token not in out + err and "internal error" in err


def test_a_step_stopped_midway_reports_the_transitions_done(workspace: Workspace) -> None:
    draft = workspace.draft()
    result = workspace.run(("drafts", "validate", draft, "dr_nope", *J), REPO)
    assert result.returncode == 2
    document = json.loads(result.stdout)
    assert document["ok"] is False and "dr_nope" in document["error"]["message"]
    [done] = document["drafts"]
    assert (done["id"], done["from"], done["to"], done["ok"]) == (draft, "draft", "validated", True)


def test_lifecycle_json_gives_each_drafts_old_and_new_state(workspace: Workspace) -> None:
    draft = workspace.draft()
    result = workspace.run(("drafts", "test", draft, *J), REPO)
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["ok"] is True and document["step"] == "test"
    steps = [(d["step"], d["from"], d["to"]) for d in document["drafts"]]
    assert steps == [("validate", "draft", "validated"), ("test", "validated", "tested")]
    assert [r["example"] for r in document["drafts"][1]["requests"]]


def test_bump_json_gives_old_and_new_versions(workspace: Workspace) -> None:
    repo = workspace.cwd("bump")
    result = workspace.run(("bump", RELPATH, *J), repo)
    assert result.returncode == 0, result.stderr
    [entry] = json.loads(result.stdout)["manifests"]
    assert entry["from"] == "0.1.0" and entry["to"] == "0.1.1" and entry["bumped"] is True
    assert entry["base_version"] == "0.1.0" and entry["required_bump"] == "patch"
    commit(repo)
    again = json.loads(workspace.run(("bump", RELPATH, *J), repo).stdout)["manifests"]
    assert again[0]["bumped"] is False and again[0]["from"] == again[0]["to"] == "0.1.1"


def test_every_command_and_shape_is_documented() -> None:
    text = (REPO / "docs/JSON.md").read_text(encoding="utf-8")
    missing = [name for name in leaf_commands() if f"`hubtool {name}" not in text]
    assert missing == [], "document the JSON of these commands in docs/JSON.md"


def test_render_and_import_report_input_and_manifest_errors_as_json(
    workspace: Workspace, sentry_data: dict
) -> None:
    bad_input = workspace.tmp / "bad.json"
    bad_input.write_text(json.dumps({"path": {"organizationIdOrSlug": "../x"}}), "utf-8")
    args = ("render", "sentry", "list-projects", "--input", str(bad_input), *J)
    rendered = workspace.run(args, REPO)
    assert rendered.returncode == 1
    errors = json.loads(rendered.stdout)["input_errors"]
    assert len(errors) == 1 and "error input /path/organizationIdOrSlug" in errors[0]
    sentry_data["actionTemplates"][0]["approvalMode"] = "sometimes"
    manifest = workspace.tmp / "m.json"
    manifest.write_text(json.dumps(sentry_data, indent=2), encoding="utf-8")
    for args in (
        ("import", str(manifest), *J),
        ("render", str(manifest), "list-projects", "--input", str(bad_input), *J),
    ):
        result = workspace.run(args, REPO)
        assert result.returncode == 1, args
        report = json.loads(result.stdout)
        assert report["ok"] is False and report["findings"], args
