"""Scaffold a bounded action template from one OpenAPI operation. Pure: returns data, no printing.

``hubtool scaffold --openapi SPEC --operation ID`` reads the operation
(``hubtool.upstream.openapi``) and writes the smallest action that passes ``hubtool validate``.
What it decides, and why:

Route
    ``method`` is the operation's; ``path`` is the operation's full path (server base path
    included) relative to the port's baseUrl path with ``--into``, else to the server root. An
    operation outside the baseUrl path, a method Harbor does not know, a placeholder that is not
    a whole segment, or a route the policy refuses (DELETE, PUT/PATCH on a collection) is an
    error with the reason, never an invalid action: every scaffold is checked by the same rules
    as ``hubtool validate`` before it is returned or written.

Names
    ``slug`` is ``--slug``, else ``<verb>-<noun>`` whatever the operationId's style
    (``names.derive_slug``). The verb is the path's last unit when it is a known verb the id
    also names (Slack's ``admin_inviteRequests_list``, GitHub's ``pulls/merge`` on
    ``.../merge``), else the first known verb (``names.VERBS``) of the id's last ``/`` part
    (GitHub's ``issues/get`` -> get, DigitalOcean's ``droplets_list`` -> list, HubSpot's
    ``post-/crm/.../search_doSearch`` -> search), else of the whole id, else (for a write) the
    id's word that is the path's last unit, else the method's (get, create, set, update). The
    noun is the last literal unit of the path (a segment, or a dot-separated part of one:
    Slack's ``chat.postMessage``) without the verb, the unit before it when nothing is left,
    singular before a placeholder (``issues/{id}`` -> ``issue``). ``scaffold --all`` makes the
    slugs unique (``slugs.unique_slugs``): colliding ones are qualified by the path units
    before the noun (``list-repo-issues``), then the id's other words, the method, a number.
    ``label`` is the slug in Title Case; ``description`` the summary (else the first
    sentence of the description), at most ``MAX_DESCRIPTION`` characters and never a
    credential-shaped string (then a neutral text is used).

Path parameters
    Renamed from snake_case to camelCase (``organization_id_or_slug`` ->
    ``organizationIdOrSlug``), placeholders too; always required. A string is
    ``PATH_STRING`` (letters, digits, ``-``, ``_``; no ``/`` or ``.``), unless the spec gives a
    pattern that is itself anchored and route-safe (then that pattern), an enum of route-safe
    values, or an integer (``minimum`` 1 and ``maximum`` 2^53-1 unless the spec bounds it).

Query parameters
    Types, bounds and enums from the spec. A string without an enum or a bounded format gets
    the spec's ``maxLength``, else ``DEFAULT_MAX_LENGTH``. An integer gets the spec's
    minimum/maximum, else a limit stated in its description ("The maximum is 100.", "Default and
    maximum allowed is 100.", "between 1 and 10", "Defaults to 1000, which is also the
    maximum."); such a stated maximum reads as a count or page size, so its minimum is 1 unless
    the spec gives one. Without either it stays unbounded and ``typed-query`` warns. Arrays get
    typed scalar items and the spec's ``maxItems``, else ``DEFAULT_MAX_ITEMS``. A union of
    scalar types (``anyOf``/``oneOf``/a type list) becomes a string (any scalar is sent as text
    in a query string): ``integer|string`` -> ``string`` with ``maxLength``; ``integer|number``
    -> ``number``. ``null`` is dropped (a query value is never null). Object-typed, untyped,
    deprecated, header and cookie parameters, and parameters that name a credential, are
    skipped with a note. A default is kept only if it validates against the final schema.

Body (``requestBodyMode: json``; GET and HEAD never carry one)
    The JSON request schema, flattened (one-element ``allOf`` wrappers merged), closed
    (``additionalProperties: false`` at every level) and bounded: strings get ``maxLength``
    (the spec's, else ``DEFAULT_MAX_LENGTH``) unless they have an enum or a bounded format;
    numbers get the spec's minimum/maximum, else a limit stated in the description, else
    ``DEFAULT_MINIMUM``..``DEFAULT_MAXIMUM`` (a count or an ID is the common case: widen it by
    hand where negative or larger values are meaningful); arrays get ``maxItems`` (the spec's,
    else ``DEFAULT_MAX_ITEMS``). ``nullable`` becomes ``["t", "null"]``. A scalar union keeps
    its types (JSON tells them apart) with the bounds of each. Read-only, deprecated and
    credential-named properties, free-form objects (no declared properties) and properties of
    no representable type are left out with a note, unless named with ``--body-field`` or
    required by a POST body (then the scaffold fails with the reason: see ``body``). A free-form
    map takes the keys of the spec's examples. ``--body-field`` narrows the body to the named
    top-level fields; without it every representable field is kept.

    ``required``: Sentry's generator lists every serializer field as required, even for
    partial updates (``updateOrganizationIssue`` "requires" twelve fields, and its
    ``statusDetails`` requires seven mutually exclusive ones). So:

    * PUT and PATCH are partial updates: nothing is required at any level; the top-level body
      has ``minProperties: 1`` instead, because an empty update changes nothing. The fields
      named with ``--body-field`` are what the action *may* change, not what every call must
      send; add ``required`` by hand when the provider truly needs a field.
    * POST keeps the spec's ``required`` lists (restricted to the fields kept). A required
      field left out by ``--body-field`` is reported in a note: the provider may reject calls.

Modes
    ``approvalMode`` is ``automatic`` for GET and HEAD, ``require_approval`` otherwise;
    ``requestBodyMode`` is ``json`` when there is a body; ``resultMode`` is ``json_summary``.

Examples
    From the spec's examples only (parameter ``example``/``examples``, schema
    ``example``/``examples``, request body ``example``/``examples``), one action example per
    body example (``spec-example``, ``spec-example-2`` ...), each kept only when it validates
    against the action's compiled input schema (``hubtool.core.inputs``) and carries no
    credential-shaped value. Body examples are narrowed to the action's body fields. A path
    value the spec does not give is a placeholder that fits the parameter's schema
    (``example``, or the minimum of an integer), and the example's description says so; an
    example made only of placeholders is not written.

``--into MANIFEST``
    Appends the action to ``actionTemplates`` (a slug already there is an error), writes the
    file atomically as ``json.dumps(indent=2, ensure_ascii=False)`` plus a newline (key order is
    kept, but formatting is normalised to a 2-space indent), and reports the version bump the
    change now needs (``hubtool.diff.classify`` + ``hubtool.diff.gate``). A MANIFEST that does
    not exist is created with ``--base-url`` as its port's baseUrl (``placement``); ``hubtool
    new``'s placeholder action is replaced by the first actions added.

``--list`` and ``--all``
    ``--list`` shows every operation (method, path, operationId, summary, deprecated;
    ``listing``). ``--all`` scaffolds every operation it can into one manifest and refuses the
    others with a reason (``batch``): deprecated (unless ``--include-deprecated``, which one
    ``--operation`` needs too), a missing or shared operationId, a route already in the
    manifest, or any reason one ``--operation`` would give.

Modules
    ``template`` assembles the action and checks it (``scaffold``, ``add_to_manifest``);
    ``names`` derives slug, label, description and the route; ``parameters`` the path and
    query parameters; ``body`` the request body; ``bounds`` the type, enum and bound helpers
    parameters and body share; ``examples`` the action's examples; ``listing``, ``slugs``,
    ``batch`` and ``placement`` the command side (``--list``, unique slugs, ``--all``,
    ``--into``).
"""

from hubtool.upstream.scaffold.bounds import (
    DEFAULT_MAX_ITEMS,
    DEFAULT_MAX_LENGTH,
    DEFAULT_MAXIMUM,
    SAFE_INTEGER,
    description_limits,
)
from hubtool.upstream.scaffold.names import camel_case, derive_slug, singular
from hubtool.upstream.scaffold.parameters import PATH_STRING
from hubtool.upstream.scaffold.template import add_to_manifest, scaffold, write_manifest

__all__ = [
    "DEFAULT_MAXIMUM",
    "DEFAULT_MAX_ITEMS",
    "DEFAULT_MAX_LENGTH",
    "PATH_STRING",
    "SAFE_INTEGER",
    "add_to_manifest",
    "camel_case",
    "derive_slug",
    "description_limits",
    "scaffold",
    "singular",
    "write_manifest",
]
