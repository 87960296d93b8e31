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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hubtool.errors import HubtoolError
from hubtool.findings import ERROR, WARNING, Finding, Report

CONFIG_NAME = ".hubtool.yaml"
UNWAIVABLE = frozenset({"json-syntax", "no-secret-fields", "no-secret-values"})
SEVERITY_CHOICES = (ERROR, WARNING, "off")
_WAIVER_KEYS = {"rule", "file", "pointer", "reason", "expires"}


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
        same_file = Path(finding.file).absolute() == self.file
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
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except OSError as exc:
        raise HubtoolError(f"{path}: cannot read the configuration: {exc}") from exc
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise HubtoolError(f"{path}: invalid YAML: {exc}") from exc
    if data is None:
        return Config(path)
    if not isinstance(data, dict) or set(data) - {"severity", "waivers"}:
        raise HubtoolError(f"{path}: expected a mapping with 'severity' and/or 'waivers'")
    severities = _severities(path, data.get("severity") or {})
    nodes = _waiver_nodes(root)
    waivers = tuple(
        _waiver(path, entry, nodes[i] if i < len(nodes) else None)
        for i, entry in enumerate(_as_list(path, data.get("waivers") or []))
    )
    return Config(path, severities, waivers)


def _as_list(path: Path, value: Any) -> list[Any]:
    if not isinstance(value, list):
        raise HubtoolError(f"{path}: 'waivers' must be a list")
    return value


def _severities(path: Path, value: Any) -> dict[str, str]:
    from hubtool.registry import RULES

    if not isinstance(value, dict):
        raise HubtoolError(f"{path}: 'severity' must map rule ids to error, warning or off")
    for rule, severity in value.items():
        if rule not in RULES:
            raise HubtoolError(f"{path}: severity: unknown rule {rule!r} (see 'hubtool rules')")
        if severity not in SEVERITY_CHOICES:
            raise HubtoolError(f"{path}: severity of {rule}: use error, warning or off")
        if rule in UNWAIVABLE and severity != ERROR:
            raise HubtoolError(f"{path}: severity of {rule} cannot be lowered")
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
    if expires is not None and not isinstance(expires, datetime.date):
        raise HubtoolError(f"{where}: expires must be a date such as 2027-06-30")
    file = (path.parent / entry["file"]).absolute()
    return Waiver(entry["rule"], file, pointer, entry["reason"], expires, line, column)


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
    checked = {Path(name).absolute() for name in report.files}
    kept.extend(_waiver_findings(config, used, today, checked))
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
    findings = []
    name = str(config.path) if config.path else CONFIG_NAME
    for waiver in config.waivers:
        if waiver.rule in UNWAIVABLE:
            rule, message = "waiver-invalid", f"{waiver.rule} cannot be waived: remove the secret"
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
