"""The hubtool action's decisions, from the workflow's event: what to compare with, whether to
check the whole catalog, and whether to upload SARIF. Standard library only (it runs before and
apart from hubtool); writes ``name=value`` lines to ``$GITHUB_OUTPUT``.

Inputs (environment): ``BASE`` (empty: from the event), ``ALL`` (auto|true|false),
``UPLOAD`` (auto|always|never), and the runner's ``GITHUB_EVENT_NAME``, ``GITHUB_EVENT_PATH``,
``GITHUB_BASE_REF``, ``GITHUB_ACTOR``, ``GITHUB_OUTPUT``.

Outputs: ``base`` (a ref or commit for ``hubtool ci --base``), ``all`` (true|false),
``upload`` (true|false) and ``upload-reason`` (why not, or what to expect).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

PULL_REQUESTS = ("pull_request", "pull_request_target")
NO_COMMIT = "0" * 40
"""``before`` of a push that created the branch: there is no previous commit."""


def event() -> dict[str, Any]:
    """The event payload the runner wrote (``{}`` when there is none or it does not load)."""
    path = os.environ.get("GITHUB_EVENT_PATH", "")
    try:
        with open(path, encoding="utf-8") as handle:
            payload = json.load(handle)
    except (OSError, ValueError, RecursionError):
        return {}
    return payload if isinstance(payload, dict) else {}


def _get(payload: Any, *keys: str) -> Any:
    for key in keys:
        payload = payload.get(key) if isinstance(payload, dict) else None
    return payload


def is_commit(ref: str) -> bool:
    """True when the checkout holds commit ``ref`` (a push's ``before`` may be gone: a force
    push, a shallow clone)."""
    result = subprocess.run(
        ["git", "cat-file", "-e", f"{ref}^{{commit}}"], capture_output=True, check=False
    )
    return result.returncode == 0


def base_and_all(name: str, payload: dict[str, Any], base: str, all_: str) -> tuple[str, bool]:
    """The ref to compare with and whether to check the whole catalog. ``all_`` auto: the whole
    catalog on a push (code scanning compares pull requests with the branch's full analysis)
    and when there is nothing to compare with; the changes only otherwise. ValueError when a
    pull request's event names no base branch."""
    whole = all_ == "true"
    if base:
        return base, whole
    if name in PULL_REQUESTS:
        ref = os.environ.get("GITHUB_BASE_REF") or _get(payload, "pull_request", "base", "ref")
        if not isinstance(ref, str) or not ref:
            raise ValueError("the pull request's base branch is unknown: set the `base` input")
        return f"origin/{ref}", whole
    queued = _get(payload, "merge_group", "base_sha") if name == "merge_group" else None
    if isinstance(queued, str) and queued:
        return queued, whole
    before = _get(payload, "before") if name == "push" else None
    if isinstance(before, str) and before != NO_COMMIT and is_commit(before):
        return before, whole or all_ == "auto"
    return "HEAD", all_ != "false"  # nothing to compare with: the catalog as it is


def upload(name: str, payload: dict[str, Any], choice: str) -> tuple[bool, str]:
    """Whether the job's token can upload SARIF, and a sentence for the summary."""
    if choice == "never":
        return False, "upload-sarif is `never`"
    if choice == "always":
        return True, "upload-sarif is `always`"
    if name == "pull_request":  # pull_request_target runs the base's code with a write token
        head = _get(payload, "pull_request", "head", "repo", "full_name")
        if head != _get(payload, "pull_request", "base", "repo", "full_name"):
            return False, (
                "a pull request from a fork: GitHub gives its workflow a read-only token, which "
                "cannot upload to code scanning; the annotations and this summary have every "
                "finding"
            )
        if os.environ.get("GITHUB_ACTOR") == "dependabot[bot]":
            return False, "a Dependabot pull request: its token is read-only"
    if _get(payload, "repository", "private") is True:
        return True, (
            "a private repository: code scanning needs GitHub Code Security there; a refused "
            "upload does not change the verdict"
        )
    return True, "code scanning"


def main() -> int:
    name = os.environ.get("GITHUB_EVENT_NAME", "")
    payload = event()
    choice = os.environ.get("ALL", "auto")
    try:
        base, whole = base_and_all(name, payload, os.environ.get("BASE", ""), choice)
    except ValueError as exc:
        sys.stderr.write(f"hubtool action: {exc}\n")
        return 2
    send, reason = upload(name, payload, os.environ.get("UPLOAD", "auto"))
    lines = {
        "base": base,
        "all": str(whole).lower(),
        "upload": str(send).lower(),
        "upload-reason": reason,
    }
    if any("\n" in value or "\r" in value for value in lines.values()):
        sys.stderr.write("hubtool action: a ref with a line break\n")
        return 2
    with open(os.environ["GITHUB_OUTPUT"], "a", encoding="utf-8") as out:
        out.writelines(f"{key}={value}\n" for key, value in lines.items())
    sys.stdout.write(f"base: {base}; whole catalog: {lines['all']}; upload: {lines['upload']}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
