"""Rule ``bounded-path``: relative literal routes, whole-segment placeholders, bounded values."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from hubtool.core.findings import ERROR, Finding
from hubtool.core.inputs import value_valid
from hubtool.core.manifest import action_name, actions, as_dict, as_list, parameters, schema_types
from hubtool.core.registry import Example, Rule, finding
from hubtool.core.schema.fast import Memo
from hubtool.core.secrets import safe_repr
from hubtool.load.strict import Document
from hubtool.validate.rules.regexes import anchored, can_match_any, compiles

BOUNDED_PATH = Rule(
    id="bounded-path",
    severity=ERROR,
    family="paths",
    title="Action paths are relative, literal and bounded",
    description="An action `path` starts with `/` and has no scheme or host, no `//`, `.` or "
    "`..` segment, `?`, `#`, backslash, `%` escape or whitespace. Placeholders are whole "
    "segments `{name}`; each is a declared `in: path` parameter and each path parameter is "
    "used. Path parameter schemas are bounded: an enum, an integer, or a string pattern "
    "anchored with ^...$ that cannot match `/` or `\\`, and the whole schema (pattern, "
    "minLength) must reject the empty value (it would address the collection: `PATCH "
    "/v1/widgets/`), `.` and `..`.",
    fix="Use a fixed relative route and declare each placeholder as a bounded path parameter.",
    failing=Example(patch={"/actionTemplates/1/path": "/v1/../admin/{widgetId}"}),
)


PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]{0,63})\}")
_ALLOWED = re.compile(r"[A-Za-z0-9\-._~!$&'()*+,;=:@{}/]*")
_ROUTE_CHANGERS = "/\\"
_DOT_SEGMENTS = (".", "..")


def path_problems(path: str) -> Iterator[str]:
    """Every reason ``path`` is not a bounded relative route."""
    if "://" in path or path.startswith("//"):
        yield "must be relative (no scheme or host): the origin comes from the port's baseUrl"
        return
    if not path.startswith("/"):
        yield "must start with '/'"
    if "//" in path:
        yield "must not contain '//' (an empty segment can change the route)"
    if any(segment in _DOT_SEGMENTS for segment in path.split("/")):
        yield "must not contain '.' or '..' segments (path traversal)"
    if not _ALLOWED.fullmatch(path):  # one match in the usual case, not one per character
        for char in sorted({c for c in path if not _ALLOWED.fullmatch(c)}):
            yield f"must not contain {_char_name(char)}"
    for segment in path.split("/"):
        if ("{" in segment or "}" in segment) and not PLACEHOLDER.fullmatch(segment):
            yield (
                f"segment {safe_repr(segment)}: a placeholder must be a whole segment "
                "'{name}' (letters, digits, '_')"
            )


def _char_name(char: str) -> str:
    names = {"?": "'?' (queries are typed parameters)", "#": "'#'", "%": "'%' escapes"}
    if char in names:
        return names[char]
    if char == "\\":
        return "backslashes"
    if char.isspace() or not char.isprintable():
        return f"whitespace or control characters (U+{ord(char):04X})"
    return f"the character {char!r}"


def placeholders(path: str) -> list[str]:
    return [m.group(1) for m in PLACEHOLDER.finditer(path)]


def value_schema_problem(schema: Any) -> str | None:
    """Why a path parameter schema does not keep its value inside one segment, or None."""
    schema = as_dict(schema)
    if "enum" in schema:
        bad = [v for v in as_list(schema["enum"]) if not _safe_segment_value(v)]
        return f"enum value {safe_repr(bad[0])} could change the route" if bad else None
    types = schema_types(schema)
    if types == {"integer"}:
        return None
    if types != {"string"}:
        return "use an enum, type integer, or a string with a pattern"
    pattern = schema.get("pattern")
    if not isinstance(pattern, str):
        return "string path values need a pattern anchored with ^...$ that excludes '/'"
    if not compiles(pattern):
        return None  # valid-pattern reports it
    if not anchored(pattern):
        return (
            f"pattern {safe_repr(pattern)} must be anchored with ^ and $ "
            "so the whole value is bounded"
        )
    if can_match_any(pattern, _ROUTE_CHANGERS):
        return f"pattern {safe_repr(pattern)} can match '/' or '\\', which would change the route"
    return _segment_value_problem(schema)


_NOT_SEGMENTS = {
    "": "the empty value, which would address the parent route (the collection): "
    "add minLength: 1 or a pattern with + instead of *",
    ".": "'.', a traversal segment",
    "..": "'..', a traversal segment",
}
"""Values a path segment can never take, and why."""


def _segment_value_problem(schema: dict[str, Any]) -> str | None:
    """Why the whole schema (pattern, minLength ...) admits a value that is not a segment."""
    memo: Memo = {}  # one schema, three values
    for value, why in _NOT_SEGMENTS.items():
        if _admits(schema, value, memo):
            return f"the schema accepts {why}"
    return None


def _admits(schema: dict[str, Any], value: str, memo: Memo) -> bool:
    """True when ``value`` validates against ``schema``, through the engine examples use.

    Matching these literal strings, rather than analysing the pattern, keeps one regex
    dialect: whatever engine validates examples decides this too.
    """
    return value_valid(schema, value, memo)


def _safe_segment_value(value: Any) -> bool:
    if isinstance(value, bool) or value is None:
        return False
    text = str(value)
    return bool(text) and text not in _DOT_SEGMENTS and not set(text) & set(_ROUTE_CHANGERS)


def check(doc: Document) -> Iterator[Finding]:
    for pointer, action in actions(doc.data):
        path = action.get("path")
        if isinstance(path, str):
            yield from _check_action(doc, pointer, action, path)


def _check_action(
    doc: Document, pointer: str, action: dict[str, Any], path: str
) -> Iterator[Finding]:
    name = action_name(action, pointer)
    for problem in path_problems(path):
        yield finding(doc, BOUNDED_PATH, f"{pointer}/path", f"{name}: path {problem}")
    used = placeholders(path)
    for dup in sorted({p for p in used if used.count(p) > 1}):
        yield finding(
            doc, BOUNDED_PATH, f"{pointer}/path", f"{name}: placeholder {{{dup}}} is used twice"
        )
    declared: dict[str, str] = {}
    for param_pointer, param in parameters(action, pointer):
        if param.get("in") == "path" and isinstance(param.get("name"), str):
            declared.setdefault(param["name"], param_pointer)
            problem = value_schema_problem(param.get("schema"))
            if problem:
                yield finding(
                    doc,
                    BOUNDED_PATH,
                    f"{param_pointer}/schema",
                    f"{name}: path parameter {param['name']!r} is unbounded: {problem}",
                )
    for placeholder in dict.fromkeys(used):
        if placeholder not in declared:
            yield finding(
                doc,
                BOUNDED_PATH,
                f"{pointer}/path",
                f"{name}: placeholder {{{placeholder}}} has no 'in: path' parameter; "
                "declare it with a bounded schema",
            )
    for param_name, param_pointer in declared.items():
        if param_name not in used:
            yield finding(
                doc,
                BOUNDED_PATH,
                param_pointer,
                f"{name}: path parameter {param_name!r} is not used in the path; "
                "remove it or add {" + param_name + "} to the path",
            )
