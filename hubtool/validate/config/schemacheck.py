"""The configuration's structure, checked against the shipped JSON Schema, every problem at once.

``config.schema.json`` (Draft 2020-12, beside this module; editors can use it for
``.hubtool.yaml``) says which keys exist and what each holds; jsonschema-rs reports every
violation (the hook path loads no python-jsonschema; built by ``hubtool.core.schema.offline``,
which retrieves nothing). Each becomes a ``Problem`` in hubtool's
own words (the messages ``hubtool.validate.config.parse`` gave before, one per problem), at the
line of the YAML node it concerns, with a did-you-mean for a mistyped key. What the schema
cannot say (a rule id is known, a severity may be lowered, a date exists, a file resolves) is
``parse``'s.
"""

from __future__ import annotations

import datetime
import functools
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any, NamedTuple

from hubtool.core.pointers import pointer_of
from hubtool.load.strict import Document

SCHEMA_PATH = Path(__file__).with_name("config.schema.json")
TOP_KEYS = ("severity", "waivers", "allowlist", "reads")
ENTRY_NAMES = {"waivers": "waiver", "allowlist": "allowlist entry", "reads": "reads entry"}
_FIRST_KINDS = ("Type", "AdditionalProperties")
"""Problems named first at one line: the shape, then the keys, then their values."""


class Problem(NamedTuple):
    """One problem of the file: its line, column and message (without the file name);
    ``entry``: the (list, index) of the entry it concerns, if any."""

    line: int
    column: int
    message: str
    entry: tuple[str, Any] | None = None
    section: str | None = None
    """The section whose shape is wrong as a whole (its entries are not checked further)."""


@functools.cache
def config_schema() -> dict[str, Any]:
    """The shipped configuration schema."""
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


@functools.cache
def _validator() -> Any:
    from hubtool.core.schema.offline import compile_schema_rs, linear_patterns

    return compile_schema_rs(config_schema(), pattern_options=linear_patterns())


def schema_problems(data: dict[Any, Any], doc: Document) -> list[Problem]:
    """Every structural problem of ``data`` (the parsed mapping; ``doc`` its Document, for the
    positions)."""
    errors = list(_validator().iter_errors(jsonable(data)))
    rank = {name: i for i, name in enumerate(_FIRST_KINDS)}
    errors.sort(key=lambda e: rank.get(type(e.kind).__name__, len(rank)))
    found: list[Problem] = []
    for error in errors:
        found.extend(_problems(error, list(error.instance_path), doc))
    return found


def _problems(error: Any, path: list[Any], doc: Document) -> Iterable[Problem]:
    kind = type(error.kind).__name__
    if not path:
        if kind != "AdditionalProperties":
            yield Problem(*_at(doc, []), _TOP_SHAPE, section="")
            return
        for key in error.kind.unexpected:
            hint = did_you_mean(str(key), TOP_KEYS)
            message = f"unknown key {key!r}; use 'severity', 'waivers', 'allowlist' and 'reads'"
            yield Problem(*_at(doc, [key], key=True), message + hint)
        return
    section = path[0]
    if section == "severity":
        yield _severity_problem(path, doc)
        return
    if len(path) == 1:
        yield Problem(*_at(doc, path, key=True), f"{section!r} must be a list", section=section)
        return
    entry = (section, path[1])
    where = _at(doc, path[:2])
    what = f"the {ENTRY_NAMES[section]}"
    if len(path) == 2 and kind in _FIRST_KINDS:
        keys = sorted(config_schema()["properties"][section]["items"]["properties"])
        hint = ""
        if kind == "AdditionalProperties":
            hint = "".join(did_you_mean(str(k), keys) for k in error.kind.unexpected)
        yield Problem(*where, f"{_article(section)} has the keys {', '.join(keys)}{hint}", entry)
    elif len(path) == 2:  # Required
        yield Problem(*where, f"{what} needs a non-empty {error.kind.property!r}", entry)
    else:
        yield Problem(*where, _value_message(section, str(path[2]), what), entry)


def _severity_problem(path: list[Any], doc: Document) -> Problem:
    if len(path) == 1:
        message = "'severity' must map rule ids to error, warning or off"
        return Problem(*_at(doc, path, key=True), message, section="severity")
    rule = path[1]
    message = f"severity of {rule}: use error, warning or off"
    return Problem(*_at(doc, path, key=True), message, ("severity", rule))


_TOP_SHAPE = "expected a mapping of 'severity', 'waivers', 'allowlist' and 'reads'"
_VALUE_MESSAGES = {
    "pointer": "pointer must be a JSON pointer such as /actionTemplates/0",
    "expires": "expires must be a date such as 2027-06-30",
    "fingerprint": "fingerprint must be sha256: and 64 lower-case hex digits, as a "
    "no-secret-values finding shows it",
    "method": "only a POST can be declared a read (GET and HEAD are reads already; PUT, PATCH "
    "and DELETE change state by definition): write method: POST",
}


def _value_message(section: str, key: str, what: str) -> str:
    if section == "reads" and key == "path":
        return "path must be the action's path, such as /v1/search"
    if section == "allowlist" and key == "file":
        return "file must be a path relative to the configuration"
    return _VALUE_MESSAGES.get(key, f"{what} needs a non-empty {key!r}")


def _article(section: str) -> str:
    name = ENTRY_NAMES[section]
    keys = "a reads entry" if section == "reads" else f"a {name}"
    return "an allowlist entry" if section == "allowlist" else keys


def did_you_mean(word: str, known: Iterable[str]) -> str:
    """``"; did you mean 'x'?"`` for the closest of ``known`` (difflib), or ``""``. (``difflib``
    is imported here: only a configuration with a mistake needs it.)"""
    import difflib

    close = difflib.get_close_matches(word, list(known), n=1, cutoff=0.75)
    return f"; did you mean {close[0]!r}?" if close else ""


def jsonable(value: Any, depth: int = 0) -> Any:
    """``value`` as JSON data for the schema: dates as ISO text, keys as text, integers past
    64 bits as text, other non-JSON values (bytes, sets) as text."""
    if depth > 64:
        return None
    if isinstance(value, dict):
        return {str(k): jsonable(v, depth + 1) for k, v in value.items()}
    if isinstance(value, list):
        return [jsonable(v, depth + 1) for v in value]
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, bool) or value is None or isinstance(value, str | float):
        return value
    if isinstance(value, int):
        return value if -(2**63) <= value < 2**63 else str(value)
    return str(value)


def _at(doc: Document, path: list[Any], key: bool = False) -> tuple[int, int]:
    """1-based (line, column) of the value at ``path`` (mapping keys and list indexes; of the
    last member's key with ``key``), else of the closest existing ancestor's value."""
    pointer = pointer_of(*path)
    return doc.position(pointer, at_key=key and pointer in doc.values)
