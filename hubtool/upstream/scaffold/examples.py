"""The examples of a scaffolded action: from the spec's own examples, else from its schemas.

One action example per body example (``spec-example``, ``spec-example-2`` ..., at most 10),
each kept only when it validates against the action's compiled input schema
(``hubtool.core.inputs``) and carries no credential-shaped value. A path value the spec does
not give is a placeholder that fits the parameter's schema (``PLACEHOLDER_VALUE``, or the
minimum of an integer); an example made only of placeholders is not written. When the spec
yields no example, one is built from the action's parameter schemas
(``hubtool.upstream.scaffold.generated``): ``drafts test`` needs one.
"""

from __future__ import annotations

import copy
from typing import Any

from hubtool.core.inputs import input_schema, value_problems
from hubtool.core.manifest import as_dict, as_list
from hubtool.upstream.openapi import Operation, placeholders
from hubtool.upstream.scaffold.bounds import clean_value
from hubtool.upstream.schema import flatten

PLACEHOLDER_VALUE = "example"
MAX_EXAMPLES = 10


def spec_examples(
    operation: Operation, action: dict[str, Any], renames: dict[str, str]
) -> list[dict[str, Any]]:
    """The action's ``examples``: the spec's (``renames`` maps spec to action path names), else
    when the spec gives no example value at all, the one built from its schemas; none when the
    spec's examples do not fit the action (``--body-field`` narrowed them away) or no simple
    value is valid and clean."""
    from hubtool.upstream.scaffold.generated import schema_example

    found = _from_spec(operation, action, renames)
    if found or _spec_has_examples(operation):
        return found  # the spec's examples that did not fit are not papered over
    built = schema_example(action, _provider(operation, action, renames))
    return [built] if built is not None else []


def _spec_has_examples(operation: Operation) -> bool:
    """True when the spec gives an example of the body or of any parameter."""
    if operation.body_examples:
        return True
    return any(_spec_value(p) is not None for p in operation.parameters if isinstance(p, dict))


def _provider(operation: Operation, action: dict[str, Any], renames: dict[str, str]) -> Any:
    """The provider's schemas of the action's values, as ``check-upstream --examples`` reads
    them (``hubtool.upstream.contract``): each parameter's, and the request body's."""
    from hubtool.upstream.compatible import request_schema
    from hubtool.upstream.scaffold.generated import Provider
    from hubtool.upstream.schema import to_json_schema

    del renames  # the path names are paired by position, as check-upstream pairs them
    path = action.get("path") if isinstance(action.get("path"), str) else ""
    theirs = dict(zip(placeholders(path), placeholders(operation.path), strict=False))
    schemas: dict[tuple[str, str], Any] = {}
    for param in as_list(as_dict(action.get("inputs")).get("parameters")):
        location, name = as_dict(param).get("in"), as_dict(param).get("name")
        if location not in ("path", "query") or not isinstance(name, str):
            continue
        spec_name = theirs.get(name, name) if location == "path" else name
        spec_param = operation.parameter(location, spec_name)
        if spec_param is not None:
            schemas[(location, name)] = to_json_schema(spec_param.get("schema", {}))
    body = request_schema(operation) if operation.body_schema is not None else None
    return Provider(schemas, body)


def _from_spec(
    operation: Operation, action: dict[str, Any], renames: dict[str, str]
) -> list[dict[str, Any]]:
    """The examples built from the spec's example values (maybe none)."""
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
        if value is not None and (value_problems(param["schema"], value) or not clean_value(value)):
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
        if not clean_value(data) or value_problems(schema, data):
            continue
        name = "spec-example" if not examples else f"spec-example-{len(examples) + 1}"
        description = "Values from the OpenAPI spec's examples."
        if placeholders:
            description += f" Path values are placeholders ({PLACEHOLDER_VALUE!r}): replace them."
        examples.append({"name": name, "description": description, "input": copy.deepcopy(data)})
    return examples[:MAX_EXAMPLES]


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
    if "enum" in schema:
        return schema["enum"][0]
    if schema.get("type") == "integer":
        return schema.get("minimum", 1)
    if not value_problems(schema, PLACEHOLDER_VALUE):
        return PLACEHOLDER_VALUE
    return None
