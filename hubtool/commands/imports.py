"""import: manifests into the draft store in one transaction (or one onto a Harbor Node)."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import click

from hubtool.commands import exit_code
from hubtool.commands.drafts import ACTOR_OPTION, FORMAT_OPTION, STORE_OPTION, open_store
from hubtool.core.errors import EXIT_CLEAN, HubtoolError

if TYPE_CHECKING:
    from hubtool.drafts.importer import Source


@dataclass(frozen=True)
class ImportOptions:
    names: tuple[str, ...]
    """Paths, publisher slugs or manifest slugs; empty with ``all``."""
    store: Path | None = None
    dry_run: bool = False
    format: str = "text"
    node: str | None = None
    actor: str = "unknown"
    all: bool = False
    """The whole catalog, discovered as ``validate`` does."""

    @property
    def several(self) -> bool:
        """The command may name several manifests: output is a list and a summary."""
        return self.all or len(self.names) > 1


def run_import(options: ImportOptions) -> int:
    from hubtool.drafts.importer import catalog_targets, load_sources, resolve_all
    from hubtool.registry import RULES
    from hubtool.report import reporter

    targets = catalog_targets() if options.all else resolve_all(options.names)
    sources, report = load_sources(targets, rules=RULES)
    if report.failed() or report.incomplete:
        reporter("report", "text")(report, sys.stdout)
        what = "a manifest has" if options.several else "the manifest has"
        click.echo(f"hubtool: {what} errors; nothing was imported", err=True)
        return exit_code(report)
    if not sources:
        raise HubtoolError("no manifests to import: the catalog holds none")
    if options.node:
        from hubtool.drafts.node import NodeClient, import_to_node

        result = import_to_node(NodeClient(options.node), sources[0], dry_run=options.dry_run)
        reporter("node", options.format)(result, sys.stdout, options.dry_run)
        return EXIT_CLEAN
    return _import_into_store(options, sources)


def _import_into_store(options: ImportOptions, sources: list[Source]) -> int:
    """One transaction for every source; one plan each, shown in order."""
    from hubtool.drafts.importer import import_manifests
    from hubtool.drafts.store import default_path
    from hubtool.report import reporter

    target = options.store or default_path()
    store = open_store(target, read_only=options.dry_run)
    try:
        plans = import_manifests(store, sources, options.actor, dry_run=options.dry_run)
    finally:
        store.close()
    if options.several:
        reporter("plans", options.format)(plans, target, sys.stdout, options.dry_run)
    else:
        reporter("plan", options.format)(plans[0], target, sys.stdout, options.dry_run)
    return EXIT_CLEAN


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
def import_command(
    names: tuple[str, ...],
    everything: bool,
    store: Path | None,
    dry_run: bool,
    fmt: str,
    node: str | None,
    actor: str,
) -> None:
    """Import manifests (publisher slugs, manifest slugs or paths; --all: the catalog) as port
    shells and drafts: every manifest is validated first, then all are written in one
    transaction, or none."""
    if bool(names) == everything:
        raise click.UsageError("give manifest names or paths, or --all (not both)")
    options = ImportOptions(names, store, dry_run, fmt, node, actor, everything)
    if node and options.several:
        raise click.UsageError(
            "--node imports one manifest (a Harbor Node has no transaction across manifests)"
        )
    sys.exit(run_import(options))
