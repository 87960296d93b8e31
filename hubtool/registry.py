"""Every rule defined once: id, severity, family, docs and a failing and a passing example.

Rule ids are a stable contract (configuration, waivers, SARIF and CI logs refer to them).
``docs/RULES.md`` is generated from this table, and the tests run every example in it.
"""

from __future__ import annotations

from typing import Any

from hubtool.core.findings import ERROR, NOTE, WARNING, Finding
from hubtool.core.limits import MAX_BYTES, MAX_DEPTH
from hubtool.core.registry import (
    ALWAYS,
    BUMPS,
    NEVER,
    ON_WRITE,
    WIDGET_PATCH,
    ChangeKind,
    Example,
    Rule,
)
from hubtool.load.strict import Document

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
    Rule(
        id="catalog-tree",
        severity=ERROR,
        family="catalog",
        title="The catalog holds regular files with printable names, never links",
        description="Discovery never follows a link and never opens a special file. A symbolic "
        "link (to a file or a directory), a FIFO, socket or device, a nested repository or "
        "submodule, and a name with control or invisible characters or bytes that are not UTF-8 "
        "are findings and are not read; a path given on the command line that is a link or a "
        "special file too. In `ci`, git's own view counts as well: a catalog entry of mode "
        "120000 (link) or 160000 (submodule). The catalog directory itself, or a parent of it "
        "in the repository, being a link stops the run (exit 2). Names are shown escaped.",
        fix="Replace the link with the file itself; remove special files; rename the file "
        "with printable UTF-8 characters.",
        failing=Example(file="apps/hub/catalog/integrations/acme/acme-api.json", link=True),
        passing=Example(file="apps/hub/catalog/integrations/acme/acme-api.json"),
    ),
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
    Rule(
        id="config-changed",
        severity=ERROR,
        family="config",
        title="A change to .hubtool.yaml is reviewed, not applied",
        description="In `ci`, the configuration applied is the one at the tip of `--base` (the "
        "branch the pull request merges into, as its maintainers hold it now): a pull "
        "request cannot lower a severity, turn a rule off, add a waiver or allow a value for "
        "itself. Its own change to `.hubtool.yaml` since the merge base (added, modified, "
        "deleted, or replaced by a link) is this finding, one per changed entry, so a "
        "maintainer reviews it; it applies "
        "once merged. An error by default, because the configuration decides every other "
        "verdict: a green check must never mean the policy changed unseen. The base "
        "configuration may set it to `warning` where configuration changes are reviewed "
        "otherwise (CODEOWNERS).",
        fix="Have a maintainer review the change; land it on its own, before the manifests "
        "that need it.",
        failing=Example(
            patch=_WRITE_WITHOUT_APPROVAL,
            base_config="severity:\n  typed-query: error\n",
            config="severity:\n  typed-query: error\n  write-requires-approval: 'off'\n",
        ),
        passing=Example(
            base_config="severity:\n  typed-query: error\n",
            config="severity:\n  typed-query: error\n",
        ),
    ),
    Rule(
        id="waiver-expired",
        severity=ERROR,
        family="config",
        title="Waivers have not expired",
        description="A waiver in `.hubtool.yaml` past its `expires` date no longer hides its "
        "finding, and is itself a finding, so the exception gets a new review.",
        fix="Fix the finding, or renew the waiver after a new review.",
        failing=Example(patch=_WRITE_WITHOUT_APPROVAL, config=_waiver("    expires: 2000-01-01\n")),
        passing=Example(patch=_WRITE_WITHOUT_APPROVAL, config=_waiver("    expires: 2999-12-31\n")),
    ),
    Rule(
        id="waiver-unused",
        severity=WARNING,
        family="config",
        title="Every waiver matches a finding",
        description="A waiver that matches no finding (rule, file and JSON pointer) is stale.",
        fix="Remove the waiver.",
        failing=Example(config=_waiver()),
        passing=Example(patch=_WRITE_WITHOUT_APPROVAL, config=_waiver()),
    ),
    Rule(
        id="waiver-invalid",
        severity=ERROR,
        family="config",
        title="No waiver hides a secret",
        description="`json-syntax`, `no-secret-fields` and `no-secret-values` cannot be waived, "
        "downgraded or turned off; a waiver for them is an error and hides nothing.",
        fix="Remove the secret and the waiver.",
        failing=Example(
            patch={"/compatibility/notes": f"Use Bearer {_FAKE_SENTRY_TOKEN}"},
            config="waivers:\n  - rule: no-secret-values\n    file: manifest.json\n"
            "    pointer: /compatibility/notes\n    reason: it is only an example\n",
        ),
        passing=Example(patch=_WRITE_WITHOUT_APPROVAL, config=_waiver()),
    ),
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

CHANGE_KINDS_TABLE: tuple[ChangeKind, ...]
"""Every change kind, in the order of docs/CHANGES.md; each is defined in the
``hubtool.diff.kinds`` module that emits it. Collected on first use (``__getattr__``)."""
CHANGE_KINDS: dict[str, ChangeKind]
"""Change kind id -> kind, checked by ``_index_kinds``."""


def _collect_kinds() -> tuple[ChangeKind, ...]:
    """The change kinds, imported when first used so that ``hubtool validate`` (which reads the
    rules here) does not load ``hubtool.diff``: start-up imports no more than it needs."""
    from hubtool.diff import kinds as shared_kinds
    from hubtool.diff.kinds import actions as action_kinds
    from hubtool.diff.kinds import body as body_kinds
    from hubtool.diff.kinds import inputs as input_kinds
    from hubtool.diff.kinds import metadata as metadata_kinds
    from hubtool.diff.kinds import port as port_kinds
    from hubtool.diff.kinds import schemas as schema_kinds

    return (
        action_kinds.ACTION_REMOVED,
        action_kinds.ACTION_ADDED,
        action_kinds.ACTION_SLUG_CHANGED,
        action_kinds.ACTION_METHOD_CHANGED,
        action_kinds.ACTION_PATH_CHANGED,
        action_kinds.REQUEST_BODY_MODE_CHANGED,
        action_kinds.RESULT_MODE_CHANGED,
        action_kinds.APPROVAL_LOOSENED,
        action_kinds.APPROVAL_TIGHTENED,
        input_kinds.INPUT_ADDED_REQUIRED,
        input_kinds.INPUT_ADDED_OPTIONAL,
        input_kinds.INPUT_REMOVED,
        input_kinds.INPUT_MADE_REQUIRED,
        input_kinds.INPUT_MADE_OPTIONAL,
        schema_kinds.INPUT_TYPE_CHANGED,
        schema_kinds.CONSTRAINT_NARROWED,
        schema_kinds.CONSTRAINT_WIDENED,
        schema_kinds.INPUT_DEFAULT_CHANGED,
        body_kinds.BODY_PROPERTY_ADDED_OPTIONAL,
        body_kinds.BODY_PROPERTY_ADDED_REQUIRED,
        body_kinds.BODY_PROPERTY_REMOVED,
        body_kinds.BODY_PROPERTY_MADE_REQUIRED,
        body_kinds.BODY_PROPERTY_MADE_OPTIONAL,
        port_kinds.PORT_ORIGIN_CHANGED,
        port_kinds.PORT_AUTH_CHANGED,
        port_kinds.PORT_KIND_CHANGED,
        port_kinds.PORT_ADDED,
        port_kinds.PORT_REMOVED,
        metadata_kinds.MANIFEST_SLUG_CHANGED,
        metadata_kinds.PUBLISHER_CHANGED,
        metadata_kinds.FORMAT_CHANGED,
        action_kinds.EXAMPLES_CHANGED,
        shared_kinds.METADATA_CHANGED,
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


def __getattr__(name: str) -> Any:
    """``CHANGE_KINDS_TABLE`` and ``CHANGE_KINDS``, collected and checked on first use (PEP 562).

    Raises AttributeError for any other name, ValueError for a duplicate or unknown kind."""
    if name not in ("CHANGE_KINDS_TABLE", "CHANGE_KINDS"):
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    table = _collect_kinds()
    globals().update(CHANGE_KINDS_TABLE=table, CHANGE_KINDS=_index_kinds(table))
    return globals()[name]
