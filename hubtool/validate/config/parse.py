"""The contents of ``.hubtool.yaml``: rule severities, waivers and allowlist entries, checked.

A bad configuration stops the run (exit 2, with the file, line and what to do). Every rule id
it names must be known: the caller passes the rule table (``rules``; this package never
imports ``hubtool.registry``, which collects the rules defined here). Secrets, syntax and
crashed checks (``UNWAIVABLE``) cannot be downgraded or turned off. Every reason that may reach
an output is redacted.

``hubtool.validate.rules.secrets`` is imported where it is used: it imports
``hubtool.registry`` (for ``finding``), which imports the rules this package defines.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any, NamedTuple

from hubtool.core.errors import HubtoolError
from hubtool.core.findings import ERROR, WARNING
from hubtool.core.lazyre import lazy_compile
from hubtool.core.pointers import pointer_of
from hubtool.core.registry import Rule
from hubtool.load.strict import Document
from hubtool.validate.config.cache import cached_document
from hubtool.validate.config.reads import DECLARABLE, READ_KEYS, Read
from hubtool.validate.config.waivers import UNWAIVABLE, Allowed, Waiver
from hubtool.validate.config.yamlfile import Spans, config_document, read_config

SEVERITY_CHOICES = (ERROR, WARNING, "off")
_TOP_KEYS = ("severity", "waivers", "allowlist", "reads")
_WAIVER_KEYS = {"rule", "file", "pointer", "reason", "expires"}
_ALLOW_KEYS = {"fingerprint", "reason", "file", "expires"}
_FINGERPRINT = lazy_compile(r"sha256:[0-9a-f]{64}")
"""An allowlist entry's fingerprint (compiled on first use: most configurations have none)."""


class Config(NamedTuple):
    """A configuration: severity overrides by rule id (error, warning or off), waivers,
    allowlist entries and declared reads; all empty (the defaults) when ``path`` is None.

    A named tuple (immutable, as the frozen dataclass it was, for less start-up: the hook reads
    a configuration on every commit); no caller compares two configurations."""

    path: Path | None = None
    severities: Mapping[str, str] = MappingProxyType({})
    waivers: tuple[Waiver, ...] = ()
    allowlist: tuple[Allowed, ...] = ()
    document: Document | None = None
    """The parsed file with positions, for the credential scan (``scan_config``)."""
    reads: tuple[Read, ...] = ()
    """POST actions declared reads (``hubtool.validate.config.reads``)."""
    outside: Spans = ()
    """The text outside the file's keys and values, for the credential scan."""


def load_config(
    path: Path | None, name: str | None = None, *, rules: Mapping[str, Rule], cached: bool = True
) -> Config:
    """Parse and check a configuration file; None gives the defaults.

    ``name`` is how the file is shown (default: the path); ``rules`` are the known rules by id
    (``hubtool.registry.RULES``, passed by the command). Raises HubtoolError (exit 2).
    """
    if path is None:
        return Config()
    return parse_config(read_config(path), path, name, rules=rules, cached=cached)


def parse_config(
    raw: bytes,
    path: Path,
    name: str | None = None,
    *,
    rules: Mapping[str, Rule],
    cached: bool = True,
) -> Config:
    """Check configuration bytes as the file at ``path`` (waiver files are relative to it);
    every rule id it names must be one of ``rules``. ``cached``: read through the
    configuration cache (``hubtool ci`` does not: its policy is git's, not the cache
    directory's). Raises HubtoolError (exit 2)."""
    read = cached_document if cached else config_document
    doc, outside = read(raw, name or str(path))
    where = doc.path
    data = doc.data
    if data is None:
        return Config(path, document=doc, outside=outside)
    if not isinstance(data, dict):
        raise HubtoolError(
            f"{where}:{_line(doc)}: expected a mapping of 'severity', 'waivers', "
            "'allowlist' and 'reads'"
        )
    from hubtool.validate.config.schemacheck import schema_problems

    found = schema_problems(data, doc)
    problems = [(p.line, f"{where}:{p.line}: {p.message}") for p in found]
    broken = {p.entry for p in found if p.entry} | {p.section for p in found}
    severities = _severities(where, data.get("severity") or {}, doc, rules, problems, broken)
    built: dict[str, list[Any]] = {"waivers": [], "allowlist": [], "reads": []}
    for section, entries in built.items():
        value = data.get(section) or []
        for i, entry in enumerate(value if section not in broken else []):
            at = doc.position(pointer_of(section, i))
            if (section, i) in broken:  # its rule id is still judged: every problem at once
                rule = entry.get("rule") if section == "waivers" and type(entry) is dict else None
                unknown = _unknown_rule(f"{where}:{at[0]}", rule, rules)
                problems.extend([(at[0], unknown)] if unknown else [])
                continue
            entries.append(_collected(problems, section, (path, where, entry, at), rules))
    _stop(problems)
    waivers, allowlist, reads = (tuple(built[n]) for n in ("waivers", "allowlist", "reads"))
    return Config(path, severities, waivers, allowlist, doc, reads, outside)


def _collected(
    problems: list[tuple[int, str]], section: str, args: tuple[Any, ...], rules: Mapping[str, Rule]
) -> Any:
    """One entry of ``section`` checked; on a problem, None and its message in ``problems``."""
    try:
        if section == "waivers":
            return _waiver(*args, rules)
        return _allowed(*args) if section == "allowlist" else _read(*args)
    except HubtoolError as exc:
        problems.append((_line_of(exc.message), exc.message))
        return None


def _line_of(message: str) -> int:
    """The line number in a ``<file>:<line>: ...`` message (0 when there is none)."""
    head = message.split(": ", 1)[0]
    number = head.rsplit(":", 1)[-1]
    return int(number) if number.isdigit() else 0


def _stop(problems: list[tuple[int, str]]) -> None:
    """Raise one HubtoolError naming every problem, by line: the first as the message, the
    others as its details."""
    if problems:
        ordered = [text for _, text in sorted(problems, key=lambda p: p[0])]
        raise HubtoolError(ordered[0], tuple(ordered[1:]))


def _line(doc: Document, *keys: str) -> int:
    """The line of the last of ``keys`` (a path of mapping keys) in the YAML, else of the
    closest key above it (the root's line at the top)."""
    return doc.position(pointer_of(*keys), at_key=True)[0]


def _severities(
    where: str,
    value: Any,
    doc: Document,
    rules: Mapping[str, Rule],
    problems: list[tuple[int, str]],
    broken: set[Any],
) -> dict[str, str]:
    """The severity overrides; an unknown rule id (with the closest known ones) or a lowered
    unwaivable rule is added to ``problems`` (the schema checked the shape and the levels)."""
    from hubtool.core.secrets import safe_repr
    from hubtool.validate.config.schemacheck import did_you_mean

    if "severity" in broken or not isinstance(value, dict):
        return {}
    for rule, severity in value.items():
        line = _line(doc, "severity", rule)
        at = f"{where}:{line}"
        if not isinstance(rule, str) or rule not in rules:
            hint = did_you_mean(rule, rules) if isinstance(rule, str) else ""
            message = f"{at}: severity: unknown rule {safe_repr(rule)} (see 'hubtool rules')"
            problems.append((line, message + hint))
        elif rule in UNWAIVABLE and severity != ERROR and ("severity", rule) not in broken:
            problems.append(
                (
                    line,
                    f"{at}: severity of {rule} cannot be lowered: secrets, syntax and "
                    "crashed checks are always errors",
                )
            )
    return dict(value)


def _require_text(entry: dict[str, Any], keys: tuple[str, ...], what: str) -> None:
    """Each of ``keys`` is a non-blank string in ``entry``. Raises HubtoolError naming ``what``
    (``"<file>:<line>: the waiver"``) and the first key that is not."""
    for key in keys:
        if not isinstance(entry.get(key), str) or not entry[key].strip():
            raise HubtoolError(f"{what} needs a non-empty {key!r}")


def _waiver(
    path: Path, name: str, entry: Any, at: tuple[int, int], rules: Mapping[str, Rule]
) -> Waiver:

    line, column = at
    where = f"{name}:{line}"
    if not isinstance(entry, dict) or set(entry) - _WAIVER_KEYS:
        raise HubtoolError(f"{where}: a waiver has the keys {', '.join(sorted(_WAIVER_KEYS))}")
    _require_text(entry, ("rule", "file", "pointer", "reason"), f"{where}: the waiver")
    unknown = _unknown_rule(where, entry["rule"], rules)
    if unknown:
        raise HubtoolError(unknown)
    pointer = entry["pointer"]
    if pointer and not pointer.startswith("/"):
        raise HubtoolError(f"{where}: pointer must be a JSON pointer such as /actionTemplates/0")
    expires = _expires(entry, where)
    file = _waiver_file(path, entry["file"], where)
    reason = _reason(entry["reason"])
    family_of = getattr(rules, "family", None)  # the registry's index: no FAR module imported
    family = family_of(entry["rule"]) if family_of else rules[entry["rule"]].family
    return Waiver(entry["rule"], file, pointer, reason, expires, line, column, family)


def _unknown_rule(where: str, rule: Any, rules: Mapping[str, Rule]) -> str | None:
    """``<where>: unknown rule ...`` with the closest known id, when ``rule`` is a non-blank
    text that names no rule; else None."""
    from hubtool.core.secrets import safe_repr
    from hubtool.validate.config.schemacheck import did_you_mean

    if not isinstance(rule, str) or not rule.strip() or rule in rules:
        return None
    hint = did_you_mean(rule, rules)
    return f"{where}: unknown rule {safe_repr(rule)} (see 'hubtool rules'){hint}"


def _allowed(path: Path, name: str, entry: Any, at: tuple[int, int]) -> Allowed:
    line, column = at
    where = f"{name}:{line}"
    if not isinstance(entry, dict) or set(entry) - _ALLOW_KEYS:
        keys = ", ".join(sorted(_ALLOW_KEYS))
        raise HubtoolError(f"{where}: an allowlist entry has the keys {keys}")
    _require_text(entry, ("fingerprint", "reason"), f"{where}: the allowlist entry")
    if not _FINGERPRINT.fullmatch(entry["fingerprint"]):
        raise HubtoolError(
            f"{where}: fingerprint must be sha256: and 64 lower-case hex digits, as a "
            "no-secret-values finding shows it"
        )
    file = entry.get("file")
    if file is not None and (not isinstance(file, str) or not file.strip()):
        raise HubtoolError(f"{where}: file must be a path relative to the configuration")
    resolved = None if file is None else _waiver_file(path, file, where)
    expires = _expires(entry, where)
    return Allowed(entry["fingerprint"], _reason(entry["reason"]), resolved, expires, line, column)


def _read(path: Path, name: str, entry: Any, at: tuple[int, int]) -> Read:
    """One ``reads`` entry, checked (``hubtool.validate.config.reads``)."""
    line, column = at
    where = f"{name}:{line}"
    if not isinstance(entry, dict) or set(entry) - READ_KEYS:
        keys = ", ".join(sorted(READ_KEYS))
        raise HubtoolError(f"{where}: a reads entry has the keys {keys} (expires optional)")
    _require_text(
        entry, ("file", "action", "method", "path", "reason"), f"{where}: the reads entry"
    )
    if entry["method"] != DECLARABLE:
        raise HubtoolError(
            f"{where}: only a POST can be declared a read (GET and HEAD are reads already; "
            "PUT, PATCH and DELETE change state by definition): write method: POST"
        )
    if not entry["path"].startswith("/"):
        raise HubtoolError(f"{where}: path must be the action's path, such as /v1/search")
    file = _waiver_file(path, entry["file"], where)
    expires = _expires(entry, where)
    fields = (entry["action"], entry["method"], entry["path"], _reason(entry["reason"]))
    return Read(file, *fields, expires, line, column)


def _expires(entry: dict[Any, Any], where: str) -> datetime.date | None:
    expires = entry.get("expires")
    is_date = isinstance(expires, datetime.date) and not isinstance(expires, datetime.datetime)
    if expires is not None and not is_date:
        raise HubtoolError(f"{where}: expires must be a date such as 2027-06-30")
    return expires


def _reason(text: str) -> str:
    """A reason as it may be printed (SARIF justification): credential-shaped parts redacted."""
    from hubtool.core.secrets import redact_text

    return redact_text(text)


def _waiver_file(path: Path, file: str, where: str) -> Path:
    """The waived file, relative to the configuration's directory."""
    from hubtool.core.secrets import safe_repr

    try:
        return (path.parent / file).resolve()
    except (OSError, ValueError) as exc:  # a NUL byte, a symlink loop
        raise HubtoolError(f"{where}: file {safe_repr(file)} is not a usable path") from exc
