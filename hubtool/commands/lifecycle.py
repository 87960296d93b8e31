"""drafts validate|test|request-publish|publish|reject: Harbor's lifecycle steps on drafts named
by id, or on ``--all`` the drafts a step applies to (``hubtool.drafts.lifecycle``)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import click

from hubtool.commands import exit_code
from hubtool.commands.imports import chosen_store, open_store
from hubtool.core.errors import HubtoolError
from hubtool.core.escape import json_text

if TYPE_CHECKING:
    from hubtool.drafts.lifecycle import Outcome
    from hubtool.drafts.store import Store


def default_targets(store: Store, step: str, manifest: str | None = None) -> list[str]:
    """``--all``: every draft the step is legal for (test validates first), of one manifest
    or publisher if given."""
    from hubtool.drafts.lifecycle import TRANSITIONS

    allowed = TRANSITIONS[step][0] | ({"draft"} if step == "test" else set())
    return [d.id for d in store.drafts(manifest=manifest) if d.state in allowed]


@dataclass(frozen=True)
class StepOptions:
    """One lifecycle command: the step, its drafts (``ids``, or ``all`` of them, of
    ``manifest`` if given), who and why, and the output format."""

    step: str
    ids: tuple[str, ...]
    actor: str
    note: str = ""
    store: Path | None = None
    all: bool = False
    manifest: str | None = None
    format: str = "text"


def run_drafts_step(options: StepOptions) -> int:
    """Each draft's transition, shown as it happens (text) or as one document (json:
    ``{"ok", "step", "drafts": [transition...]}``). An exit-2 error midway keeps the
    transitions done (text: already shown; json: the error's ``partial``)."""
    from hubtool.core.findings import Report
    from hubtool.report import reporter

    check_step_usage(options)
    text = options.format == "text"
    done: list[tuple[str, Outcome]] = []
    seen = Report()  # every step's findings: exit 1 on an error, 2 if a check crashed
    opened = open_store(chosen_store(options.store))
    try:
        for step, outcome in _steps(opened, options):
            done.append((step, outcome))
            seen.findings += outcome.findings
            if text:
                reporter("outcome", "text")(step, outcome, sys.stdout)
    except HubtoolError as exc:
        if not text:
            exc.partial = {"step": options.step, "drafts": _transitions(done)}  # type: ignore[attr-defined]
        raise
    finally:
        opened.close()
    if not text:
        from hubtool.report import write_document

        document = {"ok": all(o.ok for _, o in done), "step": options.step}
        write_document(sys.stdout, json_text(document | {"drafts": _transitions(done)}))
    return exit_code(seen)


def check_step_usage(options: StepOptions) -> None:
    """Draft ids or ``--all``, not both, not neither; ``--manifest`` narrows ``--all``."""
    if bool(options.ids) == options.all:
        raise click.UsageError(
            f"give the ids of the drafts to {options.step}, or --all for every draft it "
            "applies to (not both); 'hubtool drafts list' shows them"
        )
    if options.manifest is not None and not options.all:
        raise click.UsageError("--manifest narrows --all")


def _steps(opened: Store, options: StepOptions) -> Iterator[tuple[str, Outcome]]:
    from hubtool.drafts.lifecycle import transition

    step, actor = options.step, options.actor
    targets = list(options.ids) or default_targets(opened, step, options.manifest)
    if not targets:
        where = f" of {options.manifest!r}" if options.manifest is not None else ""
        raise HubtoolError(
            f"no drafts{where} to {step}; 'hubtool drafts list' shows their states "
            "(import a manifest first: 'hubtool import sentry')"
        )
    for draft_id in targets:
        draft = opened.draft(draft_id)
        if step == "test" and draft is not None and draft.state == "draft":
            first = transition(opened, draft_id, "validate", actor, "validated before test")
            yield "validate", first
            if not first.ok:
                continue
        yield step, transition(opened, draft_id, step, actor, options.note)


def _transitions(done: list[tuple[str, Outcome]]) -> list[dict[str, object]]:
    from hubtool.report.json import outcome_dict

    return [outcome_dict(step, outcome) for step, outcome in done]
