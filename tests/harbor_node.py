"""STAND-IN for a Harbor Node's action-draft API, for tests only. It is not Harbor Node.

No Harbor Node package exists here, so this module serves the documented draft routes
(../shared/reference/harbor/FORMAT.md section 9) from memory, on a real HTTP server
(``ThreadingHTTPServer`` on 127.0.0.1, port 0, in a thread). Exactly these routes exist:

    GET  /health                                     service, version, nodeId, nodeName,
                                                     status, timestamp
    GET  /v1/ports                                   the ports the test seeded
    GET  /v1/ports/:portId/action-drafts             drafts of one port (unknown port: 404)
    POST /v1/ports/:portId/action-drafts             create a draft under an existing port
                                                     (unknown port: 404)
    GET  /v1/action-drafts                           every draft
    GET  /v1/action-drafts/:draftId                  one draft (unknown: 404)
    POST /v1/action-drafts/:draftId/validate         draft -> validated
    POST /v1/action-drafts/:draftId/test             validated -> tested
    POST /v1/action-drafts/:draftId/request-publish  tested -> publish_requested
    POST /v1/action-drafts/:draftId/publish          tested | publish_requested -> published;
                                                     403 unless ``allow_publish`` (caller mode)
    POST /v1/action-drafts/:draftId/reject           any state but published/rejected -> rejected

Any other path answers 404; a known path with another method answers 405 (with ``Allow``).
An illegal transition answers 409. Ports are seeded by the test (operators create ports; agents
do not), so ``POST /v1/ports`` -- an operator route of the real Node -- is a 405 here.
Every request is recorded as ``Recorded(method, path, headers, body)`` for assertions.

Documented (FORMAT.md section 9): the routes and methods, the operations (create, validate,
test, request-publish, publish, reject), "publish only when Harbor allows that caller mode", and
the /health field names. ASSUMPTIONS (not documented anywhere we can read):

- the create-draft body is a JSON object carrying the template fields ``slug``, ``label``,
  ``description``, ``method``, ``path``, ``inputs``, ``approvalMode``, ``requestBodyMode``,
  ``resultMode`` (and ``examples`` when the template has them), plus ``inputSchema`` and
  ``provenance`` (``manifestSlug``, ``manifestVersion``, ``manifestSha256``, ``templateSha256``,
  ``sourcePath``); ``slug``, ``method`` and ``path`` are required (else 400); every field is
  stored and echoed back as sent, so draft reads and lists carry ``provenance``;
- a draft reply is that object plus ``{"id", "portId", "state", "createdAt", "updatedAt"}``;
  the state names ``draft``, ``validated``, ``tested``, ``publish_requested``, ``published``,
  ``rejected`` and the allowed source states in TRANSITIONS; ids look like ``dr_1`` (after the
  docs' ``dr_123`` example);
- list replies are bare JSON arrays; a port is ``{"id", "label", "kind", "baseUrl", ...}``;
- errors are ``{"error": "<code>", "message": "..."}`` with status 400/403/404/405/409;
- successful POSTs answer 200 (201 for a created draft) with the draft; lifecycle POST bodies
  are ignored (they must be empty or JSON).
"""

from __future__ import annotations

import itertools
import json
import re
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import unquote, urlsplit

# operation -> (states it may start from, state it leads to)
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "validate": (frozenset({"draft"}), "validated"),
    "test": (frozenset({"validated"}), "tested"),
    "request-publish": (frozenset({"tested"}), "publish_requested"),
    "publish": (frozenset({"tested", "publish_requested"}), "published"),
    "reject": (frozenset({"draft", "validated", "tested", "publish_requested"}), "rejected"),
}
REQUIRED_DRAFT_FIELDS = ("slug", "method", "path")
SEGMENT = "([^/]+)"
# (compiled path, allowed methods, handler name)
ROUTES: list[tuple[re.Pattern[str], tuple[str, ...], str]] = [
    (re.compile(r"/health"), ("GET",), "health"),
    (re.compile(r"/v1/ports"), ("GET",), "list_ports"),
    (re.compile(rf"/v1/ports/{SEGMENT}/action-drafts"), ("GET", "POST"), "port_drafts"),
    (re.compile(r"/v1/action-drafts"), ("GET",), "list_drafts"),
    (re.compile(rf"/v1/action-drafts/{SEGMENT}"), ("GET",), "get_draft"),
    (
        re.compile(rf"/v1/action-drafts/{SEGMENT}/({'|'.join(TRANSITIONS)})"),
        ("POST",),
        "transition",
    ),
]


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


class NodeError(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


@dataclass(frozen=True)
class Recorded:
    """One request as received: body is the parsed JSON (None when empty, str when not JSON)."""

    method: str
    path: str
    headers: dict[str, str]
    body: Any


@dataclass
class HarborNodeStandIn:
    """In-memory Node state plus the HTTP server; use as ``with HarborNodeStandIn() as node``."""

    allow_publish: bool = False
    """Whether the caller mode may publish directly (else publish answers 403)."""
    node_id: str = "node_standin"
    node_name: str = "hubtool test stand-in"
    ports: dict[str, dict[str, Any]] = field(default_factory=dict)
    drafts: dict[str, dict[str, Any]] = field(default_factory=dict)
    requests: list[Recorded] = field(default_factory=list)
    fault: tuple[int, bytes, str] | None = None
    """(status, body, content type): answer every request with this instead (500s, non-JSON)."""

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- test set-up and inspection ------------------------------------------------------------

    def add_port(self, port_id: str, base_url: str, **fields: Any) -> dict[str, Any]:
        """Seed a port, as an operator would have created it."""
        port = {"id": port_id, "label": port_id, "kind": "http_api", "baseUrl": base_url, **fields}
        self.ports[port_id] = port
        return port

    @property
    def url(self) -> str:
        assert self._server is not None, "the stand-in is not running"
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def calls(self) -> list[tuple[str, str]]:
        """(method, path) of every recorded request, in order."""
        with self._lock:
            return [(r.method, r.path) for r in self.requests]

    # -- lifecycle -----------------------------------------------------------------------------

    def __enter__(self) -> HarborNodeStandIn:
        node = self

        class Handler(_Handler):
            standin = node

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        assert self._server is not None and self._thread is not None
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    # -- the API -------------------------------------------------------------------------------

    def handle(self, method: str, route: str, args: tuple[str, ...], body: Any) -> tuple[int, Any]:
        with self._lock:
            status, payload = getattr(self, f"_{route}")(method, *args, body=body)
            return status, json.loads(json.dumps(payload))  # a snapshot, taken under the lock

    def _health(self, method: str, body: Any) -> tuple[int, Any]:
        return 200, {
            "service": "harbor-node",
            "version": "0.0.0-standin",
            "nodeId": self.node_id,
            "nodeName": self.node_name,
            "status": "ok",
            "timestamp": _now(),
        }

    def _list_ports(self, method: str, body: Any) -> tuple[int, Any]:
        return 200, list(self.ports.values())

    def _port_drafts(self, method: str, port_id: str, body: Any) -> tuple[int, Any]:
        if port_id not in self.ports:
            raise NodeError(404, "port_not_found", f"no port {port_id!r}")
        if method == "GET":
            return 200, [d for d in self.drafts.values() if d["portId"] == port_id]
        if not isinstance(body, dict):
            raise NodeError(400, "invalid_body", "the draft must be a JSON object")
        missing = [k for k in REQUIRED_DRAFT_FIELDS if not isinstance(body.get(k), str)]
        if missing:
            raise NodeError(400, "invalid_body", f"missing string fields: {', '.join(missing)}")
        stamp = _now()
        draft = {
            **body,
            "id": f"dr_{next(self._ids)}",
            "portId": port_id,
            "state": "draft",
            "createdAt": stamp,
            "updatedAt": stamp,
        }
        self.drafts[draft["id"]] = draft
        return 201, draft

    def _list_drafts(self, method: str, body: Any) -> tuple[int, Any]:
        return 200, list(self.drafts.values())

    def _get_draft(self, method: str, draft_id: str, body: Any) -> tuple[int, Any]:
        if draft_id not in self.drafts:
            raise NodeError(404, "draft_not_found", f"no draft {draft_id!r}")
        return 200, self.drafts[draft_id]

    def _transition(self, method: str, draft_id: str, op: str, body: Any) -> tuple[int, Any]:
        draft = self._get_draft(method, draft_id, body)[1]
        if op == "publish" and not self.allow_publish:
            raise NodeError(403, "publish_not_allowed", "this caller mode may not publish")
        sources, target = TRANSITIONS[op]
        if draft["state"] not in sources:
            raise NodeError(409, "invalid_transition", f"cannot {op} a {draft['state']} draft")
        draft["state"], draft["updatedAt"] = target, _now()
        return 200, draft


class _Handler(BaseHTTPRequestHandler):
    standin: HarborNodeStandIn
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the recorded requests are the log."""

    def _answer(self, status: int, payload: Any, extra: dict[str, str] | None = None) -> None:
        self._send(status, json.dumps(payload).encode("utf-8"), "application/json", extra)

    def _send(self, status: int, data: bytes, ctype: str, extra: dict[str, str] | None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        for name, value in (extra or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def _dispatch(self) -> None:
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        try:
            body: Any = json.loads(raw) if raw else None
        except ValueError:
            body = raw.decode("utf-8", "replace")
        node = self.standin
        with node._lock:
            node.requests.append(Recorded(self.command, self.path, dict(self.headers), body))
        if node.fault is not None:
            status, data, ctype = node.fault
            self._send(status, data, ctype, None)
            return
        path = unquote(urlsplit(self.path).path)
        for pattern, methods, route in ROUTES:
            match = pattern.fullmatch(path)
            if match is None:
                continue
            if self.command not in methods:
                error = {"error": "method_not_allowed", "message": f"{self.command} {path}"}
                self._answer(405, error, {"Allow": ", ".join(methods)})
                return
            if isinstance(body, str):
                self._answer(400, {"error": "invalid_json", "message": "the body is not JSON"})
                return
            try:
                status, payload = node.handle(self.command, route, match.groups(), body)
            except NodeError as exc:
                self._answer(exc.status, {"error": exc.code, "message": exc.message})
                return
            self._answer(status, payload)
            return
        self._answer(404, {"error": "not_found", "message": f"no route {path}"})

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _dispatch
