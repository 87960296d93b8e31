"""The pre-commit hooks for real: pre-commit clones this repository and gates commits.

Slow (pre-commit builds a virtualenv and installs hubtool from the package index once per test
session), so marked ``slow``; it still runs in CI. It skips only where the package index cannot
be reached, and never under CI=true, where an unreachable index is a failure.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from conftest import REPO
from gitrepo import (
    BIN,
    IDENTITY,
    RELPATH,
    TOKEN,
    TOKEN_PART,
    add_token,
    git,
    git_env,
    loosen_approval,
    read,
    sentry,
    write,
)

pytestmark = pytest.mark.slow

HOOKS = ("hubtool-validate", "hubtool-version-gate")
INSTALL_TIMEOUT = 900  # seconds: a cold virtualenv and hubtool's dependencies from the index
COMMIT_TIMEOUT = 300


def hook_repository_revision() -> str:
    """REPO's HEAD: pre-commit clones committed content only, so that is what the hooks run."""
    head = subprocess.run(
        ["git", "-C", str(REPO), "rev-parse", "--verify", "HEAD"],
        capture_output=True,
        text=True,
        env=git_env(),
        check=False,
    )
    if head.returncode != 0:
        pytest.skip(f"{REPO} is not a git repository with commits; pre-commit needs one")
    has_hooks = subprocess.run(
        ["git", "-C", str(REPO), "cat-file", "-e", "HEAD:.pre-commit-hooks.yaml"],
        env=git_env(),
        check=False,
    )
    if has_hooks.returncode != 0:
        pytest.skip("the committed HEAD of this repository has no .pre-commit-hooks.yaml")
    return head.stdout.strip()


def require_package_index(scratch: Path) -> None:
    """Skip where pip cannot fetch hubtool's dependencies; under CI, never skip."""
    probe = subprocess.run(
        [sys.executable, "-m", "pip", "download", "--no-deps", "--dest", str(scratch), "click"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if probe.returncode != 0 and not os.environ.get("CI"):
        pytest.skip(f"the package index is unreachable: {probe.stderr.strip()[-300:]}")


@pytest.fixture(scope="session")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One PRE_COMMIT_HOME per test session: hook environments are built once."""
    home = tmp_path_factory.mktemp("pre-commit-home")
    require_package_index(tmp_path_factory.mktemp("pip-probe"))
    return home


def readme_config(revision: str) -> str:
    """The README's .pre-commit-config.yaml snippet, pointed at this repository's HEAD."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    blocks = [b for b in re.findall(r"```yaml\n(.*?)```", readme, re.DOTALL) if "repos:" in b]
    assert blocks, "README.md shows a .pre-commit-config.yaml"
    config = yaml.safe_load(blocks[0])
    (entry,) = config["repos"]
    assert [hook["id"] for hook in entry["hooks"]] == list(HOOKS)
    entry["repo"], entry["rev"] = str(REPO), revision
    return yaml.safe_dump(config, sort_keys=False)


def test_readme_snippet_names_the_published_hooks() -> None:
    published = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    by_id = {hook["id"]: hook for hook in published}
    assert set(HOOKS) <= set(by_id)
    for hook_id in HOOKS:
        assert by_id[hook_id]["language"] == "python"
        assert re.search(by_id[hook_id]["files"], RELPATH)
        assert not re.search(by_id[hook_id]["files"], "README.md")
    assert by_id["hubtool-validate"]["entry"] == "hubtool validate"
    assert by_id["hubtool-version-gate"]["entry"] == "hubtool diff --base HEAD"
    assert readme_config("0" * 40).count("id: hubtool-") == 2


def run(repo: Path, *args: str, env: dict[str, str], timeout: int = COMMIT_TIMEOUT):
    return subprocess.run(
        list(args), cwd=repo, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )


def try_commit(repo: Path, env: dict[str, str], message: str) -> tuple[bool, str]:
    """Stage everything and commit through the installed hook; (committed?, all output)."""
    before = git(repo, "rev-parse", "--verify", "-q", "HEAD").strip() if has_head(repo) else ""
    git(repo, "add", "-A")
    result = run(repo, "git", *IDENTITY, "commit", "-m", message, env=env)
    after = git(repo, "rev-parse", "--verify", "-q", "HEAD").strip() if has_head(repo) else ""
    committed = result.returncode == 0
    assert committed == (after != before), (result.returncode, before, after)
    return committed, result.stdout + result.stderr


def has_head(repo: Path) -> bool:
    return (
        subprocess.run(
            ["git", "rev-parse", "--verify", "-q", "HEAD"],
            cwd=repo,
            capture_output=True,
            env=git_env(),
            check=False,
        ).returncode
        == 0
    )


def test_hooks_gate_commits(tmp_path: Path, pre_commit_home: Path) -> None:
    timings: dict[str, float] = {}
    revision = hook_repository_revision()
    repo = tmp_path / "hub"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    (repo / ".pre-commit-config.yaml").write_text(readme_config(revision), encoding="utf-8")
    env = git_env(PRE_COMMIT_HOME=str(pre_commit_home))
    pre_commit = str(BIN / "pre-commit")

    installed = run(repo, pre_commit, "install", env=env)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    assert (repo / ".git/hooks/pre-commit").is_file()
    start = time.monotonic()
    environments = run(repo, pre_commit, "install-hooks", env=env, timeout=INSTALL_TIMEOUT)
    timings["install-hooks"] = time.monotonic() - start
    assert environments.returncode == 0, environments.stdout + environments.stderr

    # 1. a good manifest (a first release: no HEAD yet) is committed
    write(repo, sentry())
    start = time.monotonic()
    committed, output = try_commit(repo, env, "sentry-api 0.1.0")
    timings["good commit"] = time.monotonic() - start
    assert committed, output
    assert re.search(r"hubtool validate .*Passed", output), output
    assert re.search(r"hubtool version gate .*Passed", output), output

    # 2. a token in a description (with the right patch bump) is blocked by the validator
    data = read(repo)
    add_token(data)
    data["version"] = "0.1.1"
    write(repo, data)
    start = time.monotonic()
    committed, output = try_commit(repo, env, "describe the token")
    timings["blocked commit"] = time.monotonic() - start
    assert not committed, output
    assert "- hook id: hubtool-validate" in output
    assert "no-secret-values" in output
    assert f"{RELPATH}:" in output
    assert TOKEN_PART not in output and TOKEN not in output

    # 3. loosening resolve-issue's approval without a bump is blocked by both hooks
    data = read(repo)
    data["description"] = sentry()["description"]
    data["version"] = "0.1.0"
    loosen_approval(data)
    write(repo, data)
    committed, output = try_commit(repo, env, "resolve without approval")
    assert not committed, output
    assert "write-requires-approval" in output
    assert "- hook id: hubtool-version-gate" in output
    assert "approval-loosened" in output
    assert "use 0.2.0" in output

    # 4. fixed: approval back on, a description edit with its patch bump
    data["actionTemplates"][2]["approvalMode"] = "require_approval"
    data["description"] += " Reviewed."
    data["version"] = "0.1.1"
    write(repo, data)
    committed, output = try_commit(repo, env, "describe sentry-api better")
    assert committed, output
    assert git(repo, "rev-list", "--count", "HEAD").strip() == "2"
    assert json.loads(git(repo, "show", f"HEAD:{RELPATH}"))["version"] == "0.1.1"
    print(f"pre-commit timings: {', '.join(f'{k} {v:.1f}s' for k, v in timings.items())}")
