"""Reporters for import plans, drafts, lifecycle outcomes and rendered requests.

Values from manifests and the store pass ``escape.terminal`` (text) or ``escape.json_text``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

from hubtool.core.escape import json_text, terminal
from hubtool.core.findings import Finding
from hubtool.drafts.importer import CREATE, RETIRE, Plan, auth_moved
from hubtool.drafts.lifecycle import Outcome
from hubtool.drafts.node import NodeResult
from hubtool.drafts.render import Request
from hubtool.drafts.store import Draft, Store
from hubtool.report.findings import write_document


def _dump(document: object, out: TextIO) -> None:
    write_document(out, json_text(document))


def _block(text: str) -> str:
    """A multi-line text whose line structure is hubtool's own: each line escaped."""
    return "\n".join(terminal(line) for line in text.split("\n"))


def plan_text(plan: Plan, target: Path, out: TextIO, dry_run: bool) -> None:
    """The plan; ``target`` is the store file (a dry run may plan against an empty one)."""
    head = f"{terminal(plan.manifest)} {terminal(plan.version)} (sha256 {plan.sha256[:12]})"
    if plan.unchanged:
        out.write(f"{head}: unchanged; nothing written to {terminal(target)}\n")
        _retire_notes(plan, out)
        return
    verb = "would import" if dry_run else "imported"
    out.write(f"{head}: {verb} into {terminal(target)}\n")
    detail = f" ({terminal(', '.join(plan.port_changes))})" if plan.port_changes else ""
    out.write(f"  port {terminal(plan.port_id or '(new port)')}: {plan.port_op}{detail}\n")
    if plan.port_op == CREATE or auth_moved(plan):
        out.write("    needs local auth: configure the token on the Harbor Node\n")
    for step in plan.steps:
        ident = step.draft_id or ("(new draft)" if dry_run else "")
        out.write(f"  {step.op:<9} {terminal(step.slug):<24} {terminal(ident)}\n")
        for change in step.changes:
            out.write(f"      [{change.bump}] {change.kind}: {terminal(change.message)}\n")
    _retire_notes(plan, out)


def _retire_notes(plan: Plan, out: TextIO) -> None:
    for step in plan.steps:
        if step.op == RETIRE:
            out.write(
                f"  note: {terminal(step.slug)} left the manifest but draft "
                f"{terminal(step.draft_id)} is "
                "published; an operator retires the live action\n"
            )


def plan_json(plan: Plan, target: Path, out: TextIO, dry_run: bool) -> None:
    _dump(
        {
            "ok": True,
            "dry_run": dry_run,
            "store": str(target),
            "manifest": plan.manifest,
            "version": plan.version,
            "sha256": plan.sha256,
            "unchanged": plan.unchanged,
            "port": {"id": plan.port_id, "op": plan.port_op, "changes": plan.port_changes},
            "steps": [
                {
                    "op": s.op,
                    "action": s.slug,
                    "draft": s.draft_id,
                    "supersedes": s.supersedes,
                    "changes": [
                        {"kind": c.kind, "bump": c.bump, "review": c.review, "message": c.message}
                        for c in s.changes
                    ],
                }
                for s in plan.steps
            ],
        },
        out,
    )


def node_text(result: NodeResult, out: TextIO, dry_run: bool = False) -> None:
    out.write(
        f"Harbor Node port {terminal(result.port_id)}"
        f"{' (dry run: nothing sent)' if dry_run else ''}:\n"
    )
    for op, slug, draft_id in result.steps:
        out.write(f"  {terminal(op):<9} {terminal(slug):<24} {terminal(draft_id)}\n")


def node_json(result: NodeResult, out: TextIO, dry_run: bool = False) -> None:
    steps = [{"op": op, "action": slug, "draft": draft or None} for op, slug, draft in result.steps]
    _dump({"ok": True, "dry_run": dry_run, "port": result.port_id, "steps": steps}, out)


def draft_dict(draft: Draft) -> dict[str, object]:
    return {
        "id": draft.id,
        "port": draft.port_id,
        "action": draft.slug,
        "state": draft.state,
        "method": draft.template.get("method"),
        "path": draft.template.get("path"),
        "approvalMode": draft.approval_mode,
        "requestBodyMode": draft.request_body_mode,
        "resultMode": draft.result_mode,
        "provenance": {
            "manifest": draft.manifest_slug,
            "version": draft.manifest_version,
            "sha256": draft.manifest_sha256,
            "source": draft.source_path,
        },
        "supersedes": draft.supersedes,
        "createdAt": draft.created_at,
        "updatedAt": draft.updated_at,
    }


def drafts_text(drafts: list[Draft], out: TextIO) -> None:
    if not drafts:
        out.write("no drafts\n")
        return
    for d in drafts:
        route = terminal(f"{d.template.get('method')} {d.template.get('path')}")
        out.write(
            f"{terminal(d.id)}  {terminal(d.slug):<22} {terminal(d.state):<17} "
            f"{terminal(d.approval_mode):<16} {terminal(d.manifest_version):<8} {route}\n"
        )


def drafts_json(drafts: list[Draft], out: TextIO) -> None:
    _dump({"drafts": [draft_dict(d) for d in drafts]}, out)


def draft_show(store: Store, draft: Draft, out: TextIO) -> None:
    """The draft as JSON; actors and notes redacted again (a store written by an older
    hubtool may hold them as typed)."""
    from hubtool.core.secrets import redact_text

    history = [
        {"from": r["from_state"], "to": r["to_state"], "actor": redact_text(r["actor"]),
         "note": redact_text(r["note"]), "at": r["at"]}
        for r in store.history(draft.id)
    ]  # fmt: skip
    document = draft_dict(draft) | {
        "template": draft.template,
        "inputSchema": draft.input_schema,
        "history": history,
    }
    _dump(document, out)


def draft_finding_line(finding: Finding) -> str:
    """A finding on a draft, located by its pointer into the draft's template.

    A draft is no file: line and column would point into a document the user never sees.
    """
    pointer = finding.pointer.removeprefix("/actionTemplates/0") or "/"
    return (
        f"{terminal(finding.file)} at {terminal(pointer)}: {finding.severity} {finding.rule} "
        f"{terminal(finding.message)}"
    )


def outcome_text(step: str, outcome: Outcome, out: TextIO) -> None:
    draft = outcome.draft
    for name, request in outcome.requests:
        out.write(f"--- {terminal(draft.slug)} example {terminal(repr(name))}\n")
        out.write(_block(request.text()))
    for finding in outcome.findings:
        out.write(draft_finding_line(finding) + "\n")
    verdict = f"-> {outcome.state}" if outcome.ok else f"failed; still {outcome.state}"
    out.write(f"{terminal(draft.id)} ({terminal(draft.slug)}): {step} {verdict}\n")


def request_text(request: Request, out: TextIO) -> None:
    out.write(_block(request.text()))


def request_json(request: Request, out: TextIO) -> None:
    _dump(request.to_dict(), out)
