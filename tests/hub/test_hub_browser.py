"""The Hub's page in headless Chromium (Debian's `chromium`; `make test` installs it as root),
the DOM Chromium builds shows the Sentry integration with `resolve-issue`
marked approval-gated, and a screenshot is saved as a test artifact."""

from __future__ import annotations

import shutil
import subprocess
from html.parser import HTMLParser

import pytest
from conftest import REPO
from hubkit import build, serving

pytest.importorskip("uvicorn", reason="the hub extra (starlette, uvicorn) is not installed")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="chromium is not installed (make test installs Debian's chromium when run as root)",
)
ARTIFACT = REPO / "build/artifacts/hub-sentry.png"
FLAGS = [
    "--headless",
    "--no-sandbox",  # root in a container has no user namespace sandbox
    "--disable-gpu",
    "--hide-scrollbars",
    "--window-size=1280,900",
]
# Chromium's --dump-dom and --screenshot need JavaScript on (scriptEnabled=false makes them
# write nothing); the page works without it because it has no script at all (checked below)
# and its Content-Security-Policy (default-src 'none') would refuse one.


class Rows(HTMLParser):
    """Each action row of the DOM: (integration section, action, approval, gated marker)."""

    def __init__(self) -> None:
        super().__init__()
        self.section = ""
        self.row: dict[str, str] | None = None
        self.rows: list[tuple[str, str, str, bool]] = []
        self.gated = False
        self.in_gated = False
        self.scripts = 0
        self.manifest_links: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        if tag == "script":
            self.scripts += 1
        if tag == "section":
            self.section = found.get("data-integration", found.get("id", ""))
        if tag == "tr" and "data-action" in found:
            self.row, self.gated = found, False
        if tag == "span" and "gated" in found.get("class", "").split():
            self.in_gated = True
        if tag == "a" and "api/manifests/" in found.get("href", ""):
            self.manifest_links.append(found["href"])
        if tag == "a":
            self.links.append(found.get("href", ""))

    def handle_data(self, data: str) -> None:
        if self.in_gated and data.strip() == "approval-gated":
            self.gated = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "span":
            self.in_gated = False
        if tag == "tr" and self.row is not None:
            approval = self.row.get("data-approval", "")
            self.rows.append((self.section, self.row["data-action"], approval, self.gated))
            self.row = None


def _chromium(*args: str) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None
    return subprocess.run(
        [CHROMIUM, *FLAGS, *args], capture_output=True, text=True, timeout=120, check=False
    )


@pytest.fixture(scope="module")
def hub_url(tmp_path_factory: pytest.TempPathFactory):
    db = tmp_path_factory.mktemp("hub") / "hub.db"
    assert build(db).returncode == 0
    with serving(db) as url:
        yield url


def _dom(url: str) -> Rows:
    result = _chromium("--dump-dom", url)
    assert result.returncode == 0 and "<html" in result.stdout, result.stderr[-2000:]
    rows = Rows()
    rows.feed(result.stdout)
    return rows


def test_the_page_shows_sentry_with_resolve_issue_gated_and_a_screenshot_is_saved(
    hub_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    url = hub_url + "/integrations/sentry/sentry-api"
    rows = _dom(url)
    assert rows.rows == [
        ("sentry/sentry-api", "list-projects", "automatic", False),
        ("sentry/sentry-api", "list-issues", "automatic", False),
        ("sentry/sentry-api", "resolve-issue", "require_approval", True),
    ]
    assert rows.manifest_links == ["../../api/manifests/sentry/sentry-api"]
    assert rows.scripts == 0
    ARTIFACT.parent.mkdir(parents=True, exist_ok=True)
    ARTIFACT.unlink(missing_ok=True)
    result = _chromium(f"--screenshot={ARTIFACT}", url)
    assert result.returncode == 0, result.stderr[-2000:]
    assert ARTIFACT.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and ARTIFACT.stat().st_size > 10_000
    with capsys.disabled():
        print(f"\nscreenshot of the Hub's Sentry page: {ARTIFACT}")


def test_the_index_lists_and_the_search_form_finds_resolve_issue(hub_url: str) -> None:
    rows = _dom(hub_url + "/?q=resolve")
    assert rows.rows[0][1:] == ("resolve-issue", "require_approval", True)
    gated = {r[1] for r in rows.rows if r[3]}
    assert gated == {r[1] for r in rows.rows if r[2] == "require_approval"}
    assert rows.scripts == 0
    assert "integrations/sentry/sentry-api" in rows.links
