"""Credentials in ``.hubtool.yaml``: ``no-secret-values`` over every string of it, and over the
text between them (comments, tags, anchors, directives), at each one's line and column.

A pull request can change the file, so it is scanned like a manifest; text that does not load
as YAML is scanned line by line. ``hubtool.validate.rules.secrets`` is imported where it is
used (see ``hubtool.validate.config.parse``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from hubtool.core.findings import Finding
from hubtool.load.strict import Document
from hubtool.validate.config.yamlfile import Spans

if TYPE_CHECKING:  # parse reads through the cache, which scans with this module
    from hubtool.validate.config.parse import Config


def scan_config(config: Config) -> list[Finding]:
    """``no-secret-values`` over every string of the configuration, at its line and column
    (none for the defaults: no file)."""
    if config.document is None:
        return []
    return scan_document(config.document, config.outside)


def scan_document(doc: Document, outside: Spans) -> list[Finding]:
    """``no-secret-values`` over every string of a configuration's Document and over the text
    outside its keys and values (``outside``, from ``config_document``).

    Keys of any YAML type are scanned as text; a document nested too deeply for that is
    scanned line by line instead.
    """
    from hubtool.validate.rules.secrets import check_values

    try:
        data = _text_keys(doc.data)
        view = Document(doc.path, data, doc.text, doc.values, doc.keys, doc.line_starts)
        found = list(check_values(view))
    except RecursionError:
        return scan_lines(doc.text, doc.path)
    return found + _scan_outside_scalars(doc, outside)


def _scan_outside_scalars(doc: Document, outside: Spans) -> list[Finding]:
    """``no-secret-values`` over the text that is no key or value (``outside``): comments,
    tags, anchors, directives. Each piece of a line outside a scalar is scanned at its own line
    and column; the finding has the empty pointer (the text is in no value)."""
    from hubtool.validate.rules.secrets import text_findings

    return text_findings(doc.path, doc.text, outside, _OUTSIDE, doc.line_starts)


_OUTSIDE = "text outside the keys and values it keeps (a comment, tag, anchor or dropped value)"


def _text_keys(value: Any) -> Any:
    """``value`` with every mapping key as a string (YAML keys may be numbers, dates, null)."""
    if isinstance(value, dict):
        return {str(key): _text_keys(child) for key, child in value.items()}
    if isinstance(value, list):
        return [_text_keys(child) for child in value]
    return value


def scan_lines(text: str, name: str) -> list[Finding]:
    """``no-secret-values`` over text that is not usable YAML: each line as it is written."""
    from hubtool.validate.rules.secrets import check_values

    lines = text.splitlines()
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)
    values = {f"/{index}": starts[index] for index in range(len(lines))}
    return list(check_values(Document(name, lines, text, values, {}, starts)))
