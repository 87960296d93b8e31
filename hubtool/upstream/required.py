"""What the provider requires of a request, against what an action sends (``check-upstream``).

Pure: each problem is (kind, pointer, message), kind ``path``, ``query`` or ``body``;
``hubtool.upstream.contract`` turns them into ``upstream-path-params``, ``upstream-query`` and
``upstream-body`` findings. The provider requires (OpenAPI 3.x, Parameter and Request Body
objects):

* its path placeholders in its order: an action whose placeholders are the provider's under
  the same names (compared without case, ``_`` or ``-``) in another order sends each value to
  the wrong one (``/repos/{repo}/{owner}``);
* each query parameter with ``required: true``: the action declares it, required (one that
  names a credential, such as Slack's ``token``, is the port's authentication's to send);
* a request body with ``required: true``: a POST, PUT or PATCH action sends a JSON body;
* on POST, the ``required`` keys of the body schema at every level the action declares: the
  action's body has them, required (PUT and PATCH bodies are partial updates, as in
  ``--examples``; read-only and credential-named keys are not the action's to send).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from hubtool.core.manifest import as_dict, body_schema, parameters, strings
from hubtool.core.secrets import safe_repr
from hubtool.core.secrets.names import names_credential
from hubtool.load.strict import escape
from hubtool.upstream.openapi import Operation, placeholders
from hubtool.upstream.schema import flatten, object_properties

Problem = tuple[str, str, str]
_PARTIAL = {"put", "patch"}
_SEPARATORS = re.compile(r"[_\-.]")


def required_problems(
    name: str, title: str, pointer: str, action: dict[str, Any], op: Operation
) -> Iterator[Problem]:
    """Every requirement of ``op`` the action (``name``, at ``pointer``) does not meet."""
    yield from _placeholder_order(name, title, pointer, action["path"], op)
    yield from _required_query(name, title, pointer, action, op)
    yield from _required_body(name, title, pointer, action, op)


def _key(placeholder: str) -> str:
    return _SEPARATORS.sub("", placeholder).lower()


def _placeholder_order(
    name: str, title: str, pointer: str, path: str, op: Operation
) -> Iterator[Problem]:
    mine, theirs = placeholders(path), placeholders(op.path)
    keys = [_key(p) for p in theirs]
    moved = [
        index
        for index, placeholder in enumerate(mine)
        if index < len(keys) and keys[index] != _key(placeholder) and _key(placeholder) in keys
    ]
    if moved:
        shown = ", ".join(f"{{{p}}}" for p in mine)
        order = ", ".join(f"{{{p}}}" for p in theirs)
        yield (
            "path",
            f"{pointer}/path",
            f"{name}: path placeholders {shown} are not in {title}'s order {order} "
            f"({op.path}): each value would reach the wrong one; reorder them",
        )


def _required_query(
    name: str, title: str, pointer: str, action: dict[str, Any], op: Operation
) -> Iterator[Problem]:
    mine = {
        param.get("name"): (at, param)
        for at, param in parameters(action, pointer)
        if param.get("in") == "query"
    }
    for spec_param in op.parameters:
        if spec_param.get("in") != "query" or spec_param.get("required") is not True:
            continue
        key = spec_param.get("name")
        if isinstance(key, str) and names_credential(key):
            continue  # a token in the query: the port's authentication supplies it
        if key not in mine:
            yield (
                "query",
                f"{pointer}/path",
                f"{name}: {title} {op.operation_id} requires query parameter {safe_repr(key)}; "
                "declare it, required",
            )
        elif mine[key][1].get("required") is not True:
            yield (
                "query",
                mine[key][0],
                f"{name}: query parameter {safe_repr(key)} is required by {title} "
                f"{op.operation_id}; mark it required",
            )


def _required_body(
    name: str, title: str, pointer: str, action: dict[str, Any], op: Operation
) -> Iterator[Problem]:
    body = body_schema(action)
    sends = isinstance(body, dict) and action.get("requestBodyMode") == "json"
    if not sends:
        if op.body_required and op.body_schema is not None and op.method != "get":
            yield (
                "body",
                f"{pointer}/path",
                f"{name}: {title} {op.operation_id} requires a JSON request body; declare "
                "inputs.body and requestBodyMode json",
            )
        return
    if op.method in _PARTIAL or op.body_schema is None:
        return
    yield from _required_keys(name, title, as_dict(body), op.body_schema, f"{pointer}/inputs/body")


def _required_keys(
    name: str, title: str, mine: dict[str, Any], theirs: Any, at: str, label: str = "body"
) -> Iterator[Problem]:
    """The provider's required keys at this level, then in each object both declare."""
    flat = flatten(theirs)
    declared = as_dict(mine.get("properties"))
    mine_required = set(strings(mine.get("required")))
    accepted, _ = object_properties(flat)
    for key in strings(flat.get("required")):
        if as_dict(flatten(accepted.get(key))).get("readOnly") is True or names_credential(key):
            continue  # the provider fills it / the port's authentication supplies it
        if key not in declared:
            yield (
                "body",
                at,
                f"{name}: {label} lacks {safe_repr(key)}, which {title} requires; add it "
                "(required)",
            )
        elif key not in mine_required:
            yield (
                "body",
                f"{at}/properties/{escape(key)}",
                f"{name}: {label} property {safe_repr(key)} is required by {title}; list it "
                "in required",
            )
    for key, sub in declared.items():
        if key in accepted and isinstance(sub, dict) and "properties" in sub:
            sub_at = f"{at}/properties/{escape(key)}"
            yield from _required_keys(name, title, sub, accepted[key], sub_at, f"{label}.{key}")
