"""mcp: the Model Context Protocol server over stdio (``hubtool.agents``; docs/AGENTS.md)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from hubtool.core.errors import EXIT_CLEAN, HubtoolError

INSTALL_HINT = "the MCP server needs the mcp extra: pip install 'hubtool[mcp]'"


def run_mcp(
    root: Path, store: Path | None, specs: tuple[Path, ...], operator: str | None, actor: str
) -> int:
    """Serve until the client closes standard input. Raises HubtoolError when the ``mcp``
    extra is missing or a directory is not one."""
    from hubtool.drafts.store import default_path

    try:
        from hubtool.agents.server import build_server, serve
        from hubtool.agents.workspace import Workspace
    except ModuleNotFoundError as exc:
        if exc.name and exc.name.split(".")[0] in ("mcp", "pydantic", "anyio"):
            raise HubtoolError(INSTALL_HINT) from None
        raise
    for directory in (root, *specs):
        if not directory.is_dir():
            raise HubtoolError(f"{directory}: not a directory")
    workspace = Workspace(
        root=root.resolve(),
        store=(store or default_path()).absolute(),
        actor=actor,
        specs=tuple(d.resolve() for d in specs),
        operator=operator,
    )
    protocol = sys.__stdout__  # the process's own stdout: JSON-RPC, not text for people
    if protocol is None:
        raise HubtoolError("the MCP server needs a standard output to answer on")
    if sys.stdin is None:
        raise HubtoolError("the MCP server needs a standard input to read requests from")
    serve(build_server(workspace), sys.stdin.buffer, protocol.buffer)
    return EXIT_CLEAN


@click.command("mcp")
@click.option(
    "--root",
    type=click.Path(path_type=Path, file_okay=False),
    default=".",
    show_default=True,
    help="The workspace (a repository with apps/hub/catalog): every path a tool names must be "
    "inside it.",
)
@click.option(
    "--store",
    type=click.Path(path_type=Path),
    default=None,
    help="Draft store file (default: $HUBTOOL_STORE or ~/.local/share/hubtool/store.sqlite3).",
)
@click.option(
    "--specs",
    "specs",
    multiple=True,
    type=click.Path(path_type=Path, file_okay=False),
    help="A directory provider OpenAPI specs may also be read from (repeatable).",
)
@click.option(
    "--allow-publish",
    "operator",
    metavar="OPERATOR",
    default=None,
    help="Add the publish and reject tools, recorded as this operator (an operator act: "
    "without it, agents can only request publish).",
)
@click.option(
    "--actor",
    default=None,
    help="Who the agent's steps are recorded as (agent:ACTOR; default: $HUBTOOL_ACTOR or login).",
)
def mcp_command(
    root: Path, store: Path | None, specs: tuple[Path, ...], operator: str | None, actor: str | None
) -> None:
    """Serve hubtool's authoring workflow to an agent over MCP (stdio; see docs/AGENTS.md)."""
    from hubtool.commands.drafts import default_actor

    sys.exit(run_mcp(root, store, specs, operator, actor or default_actor()))
