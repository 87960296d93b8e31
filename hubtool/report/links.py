"""Where each rule's and change kind's documentation lives on the web (SARIF ``helpUri``).

The base is the package's ``[project.urls] Documentation`` (the ``docs/`` folder of the
repository), read from the installed metadata; ``DOCUMENTATION`` is the fallback when hubtool
runs from a checkout that is not installed. A rule's page is ``docs/RULES.md#<anchor>``, a
change kind's ``docs/CHANGES.md#<anchor>``; the anchor is GitHub's for the heading
``## `<id>``` that ``hubtool rules --format markdown`` writes (``anchor``).
"""

from __future__ import annotations

import functools
import re

DOCUMENTATION = "https://github.com/breakwaterharbor/hubtool/tree/main/docs"
"""The fallback of ``[project.urls] Documentation`` (pyproject.toml): the one copy."""
RULES_PAGE = "RULES.md"
CHANGES_PAGE = "CHANGES.md"
GATE_ANCHOR = "hubtool-change-kinds"
"""The version gate is documented with the change kinds (docs/CHANGES.md's title)."""
_DROPPED = re.compile(r"[^\w\- ]")


@functools.cache
def documentation_base() -> str:
    """The documentation folder's URL, without a final ``/``, ending in ``/docs``."""
    base = DOCUMENTATION
    try:
        from importlib.metadata import PackageNotFoundError, metadata

        for entry in metadata("hubtool").get_all("Project-URL") or ():
            label, _, url = entry.partition(",")
            if label.strip().lower() == "documentation" and url.strip().startswith("https://"):
                base = url.strip()
                break
    except (PackageNotFoundError, ValueError, OSError):
        pass
    base = base.rstrip("/")
    return base if base.endswith("/docs") else f"{base}/docs"


def anchor(heading: str) -> str:
    """GitHub's anchor of a markdown heading: lower case, punctuation but ``-`` and ``_``
    dropped (backticks too), spaces as ``-``."""
    return _DROPPED.sub("", heading.strip().lower()).replace(" ", "-")


def rule_uri(rule_id: str) -> str:
    """The docs/RULES.md section of rule ``rule_id``."""
    return f"{documentation_base()}/{RULES_PAGE}#{anchor(f'`{rule_id}`')}"


def kind_uri(kind_id: str) -> str:
    """The docs/CHANGES.md section of change kind ``kind_id``."""
    return f"{documentation_base()}/{CHANGES_PAGE}#{anchor(f'`{kind_id}`')}"


def gate_uri() -> str:
    """The version gate's documentation: docs/CHANGES.md, which lists what each change needs."""
    return f"{documentation_base()}/{CHANGES_PAGE}#{GATE_ANCHOR}"
