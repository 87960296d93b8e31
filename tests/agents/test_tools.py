"""The MCP server's guards and tools in-process (the real protocol run is test_mcp_agent.py):
path confinement, credential refusal, the response scrub, the operator tools, the scaffold's
bounded routes, and docs/AGENTS.md naming every tool."""

from __future__ import annotations

import asyncio
import functools
import json
import re
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO, SENTRY

pytest.importorskip("mcp", reason="the mcp extra is not installed")
from mcp.server.fastmcp.exceptions import ToolError
from mcp.types import TextContent

from hubtool.agents import drafts, server
from hubtool.agents.workspace import Workspace, confined, credential_refusal
from hubtool.core.errors import HubtoolError
from hubtool.core.secrets import find_secret

TOKEN = "sntrys_" + "Zm9vYmFyYmF6cXV4" * 3
"""Sentry org-token shaped (hubtool's detector flags it); built here, not a literal."""
GENERIC_SPEC = {
    "openapi": "3.0.3",
    "info": {"title": "files", "version": "1"},
    "servers": [{"url": "https://api.example.com"}],
    "paths": {
        "/files/{path}": {
            "get": {
                "operationId": "getFile",
                "summary": "Read any file",
                "parameters": [
                    {"name": "path", "in": "path", "required": True,
                     "schema": {"type": "string", "pattern": "^.+$"}}
                ],
                "responses": {"200": {"description": "ok"}},
            }
        }
    },
}  # fmt: skip


def workspace(tmp_path: Path, operator: str | None = None) -> Workspace:
    """A workspace holding a copy of the Sentry manifest as its catalog, and a spec."""
    catalog = tmp_path / "repo/apps/hub/catalog/integrations/sentry"
    catalog.mkdir(parents=True)
    shutil.copyfile(SENTRY, catalog / SENTRY.name)
    (tmp_path / "repo/files.json").write_text(json.dumps(GENERIC_SPEC), encoding="utf-8")
    root = (tmp_path / "repo").resolve()
    return Workspace(root, tmp_path / "store.sqlite3", "tester", (), operator)


@functools.cache
def served(ws: Workspace) -> server.HubtoolServer:
    return server.build_server(ws)


def call(ws: Workspace, tool: str, **arguments: Any) -> dict[str, Any]:
    """The tool's structured result through the server's ``call_tool`` (both guards)."""
    content, structured = asyncio.run(served(ws).call_tool(tool, arguments))
    assert json.loads(content[0].text) == structured
    return structured


def refusal(ws: Workspace, tool: str, **arguments: Any) -> str:
    with pytest.raises(ToolError) as caught:
        asyncio.run(served(ws).call_tool(tool, arguments))
    return str(caught.value)


# --- paths ---------------------------------------------------------------------------------------


def test_paths_stay_inside_the_workspace(tmp_path: Path) -> None:
    ws = workspace(tmp_path)
    (tmp_path / "outside.json").write_text("{}", encoding="utf-8")
    (ws.root / "link.json").symlink_to(tmp_path / "outside.json")
    inside = ws.root / "apps/hub/catalog/integrations/sentry" / SENTRY.name
    assert ws.path("apps/hub/catalog/integrations/sentry/sentry-api.json") == inside
    assert ws.path(str(inside)) == inside
    for escape in ("/etc/passwd", "../outside.json", "link.json", str(tmp_path / "outside.json")):
        with pytest.raises(HubtoolError, match="outside the workspace"):
            ws.path(escape)
    with pytest.raises(HubtoolError, match="no such"):
        ws.path("apps/missing.json")
    with pytest.raises(HubtoolError, match="no such"):
        ws.path("apps")  # a directory is not a file
    with pytest.raises(HubtoolError, match="NUL"):
        ws.path("a\x00b")


def test_specs_may_also_come_from_the_spec_directories(tmp_path: Path) -> None:
    specs = tmp_path / "specs"
    (specs / "acme").mkdir(parents=True)
    (specs / "acme/openapi.json").write_text("{}", encoding="utf-8")
    ws = workspace(tmp_path)
    ws = Workspace(ws.root, ws.store, specs=(specs.resolve(),))
    assert ws.spec_path("acme/openapi.json") == (specs / "acme/openapi.json").resolve()
    with pytest.raises(HubtoolError, match="outside the workspace"):
        ws.path(str(specs / "acme/openapi.json"))  # a manifest is read from the root only
    with pytest.raises(HubtoolError, match="outside the workspace"):
        confined("../../etc/passwd", (specs.resolve(),), "spec")


def test_a_tool_refuses_a_path_outside(tmp_path: Path) -> None:
    ws = workspace(tmp_path)
    assert "outside the workspace" in refusal(ws, "validate_manifest", manifest="/etc/passwd")
    assert "outside the workspace" in refusal(ws, "list_operations", spec="/etc/hostname")


# --- credentials ---------------------------------------------------------------------------------


def test_credential_refusal_names_kind_and_place_never_the_value() -> None:
    assert credential_refusal({"query": "sentry", "n": [1, {"a": "b"}]}) is None
    message = credential_refusal({"action": {"examples": [{"input": {"q": f"x {TOKEN}"}}]}})
    assert message is not None and "Sentry org auth token" in message
    assert "/action/examples/0/input/q" in message
    assert TOKEN not in message and TOKEN[:10] not in message and find_secret(message) is None
    keyed = credential_refusal({"input": {TOKEN: 1}})
    assert keyed is not None and "a key" in keyed and TOKEN not in keyed


def test_every_tool_refuses_a_credential_before_reading_its_arguments(tmp_path: Path) -> None:
    ws = workspace(tmp_path, operator="ops")
    names = [f.__name__ for f, _ in (*server.TOOLS, *server.OPERATOR_TOOLS)]
    for name in names:
        text = refusal(ws, name, anything=TOKEN)  # not even a parameter of the tool
        assert text.startswith("refused:") and TOKEN not in text, (name, text)
    assert not ws.store.exists()  # nothing was opened, let alone written


def test_responses_are_scrubbed() -> None:
    scrubbed = server.scrubbed(
        ({"a": [f"k {TOKEN}"]}, [TextContent(type="text", text=TOKEN)], (TOKEN,), 3, None)
    )
    assert TOKEN not in repr(scrubbed)
    assert scrubbed[3:] == (3, None) and server.scrubbed({"a": "clean"}) == {"a": "clean"}


# --- tools ---------------------------------------------------------------------------------------


def test_operator_tools_exist_only_with_the_flag(tmp_path: Path) -> None:
    def names(ws: Workspace) -> set[str]:
        return {t.name for t in asyncio.run(server.build_server(ws).list_tools())}

    operator = {"publish_drafts", "reject_drafts"}
    assert not names(workspace(tmp_path / "a")) & operator
    assert operator <= names(workspace(tmp_path / "b", operator="ops"))
    with pytest.raises(HubtoolError, match="operator act"):  # the library refuses too
        drafts.run_step(workspace(tmp_path / "c"), "publish", ["dr_1"])
    with pytest.raises(HubtoolError, match="name 1 to"):
        drafts.run_step(workspace(tmp_path / "d"), "validate", [])


def test_the_scaffold_narrows_a_path_parameter_that_accepts_a_slash(tmp_path: Path) -> None:
    """A spec's free path parameter (``^.+$`` matches ``a/b``) becomes one bounded segment:
    the scaffold never proposes a generic route."""
    ws = workspace(tmp_path)
    result = call(ws, "scaffold_action", spec="files.json", operation_id="getFile")
    assert result["refused"] is False
    (parameter,) = result["action"]["inputs"]["parameters"]
    pattern = parameter["schema"]["pattern"]
    assert pattern != "^.+$" and not re.fullmatch(pattern, "a/b") and re.fullmatch(pattern, "ab")
    assert any("route-safe" in note for note in result["notes"])


def test_an_unknown_operation_is_an_error_not_a_refusal(tmp_path: Path) -> None:
    ws = workspace(tmp_path)
    assert "no operation" in refusal(ws, "scaffold_action", spec="files.json", operation_id="x")


def test_a_lifecycle_error_is_an_outcome_and_the_other_drafts_still_run(tmp_path: Path) -> None:
    ws = workspace(tmp_path)
    imported = call(ws, "import_drafts", manifest="sentry")
    ids = [step["draft"] for step in imported["steps"]]
    result = call(ws, "validate_drafts", draft_ids=["dr_missing", *ids])
    assert not result["ok"] and "no draft" in result["outcomes"][0]["error"]
    assert [o["new_state"] for o in result["outcomes"][1:]] == ["validated"] * len(ids)
    early = call(ws, "request_publish", draft_ids=ids[:1])
    assert "tests must pass first" in early["outcomes"][0]["error"]


def test_a_manifest_that_is_not_json_is_findings_not_an_error(tmp_path: Path) -> None:
    ws = workspace(tmp_path)
    (ws.root / "broken.json").write_text('{"slug": ', encoding="utf-8")
    result = call(ws, "validate_manifest", manifest="broken.json")
    assert not result["ok"] and result["findings"][0]["rule"] == "json-syntax"


def test_the_command_says_when_the_mcp_extra_is_missing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from hubtool.commands.mcp import INSTALL_HINT, run_mcp

    monkeypatch.delitem(sys.modules, "hubtool.agents.server")
    for name in [m for m in sys.modules if m == "mcp" or m.startswith("mcp.")]:
        monkeypatch.setitem(sys.modules, name, None)  # import mcp... -> ModuleNotFoundError
    with pytest.raises(HubtoolError, match=re.escape(INSTALL_HINT)):
        run_mcp(tmp_path, None, (), None, "tester")


def test_agents_md_documents_every_tool() -> None:
    text = (REPO / "docs/AGENTS.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| `([a-z_]+)` \|", text, flags=re.MULTILINE))
    tools = {f.__name__ for f, _ in (*server.TOOLS, *server.OPERATOR_TOOLS)}
    assert documented == tools  # rule ids (with '-') are not matched


def test_the_command_needs_standard_input_and_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``hubtool mcp <&-`` (no standard input at all) is a usage error, not an internal one."""
    from hubtool.commands.mcp import run_mcp

    monkeypatch.setattr(sys, "stdin", None)
    with pytest.raises(HubtoolError, match="standard input"):
        run_mcp(tmp_path, tmp_path / "store.sqlite3", (), None, "tester")


def test_a_hidden_credential_in_the_catalog_leaves_the_text_the_same_json_document(
    tmp_path: Path,
) -> None:
    """A credential only a decoding shows (split by a zero-width space) withholds the whole
    text it is found in: the scrub of the response's text must not withhold the whole
    document, which is then no longer the structured content (nor JSON)."""
    ws = workspace(tmp_path)
    manifest = json.loads(SENTRY.read_text(encoding="utf-8"))
    manifest["title"] = f"Sentry {TOKEN[:12]}\u200b{TOKEN[12:]}"
    path = ws.root / "apps/hub/catalog/integrations/sentry" / SENTRY.name
    path.write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    found = call(ws, "search_catalog", query="sentry")  # the text parses as the document
    (entry,) = found["entries"]
    assert entry["manifest"] == "sentry-api" and entry["title"].startswith("<Sentry org auth")
    assert TOKEN[12:24] not in json.dumps(found)


def test_the_log_filter_redacts_and_lets_a_bad_record_through() -> None:
    import logging

    record = logging.LogRecord("mcp", logging.WARNING, "x", 1, "Tool %r not listed", (TOKEN,), None)
    assert server.Redacting().filter(record) and TOKEN[:12] not in record.getMessage()
    bad = logging.LogRecord("mcp", logging.WARNING, "x", 1, "%d of %d", ("one",), None)
    assert server.Redacting().filter(bad) and bad.args == ("one",)  # left for the handler


def test_a_note_is_bounded_before_anything_is_stored(tmp_path: Path) -> None:
    """A note is kept in the store's history once per draft: ten megabytes on each of a
    hundred drafts is a gigabyte. Its schema says how long it may be, and a longer one is
    refused before the store is opened."""
    ws = workspace(tmp_path)
    tools = {t.name: t for t in asyncio.run(served(ws).list_tools())}
    limit = tools["validate_drafts"].inputSchema["properties"]["note"]["maxLength"]
    assert limit == drafts.MAX_NOTE
    text = refusal(ws, "validate_drafts", draft_ids=["dr_1"], note="n" * (limit + 1))
    assert "at most" in text and not ws.store.exists()


def test_a_spec_holding_a_lone_surrogate_is_listed_and_scaffolded(tmp_path: Path) -> None:
    """Python's json reads ``"\\ud800"`` (a lone surrogate) in a provider spec; it cannot be
    written as UTF-8, so the listing failed to serialize. It is shown escaped, as the CLI's
    ``scaffold --list --format json`` shows it."""
    ws = workspace(tmp_path)
    text = json.dumps(GENERIC_SPEC).replace('"Read any file"', '"Read \\ud800 file"')
    (ws.root / "surrogate.json").write_text(text, encoding="utf-8")
    (operation,) = call(ws, "list_operations", spec="surrogate.json")["operations"]
    assert operation["summary"] == "Read \\ud800 file"
    scaffolded = call(ws, "scaffold_action", spec="surrogate.json", operation_id="getFile")
    assert "\\ud800" in scaffolded["action"]["label"] + scaffolded["action"]["description"]


def test_a_finding_names_its_file_as_the_tools_take_it_whatever_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An MCP client starts the server anywhere (Claude Desktop: in ``/``): a finding's file is
    relative to the workspace root, as ``manifest`` is, not to the server's directory."""
    ws = workspace(tmp_path)
    monkeypatch.chdir(tmp_path)  # the workspace is tmp_path/repo
    delete = {"slug": "drop", "label": "Drop", "description": "Drop it.", "method": "DELETE",
              "path": "/api/0/projects/", "approvalMode": "automatic",
              "requestBodyMode": "none", "resultMode": "json_summary"}  # fmt: skip
    checked = call(ws, "validate_action", manifest="sentry-api", action=delete)
    imported = call(ws, "import_drafts", manifest="sentry-api", proposed_actions=[delete])
    for found in (checked["findings"], imported["findings"]):
        assert found and {f["file"] for f in found} == {checked["manifest"]}, found
    (ws.root / "broken.json").write_text('{"slug": ', encoding="utf-8")
    broken = call(ws, "validate_manifest", manifest="broken.json")
    assert [f["file"] for f in broken["findings"]] == ["broken.json"]
