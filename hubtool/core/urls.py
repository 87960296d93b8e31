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
    """True when ``url`` has the origin of ``base_url``, no userinfo, and lies under its path."""
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
