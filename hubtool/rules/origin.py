"""Rule ``fixed-origin``: one absolute https origin, and every action resolves under it."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterator
from typing import Any

from hubtool import urls
from hubtool.findings import Finding
from hubtool.loader import Document
from hubtool.manifest import action_name, actions, ports
from hubtool.registry import finding
from hubtool.rules.secrets import safe_repr

_HOST = re.compile(r"(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,62}")
_LOCAL_SUFFIXES = (".localhost", ".local", ".internal", ".localdomain", ".home.arpa")


def base_url_problem(url: str) -> str | None:
    """Why ``url`` is not an acceptable port baseUrl, or None."""
    if any(c.isspace() for c in url):
        return "contains whitespace"
    parts = urls.split(url)
    if parts is None:
        return "is not a valid URL (check the port number)"
    if parts.scheme.lower() != "https":
        return "must use https" if parts.scheme else "must be an absolute https URL"
    if not parts.hostname:
        return "has no host"
    if parts.username is not None or "@" in parts.netloc:
        return "must not carry userinfo (user:password@)"
    if parts.query or url.endswith("?"):
        return "must not carry a query string"
    if parts.fragment or "#" in url:
        return "must not carry a fragment"
    if parts.port not in (None, 443):
        return f"must use the default https port, not {parts.port}"
    return _host_problem(parts.hostname)


def _host_problem(host: str) -> str | None:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        pass
    else:
        return "must use a DNS host name, not an IP literal"
    if host == "localhost" or host.endswith(_LOCAL_SUFFIXES):
        return "must not point at a local or internal host"
    if not _HOST.fullmatch(host):
        return f"has an invalid host name {host!r}"
    return None


def https_origin(base: str) -> str:
    """The origin of an accepted https baseUrl; an explicit default port (:443) is the same."""
    return urls.origin(base).removesuffix(":443")


def check(doc: Document) -> Iterator[Finding]:
    first_origin = ""
    port_bases: list[str] = []
    for pointer, port in ports(doc.data):
        base = port.get("baseUrl")
        if not isinstance(base, str):
            continue
        problem = base_url_problem(base)
        if problem:
            yield finding(
                doc, "fixed-origin", f"{pointer}/baseUrl", f"baseUrl {safe_repr(base)} {problem}"
            )
            continue
        port_bases.append(base)
        if not first_origin:
            first_origin = https_origin(base)
        elif https_origin(base) != first_origin:
            yield finding(
                doc,
                "fixed-origin",
                f"{pointer}/baseUrl",
                f"second origin {https_origin(base)!r}: a manifest has one origin "
                f"({first_origin!r}); move this port to its own manifest",
            )
    if port_bases:
        yield from _actions_under(doc, port_bases[0])


def _actions_under(doc: Document, base: str) -> Iterator[Finding]:
    for pointer, action in actions(doc.data):
        path = action.get("path")
        if not isinstance(path, str):
            continue
        url = urls.join(base, _fill_placeholders(path))
        if not urls.under(url, base):
            yield finding(
                doc,
                "fixed-origin",
                f"{pointer}/path",
                f"{action_name(action, pointer)}: path {safe_repr(path)} resolves "
                f"outside {safe_repr(base)}; keep it a relative route under the port's baseUrl",
            )


def _fill_placeholders(path: str) -> Any:
    return re.sub(r"\{[^{}/]*\}", "x", path)
