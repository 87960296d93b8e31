"""Every rule defined once: id, severity, family, docs and a failing and a passing example.

Rule ids are a stable contract (configuration, waivers, SARIF and CI logs refer to them).
``docs/RULES.md`` is generated from this table, and the tests run every example in it.
"""

from __future__ import annotations

from hubtool.ci.baseconfig import CONFIG_CHANGED
from hubtool.core.findings import ERROR, NOTE, WARNING, Finding
from hubtool.core.limits import MAX_BYTES, MAX_DEPTH
from hubtool.core.registry import (
    ALWAYS,
    BASE_MANIFEST,
    BUMPS,
    MAJOR,
    MINOR,
    NEVER,
    ON_WRITE,
    PATCH,
    REMOVE,
    WIDGET_PATCH,
    ChangeKind,
    Example,
    Rule,
)
from hubtool.load.discover import CATALOG_TREE
from hubtool.load.strict import Document
from hubtool.validate.config.waivers import WAIVER_EXPIRED, WAIVER_INVALID, WAIVER_UNUSED

_FAKE_SENTRY_TOKEN = "sntrys_" + "eyJpYXQiOjE3MDAwMDAwMDB9" + "_EXAMPLEexampleEXAMPLE0123"
_QUERY_PARAMS = "/actionTemplates/0/inputs/parameters/-"

_WRITE_WITHOUT_APPROVAL = {"/actionTemplates/1/approvalMode": "automatic"}


def _waiver(extra: str = "") -> str:
    return (
        "waivers:\n"
        "  - rule: write-requires-approval\n"
        "    file: manifest.json\n"
        "    pointer: /actionTemplates/1/approvalMode\n"
        "    reason: reviewed; the provider's PATCH here only records a view\n" + extra
    )


RULES_TABLE: tuple[Rule, ...] = (
    Rule(
        id="json-syntax",
        severity=ERROR,
        family="load",
        title="The file is strict, well-formed JSON",
        description="The file must be UTF-8 without a byte order mark, one RFC 8259 JSON value "
        "with no duplicate keys (a second `approvalMode` could hide the first), no NaN or "
        f"Infinity, no trailing data, within the size cap ({MAX_BYTES // 2**20} MiB, "
        f"`--max-bytes`) and the nesting cap ({MAX_DEPTH}); see the README's limits.",
        fix="Fix the JSON at the reported line and column.",
        failing=Example(text='{"approvalMode": "automatic", "approvalMode": "require_approval"}'),
    ),
    Rule(
        id="schema",
        severity=ERROR,
        family="schema",
        title="The manifest matches the Dock integration schema",
        description="The manifest must match `schemas/dock-integration.schema.json` (JSON Schema "
        "2020-12). The schema is closed-world: an unknown key is an error, so typos fail.",
        fix="Rename or remove the key, or give the value the type and form the message names.",
        failing=Example(patch={"/actionTemplates/0/approvalMod": "automatic"}),
    ),
    Rule(
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
                _QUERY_PARAMS: {
                    "name": "api_key_value",
                    "in": "query",
                    "schema": {"type": "string", "maxLength": 64},
                    "description": "The caller's key.",
                }
            }
        ),
        passing=Example(
            patch={
                _QUERY_PARAMS: {
                    "name": "page_token",
                    "in": "query",
                    "schema": {"type": "string", "maxLength": 200},
                    "description": "The cursor of the next page.",
                }
            }
        ),
    ),
    Rule(
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
        "not a 64-hex token. `.hubtool.yaml` is scanned too, its comments included. "
        "The value is never printed: "
        "findings name the kind and show a redacted hint and the value's fingerprint "
        "(`sha256:` of the whole string).",
        fix="Remove the value and revoke the credential: it has been exposed in the file. A "
        "value that only looks like one (a made-up example) is allowed by its fingerprint and "
        "a reason in the `allowlist` of `.hubtool.yaml` (the base branch's in `ci`).",
        failing=Example(patch={"/compatibility/notes": f"Use Bearer {_FAKE_SENTRY_TOKEN}"}),
        passing=Example(
            patch={
                "/compatibility/notes": "Requires local operator-configured auth after import; "
                "the Sentry token (sntrys_...) stays on the Harbor Node."
            }
        ),
    ),
    Rule(
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
    ),
    Rule(
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
    ),
    Rule(
        id="bounded-path",
        severity=ERROR,
        family="paths",
        title="Action paths are relative, literal and bounded",
        description="An action `path` starts with `/` and has no scheme or host, no `//`, `.` or "
        "`..` segment, `?`, `#`, backslash, `%` escape or whitespace. Placeholders are whole "
        "segments `{name}`; each is a declared `in: path` parameter and each path parameter is "
        "used. Path parameter schemas are bounded: an enum, an integer, or a string pattern "
        "anchored with ^...$ that cannot match `/` or `\\`, and the whole schema (pattern, "
        "minLength) must reject the empty value (it would address the collection: `PATCH "
        "/v1/widgets/`), `.` and `..`.",
        fix="Use a fixed relative route and declare each placeholder as a bounded path parameter.",
        failing=Example(patch={"/actionTemplates/1/path": "/v1/../admin/{widgetId}"}),
    ),
    Rule(
        id="typed-query",
        severity=ERROR,
        family="inputs",
        title="Query and path parameters are typed, unique and bounded",
        description="Every query parameter has a typed schema: no object or untyped parameters; "
        "arrays need typed scalar items and `maxItems`; a (in, name) pair is declared once. These "
        "are errors. Unbounded strings (no enum, pattern, format or maxLength) and unbounded "
        "numbers (no enum or no minimum/maximum) are warnings; every type of a mixed `type` list "
        "is checked. A bound that bounds nothing counts as none: a query maxLength or maxItems "
        "above 8,000 (RFC 9110's minimum URI length) or a minimum/maximum beyond +/-2^53-1 "
        "(what a JavaScript number holds).",
        fix="Give the parameter a scalar type and bounds (enum, maxLength, minimum/maximum).",
        failing=Example(
            patch={
                _QUERY_PARAMS: {
                    "name": "ids",
                    "in": "query",
                    "schema": {
                        "type": "array",
                        "items": {"type": "integer", "minimum": 1, "maximum": 1000},
                    },
                    "description": "Widget IDs.",
                }
            }
        ),
        passing=Example(
            patch={
                _QUERY_PARAMS: {
                    "name": "ids",
                    "in": "query",
                    "schema": {
                        "type": "array",
                        "items": {"type": "integer", "minimum": 1, "maximum": 1000},
                        "maxItems": 20,
                    },
                    "description": "Widget IDs.",
                }
            }
        ),
    ),
    Rule(
        id="bounded-body",
        severity=ERROR,
        family="body",
        title="Request bodies are declared, closed and bounded",
        description="`requestBodyMode: json` needs `inputs.body`: an object schema closed "
        "(`additionalProperties: false`) at every level, every property typed and bounded, every "
        "`required` name declared. Every type of a mixed `type` list is bounded (a property "
        "typed object, string and array is closed, has maxLength and maxItems); a maxLength, "
        "maxItems or pattern length above 1 MiB (the manifest byte cap) or a minimum/maximum "
        "beyond +/-2^53-1 bounds nothing. (The schema allows no anyOf/oneOf in input schemas.) "
        "`requestBodyMode: none` means no `inputs.body`. GET and HEAD use `none`.",
        fix="Declare exactly the body fields the action supports, closed and bounded.",
        failing=Example(patch={"/actionTemplates/1/inputs/body/additionalProperties": True}),
    ),
    Rule(
        id="write-requires-approval",
        severity=ERROR,
        family="approval",
        title="Writes require approval",
        description="Any method but GET and HEAD changes state at the provider, so the action "
        "needs `approvalMode: require_approval`.",
        fix='Set "approvalMode": "require_approval".',
        failing=Example(patch={"/actionTemplates/1/approvalMode": "automatic"}),
    ),
    Rule(
        id="no-bulk-or-delete",
        severity=ERROR,
        family="approval",
        title="No delete routes or bulk mutations before review",
        description="DELETE routes, and PUT, PATCH or DELETE on a collection path (one that does "
        "not end with an identifying placeholder), are errors until a policy review waives them.",
        fix="Target one resource by its ID (e.g. /issues/{issueId}/), or get a policy review.",
        failing=Example(patch={"/actionTemplates/1/method": "DELETE"}),
    ),
    Rule(
        id="unique-slugs",
        severity=ERROR,
        family="catalog",
        title="Slugs are unique",
        description="Action slugs are unique within a manifest, example names within an action, "
        "and manifest slugs across the catalog files checked together.",
        fix="Rename one of the two.",
        failing=Example(patch={"/actionTemplates/1/slug": "list-widgets"}),
    ),
    Rule(
        id="examples-valid",
        severity=ERROR,
        family="examples",
        title="Examples validate and render under the origin",
        description="Each example's input validates against the action's inputs (path, query "
        "and body), and renders to a URL under the port's origin and base path.",
        fix="Correct the example input, or the inputs it should match.",
        failing=Example(patch={"/actionTemplates/0/examples/0/input/query/limit": 500}),
    ),
    Rule(
        id="defaults-valid",
        severity=ERROR,
        family="inputs",
        title="Defaults satisfy their schema",
        description="A parameter's `default`, and any `default` inside an input schema, must "
        "validate against the schema it belongs to.",
        fix="Change the default to a value the schema accepts.",
        failing=Example(patch={"/actionTemplates/0/inputs/parameters/0/default": 0}),
    ),
    Rule(
        id="valid-pattern",
        severity=ERROR,
        family="inputs",
        title="Patterns are valid ECMA-262 regular expressions",
        description="Every `pattern` in an input schema is an ECMA-262 regular expression "
        "(Unicode mode, as JSON Schema and Harbor Node's JavaScript read it) that hubtool can "
        "match in linear time. Python-only syntax (`\\A`, `\\Z`, `(?P<n>...)`, `(?i)`) is "
        "refused, as are lookaround and back-references, which no linear-time matcher runs, and "
        "repetition counts beyond the matcher's size limit (`a{4294967296}`). In ECMA-262 `\\d` "
        "and `\\w` are ASCII and `$` matches only at the very end (never before a final newline).",
        fix="Rewrite the pattern in ECMA-262 syntax: `^`/`$` instead of `\\A`/`\\Z`, "
        "`(?<n>...)` for named groups, `[Aa]` or `(?i:...)` for case, no lookaround or "
        "back-references.",
        failing=Example(
            patch={
                _QUERY_PARAMS: {
                    "name": "q",
                    "in": "query",
                    "schema": {"type": "string", "pattern": "^[a-z+$", "maxLength": 40},
                    "description": "Search.",
                }
            }
        ),
        passing=Example(
            patch={
                _QUERY_PARAMS: {
                    "name": "q",
                    "in": "query",
                    "schema": {"type": "string", "pattern": "^[a-z]+$", "maxLength": 40},
                    "description": "Search.",
                }
            }
        ),
    ),
    Rule(
        id="no-schema-references",
        severity=ERROR,
        family="references",
        title="Input schemas are self-contained: no $ref, $id or anchors",
        description="No input schema (a parameter's `schema`, `inputs.body`, at any depth) may "
        "use `$ref`, `$dynamicRef`, `$recursiveRef`, `$id`, `$anchor`, `$dynamicAnchor`, "
        "`$recursiveAnchor`, `$schema`, `$vocabulary`, `$defs` or `definitions`. They are "
        "refused rather than confined to the manifest: Harbor Node compiles each action's inputs "
        "on their own, so a reference (or the base URI `$id` sets) means something different in "
        "each document that compiles it; one that leaves the document would make a schema "
        "engine fetch a URL or read a file; and one that recurses (two in an `allOf` double the "
        "work at every level of a value) can hang a run. hubtool never retrieves a referenced "
        "schema, and never checks a value against a schema that holds a reference.",
        fix="Write the referenced schema out in full where the reference was.",
        failing=Example(
            patch={"/actionTemplates/1/inputs/body/properties/name": {"$ref": "#/$defs/name"}}
        ),
        passing=Example(
            patch={
                "/actionTemplates/1/inputs/body/properties/name": {
                    "type": "string",
                    "minLength": 1,
                    "maxLength": 80,
                }
            }
        ),
    ),
    Rule(
        id="safe-pattern",
        severity=ERROR,
        family="inputs",
        title="Patterns cannot backtrack catastrophically",
        description="Harbor Node matches input-schema patterns with JavaScript's backtracking "
        "engine, so a pattern whose repeats can match the same text in several ways takes "
        "exponential (`(a+)+`, `(a|aa)*`, `(a*b*)*`, `(a?){20}`) or polynomial (`\\d*\\d*x`, "
        "`a+.*a+`) time on a short hostile value (ReDoS). Judged on the pattern's position "
        "automaton: two distinct paths from a state back to itself on one word (exponential), "
        "or two unbounded repeats linked by a common word (degree 2 or more); after Weideman et "
        "al., CIAA 2016. A pattern too complex to judge within a fixed budget is a finding too.",
        fix="Make each repeat unambiguous: `^[a-z]+$` not `^(a+)+$`; separate repeats by a "
        "character neither can match (`^[a-z0-9]+(?:-[a-z0-9]+)*$`); bound repeats with counts.",
        failing=Example(
            patch={
                _QUERY_PARAMS: {
                    "name": "q",
                    "in": "query",
                    "schema": {"type": "string", "pattern": "^([a-z]+)+$", "maxLength": 40},
                    "description": "Search.",
                }
            }
        ),
        passing=Example(
            patch={
                _QUERY_PARAMS: {
                    "name": "q",
                    "in": "query",
                    "schema": {"type": "string", "pattern": "^[a-z]+$", "maxLength": 40},
                    "description": "Search.",
                }
            }
        ),
    ),
    Rule(
        id="catalog-layout",
        severity=ERROR,
        family="catalog",
        title="Catalog files live at integrations/<publisher.slug>/<slug>.json",
        description="A manifest inside a catalog (`apps/hub/catalog/`) lives at "
        "`apps/hub/catalog/integrations/<publisher.slug>/<slug>.json`, the path Hub serves as "
        "`/api/manifests/<publisher.slug>/<slug>`. Files outside a catalog are not checked.",
        fix="Move the file, or correct publisher.slug or slug.",
        failing=Example(file="apps/hub/catalog/integrations/acme/widgets.json"),
        passing=Example(file="apps/hub/catalog/integrations/acme/acme-api.json"),
    ),
    CATALOG_TREE,
    Rule(
        id="version-format",
        severity=ERROR,
        family="catalog",
        title="Versions are semver",
        description="`version` is a semantic version (MAJOR.MINOR.PATCH, no leading v) and "
        "`compatibility.harborNode` a valid semver range (e.g. `>=0.1.0`, `^1.2.0`, "
        "`>=1.0.0 <2.0.0`, `1.x || 2.x` is not accepted: use full versions).",
        fix='Write e.g. "version": "0.1.0" and "harborNode": ">=0.1.0".',
        failing=Example(patch={"/version": "v1.0"}),
        passing=Example(patch={"/compatibility/harborNode": ">=0.1.0 <2.0.0"}),
    ),
    Rule(
        id="upstream-route",
        severity=ERROR,
        family="upstream",
        title="The route exists in the provider's spec",
        description="`hubtool check-upstream` finds each action's method and path (under the "
        "port's base path) among the provider's OpenAPI operations. Placeholder names may "
        "differ; when they do, a note reports the mapping.",
        fix="Use the provider's route, or remove the action.",
        failing=Example(patch={"/actionTemplates/0/path": "/v1/gadgets"}),
    ),
    Rule(
        id="upstream-path-params",
        severity=ERROR,
        family="upstream",
        title="Path parameters correspond",
        description="Each path placeholder corresponds to the provider's path parameter at the "
        "same position, with a compatible type.",
        fix="Give the path parameter the provider's type.",
        failing=Example(openapi={f"{WIDGET_PATCH}/parameters/0/schema": {"type": "boolean"}}),
    ),
    Rule(
        id="upstream-query",
        severity=ERROR,
        family="upstream",
        title="Query parameters exist, with compatible types and bounds",
        description="Each query parameter exists in the provider's operation with a compatible "
        "type; its enum values are a subset of the provider's, and its bounds are no wider. "
        'A limit stated only in the provider\'s description ("The maximum is 100.") is a '
        "warning.",
        fix="Use the provider's parameter name, type, enum and bounds.",
        failing=Example(patch={"/actionTemplates/0/inputs/parameters/0/schema/maximum": 500}),
    ),
    Rule(
        id="upstream-body",
        severity=ERROR,
        family="upstream",
        title="Body properties exist, with compatible types and enums",
        description="Each body property (at every level) exists in the provider's JSON request "
        "body with a compatible type, an enum that is a subset and bounds no wider. "
        "Generator wrappers such as one-element allOf are unwrapped.",
        fix="Use the provider's property names, types and values.",
        failing=Example(
            patch={
                "/actionTemplates/1/inputs/body/properties/color": {
                    "type": "string",
                    "enum": ["green"],
                }
            }
        ),
    ),
    Rule(
        id="upstream-scopes",
        severity=NOTE,
        family="upstream",
        title="The token scopes each action needs",
        description="A note per action listing the OAuth or token scopes the provider's "
        "`security` declares, so an operator knows which scopes the port's token needs.",
        fix="Nothing to fix: configure a token with these scopes on the Harbor Node.",
        failing=Example(openapi={f"{WIDGET_PATCH}/security": [{"oauth": ["widgets:write"]}]}),
    ),
    Rule(
        id="upstream-examples",
        severity=ERROR,
        family="upstream",
        title="Examples are requests the provider accepts",
        description="With `--examples`, every example's path, query and body values are "
        "checked against the provider's own schemas: a contract test without a network. "
        "PUT and PATCH bodies are partial updates, so the provider's `required` lists do not "
        "apply to them. A provider `pattern` hubtool cannot run in linear time as ECMA-262 "
        "(lookaround, back-references, a huge repetition count) or that is invalid leaves the "
        "value unchecked: a warning at the example's value says so.",
        fix="Correct the example, or the action's inputs that allowed it; for an unchecked "
        "value, check it against the provider's pattern by hand.",
        failing=Example(
            openapi={
                f"{WIDGET_PATCH}/requestBody/content/application~1json/schema/properties/name": {
                    "type": "string",
                    "maxLength": 80,
                    "pattern": "^[a-z]+$",
                }
            }
        ),
    ),
    CONFIG_CHANGED,
    WAIVER_EXPIRED,
    WAIVER_UNUSED,
    WAIVER_INVALID,
    Rule(
        id="internal-error",
        severity=ERROR,
        family="internal",
        title="Every check ran to the end",
        description="A check crashed on this file: a hubtool bug, not a problem of the manifest. "
        "The other checks still ran and their findings are reported, but the verdict is "
        "incomplete, so the run exits 2 whatever else it found. The message names the check, "
        "the exception type and the place in hubtool, never the data. It cannot be waived, "
        "downgraded or turned off.",
        fix="Please report it at the hubtool issue tracker with the file (set HUBTOOL_DEBUG=1 "
        "for a traceback); a waiver cannot hide it.",
        failing=Example(),
    ),
)


GATE_RULE = Rule(
    id="version-gate",
    severity=ERROR,
    family="gate",
    title="The declared version meets the changes",
    description="`hubtool diff`, `bump` and `ci` compare a manifest with its released version: the "
    "version must not decrease, must change when the content does, and must be at least the "
    "minimum the classified changes require (see docs/CHANGES.md).",
    fix="Run `hubtool bump` to write the minimum acceptable version.",
    failing=Example(),
)
"""The semver gate, reported like a rule; it compares two versions, so it is not in RULES."""


def _index(rules: tuple[Rule, ...]) -> dict[str, Rule]:
    table: dict[str, Rule] = {}
    for rule in rules:
        if rule.id in table:
            raise ValueError(f"duplicate rule id {rule.id!r}")
        if rule.severity not in (ERROR, WARNING, NOTE):
            raise ValueError(f"rule {rule.id!r} has unknown severity {rule.severity!r}")
        table[rule.id] = rule
    return table


RULES: dict[str, Rule] = _index(RULES_TABLE)


def finding(
    doc: Document,
    rule: str,
    pointer: str,
    message: str,
    severity: str | None = None,
    at_key: bool = False,
    fingerprint: str = "",
) -> Finding:
    """Build a finding for a registered rule at the position of ``pointer`` in ``doc``."""
    line, column = doc.position(pointer, at_key=at_key)
    return Finding(
        rule=rule,
        severity=severity or RULES[rule].severity,
        file=doc.path,
        pointer=pointer,
        line=line,
        column=column,
        message=message,
        fingerprint=fingerprint,
    )


# --- change kinds ---------------------------------------------------------------------------

_LIMIT = "/actionTemplates/0/inputs/parameters/0"
_RENAME = "/actionTemplates/1"
_NAME = f"{_RENAME}/inputs/body/properties/name"
_COLOR_PROPERTY = {"type": "string", "enum": ["red", "blue"]}
_OPTIONAL_QUERY = {
    "name": "q",
    "in": "query",
    "schema": {"type": "string", "maxLength": 50},
    "description": "Search.",
}
_ACTION_SORT = {
    "slug": "sort-widgets",
    "label": "Sort Widgets",
    "description": "Sort widgets.",
    "method": "POST",
    "path": "/v1/widgets/{widgetId}/sort",
    "inputs": {"parameters": [BASE_MANIFEST["actionTemplates"][1]["inputs"]["parameters"][0]]},
    "approvalMode": "require_approval",
    "requestBodyMode": "none",
    "resultMode": "json_summary",
}

CHANGE_KINDS_TABLE: tuple[ChangeKind, ...] = (
    ChangeKind(
        "action-removed",
        MAJOR,
        "actions",
        "An action was removed",
        "Agents and workflows that call it break.",
        before={},
        after={_RENAME: REMOVE},
        mirror="action-added",
    ),
    ChangeKind(
        "action-added",
        MINOR,
        "actions",
        "An action was added",
        "A new capability. A new write action needs review.",
        before={},
        after={"/actionTemplates/-": _ACTION_SORT},
        review=ON_WRITE,
        mirror="action-removed",
    ),
    ChangeKind(
        "action-slug-changed",
        MAJOR,
        "actions",
        "An action was renamed",
        "Same method and path under a new slug: callers of the old slug break.",
        before={},
        after={f"{_RENAME}/slug": "retitle-widget"},
    ),
    ChangeKind(
        "action-method-changed",
        MAJOR,
        "actions",
        "An action's HTTP method changed",
        "A different operation at the provider.",
        before={},
        after={f"{_RENAME}/method": "PUT"},
        review=ALWAYS,
    ),
    ChangeKind(
        "action-path-changed",
        MAJOR,
        "actions",
        "An action's path changed",
        "A different route at the provider.",
        before={},
        after={f"{_RENAME}/path": "/v2/widgets/{widgetId}"},
        review=ALWAYS,
    ),
    ChangeKind(
        "request-body-mode-changed",
        MAJOR,
        "actions",
        "requestBodyMode changed",
        "Callers must send (or stop sending) a body.",
        before={},
        after={f"{_RENAME}/requestBodyMode": "none"},
    ),
    ChangeKind(
        "result-mode-changed",
        MAJOR,
        "actions",
        "resultMode changed",
        "Consumers receive a different result shape.",
        before={},
        after={f"{_RENAME}/resultMode": "json_full"},
    ),
    ChangeKind(
        "approval-loosened",
        MAJOR,
        "actions",
        "Approval was loosened",
        "require_approval became automatic: the action now runs without an operator.",
        before={},
        after={f"{_RENAME}/approvalMode": "automatic"},
        review=ALWAYS,
        mirror="approval-tightened",
    ),
    ChangeKind(
        "approval-tightened",
        MINOR,
        "actions",
        "Approval was tightened",
        "automatic became require_approval: calls now wait for an operator.",
        before={f"{_RENAME}/approvalMode": "automatic"},
        after={},
        mirror="approval-loosened",
    ),
    ChangeKind(
        "input-added-required",
        MAJOR,
        "inputs",
        "A required input was added",
        "Existing calls lack it and fail.",
        before={},
        after={"/actionTemplates/0/inputs/parameters/-": _OPTIONAL_QUERY | {"required": True}},
        mirror="input-removed",
    ),
    ChangeKind(
        "input-added-optional",
        MINOR,
        "inputs",
        "An optional input was added",
        "Existing calls keep working.",
        before={},
        after={"/actionTemplates/0/inputs/parameters/-": _OPTIONAL_QUERY},
        mirror="input-removed",
    ),
    ChangeKind(
        "input-removed",
        MAJOR,
        "inputs",
        "An input was removed",
        "Calls that send it are rejected.",
        before={},
        after={_LIMIT: REMOVE, "/actionTemplates/0/examples": REMOVE},
        mirror="input-added-optional",
    ),
    ChangeKind(
        "input-made-required",
        MAJOR,
        "inputs",
        "An input became required",
        "Calls that omit it fail.",
        before={},
        after={f"{_LIMIT}/required": True},
        mirror="input-made-optional",
    ),
    ChangeKind(
        "input-made-optional",
        MINOR,
        "inputs",
        "An input became optional",
        "Existing calls keep working.",
        before={f"{_LIMIT}/required": True},
        after={},
        mirror="input-made-required",
    ),
    ChangeKind(
        "input-type-changed",
        MAJOR,
        "inputs",
        "An input's type changed",
        "Values of the old type are rejected: the new types neither include nor are included "
        "in the old ones (a type added, e.g. `null`, is constraint-widened; a type dropped is "
        'constraint-narrowed). `"string"` and `["string"]` are the same type.',
        before={},
        after={
            f"{_LIMIT}/schema": {"type": "string", "maxLength": 3},
            f"{_LIMIT}/default": "25",
            "/actionTemplates/0/examples/0/input/query/limit": "10",
        },
    ),
    ChangeKind(
        "constraint-narrowed",
        MAJOR,
        "inputs",
        "An input constraint was narrowed",
        "An enum value removed, a type dropped (e.g. `null`), a maximum lowered, a minimum "
        "raised, a maxLength lowered, a pattern or format changed: values that were valid are "
        "now rejected. Judged by the set of accepted values, so a reordered enum or `required` "
        "list, or `100` for `100.0`, is no change.",
        before={},
        after={f"{_LIMIT}/schema/maximum": 50},
        mirror="constraint-widened",
    ),
    ChangeKind(
        "constraint-widened",
        MINOR,
        "inputs",
        "An input constraint was widened",
        'More values are accepted: an enum value added, a type added (`"string"` -> '
        '`["string", "null"]`: a nullable input), a bound raised or removed. On a write '
        "action that needs review.",
        before={},
        after={f"{_LIMIT}/schema/maximum": 500},
        review=ON_WRITE,
        mirror="constraint-narrowed",
    ),
    ChangeKind(
        "input-default-changed",
        MINOR,
        "inputs",
        "An input's default changed",
        "Calls that omit the input now behave differently.",
        before={},
        after={f"{_LIMIT}/default": 50},
    ),
    ChangeKind(
        "body-property-added-optional",
        MINOR,
        "body",
        "An optional body property was added",
        "The write accepts more: review what it can now change.",
        before={},
        after={f"{_RENAME}/inputs/body/properties/color": _COLOR_PROPERTY},
        review=ALWAYS,
        mirror="body-property-removed",
    ),
    ChangeKind(
        "body-property-added-required",
        MAJOR,
        "body",
        "A required body property was added",
        "Existing calls lack it and fail.",
        before={},
        after={
            f"{_RENAME}/inputs/body/properties/color": _COLOR_PROPERTY,
            f"{_RENAME}/inputs/body/required": ["name", "color"],
            f"{_RENAME}/examples": REMOVE,
        },
        review=ALWAYS,
        mirror="body-property-removed",
    ),
    ChangeKind(
        "body-property-removed",
        MAJOR,
        "body",
        "A body property was removed",
        "Calls that send it are rejected.",
        before={f"{_RENAME}/inputs/body/properties/color": _COLOR_PROPERTY},
        after={},
        mirror="body-property-added-optional",
    ),
    ChangeKind(
        "body-property-made-required",
        MAJOR,
        "body",
        "A body property became required",
        "Calls that omit it fail.",
        before={f"{_RENAME}/inputs/body/required": REMOVE},
        after={},
        mirror="body-property-made-optional",
    ),
    ChangeKind(
        "body-property-made-optional",
        MINOR,
        "body",
        "A body property became optional",
        "Existing calls keep working.",
        before={},
        after={f"{_RENAME}/inputs/body/required": REMOVE},
        mirror="body-property-made-required",
    ),
    ChangeKind(
        "port-origin-changed",
        MAJOR,
        "port",
        "The port's baseUrl changed",
        "Requests go to a different origin or base path: credentials follow them.",
        before={},
        after={"/portTemplates/0/baseUrl": "https://api.acme.example/v2/"},
        review=ALWAYS,
    ),
    ChangeKind(
        "port-auth-changed",
        MAJOR,
        "port",
        "The port's auth settings changed",
        "authMode, authHeaderName or authTokenPrefix changed: operators must reconfigure.",
        before={},
        after={"/portTemplates/0/authTokenPrefix": "Token"},
        review=ALWAYS,
    ),
    ChangeKind(
        "port-kind-changed",
        MAJOR,
        "port",
        "The port's kind changed",
        "A different kind of connection.",
        before={},
        after={"/portTemplates/0/kind": "webhook"},
        review=ALWAYS,
    ),
    ChangeKind(
        "port-added",
        MAJOR,
        "port",
        "A port template was added",
        "Import creates another connection; review its origin and auth.",
        before={},
        after={"/portTemplates/-": BASE_MANIFEST["portTemplates"][0]},
        review=ALWAYS,
        mirror="port-removed",
    ),
    ChangeKind(
        "port-removed",
        MAJOR,
        "port",
        "A port template was removed",
        "Actions lose their connection.",
        before={"/portTemplates/-": BASE_MANIFEST["portTemplates"][0]},
        after={},
        review=ALWAYS,
        mirror="port-added",
    ),
    ChangeKind(
        "manifest-slug-changed",
        MAJOR,
        "metadata",
        "The manifest slug changed",
        "The Hub URL and import name change.",
        before={},
        after={"/slug": "acme-widgets-api"},
    ),
    ChangeKind(
        "publisher-changed",
        MAJOR,
        "metadata",
        "The publisher slug changed",
        "The Hub URL changes.",
        before={},
        after={"/publisher/slug": "acme-corp"},
    ),
    ChangeKind(
        "format-changed",
        MAJOR,
        "metadata",
        "formatVersion or kind changed",
        "Readers of the old format cannot read it.",
        before={},
        after={"/formatVersion": "2"},
    ),
    ChangeKind(
        "examples-changed",
        PATCH,
        "metadata",
        "An action's examples changed",
        "Documentation and offline tests only.",
        before={},
        after={"/actionTemplates/0/examples/0/input/query/limit": 20},
    ),
    ChangeKind(
        "metadata-changed",
        PATCH,
        "metadata",
        "Descriptive metadata changed",
        "Labels, descriptions, summary, tags, notes and any other field without a more "
        "specific kind.",
        before={},
        after={"/actionTemplates/0/description": "List widgets by page."},
    ),
)


def _index_kinds(kinds: tuple[ChangeKind, ...]) -> dict[str, ChangeKind]:
    table: dict[str, ChangeKind] = {}
    for kind in kinds:
        if kind.id in table or kind.id in RULES:
            raise ValueError(f"duplicate change kind id {kind.id!r}")
        if kind.bump not in BUMPS or kind.review not in (ALWAYS, NEVER, ON_WRITE):
            raise ValueError(f"change kind {kind.id!r} has an unknown bump or review")
        table[kind.id] = kind
    for kind in kinds:
        if kind.mirror is not None and kind.mirror not in table:
            raise ValueError(f"change kind {kind.id!r} mirrors unknown {kind.mirror!r}")
    return table


CHANGE_KINDS: dict[str, ChangeKind] = _index_kinds(CHANGE_KINDS_TABLE)
