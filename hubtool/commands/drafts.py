"""import, drafts, render: Harbor drafts from a manifest, their lifecycle, and requests."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from hubtool.commands import FORMAT_OPTION, exit_code, report_options
from hubtool.commands.imports import STORE_KEY, ImportOptions, chosen_store, open_store, run_import
from hubtool.commands.lifecycle import StepOptions, run_drafts_step
from hubtool.core.errors import EXIT_CLEAN, EXIT_FINDINGS, HubtoolError
from hubtool.core.escape import json_text, redacted, terminal
from hubtool.core.files import read_capped
from hubtool.core.limits import MAX_BYTES
from hubtool.drafts.migrations import STATES

if TYPE_CHECKING:
    from hubtool.load.strict import Document


def default_actor() -> str:
    """$HUBTOOL_ACTOR, else the login name: who a lifecycle step is recorded as."""
    import getpass

    try:
        return os.environ.get("HUBTOOL_ACTOR") or getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def run_drafts_list(
    store: Path | None,
    state: str | None,
    fmt: str,
    manifest: str | None = None,
    everything: bool = False,
) -> int:
    """Active drafts (``everything``: superseded and rejected ones too; ``state``: that state
    only), of one manifest or publisher if given."""
    from hubtool.report import reporter

    target = chosen_store(store)
    opened = open_store(target, read_only=True)
    try:
        active = not everything and state is None
        drafts = opened.drafts(state=state, manifest=manifest, active=active)
    finally:
        opened.close()
    wanted = {"state": state, "manifest": manifest, "all": everything}
    reporter("drafts", fmt)(drafts, sys.stdout, target, wanted)
    return EXIT_CLEAN


def run_drafts_show(store: Path | None, draft_id: str, fmt: str = "json") -> int:
    from hubtool.report import reporter

    opened = open_store(chosen_store(store), read_only=True)
    try:
        draft = opened.draft(draft_id)
        if draft is None:
            raise HubtoolError(f"no draft {draft_id!r}; 'hubtool drafts list' shows them")
        reporter("draft", fmt)(opened, draft, sys.stdout)
    finally:
        opened.close()
    return EXIT_CLEAN


def run_render(name: str, action_slug: str, input_file: str, fmt: str) -> int:
    """Validate the manifest, then the input; print the request (never a manifest with errors)."""
    from hubtool.core.manifest import actions, as_dict, ports
    from hubtool.drafts.importer import load_source, resolve
    from hubtool.drafts.render import render_request
    from hubtool.load.strict import parse
    from hubtool.registry import RULES
    from hubtool.report import reporter

    path = resolve(name)
    manifest, report = load_source(path, rules=RULES)
    if manifest is None:
        reporter("report", fmt)(report, sys.stdout, **report_options(fmt))
        click.echo("hubtool: the manifest has errors; fix them before rendering", err=True)
        return exit_code(report)
    doc = manifest.doc
    found = {a.get("slug"): a for _, a in actions(doc.data)}
    if action_slug not in found:
        raise HubtoolError(
            f"no action {action_slug!r} in {path}; actions: {', '.join(map(str, found))}"
        )
    action = found[action_slug]
    text = _read_stdin() if input_file == "-" else _read_text(Path(input_file))
    source = "<stdin>" if input_file == "-" else input_file
    data = parse(text, source)
    if isinstance(data, list):
        first = data[0]
        raise HubtoolError(f"{source}:{first.line}:{first.column}: {first.message}")
    problems = input_errors(action, data)
    if problems and fmt == "json":
        from hubtool.report import write_document

        errors = [redacted(problem) for problem in problems]
        write_document(sys.stdout, json_text({"ok": False, "input_errors": errors}))
    elif problems:
        for problem in problems:
            click.echo(terminal(problem))
    if problems:
        return EXIT_FINDINGS
    port = next((p for _, p in ports(doc.data)), {})
    request = render_request(port, action, as_dict(data.data))
    reporter("request", fmt)(request, sys.stdout)
    return EXIT_CLEAN


def input_errors(action: dict[str, Any], data: Document) -> list[str]:
    """``file:line:col: error input POINTER: message`` for each problem of a render input.

    The input must fit the action's inputs and carry no credential-shaped value: the request
    is printed as it would be sent, so a token in it would be shown (Harbor Node adds the
    credential itself).
    """
    from hubtool.core.inputs import input_schema, value_problems
    from hubtool.core.secrets import safe_pointer, secret_strings
    from hubtool.load.strict import pointer_of

    located = [
        (pointer_of(*p.path), p.at_key, p.message)
        for p in value_problems(input_schema(action), data.data)
    ]
    for pointer, match, is_key in secret_strings(data.data):
        what = "a key" if is_key else "a value"
        message = f"{what} looks like a {match.kind} [{match.hint}]; Harbor Node adds the token"
        located.append((pointer, is_key, message))
    lines = []
    for pointer, at_key, message in located:
        line, column = data.position(pointer, at_key=at_key)
        where = safe_pointer(pointer) or "/"
        lines.append(f"{data.path}:{line}:{column}: error input {where}: {message}")
    return lines


def _read_stdin() -> str:
    """Standard input as UTF-8, JSON's encoding (RFC 8259), whatever the locale says."""
    buffer = getattr(sys.stdin, "buffer", None)
    if buffer is None:
        text = sys.stdin.read(MAX_BYTES + 1)
        if len(text) > MAX_BYTES:
            raise HubtoolError(f"<stdin>: the input is over {MAX_BYTES:,} bytes")
        return text
    data = read_capped(buffer, MAX_BYTES, "<stdin>: the input is")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise HubtoolError(f"<stdin>: not UTF-8 text (byte {exc.start})") from None


def _read_text(path: Path) -> str:
    try:
        return read_capped(path, MAX_BYTES, f"{path}: the input is").decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise HubtoolError(f"{path}: cannot read the input: {exc}") from exc


# --- the click commands ---------------------------------------------------------------------

STORE_OPTION = click.option(
    "--store",
    type=click.Path(path_type=Path),
    default=None,
    help="Draft store file (default: $HUBTOOL_STORE or ~/.local/share/hubtool/store.sqlite3).",
)
ACTOR_OPTION = click.option(
    "--actor",
    default=default_actor,
    show_default="$HUBTOOL_ACTOR or login",
    help="Who the step is recorded as.",
)


@click.command("import")
@click.argument("names", nargs=-1, metavar="[NAME|PATH]...")
@click.option("--all", "everything", is_flag=True, help="Import every manifest of the catalog.")
@STORE_OPTION
@click.option("--dry-run", is_flag=True, help="Print the plan; write nothing.")
@FORMAT_OPTION
@click.option(
    "--node",
    metavar="URL",
    is_flag=False,
    flag_value="http://127.0.0.1:11821",
    default=None,
    help="Create the drafts on a Harbor Node instead (default address http://127.0.0.1:11821; "
    "one manifest).",
)
@ACTOR_OPTION
@click.option(
    "--hub",
    metavar="URL",
    default=None,
    help="Fetch the manifests from a running Hub (e.g. http://127.0.0.1:8080), each checked "
    "against the sha256 of the Hub's index, then validate and import them.",
)
def import_command(
    names: tuple[str, ...],
    everything: bool,
    store: Path | None,
    dry_run: bool,
    fmt: str,
    node: str | None,
    actor: str,
    hub: str | None,
) -> None:
    """Import manifests (publisher slugs, manifest slugs or paths; --all: the catalog) as port
    shells and drafts: every manifest is validated first, then all are written in one
    transaction, or none."""
    if bool(names) == everything:
        raise click.UsageError("give manifest names or paths, or --all (not both)")
    if hub and everything:
        raise click.UsageError("--hub imports the manifests named (not --all)")
    options = ImportOptions(names, store, dry_run, fmt, node, actor, everything, hub)
    if node and options.several:
        raise click.UsageError(
            "--node imports one manifest (a Harbor Node has no transaction across manifests)"
        )
    sys.exit(run_import(options))


@click.group("drafts")
@STORE_OPTION
def drafts_group(store: Path | None) -> None:
    """Action drafts: list, show, and Harbor's lifecycle (validate, test, publish...).

    --store here applies to every subcommand (a subcommand's own --store wins)."""
    click.get_current_context().meta[STORE_KEY] = store


MANIFEST_OPTION = click.option(
    "--manifest",
    metavar="NAME",
    default=None,
    help="Only the drafts of this manifest (its slug, e.g. sentry-api, or its publisher's).",
)


@drafts_group.command("list")
@STORE_OPTION
@click.option("--state", type=click.Choice(STATES), help="Only drafts in this state.")
@MANIFEST_OPTION
@click.option(
    "--all", "everything", is_flag=True, help="History too: superseded and rejected drafts."
)
@FORMAT_OPTION
def drafts_list(
    store: Path | None, state: str | None, manifest: str | None, everything: bool, fmt: str
) -> None:
    """List the active drafts (not superseded or rejected; --all: every draft)."""
    sys.exit(run_drafts_list(store, state, fmt, manifest, everything))


@drafts_group.command("show")
@click.argument("draft_id")
@STORE_OPTION
@FORMAT_OPTION
def drafts_show(draft_id: str, store: Path | None, fmt: str) -> None:
    """Show one draft with its history (json: with its template and input schema)."""
    sys.exit(run_drafts_show(store, draft_id, fmt))


def _step_command(step: str, help_text: str, operator: bool = False) -> None:
    """``drafts STEP [ID]... | --all [--manifest NAME]``; publish and reject need
    ``--operator`` (recorded as ``operator:NAME``), the others take ``--actor``."""
    who = (
        click.option("--operator", required=True, help="The operator (agents request instead).")
        if operator
        else ACTOR_OPTION
    )

    @drafts_group.command(step, help=help_text)
    @click.argument("ids", nargs=-1, metavar="[DRAFT_ID]...")
    @click.option(
        "--all", "everything", is_flag=True, help=f"Every draft {step} applies to (no ids)."
    )
    @MANIFEST_OPTION
    @STORE_OPTION
    @who
    @click.option("--note", default="", help="A note recorded with the transition.")
    @FORMAT_OPTION
    def command(
        ids: tuple[str, ...],
        everything: bool,
        manifest: str | None,
        store: Path | None,
        note: str,
        fmt: str,
        actor: str = "",
        operator: str = "",
    ) -> None:
        who = f"operator:{operator}" if operator else actor
        options = StepOptions(step, ids, who, note, store, everything, manifest, fmt)
        sys.exit(run_drafts_step(options))


_step_command("validate", "Validate drafts (DRAFT_IDs, or --all: every draft not yet past it).")
_step_command("test", "Render every example of each draft offline (validates drafts first).")
_step_command("request-publish", "Ask an operator to publish tested drafts.")
_step_command("publish", "Publish tested drafts as an operator.", operator=True)
_step_command("reject", "Reject drafts as an operator.", operator=True)


@click.command("render")
@click.argument("name")
@click.argument("action")
@click.option(
    "--input",
    "input_file",
    required=True,
    metavar="FILE|-",
    help="The input {path, query, body} as JSON; - reads standard input.",
)
@FORMAT_OPTION
def render_command(name: str, action: str, input_file: str, fmt: str) -> None:
    """Show the exact HTTP request ACTION of manifest NAME sends for an input (token redacted)."""
    sys.exit(run_render(name, action, input_file, fmt))
