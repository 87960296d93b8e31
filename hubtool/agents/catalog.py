"""Catalog tools: search and show entries, validate a manifest or a proposed action, render a
request, import as drafts. Pure: returns models, prints nothing; errors are HubtoolError.

A *proposed* action is an action template JSON an agent passes in (a scaffold, edited): it is
checked inside its manifest (replacing the action of the same slug, else appended) in memory
with every per-document rule and the repository's ``.hubtool.yaml``; the catalog file is never
written. Importing proposals makes them drafts of the manifest's port in the store.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hubtool.agents import models
from hubtool.agents.workspace import Workspace
from hubtool.core.errors import HubtoolError
from hubtool.core.findings import Finding, Report
from hubtool.core.manifest import actions, as_dict, as_list, ports

UPSTREAM_RECORD = ".upstream.yaml"
"""Beside ``<slug>.json``, ``<slug>.upstream.yaml`` names the provider spec (``spec:``)."""
MAX_PROPOSED = 50
"""The most actions one call may propose."""


@dataclass
class Entry:
    """One manifest of the catalog, parsed."""

    path: Path
    data: dict[str, Any]


def catalog(ws: Workspace) -> list[Entry]:
    """Every manifest of the workspace's catalog that parses as an object, in catalog order."""
    from hubtool.load.discover import default_paths, discover
    from hubtool.load.strict import Document
    from hubtool.validate.pipeline import load_file

    found = []
    for path in discover(default_paths(ws.root)):
        doc = load_file(path)
        if isinstance(doc, Document) and isinstance(doc.data, dict):
            found.append(Entry(path, doc.data))
    return found


def is_path(name: str) -> bool:
    """A manifest name that is a path (ends in ``.json`` or holds a ``/``), not a slug."""
    return name.endswith(".json") or "/" in name


def locate(ws: Workspace, name: str) -> Path:
    """The file of manifest ``name`` (``find``), not parsed when it is a path."""
    return ws.path(name, "manifest") if is_path(name) else find(ws, name).path


def find(ws: Workspace, name: str) -> Entry:
    """The manifest ``name`` gives: a path in the workspace (``is_path``), else a manifest
    slug or a publisher slug with one manifest. Raises HubtoolError."""
    from hubtool.load.strict import Document
    from hubtool.validate.pipeline import load_file

    if is_path(name):
        path = ws.path(name, "manifest")
        doc = load_file(path)
        if not isinstance(doc, Document) or not isinstance(doc.data, dict):
            raise HubtoolError(f"{_shown(ws, path)}: not a JSON object; run validate_manifest")
        return Entry(path, doc.data)
    entries = catalog(ws)
    matches = [e for e in entries if name in (e.data.get("slug"), _publisher(e.data))]
    if len(matches) == 1:
        return matches[0]
    known = ", ".join(sorted(str(e.data.get("slug")) for e in entries)) or "none"
    if not matches:
        raise HubtoolError(f"no manifest named {name!r}; the catalog holds: {known}")
    raise HubtoolError(f"{name!r} names several manifests; give the manifest slug: {known}")


def search(ws: Workspace, query: str = "") -> models.CatalogList:
    """The manifests whose slug, publisher, title, summary or tags contain ``query`` (any case;
    empty: all)."""
    entries = catalog(ws)
    word = query.casefold()
    listed = []
    for entry in entries:
        data = entry.data
        texts = [data.get("slug"), _publisher(data), data.get("title"), data.get("summary")]
        texts += as_list(data.get("tags"))
        if word and not any(word in t.casefold() for t in texts if isinstance(t, str)):
            continue
        listed.append(
            models.CatalogItem(
                manifest=str(data.get("slug")),
                publisher=_publisher(data),
                title=_text(data.get("title")),
                version=_text(data.get("version")),
                path=_shown(ws, entry.path),
                actions=sum(1 for _ in actions(data)),
            )
        )
    return models.CatalogList(entries=listed, total=len(entries))


def show(ws: Workspace, name: str, full: bool = False) -> models.CatalogEntry:
    """One manifest: its ports, its actions (route and modes), its provider spec."""
    entry = find(ws, name)
    data = entry.data
    fields = models.Port.model_fields
    return models.CatalogEntry(
        manifest=str(data.get("slug")),
        publisher=_publisher(data),
        title=_text(data.get("title")),
        summary=_text(data.get("summary")),
        version=_text(data.get("version")),
        path=_shown(ws, entry.path),
        ports=[models.Port(**{k: _text(p.get(k)) for k in fields}) for _, p in ports(data)],
        actions=[action_summary(a) for _, a in actions(data)],
        spec=upstream_spec(entry.path),
        action_templates=[a for _, a in actions(data)] if full else None,
    )


def action_summary(action: dict[str, Any]) -> models.ActionSummary:
    keys = models.ActionSummary.model_fields
    return models.ActionSummary(**{k: _text(action.get(k)) for k in keys if k != "slug"},
                                slug=str(action.get("slug")))  # fmt: skip


def upstream_spec(path: Path) -> str | None:
    """The ``spec:`` of the manifest's ``<slug>.upstream.yaml``, when there is one."""
    record = path.with_name(path.name.removesuffix(".json") + UPSTREAM_RECORD)
    if not record.is_file():
        return None
    from hubtool.upstream.specfile import read_document

    try:
        spec = as_dict(read_document(record)).get("spec")
    except HubtoolError:
        return None
    return spec if isinstance(spec, str) else None


# --- validation --------------------------------------------------------------------------------


def validate_manifest(ws: Workspace, name: str) -> models.Validation:
    """Every rule ``hubtool validate FILE`` runs, with the repository's ``.hubtool.yaml``."""
    from hubtool.registry import RULES
    from hubtool.validate.config.find import find_config
    from hubtool.validate.config.parse import load_config
    from hubtool.validate.pipeline import validate

    path = locate(ws, name)
    config = load_config(find_config(path), rules=RULES)
    return validation(ws, path, validate([path], config=config, jobs=1))


def validate_action(ws: Workspace, name: str, action: dict[str, Any]) -> models.Validation:
    """The findings on one proposed action inside manifest ``name`` (its own pointer only)."""
    entry = find(ws, name)
    data, pointers = with_proposals(entry.data, [action])
    _, report = check_in_memory(entry.path, data)
    mine = [f for f in report.findings if _under(f.pointer, pointers[0])]
    return validation(ws, entry.path, Report(report.files, mine, report.waived))


def with_proposals(
    data: dict[str, Any], proposed: list[dict[str, Any]]
) -> tuple[dict[str, Any], list[str]]:
    """A copy of manifest ``data`` with each proposed action in place of the action of its
    slug (else appended), and the pointer of each."""
    if len(proposed) > MAX_PROPOSED:
        raise HubtoolError(f"propose at most {MAX_PROPOSED} actions at a time")
    merged = copy.deepcopy(data)
    templates = merged.get("actionTemplates")
    if not isinstance(templates, list):
        raise HubtoolError("the manifest has no actionTemplates array; run validate_manifest")
    pointers = []
    for action in proposed:
        if not isinstance(action, dict):
            raise HubtoolError("a proposed action must be a JSON object (an action template)")
        slugs = [a.get("slug") if isinstance(a, dict) else None for a in templates]
        slug = action.get("slug")
        index = slugs.index(slug) if slug is not None and slug in slugs else len(templates)
        templates[index:index + 1] = [action]  # fmt: skip
        pointers.append(f"/actionTemplates/{index}")
    return merged, pointers


def check_in_memory(path: Path, data: dict[str, Any]) -> tuple[Any, Report]:
    """(the Document, its Report): ``data`` as the file at ``path`` would hold it, checked by
    every per-document rule and the configuration of ``path``'s repository."""
    from hubtool.load.discover import display
    from hubtool.load.strict import parse
    from hubtool.registry import RULES
    from hubtool.validate.config.apply import apply_config
    from hubtool.validate.config.find import find_config
    from hubtool.validate.config.parse import load_config
    from hubtool.validate.pipeline import check_document

    doc = parse(json.dumps(data, indent=2, ensure_ascii=False) + "\n", display(path))
    if isinstance(doc, list):  # pragma: no cover - json.dumps output always parses
        raise HubtoolError(f"{display(path)}: {doc[0].message}")
    report = Report([doc.path], sorted(check_document(doc), key=Finding.sort_key))
    config_path = find_config(path)
    if config_path is not None:
        report = apply_config(report, load_config(config_path, rules=RULES))
    return doc, report


def validation(ws: Workspace, path: Path, report: Report) -> models.Validation:
    return models.Validation(
        ok=not report.failed() and not report.incomplete,
        manifest=_shown(ws, path),
        findings=findings(report.findings, ws),
        waived=len(report.waived),
    )


def findings(found: list[Finding], ws: Workspace | None = None) -> list[models.Finding]:
    """The findings as the tools report them; with ``ws``, each file relative to its root, as
    the tools take it (a finding names it relative to the server's working directory)."""
    keys = [k for k in models.Finding.model_fields if k != "file"]
    return [
        models.Finding(file=f.file if ws is None else _shown(ws, Path(f.file)),
                       **{k: getattr(f, k) for k in keys})
        for f in found
    ]  # fmt: skip


# --- render and import -------------------------------------------------------------------------


def render(
    ws: Workspace, name: str, action: str | dict[str, Any], data: dict[str, Any]
) -> models.Rendered:
    """The request ``action`` (a slug of manifest ``name``, or a proposed action) sends for
    ``data`` ({path, query, body}); nothing is rendered for an action or input with errors."""
    from hubtool.core.inputs import input_schema, value_problems
    from hubtool.drafts.render import render_request
    from hubtool.load.strict import pointer_of

    entry = find(ws, name)
    proposed = [action] if isinstance(action, dict) else []
    merged, _ = with_proposals(entry.data, proposed)
    _, report = check_in_memory(entry.path, merged)
    if report.failed() or report.incomplete:
        errors = [f for f in report.findings if f.severity == "error"]
        return models.Rendered(ok=False, findings=findings(errors, ws))
    found = {a.get("slug"): (p, a) for p, a in actions(merged)}
    slug = action.get("slug") if isinstance(action, dict) else action
    if slug not in found:
        raise HubtoolError(f"no action {slug!r} in {name}; actions: {', '.join(map(str, found))}")
    template = found[slug][1]
    problems = [
        f"input {pointer_of(*p.path) or '/'}: {p.message}"
        for p in value_problems(input_schema(template), data)
    ]
    if problems:
        return models.Rendered(ok=False, problems=problems)
    port = next((p for _, p in ports(merged)), {})
    request = render_request(port, template, data)
    return models.Rendered(ok=True, **request.to_dict())


def import_drafts(
    ws: Workspace, name: str, proposed: list[dict[str, Any]], dry_run: bool = False
) -> models.Imported:
    """Import manifest ``name`` (with the proposed actions, if any) as drafts, as ``hubtool
    import`` does: nothing is written when it has an error."""
    from hubtool.drafts.importer import Source, import_manifests, load_source
    from hubtool.drafts.store import Store
    from hubtool.registry import RULES

    entry = find(ws, name)
    if proposed:
        merged, _ = with_proposals(entry.data, proposed)
        doc, report = check_in_memory(entry.path, merged)
        source = None if report.failed() or report.incomplete else Source(doc.path, doc)
    else:
        source, report = load_source(entry.path, rules=RULES)
    shown = str(entry.data.get("slug"))
    if source is None:
        errors = [f for f in report.findings if f.severity == "error"]
        return models.Imported(
            ok=False, dry_run=dry_run, store=str(ws.store), manifest=shown,
            findings=findings(errors, ws),
        )  # fmt: skip
    store = Store(ws.store, read_only=dry_run)
    try:
        plan = import_manifests(store, [source], ws.agent(), dry_run=dry_run)[0]
    finally:
        store.close()
    steps = [models.ImportStep(op=s.op, action=s.slug, draft=s.draft_id,
                               supersedes=s.supersedes) for s in plan.steps]  # fmt: skip
    return models.Imported(
        ok=True, dry_run=dry_run, store=str(ws.store), manifest=plan.manifest,
        version=plan.version, port=plan.port_id, port_op=plan.port_op, steps=steps,
    )  # fmt: skip


# --- helpers -----------------------------------------------------------------------------------


def _under(pointer: str, prefix: str) -> bool:
    return pointer == prefix or pointer.startswith(prefix + "/")


def _publisher(data: dict[str, Any]) -> str | None:
    return _text(as_dict(data.get("publisher")).get("slug"))


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _shown(ws: Workspace, path: Path) -> str:
    """``path`` relative to the workspace root (resolved), else as it is."""
    try:
        return path.resolve().relative_to(ws.root).as_posix()
    except ValueError:
        return str(path)
