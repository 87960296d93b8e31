"""Command line: the root click group and the one boundary that maps every outcome to an exit
code. Each command group (``hubtool.commands.<group>``) defines its click commands and the run_*
function behind each; they are added to the root group here.
"""

from __future__ import annotations

import io
import os
import sys

import click

from hubtool import __version__
from hubtool.commands import diff, drafts, upstream, validate
from hubtool.commands.output import (
    WRITE_ERRORS,
    OutputError,
    discard_stdout,
    flush_stdout,
    guarded_streams,
)
from hubtool.core.errors import (
    EXIT_CANNOT_RUN,
    EXIT_CLEAN,
    EXIT_INTERRUPTED,
    HubtoolError,
)
from hubtool.core.escape import terminal


class _Group(click.Group):
    """Output errors surface as OutputError: click itself would exit 1 on a closed pipe."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            try:
                return super().invoke(ctx)
            finally:
                flush_stdout()
        except OSError as exc:
            if exc.errno not in WRITE_ERRORS:
                raise
            where = exc.filename or "the output"
            raise OutputError(f"cannot write {where}: {exc.strerror or exc}") from None


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="hubtool")
def cli() -> None:
    """Validate, diff and import Harbor Dock / Hub integration manifests.

    Exit codes: 0 clean, 1 findings, 2 the run could not complete.
    """


COMMANDS = (
    validate.validate_command,
    diff.diff_command,
    diff.bump_command,
    diff.ci_command,
    upstream.check_upstream_command,
    drafts.import_command,
    drafts.drafts_group,
    drafts.render_command,
    upstream.scaffold_command,
    validate.rules_command,
    validate.kinds_command,
)
"""Every command and command group, by its module in ``hubtool.commands``."""

for _command in COMMANDS:
    cli.add_command(_command)


def main(argv: list[str] | None = None) -> None:
    """The one boundary that maps every outcome to an exit code.

    Output goes through guarded streams (``hubtool.commands.output``), and every message that
    quotes the user's input (usage errors, errors, internal errors) through ``escape.terminal``:
    redacted, control characters visible, never a workflow command.
    """
    with guarded_streams():
        _run(argv)


def _error(text: str) -> None:
    sys.stderr.write(text + "\n")
    sys.stderr.flush()


def _show_click_error(exc: click.ClickException) -> None:
    """Click's usage and error text, with its message (which quotes argv) made safe."""
    message = exc.format_message()
    shown = io.StringIO()
    exc.show(file=shown)
    text = shown.getvalue()
    if message and text.endswith(f"{message}\n"):
        text = text[: -len(message) - 1] + terminal(message) + "\n"
    else:
        text = "\n".join(terminal(line) for line in text.splitlines()) + "\n"
    sys.stderr.write(text)
    sys.stderr.flush()


def _run(argv: list[str] | None) -> None:
    try:
        cli.main(args=argv, prog_name="hubtool", standalone_mode=False)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        _show_click_error(exc)
        sys.exit(EXIT_CANNOT_RUN)
    except click.exceptions.Abort:
        sys.exit(EXIT_INTERRUPTED)
    except HubtoolError as exc:
        _error(f"hubtool: error: {terminal(exc.message)}")
        for line in exc.details:
            _error(f"  {terminal(line)}")
        sys.exit(EXIT_CANNOT_RUN)
    except KeyboardInterrupt:
        sys.exit(EXIT_INTERRUPTED)
    except (OutputError, BrokenPipeError) as exc:
        discard_stdout()
        _error(f"hubtool: error: {terminal(exc)}")
        sys.exit(EXIT_CANNOT_RUN)
    except Exception as exc:
        if os.environ.get("HUBTOOL_DEBUG"):
            raise
        _error(f"hubtool: internal error: {type(exc).__name__}: {terminal(exc)}")
        _error(
            "hubtool: please report this at the hubtool issue tracker "
            "(set HUBTOOL_DEBUG=1 for a traceback)"
        )
        sys.exit(EXIT_CANNOT_RUN)
    sys.exit(EXIT_CLEAN)
