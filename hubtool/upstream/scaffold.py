"""Scaffold a bounded action template from one OpenAPI operation. Pure: returns data, no printing.

``hubtool scaffold --openapi SPEC --operation ID`` reads the operation
(``hubtool.upstream.openapi``) and writes the smallest action that passes ``hubtool validate``.
What it decides, and why:

Route
    ``method`` is the operation's; ``path`` is the operation's full path (server base path
    included) relative to the port's baseUrl path with ``--into``, else to the server root. An
    operation outside the baseUrl path, a method Harbor does not know, a placeholder that is not
    a whole segment, or a route the policy refuses (DELETE, PUT/PATCH on a collection) is an
    error with the reason, never an invalid action: every scaffold is checked by the same rules
    as ``hubtool validate`` before it is returned or written.

Names
    ``slug`` is ``--slug``, else ``<verb>-<resource>``: the verb is the first word of the
    camelCase operationId (get, list, update ...); the resource is the last literal path
    segment, or the singular of the segment before a trailing placeholder (``issues/{id}`` ->
    ``issue``). ``label`` is the slug in Title Case; ``description`` the summary (else the first
    sentence of the description), at most ``MAX_DESCRIPTION`` characters and never a
    credential-shaped string (then a neutral text is used).

Path parameters
    Renamed from snake_case to camelCase (``organization_id_or_slug`` ->
    ``organizationIdOrSlug``), placeholders too; always required. A string is
    ``PATH_STRING`` (letters, digits, ``-``, ``_``; no ``/`` or ``.``), unless the spec gives a
    pattern that is itself anchored and route-safe (then that pattern), an enum of route-safe
    values, or an integer (``minimum`` 1 and ``maximum`` 2^53-1 unless the spec bounds it).

Query parameters
    Types, bounds and enums from the spec. A string without an enum or a bounded format gets
    the spec's ``maxLength``, else ``DEFAULT_MAX_LENGTH``. An integer gets the spec's
    minimum/maximum, else a limit stated in its description ("The maximum is 100.", "Default and
    maximum allowed is 100.", "between 1 and 10", "Defaults to 1000, which is also the
    maximum."); such a stated maximum reads as a count or page size, so its minimum is 1 unless
    the spec gives one. Without either it stays unbounded and ``typed-query`` warns. Arrays get
    typed scalar items and the spec's ``maxItems``, else ``DEFAULT_MAX_ITEMS``. A union of
    scalar types (``anyOf``/``oneOf``/a type list) becomes a string (any scalar is sent as text
    in a query string): ``integer|string`` -> ``string`` with ``maxLength``; ``integer|number``
    -> ``number``. ``null`` is dropped (a query value is never null). Object-typed, untyped,
    deprecated, header and cookie parameters, and parameters that name a credential, are
    skipped with a note. A default is kept only if it validates against the final schema.

Body (``requestBodyMode: json``; GET and HEAD never carry one)
    The JSON request schema, flattened (one-element ``allOf`` wrappers merged), closed
    (``additionalProperties: false`` at every level) and bounded: strings get ``maxLength``
    (the spec's, else ``DEFAULT_MAX_LENGTH``) unless they have an enum or a bounded format;
    numbers get the spec's minimum/maximum, else a limit stated in the description, else
    ``DEFAULT_MINIMUM``..``DEFAULT_MAXIMUM`` (a count or an ID is the common case: widen it by
    hand where negative or larger values are meaningful); arrays get ``maxItems`` (the spec's,
    else ``DEFAULT_MAX_ITEMS``). ``nullable`` becomes ``["t", "null"]``. A scalar union keeps
    its types (JSON tells them apart) with the bounds of each. Read-only, deprecated and
    credential-named properties, free-form objects (no declared properties) and properties of
    no representable type are left out with a note, unless named with ``--body-field`` (then
    the scaffold fails with the reason). ``--body-field`` narrows the body to the named
    top-level fields; without it every representable field is kept.

    ``required``: Sentry's generator lists every serializer field as required, even for
    partial updates (``updateOrganizationIssue`` "requires" twelve fields, and its
    ``statusDetails`` requires seven mutually exclusive ones). So:

    * PUT and PATCH are partial updates: nothing is required at any level; the top-level body
      has ``minProperties: 1`` instead, because an empty update changes nothing. The fields
      named with ``--body-field`` are what the action *may* change, not what every call must
      send; add ``required`` by hand when the provider truly needs a field.
    * POST keeps the spec's ``required`` lists (restricted to the fields kept). A required
      field left out by ``--body-field`` is reported in a note: the provider may reject calls.

Modes
    ``approvalMode`` is ``automatic`` for GET and HEAD, ``require_approval`` otherwise;
    ``requestBodyMode`` is ``json`` when there is a body; ``resultMode`` is ``json_summary``.

Examples
    From the spec's examples only (parameter ``example``/``examples``, schema
    ``example``/``examples``, request body ``example``/``examples``), one action example per
    body example (``spec-example``, ``spec-example-2`` ...), each kept only when it validates
    against the action's compiled input schema (``hubtool.core.inputs``) and carries no
    credential-shaped value. Body examples are narrowed to the action's body fields. A path
    value the spec does not give is a placeholder that fits the parameter's schema
    (``example``, or the minimum of an integer), and the example's description says so; an
    example made only of placeholders is not written.

``--into MANIFEST``
    Appends the action to ``actionTemplates`` (a slug already there is an error), writes the
    file atomically as ``json.dumps(indent=2, ensure_ascii=False)`` plus a newline (key order is
    kept, but formatting is normalised to a 2-space indent), and reports the version bump the
    change now needs (``hubtool.diff.classify`` + ``hubtool.diff.gate``).
"""

from __future__ import annotations

import copy
import difflib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from hubtool.core.errors import HubtoolError
from hubtool.core.manifest import READ_METHODS, as_dict, as_list
from hubtool.upstream.openapi import Operation, Spec, flatten

DEFAULT_MAX_LENGTH = 200
"""maxLength of a string the spec leaves unbounded."""
DEFAULT_MAX_ITEMS = 50
"""maxItems of an array the spec leaves unbounded."""
DEFAULT_MINIMUM = 0
DEFAULT_MAXIMUM = 2**31 - 1
"""The range of a body number the spec leaves unbounded (a count or an ID)."""
SAFE_INTEGER = 2**53 - 1
"""The largest integer every JSON reader represents exactly."""
PATH_STRING = {"type": "string", "pattern": "^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$", "maxLength": 100}
"""A string path value: one segment that can never change the route."""
MAX_DESCRIPTION = 300
MAX_DEPTH = 12
"""Body schemas nested deeper than this are not scaffolded."""
PLACEHOLDER_VALUE = "example"

HARBOR_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")
PARTIAL_UPDATES = frozenset({"PUT", "PATCH"})
_SCALARS = ("string", "integer", "number", "boolean")
_BOUNDED_FORMATS = frozenset({"date-time", "date", "time", "uuid"})
_FORMATS = frozenset({"date-time", "date", "time", "email", "uri", "uuid", "hostname"})
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_PLACEHOLDER = re.compile(r"\{([^{}/]*)\}")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,63}")
_QUERY_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.\[\]-]{0,63}")
_WORDS = re.compile(r"[A-Z]+(?=[A-Z][a-z]|[0-9]|\b|_)|[A-Z]?[a-z]+|[A-Z]+|[0-9]+")
_COUNT = r"(\d{1,15})(?!\d)"
"""A stated limit: 15 digits at most (int() refuses 4,300, and no page size has 16)."""
_INTEGER = r"(-?\d{1,15})(?!\d)"
_LIMITS = (
    re.compile(rf"\bbetween\s+`?{_INTEGER}`?\s+and\s+`?{_INTEGER}`?", re.IGNORECASE),
    re.compile(rf"\bmaximum(?:\s+allowed)?\s+(?:is|of)\s+`?{_COUNT}`?", re.IGNORECASE),
    re.compile(rf"(?<!\d){_COUNT}`?,?\s+which\s+is\s+also\s+the\s+maximum", re.IGNORECASE),
    re.compile(rf"\bat\s+most\s+`?{_COUNT}`?", re.IGNORECASE),
)
_SENTENCE = re.compile(r"(?<=[.!?])\s")
_LINK = re.compile(r"\[([^\]]*)\]\([^)\s]*\)")
"""A Markdown link: descriptions keep its text."""
_EMPHASIS = re.compile(r"(?<!\w)[*_]{1,3}|[*_]{1,3}(?!\w)")
"""Markdown emphasis markers (underscores inside snake_case names stay)."""


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
    """The operation with this operationId; an unknown id suggests close matches."""
    if operation_id in spec.by_id:
        return spec.by_id[operation_id]
    if not spec.by_id:
        raise HubtoolError(f"{spec.path}: the spec has no operation with an operationId")
    close = difflib.get_close_matches(operation_id, list(spec.by_id), n=5, cutoff=0.6)
    if not close:
        lowered = operation_id.lower()
        close = [i for i in sorted(spec.by_id) if lowered and lowered in i.lower()][:5]
    hint = f"; did you mean {', '.join(map(repr, close))}?" if close else ""
    return _raise(f"{spec.path}: no operation {operation_id!r}{hint}")


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
        _raise(f"an action {result.action['slug']!r} already exists; choose another with --slug")
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
    from hubtool.diff.classify import diff
    from hubtool.diff.gate import minimum_version, required_bump
    from hubtool.load.strict import Document
    from hubtool.validate.pipeline import load_file

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
    from hubtool.diff.bump import _atomic_write

    try:
        _atomic_write(path, text)
    except OSError as exc:
        raise HubtoolError(f"{path}: cannot write: {exc.strerror or exc}") from exc


# --- the self-check ----------------------------------------------------------------------------


def action_errors(
    action: dict[str, Any], manifest: Any = None, base_url: str | None = None
) -> list[tuple[str, str]]:
    """(rule, message) of every error the policy rules find in ``action`` inside ``manifest``."""
    from hubtool.core.findings import ERROR
    from hubtool.load.strict import Document, parse
    from hubtool.validate.pipeline import check_document

    if manifest is None:
        from hubtool.core.registry import BASE_MANIFEST

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
        _raise(f"{method} is not an action method (Harbor actions use {', '.join(HARBOR_METHODS)})")
    full_path, renames = _rename_placeholders(operation.path)
    path = _relative(full_path, base_path)
    slug = _check_slug(slug) if slug is not None else derive_slug(operation)
    parameters = _path_parameters(operation, renames, notes)
    parameters += _query_parameters(operation, notes)
    body = _body(operation, method, list(body_fields), notes)
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
    examples = _examples(operation, action, renames)
    if examples:
        action["examples"] = examples
    return Scaffold(action, notes)


def _raise(message: str) -> Any:
    raise HubtoolError(message)


def _rename_placeholders(path: str) -> tuple[str, dict[str, str]]:
    """The path with camelCase placeholders, and the renames (spec name -> action name)."""
    renames: dict[str, str] = {}
    segments = []
    for segment in path.split("/"):
        match = _PLACEHOLDER.search(segment)
        if match and (match.start() != 0 or match.end() != len(segment)):
            _raise(
                f"path segment {segment!r} of {path} is not a whole-segment placeholder; "
                "Harbor paths allow only '{name}' segments"
            )
        if match:
            name = camel_case(match.group(1))
            if not _NAME.fullmatch(name):
                _raise(f"path placeholder {match.group(1)!r} cannot be an action parameter name")
            if name in renames.values():
                _raise(f"path placeholders of {path} collide as {name!r}")
            renames[match.group(1)] = name
            segment = "{" + name + "}"
        segments.append(segment)
    return "/".join(segments), renames


def _relative(path: str, base_path: str) -> str:
    if not base_path:
        return path
    if path == base_path or path.startswith(base_path + "/"):
        return path[len(base_path) :] or "/"
    return _raise(
        f"the operation's path {path} is not under the port's base path {base_path}/; "
        "scaffold it into a manifest whose baseUrl matches the spec's server"
    )


def camel_case(name: str) -> str:
    """``organization_id_or_slug`` -> ``organizationIdOrSlug`` (camelCase is kept)."""
    parts = [p for p in re.split(r"[^A-Za-z0-9]+", name) if p]
    if not parts:
        return ""
    first = parts[0].lower() if parts[0].isupper() else parts[0][0].lower() + parts[0][1:]
    return first + "".join(p[0].upper() + p[1:] for p in parts[1:])


def _check_slug(slug: str) -> str:
    if not _SLUG.fullmatch(slug) or len(slug) > 64:
        _raise(f"--slug {slug!r} is not a kebab-case slug (a-z, 0-9 and '-', at most 64)")
    return slug


def derive_slug(operation: Operation) -> str:
    """``<verb>-<resource>``: getOrganizationIssue on .../issues/{issue_id}/ -> ``get-issue``."""
    words = _WORDS.findall(operation.operation_id)
    verb = words[0].lower() if words else operation.method.lower()
    segments = [s for s in operation.path.split("/") if s]
    literal = [i for i, s in enumerate(segments) if not _PLACEHOLDER.fullmatch(s)]
    resource = ""
    if literal:
        last = literal[-1]
        resource = kebab(segments[last])
        if last != len(segments) - 1:
            resource = singular(resource)
    slug = "-".join(p for p in (kebab(verb), resource) if p)[:64].strip("-")
    if not _SLUG.fullmatch(slug):
        _raise(f"cannot derive a slug from {operation.operation_id!r}; pass --slug")
    return slug


def kebab(text: str) -> str:
    text = re.sub(r"([a-z0-9])([A-Z])", r"\1-\2", text)
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def singular(word: str) -> str:
    """issues -> issue, entries -> entry, statuses -> status (the last word of a kebab name)."""
    head, _, last = word.rpartition("-")
    if last.endswith("ies") and len(last) > 4:
        last = last[:-3] + "y"
    elif last.endswith(("sses", "xes", "ches", "shes", "uses", "zzes")):
        last = last[:-2]
    elif last.endswith("s") and not last.endswith(("ss", "us", "is")):
        last = last[:-1]
    return f"{head}-{last}" if head else last


def label_of(slug: str) -> str:
    return " ".join(word.capitalize() for word in slug.split("-"))[:120]


def describe(operation: Operation, slug: str, method: str, path: str) -> str:
    """The summary, else the description's first sentence; bounded, never a credential."""
    for text in (operation.summary, first_sentence(operation.description)):
        safe = safe_text(text, MAX_DESCRIPTION)
        if safe:
            return safe
    return f"{label_of(slug)}: {method} {path}."[:MAX_DESCRIPTION]


def first_sentence(text: str) -> str:
    paragraph = text.strip().split("\n\n")[0]
    return _SENTENCE.split(" ".join(paragraph.split()), maxsplit=1)[0]


def safe_text(text: Any, limit: int = MAX_DESCRIPTION) -> str | None:
    """``text``'s first paragraph on one line, cut at ``limit``; None if empty or secret-shaped."""
    from hubtool.core.secrets import find_secret

    if not isinstance(text, str):
        return None
    line = " ".join(text.strip().split("\n\n")[0].split())
    line = " ".join(_EMPHASIS.sub("", _LINK.sub(r"\1", line)).split())
    if len(line) > limit:
        line = line[: limit - 3].rsplit(" ", 1)[0].rstrip(" ,;:") + "..."
    if not line or find_secret(line):
        return None
    return line


# --- parameters --------------------------------------------------------------------------------


def _path_parameters(
    operation: Operation, renames: dict[str, str], notes: list[str]
) -> list[dict[str, Any]]:
    declared = {str(p.get("name")): p for p in operation.parameters if p.get("in") == "path"}
    for name in declared:
        if name not in renames:
            notes.append(f"path parameter {name!r} is not in the path; skipped")
    result = []
    for spec_name, name in renames.items():
        param = declared.get(spec_name)
        if param is None:
            notes.append(f"placeholder {{{spec_name}}} has no path parameter in the spec")
            param = {}
        schema, why = path_schema(param.get("schema"))
        if why:
            notes.append(f"path parameter {name!r}: {why}")
        description = safe_text(param.get("description")) or f"The {name} path parameter."
        result.append(
            {
                "name": name,
                "in": "path",
                "required": True,
                "schema": schema,
                "description": description,
            }
        )
    return result


def path_schema(raw: Any) -> tuple[dict[str, Any], str | None]:
    """A route-safe schema for a path value, and a note when the spec's was not kept."""
    from hubtool.validate.rules.paths import value_schema_problem

    spec = flatten(raw)
    types = _types(spec) - {"null"}
    enum = spec.get("enum")
    if isinstance(enum, list) and enum:
        kind = "integer" if types == {"integer"} else "string"
        schema: dict[str, Any] = {
            "type": kind,
            "enum": _unique([v for v in enum if _fits(v, kind)]),
        }
        values = schema["enum"]
        if values and value_schema_problem(schema) is None:
            return schema, None
        return dict(PATH_STRING), "its enum has values that could change the route; a pattern"
    if types == {"integer"}:
        low, high = _numeric_bounds(spec)
        low = 1 if low is None else max(low, -SAFE_INTEGER)
        high = SAFE_INTEGER if high is None else min(high, SAFE_INTEGER)
        return {"type": "integer", "minimum": low, "maximum": high}, None
    pattern = spec.get("pattern")
    if isinstance(pattern, str):
        max_length = spec.get("maxLength")
        schema = {
            "type": "string",
            "pattern": pattern,
            "maxLength": max_length if _is_count(max_length) else PATH_STRING["maxLength"],
        }
        if len(pattern) <= 1024 and value_schema_problem(schema) is None and _safe(pattern):
            return schema, None
        return dict(PATH_STRING), "the spec's pattern is not route-safe; the default pattern"
    return dict(PATH_STRING), None


def _query_parameters(operation: Operation, notes: list[str]) -> list[dict[str, Any]]:
    from hubtool.core.inputs import value_problems
    from hubtool.core.secrets.names import names_credential

    result = []
    for param in operation.parameters:
        location, name = param.get("in"), str(param.get("name"))
        if location in ("header", "cookie"):
            notes.append(f"{location} parameter {name!r} skipped: actions send path and query only")
            continue
        if location != "query":
            continue
        if not _QUERY_NAME.fullmatch(name):
            notes.append(f"query parameter {name!r} skipped: not a valid action parameter name")
            continue
        if names_credential(name):
            notes.append(f"query parameter {name!r} skipped: it names a credential")
            continue
        if param.get("deprecated") is True:
            notes.append(f"query parameter {name!r} skipped: deprecated")
            continue
        schema, why = query_schema(param.get("schema"), str(param.get("description", "")))
        if schema is None:
            required = "; the provider requires it" if param.get("required") is True else ""
            notes.append(f"query parameter {name!r} skipped: {why}{required}")
            continue
        if why:
            notes.append(f"query parameter {name!r}: {why}")
        out: dict[str, Any] = {"name": name, "in": "query"}
        if param.get("required") is True:
            out["required"] = True
        out["schema"] = schema
        default = flatten(param.get("schema")).get("default")
        if default is not None and _clean_value(default) and not value_problems(schema, default):
            out["default"] = default
        out["description"] = safe_text(param.get("description")) or f"The {name} query parameter."
        result.append(out)
    return result


def query_schema(raw: Any, description: str = "") -> tuple[dict[str, Any] | None, str | None]:
    """A typed, bounded query schema, or None with the reason it cannot be one."""
    spec = flatten(raw)
    types = _types(spec) - {"null"}
    if "object" in types:
        return None, "an object; query values are scalars or arrays of scalars"
    if "array" in types:
        if types != {"array"}:
            return None, "mixes an array with scalars"
        items, why = _query_scalar(flatten(spec.get("items")), "")
        if items is None:
            return None, f"its items are {why}"
        note = f"items {why}" if why else None
        schema: dict[str, Any] = {"type": "array", "items": items}
        _copy_counts(spec, schema, ("minItems",))
        schema["maxItems"] = (
            spec["maxItems"] if _is_count(spec.get("maxItems")) else DEFAULT_MAX_ITEMS
        )
        if spec.get("uniqueItems") is True:
            schema["uniqueItems"] = True
        return schema, note
    return _query_scalar(spec, description)


def _query_scalar(
    spec: dict[str, Any], description: str
) -> tuple[dict[str, Any] | None, str | None]:
    types = _types(spec) - {"null"}
    note = None
    if not types:
        return None, "untyped (no type the scaffold can bound)"
    if not types <= set(_SCALARS):
        return None, f"of type {'|'.join(sorted(types))}"
    if len(types) > 1:
        chosen = "number" if types == {"integer", "number"} else "string"
        note = f"{'|'.join(sorted(types))} in the spec; typed {chosen}"
        types = {chosen}
        spec = {k: v for k, v in spec.items() if k not in ("enum", "const")}
    (kind,) = types
    schema: dict[str, Any] = {"type": kind}
    _enum(spec, kind, schema)
    if kind == "string":
        _string_bounds(spec, schema)
    elif kind in ("integer", "number"):
        low, high = _numeric_bounds(spec)
        if high is None and low is None:
            low, high = description_limits(description)
        elif high is None:
            high = description_limits(description)[1]
        _set_bounds(spec, schema, low, high)
    return schema, note


# --- the body ----------------------------------------------------------------------------------


def _body(
    operation: Operation, method: str, wanted: list[str], notes: list[str]
) -> dict[str, Any] | None:
    json_body = operation.body_schema is not None
    if method in READ_METHODS:
        if json_body or operation.body_media_types:
            notes.append(f"{method} requests carry no body; the spec's request body is ignored")
        if wanted:
            _raise(f"--body-field: {method} actions have no body")
        return None
    if not json_body:
        other = ", ".join(operation.body_media_types)
        if other and operation.body_required:
            _raise(f"the request body is {other}; Harbor actions send only JSON bodies")
        if other:
            notes.append(f"the optional {other} request body is not supported; none declared")
        if wanted:
            _raise("--body-field: the operation has no JSON request body")
        return None
    spec = flatten(operation.body_schema)
    properties = as_dict(spec.get("properties"))
    if "object" not in _types(spec) and not properties:
        _raise("the JSON request body is not an object with declared properties")
    unknown = [name for name in wanted if name not in properties]
    if unknown:
        available = ", ".join(properties) or "none"
        names = ", ".join(map(repr, unknown))
        close = difflib.get_close_matches(unknown[0], list(properties), n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        _raise(f"--body-field {names}: not a body field{hint} (available: {available})")
    partial = method in PARTIAL_UPDATES
    converter = _BodyConverter(partial, notes)
    body = converter.object(spec, "body", only=list(dict.fromkeys(wanted)) or None)
    if body is None and not operation.body_required:
        notes.append(f"the optional request body is not representable: {converter.reasons[-1]}")
        return None
    if body is None:
        _raise(f"no field of the request body can be represented: {'; '.join(converter.reasons)}")
    if partial:
        properties_last = body.pop("properties")
        body["minProperties"] = max(body.get("minProperties", 0), 1)
        body["properties"] = properties_last
    elif wanted:
        left_out = [n for n in _names(spec.get("required")) if n in properties and n not in wanted]
        if left_out:
            notes.append(
                f"the spec requires body field(s) {', '.join(map(repr, left_out))}, "
                "left out by --body-field: the provider may reject calls"
            )
    return body


class _BodyConverter:
    """Closed, typed, bounded JSON Schema from an OpenAPI body schema."""

    def __init__(self, partial: bool, notes: list[str]) -> None:
        self.partial = partial
        self.notes = notes
        self.reasons: list[str] = []

    def object(
        self, spec: dict[str, Any], where: str, only: list[str] | None = None, depth: int = 0
    ) -> dict[str, Any] | None:
        from hubtool.core.secrets.names import names_credential

        properties: dict[str, Any] = {}
        for name, raw in as_dict(spec.get("properties")).items():
            if only is not None and name not in only:
                continue
            at = f"{where}.{name}"
            sub = flatten(raw)
            named = only is not None
            reason = None
            if names_credential(name):
                reason = "names a credential"
            elif sub.get("readOnly") is True:
                reason = "read-only"
            elif sub.get("deprecated") is True and not named:
                reason = "deprecated"
            converted = None if reason else self.value(sub, at, depth + 1)
            if converted is None:
                if reason is None:
                    reason = self.reasons[-1] if self.reasons else "not representable"
                if named:
                    _raise(f"--body-field {name!r} cannot be represented: {reason}")
                self.notes.append(f"{at} skipped: {reason}")
                continue
            properties[name] = converted
        if not properties:
            self.reasons.append("a free-form object (no representable declared properties)")
            return None
        schema: dict[str, Any] = {"type": "object", "additionalProperties": False}
        text = safe_text(spec.get("description"))
        if text and depth:
            schema["description"] = text
        if not self.partial:
            required = [n for n in _names(spec.get("required")) if n in properties]
            if required:
                schema["required"] = list(dict.fromkeys(required))
        _copy_counts(spec, schema, ("minProperties", "maxProperties"))
        schema["properties"] = properties
        return schema

    def value(self, spec: dict[str, Any], where: str, depth: int) -> dict[str, Any] | None:
        if depth > MAX_DEPTH:
            self.reasons.append(f"nested deeper than {MAX_DEPTH} levels")
            return None
        spec = _single_branch(spec)
        types = _types(spec)
        nullable = "null" in types
        types.discard("null")
        if not types and isinstance(spec.get("enum"), list):
            types = {_json_type(v) for v in spec["enum"] if v is not None}
        if not types and isinstance(spec.get("properties"), dict):
            types = {"object"}
        if not types:
            self.reasons.append("untyped")
            return None
        if "object" in types or "array" in types:
            if len(types) > 1:
                self.reasons.append(f"mixes {'|'.join(sorted(types))}")
                return None
            (kind,) = types
            schema = (
                self.object(spec, where, depth=depth)
                if kind == "object"
                else self.array(spec, where, depth)
            )
            if schema is None:
                return None
        else:
            schema = self.scalars(spec, types)
        if nullable:
            kinds = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
            schema["type"] = [*kinds, "null"]
            if "enum" in schema and None not in schema["enum"]:
                schema["enum"].append(None)
        return _with_description_first(schema, spec)

    def array(self, spec: dict[str, Any], where: str, depth: int) -> dict[str, Any] | None:
        items = self.value(flatten(spec.get("items")), f"{where}[]", depth + 1)
        if items is None:
            return None
        schema: dict[str, Any] = {"type": "array", "items": items}
        _copy_counts(spec, schema, ("minItems",))
        schema["maxItems"] = (
            spec["maxItems"] if _is_count(spec.get("maxItems")) else DEFAULT_MAX_ITEMS
        )
        if spec.get("uniqueItems") is True:
            schema["uniqueItems"] = True
        return schema

    def scalars(self, spec: dict[str, Any], types: set[str]) -> dict[str, Any]:
        kinds = [t for t in ("string", "integer", "number", "boolean") if t in types]
        if "integer" in kinds and "number" in kinds:
            kinds.remove("integer")
        schema: dict[str, Any] = {"type": kinds[0] if len(kinds) == 1 else kinds}
        if len(kinds) == 1:
            _enum(spec, kinds[0], schema)
        elif isinstance(spec.get("enum"), list):
            schema["enum"] = [v for v in spec["enum"] if v is not None and _clean_value(v)]
            if not schema["enum"]:
                schema.pop("enum")
        if "string" in kinds:
            _string_bounds(_branch(spec, "string"), schema)
        if "integer" in kinds or "number" in kinds:
            numeric = _branch(spec, "integer") or _branch(spec, "number")
            low, high = _numeric_bounds(numeric)
            stated = description_limits(str(spec.get("description", "")))
            if low is None and high is None:
                low, high = stated
            elif high is None:
                high = stated[1]
            if "enum" not in schema:
                low = _default_minimum(low, high)
                high = _default_maximum(low, high)
            _set_bounds(numeric, schema, low, high)
            if _is_number(numeric.get("multipleOf")) and numeric["multipleOf"] > 0:
                schema["multipleOf"] = numeric["multipleOf"]
        if "default" in spec and _clean_value(spec["default"]):
            from hubtool.core.inputs import value_problems

            if not value_problems(schema, spec["default"]):
                schema["default"] = spec["default"]
        return schema


def _with_description_first(schema: dict[str, Any], spec: dict[str, Any]) -> dict[str, Any]:
    text = safe_text(spec.get("description"))
    if not text or "description" in schema:
        return schema
    out = {"type": schema["type"], "description": text}
    out.update(schema)
    return out


def _single_branch(spec: dict[str, Any]) -> dict[str, Any]:
    """``anyOf``/``oneOf`` branches merged into one schema of their union of types."""
    branches = [flatten(b) for key in ("anyOf", "oneOf") for b in as_list(spec.get(key))]
    if not branches:
        return spec
    base = {k: v for k, v in spec.items() if k not in ("anyOf", "oneOf")}
    real = [b for b in branches if _types(b) != {"null"}]
    nullable = len(real) < len(branches) or spec.get("nullable") is True
    if len(real) == 1:
        merged = {**real[0], **{k: v for k, v in base.items() if k != "type"}}
        if nullable:
            merged["nullable"] = True
        return merged
    types: set[str] = set()
    for branch in real:
        branch_types = _types(branch)
        if not branch_types:
            return {**base, "type": []}  # an untyped branch: not representable
        types |= branch_types
    merged = {k: v for k, v in base.items() if k != "type"}
    merged["type"] = sorted(types | ({"null"} if nullable else set()))
    merged["x-branches"] = real
    return merged


def _branch(spec: dict[str, Any], kind: str) -> dict[str, Any]:
    """The keywords of the ``kind`` branch of a merged union (or the schema itself)."""
    for branch in as_list(spec.get("x-branches")):
        if kind in _types(branch):
            return branch
    return spec if "x-branches" not in spec else {}


# --- shared helpers ----------------------------------------------------------------------------


def _types(spec: Any) -> set[str]:
    spec = as_dict(spec)
    declared = spec.get("type")
    if isinstance(declared, str):
        types = {declared}
    else:
        types = {t for t in as_list(declared) if isinstance(t, str)}
    if "anyOf" in spec or "oneOf" in spec:
        from hubtool.upstream.openapi import types_of

        types |= types_of({k: v for k, v in spec.items() if k != "type"})
    if types and spec.get("nullable") is True:
        types.add("null")
    return types


def _names(value: Any) -> list[str]:
    return [n for n in as_list(value) if isinstance(n, str)]


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "object" if isinstance(value, dict) else "array"


def _enum(spec: dict[str, Any], kind: str, schema: dict[str, Any]) -> None:
    """Copy the spec's enum (or const), keeping values of the chosen type."""
    if "const" in spec and _fits(spec["const"], kind) and _clean_value(spec["const"]):
        schema["enum"] = [spec["const"]]
        return
    values = [v for v in as_list(spec.get("enum")) if _fits(v, kind) and _clean_value(v)]
    if values:
        schema["enum"] = list(_unique(values))


def _unique(values: list[Any]) -> list[Any]:
    seen: list[Any] = []
    for value in values:
        if not any(value == s and type(value) is type(s) for s in seen):
            seen.append(value)
    return seen


def _fits(value: Any, kind: str) -> bool:
    if kind == "string":
        return isinstance(value, str)
    if kind == "boolean":
        return isinstance(value, bool)
    if kind == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    return _is_number(value)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _is_count(value: Any) -> bool:
    """A count the spec may set: an integer from 0 to the largest bound that bounds anything."""
    from hubtool.validate.rules.inputs import MAX_COUNT

    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_COUNT


def _clean_value(value: Any) -> bool:
    """True when no string inside ``value`` looks like a credential."""
    from hubtool.core.secrets import find_secret
    from hubtool.core.secrets.names import names_credential

    if isinstance(value, str):
        return find_secret(value) is None
    if isinstance(value, dict):
        return all(
            not names_credential(str(k)) and _clean_value(str(k)) and _clean_value(v)
            for k, v in value.items()
        )
    if isinstance(value, list):
        return all(_clean_value(v) for v in value)
    return True


def _safe(pattern: str) -> bool:
    """True when ``pattern`` is usable ECMA-262 that cannot backtrack super-linearly."""
    from hubtool.validate.rules.regexes import backtracking_problem, compile_error

    return compile_error(pattern) is None and backtracking_problem(pattern) is None


def _string_bounds(spec: dict[str, Any], schema: dict[str, Any]) -> None:
    fmt = spec.get("format")
    if isinstance(fmt, str) and fmt in _FORMATS:
        schema["format"] = fmt
    pattern = spec.get("pattern")
    if isinstance(pattern, str) and pattern and len(pattern) <= 1024 and _safe(pattern):
        schema["pattern"] = pattern
    _copy_counts(spec, schema, ("minLength",))
    if "enum" in schema:
        return
    if _is_count(spec.get("maxLength")):
        schema["maxLength"] = spec["maxLength"]
    elif schema.get("format") not in _BOUNDED_FORMATS:
        schema["maxLength"] = max(DEFAULT_MAX_LENGTH, schema.get("minLength", 0))


def _numeric_bounds(spec: dict[str, Any]) -> tuple[float | None, float | None]:
    """The spec's inclusive-or-exclusive minimum and maximum (3.0 boolean or 3.1 numeric form)."""
    low = spec.get("minimum") if _is_number(spec.get("minimum")) else None
    high = spec.get("maximum") if _is_number(spec.get("maximum")) else None
    if _is_number(spec.get("exclusiveMinimum")):
        low = spec["exclusiveMinimum"]
    if _is_number(spec.get("exclusiveMaximum")):
        high = spec["exclusiveMaximum"]
    return low, high


def _set_bounds(spec: dict[str, Any], schema: dict[str, Any], low: Any, high: Any) -> None:
    """Write ``low``/``high``, exclusive where the spec says so (either OpenAPI form)."""
    exclusive_low = spec.get("exclusiveMinimum") is True or (
        _is_number(spec.get("exclusiveMinimum")) and spec["exclusiveMinimum"] == low
    )
    exclusive_high = spec.get("exclusiveMaximum") is True or (
        _is_number(spec.get("exclusiveMaximum")) and spec["exclusiveMaximum"] == high
    )
    if low is not None:
        schema["exclusiveMinimum" if exclusive_low else "minimum"] = low
    if high is not None:
        schema["exclusiveMaximum" if exclusive_high else "maximum"] = high


def _default_minimum(low: Any, high: Any) -> Any:
    if low is not None:
        return low
    return DEFAULT_MINIMUM if high is None or high >= DEFAULT_MINIMUM else -SAFE_INTEGER


def _default_maximum(low: Any, high: Any) -> Any:
    if high is not None:
        return high
    return DEFAULT_MAXIMUM if low is None or low <= DEFAULT_MAXIMUM else SAFE_INTEGER


def description_limits(text: str) -> tuple[int | None, int | None]:
    """(minimum, maximum) a description states: "The maximum is 100.", "between 1 and 10"."""
    between = _LIMITS[0].search(text)
    if between:
        low, high = int(between.group(1)), int(between.group(2))
        return (low, high) if low <= high else (None, None)
    for regex in _LIMITS[1:]:
        match = regex.search(text)
        if match:
            return 1, int(match.group(1))
    return None, None


def _copy_counts(spec: dict[str, Any], schema: dict[str, Any], keys: tuple[str, ...]) -> None:
    for key in keys:
        if _is_count(spec.get(key)):
            schema[key] = spec[key]


# --- examples ----------------------------------------------------------------------------------


def _examples(
    operation: Operation, action: dict[str, Any], renames: dict[str, str]
) -> list[dict[str, Any]]:
    from hubtool.core.inputs import input_schema, value_problems

    params = as_list(as_dict(action.get("inputs")).get("parameters"))
    spec_params = {
        (p["in"], p["name"]): p
        for p in operation.parameters
        if isinstance(p.get("in"), str) and isinstance(p.get("name"), str)
    }
    by_action_name = {v: k for k, v in renames.items()}
    path: dict[str, Any] = {}
    query: dict[str, Any] = {}
    placeholders = False
    real = False
    for param in params:
        location, name = param["in"], param["name"]
        spec_name = by_action_name.get(name, name) if location == "path" else name
        value = _spec_value(spec_params.get((location, spec_name), {}))
        if value is not None and (
            value_problems(param["schema"], value) or not _clean_value(value)
        ):
            value = None
        if location == "path":
            if value is None:
                value = _placeholder(param["schema"])
                if value is None:
                    return []
                placeholders = placeholders or "enum" not in param["schema"]
            else:
                real = True
            path[name] = value
        elif value is not None:
            query[name] = value
            real = True
    body_schema = as_dict(action.get("inputs")).get("body")
    bodies: list[Any] = [None]
    if action.get("requestBodyMode") == "json":
        fields = as_dict(as_dict(body_schema).get("properties"))
        bodies = [
            {k: v for k, v in example.items() if k in fields}
            for example in operation.body_examples
            if isinstance(example, dict)
        ]
    examples: list[dict[str, Any]] = []
    schema = input_schema(action)
    for body in bodies:
        if body is None and not real:
            continue
        data: dict[str, Any] = {}
        if path:
            data["path"] = path
        if query:
            data["query"] = query
        if body is not None:
            data["body"] = body
        if not _clean_value(data) or value_problems(schema, data):
            continue
        name = "spec-example" if not examples else f"spec-example-{len(examples) + 1}"
        description = "Values from the OpenAPI spec's examples."
        if placeholders:
            description += f" Path values are placeholders ({PLACEHOLDER_VALUE!r}): replace them."
        examples.append({"name": name, "description": description, "input": copy.deepcopy(data)})
    return examples[:10]


def _spec_value(param: dict[str, Any]) -> Any:
    """A parameter's example value from the spec: example, examples, or the schema's."""
    if "example" in param:
        return param["example"]
    for example in as_dict(param.get("examples")).values():
        if isinstance(example, dict) and "value" in example:
            return example["value"]
    schema = flatten(param.get("schema"))
    if "example" in schema:
        return schema["example"]
    values = as_list(schema.get("examples"))
    return values[0] if values else None


def _placeholder(schema: dict[str, Any]) -> Any:
    """A value that fits a path schema the scaffold wrote, when the spec gives none."""
    from hubtool.core.inputs import value_problems

    if "enum" in schema:
        return schema["enum"][0]
    if schema.get("type") == "integer":
        return schema.get("minimum", 1)
    if not value_problems(schema, PLACEHOLDER_VALUE):
        return PLACEHOLDER_VALUE
    return None
