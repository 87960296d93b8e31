"""Shared fixtures: repository paths, the shared reference folder, a CLI runner."""

from __future__ import annotations

import atexit
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SENTRY = REPO / "apps/hub/catalog/integrations/sentry/sentry-api.json"

# Tests read piped output as plain text: a CI runner's FORCE_COLOR must not colour it (the
# tests that check colour set it themselves).
os.environ.pop("FORCE_COLOR", None)

# Tests never read or write the user's configuration cache (hubtool.validate.config.cache): each
# test process has its own, removed at exit, and children inherit it.
_CACHE = tempfile.mkdtemp(prefix="hubtool-test-cache-")
os.environ["HUBTOOL_CACHE_DIR"] = _CACHE
os.environ.pop("HUBTOOL_NO_CACHE", None)
atexit.register(shutil.rmtree, _CACHE, True)


def shared_file(relative: str) -> Path:
    """A file of ../shared beside the repository; skips the test where it is absent."""
    path = SHARED / relative
    if not path.exists():
        pytest.skip(f"{path} is absent: ../shared/ sits beside the repository in CI")
    return path


def run_cli(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None):
    """Run ``python -m hubtool`` as a user would; returns the CompletedProcess."""
    return subprocess.run(
        [sys.executable, "-m", "hubtool", *args],
        cwd=cwd or REPO,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def store_env(store: Path, actor: str) -> dict[str, str]:
    """A child's environment whose draft store (and XDG fallback) live beside ``store``."""
    env = {k: v for k, v in os.environ.items() if k not in ("HUBTOOL_DEBUG", "HUBTOOL_ACTOR")}
    env |= {
        "HUBTOOL_STORE": str(store),
        "XDG_DATA_HOME": str(store.parent / "xdg"),
        "HUBTOOL_ACTOR": actor,
        "NO_COLOR": "1",
    }
    return env


@pytest.fixture
def sentry_data() -> dict:
    return json.loads(SENTRY.read_text(encoding="utf-8"))


def pytest_terminal_summary(terminalreporter) -> None:
    """The fuzz harness's inputs per entry point (tests/fuzzkit.py), when it ran."""
    fuzzkit = sys.modules.get("fuzzkit")
    for line in fuzzkit.summary() if fuzzkit else []:
        terminalreporter.write_line(line)
