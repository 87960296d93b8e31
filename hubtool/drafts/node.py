"""A client of a real Harbor Node's documented action-draft API (default http://127.0.0.1:11821).

Agents never create ports: the port must already exist on the Node (found by baseUrl).
Payload fields beyond the documented routes are assumptions, listed in the README.
"""

from __future__ import annotations

import http.client
import json
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlsplit

from hubtool.core.errors import HubtoolError
from hubtool.core.inputs import input_schema
from hubtool.core.manifest import actions, as_dict, as_list, ports
from hubtool.drafts.importer import CREATE, UNCHANGED, Source, sha256

DEFAULT_NODE = "http://127.0.0.1:11821"
STEPS = ("validate", "test", "request-publish")


class NodeClient:
    """JSON over HTTP to one Harbor Node."""

    def __init__(self, base_url: str, timeout: float = 10.0) -> None:
        parts = urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise HubtoolError(
                f"--node {base_url!r}: give the Harbor Node address as http://HOST:PORT "
                f"(default {DEFAULT_NODE})"
            )
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout

    def call(self, method: str, path: str, body: Any = None) -> Any:
        data = None if body is None else json.dumps(body).encode("utf-8")
        request = urllib.request.Request(self.base_url + path, data=data, method=method)
        request.add_header("Accept", "application/json")
        if data is not None:
            request.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                payload = response.read()
        except urllib.error.HTTPError as exc:
            detail = exc.read(2000).decode("utf-8", "replace")
            raise HubtoolError(f"Harbor Node {method} {path}: HTTP {exc.code}: {detail}") from exc
        except (urllib.error.URLError, OSError) as exc:
            raise HubtoolError(
                f"cannot reach Harbor Node at {self.base_url} ({exc}); is it running?"
            ) from exc
        except http.client.HTTPException as exc:
            raise HubtoolError(
                f"Harbor Node {method} {path}: the reply is not valid HTTP "
                f"({type(exc).__name__}: {exc}); is {self.base_url} a Harbor Node?"
            ) from exc
        try:
            return json.loads(payload) if payload else None
        except ValueError as exc:
            raise HubtoolError(f"Harbor Node {method} {path}: the reply is not JSON") from exc

    def ports(self) -> list[dict[str, Any]]:
        reply = self.call("GET", "/v1/ports")
        return [p for p in _items(reply, "ports") if isinstance(p, dict)]

    def drafts(self, port_id: str) -> list[dict[str, Any]]:
        reply = self.call("GET", f"/v1/ports/{_segment(port_id)}/action-drafts")
        return [d for d in _items(reply, "drafts") if isinstance(d, dict)]


def _segment(node_id: str) -> str:
    """A Node-issued id as one path segment: an id holding '/', '?' or '#' stays one segment."""
    return quote(node_id, safe="")


def _items(reply: Any, key: str) -> list[Any]:
    """Lists come bare or wrapped as {"<key>": [...]} (assumption: both are accepted)."""
    return as_list(reply if isinstance(reply, list) else as_dict(reply).get(key))


@dataclass
class NodeResult:
    port_id: str
    steps: list[tuple[str, str, str]] = field(default_factory=list)
    """(operation, action slug, draft id)."""


def find_port(client: NodeClient, base_url: str) -> str:
    wanted = base_url.rstrip("/")
    for port in client.ports():
        if str(port.get("baseUrl", "")).rstrip("/") == wanted and port.get("id"):
            return str(port["id"])
    raise HubtoolError(
        f"Harbor Node has no port with baseUrl {base_url}; an operator creates the port first "
        "(agents author drafts under existing ports)"
    )


def draft_payload(source: Source, action: dict[str, Any]) -> dict[str, Any]:
    """The create-draft body: the Harbor-safe template fields plus inputs and provenance."""
    keys = ("slug", "label", "description", "method", "path", "inputs", "approvalMode",
            "requestBodyMode", "resultMode", "examples")  # fmt: skip
    payload = {k: action[k] for k in keys if k in action}
    payload["inputSchema"] = input_schema(action)
    payload["provenance"] = {
        "manifestSlug": source.data.get("slug"),
        "manifestVersion": source.data.get("version"),
        "manifestSha256": sha256(source.data),
        "templateSha256": sha256(action),
        "sourcePath": source.path,
    }
    return payload


def import_to_node(client: NodeClient, source: Source, dry_run: bool = False) -> NodeResult:
    """Create, validate, test and request publication of each new or changed draft.

    A dry run only reads (GET) and reports what it would create.
    """
    base_url = next((p.get("baseUrl") for _, p in ports(source.data)), "")
    result = NodeResult(find_port(client, str(base_url)))
    port = _segment(result.port_id)
    existing = {
        (d.get("slug"), as_dict(d.get("provenance")).get("templateSha256"))
        for d in client.drafts(result.port_id)
    }
    for _, action in actions(source.data):
        if (action.get("slug"), sha256(action)) in existing:
            result.steps.append((UNCHANGED, action["slug"], ""))
            continue
        if dry_run:
            result.steps.append((CREATE, action["slug"], ""))
            continue
        created = client.call(
            "POST", f"/v1/ports/{port}/action-drafts", draft_payload(source, action)
        )
        draft_id = str(as_dict(created).get("id", ""))
        if not draft_id:
            raise HubtoolError("Harbor Node created a draft but returned no id")
        for step in STEPS:
            client.call("POST", f"/v1/action-drafts/{_segment(draft_id)}/{step}", {})
        result.steps.append((CREATE, action["slug"], draft_id))
    return result
