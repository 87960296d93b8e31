"""validate's linter conventions: ``-`` for stdin, nothing-to-check is exit 2, discovery that
skips hidden, tool and git-ignored directories (never inside the catalog), lookalike manifests
named, misnamed configuration files refused, and SARIF ``helpUri`` for every rule."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, SENTRY
from sarifcheck import assert_valid_sarif

from hubtool.load.discover import walk
from hubtool.report import links

PLACED = "apps/hub/catalog/integrations/sentry/sentry-api.json"


def cli(*args: str, cwd: Path, stdin: bytes | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "FORCE_COLOR"}
    env["PYTHONPATH"] = os.pathsep.join([str(REPO), env.get("PYTHONPATH", "")])
    result = subprocess.run(
        [sys.executable, "-m", "hubtool", *args],
        cwd=cwd,
        input=stdin if stdin is not None else b"",
        capture_output=True,
        env=env,
        timeout=120,
    )
    out, err = result.stdout.decode(), result.stderr.decode()
    assert "Traceback" not in out + err, err
    return subprocess.CompletedProcess(result.args, result.returncode, out, err)


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, timeout=60)


def findings(result: subprocess.CompletedProcess[str]) -> list[tuple[str, str]]:
    return [(f["rule"], f["file"]) for f in json.loads(result.stdout)["findings"]]


# --- 1. stdin -------------------------------------------------------------------------------


def test_stdin_is_checked_like_the_file(tmp_path: Path) -> None:
    raw = SENTRY.read_bytes()
    piped = cli("validate", "-", "--format", "json", cwd=tmp_path, stdin=raw)
    assert piped.returncode == 0, piped.stderr
    assert json.loads(piped.stdout)["files"] == ["<stdin>"]
    broken = raw.replace(b'"approvalMode": "require_approval"', b'"approvalMode": "automatic"', 1)
    (tmp_path / "m.json").write_bytes(broken)
    from_file = cli("validate", "m.json", "--format", "json", cwd=tmp_path)
    piped = cli(
        "validate",
        "-",
        "--stdin-filename",
        "m.json",
        "--format",
        "json",
        cwd=tmp_path,
        stdin=broken,
    )
    assert from_file.returncode == piped.returncode == 1
    assert json.loads(piped.stdout) == json.loads(from_file.stdout)


def test_stdin_filename_decides_the_catalog_placement(tmp_path: Path) -> None:
    raw = SENTRY.read_bytes()
    right = cli("validate", "-", "--stdin-filename", PLACED, cwd=tmp_path, stdin=raw)
    assert right.returncode == 0, right.stdout
    wrong = PLACED.replace("sentry-api.json", "other.json")
    moved = cli(
        "validate", "-", "--stdin-filename", wrong, "--format", "json", cwd=tmp_path, stdin=raw
    )
    assert moved.returncode == 1 and findings(moved) == [("catalog-layout", wrong)]


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        (b"\xff\xfe{\x00}\x00", "UTF-16"),
        (b'{"a": "\xff"}', "invalid UTF-8 byte 0xff"),
        (b"\xef\xbb\xbf{}", "byte order mark"),
        (b"\x00" * 64, "UTF-16"),
        (b"", "empty"),
        (b"[" * 100_000, "nest"),
    ],
)
def test_binary_or_broken_stdin_is_a_syntax_finding(tmp_path: Path, raw: bytes, words: str) -> None:
    result = cli("validate", "-", "--format", "json", cwd=tmp_path, stdin=raw)
    assert result.returncode == 1, result.stderr
    (finding,) = json.loads(result.stdout)["findings"]
    assert finding["rule"] == "json-syntax" and finding["file"] == "<stdin>"
    assert words in finding["message"], finding["message"]


def test_stdin_is_read_only_up_to_the_byte_cap(tmp_path: Path) -> None:
    result = cli("validate", "-", "--max-bytes", "100", cwd=tmp_path, stdin=b" " * 10_000_000)
    assert result.returncode == 1 and "larger than the 100-byte limit" in result.stdout


def test_a_hostile_stdin_filename_is_shown_escaped(tmp_path: Path) -> None:
    name = "evil\x1b[31m\nname.json"
    result = cli("validate", "-", "--stdin-filename", name, cwd=tmp_path, stdin=b"{")
    assert result.returncode == 1
    assert "\x1b" not in result.stdout and "evil\\x1b[31m\\nname.json" in result.stdout


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("-", "other.json"), "give no other path"),
        (("x.json", "--stdin-filename", "x.json"), "give -"),
    ],
)
def test_stdin_misuse_exits_2(tmp_path: Path, args: tuple[str, ...], words: str) -> None:
    (tmp_path / "x.json").write_bytes(SENTRY.read_bytes())
    result = cli("validate", *args, cwd=tmp_path)
    assert result.returncode == 2 and words in result.stderr and result.stdout == ""


# --- 2. nothing to check --------------------------------------------------------------------


def test_nothing_to_check_exits_2(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "README.md").write_text("no manifest here\n")
    cases = {
        "empty": "nothing to check",
        "docs": "nothing to check",
        "mistyped": "no such file or directory",
        "*.jsn": "no file matches this pattern",
        "missing/[ab].json": "no file matches this pattern",
    }
    for path, words in cases.items():
        result = cli("validate", path, cwd=tmp_path)
        assert result.returncode == 2, (path, result.stdout)
        assert words in result.stderr and result.stdout == "", (path, result.stderr)


def test_an_empty_default_catalog_exits_2(tmp_path: Path) -> None:
    (tmp_path / "apps/hub/catalog/integrations").mkdir(parents=True)
    result = cli("validate", cwd=tmp_path)
    assert result.returncode == 2 and "nothing to check" in result.stderr


def test_only_skipped_manifests_says_what_was_left_out(tmp_path: Path) -> None:
    (tmp_path / "node_modules/pkg").mkdir(parents=True)
    shutil.copyfile(SENTRY, tmp_path / "node_modules/pkg/sentry-api.json")
    result = cli("validate", ".", cwd=tmp_path)
    assert result.returncode == 2
    assert "nothing to check" in result.stderr and "node_modules" in result.stderr
    named = cli("validate", "node_modules/pkg/sentry-api.json", cwd=tmp_path)
    assert named.returncode == 0, named.stdout  # a file given is never skipped
    walked = cli("validate", "node_modules", cwd=tmp_path)
    assert walked.returncode == 0, walked.stdout  # nor a directory given


# --- 3. discovery ---------------------------------------------------------------------------


def repository(tmp_path: Path) -> Path:
    """A git repository with a catalog, a manifest elsewhere, and every kind of skipped
    directory holding a broken manifest."""
    repo = tmp_path / "repo"
    (repo / "apps/hub/catalog/integrations/sentry").mkdir(parents=True)
    shutil.copyfile(SENTRY, repo / PLACED)
    git(repo, "init", "-q")
    for junk in (".venv/lib", "node_modules/x", "__pycache__", ".hidden", "build/out", "logs"):
        (repo / junk).mkdir(parents=True)
        (repo / junk / "broken.json").write_text("{", encoding="utf-8")
    (repo / "logs" / "kept.json").write_text("{", encoding="utf-8")
    (repo / ".gitignore").write_text("build/\nlogs/broken.json\n", encoding="utf-8")
    return repo


def test_a_walk_skips_hidden_tool_and_ignored_entries(tmp_path: Path) -> None:
    repo = repository(tmp_path)
    tree = walk([repo])
    names = sorted(p.relative_to(repo).as_posix() for p in tree.files)
    assert names == [PLACED, "logs/kept.json"]
    assert tree.findings == []
    skipped = {Path(s).name for s in tree.skipped}
    assert {".venv", "node_modules", "__pycache__", ".hidden", ".git", "build"} <= skipped
    assert "broken.json" in skipped


def test_without_git_the_names_still_skip(tmp_path: Path) -> None:
    repo = repository(tmp_path)
    shutil.rmtree(repo / ".git")
    names = sorted(p.relative_to(repo).as_posix() for p in walk([repo]).files)
    assert names == [PLACED, "build/out/broken.json", "logs/broken.json", "logs/kept.json"]


def test_inside_the_catalog_nothing_is_skipped(tmp_path: Path) -> None:
    """A manifest hidden in a dot directory or an ignored one inside the catalog is still read
    and checked: catalog-layout names where it belongs, the gate cannot be evaded."""
    repo = repository(tmp_path)
    catalog = repo / "apps/hub/catalog"
    for hidden in (".hidden", "node_modules", "ignored"):
        (catalog / hidden).mkdir()
        shutil.copyfile(SENTRY, catalog / hidden / "sentry-api.json")
    (repo / ".gitignore").write_text("ignored/\napps/\n", encoding="utf-8")
    for args in ((), (".",), ("apps",), ("apps/hub/catalog",)):
        result = cli("validate", *args, "--format", "json", cwd=repo)
        layout = sorted(f for rule, f in findings(result) if rule == "catalog-layout")
        assert layout == [
            f"apps/hub/catalog/{hidden}/sentry-api.json"
            for hidden in (".hidden", "ignored", "node_modules")
        ], args


def test_a_nested_repository_in_the_catalog_stays_a_finding(tmp_path: Path) -> None:
    repo = repository(tmp_path)
    (repo / "apps/hub/catalog/.git").mkdir()
    result = cli("validate", "--format", "json", cwd=repo)
    assert ("catalog-tree", "apps/hub/catalog/.git") in findings(result)


def test_hostile_names_and_ignore_files_never_hang_or_escape(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from hubtool.load import ignored

    monkeypatch.setattr(ignored, "GIT_TIMEOUT", 2.0)  # git gives up on this .gitignore's patterns
    repo = repository(tmp_path)
    (repo / "odd\nname").mkdir()
    (repo / "odd\nname" / "m.json").write_text("{", encoding="utf-8")
    os.symlink("/", repo / "root-link")
    pathological = "".join(f"{'*' * 30}a{i}\n" for i in range(2000)) + "**/" * 200 + "x\n"
    (repo / ".gitignore").write_text(pathological, encoding="utf-8")
    tree = walk([repo])
    names = {p.relative_to(repo).as_posix() for p in tree.files}
    assert "odd\nname/m.json" not in names  # a directory name with a newline: a finding
    assert any("odd\\nname" in f.file for f in tree.findings)
    assert any(f.file.endswith("root-link") for f in tree.findings)  # never followed


# --- 4. lookalike manifests -----------------------------------------------------------------


def test_manifests_outside_the_catalog_are_named(tmp_path: Path) -> None:
    repo = repository(tmp_path)
    (repo / "drafts").mkdir()
    shutil.copyfile(SENTRY, repo / "drafts" / "new.json")  # deep elsewhere: not searched
    (repo / "apps/hub/integrations").mkdir(parents=True)
    shutil.copyfile(SENTRY, repo / "apps/hub/integrations/new.json")  # beside the catalog
    (repo / "package.json").write_text('{"name": "x"}', encoding="utf-8")
    schema_only = '{"$schema": "https://hubtool.dev/schemas/dock-integration.schema.json"}'
    (repo / "hinted.json").write_text(schema_only, encoding="utf-8")
    shutil.copyfile(SENTRY, repo / "node_modules/x/copy.json")  # skipped: not named
    from hubtool.load import lookalike

    assert lookalike._git_listing(repo, repo / "apps/hub/catalog") is not None  # git answered
    for with_git in (True, False):  # git's listing and the walk name the same files
        if not with_git:
            shutil.rmtree(repo / ".git")
        result = cli("validate", cwd=repo)
        assert result.returncode == 0, result.stdout
        notes = [line for line in result.stderr.splitlines() if "looks like a manifest" in line]
        named = [n.split()[2] for n in notes]
        assert named == ["apps/hub/integrations/new.json", "hinted.json"], notes


# --- configuration under another name -------------------------------------------------------


@pytest.mark.parametrize("name", [".hubtool.yml", "hubtool.yaml", ".hubtool.json"])
def test_a_misnamed_configuration_is_an_error(tmp_path: Path, name: str) -> None:
    repo = repository(tmp_path)
    (repo / name).write_text("severity: {}\n", encoding="utf-8")
    result = cli("validate", cwd=repo)
    assert result.returncode == 2 and f"{name}: hubtool reads its configuration" in result.stderr
    assert "rename the file to .hubtool.yaml" in result.stderr
    (repo / ".hubtool.yaml").write_text("severity: {}\n", encoding="utf-8")
    assert cli("validate", cwd=repo).returncode == 2  # beside the right one too
    chosen = cli("validate", "--config", ".hubtool.yaml", cwd=repo)
    assert chosen.returncode == 0, chosen.stderr  # an explicit --config decides


# --- 5. SARIF helpUri -----------------------------------------------------------------------


def headings(page: Path) -> set[str]:
    return {links.anchor(m) for m in re.findall(r"^#{1,6} (.+)$", page.read_text(), re.M)}


def test_every_sarif_rule_links_its_documented_section(tmp_path: Path) -> None:
    result = cli("validate", str(SENTRY), "--format", "sarif", cwd=tmp_path)
    document = json.loads(result.stdout)
    assert_valid_sarif(document)
    pages = {page: headings(REPO / "docs" / page) for page in ("RULES.md", "CHANGES.md")}
    descriptors = document["runs"][0]["tool"]["driver"]["rules"]
    assert len(descriptors) > 40
    for descriptor in descriptors:
        uri = descriptor["helpUri"]
        page, _, fragment = uri.removeprefix(links.documentation_base() + "/").partition("#")
        assert uri.startswith("https://") and fragment in pages[page], uri
        if page == "RULES.md":
            assert fragment == descriptor["id"]


def test_the_documentation_base_comes_from_one_place() -> None:
    base = links.documentation_base()
    assert base.startswith("https://") and base.endswith("/docs")
    assert links.anchor("`no-secret-values`") == "no-secret-values"
    assert links.anchor("hubtool change kinds") == "hubtool-change-kinds"
    pyproject = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    declared = re.search(r'^Documentation = "([^"]+)"', pyproject, re.M)
    if declared:  # [project.urls] (once merged) and the fallback agree
        assert declared.group(1).rstrip("/") == links.DOCUMENTATION
