"""plan -> store: import a validated manifest as a port shell plus one action draft per action.

Idempotent: the plan is computed inside the store's write transaction, so identical content
writes nothing and concurrent imports of one manifest never duplicate drafts.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hubtool.core.errors import HubtoolError
from hubtool.core.findings import Report
from hubtool.core.inputs import input_schema
from hubtool.core.manifest import actions, as_dict, ports
from hubtool.core.registry import Rule
from hubtool.diff.kinds import Change
from hubtool.diff.kinds.actions import compare_action
from hubtool.drafts.store import Draft, Store, new_id, now
from hubtool.load.discover import default_paths, discover, display
from hubtool.load.strict import Document
from hubtool.validate.config.find import find_config
from hubtool.validate.config.parse import load_config
from hubtool.validate.pipeline import load_file, validate

CREATE, UPDATE, UNCHANGED, SUPERSEDE = "create", "update", "unchanged", "supersede"
RETIRE = "retire"
"""A published draft whose action left the manifest: the live action stays until an operator
retires it, so the import writes nothing for it."""
PORT_FIELDS = {
    "kind": "kind",
    "label": "label",
    "description": "description",
    "base_url": "baseUrl",
    "auth_mode": "authMode",
    "auth_header_name": "authHeaderName",
    "auth_token_prefix": "authTokenPrefix",
}


def sha256(value: Any) -> str:
    """sha256 of the canonical JSON of ``value`` (sorted keys, no whitespace)."""
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass
class Source:
    """A manifest chosen for import, parsed."""

    path: str
    doc: Document

    @property
    def data(self) -> dict[str, Any]:
        return as_dict(self.doc.data)


def _catalog_manifests() -> list[tuple[Path, dict[str, Any]]]:
    found = []
    for path in discover(default_paths()):
        result = load_file(path)
        if isinstance(result, Document) and isinstance(result.data, dict):
            found.append((path, result.data))
    return found


def resolve(name: str) -> Path:
    """A manifest path from a path, a publisher slug or a manifest slug: a name ending in
    ``.json``, holding a ``/`` or naming an existing file is a path; anything else a slug (so a
    directory called ``sentry`` in the working directory does not hide the slug)."""
    return resolve_all([name])[0]


def resolve_all(names: Iterable[str]) -> list[Path]:
    """Each name as ``resolve`` reads it, in order, the catalog scanned at most once; a path
    named twice is imported once. Raises HubtoolError (exit 2) for the first name that does
    not resolve."""
    manifests: list[tuple[Path, dict[str, Any]]] | None = None
    paths = []
    for name in names:
        candidate = Path(name)
        if candidate.suffix == ".json" or "/" in name or candidate.is_file():
            if not candidate.is_file():
                raise HubtoolError(f"{name}: no such manifest file")
            paths.append(candidate)
            continue
        manifests = _catalog_manifests() if manifests is None else manifests
        paths.append(_by_slug(name, manifests))
    unique: dict[Path, Path] = {}
    for path in paths:  # a slug and a relative path may name one file: the first form stays
        unique.setdefault(Path(os.path.normpath(path.absolute())), path)  # a/../b is b
    return list(unique.values())


def _by_slug(name: str, manifests: list[tuple[Path, dict[str, Any]]]) -> Path:
    matches = [
        path
        for path, data in manifests
        if name in (data.get("slug"), as_dict(data.get("publisher")).get("slug"))
    ]
    if len(matches) == 1:
        return matches[0]
    known = sorted(
        f"{as_dict(d.get('publisher')).get('slug')}/{d.get('slug')}" for _, d in manifests
    )
    if not matches:
        raise HubtoolError(f"no manifest named {name!r}; available: {', '.join(known) or 'none'}")
    listed = ", ".join(display(p) for p in matches)
    raise HubtoolError(f"{name!r} matches several manifests: {listed}; give the manifest slug")


def catalog_targets() -> list[Path]:
    """``import --all``: the catalog of the repository around the working directory, as
    ``validate`` with no path finds it (HubtoolError when there is none)."""
    return default_paths()


def load_source(path: Path, *, rules: Mapping[str, Rule]) -> tuple[Source | None, Report]:
    """Validate (with the repository's .hubtool.yaml; ``rules``: the known rules by id, for
    it), then parse: any error blocks the import."""
    sources, report = load_sources([path], rules=rules)
    return (sources[0] if sources else None), report


def load_sources(
    targets: Iterable[Path], *, rules: Mapping[str, Rule]
) -> tuple[list[Source], Report]:
    """Validate every manifest under ``targets`` (files or catalog directories) and keep the
    documents validated (parsed once): ``([], report)`` when any has an error, so nothing is
    imported.

    Targets are validated together per configuration file (each repository's .hubtool.yaml,
    found from the target as ``validate`` finds it), so catalog-wide rules such as unique
    manifest slugs see the whole set. Sources come in the order of the targets.
    """
    targets = list(targets)
    groups: dict[Path | None, list[Path]] = {}
    for target in targets:
        groups.setdefault(find_config(target), []).append(target)
    report = Report()
    documents: list[Document] = []  # what validate() parsed and checked: imported as it is
    for config, members in groups.items():
        part = validate(members, config=load_config(config, rules=rules), documents=documents)
        report.files += part.files
        report.findings += part.findings
        report.waived += part.waived
    if report.failed() or report.incomplete:
        return [], report
    checked = set(report.files)
    parsed = {doc.path: doc for doc in documents}
    sources = []
    for path in discover(targets):
        name = display(path)
        if name not in checked:  # appeared since validation: never import unchecked
            raise HubtoolError(f"{name}: appeared during the import; run it again")
        if name not in parsed:  # validate() reported it unparsed, so an error: never here
            raise HubtoolError(f"{name}: changed during the import; run it again")
        sources.append(Source(name, parsed[name]))
    return sources, report


@dataclass
class Step:
    """One planned operation on one action (or the port)."""

    op: str
    slug: str
    draft_id: str | None = None
    supersedes: str | None = None
    changes: list[Change] = field(default_factory=list)


@dataclass
class Plan:
    manifest: str
    version: str
    sha256: str
    port_id: str | None
    """None for a port the store does not hold yet: its id is drawn when it is written."""
    port_op: str
    steps: list[Step] = field(default_factory=list)
    port_changes: list[str] = field(default_factory=list)

    @property
    def unchanged(self) -> bool:
        return self.port_op == UNCHANGED and all(s.op in (UNCHANGED, RETIRE) for s in self.steps)


def _port_values(source: Source) -> dict[str, Any]:
    port = next((p for _, p in ports(source.data)), {})
    return {column: port.get(key) for column, key in PORT_FIELDS.items()}


def make_plan(store: Store, source: Source) -> Plan:
    """What importing ``source`` would do to the store as it is now."""
    data = source.data
    publisher = as_dict(data.get("publisher")).get("slug")
    row = store.port(publisher, data["slug"])
    port_id = row["id"] if row else None
    digest = sha256(data)
    # The port records which manifest it came from, so a new version updates it even when
    # the shell itself is unchanged.
    wanted = {
        **_port_values(source),
        "manifest_version": data["version"],
        "manifest_sha256": digest,
    }
    port_changes = [c for c, v in wanted.items() if row is None or row[c] != v]
    port_op = CREATE if row is None else (UPDATE if port_changes else UNCHANGED)
    plan = Plan(
        data["slug"],
        data["version"],
        digest,
        port_id,
        port_op,
        port_changes=port_changes if row else [],
    )
    current = store.current_drafts(row["id"]) if row else {}
    slugs = set()
    for _, action in actions(data):
        plan.steps.append(_step(action, current.get(action["slug"])))
        slugs.add(action["slug"])
    for slug, draft in current.items():
        if slug not in slugs:
            op = RETIRE if draft.state == "published" else SUPERSEDE
            plan.steps.append(Step(op, slug, draft.id))
    return plan


def _step(action: dict[str, Any], draft: Draft | None) -> Step:
    if draft is None:
        return Step(CREATE, action["slug"])
    if draft.template_sha256 == sha256(action):
        return Step(UNCHANGED, action["slug"], draft.id)
    changes = list(compare_action(draft.template, action, ("", "")))
    return Step(UPDATE, action["slug"], supersedes=draft.id, changes=changes)


def apply(store: Store, source: Source, plan: Plan, actor: str) -> None:
    """Write the plan. The caller holds the store's transaction."""
    stamp = now()
    plan.port_id = plan.port_id or new_id("port")
    if plan.port_op != UNCHANGED:
        row = store.port_by_id(plan.port_id)
        values = {
            "id": plan.port_id,
            "publisher_slug": as_dict(source.data.get("publisher")).get("slug"),
            "manifest_slug": plan.manifest,
            **_port_values(source),
            "needs_local_auth": 1 if row is None or auth_moved(plan) else row["needs_local_auth"],
            "manifest_version": plan.version,
            "manifest_sha256": plan.sha256,
            "created_at": row["created_at"] if row else stamp,
            "updated_at": stamp,
        }
        store.save_port(values)
    templates = {a["slug"]: a for _, a in actions(source.data)}
    for step in plan.steps:
        if step.op in (UPDATE, SUPERSEDE):
            old = step.supersedes or step.draft_id
            draft = store.draft(old) if old else None
            if draft and draft.state != "published":  # the live action stays until replaced
                note = f"superseded by {plan.manifest} {plan.version}"
                store.set_state(draft.id, draft.state, "superseded", actor, note)
        if step.op in (CREATE, UPDATE):
            step.draft_id = new_id("dr")
            store.insert_draft(_draft(step, templates[step.slug], source, plan, stamp), actor)


def auth_moved(plan: Plan) -> bool:
    """Origin or auth settings changed: the operator must configure the port again."""
    return bool(
        set(plan.port_changes) & {"base_url", "auth_mode", "auth_header_name", "auth_token_prefix"}
    )


def _draft(step: Step, action: dict[str, Any], source: Source, plan: Plan, stamp: str) -> Draft:
    assert plan.port_id is not None  # apply() draws it first
    return Draft(
        id=step.draft_id or new_id("dr"),
        port_id=plan.port_id,
        slug=step.slug,
        state="draft",
        template=action,
        template_sha256=sha256(action),
        input_schema=input_schema(action),
        approval_mode=action["approvalMode"],
        request_body_mode=action["requestBodyMode"],
        result_mode=action["resultMode"],
        manifest_slug=plan.manifest,
        manifest_version=plan.version,
        manifest_sha256=plan.sha256,
        source_path=source.path,
        supersedes=step.supersedes,
        created_at=stamp,
        updated_at=stamp,
    )


def import_manifest(store: Store, source: Source, actor: str, dry_run: bool = False) -> Plan:
    """Plan and (unless dry_run or unchanged) apply, in one write transaction."""
    return import_manifests(store, [source], actor, dry_run)[0]


def import_manifests(
    store: Store, sources: Iterable[Source], actor: str, dry_run: bool = False
) -> list[Plan]:
    """Plan and apply each source in turn, all in one write transaction: all or nothing.

    Each plan sees what the sources before it wrote. A dry run plans every source against
    the store as it is and writes nothing; an unchanged source writes nothing either.
    """
    plans = []
    with store.transaction():
        for source in sources:
            plan = make_plan(store, source)
            if not dry_run and not plan.unchanged:
                apply(store, source, plan, actor)
            plans.append(plan)
    return plans
