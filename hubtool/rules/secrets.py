"""Rules ``no-secret-fields`` and ``no-secret-values``.

Secret values are never printed anywhere: findings carry the kind of credential and a
redacted hint (the public prefix of the format, if any, and the length).
"""

from __future__ import annotations

import base64
import functools
import itertools
import math
import re
import urllib.parse
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from hubtool.findings import Finding
from hubtool.fingerprint import pointer_fingerprint
from hubtool.loader import Document, escape, unescape
from hubtool.manifest import actions, as_dict, as_list, body_schema, parameters
from hubtool.registry import finding

# --- secret field names -------------------------------------------------------------------

METADATA_KEYS = frozenset({"authheadername", "authtokenprefix"})
"""Normalised keys that describe how a credential is sent, not the credential itself."""

_SECRET_NAMES = frozenset(
    {"pat", "sessionid", "sessionkey", "authorization", "setcookie", "xapikey"}
)
"""Whole names that name a credential though none of their words does on its own."""
CREDENTIAL_WORDS = frozenset(
    {
        "token", "tokens", "password", "passwords", "passwd", "pwd", "passphrase", "secret", "secrets",
        "cookie", "cookies", "credential", "credentials", "apikey", "apikeys", "dsn",
    }
)  # fmt: skip
"""A name with one of these words, anywhere, names a credential (``x_access_token_id``)."""
CREDENTIAL_PAIRS = frozenset(
    {
        ("api", "key"), ("api", "keys"), ("private", "key"), ("access", "key"), ("auth", "key"),
        ("signing", "key"), ("encryption", "key"), ("master", "key"), ("session", "key"),
        ("auth", "code"), ("auth", "codes"), ("auth", "value"), ("auth", "data"),
        ("auth", "string"), ("auth", "header"), ("bearer", "value"), ("bearer", "header"),
    }
)  # fmt: skip
"""Two adjacent words that name a credential (``API-KEY-value``); ``key`` alone does not."""
CREDENTIAL_STEMS = (
    "apikey", "password", "passwd", "passphrase", "accesstoken", "authtoken", "refreshtoken",
    "secretkey", "privatekey", "clientsecret", "bearertoken", "sessiontoken",
)  # fmt: skip
"""Credential names run together inside one lowercase word (``hapikey``, ``mypassword``)."""
_CURSOR_WORDS = frozenset(
    {
        "page", "next", "prev", "previous", "continuation", "sync", "resume", "cursor", "start",
        "after", "before", "skip", "delta", "change", "changes", "first", "last",
        "max", "min", "num", "total", "count", "input", "output", "prompt", "completion",
    }
)  # fmt: skip
"""Words before ``token`` that make it a pagination cursor (``page_token``, ``nextPageToken``:
Slack, HubSpot, Google) or a count of LLM tokens (``max_tokens``)."""
_TOKENS_QUALIFIERS = frozenset(
    {"access", "api", "auth", "refresh", "bearer", "personal", "session", "id", "oauth", "app"}
)
"""The plural ``tokens`` is a count (``cached_tokens``, ``tokens_used``: LLM usage in GitHub's
and others' specs) unless one of these words comes right before it (``access_tokens``)."""
METADATA_WORDS = frozenset(
    {
        "type", "types", "kind", "url", "uri", "endpoint", "policy", "prefix", "scheme", "mode",
        "length", "count", "limit", "expiry", "expires", "expired", "expiration", "ttl",
        "lifetime", "remaining", "budget", "rotation", "strength", "scan", "scans", "scanning",
        "protection", "category", "enabled",
    }
)  # fmt: skip
"""Words that, right after a credential word, make the name metadata about a credential and
never the credential itself (``token_type``, ``tokenUrl``, ``passwordPolicy``,
``token_expires_in``, ``secret_scanning``: GitHub, Slack, Vercel and Sentry specs).

Only the word right after counts: a credential word followed by anything else is a
credential (``api_key_value``, ``password_auth``, ``api_key_last``, ``access_token_request``,
``client_secret_env``, ``api_key_format``, ``apiKeyInfo``); so are names of or references to a
credential (``secretName``, ``clientSecretRef``, ``passwordHint``, ``token_id``)."""
METADATA_TAILS = frozenset({("last", "used"), ("last", "used", "at"), ("header", "name")})
"""Whole word sequences after a credential word that are metadata too (``token_last_used_at``:
GitHub; ``tokenHeaderName``)."""
_LAST_WORDS = frozenset({"auth", "bearer"})
"""Words that name a credential as the last word of a name (``auth``, ``basicAuth``,
``bearer``), not before another word (``auth_type``, ``hasAuthProvider``: Sentry)."""
_LAST_WORD_QUALIFIERS = frozenset(
    {"x", "basic", "http", "https", "proxy", "api", "user", "client", "oauth", "oauth2", "digest"}
)
"""The only words that may come before such a last word (``x-auth``, ``http_bearer``); any
other (``needs_local_auth``, ``require_auth``) makes the name a flag about auth."""
_WORDS = re.compile(r"[A-Z]+(?=[A-Z][a-z]|[0-9]|\b|_)|[A-Z]?[a-z]+|[A-Z]+|[0-9]+")


def key_words(key: str) -> list[str]:
    """Split a key in any case or separator style into lowercase words."""
    return [w.lower() for w in _WORDS.findall(key)]


def names_credential(key: str) -> bool:
    """True when a key or parameter name names a credential, by any of its words.

    Any case or separator style (``apiKeyValue``, ``API-KEY-value``, ``x_access_token_id``,
    ``clientSecretRef``). Not: metadata (``authHeaderName``, ``token_type``, ``tokenUrl``),
    pagination cursors and token counts (``page_token``, ``nextPageToken``, ``max_tokens``), a
    bare ``tokens`` (a count) or ``key``. One list, shared by ``no-secret-fields`` and scaffold.
    """
    words = key_words(key)
    joined = "".join(words)
    if not words or joined in METADATA_KEYS:
        return False
    if joined in _SECRET_NAMES:
        return True
    return any(_credential_at(words, i) for i in range(len(words)))


def _credential_at(words: list[str], i: int) -> bool:
    """True when the word at ``i`` (or the pair ending there) names a credential in context."""
    word = words[i]
    before = words[i - 1] if i > 0 else ""
    pair = (before, word) in CREDENTIAL_PAIRS
    stem = not word.endswith("less") and any(stem in word for stem in CREDENTIAL_STEMS)
    tail = tuple(words[i + 1 :])
    if word in _LAST_WORDS and not tail:
        return all(_qualifier(words, j) for j in range(i))
    if not (word in CREDENTIAL_WORDS or pair or stem):
        return False
    if tail and (tail[0] in METADATA_WORDS or tail in METADATA_TAILS):
        return False
    if word == "tokens":
        return before in _TOKENS_QUALIFIERS
    return not (word == "token" and before in _CURSOR_WORDS)


def _qualifier(words: list[str], j: int) -> bool:
    """Whether ``words[j]`` may come before a last word: a qualifier, or the digits ending one
    (``key_words`` splits ``oauth2`` into ``oauth``, ``2``)."""
    glued = j > 0 and words[j - 1] + words[j] in _LAST_WORD_QUALIFIERS
    return words[j] in _LAST_WORD_QUALIFIERS or glued


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
    accept: Callable[[str, re.Match[str]], bool] | None = None
    """A check of a match in its text, for what the regex leaves out to stay linear."""


def _re(pattern: str, flags: int = 0) -> re.Pattern[str]:
    return re.compile(pattern, flags)


def _hex64(text: str, match: re.Match[str]) -> bool:
    """A run of exactly 64 lowercase hex digits, not a gravatar hash or a ``sha256:`` digest."""
    before = text[max(0, match.start() - 7) : match.start()]
    return (
        len(match.group()) == 64
        and not any(c in "ABCDEF" for c in match.group())
        and not before.endswith(("avatar/", "sha256:", "sha256="))
    )


DETECTORS: tuple[Detector, ...] = (
    # Each regex starts with a literal or a character class (the engine skips to candidates
    # quickly), checks a word boundary behind that literal, and runs each unbounded repeat
    # possessively, from the start of a run of its alphabet only, or up to a bound: linear.
    Detector("PEM private key", _re(r"-----BEGIN (?:(?!PRIVATE )[A-Z0-9]++ )*+PRIVATE KEY(?: BLOCK)?-----"), "-----BEGIN"),
    Detector("Sentry org auth token", _re(r"sntrys_(?<!\wsntrys_)[A-Za-z0-9+/=_-]{20,}+"), "sntrys_"),
    Detector("Sentry user auth token", _re(r"sntryu_(?<!\wsntryu_)[A-Fa-f0-9]{32,}+"), "sntryu_"),
    Detector("Sentry DSN with a key", _re(r"http(?<!\whttp)s?://[0-9a-f]{32}(?::[0-9a-f]{32})?@[^\s/]++/(?:[^\s/]++/)*?[0-9]+"), "https://"),
    Detector("GitHub token", _re(r"gh(?<!\wgh)[pousr]_[A-Za-z0-9]{30,255}"), "gh"),
    Detector("GitHub token", _re(r"github_pat_(?<!\wgithub_pat_)[A-Za-z0-9_]{22,255}"), "gh"),
    Detector("GitLab token", _re(r"gl(?<!\wgl)(?:pat|dt|rt|ptt|ft|imt|agent|oas|cbt|soat)-[A-Za-z0-9_-]{20,}+"), "gl"),
    Detector("Slack token", _re(r"xox(?<!\wxox)[abeposr]-[A-Za-z0-9-]{10,}+"), "xox"),
    Detector("Slack token", _re(r"xapp-(?<!\wxapp-)[0-9]-[A-Za-z0-9-]{10,}+"), "xox"),
    Detector("Slack webhook URL", _re(r"hooks\.slack\.com/(?:services|workflows)/T[A-Z0-9]++/[A-Za-z0-9/]{10,}+"), "hooks.slack.com"),
    Detector("Stripe secret key", _re(r"sk_(?<!\wsk_)(?:live|test)_[A-Za-z0-9]{16,}+"), "sk_"),
    Detector("Stripe secret key", _re(r"rk_(?<!\wrk_)(?:live|test)_[A-Za-z0-9]{16,}+"), "sk_"),
    Detector("AWS access key ID", _re(r"A(?<!\wA)(?:KIA|SIA|BIA|CCA|3T[A-Z0-9])[A-Z0-9]{16}\b(?<!EXAMPLE)"), "A"),
    Detector("Google API key", _re(r"AIza(?<!\wAIza)[0-9A-Za-z_-]{35}"), "AIza"),
    Detector("Google OAuth token", _re(r"ya29\.(?<!\wya29\.)[0-9A-Za-z_-]{20,}+"), ""),
    Detector("Google OAuth token", _re(r"GOCSPX-(?<!\wGOCSPX-)[0-9A-Za-z_-]{20,}+"), ""),
    Detector("OpenAI or Anthropic API key", _re(r"sk-(?<!\wsk-)(?:proj-|svcacct-|admin-|ant-[a-z0-9]++-)?[A-Za-z0-9_-]{20,}+"), "sk-"),
    Detector("JSON Web Token", _re(r"eyJ(?<![A-Za-z0-9_-]eyJ)[A-Za-z0-9_-]{8,}+\.eyJ[A-Za-z0-9_-]{8,}+\.[A-Za-z0-9_-]{8,}+"), "eyJ"),
    Detector("credential in URL userinfo", _re(r"://(?<=[A-Za-z0-9+.-]://)[^\s/:@]++:[^\s/@]++@[^\s/]++")),
    Detector("credential in a URL query", _re(r"[?&](?:access_token|auth_token|api_key|apikey|token|secret|client_secret|password|passwd|sig|signature|key)=(?!(?-i:[A-Z_]++)(?:[&#\s\"']|$))[^&\s#\"'<>{}$]{6,}+", re.I)),
    Detector("authorization header value", _re(r"[BbT](?<!\w[BbT])(?:(?<=[Bb])[Ee][Aa][Rr][Ee][Rr]|(?<=T)oken|(?<=B)asic|(?<=B)ot)\s++(?=[A-Za-z0-9._~+/=-]*[0-9])(?=[A-Za-z0-9._~+/=-]*[A-Za-z])[A-Za-z0-9._~+/-]{16,}+=*")),
    Detector("legacy Sentry or other 64-hex token", _re(r"[0-9A-Fa-f]{64,}+"), "", _hex64),
)  # fmt: skip

_TOKEN_SHAPE = re.compile(r"[A-Za-z0-9+/=_.-]{24,}+")
_RANDOM_MIN = 24
"""Shortest run of token characters the high-entropy fallback considers."""
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_WORDY = re.compile(r"(?:[A-Z][a-z]++|[a-z]{2,}+|[A-Z]{2,}+|[A-Za-z]?+[0-9]++|[._/-])++")
"""Words of two letters or more, version numbers (V2, s3) and separators.

Possessive quantifiers keep it linear: with backtracking, ``"ab" * 20 + "X"`` takes seconds.
"""
_WORD = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])")
_TWO_LOWER = re.compile(r"[a-z][^a-z]*+[a-z]")
_TWO_UPPER = re.compile(r"[A-Z][^A-Z]*+[A-Z]")
_DIGIT = re.compile(r"[0-9]")
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
    floor = _entropy_floor(len(token))
    if len(set(token)) < 2**floor:  # entropy is at most log2 of the distinct characters
        return False
    if not (_TWO_LOWER.search(token) and _TWO_UPPER.search(token) and _DIGIT.search(token)):
        return False
    if _PLACEHOLDER in token or _UUID.fullmatch(token) or _is_identifier(token):
        return False
    return entropy(token) >= floor


def _hint(kind: str, prefix: str, secret: str, start: int, end: int) -> SecretMatch:
    shown = prefix if prefix and secret.startswith(prefix) else ""
    return SecretMatch(kind, f"{shown}... ({len(secret)} chars, redacted)", start, end)


def _raw_matches(text: str) -> Iterator[SecretMatch]:
    """Every detector's matches in ``text``, detector by detector, then the random tokens.

    Linear in ``len(text)``: each detector regex starts its unbounded runs only where a run of
    its alphabet starts, or is bounded, so no character is rescanned from many start positions
    (``tests/test_hostile_policy.py`` runs each detector's prefix repeated to 1 MiB).
    """
    for detector in DETECTORS:
        for match in detector.regex.finditer(text):
            if detector.accept is None or detector.accept(text, match):
                yield _hint(detector.kind, detector.prefix, match.group(), *match.span())
    for match in _TOKEN_SHAPE.finditer(text):
        for token in _segments(match.group()):
            if _looks_random(token):
                yield _hint("high-entropy string", "", token, *match.span())


def _first_raw(text: str) -> SecretMatch | None:
    return next(_raw_matches(text), None)


_BACKSLASH_ESCAPE = re.compile(r"\\(?:[abfnrtv0]|x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8})")
_NAMED_ESCAPES = dict(zip("abfnrtv0", "\a\b\f\n\r\t\v\0", strict=True))
_ESCAPE = re.compile(_BACKSLASH_ESCAPE.pattern + "|%[0-9A-Fa-f]{2}")
"""An escape sequence a value may have been written with before redaction: Python's ``repr``
and ``escape.terminal`` (``\\n``, ``\\x1b``, ``\\u00e9``, ``\\U0001f600``), JSON (``\\b``,
``\\u0000``) and percent-encoding (``%0A``). Its last character (``n``, a hex digit) would glue
to a credential written right after it and hide the word boundary the detectors check."""


def _blank(match: re.Match[str]) -> str:
    return " " * len(match.group())


def _escapes_blanked(text: str) -> str | None:
    """``text`` with every escape sequence as as many spaces (so spans stay those of ``text``),
    or None when it holds none. One linear pass."""
    if "\\" not in text and "%" not in text:
        return None
    blanked = _ESCAPE.sub(_blank, text)
    return None if blanked == text else blanked


def _matches(text: str) -> Iterator[SecretMatch]:
    """``_raw_matches`` of ``text``, then of ``text`` with its escape sequences blanked: an
    escape is a boundary, as the character it stands for would be (same spans, linear)."""
    yield from _raw_matches(text)
    blanked = _escapes_blanked(text)
    if blanked is not None:
        yield from _raw_matches(blanked)


_INVISIBLE_RANGES = (
    (0x00AD, 0x00AD), (0x034F, 0x034F), (0x061C, 0x061C), (0x115F, 0x1160), (0x17B4, 0x17B5),
    (0x180B, 0x180F), (0x200B, 0x200F), (0x202A, 0x202E), (0x2060, 0x206F), (0x3164, 0x3164),
    (0xFE00, 0xFE0F), (0xFEFF, 0xFEFF), (0xFFA0, 0xFFA0), (0xFFF0, 0xFFF8), (0x1D173, 0x1D17A),
    (0xE0000, 0xE0FFF),
)  # fmt: skip
"""Characters that render as nothing: soft hyphen, zero-width space/joiners, word joiner, bidi
controls, BOM, variation selectors, tag characters (Unicode's Default_Ignorable_Code_Point)."""
_INVISIBLE = re.compile(
    "[" + "".join(f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in _INVISIBLE_RANGES) + "]"
)
_DROP_INVISIBLE = {code: None for a, b in _INVISIBLE_RANGES for code in range(a, b + 1)}
_BASE64_RUN = re.compile(r"[A-Za-z0-9+/_-]{24,}+={0,2}")


def _views(text: str) -> Iterator[tuple[str, str]]:
    """(how, text) for each decoding of ``text`` a credential could hide behind.

    Invisible characters removed; then percent-escapes undone; then backslash escapes undone
    (``\\u200b`` inside a token, written by ``repr`` before redaction) and the invisible
    characters they stand for removed; and every base64 run decoded
    (the runs that decode to printable ASCII, joined by newlines). JSON ``\\u`` escapes are
    already undone by parsing. One level only, so the total work stays linear in ``len(text)``.
    """
    visible = text.translate(_DROP_INVISIBLE) if _INVISIBLE.search(text) else text
    if visible is not text:
        yield "invisible characters", visible
    if "%" in visible:
        unescaped = urllib.parse.unquote(visible, errors="replace")
        if unescaped != visible:
            yield "percent-encoding", unescaped
    if "\\" in visible:
        unescaped = _BACKSLASH_ESCAPE.sub(_unescape, visible).translate(_DROP_INVISIBLE)
        if unescaped != visible:
            yield "escape sequences", unescaped
    decoded = [d for run in _BASE64_RUN.finditer(visible) if (d := _base64_text(run.group()))]
    if decoded:
        yield "base64", "\n".join(decoded)


def _unescape(match: re.Match[str]) -> str:
    """The character a backslash escape sequence stands for (``\\u200b``: ZERO WIDTH SPACE)."""
    body = match.group()[1:]
    if body in _NAMED_ESCAPES:
        return _NAMED_ESCAPES[body]
    code = int(body[1:], 16)
    return chr(code) if code <= 0x10FFFF else ""


def _base64_text(run: str) -> str | None:
    """The printable ASCII text a base64 or base64url run decodes to, or None."""
    body = run.rstrip("=").replace("-", "+").replace("_", "/")
    try:
        raw = base64.b64decode(body + "=" * (-len(body) % 4), validate=True)
    except ValueError:
        return None
    return raw.decode("ascii") if raw.isascii() and raw.decode("ascii").isprintable() else None


@functools.lru_cache(maxsize=4096)
def find_secret(text: str) -> SecretMatch | None:
    """The first credential-shaped part of ``text``, as a kind, a redacted hint and its span.

    A credential found only after decoding (invisible characters, percent-encoding, base64)
    spans the whole text: its position in the raw text is not known, so all of it is withheld.
    """
    return next(_matches(text), None) or _hidden(text)


def _hidden(text: str) -> SecretMatch | None:
    """A credential that only a decoding of ``text`` shows, spanning the whole text."""
    for how, view in _views(text):
        hidden = _first_raw(view)
        if hidden is not None:
            hint = f"hidden by {how}; {len(text)} chars, redacted"
            return SecretMatch(hidden.kind, hint, 0, len(text))
    return None


_MAX_REDACTIONS = 100
"""More credential-shaped parts than this in one text: the whole text is withheld."""


def redact_text(text: str) -> str:
    """``text`` with every credential-shaped part replaced by its kind and redacted hint.

    One pass per detector, then one over each decoding of what is left (linear); overlapping
    matches merge into the leftmost. A credential only a decoding shows withholds the text.
    """
    parts: list[str] = []
    done = 0
    found = list(itertools.islice(_matches(text), 8 * _MAX_REDACTIONS + 1))
    if len(found) > 8 * _MAX_REDACTIONS:
        return "<redacted text>"
    for match in sorted(found, key=lambda m: (m.start, -m.end)):
        if match.start < done:
            continue
        if len(parts) >= 2 * _MAX_REDACTIONS:
            return "<redacted text>"
        parts += [text[done : match.start], f"<{match.kind}: {match.hint}>"]
        done = match.end
    redacted = "".join(parts) + text[done:]
    hidden = _hidden(redacted)
    return redacted if hidden is None else f"<{hidden.kind}: {hidden.hint}>"


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


# --- values a schema declares hex digests -------------------------------------------------

_HEX_CLASS = re.compile(r"\^\[((?:0-9|a-f|A-F|\\d)+)\](?:\{[0-9]{1,4}(?:,[0-9]{0,4})?\}|\+)\$")
"""``^[0-9a-f]{7,64}$`` and the like: a pattern that only admits hex digits (Sentry's ``commit``)."""


def declares_hex(schema: Any) -> bool:
    """True when a value schema's own pattern admits hex digits only, whatever their number."""
    pattern = as_dict(schema).get("pattern")
    return isinstance(pattern, str) and _HEX_CLASS.fullmatch(pattern) is not None


def _digest(schema: Any, value: Any) -> bool:
    """``value`` is a string its schema declares a hex digest (so not a 64-hex token)."""
    return (
        isinstance(value, str)
        and declares_hex(schema)
        and re.fullmatch(schema["pattern"].removeprefix("^").removesuffix("$"), value) is not None
    )


def digest_pointers(data: Any) -> set[str]:
    """Pointers of the example, default, const and enum values whose own schema declares them
    hex digests: commit ids and checksums, which ``no-secret-values`` does not flag."""
    found: set[str] = set()
    for action_pointer, action in actions(data):
        declared: dict[tuple[str, str], Any] = {}
        for param_pointer, param in parameters(action, action_pointer):
            if isinstance(param.get("in"), str) and isinstance(param.get("name"), str):
                declared[(param["in"], param["name"])] = param.get("schema")
            if _digest(param.get("schema"), param.get("default")):
                found.add(f"{param_pointer}/default")
            found |= _schema_values(param.get("schema"), f"{param_pointer}/schema")
        found |= _schema_values(body_schema(action), f"{action_pointer}/inputs/body")
        for index, example in enumerate(as_list(action.get("examples"))):
            given = as_dict(as_dict(example).get("input"))
            at = f"{action_pointer}/examples/{index}/input"
            for where in ("path", "query"):
                for name, value in as_dict(given.get(where)).items():
                    if _digest(declared.get((where, name)), value):
                        found.add(f"{at}/{where}/{escape(name)}")
            found |= _body_values(body_schema(action), given.get("body"), f"{at}/body")
    return found


def _schema_values(schema: Any, pointer: str) -> set[str]:
    from hubtool.inputs import walk_schemas  # hubtool.inputs imports this module

    found: set[str] = set()
    for schema_pointer, sub in walk_schemas(schema, pointer):
        values = [("default", sub.get("default")), ("const", sub.get("const"))]
        values += [(f"examples/{i}", v) for i, v in enumerate(as_list(sub.get("examples")))]
        values += [(f"enum/{i}", v) for i, v in enumerate(as_list(sub.get("enum")))]
        found |= {f"{schema_pointer}/{where}" for where, v in values if _digest(sub, v)}
    return found


def _body_values(schema: Any, value: Any, pointer: str) -> set[str]:
    """Pointers in an example body whose schema (followed by property and item) is a digest."""
    if _digest(schema, value):
        return {pointer}
    found: set[str] = set()
    schema = as_dict(schema)
    if isinstance(value, dict):
        properties = as_dict(schema.get("properties"))
        for key, child in value.items():
            found |= _body_values(properties.get(key), child, f"{pointer}/{escape(key)}")
    elif isinstance(value, list):
        for index, child in enumerate(value):
            found |= _body_values(schema.get("items"), child, f"{pointer}/{index}")
    return found


def check_values(doc: Document) -> Iterator[Finding]:
    digests = digest_pointers(doc.data)
    for pointer, match, is_key in secret_strings(doc.data):
        if pointer in digests and not is_key:
            continue
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
    return "<redacted>" if find_secret(unescape(token)) else token
