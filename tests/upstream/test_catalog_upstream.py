"""Every catalog manifest against its provider's own spec (issue 12, item 4).

Beside each manifest ``<slug>.json`` of ``apps/hub/catalog/integrations/`` sits a record
``<slug>.upstream.yaml`` naming the spec it is checked against::

    spec: providers/github/api.github.com.json   # relative to ../shared/data/
    source: one line: where the spec comes from
    notes: optional

For each record the manifest must validate with no errors and pass ``check-upstream
--examples`` against that spec with no errors, so a catalog entry cannot drift from its provider.
Every manifest must have a record. The specs live in ../shared (third-party data kept out of
the repository); the spec checks skip with the reason where it is absent. Each spec is loaded
once per test process (GitHub's is 13 MB).
"""

from __future__ import annotations

import copy
import json
from functools import cache
from pathlib import Path, PurePosixPath
from typing import Any

import pytest
import yaml
from conftest import REPO, SHARED, shared_file

from hubtool.core.findings import ERROR, Finding, Report
from hubtool.load.strict import Document, parse
from hubtool.registry import RULES
from hubtool.upstream.contract import check_upstream
from hubtool.upstream.openapi import Spec, load_spec
from hubtool.validate.config.apply import apply_config
from hubtool.validate.config.find import find_config
from hubtool.validate.config.parse import load_config
from hubtool.validate.pipeline import load_file, validate

CATALOG = REPO / "apps/hub/catalog/integrations"
RECORD_SUFFIX = ".upstream.yaml"
RECORD_KEYS = {"spec", "source", "notes"}

PENDING: dict[tuple[str, str], tuple[set[tuple[str, str]], str]] = {
    # (check, "publisher/slug"): ({(rule, action slug), ...} it may still report, why).
    # Only exactly these errors turn the case into an xfail; any other error fails it. The lead
    # removes an entry once the slice named in its reason is merged.
}


def _records() -> list[Path]:
    return sorted(CATALOG.rglob(f"*{RECORD_SUFFIX}"))


def _name(record: Path) -> str:
    """``publisher/slug`` of a record."""
    return f"{record.parent.name}/{record.name.removesuffix(RECORD_SUFFIX)}"


def _manifest(record: Path) -> Path:
    return record.with_name(record.name.removesuffix(RECORD_SUFFIX) + ".json")


def _read_record(record: Path) -> dict[str, Any]:
    data = yaml.safe_load(record.read_text(encoding="utf-8"))
    assert isinstance(data, dict), f"{record}: not a mapping"
    return data


@cache
def _spec(relative: str) -> Spec:
    """The spec at ``../shared/data/<relative>``, loaded once; skips where ../shared is absent."""
    return load_spec(shared_file(f"data/{relative}"))


def _errors(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity == ERROR]


def _action_slug(doc: dict[str, Any], finding: Finding) -> str:
    """The slug of the action a finding points into (``/actionTemplates/N/...``), or ''."""
    parts = finding.pointer.split("/")
    if len(parts) < 3 or parts[1] != "actionTemplates" or not parts[2].isdigit():
        return ""
    return str(doc["actionTemplates"][int(parts[2])].get("slug", ""))


def _assert_clean(check: str, record: Path, findings: list[Finding]) -> None:
    """No errors; or, while a slice is pending, exactly its known errors (an xfail)."""
    errors = _errors(findings)
    if not errors:
        return
    listing = "\n".join(f"{f.line}:{f.column} {f.rule} {f.message}" for f in errors)
    known = PENDING.get((check, _name(record)))
    if known is not None:
        doc = json.loads(_manifest(record).read_text(encoding="utf-8"))
        seen = {(f.rule, _action_slug(doc, f)) for f in errors}
        if seen <= known[0]:
            pytest.xfail(known[1])
    pytest.fail(f"{_manifest(record).relative_to(REPO)} ({check}):\n{listing}")


RECORDS = _records()
IDS = [_name(r) for r in RECORDS]


def test_the_catalog_has_records() -> None:
    assert "sentry/sentry-api" in IDS and len(RECORDS) >= 5, IDS


def test_every_catalog_manifest_has_a_record_and_every_record_a_manifest() -> None:
    manifests = sorted(CATALOG.rglob("*.json"), key=lambda p: str(p).lower())
    assert manifests
    missing = [
        str(m.relative_to(CATALOG))
        for m in manifests
        if not m.with_name(m.stem + RECORD_SUFFIX).is_file()
    ]
    assert not missing, f"no {RECORD_SUFFIX} beside: {missing}"
    orphans = [_name(r) for r in RECORDS if not _manifest(r).is_file()]
    assert not orphans, f"records without a manifest: {orphans}"


@pytest.mark.parametrize("record", RECORDS, ids=IDS)
def test_record_names_a_spec_inside_the_shared_data(record: Path) -> None:
    data = _read_record(record)
    assert set(data) <= RECORD_KEYS and {"spec", "source"} <= set(data), sorted(data)
    source = data["source"]
    assert isinstance(source, str) and source.strip() and "\n" not in source.strip()
    assert "notes" not in data or isinstance(data["notes"], str)
    spec = data["spec"]
    assert isinstance(spec, str) and spec == spec.strip() and spec
    relative = PurePosixPath(spec)
    assert not relative.is_absolute() and ".." not in relative.parts and "\\" not in spec, spec
    if SHARED.is_dir():
        assert (SHARED / "data" / spec).is_file(), f"{record.name}: no ../shared/data/{spec}"


@pytest.mark.parametrize("record", RECORDS, ids=IDS)
def test_manifest_validates(record: Path) -> None:
    """As ``hubtool validate`` does: with the repository's .hubtool.yaml, if it has one."""
    manifest = _manifest(record)
    config = load_config(find_config(manifest), rules=RULES)
    report = validate([manifest], config=config, jobs=1)
    assert report.files, record
    _assert_clean("validate", record, report.findings)


@pytest.mark.parametrize("record", RECORDS, ids=IDS)
def test_manifest_passes_check_upstream_with_examples(record: Path) -> None:
    """As ``hubtool check-upstream --examples`` does: with the upstream-* waivers of the
    repository's .hubtool.yaml, each a reviewed defect of the provider's spec."""
    spec = _spec(_read_record(record)["spec"])
    manifest = _manifest(record)
    doc = load_file(manifest)
    assert isinstance(doc, Document), doc
    report = Report(files=[doc.path], findings=check_upstream(doc, spec, examples=True))
    config = load_config(find_config(manifest), rules=RULES)
    _assert_clean("upstream", record, apply_config(report, config, upstream=True).findings)


def test_drift_from_the_provider_is_caught() -> None:
    """The check is not vacuous: a catalog manifest that drifts from its spec fails it."""
    record = CATALOG / "netlify/netlify-api.upstream.yaml"
    if not record.is_file():
        pytest.skip("the Netlify manifest is not in this catalog")
    spec = _spec(_read_record(record)["spec"])
    data = json.loads(_manifest(record).read_text(encoding="utf-8"))
    assert _rules(data, spec) == []

    def drifted(slug: str) -> tuple[dict[str, Any], dict[str, Any]]:
        copied = copy.deepcopy(data)
        copied["actionTemplates"] = [a for a in copied["actionTemplates"] if a["slug"] == slug]
        return copied, copied["actionTemplates"][0]

    renamed, action = drifted("list-site-deploys")
    action["path"] = "/sites/{site_id}/deploy"  # not a Netlify route
    assert _rules(renamed, spec) == ["upstream-route"]
    widened, action = drifted("list-site-deploys")
    state = next(p for p in action["inputs"]["parameters"] if p["name"] == "state")
    state["schema"]["enum"].append("published")  # not a Netlify deploy state
    assert _rules(widened, spec) == ["upstream-query"]
    retyped, action = drifted("get-site")
    action["examples"][0]["input"]["path"]["site_id"] = 12  # Netlify's site_id is a string
    assert _rules(retyped, spec) == ["upstream-examples"]


def _rules(data: dict[str, Any], spec: Spec) -> list[str]:
    """The rules of the errors ``check-upstream --examples`` reports on ``data``."""
    doc = parse(json.dumps(data, indent=2), "drifted.json")
    assert isinstance(doc, Document), doc
    return [f.rule for f in _errors(check_upstream(doc, spec, examples=True))]
