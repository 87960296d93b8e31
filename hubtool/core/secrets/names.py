"""Credential names: whether a key or parameter name names a credential.

One list, shared by ``no-secret-fields`` (``hubtool.validate.rules.secrets``) and scaffold.
"""

from __future__ import annotations

import re

from hubtool.core.lazyre import lazy_compile
from hubtool.core.limits import cached_when_short

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
_LONGEST_TAIL = max(map(len, METADATA_TAILS))
_LAST_WORDS = frozenset({"auth", "bearer"})
"""Words that name a credential as the last word of a name (``auth``, ``basicAuth``,
``bearer``), not before another word (``auth_type``, ``hasAuthProvider``: Sentry)."""
_LAST_WORD_QUALIFIERS = frozenset(
    {"x", "basic", "http", "https", "proxy", "api", "user", "client", "oauth", "oauth2", "digest"}
)
"""The only words that may come before such a last word (``x-auth``, ``http_bearer``); any
other (``needs_local_auth``, ``require_auth``) makes the name a flag about auth."""
_WORDS = lazy_compile(r"[A-Z]+(?=[A-Z][a-z]|[0-9]|\b|_)|[A-Z]?[a-z]+|[A-Z]+|[0-9]+")
"""A name's words (``key_words``): compiled on first use, as only a name that may name a
credential is split."""


_NAMING = re.compile(
    "|".join(
        sorted(
            CREDENTIAL_WORDS
            | _LAST_WORDS
            | {first + second for first, second in CREDENTIAL_PAIRS}
            | set(CREDENTIAL_STEMS),
            key=len,
            reverse=True,
        )
    )
)
"""What a name that names a credential holds, its words run together: a credential word, a last
word, a pair or a stem (``_credential_at``); whole secret names are checked apart."""
_NOT_ALNUM = re.compile(r"[^A-Za-z0-9]+")


def key_words(key: str) -> list[str]:
    """Split a key in any case or separator style into lowercase words."""
    return [w.lower() for w in _WORDS.findall(key)]


@cached_when_short(limit=256)
def names_credential(key: str) -> bool:
    """True when a key or parameter name names a credential, by any of its words.

    Any case or separator style (``apiKeyValue``, ``API-KEY-value``, ``x_access_token_id``,
    ``clientSecretRef``). Not: metadata (``authHeaderName``, ``token_type``, ``tokenUrl``),
    pagination cursors and token counts (``page_token``, ``nextPageToken``, ``max_tokens``), a
    bare ``tokens`` (a count) or ``key``. One list, shared by ``no-secret-fields`` and scaffold.
    Names up to 256 characters are cached: a catalog's keys repeat.
    """
    joined = _NOT_ALNUM.sub("", key).lower()  # "".join(key_words(key)), in C
    if joined in _SECRET_NAMES:
        return True
    if _NAMING.search(joined) is None:
        return False  # no word can name a credential: most keys stop here
    if joined in METADATA_KEYS:
        return False
    words = key_words(key)
    return any(_credential_at(words, i) for i in range(len(words)))


def _credential_at(words: list[str], i: int) -> bool:
    """True when the word at ``i`` (or the pair ending there) names a credential in context."""
    word = words[i]
    before = words[i - 1] if i > 0 else ""
    pair = (before, word) in CREDENTIAL_PAIRS
    stem = not word.endswith("less") and any(stem in word for stem in CREDENTIAL_STEMS)
    last = i == len(words) - 1
    if word in _LAST_WORDS and last:
        return all(_qualifier(words, j) for j in range(i))
    if not (word in CREDENTIAL_WORDS or pair or stem):
        return False
    # only a short rest can be a metadata tail: slicing the whole rest would make a long
    # name quadratic (a 48,000-character name took 2.4 s)
    tail = tuple(words[i + 1 : i + 2 + _LONGEST_TAIL])
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
