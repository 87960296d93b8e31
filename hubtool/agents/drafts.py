"""Draft tools: list and show drafts, and Harbor's lifecycle (``hubtool.drafts.lifecycle``).

An agent validates, tests and requests publish, recorded as ``agent:<actor>``; publish and
reject are operator acts, recorded as ``operator:<name>``, and exist only when the operator
started the server with ``--allow-publish`` (``hubtool.agents.server``). A step names its drafts:
there is no "every draft" default for an agent. Reading never creates or migrates the store.
"""

from __future__ import annotations

from hubtool.agents import models
from hubtool.agents.catalog import findings
from hubtool.agents.workspace import Workspace
from hubtool.core.errors import HubtoolError
from hubtool.drafts.store import Draft, Store

ACTIVE_EXCLUDES = frozenset({"superseded"})
"""States ``list_drafts`` leaves out unless asked for the history."""
MAX_IDS = 100
"""The most drafts one lifecycle call may name."""
MAX_NOTE = 2000
"""The longest note (characters) a lifecycle call records: it is stored once per draft."""
AGENT_STEPS = ("validate", "test", "request-publish")
OPERATOR_STEPS = ("publish", "reject")


def draft_model(draft: Draft) -> models.Draft:
    return models.Draft(
        id=draft.id,
        action=draft.slug,
        state=draft.state,
        manifest=draft.manifest_slug,
        version=draft.manifest_version,
        port=draft.port_id,
        method=_text(draft.template.get("method")),
        path=_text(draft.template.get("path")),
        approvalMode=draft.approval_mode,
        requestBodyMode=draft.request_body_mode,
        resultMode=draft.result_mode,
        supersedes=draft.supersedes,
        updatedAt=draft.updated_at,
    )


def list_drafts(
    ws: Workspace, manifest: str | None = None, state: str | None = None, history: bool = False
) -> models.DraftList:
    """The store's drafts (``manifest``: of that manifest slug; ``state``: in it), superseded
    ones only with ``history``."""
    store = Store(ws.store, read_only=True)
    try:
        drafts = store.drafts(state=state)
    finally:
        store.close()
    kept = [
        d
        for d in drafts
        if (manifest is None or d.manifest_slug == manifest)
        and (history or state is not None or d.state not in ACTIVE_EXCLUDES)
    ]
    return models.DraftList(store=str(ws.store), drafts=[draft_model(d) for d in kept])


def show_draft(ws: Workspace, draft_id: str) -> models.DraftDetail:
    """One draft with its template, input schema and history (actors and notes redacted)."""
    from hubtool.core.secrets import redact_text

    store = Store(ws.store, read_only=True)
    try:
        draft = store.draft(draft_id)
        if draft is None:
            raise HubtoolError(f"no draft {draft_id!r} in {ws.store}; list_drafts shows them")
        rows = store.history(draft.id)
    finally:
        store.close()
    history = [
        models.Transition(
            from_state=row["from_state"],
            to_state=row["to_state"],
            actor=redact_text(row["actor"]),
            note=redact_text(row["note"]),
            at=row["at"],
        )
        for row in rows
    ]
    return models.DraftDetail(
        draft=draft_model(draft),
        template=draft.template,
        inputSchema=draft.input_schema,
        history=history,
    )


def run_step(ws: Workspace, step: str, ids: list[str], note: str = "") -> models.StepResult:
    """``step`` on each draft of ``ids`` in order; ``test`` validates a draft still in state
    ``draft`` first, as ``hubtool drafts test`` does. A draft a step cannot run on (unknown,
    wrong state) gets an outcome with the error; the others still run."""
    if step not in AGENT_STEPS + OPERATOR_STEPS:
        raise HubtoolError(f"no lifecycle step {step!r}")
    if step in OPERATOR_STEPS and not ws.allow_publish:
        raise HubtoolError(f"{step} is an operator act: the server was not started to allow it")
    if not ids or len(ids) > MAX_IDS:
        raise HubtoolError(f"name 1 to {MAX_IDS} draft ids (list_drafts shows them)")
    actor = ws.operator_actor() if step in OPERATOR_STEPS else ws.agent()
    outcomes: list[models.StepOutcome] = []
    store = Store(ws.store)
    try:
        for draft_id in dict.fromkeys(ids):
            outcomes.extend(_one(store, step, draft_id, actor, note))
    finally:
        store.close()
    return models.StepResult(ok=all(o.ok for o in outcomes), outcomes=outcomes)


def _one(store: Store, step: str, draft_id: str, actor: str, note: str) -> list[models.StepOutcome]:
    draft = store.draft(draft_id)
    done = []
    if step == "test" and draft is not None and draft.state == "draft":
        first = _outcome(store, "validate", draft_id, actor, "validated before test")
        done.append(first)
        if not first.ok:
            return done
    done.append(_outcome(store, step, draft_id, actor, note))
    return done


def _outcome(store: Store, step: str, draft_id: str, actor: str, note: str) -> models.StepOutcome:
    from hubtool.drafts.lifecycle import transition

    try:
        outcome = transition(store, draft_id, step, actor, note)
    except HubtoolError as exc:
        return models.StepOutcome(draft=draft_id, step=step, ok=False, error=str(exc))
    requests = [
        models.Request(example=name, method=request.method, url=request.url)
        for name, request in outcome.requests
    ]
    return models.StepOutcome(
        draft=outcome.draft.id,
        action=outcome.draft.slug,
        step=step,
        ok=outcome.ok,
        old_state=outcome.draft.state,
        new_state=outcome.state,
        findings=findings(outcome.findings),
        requests=requests,
    )


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None
