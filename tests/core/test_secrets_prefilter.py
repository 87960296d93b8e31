"""The secret scan's fast paths against references: the same findings on every text.

``find_secret`` and ``redact_text`` skip a text the prefilter (``may_hold_secret``) clears,
and run only the detectors whose anchor or run of token characters the text holds
(``detectors._candidates``). The reference below is the straightforward scan they replaced:
every detector over every text, every decoding of every text. Both must agree on texts
glued from credential-shaped fragments (tokens glued to words, bare prefixes, near misses,
base64, percent, hex and backslash encodings, invisible characters) and on every string of
Sentry's OpenAPI spec. Fake credentials are assembled at run time, as in ``test_secrets.py``.
``names_credential`` first looks for a credential word in the name's letters run together;
it must give the verdict of the word-by-word test alone.
"""

from __future__ import annotations

import base64
import itertools
import json
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hubtool.core.secrets import find_secret, redact_text
from hubtool.core.secrets.decodings import (
    _BACKSLASH_ESCAPE,
    _BASE64_RUN,
    _DROP_INVISIBLE,
    INVISIBLE,
    _base64_text,
    _unescape,
    escapes_blanked,
)
from hubtool.core.secrets.detectors import (
    _TOKEN_SHAPE,
    DETECTORS,
    SecretMatch,
    _hint,
    _looks_random,
    _segments,
    raw_matches,
)
from hubtool.core.secrets.names import (
    _CURSOR_WORDS,
    _LAST_WORD_QUALIFIERS,
    _LAST_WORDS,
    _SECRET_NAMES,
    _TOKENS_QUALIFIERS,
    CREDENTIAL_PAIRS,
    CREDENTIAL_STEMS,
    CREDENTIAL_WORDS,
    METADATA_KEYS,
    METADATA_TAILS,
    METADATA_WORDS,
    _credential_at,
    key_words,
    names_credential,
)
from hubtool.core.secrets.prefilter import may_hold_secret

SENTRY_SPEC = Path(__file__).resolve().parents[3] / "shared/data/sentry/openapi-derefed.json"

# --- the reference: every detector and every decoding on every text ------------------------


def reference_raw(text: str) -> Iterator[SecretMatch]:
    for detector in DETECTORS:
        for match in detector.regex.finditer(text):
            if detector.accept is None or detector.accept(text, match):
                yield _hint(detector.kind, detector.prefix, match.group(), *match.span())
    for match in _TOKEN_SHAPE.finditer(text):
        for token in _segments(match.group()):
            if _looks_random(token):
                yield _hint("high-entropy string", "", token, *match.span())


def reference_views(text: str) -> Iterator[tuple[str, str]]:
    visible = text.translate(_DROP_INVISIBLE) if INVISIBLE.search(text) else text
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


def reference_matches(text: str) -> Iterator[SecretMatch]:
    yield from reference_raw(text)
    blanked = escapes_blanked(text)
    if blanked is not None:
        yield from reference_raw(blanked)


def reference_hidden(text: str) -> SecretMatch | None:
    for how, view in reference_views(text):
        hidden = next(reference_raw(view), None)
        if hidden is not None:
            hint = f"hidden by {how}; {len(text)} chars, redacted"
            return SecretMatch(hidden.kind, hint, 0, len(text))
    return None


def reference_find(text: str) -> SecretMatch | None:
    return next(reference_matches(text), None) or reference_hidden(text)


def reference_redact(text: str) -> str:
    parts: list[str] = []
    done = 0
    found = list(itertools.islice(reference_matches(text), 801))
    if len(found) > 800:
        return "<redacted text>"
    for match in sorted(found, key=lambda m: (m.start, -m.end)):
        if match.start < done:
            continue
        if len(parts) >= 200:
            return "<redacted text>"
        parts += [text[done : match.start], f"<{match.kind}: {match.hint}>"]
        done = match.end
    redacted = "".join(parts) + text[done:]
    hidden = reference_hidden(redacted)
    return redacted if hidden is None else f"<{hidden.kind}: {hidden.hint}>"


def assert_same(text: str) -> None:
    """The fast scan finds what the reference finds, in the same order, and redacts alike."""
    assert list(raw_matches(text)) == list(reference_raw(text))
    expected = reference_find(text)
    assert find_secret(text) == expected
    assert redact_text(text) == reference_redact(text)
    assert may_hold_secret(text) or expected is None


# --- credential-shaped fragments, built at run time ------------------------------------------

HEX = "0123456789abcdef"
B62 = "A1b2C3d4"
TOKENS = [
    "sntr" + "ys_" + B62 * 5,
    "sntr" + "yu_" + HEX * 2,
    "https://" + HEX * 2 + "@o1.ingest.sentry.io/45",
    "gh" + "p_" + "A1b2" * 9,
    "github" + "_pat_" + B62 * 3,
    "gl" + "pat-" + B62 * 3,
    "xo" + "xb-" + "1234567890-abc",
    "xa" + "pp-1-" + "A1B2C3D4E5F6",
    "hooks.slack.com/services/" + "T0AB1/B0CD2/" + "x1Y2z3W4v5U6",
    "sk" + "_live_" + B62 * 3,
    "rk" + "_test_" + B62 * 3,
    "AK" + "IA" + "Q3RZ7XW2JN5LK8PV",
    "AI" + "za" + "Sy" + B62 * 4 + "A1b",
    "ya" + "29." + B62 * 3,
    "GOC" + "SPX-" + B62 * 3,
    "sk" + "-proj-" + B62 * 3,
    "sk" + "-ant-api03-" + B62 * 3,
    "ey" + "JhbGciOiJIUzI1NiJ9.ey" + "JzdWIiOiIxIn0." + "c2lnbmF0dXJl",
    "-----BEGIN " + "RSA PRIVATE KEY-----",
    "https://user:" + "pa55" + "w0rd@example.com/x",
    "?to" + "ken=" + "Abc123xyz9",
    "&API" + "_KEY=" + "abcdef1234",
    "Bea" + "rer " + "eyJ0eXAiOiJKV1QiLCJh1",
    "bEaReR " + "A1b2C3d4E5f6G7h8",
    "To" + "ken " + "A1b2C3d4E5f6G7h8",
    "Ba" + "sic " + "dXNlcjpwYXNzd29yZDEy",
    "Bo" + "t " + "A1b2C3d4E5f6G7h8I9",
    HEX * 4,
    "Q9x7Lm2Vz8Kp4Rt6Wn1Yb3Hc5Jd0Fg",
    "Q9x7Lm2Vz8Kp4Rt6Wn1Yb3Hc",  # the shortest run the high-entropy fallback reads
]
NEAR_MISSES = [
    "sntrys_", "sntryu_", "http", "https://", "://", "gh", "ghp_", "github_pat_", "glpat-",
    "gldt-", "xoxb-", "xapp-1-", "hooks.slack.com/", "sk_live_", "rk_test_", "AKIA", "A3T",
    "AIza", "ya29.", "GOCSPX-", "sk-", "sk-ant-", "eyJ", ".eyJ", "-----BEGIN ", "?token=",
    "&sig=", "Bearer ", "Token\t", "Basic ", "Bot ", "EXAMPLE", "avatar/", "sha256:",
    "aBcD" * 16, "sha256:" + HEX * 4, "AKIAIOSFODNN7EXAMPLE", "?token=YOUR_TOKEN",
]  # fmt: skip
"""Bare prefixes and what the detectors must not flag: digests, placeholders, low entropy."""
WORDS = ["a", "the", "token", "NaN", "x", "organizationIdOrSlug", "list-issues-v2", "1", "é", "€"]
GLUE = ["", " ", "_", "-", ".", "/", ":", "@", "?", "&", "=", "%", "\\", "\n", "\t", "\u200b"]


def _encodings(token: str) -> list[str]:
    raw = token.encode()
    return [
        base64.b64encode(raw).decode(),
        base64.urlsafe_b64encode(raw).decode().rstrip("="),
        "".join(f"%{byte:02X}" for byte in raw),
        raw.hex(),
        "\\u200b".join([token[: len(token) // 2], token[len(token) // 2 :]]),
        "\u00ad".join([token[: len(token) // 2], token[len(token) // 2 :]]),
        token[:-1],  # one character short: a near miss
        token[1:],
        token.swapcase(),
    ]


fragments = st.one_of(
    st.sampled_from(TOKENS),
    st.sampled_from(TOKENS).flatmap(lambda token: st.sampled_from(_encodings(token))),
    st.sampled_from(NEAR_MISSES),
    st.sampled_from(WORDS),
    st.sampled_from(GLUE),
    st.text(alphabet="aAbB0=_-.:/%\\J", max_size=30),
)
texts = st.lists(fragments, max_size=8).map("".join)


@settings(max_examples=800, deadline=None)
@given(texts)
def test_same_findings_on_glued_fragments(text: str) -> None:
    assert_same(text)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80))
def test_same_findings_on_any_text(text: str) -> None:
    assert_same(text)


@pytest.mark.parametrize("token", TOKENS)
def test_every_fragment_is_found_alone_and_glued(token: str) -> None:
    assert reference_find(token) is not None  # else the fragment tests nothing
    for text in (token, f"x{token}y", f"see {token}.", *_encodings(token)):
        assert_same(text)


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, child in value.items():
            yield key
            yield from _strings(child)
    elif isinstance(value, list):
        for child in value:
            yield from _strings(child)


@pytest.mark.skipif(not SENTRY_SPEC.exists(), reason="Sentry's OpenAPI spec is not in ../shared")
def test_same_findings_on_every_string_of_sentry_spec() -> None:
    spec = json.loads(SENTRY_SPEC.read_text(encoding="utf-8"))
    strings = set(_strings(spec))
    assert len(strings) > 1000
    for text in strings:
        assert_same(text)


MIB = 1024 * 1024
ANCHOR_UNITS = [
    "-", "_", "=", "J", "A", "B", "b", "T", ":", ".", "a", "%", "\\", "\u200b", "sk-", "eyJ",
    "://", "AKIA", "Bearer ", "Token ", "a" * 23 + " ", "A_-=", "é",
]  # fmt: skip


@pytest.mark.parametrize("unit", ANCHOR_UNITS)
def test_prefilter_of_1_mib_is_linear(unit: str) -> None:
    """A text made only of anchors or runs: the prefilter and the selection stay linear."""
    text = unit * (MIB // len(unit))
    started = time.process_time()
    may_hold_secret(text)
    list(raw_matches(text))
    assert time.process_time() - started < 2.0  # a hang guard, not a benchmark


# --- names_credential: the run-together test first, the same verdicts ------------------------


def reference_names_credential(key: str) -> bool:
    words = key_words(key)
    joined = "".join(words)
    if not words or joined in METADATA_KEYS:
        return False
    if joined in _SECRET_NAMES:
        return True
    return any(_credential_at(words, i) for i in range(len(words)))


NAME_WORDS = sorted(
    CREDENTIAL_WORDS
    | METADATA_WORDS
    | _CURSOR_WORDS
    | _TOKENS_QUALIFIERS
    | _LAST_WORDS
    | _LAST_WORD_QUALIFIERS
    | {word for pair in CREDENTIAL_PAIRS for word in pair}
    | {word for tail in METADATA_TAILS for word in tail}
    | set(CREDENTIAL_STEMS)
    | _SECRET_NAMES
    | METADATA_KEYS
    | {"p", "a", "t", "x", "id", "my", "less", "passwordless", "2", "v2", "é", "key", "name"}
)
CASES = [str.lower, str.upper, str.title, str.capitalize, lambda word: word]
names = st.lists(
    st.tuples(st.sampled_from(NAME_WORDS), st.sampled_from(CASES), st.sampled_from(GLUE[:8])),
    min_size=1,
    max_size=5,
).map(lambda parts: "".join(case(word) + glue for word, case, glue in parts))


@settings(max_examples=1500, deadline=None)
@given(st.one_of(names, st.text(alphabet="patkeyAUTHsecr_-1 é", max_size=20)))
def test_names_credential_same_verdict(key: str) -> None:
    assert names_credential(key) == reference_names_credential(key)


@pytest.mark.skipif(not SENTRY_SPEC.exists(), reason="Sentry's OpenAPI spec is not in ../shared")
def test_names_credential_same_verdict_on_sentry_spec() -> None:
    spec = json.loads(SENTRY_SPEC.read_text(encoding="utf-8"))
    keys = {text for text in _strings(spec) if len(text) < 80}
    assert sum(map(reference_names_credential, keys)) > 10  # some do name a credential
    for key in keys:
        assert names_credential(key) == reference_names_credential(key), key


@pytest.mark.parametrize(
    "key",
    ["paté", "p_a_t", "P-A-T", "tokén", "sessionÉid", "x-éauth", "authHeaderName", "oauth2_auth",
     "passwordless", "api_key_type", "x_access_token_id", "nextPageToken", "max_tokens", ""],
)  # fmt: skip
def test_names_credential_same_verdict_on_edge_cases(key: str) -> None:
    """Letters outside ASCII are no part of a word (``key_words``): ``paté`` is ``pat``."""
    assert names_credential(key) == reference_names_credential(key)
