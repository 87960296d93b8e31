"""Joining action paths under a port baseUrl, the way Harbor appends a path to its port."""

from __future__ import annotations

from urllib.parse import SplitResult, urlsplit

from hubtool.core.limits import cached_when_short


def join(base_url: str, path: str) -> str:
    """``https://slack.com/api/`` + ``/conversations.list`` -> ``.../api/conversations.list``."""
    return base_url.rstrip("/") + "/" + path.lstrip("/")


@cached_when_short()
def split(url: str) -> SplitResult | None:
    """urlsplit that returns None instead of raising on malformed input (e.g. a bad port).
    Cached: a manifest's base URL and paths repeat in every action."""
    try:
        parts = urlsplit(url)
        _ = parts.port
    except ValueError:
        return None
    return parts


@cached_when_short()
def origin(url: str) -> str:
    """scheme://host[:port] of a URL, lowercased; '' when it has none."""
    parts = split(url)
    if parts is None or not parts.hostname:
        return ""
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme.lower()}://{parts.hostname.lower()}{port}"


def under(url: str, base_url: str) -> bool:
    """True when ``url`` has the origin of ``base_url``, no userinfo, and lies under its path.

    A ``url`` that is ``join(base_url, path)`` (what every rule asks) is judged on its path
    alone (``_joined``); any other through ``urlsplit``, the reference (``_under_split``)."""
    known = _base_state(base_url)
    if known is not None:
        prefix, base_path = known
        if url.startswith(prefix) and not _odd(rest := url[len(prefix) :]):
            return _joined(base_path, rest)
    return _under_split(url, base_url)


def _odd(text: str) -> bool:
    """Whether ``text`` holds what ``urlsplit`` reads specially after a netloc, besides ``?``:
    a fragment mark, or a tab or line break (deleted anywhere in a URL)."""
    return "#" in text or "\t" in text or "\n" in text or "\r" in text


_NEVER = ("", None)
"""``_base_state`` of a base no URL lies under: ``urlsplit`` refuses it, or it has no origin."""


@cached_when_short()
def _base_state(base_url: str) -> tuple[str, str | None] | None:
    """``(prefix, base path)`` when ``urlsplit`` of ``prefix + rest`` (``rest`` free of
    ``_odd``) has the scheme, netloc, userinfo and origin of ``base_url``, and the path
    ``base path + rest`` up to its first ``?``; base path None: no such URL is under
    ``base_url`` (``_NEVER``: no URL at all).
    None: ``base_url`` is read otherwise (a query, a fragment, a tab, a leading control
    character or space), and ``under`` asks ``urlsplit``.

    ``prefix`` is ``join(base_url, "")``: ``base_url`` has no ``?`` or ``#``, so its netloc
    ends before the ``/`` that ``join`` puts after it, or in its own path; and the first ``:``
    of the URL, which ``urlsplit`` ends the scheme at, is the base's own."""
    if _odd(base_url) or "?" in base_url or base_url[:1] <= " ":
        return None
    base = split(base_url)
    if base is None or not origin(base_url):
        return _NEVER
    prefix = base_url.rstrip("/") + "/"
    if base.username is not None:  # so has every URL of its netloc
        return prefix, None
    return prefix, base.path.rstrip("/") + "/"


def _joined(base_path: str | None, rest: str) -> bool:
    """``_under_split(prefix + rest, base_url)`` for ``(prefix, base_path) =
    _base_state(base_url)``: the URL's path is ``base_path + rest`` up to the first ``?``."""
    if base_path is None:
        return False
    path = base_path + rest.partition("?")[0]
    return (remove_dot_segments(path).rstrip("/") + "/").startswith(base_path)


def _under_split(url: str, base_url: str) -> bool:
    """``under`` through ``urlsplit`` of both URLs (the reference)."""
    target, base = split(url), split(base_url)
    if target is None or base is None:
        return False
    own = origin(url)
    if not own or own != origin(base_url):
        return False
    if target.username is not None:
        return False
    base_path = base.path.rstrip("/") + "/"
    return (remove_dot_segments(target.path).rstrip("/") + "/").startswith(base_path)


def remove_dot_segments(path: str) -> str:
    """Resolve ``.`` and ``..`` segments the way a server would (RFC 3986, 5.2.4)."""
    if "." not in path:
        return path  # no dot segment: the loop below would give it back as it is
    out: list[str] = []
    for segment in path.split("/"):
        if segment == "..":
            if len(out) > 1:
                out.pop()
        elif segment != ".":
            out.append(segment)
    if path.endswith(("/.", "/..")):
        out.append("")
    return "/".join(out)
