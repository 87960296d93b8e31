"""The typed outputs of the MCP tools (pydantic models: each tool publishes an output schema).

Plain data, built by ``catalog``, ``specs`` and ``drafts`` from hubtool's own objects. No model
has a field for a credential; the port's auth settings name where Harbor Node puts the token,
never the token. Digests are left out (a 64-hex digest reads as a token to a secret scanner).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class Finding(BaseModel):
    """One finding, as ``hubtool validate --format json`` reports it."""

    rule: str
    severity: str = Field(description="error, warning or note")
    file: str
    pointer: str = Field(description="JSON pointer into the manifest")
    line: int
    column: int
    message: str


class Validation(BaseModel):
    """A manifest or a proposed action checked by hubtool's rules."""

    ok: bool = Field(description="no error (warnings do not fail)")
    manifest: str = Field(description="the manifest's path in the workspace")
    findings: list[Finding]
    waived: int = Field(0, description="findings a .hubtool.yaml waiver covers")


class Port(BaseModel):
    """A port template's safe metadata: where the token goes, never the token."""

    kind: str | None = None
    label: str | None = None
    description: str | None = None
    baseUrl: str | None = None
    authMode: str | None = None
    authHeaderName: str | None = None
    authTokenPrefix: str | None = None


class ActionSummary(BaseModel):
    """One action template: its route and modes."""

    slug: str
    label: str | None = None
    description: str | None = None
    method: str | None = None
    path: str | None = None
    approvalMode: str | None = Field(None, description="automatic or require_approval")
    requestBodyMode: str | None = None
    resultMode: str | None = None


class CatalogItem(BaseModel):
    """One catalog manifest, in a search result."""

    manifest: str = Field(description="the manifest slug (what the tools take)")
    publisher: str | None = None
    title: str | None = None
    version: str | None = None
    path: str = Field(description="the file, relative to the workspace root")
    actions: int


class CatalogList(BaseModel):
    entries: list[CatalogItem]
    total: int = Field(description="manifests in the catalog")


class CatalogEntry(BaseModel):
    """One manifest: its port, its actions with their approval modes, its provider spec."""

    manifest: str
    publisher: str | None = None
    title: str | None = None
    summary: str | None = None
    version: str | None = None
    path: str
    ports: list[Port]
    actions: list[ActionSummary]
    spec: str | None = Field(
        None,
        description="the provider spec the manifest is checked against (its "
        "<slug>.upstream.yaml), relative to a --specs directory: give it to list_operations",
    )
    action_templates: list[dict[str, Any]] | None = Field(
        None, description="the full action templates, with full=true"
    )


class Operation(BaseModel):
    method: str
    path: str
    operationId: str
    summary: str
    deprecated: bool


class OperationList(BaseModel):
    operations: list[Operation]
    count: int = Field(description="operations matched (before the limit)")
    total: int = Field(description="operations in the spec")


class Scaffolded(BaseModel):
    """An operation as an action template, or the reason it was refused."""

    refused: bool
    reason: str | None = Field(None, description="why no bounded action fits (refused only)")
    action: dict[str, Any] | None = Field(None, description="the action template JSON")
    notes: list[str] = Field(default_factory=list, description="what was left out or chosen")


class Rendered(BaseModel):
    """The exact request an action sends for an input (the token shown as a placeholder)."""

    ok: bool
    problems: list[str] = Field(default_factory=list, description="why the input does not fit")
    findings: list[Finding] = Field(default_factory=list, description="the action's errors")
    method: str | None = None
    url: str | None = None
    headers: dict[str, str] = Field(default_factory=dict)
    body: Any = None


class ImportStep(BaseModel):
    op: str = Field(description="create, update, unchanged, supersede or retire")
    action: str
    draft: str | None = Field(None, description="the draft id")
    supersedes: str | None = None


class Imported(BaseModel):
    """What an import did to the store (nothing when ``ok`` is false or ``dry_run``)."""

    ok: bool
    dry_run: bool
    store: str
    manifest: str
    version: str | None = None
    port: str | None = Field(None, description="the port id in the store")
    port_op: str | None = None
    steps: list[ImportStep] = Field(default_factory=list)
    findings: list[Finding] = Field(default_factory=list, description="why nothing was imported")


class Draft(BaseModel):
    id: str
    action: str
    state: str
    manifest: str
    version: str
    port: str
    method: str | None = None
    path: str | None = None
    approvalMode: str
    requestBodyMode: str
    resultMode: str
    supersedes: str | None = None
    updatedAt: str


class DraftList(BaseModel):
    store: str
    drafts: list[Draft]


class Transition(BaseModel):
    from_state: str | None = None
    to_state: str
    actor: str
    note: str
    at: str


class DraftDetail(BaseModel):
    draft: Draft
    template: dict[str, Any]
    inputSchema: dict[str, Any]
    history: list[Transition]


class Request(BaseModel):
    example: str
    method: str
    url: str


class StepOutcome(BaseModel):
    """One draft's lifecycle step."""

    draft: str
    action: str | None = None
    step: str
    ok: bool
    old_state: str | None = None
    new_state: str | None = None
    findings: list[Finding] = Field(default_factory=list)
    requests: list[Request] = Field(
        default_factory=list, description="test: each example's request"
    )
    error: str | None = Field(None, description="why the step could not run")


class StepResult(BaseModel):
    ok: bool = Field(description="every draft's step succeeded")
    outcomes: list[StepOutcome]
