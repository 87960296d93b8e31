"""Pointers into ``BASE_MANIFEST`` that the change kinds' before/after examples share.

Not a change family: ``actions`` and ``schemas`` both patch the same parameter and action.
"""

from __future__ import annotations

LIMIT = "/actionTemplates/0/inputs/parameters/0"
"""The ``limit`` query parameter of the read action ``list-widgets``."""
RENAME = "/actionTemplates/1"
"""The write action ``rename-widget`` (a PATCH with a JSON body)."""
