"""Rule ``json-syntax``: a file that ``hubtool.load.strict`` cannot load, as a finding."""

from __future__ import annotations

from hubtool.core.findings import ERROR, Finding
from hubtool.core.limits import MAX_BYTES, MAX_DEPTH
from hubtool.core.registry import Example, Rule
from hubtool.load.strict import LoadError

JSON_SYNTAX = Rule(
    id="json-syntax",
    severity=ERROR,
    family="load",
    title="The file is strict, well-formed JSON",
    description="The file must be UTF-8 without a byte order mark, one RFC 8259 JSON value "
    "with no duplicate keys (a second `approvalMode` could hide the first), no NaN or "
    f"Infinity, no trailing data, within the size cap ({MAX_BYTES // 2**20} MiB, "
    f"`--max-bytes`) and the nesting cap ({MAX_DEPTH}); see the README's limits.",
    fix="Fix the JSON at the reported line and column.",
    failing=Example(text='{"approvalMode": "automatic", "approvalMode": "require_approval"}'),
)


def syntax_finding(name: str, error: LoadError) -> Finding:
    """The json-syntax finding for one problem ``load`` reported in the file ``name``."""
    return Finding(
        JSON_SYNTAX.id,
        JSON_SYNTAX.severity,
        name,
        error.pointer,
        error.line,
        error.column,
        error.message,
    )
