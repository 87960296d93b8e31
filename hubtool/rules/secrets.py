"""Rules ``no-secret-fields`` and ``no-secret-values``.

Secret values are never printed anywhere: findings carry the kind of credential and a
redacted hint (the public prefix of the format, if any, and the length).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from hubtool.findings import Finding
from hubtool.fingerprint import pointer_fingerprint
from hubtool.loader import Document, escape
from hubtool.manifest import actions, parameters
from hubtool.registry import finding

# --- secret field names -------------------------------------------------------------------

METADATA_KEYS = frozenset({"authheadername", "authtokenprefix"})
"""Normalised keys that describe how a credential is sent, not the credential itself."""

_SECRET_NAMES = frozenset(
    {
        "token", "authtoken", "accesstoken", "refreshtoken", "idtoken", "apitoken",
        "bearertoken", "sessiontoken", "oauthtoken", "csrftoken", "xsrftoken",
        "personalaccesstoken", "pat", "apikey", "xapikey", "apisecret", "appsecret", "secret",
        "clientsecret", "secretkey", "privatekey", "secretaccesskey", "accesskeyid",
        "password", "passwd", "passphrase", "pwd", "cookie", "cookies", "setcookie",
        "sessionid", "sessionkey", "credential", "credentials", "authorization", "dsn",
        "webhooksecret", "signingsecret", "signingkey", "encryptionkey", "masterkey",
    }
)  # fmt: skip
_SECRET_LAST_WORDS = frozenset(
    {
        "token", "password", "passwords", "passwd", "secret", "secrets", "passphrase", "cookie",
        "credential", "credentials",
    }
)  # fmt: skip
_SECRET_LAST_PAIRS = frozenset(
    {
        ("api", "key"), ("api", "keys"), ("private", "key"), ("secret", "key"), ("access", "key"),
        ("auth", "key"),
    }
)  # fmt: skip
_PAGINATION_WORDS = frozenset({"page", "next", "continuation", "sync", "resume"})
"""``pageToken``, ``nextToken`` ...: opaque pagination cursors, not credentials."""
_WORDS = re.compile(r"[A-Z]+(?=[A-Z][a-z]|[0-9]|\b|_)|[A-Z]?[a-z]+|[A-Z]+|[0-9]+")


def key_words(key: str) -> list[str]:
    """Split a key in any case or separator style into lowercase words."""
    return [w.lower() for w in _WORDS.findall(key)]


def names_credential(key: str) -> bool:
    """True when a key or parameter name names a credential (authToken, api_key, X-Api-Key ...)."""
    words = key_words(key)
    joined = "".join(words)
    if not words or joined in METADATA_KEYS:
        return False
    if len(words) >= 2 and words[-1] == "token" and words[-2] in _PAGINATION_WORDS:
        return False
    if joined in _SECRET_NAMES or words[-1] in _SECRET_LAST_WORDS:
        return True
    return len(words) >= 2 and (words[-2], words[-1]) in _SECRET_LAST_PAIRS


def _walk_keys(value: Any, pointer: str = "") -> Iterator[tuple[str, str]]:
    """Yield (pointer, key) for every object member, depth first."""
    if isinstance(value, dict):
        for key, child in value.items():
            child_pointer = f"{pointer}/{escape(key)}"
            yield child_pointer, key
            yield from _walk_keys(child, child_pointer)
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _walk_keys(child, f"{pointer}/{index}")


def check_fields(doc: Document) -> Iterator[Finding]:
    for pointer, key in _walk_keys(doc.data):
        if names_credential(key):
            yield finding(
                doc,
                "no-secret-fields",
                pointer,
                f"key {key!r} names a credential; manifests never carry credentials (the token "
                "is hidden local config on the Harbor Node): remove it",
                at_key=True,
            )
    for action_pointer, action in actions(doc.data):
        for pointer, param in parameters(action, action_pointer):
            name = param.get("name")
            if isinstance(name, str) and names_credential(name):
                yield finding(
                    doc,
                    "no-secret-fields",
                    f"{pointer}/name",
                    f"parameter {name!r} asks the caller for a credential; Harbor Node adds the "
                    "port's auth header itself: remove the parameter",
                )


# --- secret values ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Detector:
    kind: str
    regex: re.Pattern[str]
    prefix: str = ""
    """Public, fixed prefix of the format that may be shown in a redacted hint."""


def _re(pattern: str, flags: int = 0) -> re.Pattern[str]:
    return re.compile(pattern, flags)


DETECTORS: tuple[Detector, ...] = (
    Detector("PEM private key", _re(r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY( BLOCK)?-----"), "-----BEGIN"),
    Detector("Sentry org auth token", _re(r"\bsntrys_[A-Za-z0-9+/=_-]{20,}"), "sntrys_"),
    Detector("Sentry user auth token", _re(r"\bsntryu_[A-Fa-f0-9]{32,}"), "sntryu_"),
    Detector("Sentry DSN with a key", _re(r"\bhttps?://[0-9a-f]{32}(?::[0-9a-f]{32})?@[^\s/]+/(?:[^\s/]+/)*[0-9]+"), "https://"),
    Detector("GitHub token", _re(r"\b(?:gh[pousr]_[A-Za-z0-9]{30,255}|github_pat_[A-Za-z0-9_]{22,255})"), "gh"),
    Detector("GitLab token", _re(r"\bgl(?:pat|dt|rt|ptt|ft|imt|agent|oas|cbt|soat)-[A-Za-z0-9_-]{20,}"), "gl"),
    Detector("Slack token", _re(r"\bxox[abeposr]-[A-Za-z0-9-]{10,}|\bxapp-[0-9]-[A-Za-z0-9-]{10,}"), "xox"),
    Detector("Slack webhook URL", _re(r"hooks\.slack\.com/(?:services|workflows)/T[A-Z0-9]+/[A-Za-z0-9/]{10,}"), "hooks.slack.com"),
    Detector("Stripe secret key", _re(r"\b(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,}"), "sk_"),
    Detector("AWS access key ID", _re(r"\b(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z0-9]{16}\b(?<!EXAMPLE)"), "A"),
    Detector("Google API key", _re(r"\bAIza[0-9A-Za-z_-]{35}"), "AIza"),
    Detector("Google OAuth token", _re(r"\bya29\.[0-9A-Za-z_-]{20,}|\bGOCSPX-[0-9A-Za-z_-]{20,}"), ""),
    Detector("OpenAI or Anthropic API key", _re(r"\bsk-(?:proj-|svcacct-|admin-|ant-[a-z0-9]+-)?[A-Za-z0-9_-]{20,}"), "sk-"),
    Detector("JSON Web Token", _re(r"\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}"), "eyJ"),
    Detector("credential in URL userinfo", _re(r"\b[a-z][a-z0-9+.-]*://[^\s/:@]+:[^\s/@]+@[^\s/]+", re.I)),
    Detector("credential in a URL query", _re(r"[?&](?:access_token|auth_token|api_key|apikey|token|secret|client_secret|password|passwd|sig|signature|key)=(?!(?-i:[A-Z_]+)(?:[&#\s\"']|$))[^&\s#\"'<>{}$]{6,}", re.I)),
    Detector("authorization header value", _re(r"\b(?:[Bb][Ee][Aa][Rr][Ee][Rr]|Token|Basic|Bot)\s+(?=[A-Za-z0-9._~+/=-]*[0-9])(?=[A-Za-z0-9._~+/=-]*[A-Za-z])[A-Za-z0-9._~+/-]{16,}=*")),
    Detector("legacy Sentry or other 64-hex token", _re(r"(?<![0-9A-Fa-f])(?<!avatar/)(?<!sha256[:=])[0-9a-f]{64}(?![0-9A-Fa-f])"), ""),
)  # fmt: skip

_TOKEN_SHAPE = re.compile(r"[A-Za-z0-9+/=_.-]{24,}")
_RANDOM_MIN = 24
"""Shortest run of token characters the high-entropy fallback considers."""
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_WORDY = re.compile(r"(?:[A-Z][a-z]++|[a-z]{2,}+|[A-Z]{2,}+|[A-Za-z]?+[0-9]++|[._/-])++")
"""Words of two letters or more, version numbers (V2, s3) and separators.

Possessive quantifiers keep it linear: with backtracking, ``"ab" * 20 + "X"`` takes seconds.
"""
_WORD = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])")
_PLACEHOLDER = "EXAMPLE"
"""Documentation placeholders (AWS's ...EXAMPLEKEY) spell this out; real keys never do."""


@dataclass(frozen=True, slots=True)
class SecretMatch:
    kind: str
    hint: str
    start: int = 0
    end: int = 0
    """Where the credential-shaped part sits in the text that was searched."""


def entropy(text: str) -> float:
    """Shannon entropy in bits per character."""
    counts = Counter(text)
    total = len(text)
    return -sum(n / total * math.log2(n / total) for n in counts.values())


def _segments(token: str) -> list[str]:
    """The parts of a token to test: a URL or path (``//host/...``, ``/a/b/c``) per segment."""
    if not token.startswith("/") or token.count("/") < 3:
        return [token]
    return [part for part in token.split("/") if len(part) >= _RANDOM_MIN]


def _entropy_floor(length: int) -> float:
    """The entropy a random base62/base64 key of this length almost always reaches."""
    return min(4.0, 0.8 * math.log2(length))


def _is_identifier(token: str) -> bool:
    """Words in any case style (organizationIdOrSlug, list-issues-v2, ScimV2Group).

    Random keys split into words too, but short ones: identifiers average four letters or more.
    """
    if not _WORDY.fullmatch(token):
        return False
    words = _WORD.findall(token)
    return sum(map(len, words)) >= 4 * len(words)


def _looks_random(token: str) -> bool:
    """A long token-shaped string with the entropy of a key rather than words or an id."""
    if _PLACEHOLDER in token or _UUID.fullmatch(token):
        return False
    if _is_identifier(token):
        return False
    lower = sum(c.islower() for c in token)
    upper = sum(c.isupper() for c in token)
    if min(lower, upper) < 2 or not any(c.isdigit() for c in token):
        return False
    return entropy(token) >= _entropy_floor(len(token))


def _hint(kind: str, prefix: str, secret: str, start: int, end: int) -> SecretMatch:
    shown = prefix if prefix and secret.startswith(prefix) else ""
    return SecretMatch(kind, f"{shown}... ({len(secret)} chars, redacted)", start, end)


def find_secret(text: str) -> SecretMatch | None:
    """The first credential-shaped part of ``text``, as a kind, a redacted hint and its span."""
    for detector in DETECTORS:
        match = detector.regex.search(text)
        if match:
            return _hint(detector.kind, detector.prefix, match.group(), *match.span())
    for match in _TOKEN_SHAPE.finditer(text):
        for token in _segments(match.group()):
            if _looks_random(token):
                return _hint("high-entropy string", "", token, *match.span())
    return None


_MAX_REDACTIONS = 100
"""More credential-shaped parts than this in one text: the whole text is withheld."""


def redact_text(text: str) -> str:
    """``text`` with every credential-shaped part replaced by its kind and redacted hint.

    Each replacement is searched again as part of the whole text, since ``find_secret`` reports
    the first detector's match, not the leftmost one.
    """
    for _ in range(_MAX_REDACTIONS):
        match = find_secret(text)
        if match is None:
            return text
        text = f"{text[: match.start]}<{match.kind}: {match.hint}>{text[match.end :]}"
    return "<redacted text>"


def safe_repr(value: Any, limit: int = 60) -> str:
    """``repr(value)`` for messages, unless it may carry a secret or is too long."""
    if isinstance(value, str):
        if find_secret(value):
            return "<redacted value>"
        if len(value) > limit:
            return repr(value[:limit] + "...")
        return repr(value)
    if isinstance(value, dict | list):
        return f"<{type(value).__name__} of {len(value)}>"
    return repr(value)


def _walk_strings(value: Any, pointer: str = "") -> Iterator[tuple[str, str, bool]]:
    """Yield (pointer, string, is_key) for every string value and key."""
    if isinstance(value, str):
        yield pointer, value, False
    elif isinstance(value, dict):
        for key, child in value.items():
            child_pointer = f"{pointer}/{escape(key)}"
            yield child_pointer, key, True
            yield from _walk_strings(child, child_pointer)
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _walk_strings(child, f"{pointer}/{index}")


def secret_strings(value: Any) -> Iterator[tuple[str, SecretMatch, bool]]:
    """(pointer, match, is_key) for every credential-shaped string value or key in ``value``."""
    for pointer, text, is_key in _walk_strings(value):
        match = find_secret(text)
        if match:
            yield pointer, match, is_key


def check_values(doc: Document) -> Iterator[Finding]:
    for pointer, match, is_key in secret_strings(doc.data):
        where = "a key" if is_key else "a value"
        fingerprint = pointer_fingerprint(doc.data, pointer, is_key)
        yield finding(
            doc,
            "no-secret-values",
            pointer,
            f"{where} looks like a {match.kind} [{match.hint}]; remove it and revoke the "
            "credential: manifests never carry credentials (not a credential? allow its "
            f"fingerprint {fingerprint} in .hubtool.yaml with a reason)",
            at_key=is_key,
            fingerprint=fingerprint,
        )


def check(doc: Document) -> Iterator[Finding]:
    yield from check_fields(doc)
    yield from check_values(doc)


def safe_name(name: Any) -> str:
    """A key or name as written, for a message, unless it looks like a credential."""
    text = str(name)
    return "<redacted>" if find_secret(text) else text


def safe_pointer(pointer: str) -> str:
    """``pointer`` for output, with every credential-shaped reference token redacted.

    Each token is checked as the key it stands for (``~1`` is ``/``): an escaped URL with
    userinfo is still a credential.
    """
    return "/".join(_safe_token(token) for token in pointer.split("/"))


def _safe_token(token: str) -> str:
    key = token.replace("~1", "/").replace("~0", "~")
    return "<redacted>" if find_secret(key) else token
