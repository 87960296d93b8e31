"""Declared reads: a POST action that only reads, named and justified in ``.hubtool.yaml``.

```yaml
reads:
  - file: apps/hub/catalog/integrations/hubspot/hubspot-crm-api.json
    action: search-contacts           # the action's slug
    method: POST                      # only a POST can be declared a read
    path: /crm/v3/objects/contacts/search
    reason: HubSpot's contact search only reads; Harbor lists it under automatic reads
    expires: 2027-06-30               # optional
```

RFC 9110 (section 9.2.1) makes only GET and HEAD safe, so hubtool treats every other method as
a write (``write-requires-approval``). Some providers take a read's filters as a JSON body
(HubSpot's search, Harbor's connector page lists it under "Automatic read actions"). Harbor's
manifest format has no field for it and hubtool invents none, so the declaration lives in the
repository's configuration: reviewed in the pull request that adds it (in ``ci``, only the base
branch's configuration applies, and the change is a ``config-changed`` finding), shown as a
suppression with its reason (SARIF ``suppressions``), and matched on what the action is, not
where it sits: the slug, method and path must all still be the manifest's, so a changed path
or method voids it (the finding comes back, and the stale entry is ``waiver-unused``).
PUT, PATCH and DELETE change state by definition and cannot be declared reads.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

from hubtool.core.findings import Finding
from hubtool.validate.config.waivers import WAIVER_EXPIRED, WAIVER_UNUSED

READ_KEYS = frozenset({"file", "action", "method", "path", "reason", "expires"})
"""The keys of an entry (``expires`` optional); ``hubtool.validate.config.parse`` checks them."""
DECLARABLE = "POST"
"""The one method a declaration may name: GET and HEAD are reads already; PUT, PATCH and
DELETE are writes by definition."""
COVERED_RULE = "write-requires-approval"


class Read(NamedTuple):
    """A declared read: ``action`` (slug) of ``file``, sent as ``method`` to ``path`` (a named
    tuple, as ``waivers.Waiver`` is)."""

    file: Path
    action: str
    method: str
    path: str
    reason: str
    expires: datetime.date | None
    line: int
    column: int

    @property
    def subject(self) -> str:
        """What the covered finding's ``subject`` must be (``approval.read_subject``)."""
        return f"{self.action}\n{self.method}\n{self.path}"

    def covers(self, finding: Finding) -> bool:
        if finding.rule != COVERED_RULE or finding.subject != self.subject:
            return False
        return Path(finding.file).resolve() == self.file

    def key(self) -> tuple[object, ...]:
        """What the declaration says, without where it is written."""
        return (self.file, self.action, self.method, self.path, self.reason, self.expires)

    def described(self) -> str:
        """How findings name it: ``POST /path (action 'slug')``."""
        from hubtool.core.secrets import safe_repr

        return f"{self.method} {safe_repr(self.path)} (action {safe_repr(self.action)})"


def declared_read(reads: Iterable[Read], finding: Finding, today: datetime.date) -> Read | None:
    """The live declaration that covers ``finding``, or None."""
    for read in reads:
        if (read.expires is None or read.expires >= today) and read.covers(finding):
            return read
    return None


def read_findings(
    name: str, reads: Iterable[Read], used: set[Read], today: datetime.date, checked: set[Path]
) -> list[Finding]:
    """Findings about the declarations of the configuration shown as ``name``: expired, or
    unused (``used``: those that covered a finding) for a file checked in this run."""
    findings = []
    for read in reads:
        if read.expires is not None and read.expires < today:
            rule, message = (
                WAIVER_EXPIRED,
                f"the declared read {read.described()} expired on {read.expires}: set "
                "approvalMode to 'require_approval', or renew the entry after a new review",
            )
        elif read not in used and read.file in checked:
            rule, message = (
                WAIVER_UNUSED,
                f"the declared read {read.described()} matches no action of that slug, "
                "method and path needing approval: remove it, or correct it to the action's "
                "slug, method and path",
            )
        else:
            continue
        findings.append(Finding(rule.id, rule.severity, name, "", read.line, read.column, message))
    return findings
