"""The registry: every rule, collected from the module whose code finds it, in one table.

Each rule is defined once, beside the code that finds it (a ``Rule`` constant in its module:
``hubtool.validate.rules.*``, ``hubtool.load.syntax``, ``hubtool.upstream.contract``,
``hubtool.core.guard``, ``hubtool.diff.gate``); this module lists them in the order of
``docs/RULES.md`` and indexes them. Rule ids are a stable contract (configuration, waivers,
SARIF and CI logs refer to them). Imported by cli, commands, report and tests only, never by
a module that defines a rule or change kind.
"""

from __future__ import annotations

from hubtool.core.findings import ERROR, NOTE, WARNING
from hubtool.core.guard import INTERNAL_ERROR
from hubtool.core.registry import (
    ALWAYS,
    BASE_MANIFEST,
    BUMPS,
    FAKE_SENTRY_TOKEN,
    MAJOR,
    MINOR,
    NEVER,
    ON_WRITE,
    PATCH,
    REMOVE,
    ChangeKind,
    Example,
    Rule,
)
from hubtool.diff.gate import VERSION_GATE
from hubtool.load import syntax
from hubtool.upstream import contract
from hubtool.validate.rules import (
    approval,
    body,
    catalog,
    examples,
    inputs,
    origin,
    paths,
    references,
    schema,
    secrets,
)

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
    syntax.JSON_SYNTAX,
    schema.SCHEMA,
    secrets.NO_SECRET_FIELDS,
    secrets.NO_SECRET_VALUES,
    origin.FIXED_ORIGIN,
    origin.AUTH_HEADER,
    paths.BOUNDED_PATH,
    inputs.TYPED_QUERY,
    body.BOUNDED_BODY,
    approval.WRITE_REQUIRES_APPROVAL,
    approval.NO_BULK_OR_DELETE,
    catalog.UNIQUE_SLUGS,
    examples.EXAMPLES_VALID,
    inputs.DEFAULTS_VALID,
    inputs.VALID_PATTERN,
    references.NO_SCHEMA_REFERENCES,
    inputs.SAFE_PATTERN,
    catalog.CATALOG_LAYOUT,
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
    catalog.VERSION_FORMAT,
    contract.UPSTREAM_ROUTE,
    contract.UPSTREAM_PATH_PARAMS,
    contract.UPSTREAM_QUERY,
    contract.UPSTREAM_BODY,
    contract.UPSTREAM_SCOPES,
    contract.UPSTREAM_EXAMPLES,
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
            patch={"/compatibility/notes": f"Use Bearer {FAKE_SENTRY_TOKEN}"},
            config="waivers:\n  - rule: no-secret-values\n    file: manifest.json\n"
            "    pointer: /compatibility/notes\n    reason: it is only an example\n",
        ),
        passing=Example(patch=_WRITE_WITHOUT_APPROVAL, config=_waiver()),
    ),
    INTERNAL_ERROR,
)


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

GATE_RULE = VERSION_GATE
"""The semver gate, reported like a rule; it compares two versions, so it is not in RULES."""


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
