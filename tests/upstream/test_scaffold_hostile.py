"""Hostile specs and paths against ``scaffold --list/--all/--into`` and ``hubtool new``: each test
is a regression for an input that once hung, grew quadratically or wrote where it should not.

Hang guards only (no timing assertions): each input is sized so that the quadratic version took
minutes and the linear one takes about a second.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from conftest import run_cli
from hypothesis import given, settings
from hypothesis import strategies as st

from hubtool.upstream.openapi import Operation, load_spec
from hubtool.upstream.scaffold.batch import scaffold_all
from hubtool.upstream.scaffold.listing import list_operations
from hubtool.upstream.scaffold.names import _LINK, bounded_slug, safe_text, strip_links
from hubtool.upstream.scaffold.slugs import _numbered, unique_slugs

_FILLERS = [
    "A",
    "All",
    "An",
    "And",
    "As",
    "By",
    "For",
    "From",
    "In",
    "Into",
    "Of",
    "On",
    "Or",
    "The",
    "To",
    "With",
]


def _op(method: str, path: str, operation_id: str) -> Operation:
    return Operation(method, path, operation_id, "", "", [], None, [])


def _spec(tmp_path: Path, paths: dict) -> Path:
    spec = {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "servers": [{"url": "https://api.example.com"}],
        "paths": paths,
    }
    path = tmp_path / "spec.json"
    path.write_text(json.dumps(spec), encoding="utf-8")
    return path


def _reference_numbered(slugs: list[str], taken: set[str]) -> list[str]:
    """``_numbered`` as first written (quadratic in the repeats of one slug): the reference."""
    used = set(taken)
    result = []
    for slug in slugs:
        unique, number = slug, 1
        while unique in used:
            number += 1
            suffix = f"-{number}"
            unique = bounded_slug([slug[: 64 - len(suffix)]]) + suffix
        used.add(unique)
        result.append(unique)
    return result


_SLUGS = st.sampled_from(["a", "a-2", "a-3", "b", "x" * 63, "x" * 62 + "-2", "y" * 64])


@settings(max_examples=300, deadline=None)
@given(st.lists(_SLUGS, max_size=40), st.sets(_SLUGS, max_size=4))
def test_numbering_matches_the_reference(slugs: list[str], taken: set[str]) -> None:
    """Differential: the linear numbering gives the reference's slugs, taken ones and slugs
    that look numbered (``a-2``) included."""
    assert _numbered(slugs, taken) == _reference_numbered(slugs, taken)


def test_many_operations_the_id_cannot_tell_apart_end() -> None:
    """20,000 operations whose paths and operationIds differ only in API versions and filler
    words all want ``list-things-get``: numbering them was quadratic (minutes)."""
    operations = []
    for index in range(20_000):
        words = [_FILLERS[(index >> shift) % 16] for shift in (0, 4, 8, 12)]
        operations.append(_op("get", f"/v{index}/things", "listThings" + "".join(words)))
    slugs = unique_slugs(operations)
    assert len(set(slugs)) == len(slugs) == 20_000
    assert "list-things-get-19606" in slugs


def test_an_operation_id_shared_by_thousands_is_one_short_reason(tmp_path: Path) -> None:
    """10,000 operations sharing one operationId: each refusal named every route (10,000 x
    10,000 routes, gigabytes); now the first five and a count."""
    paths = {
        f"/things/x{i}": {"get": {"operationId": "getThing", "responses": {"200": {}}}}
        for i in range(10_000)
    }
    spec = load_spec(_spec(tmp_path, paths))
    batch = scaffold_all(spec)
    assert not batch.scaffolded and len(batch.refused) == 10_000
    reason = batch.refused[-1].reason
    assert reason == (
        "operationId used by more than one operation (GET /things/x0, GET /things/x1, "
        "GET /things/x2, GET /things/x3, GET /things/x4 and 9995 more); correct the spec"
    )


def _scaffold_into(tmp_path: Path, into: str) -> subprocess.CompletedProcess[str]:
    spec = _spec(tmp_path, {"/things": {"get": {"operationId": "listThings", "responses": {}}}})
    return run_cli(
        "scaffold", "--openapi", str(spec), "--operation", "listThings", "--into", into,
        "--base-url", "https://api.example.com/", cwd=tmp_path,
    )  # fmt: skip


def test_into_never_writes_through_a_linked_publisher_directory(tmp_path: Path) -> None:
    """A catalog's publisher directory linked out of the tree: ``hubtool new`` refused it but
    ``scaffold --into`` created the manifest at the link's target."""
    outside = tmp_path / "outside"
    outside.mkdir()
    integrations = tmp_path / "apps/hub/catalog/integrations"
    integrations.mkdir(parents=True)
    (integrations / "acme").symlink_to(outside)
    for into in ("apps/hub/catalog/integrations/acme/acme-api.json",
                 str(integrations / "acme/acme-api.json")):  # fmt: skip
        result = _scaffold_into(tmp_path, into)
        assert result.returncode == 2, result.stderr
        assert "acme: is a symbolic link; scaffold --into never writes through a link" in (
            result.stderr
        )
        assert "Traceback" not in result.stderr
    assert list(outside.iterdir()) == []


def test_into_refuses_a_link_and_a_directory_link_on_a_relative_path(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (tmp_path / "linked").symlink_to(outside)
    (tmp_path / "dangling.json").symlink_to(outside / "missing.json")
    for into, shown in [
        ("linked/new.json", "linked: is a symbolic link"),
        ("linked/../escape.json", "linked: is a symbolic link"),
        ("dangling.json", "dangling.json: is a symbolic link; scaffold never writes through"),
    ]:
        result = _scaffold_into(tmp_path, into)
        assert result.returncode == 2 and shown in result.stderr, (into, result.stderr)
    assert list(outside.iterdir()) == []
    assert not (tmp_path / "escape.json").exists()


def test_into_creates_no_directory_with_an_invisible_name(tmp_path: Path) -> None:
    result = _scaffold_into(tmp_path, "new\u202e/x\x1b/acme-api.json")
    assert result.returncode == 2
    assert "the name 'x\\x1b' holds control or invisible characters" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["spec.json"]


def test_a_reader_leaving_mid_document_exits_2_silently(tmp_path: Path) -> None:
    """``scaffold --list --format json | head -c 1``: the document (over a pipe's 64 KiB) was
    cut short by the reader and the short write went unnoticed (exit 0, output truncated)."""
    paths = {
        f"/things{i}": {"get": {"operationId": f"listThings{i}", "responses": {}}}
        for i in range(3_000)
    }
    spec = _spec(tmp_path, paths)
    command = [sys.executable, "-m", "hubtool", "scaffold", "--openapi", str(spec), "--list"]
    process = subprocess.Popen(
        [*command, "--format", "json"], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.read(1)  # the writer is inside its one large write now
    process.stdout.close()
    stderr = process.stderr.read()
    assert process.wait(timeout=120) == 2
    assert stderr == b""


@settings(max_examples=500, deadline=None)
@given(st.text(st.sampled_from(list("[]() \tab)")), max_size=40))
def test_strip_links_matches_the_regex(text: str) -> None:
    """Differential: the linear link stripper against the regex it replaces."""
    assert strip_links(text) == _LINK.sub(r"\1", text)


def test_a_description_of_unclosed_links_is_summarised(tmp_path: Path) -> None:
    """A 300,000-character description of ``[`` then ``](`` and no ``)``: the link regex
    rescanned the rest of the text from every ``[`` (hours); now one pass."""
    hostile = "[" * 300_000 + "](" + "a" * 300_000
    paths = {
        "/d": {"get": {"operationId": "getD", "description": hostile, "responses": {}}},
        "/e": {"get": {"operationId": "getE", "summary": "[a](b" * 60_000, "responses": {}}},
    }
    spec = load_spec(_spec(tmp_path, paths))
    listed = list_operations(spec)
    assert [row.summary for row in listed] == ["[" * 97 + "...", ("[a](b" * 20)[:97] + "..."]
    assert len(scaffold_all(spec).scaffolded) == 2


def test_a_file_where_a_directory_goes_is_named(tmp_path: Path) -> None:
    """``hubtool new`` with a file in the publisher directory's place said the manifest
    "already exists"; ``--into`` said it "appeared meanwhile". Now the file is named."""
    integrations = tmp_path / "apps/hub/catalog/integrations"
    integrations.mkdir(parents=True)
    (integrations / "acme").write_text("", encoding="utf-8")
    result = run_cli("new", "acme/acme-api", "--base-url", "https://api.acme.com/", cwd=tmp_path)
    assert result.returncode == 2
    assert "integrations/acme is not a directory; nothing written" in result.stderr
    result = _scaffold_into(tmp_path, "apps/hub/catalog/integrations/acme/acme-api.json")
    assert result.returncode == 2
    assert "integrations/acme is not a directory; nothing written" in result.stderr


def test_a_credential_in_an_operation_id_never_qualifies_a_slug() -> None:
    """Colliding slugs took the operationId's words: an id ending in an AWS key id gave
    ``list-things-akiaz-7-q-3-...``, the key in pieces, in the manifest and the output."""
    key = "AKIAZ7Q3XK2M4N5P6R8T"
    operations = [_op("get", "/things", "listThings"), _op("get", "/v2/things", f"listThings{key}")]
    slugs = unique_slugs(operations)
    assert slugs == ["list-things-get", "list-things-get-2"]
    assert not any("akia" in slug for slug in slugs)


def test_a_token_cut_by_the_summary_limit_never_shows_its_head(tmp_path: Path) -> None:
    """A summary that is one long word ending in a token: the cut at 100 characters kept the
    token's first 23 characters, which no longer look like a token."""
    token = "ghp_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8"
    summary = "x" * 70 + token + " more words"
    paths = {"/c": {"get": {"operationId": "getC", "summary": summary, "responses": {}}}}
    spec = load_spec(_spec(tmp_path, paths))
    assert safe_text(summary, 100) is None
    assert list_operations(spec)[0].summary == ""
    (scaffolded,) = scaffold_all(spec).scaffolded
    assert "ghp_" not in json.dumps(scaffolded.action)
    assert safe_text("x" * 120 + " words", 100) == "x" * 97 + "..."


def _bounded_run(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    """``hubtool ARGS`` with its address space capped at 2 GiB: an unbounded read fails in the
    child (MemoryError, a kill), never on the shared machine."""
    import resource

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))

    return subprocess.run(
        [sys.executable, "-m", "hubtool", *args],
        input=stdin,
        capture_output=True,
        preexec_fn=cap,
        timeout=120,
    )


def test_an_endless_spec_or_input_is_refused_at_the_byte_cap(tmp_path: Path) -> None:
    """``/dev/zero`` as the spec of scaffold and check-upstream, or as render's input (a file or
    standard input), stops at a cap: exit 2 naming it, not a read until memory runs out."""
    runs = [
        _bounded_run("scaffold", "--openapi", "/dev/zero", "--list"),
        _bounded_run("check-upstream", "sentry", "--openapi", "/dev/zero"),
        _bounded_run("render", "sentry", "list-issues", "--input", "/dev/zero"),
        _bounded_run("render", "sentry", "list-issues", "--input", "-", stdin=b" " * (9 << 20)),
    ]
    for result in runs:
        stderr = result.stderr.decode("utf-8", "replace")
        assert result.returncode == 2, (result.args, stderr[-500:])
        assert "bytes" in stderr and "Traceback" not in stderr, stderr[-500:]
