"""What the operator started ``hubtool mcp`` with, and the two guards every tool call passes.

- Paths: a path given to a tool is read only inside the workspace root (a spec also inside one
  of the ``--specs`` directories), after every symbolic link is resolved: ``/etc/passwd``,
  ``../../x`` or a link out of the root is refused (``confined``).
- Credentials: no tool takes one. A call whose arguments hold a credential-shaped string or
  key (``hubtool.core.secrets``, the detector behind ``no-secret-values``) is refused before
  the arguments are read, naming only where it was and what kind it looks like
  (``credential_refusal``): the value is never echoed, stored or used.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hubtool.core.errors import HubtoolError
from hubtool.core.escape import redacted

AGENT_PREFIX = "agent:"
"""How lifecycle steps a tool takes are recorded: ``agent:<actor>``."""
OPERATOR_PREFIX = "operator:"
"""How publish and reject (operator acts) are recorded: ``operator:<name>``."""
MAX_PATH_LENGTH = 4096
"""The longest path a tool accepts (characters): PATH_MAX on Linux."""


@dataclass(frozen=True)
class Workspace:
    """The server's settings: the operator's, never a tool's."""

    root: Path
    """The workspace (a repository with ``apps/hub/catalog``), resolved."""
    store: Path
    """The draft store file (``--store``, default as the CLI's)."""
    actor: str = "unknown"
    """Who the agent's lifecycle steps are recorded as (``agent:<actor>``)."""
    specs: tuple[Path, ...] = field(default_factory=tuple)
    """Extra read-only directories provider specs may be read from, resolved."""
    operator: str | None = None
    """Set by ``--allow-publish``: the operator the publish and reject tools act as; None:
    those tools do not exist."""

    @property
    def allow_publish(self) -> bool:
        return self.operator is not None

    def agent(self) -> str:
        return f"{AGENT_PREFIX}{self.actor}"

    def operator_actor(self) -> str:
        return f"{OPERATOR_PREFIX}{self.operator}"

    def path(self, text: str, what: str = "file") -> Path:
        """A file named by a tool, inside the root. Raises HubtoolError."""
        return confined(text, (self.root,), what)

    def spec_path(self, text: str) -> Path:
        """A provider spec named by a tool: inside the root or a ``--specs`` directory (a
        relative name is tried under each, in order). Raises HubtoolError."""
        return confined(text, (self.root, *self.specs), "OpenAPI spec")


def confined(text: str, bases: tuple[Path, ...], what: str) -> Path:
    """The existing regular file ``text`` names under one of ``bases`` (each resolved), every
    link resolved first. Raises HubtoolError: empty, too long, outside every base, absent or
    not a regular file."""
    if not text or len(text) > MAX_PATH_LENGTH or "\x00" in text:
        raise HubtoolError(f"a {what} path must be 1 to {MAX_PATH_LENGTH} characters, no NUL")
    given = Path(text)
    candidates = [given] if given.is_absolute() else [base / given for base in bases]
    inside = None
    for candidate in candidates:
        try:
            real = candidate.resolve()
        except (OSError, RuntimeError):  # a link loop
            continue
        if not any(real.is_relative_to(base) for base in bases):
            continue
        inside = real
        if real.is_file():
            return real
    shown = redacted(text)
    if inside is None:
        roots = ", ".join(str(base) for base in bases)
        raise HubtoolError(
            f"{shown}: outside the workspace; a {what} must be inside {roots} (links resolved)"
        )
    raise HubtoolError(f"{shown}: no such {what} (not a regular file in the workspace)")


def credential_refusal(arguments: Any) -> str | None:
    """Why a tool call is refused, when its arguments hold a credential-shaped string or key:
    where (a redacted JSON pointer) and what kind, never the value. None when they hold none.
    """
    from hubtool.core.secrets import safe_pointer, secret_strings

    for pointer, match, is_key in secret_strings(arguments):
        what = "a key" if is_key else "a value"
        where = safe_pointer(pointer) or "/"
        return (
            f"refused: the arguments hold {what} that looks like a {match.kind} at {where}; "
            "hubtool's tools never take, return or store a credential (Harbor Node holds the "
            "token and adds it to each request): remove it and call again"
        )
    return None
