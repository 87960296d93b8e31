"""Readable, secret-safe messages for jsonschema errors (never the raw instance)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any, NamedTuple

from hubtool.core.secrets import safe_name, safe_repr

_JSON_TYPES = {
    dict: "an object",
    list: "an array",
    str: "a string",
    bool: "a boolean",
    int: "an integer",
    float: "a number",
    type(None): "null",
}


class Problem(NamedTuple):
    """One schema failure: where (path tokens from the validated root) and what."""

    path: tuple[str | int, ...]
    message: str
    at_key: bool = False


def problems(errors: Iterator[Any]) -> Iterator[Problem]:
    """Translate jsonschema errors, descending into anyOf/oneOf to the best sub-error.

    jsonschema reports one ``required`` error per missing key, each carrying the whole list;
    the first one is translated into every missing key, the others are skipped (translating
    each would take time quadratic in the length of the list).
    """
    seen: set[tuple[tuple[str | int, ...], str]] = set()
    required: set[tuple[tuple[str | int, ...], int]] = set()
    for error in errors:
        leaf = _leaf(error)
        if leaf.validator == "required":
            where = (tuple(leaf.absolute_path), id(leaf.schema))
            if where in required:
                continue
            required.add(where)
        for problem in _translate(leaf):
            if (problem.path, problem.message) not in seen:
                seen.add((problem.path, problem.message))
                yield problem


def _leaf(error: Any) -> Any:
    if not error.context:
        return error
    from jsonschema.exceptions import best_match

    return _leaf(best_match(error.context))


def _translate(error: Any) -> Iterator[Problem]:
    path = tuple(error.absolute_path)
    keyword = error.validator
    if keyword == "additionalProperties" and isinstance(error.instance, dict):
        from hubtool.core.schema import matched_by_patterns

        allowed = sorted(error.schema.get("properties", {}))
        known = set(allowed)
        patterns = error.schema.get("patternProperties", {})
        for key in error.instance:
            if key not in known and not matched_by_patterns(patterns, key):
                yield Problem((*path, key), unknown_key(key, allowed), at_key=True)
        return
    if keyword == "required" and isinstance(error.instance, dict):
        for key in error.validator_value:
            if key not in error.instance:
                yield Problem(path, f"missing required key {safe_repr(key)}; add it")
        return
    yield Problem(path, message(keyword, error.validator_value, error.instance))


_MAX_SUGGESTED = 200
"""Close matches are looked for among this many allowed keys (difflib compares each pair)."""
_MAX_LISTED = 50
"""A message lists this many allowed keys or values: one message per bad value stays short."""


def unknown_key(key: str, allowed: list[str]) -> str:
    """The allowed keys come from the validated schema, which may be the user's own (an
    action's inputs): they are shown through safe_name too."""
    import difflib  # only for an unknown key: start-up

    text = f"unknown key {safe_repr(key)}"
    close = difflib.get_close_matches(key, allowed[:_MAX_SUGGESTED], n=1, cutoff=0.6)
    if close:
        return f"{text}; did you mean {safe_repr(close[0])}?"
    if not allowed:
        return f"{text}; no keys are allowed here"
    return f"{text}; allowed keys here: {listing(allowed, safe_name)}"


def listing(items: Iterable[Any], show: Callable[[Any], str]) -> str:
    """The first _MAX_LISTED items, shown by ``show``, and how many more there are."""
    shown = items if isinstance(items, list) else list(items)  # no copy: one per error
    listed = ", ".join(map(show, shown[:_MAX_LISTED]))
    more = len(shown) - _MAX_LISTED
    return f"{listed} and {more} more" if more > 0 else listed


def type_name(value: Any) -> str:
    return _JSON_TYPES.get(type(value), type(value).__name__)


def message(keyword: str, expected: Any, value: Any) -> str:
    """A readable message for one failed keyword. Values pass through safe_repr."""
    found = safe_repr(value)
    match keyword:
        case "type":
            wanted = expected if isinstance(expected, str) else " or ".join(expected)
            return f"expected {wanted}, found {type_name(value)}"
        case "enum":
            return f"{found} is not allowed; use one of: {listing(expected, safe_repr)}"
        case "const":
            return f"{found} is not allowed; the only allowed value is {safe_repr(expected)}"
        case "pattern":
            return f"{found} does not match the pattern {safe_repr(expected, limit=200)}"
        case "format":
            return f"{found} is not a valid {expected}"
        case "minLength":
            return f"must be at least {expected} character(s) long"
        case "maxLength":
            return f"must be at most {expected} characters long (it has {len(value)})"
        case "minItems":
            return f"must have at least {expected} item(s)"
        case "maxItems":
            return f"must have at most {expected} items (it has {len(value)})"
        case "uniqueItems":
            return "items must be unique; remove the repeated item"
        case "minimum" | "exclusiveMinimum":
            return f"{found} is below the {keyword} {expected}"
        case "maximum" | "exclusiveMaximum":
            return f"{found} is above the {keyword} {expected}"
        case "multipleOf":
            return f"{found} is not a multiple of {expected}"
        case "minProperties" | "maxProperties":
            return f"violates {keyword} {expected}"
        case "false":
            return "no value is allowed here; remove it"
    return f"{found} fails the schema keyword {keyword!r}"
