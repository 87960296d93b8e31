"""JSON documents: a Report, ``hubtool ci``'s result, a diff, import plans, drafts, rendered
requests and the rule and change-kind registries.

Documents are built from plain values and written whole through ``escape.json_text`` and
``write_document``. Modules that only some subjects need (the diff, the registry, the secret
detector) are imported by the function rendering that subject, so a validate run loads none.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from hubtool.core.escape import json_text, redacted
from hubtool.core.findings import Report
from hubtool.report import summary, write_document

if TYPE_CHECKING:
    from hubtool.ci.run import CiResult
    from hubtool.diff.compare import ManifestDiff
    from hubtool.diff.kinds import Change
    from hubtool.drafts.importer import Plan
    from hubtool.drafts.lifecycle import Outcome
    from hubtool.drafts.node import NodeResult
    from hubtool.drafts.render import Request
    from hubtool.drafts.store import Draft, Store


def _dump(document: object, out: TextIO) -> None:
    write_document(out, json_text(document))


# --- a Report, and hubtool ci ---------------------------------------------------------------


def report_dict(report: Report, strict: bool = False) -> dict[str, object]:
    return {
        "ok": not report.failed(strict),
        "files": [redacted(f) for f in report.files],
        "findings": [f.to_dict() for f in report.findings],
        "summary": summary(report) | {"waived": len(report.waived)},
    }


def report_json(report: Report, out: TextIO, strict: bool = False, colour: bool = False) -> None:
    _dump(report_dict(report, strict), out)


def ci_json(result: CiResult, out: TextIO, strict: bool = False) -> None:
    """The Report of ``hubtool ci`` with each compared manifest's diff under ``manifests``."""
    document = report_dict(result.report, strict)
    document["manifests"] = [diff_dict(d) for d in result.diffs]
    _dump(document, out)


# --- a diff and the version gate ------------------------------------------------------------


def change_dict(result: ManifestDiff, change: Change) -> dict[str, object]:
    from hubtool.diff.kinds import safe_pointer

    line, column = result.position(change)
    return {
        "kind": change.kind,
        "action": change.action,
        "pointer": safe_pointer(change.pointer),
        "side": change.side,
        "line": line,
        "column": column,
        "bump": change.bump,
        "review": change.review,
        "message": change.message,
        "old": change.old,
        "new": change.new,
    }


def diff_dict(result: ManifestDiff) -> dict[str, object]:
    from hubtool.report.changes import ordered

    verdict = result.verdict
    document = {
        "ok": verdict.ok,
        "file": redacted(result.file),
        "status": result.status,
        "old_version": result.old_version,
        "new_version": result.new_version,
        "required_bump": verdict.required_bump,
        "minimum_version": verdict.minimum_version,
        "problems": verdict.problems,
        "changes": [change_dict(result, c) for c in ordered(result.changes)],
    }
    if result.validation is not None:  # only when the new version was validated (diff)
        document["validate_errors"] = [f.rule for f in result.validation]
    return document


def diff_json(results: list[ManifestDiff], out: TextIO, base: str | None = None) -> None:
    """One manifest's diff (two files), or ``{"ok", "base", "manifests"}``."""
    if base is None and len(results) == 1:
        document: dict[str, object] = diff_dict(results[0])
    else:
        document = {
            "ok": all(r.verdict.ok for r in results),
            "base": base,
            "manifests": [diff_dict(r) for r in results],
        }
    _dump(document, out)


# --- drafts: import plans, the store, rendered requests -------------------------------------


def plan_json(plan: Plan, target: Path, out: TextIO, dry_run: bool) -> None:
    _dump(plan_dict(plan, target, dry_run), out)


def plans_json(plans: list[Plan], target: Path, out: TextIO, dry_run: bool) -> None:
    """A list: one ``plan_json`` object per manifest, in order."""
    _dump([plan_dict(plan, target, dry_run) for plan in plans], out)


def plan_dict(plan: Plan, target: Path, dry_run: bool) -> dict[str, Any]:
    return {
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
    }


def node_json(result: NodeResult, out: TextIO, dry_run: bool = False) -> None:
    steps = [{"op": op, "action": slug, "draft": draft or None} for op, slug, draft in result.steps]
    _dump({"ok": True, "dry_run": dry_run, "port": result.port_id, "steps": steps}, out)


def draft_dict(draft: Draft) -> dict[str, object]:
    return {
        "id": draft.id,
        "manifest": draft.manifest_slug,
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


def drafts_json(
    drafts: list[Draft], out: TextIO, store: Path, wanted: dict[str, object] | None = None
) -> None:
    """``{"store", "filter": {"state", "manifest", "all"}, "drafts": [draft...]}``."""
    shown = {k: redacted(v) if isinstance(v, str) else v for k, v in (wanted or {}).items()}
    document = {"store": redacted(str(store)), "filter": shown}
    _dump(document | {"drafts": [draft_dict(d) for d in drafts]}, out)


def outcome_dict(step: str, outcome: Outcome) -> dict[str, object]:
    """One lifecycle transition: the draft, its state before (``from``) and after (``to``: the
    same when the step failed), its findings and, for ``test``, each example's request."""
    draft = outcome.draft
    return {
        "id": draft.id,
        "action": draft.slug,
        "manifest": draft.manifest_slug,
        "step": step,
        "ok": outcome.ok,
        "from": draft.state,
        "to": outcome.state,
        "findings": [f.to_dict() for f in outcome.findings],
        "requests": [{"example": name} | request.to_dict() for name, request in outcome.requests],
    }


def draft_json(store: Store, draft: Draft, out: TextIO) -> None:
    """The draft with its template, input schema and history; actors and notes redacted again
    (a store written by an older hubtool may hold them as typed)."""
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


def request_json(request: Request, out: TextIO) -> None:
    _dump(request.to_dict(), out)


# --- the registries -------------------------------------------------------------------------


def rules_json(out: TextIO, ids: list[str] | None = None) -> None:
    """``{"rules": [...]}``, every rule or those of ``ids`` in that order."""
    from hubtool.registry import RULES_TABLE

    by_id = {rule.id: rule for rule in RULES_TABLE}
    chosen = RULES_TABLE if ids is None else [by_id[name] for name in ids]

    rules = [
        {
            "id": r.id,
            "severity": r.severity,
            "family": r.family,
            "title": r.title,
            "description": r.description,
            "fix": r.fix,
        }
        for r in chosen
    ]
    json.dump({"rules": rules}, out, indent=2)
    out.write("\n")


def kinds_json(out: TextIO, ids: list[str] | None = None) -> None:
    """``{"kinds": [...]}``, every change kind or those of ``ids`` in that order."""
    from hubtool.registry import CHANGE_KINDS_TABLE

    by_id = {kind.id: kind for kind in CHANGE_KINDS_TABLE}
    chosen = CHANGE_KINDS_TABLE if ids is None else [by_id[name] for name in ids]

    kinds = [
        {
            "id": k.id,
            "bump": k.bump,
            "family": k.family,
            "review": k.review,
            "title": k.title,
            "description": k.description,
            "mirror": k.mirror,
        }
        for k in chosen
    ]
    json.dump({"kinds": kinds}, out, indent=2)
    out.write("\n")
