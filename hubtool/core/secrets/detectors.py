"""Credential detectors: one linear regex per known format, and a high-entropy fallback.

``raw_matches`` yields every match in a text as a ``SecretMatch`` (kind, redacted hint, span);
the value itself is never kept.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Iterator
from typing import NamedTuple

from hubtool.core.lazyre import lazy_compile


class Detector(NamedTuple):
    kind: str
    regex: re.Pattern[str]
    prefix: str = ""
    """Public, fixed prefix of the format that may be shown in a redacted hint."""
    accept: Callable[[str, re.Match[str]], bool] | None = None
    """A check of a match in its text, for what the regex leaves out to stay linear."""
    anchor: str = ""
    """Characters one of which every match holds where ``ANCHOR`` finds it (none: always run)."""
    run: int = 0
    """The run of ``TOKEN_CHARS`` every match holds (``token_runs``), if any."""


def _re(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """A detector's regex, compiled on first use: a run compiles only the detectors its texts
    can match (``ANCHOR`` selects them), which keeps start-up short."""
    return lazy_compile(pattern, flags)


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
    # quickly), checks a word boundary behind a common literal (https, sk-) or one its own
    # alphabet repeats (eyJ: else a run of 'eyJ-eyJ-...' is quadratic), so a distinctive
    # prefix counts glued to a word too ('NaNsntrys_...'), and runs each unbounded repeat
    # possessively, from the start of a run of its alphabet only, or up to a bound: linear.
    Detector("PEM private key", _re(r"-----BEGIN (?:(?!PRIVATE )[A-Z0-9]++ )*+PRIVATE KEY(?: BLOCK)?-----"), "-----BEGIN", anchor="-"),
    Detector("Sentry org auth token", _re(r"sntrys_[A-Za-z0-9+/=_-]{20,}+"), "sntrys_", anchor="_"),
    Detector("Sentry user auth token", _re(r"sntryu_[A-Fa-f0-9]{32,}+"), "sntryu_", anchor="_"),
    Detector("Sentry DSN with a key", _re(r"http(?<!\whttp)s?://[0-9a-f]{32}(?::[0-9a-f]{32})?@[^\s/]++/(?:[^\s/]++/)*?[0-9]+"), "https://", anchor=":"),
    Detector("GitHub token", _re(r"gh[pousr]_[A-Za-z0-9]{30,255}"), "gh", anchor="_"),
    Detector("GitHub token", _re(r"github_pat_[A-Za-z0-9_]{22,255}"), "gh", anchor="_"),
    Detector("GitLab token", _re(r"gl(?:pat|dt|rt|ptt|ft|imt|agent|oas|cbt|soat)-[A-Za-z0-9_-]{20,}+"), "gl", anchor="-"),
    Detector("Slack token", _re(r"xox[abeposr]-[A-Za-z0-9-]{10,}+"), "xox", anchor="-"),
    Detector("Slack token", _re(r"xapp-[0-9]-[A-Za-z0-9-]{10,}+"), "xox", anchor="-"),
    Detector("Slack webhook URL", _re(r"hooks\.slack\.com/(?:services|workflows)/T[A-Z0-9]++/[A-Za-z0-9/]{10,}+"), "hooks.slack.com", anchor="."),
    Detector("Stripe secret key", _re(r"sk_(?:live|test)_[A-Za-z0-9]{16,}+"), "sk_", anchor="_"),
    Detector("Stripe secret key", _re(r"rk_(?:live|test)_[A-Za-z0-9]{16,}+"), "sk_", anchor="_"),
    Detector("AWS access key ID", _re(r"A(?:KIA|SIA|BIA|CCA|3T[A-Z0-9])[A-Z0-9]{16}\b(?<!EXAMPLE)"), "A", anchor="A"),
    Detector("Google API key", _re(r"AIza[0-9A-Za-z_-]{35}"), "AIza", anchor="A"),
    Detector("Google OAuth token", _re(r"ya29\.[0-9A-Za-z_-]{20,}+"), "", anchor="."),
    Detector("Google OAuth token", _re(r"GOCSPX-[0-9A-Za-z_-]{20,}+"), "", anchor="-"),
    Detector("OpenAI or Anthropic API key", _re(r"sk-(?<!\wsk-)(?:proj-|svcacct-|admin-|ant-[a-z0-9]++-)?[A-Za-z0-9_-]{20,}+"), "sk-", anchor="-"),
    Detector("JSON Web Token", _re(r"eyJ(?<![A-Za-z0-9_-]eyJ)[A-Za-z0-9_-]{8,}+\.eyJ[A-Za-z0-9_-]{8,}+\.[A-Za-z0-9_-]{8,}+"), "eyJ", anchor="J"),
    Detector("credential in URL userinfo", _re(r"://(?<=[A-Za-z0-9+.-]://)[^\s/:@]++:[^\s/@]++@[^\s/]++"), anchor=":"),
    Detector("credential in a URL query", _re(r"[?&](?:access_token|auth_token|api_key|apikey|token|secret|client_secret|password|passwd|sig|signature|key)=(?!(?-i:[A-Z_]++)(?:[&#\s\"']|$))[^&\s#\"'<>{}$]{6,}+", re.I), anchor="="),
    Detector("authorization header value", _re(r"[BbT](?:(?<=[Bb])[Ee][Aa][Rr][Ee][Rr]|(?<=T)oken|(?<=B)asic|(?<=B)ot)\s++(?=[A-Za-z0-9._~+/=-]*[0-9])(?=[A-Za-z0-9._~+/=-]*[A-Za-z])[A-Za-z0-9._~+/-]{16,}+=*"), anchor="BbT"),
    Detector("legacy Sentry or other 64-hex token", _re(r"[0-9A-Fa-f]{64,}+"), "", _hex64, run=64),
)  # fmt: skip

_GITLAB_KINDS = ("pat", "dt", "rt", "ptt", "ft", "imt", "agent", "oas", "cbt", "soat")
ANCHOR = re.compile(
    "|".join(
        (
            # the class first: one test rejects most dashes and underscores ("----", "a_b")
            "-(?:(?=----BEGIN )|(?<=[abeoprstkX]-)(?:(?<=xox[abeposr]-)|(?<=xapp-)|(?<=GOCSPX-)"
            + "".join(f"|(?<=gl{kind}-)" for kind in _GITLAB_KINDS)
            + "|(?<=sk-)))",
            "_(?<=[suporbet]_)(?:(?<=sntry[su]_)|(?<=gh[pousr]_)|(?<=github_)|(?<=[sr]k_live_)"
            "|(?<=[sr]k_test_))",
            ":(?=//)",
            r"\.(?:(?<=hooks\.)(?=slack\.com/)|(?<=ya29\.))",
            "A(?=KIA|SIA|BIA|CCA|3T|Iza)",
            "J(?<=eyJ)",
            "=",
            r"B(?=[Ee][Aa][Rr][Ee][Rr]\s|asic\s|ot\s)|b(?=[Ee][Aa][Rr][Ee][Rr]\s)|T(?=oken\s)",
        )
    )
)
"""The rarest character of each detector's fixed part, where that part surrounds it (``_`` of
``sntrys_``, ``-`` of ``sk-``, ``J`` of ``eyJ``, ``=`` of a query): each match is that one
character, so ``findall`` names the detectors that can match (``Detector.anchor``). Every
branch starts with a literal, so the engine skips the other characters of a text in C."""

TOKEN_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=_.-"
"""The characters of a token: hex, base64 and base64url digits, ``.`` and ``=``."""
_BY_ANCHOR = {
    anchor: {index for index, detector in enumerate(DETECTORS) if anchor in detector.anchor}
    for detector in DETECTORS
    for anchor in detector.anchor
}
_UNANCHORED = {index for index, detector in enumerate(DETECTORS) if not detector.anchor}
_TOKEN_SHAPE = lazy_compile(r"[A-Za-z0-9+/=_.-]{24,}+")
_RANDOM_MIN = 24
"""Shortest run of token characters the high-entropy fallback considers."""
_AS_RUNS = bytes(int(chr(byte) in TOKEN_CHARS) for byte in range(256))
_UUID = lazy_compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_WORDY = lazy_compile(r"(?:[A-Z][a-z]++|[a-z]{2,}+|[A-Z]{2,}+|[A-Za-z]?+[0-9]++|[._/-])++")
"""Words of two letters or more, version numbers (V2, s3) and separators.

Possessive quantifiers keep it linear: with backtracking, ``"ab" * 20 + "X"`` takes seconds.
"""
_WORD = lazy_compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])")
_TWO_LOWER = lazy_compile(r"[a-z][^a-z]*+[a-z]")
_TWO_UPPER = lazy_compile(r"[A-Z][^A-Z]*+[A-Z]")
_DIGIT = lazy_compile(r"[0-9]")
_PLACEHOLDER = "EXAMPLE"
"""Documentation placeholders (AWS's ...EXAMPLEKEY) spell this out; real keys never do."""


def token_runs(text: str) -> bytes:
    """``text`` as 1 for each token character and 0 for each other UTF-8 byte, so that
    ``b"\\x01" * n in token_runs(text)`` tells in C whether it holds a run of ``n``."""
    return text.encode("utf-8", "surrogatepass").translate(_AS_RUNS)


def has_run(runs: bytes, length: int) -> bool:
    """Whether ``runs`` (``token_runs`` of a text) holds a run of ``length`` token characters."""
    return b"\x01" * length in runs


class SecretMatch(NamedTuple):
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


def raw_matches(text: str) -> Iterator[SecretMatch]:
    """Every detector's matches in ``text``, detector by detector, then the random tokens.

    Only the detectors whose anchor or run is in ``text`` scan it (``_candidates``: one regex
    scan and one byte translation). Linear in ``len(text)``: each detector regex starts its
    unbounded runs only where a run of its alphabet starts, or is bounded, so no character is
    rescanned from many start positions (``tests/test_hostile_policy.py`` runs each detector's
    prefix repeated to 1 MiB).
    """
    runs = token_runs(text) if len(text) >= _RANDOM_MIN else b""
    for detector in _candidates(text, runs):
        for match in detector.regex.finditer(text):
            if detector.accept is None or detector.accept(text, match):
                yield _hint(detector.kind, detector.prefix, match.group(), *match.span())
    if not has_run(runs, _RANDOM_MIN):
        return
    for match in _TOKEN_SHAPE.finditer(text):
        for token in _segments(match.group()):
            if _looks_random(token):
                yield _hint("high-entropy string", "", token, *match.span())


def _candidates(text: str, runs: bytes) -> list[Detector]:
    """The detectors, in order, whose anchor (``ANCHOR``) or run of token characters (``runs``:
    ``token_runs`` of ``text``) is in ``text``: the others' scans would find nothing."""
    chosen = set(_UNANCHORED)
    for anchor in set(ANCHOR.findall(text)):
        chosen |= _BY_ANCHOR[anchor]
    detectors = (DETECTORS[index] for index in sorted(chosen))
    return [detector for detector in detectors if has_run(runs, detector.run)]


def first_raw(text: str) -> SecretMatch | None:
    return next(raw_matches(text), None)
