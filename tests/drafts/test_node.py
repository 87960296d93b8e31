"""`hubtool import --node URL` against tests/harbor_node.py, a stand-in for a Harbor Node.

No Harbor Node package exists here; the stand-in serves exactly the documented draft routes
(FORMAT.md section 9) and documents which payload fields are assumptions.
"""

from __future__ import annotations

import json
import os
import socket
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import SENTRY, run_cli
from harbor_node import HarborNodeStandIn

from hubtool import cli as cli_module
from hubtool.commands import drafts as drafts_commands
from hubtool.core.secrets import find_secret
from hubtool.core.secrets.names import names_credential
from hubtool.drafts.importer import load_source, sha256
from hubtool.drafts.node import DEFAULT_NODE, draft_payload
from hubtool.registry import RULES

PORT = "port_sentry"
SLUGS = ["list-projects", "list-issues", "resolve-issue"]
STEPS = ["validate", "test", "request-publish"]
PROXY_VARIABLES = {"http_proxy", "https_proxy", "all_proxy", "no_proxy"}


@pytest.fixture
def node() -> Iterator[HarborNodeStandIn]:
    with HarborNodeStandIn() as standin:
        yield standin


@pytest.fixture
def sentry_node(node: HarborNodeStandIn) -> HarborNodeStandIn:
    """The stand-in with the port an operator created for Sentry."""
    node.add_port(PORT, "https://sentry.io/", label="Sentry")
    return node


def hubtool(*args: str):
    """Run the CLI in a subprocess, without any proxy between it and 127.0.0.1."""
    env = {k: v for k, v in os.environ.items() if k.lower() not in PROXY_VARIABLES}
    return run_cli(*args, env=env)


def _walk(value: Any, pointer: str = "") -> Iterator[tuple[str, str | None, Any]]:
    """Yield (pointer, key or None, leaf-or-container) for every member, depth first."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield f"{pointer}/{key}", key, item
            yield from _walk(item, f"{pointer}/{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield f"{pointer}/{index}", None, item
            yield from _walk(item, f"{pointer}/{index}")


def _assert_nothing_token_like(node: HarborNodeStandIn, manifest: dict) -> None:
    """No credential-named header or key, no credential-shaped value, in any request.

    The provenance digests are 64 hex characters, which find_secret rightly treats as
    token-shaped; they are accepted only where they belong and only when they equal the
    digests of the manifest and its templates (so nothing else can hide there).
    """
    digests = {sha256(manifest)} | {sha256(a) for a in manifest["actionTemplates"]}
    digest_pointers = ("/provenance/manifestSha256", "/provenance/templateSha256")
    assert node.requests
    for request in node.requests:
        where = f"{request.method} {request.path}"
        credential_headers = [name for name in request.headers if names_credential(name)]
        assert not credential_headers, f"{where} sent {credential_headers}"
        for value in request.headers.values():
            assert find_secret(value) is None, f"{where}: a header value looks like a token"
        assert not isinstance(request.body, str), f"{where} sent a body that is not JSON"
        for pointer, key, value in _walk(request.body):
            assert key is None or not names_credential(key), f"{where} {pointer} names a credential"
            if not isinstance(value, str) or find_secret(value) is None:
                continue
            assert pointer in digest_pointers and value in digests, (
                f"{where} {pointer}: token-like value {find_secret(value)}"
            )


def _expected_import_calls(first_draft: int = 1) -> list[tuple[str, str]]:
    calls = [("GET", "/v1/ports"), ("GET", f"/v1/ports/{PORT}/action-drafts")]
    for number in range(first_draft, first_draft + len(SLUGS)):
        calls.append(("POST", f"/v1/ports/{PORT}/action-drafts"))
        calls += [("POST", f"/v1/action-drafts/dr_{number}/{step}") for step in STEPS]
    return calls


def test_import_creates_validates_tests_and_requests_publish(
    sentry_node: HarborNodeStandIn, sentry_data: dict
) -> None:
    result = hubtool("import", "sentry", "--node", sentry_node.url)
    assert result.returncode == 0, result.stdout + result.stderr
    assert sentry_node.calls() == _expected_import_calls()
    assert not any(path.endswith("/publish") for _, path in sentry_node.calls())

    created = [r.body for r in sentry_node.requests if r.path.endswith(f"{PORT}/action-drafts")]
    assert [body["slug"] for body in created if body] == SLUGS
    for request in sentry_node.requests:
        if request.method == "POST" and request.path.startswith("/v1/action-drafts/"):
            assert request.body == {}
    drafts = sentry_node.drafts
    assert [(d["slug"], d["state"], d["portId"]) for d in drafts.values()] == [
        (slug, "publish_requested", PORT) for slug in SLUGS
    ]
    _assert_nothing_token_like(sentry_node, sentry_data)

    assert result.stdout.splitlines()[0] == f"Harbor Node port {PORT}:"
    for number, slug in enumerate(SLUGS, 1):
        assert any(
            line.split() == ["create", slug, f"dr_{number}"] for line in result.stdout.splitlines()
        ), result.stdout


def test_second_import_creates_nothing(sentry_node: HarborNodeStandIn) -> None:
    assert hubtool("import", "sentry", "--node", sentry_node.url).returncode == 0
    first = len(sentry_node.requests)

    result = hubtool("import", "sentry", "--node", sentry_node.url)
    assert result.returncode == 0, result.stdout + result.stderr
    assert sentry_node.calls()[first:] == [
        ("GET", "/v1/ports"),
        ("GET", f"/v1/ports/{PORT}/action-drafts"),
    ]
    assert len(sentry_node.drafts) == len(SLUGS)
    for slug in SLUGS:
        assert any(line.split() == ["unchanged", slug] for line in result.stdout.splitlines())


def test_changed_template_gets_a_new_draft(sentry_node: HarborNodeStandIn, tmp_path) -> None:
    """Recognition is by slug + provenance.templateSha256: an edited template is new work."""
    assert hubtool("import", "sentry", "--node", sentry_node.url).returncode == 0
    first = len(sentry_node.requests)
    data = json.loads(SENTRY.read_text(encoding="utf-8"))
    data["actionTemplates"][0]["description"] += " Edited."
    edited = tmp_path / "sentry-api.json"
    edited.write_text(json.dumps(data, indent=2), encoding="utf-8")

    result = hubtool("import", str(edited), "--node", sentry_node.url)
    assert result.returncode == 0, result.stdout + result.stderr
    assert sentry_node.calls()[first + 2 :] == [
        ("POST", f"/v1/ports/{PORT}/action-drafts"),
        *[("POST", f"/v1/action-drafts/dr_4/{step}") for step in STEPS],
    ]


def test_no_port_for_the_base_url_exits_2(node: HarborNodeStandIn) -> None:
    node.add_port("port_github", "https://api.github.com/")
    result = hubtool("import", "sentry", "--node", node.url)
    assert result.returncode == 2
    assert "no port with baseUrl https://sentry.io/" in result.stderr
    assert "an operator creates the port" in result.stderr
    assert "Traceback" not in result.stderr
    assert node.calls() == [("GET", "/v1/ports")]


def test_node_not_running_exits_2() -> None:
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))  # bound, never listening: connections are refused
        url = f"http://127.0.0.1:{closed.getsockname()[1]}"
        result = hubtool("import", "sentry", "--node", url)
    assert result.returncode == 2
    assert f"cannot reach Harbor Node at {url}" in result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr


@pytest.mark.parametrize(
    ("fault", "message"),
    [
        ((500, b"<h1>boom</h1>", "text/html"), "Harbor Node GET /v1/ports: HTTP 500"),
        (
            (200, b"<html>hello</html>", "text/html"),
            "Harbor Node GET /v1/ports: the reply is not JSON",
        ),
    ],
    ids=["http-500", "not-json"],
)
def test_node_failing_exits_2(node: HarborNodeStandIn, fault, message: str) -> None:
    node.fault = fault
    result = hubtool("import", "sentry", "--node", node.url)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr


def test_not_http_exits_2() -> None:
    """Something that is not an HTTP server on the port: a clear message, not an internal error."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        url = f"http://127.0.0.1:{server.getsockname()[1]}"

        def answer() -> None:
            connection, _ = server.accept()
            with connection:
                connection.recv(65536)
                connection.sendall(b"SSH-2.0-OpenSSH\r\n\r\n")

        thread = threading.Thread(target=answer, daemon=True)
        thread.start()
        result = hubtool("import", "sentry", "--node", url)
        thread.join(timeout=5)
    assert result.returncode == 2
    assert "the reply is not valid HTTP" in result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr


@pytest.mark.parametrize("address", ["localhost:11821", "11821", "ftp://127.0.0.1:11821"])
def test_bad_node_address_exits_2(address: str) -> None:
    result = hubtool("import", "sentry", "--node", address)
    assert result.returncode == 2
    assert "give the Harbor Node address as http://HOST:PORT" in result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr


def test_node_option_without_a_value_is_the_documented_address(monkeypatch) -> None:
    """Parsing only: --node alone means http://127.0.0.1:11821 (FORMAT.md section 9)."""
    seen = []
    monkeypatch.setattr(drafts_commands, "run_import", lambda options: seen.append(options) or 0)
    for args, expected in [
        (["import", "sentry", "--node"], "http://127.0.0.1:11821"),
        (["import", "sentry", "--node", "http://node.test:8080"], "http://node.test:8080"),
        (["import", "sentry"], None),
    ]:
        result = CliRunner().invoke(cli_module.cli, args)
        assert result.exit_code == 0, result.output
        assert seen.pop().node == expected
    assert DEFAULT_NODE == "http://127.0.0.1:11821"


def test_node_option_without_a_value_reaches_the_default_address() -> None:
    with socket.socket() as probe:
        probe.settimeout(1)
        if probe.connect_ex(("127.0.0.1", 11821)) == 0:
            pytest.skip("something listens on 127.0.0.1:11821 on this machine")
    result = hubtool("import", "sentry", "--node")
    assert result.returncode == 2
    assert "cannot reach Harbor Node at http://127.0.0.1:11821" in result.stderr
    assert "Traceback" not in result.stderr


def test_draft_payload_carries_the_template_inputs_and_provenance() -> None:
    source, report = load_source(SENTRY, rules=RULES)
    assert source is not None, report
    action = source.data["actionTemplates"][2]
    payload = draft_payload(source, action)
    template_fields = ["slug", "label", "description", "method", "path", "inputs"]
    template_fields += ["approvalMode", "requestBodyMode", "resultMode"]
    for key in template_fields:
        assert payload[key] == action[key], key
    assert isinstance(payload["inputSchema"], dict) and payload["inputSchema"]
    assert payload["provenance"] == {
        "manifestSlug": "sentry-api",
        "manifestVersion": source.data["version"],
        "manifestSha256": sha256(source.data),
        "templateSha256": sha256(action),
        "sourcePath": source.path,
    }
    assert source.path.endswith("apps/hub/catalog/integrations/sentry/sentry-api.json")
    assert set(payload) <= {*template_fields, "examples", "inputSchema", "provenance"}


# -- the stand-in itself keeps the documented contract ------------------------------------------


def _request(node: HarborNodeStandIn, method: str, path: str, body: Any = None):
    data = None if body is None else json.dumps(body).encode("utf-8")
    request = urllib.request.Request(node.url + path, data=data, method=method)
    request.add_header("Content-Type", "application/json")
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(request, timeout=5) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def test_stand_in_routes_and_lifecycle(sentry_node: HarborNodeStandIn) -> None:
    node = sentry_node
    status, health = _request(node, "GET", "/health")
    assert status == 200
    assert set(health) == {"service", "version", "nodeId", "nodeName", "status", "timestamp"}

    assert _request(node, "GET", "/v1/ports")[1] == [
        {"id": PORT, "label": "Sentry", "kind": "http_api", "baseUrl": "https://sentry.io/"}
    ]
    assert _request(node, "GET", "/v1/nope")[0] == 404
    assert _request(node, "GET", "/v1/status")[0] == 404  # documented, but not a draft route
    assert _request(node, "POST", "/v1/ports", {"baseUrl": "https://x.test/"})[0] == 405
    assert _request(node, "DELETE", f"/v1/ports/{PORT}/action-drafts")[0] == 405
    draft = {"slug": "s", "method": "GET", "path": "/p"}
    assert _request(node, "POST", "/v1/ports/port_unknown/action-drafts", draft)[0] == 404
    assert _request(node, "POST", f"/v1/ports/{PORT}/action-drafts", {"slug": "s"})[0] == 400

    status, created = _request(node, "POST", f"/v1/ports/{PORT}/action-drafts", draft)
    assert status == 201 and created["state"] == "draft" and created["portId"] == PORT
    base = f"/v1/action-drafts/{created['id']}"
    status, error = _request(node, "POST", f"{base}/test", {})
    assert status == 409 and error["error"] == "invalid_transition"
    assert _request(node, "POST", "/v1/action-drafts/dr_404/validate", {})[0] == 404
    for step, state in [("validate", "validated"), ("test", "tested")]:
        status, moved = _request(node, "POST", f"{base}/{step}", {})
        assert status == 200 and {**moved, "updatedAt": None} == {
            **created,
            "state": state,
            "updatedAt": None,
        }
    assert _request(node, "POST", f"{base}/publish", {})[0] == 403
    node.allow_publish = True
    assert _request(node, "POST", f"{base}/publish", {})[1]["state"] == "published"
    assert _request(node, "POST", f"{base}/reject", {})[0] == 409
    assert _request(node, "GET", base)[1]["state"] == "published"
    assert [d["id"] for d in _request(node, "GET", "/v1/action-drafts")[1]] == [created["id"]]
    assert _request(node, "GET", f"/v1/ports/{PORT}/action-drafts")[1][0]["slug"] == "s"


def test_dry_run_against_a_node_only_reads_and_json_lists_the_plan(
    sentry_node: HarborNodeStandIn,
) -> None:
    result = hubtool("import", "sentry", "--node", sentry_node.url, "--dry-run", "--format", "json")
    assert result.returncode == 0, result.stderr
    assert {method for method, _ in sentry_node.calls()} == {"GET"}
    document = json.loads(result.stdout)
    assert document["dry_run"] is True and document["port"] == PORT
    assert [(s["op"], s["action"], s["draft"]) for s in document["steps"]] == [
        ("create", "list-projects", None),
        ("create", "list-issues", None),
        ("create", "resolve-issue", None),
    ]
