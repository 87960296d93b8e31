"""The finding model shared by every check and reporter."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

ERROR = "error"
WARNING = "warning"
NOTE = "note"
SEVERITIES = (ERROR, WARNING, NOTE)
"""Errors fail a run, warnings fail it with --strict, notes (e.g. classified changes) never do."""


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem at one place in one file.

    A finding never carries a credential: whoever builds it, its file name, pointer and message
    are redacted here (``hubtool.core.secrets``). Reporters still escape each for
    their medium (``hubtool.core.escape``).
    """

    rule: str
    severity: str
    file: str
    pointer: str
    line: int
    column: int
    message: str
    fingerprint: str = ""
    """``sha256:<hex>`` of the flagged value (no-secret-values): what an allowlist entry names."""
    subject: str = field(default="", compare=False, repr=False)
    """What a configuration entry names instead of a place: for write-requires-approval, the
    action's slug, method and path (what a ``reads`` declaration matches). Never reported."""

    def __post_init__(self) -> None:
        from hubtool.core.escape import redacted
        from hubtool.core.secrets import redact_text, safe_pointer

        object.__setattr__(self, "file", redacted(self.file))
        object.__setattr__(self, "pointer", safe_pointer(self.pointer))
        object.__setattr__(self, "message", redact_text(self.message))

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.file, self.line, self.column, self.rule, self.pointer)

    def to_dict(self) -> dict[str, object]:
        data = asdict(self)
        del data["subject"]
        if not self.fingerprint:
            del data["fingerprint"]
        return data


@dataclass(slots=True)
class Report:
    """The result of validating a set of files."""

    files: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    waived: list[tuple[Finding, str]] = field(default_factory=list)
    """Findings hidden by a waiver, with the waiver's reason."""

    def sorted_findings(self) -> list[Finding]:
        return sorted(self.findings, key=Finding.sort_key)

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    def failed(self, strict: bool = False) -> bool:
        """True when an error (or, with strict, any warning) was found."""
        failing = {ERROR, WARNING} if strict else {ERROR}
        return any(f.severity in failing for f in self.findings)

    @property
    def incomplete(self) -> bool:
        """True when a check crashed (an ``internal-error`` finding): the verdict is partial."""
        return any(f.rule == "internal-error" for f in self.findings)

    def exit_code(self, strict: bool = False) -> int:
        """2 when incomplete (CI must know), else 1 when failed, else 0."""
        from hubtool.core.errors import EXIT_CANNOT_RUN, EXIT_CLEAN, EXIT_FINDINGS

        if self.incomplete:
            return EXIT_CANNOT_RUN
        return EXIT_FINDINGS if self.failed(strict) else EXIT_CLEAN
