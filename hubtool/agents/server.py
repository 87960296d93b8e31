"""The MCP server: hubtool's authoring workflow as typed tools, on the ``mcp`` SDK's FastMCP.

``build_server(ws)`` registers the tools (``TOOLS``; ``OPERATOR_TOOLS`` only when the operator
allowed publishing), the rule and schema resources, and the instructions an agent reads first.
Every call passes ``HubtoolServer.call_tool``: arguments holding a credential are refused before
any tool reads them (nor are they echoed); an error's message is redacted; and every response
is redacted by hubtool's secret detector on the way out, a last net under outputs built from
validated data; so are an unknown resource's error and what the SDK logs on standard error.
Tools are synchronous: one stdio client, one call at a time.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from io import TextIOWrapper
from typing import Annotated, Any, BinaryIO, Literal

from mcp.server.fastmcp import FastMCP
from mcp.server.fastmcp.exceptions import ResourceError, ToolError
from mcp.server.fastmcp.resources import TextResource
from mcp.types import ContentBlock, TextContent, ToolAnnotations
from pydantic import BaseModel, Field

from hubtool import __version__
from hubtool.agents import catalog, drafts, models, resources, specs
from hubtool.agents.workspace import Workspace, credential_refusal
from hubtool.core.errors import HubtoolError

INSTRUCTIONS = """\
hubtool checks Harbor Dock/Hub integration manifests and keeps action drafts. The workflow:
1. Inspect the port: search_catalog, show_catalog_entry (port, actions, approval modes, spec).
2. Inspect live actions and drafts: list_drafts, show_draft.
3. Propose fixed, bounded routes only: list_operations of the provider spec, scaffold_action
   (a refused operation comes back with its reason), validate_action.
4. Import the proposal as a draft (import_drafts), then validate_drafts and test_drafts (a draft
   needs at least one example to test).
5. request_publish: an operator publishes; agents never self-publish.
Never send a credential to a tool (refused), never widen a port into a generic proxy, never add
bulk mutations or DELETE routes, never hide targeting behind free route input.
Rules: the hubtool://rules resources; the manifest schema: hubtool://schema/manifest."""

READ = ToolAnnotations(readOnlyHint=True, destructiveHint=False, openWorldHint=False)
WRITE = ToolAnnotations(readOnlyHint=False, destructiveHint=False, openWorldHint=False)
OPERATOR = ToolAnnotations(readOnlyHint=False, destructiveHint=True, openWorldHint=False)

Manifest = Annotated[
    str, Field(description="a manifest slug (sentry-api), publisher slug, or path in the catalog")
]
Spec = Annotated[
    str,
    Field(description="an OpenAPI spec path in the workspace or a --specs directory "
          "(show_catalog_entry's spec)"),
]  # fmt: skip
Action = Annotated[dict[str, Any], Field(description="an action template JSON object")]
Ids = Annotated[list[str], Field(description="draft ids (list_drafts shows them)")]
Note = Annotated[
    str, Field(description="a note recorded with each transition", max_length=drafts.MAX_NOTE)
]
State = Literal[
    "draft", "validated", "tested", "publish_requested", "published", "rejected", "superseded"
]


class HubtoolServer(FastMCP):
    """FastMCP with hubtool's two guards on every tool call (credentials in, secrets out)."""

    async def call_tool(
        self, name: str, arguments: dict[str, Any]
    ) -> Sequence[ContentBlock] | dict[str, Any]:
        from hubtool.core.secrets import redact_text

        refusal = credential_refusal({"name": name, "arguments": arguments})
        if refusal is not None:
            raise ToolError(refusal)
        try:
            result = await super().call_tool(name, arguments)
        except Exception as exc:  # ToolError wraps the tool's own; its text is redacted
            raise ToolError(redact_text(str(exc))) from None
        return scrubbed_result(result)

    async def read_resource(self, uri: Any) -> Any:
        """The resource at ``uri``; an error's message (the SDK's quotes the URI as given) is
        redacted."""
        from hubtool.core.secrets import redact_text

        try:
            return await super().read_resource(uri)
        except Exception as exc:
            raise ResourceError(redact_text(str(exc))) from None

    async def get_prompt(self, name: str, arguments: dict[str, Any] | None = None) -> Any:
        """hubtool has no prompts (the SDK's error quotes the name, and logs it)."""
        raise ValueError("hubtool serves no prompts: its tools and resources are listed")


class Redacting(logging.Filter):
    """Log records with every credential-shaped part redacted: the SDK logs tool names and
    unreadable lines as it was given them."""

    def filter(self, record: logging.LogRecord) -> bool:
        from hubtool.core.secrets import redact_text

        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # a bad record: the handler reports it as it would
            return True
        record.msg, record.args = redact_text(message), None
        return True


def scrubbed_result(result: Any) -> Any:
    """A tool's result scrubbed. FastMCP's (text content, structured content) pair: the
    structured document scrubbed, then its text written again from it, as FastMCP writes it: a
    scrub of the whole text would withhold all of it for one credential that only a decoding
    shows, and the text would no longer be the document (nor JSON)."""
    if isinstance(result, tuple) and len(result) == 2 and isinstance(result[1], dict):
        import pydantic_core

        structured = scrubbed(result[1])
        text = pydantic_core.to_json(structured, indent=2).decode()
        return [TextContent(type="text", text=text)], structured
    return scrubbed(result)


def scrubbed(value: Any) -> Any:
    """``value`` with every string redacted (``redact_text``): dicts, lists, tuples, text
    content blocks. A clean string comes back as it was."""
    from hubtool.core.secrets import redact_text

    if isinstance(value, str):
        return redact_text(value)
    if isinstance(value, dict):
        return {scrubbed(k): scrubbed(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(scrubbed(v) for v in value)
    if isinstance(value, TextContent):
        return value.model_copy(update={"text": redact_text(value.text)})
    return value


def build_server(ws: Workspace) -> HubtoolServer:
    """The server for workspace ``ws``: tools, resources and instructions."""
    server = HubtoolServer("hubtool", instructions=INSTRUCTIONS, log_level="WARNING")
    server._mcp_server.version = __version__  # FastMCP takes no version: else the SDK's
    for function, hints in (*TOOLS, *(OPERATOR_TOOLS if ws.allow_publish else ())):
        server.add_tool(_bound(function, ws), annotations=hints)
    for doc in [*resources.rule_docs(), resources.schema_doc()]:
        text = scrubbed(doc.text)  # the secret rules' examples hold made-up tokens: redacted
        server.add_resource(
            TextResource(uri=doc.uri, name=doc.name, description=doc.description,
                         mime_type=doc.mime_type, text=text)
        )  # fmt: skip
    return server


def serve(server: HubtoolServer, stdin: BinaryIO, stdout: BinaryIO) -> None:
    """Serve MCP over these byte streams (JSON-RPC, one UTF-8 line a message) until the
    client closes ``stdin``. The command passes the process's own standard streams: the CLI's
    guarded ``sys.stdout`` is for text meant for people. The streams stay open afterwards."""
    import contextlib

    import anyio

    from hubtool.agents.stdio import stdio_transport

    reader = TextIOWrapper(stdin, encoding="utf-8", errors="replace")
    writer = TextIOWrapper(stdout, encoding="utf-8")
    for handler in logging.getLogger().handlers:  # FastMCP's, on the root logger (stderr)
        if not any(isinstance(f, Redacting) for f in handler.filters):
            handler.addFilter(Redacting())

    async def run() -> None:
        streams = stdio_transport(anyio.wrap_file(reader), anyio.wrap_file(writer))
        async with streams as (read_stream, write_stream):
            low = server._mcp_server  # FastMCP.run_stdio_async, with these streams
            await low.run(read_stream, write_stream, low.create_initialization_options())

    try:
        anyio.run(run)
    finally:
        for wrapper in (reader, writer):  # a wrapper collected later would close the stream
            with contextlib.suppress(ValueError, OSError):
                wrapper.detach()


def _bound(function: Any, ws: Workspace) -> Any:
    """``function`` with its first parameter (the workspace) bound, keeping its name,
    docstring and annotations (FastMCP reads the signature for the input and output schemas)."""
    import functools
    import inspect

    @functools.wraps(function)
    def tool(*args: Any, **kwargs: Any) -> Any:
        try:
            return encodable(function(ws, *args, **kwargs))
        except HubtoolError as exc:
            raise ToolError(str(exc)) from None

    signature = inspect.signature(function, eval_str=True)
    parameters = list(signature.parameters.values())[1:]
    tool.__signature__ = signature.replace(parameters=parameters)  # type: ignore[attr-defined]
    tool.__annotations__ = {
        k: v for k, v in inspect.get_annotations(function, eval_str=True).items() if k != "ws"
    }
    return tool


def encodable(value: Any) -> Any:
    """``value`` (a tool's model, or its dicts, lists and strings) with each string UTF-8
    cannot hold (a lone surrogate, which Python's json reads in a provider spec) escaped as
    ``\\ud800``, as ``scaffold --list --format json`` prints it; equal values as they were."""
    if isinstance(value, str):
        if value.isascii():
            return value
        return value.encode("utf-8", "backslashreplace").decode("utf-8")
    if isinstance(value, BaseModel):
        dumped = value.model_dump()
        fixed = encodable(dumped)
        return value if fixed == dumped else type(value).model_validate(fixed)
    if isinstance(value, dict):
        return {encodable(k): encodable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [encodable(v) for v in value]
    return value


# --- the tools (first parameter: the workspace, bound by build_server) ------------------------


def search_catalog(
    ws: Workspace, query: Annotated[str, Field(description="a word; empty: every entry")] = ""
) -> models.CatalogList:
    """Search the catalog's manifests by slug, publisher, title, summary or tag."""
    return catalog.search(ws, query)


def show_catalog_entry(
    ws: Workspace,
    manifest: Manifest,
    full: Annotated[bool, Field(description="also return the full action templates")] = False,
) -> models.CatalogEntry:
    """A manifest's port (safe metadata), its live actions with their routes and approval
    modes, and the provider spec it is checked against."""
    return catalog.show(ws, manifest, full)


def list_drafts(
    ws: Workspace,
    manifest: Annotated[str | None, Field(description="only this manifest slug's")] = None,
    state: Annotated[State | None, Field(description="only drafts in this state")] = None,
    history: Annotated[bool, Field(description="include superseded drafts")] = False,
) -> models.DraftList:
    """The drafts in the store (the operator's --store)."""
    return drafts.list_drafts(ws, manifest, state, history)


def show_draft(ws: Workspace, draft_id: str) -> models.DraftDetail:
    """One draft: its state, action template, input schema and transition history."""
    return drafts.show_draft(ws, draft_id)


def list_operations(
    ws: Workspace,
    spec: Spec,
    grep: Annotated[
        str | None, Field(description="only operations whose id, path or summary holds it")
    ] = None,
    limit: Annotated[int, Field(ge=0, le=specs.MAX_LISTED)] = 100,
) -> models.OperationList:
    """The operations of a provider's OpenAPI spec: method, path, operationId, summary."""
    return specs.operations(ws, spec, grep, limit)


def scaffold_action(
    ws: Workspace,
    spec: Spec,
    operation_id: str,
    manifest: Annotated[
        str | None, Field(description="the manifest the action is for (its port's baseUrl)")
    ] = None,
    slug: str | None = None,
    body_fields: Annotated[
        list[str] | None, Field(description="keep only these top-level body fields")
    ] = None,
    include_deprecated: bool = False,
) -> models.Scaffolded:
    """A bounded action template from one operation, checked by every policy rule; or
    refused with the reason (DELETE, bulk mutation, generic route, deprecated ...). Nothing is
    written: pass the action to validate_action, then import_drafts."""
    return specs.scaffold(ws, spec, operation_id, manifest, slug, body_fields, include_deprecated)


def validate_manifest(ws: Workspace, manifest: Manifest) -> models.Validation:
    """Every rule hubtool validate runs on one manifest (with the repository's .hubtool.yaml)."""
    return catalog.validate_manifest(ws, manifest)


def validate_action(ws: Workspace, manifest: Manifest, action: Action) -> models.Validation:
    """The findings on one proposed action inside a manifest (replacing the action of its
    slug, else added); nothing is written."""
    return catalog.validate_action(ws, manifest, action)


def render_request(
    ws: Workspace,
    manifest: Manifest,
    action: Annotated[
        str | dict[str, Any], Field(description="an action slug of the manifest, or a proposal")
    ],
    input: Annotated[dict[str, Any], Field(description="{path, query, body} values")],
) -> models.Rendered:
    """The exact HTTP request an action sends for an input; the token is a placeholder."""
    return catalog.render(ws, manifest, action, input)


def import_drafts(
    ws: Workspace,
    manifest: Manifest,
    proposed_actions: Annotated[
        list[dict[str, Any]] | None,
        Field(description="action templates to add (or replace by slug) before importing"),
    ] = None,
    dry_run: bool = False,
) -> models.Imported:
    """Import a manifest (with proposed actions) as drafts in the store; a manifest with an
    error imports nothing (the findings say why). The catalog file is never written."""
    return catalog.import_drafts(ws, manifest, proposed_actions or [], dry_run)


def validate_drafts(ws: Workspace, draft_ids: Ids, note: Note = "") -> models.StepResult:
    """Validate drafts (draft -> validated): the action rules under the draft's port."""
    return drafts.run_step(ws, "validate", draft_ids, note)


def test_drafts(ws: Workspace, draft_ids: Ids, note: Note = "") -> models.StepResult:
    """Render every example of each draft offline (validated -> tested; validates first)."""
    return drafts.run_step(ws, "test", draft_ids, note)


def request_publish(ws: Workspace, draft_ids: Ids, note: Note = "") -> models.StepResult:
    """Ask an operator to publish tested drafts (tested -> publish_requested)."""
    return drafts.run_step(ws, "request-publish", draft_ids, note)


def publish_drafts(ws: Workspace, draft_ids: Ids, note: Note = "") -> models.StepResult:
    """Operator: publish tested or requested drafts (they go live)."""
    return drafts.run_step(ws, "publish", draft_ids, note)


def reject_drafts(ws: Workspace, draft_ids: Ids, note: Note = "") -> models.StepResult:
    """Operator: reject drafts."""
    return drafts.run_step(ws, "reject", draft_ids, note)


TOOLS = (
    (search_catalog, READ),
    (show_catalog_entry, READ),
    (list_drafts, READ),
    (show_draft, READ),
    (list_operations, READ),
    (scaffold_action, READ),
    (validate_manifest, READ),
    (validate_action, READ),
    (render_request, READ),
    (import_drafts, WRITE),
    (validate_drafts, WRITE),
    (test_drafts, WRITE),
    (request_publish, WRITE),
)
"""Every agent's tool, with its MCP annotations."""
OPERATOR_TOOLS = ((publish_drafts, OPERATOR), (reject_drafts, OPERATOR))
"""Only with ``hubtool mcp --allow-publish OPERATOR``."""
