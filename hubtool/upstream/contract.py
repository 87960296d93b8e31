"""The upstream contract: check each action against the provider's own OpenAPI operation.

Rules ``upstream-*``: the route exists, path parameters correspond, query parameters and body
properties exist with compatible types, enums that are subsets and bounds no wider than the
provider's; the token scopes each action needs; and (with examples) that every example's
request is one the provider's contract accepts. Pure: returns findings, prints nothing.
"""

from __future__ import annotations

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
    parameters,
    ports,
    schema_types,
)
from hubtool.core.registry import WIDGET_PATCH, Example, Rule, finding
from hubtool.core.secrets import safe_repr
from hubtool.load.strict import Document, escape, pointer_of
from hubtool.upstream.compatible import request_schema, schema_problems, type_problems
from hubtool.upstream.openapi import Operation, Spec, placeholders
from hubtool.upstream.required import required_problems
from hubtool.upstream.schema import flatten, object_properties, query_array_form, to_json_schema

UPSTREAM_ROUTE = Rule(
    id="upstream-route",
    severity=ERROR,
    family="upstream",
    title="The route exists in the provider's spec",
    description="`hubtool check-upstream` finds each action's method and path (under the "
    "port's base path) among the provider's OpenAPI operations. Placeholder names may "
    "differ; when they do, a note reports the mapping. An operation whose operationId the "
    "spec gives to more than one operation is an error (OpenAPI requires them unique).",
    fix="Use the provider's route, or remove the action.",
    failing=Example(patch={"/actionTemplates/0/path": "/v1/gadgets"}),
)

UPSTREAM_PATH_PARAMS = Rule(
    id="upstream-path-params",
    severity=ERROR,
    family="upstream",
    title="Path parameters correspond",
    description="Each path placeholder corresponds to the provider's path parameter at the "
    "same position, with a compatible type; placeholders named as the provider's but in "
    "another order (`/repos/{repo}/{owner}`) are an error.",
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
    "warning. Each query parameter the provider requires is declared, required. An array "
    "the provider takes as one delimited value (`style`/`explode`, Swagger 2.0 "
    "`collectionFormat`) is an error: Harbor sends an array as repeated keys.",
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
    "Generator wrappers such as one-element allOf are unwrapped; a free-form map "
    "(`additionalProperties`) takes any key. A POST body has every key the provider "
    "requires, at every level the action declares, required; a request body the provider "
    "requires is sent.",
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


_REQUIRED_RULES = {"path": UPSTREAM_PATH_PARAMS, "query": UPSTREAM_QUERY, "body": UPSTREAM_BODY}
"""The rule of each kind of requirement ``hubtool.upstream.required`` reports."""


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
    if op.operation_id in spec.duplicates:
        routes = ", ".join(spec.duplicates[op.operation_id])
        yield finding(
            doc,
            UPSTREAM_ROUTE,
            f"{pointer}/path",
            f"{name}: {spec.title}'s operationId {op.operation_id!r} is used by more than one "
            f"operation ({routes}); OpenAPI requires operationIds to be unique: correct the spec",
        )
    yield from _mapping(doc, pointer, name, path, op)
    yield from _path_params(doc, spec, pointer, action, op)
    yield from _query(doc, spec, pointer, action, op)
    yield from _body(doc, spec, pointer, action, op)
    for kind, at, message in required_problems(name, spec.title, pointer, action, op):
        yield finding(doc, _REQUIRED_RULES[kind], at, message)
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
        problems = type_problems(param.get("schema"), spec_param.get("schema"), spec.title)
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
        form = query_array_form(spec_param)
        if form and "array" in schema_types(as_dict(param.get("schema"))):
            yield finding(
                doc,
                UPSTREAM_QUERY,
                f"{param_pointer}/schema",
                f"{name}: {what}: {spec.title} {form}; Harbor sends an array as repeated keys",
            )
        for problem, severity in schema_problems(param.get("schema"), spec_param, spec.title):
            yield finding(
                doc,
                UPSTREAM_QUERY,
                f"{param_pointer}/schema",
                f"{name}: {what}: {problem}",
                severity=severity,
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
    for problem, severity in type_problems(
        {k: v for k, v in mine.items() if k != "properties"},
        {k: v for k, v in theirs.items() if k != "properties"},
        spec.title,
    ):
        yield finding(doc, UPSTREAM_BODY, at, f"{name}: {label}: {problem}", severity=severity)
    accepted, extra = object_properties(theirs)
    for prop, sub in as_dict(mine.get("properties")).items():
        prop_at = f"{at}/properties/{escape(prop)}"
        if prop not in accepted and extra is not None:  # a free-form map's key
            if extra:
                yield from _body_schema(
                    doc, spec, name, as_dict(sub), extra, prop_at, f"{label}.{prop}"
                )
            continue
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
            found, unchecked = checked_value_problems(request_schema(op), data["body"])
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
