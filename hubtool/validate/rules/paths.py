r"""Rule ``bounded-path``: relative literal routes, whole-segment placeholders, bounded values.

Traversal, precisely: a path value is substituted as one whole segment, so it is traversal when
the whole value is ``.`` or ``..`` (RFC 3986 section 5.2.4 removes those segments), or when it
can become a separator or one of those after the provider decodes it: any ``/`` or ``\``, and
any ``%`` (``%2e%2e``, ``%2f``, ``%5c``). A dot inside a value is not traversal: ``next.js``,
``.github`` and ``v1.2`` are repository names. Whether a schema admits ``""``, ``.`` or ``..``
is decided by matching those literal values with the engine that validates examples; whether a
pattern can match ``/``, ``\`` or ``%`` is decided on the parsed pattern (``hubtool.core.ecma``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from hubtool.core.findings import ERROR, Finding
from hubtool.core.inputs import value_valid
from hubtool.core.limits import cached_when_short
from hubtool.core.manifest import action_name, actions, as_dict, as_list, parameters, schema_types
from hubtool.core.registry import Example, Rule, finding
from hubtool.core.schema.fast import Memo, content_key
from hubtool.core.secrets import safe_repr
from hubtool.load.strict import Document
from hubtool.validate.rules.regexes import anchored, can_match_any, compiles

DOTTED_NAME = (
    r"^(?:[A-Za-z0-9_-][A-Za-z0-9._-]{0,99}|\.[A-Za-z0-9_-][A-Za-z0-9._-]{0,98}"
    r"|\.\.[A-Za-z0-9._-]{1,98})$"
)
r"""A path value pattern for names with dots (GitHub's ``repo``: ``next.js``, ``.github``):
exactly the values of ``^(?!\.{1,2}$)[A-Za-z0-9._-]{1,100}$`` without its lookahead (refused:
not matchable in linear time): a first character that is not a dot, or one dot and then one
that is not, or two dots and then anything. Each branch starts differently: no backtracking."""

BOUNDED_PATH = Rule(
    id="bounded-path",
    severity=ERROR,
    family="paths",
    title="Action paths are relative, literal and bounded",
    description="An action `path` starts with `/` and has no scheme or host, no `//`, `.` or "
    "`..` segment, `?`, `#`, backslash, `%` escape or whitespace. Placeholders are whole "
    "segments `{name}`; each is a declared `in: path` parameter and each path parameter is "
    "used. Path parameter schemas are bounded: an enum, an integer, or a string pattern "
    "anchored with ^...$ that cannot match `/`, `\\` or `%` (a percent-encoded `%2e%2e` or "
    "`%2f`), and the whole schema (pattern, minLength) must reject the empty value (it would "
    "address the collection: `PATCH /v1/widgets/`), `.` and `..`. A dot inside a value is "
    "fine (`next.js`, `.github`): only the whole values `.` and `..` are traversal. "
    "Lookahead is refused (not matchable in linear time), so exclude them by the pattern's "
    "shape: a first character that is not a dot, or one dot and then one that is not, or two "
    f"dots and then anything, e.g. `{DOTTED_NAME}` (1 to 100 characters).",
    fix="Use a fixed relative route and declare each placeholder as a bounded path parameter; "
    f"for names that may hold dots, use a pattern such as `{DOTTED_NAME}`.",
    failing=Example(patch={"/actionTemplates/1/path": "/v1/../admin/{widgetId}"}),
)


PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]{0,63})\}")
_ALLOWED = re.compile(r"[A-Za-z0-9\-._~!$&'()*+,;=:@{}/]*")
_ROUTE_CHANGERS = "/\\"
_ESCAPE = "%"
"""The start of a percent-encoding: the provider may decode ``%2e%2e`` to ``..``, ``%2f`` to /."""
_DOT_SEGMENTS = (".", "..")


def path_problems(path: str) -> Iterator[str]:
    """Every reason ``path`` is not a bounded relative route."""
    if "://" in path or path.startswith("//"):
        yield "must be relative (no scheme or host): the origin comes from the port's baseUrl"
        return
    if not path.startswith("/"):
        yield "must start with '/'"
    if "//" in path:
        yield (
            "must not contain '//' (an empty segment can change the route): remove the "
            "empty segment"
        )
    if any(segment in _DOT_SEGMENTS for segment in path.split("/")):
        yield (
            "must not contain '.' or '..' segments (path traversal): write the route they "
            "resolve to (/v1/a/../b is /v1/b)"
        )
    if not _ALLOWED.fullmatch(path):  # one match in the usual case, not one per character
        for char in sorted({c for c in path if not _ALLOWED.fullmatch(c)}):
            yield f"must not contain {_char_name(char)}"
    for segment in path.split("/"):
        if ("{" in segment or "}" in segment) and not PLACEHOLDER.fullmatch(segment):
            yield (
                f"segment {safe_repr(segment)}: a placeholder must be a whole segment "
                "'{name}' (letters, digits, '_')"
            )


@cached_when_short(maxsize=2048)
def path_problems_once(path: str) -> tuple[str, ...]:
    """``path_problems(path)``, cached for paths up to ``SHORT_TEXT`` long: a catalog's
    manifests repeat their providers' routes."""
    return tuple(path_problems(path))


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
        if bad:
            return (
                f"enum value {safe_repr(bad[0])} could change the route: remove it (a value "
                "may not be empty, '.' or '..', or hold '/', '\\' or '%')"
            )
        return None
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
        return (
            f"pattern {safe_repr(pattern)} can match '/' or '\\', which would change the route: "
            "list the allowed characters instead of '.' or a negated class, e.g. "
            "[A-Za-z0-9_-]{1,100}"
        )
    if can_match_any(pattern, _ESCAPE):
        return (
            f"pattern {safe_repr(pattern)} can match '%', and the provider may decode "
            "'%2e%2e' to '..' or '%2f' to '/': leave '%' out of the pattern"
        )
    return _segment_value_problem(schema)


_NOT_SEGMENTS = {
    "": "the empty value, which would address the parent route (the collection): "
    "add minLength: 1 or a pattern with + instead of *",
    ".": "'.', a traversal segment",
    "..": "'..', a traversal segment",
}
_TRAVERSAL_FIX = (
    ": exclude the whole values '.' and '..' (a dot inside a name is fine) without "
    f"lookahead, e.g. pattern {DOTTED_NAME!r}, or minLength: 3"
)
"""Values a path segment can never take, and why."""


def _segment_value_problem(schema: dict[str, Any]) -> str | None:
    """Why the whole schema (pattern, minLength ...) admits a value that is not a segment."""
    memo: Memo = {}  # one schema, three values
    for value, why in _NOT_SEGMENTS.items():
        if _admits(schema, value, memo):
            return f"the schema accepts {why}" + (_TRAVERSAL_FIX if value else "")
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
    changers = set(_ROUTE_CHANGERS + _ESCAPE)
    return bool(text) and text not in _DOT_SEGMENTS and not set(text) & changers


_JUDGED: dict[bytes | str, str | None] = {}
"""Path parameter schemas judged in this process, by content (``judged_once``): a catalog's
manifests repeat them ({owner}, {id} in each)."""
_JUDGED_MAX = 1024
"""Schemas kept in ``_JUDGED`` at most; it is emptied when full (bounded memory)."""
_JUDGED_KEY_MAX = 2048
"""Longer keys are judged each time, not kept: the cache holds at most 2 MiB of them."""


def check(doc: Document) -> Iterator[Finding]:
    if len(_JUDGED) >= _JUDGED_MAX:
        _JUDGED.clear()
    for pointer, action in actions(doc.data):
        path = action.get("path")
        if isinstance(path, str):
            yield from _check_action(doc, pointer, action, path, _JUDGED)


def judged_once(schema: Any, judged: dict[bytes | str, str | None]) -> str | None:
    """``value_schema_problem(schema)``, kept in ``judged`` by the schema's content: a
    catalog's actions repeat their path parameters' schemas ({owner}, {repo} in each). The
    key is ``content_key``, which tells 1 from 1.0 and True, and keys' order; the problem is a
    function of that content alone. A manifest's keys together are linear in its size; one
    over ``_JUDGED_KEY_MAX`` bytes is not kept."""
    key = content_key(schema)
    if key is None or len(key) > _JUDGED_KEY_MAX:
        return value_schema_problem(schema)
    if key not in judged:
        judged[key] = value_schema_problem(schema)
    return judged[key]


def _check_action(
    doc: Document,
    pointer: str,
    action: dict[str, Any],
    path: str,
    judged: dict[str, str | None],
) -> Iterator[Finding]:
    name = action_name(action, pointer)
    for problem in path_problems_once(path):
        yield finding(doc, BOUNDED_PATH, f"{pointer}/path", f"{name}: path {problem}")
    used = placeholders(path)
    for dup in sorted({p for p in used if used.count(p) > 1}):
        yield finding(
            doc,
            BOUNDED_PATH,
            f"{pointer}/path",
            f"{name}: placeholder {{{dup}}} is used twice; name each placeholder once, with a "
            "path parameter of its own",
        )
    declared: dict[str, str] = {}
    for param_pointer, param in parameters(action, pointer):
        if param.get("in") == "path" and isinstance(param.get("name"), str):
            declared.setdefault(param["name"], param_pointer)
            problem = judged_once(param.get("schema"), judged)
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
