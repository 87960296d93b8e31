"""scaffold: action templates from a provider's OpenAPI operations, one (``--operation``) or
all (``--all``), or the operations listed (``--list``)."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from hubtool.commands import FORMATS, note, quiet
from hubtool.commands.upstream import OPENAPI_OPTION
from hubtool.core.errors import EXIT_CLEAN, EXIT_FINDINGS
from hubtool.core.escape import json_text, redacted, terminal

if TYPE_CHECKING:
    from hubtool.upstream.scaffold.batch import Batch
    from hubtool.upstream.scaffold.listing import Listed
    from hubtool.upstream.scaffold.placement import Placed, Target

_WIDEST = {"path": 70, "operation": 50}
"""Table columns wider than this overflow rather than widen every row (characters)."""


@dataclass(frozen=True)
class ScaffoldOptions:
    openapi: Path
    operation: str | None = None
    slug: str | None = None
    body_fields: tuple[str, ...] = ()
    into: Path | None = None
    format: str = "text"
    """text or json, in every mode."""
    list: bool = False
    grep: str | None = None
    all: bool = False
    include_deprecated: bool = False
    base_url: str | None = None


def run_scaffold(options: ScaffoldOptions) -> int:
    """List, scaffold one operation or scaffold all: exit 0, or 1 when --all refused some."""
    from hubtool.upstream.openapi import load_spec

    check_usage(options)
    spec = load_spec(options.openapi)
    if options.list:
        from hubtool.upstream.scaffold.listing import list_operations

        show_listing(list_operations(spec, options.grep), len(spec.operations), options)
        return EXIT_CLEAN
    if options.all:
        return run_all(spec, options)
    return run_one(spec, options)


def check_usage(options: ScaffoldOptions) -> None:
    """Exactly one of --operation, --list, --all, and only the options that mode reads."""
    modes = [options.operation is not None, options.list, options.all]
    if sum(modes) != 1:
        raise click.UsageError("pass one of --operation OPERATION_ID, --list or --all")
    if options.grep is not None and not options.list:
        raise click.UsageError("--grep filters --list")
    if (options.slug is not None or options.body_fields) and options.operation is None:
        raise click.UsageError("--slug and --body-field apply to one --operation")
    if options.into is not None and options.list:
        raise click.UsageError("--into applies to --operation and --all, not --list")
    if options.base_url is not None and options.into is None:
        raise click.UsageError("--base-url names the port of a new --into MANIFEST")


# --- one operation -----------------------------------------------------------------------------


def run_one(spec: Any, options: ScaffoldOptions) -> int:
    from hubtool.report import write_document
    from hubtool.upstream.scaffold import scaffold
    from hubtool.upstream.scaffold.listing import lookup
    from hubtool.upstream.scaffold.placement import open_target, place, write

    operation = options.operation or ""
    lookup(spec, operation, options.include_deprecated)
    fmt = options.format
    if options.into is None:
        result = scaffold(spec, operation, options.slug, options.body_fields)
        _notes(result.notes)
        if fmt == "json":
            write_document(sys.stdout, json_text(result.action))
        else:
            show_action_text(result.action)
        return EXIT_CLEAN
    target = open_target(options.into, options.base_url)
    result = scaffold(
        spec, operation, options.slug, options.body_fields, target.base_url, target.data
    )
    placed = place(target, [result.action])
    write(target, placed.text)
    _notes(result.notes)
    if fmt == "json":
        report = {"file": str(options.into), "action": result.action, **_bump(placed, target)}
        write_document(sys.stdout, json_text(report))
    else:
        slug, path = terminal(repr(result.action["slug"])), terminal(options.into)
        if target.created:
            click.echo(f"created {path} with action {slug}")
        else:
            click.echo(f"added action {slug} to {path}")
        click.echo(terminal(placed.bump_line(target.created)))
    return EXIT_CLEAN


def show_action_text(action: dict[str, Any]) -> None:
    """The scaffolded action at a glance: route, modes, each input, the examples; the
    template itself is ``--format json`` (or written by ``--into``)."""
    from hubtool.core.manifest import as_dict, as_list, body_schema, parameters

    lines = [
        f"{action['slug']}  {action['method']} {action['path']}",
        f"  label {action['label']!r}; approval {action['approvalMode']}; request body "
        f"{action.get('requestBodyMode', 'none')}; result {action['resultMode']}",
    ]
    for _, param in parameters(action, ""):
        schema = as_dict(param.get("schema"))
        required = ", required" if param.get("required") else ""
        lines.append(f"  {param.get('in')} {param.get('name')} ({schema.get('type')}{required})")
    body = as_dict(body_schema(action))
    needed = set(as_list(body.get("required")))
    for name, schema in as_dict(body.get("properties")).items():
        required = ", required" if name in needed else ""
        lines.append(f"  body {name} ({as_dict(schema).get('type')}{required})")
    examples = [as_dict(e).get("name") for e in as_list(action.get("examples"))]
    lines.append(f"  examples: {', '.join(map(str, examples)) or 'none'}")
    for line in lines:
        click.echo(terminal(line))
    if not quiet():
        click.echo("not written: --into MANIFEST adds it; --format json prints the template")


def _bump(placed: Placed, target: Target) -> dict[str, Any]:
    """The version part of an --into report (``created`` only for a new file)."""
    report: dict[str, Any] = {
        "changes": [{"kind": c.kind, "bump": c.bump, "message": c.message} for c in placed.changes],
        "requiredBump": placed.required_bump,
        "minimumVersion": placed.minimum_version,
        "summary": placed.bump_line(target.created),
    }
    if target.created:
        report["created"] = True
    return report


def _notes(notes: list[str]) -> None:
    """What the scaffold left out or chose; names from the spec are quoted, credentials never."""
    for text in notes:
        note(terminal(text))


# --- every operation ---------------------------------------------------------------------------


def run_all(spec: Any, options: ScaffoldOptions) -> int:
    from hubtool.upstream.scaffold.batch import scaffold_all
    from hubtool.upstream.scaffold.placement import open_target, place, write

    target = open_target(options.into, options.base_url) if options.into else None
    batch = scaffold_all(
        spec,
        target.data if target else None,
        target.base_url if target else None,
        options.include_deprecated,
    )
    placed = None
    if target is not None and batch.scaffolded:
        placed = place(target, batch.actions)
        write(target, placed.text)
    if options.format == "json":
        show_batch_json(batch, target, placed)
    else:
        show_batch_text(batch, target, placed)
    return EXIT_FINDINGS if batch.refused else EXIT_CLEAN


def show_batch_text(batch: Batch, target: Target | None, placed: Placed | None) -> None:
    done, total = len(batch.scaffolded), batch.operations
    if target is None:
        for item in batch.scaffolded:
            action = item.action
            click.echo(terminal(f"{action['slug']}  {action['method']} {action['path']}"))
        click.echo(f"scaffolded {done} of {total} operations (no --into: nothing written)")
    elif placed is None:
        state = "left unchanged" if not target.created else "not created"
        click.echo(f"scaffolded 0 of {total} operations: {terminal(target.path)} {state}")
    else:
        created = " (created)" if target.created else ""
        click.echo(f"scaffolded {done} of {total} operations into {terminal(target.path)}{created}")
        click.echo(terminal(placed.bump_line(target.created)))
    if batch.refused:
        click.echo(f"refused {len(batch.refused)}:")
    for refusal in batch.refused:
        route = f"{refusal.method} {refusal.path} ({refusal.operation_id or '-'})"
        click.echo(f"  {terminal(route)}: {terminal(refusal.reason)}")
    notes = sum(len(item.notes) for item in batch.scaffolded)
    if notes:
        note(
            f"{notes} notes on what the actions leave out or chose; "
            "--format json lists them per action"
        )


def show_batch_json(batch: Batch, target: Target | None, placed: Placed | None) -> None:
    from hubtool.report import write_document

    report: dict[str, Any] = {
        "file": str(target.path) if target else None,
        "operations": batch.operations,
        "scaffolded": [
            {
                "slug": item.action["slug"],
                "operationId": redacted(item.operation.operation_id),
                "method": item.action["method"],
                "path": item.action["path"],
                "notes": [redacted(note) for note in item.notes],
            }
            for item in batch.scaffolded
        ],
        "refused": [
            {key: redacted(value) for key, value in refusal.as_json().items()}
            for refusal in batch.refused
        ],
    }
    if target is None:
        report["actions"] = batch.actions
    elif placed is not None:
        report |= _bump(placed, target)
    write_document(sys.stdout, json_text(report))


# --- --list ------------------------------------------------------------------------------------


def show_listing(listed: list[Listed], total: int, options: ScaffoldOptions) -> None:
    from hubtool.report import write_document

    if options.format == "json":
        document = {
            "operations": [
                {k: redacted(v) if isinstance(v, str) else v for k, v in row.as_json().items()}
                for row in listed
            ],
            "count": len(listed),
            "total": total,
        }
        write_document(sys.stdout, json_text(document))
        return
    rows = [("METHOD", "PATH", "OPERATION ID", "SUMMARY")]
    for row in listed:
        summary = f"[deprecated] {row.summary}" if row.deprecated else row.summary
        rows.append((row.method, row.path, row.operation_id or "-", summary))
    cells = [[terminal(cell) for cell in row] for row in rows]
    widths = [
        max(len(row[0]) for row in cells),
        min(max(len(row[1]) for row in cells), _WIDEST["path"]),
        min(max(len(row[2]) for row in cells), _WIDEST["operation"]),
    ]
    if listed:
        for row in cells:
            line = "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=False))
            click.echo(f"{line}  {row[3]}".rstrip())
    matched = f" match {terminal(repr(options.grep))}" if options.grep is not None else ""
    if not quiet():
        click.echo(f"{len(listed)} of {total} operations{matched}")


# --- the click command -------------------------------------------------------------------------


@click.command("scaffold")
@OPENAPI_OPTION
@click.option(
    "--operation",
    "operation",
    default=None,
    metavar="OPERATION_ID",
    help="The operation to scaffold, by its operationId (--list shows them).",
)
@click.option(
    "--list",
    "list_",
    is_flag=True,
    help="List the operations: method, path, operationId, summary, deprecated.",
)
@click.option(
    "--grep",
    default=None,
    metavar="WORD",
    help="With --list: only operations whose operationId, path or summary contains WORD "
    "(any case).",
)
@click.option(
    "--all",
    "all_",
    is_flag=True,
    help="Scaffold every operation that can be an action, each refused one with its reason "
    "(exit 1 when any is refused).",
)
@click.option("--include-deprecated", is_flag=True, help="Scaffold deprecated operations too.")
@click.option("--slug", default=None, help="The action slug (default: <verb>-<resource>).")
@click.option(
    "--body-field",
    "body_fields",
    multiple=True,
    metavar="FIELD",
    help="Keep only these top-level body fields (repeatable; default: every field).",
)
@click.option(
    "--into",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    metavar="MANIFEST",
    help="Add the action(s) to MANIFEST (created when missing, with --base-url) and print the "
    "version bump it now needs.",
)
@click.option(
    "--base-url",
    default=None,
    metavar="URL",
    help="The port baseUrl of a new --into MANIFEST; its publisher and slug come from the "
    "path (integrations/<publisher>/<slug>.json).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="text",
    show_default=True,
    help="json: the template (one --operation), the --into report, the listing or the batch.",
)
def scaffold_command(
    openapi: Path,
    operation: str | None,
    list_: bool,
    grep: str | None,
    all_: bool,
    include_deprecated: bool,
    slug: str | None,
    body_fields: tuple[str, ...],
    into: Path | None,
    base_url: str | None,
    fmt: str,
) -> None:
    """Write bounded action templates from OpenAPI operations, or list them (see the README)."""
    options = ScaffoldOptions(
        openapi, operation, slug, body_fields, into, fmt, list_, grep, all_,
        include_deprecated, base_url,
    )  # fmt: skip
    sys.exit(run_scaffold(options))
