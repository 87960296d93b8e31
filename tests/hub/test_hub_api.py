"""The Hub's response layer (`hubtool.hub.api`): every route's shape, errors, hostile input."""

from __future__ import annotations

import json
import sqlite3
from urllib.parse import quote

import pytest
from conftest import REPO
from hubkit import SENTRY_REL, build
from hypothesis import given, settings
from hypothesis import strategies as st

from hubtool.hub.api import MAX_SEARCH, fts_query, not_modified, respond
from hubtool.hub.build import open_readonly
from hubtool.hub.encode import compact, sha256


@pytest.fixture(scope="module")
def conn(tmp_path_factory: pytest.TempPathFactory):
    db = tmp_path_factory.mktemp("hub") / "hub.db"
    assert build(db).returncode == 0
    connection = open_readonly(db)
    yield connection
    connection.close()


def get(conn: sqlite3.Connection, path: str, query: str = "") -> tuple[int, object]:
    answer = respond(conn, "GET", path, query)
    assert dict(answer.headers)["content-type"].startswith(("application/json", "text/html"))
    if answer.headers[0][1] == "application/json":
        return answer.status, json.loads(answer.body)
    return answer.status, answer.body.decode("utf-8")


def test_the_manifest_is_the_canonical_bytes(conn: sqlite3.Connection) -> None:
    answer = respond(conn, "GET", "/api/manifests/sentry/sentry-api")
    data = json.loads((REPO / SENTRY_REL).read_text(encoding="utf-8"))
    assert answer.status == 200 and answer.body == compact(data)
    assert dict(answer.headers)["etag"] == f'"{sha256(answer.body)}"'
    _, index = get(conn, "/api/integrations")
    entry = next(i for i in index["integrations"] if i["slug"] == "sentry-api")
    assert entry["sha256"] == sha256(answer.body)
    assert entry["links"]["manifest"] == "/api/manifests/sentry/sentry-api"


def test_integrations_index_and_detail(conn: sqlite3.Connection) -> None:
    status, index = get(conn, "/api/integrations")
    assert status == 200 and len(index["integrations"]) == 9
    keys = [(i["publisher"]["slug"], i["slug"]) for i in index["integrations"]]
    assert keys == sorted(keys)
    status, detail = get(conn, "/api/integrations/sentry/sentry-api")
    item = detail["integration"]
    assert status == 200 and item["title"] == "Sentry API" and item["actionCount"] == 3
    assert item["publisher"]["websiteUrl"] == "https://docs.sentry.io/api/"
    assert item["portTemplates"][0]["baseUrl"] == "https://sentry.io/"
    actions = {a["slug"]: a for a in item["actions"]}
    assert list(actions) == ["list-projects", "list-issues", "resolve-issue"]
    resolve = actions["resolve-issue"]
    assert resolve["method"] == "PUT" and resolve["approvalMode"] == "require_approval"
    assert resolve["approvalGated"] is True and resolve["inputs"]["body"] is True
    assert actions["list-issues"]["approvalGated"] is False
    assert {"name": "organizationIdOrSlug", "in": "path", "required": True} in resolve["inputs"][
        "parameters"
    ]


def test_integrations_filters(conn: sqlite3.Connection) -> None:
    _, found = get(conn, "/api/integrations", "q=sentry")
    assert found["integrations"][0]["slug"] == "sentry-api"
    _, found = get(conn, "/api/integrations", "category=Observability")
    assert [i["slug"] for i in found["integrations"]] == ["sentry-api"]
    _, found = get(conn, "/api/integrations", "q=%2A%2A")
    assert found == {"integrations": []}


def test_resolve_and_shelves(conn: sqlite3.Connection) -> None:
    for shortcut in ("sentry", "sentry-api"):
        status, found = get(conn, f"/api/resolve/{shortcut}")
        assert status == 200 and (found["publisher"], found["slug"]) == ("sentry", "sentry-api")
    status, shelves = get(conn, "/api/shelves")
    categories = [s["category"] for s in shelves["shelves"]]
    assert status == 200 and categories == sorted(categories)
    listed = [i["slug"] for s in shelves["shelves"] for i in s["integrations"]]
    assert sorted(listed) == sorted(
        i["slug"] for i in get(conn, "/api/integrations")[1]["integrations"]
    )


def test_search_finds_resolve_issue_first(conn: sqlite3.Connection) -> None:
    for text in ("resolve", "Resolve", "resolving", "resol", "resolve issue"):
        status, found = get(conn, "/api/actions/search", "q=" + quote(text))
        assert status == 200 and found["query"] == text
        first = found["results"][0]
        assert (first["integration"]["slug"], first["action"]) == ("sentry-api", "resolve-issue")
        assert first["approvalGated"] is True
    _, found = get(conn, "/api/actions/search", "q=list&limit=2")
    assert len(found["results"]) == 2


@pytest.mark.parametrize(
    ("path", "query", "status"),
    [
        ("/api/integrations/sentry/nope", "", 404),
        ("/api/integrations/nope/sentry-api", "", 404),
        ("/api/manifests/sentry/nope", "", 404),
        ("/api/resolve/nope", "", 404),
        ("/api/nope", "", 404),
        ("/nope", "", 404),
        ("/api/manifests/sentry/sentry-api/extra", "", 404),
        ("/api/manifests/sentry/%FF%FE", "", 404),
        ("/api/actions/search", "", 400),
        ("/api/actions/search", "q=", 400),
        ("/api/actions/search", "q=%20%20", 400),
        ("/api/actions/search", "q=a&q=b", 400),
        ("/api/actions/search", "q=a&limit=0", 400),
        ("/api/actions/search", "q=a&limit=51", 400),
        ("/api/actions/search", "q=a&limit=-1", 400),
        ("/api/actions/search", "q=a&limit=%EF%BC%93", 400),  # a fullwidth digit
        ("/api/actions/search", "q=a&other=1", 400),
        ("/api/actions/search", "q=%00", 400),
        ("/api/actions/search", "q=%FF", 400),
        ("/api/actions/search", "q=" + "a" * (MAX_SEARCH + 1), 400),
        ("/api/actions/search", "q=" + "x" * 10_000, 400),
        ("/api/actions/search", "q=" + "a%20" * 17, 400),
        ("/api/shelves", "x=1", 400),
        ("/api/shelves", "noequals", 400),
    ],
)
def test_errors(conn: sqlite3.Connection, path: str, query: str, status: int) -> None:
    answer = respond(conn, "GET", path, query)
    assert answer.status == status
    error = json.loads(answer.body)["error"]
    assert error["status"] == status and error["message"]
    assert dict(answer.headers)["cache-control"] == "no-store"


@pytest.mark.parametrize(
    "text",
    [
        '"',
        '""',
        "*",
        "resolve*",
        "NEAR(a b)",
        "a OR b",
        "a AND NOT b",
        "^resolve",
        "col:x",
        "{slug}: x",
        "(",
        ")",
        "-",
        "+",
        "'",
        "\\",
        "résolve",
        "🙂",
        'a"b',
        "NOT",
        "AND",
    ],
)
def test_fts5_operators_are_text(conn: sqlite3.Connection, text: str) -> None:
    status, found = get(conn, "/api/actions/search", "q=" + quote(text))
    assert status == 200 and isinstance(found["results"], list)
    status, found = get(conn, "/api/integrations", "q=" + quote(text))
    assert status == 200


def test_other_methods_are_405(conn: sqlite3.Connection) -> None:
    for method in ("POST", "PUT", "DELETE", "PATCH", "OPTIONS", "BREW"):
        assert respond(conn, method, "/api/shelves").status == 405
    assert respond(conn, "HEAD", "/api/shelves").status == 200


def test_if_none_match() -> None:
    from hubtool.hub.api import ok

    answer = ok(b"{}", "application/json")
    etag = dict(answer.headers)["etag"]
    assert not_modified(answer, etag) and not_modified(answer, f'"x", W/{etag}')
    assert not_modified(answer, "*")
    assert not not_modified(answer, '"other"') and not not_modified(answer, None)


@given(st.text(max_size=300))
@settings(max_examples=300, deadline=None)
def test_any_search_text_is_200_or_400(conn: sqlite3.Connection, text: str) -> None:
    for path in ("/api/actions/search", "/api/integrations", "/"):
        answer = respond(conn, "GET", path, "q=" + quote(text, safe=""))
        assert answer.status in (200, 400), (path, text, answer.body[:200])


@given(st.text(max_size=200), st.text(max_size=200))
@settings(max_examples=300, deadline=None)
def test_any_path_and_query_is_never_a_server_error(
    conn: sqlite3.Connection, path: str, query: str
) -> None:
    answer = respond(conn, "GET", "/" + path, query)
    assert answer.status in (200, 400, 404)
    if answer.status != 200:
        assert json.loads(answer.body)["error"]["status"] == answer.status


@given(st.text(max_size=60))
def test_fts_query_quotes_every_word(text: str) -> None:
    spaced = "".join(" " if ord(c) < 32 or ord(c) == 127 else c for c in text)
    words = [w for w in spaced.split() if any(c.isalnum() for c in w)]
    query = fts_query(text) if len(words) <= 16 else None
    if query is None:
        return
    prefix = "*" if len(words[-1]) >= 3 else ""
    assert query == " ".join('"' + w.replace('"', '""') + '"' for w in words) + prefix
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE t USING fts5(a)")
    conn.execute("SELECT * FROM t WHERE t MATCH ?", (query,)).fetchall()  # never a syntax error


def test_fts_query_of_nothing_searchable_and_short_prefixes() -> None:
    assert fts_query("   ") is None and fts_query("* ( )") is None
    assert fts_query("a") == '"a"' and fts_query("res") == '"res"*'
    assert fts_query('say "hi"') == '"say" """hi"""*'


def test_responses_match_the_openapi_description(conn: sqlite3.Connection) -> None:
    """Every 200 body validates against the response schema its route declares."""
    from jsonschema import Draft202012Validator
    from referencing import Registry, Resource

    _, document = get(conn, "/api/openapi.json")
    assert document["openapi"].startswith("3.1")
    registry = Registry().with_resource(
        "urn:hub",
        Resource.from_contents(
            {**document, "$schema": "https://json-schema.org/draft/2020-12/schema"}
        ),
    )
    cases = {
        "/api/integrations": "/api/integrations",
        "/api/integrations/{publisher}/{slug}": "/api/integrations/sentry/sentry-api",
        "/api/resolve/{shortcut}": "/api/resolve/sentry",
        "/api/shelves": "/api/shelves",
        "/api/actions/search": "/api/actions/search?q=resolve",
    }
    assert set(cases) | {"/api/manifests/{publisher}/{slug}", "/api/openapi.json"} == set(
        document["paths"]
    )
    for route, request in cases.items():
        path, _, query = request.partition("?")
        schema_pointer = (
            "urn:hub#/paths/"
            + route.replace("~", "~0").replace("/", "~1")
            + "/get/responses/200/content/application~1json/schema"
        )
        validator = Draft202012Validator({"$ref": schema_pointer}, registry=registry)
        status, body = get(conn, path, query)
        errors = [e.message for e in validator.iter_errors(body)]
        assert status == 200 and errors == [], (route, errors[:3])


def test_the_pages_escape_and_link(conn: sqlite3.Connection) -> None:
    status, page = get(conn, "/", "q=" + quote('<script>alert("x")</script> resolve'))
    assert status == 200
    assert "<script>" not in page and "&lt;script&gt;" in page
    status, page = get(conn, "/", "q=resolve")
    assert 'data-action="resolve-issue" data-approval="require_approval"' in page
    assert 'href="integrations/sentry/sentry-api"' in page
    assert '<tr data-integration="sentry/sentry-api">' in page
    status, page = get(conn, "/integrations/sentry/sentry-api")
    assert status == 200
    assert 'data-action="resolve-issue" data-approval="require_approval"' in page
    assert 'href="../../api/manifests/sentry/sentry-api"' in page and 'href="../../"' in page
    assert respond(conn, "GET", "/integrations/sentry/nope").status == 404
    assert respond(conn, "GET", "/integrations/sentry/sentry-api", "x=1").status == 400
    answer = respond(conn, "GET", "/")
    assert "default-src 'none'" in dict(answer.headers)["content-security-policy"]
