"""Issue 13: the diff and the version gate tell the truth on real histories.

Each numbered case of the issue is a test here; the expected values are the issue's. Git cases
run on real repositories (``tests/gitrepo.py``), the shallow one on a real ``--depth 1`` clone
through a ``file://`` URL.
"""

from __future__ import annotations

import copy
import json
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import semver
from conftest import run_cli
from gitrepo import RELPATH, RESOLVE, commit, git, git_env, init, read, sentry, write

from hubtool.diff.classify import diff
from hubtool.diff.gate import gate, minimum_version, satisfies

Data = dict[str, Any]
QUERY = ("actionTemplates", 0, "inputs", "parameters", 3, "schema")  # list-projects ?query
PER_PAGE = ("actionTemplates", 0, "inputs", "parameters", 2, "schema")  # integer 1..100
BODY = ("actionTemplates", RESOLVE, "inputs", "body")
IN_RELEASE = (*BODY, "properties", "statusDetails", "properties", "inRelease")
STATUS = (*BODY, "properties", "status")


def at(data: Data, path: tuple[Any, ...]) -> Any:
    for step in path:
        data = data[step]
    return data


def changed(mutate: Callable[[Data], None]) -> list[Any]:
    old = sentry()
    new = copy.deepcopy(old)
    mutate(new)
    return diff(old, new)


def kinds(changes: list[Any]) -> list[tuple[str, str]]:
    return [(c.kind, c.bump) for c in changes]


# --- 1. nullable widening -------------------------------------------------------------------


def test_nullable_widening_is_minor_and_names_the_types() -> None:
    changes = changed(lambda d: at(d, QUERY).update(type=["string", "null"]))
    assert kinds(changes) == [("constraint-widened", "minor")]
    assert changes[0].pointer == "/actionTemplates/0/inputs/parameters/3/schema/type"
    assert "'null' | 'string'" in changes[0].message and "<list" not in changes[0].message
    assert gate("0.1.0", "0.1.1", changes).required_bump == "minor"


def test_dropping_null_is_a_narrowing() -> None:
    old = sentry()
    at(old, QUERY)["type"] = ["string", "null"]
    new = copy.deepcopy(old)
    at(new, QUERY)["type"] = "string"
    assert kinds(diff(old, new)) == [("constraint-narrowed", "major")]


@pytest.mark.parametrize(
    ("before", "after", "kind"),
    [
        ("integer", "number", "constraint-widened"),
        ("number", "integer", "constraint-narrowed"),
        ("integer", ["integer", "string"], "constraint-widened"),
        ("integer", "string", "input-type-changed"),
        (["integer", "null"], ["string", "null"], "input-type-changed"),
    ],
)
def test_type_judged_by_accepted_values(before: Any, after: Any, kind: str) -> None:
    old = sentry()
    at(old, PER_PAGE)["type"] = before
    new = copy.deepcopy(old)
    at(new, PER_PAGE)["type"] = after
    assert [c.kind for c in diff(old, new)] == [kind]


def test_enum_null_counts_only_when_the_type_admits_null() -> None:
    """An enum value the type rejects was never accepted: adding it changes nothing."""
    old = sentry()
    new = copy.deepcopy(old)
    at(new, STATUS)["enum"] = [*at(old, STATUS)["enum"], None]
    assert diff(old, new) == []
    at(new, STATUS)["type"] = ["string", "null"]
    changes = diff(old, new)
    assert kinds(changes) == [("constraint-widened", "minor")]
    assert "enum value null added" in changes[0].message


# --- 2. equivalent spellings ----------------------------------------------------------------


def _reverse_enum(d: Data) -> None:
    at(d, STATUS)["enum"].reverse()


def _reverse_required(d: Data) -> None:
    inner = at(d, (*BODY, "properties", "statusDetails", "properties", "inCommit"))
    inner["required"].reverse()


def _type_as_list(d: Data) -> None:
    declared = at(d, QUERY)["type"]
    at(d, QUERY)["type"] = [declared] if isinstance(declared, str) else declared


def _float_bound(d: Data) -> None:
    at(d, PER_PAGE)["maximum"] = float(at(d, PER_PAGE)["maximum"])


def _integer_and_number(d: Data) -> None:
    at(d, PER_PAGE)["type"] = ["number", "integer"]
    at(d, (*PER_PAGE,))["minimum"] = 1.0


def _repeated_enum_value(d: Data) -> None:
    at(d, STATUS)["enum"].append(at(d, STATUS)["enum"][0])


def _zero_minimum_length(d: Data) -> None:
    at(d, QUERY).setdefault("minLength", 0)
    at(d, QUERY).setdefault("uniqueItems", False)


EQUIVALENT = [_reverse_enum, _reverse_required, _type_as_list, _float_bound, _repeated_enum_value]
EQUIVALENT += [_zero_minimum_length]


@pytest.mark.parametrize("spelling", EQUIVALENT)
def test_equivalent_spellings_are_no_change(spelling: Callable[[Data], None]) -> None:
    assert changed(spelling) == []
    assert gate("0.1.0", "0.1.0", changed(spelling)).ok


def test_const_is_a_one_value_enum() -> None:
    old = sentry()
    new = copy.deepcopy(old)
    at(old, PER_PAGE)["const"] = 7
    at(new, PER_PAGE)["enum"] = [7]
    assert diff(old, new) == [] and diff(new, old) == []
    at(new, PER_PAGE)["enum"] = [7, 8]
    assert kinds(diff(old, new)) == [("constraint-widened", "minor")]


def test_integer_next_to_number_is_number() -> None:
    old = sentry()
    at(old, PER_PAGE)["type"] = "number"
    new = copy.deepcopy(old)
    _integer_and_number(new)
    assert diff(old, new) == []


def test_a_real_change_survives_the_canonical_form() -> None:
    """Canonical forms must not hide a difference: a reordered enum with a value replaced."""

    def swap(d: Data) -> None:
        at(d, STATUS)["enum"] = ["resolvedInNextRelease", "ignored"]

    assert sorted(c.kind for c in changed(swap)) == ["constraint-narrowed", "constraint-widened"]


def test_equivalent_spellings_in_a_real_repository(tmp_path: Path) -> None:
    repo = init(tmp_path / "repo")
    data = sentry()
    for spelling in EQUIVALENT:
        spelling(data)
    write(repo, data)
    result = run_cli("diff", "--base", "HEAD", "--format", "json", cwd=repo, env=git_env())
    assert result.returncode == 0, result.stdout + result.stderr
    entry = json.loads(result.stdout)["manifests"][0]
    assert (entry["status"], entry["changes"], entry["required_bump"]) == ("unchanged", [], "none")


# --- 8 (part). messages name the field ------------------------------------------------------


def test_messages_name_the_field() -> None:
    lowered = changed(lambda d: at(d, IN_RELEASE).update(maxLength=100))
    assert kinds(lowered) == [("constraint-narrowed", "major")]
    assert "statusDetails.inRelease: maxLength 200 → 100" in lowered[0].message
    added = changed(lambda d: at(d, STATUS)["enum"].append("ignored"))
    assert "status: enum value 'ignored' added" in added[0].message


# --- 3. pre-releases (SemVer 2.0.0 section 11) ----------------------------------------------


def _removed_action(d: Data) -> None:
    del d["actionTemplates"][0]


def _description(d: Data) -> None:
    d["description"] += " More."


@pytest.mark.parametrize(
    ("old", "new", "mutate"),
    [
        ("1.9.9", "2.0.0-rc.1", _removed_action),
        ("2.0.0-rc.1", "2.0.0-rc.2", _description),
        ("1.2.3", "1.2.4-alpha", _description),
        ("0.1.0", "0.2.0-beta.1", _removed_action),
    ],
)
def test_a_prerelease_of_the_required_version_passes(
    old: str, new: str, mutate: Callable[[Data], None]
) -> None:
    verdict = gate(old, new, changed(mutate))
    assert verdict.ok, verdict.problems


@pytest.mark.parametrize(
    ("old", "new", "mutate"),
    [
        ("1.2.3", "1.3.0-rc.1", _removed_action),  # a pre-release of too small a release
        ("2.0.0-rc.2", "2.0.0-rc.1", _description),  # below the base
        ("2.0.0-rc.1", "2.0.0-rc.1+build.7", _description),  # build metadata is not a bump
        ("2.0.0", "2.0.0-rc.9", _description),  # a pre-release sorts before its release
    ],
)
def test_prereleases_that_fail(old: str, new: str, mutate: Callable[[Data], None]) -> None:
    verdict = gate(old, new, changed(mutate))
    assert not verdict.ok


VERSIONS = [
    "0.1.0", "0.1.1-rc.1", "0.1.1", "0.2.0-alpha", "0.2.0", "1.0.0-alpha", "1.0.0-alpha.1",
    "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1",
    "1.0.0", "1.0.1-0", "1.0.1", "1.1.0-rc.1+build.5", "1.1.0", "2.0.0-rc.1", "2.0.0-rc.2",
    "2.0.0", "2.0.0+build.1",
]  # fmt: skip


@pytest.mark.parametrize("level", ["none", "patch", "minor", "major"])
def test_gate_agrees_with_semver_ordering(level: str) -> None:
    """The oracle is the ``semver`` package: a pass is always above the base (or equal with no
    change) and never below a pre-release of the minimum release."""
    changes = {"none": [], "patch": changed(_description)}
    changes["minor"] = changed(lambda d: d["actionTemplates"].append(_new_action(d)))
    changes["major"] = changed(_removed_action)
    for old in VERSIONS:
        minimum = semver.Version.parse(minimum_version(old, level))
        for new in VERSIONS:
            verdict = gate(old, new, changes[level])
            o, n = semver.Version.parse(old), semver.Version.parse(new)
            if level == "none":
                expected = n >= o
            else:
                expected = n > o and (n >= minimum or n.finalize_version() >= minimum)
            assert verdict.ok is expected, (old, new, level, verdict.problems)
            assert verdict.required_bump == level


def _new_action(d: Data) -> Data:
    action = copy.deepcopy(d["actionTemplates"][0])
    action["slug"] = "list-projects-again"
    action["path"] = action["path"] + "again/"
    return action


def test_satisfies_is_semver_precedence() -> None:
    parse = semver.Version.parse
    assert satisfies(parse("1.9.9"), parse("2.0.0-rc.1"), "2.0.0")
    assert not satisfies(parse("2.0.0-rc.1"), parse("2.0.0-rc.1"), "2.0.0")


# --- 4. no change ---------------------------------------------------------------------------


def test_identical_documents_need_no_bump(tmp_path: Path) -> None:
    old = tmp_path / "old.json"
    old.write_text(json.dumps(sentry()), encoding="utf-8")
    result = run_cli("diff", str(old), str(old), "--format", "json")
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert (document["required_bump"], document["ok"]) == ("none", True)


# --- 5. shallow clones and the one merge-base rule ------------------------------------------


def _fork(tmp_path: Path) -> Path:
    """``origin``: ``feature`` forked from main at 0.1.0 (a description edit, 0.1.1); main then
    moved on (an action removed, 0.2.0)."""
    origin = init(tmp_path / "origin")
    git(origin, "checkout", "-q", "-b", "feature")
    data = sentry()
    data["description"] += " Edited on the branch."
    data["version"] = "0.1.1"
    write(origin, data)
    commit(origin, "feature: describe")
    git(origin, "checkout", "-q", "main")
    data = sentry()
    del data["actionTemplates"][0]
    data["version"] = "0.2.0"
    write(origin, data)
    commit(origin, "main: drop an action")
    return origin


def _clone(origin: Path, target: Path, *depth: str) -> Path:
    git(target.parent, "clone", "-q", *depth, "--branch", "feature", origin.as_uri(), str(target))
    git(target, "fetch", "-q", *depth, "origin", "main:refs/remotes/origin/main")
    return target


@pytest.mark.parametrize(
    "command",
    [
        ("ci", "--base", "origin/main"),
        ("diff", "--base", "origin/main"),
        ("bump", "--base", "origin/main"),
    ],
)
def test_a_shallow_clone_without_the_merge_base_exits_2(
    tmp_path: Path, command: tuple[str, ...]
) -> None:
    clone = _clone(_fork(tmp_path), tmp_path / "shallow", "--depth", "1")
    assert git(clone, "rev-parse", "--is-shallow-repository").strip() == "true"
    before = (clone / RELPATH).read_bytes()
    result = run_cli(*command, cwd=clone, env=git_env())
    assert result.returncode == 2, result.stdout + result.stderr
    assert (
        "fetch-depth: 0" in result.stderr and "no merge base between 'origin/main'" in result.stderr
    )
    assert "Traceback" not in result.stderr
    assert "action-removed" not in result.stdout and "decreased" not in result.stdout
    assert (clone / RELPATH).read_bytes() == before


@pytest.mark.parametrize("command", ["ci", "diff", "bump"])
def test_diff_bump_and_ci_compare_with_the_merge_base(tmp_path: Path, command: str) -> None:
    """With the whole history, main's newer changes are not the branch's own, for all three."""
    clone = _clone(_fork(tmp_path), tmp_path / "full")
    result = run_cli(command, "--base", "origin/main", cwd=clone, env=git_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "action-removed" not in result.stdout and "decreased" not in result.stdout
    assert read(clone)["version"] == "0.1.1"


@pytest.mark.parametrize("command", ["ci", "diff", "bump"])
def test_help_states_the_merge_base_rule(command: str) -> None:
    result = run_cli(command, "--help")
    text = " ".join(result.stdout.split())
    assert "merge base of REF and HEAD" in text and "fetch-depth: 0" in text


def test_object_reads_share_one_cat_file_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ten manifests at a ref: one ``git cat-file --batch``, no ``cat-file`` per file."""
    from hubtool.diff import gitrefs
    from hubtool.diff.compare import compare_to_ref

    repo = init(tmp_path / "repo")
    for index in range(10):
        data = sentry()
        data["slug"] = f"sentry-{index}"
        write(repo, data, f"apps/hub/catalog/integrations/sentry/sentry-{index}.json")
    commit(repo, "ten more")
    gitrefs.close_readers()
    started: list[list[str]] = []
    real_run, real_popen = subprocess.run, subprocess.Popen

    def run(args: list[str], *rest: Any, **kw: Any) -> Any:
        started.append(list(args))
        return real_run(args, *rest, **kw)

    def popen(args: list[str], *rest: Any, **kw: Any) -> Any:
        started.append(list(args))
        return real_popen(args, *rest, **kw)

    monkeypatch.setattr(subprocess, "run", run)
    monkeypatch.setattr(subprocess, "Popen", popen)
    monkeypatch.chdir(repo)
    results = compare_to_ref("HEAD", [Path("apps/hub/catalog")])
    gitrefs.close_readers()
    assert len(results) == 11 and all(r.status == "unchanged" for r in results)
    cat_files = [a for a in started if "cat-file" in a]
    assert cat_files == [[*cat_files[0][:3], "cat-file", "--batch"]]


# --- 6. removed things point at a file that exists ------------------------------------------


def _line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), start=1) if needle in line)


def _drop_first_action(repo: Path) -> tuple[str, str]:
    """Remove list-projects (a major change) at 0.2.0; returns (old text, new text)."""
    old_text = (repo / RELPATH).read_text(encoding="utf-8")
    data = read(repo)
    del data["actionTemplates"][0]
    data["version"] = "0.2.0"
    write(repo, data)
    return old_text, (repo / RELPATH).read_text(encoding="utf-8")


def _sarif_results(result: subprocess.CompletedProcess[str]) -> list[dict[str, Any]]:
    assert result.returncode in (0, 1), result.stderr
    return json.loads(result.stdout)["runs"][0]["results"]


@pytest.mark.parametrize("command", [("diff", "--base", "HEAD"), ("ci", "--base", "HEAD")])
def test_a_removed_action_points_at_the_new_files_action_templates(
    tmp_path: Path, command: tuple[str, ...]
) -> None:
    repo = init(tmp_path / "repo")
    old_text, new_text = _drop_first_action(repo)
    was = _line_of(old_text, '"actionTemplates"') + 1  # the removed action's opening brace
    results = _sarif_results(run_cli(*command, "--format", "sarif", cwd=repo, env=git_env()))
    (removed,) = [r for r in results if r["ruleId"] == "action-removed"]
    location = removed["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": RELPATH, "uriBaseId": "%SRCROOT%"}
    assert location["region"]["startLine"] == _line_of(new_text, '"actionTemplates"')
    assert f"was at line {was} of " in removed["message"]["text"]
    github = run_cli(*command, "--format", "github", cwd=repo, env=git_env()).stdout
    (line,) = [g for g in github.splitlines() if "title=action-removed" in g]
    assert line.startswith(f"::notice file={RELPATH},line={location['region']['startLine']},")
    assert "%3A" not in line.split("::")[1]  # no "<ref>:path" file names


def test_a_removed_parameter_points_at_its_actions_parameters(tmp_path: Path) -> None:
    repo = init(tmp_path / "repo")
    data = read(repo)
    removed = data["actionTemplates"][1]["inputs"]["parameters"].pop(1)
    data["version"] = "0.2.0"
    write(repo, data)
    new_text = (repo / RELPATH).read_text(encoding="utf-8")
    result = run_cli("diff", "--base", "HEAD", "--format", "sarif", cwd=repo, env=git_env())
    (finding,) = [r for r in _sarif_results(result) if r["ruleId"] == "input-removed"]
    start = _line_of(new_text, '"slug": "list-issues"')
    expected = start + _line_of("\n".join(new_text.splitlines()[start:]), '"parameters"')
    assert finding["locations"][0]["physicalLocation"]["region"]["startLine"] == expected
    assert repr(removed["name"]) in finding["message"]["text"]


def test_base_version_lines_are_tagged_in_text(tmp_path: Path) -> None:
    repo = init(tmp_path / "repo")
    old_text, _ = _drop_first_action(repo)
    was = _line_of(old_text, '"actionTemplates"') + 1
    result = run_cli("diff", "--base", "HEAD", cwd=repo, env=git_env())
    (line,) = [t for t in result.stdout.splitlines() if "action-removed" in t]
    assert line.endswith(f"(base version line {was})")


def test_a_deleted_manifest_has_no_file_location_and_is_in_the_summary(tmp_path: Path) -> None:
    repo = init(tmp_path / "repo")
    other = "apps/hub/catalog/integrations/acme/acme-api.json"
    data = sentry()
    data["slug"], data["publisher"]["slug"] = "acme-api", "acme"
    write(repo, data, other)
    commit(repo, "acme")
    (repo / other).unlink()
    results = _sarif_results(run_cli("ci", "--base", "HEAD", "--format", "sarif", cwd=repo))
    (note,) = [r for r in results if r["ruleId"] == "version-gate"]
    assert note["locations"] == [] and other in note["message"]["text"]
    markdown = run_cli("diff", "--base", "HEAD", "--format", "markdown", cwd=repo, env=git_env())
    assert f"Removed manifests: `{other}`" in markdown.stdout


def test_sarif_uris_are_relative_to_the_repository_root_from_a_subdirectory(
    tmp_path: Path,
) -> None:
    repo = init(tmp_path / "repo")
    data = read(repo)
    data["version"] = "not-a-version"
    write(repo, data)
    cwd = repo / "apps/hub"
    result = run_cli("validate", "--format", "sarif", "catalog", cwd=cwd, env=git_env())
    uris = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in _sarif_results(result)
    }
    assert uris == {RELPATH}
    deep = repo / "apps/hub/catalog/integrations/sentry"
    result = run_cli("validate", "--format", "sarif", "sentry-api.json", cwd=deep, env=git_env())
    uris = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in _sarif_results(result)
    }
    assert uris == {RELPATH}


# --- 7. bump through a symbolic link --------------------------------------------------------


def _loosen(repo: Path) -> None:
    data = read(repo)
    data["actionTemplates"][RESOLVE]["approvalMode"] = "automatic"
    write(repo, data)


def test_bump_writes_through_a_link_to_its_target(tmp_path: Path) -> None:
    repo = init(tmp_path / "repo")
    link = repo / "link.json"
    link.symlink_to(RELPATH)
    commit(repo, "a link")
    _loosen(repo)
    result = run_cli("bump", "link.json", cwd=repo, env=git_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert link.is_symlink() and read(repo)["version"] == "0.2.0"


def test_bump_refuses_a_link_outside_the_repository(tmp_path: Path) -> None:
    repo = init(tmp_path / "repo")
    outside = tmp_path / "outside.json"
    outside.write_bytes((repo / RELPATH).read_bytes())
    link = repo / "apps/hub/catalog/integrations/sentry/outside.json"
    link.symlink_to(outside)
    before = outside.read_bytes()
    result = run_cli("bump", str(link.relative_to(repo)), cwd=repo, env=git_env())
    assert result.returncode == 2, result.stdout + result.stderr
    assert "outside" in result.stderr and "Traceback" not in result.stderr
    assert outside.read_bytes() == before and link.is_symlink()


def test_write_target_refuses_a_link_out_of_the_root(tmp_path: Path) -> None:
    from hubtool.core.errors import HubtoolError
    from hubtool.diff.bump import write_target

    root, outside = tmp_path / "root", tmp_path / "real.json"
    root.mkdir()
    outside.write_text("{}", encoding="utf-8")
    (root / "inside.json").write_text("{}", encoding="utf-8")
    (root / "a.json").symlink_to(outside)
    (root / "b.json").symlink_to(root / "inside.json")
    with pytest.raises(HubtoolError, match="not a file inside the repository"):
        write_target(root / "a.json", root)
    assert write_target(root / "b.json", root) == (root / "inside.json").resolve()
    assert write_target(root / "inside.json", root) == root / "inside.json"


# --- the oracle: deepdiff on the canonical forms --------------------------------------------


def _raise_maximum(d: Data) -> None:
    at(d, PER_PAGE)["maximum"] = 500


def _nullable(d: Data) -> None:
    at(d, QUERY)["type"] = ["null", "string"]


def _drop_required(d: Data) -> None:
    at(d, BODY)["required"] = []


def _loosen_approval(d: Data) -> None:
    d["actionTemplates"][RESOLVE]["approvalMode"] = "automatic"


REAL = [_raise_maximum, _nullable, _drop_required, _description, _loosen_approval]


def test_deepdiff_agrees_on_canonical_forms() -> None:
    """Over random mixes of spellings and real edits: hubtool reports a change exactly when
    deepdiff (order-free) sees a difference between the canonical forms, and only real edits
    make one."""
    import random

    from deepdiff import DeepDiff

    from hubtool.diff.canonical import canonical_document

    rng = random.Random(13)
    old = sentry()
    for _ in range(120):
        picked = rng.sample([*EQUIVALENT, *REAL], rng.randint(1, 4))
        new = copy.deepcopy(old)
        for mutate in picked:
            mutate(new)
        differs = DeepDiff(canonical_document(old), canonical_document(new), ignore_order=True)
        real = any(m in REAL for m in picked)
        assert bool(diff(old, new)) is real is bool(differs), [m.__name__ for m in picked]


def test_a_file_name_with_a_newline_is_read_at_the_ref(tmp_path: Path) -> None:
    """The batch protocol is line-based: such a name is read on its own, not misread."""
    repo = init(tmp_path / "repo")
    odd = "apps/hub/catalog/integrations/sentry/odd\nname.json"
    data = sentry()
    data["slug"] = "odd-api"
    write(repo, data, odd)
    commit(repo, "odd")
    data["description"] += " Edited."
    write(repo, data, odd)
    from hubtool.diff import gitrefs

    head = gitrefs.resolve(repo, "HEAD")
    stored = json.loads(gitrefs.read(repo, head, odd) or b"null")
    assert stored["slug"] == "odd-api" and not stored["description"].endswith(" Edited.")
    plain = "apps/hub/catalog/integrations/sentry/sentry-api.json"
    after = json.loads(gitrefs.read(repo, head, plain) or b"null")
    assert after["slug"] == "sentry-api"  # the batch reader is still in step
    # the command refuses such a name (catalog-tree) with exit 2 rather than misreading it
    result = run_cli("diff", "--base", "HEAD", "--format", "json", cwd=repo, env=git_env())
    assert result.returncode == 2 and "control or invisible" in result.stderr


def test_a_megabyte_of_enum_values_classifies_quickly() -> None:
    """Canonical forms stay linear-ish (one sort): 1 MiB of enum values in well under 2 CPU s
    (CPU time, not wall: the suite runs on shared cores)."""
    import time

    old = sentry()
    values = [f"v{i:07d}" for i in range(100_000)]
    at(old, STATUS)["enum"] = values
    new = copy.deepcopy(old)
    at(new, STATUS)["enum"] = list(reversed(values))[1:]
    started = time.process_time()
    changes = diff(old, new)
    assert time.process_time() - started < 2
    assert kinds(changes) == [("constraint-narrowed", "major")]


# --- 3 (bump). bump keeps a pre-release a pre-release ---------------------------------------


@pytest.mark.parametrize(
    ("released", "declared", "written"),
    [
        ("1.2.3", "1.3.0-rc.1", "2.0.0-rc.1"),  # the same pre-release of the required release
        ("2.0.0-rc.1", "2.0.0-rc.1", "2.0.0-rc.2"),  # the next pre-release after the base
        ("1.2.3", "1.2.3", "2.0.0"),  # a release stays a release
    ],
)
def test_bump_follows_semver_precedence(
    tmp_path: Path, released: str, declared: str, written: str
) -> None:
    repo = init(tmp_path / "repo")
    data = read(repo)
    data["version"] = released
    write(repo, data)
    commit(repo, released)
    data["version"] = declared
    del data["actionTemplates"][0]
    write(repo, data)
    result = run_cli("bump", cwd=repo, env=git_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert read(repo)["version"] == written
    assert gate(released, written, diff(sentry() | {"version": released}, read(repo))).ok
    assert run_cli("diff", "--base", "HEAD", cwd=repo, env=git_env()).returncode == 0


# --- 8. readability -------------------------------------------------------------------------


def _two_manifests(tmp_path: Path) -> Path:
    repo = init(tmp_path / "repo")
    other = sentry()
    other["slug"], other["publisher"]["slug"] = "acme-api", "acme"
    write(repo, other, "apps/hub/catalog/integrations/acme/acme-api.json")
    commit(repo, "acme")
    return repo


def test_text_and_markdown_list_changed_manifests_only(tmp_path: Path) -> None:
    repo = _two_manifests(tmp_path)
    _loosen(repo)
    for fmt in ("text", "markdown"):
        result = run_cli("diff", "--base", "HEAD", "--format", fmt, cwd=repo, env=git_env())
        assert result.returncode == 1
        assert RELPATH in result.stdout and "acme-api.json" not in result.stdout
        assert "1 unchanged manifest(s) not listed (--verbose lists them)" in result.stdout
        verbose = run_cli("diff", "--base", "HEAD", "--format", fmt, "--verbose", cwd=repo)
        assert "acme-api.json" in verbose.stdout and "no changes (0.1.0)" in verbose.stdout


def test_nothing_changed_is_one_line(tmp_path: Path) -> None:
    repo = _two_manifests(tmp_path)
    result = run_cli("diff", "--base", "HEAD", cwd=repo, env=git_env())
    assert (result.returncode, result.stdout) == (0, "no manifest changed (2 compared)\n")


def test_a_failing_gate_says_bump_writes_it(tmp_path: Path) -> None:
    repo = init(tmp_path / "repo")
    _loosen(repo)
    for fmt in ("text", "markdown", "json"):
        result = run_cli("diff", "--base", "HEAD", "--format", fmt, cwd=repo, env=git_env())
        assert result.returncode == 1  # (markdown may escape the backticks)
        assert "hubtool bump" in result.stdout and "writes it" in result.stdout


def test_a_new_version_that_fails_validate_is_said(tmp_path: Path) -> None:
    """The gate passes (0.2.0 for a major change) but the new version is invalid: said."""
    repo = init(tmp_path / "repo")
    data = read(repo)
    data["actionTemplates"][RESOLVE]["approvalMode"] = "automatic"
    data["actionTemplates"][RESOLVE]["method"] = "TELEPORT"  # not an HTTP method
    data["version"] = "0.2.0"
    write(repo, data)
    validate = run_cli("validate", RELPATH, "--format", "json", cwd=repo, env=git_env())
    rules = {f["rule"] for f in json.loads(validate.stdout)["findings"] if f["severity"] == "error"}
    assert rules
    text = run_cli("diff", "--base", "HEAD", cwd=repo, env=git_env())
    assert text.returncode == 0, text.stdout + text.stderr  # the gate itself passes
    assert "passes" in text.stdout and "this version fails validate" in text.stdout
    assert all(rule in text.stdout for rule in rules)
    markdown = run_cli("diff", "--base", "HEAD", "--format", "markdown", cwd=repo)
    assert "- **warning:** this version fails validate" in markdown.stdout
    document = json.loads(run_cli("diff", "--base", "HEAD", "--format", "json", cwd=repo).stdout)
    assert set(document["manifests"][0]["validate_errors"]) == rules


def test_a_valid_new_version_has_no_validate_note(tmp_path: Path) -> None:
    repo = init(tmp_path / "repo")
    data = read(repo)
    data["description"] += " More."
    data["version"] = "0.1.1"
    write(repo, data)
    result = run_cli("diff", "--base", "HEAD", "--format", "json", cwd=repo, env=git_env())
    assert json.loads(result.stdout)["manifests"][0]["validate_errors"] == []
    assert "fails validate" not in run_cli("diff", "--base", "HEAD", cwd=repo).stdout


def test_hostile_type_names_and_fields_never_leak(tmp_path: Path) -> None:
    """Type names, enum values and property names are input: every message redacts them."""
    from gitrepo import TOKEN, TOKEN_PART

    old = sentry()
    new = copy.deepcopy(old)
    at(new, QUERY)["type"] = ["string", f"Bearer {TOKEN}"]
    at(new, STATUS)["enum"].append(TOKEN)
    inner = at(new, (*BODY, "properties", "statusDetails", "properties"))
    inner[TOKEN] = inner.pop("inRelease") | {"maxLength": 100}
    paths = []
    for name, data in (("old.json", old), ("new.json", new)):
        paths.append(tmp_path / name)
        paths[-1].write_text(json.dumps(data, indent=2), encoding="utf-8")
    for fmt in ("text", "json", "markdown", "sarif", "github"):
        result = run_cli("diff", *map(str, paths), "--format", fmt, cwd=tmp_path)
        assert result.returncode in (0, 1), result.stderr
        assert TOKEN_PART not in result.stdout + result.stderr, fmt
        assert "Traceback" not in result.stderr


def test_sarif_and_github_say_a_new_version_fails_validate(tmp_path: Path) -> None:
    repo = init(tmp_path / "repo")
    data = read(repo)
    data["actionTemplates"][RESOLVE]["method"] = "TELEPORT"
    data["version"] = "0.2.0"
    write(repo, data)
    results = _sarif_results(run_cli("diff", "--base", "HEAD", "--format", "sarif", cwd=repo))
    (warning,) = [r for r in results if "fails validate" in r["message"]["text"]]
    assert (warning["ruleId"], warning["level"]) == ("version-gate", "warning")
    github = run_cli("diff", "--base", "HEAD", "--format", "github", cwd=repo)
    assert (
        f"::warning file={RELPATH},line=1,col=1,title=version-gate::this version" in github.stdout
    )


def test_unrelated_histories_have_no_merge_base(tmp_path: Path) -> None:
    repo = init(tmp_path / "repo")
    git(repo, "checkout", "-q", "--orphan", "other")
    commit(repo, "unrelated")
    result = run_cli("diff", "--base", "main", cwd=repo, env=git_env())
    assert result.returncode == 2, result.stdout + result.stderr
    assert "no merge base between 'main' and HEAD" in result.stderr
    assert "unrelated" in result.stderr and "Traceback" not in result.stderr
