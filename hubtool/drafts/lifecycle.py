"""Harbor's draft lifecycle: draft -> validated -> tested -> publish_requested -> published.

Mirrors the Harbor Node action-draft API (validate, test, request-publish, publish, reject).
Agents request publication; only an operator publishes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from hubtool.core.errors import HubtoolError
from hubtool.core.findings import ERROR, Finding
from hubtool.core.guard import guarded
from hubtool.core.inputs import value_problems
from hubtool.core.manifest import as_dict, as_list
from hubtool.drafts.render import Request, render_request
from hubtool.drafts.store import Draft, Store
from hubtool.load.strict import parse, pointer_of
from hubtool.validate.rules import FAMILIES

TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "validate": (frozenset({"draft", "validated"}), "validated"),
    "test": (frozenset({"validated", "tested"}), "tested"),
    "request-publish": (frozenset({"tested"}), "publish_requested"),
    "publish": (frozenset({"tested", "publish_requested"}), "published"),
    "reject": (frozenset({"draft", "validated", "tested", "publish_requested"}), "rejected"),
}
ACTION_FAMILIES = tuple(name for name in FAMILIES if name not in ("schema", "catalog"))
"""The rule families that judge one action on its own: all but the whole-document ones."""


@dataclass
class Outcome:
    """What a lifecycle step did: the new state, findings, and rendered example requests."""

    draft: Draft
    state: str
    findings: list[Finding] = field(default_factory=list)
    requests: list[tuple[str, Request]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not any(f.severity == ERROR for f in self.findings)


def port_template(store: Store, draft: Draft) -> dict[str, Any]:
    row = store.port_by_id(draft.port_id)
    if row is None:
        raise HubtoolError(f"draft {draft.id}: its port {draft.port_id} is missing from the store")
    return {
        "kind": row["kind"], "label": row["label"], "description": row["description"],
        "baseUrl": row["base_url"], "authMode": row["auth_mode"],
        "authHeaderName": row["auth_header_name"], "authTokenPrefix": row["auth_token_prefix"],
    }  # fmt: skip


def check_draft(store: Store, draft: Draft) -> list[Finding]:
    """The action-level rules on the draft's template under its port."""
    from hubtool.validate.rules import family
    from hubtool.validate.rules.schema import check_action_template

    manifest = {"portTemplates": [port_template(store, draft)], "actionTemplates": [draft.template]}
    doc = parse(json.dumps(manifest, indent=2), f"draft {draft.id} ({draft.slug})")
    assert not isinstance(doc, list)  # json.dumps output always parses
    findings = list(check_action_template(doc, "/actionTemplates/0"))
    for name in ACTION_FAMILIES:
        findings.extend(guarded(partial(family(name).check, doc), doc.path, f"rule family {name}"))
    return findings


def render_examples(
    port: dict[str, Any], draft: Draft
) -> tuple[list[Finding], list[tuple[str, Request]]]:
    """Render every example; an invalid one, or one outside the origin, is a finding."""
    from hubtool.core import urls

    findings = _reference_findings(draft)
    requests: list[tuple[str, Request]] = []
    if findings:
        return findings, requests  # examples cannot be checked against an unresolved schema
    examples = as_list(draft.template.get("examples"))
    if not examples:
        findings.append(_finding(draft, "/examples", "the action has no examples to test"))
    for index, example in enumerate(examples):
        name = str(as_dict(example).get("name", index))
        data = as_dict(as_dict(example).get("input"))
        problems = value_problems(draft.input_schema, data)
        for problem in problems:
            at = f"/examples/{index}/input{pointer_of(*problem.path)}"
            findings.append(_finding(draft, at, f"example {name!r}: {problem.message}"))
        if problems:
            continue
        request = render_request(port, draft.template, data)
        if not urls.under(request.url, port["baseUrl"]):
            findings.append(
                _finding(draft, f"/examples/{index}", f"example {name!r} leaves the origin")
            )
            continue
        requests.append((name, request))
    return findings, requests


def _reference_findings(draft: Draft) -> list[Finding]:
    """The stored input schema is compiled as it is: a reference in it is never followed."""
    from hubtool.core.schema import references
    from hubtool.validate.rules.references import NO_SCHEMA_REFERENCES

    return [
        Finding(
            NO_SCHEMA_REFERENCES.id,
            ERROR,
            f"draft {draft.id} ({draft.slug})",
            "",
            1,
            1,
            f"{keyword} at {at} of the draft's input schema; hubtool and Harbor Node follow no "
            "references: re-import the action from a manifest without it",
        )
        for at, keyword in references(draft.input_schema)
    ]


def _finding(draft: Draft, pointer: str, message: str) -> Finding:
    return Finding(
        "examples-valid", ERROR, f"draft {draft.id} ({draft.slug})", pointer, 1, 1, message
    )


def transition(store: Store, draft_id: str, step: str, actor: str, note: str = "") -> Outcome:
    """Run one lifecycle step on a draft, refusing illegal transitions."""
    with store.transaction():
        draft = store.draft(draft_id)
        if draft is None:
            raise HubtoolError(f"no draft {draft_id!r}; 'hubtool drafts list' shows them")
        allowed, target = TRANSITIONS[step]
        if draft.state not in allowed:
            raise HubtoolError(_refusal(draft, step, allowed))
        outcome = Outcome(draft, draft.state)
        if step == "validate":
            outcome.findings = check_draft(store, draft)
        elif step == "test":
            outcome.findings, outcome.requests = render_examples(port_template(store, draft), draft)
        if outcome.ok:
            if target == "published":
                _replace_live(store, draft, actor)
            store.set_state(draft.id, draft.state, target, actor, note)
            outcome.state = target
    return outcome


def _replace_live(store: Store, draft: Draft, actor: str) -> None:
    """Publishing a new draft of an action supersedes the draft that was live until now."""
    live = store.published_draft(draft.port_id, draft.slug)
    if live is not None and live.id != draft.id:
        store.set_state(live.id, live.state, "superseded", actor, f"replaced by {draft.id}")


def _refusal(draft: Draft, step: str, allowed: frozenset[str]) -> str:
    hint = {
        "test": "validate it first",
        "request-publish": "its tests must pass first ('hubtool drafts test')",
        "publish": "its tests must pass first ('hubtool drafts test')",
    }.get(step, "")
    states = ", ".join(sorted(allowed))
    message = (
        f"cannot {step} draft {draft.id} ({draft.slug}): it is {draft.state}; {step} needs {states}"
    )
    return (
        f"{message}; {hint}"
        if hint and draft.state not in ("rejected", "superseded", "published")
        else message
    )
