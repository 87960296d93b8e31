"""Waivers and the allowlist: which findings an entry of ``.hubtool.yaml`` hides, and findings
about the entries themselves.

Defines the rules ``waiver-expired`` (``WAIVER_EXPIRED``), ``waiver-unused``
(``WAIVER_UNUSED``) and ``waiver-invalid`` (``WAIVER_INVALID``). Secrets, syntax and crashed
checks (``UNWAIVABLE``) cannot be waived: a waiver for them hides nothing and is a finding. An
allowlist entry hides exactly one value (the SHA-256 of the whole string), the way
detect-secrets' baseline and .gitleaksignore do.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

from hubtool.core.findings import ERROR, WARNING, Finding
from hubtool.core.registry import FAKE_SENTRY_TOKEN, WRITE_WITHOUT_APPROVAL, Example, Rule

UNWAIVABLE = frozenset({"json-syntax", "no-secret-fields", "no-secret-values", "internal-error"})
"""Rules no waiver hides and no severity lowers."""


def _waiver(extra: str = "") -> str:
    return (
        "waivers:\n"
        "  - rule: write-requires-approval\n"
        "    file: manifest.json\n"
        "    pointer: /actionTemplates/1/approvalMode\n"
        "    reason: reviewed; the provider's PATCH here only records a view\n" + extra
    )


WAIVER_EXPIRED = Rule(
    id="waiver-expired",
    severity=ERROR,
    family="config",
    title="Waivers have not expired",
    description="A waiver (or a declared read) in `.hubtool.yaml` past its `expires` date no "
    "longer hides its finding, and is itself a finding, so the exception gets a new review.",
    fix="Fix the finding, or renew the waiver after a new review.",
    failing=Example(patch=WRITE_WITHOUT_APPROVAL, config=_waiver("    expires: 2000-01-01\n")),
    passing=Example(patch=WRITE_WITHOUT_APPROVAL, config=_waiver("    expires: 2999-12-31\n")),
)
WAIVER_UNUSED = Rule(
    id="waiver-unused",
    severity=WARNING,
    family="config",
    title="Every waiver matches a finding",
    description="A waiver that matches no finding (rule, file and JSON pointer), or a declared "
    "read that matches no action needing approval (file, slug, method and path), is stale.",
    fix="Remove the waiver (or the declared read), or correct it to what it meant to cover.",
    failing=Example(config=_waiver()),
    passing=Example(patch=WRITE_WITHOUT_APPROVAL, config=_waiver()),
)
WAIVER_INVALID = Rule(
    id="waiver-invalid",
    severity=ERROR,
    family="config",
    title="No waiver hides a secret",
    description="`json-syntax`, `no-secret-fields` and `no-secret-values` cannot be waived, "
    "downgraded or turned off; a waiver for them is an error and hides nothing.",
    fix="Remove the secret and the waiver.",
    failing=Example(
        patch={"/compatibility/notes": f"Use Bearer {FAKE_SENTRY_TOKEN}"},
        config="waivers:\n  - rule: no-secret-values\n    file: manifest.json\n"
        "    pointer: /compatibility/notes\n    reason: it is only an example\n",
    ),
    passing=Example(patch=WRITE_WITHOUT_APPROVAL, config=_waiver()),
)


class Waiver(NamedTuple):
    """A waiver: findings of ``rule`` in ``file`` at or under ``pointer`` are hidden.

    A named tuple, as ``Allowed`` and ``reads.Read`` are: immutable, compared and hashed by
    value like a frozen dataclass, at a tenth of its cost to define at start-up (the hook
    reads a configuration on every commit)."""

    rule: str
    file: Path
    pointer: str
    reason: str
    expires: datetime.date | None
    line: int
    column: int
    family: str = ""
    """The waived rule's family: ``upstream`` waivers belong to ``check-upstream``, the others
    to ``validate`` and ``ci`` (a run neither uses nor reports the other command's waivers)."""

    def covers(self, finding: Finding) -> bool:
        same_file = Path(finding.file).resolve() == self.file
        inside = finding.pointer == self.pointer or finding.pointer.startswith(self.pointer + "/")
        return finding.rule == self.rule and same_file and inside

    def key(self) -> tuple[object, ...]:
        """What the waiver says, without where it is written."""
        return (self.rule, self.file, self.pointer, self.reason, self.expires)


class Allowed(NamedTuple):
    """An allowlist entry: the value with this fingerprint is not a credential (``reason``)."""

    fingerprint: str
    reason: str
    file: Path | None
    expires: datetime.date | None
    line: int
    column: int
    family: str = ""
    """The waived rule's family: ``upstream`` waivers belong to ``check-upstream``, the others
    to ``validate`` and ``ci`` (a run neither uses nor reports the other command's waivers)."""

    def covers(self, finding: Finding) -> bool:
        same_file = self.file is None or Path(finding.file).resolve() == self.file
        return finding.fingerprint == self.fingerprint and same_file

    def key(self) -> tuple[object, ...]:
        return (self.fingerprint, self.file, self.reason, self.expires)


def matching(
    waivers: Iterable[Waiver],
    allowlist: Iterable[Allowed],
    finding: Finding,
    today: datetime.date,
) -> Waiver | Allowed | None:
    """The live entry that hides ``finding``, or None (an unwaivable rule: always None)."""
    for waiver in waivers:
        live = waiver.expires is None or waiver.expires >= today
        if live and waiver.rule not in UNWAIVABLE and waiver.covers(finding):
            return waiver
    if finding.rule != "no-secret-values" or not finding.fingerprint:
        return None
    for allowed in allowlist:
        live = allowed.expires is None or allowed.expires >= today
        if live and allowed.covers(finding):
            return allowed
    return None


def entry_findings(
    name: str,
    waivers: Iterable[Waiver],
    allowlist: Iterable[Allowed],
    used: set[Waiver | Allowed],
    today: datetime.date,
    checked: set[Path],
) -> list[Finding]:
    """Findings about the entries of the configuration shown as ``name``: invalid, expired
    or unused (``used``: the entries that hid a finding); an entry for a file not checked in
    this run (not in ``checked``, resolved paths) is not unused."""
    findings = []
    for waiver in waivers:
        if waiver.rule in UNWAIVABLE:
            fix = "report the crash" if waiver.rule == "internal-error" else "remove the secret"
            rule, message = WAIVER_INVALID, f"{waiver.rule} cannot be waived: {fix}"
        elif waiver.expires is not None and waiver.expires < today:
            rule, message = (
                WAIVER_EXPIRED,
                (
                    f"the waiver of {waiver.rule} expired on {waiver.expires}: fix the finding "
                    "or renew the waiver with a new review"
                ),
            )
        elif waiver not in used and waiver.file in checked:
            rule, message = (
                WAIVER_UNUSED,
                (f"the waiver of {waiver.rule} at {waiver.pointer} matches no finding: remove it"),
            )
        else:
            continue
        findings.append(_entry_finding(rule, name, waiver, message))
    for allowed in allowlist:
        if allowed.expires is not None and allowed.expires < today:
            rule, message = (
                WAIVER_EXPIRED,
                f"the allowlist entry {allowed.fingerprint} expired on {allowed.expires}: "
                "remove the value or renew the entry with a new review",
            )
        elif allowed not in used and allowed.file is not None and allowed.file in checked:
            rule = WAIVER_UNUSED
            message = f"the allowlist entry {allowed.fingerprint} matches no value: remove it"
        else:
            continue
        findings.append(_entry_finding(rule, name, allowed, message))
    return findings


def _entry_finding(rule: Rule, file: str, entry: Waiver | Allowed, message: str) -> Finding:
    return Finding(rule.id, rule.severity, file, "", entry.line, entry.column, message)
