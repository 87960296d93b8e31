"""Credentials in ``.hubtool.yaml``: ``no-secret-values`` over every string of it, and over the
text between them (comments, tags, anchors, directives), at each one's line and column.

A pull request can change the file, so it is scanned like a manifest; text that does not load
as YAML is scanned line by line. ``hubtool.validate.rules.secrets`` is imported where it is
used (see ``hubtool.validate.config.parse``).
"""

from __future__ import annotations

import re
from dataclasses import replace
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
    from hubtool.validate.rules.secrets import check_values

    text, starts = doc.text, doc.line_starts
    pieces: list[str] = []
    values: dict[str, int] = {}
    for begin, end in _outside_scalars(text, starts):
        for match in _PIECES.finditer(text, begin, end):
            values[f"/{len(pieces)}"] = match.start()
            pieces.append(match.group())
    if not pieces:
        return []
    view = Document(doc.path, pieces, text, values, {}, starts)
    return [_at_the_secret(view, f) for f in check_values(view)]


def _at_the_secret(view: Document, finding: Finding) -> Finding:
    """A finding on a piece of text, moved to where its credential starts in the piece."""
    from hubtool.core.secrets import find_secret

    match = find_secret(view.data[int(finding.pointer[1:])])
    line, column = view.line_col(view.values[finding.pointer] + (match.start if match else 0))
    message = finding.message.replace("a value", _OUTSIDE, 1)
    return replace(finding, pointer="", line=line, column=column, message=message)


_OUTSIDE = "text outside the keys and values (a comment, tag or anchor)"


_PIECES = re.compile(r"\S(?:[^\r\n\x85\u2028\u2029]*\S)?")
"""A piece of one line, from its first to its last non-blank character."""


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
