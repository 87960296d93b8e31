"""The pre-commit hooks for real: pre-commit installs hubtool from a release tag and gates commits.

The hook repository is a temporary git repository holding this project's tracked files (as they
are in the work tree) with the release tag ``v<version>`` of pyproject.toml; the hub repository's
``.pre-commit-config.yaml`` is the README's snippet as written, its ``repo:`` pointed at that
repository. pre-commit builds its environment without the package index (``PIP_NO_INDEX``): from a
wheelhouse of hubtool's build and runtime requirements, downloaded once per session (the only
step that needs the index; it skips where the index cannot be reached, never under CI=true).
Under a minute on this project's shared 2-core machine (the install about 15 s); marked ``slow``,
which ``make test`` still runs.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
import tomllib
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
    another_publisher,
    catalog_path,
    git,
    git_env,
    loosen_approval,
    read,
    sentry,
    write,
)

pytestmark = pytest.mark.slow

HOOKS = ("hubtool-validate", "hubtool-version-gate")
INSTALL_TIMEOUT = 600  # seconds: a virtualenv and hubtool built from the tag, from the wheelhouse
COMMIT_TIMEOUT = 300


def release_tag() -> str:
    """The tag of the version pyproject.toml declares: ``v0.2.0``."""
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return f"v{project['version']}"


def tracked_files() -> list[str]:
    """This project's tracked files that exist in the work tree; skips outside a git checkout."""
    listed = subprocess.run(
        ["git", "-C", str(REPO), "ls-files", "-z", "--cached"],
        capture_output=True,
        env=git_env(),
        check=False,
    )
    if listed.returncode != 0 or not listed.stdout:
        pytest.skip(f"{REPO} is not a git checkout; the hook repository copies its tracked files")
    names = [os.fsdecode(n) for n in listed.stdout.split(b"\0") if n]
    return [n for n in names if (REPO / n).is_file() and not (REPO / n).is_symlink()]


@pytest.fixture(scope="session")
def hook_repository(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A git repository of this project's tracked files (work-tree content), tagged with
    ``release_tag()``: what a hub repository's ``rev:`` names."""
    names = tracked_files()
    assert ".pre-commit-hooks.yaml" in names
    root = tmp_path_factory.mktemp("hubtool-release")
    for name in names:
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(REPO / name, target)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", f"release {release_tag()}")
    git(root, "tag", "-a", release_tag(), "-m", f"hubtool {release_tag()}")
    return root


def requirements(project: Path) -> list[str]:
    """The build system's and the runtime's requirements of ``project`` (its pyproject.toml)."""
    data = tomllib.loads((project / "pyproject.toml").read_text(encoding="utf-8"))
    return [*data["build-system"]["requires"], *data["project"]["dependencies"]]


@pytest.fixture(scope="session")
def wheelhouse(tmp_path_factory: pytest.TempPathFactory, hook_repository: Path) -> Path:
    """Wheels of every requirement of the tagged hubtool (not hubtool: pre-commit builds it
    from the tag). Skips where the package index is unreachable; under CI, never skips."""
    house = tmp_path_factory.mktemp("wheelhouse")
    download = [sys.executable, "-m", "pip", "download", "--quiet", "--only-binary", ":all:"]
    fetched = subprocess.run(
        [*download, "--dest", str(house), *requirements(hook_repository)],
        capture_output=True,
        text=True,
        timeout=INSTALL_TIMEOUT,
        check=False,
    )
    if fetched.returncode != 0 and not os.environ.get("CI"):
        pytest.skip(f"the package index is unreachable: {fetched.stderr.strip()[-300:]}")
    assert fetched.returncode == 0, fetched.stderr[-2000:]
    return house


@pytest.fixture(scope="session")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One PRE_COMMIT_HOME per test session: the hook environment is built once."""
    return tmp_path_factory.mktemp("pre-commit-home")


def hook_env(home: Path, house: Path) -> dict[str, str]:
    """pre-commit's environment: its own home, pip without the index (the wheelhouse only), and
    no PYTHONPATH (the hooks must run the hubtool installed from the tag, not this tree)."""
    env = git_env(
        PRE_COMMIT_HOME=str(home), PIP_NO_INDEX="1", PIP_FIND_LINKS=str(house), NO_COLOR="1"
    )
    for name in ("PYTHONPATH", "VIRTUAL_ENV", "PIP_INDEX_URL", "PIP_EXTRA_INDEX_URL"):
        env.pop(name, None)
    return env


def readme_config(repository: str) -> str:
    """The README's .pre-commit-config.yaml snippet, exactly, its ``repo:`` replaced."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    blocks = [b for b in re.findall(r"```yaml\n(.*?)```", readme, re.DOTALL) if "repos:" in b]
    assert blocks, "README.md shows a .pre-commit-config.yaml"
    config = yaml.safe_load(blocks[0])
    (entry,) = config["repos"]
    assert [hook["id"] for hook in entry["hooks"]] == list(HOOKS)
    assert entry["rev"] == release_tag(), "the README's rev is the release tag"
    url = entry["repo"]
    assert blocks[0].count(url) == 1
    return blocks[0].replace(url, repository)


def test_readme_snippet_names_the_published_hooks() -> None:
    published = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    by_id = {hook["id"]: hook for hook in published}
    assert set(HOOKS) <= set(by_id)
    for hook_id in HOOKS:
        assert by_id[hook_id]["language"] == "python"
        assert re.search(by_id[hook_id]["files"], RELPATH)
        assert not re.search(by_id[hook_id]["files"], "README.md")
    assert by_id["hubtool-validate"]["entry"] == "hubtool validate --catalog-context"
    assert by_id["hubtool-version-gate"]["entry"] == "hubtool diff --base HEAD"
    assert readme_config("/elsewhere/hubtool").count("id: hubtool-") == 2


def installed_hub(tmp_path: Path, hook_repository: Path, env: dict[str, str]) -> Path:
    """A new hub repository configured by the README snippet, its hook environment built."""
    repo = tmp_path / "hub"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    (repo / ".pre-commit-config.yaml").write_text(
        readme_config(str(hook_repository)), encoding="utf-8"
    )
    installed = run(
        repo, str(BIN / "pre-commit"), "install-hooks", env=env, timeout=INSTALL_TIMEOUT
    )
    assert installed.returncode == 0, installed.stdout + installed.stderr
    home = Path(env["PRE_COMMIT_HOME"])
    (script,) = home.glob("repo*/py_env-*/bin/hubtool")  # the one environment, from the tag
    version = run(repo, str(script), "--version", env=env)
    assert version.stdout.strip() == f"hubtool, version {release_tag()[1:]}", version.stderr
    return repo


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


def test_hooks_gate_commits(
    tmp_path: Path, hook_repository: Path, wheelhouse: Path, pre_commit_home: Path
) -> None:
    timings: dict[str, float] = {}
    env = hook_env(pre_commit_home, wheelhouse)
    pre_commit = str(BIN / "pre-commit")
    start = time.monotonic()
    repo = installed_hub(tmp_path, hook_repository, env)
    timings["install-hooks"] = time.monotonic() - start

    installed = run(repo, pre_commit, "install", env=env)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    assert (repo / ".git/hooks/pre-commit").is_file()

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


def staged_run(repo: Path, env: dict[str, str], *files: str) -> tuple[int, str]:
    """``pre-commit run`` on the staged files (``--files``: on those instead); (exit, output)."""
    args = ["--files", *files] if files else []
    result = run(repo, str(BIN / "pre-commit"), "run", *args, env=env)
    return result.returncode, result.stdout + result.stderr


def test_the_hook_sees_the_catalog_and_reports_the_staged_files(
    tmp_path: Path, hook_repository: Path, wheelhouse: Path, pre_commit_home: Path
) -> None:
    env = hook_env(pre_commit_home, wheelhouse)
    repo = installed_hub(tmp_path, hook_repository, env)

    # 1. a clean manifest passes both hooks, and is committed
    write(repo, sentry())
    git(repo, "add", "-A")
    code, output = staged_run(repo, env)
    assert code == 0, output
    assert re.search(r"hubtool validate .*Passed", output), output
    assert re.search(r"hubtool version gate .*Passed", output), output
    git(repo, "commit", "-q", "-m", "sentry-api 0.1.0")

    # 2. a manifest with a policy error fails the hook, which names the rule and the file
    acme = catalog_path("acme", "acme-api")
    loose = another_publisher(sentry(), "acme", "acme-api")
    loosen_approval(loose)
    write(repo, loose, acme)
    code, output = staged_run(repo, env, acme)
    assert code == 1, output
    assert "- hook id: hubtool-validate" in output
    assert f"{acme}:" in output and "write-requires-approval" in output
    (repo / acme).unlink()

    # 3. a second manifest reusing the committed one's slug: only that file is passed to the
    #    hook, and the catalog as context finds the clash; the committed file is not reported
    twin = catalog_path("acme", "sentry-api")
    write(repo, another_publisher(sentry(), "acme"), twin)
    git(repo, "add", "-A")
    code, output = staged_run(repo, env)
    assert code == 1, output
    assert f"{twin}:" in output and "unique-slugs" in output
    assert f"is also used by {RELPATH}" in output
    assert f"{RELPATH}:" not in output
    assert "1 file checked" in output
    git(repo, "rm", "-q", "--cached", twin)
    (repo / twin).unlink()

    # 4. broken manifests that are not staged (an untracked file, an unstaged edit of a
    #    committed one) are not reported; the staged clean manifest passes
    broken = catalog_path("broken", "broken-api")
    (repo / broken).parent.mkdir(parents=True)
    (repo / broken).write_text('{"slug": "acme-api", "slug": ', encoding="utf-8")
    tokened = read(repo)
    add_token(tokened)
    write(repo, tokened)
    write(repo, another_publisher(sentry(), "acme", "acme-api"), acme)
    git(repo, "add", acme)
    code, output = staged_run(repo, env)
    assert code == 0, output
    assert "broken" not in output and TOKEN_PART not in output and TOKEN not in output
    assert re.search(r"hubtool validate .*Passed", output), output
    assert read(repo)["description"] == tokened["description"]  # the unstaged edit is back
