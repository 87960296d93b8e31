"""import: manifests into the draft store in one transaction (or one onto a Harbor Node)."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import click

from hubtool.commands import detail, exit_code, files_read, note, report_options
from hubtool.core.errors import EXIT_CLEAN, HubtoolError
from hubtool.core.escape import terminal

if TYPE_CHECKING:
    from hubtool.drafts.importer import Source
    from hubtool.drafts.store import Store


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
    hub: str | None = None
    """A running Hub's address: the names are fetched from it (``hubtool.hub.sources``)."""

    @property
    def several(self) -> bool:
        """The command may name several manifests: output is a list and a summary."""
        return self.all or len(self.names) > 1


def run_import(options: ImportOptions) -> int:
    from hubtool.drafts.importer import catalog_targets, load_sources, resolve_all
    from hubtool.registry import RULES
    from hubtool.report import reporter

    if options.hub:
        from hubtool.hub.sources import hub_sources

        sources, report = hub_sources(options.hub, options.names, rules=RULES)
    else:
        targets = catalog_targets() if options.all else resolve_all(options.names)
        sources, report = load_sources(targets, rules=RULES)
    files_read(report.files)
    if report.failed() or report.incomplete:
        reporter("report", options.format)(report, sys.stdout, **report_options(options.format))
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
    from hubtool.report import reporter

    target = chosen_store(options.store)
    store = open_store(target, read_only=options.dry_run)
    try:
        plans = import_manifests(store, sources, options.actor, dry_run=options.dry_run)
    finally:
        store.close()
    if options.several:
        show = reporter("plans", options.format)
        show(plans, target, sys.stdout, options.dry_run, **report_options(options.format))
    else:
        reporter("plan", options.format)(plans[0], target, sys.stdout, options.dry_run)
    return EXIT_CLEAN


STORE_KEY = "hubtool.drafts.store"
"""Where the ``drafts`` group's ``--store`` is kept (click's shared context ``meta``)."""


def chosen_store(store: Path | None) -> Path:
    """The store a drafts command reads: its own ``--store``, else the group's, else the
    default (``$HUBTOOL_STORE``, ...). With ``-v`` it is named on stderr."""
    from hubtool.drafts.store import default_path

    ctx = click.get_current_context(silent=True)
    target = store or (ctx.meta.get(STORE_KEY) if ctx is not None else None) or default_path()
    detail(f"draft store {terminal(target)}")
    return target


def open_store(path: Path | None, read_only: bool = False) -> Store:
    """The store. A read-only use never creates, migrates or writes it, and says on stderr
    when the store does not exist yet or has an older schema (read as it is)."""
    from hubtool.drafts.store import MIGRATIONS, Store, default_path

    target = path or default_path()
    store = Store(target, read_only=read_only)
    if store.missing:
        note(f"no draft store at {terminal(target)} yet; read as empty")
    elif store.outdated is not None:
        note(
            f"the draft store at {terminal(target)} has schema version {store.outdated} "
            f"(this hubtool writes {len(MIGRATIONS)}); read as it is, not migrated: the next "
            "import or lifecycle step migrates it"
        )
    return store
