"""The options every command has, added where a command is loaded (``hubtool.cli.LazyCommands``)
so a command written later gets them without an edit:

- ``-q``/``--quiet``: only findings and errors; no summary lines, no notes.
- ``-v``/``--verbose``: extra detail on stderr (timing, files read, the store used).

A command that declares its own ``--verbose`` (``diff``: list unchanged manifests) keeps it; the
flag also counts as verbose here. A group's flags apply to its subcommands (``hubtool drafts -q
list``). The commands read the flags through ``hubtool.commands.quiet`` and ``verbose``.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from typing import Any

import click

from hubtool.commands import QUIET_KEY, VERBOSE_KEY, detail

_EQUIPPED = "_hubtool_common_options"


def _quiet_option() -> click.Option:
    return click.Option(
        ["-q", "--quiet"],
        is_flag=True,
        help="Only findings and errors: no summary lines, no notes.",
    )


def _verbose_option() -> click.Option:
    return click.Option(
        ["-v", "--verbose"],
        is_flag=True,
        help="Extra detail on stderr: timing, files read, the store used.",
    )


def equip(command: click.Command) -> click.Command:
    """``command`` (and a group's subcommands) with ``-q`` and ``-v``; idempotent.

    An option the command already has (by name or flag) is kept as it is."""
    if getattr(command, _EQUIPPED, False):
        return command
    setattr(command, _EQUIPPED, True)
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            equip(sub)
    names = {param.name for param in command.params}
    flags = {flag for param in command.params for flag in getattr(param, "opts", ())}
    added: set[str] = set()
    for name, flag, make in (("quiet", "-q", _quiet_option), ("verbose", "-v", _verbose_option)):
        if name not in names and flag not in flags:
            command.params.append(make())
            added.add(name)
    if command.callback is not None:
        command.callback = _wrap(command.callback, added, isinstance(command, click.Group))
    return command


def _wrap(callback: Callable[..., Any], added: set[str], group: bool) -> Callable[..., Any]:
    """The callback, recording the flags in the context's shared ``meta`` first (a flag given
    to the group or to the command counts) and, when verbose, the time a command took."""

    @functools.wraps(callback)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        meta = click.get_current_context().meta
        for name, key in (("quiet", QUIET_KEY), ("verbose", VERBOSE_KEY)):
            value = kwargs.pop(name, False) if name in added else kwargs.get(name, False)
            meta[key] = bool(meta.get(key) or value)
        if group:
            return callback(*args, **kwargs)
        start = time.perf_counter()
        try:
            return callback(*args, **kwargs)
        finally:
            name = click.get_current_context().command_path.partition(" ")[2]
            detail(f"{name} took {time.perf_counter() - start:.3f} s")

    return wrapped
