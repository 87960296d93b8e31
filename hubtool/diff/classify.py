"""diff -> classify: compare two manifests through the change families. Pure: no printing."""

from __future__ import annotations

import json
from typing import Any

from hubtool.core.manifest import as_dict, as_list
from hubtool.diff.canonical import canonical_document
from hubtool.diff.kinds import METADATA_CHANGED, Change, Scope
from hubtool.diff.kinds import actions as action_changes
from hubtool.diff.kinds import metadata as metadata_changes
from hubtool.diff.kinds import port as port_changes

FAMILIES = (metadata_changes, port_changes, action_changes)


def diff(old: Any, new: Any) -> list[Change]:
    """Every classified change from ``old`` to ``new`` (parsed manifests)."""
    old, new = canonical_document(old), canonical_document(new)
    changes = [change for family in FAMILIES for change in family.diff(old, new)]
    if not changes and canonical(old) != canonical(new):
        changes.append(
            Scope().change(
                METADATA_CHANGED,
                "",
                "the document changed in a way hubtool does not classify more precisely",
            )
        )
    return changes


def canonical(data: Any) -> str:
    """The manifest as a string that ignores key order, action and parameter order, and version,
    and every equivalent spelling ``canonical_document`` removes."""
    document = dict(as_dict(canonical_document(data)))
    document.pop("version", None)
    document["actionTemplates"] = sorted(
        (_canonical_action(a) for a in as_list(document.get("actionTemplates"))),
        key=lambda a: json.dumps(a, sort_keys=True),
    )
    return json.dumps(document, sort_keys=True)


def _canonical_action(action: Any) -> Any:
    if not isinstance(action, dict) or not isinstance(action.get("inputs"), dict):
        return action
    inputs = dict(action["inputs"])
    inputs["parameters"] = sorted(
        as_list(inputs.get("parameters")), key=lambda p: json.dumps(p, sort_keys=True)
    )
    return {**action, "inputs": inputs}
