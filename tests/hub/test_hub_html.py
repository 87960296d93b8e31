"""The page with a stranger's text in the manifest: every value escaped, nothing executable."""

from __future__ import annotations

import json
from pathlib import Path

from hubkit import SENTRY_REL, build, copy_catalog

from hubtool.hub.api import respond
from hubtool.hub.build import open_readonly

HOSTILE = "<script>alert(1)</script><img src=x onerror=alert(2)> \"quoted\" 'single' & </td>"


def test_manifest_text_is_escaped(tmp_path: Path) -> None:
    root = copy_catalog(tmp_path / "repo")
    path = root / SENTRY_REL
    data = json.loads(path.read_text(encoding="utf-8"))
    data["title"] = "Sentry <b>API</b>"
    data["summary"] = HOSTILE
    data["actionTemplates"][2]["label"] = "Resolve </table><script>x()</script>"
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    db = tmp_path / "hub.db"
    result = build(db, cwd=root)
    assert result.returncode == 0, result.stdout + result.stderr
    conn = open_readonly(db)
    try:
        pages = [
            respond(conn, "GET", "/", "q=resolve").body.decode("utf-8"),
            respond(conn, "GET", "/integrations/sentry/sentry-api").body.decode("utf-8"),
        ]
    finally:
        conn.close()
    for page in pages:
        assert "<script" not in page and "<img" not in page and "<b>" not in page
        assert "Sentry &lt;b&gt;API&lt;/b&gt;" in page
        assert page.count("<table>") == page.count("</table>")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in pages[1]
    assert "&quot;quoted&quot; &#x27;single&#x27; &amp; &lt;/td&gt;" in pages[1]
    assert "Resolve &lt;/table&gt;&lt;script&gt;x()&lt;/script&gt;" in pages[1]
