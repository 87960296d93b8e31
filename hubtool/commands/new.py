"""new: a skeleton manifest at its catalog path, valid as written (``hubtool.core.skeleton``)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from hubtool.commands import FORMAT_OPTION, quiet
from hubtool.core.errors import EXIT_CLEAN, HubtoolError
from hubtool.core.escape import json_text, redacted, terminal
from hubtool.core.skeleton import CATEGORIES, DEFAULT_CATEGORY


def run_new(
    name: str,
    base_url: str,
    display: str | None = None,
    category: str | None = None,
    website_url: str | None = None,
    cwd: Path | None = None,
    fmt: str = "text",
) -> int:
    """Write ``apps/hub/catalog/integrations/<publisher>/<slug>.json``; exit 0.

    Raises HubtoolError (exit 2, nothing written): NAME not two kebab-case slugs, no catalog
    around ``cwd``, the file already there, or a skeleton the policy rules would not pass (a
    base URL that is not one fixed https origin, say).
    """
    from hubtool.core.skeleton import check_slug, skeleton, with_placeholder

    publisher, slash, slug = name.partition("/")
    if not slash or "/" in slug:
        raise HubtoolError(f"{name!r} is not PUBLISHER/SLUG (e.g. acme/acme-api)")
    check_slug(publisher, "the publisher")
    check_slug(slug, "the slug")
    path = _catalog(cwd) / "integrations" / publisher / f"{slug}.json"
    for part in (path.parent.parent, path.parent):
        if part.is_symlink():
            raise HubtoolError(f"{part} is a symbolic link; the catalog holds real directories")
    if path.exists() or path.is_symlink():
        raise HubtoolError(f"{path} already exists; it was left as it is")
    manifest = with_placeholder(skeleton(publisher, slug, base_url, display, category, website_url))
    text = json.dumps(manifest, indent=2, ensure_ascii=False) + "\n"
    _check(path, text)
    _create(path, text)
    following = (
        "hubtool scaffold --openapi SPEC --list, then --operation ID (or --all) "
        f"--into {path}: the first actions replace the placeholder 'replace-me'; "
        "review the summary, description, tags, category and publisher.websiteUrl"
    )
    if fmt == "json":
        from hubtool.report import write_document

        document = {"ok": True, "file": redacted(str(path)), "publisher": publisher, "slug": slug}
        write_document(sys.stdout, json_text(document | {"next": following}))
        return EXIT_CLEAN
    click.echo(f"created {terminal(path)}")
    if not quiet():
        click.echo(f"next: {terminal(following)}")
    return EXIT_CLEAN


def _catalog(cwd: Path | None) -> Path:
    """The catalog of the repository around ``cwd`` (``hubtool validate``'s default)."""
    from hubtool.load.discover import CATALOG, default_paths

    try:
        return default_paths(cwd)[0]
    except HubtoolError as exc:
        if "no catalog found" not in exc.message:
            raise
        raise HubtoolError(
            f"no catalog found: {CATALOG} is not in the current directory or a parent; run "
            "hubtool new inside the hub repository"
        ) from None


def _check(path: Path, text: str) -> None:
    """The skeleton as ``hubtool validate`` would see it at ``path``: no error, or HubtoolError."""
    from hubtool.core.findings import ERROR
    from hubtool.load.strict import Document, parse
    from hubtool.validate.pipeline import check_document

    doc = parse(text, str(path))
    if not isinstance(doc, Document):  # pragma: no cover - json.dumps output always parses
        raise HubtoolError(f"{path}: the skeleton does not parse: {doc[0].message}")
    errors = [f for f in check_document(doc) if f.severity == ERROR]
    if errors:
        raise HubtoolError(
            "the skeleton would not validate; nothing written:",
            tuple(f"{f.rule}: {f.pointer}: {f.message}" for f in errors),
        )


def _create(path: Path, text: str) -> None:
    from hubtool.core.files import atomic_create, make_directory

    make_directory(path.parent)
    try:
        atomic_create(path, text)
    except FileExistsError:
        raise HubtoolError(f"{path} already exists; it was left as it is") from None
    except OSError as exc:
        raise HubtoolError(f"{path}: cannot write: {exc.strerror or exc}") from exc


@click.command("new")
@click.argument("name", metavar="PUBLISHER/SLUG")
@click.option(
    "--base-url",
    required=True,
    metavar="URL",
    help="The port's baseUrl: one https origin plus an optional base path.",
)
@click.option(
    "--name",
    "display",
    default=None,
    metavar="NAME",
    help="The provider's name (default: PUBLISHER capitalised); the title is 'NAME API'.",
)
@click.option(
    "--category",
    default=None,
    metavar="CATEGORY",
    help=f"The catalog shelf (default: {DEFAULT_CATEGORY}): {', '.join(CATEGORIES)}.",
)
@click.option(
    "--website-url",
    default=None,
    metavar="URL",
    help="The provider's API documentation (default: the base URL's origin).",
)
@FORMAT_OPTION
def new_command(
    name: str,
    base_url: str,
    display: str | None,
    category: str | None,
    website_url: str | None,
    fmt: str,
) -> None:
    """Write a skeleton manifest for PUBLISHER/SLUG at its catalog path.

    The file is apps/hub/catalog/integrations/PUBLISHER/SLUG.json in the repository around the
    current directory, never written over an existing file. It passes hubtool validate: the
    schema requires one action, so it holds a placeholder read ('replace-me') that the first
    'hubtool scaffold --into' replaces.
    """
    sys.exit(run_new(name, base_url, display, category, website_url, fmt=fmt))
