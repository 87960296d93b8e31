"""``.hubtool.yaml``: rule severities and waivers, read from the catalog repository's root.

```yaml
severity:
  typed-query: error          # error | warning | off
waivers:
  - rule: write-requires-approval
    file: apps/hub/catalog/integrations/hubspot/hubspot-crm-api.json
    pointer: /actionTemplates/0/approvalMode
    reason: POST /crm/v3/objects/contacts/search is a read
    expires: 2027-06-30       # optional
allowlist:                    # values that only look like credentials, by fingerprint
  - fingerprint: sha256:<64 hex digits, from the no-secret-values finding>
    reason: the SHA-256 commit id in the example of Sentry's commit field
    file: apps/hub/catalog/integrations/sentry/sentry-api.json   # optional
```

A bad configuration stops the run (exit 2). Secrets and syntax cannot be waived, downgraded or
turned off: a waiver for them is itself a finding; an allowlist entry hides exactly one value
(the SHA-256 of the whole string), the way detect-secrets' baseline and .gitleaksignore do.
The file is a stranger's input too (a pull request can change it): it is read without blocking
or following into special files, capped in size (``MAX_CONFIG_BYTES``) and in expanded nodes
(``MAX_CONFIG_NODES``, against alias bombs), and every string of it that reaches an output is
redacted.
"""

from __future__ import annotations

import datetime
import functools
import os
import re
import stat
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from hubtool.core.errors import HubtoolError
from hubtool.core.findings import ERROR, WARNING, Finding, Report
from hubtool.load.strict import Document

CONFIG_NAME = ".hubtool.yaml"
UNWAIVABLE = frozenset({"json-syntax", "no-secret-fields", "no-secret-values", "internal-error"})
SEVERITY_CHOICES = (ERROR, WARNING, "off")
MAX_CONFIG_BYTES = 256 * 1024
"""A configuration is a few waivers; PyYAML (pure Python) reads 256 KiB in about a second."""
MAX_CONFIG_NODES = 50_000
"""Nodes after expanding every alias and merge key: a billion-laughs document stops here."""
MAX_CONFIG_MARKS = 20_000
"""Structure characters (``[]{},:?-`` and line breaks) a configuration may hold: each node
needs one, and composing nodes is what costs (``"[]" * 100_000`` in 200 KB takes 10 s in
PyYAML), so this bounds the parse to well under a second before it starts."""
_MARKS = "[]{},:?-\n"
_TOP_KEYS = ("severity", "waivers", "allowlist")
_WAIVER_KEYS = {"rule", "file", "pointer", "reason", "expires"}
_ALLOW_KEYS = {"fingerprint", "reason", "file", "expires"}
_FINGERPRINT = re.compile(r"sha256:[0-9a-f]{64}")
_BOOL = "tag:yaml.org,2002:bool"
_LINE_BREAKS = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
"""Line breaks as PyYAML counts them, so positions agree with its marks."""


@dataclass(frozen=True)
class Waiver:
    rule: str
    file: Path
    pointer: str
    reason: str
    expires: datetime.date | None
    line: int
    column: int

    def covers(self, finding: Finding) -> bool:
        same_file = Path(finding.file).resolve() == self.file
        inside = finding.pointer == self.pointer or finding.pointer.startswith(self.pointer + "/")
        return finding.rule == self.rule and same_file and inside

    def key(self) -> tuple[object, ...]:
        """What the waiver says, without where it is written."""
        return (self.rule, self.file, self.pointer, self.reason, self.expires)


@dataclass(frozen=True)
class Allowed:
    """An allowlist entry: the value with this fingerprint is not a credential (``reason``)."""

    fingerprint: str
    reason: str
    file: Path | None
    expires: datetime.date | None
    line: int
    column: int

    def covers(self, finding: Finding) -> bool:
        same_file = self.file is None or Path(finding.file).resolve() == self.file
        return finding.fingerprint == self.fingerprint and same_file

    def key(self) -> tuple[object, ...]:
        return (self.fingerprint, self.file, self.reason, self.expires)


@dataclass(frozen=True)
class Config:
    path: Path | None = None
    severities: dict[str, str] = field(default_factory=dict)
    waivers: tuple[Waiver, ...] = ()
    allowlist: tuple[Allowed, ...] = ()
    document: Document | None = field(default=None, compare=False, repr=False)
    """The parsed file with positions, for the credential scan (``scan_config``)."""


def find_config(start: Path) -> Path | None:
    """The .hubtool.yaml of the repository that holds ``start`` (beside apps/hub/catalog)."""
    here = start.absolute()
    for directory in (here if here.is_dir() else here.parent, *here.parents):
        candidate = directory / CONFIG_NAME
        if os.path.lexists(candidate):  # a FIFO or directory too: load_config refuses it
            return candidate
        if (directory / "apps/hub/catalog").is_dir() or (directory / ".git").exists():
            return None
    return None


def load_config(path: Path | None, name: str | None = None) -> Config:
    """Parse and check a configuration file; None gives the defaults.

    ``name`` is how the file is shown (default: the path). Raises HubtoolError (exit 2).
    """
    if path is None:
        return Config()
    return parse_config(read_config(path), path, name)


def read_config(path: Path) -> bytes:
    """The bytes of a configuration file: a regular file, never a FIFO or device (no blocking)."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise HubtoolError(f"{path}: cannot read the configuration: {exc.strerror or exc}") from exc
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise HubtoolError(f"{path}: the configuration is not a regular file")
        with os.fdopen(os.dup(fd), "rb") as handle:
            raw = handle.read(MAX_CONFIG_BYTES + 1)
    except OSError as exc:
        raise HubtoolError(f"{path}: cannot read the configuration: {exc.strerror or exc}") from exc
    finally:
        os.close(fd)
    return raw


def parse_config(raw: bytes, path: Path, name: str | None = None) -> Config:
    """Check configuration bytes as the file at ``path`` (waiver files are relative to it)."""
    doc, root = config_document(raw, name or str(path))
    where = doc.path
    data = doc.data
    if data is None:
        return Config(path, document=doc)
    if not isinstance(data, dict):
        raise HubtoolError(
            f"{where}:{_line(root)}: expected a mapping of 'severity', 'waivers' and 'allowlist'"
        )
    unknown = sorted(str(key) for key in data if key not in _TOP_KEYS)
    if unknown:
        raise HubtoolError(
            f"{where}:{_line(root, unknown[0])}: unknown key {unknown[0]!r}; "
            "use 'severity', 'waivers' and 'allowlist'"
        )
    severities = _severities(where, data.get("severity") or {}, root)
    nodes = _entry_nodes(root, "waivers")
    waivers = tuple(
        _waiver(path, where, entry, nodes[i] if i < len(nodes) else None)
        for i, entry in enumerate(_as_list(where, "waivers", data.get("waivers") or [], root))
    )
    nodes = _entry_nodes(root, "allowlist")
    allowlist = tuple(
        _allowed(path, where, entry, nodes[i] if i < len(nodes) else None)
        for i, entry in enumerate(_as_list(where, "allowlist", data.get("allowlist") or [], root))
    )
    return Config(path, severities, waivers, allowlist, doc)


def config_document(raw: bytes, name: str) -> tuple[Document, Any]:
    """The YAML as a Document (data, and offsets of every value and key) and its root node.

    Raises HubtoolError for anything that is not one small, safe YAML document.
    """
    import yaml

    if len(raw) > MAX_CONFIG_BYTES:
        raise HubtoolError(
            f"{name}: the configuration is larger than {MAX_CONFIG_BYTES} bytes; "
            "a configuration holds a few severities and waivers"
        )
    try:
        text = raw.decode("utf-8")
        _check_marks(text, name)
        loader = _loader()(text)
        try:
            root = loader.get_single_node()
            _check_size(root, name)
            data = None if root is None else loader.construct_document(root)
        finally:
            loader.dispose()
    except UnicodeDecodeError as exc:
        raise HubtoolError(f"{name}: invalid YAML: not UTF-8 ({exc.reason})") from exc
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{name}:{mark.line + 1}" if mark else name
        context = f" ({exc.context})" if exc.context else ""
        problem = exc.problem or ""
        if "nesting depth" in problem:  # libyaml's own limit
            problem, context = "nested too deeply to read", ""
        raise HubtoolError(f"{where}: invalid YAML: {problem}{context}") from exc
    except yaml.YAMLError as exc:
        raise HubtoolError(f"{name}: invalid YAML: {exc}") from exc
    except RecursionError as exc:
        raise HubtoolError(f"{name}: invalid YAML: nested too deeply to read") from exc
    values: dict[str, int] = {}
    keys: dict[str, int] = {}
    starts = [0, *(m.end() for m in _LINE_BREAKS.finditer(text))]
    if root is not None:
        _index_nodes(root, "", values, keys, starts)
    return Document(name, data, text, values, keys, starts), root


def _check_marks(text: str, name: str) -> None:
    """Refuse token-dense text before parsing (linear: one count per character kind)."""
    marks = sum(text.count(char) for char in _MARKS)
    if marks > MAX_CONFIG_MARKS:
        raise HubtoolError(
            f"{name}: invalid YAML: more than {MAX_CONFIG_MARKS} structure characters "
            "([]{},:?- and line breaks); a configuration holds a few severities and waivers"
        )


def _check_size(root: Any, name: str) -> None:
    """Refuse alias bombs and recursive aliases: count nodes as if every alias were expanded.

    Linear in the composed graph (each node's expanded size is computed once).
    """
    sizes: dict[int, int] = {}
    active: set[int] = set()
    stack: list[tuple[Any, bool]] = [(root, False)] if root is not None else []
    while stack:
        node, done = stack.pop()
        ident = id(node)
        children = _children(node)
        if done:
            active.discard(ident)
            sizes[ident] = 1 + sum(sizes[id(child)] for child in children)
            if sizes[ident] > MAX_CONFIG_NODES:
                raise HubtoolError(
                    f"{name}:{node.start_mark.line + 1}: invalid YAML: the document would "
                    f"expand to more than {MAX_CONFIG_NODES} nodes (aliases and merge keys "
                    "included)"
                )
            continue
        if ident in sizes:
            continue
        if ident in active:
            raise HubtoolError(f"{name}:{node.start_mark.line + 1}: invalid YAML: recursive alias")
        active.add(ident)
        stack.append((node, True))
        stack.extend((child, False) for child in children if id(child) not in sizes)


def _children(node: Any) -> list[Any]:
    import yaml

    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _index_nodes(
    root: Any, pointer: str, values: dict[str, int], keys: dict[str, int], starts: list[int]
) -> None:
    """Offsets of each node by JSON pointer (an aliased node: where its anchor is written).

    Offsets come from the marks' line and column (characters), which PyYAML and libyaml agree
    on (libyaml's own index counts bytes in some versions).
    """

    def offset(mark: Any) -> int:
        return starts[min(mark.line, len(starts) - 1)] + mark.column

    import yaml

    from hubtool.load.strict import escape

    seen: set[int] = set()
    stack = [(root, pointer)]
    while stack:
        node, at = stack.pop()
        values.setdefault(at, offset(node.start_mark))
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode):
                    child = f"{at}/{escape(key.value)}"
                    keys.setdefault(child, offset(key.start_mark))
                    stack.append((value, child))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((item, f"{at}/{index}") for index, item in enumerate(node.value))


@functools.cache
def _loader() -> type:
    """PyYAML's safe loader, with a position for bad dates and duplicate keys."""
    import yaml
    from yaml.constructor import ConstructorError

    # libyaml's parser when PyYAML has it (several times faster), else the pure-Python one
    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class Loader(base):  # type: ignore[misc, valid-type]
        def construct_mapping(self, node: Any, deep: bool = False) -> Any:
            seen: set[Any] = set()
            for key, _ in node.value:
                if isinstance(key, yaml.ScalarNode) and key.value != "<<":
                    if key.value in seen:
                        raise ConstructorError(
                            None, None, f"duplicate key {key.value!r}", key.start_mark
                        )
                    seen.add(key.value)
            return super().construct_mapping(node, deep=deep)

        def construct_yaml_int(self, node: Any) -> Any:
            try:
                return super().construct_yaml_int(node)
            except ValueError:  # more digits than Python's int-string limit
                limit = sys.get_int_max_str_digits()
                problem = (
                    f"a {len(node.value)}-character integer is too long to read: integers "
                    f"longer than {limit} digits are not allowed here; write a shorter value"
                )
                raise ConstructorError(None, None, problem, node.start_mark) from None

        def construct_yaml_timestamp(self, node: Any) -> Any:
            try:
                return super().construct_yaml_timestamp(node)
            except ValueError as exc:
                problem = f"{node.value!r} is not a date ({exc})"
                raise ConstructorError(None, None, problem, node.start_mark) from None

    Loader.add_constructor("tag:yaml.org,2002:timestamp", Loader.construct_yaml_timestamp)
    Loader.add_constructor("tag:yaml.org,2002:int", Loader.construct_yaml_int)
    # YAML 1.2 booleans: only true/false, so `typed-query: off` is the string "off", not False.
    Loader.yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != _BOOL]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    Loader.add_implicit_resolver(
        _BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), "tTfF"
    )
    return Loader


def _line(root: Any, *keys: str) -> int:
    """The line of the last of ``keys`` (a path of mapping keys) in the YAML, or the closest."""
    import yaml

    node, line = root, root.start_mark.line + 1
    for wanted in keys:
        pairs = node.value if isinstance(node, yaml.MappingNode) else []
        found = [(k, v) for k, v in pairs if getattr(k, "value", None) == str(wanted)]
        if not found:
            break
        key, node = found[0]
        line = key.start_mark.line + 1
    return line


def _as_list(where: str, key: str, value: Any, root: Any) -> list[Any]:
    if not isinstance(value, list):
        raise HubtoolError(f"{where}:{_line(root, key)}: {key!r} must be a list")
    return value


def _severities(where: str, value: Any, root: Any) -> dict[str, str]:
    from hubtool.core.secrets import safe_repr
    from hubtool.registry import RULES

    if not isinstance(value, dict):
        raise HubtoolError(
            f"{where}:{_line(root, 'severity')}: 'severity' must map rule ids to error, "
            "warning or off"
        )
    for rule, severity in value.items():
        at = f"{where}:{_line(root, 'severity', rule)}"
        if not isinstance(rule, str) or rule not in RULES:
            raise HubtoolError(
                f"{at}: severity: unknown rule {safe_repr(rule)} (see 'hubtool rules')"
            )
        if not isinstance(severity, str) or severity not in SEVERITY_CHOICES:
            raise HubtoolError(f"{at}: severity of {rule}: use error, warning or off")
        if rule in UNWAIVABLE and severity != ERROR:
            raise HubtoolError(
                f"{at}: severity of {rule} cannot be lowered: secrets, syntax and "
                "crashed checks are always errors"
            )
    return dict(value)


def _entry_nodes(root: Any, name: str) -> list[Any]:
    """The YAML nodes of the entries of list ``name``, for their line numbers."""
    for key, value in getattr(root, "value", []) if root is not None else []:
        if getattr(key, "value", None) == name and isinstance(value.value, list):
            return value.value
    return []


def _position(node: Any) -> tuple[int, int]:
    return (node.start_mark.line + 1, node.start_mark.column + 1) if node is not None else (1, 1)


def _waiver(path: Path, name: str, entry: Any, node: Any) -> Waiver:
    from hubtool.core.secrets import safe_repr
    from hubtool.registry import RULES

    line, column = _position(node)
    where = f"{name}:{line}"
    if not isinstance(entry, dict) or set(entry) - _WAIVER_KEYS:
        raise HubtoolError(f"{where}: a waiver has the keys {', '.join(sorted(_WAIVER_KEYS))}")
    for key in ("rule", "file", "pointer", "reason"):
        if not isinstance(entry.get(key), str) or not entry[key].strip():
            raise HubtoolError(f"{where}: the waiver needs a non-empty {key!r}")
    if entry["rule"] not in RULES:
        raise HubtoolError(
            f"{where}: unknown rule {safe_repr(entry['rule'])} (see 'hubtool rules')"
        )
    pointer = entry["pointer"]
    if pointer and not pointer.startswith("/"):
        raise HubtoolError(f"{where}: pointer must be a JSON pointer such as /actionTemplates/0")
    expires = _expires(entry, where)
    file = _waiver_file(path, entry["file"], where)
    reason = _reason(entry["reason"])
    return Waiver(entry["rule"], file, pointer, reason, expires, line, column)


def _allowed(path: Path, name: str, entry: Any, node: Any) -> Allowed:
    line, column = _position(node)
    where = f"{name}:{line}"
    if not isinstance(entry, dict) or set(entry) - _ALLOW_KEYS:
        keys = ", ".join(sorted(_ALLOW_KEYS))
        raise HubtoolError(f"{where}: an allowlist entry has the keys {keys}")
    for key in ("fingerprint", "reason"):
        if not isinstance(entry.get(key), str) or not entry[key].strip():
            raise HubtoolError(f"{where}: the allowlist entry needs a non-empty {key!r}")
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


def scan_config(config: Config) -> list[Finding]:
    """``no-secret-values`` over every string of the configuration, at its line and column.

    Keys of any YAML type are scanned as text; a document nested too deeply for that is
    scanned line by line instead.
    """
    from hubtool.validate.rules.secrets import check_values

    doc = config.document
    if doc is None:
        return []
    try:
        view = Document(doc.path, _text_keys(doc.data), doc.text, doc.values, doc.keys)
        view._line_starts = doc._line_starts
        found = list(check_values(view))
    except RecursionError:
        return scan_lines(doc.text, doc.path)
    return found + _scan_outside_scalars(doc)


def _scan_outside_scalars(doc: Document) -> list[Finding]:
    """``no-secret-values`` over the text that is no key or value: comments, tags, anchors,
    directives. Each piece of a line outside a scalar is scanned at its own line and column;
    the finding has the empty pointer (the text is in no value). Linear: one token pass.
    """
    from hubtool.validate.rules.secrets import check_values

    text, starts = doc.text, doc._line_starts
    pieces: list[str] = []
    values: dict[str, int] = {}
    for begin, end in _outside_scalars(text, starts):
        for match in _PIECES.finditer(text, begin, end):
            values[f"/{len(pieces)}"] = match.start()
            pieces.append(match.group())
    if not pieces:
        return []
    view = Document(doc.path, pieces, text, values, {})
    view._line_starts = starts
    return [_at_the_secret(view, f) for f in check_values(view)]


def _at_the_secret(view: Document, finding: Finding) -> Finding:
    """A finding on a piece of text, moved to where its credential starts in the piece."""
    from hubtool.core.secrets import find_secret

    match = find_secret(view.data[int(finding.pointer[1:])])
    line, column = view.line_col(view.values[finding.pointer] + (match.start if match else 0))
    message = finding.message.replace("a value", _OUTSIDE, 1)
    return replace(finding, pointer="", line=line, column=column, message=message)


_OUTSIDE = "text outside the keys and values (a comment, tag or anchor)"


_PIECES = re.compile(r"\S(?:[^\r\n\x85\u2028\u2029]*\S)?")
"""A piece of one line, from its first to its last non-blank character."""


def _outside_scalars(text: str, starts: list[int]) -> list[tuple[int, int]]:
    """(start, end) offsets of the text between scalar tokens, from PyYAML's scanner.

    A scanner error (the text loaded already, so none is expected) leaves the rest of the
    text as one span: it is scanned rather than skipped.
    """
    import yaml

    def offset(mark: Any) -> int:
        return starts[min(mark.line, len(starts) - 1)] + mark.column

    spans: list[tuple[int, int]] = []
    done = 0
    loader = _loader()(text)
    try:
        while (token := loader.get_token()) is not None:
            if isinstance(token, yaml.ScalarToken):
                begin = offset(token.start_mark)
                if begin > done:
                    spans.append((done, begin))
                done = max(done, offset(token.end_mark))
    except yaml.YAMLError:
        pass
    finally:
        loader.dispose()
    if done < len(text):
        spans.append((done, len(text)))
    return spans


def _text_keys(value: Any) -> Any:
    """``value`` with every mapping key as a string (YAML keys may be numbers, dates, null)."""
    if isinstance(value, dict):
        return {str(key): _text_keys(child) for key, child in value.items()}
    if isinstance(value, list):
        return [_text_keys(child) for child in value]
    return value


def scan_lines(text: str, name: str) -> list[Finding]:
    """``no-secret-values`` over text that is not usable YAML: each line as it is written."""
    from hubtool.validate.rules.secrets import check_values

    lines = text.splitlines()
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)
    values = {f"/{index}": starts[index] for index in range(len(lines))}
    return list(check_values(Document(name, lines, text, values, {}, starts)))


def apply_config(report: Report, config: Config, today: datetime.date | None = None) -> Report:
    """Apply severities, waivers and the allowlist; stale entries become findings."""
    today = today or datetime.date.today()
    kept: list[Finding] = []
    used: set[Waiver | Allowed] = set()
    for finding in report.findings:
        severity = config.severities.get(finding.rule, finding.severity)
        if severity == "off":
            continue
        entry = _matching(config, finding, today)
        if entry is not None:
            used.add(entry)
            report.waived.append((finding, entry.reason))
            continue
        kept.append(_with_severity(finding, severity))
    checked = {Path(name).resolve() for name in report.files}
    for finding in _waiver_findings(config, used, today, checked):
        severity = config.severities.get(finding.rule, finding.severity)
        if severity != "off":
            kept.append(_with_severity(finding, severity))
    report.findings = sorted(kept, key=Finding.sort_key)
    return report


def _matching(config: Config, finding: Finding, today: datetime.date) -> Waiver | Allowed | None:
    for waiver in config.waivers:
        live = waiver.expires is None or waiver.expires >= today
        if live and waiver.rule not in UNWAIVABLE and waiver.covers(finding):
            return waiver
    if finding.rule != "no-secret-values" or not finding.fingerprint:
        return None
    for allowed in config.allowlist:
        live = allowed.expires is None or allowed.expires >= today
        if live and allowed.covers(finding):
            return allowed
    return None


def _with_severity(finding: Finding, severity: str) -> Finding:
    if severity == finding.severity:
        return finding
    from dataclasses import replace

    return replace(finding, severity=severity)


def _waiver_findings(
    config: Config, used: set[Waiver | Allowed], today: datetime.date, checked: set[Path]
) -> list[Finding]:
    """Findings about the waivers; a waiver of a file not checked in this run is not unused."""
    from hubtool.validate.pipeline import display

    findings = []
    name = display(config.path) if config.path else CONFIG_NAME
    for waiver in config.waivers:
        if waiver.rule in UNWAIVABLE:
            fix = "report the crash" if waiver.rule == "internal-error" else "remove the secret"
            rule, message = "waiver-invalid", f"{waiver.rule} cannot be waived: {fix}"
        elif waiver.expires is not None and waiver.expires < today:
            rule, message = (
                "waiver-expired",
                (
                    f"the waiver of {waiver.rule} expired on {waiver.expires}: fix the finding "
                    "or renew the waiver with a new review"
                ),
            )
        elif waiver not in used and waiver.file in checked:
            rule, message = (
                "waiver-unused",
                (f"the waiver of {waiver.rule} at {waiver.pointer} matches no finding: remove it"),
            )
        else:
            continue
        findings.append(_config_finding(rule, name, waiver, message))
    for allowed in config.allowlist:
        if allowed.expires is not None and allowed.expires < today:
            rule, message = (
                "waiver-expired",
                f"the allowlist entry {allowed.fingerprint} expired on {allowed.expires}: "
                "remove the value or renew the entry with a new review",
            )
        elif allowed not in used and allowed.file is not None and allowed.file in checked:
            rule = "waiver-unused"
            message = f"the allowlist entry {allowed.fingerprint} matches no value: remove it"
        else:
            continue
        findings.append(_config_finding(rule, name, allowed, message))
    return findings


def _config_finding(rule: str, file: str, entry: Waiver | Allowed, message: str) -> Finding:
    from hubtool.registry import RULES

    return Finding(rule, RULES[rule].severity, file, "", entry.line, entry.column, message)
