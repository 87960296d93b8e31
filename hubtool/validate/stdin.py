"""``hubtool validate -``: one manifest read from standard input, checked as a file.

The bytes go through the file path's loader (``hubtool.load.strict.load_bytes``: the byte cap,
strict UTF-8 and JSON, a BOM or invalid byte as a ``json-syntax`` finding) and every
per-document rule. ``name`` (``--stdin-filename``, else ``<stdin>``) is how findings name the
input and where the placement rule (``catalog-layout``) takes it to be. Input that does not
parse is scanned line by line for credentials (``no-secret-values``). Pure: no reading of the
stream, no printing.
"""

from __future__ import annotations

from hubtool.core.findings import Report
from hubtool.load.strict import MAX_BYTES, Document, load_bytes
from hubtool.load.syntax import syntax_finding
from hubtool.validate.pipeline import check_document, unparsed_secrets

STDIN_NAME = "<stdin>"
"""How findings name standard input without ``--stdin-filename``."""


def check_bytes(raw: bytes, name: str = STDIN_NAME, max_bytes: int = MAX_BYTES) -> Report:
    """The report of one manifest's bytes (at most ``max_bytes``; one more marks a larger
    input) named ``name``: its ``json-syntax`` findings, or every per-document rule's."""
    result = load_bytes(raw, name, max_bytes)
    report = Report(files=[name])
    if isinstance(result, Document):
        report.findings = check_document(result)
    else:
        report.findings = [syntax_finding(name, error) for error in result]
        report.findings += unparsed_secrets(raw, name, max_bytes)
    report.findings = report.sorted_findings()
    return report
