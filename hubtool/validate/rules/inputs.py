"""Rules ``typed-query``, ``defaults-valid``, ``valid-pattern`` and ``safe-pattern`` on inputs."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from hubtool.core.findings import ERROR, WARNING, Finding
from hubtool.core.inputs import SchemaPointers, sub_schemas, value_problems
from hubtool.core.manifest import (
    action_name,
    actions,
    as_dict,
    body_schema,
    parameters,
    schema_types,
)
from hubtool.core.registry import QUERY_PARAMS, Example, Rule, finding
from hubtool.core.secrets import safe_repr
from hubtool.load.strict import MAX_BYTES, Document, pointer_of
from hubtool.validate.rules.regexes import anchored, backtracking_problem, compile_error, max_length

TYPED_QUERY = Rule(
    id="typed-query",
    severity=ERROR,
    family="inputs",
    title="Query and path parameters are typed, unique and bounded",
    description="Every query parameter has a typed schema: no object or untyped parameters; "
    "arrays need typed scalar items and `maxItems`; a (in, name) pair is declared once. These "
    "are errors. Unbounded strings (no enum, pattern, format or maxLength) and unbounded "
    "numbers (no enum or no minimum/maximum) are warnings; every type of a mixed `type` list "
    "is checked. A bound that bounds nothing counts as none: a query maxLength or maxItems "
    "above 8,000 (RFC 9110's minimum URI length) or a minimum/maximum beyond +/-2^53-1 "
    "(what a JavaScript number holds).",
    fix="Give the parameter a scalar type and bounds (enum, maxLength, minimum/maximum).",
    failing=Example(
        patch={
            QUERY_PARAMS: {
                "name": "ids",
                "in": "query",
                "schema": {
                    "type": "array",
                    "items": {"type": "integer", "minimum": 1, "maximum": 1000},
                },
                "description": "Widget IDs.",
            }
        }
    ),
    passing=Example(
        patch={
            QUERY_PARAMS: {
                "name": "ids",
                "in": "query",
                "schema": {
                    "type": "array",
                    "items": {"type": "integer", "minimum": 1, "maximum": 1000},
                    "maxItems": 20,
                },
                "description": "Widget IDs.",
            }
        }
    ),
)

DEFAULTS_VALID = Rule(
    id="defaults-valid",
    severity=ERROR,
    family="inputs",
    title="Defaults satisfy their schema",
    description="A parameter's `default`, and any `default` inside an input schema, must "
    "validate against the schema it belongs to.",
    fix="Change the default to a value the schema accepts.",
    failing=Example(patch={"/actionTemplates/0/inputs/parameters/0/default": 0}),
)

VALID_PATTERN = Rule(
    id="valid-pattern",
    severity=ERROR,
    family="inputs",
    title="Patterns are valid ECMA-262 regular expressions",
    description="Every `pattern` in an input schema is an ECMA-262 regular expression "
    "(Unicode mode, as JSON Schema and Harbor Node's JavaScript read it) that hubtool can "
    "match in linear time. Python-only syntax (`\\A`, `\\Z`, `(?P<n>...)`, `(?i)`) is "
    "refused, as are lookaround and back-references, which no linear-time matcher runs, and "
    "repetition counts beyond the matcher's size limit (`a{4294967296}`). In ECMA-262 `\\d` "
    "and `\\w` are ASCII and `$` matches only at the very end (never before a final newline).",
    fix="Rewrite the pattern in ECMA-262 syntax: `^`/`$` instead of `\\A`/`\\Z`, "
    "`(?<n>...)` for named groups, `[Aa]` or `(?i:...)` for case, no lookaround or "
    "back-references.",
    failing=Example(
        patch={
            QUERY_PARAMS: {
                "name": "q",
                "in": "query",
                "schema": {"type": "string", "pattern": "^[a-z+$", "maxLength": 40},
                "description": "Search.",
            }
        }
    ),
    passing=Example(
        patch={
            QUERY_PARAMS: {
                "name": "q",
                "in": "query",
                "schema": {"type": "string", "pattern": "^[a-z]+$", "maxLength": 40},
                "description": "Search.",
            }
        }
    ),
)

SAFE_PATTERN = Rule(
    id="safe-pattern",
    severity=ERROR,
    family="inputs",
    title="Patterns cannot backtrack catastrophically",
    description="Harbor Node matches input-schema patterns with JavaScript's backtracking "
    "engine, so a pattern whose repeats can match the same text in several ways takes "
    "exponential (`(a+)+`, `(a|aa)*`, `(a*b*)*`, `(a?){20}`) or polynomial (`\\d*\\d*x`, "
    "`a+.*a+`) time on a short hostile value (ReDoS). Judged on the pattern's position "
    "automaton: two distinct paths from a state back to itself on one word (exponential), "
    "or two unbounded repeats linked by a common word (degree 2 or more); after Weideman et "
    "al., CIAA 2016. A pattern too complex to judge within a fixed budget is a finding too.",
    fix="Make each repeat unambiguous: `^[a-z]+$` not `^(a+)+$`; separate repeats by a "
    "character neither can match (`^[a-z0-9]+(?:-[a-z0-9]+)*$`); bound repeats with counts.",
    failing=Example(
        patch={
            QUERY_PARAMS: {
                "name": "q",
                "in": "query",
                "schema": {"type": "string", "pattern": "^([a-z]+)+$", "maxLength": 40},
                "description": "Search.",
            }
        }
    ),
    passing=Example(
        patch={
            QUERY_PARAMS: {
                "name": "q",
                "in": "query",
                "schema": {"type": "string", "pattern": "^[a-z]+$", "maxLength": 40},
                "description": "Search.",
            }
        }
    ),
)


_SCALARS = {"string", "integer", "number", "boolean", "null"}
_BOUNDED_FORMATS = {"date-time", "date", "time", "uuid"}


MAX_COUNT = MAX_BYTES
"""The largest maxLength, maxItems or pattern length that still bounds a value: 1 MiB, the
manifest byte cap (``loader.MAX_BYTES``). Harbor documents no request size limit; a value
allowed to be longer than a whole manifest is one no reviewer can reason about, and providers'
own caps are far below it (GitHub issue bodies 65,536 characters, Slack messages 40,000)."""
MAX_QUERY_LENGTH = 8000
"""The largest maxLength or maxItems of a query parameter: RFC 9110 section 4.1 recommends
that senders and recipients support URIs of at least 8,000 octets, and no more is promised,
so a longer query value may never reach the provider."""
MAX_SAFE_INTEGER = 2**53 - 1
"""The largest minimum/maximum magnitude that bounds a number: beyond it a JavaScript number
(Harbor Node is JavaScript) no longer holds every integer, and 1e300 bounds nothing."""


def bound_problem(schema: dict[str, Any], cap: int = MAX_COUNT) -> str | None:
    """Why a value schema admits unboundedly large values in any of its types, or None.

    Every type of a mixed ``type`` list is checked (a string branch of an object/string/array
    property included); a bound above ``cap`` (or a number bound above ``MAX_SAFE_INTEGER``)
    bounds nothing. Objects are checked by the caller (closed, listed properties).
    """
    if "enum" in schema or "const" in schema:
        return None
    types = schema_types(schema)
    if "string" in types:
        problem = _string_problem(schema, cap)
        if problem:
            return problem
    if types & {"integer", "number"} and not _number_bounded(schema):
        return (
            "an unbounded number: add minimum and maximum (within +/-2^53-1, what a "
            "JavaScript number holds), or an enum"
        )
    if "array" in types:
        return _array_problem(schema, cap)
    return None


_NUMBERS = (int, float)
"""For ``isinstance``: a tuple, not an ``int | float`` union built at each call."""


def _too_big(bound: Any, cap: int) -> bool:
    """True when a count bound is not a number at most ``cap`` (1e300 bounds nothing)."""
    return not isinstance(bound, _NUMBERS) or isinstance(bound, bool) or not bound <= cap


def _string_problem(schema: dict[str, Any], cap: int) -> str | None:
    form = schema.get("format")
    if isinstance(form, str) and form in _BOUNDED_FORMATS:  # a dict or list is unhashable
        return None
    if "maxLength" in schema:
        if _too_big(schema["maxLength"], cap):
            return f"a string whose maxLength is above {cap:,}, so it bounds nothing{_WHY[cap]}"
        return None
    pattern = schema.get("pattern")
    if isinstance(pattern, str) and compile_error(pattern) is None and anchored(pattern):
        longest = max_length(pattern)
        if longest is not None and longest <= cap:
            return None
    return "an unbounded string: add maxLength, an enum, or an anchored pattern of fixed length"


def _array_problem(schema: dict[str, Any], cap: int) -> str | None:
    if "maxItems" not in schema:
        return "an array without maxItems; add maxItems"
    if _too_big(schema["maxItems"], cap):
        return f"an array whose maxItems is above {cap:,}, so it bounds nothing{_WHY[cap]}"
    items = as_dict(schema.get("items"))
    return bound_problem(items, cap) if items else "an array without typed items; type its items"


_WHY = {
    MAX_COUNT: " (the 1 MiB manifest byte cap)",
    MAX_QUERY_LENGTH: " (RFC 9110's 8,000-octet URI)",
}


def _number_bounded(schema: dict[str, Any]) -> bool:
    low = [schema[k] for k in ("minimum", "exclusiveMinimum") if k in schema]
    high = [schema[k] for k in ("maximum", "exclusiveMaximum") if k in schema]
    return bool(low and high) and all(
        not _too_big(abs(v) if isinstance(v, _NUMBERS) else v, MAX_SAFE_INTEGER) for v in low + high
    )


def type_problem(schema: Any) -> str | None:
    """Why a query parameter schema is not typed as a scalar or a bounded array of scalars."""
    types = schema_types(schema)
    if not types:
        return "has no type; give it a scalar type (string, integer, number or boolean)"
    if "object" in types:
        return "is an object; query values are scalars or arrays of scalars"
    if "array" in types:
        items = schema_types(as_dict(schema).get("items"))
        if not items or not items <= _SCALARS:
            return "is an array without typed scalar items; give items a scalar type"
        if "maxItems" not in as_dict(schema):
            return "is an array without maxItems; add maxItems"
    return None


Params = list[tuple[str, dict[str, Any]]]
"""(pointer, parameter) of an action's parameters (``manifest.parameters``), listed once."""


def check(doc: Document) -> Iterator[Finding]:
    for pointer, action in actions(doc.data):
        params = list(parameters(action, pointer))  # listed once for the three rules
        schemas = _schemas(action, pointer, params)  # walked once for both rules
        yield from _typed_query(doc, pointer, action, params)
        yield from _defaults(doc, pointer, action, params, schemas)
        yield from _patterns(doc, pointer, action, schemas)


def _typed_query(
    doc: Document, pointer: str, action: dict[str, Any], params: Params
) -> Iterator[Finding]:
    name = action_name(action, pointer)
    seen: set[tuple[str, str]] = set()
    for param_pointer, param in params:
        key = _param_key(param)
        if key is not None and key in seen:
            yield finding(
                doc,
                TYPED_QUERY,
                f"{param_pointer}/name",
                f"{name}: {key[0]} parameter {_label(param)} is declared twice; keep one",
            )
        if key is not None:
            seen.add(key)
        if param.get("in") != "query":
            continue
        schema = param.get("schema")
        problem = type_problem(schema)
        if problem:
            yield finding(
                doc,
                TYPED_QUERY,
                f"{param_pointer}/schema",
                f"{name}: query parameter {_label(param)} {problem}",
            )
            continue
        unbounded = bound_problem(as_dict(schema), MAX_QUERY_LENGTH)
        if unbounded:
            yield finding(
                doc,
                TYPED_QUERY,
                f"{param_pointer}/schema",
                f"{name}: query parameter {_label(param)} is {unbounded}",
                severity=WARNING,
            )


def _label(param: dict[str, Any]) -> str:
    """A parameter's name for a message (made only for one)."""
    return safe_repr(param.get("name"))


def _param_key(param: dict[str, Any]) -> tuple[str, str] | None:
    """(in, name) of a parameter, or None when either is not a string (a schema finding)."""
    location, name = param.get("in"), param.get("name")
    return (location, name) if isinstance(location, str) and isinstance(name, str) else None


Walked = list[tuple[SchemaPointers, list[dict[str, Any]]]]
"""Each parameter's schema, then the body's: the schemas in it (``sub_schemas``) and their
pointers, built for a finding only."""


def _schemas(action: dict[str, Any], pointer: str, params: Params) -> Walked:
    roots = [(param.get("schema"), f"{param_pointer}/schema") for param_pointer, param in params]
    roots.append((body_schema(action), f"{pointer}/inputs/body"))
    return [(SchemaPointers(*root), subs) for root in roots if (subs := sub_schemas(root[0]))]


def _defaults(
    doc: Document,
    pointer: str,
    action: dict[str, Any],
    params: Params,
    schemas: Walked,
) -> Iterator[Finding]:
    """Defaults are values of a strictly loaded document: plain JSON (``value_problems``)."""
    name = action_name(action, pointer)
    for param_pointer, param in params:
        if "default" in param and isinstance(param.get("schema"), dict):
            for problem in value_problems(param["schema"], param["default"], plain=True):
                yield finding(
                    doc,
                    DEFAULTS_VALID,
                    f"{param_pointer}/default",
                    f"{name}: default of {safe_repr(param.get('name'))}: {problem.message}",
                )
    for where, subs in schemas:
        for index, schema in enumerate(subs):
            if "default" in schema:
                for problem in value_problems(schema, schema["default"], plain=True):
                    at = pointer_of(*problem.path)
                    yield finding(
                        doc,
                        DEFAULTS_VALID,
                        f"{where[index]}/default{at}",
                        f"{name}: default: {problem.message}",
                    )


_SYNTAX_FIX = "; correct it to ECMA-262 syntax, as JavaScript's RegExp reads it (u flag)"
_BACKTRACKING_FIX = (
    "; let each character match one way only: separate repeats by a character neither can "
    "match (^[a-z0-9]+(?:-[a-z0-9]+)*$), or bound them with counts"
)


def _patterns(
    doc: Document, pointer: str, action: dict[str, Any], schemas: Walked
) -> Iterator[Finding]:
    for where, subs in schemas:
        for index, schema in enumerate(subs):
            pattern = schema.get("pattern")
            if not isinstance(pattern, str):
                continue
            error = compile_error(pattern)
            if error:
                yield finding(
                    doc,
                    VALID_PATTERN,
                    f"{where[index]}/pattern",
                    f"{action_name(action, pointer)}: invalid regular expression "
                    f"{safe_repr(pattern, limit=80)}: {error}"
                    + (_SYNTAX_FIX if error.startswith("not an ECMA-262") else ""),
                )
                continue
            slow = backtracking_problem(pattern)
            if slow:
                yield finding(
                    doc,
                    SAFE_PATTERN,
                    f"{where[index]}/pattern",
                    f"{action_name(action, pointer)}: pattern {safe_repr(pattern, limit=80)} "
                    f"{slow}" + (_BACKTRACKING_FIX if slow.startswith("can backtrack") else ""),
                )
