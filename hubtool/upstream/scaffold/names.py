"""The names and route of a scaffolded action: slug, label, description, placeholders, path.

From the operation's operationId, path, summary and description (``hubtool.upstream.openapi``);
the decisions are in ``hubtool.upstream.scaffold``'s docstring (Route, Names). A name or route
that cannot become a valid action raises ``HubtoolError`` with the reason.
"""

from __future__ import annotations

import re
from typing import Any

from hubtool.core.errors import HubtoolError
from hubtool.core.secrets import find_secret
from hubtool.upstream.openapi import Operation

MAX_DESCRIPTION = 300
"""The longest description (characters); a longer text is cut at a word and ends in "..."."""
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_PLACEHOLDER = re.compile(r"\{([^{}/]*)\}")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,63}")
_WORDS = re.compile(r"[A-Z]+(?=[A-Z][a-z]|[0-9]|\b|_)|[A-Z]?[a-z]+|[A-Z]+|[0-9]+")
_SENTENCE = re.compile(r"(?<=[.!?])\s")
_LINK = re.compile(r"\[([^\]]*)\]\([^)\s]*\)")
"""A Markdown link: descriptions keep its text."""
_EMPHASIS = re.compile(r"(?<!\w)[*_]{1,3}|[*_]{1,3}(?!\w)")
"""Markdown emphasis markers (underscores inside snake_case names stay)."""


def rename_placeholders(path: str) -> tuple[str, dict[str, str]]:
    """The path with camelCase placeholders, and the renames (spec name -> action name)."""
    renames: dict[str, str] = {}
    segments = []
    for segment in path.split("/"):
        match = _PLACEHOLDER.search(segment)
        if match and (match.start() != 0 or match.end() != len(segment)):
            raise HubtoolError(
                f"path segment {segment!r} of {path} is not a whole-segment placeholder; "
                "Harbor paths allow only '{name}' segments"
            )
        if match:
            name = camel_case(match.group(1))
            if not _NAME.fullmatch(name):
                raise HubtoolError(
                    f"path placeholder {match.group(1)!r} cannot be an action parameter name"
                )
            if name in renames.values():
                raise HubtoolError(f"path placeholders of {path} collide as {name!r}")
            renames[match.group(1)] = name
            segment = "{" + name + "}"
        segments.append(segment)
    return "/".join(segments), renames


def relative(path: str, base_path: str) -> str:
    """``path`` relative to the port's ``base_path`` (``""``: the server root)."""
    if not base_path:
        return path
    if path == base_path or path.startswith(base_path + "/"):
        return path[len(base_path) :] or "/"
    raise HubtoolError(
        f"the operation's path {path} is not under the port's base path {base_path}/; "
        "scaffold it into a manifest whose baseUrl matches the spec's server"
    )


def camel_case(name: str) -> str:
    """``organization_id_or_slug`` -> ``organizationIdOrSlug`` (camelCase is kept)."""
    parts = [p for p in re.split(r"[^A-Za-z0-9]+", name) if p]
    if not parts:
        return ""
    first = parts[0].lower() if parts[0].isupper() else parts[0][0].lower() + parts[0][1:]
    return first + "".join(p[0].upper() + p[1:] for p in parts[1:])


def check_slug(slug: str) -> str:
    """``slug`` when it is kebab-case and at most 64 characters; else ``HubtoolError``."""
    if not _SLUG.fullmatch(slug) or len(slug) > 64:
        raise HubtoolError(
            f"--slug {slug!r} is not a kebab-case slug (a-z, 0-9 and '-', at most 64)"
        )
    return slug


def derive_slug(operation: Operation) -> str:
    """``<verb>-<resource>``: getOrganizationIssue on .../issues/{issue_id}/ -> ``get-issue``."""
    words = _WORDS.findall(operation.operation_id)
    verb = words[0].lower() if words else operation.method.lower()
    segments = [s for s in operation.path.split("/") if s]
    literal = [i for i, s in enumerate(segments) if not _PLACEHOLDER.fullmatch(s)]
    resource = ""
    if literal:
        last = literal[-1]
        resource = kebab(segments[last])
        if last != len(segments) - 1:
            resource = singular(resource)
    slug = "-".join(p for p in (kebab(verb), resource) if p)[:64].strip("-")
    if not _SLUG.fullmatch(slug):
        raise HubtoolError(f"cannot derive a slug from {operation.operation_id!r}; pass --slug")
    return slug


def kebab(text: str) -> str:
    """``organizationIssues`` -> ``organization-issues``."""
    text = re.sub(r"([a-z0-9])([A-Z])", r"\1-\2", text)
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def singular(word: str) -> str:
    """issues -> issue, entries -> entry, statuses -> status (the last word of a kebab name)."""
    head, _, last = word.rpartition("-")
    if last.endswith("ies") and len(last) > 4:
        last = last[:-3] + "y"
    elif last.endswith(("sses", "xes", "ches", "shes", "uses", "zzes")):
        last = last[:-2]
    elif last.endswith("s") and not last.endswith(("ss", "us", "is")):
        last = last[:-1]
    return f"{head}-{last}" if head else last


def label_of(slug: str) -> str:
    """``get-issue`` -> ``Get Issue`` (at most 120 characters)."""
    return " ".join(word.capitalize() for word in slug.split("-"))[:120]


def describe(operation: Operation, slug: str, method: str, path: str) -> str:
    """The summary, else the description's first sentence; bounded, never a credential."""
    for text in (operation.summary, first_sentence(operation.description)):
        safe = safe_text(text, MAX_DESCRIPTION)
        if safe:
            return safe
    return f"{label_of(slug)}: {method} {path}."[:MAX_DESCRIPTION]


def first_sentence(text: str) -> str:
    """The first sentence of ``text``'s first paragraph, on one line."""
    paragraph = text.strip().split("\n\n")[0]
    return _SENTENCE.split(" ".join(paragraph.split()), maxsplit=1)[0]


def safe_text(text: Any, limit: int = MAX_DESCRIPTION) -> str | None:
    """``text``'s first paragraph on one line, cut at ``limit``; None if empty or secret-shaped."""
    if not isinstance(text, str):
        return None
    line = " ".join(text.strip().split("\n\n")[0].split())
    line = " ".join(_EMPHASIS.sub("", _LINK.sub(r"\1", line)).split())
    if len(line) > limit:
        line = line[: limit - 3].rsplit(" ", 1)[0].rstrip(" ,;:") + "..."
    if not line or find_secret(line):
        return None
    return line
