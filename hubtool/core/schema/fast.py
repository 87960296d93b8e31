"""jsonschema-rs verdicts in front of the python-jsonschema path: one compiled validator each.

A verdict is ``True`` (valid), ``False`` (invalid) or ``None`` (jsonschema-rs cannot be trusted
to agree here). Callers take ``True`` as "python-jsonschema (``hubtool.core.schema``) yields no
error" and skip it; on ``False`` or ``None`` they run it for the exact findings. That is sound
because a verdict is only given where the two engines agree, which
``tests/core/test_schema_fast.py`` checks differentially (hypothesis). Compiled once: the
manifest schema and the action-template definition per process; an input schema once per
content (``ValueEngine``, bounded cache), a closed object schema (the ``{path, query, body}``
wrapper ``inputs.input_schema`` builds) as its parts: those repeat across actions, it does
not. Schemas a manifest holds are hostile: jsonschema-rs gets the refusing retriever
(``offline.compile_schema_rs``) and linear-time patterns.

Where the engines differ, and what is done (a schema holding any of these gives ``None``):

- **Patterns**: both match with the Rust ``regex`` crate behind jsonschema-rs's ECMA-262
  translation (``hubtool.core.ecma`` is itself a jsonschema-rs validator, same options), except
  that ``ecma`` rewrites ``\\b``/``\\B`` to ASCII word boundaries: a ``pattern`` or
  ``patternProperties`` key holding ``\\b`` or ``\\B`` gives ``None``. An unusable pattern
  (``ecma.compile_error``) constrains nothing in python and may in Rust: ``None``. A pattern
  over ``MAX_EXPANDED`` positions gives ``None`` too: not a difference, a cost bound.
- **Formats**: python asserts only the formats ``hubtool.core.inputs`` defines, with its own
  checks; jsonschema-rs gets the same functions and would assert its own for other names
  (``ipv4``...): another format name gives ``None``. The manifest schema asserts none (both).
- **References and dialects**: ``$ref``/``$dynamicRef`` are never followed in an input schema
  (``inputs.value_problems``); ``$schema`` switches jsonschema-rs's draft, not python's; ``$id``,
  ``$anchor``, ``$defs``...: every ``core.schema.KEYWORDS`` gives ``None`` (not in the trusted
  manifest schema, whose references are internal).
- **Keywords**: ``multipleOf`` (python divides floats: 0.3 is no multiple of 0.1; Rust says it
  is), ``unevaluatedProperties``/``unevaluatedItems`` (annotation collection differs), and
  ``dependencies`` (draft 7; applied by jsonschema-rs under 2020-12, ignored by python): ``None``.
- **Numbers**: ``enum``, ``const`` and ``uniqueItems`` compare 1 and 1.0 as equal and true
  apart from 1 in both, big integers exactly in both (tested); an infinite or NaN number is
  no number to jsonschema-rs (``{"maximum": 5}`` accepts infinity): a value holding one gives
  ``None`` (``json.dumps(allow_nan=False)``), and a schema holding one too.
- **Types**: a value or schema that is not plain JSON (a set, a date, a non-string key, a
  lone surrogate) is refused by jsonschema-rs: ``None``. A tuple would be an array to Rust and
  not to python: no caller passes one (values come from JSON and YAML parsers).
- **Broken schemas**: a schema jsonschema-rs refuses to compile (it checks the meta-schema;
  python does not) gives ``None``; python then reports it as today.
"""

from __future__ import annotations

import functools
import json
import marshal
import math
from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

from hubtool.core.schema import _DATA, _NAME_MAPS, KEYWORDS, manifest_schema
from hubtool.core.schema.offline import compile_schema_rs, linear_patterns

Formats = Mapping[str, Callable[[Any], bool]]

DIFFERING = frozenset({"multipleOf", "unevaluatedProperties", "unevaluatedItems", "dependencies"})
"""Keywords the two engines read differently (see the module docstring)."""
_SCALARS = (str, int, float, bool, type(None))
_CACHE_SIZE = 256
"""Compiled input schemas kept, first in first out (about 60 KB each: 15 MB at most); the
schemas one manifest repeats (an action's examples, shared parameters) stay."""


def verdict(validator: Any, value: Any) -> bool | None:
    """``validator.is_valid(value)``; None when jsonschema-rs refuses the value or a format
    check raises (a lone surrogate, a set)."""
    if validator is None:
        return None
    try:
        return bool(validator.is_valid(value))
    except Exception:  # ValueError, UnicodeEncodeError, a format function's own error
        return None


@functools.cache
def manifest_rs() -> Any:
    """The one jsonschema-rs validator of the manifest schema, or None (never expected)."""
    return _compile(manifest_schema(), None, trusted=True)


@functools.cache
def action_rs() -> Any:
    """The jsonschema-rs validator of one action template (``core.schema.action_validator``)."""
    schema = manifest_schema()
    return _compile({"$ref": "#/$defs/actionTemplate", "$defs": schema["$defs"]}, None, True)


def manifest_verdict(data: Any) -> bool | None:
    """The verdict on a whole manifest (a JSON document from ``hubtool.load.strict``)."""
    return verdict(manifest_rs(), data)


def action_verdict(data: Any) -> bool | None:
    """The verdict on one action template (a JSON value from ``hubtool.load.strict``)."""
    return verdict(action_rs(), data)


Memo = dict[int, tuple[Any, Any, Any]]
"""``id(schema) -> (schema, it taken apart or None, its compiled validator or None)``,
for the schemas of one caller's values (an action's examples): the next value skips the
content key (``content_key``) and the shape test. Holding each schema keeps its id unique;
the schemas must not change while the memo lives."""


class ValueEngine:
    """Verdicts on values against input schemas, asserting ``formats`` (name -> check)."""

    def __init__(self, formats: Formats, split: bool = True) -> None:
        self.formats = formats
        self.split = split
        """Take closed object schemas apart (``_closed``); False: compile them whole."""
        self._compiled: dict[bytes | str, Any] = {}

    def verdict(
        self, schema: Any, value: Any, memo: Memo | None = None, plain: bool = False
    ) -> bool | None:
        """The verdict on ``value`` against ``schema`` (None: ask python-jsonschema); ``memo``
        keeps what is found of each (sub)schema for the next value (``Memo``). ``plain``: the
        caller vouches that ``value`` is plain JSON (finite numbers, string keys, nested at most
        ``limits.MAX_DEPTH`` deep), as every value of a ``hubtool.load.strict`` document is, so
        it is not dumped to find out."""
        try:
            if not plain and not isinstance(value, str):  # a str always dumps (\ud800 escaped)
                json.dumps(value, allow_nan=False)  # NaN, infinities, sets, cycles: ValueError
        except (TypeError, ValueError, RecursionError):
            return None
        try:
            return self._verdict(schema, value, memo)
        except RecursionError:
            return None

    def _verdict(self, schema: Any, value: Any, memo: Memo | None) -> bool | None:
        """``verdict`` of a plain-JSON ``value``, a closed object schema taken apart."""
        known = None if memo is None else memo.get(id(schema))
        if known is None:
            closed, compiled = self._node(schema, memo)
        else:
            _, closed, compiled = known
        if closed is None:
            return verdict(compiled, value)
        return self._closed_verdict(closed, value, memo)

    def _node(self, schema: Any, memo: Memo | None) -> tuple[Closed | None, Any]:
        """(``schema`` taken apart, or None and its compiled validator)."""
        if memo is not None and id(schema) in memo:
            return memo[id(schema)][1:]
        closed = _closed(schema) if self.split else None
        compiled = self.validator(schema) if closed is None else None
        if memo is not None:
            memo[id(schema)] = (schema, closed, compiled)
        return closed, compiled

    def _closed_verdict(self, closed: Closed, value: Any, memo: Memo | None) -> bool | None:
        """True when ``closed.holds(value)`` and each member is valid against its property's
        schema; else None (python-jsonschema decides).

        Exact: the keywords ``Closed`` reads are all the schema asserts. Never False: python
        reports no problem when a broken part raises, which an invalid part may hide.
        """
        if not closed.holds(value):
            return None
        properties = closed.properties
        for key, item in value.items():  # _verdict of each member, inlined (once per member)
            schema = properties[key]
            known = None if memo is None else memo.get(id(schema))
            if known is None:
                part, compiled = self._node(schema, memo)
            else:
                _, part, compiled = known
            if part is not None:
                if self._closed_verdict(part, item, memo) is not True:
                    return None
            elif compiled is None:
                return None
            else:
                try:
                    if not compiled.is_valid(item):
                        return None
                except Exception:  # as ``verdict``: a value jsonschema-rs refuses
                    return None
        return True

    def known_closed(self, memo: Memo, schema: dict[str, Any]) -> None:
        """Put in ``memo`` what ``_node`` finds of ``schema``, which the caller built as a closed
        object schema (``type: object``, ``additionalProperties: false``, ``properties`` of
        object schemas, ``required`` a list of names, nothing else) without finding it again:
        the parts of ``inputs.input_schema``, built once per action. ``_closed`` of such a schema
        gives the same (``tests/core/test_input_memo.py``)."""
        if self.split:
            required = schema["required"]
            closed = Closed(schema["properties"], required, 0, None, frozenset(required))
            memo[id(schema)] = (schema, closed, None)

    def validator(self, schema: Any) -> Any:
        """The compiled validator of ``schema``, or None; cached by content (``content_key``)."""
        key = content_key(schema)
        if key is None:
            return None
        if key in self._compiled:
            return self._compiled[key]
        compiled = _compile(schema, self.formats, trusted=False)
        if len(self._compiled) >= _CACHE_SIZE:
            del self._compiled[next(iter(self._compiled))]
        self._compiled[key] = compiled
        return compiled


def content_key(value: Any) -> bytes | str | None:
    """A key that two values share only if their content is equal, types and keys' order
    included (1, 1.0 and True apart; a str from a number), for caches by content; None if
    ``value`` is nested too deeply to tell.

    ``marshal`` version 0 writes each value with its type and no back-references, so equal
    bytes mean equal content; a few times faster than ``repr`` (the key for what ``marshal``
    refuses: a str subclass, an object of another type).
    """
    try:
        return marshal.dumps(value, 0)
    except ValueError:  # "unmarshallable object", or nested over marshal's own depth limit
        pass
    try:
        return repr(value)
    except RecursionError:
        return None


_CLOSED = frozenset({"type", "additionalProperties", "properties"})
"""The keywords of a closed object schema taken apart (``_closed``), ..."""
_CLOSED_ANY = _CLOSED | {"required", "minProperties", "maxProperties", "description", "title"}
"""... and all it may hold: each checked exactly, or a string annotation."""


class Closed(NamedTuple):
    """A closed object schema taken apart: its ``properties`` (name -> schema), ``required``
    names and ``minProperties``/``maxProperties`` (``high`` None: no bound)."""

    properties: dict[str, Any]
    required: list[str]
    low: int
    high: int | None
    needed: frozenset[str]
    """``required`` as a set."""

    def holds(self, value: Any) -> bool:
        """``value`` is an object of listed keys, as many as the bounds allow, the required ones
        among them (its members are not looked at)."""
        if not isinstance(value, dict) or len(value) < self.low:
            return False
        if self.high is not None and len(value) > self.high:
            return False
        keys = value.keys()
        return keys <= self.properties.keys() and keys >= self.needed


def _closed(schema: Any) -> Closed | None:
    """``schema`` taken apart when it is a closed object schema (``type: object``,
    ``additionalProperties: false``, ``properties`` of schemas; maybe ``required`` names,
    count bounds, a string description and title), or None. The ``{path, query, body}`` wrapper
    ``inputs.input_schema`` builds is one, and bodies often are: their parts repeat across
    actions and manifests where the whole does not, so they are compiled, and cached, alone."""
    if not isinstance(schema, dict) or "additionalProperties" not in schema:
        return None
    if not _CLOSED <= schema.keys() <= _CLOSED_ANY or schema["type"] != "object":
        return None
    properties, required = schema["properties"], schema.get("required", [])
    low, high = schema.get("minProperties", 0), schema.get("maxProperties")
    if schema["additionalProperties"] is not False or not _counts(low, high):
        return None
    if not isinstance(properties, dict) or not isinstance(required, list):
        return None
    if not all(isinstance(name, str) for name in (*properties, *required)):
        return None
    if not all(isinstance(schema.get(key, ""), str) for key in ("description", "title")):
        return None
    if not all(isinstance(sub, (dict, bool)) for sub in properties.values()):
        return None
    return Closed(properties, required, low, high, frozenset(required))


def _counts(low: Any, high: Any) -> bool:
    """Both count bounds plain non-negative integers (``high`` may be None)."""
    return all(type(n) is int and n >= 0 for n in (low, 0 if high is None else high))


def _compile(schema: Any, formats: Formats | None, trusted: bool) -> Any:
    """A jsonschema-rs validator of ``schema``, or None where the engines may differ.

    ``trusted``: the shipped manifest schema (or a part), not walked here: at each start-up
    that would check its patterns again (2 ms); ``tests/core/test_schema_fast.py`` checks that
    ``differs`` finds nothing in it."""
    try:
        if not isinstance(schema, dict | bool) or (
            not trusted and differs(schema, formats, trusted)
        ):
            return None
    except RecursionError:
        return None
    options: dict[str, Any] = {"pattern_options": linear_patterns()}
    if formats is not None:
        options.update(validate_formats=True, formats=dict(formats))
    try:
        return compile_schema_rs(schema, **options)
    except Exception:  # ValidationError (a broken schema), ValueError (recursion, types)
        return None


def differs(schema: Any, formats: Formats | None, trusted: bool = False) -> str | None:
    """Why jsonschema-rs may judge a value against ``schema`` unlike python-jsonschema, or None.

    Walks schema positions (``properties`` maps names to schemas; ``enum``, ``const``,
    ``default`` and ``examples`` hold data), linear in the schema's size. ``trusted``: the
    shipped manifest schema, whose ``$ref``/``$defs`` stay inside it.
    """
    if isinstance(schema, str | bool | int | type(None)):
        return None
    if isinstance(schema, list):
        for item in schema:
            why = differs(item, formats, trusted)
            if why:
                return why
        return None
    if not isinstance(schema, dict):
        return _not_plain(schema)
    for key, value in schema.items():
        why = _keyword_differs(key, value, formats, trusted)
        if why:
            return why
    return None


def _keyword_differs(key: Any, value: Any, formats: Formats | None, trusted: bool) -> str | None:
    if not isinstance(key, str):
        return "a key that is not a string"
    if key in _DATA:
        return _not_plain(value)
    if key in DIFFERING or (key in KEYWORDS and not trusted):
        return f"the keyword {key}"
    if key == "pattern" and isinstance(value, str):
        return _pattern_differs(value)
    if key == "format" and isinstance(value, str):
        return None if formats is None or value in formats else f"the format {value}"
    if key in _NAME_MAPS and isinstance(value, dict):
        names = value if key == "patternProperties" else ()
        return next(filter(None, map(_pattern_differs, names)), None) or differs(
            list(value.values()), formats, trusted
        )
    return differs(value, formats, trusted)


def _pattern_differs(pattern: Any) -> str | None:
    from hubtool.core import ecma

    if not isinstance(pattern, str) or not ecma.compiles(pattern):
        return "an unusable pattern"
    if "\\b" in pattern or "\\B" in pattern:
        return "a word boundary in a pattern"
    tree = ecma.parse(pattern)
    if tree is None or _expanded(tree) > MAX_EXPANDED:
        return "a pattern too costly to compile again"
    return None


MAX_EXPANDED = 512
"""The largest pattern, counted repetitions expanded (``a{0,49}`` is 49), compiled again in
each schema that holds it. ``hubtool.core.ecma`` compiles a pattern once for all its uses;
jsonschema-rs once per schema, so ``^(\\w{0,100}){0,100}$`` (8 ms) in a thousand distinct
schemas would take seconds. Realistic patterns are far smaller (a 253-character hostname)."""


def _expanded(node: Any) -> int:
    """Positions of ``node`` with every counted repetition written out (unbounded: once)."""
    from hubtool.core.ecma.syntax import Repeat, children

    size = max(1, sum(_expanded(child) for child in children(node)))
    if isinstance(node, Repeat):
        size *= max(node.high if node.high is not None else node.low, 1)
    return size


def _not_plain(value: Any) -> str | None:
    """Why ``value`` is not plain JSON (finite numbers, string keys), or None."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if not all(isinstance(key, str) for key in item):
                return "a key that is not a string"
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        elif not isinstance(item, _SCALARS):
            return f"a {type(item).__name__}"
        elif isinstance(item, float) and not math.isfinite(item):
            return "a number that is not finite"
    return None
