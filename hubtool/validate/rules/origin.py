"""Rules ``fixed-origin`` (one https origin, every action under it) and ``auth-header`` (the
operator's token goes in a credential header, with a known scheme)."""

from __future__ import annotations

import functools
import ipaddress
import re
from collections.abc import Iterator
from typing import Any

from hubtool.core import urls
from hubtool.core.findings import ERROR, Finding
from hubtool.core.lazyre import lazy_compile
from hubtool.core.limits import SHORT_TEXT, cached_when_short
from hubtool.core.manifest import action_name, actions, ports
from hubtool.core.registry import Example, Rule, finding
from hubtool.core.secrets import safe_repr
from hubtool.load.strict import Document

FIXED_ORIGIN = Rule(
    id="fixed-origin",
    severity=ERROR,
    family="origin",
    title="One fixed https origin",
    description="Each port `baseUrl` is an absolute https URL with a DNS host name: no "
    "userinfo, query, fragment, IP literal, localhost or non-default port. A manifest has one "
    "origin, and every action path resolves under its port's baseUrl.",
    fix="Use the provider's public https API root, e.g. https://sentry.io/.",
    failing=Example(patch={"/portTemplates/0/baseUrl": "http://api.acme.example:8080/"}),
    passing=Example(patch={"/portTemplates/0/baseUrl": "https://api.acme.example/v2/"}),
)

AUTH_HEADER = Rule(
    id="auth-header",
    severity=ERROR,
    family="origin",
    title="The token goes in a credential header, with a known scheme",
    description="`authHeaderName` decides where Harbor Node sends the operator's token: it is "
    "`Authorization` or an API-key header (`X-Api-Key`, `Api-Key`, `X-...-Key`, "
    "`X-...-Token`, `PRIVATE-TOKEN`), never a routing, framing, hop-by-hop or cookie header "
    "(`Host`, `Cookie`, `Content-Length`, `Transfer-Encoding`, `Proxy-...`, `Sec-...`, "
    "`X-Forwarded-...`). `Proxy-Authorization` is refused: a proxy consumes it, the provider "
    "never sees it. `authTokenPrefix` is `Bearer`, `Bot`, `Basic`, `Token`, `DSN` or empty "
    "(a bare token). Header names and schemes compare case-insensitively.",
    fix="Use the header and scheme the provider documents, e.g. Authorization with Bearer.",
    failing=Example(patch={"/portTemplates/0/authHeaderName": "Cookie"}),
    passing=Example(
        patch={
            "/portTemplates/0/authHeaderName": "X-Api-Key",
            "/portTemplates/0/authTokenPrefix": "",
        }
    ),
)


_HOST = re.compile(r"(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,62}")
_LOCAL_SUFFIXES = (".localhost", ".local", ".internal", ".localdomain", ".home.arpa")


@cached_when_short(maxsize=1024)
def base_url_problem(url: str) -> str | None:
    """Why ``url`` is not an acceptable port baseUrl, or None (cached: a catalog's manifests
    repeat their providers' base URLs)."""
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


_CREDENTIAL_HEADER = re.compile(r"authorization|(?:[a-z0-9]+-)*(?:api-?key|key|token)", re.I)
"""``Authorization`` (RFC 9110 section 11.6.2) or an API-key header: ``X-Api-Key``, ``Api-Key``,
``apikey``, ``X-Auth-Token``, ``PRIVATE-TOKEN`` (GitLab), ``X-Figma-Token`` ... (whole name)."""
_NOT_FOR_CREDENTIALS = ("proxy-", "sec-", "x-forwarded-", "x-http-method", "x-original-")
"""Prefixes of headers an intermediary or the browser owns (Fetch's forbidden ``Proxy-``/``Sec-``
request headers) or that reroute a request: never where the operator's token goes."""
TOKEN_PREFIXES = ("Bearer", "Bot", "Basic", "Token", "DSN", "")
"""Schemes written before the token: Bearer (RFC 6750; 19 of Harbor's 20 connectors), Bot
(Discord), Basic (Jira, Confluence), Token, DSN (Sentry's spec), or none (API-key headers)."""


def auth_header_problem(name: str) -> str | None:
    """Why ``name`` is not a header the operator's token may be sent in, or None."""
    lower = name.lower()
    if not _CREDENTIAL_HEADER.fullmatch(name) or lower.startswith(_NOT_FOR_CREDENTIALS):
        return (
            f"authHeaderName {safe_repr(name)} is not a credential header: Harbor Node sends "
            "the operator's token in it, so it must be Authorization or an API-key header "
            "(X-Api-Key, X-...-Key, X-...-Token), never a routing, framing, hop-by-hop or "
            "cookie header"
        )
    return None


def auth_prefix_problem(prefix: str) -> str | None:
    """Why ``prefix`` is not a known scheme to write before the token, or None."""
    if prefix.lower() in {p.lower() for p in TOKEN_PREFIXES}:
        return None
    known = ", ".join(repr(p) for p in TOKEN_PREFIXES)
    return f"authTokenPrefix {safe_repr(prefix)} is not a known scheme: use one of {known}"


def _auth_findings(doc: Document) -> Iterator[Finding]:
    for pointer, port in ports(doc.data):
        for key, problem_of in (
            ("authHeaderName", auth_header_problem),
            ("authTokenPrefix", auth_prefix_problem),
        ):
            value = port.get(key)
            problem = problem_of(value) if isinstance(value, str) else None
            if problem:
                yield finding(doc, AUTH_HEADER, f"{pointer}/{key}", problem)


def check(doc: Document) -> Iterator[Finding]:
    yield from _auth_findings(doc)
    first_origin = ""
    port_bases: list[str] = []
    for pointer, port in ports(doc.data):
        base = port.get("baseUrl")
        if not isinstance(base, str):
            continue
        problem = base_url_problem(base)
        if problem:
            yield finding(
                doc,
                FIXED_ORIGIN,
                f"{pointer}/baseUrl",
                f"baseUrl {safe_repr(base)} {problem}; write the provider's public API "
                "origin, https://host/ and an optional base path (e.g. https://api.github.com/)",
            )
            continue
        port_bases.append(base)
        if not first_origin:
            first_origin = https_origin(base)
        elif https_origin(base) != first_origin:
            yield finding(
                doc,
                FIXED_ORIGIN,
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
        if not path_under(base, path):
            yield finding(
                doc,
                FIXED_ORIGIN,
                f"{pointer}/path",
                f"{action_name(action, pointer)}: path {safe_repr(path)} resolves "
                f"outside {safe_repr(base)}; keep it a relative route under the port's baseUrl",
            )


def path_under(base: str, path: str) -> bool:
    """Whether action ``path``, its placeholders filled, resolves under ``base``; cached for
    short texts: a catalog's manifests repeat their providers' routes."""
    if len(base) + len(path) <= SHORT_TEXT:
        return _path_under_cached(base, path)
    return _path_under(base, path)


def _path_under(base: str, path: str) -> bool:
    return urls.under(urls.join(base, _fill_placeholders(path)), base)


_path_under_cached = functools.lru_cache(maxsize=4096)(_path_under)
_PLACEHOLDERS = lazy_compile(r"\{[^{}/]*\}")


def _fill_placeholders(path: str) -> Any:
    return _PLACEHOLDERS.sub("x", path)
