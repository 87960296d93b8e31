"""The run_* functions behind each CLI command: options in, an exit code out.

Heavy modules (jsonschema, the rules) are imported inside run_*, so ``--help`` stays fast.
Only these functions and the reporters write output.
"""

from __future__ import annotations

import os


def use_colour(choice: str, stream: object) -> bool:
    """auto: colour on a terminal unless NO_COLOR is set."""
    if choice != "auto":
        return choice == "always"
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty()) and not os.environ.get("NO_COLOR")
