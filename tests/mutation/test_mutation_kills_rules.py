"""Exact assertions on the policy rules and the gate, so that a mutant of them is noticed.

Each dedicated check gets a case that only it catches (a broader check would otherwise hide its
deletion), every branch runs, findings are compared as whole lists of (rule, pointer), and
messages are checked for their key facts. Detector tables and thresholds are pinned entry by
entry. ``make mutate`` measures it; docs/MUTATION.md lists the equivalent survivors.
"""

from __future__ import annotations

import base64
import json
import math
import re
from pathlib import Path, PurePath
from typing import Any

import pytest

import hubtool.validate.rules as rule_families
import hubtool.validate.rules.examples as examples_rule
import hubtool.validate.rules.references as references_rule
import hubtool.validate.rules.schema as schema_rule
from hubtool.core import secrets as core_secrets
from hubtool.core.findings import Finding
from hubtool.core.fingerprint import pointer_fingerprint
from hubtool.core.secrets import decodings, detectors
from hubtool.core.secrets import names as credential_names
from hubtool.core.secrets.names import names_credential
from hubtool.diff.gate import gate, satisfies
from hubtool.diff.kinds import METADATA_CHANGED, Scope
from hubtool.diff.kinds.actions import ACTION_ADDED
from hubtool.load.strict import MAX_BYTES, Document, parse
from hubtool.validate.rules import approval, body, catalog, inputs, origin, paths, secrets

BASE = "https://api.acme.example/v1/"
B62 = "A1b2C3d4"
TOKEN = "sntr" + "ys_" + "eyJ" + B62 * 5
"""A fake Sentry org token, assembled at run time."""


def doc_of(data: Any, name: str = "m.json") -> Document:
    document = parse(json.dumps(data, indent=2), name)
    assert isinstance(document, Document)
    return document


def manifest(*actions: dict[str, Any], base: Any = BASE, ports: list | None = None) -> Document:
    port_list = ports if ports is not None else [{"baseUrl": base}]
    return doc_of({"portTemplates": port_list, "actionTemplates": list(actions)})


def action(slug: str = "a", method: str = "GET", path: Any = "/x", **extra: Any) -> dict:
    return {"slug": slug, "method": method, "path": path, **extra}


def path_param(name: str, schema: Any = None, **extra: Any) -> dict:
    return {
        "name": name,
        "in": "path",
        "schema": schema or {"type": "integer"},
        **extra,
    }


def where(findings: Any) -> list[tuple[str, str]]:
    return [(f.rule, f.pointer) for f in findings]


def only(findings: Any) -> Finding:
    [found] = list(findings)
    return found


A0 = "/actionTemplates/0"

# --- gate ------------------------------------------------------------------------------------


def test_gate_names_the_bad_version_whichever_side_it_is() -> None:
    changes = [Scope().change(METADATA_CHANGED, "", "x")]
    bad_new = gate("0.1.0", "v0.2", changes)
    assert (bad_new.ok, bad_new.required_bump, bad_new.minimum_version) == (
        False,
        "patch",
        None,
    )
    assert bad_new.problems == ["version 'v0.2' is not a semantic version"]
    bad_old = gate("one", "0.2.0", [])
    assert bad_old.ok is False and bad_old.required_bump == "none"
    assert bad_old.problems == ["version 'one' is not a semantic version"]
    assert gate(1, "0.2.0", []).problems == ["version 1 is not a semantic version"]


def test_gate_verdict_carries_the_required_bump() -> None:
    changes = [Scope().change(ACTION_ADDED, "", "x")]
    verdict = gate("1.0.0", "1.1.0", changes)
    assert (verdict.ok, verdict.required_bump, verdict.minimum_version) == (
        True,
        "minor",
        "1.1.0",
    )
    assert verdict.problems == []
    short = gate("1.0.0", "1.0.1", changes)
    assert short.ok is False and short.required_bump == "minor"
    assert short.problems == [
        "minor changes need at least 1.1.0, but the version is 1.0.1 (a pre-release of 1.1.0 "
        "passes too); `hubtool bump` writes it"
    ]
    assert gate("1.0.0", "0.9.0", changes).problems == ["the version decreased from 1.0.0 to 0.9.0"]


def test_a_pre_release_of_the_minimum_or_later_satisfies_when_above_the_old_version() -> None:
    import semver

    v = semver.Version.parse
    assert satisfies(v("1.9.9"), v("2.0.0-rc.1"), "2.0.0")  # a pre-release of the minimum
    assert satisfies(v("1.9.9"), v("2.1.0-rc.1"), "2.0.0")  # of a later release
    assert not satisfies(v("1.9.9"), v("1.10.0-rc.1"), "2.0.0")  # of an earlier one
    assert not satisfies(v("2.0.0-rc.1"), v("2.0.0-rc.1"), "2.0.0")  # not above the old one
    assert satisfies(v("2.0.0-rc.1"), v("2.0.0-rc.2"), "2.0.0")
    changes = [Scope().change(ACTION_ADDED, "", "x")]
    assert gate("1.0.0", "1.1.0-rc.1", changes).problems == []


# --- write-requires-approval, no-bulk-or-delete ----------------------------------------------


def test_write_without_approval_points_at_the_action_or_its_mode() -> None:
    doc = manifest(action("w", "POST"), action("m", "POST", approvalMode="automatic"))
    found = list(approval.check(doc))
    assert where(found) == [
        ("write-requires-approval", A0),
        ("write-requires-approval", "/actionTemplates/1/approvalMode"),
    ]
    for finding in found:
        assert "POST" in finding.message and "require_approval" in finding.message
    assert "'w'" in found[0].message and "'m'" in found[1].message
    assert found[0].severity == "error" and found[0].file == "m.json"


def test_approval_message_without_a_method_says_a_write() -> None:
    found = only(approval.check(manifest({"slug": "nm", "path": "/x/{id}"})))
    assert found.rule == "write-requires-approval" and "a write changes state" in found.message


def test_reads_and_approved_writes_pass() -> None:
    doc = manifest(
        action("r", "GET"),
        action("h", "head", "/x"),
        action("p", "POST", "/x", approvalMode="require_approval"),
        action("u", "PUT", "/x/{id}", approvalMode="require_approval"),
    )
    assert list(approval.check(doc)) == []


@pytest.mark.parametrize("verb", ["PUT", "PATCH", "patch", "Put"])
def test_put_or_patch_on_a_collection_is_a_bulk_mutation(verb: str) -> None:
    doc = manifest(action("b", verb, "/v1/widgets", approvalMode="require_approval"))
    found = only(approval.check(doc))
    assert (found.rule, found.pointer) == ("no-bulk-or-delete", f"{A0}/path")
    assert "'b'" in found.message and verb.upper() in found.message
    assert "collection" in found.message


@pytest.mark.parametrize("path", ["/v1/widgets/{id}", "/v1/widgets/{id}/", "/{id}"])
def test_put_or_patch_on_one_resource_passes(path: str) -> None:
    for verb in ("PUT", "PATCH"):
        assert (
            list(approval.check(manifest(action("b", verb, path, approvalMode="require_approval"))))
            == []
        )


@pytest.mark.parametrize("path", ["/", "", "/v1/{id}x", "/v1/{id}/items", "/{a-b}"])
def test_patch_without_a_whole_trailing_placeholder_is_bulk(path: str) -> None:
    doc = manifest(action("b", "PATCH", path, approvalMode="require_approval"))
    assert where(approval.check(doc)) == [("no-bulk-or-delete", f"{A0}/path")]


def test_post_on_a_collection_and_a_non_string_path_pass() -> None:
    doc = manifest(
        action("c", "POST", "/v1/widgets", approvalMode="require_approval"),
        action("d", "PATCH", 7, approvalMode="require_approval"),
    )
    assert list(approval.check(doc)) == []


def test_delete_is_reported_once_at_its_method() -> None:
    doc = manifest(action("d", "DELETE", "/v1/widgets", approvalMode="require_approval"))
    found = only(approval.check(doc))
    assert (found.rule, found.pointer) == ("no-bulk-or-delete", f"{A0}/method")
    assert "'d'" in found.message and "DELETE" in found.message
    unapproved = manifest(action("d", "delete", "/v1/widgets/{id}"))
    assert where(approval.check(unapproved)) == [
        ("write-requires-approval", A0),
        ("no-bulk-or-delete", f"{A0}/method"),
    ]


def test_ends_with_identifier() -> None:
    assert approval.ends_with_identifier("/a/{id}")
    assert approval.ends_with_identifier("/a/{id}//")
    assert not approval.ends_with_identifier("/a/{id}/b")
    assert not approval.ends_with_identifier("///")
    assert not approval.ends_with_identifier("/a/x{id}")


# --- fixed-origin: baseUrl -------------------------------------------------------------------


@pytest.mark.parametrize(
    "host",
    [
        "printer.local",
        "db.internal",
        "box.localdomain",
        "nas.home.arpa",
        "app.localhost",
    ],
)
def test_local_and_internal_host_suffixes_are_blocked(host: str) -> None:
    """Each suffix is a valid DNS name otherwise: only the suffix block catches it."""
    assert origin._HOST.fullmatch(host)
    assert origin.base_url_problem(f"https://{host}/") == (
        "must not point at a local or internal host"
    )
    assert origin.base_url_problem(f"https://{host.upper()}/") == (
        "must not point at a local or internal host"
    )


def test_local_suffix_table_is_pinned() -> None:
    assert origin._LOCAL_SUFFIXES == (
        ".localhost",
        ".local",
        ".internal",
        ".localdomain",
        ".home.arpa",
    )
    assert origin.base_url_problem("https://localhost/") == (
        "must not point at a local or internal host"
    )
    assert origin.base_url_problem("https://notlocal.example/") is None
    assert origin.base_url_problem("https://local.example/") is None


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("https://api.acme.example/?", "must not carry a query string"),
        ("https://api.acme.example/v1?", "must not carry a query string"),
        ("https://api.acme.example/?a=1", "must not carry a query string"),
        ("https://api.acme.example/#", "must not carry a fragment"),
        ("https://api.acme.example/#top", "must not carry a fragment"),
        ("https:///v1/", "has no host"),
        (
            "https://api.acme.example:99999/",
            "is not a valid URL (check the port number)",
        ),
        ("https://api.acme.example:x/", "is not a valid URL (check the port number)"),
        ("https://api.acme.example:8443/", "must use the default https port, not 8443"),
        ("https://api.acme.example:80/", "must use the default https port, not 80"),
        ("http://api.acme.example/", "must use https"),
        ("ftp://api.acme.example/", "must use https"),
        ("api.acme.example/v1", "must be an absolute https URL"),
        ("https://api.acme.example/ v1", "contains whitespace"),
        ("https://api.acme.example/\tv1", "contains whitespace"),
        ("https://user@api.acme.example/", "must not carry userinfo (user:password@)"),
        ("https://@api.acme.example/", "must not carry userinfo (user:password@)"),
        ("https://10.0.0.1/", "must use a DNS host name, not an IP literal"),
        ("https://[::1]/", "must use a DNS host name, not an IP literal"),
        ("https://a_b.example/", "has an invalid host name 'a_b.example'"),
        ("https://example/", "has an invalid host name 'example'"),
        ("https://api.example.123/", "has an invalid host name 'api.example.123'"),
        ("https://-a.example/", "has an invalid host name '-a.example'"),
    ],
)
def test_base_url_problem_each_branch(url: str, problem: str) -> None:
    assert origin.base_url_problem(url) == problem


@pytest.mark.parametrize(
    "url",
    [
        "https://api.acme.example/",
        "https://api.acme.example",
        "HTTPS://API.acme.example/v1/",
        "https://api.acme.example:443/v1/",
        "https://a-b.c1.example/",
        "https://" + "a" * 63 + ".example/",
    ],
)
def test_base_url_accepted(url: str) -> None:
    assert origin.base_url_problem(url) is None


def test_host_name_length_limits() -> None:
    assert origin.base_url_problem("https://" + "a" * 64 + ".example/") is not None
    label = "a" * 60 + "."
    long_host = label * 4 + "example"  # 251 characters
    assert len(long_host) == 251 and origin._HOST.fullmatch(long_host)
    assert not origin._HOST.fullmatch("b" * 3 + long_host)  # 254 characters
    assert origin._HOST.fullmatch("a.b") and not origin._HOST.fullmatch("a.1b")


def test_https_origin_drops_only_the_default_port() -> None:
    assert origin.https_origin("https://API.acme.example:443/v1/") == "https://api.acme.example"
    assert origin.https_origin("https://api.acme.example/v1/") == "https://api.acme.example"


def test_bad_base_url_finding_names_the_value_and_problem() -> None:
    found = only(origin.check(manifest(base="https://db.internal/")))
    assert (found.rule, found.pointer) == ("fixed-origin", "/portTemplates/0/baseUrl")
    assert "'https://db.internal/'" in found.message
    assert "must not point at a local or internal host" in found.message


def test_second_origin_is_reported_on_the_later_port() -> None:
    ports = [
        {"baseUrl": "http://first.example/"},
        {"baseUrl": "https://api.acme.example/"},
        {"baseUrl": "https://api.acme.example:443/v2/"},
        {"baseUrl": 7},
        {"baseUrl": "https://other.example/"},
    ]
    found = list(origin.check(manifest(ports=ports)))
    assert where(found) == [
        ("fixed-origin", "/portTemplates/0/baseUrl"),
        ("fixed-origin", "/portTemplates/4/baseUrl"),
    ]
    assert "'https://other.example'" in found[1].message
    assert "'https://api.acme.example'" in found[1].message


def test_non_string_base_url_is_left_to_the_schema() -> None:
    assert list(origin.check(manifest(action("a", "GET", "/../x"), base=None))) == []


# --- fixed-origin: every action resolves under the first accepted baseUrl -----------------------


@pytest.mark.parametrize("path", ["/../admin", "/x/../../admin", "/{id}/../../y"])
def test_action_resolving_outside_the_base_is_reported(path: str) -> None:
    found = only(origin.check(manifest(action("a", "GET", path))))
    assert (found.rule, found.pointer) == ("fixed-origin", f"{A0}/path")
    assert "'a'" in found.message and repr(path) in found.message and repr(BASE) in found.message


@pytest.mark.parametrize("path", ["/widgets", "widgets/{id}", "/a/./b", "/a/../b", "/{x/y}"])
def test_action_resolving_under_the_base_passes(path: str) -> None:
    assert list(origin.check(manifest(action("a", "GET", path)))) == []


def test_actions_are_checked_against_the_first_accepted_base_only() -> None:
    ports = [
        {"baseUrl": "http://bad.example/"},
        {"baseUrl": BASE},
        {"baseUrl": BASE + "v2/"},
    ]
    doc = manifest(action("a", "GET", "/../y"), action("b", "GET", 3), ports=ports)
    assert where(origin.check(doc)) == [
        ("fixed-origin", "/portTemplates/0/baseUrl"),
        ("fixed-origin", f"{A0}/path"),
    ]
    assert list(origin.check(manifest(action("a", "GET", "/../y"), ports=[]))) == []


def test_placeholders_are_filled_before_resolving() -> None:
    assert origin._fill_placeholders("/a/{id}/{}/b{x}") == "/a/x/x/bx"
    assert origin._fill_placeholders("/{a/b}") == "/{a/b}"


# --- bounded-path ----------------------------------------------------------------------------


def problems(path: str) -> list[str]:
    return list(paths.path_problems(path))


def test_protocol_relative_path_is_refused_as_not_relative() -> None:
    [problem] = problems("//evil.example/x")
    assert "relative" in problem and "baseUrl" in problem
    [scheme] = problems("https://evil.example/x")
    assert scheme == problem


def test_path_must_start_with_a_slash() -> None:
    assert problems("v1/widgets") == ["must start with '/'"]


def test_double_slash_inside_a_path() -> None:
    [problem] = problems("/v1//widgets")
    assert "'//'" in problem


@pytest.mark.parametrize("path", ["/v1/./widgets", "/v1/.", "/./", "/v1/../x", "/.."])
def test_single_and_double_dot_segments(path: str) -> None:
    [problem] = problems(path)
    assert "'.' or '..'" in problem and "traversal" in problem


def test_dots_inside_a_segment_are_fine() -> None:
    assert problems("/v1/a.b/.well-known/x..y") == []


@pytest.mark.parametrize("path", ["/v1/{id", "/v1/id}", "/v1/{id}x", "/v1/{}", "/v1/{1d}"])
def test_a_brace_outside_a_whole_placeholder(path: str) -> None:
    [problem] = problems(path)
    segment = path.rsplit("/", 1)[1]
    assert problem.startswith(f"segment {segment!r}") and "whole segment" in problem


def test_placeholder_name_length_limit() -> None:
    assert problems("/{" + "a" * 64 + "}") == []
    assert len(problems("/{" + "a" * 65 + "}")) == 1
    assert paths.placeholders("/a/{b}/{c_1}/{b}") == ["b", "c_1", "b"]


def test_forbidden_characters_each_named_once_in_order() -> None:
    found = problems('/a?b#c%d\\e f"g?')
    assert found == [
        "must not contain whitespace or control characters (U+0020)",
        "must not contain the character '\"'",
        "must not contain '#'",
        "must not contain '%' escapes",
        "must not contain '?' (queries are typed parameters)",
        "must not contain backslashes",
    ]
    assert problems("/a\x00") == ["must not contain whitespace or control characters (U+0000)"]
    assert problems("/a\u00e9") == ["must not contain the character 'é'"]


def test_allowed_characters() -> None:
    assert problems("/A-z0.9_~!$&'()*+,;=:@/{id}") == []


@pytest.mark.parametrize(
    ("schema", "fragment"),
    [
        ({"enum": ["a", "b/c"]}, "enum value 'b/c'"),
        ({"enum": ["a", "..", "."]}, "enum value '..'"),
        ({"enum": ["."]}, "enum value '.'"),
        ({"enum": ["", "a"]}, "enum value ''"),
        ({"enum": ["a\\b"]}, "enum value 'a\\\\b'"),
        ({"enum": [True]}, "enum value True"),
        ({"enum": [None]}, "enum value None"),
        ({"type": "string"}, "pattern anchored with ^...$"),
        ({"type": "string", "pattern": 5}, "pattern anchored with ^...$"),
        ({"type": "number"}, "use an enum, type integer, or a string with a pattern"),
        ({"type": ["string", "integer"]}, "use an enum, type integer"),
        ({}, "use an enum, type integer"),
        ({"type": "string", "pattern": "[a-z]+"}, "must be anchored"),
        ({"type": "string", "pattern": "^.+$"}, "can match '/' or '\\'"),
        ({"type": "string", "pattern": "^[a-z.]+$"}, "accepts '.'"),
        ({"type": "string", "pattern": "^[a-z.]$"}, "accepts '.'"),
        ({"type": "string", "pattern": "^(?:[a-z]|\\.\\.)+$"}, "accepts '..'"),
        ({"type": "string", "pattern": "^[a-z]*$"}, "accepts the empty value"),
    ],
)
def test_value_schema_problem(schema: Any, fragment: str) -> None:
    problem = paths.value_schema_problem(schema)
    assert problem is not None and fragment in problem


@pytest.mark.parametrize(
    "schema",
    [
        {"type": "integer"},
        {"enum": ["a", "b", 3, 4.5]},
        {"type": "string", "enum": ["a"]},
        {"type": "string", "pattern": "^[a-z0-9-]{1,20}$"},
        {"type": "string", "pattern": "^[a-z]+("},
    ],
)
def test_value_schema_accepted(schema: Any) -> None:
    assert paths.value_schema_problem(schema) is None


def test_enum_path_parameter_is_checked_by_its_values() -> None:
    """An enum that would pass the type check alone still fails on one bad value."""
    schema = {"type": "integer", "enum": [1, "../x"]}
    assert paths.value_schema_problem(schema) == "enum value '../x' could change the route"
    doc = manifest(action("a", "GET", "/w/{id}", inputs={"parameters": [path_param("id", schema)]}))
    found = only(paths.check(doc))
    assert (found.rule, found.pointer) == (
        "bounded-path",
        f"{A0}/inputs/parameters/0/schema",
    )
    assert "'id'" in found.message and "'a'" in found.message and "'../x'" in found.message


def test_placeholder_used_twice_is_reported_once() -> None:
    doc = manifest(
        action("a", "GET", "/w/{id}/v/{id}/{id}", inputs={"parameters": [path_param("id")]})
    )
    found = only(paths.check(doc))
    assert (found.rule, found.pointer) == ("bounded-path", f"{A0}/path")
    assert "{id}" in found.message and "twice" in found.message


def test_undeclared_placeholder_and_unused_parameter() -> None:
    params = [
        path_param("used"),
        path_param("spare"),
        path_param("used", {"type": "string"}),
        {"name": "q", "in": "query", "schema": {"type": "string"}},
        {"name": 3, "in": "path"},
    ]
    doc = manifest(action("a", "GET", "/w/{used}/{missing}", inputs={"parameters": params}))
    found = list(paths.check(doc))
    assert where(found) == [
        ("bounded-path", f"{A0}/inputs/parameters/2/schema"),
        ("bounded-path", f"{A0}/path"),
        ("bounded-path", f"{A0}/inputs/parameters/1"),
    ]
    assert "{missing}" in found[1].message and "in: path" in found[1].message
    assert "'spare'" in found[2].message and "{spare}" in found[2].message


def test_path_problems_become_findings_at_the_path() -> None:
    doc = manifest(action("a", "GET", "v1/x?y"), action("b", "GET", 5))
    found = list(paths.check(doc))
    assert where(found) == [("bounded-path", f"{A0}/path")] * 2
    assert all(f.message.startswith("action 'a': path must") for f in found)


# --- unique-slugs, catalog-layout, version-format --------------------------------------------


def test_duplicate_action_slugs_and_example_names() -> None:
    examples = [{"name": "e"}, {"name": "f"}, {"name": "e"}, {"name": 3}, "x"]
    doc = manifest(action("a", examples=examples), action(3), action("a"), action("b"), action("a"))
    found = list(catalog.check(doc))
    assert where(found) == [
        ("unique-slugs", f"{A0}/examples/2/name"),
        ("unique-slugs", "/actionTemplates/2/slug"),
        ("unique-slugs", "/actionTemplates/4/slug"),
    ]
    assert "'e'" in found[0].message and "'a'" in found[0].message
    assert "'a'" in found[1].message and A0 in found[1].message
    assert A0 in found[2].message


def test_catalog_slugs_name_every_other_holder() -> None:
    docs = [doc_of({"slug": s}, n) for s, n in [("x", "1"), ("y", "2"), ("x", "3"), ("x", "4")]]
    docs.append(doc_of({"slug": 5}, "5"))
    found = list(catalog.check_catalog(docs))
    assert [(f.file, f.pointer) for f in found] == [
        ("1", "/slug"),
        ("3", "/slug"),
        ("4", "/slug"),
    ]
    assert "also used by 3, 4;" in found[0].message and "'x'" in found[0].message
    assert "also used by 1, 4;" in found[1].message


def test_layout_problem() -> None:
    data = {"slug": "s", "publisher": {"slug": "p"}}
    good = PurePath("/r/apps/hub/catalog/integrations/p/s.json")
    assert catalog.layout_problem(good, data) is None
    assert catalog.layout_problem(PurePath("/r/elsewhere/s.json"), data) is None
    assert catalog.layout_problem(good, {"slug": "s"}) is None
    assert catalog.layout_problem(good, {"publisher": {"slug": "p"}}) is None
    nested = PurePath("/apps/hub/catalog/x/apps/hub/catalog/integrations/p/s.json")
    assert catalog.layout_problem(nested, data) is None
    bad = catalog.layout_problem(PurePath("/r/apps/hub/catalog/integrations/q/s.json"), data)
    assert bad == (
        "is at apps/hub/catalog/integrations/q/s.json but a manifest with publisher.slug 'p' "
        "and slug 's' belongs at apps/hub/catalog/integrations/p/s.json"
    )


def test_layout_finding(tmp_path: Path) -> None:
    path = tmp_path / "apps/hub/catalog/integrations/q/s.json"
    doc = doc_of({"slug": "s", "publisher": {"slug": "p"}}, str(path))
    found = only(f for f in catalog.check(doc) if f.rule == "catalog-layout")
    assert found.pointer == "/slug" and found.message.startswith("the file is at ")


@pytest.mark.parametrize(
    "text",
    [
        ">=0.1.0",
        "^1.2.0",
        ">=1.0.0 <2.0.0",
        ">= 1.0.0",
        "1.0.0 || >=2.0.0",
        "=v1.0.0",
        "~1.2.3",
        "~0.1",
        "0.1.x",
        "*",
        ">=1",
        "1.2.3 - 2.3.4",
        "^0.1 || ^1",
        ">=1.0.0-beta.1",
    ],
)
def test_ranges_accepted(text: str) -> None:
    assert catalog.range_problem(text) is None


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        (">=1.0.0 ||", "has an empty alternative"),
        ("", "has an empty alternative"),
        ("  ", "has an empty alternative"),
        (">=", "is not an npm semver range"),
        ("=>1.0.0", "is not an npm semver range"),
        ("latest", "is not an npm semver range"),
        ("1.2.3.4", "is not an npm semver range"),
        ("^01.2.3", "is not an npm semver range"),
    ],
)
def test_ranges_refused(text: str, fragment: str) -> None:
    problem = catalog.range_problem(text)
    assert problem is not None and problem.startswith(repr(text)) and fragment in problem


def test_version_fields() -> None:
    doc = doc_of({"version": "1.0", "compatibility": {"harborNode": "latest"}})
    found = list(catalog.check(doc))
    assert where(found) == [
        ("version-format", "/version"),
        ("version-format", "/compatibility/harborNode"),
    ]
    assert found[0].message.startswith("'1.0' is not a semantic version")
    ok = doc_of({"version": "1.0.0", "compatibility": {"harborNode": ">=1.0.0"}})
    assert list(catalog.check(ok)) == []
    assert list(catalog.check(doc_of({"version": 1, "compatibility": {"harborNode": 2}}))) == []


# --- secret detectors: tables and thresholds pinned entry by entry ---------------------------

WHOLE_NAMES = ["pat", "sessionid", "sessionkey", "authorization", "setcookie"]
"""Names that name a credential only as a whole (none of their words does on its own)."""
SECRET_NAMES = [
    "token", "authToken", "accessToken", "refreshToken", "idToken", "apiToken", "bearerToken",
    "sessionToken", "oauthToken", "csrfToken", "xsrfToken", "personalAccessToken", "pat",
    "apikey", "xapikey", "apiSecret", "appSecret", "secret", "clientSecret", "secretKey",
    "privateKey", "secretAccessKey", "accessKeyId", "password", "passwd", "passphrase", "pwd",
    "cookie", "cookies", "Set-Cookie", "sessionId", "sessionKey", "credential", "credentials",
    "Authorization", "dsn", "webhookSecret", "signingSecret", "signingKey", "encryptionKey",
    "masterKey",
]  # fmt: skip
WORDS = [
    "token", "tokens", "password", "passwords", "passwd", "pwd", "passphrase", "secret",
    "secrets", "cookie", "cookies", "credential", "credentials", "apikey", "apikeys", "dsn",
]  # fmt: skip
PAIRS = [
    ("api", "key"), ("api", "keys"), ("private", "key"), ("access", "key"), ("auth", "key"),
    ("signing", "key"), ("encryption", "key"), ("master", "key"), ("session", "key"),
    ("auth", "code"), ("auth", "codes"), ("auth", "data"), ("auth", "header"), ("auth", "string"),
    ("auth", "value"), ("bearer", "header"), ("bearer", "value"),
]  # fmt: skip
STEMS = [
    "apikey", "password", "passwd", "passphrase", "accesstoken", "authtoken", "refreshtoken",
    "secretkey", "privatekey", "clientsecret", "bearertoken", "sessiontoken",
]  # fmt: skip
CURSOR_WORDS = [
    "page", "next", "prev", "previous", "continuation", "sync", "resume", "cursor", "start",
    "after", "before", "skip", "delta", "change", "changes", "first", "last",
    "max", "min", "num", "total", "count", "input", "output", "prompt", "completion",
]  # fmt: skip
TOKENS_QUALIFIERS = [
    "access",
    "api",
    "auth",
    "refresh",
    "bearer",
    "personal",
    "session",
    "id",
    "oauth",
    "app",
]
METADATA_WORDS = [
    "type", "types", "kind", "url", "uri", "endpoint", "policy", "prefix", "scheme",
    "mode", "length", "count", "limit", "expiry", "expires", "expired", "expiration", "ttl",
    "lifetime", "remaining", "budget", "rotation", "strength",
    "scan", "scans", "scanning", "protection", "category", "enabled",
]  # fmt: skip
METADATA_TAILS = [("header", "name"), ("last", "used"), ("last", "used", "at")]


@pytest.mark.parametrize("name", SECRET_NAMES)
def test_each_credential_name_names_a_credential(name: str) -> None:
    assert names_credential(name)


@pytest.mark.parametrize("name", WHOLE_NAMES)
def test_each_whole_credential_name_counts_only_whole(name: str) -> None:
    """Only the whole name is a credential: neither its words, nor it inside a longer name."""
    assert names_credential(name)
    assert names_credential(name.upper())
    assert not names_credential(f"{name}_x") and not names_credential(f"x{name}")


@pytest.mark.parametrize("word", WORDS)
def test_each_credential_word_names_a_credential_anywhere(word: str) -> None:
    assert word in credential_names.CREDENTIAL_WORDS
    qualified = "access_" if word == "tokens" else ""  # a bare ``tokens`` is a count
    assert names_credential(f"x_{qualified}{word}_id")
    assert names_credential(f"myLong{qualified.title().rstrip('_')}{word.title()}Ref")
    assert not names_credential(f"x_{qualified}{word}_type")  # metadata


def test_the_credential_word_table_is_whole() -> None:
    assert set(WORDS) == credential_names.CREDENTIAL_WORDS
    assert set(PAIRS) == credential_names.CREDENTIAL_PAIRS
    assert set(STEMS) == set(credential_names.CREDENTIAL_STEMS)
    assert set(METADATA_WORDS) == credential_names.METADATA_WORDS


@pytest.mark.parametrize("pair", PAIRS, ids="-".join)
def test_each_credential_pair_names_a_credential(pair: tuple[str, str]) -> None:
    first, second = pair
    assert names_credential(f"x-{first}-{second}-value")
    assert names_credential(f"{first.upper()}_{second.upper()}")
    assert not names_credential(f"x-{first}-zz-{second}")  # not adjacent
    assert not names_credential(second) and not names_credential(f"{first}_zz")
    assert not names_credential(f"{first}-{second}-url")


@pytest.mark.parametrize("stem", STEMS)
def test_each_stem_names_a_credential_run_together(stem: str) -> None:
    assert names_credential(f"my{stem}")
    assert names_credential(f"h{stem}x")
    assert not names_credential(f"{stem}less")  # ``passwordless`` is a mode
    assert not names_credential(f"my{stem}_prefix")


def test_a_stem_must_be_whole_inside_the_word() -> None:
    assert not names_credential("passwor")
    assert not names_credential("mypasswrd")
    assert names_credential("mypasswordlessx")  # ends with ``x``, not ``less``


@pytest.mark.parametrize("word", CURSOR_WORDS)
def test_each_cursor_word_excuses_a_token(word: str) -> None:
    assert not names_credential(f"{word}Token")
    assert not names_credential(f"{word}_token")
    assert names_credential(f"{word}_secret")  # only ``token`` is excused
    assert names_credential(f"{word}_token_secret")  # and only that ``token``
    assert names_credential(f"{word}_x_token")  # only right before it


@pytest.mark.parametrize("word", TOKENS_QUALIFIERS)
def test_each_qualifier_makes_tokens_credentials(word: str) -> None:
    assert names_credential(f"{word}_tokens")
    assert names_credential(f"{word.title()}Tokens")
    assert not names_credential(f"{word}_x_tokens")


def test_tokens_alone_is_a_count() -> None:
    for name in ("tokens", "cached_tokens", "tokens_x", "page_tokens"):
        assert not names_credential(name)
    assert names_credential("token") and names_credential("cached_token")


@pytest.mark.parametrize("word", METADATA_WORDS)
def test_each_metadata_word_after_a_credential_word_exempts_it(word: str) -> None:
    assert not names_credential(f"token_{word}")
    assert not names_credential(f"api_key_{word}")
    assert not names_credential(f"password{word.title()}")
    assert names_credential(f"api_key_x_{word}")  # only right after the credential word
    assert names_credential(f"{word}_password")  # only after it


@pytest.mark.parametrize("tail", METADATA_TAILS, ids="-".join)
def test_each_metadata_tail_after_a_credential_word_exempts_it(tail: tuple[str, ...]) -> None:
    assert set(METADATA_TAILS) == set(credential_names.METADATA_TAILS)
    assert not names_credential("_".join(("token", *tail)))
    assert names_credential("_".join(("token", *tail[:-1], "x")))


def test_pagination_exception_needs_two_words_and_a_final_token() -> None:
    assert names_credential("token")
    assert names_credential("pageSecret")
    assert names_credential("nextPassword")


def test_metadata_keys_are_not_credentials() -> None:
    assert {"authheadername", "authtokenprefix"} <= credential_names.METADATA_KEYS
    for key in ("authHeaderName", "auth_token_prefix", "AuthTokenPrefix"):
        assert not names_credential(key)
    assert not names_credential("")
    assert not names_credential("__")
    assert names_credential("authHeaderToken")


def test_key_words_split_every_case_style() -> None:
    assert credential_names.key_words("X-Api-Key") == ["x", "api", "key"]
    assert credential_names.key_words("HTTPHeaderV2_value") == ["http", "header", "v", "2", "value"]
    assert credential_names.key_words("clientSecret") == ["client", "secret"]


DETECTOR_PREFIXES = {
    "PEM private key": "-----BEGIN",
    "Sentry org auth token": "sntrys_",
    "Sentry user auth token": "sntryu_",
    "Sentry DSN with a key": "https://",
    "GitHub token": "gh",
    "GitLab token": "gl",
    "Slack token": "xox",
    "Slack webhook URL": "hooks.slack.com",
    "Stripe secret key": "sk_",
    "AWS access key ID": "A",
    "Google API key": "AIza",
    "Google OAuth token": "",
    "OpenAI or Anthropic API key": "sk-",
    "JSON Web Token": "eyJ",
    "credential in URL userinfo": "",
    "credential in a URL query": "",
    "authorization header value": "",
    "legacy Sentry or other 64-hex token": "",
}


@pytest.mark.parametrize(("kind", "prefix"), DETECTOR_PREFIXES.items())
def test_each_detector_kind_and_hint_prefix(kind: str, prefix: str) -> None:
    assert {d.kind: d.prefix for d in detectors.DETECTORS}[kind] == prefix


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        (TOKEN, f"sntrys_... ({len(TOKEN)} chars, redacted)"),
        ("gh" + "p_" + "A1b2" * 9, "gh... (40 chars, redacted)"),
        ("Bearer " + B62 * 4, "... (39 chars, redacted)"),
        ("x " + "AK" + "IA" + "Q2R3S4T5U6V7W2X3", "A... (20 chars, redacted)"),
    ],
)
def test_hint_shows_only_the_public_prefix_and_the_length(text: str, hint: str) -> None:
    match = core_secrets.find_secret(text)
    assert match is not None and match.hint == hint


def test_hint_hides_a_prefix_the_secret_does_not_start_with() -> None:
    assert detectors._hint("k", "sk_", "rk_live_x", 0, 9).hint == "... (9 chars, redacted)"
    assert detectors._hint("k", "", "abc", 2, 5) == detectors.SecretMatch(
        "k", "... (3 chars, redacted)", 2, 5
    )


def test_match_span_is_that_of_the_secret() -> None:
    match = core_secrets.find_secret("use " + TOKEN + " now")
    assert match is not None and (match.start, match.end) == (4, 4 + len(TOKEN))
    assert match.kind == "Sentry org auth token"


def test_entropy_and_its_floor() -> None:
    assert detectors.entropy("aaaa") == 0
    assert detectors.entropy("ab") == 1.0
    assert detectors.entropy("abcd") == 2.0
    assert detectors._RANDOM_MIN == 24
    assert detectors._entropy_floor(24) == pytest.approx(0.8 * math.log2(24))
    assert detectors._entropy_floor(32) == 4.0
    assert detectors._entropy_floor(100) == 4.0
    assert detectors._entropy_floor(30) == pytest.approx(0.8 * math.log2(30))


def test_looks_random_thresholds() -> None:
    key = "aZ3kQ9xP2mL7vB4nR8tY1wC6"  # 24 characters, mixed case and digits
    assert len(key) == 24 and detectors._looks_random(key)
    assert core_secrets.find_secret(key).kind == "high-entropy string"
    assert core_secrets.find_secret(key[:23]) is None
    assert not detectors._looks_random(key.lower())  # fewer than two upper-case letters
    assert not detectors._looks_random("aZ3kq9xp2ml7vb4nr8ty1wc6")  # one upper-case letter
    assert detectors._looks_random("aZ3kq9xp2ml7vb4nr8tY1wc6")  # exactly two upper-case letters
    assert not detectors._looks_random("aZskQoxPrmLsvBunRntYywCc")  # no digit
    assert not detectors._looks_random("aZ3kQ9xEXAMPLEvB4nR8tY1w")
    assert not detectors._looks_random("123e4567-e89b-12d3-a456-426614174000".upper())
    assert not detectors._looks_random("organizationIdOrSlugValue2")


def test_is_identifier_needs_four_letters_per_word_on_average() -> None:
    assert detectors._is_identifier("organizationIdOrSlug")
    assert detectors._is_identifier("abcdEfgh")  # exactly four per word
    assert not detectors._is_identifier("abcEfg")  # three per word
    assert not detectors._is_identifier("a+b")


def test_segments_of_paths_and_urls() -> None:
    part = "Q" * 24
    assert detectors._segments("/a/b") == ["/a/b"]
    assert detectors._segments("a/b/c/d") == ["a/b/c/d"]
    assert detectors._segments(f"/a/b/{part}/{part[:23]}") == [part]
    assert detectors._segments(f"//{part}/b/c") == [part]


def test_redact_text_replaces_every_secret_with_its_kind_and_hint() -> None:
    gh = "gh" + "p_" + "A1b2" * 9
    text = f"a {TOKEN} b {gh} c"
    assert core_secrets.redact_text(text) == (
        f"a <Sentry org auth token: sntrys_... ({len(TOKEN)} chars, redacted)> b "
        "<GitHub token: gh... (40 chars, redacted)> c"
    )
    assert core_secrets.redact_text("plain") == "plain"
    assert core_secrets._MAX_REDACTIONS == 100
    many = " ".join([TOKEN] * 101)
    assert core_secrets.redact_text(many) == "<redacted text>"
    most = " ".join([TOKEN] * 99)
    assert TOKEN not in core_secrets.redact_text(most)
    assert core_secrets.redact_text(most).count("<Sentry org auth token: ") == 99
    full = core_secrets.redact_text(" ".join([TOKEN] * 100))  # the cap is on redactions made
    assert TOKEN not in full and full.count("<Sentry org auth token: ") == 100


def test_safe_repr_limits_and_shapes() -> None:
    assert core_secrets.safe_repr("x" * 60) == repr("x" * 60)
    assert core_secrets.safe_repr("x" * 61) == repr("x" * 60 + "...")
    assert core_secrets.safe_repr("x" * 11, limit=10) == repr("x" * 10 + "...")
    assert core_secrets.safe_repr(TOKEN) == "<redacted value>"
    assert core_secrets.safe_repr({"a": 1, "b": 2}) == "<dict of 2>"
    assert core_secrets.safe_repr([1]) == "<list of 1>"
    assert core_secrets.safe_repr(None) == "None" and core_secrets.safe_repr(3) == "3"


def test_safe_name_and_pointer() -> None:
    assert core_secrets.safe_name("plain") == "plain" and core_secrets.safe_name(3) == "3"
    assert core_secrets.safe_name(TOKEN) == "<redacted>"
    assert core_secrets.safe_pointer(f"/a/{TOKEN}/b") == "/a/<redacted>/b"
    assert core_secrets.safe_pointer("/a/b~1c") == "/a/b~1c"
    userinfo = "https:~1~1u:" + "hunter2" + B62 + "@h.example"
    assert core_secrets.safe_pointer(f"/x/{userinfo}") == "/x/<redacted>"
    assert core_secrets.safe_pointer("") == ""


def test_secret_strings_walks_keys_values_and_items() -> None:
    value = {"a": [TOKEN, "x"], TOKEN: {"b": TOKEN}, "c": 3}
    got = [(p, m.kind, k) for p, m, k in core_secrets.secret_strings(value)]
    kind = "Sentry org auth token"
    assert got == [
        ("/a/0", kind, False),
        (f"/{TOKEN}", kind, True),
        (f"/{TOKEN}/b", kind, False),
    ]
    assert [p for p, _, _ in core_secrets.secret_strings(TOKEN)] == [""]


def test_secret_findings_point_at_the_key_or_the_value() -> None:
    doc = doc_of({"a": {"plain": TOKEN}, TOKEN: 1, "apiKey": "x", "k~/": 2})
    found = list(secrets.check(doc))
    assert [(f.rule, f.pointer) for f in found] == [
        ("no-secret-fields", "/apiKey"),
        ("no-secret-values", "/a/plain"),
        ("no-secret-values", "/<redacted>"),
    ]
    field, value, key = found
    assert (field.line, field.column) == (6, 3)  # the key, not its value
    assert (value.line, value.column) == (3, 14)
    assert (key.line, key.column) == (5, 3)
    assert "'apiKey'" in field.message
    assert value.message.startswith("a value looks like a Sentry org auth token [sntrys_...")
    assert key.message.startswith("a key looks like a Sentry org auth token [sntrys_...")
    assert TOKEN not in json.dumps([f.message for f in found])


def test_credential_parameter_is_reported_at_its_name() -> None:
    params = [
        {"name": "api_key", "in": "query"},
        {"name": "limit", "in": "query"},
        {"name": 3, "in": "query"},
    ]
    doc = manifest(action("a", "GET", "/x", inputs={"parameters": params}))
    found = [f for f in secrets.check_fields(doc)]
    assert where(found) == [("no-secret-fields", f"{A0}/inputs/parameters/0/name")]
    assert "'api_key'" in found[0].message


def test_approval_and_bulk_messages_in_full_for_an_action_without_a_slug() -> None:
    doc = manifest(
        {"method": "POST", "path": "/x/{id}"},
        {"method": "PATCH", "path": "/x", "approvalMode": "require_approval"},
    )
    assert [f.message for f in approval.check(doc)] == [
        "action at /actionTemplates/0: POST changes state at the provider; "
        "set approvalMode to 'require_approval'",
        "action at /actionTemplates/1: PATCH on a collection path (no identifying placeholder "
        "at the end) is a bulk mutation; target one resource, e.g. .../{id}/",
    ]


def test_every_action_is_checked_after_one_without_a_path() -> None:
    doc = manifest({"slug": "n", "method": "GET"}, {"method": "GET", "path": "/../y"})
    found = only(origin.check(doc))
    assert found.pointer == "/actionTemplates/1/path"
    assert found.message.startswith("action at /actionTemplates/1: path '/../y' resolves outside")


def test_example_names_after_one_without_a_name_and_without_a_slug() -> None:
    examples = [{"name": 3}, {"name": "e"}, {"name": "e"}]
    found = only(catalog.check(manifest({"method": "GET", "path": "/x", "examples": examples})))
    assert found.pointer == f"{A0}/examples/2/name"
    assert found.message == f"action at {A0}: example name 'e' is used twice"


def test_catalog_messages_in_full() -> None:
    docs = [doc_of({"slug": "x"}, "1"), doc_of({"slug": "x"}, "2")]
    assert [f.message for f in catalog.check_catalog(docs)] == [
        "manifest slug 'x' is also used by 2; slugs are unique across the catalog",
        "manifest slug 'x' is also used by 1; slugs are unique across the catalog",
    ]
    assert catalog.range_problem(">=1.x.y") == (
        "'>=1.x.y' is not an npm semver range; write e.g. '>=0.1.0', '^1.2.0', '~0.1', "
        "'0.1.x' or '>=1.0.0 <2.0.0' (https://github.com/npm/node-semver#ranges)"
    )
    assert catalog.range_problem("|| >=1.0.0") == (
        "'|| >=1.0.0' has an empty alternative, which npm reads as '*' (any version); "
        "write '*' if any Harbor Node is meant"
    )
    assert catalog.version_problem("1.0") == (
        "'1.0' is not a semantic version; write MAJOR.MINOR.PATCH, e.g. 0.1.0"
    )
    doc = manifest(action("a"), action("a"))
    assert [f.message for f in catalog.check(doc)] == [
        f"action slug 'a' is already used at {A0}; rename one"
    ]


def test_placeholder_used_exactly_twice_and_an_action_without_a_slug() -> None:
    doc = manifest(
        {
            "method": "GET",
            "path": "/w/{id}/{id}",
            "inputs": {"parameters": [path_param("id")]},
        }
    )
    found = only(paths.check(doc))
    assert found.message == f"action at {A0}: placeholder {{id}} is used twice"


def test_bounded_path_messages_in_full() -> None:
    """The whole wording, in one place: a reworded message is updated here only."""
    assert problems("//h/x") == [
        "must be relative (no scheme or host): the origin comes from the port's baseUrl"
    ]
    assert problems("/a//b/./{c") == [
        "must not contain '//' (an empty segment can change the route)",
        "must not contain '.' or '..' segments (path traversal)",
        "segment '{c': a placeholder must be a whole segment '{name}' (letters, digits, '_')",
    ]
    assert paths.value_schema_problem({"type": "number"}) == (
        "use an enum, type integer, or a string with a pattern"
    )
    assert paths.value_schema_problem({"type": "string"}) == (
        "string path values need a pattern anchored with ^...$ that excludes '/'"
    )
    assert paths.value_schema_problem({"type": "string", "pattern": "[a-z]"}) == (
        "pattern '[a-z]' must be anchored with ^ and $ so the whole value is bounded"
    )
    assert paths.value_schema_problem({"type": "string", "pattern": "^.+$"}) == (
        "pattern '^.+$' can match '/' or '\\', which would change the route"
    )
    assert paths.value_schema_problem({"type": "string", "pattern": "^[a.]+$"}) == (
        "the schema accepts '.', a traversal segment"
    )
    assert paths.value_schema_problem({"type": "string", "pattern": "^(?:a|\\.\\.)+$"}) == (
        "the schema accepts '..', a traversal segment"
    )
    assert paths.value_schema_problem({"type": "string", "pattern": "^a*$"}) == (
        "the schema accepts the empty value, which would address the parent route (the "
        "collection): add minLength: 1 or a pattern with + instead of *"
    )
    assert paths.value_schema_problem({"type": "string", "pattern": "^a*$", "minLength": 1}) is None
    params = [path_param("spare")]
    doc = manifest(action("a", "GET", "/w/{id}", inputs={"parameters": params}))
    assert [f.message for f in paths.check(doc)] == [
        "action 'a': placeholder {id} has no 'in: path' parameter; "
        "declare it with a bounded schema",
        "action 'a': path parameter 'spare' is not used in the path; "
        "remove it or add {spare} to the path",
    ]


def test_entropy_exactly_at_the_floor_is_random() -> None:
    token = "aB3cD5eF7gH9iJ2k" * 2  # 16 symbols, twice each: exactly 4.0 bits per character
    assert detectors.entropy(token) == detectors._entropy_floor(len(token)) == 4.0
    assert detectors._looks_random(token)


def test_a_path_with_three_slashes_is_split_into_segments() -> None:
    part = "Q" * 24
    assert detectors._segments(f"/a/b/{part}") == [part]
    assert detectors._segments(f"/a/{part}") == [f"/a/{part}"]


def test_pointer_tokens_are_checked_as_the_keys_they_stand_for() -> None:
    """``~0`` is ``~``: the escaped form must not decide whether a key is redacted."""
    aws_minus_two = "AK" + "IA" + "Q2R3S4T5U6V7W2"  # two characters short of an AWS key ID
    assert core_secrets.safe_pointer(f"/{aws_minus_two}~0") == f"/{aws_minus_two}~0"
    no_digit = "Bearer abcdefgh~0ijklmnopq"  # a digit only in the escape
    assert core_secrets.safe_pointer(f"/{no_digit}") == f"/{no_digit}"


def test_nested_credential_keys_are_found_at_their_pointers() -> None:
    doc = doc_of({"a": {"b": {"apiKey": 1}}, "l": [{"x": [{"password": 2}]}]})
    found = list(secrets.check_fields(doc))
    assert where(found) == [
        ("no-secret-fields", "/a/b/apiKey"),
        ("no-secret-fields", "/l/0/x/0/password"),
    ]
    assert [(f.line, f.column) for f in found] == [(4, 7), (11, 11)]


def test_secret_messages_say_what_to_do() -> None:
    doc = doc_of({"apiKey": TOKEN})
    field, value = secrets.check(doc)
    assert "Harbor Node" in field.message and field.message.endswith("remove it")
    assert "; remove it and revoke the credential: manifests never carry credentials" in (
        value.message
    )
    assert value.fingerprint is not None and value.fingerprint.startswith("sha256:")
    assert value.message.endswith(
        f"(not a credential? allow its fingerprint {value.fingerprint} in .hubtool.yaml "
        "with a reason)"
    )
    params = manifest(action(inputs={"parameters": [{"name": "token", "in": "query"}]}))
    [param] = [f for f in secrets.check_fields(params) if f.pointer.endswith("/name")]
    assert param.message.endswith(
        "Harbor Node adds the port's auth header itself: remove the parameter"
    )


def test_only_the_url_detectors_ignore_case() -> None:
    """``_re`` runs at import, before mutmut switches a mutant on: its flags are pinned here."""
    insensitive = {d.kind for d in detectors.DETECTORS if d.regex.flags & re.IGNORECASE}
    assert insensitive == {"credential in a URL query"}
    assert core_secrets.find_secret("HTTPS://u:" + "hunter2" + B62 + "@h.example") is not None
    assert core_secrets.find_secret("Bearer " + B62 * 2) is not None
    assert core_secrets.find_secret("bearer " + B62 * 2) is not None


def test_a_high_entropy_hint_shows_no_prefix_at_all() -> None:
    for head in ("XXXX", "sk_", "gh", "A"):
        token = head + "aB3cD5eF7gH9iJ2k" * 2
        match = core_secrets.find_secret(token)
        assert match is not None and match.kind == "high-entropy string"
        assert match.hint == f"... ({len(token)} chars, redacted)"


# --- bounded-body ----------------------------------------------------------------------------

CLOSED = {
    "type": "object",
    "additionalProperties": False,
    "properties": {"n": {"type": "string", "maxLength": 5}},
}


def body_action(mode: Any = "json", body: Any = None, method: str = "POST") -> dict:
    inputs = {} if body is None else {"body": body}
    return action(method=method, requestBodyMode=mode, inputs=inputs)


def body_findings(act: dict) -> list[tuple[str, str, str]]:
    return [(f.rule, f.pointer, f.message) for f in body.check(manifest(act))]


def test_a_closed_typed_body_passes() -> None:
    assert body_findings(body_action(body=CLOSED)) == []
    assert body_findings(body_action(mode="none")) == []
    assert body_findings(action(method="POST")) == []  # no mode, no body


@pytest.mark.parametrize("verb", ["GET", "HEAD", "get"])
def test_a_json_body_on_a_read_is_reported_at_the_mode(verb: str) -> None:
    assert body_findings(body_action(body=CLOSED, method=verb)) == [
        (
            "bounded-body",
            f"{A0}/requestBodyMode",
            f"action 'a': {verb.upper()} requests carry no body; use requestBodyMode 'none'",
        )
    ]


def test_a_body_with_mode_none_is_reported_at_the_body() -> None:
    assert body_findings(body_action(mode="none", body=CLOSED)) == [
        (
            "bounded-body",
            f"{A0}/inputs/body",
            "action 'a': requestBodyMode is 'none' but inputs.body is declared; "
            "remove inputs.body or use requestBodyMode 'json'",
        )
    ]
    assert body_findings(body_action(mode="form", body={"type": "string"})) == []


@pytest.mark.parametrize("schema", [None, [], "object"])
def test_json_mode_needs_a_body_object(schema: Any) -> None:
    act = body_action()
    if schema is not None:
        act["inputs"] = {"body": schema}
    assert body_findings(act) == [
        (
            "bounded-body",
            f"{A0}/requestBodyMode",
            "action 'a': requestBodyMode 'json' needs inputs.body, a closed object schema of "
            "the fields the action supports",
        )
    ]


@pytest.mark.parametrize("types", ["array", ["object", "null"], None])
def test_a_body_that_is_not_only_an_object_is_reported_once(types: Any) -> None:
    schema = {**CLOSED, "type": types} if types is not None else {"properties": {}}
    assert body_findings(body_action(body=schema)) == [
        (
            "bounded-body",
            f"{A0}/inputs/body",
            "action 'a': inputs.body must be an object schema (type 'object')",
        )
    ]


BODY = f"{A0}/inputs/body"


@pytest.mark.parametrize(
    ("schema", "at", "message"),
    [
        (
            {"additionalProperties": True},
            "/additionalProperties",
            "object is open; set ",
        ),
        (
            {"additionalProperties": None},
            "/additionalProperties",
            "object is open; set ",
        ),
        ({"properties": {}}, "", "object declares no properties"),
        ({"properties": []}, "", "object declares no properties"),
        (
            {"required": ["n", "m"]},
            "/required/1",
            "object requires 'm', which is not among",
        ),
        ({"required": [3]}, "/required/0", "object requires 3, which is not among"),
    ],
)
def test_each_object_problem_at_its_pointer(schema: dict, at: str, message: str) -> None:
    [(rule, pointer, text)] = body_findings(body_action(body={**CLOSED, **schema}))
    assert (rule, pointer) == ("bounded-body", BODY + at)
    assert text.startswith(f"action 'a': body {message}")


def test_an_open_object_without_the_key_is_reported_at_the_object() -> None:
    schema = {"type": "object", "properties": CLOSED["properties"]}
    [(_, pointer, text)] = body_findings(body_action(body=schema))
    assert pointer == BODY
    assert text == (
        "action 'a': body object is open; set additionalProperties: false and list its properties"
    )


@pytest.mark.parametrize(
    ("leaf", "message"),
    [
        ({}, "value has no type; type every property"),
        ({"type": "string"}, "an unbounded string: add maxLength"),
        ({"type": ["string", "object"], "additionalProperties": False,
          "properties": {"x": {"type": "boolean"}}}, "an unbounded string"),
        ({"type": ["object", "string"]}, "object is open"),
    ],
)  # fmt: skip
def test_nested_schemas_are_each_checked(leaf: dict, message: str) -> None:
    schema = {**CLOSED, "properties": {"n": leaf}}
    found = body_findings(body_action(body=schema))
    assert [(p, m.split(": body ", 1)[1][: len(message)]) for _, p, m in found][:1] == [
        (f"{BODY}/properties/n", message)
    ]


@pytest.mark.parametrize("leaf", [{"enum": ["a"]}, {"const": 1}, {"type": "boolean"}])
def test_an_enum_const_or_scalar_leaf_passes(leaf: dict) -> None:
    assert body_findings(body_action(body={**CLOSED, "properties": {"n": leaf}})) == []


# --- typed-query, defaults-valid, valid-pattern ----------------------------------------------


def test_bound_problem_each_type() -> None:
    bp = inputs.bound_problem
    assert bp({"type": "string", "maxLength": 5}) is None
    assert bp({"enum": ["x"], "type": "string"}) is None
    assert bp({"const": "x", "type": "string"}) is None
    assert bp({"type": "string", "format": "uuid"}) is None
    assert bp({"type": "string", "format": "date-time"}) is None
    assert bp({"type": "string", "format": "date"}) is None
    assert bp({"type": "string", "format": "time"}) is None
    assert bp({"type": "string", "format": "email"}).startswith("an unbounded string: add max")
    assert bp({"type": "string", "pattern": "^[a-z]{3}$"}) is None
    assert bp({"type": "string", "pattern": "[a-z]{3}"}).startswith("an unbounded string")
    assert bp({"type": "string", "pattern": "^[a-z]+$"}).startswith("an unbounded string")
    assert bp({"type": "string", "pattern": "^[a-z]{3}$"}, cap=2).startswith("an unbounded")
    assert bp({"type": "string", "pattern": "^[a-z]{3}$"}, cap=3) is None
    assert bp({"type": "string", "pattern": 5}).startswith("an unbounded string")
    assert bp({"type": "boolean"}) is None and bp({}) is None and bp({"type": "null"}) is None
    assert bp({"type": "object"}) is None  # objects are the caller's


def test_bound_problem_caps_and_their_reasons() -> None:
    bp = inputs.bound_problem
    cap = inputs.MAX_COUNT
    assert cap == MAX_BYTES and inputs.MAX_QUERY_LENGTH == 8000
    assert bp({"type": "string", "maxLength": cap}) is None
    assert bp({"type": "string", "maxLength": cap + 1}) == (
        f"a string whose maxLength is above {cap:,}, so it bounds nothing "
        "(the 1 MiB manifest byte cap)"
    )
    assert bp({"type": "string", "maxLength": 8001}, inputs.MAX_QUERY_LENGTH) == (
        "a string whose maxLength is above 8,000, so it bounds nothing (RFC 9110's 8,000-octet URI)"
    )
    assert bp({"type": "string", "maxLength": 8000}, inputs.MAX_QUERY_LENGTH) is None
    for bad in (True, "5", None, 1e300, float(cap) + 0.5):
        assert bp({"type": "string", "maxLength": bad}) is not None
    assert bp({"type": "string", "maxLength": 5.0}) is None


def test_bound_problem_numbers() -> None:
    bp = inputs.bound_problem
    big = inputs.MAX_SAFE_INTEGER
    assert big == 2**53 - 1
    message = (
        "an unbounded number: add minimum and maximum (within +/-2^53-1, what a JavaScript "
        "number holds), or an enum"
    )
    assert bp({"type": "integer", "minimum": 0, "maximum": 9}) is None
    assert bp({"type": "number", "exclusiveMinimum": -big, "exclusiveMaximum": big}) is None
    assert bp({"type": "integer", "minimum": 0}) == message
    assert bp({"type": "integer", "maximum": 0}) == message
    assert bp({"type": "number", "minimum": -big - 1, "maximum": 0}) == message
    assert bp({"type": "number", "minimum": 0, "maximum": big + 1}) == message
    assert bp({"type": "number", "minimum": 0, "maximum": "9"}) == message
    assert bp({"type": ["integer", "string"], "maxLength": 3}) == message


def test_bound_problem_arrays() -> None:
    bp = inputs.bound_problem
    items = {"type": "integer", "minimum": 0, "maximum": 1}
    assert bp({"type": "array", "maxItems": 3, "items": items}) is None
    assert bp({"type": "array", "items": items}) == "an array without maxItems"
    assert bp({"type": "array", "maxItems": 3}) == "an array without typed items"
    assert bp({"type": "array", "maxItems": 3, "items": {}}) == "an array without typed items"
    assert bp({"type": "array", "maxItems": 8001, "items": items}, 8000) == (
        "an array whose maxItems is above 8,000, so it bounds nothing (RFC 9110's 8,000-octet URI)"
    )
    assert bp({"type": "array", "maxItems": 3, "items": {"type": "string"}}).startswith(
        "an unbounded string"
    )
    leaf = {"type": "string", "maxLength": 8001}
    nested = {
        "type": "array",
        "maxItems": 3,
        "items": {"type": "array", "maxItems": 3, "items": leaf},
    }
    assert bp(nested, 8000) == (
        "a string whose maxLength is above 8,000, so it bounds nothing (RFC 9110's 8,000-octet URI)"
    )
    assert bp(nested) is None
    assert bp({"type": ["string", "array"], "maxLength": 3}) == "an array without maxItems"


def test_type_problem_each_branch() -> None:
    tp = inputs.type_problem
    assert tp({"type": "string"}) is None and tp({"type": ["integer", "null"]}) is None
    assert tp({}) == "has no type; give it a scalar type (string, integer, number or boolean)"
    assert tp(None) == tp({})
    assert tp({"type": ["object", "string"]}) == (
        "is an object; query values are scalars or arrays of scalars"
    )
    assert tp({"type": "array", "maxItems": 2}) == "is an array without typed scalar items"
    scalar_items = {"type": "array", "items": {"type": "string"}}
    assert tp({**scalar_items, "items": {"type": "object"}}) == (
        "is an array without typed scalar items"
    )
    assert tp({**scalar_items, "items": {"type": ["string", "array"]}}) == (
        "is an array without typed scalar items"
    )
    assert tp(scalar_items) == "is an array without maxItems"
    assert tp({**scalar_items, "maxItems": 2}) is None
    for scalar in ("string", "integer", "number", "boolean", "null"):
        assert tp({**scalar_items, "items": {"type": scalar}, "maxItems": 2}) is None


def query_param(name: str, schema: Any, where: str = "query", **extra: Any) -> dict:
    return {"name": name, "in": where, "schema": schema, **extra}


def input_findings(*params: dict, body_schema: Any = None) -> list[tuple[str, str, str, str]]:
    given: dict[str, Any] = {"parameters": list(params)}
    if body_schema is not None:
        given["body"] = body_schema
    found = inputs.check(manifest(action(inputs=given)))
    return [(f.rule, f.severity, f.pointer, f.message) for f in found]


P0 = f"{A0}/inputs/parameters/0"
P1 = f"{A0}/inputs/parameters/1"


def test_typed_query_findings() -> None:
    assert input_findings(query_param("q", {"type": "string", "maxLength": 9})) == []
    assert input_findings(query_param("q", {"type": "object"})) == [
        (
            "typed-query",
            "error",
            f"{P0}/schema",
            "action 'a': query parameter 'q' is an object; query values are scalars or "
            "arrays of scalars",
        )
    ]
    assert input_findings(query_param("q", {"type": "string"})) == [
        (
            "typed-query",
            "warning",
            f"{P0}/schema",
            "action 'a': query parameter 'q' is an unbounded string: add maxLength, an enum, "
            "or an anchored pattern of fixed length",
        )
    ]
    long = query_param("q", {"type": "string", "maxLength": 8001})
    [(_, severity, _, message)] = input_findings(long)
    assert severity == "warning" and "above 8,000" in message
    assert input_findings(query_param("q", {"type": "object"}, "header")) == []


def test_a_parameter_declared_twice_is_reported_at_the_second() -> None:
    schema = {"type": "integer", "minimum": 0, "maximum": 9}
    twice = input_findings(query_param("q", schema), query_param("q", schema))
    assert twice == [
        (
            "typed-query",
            "error",
            f"{P1}/name",
            "action 'a': query parameter 'q' is declared twice; keep one",
        )
    ]
    header = input_findings(query_param("q", schema, "header"), query_param("q", schema, "header"))
    assert [(p, m) for _, _, p, m in header] == [
        (f"{P1}/name", "action 'a': header parameter 'q' is declared twice; keep one")
    ]
    assert input_findings(query_param("q", schema), query_param("q", schema, "header")) == []
    assert input_findings(query_param("q", schema), query_param("r", schema)) == []
    assert input_findings(query_param(3, schema), query_param(3, schema)) == []
    assert inputs._param_key({"in": "query", "name": 3}) is None
    assert inputs._param_key({"in": 3, "name": "q"}) is None
    assert inputs._param_key({"in": "query", "name": "q"}) == ("query", "q")


def test_defaults_are_checked_against_their_schema() -> None:
    schema = {"type": "integer", "minimum": 0, "maximum": 9}
    assert input_findings(query_param("q", schema, default=3)) == []
    [(rule, severity, pointer, message)] = input_findings(query_param("q", schema, default="x"))
    assert (rule, severity, pointer) == ("defaults-valid", "error", f"{P0}/default")
    assert message.startswith("action 'a': default of 'q': ")
    assert input_findings(query_param("q", None, "header", default="x")) == []
    in_schema = {**schema, "default": 99}
    [(rule, _, pointer, message)] = input_findings(query_param("q", in_schema))
    assert (rule, pointer) == ("defaults-valid", f"{P0}/schema/default")
    assert message.startswith("action 'a': default: ")


def test_a_nested_default_is_reported_at_the_bad_value() -> None:
    body_schema = {
        "type": "object",
        "properties": {"n": {"type": "integer"}},
        "default": {"n": "x"},
    }
    found = input_findings(body_schema=body_schema)
    assert [(r, p) for r, _, p, _ in found] == [("defaults-valid", f"{A0}/inputs/body/default/n")]


def test_an_invalid_pattern_is_reported_in_parameters_and_the_body() -> None:
    bad = {"type": "string", "maxLength": 3, "pattern": "("}
    found = input_findings(
        query_param("q", bad, "header"),
        body_schema={"type": "object", "properties": {"n": bad}},
    )
    assert [(r, p) for r, _, p, _ in found] == [
        ("valid-pattern", f"{P0}/schema/pattern"),
        ("valid-pattern", f"{A0}/inputs/body/properties/n/pattern"),
    ]
    assert all(
        m.startswith("action 'a': invalid regular expression '(': not an ECMA-262 ")
        for *_, m in found
    )
    assert input_findings(query_param("q", {**bad, "pattern": 5}, "header")) == []
    assert input_findings(query_param("q", {**bad, "pattern": "^a$"}, "header")) == []


BACKTRACKS = (
    "can backtrack exponentially: a repeated part can match the same text in more than one way "
    "(like (a+)+, (a|aa)*, (a*b*)* or (a?){20})"
)


def test_an_exponential_pattern_is_reported_in_parameters_and_the_body() -> None:
    slow = {"type": "string", "maxLength": 3, "pattern": "^(a+)+$"}
    found = input_findings(
        query_param("q", slow, "header"),
        body_schema={"type": "object", "properties": {"n": slow}},
    )
    message = f"action 'a': pattern '^(a+)+$' {BACKTRACKS}"
    assert found == [
        ("safe-pattern", "error", f"{P0}/schema/pattern", message),
        ("safe-pattern", "error", f"{A0}/inputs/body/properties/n/pattern", message),
    ]


@pytest.mark.parametrize("length", [80, 81])
def test_pattern_messages_show_80_characters_then_an_ellipsis(length: int) -> None:
    def message(pattern: str) -> str:
        schema = {"type": "string", "maxLength": 3, "pattern": pattern}
        [(_, _, _, said)] = input_findings(query_param("q", schema, "header"))
        return said

    def shown(pattern: str) -> str:  # 80 characters are shown whole; of 81, the first 80
        return repr(pattern) if length == 80 else repr(pattern[:80] + "...")

    invalid = "(" + "a" * (length - 1)
    assert message(invalid) == (
        f"action 'a': invalid regular expression {shown(invalid)}: not an ECMA-262 regular "
        "expression: Unbalanced parenthesis"
    )
    slow = "^(a+)+" + "b" * (length - 6)
    assert message(slow) == f"action 'a': pattern {shown(slow)} {BACKTRACKS}"


# --- no-secret-values: decodings and declared digests ---------------------------------------

GH_TOKEN = "gh" + "p_" + "A1b2" * 9
HEX = "0123456789abcdef" * 4
"""64 lowercase hex digits: a legacy token, unless a schema declares the value a digest."""


@pytest.fixture(autouse=True)
def _fresh_secret_cache() -> Any:
    """``find_secret`` is cached: each test sees the (possibly mutated) detectors afresh."""
    core_secrets.find_secret.cache_clear()
    yield
    core_secrets.find_secret.cache_clear()


@pytest.mark.parametrize(
    ("text", "how"),
    [
        ("\u200b".join([GH_TOKEN[:20], GH_TOKEN[20:]]), "invisible characters"),
        ("\u00ad".join([GH_TOKEN[:20], GH_TOKEN[20:]]), "invisible characters"),
        ("\U000e0041".join([GH_TOKEN[:20], GH_TOKEN[20:]]), "invisible characters"),
        ("".join(f"%{ord(c):02X}" for c in GH_TOKEN), "percent-encoding"),
        (base64.b64encode(f"token {GH_TOKEN}".encode()).decode(), "base64"),
        (
            base64.urlsafe_b64encode(f"t {GH_TOKEN}?>".encode()).decode().rstrip("="),
            "base64",
        ),
    ],
)
def test_a_hidden_credential_withholds_the_whole_text(text: str, how: str) -> None:
    said = f"see {text} here"
    match = core_secrets._hidden(said)
    assert match == detectors.SecretMatch(
        "GitHub token", f"hidden by {how}; {len(said)} chars, redacted", 0, len(said)
    )
    if how == "base64":  # the base64 run itself is a high-entropy string
        assert core_secrets.find_secret(said).kind == "high-entropy string"
        assert core_secrets.redact_text(said).startswith("see <high-entropy string: ")
        return
    assert core_secrets.find_secret(said) == match
    hint = f"hidden by {how}; {len(said)} chars, redacted"
    assert core_secrets.redact_text(said) == f"<GitHub token: {hint}>"


def test_views_of_a_text() -> None:
    assert list(decodings.views("plain text")) == []
    assert list(decodings.views("a\u200bb")) == [("invisible characters", "ab")]
    assert list(decodings.views("100% done")) == []  # nothing to undo
    assert list(decodings.views("a%41")) == [("percent-encoding", "aA")]
    assert list(decodings.views("a\u200b%41")) == [
        ("invisible characters", "a%41"),
        ("percent-encoding", "aA"),
    ]
    run = base64.b64encode(b"hello world, hello world!").decode()
    assert list(decodings.views(f"{run} x {run}")) == [
        ("base64", "hello world, hello world!\nhello world, hello world!")
    ]
    assert list(decodings.views("%zz")) == []


def test_base64_text_is_printable_ascii_only() -> None:
    assert decodings._base64_text(base64.b64encode(b"hello there").decode()) == "hello there"
    assert decodings._base64_text(base64.b64encode(b"hi\x00there").decode()) is None
    assert decodings._base64_text(base64.b64encode("h\u00e9llo".encode()).decode()) is None
    assert decodings._base64_text(base64.urlsafe_b64encode(b"a?>~~b").decode()) == "a?>~~b"
    assert decodings._base64_text(base64.b64encode(b"a?>~~b").decode()) == "a?>~~b"
    assert decodings._base64_text("YWJj") == "abc"  # padding added
    assert decodings._base64_text("YWI") == "ab"
    assert decodings._base64_text("YWI=") == "ab"
    assert decodings._base64_text("Y") is None


def test_redaction_after_decoding_keeps_plain_text() -> None:
    assert core_secrets.redact_text("a%41b") == "a%41b"
    assert core_secrets.redact_text(f"x {GH_TOKEN} %41") == (
        "x <GitHub token: gh... (40 chars, redacted)> %41"
    )


def test_redact_text_caps_raw_matches() -> None:
    """Over 400 raw matches (overlapping ones too) withhold the text."""
    assert core_secrets._MAX_REDACTIONS == 100
    eighty = " ".join([GH_TOKEN] * 80)
    assert core_secrets.redact_text(eighty).count("<GitHub token: ") == 80
    overlapping = " ".join(["https://u:" + GH_TOKEN + "@h.example"] * 100)
    assert GH_TOKEN not in core_secrets.redact_text(overlapping)


def test_hex64_accepts_only_64_lowercase_hex_not_after_a_digest_prefix() -> None:
    kind = "legacy Sentry or other 64-hex token"
    assert core_secrets.find_secret(HEX).kind == kind
    assert core_secrets.find_secret(f"x={HEX}").kind == kind
    assert core_secrets.find_secret(HEX + "0") is None
    assert core_secrets.find_secret(HEX[:63]) is None
    assert core_secrets.find_secret(HEX.upper()) is None
    assert core_secrets.find_secret(HEX[:63] + "A") is None
    for before in ("avatar/", "sha256:", "sha256="):
        assert core_secrets.find_secret(before + HEX) is None
        assert core_secrets.find_secret("x" + before + HEX) is None
    assert core_secrets.find_secret("vatar/" + HEX).kind == kind
    assert core_secrets.find_secret("sha1:" + HEX).kind == kind


@pytest.mark.parametrize(
    "pattern",
    ["^[0-9a-f]{7,64}$", "^[0-9a-fA-F]+$", "^[a-f0-9]{64}$", "^[\\da-f]{40}$"],
)
def test_declares_hex(pattern: str) -> None:
    assert secrets.declares_hex({"pattern": pattern})


@pytest.mark.parametrize(
    "schema",
    [{"pattern": "^[0-9a-z]{64}$"}, {"pattern": "[0-9a-f]{64}"}, {"pattern": 5}, {}, None,
     {"pattern": "^[0-9a-f]{64}$x"}, {"pattern": "^[0-9a-f]*$"}],
)  # fmt: skip
def test_does_not_declare_hex(schema: Any) -> None:
    assert not secrets.declares_hex(schema)


def test_digest_needs_a_declaring_schema_and_a_matching_string() -> None:
    schema = {"pattern": "^[0-9a-f]{7,64}$"}
    assert secrets._digest(schema, HEX)
    assert not secrets._digest(schema, HEX + "0")
    assert not secrets._digest(schema, 5)
    assert not secrets._digest({"pattern": "^[0-9a-f]{64}$"}, HEX[:40])
    assert not secrets._digest({"pattern": "^x[0-9a-f]{64}$"}, HEX)


DIGEST = {"type": "string", "pattern": "^[0-9a-f]{64}$"}
PLAIN = {"type": "string", "maxLength": 64}


def digest_doc(**extra: Any) -> dict[str, Any]:
    params = [
        {
            "name": "sha",
            "in": "query",
            "schema": {**DIGEST, "default": HEX},
            "default": HEX,
        },
        {
            "name": "ref",
            "in": "path",
            "schema": {**PLAIN, "default": HEX},
            "default": HEX,
        },
        {"name": "n", "in": "path", "schema": DIGEST, "default": 5},
        {"in": "query", "schema": DIGEST},
    ]
    body_schema = {
        "type": "object",
        "properties": {
            "c": {**DIGEST, "examples": [HEX, "x"], "enum": [HEX], "const": HEX},
            "items": {"type": "array", "items": DIGEST},
            "o": PLAIN,
        },
    }
    examples = [
        {
            "name": "e",
            "input": {
                "query": {"sha": HEX, "ref": HEX, "other": HEX},
                "path": {"ref": HEX, "sha": HEX},
                "header": {"sha": HEX},
                "body": {"c": HEX, "items": [HEX, "x"], "o": HEX, "x": {"c": HEX}},
            },
        },
        {"name": "f", "input": {"body": [HEX]}},
        "junk",
    ]
    act = action(inputs={"parameters": params, "body": body_schema}, examples=examples, **extra)
    return {"portTemplates": [{"baseUrl": BASE}], "actionTemplates": [act]}


def test_digest_pointers_are_exactly_the_declared_digests() -> None:
    params = f"{A0}/inputs/parameters"
    body_at = f"{A0}/inputs/body/properties"
    example = f"{A0}/examples/0/input"
    assert secrets.digest_pointers(digest_doc()) == {
        f"{params}/0/default",
        f"{params}/0/schema/default",
        f"{body_at}/c/examples/0",
        f"{body_at}/c/enum/0",
        f"{body_at}/c/const",
        f"{example}/query/sha",
        f"{example}/body/c",
        f"{example}/body/items/0",
    }
    assert secrets.digest_pointers({"actionTemplates": "x"}) == set()


def test_digests_are_not_reported_and_everything_else_is() -> None:
    doc = doc_of(digest_doc())
    reported = {f.pointer for f in secrets.check_values(doc)}
    digests = secrets.digest_pointers(doc.data)
    every = {p for p, _, _ in core_secrets.secret_strings(doc.data)}
    assert reported == every - digests and digests < every
    assert f"{A0}/examples/0/input/path/sha" in reported  # declared in query, not path


def test_a_digest_pointer_of_a_key_is_still_reported() -> None:
    data = {"portTemplates": [{"baseUrl": BASE}], "actionTemplates": [action()], HEX: 1}
    doc = doc_of(data)
    assert [f.pointer for f in secrets.check_values(doc)] == ["/<redacted>"]


RANDOM = "aZ3kQ9xP2mL7vB4nR8tY1wC6eF5gH0jK"
FIVE = "https://u:sk_" + "live_" + RANDOM + "@h.example?token=" + RANDOM
"""One userinfo credential overlapping four other raw matches (key, query, two random)."""


def test_the_raw_match_cap_counts_overlapping_matches() -> None:
    """Five raw matches merge into one redaction; the redaction cap withholds the text."""
    assert len(list(detectors.raw_matches(FIVE))) == 5
    cap = core_secrets._MAX_REDACTIONS
    at_cap = core_secrets.redact_text(" ".join([FIVE] * cap))  # 5 * cap raw matches
    assert at_cap.count("<credential in URL userinfo: ") == cap and RANDOM not in at_cap
    assert core_secrets.redact_text(" ".join([FIVE] * (cap + 1))) == "<redacted text>"


def test_of_two_matches_at_one_place_the_longer_is_redacted() -> None:
    text = "sk_" + "live_" + RANDOM + ".more-stuff"
    hint = f"... ({len(text)} chars, redacted)"
    assert core_secrets.redact_text(text) == f"<high-entropy string: {hint}>"


def test_a_credential_word_first_has_no_word_before_it() -> None:
    assert names_credential("token_page")
    assert names_credential("token_max")
    assert not names_credential("tokens_access")


def test_undecodable_percent_escapes_are_replaced() -> None:
    assert list(decodings.views("a%FFb")) == [("percent-encoding", "a\ufffdb")]
    assert core_secrets.find_secret("a%FFb") is None


def test_base64_text_of_url_safe_runs_and_padding() -> None:
    assert decodings._base64_text("YT8_P2I_Pg==") == "a???b?>"
    assert decodings._base64_text("YT8_P2I_Pg") == "a???b?>"
    assert decodings._base64_text("YT8/P2I/Pg==") == "a???b?>"
    assert decodings._base64_text("YWJj*ZGVm") is None  # not base64: refused, not skipped
    assert decodings._base64_text("YWI==") == "ab"
    assert decodings._base64_text("YWFX") == "aaW"  # only padding is stripped


def test_a_digest_in_an_example_path_is_known() -> None:
    data = digest_doc()
    data["actionTemplates"][0]["examples"][0]["input"]["path"]["n"] = HEX
    assert f"{A0}/examples/0/input/path/n" in secrets.digest_pointers(data)
    assert f"{A0}/examples/0/input/path/sha" not in secrets.digest_pointers(data)


def test_the_fingerprint_is_that_of_the_string_reported() -> None:
    data = {"actionTemplates": [], HEX: "x", "v": HEX}
    key, value = secrets.check_values(doc_of(data))
    assert key.fingerprint == pointer_fingerprint(data, f"/{HEX}", True)
    assert value.fingerprint == pointer_fingerprint(data, "/v", False)
    assert key.fingerprint == value.fingerprint  # the same string, as key or value
    assert key.fingerprint != pointer_fingerprint(data, f"/{HEX}", False)


def test_a_body_finding_names_an_action_without_a_slug_by_its_pointer() -> None:
    act = body_action(body=CLOSED, method="GET")
    del act["slug"]
    [(_, _, message)] = body_findings(act)
    assert message.startswith(f"action at {A0}: GET requests carry no body")


def test_items_of_every_scalar_type_at_once_are_scalars() -> None:
    every = ["string", "integer", "number", "boolean", "null"]
    schema = {"type": "array", "items": {"type": every}, "maxItems": 2}
    assert inputs.type_problem(schema) is None


def test_each_query_parameter_is_typed_after_a_bad_one() -> None:
    bad = {"type": "object"}
    found = input_findings(query_param("q", bad), query_param("r", bad))
    assert [p for _, _, p, _ in found] == [f"{P0}/schema", f"{P1}/schema"]


def test_input_findings_name_an_action_without_a_slug_by_its_pointer() -> None:
    params = [
        query_param("q", {"type": "object"}),
        query_param("r", {"type": "integer", "maximum": 9}, default="x"),
        query_param("s", {"type": "string", "maxLength": 3, "pattern": "("}, "header"),
    ]
    act = action(inputs={"parameters": params})
    del act["slug"]
    found = list(inputs.check(manifest(act)))
    assert len(found) == 4
    assert all(f.message.startswith(f"action at {A0}: ") for f in found)


# --- examples-valid, no-schema-references, schema, the family list ---------------------------


def placed(findings: Any) -> list[tuple[str, str, int, int, str]]:
    """(rule, pointer, line, column, message) of each finding: ``at_key`` moves the column."""
    return [(f.rule, f.pointer, f.line, f.column, f.message) for f in findings]


def example_actions() -> list[dict[str, Any]]:
    limit = {
        "name": "limit",
        "in": "query",
        "schema": {"type": "integer", "maximum": 5},
    }
    examples = [
        {"name": "bad", "input": {"query": {"limit": 9}, "extra": 1}},
        "not an object",
        {"name": "nopath", "input": {"query": {"limit": 1}}},
        {"name": "ok", "input": {"path": {"id": 3}}},
    ]
    return [
        action("a", "GET", "/x/{id}", inputs={"parameters": [path_param("id"), limit]},
               examples=examples),
        action("b", "GET", "/../admin", examples=[{"name": "out", "input": {}}]),
    ]  # fmt: skip


EX0, EX1 = f"{A0}/examples", "/actionTemplates/1/examples"
BAD_VALUES = [
    ("examples-valid", f"{EX0}/0/input/extra", 38, 13,
     "action 'a', example 'bad': unknown key 'extra'; allowed keys here: path, query"),
    ("examples-valid", f"{EX0}/0/input/query/limit", 36, 24,
     "action 'a', example 'bad': 9 is above the maximum 5"),
]  # fmt: skip


def test_examples_each_problem_a_missing_placeholder_and_a_url_outside_the_base() -> None:
    assert placed(examples_rule.check(manifest(*example_actions()))) == [
        *BAD_VALUES,
        ("examples-valid", f"{EX0}/2/input", 44, 20,
         "action 'a', example 'nopath': a path placeholder has no value"),
        ("examples-valid", f"{EX1}/0/input", 67, 20,
         "action 'b', example 'out': renders to a URL outside 'https://api.acme.example/v1/'; "
         "check the path and its values"),
    ]  # fmt: skip


@pytest.mark.parametrize("ports", [[], [{"baseUrl": 5}], [{"label": "no base"}]])
def test_examples_without_a_string_base_url_are_checked_as_values_only(
    ports: list,
) -> None:
    found = placed(examples_rule.check(manifest(*example_actions(), ports=ports)))
    shift = {0: -4}.get(len(ports), 0)  # an empty port list takes four lines fewer
    assert found == [(r, p, line + shift, c, m) for r, p, line, c, m in BAD_VALUES]


def test_examples_render_under_the_first_port_only() -> None:
    ports = [{"baseUrl": "https://other.example/"}, {"baseUrl": BASE}]
    found = examples_rule.check(manifest(*example_actions(), ports=ports))
    assert [(f.pointer, f.message.split(": ", 1)[1]) for f in found] == [
        (f"{EX0}/0/input/extra", "unknown key 'extra'; allowed keys here: path, query"),
        (f"{EX0}/0/input/query/limit", "9 is above the maximum 5"),
        (f"{EX0}/2/input", "a path placeholder has no value"),
    ]  # '/../admin' resolves to https://other.example/admin: under the first base


def test_examples_of_a_non_string_path_or_a_slugless_action() -> None:
    act = action("c", "GET", 7, examples=[{"input": {}}])
    assert list(examples_rule.check(manifest(act))) == []
    slugless = {
        "method": "GET",
        "path": "/x/{id}",
        "examples": [{"name": "e", "input": {}}],
    }
    assert [f.message for f in examples_rule.check(manifest(slugless))] == [
        f"action at {A0}/examples/0, example 'e': a path placeholder has no value"
    ]


def test_a_placeholder_left_in_the_query_is_not_a_path_placeholder() -> None:
    query = {"name": "q", "in": "query", "schema": {"type": "string"}}
    act = action("q", "GET", "/x", inputs={"parameters": [query]},
                 examples=[{"name": "e", "input": {"query": {"q": "{id}"}}}])  # fmt: skip
    assert list(examples_rule.check(manifest(act))) == []
    # the path template's own "?" starts the query too; a space does not end the path
    for path, messages in (
        ("/x?q={q}", []),
        ("/a b/{id}", ["a path placeholder has no value"]),
    ):
        act = action("p", "GET", path, examples=[{"name": "e", "input": {}}])
        found = examples_rule.check(manifest(act))
        assert [f.message.removeprefix("action 'p', example 'e': ") for f in found] == messages


def test_references_in_parameters_and_the_body_at_their_keyword() -> None:
    params = [
        path_param("id", {"$ref": "#/x"}),
        {"name": "q", "in": "query", "schema": {"type": "string"}},
        {"name": "r", "in": "query", "schema": {"$dynamicRef": "#a"}},
    ]
    body_schema = {"properties": {"a": {"$id": "x"}}}
    act = action("r", "POST", "/x", inputs={"parameters": params, "body": body_schema})
    said = (
        "in an input schema; hubtool and Harbor Node follow no references: write the schema "
        "out in full"
    )
    other = {"slug": "s", "inputs": {"body": {"$ref": "#"}}}
    at = f"{A0}/inputs"
    assert placed(references_rule.check(manifest(act, other))) == [
        ("no-schema-references", f"{at}/parameters/0/schema/$ref", 18, 15,
         f"action 'r': $ref {said}"),
        ("no-schema-references", f"{at}/parameters/2/schema/$dynamicRef", 32, 15,
         f"action 'r': $dynamicRef {said}"),
        ("no-schema-references", f"{at}/body/properties/a/$id", 39, 15,
         f"action 'r': $id {said}"),
        ("no-schema-references", "/actionTemplates/1/inputs/body/$ref", 49, 11,
         f"action 's': $ref {said}"),
    ]  # fmt: skip
    slugless = manifest({"inputs": {"body": {"$ref": "#"}}})
    assert [f.message for f in references_rule.check(slugless)] == [f"action at {A0}: $ref {said}"]


def test_schema_findings_at_the_key_or_the_value() -> None:
    doc = doc_of({"formatVersion": 1, "zz": 2, "slug": 5})
    found = placed(schema_rule.check(doc))
    assert (
        "schema",
        "/formatVersion",
        2,
        20,
        "1 is not allowed; the only allowed value is '1'",
    ) in found
    assert ("schema", "/slug", 4, 11, "expected string, found an integer") in found
    allowed = (
        "$schema, actionTemplates, category, compatibility, description, formatVersion, kind, "
        "portTemplates, publisher, requiredPlan, slug, summary, tags, title, version"
    )
    unknown = ("schema", "/zz", 3, 3, f"unknown key 'zz'; allowed keys here: {allowed}")
    assert [f for f in found if f[1] == "/zz"] == [unknown]  # at the key: column 3, not 9


def test_one_action_template_by_its_pointer_in_a_list_or_an_object() -> None:
    for data, pointer, line, column in (
        ({"drafts": [{"slug": "a"}, {"slug": 5}]}, "/drafts/1", 6, 5),
        ({"d": {"x": {"slug": 5}}}, "/d/x", 3, 10),
    ):
        found = placed(schema_rule.check_action_template(doc_of(data), pointer))
        assert found[0] == (
            "schema",
            pointer,
            line,
            column,
            "missing required key 'label'; add it",
        )
        assert found[-1] == (
            "schema",
            f"{pointer}/slug",
            line + 1,
            15,
            "expected string, found an integer",
        )
        assert len(found) == 8
    unknown = placed(schema_rule.check_action_template(doc_of({"d": [{"zz": 1}]}), "/d/0"))[0]
    assert unknown[:4] == ("schema", "/d/0/zz", 4, 7)  # at the key, not its value
    assert unknown[4].startswith("unknown key 'zz'; allowed keys here: approvalMode, ")


def test_the_families_in_their_fixed_order() -> None:
    assert rule_families.FAMILIES == (
        "schema", "secrets", "origin", "paths", "inputs", "body", "approval", "examples",
        "references", "catalog",
    )  # fmt: skip
    assert rule_families.family("origin") is origin
    assert rule_families.checks() == [
        schema_rule.check, secrets.check, origin.check, paths.check, inputs.check, body.check,
        approval.check, examples_rule.check, references_rule.check, catalog.check,
    ]  # fmt: skip


# --- auth-header -----------------------------------------------------------------------------

NOT_A_CREDENTIAL_HEADER = (
    "is not a credential header: Harbor Node sends the operator's token in it, so it must be "
    "Authorization or an API-key header (X-Api-Key, X-...-Key, X-...-Token), never a routing, "
    "framing, hop-by-hop or cookie header"
)


@pytest.mark.parametrize(
    "name",
    ["Authorization", "authorization", "X-Api-Key", "Api-Key", "apikey", "X-Auth-Token",
     "PRIVATE-TOKEN", "X-Figma-Token", "key", "token", "X-Apikey"],
)  # fmt: skip
def test_credential_headers_accepted(name: str) -> None:
    assert origin.auth_header_problem(name) is None


@pytest.mark.parametrize(
    "name",
    ["Cookie", "Host", "Authorization2", "X-Api-Key-Id", "Proxy-Authorization", "Proxy-Token",
     "Sec-Token", "sec-api-key", "X-Forwarded-Key", "X-Original-Token",
     "X-HTTP-Method-Override-Token", ""],
)  # fmt: skip
def test_other_headers_refused_with_the_reason(name: str) -> None:
    """Each ``_NOT_FOR_CREDENTIALS`` prefix has a name the pattern alone would accept."""
    assert origin.auth_header_problem(name) == f"authHeaderName {name!r} {NOT_A_CREDENTIAL_HEADER}"


def test_token_prefixes_any_case_and_the_refusal_lists_them() -> None:
    assert origin.TOKEN_PREFIXES == ("Bearer", "Bot", "Basic", "Token", "DSN", "")
    for prefix in ("Bearer", "bearer", "BOT", "basic", "Token", "dsn", ""):
        assert origin.auth_prefix_problem(prefix) is None
    for prefix in ("Digest", "Bearer ", "Bearer2"):
        assert origin.auth_prefix_problem(prefix) == (
            f"authTokenPrefix {prefix!r} is not a known scheme: use one of 'Bearer', 'Bot', "
            "'Basic', 'Token', 'DSN', ''"
        )


def test_auth_findings_on_every_port_before_the_origin_findings() -> None:
    ports = [
        {"baseUrl": BASE, "authHeaderName": "Cookie", "authTokenPrefix": "Digest"},
        {"baseUrl": BASE, "authHeaderName": 5, "authTokenPrefix": "bearer"},
        {"baseUrl": "http://x.example/", "authHeaderName": "X-Api-Key", "authTokenPrefix": None},
        {"authHeaderName": "Host"},
    ]
    found = list(origin.check(manifest(ports=ports)))
    assert placed(found) == [
        ("auth-header", "/portTemplates/0/authHeaderName", 5, 25,
         f"authHeaderName 'Cookie' {NOT_A_CREDENTIAL_HEADER}"),
        ("auth-header", "/portTemplates/0/authTokenPrefix", 6, 26,
         "authTokenPrefix 'Digest' is not a known scheme: use one of 'Bearer', 'Bot', 'Basic', "
         "'Token', 'DSN', ''"),
        ("auth-header", "/portTemplates/3/authHeaderName", 19, 25,
         f"authHeaderName 'Host' {NOT_A_CREDENTIAL_HEADER}"),
        ("fixed-origin", "/portTemplates/2/baseUrl", 14, 18,
         "baseUrl 'http://x.example/' must use https"),
    ]  # fmt: skip
    assert {f.severity for f in found} == {"error"} and {f.file for f in found} == {"m.json"}


# --- no-secret-values: escapes as boundaries, the raw-match cap, last-word credentials -------

GH_AFTER_ESCAPE = "%41" + "gh" + "p_" + "A1b2" * 9
"""A GitHub token glued to a percent-escape: no word boundary in the raw text, one once the
escape is blanked (``%41`` stands for a character)."""


def test_escapes_blanked_keep_every_span() -> None:
    assert decodings.escapes_blanked("a%41b") == "a   b"
    assert decodings.escapes_blanked("a\\nb") == "a  b"
    assert decodings.escapes_blanked("a\\u00e9%0A\\x1bb") == "a" + " " * 13 + "b"
    for none in ("abc", "100%", "a\\qb", "%zz"):  # no escape sequence: nothing to blank
        assert decodings.escapes_blanked(none) is None


def test_a_credential_right_after_an_escape_is_found() -> None:
    # ghp_ is distinctive: found glued to the escape's last character in the raw text too
    assert len(list(detectors.raw_matches(GH_AFTER_ESCAPE))) == 1
    assert core_secrets.redact_text("x" + GH_AFTER_ESCAPE) == (
        "x%41<GitHub token: gh... (40 chars, redacted)>"
    )


def test_the_raw_match_cap_is_eight_per_redaction() -> None:
    """800 raw matches (a text's, then its escape-blanked copy's) are redacted one by one; 801
    withhold the whole text, though only 81 redactions would be needed."""
    text = " ".join([FIVE] * 80) + " %41"  # 400 raw matches, 400 more once blanked
    assert len(list(core_secrets._matches(text))) == 800
    redacted = core_secrets.redact_text(text)
    assert redacted.count("<credential in URL userinfo: ") == 80 and redacted.endswith(" %41")
    assert RANDOM not in redacted
    assert len(list(core_secrets._matches(text + GH_AFTER_ESCAPE))) == 802  # raw and blanked
    assert core_secrets.redact_text(text + GH_AFTER_ESCAPE) == "<redacted text>"


def test_backslash_escapes_are_a_view_and_each_is_decoded() -> None:
    assert list(decodings.views("a\\u200bb")) == [("escape sequences", "ab")]
    assert list(decodings.views("a\\qb")) == [] and list(decodings.views("ab")) == []
    every = "\\x41\\u00e9\\U0001f600\\U0010ffff\\U00110000\\n\\t\\0"
    assert list(decodings.views(every)) == [("escape sequences", "Aé😀\U0010ffff\n\t\0")]
    token = "gh" + "p_" + "A1b2" * 9
    split = token[:8] + "\\u200b" + token[8:]
    assert core_secrets.redact_text(split) == (
        "<GitHub token: hidden by escape sequences; 46 chars, redacted>"
    )


@pytest.mark.parametrize(
    ("name", "credential"),
    [
        ("auth", True), ("bearer", True), ("basicAuth", True), ("x-auth", True),
        ("http_bearer", True), ("apiAuth", True), ("proxy_user_auth", True),
        ("oauth2_bearer", True), ("oauth2Bearer", True), ("oauth_2_bearer", True),
        ("needs_local_auth", False), ("require_auth", False), ("local_bearer", False),
        ("auth_type", False), ("2_bearer", False), ("x_2_bearer", False),
        ("needs_oauth2_auth", False),
    ],
)  # fmt: skip
def test_auth_and_bearer_name_a_credential_last_and_after_qualifiers_only(
    name: str, credential: bool
) -> None:
    assert secrets.names_credential(name) is credential
