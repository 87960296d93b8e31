"""Harbor's Action Model: the JSON Schema of an action's ``{path, query, body}`` input.

Used to validate examples and defaults now, and rendered requests and drafts later.
"""

from __future__ import annotations

import datetime
import functools
import re
import uuid
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

from hubtool.core.jsonerrors import Problem, problems
from hubtool.core.lazyre import lazy_compile
from hubtool.core.manifest import as_dict, as_list, body_schema
from hubtool.core.schema.fast import Closed, Memo, ValueEngine, _closed

# Formats are checked in time linear in the value: ASCII digits only ([0-9], never Python's
# Unicode \d), no nested or adjacent overlapping repeats, and plain string operations for email
# and hostname (RFC 1123 labels of 1-63 letters, digits and inner hyphens, 253 characters).
_TIME_OF_DAY = r"[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]+)?(?:[Zz]|[+-][0-9]{2}:[0-9]{2})"
_LABEL = lazy_compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?", re.ASCII)
_DATE_TIME = lazy_compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt]" + _TIME_OF_DAY, re.ASCII)
_TIME = lazy_compile(_TIME_OF_DAY, re.ASCII)


def walk_schemas(schema: Any, pointer: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """Yield (pointer, subschema) for a value schema and every schema nested in it, depth
    first: a schema, then its ``items``, ``properties`` in order, ``additionalProperties``."""
    stack = [(pointer, schema)] if isinstance(schema, dict) else []
    while stack:
        at, node = stack.pop()
        yield at, node
        stack.extend(reversed(_nested(node, at)))


def _nested(schema: dict[str, Any], pointer: str) -> list[tuple[str, dict[str, Any]]]:
    """(pointer, subschema) of the schemas directly nested in ``schema``, in walk order."""
    items, extra = schema.get("items"), schema.get("additionalProperties")
    nested = [(f"{pointer}/items", items)] if isinstance(items, dict) else []
    for name, sub in as_dict(schema.get("properties")).items():
        if isinstance(sub, dict):
            if "~" in name or "/" in name:  # most names need no escape
                name = name.replace("~", "~0").replace("/", "~1")
            nested.append((f"{pointer}/properties/{name}", sub))
    if isinstance(extra, dict):
        nested.append((f"{pointer}/additionalProperties", extra))
    return nested


def sub_schemas(schema: Any) -> list[dict[str, Any]]:
    """The schemas ``walk_schemas(schema, ...)`` yields, in its order, without building their
    pointers (a rule wants one only for a finding: ``SchemaPointers``)."""
    found: list[dict[str, Any]] = []
    stack = [schema] if isinstance(schema, dict) else []
    while stack:
        node = stack.pop()
        found.append(node)
        if "items" in node or "properties" in node or "additionalProperties" in node:
            stack.extend(reversed(_nested_schemas(node)))
    return found


def _nested_schemas(schema: dict[str, Any]) -> list[dict[str, Any]]:
    """``_nested`` without the pointers."""
    items, extra = schema.get("items"), schema.get("additionalProperties")
    nested = [items] if isinstance(items, dict) else []
    properties = schema.get("properties")
    if isinstance(properties, dict):
        nested += [sub for sub in properties.values() if isinstance(sub, dict)]
    if isinstance(extra, dict):
        nested.append(extra)
    return nested


class SchemaPointers:
    """The pointer of each schema ``walk_schemas(schema, pointer)`` yields, by its position
    (``sub_schemas``): all of them built on the first ask (linear however many are asked)."""

    __slots__ = ("_all", "_pointer", "_schema")

    def __init__(self, schema: Any, pointer: str) -> None:
        self._schema, self._pointer = schema, pointer
        self._all: list[str] | None = None

    def __getitem__(self, index: int) -> str:
        if self._all is None:
            self._all = [at for at, _ in walk_schemas(self._schema, self._pointer)]
        return self._all[index]


def _date_time(value: object) -> bool:
    if not isinstance(value, str):
        return True
    if not _DATE_TIME.fullmatch(value):
        return False
    try:
        datetime.datetime.fromisoformat(value.upper().replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


def _date(value: object) -> bool:
    if not isinstance(value, str):
        return True
    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        return False
    return len(value) == 10


def _uuid(value: object) -> bool:
    if not isinstance(value, str):
        return True
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return len(value) == 36


def _email(value: object) -> bool:
    """``local@domain.tld``: one ``@``, no whitespace, a dot inside the domain (linear)."""
    if not isinstance(value, str):
        return True
    local, at, domain = value.partition("@")
    if not (local and at) or "@" in domain or any(c.isspace() for c in value):
        return False
    return "." in domain[1:-1]


def _hostname(value: object) -> bool:
    """An RFC 1123 hostname of at most 253 characters (linear)."""
    if not isinstance(value, str):
        return True
    if not 1 <= len(value) <= 253:
        return False
    return all(_LABEL.fullmatch(label) for label in value.split("."))


def _regex(value: object) -> bool:
    """An ECMA-262 pattern hubtool can match (``hubtool.core.ecma``)."""
    from hubtool.core import ecma

    return not isinstance(value, str) or ecma.compiles(value)


def _uri(value: object) -> bool:
    if not isinstance(value, str):
        return True
    parts = urlsplit(value)
    return bool(parts.scheme and parts.netloc) and not any(c.isspace() for c in value)


def _matches(regex: re.Pattern[str]) -> Any:
    return lambda value: not isinstance(value, str) or bool(regex.fullmatch(value))


FORMATS = {
    "date-time": _date_time,
    "date": _date,
    "time": _matches(_TIME),
    "uuid": _uuid,
    "uri": _uri,
    "email": _email,
    "hostname": _hostname,
    "regex": _regex,
}
"""The formats asserted in input schemas (every one the manifest schema allows, and regex);
any other format name is an annotation."""
_FAST = ValueEngine(FORMATS)


@functools.cache
def format_checker() -> Any:
    """A FormatChecker for every format the manifest schema allows, with no extra packages."""
    from jsonschema import FormatChecker

    checker = FormatChecker(formats=())
    for name, func in FORMATS.items():
        checker.checks(name)(func)
    return checker


def value_problems(
    schema: Any, value: Any, memo: Memo | None = None, plain: bool = False
) -> list[Problem]:
    """Problems of ``value`` against ``schema``; none when the schema itself is broken.

    A reference the schema cannot resolve inside itself (``#/nowhere``, a URL, a file) is a
    broken schema: nothing is retrieved (``hubtool.core.schema.compile_schema``), and the
    ``no-schema-references`` rule reports the reference itself. jsonschema-rs answers first
    (``hubtool.core.schema.fast``); python-jsonschema runs only when it finds a problem or
    cannot be trusted to agree, so the problems are python-jsonschema's. ``memo``: for values
    checked against one unchanging schema (``hubtool.core.schema.fast.Memo``). ``plain``: the
    caller vouches that ``value`` comes from a strictly loaded document (``ValueEngine.verdict``).
    """
    if _FAST.verdict(schema, value, memo, plain):
        return []
    return _value_report(schema, value)[0]


def value_valid(schema: Any, value: Any, memo: Memo | None = None) -> bool:
    """``not value_problems(schema, value)``: jsonschema-rs's verdict where it is trusted to
    agree both ways (``hubtool.core.schema.fast``), else python-jsonschema's."""
    valid = _FAST.verdict(schema, value, memo)
    return not _value_report(schema, value)[0] if valid is None else valid


def _value_report(schema: Any, value: Any) -> tuple[list[Problem], str | None]:
    """``(problems, why the schema was not evaluated or None)``."""
    from jsonschema.exceptions import SchemaError, UnknownType
    from referencing.exceptions import CannotDetermineSpecification, Unresolvable
    from referencing.jsonschema import UnknownDialect

    from hubtool.core.schema import compile_schema, follows_references

    broken = (TypeError, ValueError, AttributeError, LookupError, RecursionError, ArithmeticError)
    unresolvable = (Unresolvable, CannotDetermineSpecification, UnknownDialect)
    if follows_references(schema):
        # never evaluated: it could reach outside or recurse; see follows_references
        return [], "it holds a reference ($ref, $dynamicRef), which hubtool never follows"
    try:
        validator = compile_schema(schema, format_checker=format_checker())
        return list(problems(validator.iter_errors(value))), None
    except (*broken, *unresolvable, SchemaError, UnknownType) as exc:
        # the schema, valid-pattern and no-schema-references rules report a manifest's own
        return [], f"it is not a usable JSON Schema ({type(exc).__name__})"


def checked_value_problems(schema: Any, value: Any) -> tuple[list[Problem], list[tuple[str, str]]]:
    """``value_problems`` and what ``value`` could not be checked against: ``(pattern, reason)``
    for each unusable pattern a string met (``hubtool.core.schema.unchecked_patterns``), and
    ``("", reason)`` when the whole schema could not be evaluated."""
    from hubtool.core.schema import unchecked_patterns

    with unchecked_patterns() as unchecked:
        found, broken = _value_report(schema, value)
    return found, [*unchecked, *([("", broken)] if broken else [])]


def input_schema_memo(action: dict[str, Any]) -> tuple[dict[str, Any], Memo]:
    """``input_schema(action)`` and a ``Memo`` for checking values against it (``value_problems``)
    that already holds its closed object parts (the whole, ``path`` and ``query``): built here,
    they need not be taken apart again for each action."""
    schema = input_schema(action)
    memo: Memo = {}
    for part in (schema, schema["properties"]["path"], schema["properties"]["query"]):
        _FAST.known_closed(memo, part)
    return schema, memo


_LOCATIONS = ("path", "query")


class InputPlan:
    """An action's input schema (``input_schema``) taken apart once, for the verdict on many
    inputs (an action's examples): each closed part (the ``path`` and ``query`` groups, and a
    closed object body) as its properties and required names, and each property schema's
    compiled validator, found on first use.

    ``valid(data)`` True: ``value_problems(input_schema(action), data)`` is empty. It holds
    what the closed ``{path, query, body}`` object and its closed parts assert (listed keys,
    required ones present, objects: ``Closed.holds``) and asks jsonschema-rs of each property
    value (``ValueEngine.validator``: compiled only where the engines agree), or of a body
    that is not a closed object (``ValueEngine.verdict``). False: maybe not; ask
    ``value_problems``, the reference, with ``schema()``. The action must not change while
    the plan lives (its schemas' ids key it).
    """

    __slots__ = ("_action", "_body", "_compiled", "_memo", "_needed", "_parts", "_schema")

    def __init__(self, action: dict[str, Any]) -> None:
        groups: dict[str, dict[str, Any]] = {"path": {}, "query": {}}
        required: dict[str, set[str]] = {"path": set(), "query": set()}
        for param in as_list(as_dict(action.get("inputs")).get("parameters")):
            if not isinstance(param, dict):
                continue
            location, name = param.get("in"), param.get("name")
            if (location == "path" or location == "query") and isinstance(name, str):
                groups[location][name] = as_dict(param.get("schema"))  # the last one kept
                if param.get("required") is True:
                    required[location].add(name)
        body = body_schema(action)
        json_body = action.get("requestBodyMode") == "json" and isinstance(body, dict)
        self._parts = {
            where: Closed(groups[where], [*required[where]], 0, None, frozenset(required[where]))
            for where in _LOCATIONS
        }
        closed_body = _closed(body) if json_body else None
        if closed_body is not None:
            self._parts["body"] = closed_body
        self._body = body if json_body and closed_body is None else None
        needed = [where for where in _LOCATIONS if required[where]]
        self._needed = frozenset([*needed, "body"] if json_body else needed)
        self._action = action
        self._compiled: dict[int, Any] = {}  # id(property schema) -> validator or None
        self._memo: Memo = {}  # an open body's parts (``ValueEngine.verdict``)
        self._schema: tuple[dict[str, Any], Memo] | None = None

    def schema(self) -> tuple[dict[str, Any], Memo]:
        """``input_schema_memo(action)``, built on first ask (for ``value_problems``)."""
        if self._schema is None:
            self._schema = input_schema_memo(self._action)
        return self._schema

    def valid(self, data: dict[str, Any]) -> bool:
        """True when ``data`` (an input object of a strictly loaded document) has no problem;
        False: maybe (see the class)."""
        if not data.keys() >= self._needed:
            return False
        for where, value in data.items():
            part = self._parts.get(where)
            if part is not None:
                if not (part.holds(value) and self._members_valid(part.properties, value)):
                    return False
            elif where == "body" and self._body is not None:
                if _FAST.verdict(self._body, value, self._memo, plain=True) is not True:
                    return False
            else:
                return False  # not a listed part: additionalProperties false
        return True

    def _members_valid(self, schemas: dict[str, Any], value: dict[str, Any]) -> bool:
        """Each member of ``value`` valid against its property's schema (jsonschema-rs)."""
        for name, item in value.items():
            validator = self._validator(schemas[name])
            try:
                if validator is None or not validator.is_valid(item):
                    return False
            except Exception:  # a value jsonschema-rs refuses, as ``schema.fast.verdict``
                return False
        return True

    def _validator(self, schema: Any) -> Any:
        """``ValueEngine.validator`` of a property schema, once per schema of the action."""
        key = id(schema)
        if key not in self._compiled:
            self._compiled[key] = _FAST.validator(schema)
        return self._compiled[key]


def input_schema(action: dict[str, Any]) -> dict[str, Any]:
    """The JSON Schema of an action's input ``{path, query, body}``: a closed object of a
    ``path`` and a ``query`` group (each a closed object of its parameters' schemas, in
    parameter order, a repeated name's last schema kept) and, for a JSON body, ``body``."""
    properties: dict[str, dict[str, Any]] = {"path": {}, "query": {}}
    required: dict[str, list[str]] = {"path": [], "query": []}
    for param in as_list(as_dict(action.get("inputs")).get("parameters")):  # one pass
        if not isinstance(param, dict):
            continue
        location, name = param.get("in"), param.get("name")
        if (location == "path" or location == "query") and isinstance(name, str):
            properties[location][name] = as_dict(param.get("schema"))
            if param.get("required") is True:
                required[location].append(name)
    groups: dict[str, Any] = {
        location: {
            "type": "object",
            "additionalProperties": False,
            "properties": properties[location],
            "required": required[location],
        }
        for location in ("path", "query")
    }
    needed = [location for location in ("path", "query") if required[location]]
    body = body_schema(action)
    if action.get("requestBodyMode") == "json" and isinstance(body, dict):
        groups["body"] = body
        needed.append("body")
    return {
        "type": "object",
        "additionalProperties": False,
        "properties": groups,
        "required": needed,
    }
