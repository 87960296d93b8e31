"""Fuzz (Hypothesis): `diff --base`, `ci --base` and `bump --base` in a real git repository.

One repository per run holds the released Sentry manifest on ``main``; each example changes
the work tree (a mutated manifest, sometimes a second one or a .hubtool.yaml), runs one
command through the CLI (in process) and puts the tree back. Git is slow, so the budget is
small. ``bump`` may change the version string and nothing else.
"""

from __future__ import annotations

import functools
import json
import tempfile
from pathlib import Path
from typing import Any

import gitrepo
from fuzzkit import Mutant, budget, cli, config_texts, dumps, example, manifest_pairs
from hypothesis import given
from hypothesis import strategies as st

REPORT_FORMATS = ("text", "json", "sarif", "github", "markdown")
OTHER = gitrepo.catalog_path("acme", "acme-api")


@functools.cache
def repository() -> Path:
    """The repository: Sentry 0.1.0 released on main (created once per run)."""
    return gitrepo.init(Path(tempfile.mkdtemp(prefix="hubtool-fuzz-git-")) / "repo")


def _restore(repo: Path) -> None:
    gitrepo.git(repo, "checkout", "-q", "--", ".")
    gitrepo.git(repo, "clean", "-qfdx")


def _without_version(text: str) -> Any:
    try:
        data = json.loads(text)
    except ValueError:
        return text
    if isinstance(data, dict):
        data.pop("version", None)
    return data


@budget("git", ci=6)
@given(
    pair=manifest_pairs(),
    command=st.sampled_from(("diff", "ci", "bump")),
    fmt=st.sampled_from(REPORT_FORMATS),
    second=st.booleans(),
    config=st.one_of(st.none(), config_texts()),
)
def test_fuzz_base_commands(
    pair: tuple[Mutant, Mutant], command: str, fmt: str, second: bool, config: str | None
) -> None:
    repo = repository()
    manifest = repo / gitrepo.RELPATH
    text = dumps(pair[1].data)
    manifest.write_text(text, encoding="utf-8", errors="surrogatepass")
    if second:
        other = repo / OTHER
        other.parent.mkdir(parents=True, exist_ok=True)
        other.write_text(dumps(pair[0].data), encoding="utf-8", errors="surrogatepass")
    if config is not None:
        (repo / ".hubtool.yaml").write_text(config, encoding="utf-8", errors="surrogatepass")
    try:
        with example("git", text):
            if command == "diff":
                cli("diff", "--base", "main", "--format", fmt, cwd=repo).check()
            elif command == "ci":
                ci_fmt = "text" if fmt == "markdown" else fmt
                cli("ci", "--base", "main", "--format", ci_fmt, cwd=repo).check()
            else:
                before = manifest.read_bytes()
                cli("bump", "--base", "HEAD", cwd=repo).check()
                after = manifest.read_bytes()
                if after != before:  # only the version string changed
                    old = _without_version(before.decode("utf-8", "surrogatepass"))
                    assert _without_version(after.decode("utf-8", "surrogatepass")) == old
    finally:
        _restore(repo)
