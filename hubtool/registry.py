"""The registry: every rule, collected from the module whose code finds it, in one table.

Each rule is defined once, beside the code that finds it (a ``Rule`` constant in its module:
``hubtool.validate.rules.*``, ``hubtool.load.syntax``, ``hubtool.upstream.contract``,
``hubtool.core.guard``, ``hubtool.diff.gate``); this module lists them in the order of
``docs/RULES.md`` and indexes them. Rule ids are a stable contract (configuration, waivers,
SARIF and CI logs refer to them). Imported by cli, commands, report and tests only, never by
a module that defines a rule or change kind.
"""

from __future__ import annotations

from typing import Any

from hubtool.core.findings import ERROR, NOTE, WARNING
from hubtool.core.guard import INTERNAL_ERROR
from hubtool.core.registry import (
    ALWAYS,
    BUMPS,
    FAKE_SENTRY_TOKEN,
    NEVER,
    ON_WRITE,
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
