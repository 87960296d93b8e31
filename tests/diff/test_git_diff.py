"""End to end: `hubtool diff --base` and `hubtool bump` in real temporary git repositories."""

from __future__ import annotations

import copy
import json
import os
import re
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import SENTRY, run_cli

RELPATH = "apps/hub/catalog/integrations/sentry/sentry-api.json"
RESOLVE = 2  # index of resolve-issue in the Sentry manifest
CHANGE_KEYS = {"kind", "action", "pointer", "bump", "review", "message", "line", "column"}
MANIFEST_KEYS = {
    "file",
    "status",
    "old_version",
    "new_version",
    "required_bump",
    "minimum_version",
    "changes",
}
# Built at run time so no credential-shaped literal sits in the repository.
TOKEN = "sntrys_" + "eyJ" + "A1b2C3d4" * 5
TOKEN_PART = "A1b2C3d4A1b2"

Data = dict[str, Any]
Mutation = Callable[[Data], None]
Writer = Callable[[Data], str]


# --- a real git repository ------------------------------------------------------------------


def git(repo: Path, *args: str) -> str:
    """Run git in ``repo`` with a fixed identity and no user or system configuration."""
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    identity = ["-c", "user.name=hubtool tests", "-c", "user.email=tests@hubtool.invalid"]
    result = subprocess.run(
        ["git", *identity, "-c", "commit.gpgsign=false", *args],
        cwd=repo,
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    return result.stdout


def commit(repo: Path, message: str = "release") -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)


def indent2(data: Data) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def indent4(data: Data) -> str:
    return json.dumps(data, indent=4, ensure_ascii=False) + "\n"


def tabs(data: Data) -> str:
    return json.dumps(data, indent="\t", ensure_ascii=False) + "\n"


def one_line(data: Data) -> str:
    return json.dumps(data, ensure_ascii=False)


def one_line_tight(data: Data) -> str:
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False) + "\n"


def crlf(data: Data) -> str:
    return indent2(data).replace("\n", "\r\n")


def sentry() -> Data:
    return json.loads(SENTRY.read_text(encoding="utf-8"))


def manifest(repo: Path, relpath: str = RELPATH) -> Path:
    return repo / relpath


def write(repo: Path, data: Data, writer: Writer = indent2, relpath: str = RELPATH) -> Path:
    path = manifest(repo, relpath)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(writer(data).encode("utf-8"))
    return path


def read(repo: Path) -> Data:
    return json.loads(manifest(repo).read_text(encoding="utf-8"))


def edit(repo: Path, mutation: Mutation) -> None:
    data = read(repo)
    mutation(data)
    write(repo, data)


def make_repo(path: Path, data: Data | None = None, writer: Writer = indent2) -> Path:
    """A git repository whose one commit holds the Sentry manifest (or ``data``)."""
    path.mkdir()
    git(path, "init", "-q")
    write(path, sentry() if data is None else data, writer)
    commit(path, "initial release")
    return path


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return make_repo(tmp_path / "repo")


def diff(repo: Path, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return run_cli("diff", "--base", "HEAD", *args, cwd=cwd or repo)


def diff_json(repo: Path, *args: str) -> tuple[int, Data]:
    result = diff(repo, "--format", "json", *args)
    assert "Traceback" not in result.stderr, result.stderr
    return result.returncode, json.loads(result.stdout)


def bump(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_cli("bump", *args, cwd=repo)


def assert_no_traceback(result: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in result.stderr + result.stdout
    assert "internal error" not in result.stderr


# --- the mutations the issue names ----------------------------------------------------------


def change_path(data: Data) -> None:
    action = data["actionTemplates"][RESOLVE]
    action["path"] = "/api/0/organizations/{organizationIdOrSlug}/issues/{issueId}/resolve/"


def drop_enum_value(data: Data) -> None:
    status = data["actionTemplates"][RESOLVE]["inputs"]["body"]["properties"]["status"]
    status["enum"] = ["resolved"]


def loosen_approval(data: Data) -> None:
    data["actionTemplates"][RESOLVE]["approvalMode"] = "automatic"


def tighten_approval(data: Data) -> None:
    data["actionTemplates"][0]["approvalMode"] = "require_approval"


def edit_description(data: Data) -> None:
    data["actionTemplates"][RESOLVE]["description"] += " Reviewed."


def set_version(version: str) -> Mutation:
    def mutate(data: Data) -> None:
        data["version"] = version

    return mutate


def all_of(*mutations: Mutation) -> Mutation:
    def mutate(data: Data) -> None:
        for mutation in mutations:
            mutation(data)

    return mutate


def changed_lines(before: str, after: str) -> list[tuple[str, str]]:
    old, new = before.splitlines(keepends=True), after.splitlines(keepends=True)
    assert len(old) == len(new), "bump changed the number of lines"
    return [(a, b) for a, b in zip(old, new, strict=True) if a != b]


# --- no changes -----------------------------------------------------------------------------


def test_no_changes_passes(repo: Path) -> None:
    result = diff(repo)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == f"{RELPATH}: no changes (0.1.0)\n"
    assert result.stderr == ""


def test_no_changes_json(repo: Path) -> None:
    code, document = diff_json(repo)
    assert code == 0
    assert document["ok"] is True and document["base"] == "HEAD"
    [entry] = document["manifests"]
    assert entry["status"] == "unchanged" and entry["changes"] == []


def test_explicit_path_and_directory(repo: Path) -> None:
    assert diff(repo, RELPATH).returncode == 0
    assert diff(repo, "apps/hub/catalog").returncode == 0


# --- the "Done when" ----------------------------------------------------------------

DONE_WHEN = [
    pytest.param(change_path, "action-path-changed", "major", "0.2.0", id="path-changed"),
    pytest.param(drop_enum_value, "constraint-narrowed", "major", "0.2.0", id="enum-dropped"),
    pytest.param(loosen_approval, "approval-loosened", "major", "0.2.0", id="approval-loosened"),
    pytest.param(edit_description, "metadata-changed", "patch", "0.1.1", id="description"),
]


@pytest.mark.parametrize(("mutation", "kind", "level", "version"), DONE_WHEN)
def test_unbumped_change_fails_naming_kind_and_version(
    repo: Path, mutation: Mutation, kind: str, level: str, version: str
) -> None:
    edit(repo, mutation)
    result = diff(repo)
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"[{level}] {kind}: action 'resolve-issue'" in result.stdout
    assert f"{RELPATH}: 0.1.0 -> 0.1.0: FAILS; {level} changes need at least {version}" in (
        result.stdout
    )
    assert f"the content changed but the version is still 0.1.0; use {version}" in result.stdout


@pytest.mark.parametrize(("mutation", "kind", "level", "version"), DONE_WHEN)
def test_bump_fixes_only_the_version_then_the_gate_passes(
    repo: Path, mutation: Mutation, kind: str, level: str, version: str
) -> None:
    edit(repo, mutation)
    before = manifest(repo).read_text(encoding="utf-8")
    result = bump(repo)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == f"{RELPATH}: 0.1.0 -> {version} ({level} changes since HEAD)\n"
    after = manifest(repo).read_text(encoding="utf-8")
    assert changed_lines(before, after) == [
        ('  "version": "0.1.0",\n', f'  "version": "{version}",\n')
    ]
    passed = diff(repo)
    assert passed.returncode == 0, passed.stdout
    assert f"0.1.0 -> {version}: passes" in passed.stdout
    assert kind in passed.stdout


def test_all_three_major_changes_at_once_need_one_minor_bump_on_0x(repo: Path) -> None:
    edit(repo, all_of(change_path, drop_enum_value, loosen_approval, edit_description))
    code, document = diff_json(repo)
    assert code == 1
    [entry] = document["manifests"]
    kinds = sorted(change["kind"] for change in entry["changes"])
    assert kinds == [
        "action-path-changed",
        "approval-loosened",
        "constraint-narrowed",
        "metadata-changed",
    ]
    assert (entry["required_bump"], entry["minimum_version"]) == ("major", "0.2.0")


# --- bump preserves the file's formatting ---------------------------------------------------

WRITERS = [
    pytest.param(indent4, id="indent-4"),
    pytest.param(tabs, id="tabs"),
    pytest.param(one_line, id="single-line"),
    pytest.param(one_line_tight, id="single-line-no-spaces"),
    pytest.param(crlf, id="crlf"),
]


@pytest.mark.parametrize("writer", WRITERS)
def test_bump_keeps_unusual_formatting(tmp_path: Path, writer: Writer) -> None:
    repo = make_repo(tmp_path / "repo", writer=writer)
    path = manifest(repo)
    committed = path.read_bytes().decode("utf-8")
    # Edit the text itself (not a re-dump), so the file keeps the committed formatting.
    edited, count = re.subn(
        r'("approvalMode":\s*)"require_approval"', r'\1"automatic"', committed, count=1
    )
    assert count == 1
    path.write_bytes(edited.encode("utf-8"))
    assert diff(repo).returncode == 1
    result = bump(repo)
    assert result.returncode == 0, result.stderr
    after = path.read_bytes().decode("utf-8")
    version_at = re.search(r'"version":\s*"0\.1\.0"', edited)
    assert version_at is not None
    expected = edited[: version_at.start()] + version_at.group().replace("0.1.0", "0.2.0")
    assert after == expected + edited[version_at.end() :]
    [(old_line, new_line)] = changed_lines(edited, after)
    assert '"version"' in old_line and '"0.2.0"' in new_line
    assert list(json.loads(after)) == list(json.loads(committed))
    assert diff(repo).returncode == 0


def test_bump_keeps_file_mode(repo: Path) -> None:
    path = manifest(repo)
    path.chmod(0o640)
    edit(repo, loosen_approval)
    assert bump(repo).returncode == 0
    assert path.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in path.parent.iterdir()] == [path.name]


def test_bump_with_nothing_to_do_leaves_the_file_alone(repo: Path) -> None:
    before = manifest(repo).read_bytes()
    result = bump(repo)
    assert result.returncode == 0
    assert result.stdout == f"{RELPATH}: 0.1.0 passes the gate\n"
    assert manifest(repo).read_bytes() == before


def test_bump_leaves_a_sufficient_bigger_version(repo: Path) -> None:
    edit(repo, all_of(edit_description, set_version("0.3.0")))
    before = manifest(repo).read_bytes()
    assert bump(repo).returncode == 0
    assert manifest(repo).read_bytes() == before


def test_bump_restores_a_decreased_version_when_nothing_changed(repo: Path) -> None:
    edit(repo, set_version("0.0.9"))
    result = bump(repo)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == f"{RELPATH}: 0.0.9 -> 0.1.0 (no changes since HEAD)\n"
    assert read(repo)["version"] == "0.1.0"
    assert diff(repo).returncode == 0


def test_bump_fails_when_the_released_version_is_not_semver(tmp_path: Path) -> None:
    data = sentry()
    data["version"] = "banana"
    repo = make_repo(tmp_path / "repo", data)
    edit(repo, edit_description)
    before = manifest(repo).read_bytes()
    result = bump(repo)
    assert result.returncode == 1
    assert "cannot be bumped automatically" in result.stdout
    assert manifest(repo).read_bytes() == before


def test_bump_a_non_string_version_exits_2_without_traceback(repo: Path) -> None:
    data = read(repo)
    data["version"] = 1
    write(repo, data)
    result = bump(repo)
    assert result.returncode == 2
    assert_no_traceback(result)
    assert "the version is not a JSON string" in result.stderr


# --- JSON and markdown output ---------------------------------------------------------------


def value_text(text: str, line: int, column: int) -> str:
    """The file's text from 1-based (line, column) on."""
    return text.splitlines()[line - 1][column - 1 :]


def test_json_output_shape_and_positions(repo: Path) -> None:
    edit(repo, all_of(change_path, drop_enum_value, loosen_approval))
    code, document = diff_json(repo)
    assert code == 1
    assert {"ok", "base", "manifests"} <= set(document)
    assert document["ok"] is False and document["base"] == "HEAD"
    [entry] = document["manifests"]
    assert set(entry) >= MANIFEST_KEYS
    assert entry["file"] == RELPATH and entry["status"] == "changed"
    assert (entry["old_version"], entry["new_version"]) == ("0.1.0", "0.1.0")
    assert (entry["required_bump"], entry["minimum_version"]) == ("major", "0.2.0")
    text = manifest(repo).read_text(encoding="utf-8")
    data = json.loads(text)
    seen = {}
    for change in entry["changes"]:
        assert set(change) >= CHANGE_KEYS
        assert change["action"] == "resolve-issue" and change["bump"] == "major"
        seen[change["kind"]] = change
        value: Any = data
        for token in change["pointer"].split("/")[1:]:
            value = value[int(token)] if isinstance(value, list) else value[token]
        rendered = value_text(text, change["line"], change["column"])
        scalar = not isinstance(value, dict | list)
        assert rendered.startswith(json.dumps(value) if scalar else json.dumps(value)[0]), (
            change,
            rendered,
        )
    assert set(seen) == {"action-path-changed", "constraint-narrowed", "approval-loosened"}
    assert seen["action-path-changed"]["review"] is True
    assert seen["approval-loosened"]["review"] is True
    path_line = value_text(text, seen["action-path-changed"]["line"], 1)
    assert path_line.strip().startswith('"path": "/api/0/organizations/')
    assert value_text(text, seen["approval-loosened"]["line"], 1).strip() == (
        '"approvalMode": "automatic",'
    )
    assert value_text(text, seen["constraint-narrowed"]["line"], 1).strip() == '"enum": ['
    assert seen["constraint-narrowed"]["pointer"].endswith("/properties/status/enum")


def test_json_removed_action_points_into_the_old_file(repo: Path) -> None:
    def remove_resolve(data: Data) -> None:
        del data["actionTemplates"][RESOLVE]

    edit(repo, remove_resolve)
    code, document = diff_json(repo)
    assert code == 1
    [change] = document["manifests"][0]["changes"]
    assert change["kind"] == "action-removed" and change["side"] == "old"
    old = git(repo, "show", f"HEAD:{RELPATH}")
    assert value_text(old, change["line"], change["column"]).startswith("{")
    assert '"slug": "resolve-issue"' in old.splitlines()[change["line"]]


def test_markdown_has_one_table_row_per_change(repo: Path) -> None:
    edit(repo, all_of(change_path, drop_enum_value, loosen_approval, edit_description))
    _, document = diff_json(repo)
    changes = document["manifests"][0]["changes"]
    result = diff(repo, "--format", "markdown")
    assert result.returncode == 1
    assert result.stdout.startswith("### hubtool version gate: failed\n")
    assert f"#### `{RELPATH}`" in result.stdout
    assert "| review | bump | kind | action | change |" in result.stdout
    rows = [
        line for line in result.stdout.splitlines() if re.match(r"\| (yes)? *\| \w+ \| `", line)
    ]
    assert len(rows) == len(changes) == 4
    for change in changes:
        assert any(f"`{change['kind']}` | resolve-issue |" in row for row in rows), change
    assert sum(row.startswith("| yes |") for row in rows) == 2


# --- added and removed manifests ------------------------------------------------------------


def test_new_manifest_is_a_first_release_and_passes(repo: Path) -> None:
    data = sentry()
    data["slug"] = "acme-api"
    data["publisher"]["slug"] = "acme"
    relpath = "apps/hub/catalog/integrations/acme/acme-api.json"
    write(repo, data, relpath=relpath)
    result = diff(repo)
    assert result.returncode == 0, result.stdout
    assert f"{relpath}: first release 0.1.0 (passes)" in result.stdout
    _, document = diff_json(repo)
    statuses = {entry["file"]: entry["status"] for entry in document["manifests"]}
    assert statuses == {relpath: "added", RELPATH: "unchanged"}


def test_removed_manifest_is_reported_and_does_not_fail_the_gate(repo: Path) -> None:
    manifest(repo).unlink()
    result = diff(repo)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"{RELPATH}: manifest removed (was 0.1.0); review the removal" in result.stdout
    code, document = diff_json(repo)
    assert code == 0 and document["ok"] is True
    [entry] = document["manifests"]
    assert (entry["status"], entry["old_version"], entry["new_version"]) == (
        "removed",
        "0.1.0",
        None,
    )
    markdown = diff(repo, "--format", "markdown")
    assert markdown.returncode == 0 and "manifest removed" in markdown.stdout
    assert bump(repo).returncode == 0


def test_removed_manifest_with_non_ascii_path_is_reported(repo: Path) -> None:
    """git quotes non-ASCII names unless asked not to; the removal must not be missed."""
    relpath = "apps/hub/catalog/integrations/café/café-api.json"
    write(repo, sentry(), relpath=relpath)
    commit(repo, "add café")
    manifest(repo, relpath).unlink()
    _, document = diff_json(repo)
    statuses = {entry["file"]: entry["status"] for entry in document["manifests"]}
    assert statuses == {relpath: "removed", RELPATH: "unchanged"}


def test_removed_manifest_path_is_relative_to_the_working_directory(repo: Path) -> None:
    data = sentry()
    data["slug"] = "other-api"
    write(repo, data, relpath="apps/hub/catalog/integrations/sentry/other-api.json")
    commit(repo, "add other")
    manifest(repo).unlink()
    result = diff(repo, "--verbose", cwd=repo / "apps")  # unchanged ones only with --verbose
    assert result.returncode == 0, result.stderr
    assert "hub/catalog/integrations/sentry/other-api.json: no changes" in result.stdout
    assert "\nhub/catalog/integrations/sentry/sentry-api.json: manifest removed" in result.stdout


# --- runs that cannot complete exit 2 -------------------------------------------------------


def test_unknown_ref_exits_2(repo: Path) -> None:
    result = run_cli("diff", "--base", "nope", cwd=repo)
    assert result.returncode == 2
    assert_no_traceback(result)
    assert result.stderr.startswith("hubtool: error: unknown git ref 'nope'")
    assert run_cli("bump", "--base", "nope", cwd=repo).returncode == 2


def test_option_like_ref_exits_2(repo: Path) -> None:
    result = run_cli("diff", "--base=--output=x", cwd=repo)
    assert result.returncode == 2
    assert_no_traceback(result)
    assert "invalid git ref" in result.stderr
    assert not (repo / "x").exists()


def test_outside_a_git_repository_exits_2(tmp_path: Path) -> None:
    plain = tmp_path / "plain"
    write(plain, sentry())
    env = {**os.environ, "GIT_CEILING_DIRECTORIES": str(tmp_path)}
    result = run_cli("diff", "--base", "HEAD", cwd=plain, env=env)
    assert result.returncode == 2
    assert_no_traceback(result)
    assert "is not inside a git repository (needed for --base)" in result.stderr


def test_max_bytes_caps_each_manifest(repo: Path) -> None:
    result = diff(repo, "--max-bytes", "1000")
    assert result.returncode == 2
    assert_no_traceback(result)
    assert f"{RELPATH}:1:1: cannot diff: the file is larger than the 1000-byte limit" in (
        result.stderr
    )
    size = manifest(repo).stat().st_size
    assert diff(repo, "--max-bytes", str(size)).returncode == 0


def test_one_path_without_base_is_a_usage_error(repo: Path) -> None:
    result = run_cli("diff", RELPATH, cwd=repo)
    assert result.returncode == 2
    assert_no_traceback(result)
    assert "give two manifest files (OLD NEW), or --base REF [PATH...]" in result.stderr


def test_broken_json_in_the_work_tree_exits_2_with_its_position(repo: Path) -> None:
    path = manifest(repo)
    text = path.read_text(encoding="utf-8")
    broken = text.replace('"version": "0.1.0",', '"version": "0.1.0",,', 1)
    path.write_text(broken, encoding="utf-8")
    offset = broken.index(",,") + 1
    line = broken.count("\n", 0, offset) + 1
    column = offset - broken.rfind("\n", 0, offset)
    result = diff(repo)
    assert result.returncode == 2
    assert_no_traceback(result)
    assert result.stderr.startswith(f"hubtool: error: {RELPATH}:{line}:{column}: cannot diff: ")
    assert f"run 'hubtool validate {RELPATH}'" in result.stderr
    assert bump(repo).returncode == 2


def test_broken_json_at_the_ref_exits_2(repo: Path) -> None:
    good = manifest(repo).read_text(encoding="utf-8")
    manifest(repo).write_text(good[:200], encoding="utf-8")
    commit(repo, "broken")
    manifest(repo).write_text(good, encoding="utf-8")
    result = diff(repo)
    assert result.returncode == 2
    assert_no_traceback(result)
    assert re.search(rf"HEAD:{re.escape(RELPATH)}:\d+:\d+: cannot diff: ", result.stderr)
    assert f"see 'git show HEAD:{RELPATH}'" in result.stderr
    assert "hubtool validate HEAD:" not in result.stderr


# --- versions -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "mutation", [pytest.param(None, id="no-change"), pytest.param(edit_description, id="patch")]
)
def test_decreased_version_fails(repo: Path, mutation: Mutation | None) -> None:
    edit(repo, all_of(set_version("0.0.9"), *([mutation] if mutation else [])))
    result = diff(repo)
    assert result.returncode == 1
    assert "the version decreased from 0.1.0 to 0.0.9" in result.stdout


@pytest.mark.parametrize(
    ("mutation", "version"),
    [
        pytest.param(edit_description, "0.2.0", id="patch-change-minor-bump"),
        pytest.param(edit_description, "1.0.0", id="patch-change-major-bump"),
        pytest.param(loosen_approval, "1.0.0", id="major-change-1.0.0"),
        pytest.param(loosen_approval, "0.3.0", id="major-change-0.3.0"),
    ],
)
def test_bigger_than_needed_bump_passes(repo: Path, mutation: Mutation, version: str) -> None:
    edit(repo, all_of(mutation, set_version(version)))
    result = diff(repo)
    assert result.returncode == 0, result.stdout
    assert f"0.1.0 -> {version}: passes" in result.stdout


def test_version_bump_without_changes_passes(repo: Path) -> None:
    edit(repo, set_version("0.1.1"))
    assert diff(repo).returncode == 0


@pytest.mark.parametrize(
    ("mutation", "level", "version", "too_small"),
    [
        pytest.param(loosen_approval, "major", "2.0.0", "1.5.0", id="major"),
        pytest.param(tighten_approval, "minor", "1.5.0", "1.4.3", id="minor"),
        pytest.param(edit_description, "patch", "1.4.3", None, id="patch"),
    ],
)
def test_1x_versions(
    tmp_path: Path, mutation: Mutation, level: str, version: str, too_small: str | None
) -> None:
    data = sentry()
    data["version"] = "1.4.2"
    repo = make_repo(tmp_path / "repo", data)
    edit(repo, mutation)
    result = diff(repo)
    assert result.returncode == 1
    assert f"{level} changes need at least {version}" in result.stdout
    assert f"use {version}" in result.stdout
    if too_small:
        edit(repo, set_version(too_small))
        short = diff(repo)
        assert short.returncode == 1
        expected = f"{level} changes need at least {version}, but the version is {too_small}"
        assert expected in short.stdout
    assert bump(repo).returncode == 0
    assert read(repo)["version"] == version
    assert diff(repo).returncode == 0


# --- secrets are never printed --------------------------------------------------------------


def _in_description(data: Data) -> None:
    data["actionTemplates"][RESOLVE]["description"] += f" token {TOKEN}"


def _in_enum(data: Data) -> None:
    loosen = data["actionTemplates"][RESOLVE]["inputs"]["body"]["properties"]["status"]
    loosen["enum"].append(TOKEN)


def _in_action_slug(data: Data) -> None:
    action = copy.deepcopy(data["actionTemplates"][0])
    action["slug"] = TOKEN
    action["path"] = "/api/0/other/"
    data["actionTemplates"].append(action)


def _in_property_name(data: Data) -> None:
    body = data["actionTemplates"][RESOLVE]["inputs"]["body"]
    body["properties"][TOKEN] = {"type": "string", "maxLength": 5}


def _in_parameter_name(data: Data) -> None:
    data["actionTemplates"][1]["inputs"]["parameters"][1]["name"] = TOKEN


def _in_object_key(data: Data) -> None:
    data["compatibility"][TOKEN] = "x"


def _in_action_key(data: Data) -> None:
    data["actionTemplates"][RESOLVE][TOKEN] = "x"


@pytest.mark.parametrize(
    "mutation",
    [
        pytest.param(_in_description, id="description"),
        pytest.param(_in_enum, id="enum-value"),
        pytest.param(_in_action_slug, id="action-slug"),
        pytest.param(_in_property_name, id="body-property-name"),
        pytest.param(_in_parameter_name, id="parameter-name"),
        pytest.param(_in_object_key, id="manifest-object-key"),
        pytest.param(_in_action_key, id="action-key"),
    ],
)
def test_secrets_are_redacted_in_every_format(repo: Path, mutation: Mutation) -> None:
    edit(repo, mutation)
    for fmt in ("text", "json", "markdown"):
        result = diff(repo, "--format", fmt)
        assert result.returncode == 1, (fmt, result.stdout, result.stderr)
        assert result.stdout.strip(), fmt
        output = result.stdout + result.stderr
        assert TOKEN_PART not in output, (fmt, output)
    bumped = bump(repo)
    assert TOKEN_PART not in bumped.stdout + bumped.stderr


# --- reordering is not a change -------------------------------------------------------------


def reverse_keys(value: Any) -> Any:
    """Every object with its keys in reverse order; arrays keep their order."""
    if isinstance(value, dict):
        return {key: reverse_keys(value[key]) for key in reversed(list(value))}
    if isinstance(value, list):
        return [reverse_keys(item) for item in value]
    return value


def reverse_actions(data: Data) -> None:
    data["actionTemplates"].reverse()


def reverse_parameters(data: Data) -> None:
    for action in data["actionTemplates"]:
        action["inputs"]["parameters"].reverse()


@pytest.mark.parametrize(
    "reorder",
    [
        pytest.param(reverse_actions, id="actions"),
        pytest.param(reverse_parameters, id="parameters"),
        pytest.param(None, id="object-keys"),
        pytest.param(all_of(reverse_actions, reverse_parameters), id="all"),
    ],
)
def test_reorder_only_is_no_change(repo: Path, reorder: Mutation | None) -> None:
    data = reverse_keys(read(repo)) if reorder is None else read(repo)
    if reorder is not None:
        reorder(data)
    write(repo, data, tabs)
    assert manifest(repo).read_text(encoding="utf-8") != git(repo, "show", f"HEAD:{RELPATH}")
    result = diff(repo)
    assert result.returncode == 0, result.stdout
    assert result.stdout == f"{RELPATH}: no changes (0.1.0)\n"
    _, document = diff_json(repo)
    assert document["manifests"][0]["changes"] == []
    assert bump(repo).stdout == f"{RELPATH}: 0.1.0 passes the gate\n"
