"""The commands, one module per command group: each defines its click commands and the run_*
function behind each (options in, an exit code out); ``hubtool.cli`` adds them to the root
group and maps every outcome to an exit code. Here: the options several groups share.

Heavy modules (jsonschema, the rules) are imported inside run_*, so ``--help`` stays fast.
Only the commands, the CLI boundary and the reporters write output.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import click

from hubtool.core.limits import MAX_BYTES

if TYPE_CHECKING:
    from hubtool.core.findings import Report

FORMATS = ("text", "json")
REPORT_FORMATS = ("text", "json", "sarif", "github")

FORMAT_OPTION = click.option(
    "--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True
)
"""``--format text|json``, the choice of every command without other formats."""
STRICT_OPTION = click.option("--strict", is_flag=True, help="Warnings fail the run too.")
COLOR_OPTION = click.option(
    "--color",
    type=click.Choice(["auto", "always", "never"]),
    default="auto",
    show_default=True,
    help="Colour text output (auto: on a terminal or with FORCE_COLOR, never with NO_COLOR).",
)
MAX_BYTES_OPTION = click.option(
    "--max-bytes",
    type=click.IntRange(min=1),
    default=MAX_BYTES,
    show_default=True,
    help="Larger files are refused: a json-syntax finding (validate, ci) or exit 2 (diff).",
)
CONFIG_OPTION = click.option(
    "--config",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Severities and waivers (default: .hubtool.yaml at the catalog repository's root; "
    "ci reads it at the tip of --base).",
)


QUIET_KEY = "hubtool.quiet"
VERBOSE_KEY = "hubtool.verbose"
"""Keys of click's shared context ``meta`` where ``-q`` and ``-v`` are recorded
(``hubtool.commands.common``)."""


def _flag(key: str) -> bool:
    ctx = click.get_current_context(silent=True)
    return bool(ctx is not None and ctx.meta.get(key))


def quiet() -> bool:
    """``-q``: only findings and errors (False outside a command, as in a test calling run_*)."""
    return _flag(QUIET_KEY)


def verbose() -> bool:
    """``-v``: extra detail on stderr."""
    return _flag(VERBOSE_KEY)


def note(text: str) -> None:
    """``hubtool: note: TEXT`` on stderr, unless quiet. ``text`` is escaped by the caller."""
    if not quiet():
        click.echo(f"hubtool: note: {text}", err=True)


def detail(text: str) -> None:
    """``hubtool: TEXT`` on stderr when verbose. ``text`` is escaped by the caller."""
    if verbose():
        click.echo(f"hubtool: {text}", err=True)


def report_options(fmt: str) -> dict[str, bool]:
    """Keyword arguments for ``reporter("report", fmt)``: the text report leaves out its
    summary line when quiet (the other formats are documents and keep everything)."""
    return {"quiet": True} if fmt == "text" and quiet() else {}


def files_read(files: list[str]) -> None:
    """With ``-v``, each file a report covers, on stderr."""
    if verbose():
        from hubtool.core.escape import terminal

        for name in files:
            detail(f"read {terminal(name)}")


def exit_code(report: Report, strict: bool = False) -> int:
    """The report's exit code; when a check crashed, also say so on stderr (exit 2)."""
    if report.incomplete:
        click.echo(
            "hubtool: internal error: a check crashed (see the internal-error findings); the "
            "report is incomplete. Please report this at the hubtool issue tracker "
            "(set HUBTOOL_DEBUG=1 for a traceback)",
            err=True,
        )
    return report.exit_code(strict)


def use_colour(choice: str, stream: object) -> bool:
    """``--color always|never`` decides; ``auto``: never with a non-empty ``NO_COLOR``
    (no-color.org), always with a non-empty ``FORCE_COLOR`` (force-color.org; NO_COLOR wins,
    as in CPython), else on a terminal."""
    if choice != "auto":
        return choice == "always"
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())
