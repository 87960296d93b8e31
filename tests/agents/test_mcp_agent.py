"""A scripted agent carries the Sentry port from "inspect" to "publish requested" through the
real MCP client over stdio (``python -m hubtool mcp``), as issue 16 asks.

The server runs in the repository (its catalog is the workspace, read only) with a store in
``tmp_path`` and ``../shared/data`` as the spec directory. Every response the agent receives
(tool results, errors, resources, the instructions) is scanned with hubtool's own secret
detector. One session walks the whole workflow and its refusals; a second one, started with
``--allow-publish``, is the operator's.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import anyio
import pytest
from conftest import REPO, SHARED

mcp = pytest.importorskip("mcp", reason="the mcp extra is not installed")
from mcp import ClientSession, StdioServerParameters  # noqa: E402
from mcp.client.stdio import stdio_client  # noqa: E402

from hubtool import __version__  # noqa: E402
from hubtool.core.secrets import find_secret, secret_strings  # noqa: E402

SPEC = "sentry/openapi-derefed.json"
FAKE_TOKEN = "ghp_" + "a1B2c3D4e5" * 4
"""GitHub-token shaped (hubtool's detector flags it); built here, never a literal in the repo."""
OPERATOR_TOOLS = {"publish_drafts", "reject_drafts"}
HANG_GUARD = 120
"""Seconds before a session counts as hung (a guard, not a timing)."""


def needs_shared() -> Path:
    data = SHARED / "data"
    if not (data / SPEC).is_file():
        pytest.skip(f"{data / SPEC} is absent: ../shared/ sits beside the repository in CI")
    return data


class Agent:
    """A client session that records every response and checks it holds no secret."""

    def __init__(self, session: ClientSession) -> None:
        self.session = session
        self.responses = 0

    def scan(self, value: Any) -> None:
        self.responses += 1
        found = list(secret_strings(value))
        assert found == [], f"a response holds a credential-shaped string at {found[0][0]}"

    async def call(self, tool: str, **arguments: Any) -> dict[str, Any]:
        """The tool's structured result; fails on an error result."""
        result = await self.session.call_tool(tool, arguments)
        self.scan(result.model_dump(mode="json"))
        text = " ".join(c.text for c in result.content if c.type == "text")
        assert not result.isError, f"{tool} failed: {text}"
        assert result.structuredContent is not None
        assert json.loads(text) == result.structuredContent  # the text is the same document
        return result.structuredContent

    async def refused(self, tool: str, **arguments: Any) -> str:
        """The error text of a call that must fail."""
        result = await self.session.call_tool(tool, arguments)
        self.scan(result.model_dump(mode="json"))
        assert result.isError, f"{tool} did not fail"
        return " ".join(c.text for c in result.content if c.type == "text")

    async def tool_names(self) -> set[str]:
        listed = await self.session.list_tools()
        self.scan(listed.model_dump(mode="json"))
        for tool in listed.tools:
            assert tool.outputSchema, f"{tool.name} has no output schema"
        return {tool.name for tool in listed.tools}


@asynccontextmanager
async def agent(tmp_path: Path, *options: str):
    """An Agent on ``hubtool mcp --store tmp_path/store.sqlite3 --specs ../shared/data``."""
    params = StdioServerParameters(
        command=sys.executable,
        args=["-m", "hubtool", "mcp", "--store", str(tmp_path / "store.sqlite3"),
              "--specs", str(needs_shared()), "--actor", "scripted", *options],
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )  # fmt: skip
    log = tmp_path / "server.log"
    with log.open("w") as errlog:
        async with (
            stdio_client(params, errlog=errlog) as (read, write),
            ClientSession(read, write) as session,
        ):
            started = await session.initialize()
            assert started.serverInfo.name == "hubtool"
            assert started.serverInfo.version == __version__
            found = Agent(session)
            found.scan(started.model_dump(mode="json"))
            yield found
    said = log.read_text(encoding="utf-8")
    assert "hubtool:" not in said, f"the server did not end cleanly: {said[-500:]}"


def run(test: Any, tmp_path: Path) -> None:
    async def guarded() -> None:
        with anyio.fail_after(HANG_GUARD):
            await test(tmp_path)

    anyio.run(guarded)


# --- the workflow ------------------------------------------------------------------------------


async def inspect_port(a: Agent) -> str:
    """Steps 1-2: the Sentry port, its live actions, the drafts (none yet). Returns its spec."""
    found = await a.call("search_catalog", query="sentry")
    assert [e["manifest"] for e in found["entries"]] == ["sentry-api"]
    entry = await a.call("show_catalog_entry", manifest="sentry-api")
    (port,) = entry["ports"]
    assert port["baseUrl"] == "https://sentry.io/" and port["authTokenPrefix"] == "Bearer"
    modes = {action["slug"]: action["approvalMode"] for action in entry["actions"]}
    assert modes == {
        "list-projects": "automatic",
        "list-issues": "automatic",
        "resolve-issue": "require_approval",
    }
    assert entry["spec"] == SPEC
    assert (await a.call("list_drafts"))["drafts"] == []
    return entry["spec"]


async def propose_retrieve_issue(a: Agent, spec: str) -> dict[str, Any]:
    """Step 3: find "retrieve an issue", scaffold it for the Sentry manifest, validate it."""
    listed = await a.call("list_operations", spec=spec, grep="retrieve an issue")
    (operation,) = [o for o in listed["operations"] if o["summary"].lower() == "retrieve an issue"]
    assert (operation["method"], operation["operationId"]) == ("GET", "getOrganizationIssue")
    scaffolded = await a.call(
        "scaffold_action", spec=spec, operation_id=operation["operationId"], manifest="sentry-api"
    )
    assert scaffolded["refused"] is False and scaffolded["reason"] is None
    action = scaffolded["action"]
    assert action["path"] == "/api/0/organizations/{organizationIdOrSlug}/issues/{issueId}/"
    assert action["approvalMode"] == "automatic" and action["requestBodyMode"] == "none"
    if not action.get("examples"):  # drafts test needs one: added as an agent would
        path = {"organizationIdOrSlug": "acme", "issueId": "1234567890"}
        action["examples"] = [{"name": "one-issue", "input": {"path": path}}]
    checked = await a.call("validate_action", manifest="sentry-api", action=action)
    assert checked["ok"], checked["findings"]
    example = action["examples"][0]["input"]
    rendered = await a.call("render_request", manifest="sentry-api", action=action, input=example)
    assert rendered["ok"] and rendered["method"] == "GET"
    assert rendered["url"].startswith("https://sentry.io/api/0/organizations/")
    assert rendered["headers"]["Authorization"] == "Bearer <configured in Harbor Node>"
    return action


async def draft_and_request_publish(a: Agent, action: dict[str, Any]) -> str:
    """Steps 4-5: import the proposal as a draft, validate, test, request publish."""
    imported = await a.call("import_drafts", manifest="sentry-api", proposed_actions=[action])
    assert imported["ok"] and imported["findings"] == []
    ops = {step["action"]: step["op"] for step in imported["steps"]}
    assert ops == dict.fromkeys(["list-projects", "list-issues", "resolve-issue", "get-issue"],
                                "create")  # fmt: skip
    draft = next(s["draft"] for s in imported["steps"] if s["action"] == "get-issue")
    listed = await a.call("list_drafts", manifest="sentry-api")
    assert {d["action"]: d["state"] for d in listed["drafts"]}["get-issue"] == "draft"
    validated = await a.call("validate_drafts", draft_ids=[draft])
    assert validated["ok"] and validated["outcomes"][0]["new_state"] == "validated"
    tested = await a.call("test_drafts", draft_ids=[draft])
    (outcome,) = tested["outcomes"]
    assert outcome["ok"] and outcome["new_state"] == "tested", outcome
    assert outcome["requests"][0]["url"].startswith("https://sentry.io/api/0/organizations/")
    requested = await a.call("request_publish", draft_ids=[draft], note="retrieve one issue")
    assert requested["outcomes"][0]["new_state"] == "publish_requested"
    shown = await a.call("show_draft", draft_id=draft)
    assert shown["draft"]["state"] == "publish_requested"
    assert {t["actor"] for t in shown["history"]} == {"agent:scripted"}
    return draft


# --- the refusals ------------------------------------------------------------------------------


async def refuse_bulk_and_delete(a: Agent, spec: str) -> None:
    for operation, words in (
        ("updateOrganizationIssues", ("no-bulk-or-delete", "bulk mutation")),
        ("deleteOrganizationIssue", ("no-bulk-or-delete", "DELETE")),
    ):
        result = await a.call(
            "scaffold_action", spec=spec, operation_id=operation, manifest="sentry-api"
        )
        assert result["refused"] is True and result["action"] is None
        assert all(word in result["reason"] for word in words), result["reason"]


async def refuse_generic_route(a: Agent, action: dict[str, Any]) -> None:
    """A path parameter that accepts '/' turns the action into a generic route: refused by
    validation and by import, which writes nothing."""
    generic = json.loads(json.dumps(action))
    generic["slug"] = "get-anything"
    issue = next(p for p in generic["inputs"]["parameters"] if p["name"] == "issueId")
    issue["schema"] = {"type": "string", "minLength": 1, "maxLength": 500}
    checked = await a.call("validate_action", manifest="sentry-api", action=generic)
    assert not checked["ok"]
    assert "bounded-path" in {f["rule"] for f in checked["findings"]}
    imported = await a.call("import_drafts", manifest="sentry-api", proposed_actions=[generic])
    assert not imported["ok"] and imported["steps"] == []
    assert "bounded-path" in {f["rule"] for f in imported["findings"]}
    drafts = (await a.call("list_drafts", history=True))["drafts"]
    assert "get-anything" not in {d["action"] for d in drafts}


async def refuse_credentials(a: Agent, action: dict[str, Any]) -> None:
    """A credential in any argument, of any tool, in any type, is refused unechoed."""
    leaky = json.loads(json.dumps(action)) | {"description": f"uses {FAKE_TOKEN}"}
    example = {"path": {"organizationIdOrSlug": "acme", "issueId": "1"},
               "query": {"environment": [f"Bearer {FAKE_TOKEN}"]}}  # fmt: skip
    calls = [
        ("search_catalog", {"query": FAKE_TOKEN}),
        ("validate_action", {"manifest": "sentry-api", "action": leaky}),
        ("import_drafts", {"manifest": "sentry-api", "proposed_actions": [leaky]}),
        ("render_request", {"manifest": "sentry-api", "action": action, "input": example}),
        ("list_operations", {"spec": SPEC, "limit": FAKE_TOKEN}),  # not even an integer
        ("validate_drafts", {"draft_ids": [FAKE_TOKEN]}),
        ("show_draft", {"draft_id": "x", FAKE_TOKEN: 1}),  # as a key
    ]
    for tool, arguments in calls:
        text = await a.refused(tool, **arguments)
        assert "refused" in text and "GitHub token" in text, text
        assert FAKE_TOKEN not in text and FAKE_TOKEN[:12] not in text, text


async def refuse_paths_outside(a: Agent) -> None:
    for tool, arguments in (
        ("validate_manifest", {"manifest": "/etc/passwd"}),
        ("validate_manifest", {"manifest": "../../../../etc/passwd"}),
        ("list_operations", {"spec": "/etc/passwd"}),
        ("show_catalog_entry", {"manifest": "../shared/data/sentry/endpoints.json"}),
    ):
        text = await a.refused(tool, **arguments)
        assert "outside the workspace" in text, text
        assert "root:" not in text  # nothing of the file was read into the answer


async def read_resources(a: Agent) -> None:
    listed = await a.session.list_resources()
    a.scan(listed.model_dump(mode="json"))
    uris = {str(r.uri) for r in listed.resources}
    assert {"hubtool://rules", "hubtool://rules/bounded-path", "hubtool://schema/manifest"} <= uris
    for uri in sorted(uris):  # the secret rules' docs too: their example tokens are redacted
        read = await a.session.read_resource(uri)
        a.scan(read.model_dump(mode="json"))
        assert read.contents[0].text
    rule = await a.session.read_resource("hubtool://rules/no-bulk-or-delete")
    assert rule.contents[0].text.startswith("## `no-bulk-or-delete`")
    schema = await a.session.read_resource("hubtool://schema/manifest")
    assert json.loads(schema.contents[0].text)["$schema"].startswith("https://json-schema.org/")


# --- the tests ---------------------------------------------------------------------------------


def test_an_agent_takes_sentry_from_inspect_to_publish_requested(tmp_path: Path) -> None:
    needs_shared()  # skips here, before the event loop starts

    async def script(tmp: Path) -> None:
        async with agent(tmp) as a:
            tools = await a.tool_names()
            assert not tools & OPERATOR_TOOLS  # no publish or reject without the operator flag
            assert {"import_drafts", "test_drafts", "request_publish"} <= tools
            spec = await inspect_port(a)
            action = await propose_retrieve_issue(a, spec)
            await refuse_bulk_and_delete(a, spec)
            await refuse_generic_route(a, action)
            await refuse_credentials(a, action)
            await refuse_paths_outside(a)
            draft = await draft_and_request_publish(a, action)
            refused = await a.refused("publish_drafts", draft_ids=[draft])
            assert "publish_drafts" in refused  # unknown tool: it does not exist
            await read_resources(a)
            assert a.responses > 30
        async with agent(tmp, "--allow-publish", "ops") as a:
            assert await a.tool_names() >= OPERATOR_TOOLS
            published = await a.call("publish_drafts", draft_ids=[draft], note="reviewed")
            assert published["outcomes"][0]["new_state"] == "published"
            shown = await a.call("show_draft", draft_id=draft)
            assert shown["history"][-1]["actor"] == "operator:ops"

    run(script, tmp_path)


def test_no_response_text_holds_the_refused_credential_even_redacted_hint(tmp_path: Path) -> None:
    """The refusal names the kind and place only: not the value, not its redacted hint."""
    needs_shared()

    async def script(tmp: Path) -> None:
        async with agent(tmp) as a:
            text = await a.refused("search_catalog", query=f"x {FAKE_TOKEN} y")
            assert find_secret(text) is None
            assert "chars, redacted" not in text and "/arguments/query" in text

    run(script, tmp_path)


def test_unknown_resources_and_prompts_do_not_echo_a_credential(tmp_path: Path) -> None:
    """The SDK answers an unknown resource or prompt with the URI or name it was given."""
    needs_shared()

    async def script(tmp: Path) -> None:
        async with agent(tmp) as a:
            for read in (
                lambda: a.session.read_resource(f"hubtool://rules/{FAKE_TOKEN}"),
                lambda: a.session.read_resource(f"hubtool://x?token={FAKE_TOKEN}"),
                lambda: a.session.get_prompt(FAKE_TOKEN),
            ):
                with pytest.raises(mcp.McpError) as caught:
                    await read()
                text = str(caught.value)
                assert FAKE_TOKEN[:12] not in text and find_secret(text) is None, text
            assert "refused" in await a.refused(FAKE_TOKEN)  # a tool of that name: logged
        said = (tmp / "server.log").read_text(encoding="utf-8")
        assert FAKE_TOKEN[:12] not in said, said  # nor in what the server logs

    run(script, tmp_path)


def test_a_request_the_sdk_cannot_read_is_answered_not_left_waiting(tmp_path: Path) -> None:
    """A request line pydantic refuses but JSON allows (a lone surrogate escape, nesting deeper
    than pydantic's limit, a huge integer) still names its id: it gets an error answer, where
    the SDK alone answers nothing and the client waits for ever; the server goes on."""
    deep = '{"a": ' * 300 + "1" + "}" * 300
    hello = {"protocolVersion": "2025-06-18", "capabilities": {},
             "clientInfo": {"name": "raw", "version": "1"}}  # fmt: skip
    lines = [
        json.dumps({"jsonrpc": "2.0", "id": 0, "method": "initialize", "params": hello}),
        json.dumps({"jsonrpc": "2.0", "method": "notifications/initialized"}),
        '{"jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": '
        '{"name": "search_catalog", "arguments": {"query": "\\ud800"}}}',
        '{"jsonrpc": "2.0", "id": 2, "method": "tools/call", "params": '
        f'{{"name": "search_catalog", "arguments": {{"query": "a", "deep": {deep}}}}}}}',
        '{"jsonrpc": "2.0", "id": 4, "method": "tools/call", "params": '
        f'{{"name": "search_catalog", "arguments": {{"query": "a", "n": {"9" * 5000}}}}}}}',
        "not json at all",
        json.dumps({"jsonrpc": "2.0", "id": 3, "method": "tools/call",
                    "params": {"name": "search_catalog", "arguments": {"query": "sentry"}}}),
    ]  # fmt: skip
    answers, stderr = _answers(lines, {0, 1, 2, 3, 4}, tmp_path)
    for unreadable in (1, 2, 4):
        error = answers[unreadable]["error"]
        assert error["message"].startswith("not a JSON-RPC message hubtool can read"), error
    assert "sentry-api" in answers[3]["result"]["content"][0]["text"]
    assert "Traceback" not in stderr


def _answers(lines: list[str], ids: set[int], tmp_path: Path) -> tuple[dict[Any, Any], str]:
    """The answers of ``hubtool mcp`` to ``lines``, by id, and its standard error. Standard
    input stays open until every id in ``ids`` is answered (or the server stops, or is killed
    after ``HANG_GUARD`` seconds): closing it ends the session, and a request still running
    then is never answered, as the SDK does."""
    log = tmp_path / "stderr.txt"
    with log.open("w", encoding="utf-8") as errors:
        server = subprocess.Popen(
            [sys.executable, "-m", "hubtool", "mcp", "--store", str(tmp_path / "store.sqlite3")],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=errors, text=True,
            cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)},
        )  # fmt: skip
    assert server.stdin is not None and server.stdout is not None
    answers: dict[Any, Any] = {}
    guard = threading.Timer(HANG_GUARD, server.kill)  # an id never answered: the test fails
    guard.start()
    try:
        server.stdin.write("\n".join(lines) + "\n")
        server.stdin.flush()
        while not ids <= answers.keys() and (line := server.stdout.readline()):
            message = json.loads(line)
            if "id" in message:
                answers[message["id"]] = message
    finally:
        server.stdin.close()
        server.wait(timeout=HANG_GUARD)
        guard.cancel()
        server.stdout.close()
    return answers, log.read_text(encoding="utf-8")
