"""Defence in depth: a check that crashes on one file becomes an ``internal-error`` finding.

Rule ``internal-error`` (``INTERNAL_ERROR``).

Linters that run many rules (ruff, ESLint) do the same: one bug in one rule must not hide the
findings of every other rule and file. The run still exits 2 (``Report.exit_code``), so CI
knows the verdict is incomplete. With ``HUBTOOL_DEBUG`` set the exception propagates instead,
for a traceback.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path

from hubtool.core.errors import HubtoolError
from hubtool.core.findings import ERROR, Finding
from hubtool.core.registry import Example, Rule

INTERNAL_ERROR = Rule(
    id="internal-error",
    severity=ERROR,
    family="internal",
    title="Every check ran to the end",
    description="A check crashed on this file: a hubtool bug, not a problem of the manifest. "
    "The other checks still ran and their findings are reported, but the verdict is "
    "incomplete, so the run exits 2 whatever else it found. The message names the check, "
    "the exception type and the place in hubtool, never the data. It cannot be waived, "
    "downgraded or turned off.",
    fix="Please report it at the hubtool issue tracker with the file (set HUBTOOL_DEBUG=1 "
    "for a traceback); a waiver cannot hide it.",
    failing=Example(),
)

_PACKAGE = Path(__file__).resolve().parent


def guarded(run: Callable[[], Iterable[Finding]], file: str, check: str) -> list[Finding]:
    """The findings of ``run()``; if it raises, those found so far and an internal-error one.

    ``check`` names the check for the message (``rule family 'examples'``). KeyboardInterrupt
    and SystemExit are not caught.
    """
    findings: list[Finding] = []
    try:
        findings.extend(run())
    except Exception as exc:
        reraise_unless_internal(exc)
        findings.append(internal_finding(file, check, exc))
    return findings


def reraise_unless_internal(exc: Exception) -> None:
    """Re-raise expected stops (HubtoolError: exit 2 with its own message) and, with
    HUBTOOL_DEBUG set, every exception; call it inside an ``except`` block."""
    if isinstance(exc, HubtoolError) or os.environ.get("HUBTOOL_DEBUG"):
        raise exc


def internal_finding(file: str, check: str, exc: BaseException) -> Finding:
    """The finding for a crash: the check, the exception type and where in hubtool, no data."""
    return Finding(
        INTERNAL_ERROR.id, INTERNAL_ERROR.severity, file, "", 1, 1, crash_message(check, exc)
    )


def crash_message(check: str, exc: BaseException) -> str:
    """What crashed, how and where in hubtool; the exception's own message is left out, since
    it may quote the file (a schema, a value)."""
    return (
        f"internal error: {check} crashed ({type(exc).__name__}{_where(exc)}); the other checks "
        "ran, but this verdict is incomplete. Please report this at the hubtool issue tracker "
        "(set HUBTOOL_DEBUG=1 for a traceback)"
    )


def _where(exc: BaseException) -> str:
    """`` at hubtool/x.py:12``: the innermost hubtool frame of the traceback, or ''."""
    import traceback  # only after a crash: start-up

    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        path = Path(frame.filename).resolve()
        if path.is_relative_to(_PACKAGE):
            relative = path.relative_to(_PACKAGE.parent).as_posix()
            return f" at {relative}:{frame.lineno}"
    return ""
