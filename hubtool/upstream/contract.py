"""The upstream contract: check each action against the provider's own OpenAPI operation.

Rules ``upstream-*``: the route exists, path parameters correspond, query parameters and body
properties exist with compatible types, enums that are subsets and bounds no wider than the
provider's; the token scopes each action needs; and (with examples) that every example's
request is one the provider's contract accepts. Pure: returns findings, prints nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from functools import partial
from typing import Any

from hubtool.core import urls
from hubtool.core.findings import ERROR, NOTE, WARNING, Finding
from hubtool.core.guard import guarded
from hubtool.core.inputs import checked_value_problems
from hubtool.core.manifest import (
    action_name,
    actions,
    as_dict,
    as_list,
    body_schema,
    is_number,
    parameters,
    ports,
    schema_types,
)
from hubtool.core.registry import WIDGET_PATCH, Example, Rule, finding
from hubtool.core.secrets import safe_repr
from hubtool.load.strict import Document, escape, pointer_of
from hubtool.upstream.openapi import (
    Operation,
    Spec,
    enum_of,
    flatten,
    placeholders,
    to_json_schema,
    types_of,
)
from hubtool.validate.rules.regexes import compile_error, min_length

UPSTREAM_ROUTE = Rule(
    id="upstream-route",
    severity=ERROR,
    family="upstream",
    title="The route exists in the provider's spec",
    description="`hubtool check-upstream` finds each action's method and path (under the "
    "port's base path) among the provider's OpenAPI operations. Placeholder names may "
    "differ; when they do, a note reports the mapping.",
    fix="Use the provider's route, or remove the action.",
    failing=Example(patch={"/actionTemplates/0/path": "/v1/gadgets"}),
)

UPSTREAM_PATH_PARAMS = Rule(
    id="upstream-path-params",
    severity=ERROR,
    family="upstream",
    title="Path parameters correspond",
    description="Each path placeholder corresponds to the provider's path parameter at the "
    "same position, with a compatible type.",
    fix="Give the path parameter the provider's type.",
    failing=Example(openapi={f"{WIDGET_PATCH}/parameters/0/schema": {"type": "boolean"}}),
)

UPSTREAM_QUERY = Rule(
    id="upstream-query",
    severity=ERROR,
    family="upstream",
    title="Query parameters exist, with compatible types and bounds",
    description="Each query parameter exists in the provider's operation with a compatible "
    "type; its enum values are a subset of the provider's, and its bounds are no wider. "
    'A limit stated only in the provider\'s description ("The maximum is 100.") is a '
    "warning.",
    fix="Use the provider's parameter name, type, enum and bounds.",
    failing=Example(patch={"/actionTemplates/0/inputs/parameters/0/schema/maximum": 500}),
)

UPSTREAM_BODY = Rule(
    id="upstream-body",
    severity=ERROR,
    family="upstream",
    title="Body properties exist, with compatible types and enums",
    description="Each body property (at every level) exists in the provider's JSON request "
    "body with a compatible type, an enum that is a subset and bounds no wider. "
    "Generator wrappers such as one-element allOf are unwrapped.",
    fix="Use the provider's property names, types and values.",
    failing=Example(
        patch={
            "/actionTemplates/1/inputs/body/properties/color": {
                "type": "string",
                "enum": ["green"],
            }
        }
    ),
)

UPSTREAM_SCOPES = Rule(
    id="upstream-scopes",
    severity=NOTE,
    family="upstream",
    title="The token scopes each action needs",
    description="A note per action listing the OAuth or token scopes the provider's "
    "`security` declares, so an operator knows which scopes the port's token needs.",
    fix="Nothing to fix: configure a token with these scopes on the Harbor Node.",
    failing=Example(openapi={f"{WIDGET_PATCH}/security": [{"oauth": ["widgets:write"]}]}),
)

UPSTREAM_EXAMPLES = Rule(
    id="upstream-examples",
    severity=ERROR,
    family="upstream",
    title="Examples are requests the provider accepts",
    description="With `--examples`, every example's path, query and body values are "
    "checked against the provider's own schemas: a contract test without a network. "
    "PUT and PATCH bodies are partial updates, so the provider's `required` lists do not "
    "apply to them. A provider `pattern` hubtool cannot run in linear time as ECMA-262 "
    "(lookaround, back-references, a huge repetition count) or that is invalid leaves the "
    "value unchecked: a warning at the example's value says so.",
    fix="Correct the example, or the action's inputs that allowed it; for an unchecked "
    "value, check it against the provider's pattern by hand.",
    failing=Example(
        openapi={
            f"{WIDGET_PATCH}/requestBody/content/application~1json/schema/properties/name": {
                "type": "string",
                "maxLength": 80,
                "pattern": "^[a-z]+$",
            }
        }
    ),
)


_UPPER = ("maximum", "exclusiveMaximum", "maxLength", "maxItems")
_LOWER = ("minimum", "exclusiveMinimum", "minLength", "minItems")
_DESCRIBED_MAX = re.compile(
    r"\bmax(?:imum)?(?: allowed)?(?: value)? is (\d{1,15})(?!\d)|\(max(?:imum)?:? (\d{1,15})\)",
    re.I,
)
"""At most 15 digits: a longer number is no page size, and int() refuses 4300 digits."""
_PARTIAL = {"put", "patch"}


def check_upstream(doc: Document, spec: Spec, examples: bool = False) -> list[Finding]:
    """Findings of every action against ``spec``; messages name the provider (publisher.name)."""
    provider = as_dict(as_dict(doc.data).get("publisher")).get("name")
    if isinstance(provider, str) and provider:
        spec = replace(spec, title=provider)
    parts = urls.split(str(next((p.get("baseUrl") for _, p in ports(doc.data)), "")))
    base = parts.path.rstrip("/") if parts else ""
    findings: list[Finding] = []
    for pointer, action in actions(doc.data):
        if isinstance(action.get("path"), str) and isinstance(action.get("method"), str):
            run = partial(_check_action, doc, spec, pointer, action, base, examples)
            findings.extend(guarded(run, doc.path, f"the upstream checks of {pointer}"))
    return findings


def _check_action(
    doc: Document, spec: Spec, pointer: str, action: dict[str, Any], base: str, examples: bool
) -> Iterator[Finding]:
    name = action_name(action, pointer)
    method, path = action["method"], action["path"]
    op = spec.find(method, base + path)
    if op is None:
        yield finding(
            doc,
            UPSTREAM_ROUTE,
            f"{pointer}/path",
            _missing_route(spec, method, base + path, name),
        )
        return
    yield from _mapping(doc, pointer, name, path, op)
    yield from _path_params(doc, spec, pointer, action, op)
    yield from _query(doc, spec, pointer, action, op)
    yield from _body(doc, spec, pointer, action, op)
    if op.scopes:
        options = "; or ".join(", ".join(s) for s in op.scopes if s) or "none listed"
        yield finding(
            doc,
            UPSTREAM_SCOPES,
            f"{pointer}/path",
            f"{name}: {spec.title} {op.operation_id} needs a token with any of these "
            f"scopes: {options}",
        )
    if examples:
        yield from _examples(doc, spec, pointer, action, op)


def _missing_route(spec: Spec, method: str, full: str, name: str) -> str:
    similar = spec.similar(full)
    hint = f"; closest: {', '.join(similar)}" if similar else ""
    return f"{name}: {method.upper()} {safe_repr(full)} is not an operation of {spec.title}{hint}"


def _mapping(doc: Document, pointer: str, name: str, path: str, op: Operation) -> Iterator[Finding]:
    pairs = list(zip(placeholders(path), placeholders(op.path), strict=False))
    if any(mine != theirs for mine, theirs in pairs):
        mapped = ", ".join(f"{{{m}}} -> {{{t}}}" for m, t in pairs)
        yield finding(
            doc,
            UPSTREAM_ROUTE,
            f"{pointer}/path",
            f"{name}: matches {op.operation_id} ({op.method.upper()} {op.path}); "
            f"placeholders map {mapped}",
            severity="note",
        )


def _path_params(
    doc: Document, spec: Spec, pointer: str, action: dict[str, Any], op: Operation
) -> Iterator[Finding]:
    theirs = dict(zip(placeholders(action["path"]), placeholders(op.path), strict=False))
    for param_pointer, param in parameters(action, pointer):
        if param.get("in") != "path" or not isinstance(param.get("name"), str):
            continue
        if param["name"] not in theirs:
            continue
        spec_param = op.parameter("path", theirs[param["name"]])
        if spec_param is None:
            yield finding(
                doc,
                UPSTREAM_PATH_PARAMS,
                param_pointer,
                f"{action_name(action, pointer)}: {spec.title} does not declare path "
                f"parameter {theirs[param['name']]!r}",
            )
            continue
        what = f"{action_name(action, pointer)}: path parameter {param['name']!r}"
        problems = _type_problems(param.get("schema"), spec_param.get("schema"), spec.title)
        for problem, severity in problems:
            yield finding(
                doc,
                UPSTREAM_PATH_PARAMS,
                f"{param_pointer}/schema",
                f"{what}: {problem}",
                severity=severity,
            )


def _query(
    doc: Document, spec: Spec, pointer: str, action: dict[str, Any], op: Operation
) -> Iterator[Finding]:
    accepted = op.names("query")
    for param_pointer, param in parameters(action, pointer):
        if param.get("in") != "query":
            continue
        name = action_name(action, pointer)
        spec_param = op.parameter("query", param.get("name"))
        if spec_param is None:
            listed = ", ".join(accepted) or "none"
            yield finding(
                doc,
                UPSTREAM_QUERY,
                f"{param_pointer}/name",
                f"{name}: {spec.title} {op.operation_id} has no query parameter "
                f"{safe_repr(param.get('name'))}; it accepts: {listed}",
            )
            continue
        what = f"query parameter {param.get('name')!r}"
        for problem, severity in _schema_problems(param.get("schema"), spec_param, spec.title):
            yield finding(
                doc,
                UPSTREAM_QUERY,
                f"{param_pointer}/schema",
                f"{name}: {what}: {problem}",
                severity=severity,
            )


def _schema_problems(
    mine: Any, spec_param: dict[str, Any], title: str
) -> Iterator[tuple[str, str]]:
    yield from _type_problems(mine, spec_param.get("schema"), title)
    if "maximum" not in flatten(spec_param.get("schema")):
        yield from _described_limit(as_dict(mine), str(spec_param.get("description", "")), title)


def _type_problems(
    mine: Any, theirs: Any, title: str = "the provider"
) -> Iterator[tuple[str, str]]:
    """Type, enum and bound incompatibilities of one value schema with the provider's."""
    mine, theirs = as_dict(mine), flatten(theirs)
    accepted = types_of(theirs)
    wanted = schema_types(mine)
    if accepted and wanted and not _types_fit(wanted, accepted):
        yield (
            f"type {'/'.join(sorted(wanted))} is not accepted; {title} takes "
            f"{'/'.join(sorted(accepted))}",
            "error",
        )
        return
    yield from _enum_problems(mine, theirs, title)
    yield from _bound_problems(mine, theirs, title)
    if "array" in wanted and ("items" in mine or "items" in theirs):
        for problem, severity in _type_problems(mine.get("items"), theirs.get("items"), title):
            yield f"items: {problem}", severity


def _types_fit(wanted: set[str], accepted: set[str]) -> bool:
    widened = accepted | ({"integer"} if "number" in accepted else set())
    return wanted <= widened


def _enum_problems(
    mine: dict[str, Any], theirs: dict[str, Any], title: str
) -> Iterator[tuple[str, str]]:
    allowed = enum_of(theirs)
    if allowed is None:
        return
    listed = ", ".join(safe_repr(v) for v in allowed if v is not None)
    values = (
        as_list(mine["enum"]) if "enum" in mine else ([mine["const"]] if "const" in mine else None)
    )
    if values is None:
        yield f"allows any value, but {title} accepts only: {listed}; add an enum", "error"
        return
    extra = [v for v in values if v not in allowed]
    if extra:
        shown = ", ".join(safe_repr(v) for v in extra)
        yield (
            f"{shown} {'is' if len(extra) == 1 else 'are'} not accepted; {title} accepts: {listed}",
            "error",
        )


def _bound_problems(
    mine: dict[str, Any], theirs: dict[str, Any], title: str
) -> Iterator[tuple[str, str]]:
    """Only numeric bounds compare; a bound of another type is a schema finding, not a bound."""
    for key in _UPPER:
        limit = theirs.get(key)
        if is_number(limit) and not (is_number(mine.get(key)) and mine[key] <= limit):
            yield f"{key} {_bound_text(mine.get(key))} is wider than {title}'s {limit}", "error"
    for key in _LOWER:
        floor = theirs.get(key)
        if is_number(floor) and not _at_least(mine, key, floor):
            yield f"{key} {_bound_text(mine.get(key))} is wider than {title}'s {floor}", "error"


def _bound_text(value: Any) -> str:
    if value is None:
        return "unset"
    return str(value) if is_number(value) else safe_repr(value)


def _at_least(mine: dict[str, Any], key: str, floor: float) -> bool:
    if key in mine:
        return is_number(mine[key]) and mine[key] >= floor
    pattern = mine.get("pattern")
    if key == "minLength" and isinstance(pattern, str) and compile_error(pattern) is None:
        return min_length(pattern) >= floor
    enum = as_list(mine.get("enum"))
    return "enum" in mine and key == "minLength" and all(len(str(v)) >= floor for v in enum)


def _described_limit(
    mine: dict[str, Any], description: str, title: str
) -> Iterator[tuple[str, str]]:
    """Limits only written in prose ("The maximum is 100.") are warnings, not errors."""
    match = _DESCRIBED_MAX.search(description)
    if not match:
        return
    limit = int(match.group(1) or match.group(2))
    if is_number(mine.get("maximum")) and mine["maximum"] <= limit:
        return
    yield (
        f"maximum {_bound_text(mine.get('maximum'))} may exceed {title}'s documented limit "
        f"{limit} (stated only in its description)",
        "warning",
    )


def _body(
    doc: Document, spec: Spec, pointer: str, action: dict[str, Any], op: Operation
) -> Iterator[Finding]:
    mine = body_schema(action)
    if not isinstance(mine, dict) or action.get("requestBodyMode") != "json":
        return
    name = action_name(action, pointer)
    if op.body_schema is None:
        yield finding(
            doc,
            UPSTREAM_BODY,
            f"{pointer}/inputs/body",
            f"{name}: {spec.title} {op.operation_id} takes no JSON request body",
        )
        return
    yield from _body_schema(doc, spec, name, mine, op.body_schema, f"{pointer}/inputs/body", "body")


def _body_schema(
    doc: Document, spec: Spec, name: str, mine: dict[str, Any], theirs: Any, at: str, label: str
) -> Iterator[Finding]:
    theirs = flatten(theirs)
    for problem, severity in _type_problems(
        {k: v for k, v in mine.items() if k != "properties"},
        {k: v for k, v in theirs.items() if k != "properties"},
        spec.title,
    ):
        yield finding(doc, UPSTREAM_BODY, at, f"{name}: {label}: {problem}", severity=severity)
    accepted = as_dict(theirs.get("properties"))
    for prop, sub in as_dict(mine.get("properties")).items():
        prop_at = f"{at}/properties/{escape(prop)}"
        if prop not in accepted:
            listed = ", ".join(sorted(accepted)) or "none"
            yield finding(
                doc,
                UPSTREAM_BODY,
                prop_at,
                f"{name}: {label} property {safe_repr(prop)} is not in {spec.title}'s "
                f"request body; it accepts: {listed}",
            )
            continue
        yield from _body_schema(
            doc, spec, name, as_dict(sub), accepted[prop], prop_at, f"{label}.{prop}"
        )


def _examples(
    doc: Document, spec: Spec, pointer: str, action: dict[str, Any], op: Operation
) -> Iterator[Finding]:
    """Every example's path, query and body values against the provider's own schemas."""
    theirs = dict(zip(placeholders(action["path"]), placeholders(op.path), strict=False))
    for index, example in enumerate(as_list(action.get("examples"))):
        data = as_dict(as_dict(example).get("input"))
        at = f"{pointer}/examples/{index}/input"
        label = f"{action_name(action, pointer)}, example {safe_repr(as_dict(example).get('name'))}"
        for mine, value in as_dict(data.get("path")).items():
            spec_param = op.parameter("path", theirs.get(mine, mine))
            yield from _value(doc, spec, f"{at}/path/{escape(mine)}", label, spec_param, value)
        for key, value in as_dict(data.get("query")).items():
            spec_param = op.parameter("query", key)
            yield from _value(doc, spec, f"{at}/query/{escape(key)}", label, spec_param, value)
        if "body" in data and op.body_schema is not None:
            schema = to_json_schema(op.body_schema)
            if op.method in _PARTIAL:
                schema = _without_required(schema)
            found, unchecked = checked_value_problems(schema, data["body"])
            for problem in found:
                yield finding(
                    doc,
                    UPSTREAM_EXAMPLES,
                    f"{at}/body{pointer_of(*problem.path)}",
                    f"{label}: {spec.title} would reject the body: {problem.message}",
                )
            yield from _unchecked(doc, spec, f"{at}/body", f"{label}: the body", unchecked)


def _value(
    doc: Document, spec: Spec, at: str, label: str, spec_param: dict[str, Any] | None, value: Any
) -> Iterator[Finding]:
    if spec_param is None:
        yield finding(doc, UPSTREAM_EXAMPLES, at, f"{label}: {spec.title} has no such parameter")
        return
    name = safe_repr(spec_param.get("name"))
    found, unchecked = checked_value_problems(to_json_schema(spec_param.get("schema", {})), value)
    for problem in found:
        yield finding(
            doc,
            UPSTREAM_EXAMPLES,
            at + pointer_of(*problem.path),
            f"{label}: {spec.title} would reject {name}: {problem.message}",
        )
    yield from _unchecked(doc, spec, at, f"{label}: {name}", unchecked)


def _unchecked(
    doc: Document, spec: Spec, at: str, what: str, unchecked: list[tuple[str, str]]
) -> Iterator[Finding]:
    """One finding per provider pattern an example value could not be checked against
    (``hubtool.core.ecma.compile_error`` gives the reason; its advice to rewrite is dropped)."""
    for pattern, reason in unchecked:
        against = f"pattern {safe_repr(pattern)}" if pattern else "schema"
        yield finding(
            doc,
            UPSTREAM_EXAMPLES,
            at,
            f"{what} could not be checked against {spec.title}'s {against}: "
            f"{reason.split('; ')[0]}; check the example by hand",
            severity=WARNING,
        )


def _without_required(schema: Any) -> Any:
    """PUT/PATCH bodies are partial updates: the provider's ``required`` lists do not apply."""
    if isinstance(schema, list):
        return [_without_required(s) for s in schema]
    if not isinstance(schema, dict):
        return schema
    return {k: _without_required(v) for k, v in schema.items() if k != "required"}
