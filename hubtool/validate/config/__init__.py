"""``.hubtool.yaml``: rule severities, waivers and declared reads, read from the catalog
repository's root.

```yaml
severity:
  typed-query: error          # error | warning | off
waivers:
  - rule: no-bulk-or-delete
    file: apps/hub/catalog/integrations/sentry/sentry-api.json
    pointer: /actionTemplates/2/path
    reason: policy review 2026-11 -- bulk resolve, bounded by its required id filter
    expires: 2027-06-30       # optional
allowlist:                    # values that only look like credentials, by fingerprint
  - fingerprint: sha256:<64 hex digits, from the no-secret-values finding>
    reason: the SHA-256 commit id in the example of Sentry's commit field
    file: apps/hub/catalog/integrations/sentry/sentry-api.json   # optional
reads:                        # POST actions that only read: no approval needed
  - file: apps/hub/catalog/integrations/hubspot/hubspot-crm-api.json
    action: search-contacts
    method: POST
    path: /crm/v3/objects/contacts/search
    reason: HubSpot's contact search only reads; Harbor lists it under automatic reads
    expires: 2027-06-30       # optional
```

A bad configuration stops the run (exit 2). Secrets and syntax cannot be waived, downgraded or
turned off: a waiver for them is itself a finding; an allowlist entry hides exactly one value
(the SHA-256 of the whole string), the way detect-secrets' baseline and .gitleaksignore do.
The file is a stranger's input too (a pull request can change it): it is read without blocking
or following into special files, capped in size (``MAX_CONFIG_BYTES``) and in expanded nodes
(``MAX_CONFIG_NODES``, against alias bombs), and every string of it that reaches an output is
redacted.

The modules, in the order a configuration goes through them:

- ``find``: where the file is (``find_config``);
- ``yamlfile``: reading and bounding the file (``read_config``, ``config_document``);
- ``parse``: its contents checked into a ``Config`` (``load_config``,
  ``parse_config``; the caller passes the rule table);
- ``waivers``: ``Waiver``, ``Allowed``, what they hide, and the rules ``waiver-expired``,
  ``waiver-unused`` and ``waiver-invalid``;
- ``reads``: ``Read``, a POST declared a read, the write-requires-approval finding it covers
  (matched on the action's slug, method and path), and its own expired or unused findings;
- ``apply``: a ``Config`` applied to a Report (``apply_config``);
- ``scan``: credentials in the file itself (``scan_config``, ``scan_lines``).

The package imports none of them here, so the registry can import the waiver rules alone.
"""
