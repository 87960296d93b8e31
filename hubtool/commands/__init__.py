"""The run_* functions behind each CLI command: options in, an exit code out.

Heavy modules (jsonschema, the rules) are imported inside run_*, so ``--help`` stays fast.
Only these functions and the reporters write output.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from hubtool.core.findings import Report


def exit_code(report: Report, strict: bool = False) -> int:
    """The report's exit code; when a check crashed, also say so on stderr (exit 2)."""
    if report.incomplete:
        import click

        click.echo(
            "hubtool: internal error: a check crashed (see the internal-error findings); the "
            "report is incomplete. Please report this at the hubtool issue tracker "
            "(set HUBTOOL_DEBUG=1 for a traceback)",
            err=True,
        )
    return report.exit_code(strict)


def use_colour(choice: str, stream: object) -> bool:
    """auto: colour on a terminal unless NO_COLOR is set."""
    if choice != "auto":
        return choice == "always"
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty()) and not os.environ.get("NO_COLOR")
