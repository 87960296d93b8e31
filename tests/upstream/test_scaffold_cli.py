"""``scaffold --list``, ``--all``, ``--include-deprecated``, ``--into`` a new manifest, and
``hubtool new`` (issue 12, items 3 and 6), run as a user runs them, on small specs written here.

``test_scaffold_all.py`` runs ``--all`` on every real spec; ``test_scaffold_names.py`` checks the
slugs.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from conftest import SENTRY, run_cli, shared_file

from hubtool.core.errors import HubtoolError
from hubtool.core.findings import ERROR
from hubtool.upstream.openapi import load_spec
from hubtool.upstream.scaffold import scaffold
from hubtool.upstream.scaffold.batch import scaffold_all
from hubtool.validate.pipeline import validate

_STRING = {"type": "string", "maxLength": 20}


def _get(operation_id: str, summary: str, **extra: Any) -> dict[str, Any]:
    return {"operationId": operation_id, "summary": summary, **extra}


SHOP: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "Shop", "version": "1"},
    "servers": [{"url": "https://api.shop.example/v1"}],
    "paths": {
        "/orders": {
            "get": _get("orders/list", "List orders"),
            "post": {
                **_get("orders/create", "Create an order"),
                "requestBody": {
                    "content": {
                        "application/json": {
                            "schema": {"type": "object", "properties": {"item": _STRING}}
                        }
                    }
                },
            },
        },
        "/orders/{order_id}": {
            "parameters": [{"name": "order_id", "in": "path", "required": True, "schema": _STRING}],
            "get": _get("orders/get", "Get an order"),
            "delete": _get("orders/delete", "Delete an order"),
        },
        "/stores/{store_id}/orders": {
            "parameters": [{"name": "store_id", "in": "path", "required": True, "schema": _STRING}],
            "get": _get("orders/list-for-store", "List a store's orders"),
        },
        "/legacy/orders": {"get": _get("orders/list-legacy", "Old listing", deprecated=True)},
        "/ping": {"get": {"summary": "Ping"}},
        "/twice/a": {"get": _get("twice", "First of two")},
        "/twice/b": {"get": _get("twice", "Second of two")},
    },
}


@pytest.fixture
def shop(tmp_path: Path) -> Path:
    path = tmp_path / "shop.json"
    path.write_text(json.dumps(SHOP), encoding="utf-8")
    return path


def _cli(*args: str, cwd: Path | None = None):
    result = run_cli(*args, cwd=cwd)
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr, result.stderr
    return result


def _errors(path: Path) -> list[str]:
    return [f"{f.rule}: {f.message}" for f in validate([path]).findings if f.severity == ERROR]


# --- --list ------------------------------------------------------------------------------------


def test_list_is_an_aligned_table_with_the_deprecated_marked(shop: Path) -> None:
    result = _cli("scaffold", "--openapi", str(shop), "--list")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["METHOD", "PATH", "OPERATION", "ID", "SUMMARY"]
    rows = lines[1:-1]
    assert len(rows) == 9 and lines[-1] == "9 of 9 operations"
    starts = {line.index(" " + line.split()[2] + " ") for line in rows}
    assert len(starts) == 1  # the operationId column is aligned
    legacy = next(line for line in rows if "orders/list-legacy" in line)
    assert legacy.endswith("[deprecated] Old listing")
    assert any(line.split()[:3] == ["GET", "/v1/ping", "-"] for line in rows)  # no operationId


def test_list_grep_matches_id_path_and_summary_in_any_case(shop: Path) -> None:
    def ids(word: str) -> list[str]:
        result = _cli("scaffold", "--openapi", str(shop), "--list", "--grep", word)
        assert result.returncode == 0
        return [line.split()[2] for line in result.stdout.splitlines()[1:-1]]

    assert ids("STORE") == ["orders/list-for-store"]  # the path and the id
    assert ids("old listing") == ["orders/list-legacy"]  # the summary
    assert ids("twice") == ["twice", "twice"]
    none = _cli("scaffold", "--openapi", str(shop), "--list", "--grep", "nothing-like-it")
    assert none.returncode == 0 and none.stdout == "0 of 9 operations match 'nothing-like-it'\n"


def test_list_json(shop: Path) -> None:
    result = _cli("scaffold", "--openapi", str(shop), "--list", "--format", "json")
    document = json.loads(result.stdout)
    assert document["count"] == document["total"] == 9
    assert document["operations"][0] == {
        "method": "GET",
        "path": "/v1/orders",
        "operationId": "orders/list",
        "summary": "List orders",
        "deprecated": False,
    }
    assert [o["deprecated"] for o in document["operations"]].count(True) == 1


def test_list_works_on_swagger_2_yaml_and_the_multi_file_spec() -> None:
    for spec, expected in (
        ("data/providers/netlify/swagger.yml", "listSites"),
        ("data/providers/digitalocean/specification/DigitalOcean-public.v2.yaml", "droplets_list"),
        ("data/providers/slack/slack_web_openapi_v2.json", "chat_postMessage"),
    ):
        result = _cli("scaffold", "--openapi", str(shared_file(spec)), "--list", "--grep", expected)
        assert result.returncode == 0 and expected in result.stdout, result.stderr


# --- --all -------------------------------------------------------------------------------------


def test_all_into_a_new_manifest_reports_each_refusal(tmp_path: Path, shop: Path) -> None:
    manifest = tmp_path / "shop-api.json"
    result = _cli(
        "scaffold", "--openapi", str(shop), "--all", "--into", str(manifest),
        "--base-url", "https://api.shop.example/v1/", "--format", "json",
    )  # fmt: skip
    assert result.returncode == 1, result.stderr  # some refused: findings
    report = json.loads(result.stdout)
    assert report["file"] == str(manifest) and report["created"] is True
    twice = "operationId used by more than one operation (GET /v1/twice/a, GET /v1/twice/b); "
    assert [(r["operationId"], r["reason"]) for r in report["refused"]] == [
        (
            "orders/delete",
            "no-bulk-or-delete: action 'delete-order': DELETE routes are out of scope until a "
            "policy review waives them (after the review: a waiver of no-bulk-or-delete at "
            "/actionTemplates/0/method in .hubtool.yaml, with its reason)",
        ),
        ("orders/list-legacy", "deprecated"),
        ("", "no operationId: scaffold names operations by their id"),
        ("twice", twice + "correct the spec"),
        ("twice", twice + "correct the spec"),
    ]
    assert {tuple(r) for r in report["refused"]} == {("operationId", "method", "path", "reason")}
    slugs = [a["slug"] for a in report["scaffolded"]]
    assert slugs == ["list-orders", "create-orders", "get-order", "list-store-orders"]
    data = json.loads(manifest.read_text(encoding="utf-8"))
    assert [a["slug"] for a in data["actionTemplates"]] == slugs
    assert data["actionTemplates"][0]["path"] == "/orders"  # relative to the base URL's path
    assert data["slug"] == "shop-api" and data["publisher"]["slug"] == "shop"
    assert _errors(manifest) == []
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temporary file


def test_all_exit_0_when_nothing_is_refused_and_text_output(tmp_path: Path) -> None:
    spec = tmp_path / "small.json"
    small = {**SHOP, "paths": {"/orders": SHOP["paths"]["/orders"]}}
    spec.write_text(json.dumps(small), encoding="utf-8")
    result = _cli("scaffold", "--openapi", str(spec), "--all")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "list-orders  GET /v1/orders",
        "create-orders  POST /v1/orders",
        "scaffolded 2 of 2 operations (no --into: nothing written)",
    ]


def test_all_include_deprecated(tmp_path: Path, shop: Path) -> None:
    result = _cli(
        "scaffold", "--openapi", str(shop), "--all", "--include-deprecated", "--format", "json"
    )
    report = json.loads(result.stdout)
    assert "list-legacy-orders" in [a["slug"] for a in report["scaffolded"]]
    assert "deprecated" not in [r["reason"] for r in report["refused"]]
    assert [a["slug"] for a in report["actions"]] == [a["slug"] for a in report["scaffolded"]]


def test_all_into_an_existing_manifest_skips_its_routes_and_reports_the_bump(
    tmp_path: Path, shop: Path
) -> None:
    manifest = tmp_path / "shop-api.json"
    args = ("scaffold", "--openapi", str(shop), "--all", "--into", str(manifest))
    first = _cli(*args, "--base-url", "https://api.shop.example/v1/")
    assert first.returncode == 1 and "(created)" in first.stdout
    again = _cli(*args, "--format", "json")
    report = json.loads(again.stdout)
    assert report["scaffolded"] == [] and "changes" not in report
    assert "already in the manifest as 'get-order'" in [r["reason"] for r in report["refused"]]
    assert len(json.loads(manifest.read_text())["actionTemplates"]) == 4
    more = tmp_path / "more.json"
    more.write_text(json.dumps({**SHOP, "paths": {"/carts": {"get": _get("listCarts", "")}}}))
    added = _cli("scaffold", "--openapi", str(more), "--all", "--into", str(manifest))
    assert added.returncode == 0, added.stderr
    assert "action-added: minor; the version must be at least 0.1.1" in added.stdout


def test_all_that_scaffolds_nothing_writes_nothing(tmp_path: Path) -> None:
    spec = tmp_path / "deletes.json"
    paths = {"/x/{id}": {"delete": _get("deleteX", "Delete x")}}
    spec.write_text(json.dumps({**SHOP, "paths": paths}), encoding="utf-8")
    manifest = tmp_path / "x.json"
    result = _cli(
        "scaffold", "--openapi", str(spec), "--all", "--into", str(manifest),
        "--base-url", "https://api.shop.example/",
    )  # fmt: skip
    assert result.returncode == 1 and "not created" in result.stdout and not manifest.exists()
    empty = tmp_path / "empty.json"
    empty.write_text(json.dumps({**SHOP, "paths": {}}), encoding="utf-8")
    nothing = _cli("scaffold", "--openapi", str(empty), "--all")
    assert nothing.returncode == 2 and "has no operations" in nothing.stderr


def test_all_is_one_scaffold_per_operation(shop: Path) -> None:
    """Differential: ``--all`` checks each action beside the manifest's ports only (linear);
    one ``scaffold`` inside the whole manifest gives the same action."""
    spec = load_spec(shop)
    manifest = json.loads(SENTRY.read_text(encoding="utf-8"))
    manifest["portTemplates"][0]["baseUrl"] = "https://api.shop.example/v1/"
    batch = scaffold_all(spec, manifest, "https://api.shop.example/v1/")
    for item in batch.scaffolded:
        alone = scaffold(
            spec, item.operation.operation_id, item.action["slug"],
            base_url="https://api.shop.example/v1/", manifest=manifest,
        )  # fmt: skip
        assert alone.action == item.action and alone.notes == item.notes


def test_all_on_sentry_matches_one_operation_at_a_time() -> None:
    spec = load_spec(shared_file("data/sentry/openapi-derefed.json"))
    manifest = json.loads(SENTRY.read_text(encoding="utf-8"))
    batch = scaffold_all(spec, manifest, "https://sentry.io/")
    assert len(batch.scaffolded) + len(batch.refused) == len(spec.operations)
    for item in batch.scaffolded[:25]:
        alone = scaffold(
            spec, item.operation.operation_id, item.action["slug"],
            base_url="https://sentry.io/", manifest=manifest,
        )  # fmt: skip
        assert alone.action == item.action
    routes = {(r.method, r.operation_id) for r in batch.refused}
    assert ("GET", "listOrganizationIssues") in routes  # already in the manifest


# --- one operation -----------------------------------------------------------------------------


def test_a_deprecated_operation_needs_the_flag(shop: Path) -> None:
    refused = _cli("scaffold", "--openapi", str(shop), "--operation", "orders/list-legacy")
    assert refused.returncode == 2 and "is deprecated" in refused.stderr
    assert "--include-deprecated" in refused.stderr and refused.stdout == ""
    allowed = _cli(
        "scaffold", "--openapi", str(shop), "--operation", "orders/list-legacy",
        "--include-deprecated", "--format", "json",
    )  # fmt: skip
    assert allowed.returncode == 0 and json.loads(allowed.stdout)["slug"] == "list-orders"


def test_an_unknown_operation_suggests_close_ids_and_list(shop: Path) -> None:
    result = _cli("scaffold", "--openapi", str(shop), "--operation", "orders/lst")
    assert result.returncode == 2
    assert "did you mean 'orders/list'" in result.stderr and "--list" in result.stderr


def test_into_a_missing_file_needs_base_url(tmp_path: Path, shop: Path) -> None:
    manifest = tmp_path / "catalog/integrations/shop/shop-api.json"
    args = ("scaffold", "--openapi", str(shop), "--operation", "orders/get")
    missing = _cli(*args, "--into", str(manifest))
    assert missing.returncode == 2 and "pass --base-url" in missing.stderr
    assert "hubtool new" in missing.stderr and not manifest.exists()
    created = _cli(
        *args, "--into", str(manifest), "--base-url", "https://api.shop.example/", "--format",
        "text",
    )  # fmt: skip
    assert created.returncode == 0, created.stderr
    assert created.stdout.splitlines() == [
        f"created {manifest} with action 'get-order'",
        "a new manifest at version 0.1.0",
    ]
    data = json.loads(manifest.read_text(encoding="utf-8"))
    assert data["publisher"]["slug"] == "shop" and data["slug"] == "shop-api"
    assert data["actionTemplates"][0]["path"] == "/v1/orders/{orderId}"
    assert _errors(manifest) == []
    other = _cli(*args, "--into", str(manifest), "--base-url", "https://elsewhere.example/")
    assert other.returncode == 2 and "--base-url only names" in other.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "pass one of --operation"),
        (("--list", "--all"), "pass one of --operation"),
        (("--all", "--grep", "x"), "--grep filters --list"),
        (("--all", "--slug", "x"), "apply to one --operation"),
        (("--list", "--into", "x.json"), "not --list"),
        (("--all", "--base-url", "https://x.example/"), "new --into MANIFEST"),
    ],
)
def test_usage_errors_exit_2(shop: Path, args: tuple[str, ...], message: str) -> None:
    result = _cli("scaffold", "--openapi", str(shop), *args)
    assert result.returncode == 2 and message in result.stderr, result.stderr


# --- hubtool new -------------------------------------------------------------------------------


def _repo(tmp_path: Path) -> Path:
    (tmp_path / "apps/hub/catalog/integrations").mkdir(parents=True)
    return tmp_path


def test_new_writes_a_valid_skeleton_at_the_catalog_path(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    result = _cli(
        "new", "shop/shop-api", "--base-url", "https://api.shop.example/v1/", "--name",
        "Shop", "--category", "crm", cwd=repo / "apps",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    path = repo / "apps/hub/catalog/integrations/shop/shop-api.json"
    assert result.stdout.startswith(f"created {path}\n")
    data = json.loads(path.read_text(encoding="utf-8"))
    assert (data["title"], data["category"], data["publisher"]["name"]) == (
        "Shop API",
        "CRM",
        "Shop",
    )
    assert data["portTemplates"][0]["baseUrl"] == "https://api.shop.example/v1/"
    assert [a["slug"] for a in data["actionTemplates"]] == ["replace-me"]
    catalog = _cli("validate", "--format", "json", cwd=repo)  # the catalog-layout rule included
    assert json.loads(catalog.stdout)["summary"]["errors"] == 0, catalog.stdout
    again = _cli("new", "shop/shop-api", "--base-url", "https://x.example/", cwd=repo)
    assert again.returncode == 2 and "already exists" in again.stderr
    assert json.loads(path.read_text(encoding="utf-8")) == data


def test_scaffold_into_a_new_skeleton_replaces_the_placeholder(tmp_path: Path, shop: Path) -> None:
    repo = _repo(tmp_path)
    new = _cli("new", "shop/shop-api", "--base-url", "https://api.shop.example/v1/", cwd=repo)
    assert new.returncode == 0, new.stderr
    path = repo / "apps/hub/catalog/integrations/shop/shop-api.json"
    result = _cli(
        "scaffold", "--openapi", str(shop), "--operation", "orders/get", "--into", str(path),
        "--format", "json",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert [c["kind"] for c in json.loads(result.stdout)["changes"]] == ["action-added"]
    data = json.loads(path.read_text(encoding="utf-8"))
    assert [a["slug"] for a in data["actionTemplates"]] == ["get-order"]
    assert _errors(path) == []


@pytest.mark.parametrize(
    ("name", "options", "message"),
    [
        ("Shop/shop-api", (), "the publisher 'Shop' is not a kebab-case slug"),
        ("shop/shop_api", (), "the slug 'shop_api' is not a kebab-case slug"),
        ("shop", (), "is not PUBLISHER/SLUG"),
        ("shop/a/b", (), "is not PUBLISHER/SLUG"),
        ("shop/x", ("--base-url", "http://api.shop.example/"), "not an https URL"),
        ("shop/x", ("--base-url", "https://user@api.shop.example/"), "fixed-origin"),
        ("shop/x", ("--category", "Toys"), "not a catalog shelf"),
        ("shop/x", ("--name", "Shop\x1b[31m"), "control or invisible characters"),
        ("shop/x", ("--website-url", "ftp://docs/"), "schema"),
    ],
)
def test_new_refuses_bad_input_and_writes_nothing(
    tmp_path: Path, name: str, options: tuple[str, ...], message: str
) -> None:
    repo = _repo(tmp_path)
    if "--base-url" not in options:
        options = (*options, "--base-url", "https://api.shop.example/")
    result = _cli("new", name, *options, cwd=repo)
    assert result.returncode == 2 and message in result.stderr, result.stderr
    assert list((repo / "apps/hub/catalog/integrations").iterdir()) == []


def test_new_never_writes_through_a_linked_directory(tmp_path: Path) -> None:
    repo = _repo(tmp_path / "repo")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (repo / "apps/hub/catalog/integrations/shop").symlink_to(elsewhere)
    result = _cli("new", "shop/x", "--base-url", "https://api.shop.example/", cwd=repo)
    assert result.returncode == 2 and "symbolic link" in result.stderr
    assert list(elsewhere.iterdir()) == []


def test_new_outside_a_repository_says_where_to_run_it(tmp_path: Path) -> None:
    result = _cli("new", "shop/x", "--base-url", "https://api.shop.example/", cwd=tmp_path)
    assert result.returncode == 2 and "inside the hub repository" in result.stderr


def test_the_skeleton_categories_are_the_schemas() -> None:
    from conftest import REPO

    from hubtool.core.skeleton import CATEGORIES

    schema = json.loads((REPO / "schemas/dock-integration.schema.json").read_text())
    assert list(CATEGORIES) == schema["properties"]["category"]["enum"]


def test_atomic_create_never_replaces_a_file(tmp_path: Path) -> None:
    from hubtool.core.files import atomic_create

    path = tmp_path / "m.json"
    atomic_create(path, "one\n")
    with pytest.raises(FileExistsError):
        atomic_create(path, "two\n")
    assert path.read_text() == "one\n" and [p.name for p in tmp_path.iterdir()] == ["m.json"]
    link = tmp_path / "link.json"
    link.symlink_to(tmp_path / "elsewhere.json")
    with pytest.raises(FileExistsError):
        atomic_create(link, "three\n")
    assert not (tmp_path / "elsewhere.json").exists()


def test_hostile_names_in_a_spec_are_listed_safely(tmp_path: Path) -> None:
    token = "ghp_" + "A1b2C3d4E5f6G7h8I9j0" * 2
    spec = tmp_path / "hostile.json"
    paths = {
        "/x": {"get": _get("a\x1b[31m" + "b" * 5000, token)},
        "/" + "y/" * 3000 + "z": {"get": _get("::error::x", "::warning::y")},
    }
    spec.write_text(json.dumps({**SHOP, "paths": paths}), encoding="utf-8")
    for fmt in ("text", "json"):
        result = _cli("scaffold", "--openapi", str(spec), "--list", "--format", fmt)
        assert result.returncode == 0, result.stderr
        assert token not in result.stdout and "\x1b" not in result.stdout
        assert not any(line.startswith("::") for line in result.stdout.splitlines())
    every = _cli("scaffold", "--openapi", str(spec), "--all", "--format", "json")
    assert every.returncode in (0, 1) and token not in every.stdout
    with pytest.raises(HubtoolError):
        scaffold(load_spec(spec), "missing")
