"""Swagger 2.0 read as OpenAPI 3.0: the parts hubtool reads, converted per operation.

No maintained Python library converts Swagger 2.0 (``swagger2openapi`` is JavaScript; prance
sends the document to a web service), so this is a small conversion following the OpenAPI
3.0.3 "Upgrading from 2.0" mapping, applied to each operation once its $refs are resolved:

* ``basePath`` is the server base path (``host`` and ``schemes`` name no path);
* a ``body`` parameter is the request body, one media type per ``consumes`` entry (the
  operation's, else the document's, else ``application/json``); ``x-examples`` are its examples;
* ``formData`` parameters are one object schema under ``application/x-www-form-urlencoded``
  (``multipart/form-data`` when one is a ``file``), or the ``consumes`` form types; when
  ``consumes`` also lists a JSON type and no field is a file, the same object is the JSON
  body too (Slack's ``chat.postMessage``: ``consumes: [application/x-www-form-urlencoded,
  application/json]``, and Slack takes those fields as JSON);
* every other parameter keeps name, ``in``, description, required and deprecated, and its
  type keywords (``type``, ``format``, ``items``, ``enum``, bounds, ``default``) move into
  ``schema``; ``x-nullable`` becomes ``nullable``;
* an array's ``collectionFormat`` becomes ``style``/``explode`` (``csv``, the default: form,
  not exploded; ``ssv``: spaceDelimited; ``pipes``: pipeDelimited; ``multi``: form, exploded);
  ``tsv`` has no OpenAPI 3 form and is kept as ``x-collectionFormat`` for readers to refuse;
* ``type: file`` (a form upload) is a binary string, ``format: binary``, and makes the form
  ``multipart/form-data``, which Harbor actions do not send;
* ``definitions`` and ``parameters`` stay where they are: ``#/definitions/X`` refs resolve
  in the document as written.
"""

from __future__ import annotations

from typing import Any

from hubtool.core.manifest import as_dict, strings

_FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")
_PARAMETER_KEYS = ("name", "in", "description", "required", "deprecated", "allowEmptyValue")
_SCHEMA_KEYS = (
    "type", "format", "items", "enum", "default", "maximum", "exclusiveMaximum", "minimum",
    "exclusiveMinimum", "maxLength", "minLength", "pattern", "maxItems", "minItems",
    "uniqueItems", "multipleOf",
)  # fmt: skip


def is_swagger2(data: dict[str, Any]) -> bool:
    return str(data.get("swagger", "")) == "2.0"


def base_path(data: dict[str, Any]) -> str:
    """``basePath`` without its trailing slash ('' when absent or not a path)."""
    path = data.get("basePath")
    return path.rstrip("/") if isinstance(path, str) and path.startswith("/") else ""


def request_parts(
    params: list[dict[str, Any]], consumes: list[str]
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """OpenAPI 3 parameters and request body from an operation's resolved Swagger 2.0
    parameters; ``consumes`` is the operation's (else the document's) media types."""
    body = next((p for p in params if p.get("in") == "body"), None)
    form = [p for p in params if p.get("in") == "formData"]
    converted = [_parameter(p) for p in params if p.get("in") not in ("body", "formData")]
    if body is not None:
        return converted, _body(body, consumes or ["application/json"])
    if form:
        return converted, _form(form, consumes)
    return converted, {}


_STYLES = {
    "csv": ("form", False),
    "ssv": ("spaceDelimited", False),
    "pipes": ("pipeDelimited", False),
    "multi": ("form", True),
}
"""Swagger 2.0 ``collectionFormat`` -> OpenAPI 3 (``style``, ``explode``) ("Upgrading from 2.0")."""


def _parameter(param: dict[str, Any]) -> dict[str, Any]:
    out = {k: param[k] for k in _PARAMETER_KEYS if k in param}
    out["schema"] = _schema(param)
    if param.get("type") == "array" and param.get("in") in ("query", "header", "path", "cookie"):
        form = str(param.get("collectionFormat", "csv"))
        if form in _STYLES:
            out["style"], out["explode"] = _STYLES[form]
        else:
            out["x-collectionFormat"] = form
    if "x-example" in param:
        out["example"] = param["x-example"]
    return out


def _schema(param: dict[str, Any]) -> dict[str, Any]:
    schema = {k: param[k] for k in _SCHEMA_KEYS if k in param}
    if param.get("type") == "file":
        schema.update(type="string", format="binary")
    if param.get("x-nullable") is True:
        schema["nullable"] = True
    if isinstance(schema.get("items"), dict):
        schema["items"] = _schema(schema["items"])
    return schema


def _body(param: dict[str, Any], consumes: list[str]) -> dict[str, Any]:
    schema = param.get("schema", {})
    examples = as_dict(param.get("x-examples"))
    content: dict[str, Any] = {}
    for media_type in consumes:
        content[media_type] = {"schema": schema}
        if media_type in examples:
            content[media_type]["example"] = examples[media_type]
    return {"required": param.get("required") is True, "content": content}


def _form(params: list[dict[str, Any]], consumes: list[str]) -> dict[str, Any]:
    schema: dict[str, Any] = {
        "type": "object",
        "properties": {str(p.get("name")): _schema(p) for p in params},
    }
    required = [str(p.get("name")) for p in params if p.get("required") is True]
    if required:
        schema["required"] = required
    has_file = any(p.get("type") == "file" for p in params)
    forms = [m for m in consumes if _essence(m) in _FORMS]
    if not forms:
        forms = [_FORMS[1] if has_file else _FORMS[0]]
    if not has_file:
        forms += [m for m in consumes if _is_json(_essence(m))]
    return {"required": bool(required), "content": {m: {"schema": schema} for m in forms}}


def _essence(media_type: str) -> str:
    """``type/subtype`` of a media type, lower case, without parameters."""
    return media_type.split(";")[0].strip().lower()


def _is_json(essence: str) -> bool:
    return essence == "application/json" or essence.endswith("+json")


def consumes_of(op: dict[str, Any], data: dict[str, Any]) -> list[str]:
    """The operation's ``consumes``, else the document's."""
    return strings(op.get("consumes")) if "consumes" in op else strings(data.get("consumes"))


__all__ = ["base_path", "consumes_of", "is_swagger2", "request_parts"]
