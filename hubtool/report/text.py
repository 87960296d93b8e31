"""Text for a terminal or a log: a Report, a diff (the changelog), import plans, drafts,
lifecycle outcomes, rendered requests and the rule and change-kind registries.

Every value from a manifest, the store or the command line passes ``escape.terminal``.
Modules that only some subjects need (the diff, the importer, the registry) are imported by
the function rendering that subject, so a validate run loads none of them.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from hubtool.core.escape import terminal
from hubtool.core.findings import ERROR, Finding, Report
from hubtool.core.registry import MAJOR, NEVER
from hubtool.report import BOLD, COLOURS, DIM, RESET, summary

if TYPE_CHECKING:
    from hubtool.diff.compare import ManifestDiff
    from hubtool.diff.kinds import Change
    from hubtool.drafts.importer import Plan
    from hubtool.drafts.lifecycle import Outcome
    from hubtool.drafts.node import NodeResult
    from hubtool.drafts.render import Request
    from hubtool.drafts.store import Draft, Store


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _block(text: str) -> str:
    """A multi-line text whose line structure is hubtool's own: each line escaped."""
    return "\n".join(terminal(line) for line in text.split("\n"))


# --- a Report -------------------------------------------------------------------------------


def text_line(finding: Finding, colour: bool = False) -> str:
    """``file:line:col: severity rule-id message``."""
    where = (
        f"{terminal(finding.file)}:{finding.line}:{finding.column}:"
        if finding.file
        else "(no file):"
    )
    message = terminal(finding.message)
    if not colour:
        return f"{where} {finding.severity} {finding.rule} {message}"
    sev = f"{COLOURS[finding.severity]}{finding.severity}{RESET}"
    return f"{BOLD}{where}{RESET} {sev} {DIM}{finding.rule}{RESET} {message}"


def report_text(
    report: Report, out: TextIO, strict: bool = False, colour: bool = False, quiet: bool = False
) -> None:
    """One line per finding, then the summary line (``quiet``: none)."""
    for finding in report.findings:
        out.write(text_line(finding, colour) + "\n")
    if quiet:
        return
    counts = summary(report)
    files = _plural(counts["files"], "file")
    if not report.findings:
        out.write(f"{files} checked: no findings\n")
        return
    errors, warnings = _plural(counts["errors"], "error"), _plural(counts["warnings"], "warning")
    verdict = "failed" if report.failed(strict) else "passed"
    out.write(f"{files} checked: {errors}, {warnings} ({verdict})\n")


# --- a diff and the version gate ------------------------------------------------------------


def diff_text(
    results: list[ManifestDiff],
    out: TextIO,
    colour: bool = False,
    verbose: bool = True,
    quiet: bool = False,
) -> None:
    """The changelog: per listed manifest its verdict, review items, then changes by action;
    then the unchanged manifests' summary line (``quiet``: none)."""
    from hubtool.report.changes import invalid, ordered, shown, status, unchanged_line

    listed = shown(results, verbose)
    for result in listed:
        out.write(f"{terminal(result.file)}: {status(result, terminal)}\n")
        for problem in result.verdict.problems:
            out.write(f"  error: {terminal(problem)}\n")
        if invalid(result):
            out.write(f"  warning: {terminal(invalid(result))}\n")
        review = [c for c in ordered(result.changes) if c.review]
        if review:
            out.write("  needs review:\n")
            for change in review:
                out.write(_change_line(result, change, colour))
        groups: dict[str, list[Change]] = {}
        for change in ordered(result.changes):
            if not change.review:
                groups.setdefault(change.action or "", []).append(change)
        for action, changes in groups.items():
            out.write(f"  {f'action {terminal(repr(action))}' if action else 'manifest'}:\n")
            for change in changes:
                out.write(_change_line(result, change, colour))
    if not quiet:
        out.write(unchanged_line(results, listed))


def _change_line(result: ManifestDiff, change: Change, colour: bool) -> str:
    from hubtool.diff.kinds import OLD

    line, _ = result.position(change)
    where = f"base version line {line}" if change.side == OLD else f"line {line}"
    bump = f"[{change.bump}]"
    if colour:
        bump = f"{COLOURS[ERROR] if change.bump == MAJOR else DIM}{bump}{RESET}"
    return f"    {bump} {change.kind}: {terminal(change.message)} ({where})\n"


# --- drafts: import plans, the store, lifecycle steps, rendered requests --------------------


def plan_text(plan: Plan, target: Path, out: TextIO, dry_run: bool) -> None:
    """The plan; ``target`` is the store file (a dry run may plan against an empty one)."""
    from hubtool.drafts.importer import CREATE, auth_moved

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


def plans_text(
    plans: list[Plan], target: Path, out: TextIO, dry_run: bool, quiet: bool = False
) -> None:
    """Each plan as ``plan_text`` shows it, in order, then one summary line (``quiet``: none)."""
    for plan in plans:
        plan_text(plan, target, out, dry_run)
    if not quiet:
        out.write(plans_summary(plans, dry_run) + "\n")


def plans_summary(plans: list[Plan], dry_run: bool) -> str:
    """``N manifests: I imported, U unchanged; drafts: C created, ...`` (zero counts left out
    after the first)."""
    changed = sum(1 for plan in plans if not plan.unchanged)
    verb = "would import" if dry_run else "imported"
    ops: dict[str, int] = {}
    for step in (step for plan in plans if not plan.unchanged for step in plan.steps):
        ops[step.op] = ops.get(step.op, 0) + 1
    wording = {"create": "created", "update": "updated", "supersede": "superseded"}
    drafts = ", ".join(f"{ops[op]} {word}" for op, word in wording.items() if ops.get(op))
    noun = "manifest" if len(plans) == 1 else "manifests"
    head = f"{len(plans)} {noun}: {changed} {verb}, {len(plans) - changed} unchanged"
    return f"{head}; drafts: {drafts}" if drafts else head


def _retire_notes(plan: Plan, out: TextIO) -> None:
    from hubtool.drafts.importer import RETIRE

    for step in plan.steps:
        if step.op == RETIRE:
            out.write(
                f"  note: {terminal(step.slug)} left the manifest but draft "
                f"{terminal(step.draft_id)} is "
                "published; an operator retires the live action\n"
            )


def node_text(result: NodeResult, out: TextIO, dry_run: bool = False) -> None:
    out.write(
        f"Harbor Node port {terminal(result.port_id)}"
        f"{' (dry run: nothing sent)' if dry_run else ''}:\n"
    )
    for op, slug, draft_id in result.steps:
        out.write(f"  {terminal(op):<9} {terminal(slug):<24} {terminal(draft_id)}\n")


DRAFT_COLUMNS = ("ID", "MANIFEST", "ACTION", "STATE", "APPROVAL", "VERSION", "ROUTE")
WIDEST_CELL = 40
"""A longer cell (a hostile slug in the store) overflows its column rather than widen every
row (characters)."""


def drafts_text(
    drafts: list[Draft], out: TextIO, store: Path, wanted: dict[str, object] | None = None
) -> None:
    """A header and one aligned row per draft (column widths from the cells, capped at
    ``WIDEST_CELL``); none: which store was read, and how to fill it or widen the filter."""
    if not drafts:
        out.write(f"no drafts in {terminal(store)}{_filters(wanted or {})}\n")
        return
    rows = [DRAFT_COLUMNS] + [
        (d.id, d.manifest_slug, d.slug, d.state, d.approval_mode, d.manifest_version,
         f"{d.template.get('method')} {d.template.get('path')}")
        for d in drafts
    ]  # fmt: skip
    cells = [[terminal(cell) for cell in row] for row in rows]
    widths = [min(max(len(row[i]) for row in cells), WIDEST_CELL) for i in range(len(rows[0]) - 1)]
    for row in cells:
        line = "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=False))
        out.write(f"{line}  {row[-1]}\n")


def _filters(wanted: dict[str, object]) -> str:
    """Why a listing came out empty: the filters given, else how to import."""
    given = [
        f"{key} {terminal(repr(wanted[key]))}" for key in ("state", "manifest") if wanted.get(key)
    ]
    if given:
        more = "" if wanted.get("all") else "; --all includes superseded and rejected drafts"
        return f" matching {' and '.join(given)}{more}"
    if not wanted.get("all"):
        return (
            " (active: not superseded or rejected; --all lists every draft); import a manifest "
            "as drafts: 'hubtool import NAME' (e.g. sentry), or 'hubtool import --all'"
        )
    return "; import a manifest as drafts: 'hubtool import NAME' (e.g. sentry), or --all"


def draft_text(store: Store, draft: Draft, out: TextIO) -> None:
    """One draft: what it is, where it came from, and its history (oldest first); the template
    and input schema are in ``--format json``."""
    from hubtool.core.secrets import redact_text

    template = draft.template
    lines = [
        f"draft {draft.id}: action {draft.slug} of {draft.manifest_slug} "
        f"{draft.manifest_version}, port {draft.port_id}",
        f"state: {draft.state}",
        f"route: {template.get('method')} {template.get('path')}",
        f"modes: approval {draft.approval_mode}, request body {draft.request_body_mode}, "
        f"result {draft.result_mode}",
        f"source: {draft.source_path} (sha256 {draft.manifest_sha256[:12]})",
    ]
    if draft.supersedes:
        lines.append(f"supersedes: {draft.supersedes}")
    lines.append("history:")
    for row in store.history(draft.id):
        note = f": {redact_text(row['note'])}" if row["note"] else ""
        lines.append(
            f"  {row['at']}  {row['from_state'] or '(new)'} -> {row['to_state']}  "
            f"by {redact_text(row['actor'])}{note}"
        )
    out.write("".join(terminal(line) + "\n" for line in lines))


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


# --- the registries -------------------------------------------------------------------------


def rules_text(out: TextIO, ids: list[str] | None = None) -> None:
    """One line per rule; with ``ids``, each of those rules explained in full."""
    from hubtool.registry import RULES_TABLE

    if ids is not None:
        by_id = {rule.id: rule for rule in RULES_TABLE}
        for name in ids:
            rule = by_id[name]
            head = f"{rule.id} ({rule.severity}, family {rule.family}): {rule.title}"
            _explain(out, head, rule.description, f"Fix: {rule.fix}", "rules", rule.id)
        return
    width = max(len(rule.id) for rule in RULES_TABLE)
    for rule in RULES_TABLE:
        out.write(f"{rule.id:<{width}}  {rule.severity:<7}  {rule.title}\n")


def kinds_text(out: TextIO, ids: list[str] | None = None) -> None:
    """One line per change kind; with ``ids``, each of those kinds explained in full."""
    from hubtool.registry import CHANGE_KINDS_TABLE

    if ids is not None:
        by_id = {kind.id: kind for kind in CHANGE_KINDS_TABLE}
        for name in ids:
            kind = by_id[name]
            head = f"{kind.id} ({kind.bump} bump, review {kind.review}): {kind.title}"
            mirror = f"Reverse: {kind.mirror}" if kind.mirror else "Reverse: none"
            _explain(out, head, kind.description, mirror, "kinds", kind.id)
        return
    width = max(len(kind.id) for kind in CHANGE_KINDS_TABLE)
    for kind in CHANGE_KINDS_TABLE:
        review = "  review" if kind.review != NEVER else ""
        out.write(f"{kind.id:<{width}}  {kind.bump:<5}  {kind.title}{review}\n")


def _explain(out: TextIO, head: str, description: str, last: str, command: str, id_: str) -> None:
    """One registry entry in full, wrapped at 88 columns, then where its examples are."""
    import textwrap

    out.write(f"{head}\n\n{textwrap.fill(description, 88)}\n\n{textwrap.fill(last, 88)}\n")
    out.write(f"Examples: hubtool {command} {id_} --format markdown\n\n")
