"""Reporters, one module per output format: ``text``, ``json``, ``sarif``, ``github``, ``markdown``.

Each format module renders every result it supports as a function ``<subject>_<format>``
(``report_text``, ``diff_markdown``, ...); ``reporter(subject, fmt)`` picks one by name from
``SUBJECTS``, loading only that format's module. A new output format is one module here and its
name in the subjects it renders.

Subjects and their arguments (``out`` is a text stream):

- ``report``: a validate / ci / check-upstream ``Report``: ``(report, out, strict, colour)``
  (markdown: the step summary of ``hubtool ci --summary-file``)
- ``ci``: the ``CiResult`` of ``hubtool ci`` as one JSON document: ``(result, out, strict)``
- ``diff``: ``list[ManifestDiff]``: ``(results, out, ...)`` (text: colour, verbose; json:
  base; markdown: verbose)
- ``rules``, ``kinds``: the registries: ``(out)``
- ``plan``: an import ``Plan``: ``(plan, store_path, out, dry_run)``; ``plans``: the plans of
  an import of several manifests, same arguments with a list; ``node``: a Harbor Node
  import: ``(result, out, dry_run)``; ``drafts``: ``(drafts, out, store_path, wanted)``
  (``wanted``: the filters given); ``draft``: one draft with its history:
  ``(store, draft, out)``; ``outcome``: a lifecycle step: ``(step, outcome, out)`` (json:
  ``json.outcome_dict``, one document for every step of a run);
  ``request``: a rendered request: ``(request, out)``

Shared by every format: documents written whole (``write_document``), workflow commands
(``write_command``), the colours and the summary counts of a Report.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from typing import TYPE_CHECKING, TextIO

from hubtool.core.findings import ERROR, NOTE, WARNING

if TYPE_CHECKING:
    from hubtool.core.findings import Report

SUBJECTS: dict[str, tuple[str, ...]] = {
    "report": ("text", "json", "sarif", "github", "markdown"),
    "ci": ("json",),
    "diff": ("text", "json", "markdown"),
    "rules": ("text", "json", "markdown"),
    "kinds": ("text", "json", "markdown"),
    "plan": ("text", "json"),
    "plans": ("text", "json"),
    "node": ("text", "json"),
    "drafts": ("text", "json"),
    "draft": ("text", "json"),
    "outcome": ("text",),
    "request": ("text", "json"),
}
"""Per subject, the formats that render it; each format is the module ``hubtool.report.<fmt>``."""


def reporter(subject: str, fmt: str) -> Callable[..., None]:
    """The function rendering ``subject`` in format ``fmt``: ``<subject>_<fmt>`` of the module
    ``hubtool.report.<fmt>``, imported on first use. KeyError for an unknown pair."""
    if fmt not in SUBJECTS[subject]:
        raise KeyError(f"no {fmt} reporter for {subject}")
    return getattr(import_module(f"{__name__}.{fmt}"), f"{subject}_{fmt}")


COLOURS = {ERROR: "\033[31m", WARNING: "\033[33m", NOTE: "\033[36m"}
DIM, BOLD, RESET = "\033[2m", "\033[1m", "\033[0m"


def write_document(out: TextIO, text: str) -> None:
    """A whole JSON or SARIF document: UTF-8 bytes in one write on a guarded standard stream
    (``hubtool.commands.output``), text on any other stream."""
    document = getattr(out, "write_document", None)
    (document or out.write)(text)


def write_command(out: TextIO, line: str) -> None:
    """A reporter's own GitHub workflow command line: the only line that may start with ``::``."""
    command = getattr(out, "write_command", None)
    (command or out.write)(line)


def summary(report: Report) -> dict[str, int]:
    """``{"files", "errors", "warnings"}``: the counts a Report's summary line gives."""
    return {
        "files": len(report.files),
        "errors": report.count(ERROR),
        "warnings": report.count(WARNING),
    }
