"""Scaffolded slugs: ``<verb>-<noun>`` whatever the operationId's style, and unique within a
manifest (issue 12, item 3: ``issues-issue``, ``chat-chat-post-message``, ``droplets-droplets``
and GitHub's get and update issue colliding were the symptoms)."""

from __future__ import annotations

import re

import pytest
from conftest import shared_file
from hypothesis import given, settings
from hypothesis import strategies as st

from hubtool.upstream.openapi import Operation, load_spec
from hubtool.upstream.scaffold import derive_slug
from hubtool.upstream.scaffold.slugs import unique_slugs

_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def _op(method: str, path: str, operation_id: str) -> Operation:
    return Operation(method, path, operation_id, "", "", [], None, [])


@pytest.mark.parametrize(
    ("method", "path", "operation_id", "slug"),
    [
        # GitHub: namespace/verb-noun
        ("get", "/repos/{owner}/{repo}/issues/{issue_number}", "issues/get", "get-issue"),
        ("patch", "/repos/{owner}/{repo}/issues/{issue_number}", "issues/update", "update-issue"),
        ("put", "/repos/{owner}/{repo}/pulls/{pull_number}/merge", "pulls/merge", "merge-pull"),
        ("post", "/repos/{o}/{r}/actions/runs/{run_id}/rerun", "actions/re-run-workflow",
         "rerun-run"),
        # Slack: namespace_verbNoun on RPC paths
        ("post", "/api/chat.postMessage", "chat_postMessage", "post-message"),
        ("get", "/api/conversations.list", "conversations_list", "list-conversations"),
        ("get", "/api/admin.inviteRequests.list", "admin_inviteRequests_list",
         "list-invite-requests"),
        ("post", "/api/admin.apps.restrict", "admin_apps_restrict", "restrict-apps"),
        ("get", "/api/users.conversations", "users_conversations", "get-conversations"),
        # DigitalOcean: namespace_verb(_noun)
        ("get", "/v2/droplets", "droplets_list", "list-droplets"),
        ("get", "/v2/droplets/{droplet_id}", "droplets_get", "get-droplet"),
        ("get", "/v2/databases/{uuid}/backups", "databases_list_backups", "list-backups"),
        # HubSpot: the method and path, then _name
        ("post", "/crm/v3/objects/contacts/search",
         "post-/crm/v3/objects/contacts/search_doSearch", "search-contacts"),
        ("get", "/crm/v3/objects/contacts/{contactId}",
         "get-/crm/v3/objects/contacts/{contactId}_getById", "get-contact"),
        # camelCase and snake_case verb-first (Sentry, Jira, Discord, Netlify)
        ("get", "/api/0/organizations/{o}/issues/{issue_id}/", "getOrganizationIssue",
         "get-issue"),
        ("get", "/api/v10/users/@me/guilds", "list_my_guilds", "list-guilds"),
        ("post", "/api/v1/sites/{site_id}/build_hooks", "createSiteBuildHook",
         "create-build-hooks"),
        ("put", "/x/{id}", "Bulk Mutate a List of Issues", "mutate-x"),
        ("get", "/", "meta/root", "get"),
    ],
)  # fmt: skip
def test_derived_slug_per_operation_id_style(
    method: str, path: str, operation_id: str, slug: str
) -> None:
    assert derive_slug(_op(method, path, operation_id)) == slug


def test_collisions_are_qualified_by_the_path_then_the_id() -> None:
    operations = [
        _op("get", "/issues", "issues/list"),
        _op("get", "/repos/{owner}/{repo}/issues", "issues/list-for-repo"),
        _op("get", "/orgs/{org}/issues", "issues/list-for-org"),
        _op("get", "/user/followers", "users/list-followers-for-authenticated-user"),
        _op("get", "/users/{username}/followers", "users/list-followers-for-user"),
        _op("get", "/v2/droplets/{droplet_id}/actions", "dropletActions_list"),
        _op("get", "/v2/images/{image_id}/actions", "imageActions_list"),
    ]
    assert unique_slugs(operations) == [
        "list-issues",
        "list-repo-issues",
        "list-org-issues",
        "list-followers-authenticated",  # the path tells these two apart only by a plural
        "list-user-followers",
        "list-droplet-actions",
        "list-image-actions",
    ]


def test_taken_slugs_are_avoided_and_a_number_is_the_last_resort() -> None:
    operations = [_op("get", "/widgets", "listWidgets"), _op("get", "/widgets", "listWidgets")]
    assert unique_slugs(operations, ["list-widgets"]) == [
        "list-widgets-get",
        "list-widgets-get-2",
    ]
    long = "a" * 70
    assert unique_slugs([_op("get", f"/{long}", "get"), _op("get", f"/{long}", "get")]) == [
        "get",
        "get-2",
    ]


def test_the_issues_examples_on_the_real_specs() -> None:
    github = load_spec(shared_file("data/providers/github/api.github.com.json"))
    slack = load_spec(shared_file("data/providers/slack/slack_web_openapi_v2.json"))
    digitalocean = load_spec(
        shared_file("data/providers/digitalocean/specification/DigitalOcean-public.v2.yaml")
    )
    cases = [
        (github, "issues/get", "get-issue"),
        (github, "issues/update", "update-issue"),
        (github, "issues/create", "create-issues"),
        (slack, "chat_postMessage", "post-message"),
        (digitalocean, "droplets_list", "list-droplets"),
        (digitalocean, "droplets_get", "get-droplet"),
    ]
    for spec, operation_id, slug in cases:
        assert derive_slug(spec.by_id[operation_id]) == slug
    for spec in (github, slack, digitalocean):
        slugs = unique_slugs(spec.operations)
        assert len(set(slugs)) == len(slugs) == len(spec.operations)
        assert all(_SLUG.fullmatch(s) and len(s) <= 64 for s in slugs)


_WORD = st.text("abcdefgxyz", min_size=1, max_size=6)
_SEGMENT = st.one_of(_WORD, _WORD.map(lambda w: "{" + w + "}"), st.just("v2"), st.just("a.b"))
_OPERATION = st.builds(
    _op,
    st.sampled_from(["get", "post", "put", "patch", "delete"]),
    st.lists(_SEGMENT, max_size=6).map(lambda s: "/" + "/".join(s)),
    st.one_of(
        st.lists(_WORD, max_size=4).map("_".join),
        st.lists(_WORD, max_size=4).map("/".join),
        st.sampled_from(["listThings", "get", "", "x/update-thing"]),
    ),
)


@settings(max_examples=100, deadline=None)
@given(st.lists(_OPERATION, max_size=30), st.lists(_WORD, max_size=5))
def test_unique_slugs_are_unique_kebab_bounded_and_not_taken(
    operations: list[Operation], taken: list[str]
) -> None:
    slugs = unique_slugs(operations, taken)
    assert len(slugs) == len(operations) and len(set(slugs)) == len(slugs)
    assert not set(slugs) & set(taken)
    assert all(_SLUG.fullmatch(s) and len(s) <= 64 for s in slugs), slugs


def test_hostile_ids_and_paths_end() -> None:
    """A hang guard (no timing assertion): a 100,000-character id and a 20,000-segment path."""
    operations = [
        _op("get", "/" + "/".join(["items", "{id}"] * 10_000), "getItem" * 15_000),
        _op("get", "/" + "/".join(["items", "{id}"] * 10_000), "getItem" * 15_000),
        _op("post", "/" + "x." * 20_000, "_".join(["create"] * 20_000)),
    ]
    slugs = unique_slugs(operations)
    assert len(set(slugs)) == 3 and all(len(s) <= 64 for s in slugs)
