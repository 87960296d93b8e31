"""The manifest JSON Schema shipped inside the package, and the one factory of schema engines.

``hubtool/core/schema/dock-integration.schema.json`` is a byte-identical copy of
``schemas/dock-integration.schema.json`` (a test enforces it) so hubtool works when installed
by pip or pre-commit and run from any directory.

Every validator hubtool builds comes from ``compile_schema`` (python-jsonschema) or
``compile_schema_rs`` (jsonschema-rs). Both resolve a ``$ref`` only inside the schema they are
given: the registry never retrieves a resource, so no schema a manifest, a spec or a draft
holds can make hubtool open a URL or read a file (``http:``, ``https:``, ``file:``, relative
paths). A reference to anything else is unresolvable, which callers treat as a broken schema.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from hubtool.core.schema.offline import (
    RetrievalRefused,
    compile_schema_rs,
    linear_patterns,
    offline_registry,
    refuse_retrieval,
)

if TYPE_CHECKING:
    from contextvars import ContextVar

__all__ = [  # the jsonschema-rs factory and the refusing retriever live in .offline
    "RetrievalRefused",
    "compile_schema",
    "compile_schema_rs",
    "linear_patterns",
    "offline_registry",
    "refuse_retrieval",
]

SCHEMA_FILE = "dock-integration.schema.json"


def manifest_schema_bytes() -> bytes:
    """The packaged manifest schema, byte for byte (``hubtool schema``: an editor's or another
    repository's copy), read by this package's own loader as ``pkgutil.get_data`` does (from
    the package, zipped or not) without importing ``pkgutil``. Raises FileNotFoundError if the
    package lost it."""
    return __loader__.get_data(os.path.join(os.path.dirname(__file__), SCHEMA_FILE))


@functools.cache
def manifest_schema() -> dict[str, Any]:
    """The parsed manifest schema (``manifest_schema_bytes``: from the package, zipped or not,
    without loading ``importlib.resources``, which costs start-up about 5 ms)."""
    return json.loads(manifest_schema_bytes().decode("utf-8"))


@functools.cache
def validator_class() -> Any:
    """Draft 2020-12, with ``uniqueItems`` and ``enum`` in linear time, ``pattern`` in ECMA-262.

    jsonschema compares unsortable items (objects) pairwise: 5,000 distinct objects in one
    ``enum`` took 20 s, and a 1 MiB manifest holds far more. It matches ``pattern`` with Python's
    ``re`` (``$`` before a final newline, Unicode ``\\d``, exponential backtracking); hubtool
    matches with ``hubtool.core.ecma`` instead. Every validator hubtool builds (the manifest schema,
    action inputs, the provider's schemas) uses this class.
    """
    from jsonschema import Draft202012Validator, _utils, validators

    _utils.re = _EcmaKeys  # type: ignore[attr-defined]  # unevaluatedProperties' helper
    return validators.extend(
        Draft202012Validator,
        {
            "uniqueItems": _unique_items,
            "enum": _enum,
            "pattern": _pattern,
            "patternProperties": _pattern_properties,
            "additionalProperties": _additional_properties,
        },
    )


class _EcmaKeys:
    """Stands in for ``re`` inside ``jsonschema._utils``, whose ``unevaluatedProperties`` helper
    matches ``patternProperties`` keys with ``re.search`` (Python's dialect, exponential
    backtracking: a 27-character key took 10 s). ``search`` is all that module uses of ``re``
    (jsonschema 4.18 to 4.26); the two keywords that call it directly are overridden above."""

    @staticmethod
    def search(pattern: Any, string: Any) -> bool:
        return (
            isinstance(pattern, str) and isinstance(string, str) and _key_matches(pattern, string)
        )


def _key_matches(pattern: str, key: str) -> bool:
    """``pattern`` matches ``key`` in ECMA-262 (linear time); an unusable pattern matches every
    key, so it constrains nothing (and is noted, see ``unchecked_patterns``)."""
    from hubtool.core import ecma

    matched = ecma.search(pattern, key)
    if matched is None:
        _note_unchecked(pattern)
    return matched is not False


def matched_by_patterns(patterns: Any, key: str) -> bool:
    """True when a ``patternProperties`` pattern matches ``key`` (ECMA-262, linear time)."""
    return isinstance(patterns, dict) and any(
        isinstance(p, str) and _key_matches(p, key) for p in patterns
    )


def _pattern_properties(validator: Any, patterns: Any, instance: Any, schema: Any) -> Iterator[Any]:
    """``patternProperties`` matched in ECMA-262 (jsonschema uses Python's ``re``: ReDoS)."""
    if not (validator.is_type(instance, "object") and isinstance(patterns, dict)):
        return
    for pattern, subschema in patterns.items():
        for key, value in instance.items():
            if isinstance(pattern, str) and _key_matches(pattern, key):
                yield from validator.descend(value, subschema, path=key, schema_path=pattern)


def _additional_properties(validator: Any, extra: Any, instance: Any, schema: Any) -> Iterator[Any]:
    """``additionalProperties``: keys neither in ``properties`` nor matched (ECMA-262) by a
    ``patternProperties`` pattern; the messages are jsonschema's."""
    from jsonschema.exceptions import ValidationError

    if not validator.is_type(instance, "object"):
        return
    named = schema.get("properties", {})
    patterns = schema.get("patternProperties", {})
    extras = [
        key for key in instance if key not in named and not matched_by_patterns(patterns, key)
    ]
    if validator.is_type(extra, "object"):
        for key in extras:
            yield from validator.descend(instance[key], extra, path=key)
    elif not extra and extras:
        listed = ", ".join(repr(key) for key in sorted(extras))
        if patterns:
            verb = "does" if len(extras) == 1 else "do"
            regexes = ", ".join(repr(p) for p in sorted(patterns))
            yield ValidationError(f"{listed} {verb} not match any of the regexes: {regexes}")
        else:
            verb = "was" if len(extras) == 1 else "were"
            yield ValidationError(
                f"Additional properties are not allowed ({listed} {verb} unexpected)"
            )


def _pattern(validator: Any, pattern: Any, instance: Any, schema: Any) -> Iterator[Any]:
    """ECMA-262 ``pattern``, linear time; an unusable pattern constrains nothing here
    (rule ``valid-pattern`` reports it)."""
    from jsonschema.exceptions import ValidationError

    from hubtool.core import ecma

    if not (validator.is_type(instance, "string") and isinstance(pattern, str)):
        return
    matched = ecma.search(pattern, instance)
    if matched is False:
        yield ValidationError(f"{_short(instance)} does not match {_short(pattern)}")
    elif matched is None:
        _note_unchecked(pattern)


@functools.cache
def _unchecked() -> ContextVar[list[tuple[str, str]] | None]:
    """Where ``unchecked_patterns`` collects; made on first use (``contextvars`` is not loaded
    by a run that never validates with python-jsonschema, such as the hook's)."""
    from contextvars import ContextVar

    return ContextVar("hubtool_unchecked_patterns", default=None)


@contextlib.contextmanager
def unchecked_patterns() -> Iterator[list[tuple[str, str]]]:
    """Collect ``(pattern, reason)`` for each unusable ``pattern`` a string met while validating.

    An unusable pattern (``hubtool.core.ecma.compile_error``: lookaround, back-references, a huge
    repetition count, invalid syntax) constrains nothing; callers that cannot report it through
    ``valid-pattern`` (a provider's spec) say the value went unchecked instead. Each pattern once.
    """
    found: list[tuple[str, str]] = []
    token = _unchecked().set(found)
    try:
        yield found
    finally:
        _unchecked().reset(token)


def _note_unchecked(pattern: str) -> None:
    from hubtool.core import ecma

    found = _unchecked().get()
    if found is not None and all(seen != pattern for seen, _ in found):
        found.append((pattern, ecma.compile_error(pattern) or "unusable"))


def _enum(validator: Any, enums: Any, instance: Any, schema: Any) -> Iterator[Any]:
    """``enum`` by hashing canonical JSON: one lookup per instance, not a scan of the list."""
    from jsonschema.exceptions import ValidationError

    if not isinstance(enums, list):
        enums = [enums]
    if canonical(instance) not in _enum_keys(enums):
        yield ValidationError(f"{_short(instance)} is not one of {len(enums)} allowed values")


def _short(value: Any) -> str:
    """A bounded repr for raw engine messages (``core.jsonerrors`` writes the user's message)."""
    import reprlib

    return reprlib.repr(value)


_ENUM_CACHE: dict[int, tuple[list[Any], frozenset[str]]] = {}


def _enum_keys(enums: list[Any]) -> frozenset[str]:
    """The canonical keys of an enum list, cached by identity (bounded: 256 lists)."""
    hit = _ENUM_CACHE.get(id(enums))
    if hit is not None and hit[0] is enums:
        return hit[1]
    keys = frozenset(canonical(value) for value in enums)
    if len(_ENUM_CACHE) >= 256:
        _ENUM_CACHE.pop(next(iter(_ENUM_CACHE)))
    _ENUM_CACHE[id(enums)] = (enums, keys)
    return keys


def canonical(value: Any) -> str:
    """Canonical JSON of ``value``: equal JSON values (1 and 1.0, reordered keys) print alike."""
    return json.dumps(_comparable(value), sort_keys=True)


def _unique_items(validator: Any, unique: Any, instance: Any, schema: Any) -> Iterator[Any]:
    from jsonschema.exceptions import ValidationError

    if unique and validator.is_type(instance, "array") and has_duplicates(instance):
        yield ValidationError("has non-unique elements")


def has_duplicates(items: list[Any]) -> bool:
    """True when two items are equal as JSON values (1 == 1.0, but true != 1)."""
    seen: set[str] = set()
    for item in items:
        key = canonical(item)
        if key in seen:
            return True
        seen.add(key)
    return False


def _comparable(value: Any) -> Any:
    """``value`` with integral floats as ints, so equal numbers print alike."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {key: _comparable(child) for key, child in value.items()}
    if isinstance(value, list):
        return [_comparable(child) for child in value]
    return value


def compile_schema(schema: Any, format_checker: Any = None) -> Any:
    """The one way hubtool builds a python-jsonschema validator (Draft 2020-12, offline).

    Errors: ``jsonschema.exceptions.SchemaError`` and friends only when iterating; an
    unresolvable reference raises ``referencing.exceptions.Unresolvable`` from ``iter_errors``.
    """
    return validator_class()(schema, registry=offline_registry(), format_checker=format_checker)


KEYWORDS = (
    "$ref",
    "$dynamicRef",
    "$recursiveRef",
    "$id",
    "$anchor",
    "$dynamicAnchor",
    "$recursiveAnchor",
    "$schema",
    "$vocabulary",
    "$defs",
    "definitions",
)
"""Keywords that name, define or re-base a reference target (JSON Schema drafts 4 to 2020-12)."""
_DATA = frozenset({"const", "enum", "default", "examples"})
"""Keywords whose value is data, not a schema: a "$ref" key inside them is a value."""
_NAME_MAPS = frozenset({"properties", "patternProperties", "dependentSchemas", "dependencies"})
"""Keywords whose value maps names (not keywords) to schemas."""


def references(schema: Any, pointer: str = "") -> Iterator[tuple[str, str]]:
    """(pointer, keyword) of every reference keyword at a schema position under ``schema``.

    Every member is walked except data (``const``, ``enum``, ``default``, ``examples``), so a
    keyword under an applicator hubtool's subset does not allow (``allOf``, ``not``, ...) is
    found too. Linear in the size of ``schema``; pointers are built only when one is found.
    """
    if holds_reference(schema):
        yield from _references(schema, pointer)


def _references(schema: Any, pointer: str) -> Iterator[tuple[str, str]]:
    if isinstance(schema, list):
        for index, item in enumerate(schema):
            yield from _references(item, f"{pointer}/{index}")
        return
    if not isinstance(schema, dict):
        return
    for key, value in schema.items():
        at = f"{pointer}/{_escape(key)}"
        if key in KEYWORDS:
            yield at, key
        elif key in _NAME_MAPS and isinstance(value, dict):
            for name, sub in value.items():
                yield from _references(sub, f"{at}/{_escape(name)}")
        elif key not in _DATA:
            yield from _references(value, at)


def holds_reference(schema: Any) -> bool:
    """True when ``references(schema)`` yields anything: the same walk, without pointers."""
    if not _may_hold_keyword(schema):
        return False
    stack = [schema]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, dict):
            for key, value in item.items():
                if key in _KEYWORD_SET:
                    return True
                if key in _NAME_MAPS and isinstance(value, dict):
                    stack.extend(value.values())
                elif key not in _DATA:
                    stack.append(value)
    return False


_KEYWORD_SET = frozenset(KEYWORDS)


def may_hold_reference(schemas: list[Any]) -> bool:
    """False when ``references`` yields nothing for any of ``schemas``, found in one look at C
    speed (their list's repr is theirs joined by ``, ``, so it shows a keyword key iff one of
    theirs does); True: maybe, ask ``references``."""
    return _may_hold_keyword(schemas)


def _may_hold_keyword(schema: Any) -> bool:
    """False when no key in ``schema`` is a ``KEYWORDS`` one: its repr, where such a key shows
    as ``'$ref'`` or ``'definitions'``, has neither ``'$`` nor ``'definitions'`` (C speed)."""
    try:
        text = repr(schema)
    except RecursionError:
        return True
    return "'$" in text or "'definitions'" in text


FOLLOWED = frozenset({"$ref", "$dynamicRef", "$recursiveRef"})
"""The keywords an engine follows to another schema."""


def follows_references(schema: Any) -> bool:
    """True when ``schema`` holds a keyword an engine would follow (``FOLLOWED``).

    Such a schema is never evaluated: besides reaching outside, a reference can make a schema
    recursive, and two references in an ``allOf`` double the work at every level of the value.
    """
    return any(keyword in FOLLOWED for _, keyword in references(schema))


def _escape(token: str) -> str:
    return str(token).replace("~", "~0").replace("/", "~1")


@functools.cache
def manifest_validator() -> Any:
    """The one compiled Draft 2020-12 validator of the manifest schema."""
    return compile_schema(manifest_schema())


@functools.cache
def action_validator() -> Any:
    """A validator of one action template against the manifest schema's definition."""
    schema = manifest_schema()
    return compile_schema({"$ref": "#/$defs/actionTemplate", "$defs": schema["$defs"]})
