"""Rules ``no-secret-fields`` and ``no-secret-values``: no credential names or values.

Secret values are never printed anywhere: findings carry the kind of credential and a
redacted hint (the public prefix of the format, if any, and the length). Detection and
redaction are in ``hubtool.core.secrets``; here are the rules and their checks.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import replace
from typing import Any

from hubtool.core.findings import ERROR, Finding
from hubtool.core.fingerprint import pointer_fingerprint
from hubtool.core.inputs import walk_schemas
from hubtool.core.lazyre import lazy_compile
from hubtool.core.manifest import actions, as_dict, as_list, body_schema, parameters
from hubtool.core.registry import FAKE_SENTRY_TOKEN, QUERY_PARAMS, Example, Rule, finding
from hubtool.core.secrets import SecretMatch, find_secret, may_flag, scan_strings, secret_strings
from hubtool.core.secrets.names import names_credential
from hubtool.load.strict import Document, escape

NO_SECRET_FIELDS = Rule(
    id="no-secret-fields",
    severity=ERROR,
    family="secrets",
    title="No key names a credential",
    description="No key anywhere, and no parameter name, may name a credential (authToken, "
    "token, apiKey, password, secret, clientSecret, privateKey, accessToken, refreshToken, "
    "cookie, ... in any case or separator style). A credential word anywhere in the name "
    "counts (`api_key_value`, `x_access_token_id`, `clientSecretRef`, `passwordHint`), "
    "and so does `auth` or `bearer` as the last word (`auth`, `basicAuth`). Not "
    "credentials: metadata, where the word right after the credential word is one of a "
    "short list (`authHeaderName`, `authTokenPrefix`, `token_type`, `tokenUrl`, "
    "`passwordPolicy`, `token_expires_in`; not `password_auth`, `api_key_last`, "
    "`client_secret_env`, `apiKeyInfo`), pagination cursors (`page_token`, "
    "`nextPageToken`) and token counts "
    "(`max_tokens`, `tokens_used`). The token is hidden local config on the Harbor Node.",
    fix="Remove the field; the operator configures the credential on the Harbor Node.",
    failing=Example(
        patch={
            QUERY_PARAMS: {
                "name": "api_key_value",
                "in": "query",
                "schema": {"type": "string", "maxLength": 64},
                "description": "The caller's key.",
            }
        }
    ),
    passing=Example(
        patch={
            QUERY_PARAMS: {
                "name": "page_token",
                "in": "query",
                "schema": {"type": "string", "maxLength": 200},
                "description": "The cursor of the next page.",
            }
        }
    ),
)

NO_SECRET_VALUES = Rule(
    id="no-secret-values",
    severity=ERROR,
    family="secrets",
    title="No value looks like a credential",
    description="No string may look like a credential: Sentry tokens (sntrys_, sntryu_, "
    "legacy 64-hex), Sentry DSNs with a key, GitHub, GitLab, Slack, Stripe, AWS, Google and "
    "OpenAI keys, JWTs, PEM private keys, `Bearer <token>` strings, credentials in URL "
    "userinfo or query strings, and high-entropy token-shaped strings. Detection also runs "
    "on the text with invisible characters (zero-width, soft hyphen, bidi controls, BOM) "
    "removed, percent-escapes undone, backslash escapes (`\\n`, `\\x1b`, `\\u200b`) undone "
    "or read as word boundaries, and base64 runs decoded. A value whose own schema "
    "pattern admits hex digits only (`^[0-9a-f]{7,64}$`, e.g. a commit id) is a digest, "
    "not a 64-hex token. `.hubtool.yaml` is scanned too, its comments included, and so is a "
    "manifest that does not parse (a syntax error, a duplicate key, a BOM, UTF-16, a byte that "
    "is not UTF-8): "
    "line by line as written, beside its `json-syntax` findings, so a credential in a broken "
    "file is still found. "
    "The value is never printed: "
    "findings name the kind and show a redacted hint and the value's fingerprint "
    "(`sha256:` of the whole string).",
    fix="Remove the value and revoke the credential: it has been exposed in the file. A "
    "value that only looks like one (a made-up example) is allowed by its fingerprint and "
    "a reason in the `allowlist` of `.hubtool.yaml` (the base branch's in `ci`).",
    failing=Example(patch={"/compatibility/notes": f"Use Bearer {FAKE_SENTRY_TOKEN}"}),
    passing=Example(
        patch={
            "/compatibility/notes": "Requires local operator-configured auth after import; "
            "the Sentry token (sntrys_...) stays on the Harbor Node."
        }
    ),
)


def _credential_key(doc: Document, pointer: str, key: str) -> Finding:
    return finding(
        doc,
        NO_SECRET_FIELDS,
        pointer,
        f"key {key!r} names a credential; manifests never carry credentials (the token "
        "is hidden local config on the Harbor Node): remove it",
        at_key=True,
    )


def _credential_parameters(doc: Document) -> Iterator[Finding]:
    for action_pointer, action in actions(doc.data):
        for pointer, param in parameters(action, action_pointer):
            name = param.get("name")
            if isinstance(name, str) and names_credential(name):
                yield finding(
                    doc,
                    NO_SECRET_FIELDS,
                    f"{pointer}/name",
                    f"parameter {name!r} asks the caller for a credential; Harbor Node adds the "
                    "port's auth header itself: remove the parameter",
                )


# --- values a schema declares hex digests -------------------------------------------------

_HEX_CLASS = lazy_compile(r"\^\[((?:0-9|a-f|A-F|\\d)+)\](?:\{[0-9]{1,4}(?:,[0-9]{0,4})?\}|\+)\$")
"""``^[0-9a-f]{7,64}$`` and the like: a pattern that only admits hex digits (Sentry's
``commit``)."""


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


def check_fields(doc: Document) -> Iterator[Finding]:
    """``no-secret-fields`` alone (``check`` runs it in the walk it shares with values)."""
    for pointer, key in scan_strings(doc.data, names_credential).named:
        yield _credential_key(doc, pointer, key)
    yield from _credential_parameters(doc)


def check_values(doc: Document) -> Iterator[Finding]:
    """``no-secret-values`` alone."""
    yield from _value_findings(doc, list(secret_strings(doc.data)))


def _value_findings(doc: Document, found: list[tuple[str, SecretMatch, bool]]) -> Iterator[Finding]:
    """The ``no-secret-values`` findings of ``found`` (``secret_strings`` of the document)."""
    digests = digest_pointers(doc.data) if found else set()
    for pointer, match, is_key in found:
        if pointer in digests and not is_key:
            continue
        where = "a key" if is_key else "a value"
        fingerprint = pointer_fingerprint(doc.data, pointer, is_key)
        yield finding(
            doc,
            NO_SECRET_VALUES,
            pointer,
            f"{where} looks like a {match.kind} [{match.hint}]; remove it and revoke the "
            "credential: manifests never carry credentials (not a credential? allow its "
            f"fingerprint {fingerprint} in .hubtool.yaml with a reason)",
            at_key=is_key,
            fingerprint=fingerprint,
        )


def check(doc: Document) -> Iterator[Finding]:
    """Both rules in one walk of the document's strings: the keys that name a credential, the
    parameter names, then the credential-shaped strings. A parsed document whose distinct
    keys and strings (``Document.texts``) are all clean (``may_flag``: most manifests) is not
    walked."""
    if doc.texts is not None and not may_flag(doc.data, names_credential, doc.texts):
        yield from _credential_parameters(doc)
        return
    scan = scan_strings(doc.data, names_credential)
    for pointer, key in scan.named:
        yield _credential_key(doc, pointer, key)
    yield from _credential_parameters(doc)
    yield from _value_findings(doc, scan.secrets)


# --- text that is in no value -------------------------------------------------------------

PIECES = lazy_compile(r"\S(?:[^\r\n\x85\u2028\u2029]*\S)?")
"""A piece of one line, from its first to its last non-blank character."""
UNPARSED = "text in a file that does not parse (scanned line by line)"
"""How a finding of ``unparsed_findings`` names where the credential is."""


def text_findings(
    name: str,
    text: str,
    spans: Iterable[tuple[int, int]],
    where: str,
    line_starts: list[int] | None = None,
) -> list[Finding]:
    """``no-secret-values`` over text that is in no key or value: each non-blank piece of a
    line within the ``(begin, end)`` character offsets of ``spans``, reported at the line and
    column where its credential starts, with the empty pointer; ``where`` names the text in the
    message instead of "a value". ``line_starts``: the text's own line breaks (YAML's), else
    JSON's. Linear: one pass over the spans, one scan of each piece.
    """
    pieces: list[str] = []
    offsets: dict[str, int] = {}
    for begin, end in spans:
        for match in PIECES.finditer(text, begin, end):
            offsets[f"/{len(pieces)}"] = match.start()
            pieces.append(match.group())
    if not pieces:
        return []
    view = Document(name, pieces, text, offsets, {}, line_starts)
    return [_at_the_secret(view, found, where) for found in check_values(view)]


def _at_the_secret(view: Document, found: Finding, where: str) -> Finding:
    """A finding on a piece of text, moved to where its credential starts in the piece."""
    match = find_secret(view.data[int(found.pointer[1:])])
    start = view.values[found.pointer] + (match.start if match else 0)
    line, column = view.line_col(start)
    message = found.message.replace("a value", where, 1)
    return replace(found, pointer="", line=line, column=column, message=message)


def unparsed_findings(raw: bytes, name: str) -> list[Finding]:
    """``no-secret-values`` over the bytes of a manifest that does not parse (a syntax error,
    a duplicate key, a BOM, UTF-16, bytes that are not UTF-8): every line as written
    (``unparsed_text``), so a credential in a broken file is still reported (never printed),
    beside its ``json-syntax`` findings. The caller keeps ``raw`` within the byte cap."""
    text = unparsed_text(raw)
    return text_findings(name, text, [(0, len(text))], UNPARSED)


def unparsed_text(raw: bytes) -> str:
    """``raw`` as the text an editor would show: UTF-16 when it has a UTF-16 byte order mark
    or a NUL byte first or second (``strict.decode`` calls that UTF-16), else UTF-8 without
    its BOM; a byte that does not decode is U+FFFD."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16", "replace")
    if raw[:1] == b"\x00" or raw[1:2] == b"\x00":
        return raw.decode("utf-16-be" if raw[:1] == b"\x00" else "utf-16-le", "replace")
    return raw.decode("utf-8-sig", "replace")
