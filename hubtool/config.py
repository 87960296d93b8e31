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
```

A bad configuration stops the run (exit 2). Secrets and syntax cannot be waived, downgraded or
turned off: a waiver for them is itself a finding.
"""

from __future__ import annotations

import datetime
import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hubtool.errors import HubtoolError
from hubtool.findings import ERROR, WARNING, Finding, Report

CONFIG_NAME = ".hubtool.yaml"
UNWAIVABLE = frozenset({"json-syntax", "no-secret-fields", "no-secret-values", "internal-error"})
SEVERITY_CHOICES = (ERROR, WARNING, "off")
_WAIVER_KEYS = {"rule", "file", "pointer", "reason", "expires"}
_BOOL = "tag:yaml.org,2002:bool"


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


@dataclass(frozen=True)
class Config:
    path: Path | None = None
    severities: dict[str, str] = field(default_factory=dict)
    waivers: tuple[Waiver, ...] = ()


def find_config(start: Path) -> Path | None:
    """The .hubtool.yaml of the repository that holds ``start`` (beside apps/hub/catalog)."""
    here = start.absolute()
    for directory in (here if here.is_dir() else here.parent, *here.parents):
        candidate = directory / CONFIG_NAME
        if candidate.is_file():
            return candidate
        if (directory / "apps/hub/catalog").is_dir() or (directory / ".git").exists():
            return None
    return None


def load_config(path: Path | None) -> Config:
    """Parse and check a configuration file; None gives the defaults."""
    if path is None:
        return Config()
    import yaml

    try:
        text = path.read_text(encoding="utf-8")
        loader = _loader()(text)
        try:
            root = loader.get_single_node()
            data = None if root is None else loader.construct_document(root)
        finally:
            loader.dispose()
    except OSError as exc:
        raise HubtoolError(f"{path}: cannot read the configuration: {exc}") from exc
    except UnicodeDecodeError as exc:
        raise HubtoolError(f"{path}: invalid YAML: not UTF-8 ({exc.reason})") from exc
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        context = f" ({exc.context})" if exc.context else ""
        raise HubtoolError(f"{where}: invalid YAML: {exc.problem}{context}") from exc
    except yaml.YAMLError as exc:
        raise HubtoolError(f"{path}: invalid YAML: {exc}") from exc
    except RecursionError as exc:
        raise HubtoolError(f"{path}: invalid YAML: nested too deeply to read") from exc
    if data is None:
        return Config(path)
    if not isinstance(data, dict):
        raise HubtoolError(f"{path}:{_line(root)}: expected a mapping of 'severity' and 'waivers'")
    unknown = sorted(str(key) for key in set(data) - {"severity", "waivers"})
    if unknown:
        raise HubtoolError(
            f"{path}:{_line(root, unknown[0])}: unknown key {unknown[0]!r}; "
            "use 'severity' and 'waivers'"
        )
    severities = _severities(path, data.get("severity") or {}, root)
    nodes = _waiver_nodes(root)
    waivers = tuple(
        _waiver(path, entry, nodes[i] if i < len(nodes) else None)
        for i, entry in enumerate(_as_list(path, data.get("waivers") or [], root))
    )
    return Config(path, severities, waivers)


@functools.cache
def _loader() -> type:
    """PyYAML's safe loader, with a position for bad dates and duplicate keys."""
    import yaml
    from yaml.constructor import ConstructorError

    class Loader(yaml.SafeLoader):
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

        def construct_yaml_timestamp(self, node: Any) -> Any:
            try:
                return super().construct_yaml_timestamp(node)
            except ValueError as exc:
                problem = f"{node.value!r} is not a date ({exc})"
                raise ConstructorError(None, None, problem, node.start_mark) from None

    Loader.add_constructor("tag:yaml.org,2002:timestamp", Loader.construct_yaml_timestamp)
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


def _as_list(path: Path, value: Any, root: Any) -> list[Any]:
    if not isinstance(value, list):
        raise HubtoolError(f"{path}:{_line(root, 'waivers')}: 'waivers' must be a list")
    return value


def _severities(path: Path, value: Any, root: Any) -> dict[str, str]:
    from hubtool.registry import RULES

    if not isinstance(value, dict):
        raise HubtoolError(
            f"{path}:{_line(root, 'severity')}: 'severity' must map rule ids to error, "
            "warning or off"
        )
    for rule, severity in value.items():
        where = f"{path}:{_line(root, 'severity', rule)}"
        if rule not in RULES:
            raise HubtoolError(f"{where}: severity: unknown rule {rule!r} (see 'hubtool rules')")
        if severity not in SEVERITY_CHOICES:
            raise HubtoolError(f"{where}: severity of {rule}: use error, warning or off")
        if rule in UNWAIVABLE and severity != ERROR:
            raise HubtoolError(
                f"{where}: severity of {rule} cannot be lowered: secrets, syntax and "
                "crashed checks are always errors"
            )
    return dict(value)


def _waiver_nodes(root: Any) -> list[Any]:
    """The YAML nodes of the waiver entries, for their line numbers."""
    for key, value in getattr(root, "value", []) if root is not None else []:
        if getattr(key, "value", None) == "waivers" and isinstance(value.value, list):
            return value.value
    return []


def _waiver(path: Path, entry: Any, node: Any) -> Waiver:
    from hubtool.registry import RULES

    line = node.start_mark.line + 1 if node is not None else 1
    column = node.start_mark.column + 1 if node is not None else 1
    where = f"{path}:{line}"
    if not isinstance(entry, dict) or set(entry) - _WAIVER_KEYS:
        raise HubtoolError(f"{where}: a waiver has the keys {', '.join(sorted(_WAIVER_KEYS))}")
    for key in ("rule", "file", "pointer", "reason"):
        if not isinstance(entry.get(key), str) or not entry[key].strip():
            raise HubtoolError(f"{where}: the waiver needs a non-empty {key!r}")
    if entry["rule"] not in RULES:
        raise HubtoolError(f"{where}: unknown rule {entry['rule']!r} (see 'hubtool rules')")
    pointer = entry["pointer"]
    if pointer and not pointer.startswith("/"):
        raise HubtoolError(f"{where}: pointer must be a JSON pointer such as /actionTemplates/0")
    expires = entry.get("expires")
    is_date = isinstance(expires, datetime.date) and not isinstance(expires, datetime.datetime)
    if expires is not None and not is_date:
        raise HubtoolError(f"{where}: expires must be a date such as 2027-06-30")
    file = _waiver_file(path, entry["file"], where)
    return Waiver(entry["rule"], file, pointer, entry["reason"], expires, line, column)


def _waiver_file(path: Path, file: str, where: str) -> Path:
    """The waived file, relative to the configuration's directory."""
    try:
        return (path.parent / file).resolve()
    except (OSError, ValueError) as exc:  # a NUL byte, a symlink loop
        raise HubtoolError(f"{where}: file {file!r} is not a usable path ({exc})") from exc


def apply_config(report: Report, config: Config, today: datetime.date | None = None) -> Report:
    """Apply severities and waivers; expired, unused and secret waivers become findings."""
    today = today or datetime.date.today()
    kept: list[Finding] = []
    used: set[Waiver] = set()
    for finding in report.findings:
        severity = config.severities.get(finding.rule, finding.severity)
        if severity == "off":
            continue
        waiver = _matching(config, finding, today)
        if waiver is not None:
            used.add(waiver)
            report.waived.append((finding, waiver.reason))
            continue
        kept.append(_with_severity(finding, severity))
    checked = {Path(name).resolve() for name in report.files}
    for finding in _waiver_findings(config, used, today, checked):
        severity = config.severities.get(finding.rule, finding.severity)
        if severity != "off":
            kept.append(_with_severity(finding, severity))
    report.findings = sorted(kept, key=Finding.sort_key)
    return report


def _matching(config: Config, finding: Finding, today: datetime.date) -> Waiver | None:
    for waiver in config.waivers:
        live = waiver.expires is None or waiver.expires >= today
        if live and waiver.rule not in UNWAIVABLE and waiver.covers(finding):
            return waiver
    return None


def _with_severity(finding: Finding, severity: str) -> Finding:
    if severity == finding.severity:
        return finding
    from dataclasses import replace

    return replace(finding, severity=severity)


def _waiver_findings(
    config: Config, used: set[Waiver], today: datetime.date, checked: set[Path]
) -> list[Finding]:
    """Findings about the waivers; a waiver of a file not checked in this run is not unused."""
    from hubtool.checker import display

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
    return findings


def _config_finding(rule: str, file: str, waiver: Waiver, message: str) -> Finding:
    from hubtool.registry import RULES

    return Finding(rule, RULES[rule].severity, file, "", waiver.line, waiver.column, message)
