"""``validate --catalog-context`` (the pre-commit hook's mode): the files given, checked with the
whole catalog as context, reported alone.

The reference is a run of the whole catalog: for the files given, the context run's findings are
exactly its findings (a differential test over generated catalogs). The prefilter that spares
parsing the other manifests (``may_hold``) is checked never to miss a string, however written.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import fuzzkit  # noqa: F401  (loads the Hypothesis profile: derandomized under make test)
from conftest import run_cli
from gitrepo import another_publisher, catalog_path, loosen_approval, sentry, write
from hypothesis import given, settings
from hypothesis import strategies as st

from hubtool.load.discover import display
from hubtool.load.strict import parse
from hubtool.validate.context import MAX_PREFILTERED_SLUGS, may_hold
from hubtool.validate.pipeline import validate

SENTRY_PATH = catalog_path("sentry", "sentry-api")
TWIN = catalog_path("acme", "sentry-api")
CATALOG = "apps/hub/catalog"


def findings_json(root: Path, *args: str) -> tuple[int, list[dict]]:
    result = run_cli("validate", "--format", "json", *args, cwd=root)
    assert result.returncode in (0, 1), result.stderr
    return result.returncode, json.loads(result.stdout)["findings"]


def test_a_reused_slug_is_found_only_with_the_catalog_as_context(tmp_path: Path) -> None:
    write(tmp_path, sentry(), SENTRY_PATH)
    write(tmp_path, another_publisher(sentry(), "acme"), TWIN)
    alone, _ = findings_json(tmp_path, TWIN)
    assert alone == 0
    code, found = findings_json(tmp_path, "--catalog-context", TWIN)
    assert code == 1
    _, whole = findings_json(tmp_path)
    assert found == [f for f in whole if f["file"] == TWIN]
    assert [(f["rule"], f["pointer"]) for f in found] == [("unique-slugs", "/slug")]
    assert f"is also used by {SENTRY_PATH};" in found[0]["message"]
    assert (found[0]["line"], found[0]["column"]) == (4, 11)


def test_the_other_files_are_context_never_reported(tmp_path: Path) -> None:
    write(tmp_path, sentry(), SENTRY_PATH)
    loose = another_publisher(sentry(), "loose", "loose-api")
    loosen_approval(loose)
    write(tmp_path, loose, catalog_path("loose", "loose-api"))
    for publisher in ("one", "two"):  # two other manifests sharing a slug
        write(
            tmp_path,
            another_publisher(sentry(), publisher, "shared"),
            catalog_path(publisher, "shared"),
        )
    broken = tmp_path / catalog_path("broken", "broken-api")
    broken.parent.mkdir(parents=True)
    broken.write_text('{"slug": "sentry-api", "slug": ', encoding="utf-8")
    link = tmp_path / catalog_path("linked", "sentry-api")
    link.parent.mkdir(parents=True)
    os.symlink(tmp_path / SENTRY_PATH, link)
    result = run_cli("validate", "--catalog-context", SENTRY_PATH, cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == "1 file checked: no findings\n"
    whole = run_cli("validate", cwd=tmp_path)
    assert whole.returncode == 1 and "broken-api.json" in whole.stdout  # what was left out


def test_no_catalog_is_exit_2(tmp_path: Path) -> None:
    manifest = write(tmp_path, sentry(), "sentry-api.json")
    result = run_cli("validate", "--catalog-context", str(manifest), cwd=tmp_path)
    assert result.returncode == 2
    assert "--catalog-context: no catalog found" in result.stderr
    assert "Traceback" not in result.stderr


# --- the differential test and the prefilter --------------------------------------------------

SLUGS = ["a", "b", "a/b", 'q"x', "é-z", "x\\y", "tab\there", "\u2028", "\U0001f600"]
SHORT = {'"': '\\"', "\\": "\\\\", "/": "\\/", "\b": "\\b", "\f": "\\f", "\n": "\\n"}
SHORT |= {"\r": "\\r", "\t": "\\t"}


def literal(text: str, modes: list[int]) -> str:
    """``text`` as a JSON string literal, each character written as ``modes`` say: 0 as it is
    (where JSON allows), 1 as ``\\uXXXX`` (a surrogate pair beyond the BMP), 2 as its short
    escape where it has one."""
    out = ['"']
    for index, char in enumerate(text):
        mode = modes[index % len(modes)] if modes else 0
        must = char in '"\\' or ord(char) < 0x20
        if mode == 2 and char in SHORT:
            out.append(SHORT[char])
        elif mode == 1 or (must and char not in SHORT):
            out.append(json.dumps(char, ensure_ascii=True)[1:-1])
        else:
            out.append(SHORT[char] if must else char)
    return "".join(out) + '"'


@st.composite
def written_strings(draw: st.DrawFn) -> tuple[list[str], bytes]:
    """Strings, and a JSON text holding each of them (as ``slug`` and in a list), however
    written."""
    strings = draw(st.lists(st.one_of(st.sampled_from(SLUGS), st.text(max_size=8)), max_size=4))
    modes = draw(st.lists(st.integers(0, 2), max_size=6))
    first = strings[0] if strings else "s"
    items = ", ".join(literal(s, modes) for s in strings)
    text = f'{{"slug": {literal(first, modes)}, "more": [{items}]}}'
    return strings, text.encode("utf-8")


@settings(max_examples=300)
@given(written=written_strings())
def test_the_prefilter_never_misses_a_string(written: tuple[list[str], bytes]) -> None:
    strings, raw = written
    doc = parse(raw.decode("utf-8"))
    assert not isinstance(doc, list), doc
    assert doc.data["more"] == strings  # the text says what was meant
    for string in strings:
        assert may_hold(raw, {string})
        assert may_hold(raw, {string, "not-here"})


def test_the_prefilter_spares_what_it_can() -> None:
    raw = b'{"slug": "acme-api", "pattern": "^\\\\d+$"}'
    assert not may_hold(raw, {"sentry-api"})
    assert may_hold(raw, {"acme-api"})
    assert may_hold(b'{"slug": "acme\\u002dapi"}', {"sentry-api"})  # any \u escape: parse
    assert may_hold(raw, {"a/b"})  # a slug JSON may write with another escape: parse
    for pairs in (3, 40):  # few backslashes (each found) or many (the two-byte search)
        escaped = b"\\\\" * pairs
        assert may_hold(escaped + b'"\\u0061"', {"a"}) and not may_hold(escaped + b'"b"', {"a"})
        assert may_hold(escaped + b"u", {"a"})  # an escaped backslash, then u: parsed too
    many = {f"s{i}" for i in range(MAX_PREFILTERED_SLUGS + 1)}
    assert may_hold(raw, many) and not may_hold(raw, set(list(many)[:MAX_PREFILTERED_SLUGS]))


@st.composite
def catalogs(draw: st.DrawFn) -> tuple[list[tuple[str, bytes]], list[int]]:
    """Catalog files (relative path, bytes) with colliding slugs written in every way, some
    broken, and the indexes of the files a run checks."""
    count = draw(st.integers(2, 6))
    files = []
    for index in range(count):
        slug = draw(st.sampled_from(SLUGS))
        modes = draw(st.lists(st.integers(0, 2), max_size=4))
        body = f'{{"slug": {literal(slug, modes)}, "publisher": {{"slug": "p{index}"}}}}'
        if draw(st.integers(0, 5)) == 0:
            body = body[: draw(st.integers(0, len(body) - 1))]  # cut short: does not parse
        files.append((f"{CATALOG}/integrations/p{index}/m{index}.json", body.encode("utf-8")))
    checked = draw(st.lists(st.integers(0, count - 1), min_size=1, max_size=count, unique=True))
    return files, checked


@settings(max_examples=40)
@given(catalog=catalogs())
def test_the_context_run_reports_what_the_whole_catalog_run_reports(
    catalog: tuple[list[tuple[str, bytes]], list[int]],
) -> None:
    files, checked = catalog
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        for relative, raw in files:
            (root / relative).parent.mkdir(parents=True, exist_ok=True)
            (root / relative).write_bytes(raw)
        given_paths = [root / files[i][0] for i in checked]
        names = {display(path) for path in given_paths}
        context_run = validate(given_paths, context=[root / CATALOG], jobs=1)
        whole_run = validate([root / CATALOG], jobs=1)
    assert context_run.findings == [f for f in whole_run.findings if f.file in names]
