"""The names and route of a scaffolded action: slug, label, description, placeholders, path.

From the operation's operationId, path, summary and description (``hubtool.upstream.openapi``);
the decisions are in ``hubtool.upstream.scaffold``'s docstring (Route, Names). A name or route
that cannot become a valid action raises ``HubtoolError`` with the reason.
"""

from __future__ import annotations

import re
from functools import lru_cache
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
"""A Markdown link: descriptions keep its text (``strip_links``: this, in linear time)."""
_LINK_TARGET = re.compile(r"[^)\s]*")
_EMPHASIS = re.compile(r"(?<!\w)[*_]{1,3}|[*_]{1,3}(?!\w)")
"""Markdown emphasis markers (underscores inside snake_case names stay)."""


def word_set(text: str) -> frozenset[str]:
    """The whitespace-separated words of ``text``."""
    return frozenset(text.split())


_GENERIC = re.compile(r"api|rest|v[0-9]+|[0-9]+(?:-[0-9]+)*")
"""Path units that name no resource: API roots and versions (``/rest/api/3``, ``/v2``)."""
VERBS = word_set(
    """accept activate add analyse analyze append apply approve archive assign associate attach
    authorize ban block buy cancel change check clear close compare complete configure confirm
    connect convert copy count create deactivate decline delete deploy destroy detach disable
    disconnect dismiss download duplicate edit enable end estimate evaluate exchange expire
    export fetch find follow fork generate get grant hide import insert install instantiate
    invalidate invite join kick leave link list lock mark merge modify move mutate mute notify open
    patch pause pin post preview promote provision prune publish purge put query read reboot
    recycle redeliver regenerate register reject remove rename render reopen reorder replace
    request rerun reset resize resolve restart restore resume retrieve retry revert revoke
    rollback rotate run save scan schedule search select send set share show start stop submit
    suspend sync test transfer trash trigger unarchive unassign unban unblock unfollow
    uninstall unlink unlock unmute unpin unregister unset unshare unstar unsuspend update
    upgrade upload upsert validate verify"""
)
"""Words that name an action: the operationId's first one is the slug's verb."""
METHOD_VERBS = {"get": "get", "head": "check", "post": "create", "put": "set", "patch": "update"}
"""The verb of an operationId that names none (Slack's ``users_conversations``)."""


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
    """``<verb>-<noun>``, whatever the operationId's style (``hubtool.upstream.scaffold`` Names).

    getOrganizationIssue on .../issues/{issue_id}/ -> ``get-issue``; GitHub's ``issues/get``
    -> ``get-issue``; DigitalOcean's ``droplets_list`` on /v2/droplets -> ``list-droplets``;
    Slack's ``chat_postMessage`` on /api/chat.postMessage -> ``post-message``; HubSpot's
    ``post-/crm/v3/objects/contacts/search_doSearch`` -> ``search-contacts``.
    """
    verb = operation_verb(operation)
    slug = bounded_slug([verb, *noun_words(operation.path, verb)])
    if not _SLUG.fullmatch(slug):
        raise HubtoolError(f"cannot derive a slug from {operation.operation_id!r}; pass --slug")
    return slug


def operation_verb(operation: Operation) -> str:
    """The operation's verb: the path's last unit when it is a known verb (``VERBS``) the
    operationId also names (Slack's ``admin_inviteRequests_list`` -> list); else the first
    known verb of the operationId's last ``/`` part, else of the whole id; else, for a write,
    the id's word that is the path's last unit (``admin_apps_restrict`` on
    .../admin.apps.restrict -> restrict); else the method's (``METHOD_VERBS``)."""
    operation_id = operation.operation_id
    units = path_units(operation.path)
    last = units[-1][0] if units else ""
    if last in VERBS and _names(operation_id, last):
        return last  # Slack's admin_inviteRequests_list, GitHub's pulls/merge on .../merge
    tail = _PLACEHOLDER.sub(" ", operation_id.rsplit("/", 1)[-1])
    for text in (tail, operation_id):
        verb = next((w for w in id_words(text) if w in VERBS), None)
        if verb:
            return verb
    if operation.method.lower() not in ("get", "head") and last in id_words(operation_id):
        return last
    return METHOD_VERBS.get(operation.method.lower(), operation.method.lower())


def _names(operation_id: str, word: str) -> bool:
    """Whether the operationId has ``word`` as one word or two or three joined (``re-run`` is
    ``rerun``)."""
    words = id_words(operation_id)
    return any(
        "".join(words[i : i + n]) == word for n in (1, 2, 3) for i in range(len(words) - n + 1)
    )


def id_words(text: str) -> list[str]:
    """``chat_postMessage`` -> [chat, post, message] (lower case)."""
    return [w.lower() for w in _WORDS.findall(text)]


@lru_cache(maxsize=16)
def path_units(path: str) -> tuple[tuple[str, bool], ...]:
    """The literal parts of ``path`` (segments, and a segment's dot-separated parts, as in
    Slack's ``chat.postMessage``), kebab-case, each with whether a placeholder follows it."""
    units: list[tuple[str, bool]] = []
    for segment in (s for s in path.split("/") if s):
        if _PLACEHOLDER.fullmatch(segment):
            if units:
                units[-1] = (units[-1][0], True)
            continue
        units += [(part, False) for part in map(kebab, segment.split(".")) if part]
    return tuple(units)


def noun_words(path: str, verb: str) -> list[str]:
    """The resource: the last literal unit of ``path`` without the verb (a unit that is only
    the verb, as in ``.../pulls/{n}/merge``, yields the unit before it), singular before a
    placeholder."""
    return _noun(path_units(path), verb)[1]


def context_words(path: str, verb: str) -> list[list[str]]:
    """The qualifiers of a colliding slug, nearest first: the literal units before the noun's,
    singular before a placeholder, without API names and versions (``/repos/{o}/{r}/issues``
    -> [[repo]])."""
    units = path_units(path)
    index, _ = _noun(units, verb)
    return [
        (singular(unit) if before_placeholder else unit).split("-")
        for unit, before_placeholder in reversed(units[:index])
        if not _GENERIC.fullmatch(unit)
    ]


def _noun(units: tuple[tuple[str, bool], ...], verb: str) -> tuple[int, list[str]]:
    """(index of the unit the noun comes from, the noun's words); (0, []) when none."""
    for index in range(len(units) - 1, -1, -1):
        unit, before_placeholder = units[index]
        words = [w for w in unit.split("-") if w != verb]
        if words:
            if before_placeholder:
                words = singular("-".join(words)).split("-")
            return index, words
    return 0, []


def bounded_slug(words: list[str]) -> str:
    """The words joined with ``-``, at most 64 characters, cut at a word."""
    slug = "-".join(w for part in words for w in kebab(part).split("-") if w)
    if len(slug) > 64:
        cut = slug[:65]
        slug = cut.rsplit("-", 1)[0] if "-" in cut else cut[:64]
    return slug.strip("-")


def kebab(text: str) -> str:
    """``organizationIssues`` -> ``organization-issues``."""
    text = re.sub(r"([a-z0-9])([A-Z])", r"\1-\2", text)
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def singular(word: str) -> str:
    """issues -> issue, entries -> entry, statuses -> status, aliases -> alias (the last word
    of a kebab name)."""
    head, _, last = word.rpartition("-")
    if last.endswith("iases"):
        last = last[:-2]
    elif last.endswith("ies") and len(last) > 4:
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
    line = " ".join(_EMPHASIS.sub("", strip_links(line)).split())
    if len(line) > limit:
        head = line[: limit - 3]
        if " " not in head:  # one word cut in two: judge it whole, or a token's head shows
            end = line.find(" ", limit - 3)
            if find_secret(line if end == -1 else line[:end]):
                return None
        line = head.rsplit(" ", 1)[0].rstrip(" ,;:") + "..."
    if not line or find_secret(line):
        return None
    return line


def strip_links(text: str) -> str:
    """``_LINK.sub(r"\\1", text)``: each Markdown link ``[text](target)`` replaced by its text,
    in time linear in ``text`` (the regex rescans the rest of the text from each ``[``: minutes
    on a spec's 300,000-character description of ``[`` and an unclosed target).

    A link starting at a ``[`` ends at the first ``]`` after it, and its target at the first
    ``)`` or whitespace after ``](``; so when it fails, every ``[`` before that ``]`` fails too,
    and a later target inside the same run of target characters ends where this one did.
    """
    out, done, run_end = [], 0, -1
    start = text.find("[")
    while start != -1:
        close = text.find("]", start + 1)
        if close == -1:
            break
        if text.startswith("(", close + 1):
            target = close + 2
            end = run_end if target <= run_end else _LINK_TARGET.match(text, target).end()
            run_end = end
            if text.startswith(")", end):
                out += [text[done:start], text[start + 1 : close]]
                done = end + 1
                start = text.find("[", done)
                continue
        start = text.find("[", close + 1)
    out.append(text[done:])
    return "".join(out)
