"""Draft lifecycle (validate, test, request-publish, publish, reject), rendering, store files.

Every subprocess gets HUBTOOL_STORE (and XDG_DATA_HOME) pointing into tmp_path, so the
user's default store is never touched.
"""

from __future__ import annotations

import copy
import dataclasses
import json
import os
import sqlite3
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
from conftest import REPO, run_cli, store_env

from hubtool.core.secrets import find_secret
from hubtool.drafts.render import TOKEN_PLACEHOLDER, render_url
from hubtool.drafts.store import Store, new_id, now

ACTOR = "agent-7"
SLUGS = {"list-projects", "list-issues", "resolve-issue"}


# --- helpers -------------------------------------------------------------------------------


def hub(store: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    if stdin is None:
        return run_cli(*args, env=store_env(store, ACTOR))
    return subprocess.run(
        [sys.executable, "-m", "hubtool", *args],
        cwd=REPO,
        input=stdin,
        capture_output=True,
        text=True,
        env=store_env(store, ACTOR),
        timeout=120,
    )


def query(store: Path, sql: str, *args: Any) -> list[dict[str, Any]]:
    db = sqlite3.connect(store)
    db.row_factory = sqlite3.Row
    try:
        return [dict(row) for row in db.execute(sql, args)]
    finally:
        db.close()


def ids(store: Path) -> dict[str, str]:
    """Current (non-superseded) draft id by action slug."""
    rows = query(store, "SELECT id, slug FROM drafts WHERE state != 'superseded'")
    return {row["slug"]: row["id"] for row in rows}


def state(store: Path, draft_id: str) -> str:
    return query(store, "SELECT state FROM drafts WHERE id = ?", draft_id)[0]["state"]


def show(store: Path, draft_id: str) -> dict[str, Any]:
    result = hub(store, "drafts", "show", draft_id, "--format", "json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def transitions(store: Path) -> list[dict[str, Any]]:
    return query(store, "SELECT * FROM transitions ORDER BY id")


@pytest.fixture
def store(tmp_path: Path) -> Path:
    path = tmp_path / "state" / "store.sqlite3"
    result = hub(path, "import", "sentry")
    assert result.returncode == 0, result.stderr
    return path


# --- the legal path -------------------------------------------------------------------------


def test_legal_path_to_published_records_every_transition(store: Path) -> None:
    draft = ids(store)["resolve-issue"]
    steps = [
        (("validate",), "validated"),
        (("test",), "tested"),
        (("request-publish", "--note", "please review"), "publish_requested"),
    ]
    for args, expected in steps:
        result = hub(store, "drafts", args[0], draft, *args[1:])
        assert result.returncode == 0, result.stderr
        assert f"-> {expected}" in result.stdout
        assert state(store, draft) == expected

    refused = hub(store, "drafts", "publish", draft)
    assert refused.returncode == 2
    assert "Missing option '--operator'" in refused.stderr
    assert state(store, draft) == "publish_requested"

    published = hub(store, "drafts", "publish", draft, "--operator", "alice")
    assert published.returncode == 0, published.stderr
    assert state(store, draft) == "published"

    shown = show(store, draft)
    assert shown["state"] == "published" and shown["action"] == "resolve-issue"
    assert shown["approvalMode"] == "require_approval"
    assert shown["inputSchema"]["properties"]["body"]["required"] == ["status"]
    history = shown["history"]
    assert [(h["from"], h["to"], h["actor"]) for h in history] == [
        (None, "draft", ACTOR),
        ("draft", "validated", ACTOR),
        ("validated", "tested", ACTOR),
        ("tested", "publish_requested", ACTOR),
        ("publish_requested", "published", "operator:alice"),
    ]
    assert history[0]["note"] == "created by import"
    assert history[3]["note"] == "please review"
    times = [datetime.fromisoformat(h["at"].replace("Z", "+00:00")) for h in history]
    assert all(t.tzinfo is not None for t in times)
    assert times == sorted(times)


def test_operator_may_publish_a_tested_draft_directly(store: Path) -> None:
    draft = ids(store)["list-issues"]
    assert hub(store, "drafts", "test", draft).returncode == 0  # validates, then tests
    assert [h["to"] for h in show(store, draft)["history"]] == ["draft", "validated", "tested"]
    result = hub(store, "drafts", "publish", draft, "--operator", "bob", "--note", "ok")
    assert result.returncode == 0, result.stderr
    assert show(store, draft)["history"][-1] | {"at": None} == {
        "from": "tested",
        "to": "published",
        "actor": "operator:bob",
        "note": "ok",
        "at": None,
    }


# --- illegal transitions --------------------------------------------------------------------


def test_request_publish_before_test_is_refused(store: Path) -> None:
    draft = ids(store)["list-issues"]
    before = transitions(store)
    result = hub(store, "drafts", "request-publish", draft)
    assert result.returncode == 2
    assert f"cannot request-publish draft {draft} (list-issues): it is draft" in result.stderr
    assert "its tests must pass first" in result.stderr
    assert "Traceback" not in result.stderr
    assert state(store, draft) == "draft" and transitions(store) == before

    assert hub(store, "drafts", "validate", draft).returncode == 0
    untested = hub(store, "drafts", "publish", draft, "--operator", "alice")
    assert untested.returncode == 2
    assert "cannot publish" in untested.stderr and "it is validated" in untested.stderr
    assert state(store, draft) == "validated"

    early = hub(store, "drafts", "test", ids(store)["list-projects"], "--note", "x")
    assert early.returncode == 0  # test on a fresh draft validates first, by design


def test_unknown_draft_id_exits_2(store: Path) -> None:
    result = hub(store, "drafts", "validate", "dr_0000000000000000")
    assert result.returncode == 2
    assert "no draft 'dr_0000000000000000'" in result.stderr
    assert hub(store, "drafts", "show", "dr_nope").returncode == 2


def test_terminal_states_refuse_every_step(store: Path, tmp_path: Path, sentry_data: dict) -> None:
    first = ids(store)
    assert hub(store, "drafts", "test", first["list-issues"]).returncode == 0
    publish = hub(store, "drafts", "publish", first["list-issues"], "--operator", "alice")
    assert publish.returncode == 0, publish.stderr
    v2 = copy.deepcopy(sentry_data)
    v2["version"] = "0.2.0"
    resolve = next(a for a in v2["actionTemplates"] if a["slug"] == "resolve-issue")
    resolve["description"] += " Changed."
    path = tmp_path / "v2.json"
    path.write_text(json.dumps(v2), encoding="utf-8")
    assert hub(store, "import", str(path)).returncode == 0
    reject = hub(store, "drafts", "reject", ids(store)["resolve-issue"], "--operator", "alice")
    assert reject.returncode == 0, reject.stderr

    terminal = {
        "published": first["list-issues"],
        "superseded": first["resolve-issue"],
        "rejected": ids(store)["resolve-issue"],
    }
    before = transitions(store)
    for name, draft in terminal.items():
        assert state(store, draft) == name
        for step in ("validate", "test", "request-publish", "publish", "reject"):
            extra = ("--operator", "alice") if step in ("publish", "reject") else ()
            result = hub(store, "drafts", step, draft, *extra)
            assert result.returncode == 2, (name, step)
            assert f"cannot {step} draft {draft}" in result.stderr
            assert f"it is {name}" in result.stderr
            assert "must pass first" not in result.stderr  # no hint that cannot help
            assert state(store, draft) == name
    assert transitions(store) == before


# --- drafts test over every draft -----------------------------------------------------------


def test_drafts_test_without_ids_validates_and_tests_all(store: Path) -> None:
    result = hub(store, "drafts", "test", "--all")
    assert result.returncode == 0, result.stderr
    for slug, draft in ids(store).items():
        assert f"{draft} ({slug}): validate -> validated" in result.stdout
        assert f"{draft} ({slug}): test -> tested" in result.stdout
        assert state(store, draft) == "tested"
    assert result.stdout.count("\n--- ") + result.stdout.startswith("--- ") == 7  # examples
    assert "GET https://sentry.io/api/0/organizations/acme/projects/\n" in result.stdout
    assert (
        "GET https://sentry.io/api/0/organizations/acme/issues/"
        "?query=is%3Aunresolved%20level%3Aerror&statsPeriod=24h&limit=25\n"
    ) in result.stdout  # the draft keeps the manifest's key order
    assert f"Authorization: Bearer {TOKEN_PLACEHOLDER}" in result.stdout
    notes = {t["note"] for t in transitions(store) if t["to_state"] == "validated"}
    assert notes == {"validated before test"}


def test_drafts_steps_without_ids_skip_drafts_they_do_not_apply_to(store: Path) -> None:
    drafts = ids(store)
    assert hub(store, "drafts", "test", drafts["list-issues"]).returncode == 0
    asked = hub(store, "drafts", "request-publish", "--all")  # only the tested draft
    assert asked.returncode == 0, asked.stderr
    assert state(store, drafts["list-issues"]) == "publish_requested"
    assert state(store, drafts["list-projects"]) == "draft"

    again = hub(store, "drafts", "test", "--all")  # the publish_requested draft is left alone
    assert again.returncode == 0, again.stderr
    assert drafts["list-issues"] not in again.stdout
    assert state(store, drafts["list-issues"]) == "publish_requested"
    assert state(store, drafts["resolve-issue"]) == "tested"

    nothing = hub(store, "drafts", "validate", "--all")  # every draft is past validation
    assert nothing.returncode == 2
    assert "no drafts to validate" in nothing.stderr


def _broken_draft(store_path: Path, state_: str) -> str:
    """Write a draft straight into the store: list-projects under a new slug, with an example
    whose path value would climb out of the route.

    Such a draft cannot come from an import: the manifest would be refused by the
    examples-valid rule. It stands for a draft written by an older hubtool or edited in place.
    """
    store = Store(store_path)
    try:
        with store.transaction():
            base = store.current_drafts(next(iter(store.drafts())).port_id)["list-projects"]
            template = copy.deepcopy(base.template)
            template["slug"] = "list-projects-broken"
            template["examples"] = [
                {"name": "climb", "input": {"path": {"organizationIdOrSlug": "../admin"}}}
            ]
            stamp = now()
            draft = dataclasses.replace(
                base,
                id=new_id("dr"),
                slug="list-projects-broken",
                state=state_,
                template=template,
                created_at=stamp,
                updated_at=stamp,
            )
            store.insert_draft(draft, "test-fixture")
    finally:
        store.close()
    return draft.id


def test_draft_with_invalid_example_fails_validate(store: Path) -> None:
    draft = _broken_draft(store, "draft")
    result = hub(store, "drafts", "validate", draft)
    assert result.returncode == 1
    assert (
        f"draft {draft} (list-projects-broken) at /examples/0/input/path/organizationIdOrSlug: "
        "error examples-valid"
    ) in result.stdout
    assert "'../admin'" in result.stdout
    assert f"{draft} (list-projects-broken): validate failed; still draft" in result.stdout
    assert state(store, draft) == "draft"


def test_draft_with_invalid_example_fails_test_and_stays_validated(store: Path) -> None:
    draft = _broken_draft(store, "validated")
    before = transitions(store)
    result = hub(store, "drafts", "test", draft)
    assert result.returncode == 1
    assert (
        f"draft {draft} (list-projects-broken) at /examples/0/input/path/organizationIdOrSlug: "
        "error examples-valid example 'climb': '../admin' does not match"
    ) in result.stdout
    assert f"{draft} (list-projects-broken): test failed; still validated" in result.stdout
    assert state(store, draft) == "validated"
    assert transitions(store) == before

    every = hub(store, "drafts", "test", "--all")  # the good drafts pass, the run still fails
    assert every.returncode == 1
    assert all(state(store, d) == "tested" for s, d in ids(store).items() if s in SLUGS)
    assert state(store, draft) == "validated"


# --- rendering ------------------------------------------------------------------------------

PROJECTS_INPUT = {"path": {"organizationIdOrSlug": "acme"}}
ISSUES_INPUT = {
    "path": {"organizationIdOrSlug": "acme"},
    "query": {"query": "is:unresolved level:error", "statsPeriod": "24h", "limit": 25},
}
RESOLVE_INPUT = {
    "path": {"organizationIdOrSlug": "acme", "issueId": "1234567890"},
    "body": {"status": "resolved"},
}
AUTH = f"Authorization: Bearer {TOKEN_PLACEHOLDER}"


@pytest.fixture
def no_store(tmp_path: Path) -> Path:
    return tmp_path / "unused" / "store.sqlite3"


def test_render_list_projects_from_a_file(no_store: Path, tmp_path: Path) -> None:
    path = tmp_path / "input.json"
    path.write_text(json.dumps(PROJECTS_INPUT), encoding="utf-8")
    result = hub(no_store, "render", "sentry", "list-projects", "--input", str(path))
    assert result.returncode == 0, result.stderr
    assert result.stdout == (
        f"GET https://sentry.io/api/0/organizations/acme/projects/\n{AUTH}\n"
        "Accept: application/json\n"
    )
    assert not no_store.parent.exists()


def test_render_list_issues_from_stdin(no_store: Path) -> None:
    result = hub(
        no_store, "render", "sentry", "list-issues", "--input", "-", stdin=json.dumps(ISSUES_INPUT)
    )
    assert result.returncode == 0, result.stderr
    url = (
        "https://sentry.io/api/0/organizations/acme/issues/"
        "?query=is%3Aunresolved%20level%3Aerror&statsPeriod=24h&limit=25"
    )
    assert result.stdout.splitlines() == [f"GET {url}", AUTH, "Accept: application/json"]
    parts = urlsplit(url)  # a correct encoding: it decodes back to the input
    assert parse_qsl(parts.query, strict_parsing=True) == [
        ("query", "is:unresolved level:error"),
        ("statsPeriod", "24h"),
        ("limit", "25"),
    ]
    assert "+" not in parts.query and ":" not in parts.query and " " not in parts.query


def test_render_resolve_issue_never_shows_a_token(no_store: Path) -> None:
    text = hub(
        no_store, "render", "sentry-api", "resolve-issue", "--input", "-",
        stdin=json.dumps(RESOLVE_INPUT),
    )  # fmt: skip
    assert text.returncode == 0, text.stderr
    head, _, body = text.stdout.partition("\n\n")
    assert head.splitlines() == [
        "PUT https://sentry.io/api/0/organizations/acme/issues/1234567890/",
        AUTH,
        "Accept: application/json",
        "Content-Type: application/json",
    ]
    assert json.loads(body) == {"status": "resolved"}

    as_json = hub(
        no_store, "render", "sentry", "resolve-issue", "--input", "-", "--format", "json",
        stdin=json.dumps(RESOLVE_INPUT),
    )  # fmt: skip
    request = json.loads(as_json.stdout)
    assert request == {
        "method": "PUT",
        "url": "https://sentry.io/api/0/organizations/acme/issues/1234567890/",
        "headers": {
            "Authorization": "Bearer <configured in Harbor Node>",
            "Accept": "application/json",
            "Content-Type": "application/json",
        },
        "body": {"status": "resolved"},
    }
    assert find_secret(text.stdout) is None and find_secret(as_json.stdout) is None


def test_render_repeats_array_query_keys(no_store: Path) -> None:
    data = {"path": {"organizationIdOrSlug": "acme"}, "query": {"project": [1, 2]}}
    result = hub(
        no_store, "render", "sentry", "list-issues", "--input", "-", stdin=json.dumps(data)
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == (
        "GET https://sentry.io/api/0/organizations/acme/issues/?project=1&project=2"
    )


@pytest.mark.parametrize("value", ["../admin", "a/b", "..", "%2e%2e"])
def test_render_rejects_route_changing_path_values(
    no_store: Path, tmp_path: Path, value: str
) -> None:
    path = tmp_path / "input.json"
    path.write_text(
        '{\n  "path": {\n    "organizationIdOrSlug": ' + json.dumps(value) + "\n  }\n}\n",
        encoding="utf-8",
    )
    result = hub(no_store, "render", "sentry", "list-projects", "--input", str(path))
    assert result.returncode == 1
    assert result.stdout.startswith(f"{path}:3:29: error input /path/organizationIdOrSlug: ")
    assert "does not match the pattern" in result.stdout
    assert "GET " not in result.stdout


PROJECTS = {"path": "/api/0/organizations/{organizationIdOrSlug}/projects/"}


@pytest.mark.parametrize(
    ("value", "segment"),
    [
        ("a/../b", "a%2F..%2Fb"),
        ("..", "%2E%2E"),
        (".", "%2E"),
        ("a\\b", "a%5Cb"),
        ("?x=1#y", "%3Fx%3D1%23y"),
        ("%2e%2e", "%252e%252e"),
        ("a b", "a%20b"),
    ],
)
def test_render_url_keeps_a_path_value_in_one_segment(value: str, segment: str) -> None:
    """Bypassing input validation: the route still cannot change."""
    url = render_url("https://sentry.io/", PROJECTS, {"path": {"organizationIdOrSlug": value}})
    assert url == f"https://sentry.io/api/0/organizations/{segment}/projects/"
    assert urlsplit(url).path.split("/")[4] == segment


def test_render_url_repeats_array_values() -> None:
    url = render_url(
        "https://sentry.io/",
        {"path": "/api/0/organizations/{o}/issues/"},
        {"path": {"o": "acme"}, "query": {"project": [1, 2], "flag": True}},
    )
    assert url == "https://sentry.io/api/0/organizations/acme/issues/?project=1&project=2&flag=true"


def test_render_unknown_action_lists_actions(no_store: Path) -> None:
    result = hub(no_store, "render", "sentry", "delete-everything", "--input", "-", stdin="{}")
    assert result.returncode == 2
    assert "no action 'delete-everything'" in result.stderr
    assert "actions: list-projects, list-issues, resolve-issue" in result.stderr


@pytest.mark.parametrize("from_stdin", [True, False])
def test_render_invalid_json_gives_line_and_column(
    no_store: Path, tmp_path: Path, from_stdin: bool
) -> None:
    text = '{"path": {\n  "organizationIdOrSlug": "acme"}, }\n'
    if from_stdin:
        name, args = "<stdin>", ("--input", "-")
    else:
        path = tmp_path / "bad.json"
        path.write_text(text, encoding="utf-8")
        name, args = str(path), ("--input", str(path))
    result = hub(no_store, "render", "sentry", "list-projects", *args, stdin=text)
    assert result.returncode == 2
    assert result.stderr.startswith(f"hubtool: error: {name}:2:")
    assert "Traceback" not in result.stderr


# --- store files hubtool cannot use ---------------------------------------------------------


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "store.sqlite3"
    db = sqlite3.connect(path)
    db.execute("PRAGMA user_version = 99")
    db.close()
    before = path.read_bytes()
    for args in (("import", "sentry"), ("import", "sentry", "--dry-run"), ("drafts", "list")):
        result = hub(path, *args)
        assert result.returncode == 2, args
        assert "store schema version 99 is newer than this hubtool understands" in result.stderr
        assert "upgrade hubtool" in result.stderr
        assert "Traceback" not in result.stderr
    assert path.read_bytes() == before


def test_corrupt_store_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "store.sqlite3"
    path.write_bytes(os.urandom(16384))
    before = path.read_bytes()
    for args in (("import", "sentry"), ("drafts", "list"), ("drafts", "test", "--all")):
        result = hub(path, *args)
        assert result.returncode == 2, args
        assert f"{path}: cannot open the draft store" in result.stderr
        assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert path.read_bytes() == before


def test_a_published_draft_stays_live_until_its_replacement_is_published(
    store: Path, tmp_path: Path, sentry_data: dict
) -> None:
    first = ids(store)
    live = first["resolve-issue"]
    assert hub(store, "drafts", "test", live).returncode == 0
    assert hub(store, "drafts", "publish", live, "--operator", "alice").returncode == 0
    v2 = copy.deepcopy(sentry_data)
    v2["version"] = "0.2.0"
    resolve = next(a for a in v2["actionTemplates"] if a["slug"] == "resolve-issue")
    resolve["description"] += " Changed."
    v2["actionTemplates"] = [a for a in v2["actionTemplates"] if a["slug"] != "list-projects"]
    path = tmp_path / "v2.json"
    path.write_text(json.dumps(v2), encoding="utf-8")
    assert hub(store, "drafts", "test", first["list-projects"]).returncode == 0
    assert (
        hub(store, "drafts", "publish", first["list-projects"], "--operator", "al").returncode == 0
    )

    imported = hub(store, "import", str(path))
    assert imported.returncode == 0, imported.stderr
    assert "an operator retires the live action" in imported.stdout
    [replacement] = query(
        store, "SELECT id FROM drafts WHERE slug = 'resolve-issue' AND id != ?", live
    )
    assert state(store, live) == "published"  # still live while the replacement is reviewed
    assert state(store, first["list-projects"]) == "published"
    assert hub(store, "import", str(path)).stdout.count("unchanged") == 1

    assert hub(store, "drafts", "test", replacement["id"]).returncode == 0
    published = hub(store, "drafts", "publish", replacement["id"], "--operator", "alice")
    assert published.returncode == 0, published.stderr
    assert state(store, replacement["id"]) == "published"
    assert state(store, live) == "superseded"
    notes = [t["note"] for t in transitions(store) if t["draft_id"] == live]
    assert notes[-1] == f"replaced by {replacement['id']}"


def test_render_refuses_a_manifest_with_errors_and_never_prints_its_secret(
    tmp_path: Path, sentry_data: dict
) -> None:
    token = "gh" + "p_" + "A1b2" * 9
    sentry_data["portTemplates"][0]["baseUrl"] = f"https://svc:{token}@sentry.io/"
    manifest = tmp_path / "m.json"
    manifest.write_text(json.dumps(sentry_data, indent=2), encoding="utf-8")
    request = tmp_path / "in.json"
    request.write_text(json.dumps({"path": {"organizationIdOrSlug": "acme"}}), encoding="utf-8")
    result = hub(
        tmp_path / "s.sqlite3", "render", str(manifest), "list-projects", "--input", str(request)
    )
    assert result.returncode == 1
    assert "fixed-origin" in result.stdout
    assert token not in result.stdout + result.stderr
