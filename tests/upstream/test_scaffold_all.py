"""``scaffold --all`` on every real spec (../shared/data/providers/ and Sentry's): the manifest it
writes validates with 0 errors, every refused operation has a reason, ``--list`` shows every
operation, and ``check-upstream --examples`` against the same spec finds no error (issue 12,
item 3).

Each spec is scaffolded once per test process (``_RESULTS``), by the functions the command
runs (``scaffold_all``, ``place``, ``write``), into a new manifest created under the spec's
server origin; the command itself is run end to end in ``test_scaffold_cli.py``.
"""

from __future__ import annotations

import collections
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import shared_file

from hubtool.core.findings import ERROR
from hubtool.load.strict import Document
from hubtool.upstream.contract import check_upstream
from hubtool.upstream.openapi import load_spec
from hubtool.upstream.scaffold.batch import Batch, scaffold_all
from hubtool.upstream.scaffold.listing import list_operations
from hubtool.upstream.scaffold.placement import open_target, place, write
from hubtool.validate.pipeline import load_file, validate

SPECS = {
    # name: (file under ../shared/data, the port's baseUrl: the server's origin)
    "github": ("providers/github/api.github.com.json", "https://api.github.com/"),
    "slack": ("providers/slack/slack_web_openapi_v2.json", "https://slack.com/"),
    "netlify": ("providers/netlify/swagger.yml", "https://api.netlify.com/"),
    "digitalocean": (
        "providers/digitalocean/specification/DigitalOcean-public.v2.yaml",
        "https://api.digitalocean.com/",
    ),
    "discord": ("providers/discord/openapi.json", "https://discord.com/"),
    "hubspot-contacts": ("providers/hubspot/crm-contacts-v3.json", "https://api.hubapi.com/"),
    "hubspot-deals": ("providers/hubspot/crm-deals-v3.json", "https://api.hubapi.com/"),
    "hubspot-tickets": ("providers/hubspot/crm-tickets-v3.json", "https://api.hubapi.com/"),
    "hubspot-companies": ("providers/hubspot/crm-companies-v3.json", "https://api.hubapi.com/"),
    "jira": ("providers/jira/swagger-v3.v3.json", "https://your-domain.atlassian.net/"),
    "vercel": ("providers/vercel/vercel-openapi.json", "https://api.vercel.com/"),
    "asana": ("providers/asana/asana_oas.yaml", "https://app.asana.com/"),
    "confluence": ("providers/confluence/openapi-v2.v3.json", "https://your-domain.atlassian.net/"),
    "sentry": ("sentry/openapi-derefed.json", "https://sentry.io/"),
}


@dataclass
class Result:
    """One spec scaffolded: the batch, and the errors of validate and check-upstream."""

    batch: Batch
    listed: int
    """How many operations ``--list`` shows."""
    validate_errors: list[str]
    upstream_errors: list[str]


_RESULTS: dict[str, Result] = {}
_TEMP = tempfile.TemporaryDirectory(prefix="hubtool-scaffold-all-")
"""This process's own directory for the manifests (removed when the process ends)."""


def _result(name: str) -> Result:
    if name not in _RESULTS:
        _RESULTS[name] = _scaffold(name)
    return _RESULTS[name]


def _scaffold(name: str) -> Result:
    file, base_url = SPECS[name]
    spec = load_spec(shared_file(f"data/{file}"))
    target = open_target(Path(_TEMP.name) / f"{name}.json", base_url)
    batch = scaffold_all(spec, target.data, target.base_url)
    write(target, place(target, batch.actions).text)
    report = validate([target.path], jobs=1)
    doc = load_file(target.path)
    assert isinstance(doc, Document)
    return Result(
        batch,
        len(list_operations(spec)),
        [f"{f.rule} {f.pointer}: {f.message}" for f in report.findings if f.severity == ERROR],
        [
            f"{f.rule} {f.pointer}: {f.message}"
            for f in check_upstream(doc, spec, True)
            if f.severity == ERROR
        ],
    )


@pytest.mark.parametrize("name", SPECS)
def test_the_manifest_validates_and_every_refusal_has_a_reason(name: str) -> None:
    result = _result(name)
    batch = result.batch
    assert len(batch.scaffolded) >= 5, name  # HubSpot: 7 of 12 (free-form maps refused)
    assert result.validate_errors == [], result.validate_errors[:5]
    assert len(batch.scaffolded) + len(batch.refused) == batch.operations == result.listed
    for refusal in batch.refused:
        assert refusal.reason.strip() and refusal.method and refusal.path, refusal
    slugs = [item.action["slug"] for item in batch.scaffolded]
    assert len(set(slugs)) == len(slugs)  # unique, though every spec has collisions to resolve


@pytest.mark.parametrize("name", SPECS)
def test_check_upstream_finds_no_error_in_the_manifest(
    name: str, record_property: pytest.RecordProperty
) -> None:
    errors = _result(name).upstream_errors
    record_property("check_upstream_errors", len(errors))
    assert errors == [], f"{len(errors)} check-upstream errors: {errors[:5]}"


def test_the_refusal_reasons_are_the_policy_ones() -> None:
    """GitHub's and DigitalOcean's refusals are DELETE and collection writes, credential
    parameters, deprecated operations; Slack's are its form-only bodies."""
    counts: collections.Counter[str] = collections.Counter()
    for name in ("github", "digitalocean"):
        for refusal in _result(name).batch.refused:
            counts[refusal.reason.split(":")[0]] += 1
    assert counts["deprecated"] == 37 + 20
    assert counts["no-bulk-or-delete"] > 300 and counts["no-secret-fields"] > 50
    slack = collections.Counter(
        "form" if "JSON bodies" in r.reason else "credential" if "credential" in r.reason else "?"
        for r in _result("slack").batch.refused
    )  # form-only bodies (a form-or-JSON body is read as JSON), a required credential field
    assert set(slack) == {"form", "credential"} and slack["form"] >= 10, slack
