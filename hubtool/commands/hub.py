"""hub: build the catalog into the Hub database, serve its API and browser, export it."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from hubtool.commands import FORMAT_OPTION, exit_code, report_options
from hubtool.core.errors import EXIT_CLEAN, EXIT_FINDINGS, HubtoolError
from hubtool.core.escape import json_text, redacted, terminal

if TYPE_CHECKING:
    from hubtool.core.findings import Report

DB_OPTION = click.option(
    "--db",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="The Hub database (default: $HUB_DATABASE_URL or ./data/hub.db).",
)


@click.group("hub")
def hub_group() -> None:
    """The Hub: build the catalog into its SQLite database, serve its API, export it."""


@hub_group.command("build")
@DB_OPTION
@FORMAT_OPTION
def build_command(db: Path | None, fmt: str) -> None:
    """Validate the whole catalog and write the Hub database (refused on error findings, or
    when a version's content changed without a new version). Atomic and deterministic."""
    sys.exit(run_build(db, fmt))


def _document(document: dict[str, object]) -> None:
    """One JSON document on stdout (``--format json``; shapes in docs/JSON.md)."""
    from hubtool.report import write_document

    write_document(sys.stdout, json_text(document))


def run_build(db: Path | None, fmt: str = "text") -> int:
    from hubtool.core.files import make_directory
    from hubtool.drafts.importer import catalog_targets, load_sources
    from hubtool.hub.build import build, conflicts, locked, released
    from hubtool.hub.location import database_path
    from hubtool.hub.rows import entry
    from hubtool.registry import RULES

    target = database_path(db)
    sources, report = load_sources(catalog_targets(), rules=RULES)
    if report.failed() or report.incomplete:
        return _refuse_errors(report, fmt)
    if not sources:
        raise HubtoolError("no manifests to build: the catalog holds none")
    entries = [entry(source.data) for source in sources]
    make_directory(target.parent)
    with locked(target.parent):  # another build's releases are read, never lost
        old = released(target)
        changed = conflicts(entries, old)
        if changed:
            return _refuse_changed(target, changed, fmt)
        try:
            build(entries, target, old)
        except OSError as exc:
            raise HubtoolError(f"{target}: cannot write: {exc.strerror or exc}") from exc
    actions = sum(len(e.data.get("actionTemplates", [])) for e in entries)
    if fmt == "json":
        _document(
            {
                "ok": True,
                "db": redacted(str(target)),
                "integrations": len(entries),
                "actionTemplates": actions,
            }
        )
        return EXIT_CLEAN
    click.echo(
        f"built {terminal(str(target))}: {len(entries)} integrations, {actions} action templates"
    )
    return EXIT_CLEAN


def _refuse_changed(target: Path, changed: list[str], fmt: str) -> int:
    """Released versions whose content changed, named: exit 1."""
    if fmt == "json":
        _document({"ok": False, "db": redacted(str(target)), "changed": changed})
    click.echo(
        f"hubtool: error: {terminal(str(target))}: a released version's content changed; "
        f"give each a new version (hubtool bump): {terminal(', '.join(changed))}",
        err=True,
    )
    return EXIT_FINDINGS


def _refuse_errors(report: Report, fmt: str) -> int:
    """The findings as ``validate`` prints them and the files with errors named: exit 1
    (2 when a check crashed)."""
    from hubtool.report import reporter

    reporter("report", fmt)(report, sys.stdout, **report_options(fmt))
    names = sorted({f.file for f in report.findings if f.severity == "error"})
    click.echo(
        f"hubtool: the catalog has errors ({terminal(', '.join(names))}); the Hub database "
        "was not built",
        err=True,
    )
    return exit_code(report)


@hub_group.command("serve")
@DB_OPTION
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port", type=click.IntRange(0, 65535), default=8080, show_default=True, help="0: any free."
)
@FORMAT_OPTION
def serve_command(db: Path | None, host: str, port: int, fmt: str) -> None:
    """Serve the Hub API and catalog page from the database, read-only (needs the hub extra).
    The first line of output says where (json: ``{"ok": true, "url": ...}``)."""
    sys.exit(run_serve(db, host, port, fmt))


def run_serve(db: Path | None, host: str, port: int, fmt: str = "text") -> int:
    from hubtool.hub.build import open_readonly
    from hubtool.hub.location import database_path
    from hubtool.hub.server import bind, serve

    target = database_path(db)
    open_readonly(target).close()  # a missing or foreign database: exit 2 before listening
    sock = bind(host, port)
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{sock.getsockname()[1]}/"
    if fmt == "json":
        _document({"ok": True, "url": url})
    else:
        click.echo(f"serving the Hub at {url} (Ctrl-C stops)")
    sys.stdout.flush()
    serve(target, sock)
    return EXIT_CLEAN


@hub_group.command("export")
@click.argument("directory", type=click.Path(path_type=Path, file_okay=False))
@DB_OPTION
@FORMAT_OPTION
def export_command(directory: Path, db: Path | None, fmt: str) -> None:
    """Write the Hub API and page as static files under DIRECTORY (the server's bytes)."""
    sys.exit(run_export(directory, db, fmt))


def run_export(directory: Path, db: Path | None, fmt: str = "text") -> int:
    from hubtool.core.files import make_directory
    from hubtool.hub.build import open_readonly
    from hubtool.hub.export import export
    from hubtool.hub.location import database_path

    conn = open_readonly(database_path(db))
    try:
        make_directory(directory)
        try:
            count = export(conn, directory)
        except OSError as exc:
            raise HubtoolError(f"{directory}: cannot write: {exc.strerror or exc}") from exc
    finally:
        conn.close()
    if fmt == "json":
        _document({"ok": True, "directory": redacted(str(directory)), "files": count})
        return EXIT_CLEAN
    click.echo(f"exported {count} files to {terminal(str(directory))}")
    return EXIT_CLEAN
