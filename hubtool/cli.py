"""Command line: each command collects options and calls a run_* function returning an exit code.

Heavy modules (jsonschema, the rules) are imported inside run_*, so ``--help`` stays fast.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import click

from hubtool import __version__
from hubtool.errors import (
    EXIT_CANNOT_RUN,
    EXIT_CLEAN,
    EXIT_FINDINGS,
    EXIT_INTERRUPTED,
    HubtoolError,
)

if TYPE_CHECKING:
    from hubtool.store import Store

FORMATS = ("text", "json")
REPORT_FORMATS = ("text", "json", "sarif", "github")


@dataclass(frozen=True)
class ValidateOptions:
    paths: tuple[Path, ...]
    format: str = "text"
    strict: bool = False
    color: str = "auto"
    max_bytes: int = 1024 * 1024
    config: Path | None = None


def use_colour(choice: str, stream: object) -> bool:
    """auto: colour on a terminal unless NO_COLOR is set."""
    if choice != "auto":
        return choice == "always"
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty()) and not os.environ.get("NO_COLOR")


def run_validate(options: ValidateOptions) -> int:
    from hubtool.checker import default_paths, validate
    from hubtool.config import find_config, load_config
    from hubtool.reporters import REPORTERS

    paths = list(options.paths) or default_paths()
    config = load_config(options.config or find_config(paths[0]))
    report = validate(paths, max_bytes=options.max_bytes, config=config)
    colour = use_colour(options.color, sys.stdout)
    REPORTERS[options.format](report, sys.stdout, strict=options.strict, colour=colour)
    return EXIT_FINDINGS if report.failed(options.strict) else EXIT_CLEAN


def run_rules(fmt: str) -> int:
    from hubtool.reporters import RULE_REPORTERS

    RULE_REPORTERS[fmt](sys.stdout)
    return EXIT_CLEAN


def run_kinds(fmt: str) -> int:
    from hubtool.reporters import KIND_REPORTERS

    KIND_REPORTERS[fmt](sys.stdout)
    return EXIT_CLEAN


class OutputError(Exception):
    """Standard output could not take the report (a closed pipe, a full disk): exit 2."""


def _flush_stdout() -> None:
    """Write out buffered output now, inside the error boundary, not at interpreter exit."""
    try:
        if sys.stdout is not None:
            sys.stdout.flush()
    except OSError as exc:
        raise OutputError(f"cannot write the output: {exc.strerror or exc}") from None


def _discard_stdout() -> None:
    """Point stdout at the null device, so the exit flush cannot fail again (exit code 120)."""
    with contextlib.suppress(AttributeError, OSError, ValueError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


_WRITE_ERRORS = frozenset({errno.EPIPE, errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO})


class _Group(click.Group):
    """Output errors surface as OutputError: click itself would exit 1 on a closed pipe."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            try:
                return super().invoke(ctx)
            finally:
                _flush_stdout()
        except OSError as exc:
            if exc.errno not in _WRITE_ERRORS:
                raise
            where = exc.filename or "the output"
            raise OutputError(f"cannot write {where}: {exc.strerror or exc}") from None


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="hubtool")
def cli() -> None:
    """Validate, diff and import Harbor Dock / Hub integration manifests.

    Exit codes: 0 clean, 1 findings, 2 the run could not complete.
    """


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--format", "fmt", type=click.Choice(REPORT_FORMATS), default="text", show_default=True
)
@click.option("--strict", is_flag=True, help="Warnings fail the run too.")
@click.option(
    "--color",
    type=click.Choice(["auto", "always", "never"]),
    default="auto",
    show_default=True,
    help="Colour text output (auto: on a terminal, unless NO_COLOR).",
)
@click.option(
    "--max-bytes",
    type=click.IntRange(min=1),
    default=1024 * 1024,
    show_default=True,
    help="Files larger than this are a json-syntax finding.",
)
@click.option(
    "--config",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Severities and waivers (default: .hubtool.yaml at the catalog repository's root).",
)
def validate(
    paths: tuple[Path, ...], fmt: str, strict: bool, color: str, max_bytes: int, config: Path | None
) -> None:
    """Validate manifests (default: the whole catalog). PATHS are files or directories."""
    options = ValidateOptions(paths, fmt, strict, color, max_bytes, config)
    sys.exit(run_validate(options))


@dataclass(frozen=True)
class DiffOptions:
    paths: tuple[Path, ...]
    base: str | None = None
    format: str = "text"
    color: str = "auto"
    max_bytes: int = 1024 * 1024


def run_diff(options: DiffOptions) -> int:
    from hubtool.compare import compare_files, compare_to_ref
    from hubtool.reporters import diff_json, diff_markdown, diff_text

    if options.base is not None:
        results = compare_to_ref(options.base, list(options.paths), options.max_bytes)
    elif len(options.paths) == 2:
        results = [compare_files(*options.paths, max_bytes=options.max_bytes)]
    else:
        raise click.UsageError("give two manifest files (OLD NEW), or --base REF [PATH...]")
    if options.format == "json":
        diff_json(results, sys.stdout, options.base)
    elif options.format == "markdown":
        diff_markdown(results, sys.stdout)
    elif options.format in ("sarif", "github"):
        _report_gate(results, options.format)
    else:
        diff_text(results, sys.stdout, colour=use_colour(options.color, sys.stdout))
    return EXIT_CLEAN if all(r.verdict.ok for r in results) else EXIT_FINDINGS


def _report_gate(results: list, fmt: str) -> None:  # list[ManifestDiff]; lazy import
    from hubtool.compare import gate_findings
    from hubtool.findings import Finding, Report
    from hubtool.reporters import REPORTERS

    findings = sorted(gate_findings(results), key=Finding.sort_key)
    REPORTERS[fmt](Report([r.file for r in results], findings), sys.stdout)


@dataclass(frozen=True)
class CiOptions:
    base: str
    all_files: bool = False
    format: str = "text"
    strict: bool = False
    color: str = "auto"
    config: Path | None = None
    max_bytes: int = 1024 * 1024


def run_ci_gate(options: CiOptions) -> int:
    from hubtool.checker import default_paths
    from hubtool.ci import run_ci
    from hubtool.config import find_config, load_config
    from hubtool.reporters import REPORTERS, diff_dict, report_dict

    config = load_config(options.config or find_config(default_paths()[0]))
    result = run_ci(options.base, options.all_files, config, options.max_bytes)
    if options.format == "json":
        document = report_dict(result.report, options.strict)
        document["manifests"] = [diff_dict(d) for d in result.diffs]
        click.echo(json.dumps(document, indent=2, ensure_ascii=False))
    else:
        colour = use_colour(options.color, sys.stdout)
        REPORTERS[options.format](result.report, sys.stdout, strict=options.strict, colour=colour)
    return EXIT_FINDINGS if result.report.failed(options.strict) else EXIT_CLEAN


def run_bump(paths: tuple[Path, ...], base: str) -> int:
    """Exit 1 when a manifest still fails the gate and cannot be bumped automatically."""
    from hubtool.bump import set_version, target_version
    from hubtool.compare import compare_to_ref

    failed = False
    for result in compare_to_ref(base, list(paths)):
        version = target_version(result)
        if version is None or result.new is None:
            state = "passes the gate" if result.verdict.ok else "cannot be bumped automatically"
            failed = failed or not result.verdict.ok
            click.echo(f"{result.file}: {result.new_version or '-'} {state}")
            continue
        offset = result.new.values.get("/version")
        if offset is None:
            raise HubtoolError(f"{result.file}: has no version to bump")
        set_version(Path(result.file), result.new.text, offset, version)
        why = result.verdict.required_bump or "no"
        click.echo(f"{result.file}: {result.new_version} -> {version} ({why} changes since {base})")
    return EXIT_FINDINGS if failed else EXIT_CLEAN


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--base", metavar="REF", help="Compare each catalog manifest with its version at REF."
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "markdown", "sarif", "github"]),
    default="text",
    show_default=True,
)
@click.option(
    "--color", type=click.Choice(["auto", "always", "never"]), default="auto", show_default=True
)
@click.option(
    "--max-bytes",
    type=click.IntRange(min=1),
    default=1024 * 1024,
    show_default=True,
    help="Manifests larger than this cannot be diffed.",
)
def diff(paths: tuple[Path, ...], base: str | None, fmt: str, color: str, max_bytes: int) -> None:
    """Classify changes between OLD and NEW (or the catalog and REF) and gate the version.

    \b
    hubtool diff OLD.json NEW.json
    hubtool diff --base origin/main [PATH...]
    """
    sys.exit(run_diff(DiffOptions(paths, base, fmt, color, max_bytes)))


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--base",
    metavar="REF",
    default="HEAD",
    show_default=True,
    help="The released versions to compare with.",
)
def bump(paths: tuple[Path, ...], base: str) -> None:
    """Write the minimum acceptable version into each changed manifest (only the version)."""
    sys.exit(run_bump(paths, base))


@cli.command()
@click.option(
    "--base", metavar="REF", required=True, help="The base branch or commit, e.g. origin/main."
)
@click.option(
    "--all", "all_files", is_flag=True, help="Validate the whole catalog, not only changes."
)
@click.option(
    "--format", "fmt", type=click.Choice(REPORT_FORMATS), default="text", show_default=True
)
@click.option("--strict", is_flag=True, help="Warnings fail the run too.")
@click.option(
    "--color", type=click.Choice(["auto", "always", "never"]), default="auto", show_default=True
)
@click.option(
    "--config",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Severities and waivers (default: .hubtool.yaml at the repository root).",
)
@click.option("--max-bytes", type=click.IntRange(min=1), default=1024 * 1024, show_default=True)
def ci(
    base: str,
    all_files: bool,
    fmt: str,
    strict: bool,
    color: str,
    config: Path | None,
    max_bytes: int,
) -> None:
    """The hub repository's gate: validate changed manifests, catalog checks, version gate."""
    sys.exit(run_ci_gate(CiOptions(base, all_files, fmt, strict, color, config, max_bytes)))


def run_check_upstream(
    manifest: Path, openapi: Path, examples: bool, fmt: str, strict: bool, color: str
) -> int:
    from hubtool.checker import load_file
    from hubtool.findings import Finding, Report
    from hubtool.loader import Document
    from hubtool.openapi import load_spec
    from hubtool.reporters import REPORTERS
    from hubtool.upstream import check_upstream

    spec = load_spec(openapi)
    doc = load_file(manifest)
    report = Report(files=[doc.path if isinstance(doc, Document) else str(manifest)])
    if isinstance(doc, Document):
        report.findings = sorted(check_upstream(doc, spec, examples), key=Finding.sort_key)
    else:
        report.findings = doc
    colour = use_colour(color, sys.stdout)
    REPORTERS[fmt](report, sys.stdout, strict=strict, colour=colour)
    return EXIT_FINDINGS if report.failed(strict) else EXIT_CLEAN


@cli.command("check-upstream")
@click.argument("manifest", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--openapi",
    "openapi",
    required=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="The provider's OpenAPI 3.x spec (JSON or YAML).",
)
@click.option(
    "--examples",
    is_flag=True,
    help="Also check every example's request against the provider's schemas.",
)
@click.option(
    "--format", "fmt", type=click.Choice(REPORT_FORMATS), default="text", show_default=True
)
@click.option("--strict", is_flag=True, help="Warnings fail the run too.")
@click.option(
    "--color", type=click.Choice(["auto", "always", "never"]), default="auto", show_default=True
)
def check_upstream_command(
    manifest: Path, openapi: Path, examples: bool, fmt: str, strict: bool, color: str
) -> None:
    """Check MANIFEST's actions against the provider's own OpenAPI spec (upstream-* rules)."""
    sys.exit(run_check_upstream(manifest, openapi, examples, fmt, strict, color))


def default_actor() -> str:
    """$HUBTOOL_ACTOR, else the login name: who a lifecycle step is recorded as."""
    import getpass

    try:
        return os.environ.get("HUBTOOL_ACTOR") or getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


@dataclass(frozen=True)
class ImportOptions:
    name: str
    store: Path | None = None
    dry_run: bool = False
    format: str = "text"
    node: str | None = None
    actor: str = "unknown"


def run_import(options: ImportOptions) -> int:
    from hubtool.importer import import_manifest, load_source, resolve
    from hubtool.reporters import report_text
    from hubtool.reporters_drafts import node_text, plan_json, plan_text
    from hubtool.store import default_path

    source, report = load_source(resolve(options.name))
    if source is None:
        report_text(report, sys.stdout)
        click.echo("hubtool: the manifest has errors; nothing was imported", err=True)
        return EXIT_FINDINGS
    if options.node:
        from hubtool.node import NodeClient, import_to_node

        node_text(import_to_node(NodeClient(options.node), source), sys.stdout)
        return EXIT_CLEAN
    target = options.store or default_path()
    store = _open_store(target, read_only=options.dry_run)
    try:
        plan = import_manifest(store, source, options.actor, dry_run=options.dry_run)
        report_plan = plan_json if options.format == "json" else plan_text
        report_plan(plan, target, sys.stdout, options.dry_run)
    finally:
        store.close()
    return EXIT_CLEAN


def _open_store(path: Path | None, read_only: bool = False):
    """The store; a read-only use of a store that does not exist yet creates no file."""
    from hubtool.store import Store, default_path

    target = path or default_path()
    if read_only and not target.exists():
        return Store(Path(":memory:"))
    return Store(target)


def run_drafts_list(store: Path | None, state: str | None, fmt: str) -> int:
    from hubtool.reporters_drafts import drafts_json, drafts_text

    opened = _open_store(store, read_only=True)
    try:
        drafts = opened.drafts(state=state)
        (drafts_json if fmt == "json" else drafts_text)(drafts, sys.stdout)
    finally:
        opened.close()
    return EXIT_CLEAN


def run_drafts_show(store: Path | None, draft_id: str) -> int:
    from hubtool.reporters_drafts import draft_show

    opened = _open_store(store, read_only=True)
    try:
        draft = opened.draft(draft_id)
        if draft is None:
            raise HubtoolError(f"no draft {draft_id!r}; 'hubtool drafts list' shows them")
        draft_show(opened, draft, sys.stdout)
    finally:
        opened.close()
    return EXIT_CLEAN


def default_targets(store: Store, step: str) -> list[str]:
    """Without ids, a step applies to every draft it is legal for (test validates first)."""
    from hubtool.lifecycle import TRANSITIONS

    allowed = TRANSITIONS[step][0] | ({"draft"} if step == "test" else set())
    return [d.id for d in store.drafts() if d.state in allowed]


def run_drafts_step(
    store: Path | None, step: str, ids: tuple[str, ...], actor: str, note: str
) -> int:
    from hubtool.lifecycle import transition
    from hubtool.reporters_drafts import outcome_text

    opened = _open_store(store)
    try:
        targets = list(ids) or default_targets(opened, step)
        if not targets:
            raise HubtoolError(
                f"no drafts to {step}; 'hubtool drafts list' shows their states "
                "(import a manifest first: 'hubtool import sentry')"
            )
        ok = True
        for draft_id in targets:
            draft = opened.draft(draft_id)
            if step == "test" and draft is not None and draft.state == "draft":
                first = transition(opened, draft_id, "validate", actor, "validated before test")
                outcome_text("validate", first, sys.stdout)
                if not first.ok:
                    ok = False
                    continue
            outcome = transition(opened, draft_id, step, actor, note)
            outcome_text(step, outcome, sys.stdout)
            ok = ok and outcome.ok
    finally:
        opened.close()
    return EXIT_CLEAN if ok else EXIT_FINDINGS


def run_render(name: str, action_slug: str, input_file: str, fmt: str) -> int:
    from hubtool.checker import load_file
    from hubtool.importer import resolve
    from hubtool.inputs import input_schema, value_problems
    from hubtool.loader import Document, parse, pointer_of
    from hubtool.manifest import actions, as_dict, ports
    from hubtool.render import render_request
    from hubtool.reporters_drafts import request_json, request_text

    path = resolve(name)
    doc = load_file(path)
    if not isinstance(doc, Document):
        raise HubtoolError(f"{path}: not valid JSON; run 'hubtool validate {path}'")
    found = {a.get("slug"): a for _, a in actions(doc.data)}
    if action_slug not in found:
        raise HubtoolError(
            f"no action {action_slug!r} in {path}; actions: {', '.join(map(str, found))}"
        )
    action = found[action_slug]
    text = sys.stdin.read() if input_file == "-" else _read_text(Path(input_file))
    source = "<stdin>" if input_file == "-" else input_file
    data = parse(text, source)
    if isinstance(data, list):
        first = data[0]
        raise HubtoolError(f"{source}:{first.line}:{first.column}: {first.message}")
    problems = value_problems(input_schema(action), data.data)
    for problem in problems:
        line, column = data.position(pointer_of(*problem.path), at_key=problem.at_key)
        where = pointer_of(*problem.path) or "/"
        click.echo(f"{data.path}:{line}:{column}: error input {where}: {problem.message}")
    if problems:
        return EXIT_FINDINGS
    port = next((p for _, p in ports(doc.data)), {})
    request = render_request(port, action, as_dict(data.data))
    (request_json if fmt == "json" else request_text)(request, sys.stdout)
    return EXIT_CLEAN


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise HubtoolError(f"{path}: cannot read the input: {exc}") from exc


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


@cli.command("import")
@click.argument("name")
@STORE_OPTION
@click.option("--dry-run", is_flag=True, help="Print the plan; write nothing.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True)
@click.option(
    "--node",
    metavar="URL",
    is_flag=False,
    flag_value="http://127.0.0.1:11821",
    default=None,
    help="Create the drafts on a Harbor Node instead (default address http://127.0.0.1:11821).",
)
@ACTOR_OPTION
def import_(
    name: str, store: Path | None, dry_run: bool, fmt: str, node: str | None, actor: str
) -> None:
    """Import a manifest (publisher slug, manifest slug or path) as a port shell and drafts."""
    sys.exit(run_import(ImportOptions(name, store, dry_run, fmt, node, actor)))


@cli.group()
def drafts() -> None:
    """Action drafts: list, show, and Harbor's lifecycle (validate, test, publish...)."""


@drafts.command("list")
@STORE_OPTION
@click.option(
    "--state",
    type=click.Choice(
        ["draft", "validated", "tested", "publish_requested", "published", "rejected", "superseded"]
    ),
)
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True)
def drafts_list(store: Path | None, state: str | None, fmt: str) -> None:
    """List drafts."""
    sys.exit(run_drafts_list(store, state, fmt))


@drafts.command("show")
@click.argument("draft_id")
@STORE_OPTION
def drafts_show(draft_id: str, store: Path | None) -> None:
    """Show one draft with its template, input schema and history (JSON)."""
    sys.exit(run_drafts_show(store, draft_id))


def _step_command(step: str, help_text: str) -> None:
    @drafts.command(step, help=help_text)
    @click.argument("ids", nargs=-1)
    @STORE_OPTION
    @ACTOR_OPTION
    @click.option("--note", default="", help="A note recorded with the transition.")
    def command(ids: tuple[str, ...], store: Path | None, actor: str, note: str) -> None:
        sys.exit(run_drafts_step(store, step, ids, actor, note))


_step_command("validate", "Validate drafts (default: every active draft).")
_step_command("test", "Render every example of each draft offline (validates drafts first).")
_step_command("request-publish", "Ask an operator to publish tested drafts.")


@drafts.command("publish")
@click.argument("ids", nargs=-1, required=True)
@click.option("--operator", required=True, help="The operator publishing (agents request instead).")
@STORE_OPTION
@click.option("--note", default="")
def drafts_publish(ids: tuple[str, ...], operator: str, store: Path | None, note: str) -> None:
    """Publish tested drafts as an operator."""
    sys.exit(run_drafts_step(store, "publish", ids, f"operator:{operator}", note))


@drafts.command("reject")
@click.argument("ids", nargs=-1, required=True)
@click.option("--operator", required=True, help="The operator rejecting the drafts.")
@STORE_OPTION
@click.option("--note", default="", help="Why.")
def drafts_reject(ids: tuple[str, ...], operator: str, store: Path | None, note: str) -> None:
    """Reject drafts as an operator."""
    sys.exit(run_drafts_step(store, "reject", ids, f"operator:{operator}", note))


@cli.command()
@click.argument("name")
@click.argument("action")
@click.option(
    "--input",
    "input_file",
    required=True,
    metavar="FILE|-",
    help="The input {path, query, body} as JSON; - reads standard input.",
)
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True)
def render(name: str, action: str, input_file: str, fmt: str) -> None:
    """Show the exact HTTP request ACTION of manifest NAME sends for an input (token redacted)."""
    sys.exit(run_render(name, action, input_file, fmt))


@dataclass(frozen=True)
class ScaffoldOptions:
    openapi: Path
    operation: str
    slug: str | None = None
    body_fields: tuple[str, ...] = ()
    into: Path | None = None
    format: str = "json"


def run_scaffold(options: ScaffoldOptions) -> int:
    from hubtool.openapi import load_spec
    from hubtool.scaffold import add_to_manifest, scaffold, write_manifest

    spec = load_spec(options.openapi)
    if options.into is None:
        result = scaffold(spec, options.operation, options.slug, options.body_fields)
        for note in result.notes:
            click.echo(f"hubtool: note: {note}", err=True)
        click.echo(json.dumps(result.action, indent=2, ensure_ascii=False))
        return EXIT_CLEAN
    placed = add_to_manifest(
        options.into, spec, options.operation, options.slug, options.body_fields
    )
    write_manifest(options.into, placed.text)
    for note in placed.notes:
        click.echo(f"hubtool: note: {note}", err=True)
    if options.format == "json":
        report = {
            "file": str(options.into),
            "action": placed.action,
            "changes": [
                {"kind": c.kind, "bump": c.bump, "message": c.message} for c in placed.changes
            ],
            "requiredBump": placed.required_bump,
            "minimumVersion": placed.minimum_version,
            "summary": placed.bump_line(),
        }
        click.echo(json.dumps(report, indent=2, ensure_ascii=False))
    else:
        click.echo(f"added action {placed.action['slug']!r} to {options.into}")
        click.echo(placed.bump_line())
    return EXIT_CLEAN


@cli.command()
@click.option(
    "--openapi",
    "openapi",
    required=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="The provider's OpenAPI 3.x spec (JSON or YAML).",
)
@click.option("--operation", "operation", required=True, metavar="OPERATION_ID")
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
    help="Append the action to MANIFEST and print the version bump it now needs.",
)
@click.option("--format", "fmt", type=click.Choice(["json", "text"]), default="json")
def scaffold(
    openapi: Path,
    operation: str,
    slug: str | None,
    body_fields: tuple[str, ...],
    into: Path | None,
    fmt: str,
) -> None:
    """Write a bounded action template for one OpenAPI operation (see the README)."""
    sys.exit(run_scaffold(ScaffoldOptions(openapi, operation, slug, body_fields, into, fmt)))


@cli.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "markdown"]),
    default="text",
    show_default=True,
)
def rules(fmt: str) -> None:
    """List every rule (markdown: the full documentation with examples)."""
    sys.exit(run_rules(fmt))


@cli.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "markdown"]),
    default="text",
    show_default=True,
)
def kinds(fmt: str) -> None:
    """List every change kind with its version bump (markdown: the full documentation)."""
    sys.exit(run_kinds(fmt))


def main(argv: list[str] | None = None) -> None:
    """The one boundary that maps every outcome to an exit code."""
    try:
        cli.main(args=argv, prog_name="hubtool", standalone_mode=False)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        sys.exit(EXIT_CANNOT_RUN)
    except click.exceptions.Abort:
        sys.exit(EXIT_INTERRUPTED)
    except HubtoolError as exc:
        click.echo(f"hubtool: error: {exc}", err=True)
        sys.exit(EXIT_CANNOT_RUN)
    except KeyboardInterrupt:
        sys.exit(EXIT_INTERRUPTED)
    except (OutputError, BrokenPipeError) as exc:
        _discard_stdout()
        click.echo(f"hubtool: error: {exc}", err=True)
        sys.exit(EXIT_CANNOT_RUN)
    except Exception as exc:
        if os.environ.get("HUBTOOL_DEBUG"):
            raise
        click.echo(f"hubtool: internal error: {type(exc).__name__}: {exc}", err=True)
        click.echo(
            "hubtool: please report this at the hubtool issue tracker "
            "(set HUBTOOL_DEBUG=1 for a traceback)",
            err=True,
        )
        sys.exit(EXIT_CANNOT_RUN)
    sys.exit(EXIT_CLEAN)
