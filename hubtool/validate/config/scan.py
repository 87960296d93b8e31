"""Credentials in ``.hubtool.yaml``: ``no-secret-values`` over every string of it, and over the
text between them (comments, tags, anchors, directives), at each one's line and column.

A pull request can change the file, so it is scanned like a manifest; text that does not load
as YAML is scanned line by line. ``hubtool.validate.rules.secrets`` is imported where it is
used (see ``hubtool.validate.config.parse``).
"""

from __future__ import annotations

from typing import Any

from hubtool.core.findings import Finding
from hubtool.load.strict import Document
from hubtool.validate.config.parse import Config
from hubtool.validate.config.yamlfile import safe_loader


def scan_config(config: Config) -> list[Finding]:
    """``no-secret-values`` over every string of the configuration, at its line and column.

    Keys of any YAML type are scanned as text; a document nested too deeply for that is
    scanned line by line instead.
    """
    from hubtool.validate.rules.secrets import check_values

    doc = config.document
    if doc is None:
        return []
    try:
        data = _text_keys(doc.data)
        view = Document(doc.path, data, doc.text, doc.values, doc.keys, doc.line_starts)
        found = list(check_values(view))
    except RecursionError:
        return scan_lines(doc.text, doc.path)
    return found + _scan_outside_scalars(doc)


def _scan_outside_scalars(doc: Document) -> list[Finding]:
    """``no-secret-values`` over the text that is no key or value: comments, tags, anchors,
    directives. Each piece of a line outside a scalar is scanned at its own line and column;
    the finding has the empty pointer (the text is in no value). Linear: one token pass.
    """
    from hubtool.validate.rules.secrets import text_findings

    spans = _outside_scalars(doc.text, doc.line_starts)
    return text_findings(doc.path, doc.text, spans, _OUTSIDE, doc.line_starts)


_OUTSIDE = "text outside the keys and values (a comment, tag or anchor)"


def _outside_scalars(text: str, starts: list[int]) -> list[tuple[int, int]]:
    """(start, end) offsets of the text between scalar tokens, from PyYAML's scanner.

    A scanner error (the text loaded already, so none is expected) leaves the rest of the
    text as one span: it is scanned rather than skipped.
    """
    import yaml

    def offset(mark: Any) -> int:
        return starts[min(mark.line, len(starts) - 1)] + mark.column

    spans: list[tuple[int, int]] = []
    done = 0
    loader = safe_loader()(text)
    try:
        while (token := loader.get_token()) is not None:
            if isinstance(token, yaml.ScalarToken):
                begin = offset(token.start_mark)
                if begin > done:
                    spans.append((done, begin))
                done = max(done, offset(token.end_mark))
    except yaml.YAMLError:
        pass
    finally:
        loader.dispose()
    if done < len(text):
        spans.append((done, len(text)))
    return spans


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
