"""The scaffold's assembly: one OpenAPI operation -> a checked action template.

``scaffold`` builds the action (names, parameters, body, examples from the sibling modules)
and checks it with every policy rule of ``hubtool validate``; ``add_to_manifest`` places it in
a manifest and reports the version bump the change needs (``hubtool.diff.classify`` +
``hubtool.diff.gate``). Pure: returns data, prints nothing; an operation that cannot become a
valid action raises ``HubtoolError`` with the reasons. The decisions are documented in
``hubtool.upstream.scaffold``'s docstring.
"""

from __future__ import annotations

import copy
import difflib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from hubtool.core.errors import HubtoolError
from hubtool.core.findings import ERROR
from hubtool.core.manifest import READ_METHODS, as_dict, as_list
from hubtool.core.registry import BASE_MANIFEST
from hubtool.load.strict import Document, parse
from hubtool.upstream.openapi import Operation, Spec
from hubtool.upstream.scaffold.body import request_body
from hubtool.upstream.scaffold.examples import spec_examples
from hubtool.upstream.scaffold.names import (
    check_slug,
    derive_slug,
    describe,
    label_of,
    relative,
    rename_placeholders,
)
from hubtool.upstream.scaffold.parameters import path_parameters, query_parameters
from hubtool.validate.pipeline import check_document, load_file

HARBOR_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")


@dataclass
class Scaffold:
    """A scaffolded action template and the notes about what was left out or chosen."""

    action: dict[str, Any]
    notes: list[str] = field(default_factory=list)


@dataclass
class Placement:
    """The result of ``--into``: the new manifest text and the version bump it now needs."""

    file: Path
    action: dict[str, Any]
    notes: list[str]
    text: str
    changes: list[Any]
    """hubtool.diff.kinds.Change objects from the old to the new manifest."""
    required_bump: str | None
    version: Any
    minimum_version: str | None

    def bump_line(self) -> str:
        """E.g. ``action-added: minor; the version must be at least 0.1.1``."""
        kinds = ", ".join(dict.fromkeys(change.kind for change in self.changes)) or "no changes"
        if self.minimum_version is None:
            return f"{kinds}: {self.required_bump}; version {self.version!r} is not semver"
        return f"{kinds}: {self.required_bump}; the version must be at least {self.minimum_version}"


# --- entry points ------------------------------------------------------------------------------


def find_operation(spec: Spec, operation_id: str) -> Operation:
    """The operation with this operationId; an unknown id suggests close matches, and an id
    the spec gives to more than one operation (OpenAPI requires them unique) is an error."""
    if operation_id in spec.duplicates:
        routes = duplicate_routes(spec, operation_id)
        raise HubtoolError(
            f"{spec.path}: operationId {operation_id!r} is used by more than one operation "
            f"({routes}); OpenAPI requires operationIds to be unique: correct the spec"
        )
    if operation_id in spec.by_id:
        return spec.by_id[operation_id]
    if not spec.by_id:
        raise HubtoolError(f"{spec.path}: the spec has no operation with an operationId")
    close = difflib.get_close_matches(operation_id, list(spec.by_id), n=5, cutoff=0.6)
    if not close:
        lowered = operation_id.lower()
        close = [i for i in sorted(spec.by_id) if lowered and lowered in i.lower()][:5]
    hint = f"; did you mean {', '.join(map(repr, close))}?" if close else ""
    raise HubtoolError(f"{spec.path}: no operation {operation_id!r}{hint}")


MAX_ROUTES_SHOWN = 5
"""The routes of a duplicated operationId named in a message; the rest are counted."""


def duplicate_routes(spec: Spec, operation_id: str) -> str:
    """``GET /a, POST /b``: the routes sharing ``operation_id``, at most ``MAX_ROUTES_SHOWN``
    then ``and N more`` (an id shared by thousands of operations stays one short line)."""
    routes = spec.duplicates.get(operation_id, [])
    shown = ", ".join(routes[:MAX_ROUTES_SHOWN])
    more = len(routes) - MAX_ROUTES_SHOWN
    return f"{shown} and {more} more" if more > 0 else shown


def scaffold(
    spec: Spec,
    operation_id: str,
    slug: str | None = None,
    body_fields: tuple[str, ...] | list[str] = (),
    base_url: str | None = None,
    manifest: Any = None,
) -> Scaffold:
    """Scaffold ``operation_id`` as an action under ``base_url`` (default: the server root).

    The action is checked with every policy rule, inside ``manifest`` when given (else inside a
    minimal manifest), and an action that would not validate is an error with the reasons.
    """
    operation = find_operation(spec, operation_id)
    base_path = urlsplit(base_url).path.rstrip("/") if base_url else ""
    result = build_action(operation, slug, body_fields, base_path)
    taken = [
        a.get("slug")
        for a in as_list(as_dict(manifest).get("actionTemplates"))
        if isinstance(a, dict)
    ]
    if result.action["slug"] in taken:
        slug = result.action["slug"]
        raise HubtoolError(f"an action {slug!r} already exists; choose another with --slug")
    errors = action_errors(result.action, manifest, base_url)
    if errors and result.action.get("examples"):
        result.action.pop("examples")
        result.notes.append("the spec's examples do not pass the examples rules; none written")
        errors = action_errors(result.action, manifest, base_url)
    if errors:
        raise HubtoolError(
            f"operation {operation_id!r} cannot be scaffolded as a valid action:",
            tuple(f"{rule}: {message}" for rule, message in errors),
        )
    return result


def add_to_manifest(
    path: Path,
    spec: Spec,
    operation_id: str,
    slug: str | None = None,
    body_fields: tuple[str, ...] | list[str] = (),
) -> Placement:
    """Scaffold the operation into the manifest at ``path``; the caller writes ``text``."""
    from hubtool.diff.classify import diff  # lazy: only --into needs the diff (and git) modules
    from hubtool.diff.gate import minimum_version, required_bump

    data, base_url = manifest_and_base_url(path)
    result = scaffold(spec, operation_id, slug, body_fields, base_url=base_url, manifest=data)
    new = copy.deepcopy(data)
    new["actionTemplates"].append(result.action)
    changes = diff(data, new)
    bump = required_bump(changes)
    version = data.get("version")
    try:
        minimum: str | None = minimum_version(str(version), bump)
    except ValueError:
        minimum = None
    text = json.dumps(new, indent=2, ensure_ascii=False) + "\n"
    return Placement(path, result.action, result.notes, text, changes, bump, version, minimum)


def write_manifest(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` atomically (a reader sees the old or the new file)."""
    from hubtool.diff.bump import _atomic_write  # lazy, as in add_to_manifest

    try:
        _atomic_write(path, text)
    except OSError as exc:
        raise HubtoolError(f"{path}: cannot write: {exc.strerror or exc}") from exc


# --- the self-check ----------------------------------------------------------------------------


def action_errors(
    action: dict[str, Any], manifest: Any = None, base_url: str | None = None
) -> list[tuple[str, str]]:
    """(rule, message) of every error the policy rules find in ``action`` inside ``manifest``."""
    if manifest is None:
        manifest = copy.deepcopy(BASE_MANIFEST)
        manifest["actionTemplates"] = []
        if base_url:
            manifest["portTemplates"][0]["baseUrl"] = base_url
    data = copy.deepcopy(manifest)
    actions = data["actionTemplates"]
    actions.append(action)
    pointer = f"/actionTemplates/{len(actions) - 1}"
    doc = parse(json.dumps(data, indent=2, ensure_ascii=False), "<scaffold>")
    if not isinstance(doc, Document):  # pragma: no cover - json.dumps output always parses
        return [("json-syntax", doc[0].message)]
    return [
        (f.rule, f.message)
        for f in check_document(doc)
        if f.severity == ERROR and (f.pointer == pointer or f.pointer.startswith(pointer + "/"))
    ]


# --- building the action -----------------------------------------------------------------------


def build_action(
    operation: Operation,
    slug: str | None = None,
    body_fields: tuple[str, ...] | list[str] = (),
    base_path: str = "",
) -> Scaffold:
    """The action template for ``operation``, with its path relative to ``base_path``."""
    notes: list[str] = []
    method = operation.method.upper()
    if method not in HARBOR_METHODS:
        allowed = ", ".join(HARBOR_METHODS)
        raise HubtoolError(f"{method} is not an action method (Harbor actions use {allowed})")
    full_path, renames = rename_placeholders(operation.path)
    path = relative(full_path, base_path)
    slug = check_slug(slug) if slug is not None else derive_slug(operation)
    parameters = path_parameters(operation, renames, notes)
    parameters += query_parameters(operation, notes)
    body = request_body(operation, method, list(body_fields), notes)
    action: dict[str, Any] = {
        "slug": slug,
        "label": label_of(slug),
        "description": describe(operation, slug, method, path),
        "method": method,
        "path": path,
    }
    inputs: dict[str, Any] = {}
    if parameters:
        inputs["parameters"] = parameters
    if body is not None:
        inputs["body"] = body
    if inputs:
        action["inputs"] = inputs
    action["approvalMode"] = "automatic" if method in READ_METHODS else "require_approval"
    action["requestBodyMode"] = "json" if body is not None else "none"
    action["resultMode"] = "json_summary"
    examples = spec_examples(operation, action, renames)
    if examples:
        action["examples"] = examples
    return Scaffold(action, notes)


def manifest_and_base_url(path: Path) -> tuple[dict[str, Any], str]:
    """The manifest at ``path`` to scaffold into, and its first port's ``baseUrl``. Raises
    HubtoolError (with file:line:col and what to run) when it is not a readable manifest."""
    doc = load_file(path)
    if not isinstance(doc, Document):
        first = doc[0]
        raise HubtoolError(
            f"{first.file}:{first.line}:{first.column}: {first.message}; "
            f"run 'hubtool validate {path}'"
        )
    data = doc.data
    if not isinstance(data, dict) or not isinstance(data.get("actionTemplates"), list):
        raise HubtoolError(f"{path}: not a manifest with an actionTemplates array")
    ports = [p for p in as_list(data.get("portTemplates")) if isinstance(p, dict)]
    base_url = ports[0].get("baseUrl") if ports else None
    if not isinstance(base_url, str) or not base_url:
        raise HubtoolError(f"{path}: the manifest has no port with a baseUrl")
    return data, base_url
