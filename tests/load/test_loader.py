"""The strict JSON loader: a corpus of malformed manifests, parser unit tests, round trips.

Corpus: every file in ``tests/cases/malformed/`` is one case, and ``EXPECTED.json`` there maps
its name to the finding it must give: ``{"line": L, "column": C, "contains": "..."}`` (rule
``json-syntax`` unless ``"rule"`` says otherwise), or ``{"findings": [...]}`` for several.
Adding a case is adding a file and its entry; a file without an entry (or the reverse) fails.
The files are byte-exact (BOM, invalid UTF-8, UTF-16, CR line endings); the directory's
``.gitattributes`` stops git from converting their line endings.

hypothesis is not installed in this project, so the round-trip property test below draws its
random JSON values from a seeded ``random.Random`` instead (reproducible, no new dependency).
"""

from __future__ import annotations

import json
import math
import os
import random
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from hubtool import cli
from hubtool.core.findings import ERROR
from hubtool.load.strict import (
    MAX_BYTES,
    MAX_NUMBER_CHARS,
    Document,
    LoadError,
    decode,
    load,
    parse,
)
from hubtool.validate.pipeline import validate

CASES = Path(__file__).resolve().parents[1] / "cases" / "malformed"
INDEX = CASES / "EXPECTED.json"
EXPECTED: dict[str, dict[str, Any]] = json.loads(INDEX.read_text(encoding="utf-8"))
CASE_FILES = sorted(
    p.name for p in CASES.iterdir() if p.is_file() and p != INDEX and not p.name.startswith(".")
)
ENTRY_KEYS = {"line", "column", "contains", "rule"}


def expected_findings(name: str) -> list[dict[str, Any]]:
    entry = EXPECTED[name]
    return entry.get("findings", [entry])


def run_cli(*args: str, cwd: Path = CASES) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "hubtool", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
    )


def line_col(text: str, offset: int) -> tuple[int, int]:
    """Independent of the loader: \\r\\n, \\r and \\n end a line; columns count characters."""
    line, start, i = 1, 0, 0
    while i < offset:
        step = 2 if text.startswith("\r\n", i) else 1
        if text[i] in "\r\n":
            line, start = line + 1, i + step
        i += step
    return line, offset - start + 1


# --- the corpus ------------------------------------------------------------------------------


def test_corpus_files_and_index_agree() -> None:
    assert set(CASE_FILES) == set(EXPECTED), "every case file needs an EXPECTED.json entry"
    for name in CASE_FILES:
        for finding in expected_findings(name):
            assert set(finding) - ENTRY_KEYS == set(), f"{name}: unknown keys in EXPECTED.json"
            assert {"line", "column", "contains"} <= set(finding), name
            assert finding["contains"], f"{name}: 'contains' must not be empty"


@pytest.mark.parametrize("name", CASE_FILES)
def test_corpus_case_validate(name: str) -> None:
    report = validate([CASES / name])
    want = expected_findings(name)
    got = [(f.rule, f.severity, f.line, f.column, f.message) for f in report.findings]
    assert len(got) == len(want), got
    for finding, expected in zip(report.findings, want, strict=True):
        assert finding.rule == expected.get("rule", "json-syntax"), got
        assert finding.severity == ERROR
        assert (finding.line, finding.column) == (expected["line"], expected["column"]), got
        assert expected["contains"] in finding.message
        assert "\n" not in finding.message and "\r" not in finding.message


@pytest.mark.parametrize("name", CASE_FILES)
def test_corpus_case_cli(name: str) -> None:
    result = run_cli("validate", name)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert "internal error" not in result.stderr
    lines = result.stdout.splitlines()
    for expected in expected_findings(name):
        rule = expected.get("rule", "json-syntax")
        prefix = f"{name}:{expected['line']}:{expected['column']}: error {rule} "
        matching = [line for line in lines if line.startswith(prefix)]
        assert len(matching) == 1, result.stdout
        assert expected["contains"] in matching[0]


def test_top_level_array_parses_and_is_a_schema_problem() -> None:
    doc = load(CASES / "top-level-array.json")
    assert isinstance(doc, Document)
    assert doc.data == [{"slug": "acme-api"}]
    rules = {f.rule for f in validate([CASES / "top-level-array.json"]).findings}
    assert rules == {"schema"}


def test_whole_corpus_in_one_run_reports_every_case() -> None:
    result = run_cli("validate", ".")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    for name in CASE_FILES:
        for expected in expected_findings(name):
            where = f"{name}:{expected['line']}:{expected['column']}: error "
            assert where in result.stdout, name


# --- the size cap (generated, not committed) -------------------------------------------------


def test_file_over_the_size_cap(tmp_path: Path) -> None:
    path = tmp_path / "big.json"
    path.write_text('{"description": "' + "x" * 200 + '"}', encoding="utf-8")
    report = validate([path], max_bytes=100)
    assert [(f.rule, f.severity, f.line, f.column) for f in report.findings] == [
        ("json-syntax", ERROR, 1, 1)
    ]
    assert "larger than the 100-byte limit" in report.findings[0].message

    result = run_cli("validate", "--max-bytes", "100", "big.json", cwd=tmp_path)
    assert result.returncode == 1
    assert "big.json:1:1: error json-syntax the file is larger than the 100-byte limit" in (
        result.stdout
    )
    assert "Traceback" not in result.stderr


def test_default_size_cap_is_exact(tmp_path: Path) -> None:
    body = b'{"slug": "acme-api"}'
    at_limit = tmp_path / "at-limit.json"
    at_limit.write_bytes(body + b" " * (MAX_BYTES - len(body)))
    assert isinstance(load(at_limit), Document)
    over = tmp_path / "over.json"
    over.write_bytes(body + b" " * (MAX_BYTES + 1 - len(body)))
    errors = load(over)
    assert isinstance(errors, list)
    assert [(e.line, e.column) for e in errors] == [(1, 1)]
    assert f"{MAX_BYTES}-byte limit" in errors[0].message


# --- runs that cannot complete: exit 2 ---------------------------------------------------------


def test_missing_path_exits_2(tmp_path: Path) -> None:
    result = run_cli("validate", "nope.json", cwd=tmp_path)
    assert result.returncode == 2
    assert "nope.json: no such file or directory" in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_unreadable_file_exits_2(tmp_path: Path) -> None:
    path = tmp_path / "secret.json"
    path.write_text("{}", encoding="utf-8")
    path.chmod(0)
    try:
        try:
            path.read_bytes()
        except PermissionError:
            pass
        else:
            pytest.skip("chmod 000 does not stop this user reading files (running as root?)")
        result = run_cli("validate", "secret.json", cwd=tmp_path)
    finally:
        path.chmod(0o600)
    assert result.returncode == 2
    assert "secret.json: cannot read" in result.stderr
    assert "Traceback" not in result.stderr


def test_read_error_exits_2_even_as_root(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The same path as above, with the read failure simulated (root can read anything)."""
    path = tmp_path / "secret.json"
    path.write_text("{}", encoding="utf-8")
    real_open = os.open

    def deny(name: Any, *args: Any, **kwargs: Any) -> Any:
        if Path(name).name == "secret.json":
            raise PermissionError(13, "Permission denied", str(name))
        return real_open(name, *args, **kwargs)

    monkeypatch.setattr(os, "open", deny)  # hubtool opens manifests with os.open (O_NOFOLLOW)
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["validate", str(path)])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert "cannot read: Permission denied" in err
    assert "Traceback" not in err


# --- parse: positions, pointers, values --------------------------------------------------------

NESTED = """{
  "publisher": {"slug": "acme", "name": "Acme"},
  "tags": [
    "acme",
    {"deep": [1, 2, [true, null]]}
  ],
  "empty": {},
  "none": []
}
"""


def parsed(text: str) -> Document:
    doc = parse(text)
    assert isinstance(doc, Document), doc
    return doc


def test_positions_of_nested_values_and_keys() -> None:
    doc = parsed(NESTED)
    assert doc.position("") == (1, 1)
    assert doc.position("/publisher") == (2, 16)
    assert doc.position("/publisher", at_key=True) == (2, 3)
    assert doc.position("/publisher/name") == (2, 41)
    assert doc.position("/publisher/name", at_key=True) == (2, 33)
    assert doc.position("/tags") == (3, 11)
    assert doc.position("/tags/0") == (4, 5)
    assert doc.position("/tags/1") == (5, 5)
    assert doc.position("/tags/1/deep", at_key=True) == (5, 6)
    assert doc.position("/tags/1/deep/2") == (5, 21)
    assert doc.position("/tags/1/deep/2/0") == (5, 22)
    assert doc.position("/tags/1/deep/2/1") == (5, 28)
    assert doc.position("/empty") == (7, 12)
    assert doc.position("/none") == (8, 11)


def test_position_falls_back_to_the_nearest_parent() -> None:
    doc = parsed(NESTED)
    assert doc.position("/publisher/missing") == doc.position("/publisher")
    assert doc.position("/tags/9/x") == doc.position("/tags")
    assert doc.position("/nothing/at/all") == (1, 1)
    # an array element has no key: at_key gives the value's position
    assert doc.position("/tags/0", at_key=True) == doc.position("/tags/0")
    # a malformed pointer (no leading '/') ends at the root instead of looping forever
    assert doc.position("publisher") == (1, 1)


def test_positions_with_crlf_cr_and_non_ascii() -> None:
    for newline in ("\n", "\r\n", "\r"):
        text = newline.join(['{"a": "é🚀",', '"b": [', '  "☕", 2]}'])
        doc = parsed(text)
        assert doc.position("/a") == (1, 7)
        assert doc.position("/b", at_key=True) == (2, 1)
        assert doc.position("/b/0") == (3, 3)
        assert doc.position("/b/1") == (3, 8)


def test_keys_are_escaped_in_pointers() -> None:
    text = '{"a/b": 1, "m~n": {"~1": 2}, "": 3, "x\\/y": 4, "\\u00e9": 5}'
    doc = parsed(text)
    assert doc.data == {"a/b": 1, "m~n": {"~1": 2}, "": 3, "x/y": 4, "é": 5}
    assert doc.position("/a~1b", at_key=True) == (1, 2)
    assert doc.position("/a~1b") == (1, 9)
    assert doc.position("/m~0n/~01") == (1, 26)
    assert doc.position("/", at_key=True) == (1, 30)
    assert doc.position("/x~1y") == (1, 45)
    assert doc.position("/é") == (1, 58)
    assert set(doc.values) == {"", "/a~1b", "/m~0n", "/m~0n/~01", "/", "/x~1y", "/é"}
    assert set(doc.keys) == set(doc.values) - {""}


def test_numbers_keep_their_type() -> None:
    doc = parsed("[0, -0, 7, -12, 1.0, 1e2, 1E-2, -0.0, 2.5e+3, " + "9" * MAX_NUMBER_CHARS + "]")
    values = doc.data
    assert values[:4] == [0, 0, 7, -12]
    assert all(type(v) is int for v in values[:4])
    assert values[4:9] == [1.0, 100.0, 0.01, 0.0, 2500.0]
    assert all(type(v) is float for v in values[4:9])
    assert math.copysign(1, values[7]) == -1
    assert values[9] == int("9" * MAX_NUMBER_CHARS)
    assert parsed("[true, false, null]").data == [True, False, None]


def test_string_escapes() -> None:
    doc = parsed(r'["\"\\\/\b\f\n\r\t", "\u00e9\u20ac", "\ud83d\ude80", "\uD83D\uDE80"]')
    assert doc.data == ['"\\/\b\f\n\r\t', "é€", "🚀", "🚀"]


def test_errors_carry_position_and_pointer() -> None:
    errors = parse('{\n  "a": {"b": [1, NaN]}\n}')
    assert errors == [
        LoadError("NaN is not valid JSON; use a finite number or null", 2, 18, "/a/b/1")
    ]


def test_all_duplicates_are_reported_in_order() -> None:
    errors = parse('{"a": 1, "b": {"c": 1, "c": 2}, "a": 3}')
    assert isinstance(errors, list)
    assert [(e.line, e.column, e.pointer) for e in errors] == [(1, 24, "/b/c"), (1, 33, "/a")]
    assert "(first at 1:16)" in errors[0].message
    assert "(first at 1:2)" in errors[1].message


def test_duplicate_key_text_that_looks_like_an_offset_is_not_rewritten() -> None:
    errors = parse('{"(first at offset 0)": 1, "(first at offset 0)": 2}')
    assert isinstance(errors, list)
    assert errors[0].message.startswith("duplicate key '(first at offset 0)' (first at 1:2)")


def test_max_depth_is_a_parameter() -> None:
    assert isinstance(parse("[[[1]]]", max_depth=3), Document)
    errors = parse("[[[1]]]", max_depth=2)
    assert isinstance(errors, list)
    assert [(e.line, e.column) for e in errors] == [(1, 3)]


def test_decode() -> None:
    assert decode(b"{}") == "{}"
    assert decode('"é"'.encode()) == '"é"'
    bom = decode(b"\xef\xbb\xbf{}")
    assert isinstance(bom, LoadError)
    assert (bom.line, bom.column) == (1, 1)
    bad = decode('{\r\n"é€🚀'.encode() + b"\xc3(")
    assert isinstance(bad, LoadError)
    assert (bad.line, bad.column) == (2, 5)
    assert "0xc3" in bad.message
    # UTF-8 encoded surrogates are not UTF-8
    assert isinstance(decode(b'"\xed\xa0\x80"'), LoadError)


# --- round trip: random JSON values --------------------------------------------------------------

ALPHABET = [
    *"abcxyz019 _-",
    '"',
    "\\",
    "/",
    "~",
    "\n",
    "\r",
    "\t",
    "\x00",
    "\x1f",
    "\x7f",
    "é",
    "€",
    "\u2028",
    "\ufeff",
    "🚀",
    "\U0010ffff",
]


def random_string(rng: random.Random) -> str:
    return "".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 8)))


def random_number(rng: random.Random) -> int | float:
    kind = rng.randrange(5)
    if kind == 0:
        return rng.randint(-1000, 1000)
    if kind == 1:
        return rng.randint(-(10**40), 10**40)
    if kind == 2:
        return rng.uniform(-1e6, 1e6)
    if kind == 3:
        return rng.choice([0.0, -0.0, 5e-324, 1.7976931348623157e308, -2.5e-300, 1e16, 0.1])
    return rng.random() * 10 ** rng.randint(-30, 30)


def random_value(rng: random.Random, depth: int = 0) -> Any:
    kind = rng.randrange(7 if depth < 6 else 5)
    if kind == 0:
        return rng.choice([True, False, None])
    if kind in (1, 2):
        return random_number(rng)
    if kind in (3, 4):
        return random_string(rng)
    if kind == 5:
        return [random_value(rng, depth + 1) for _ in range(rng.randint(0, 4))]
    return {random_string(rng): random_value(rng, depth + 1) for _ in range(rng.randint(0, 4))}


def same(a: Any, b: Any) -> bool:
    """Equal, with equal types all the way down (1 != 1.0, 0.0 != -0.0 here)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, float):
        return repr(a) == repr(b)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    return a == b


def members(value: Any, pointer: str = "") -> dict[str, tuple[Any, str | None]]:
    """pointer -> (value, key or None) for every value in ``value``, escaped by RFC 6901."""
    found: dict[str, tuple[Any, str | None]] = {pointer: (value, None)}
    if isinstance(value, dict):
        for key, child in value.items():
            token = key.replace("~", "~0").replace("/", "~1")
            found.update(members(child, f"{pointer}/{token}"))
            found[f"{pointer}/{token}"] = (child, key)
    elif isinstance(value, list):
        for index, child in enumerate(value):
            found.update(members(child, f"{pointer}/{index}"))
    return found


def serialisations(value: Any) -> list[str]:
    return [
        json.dumps(value),
        json.dumps(value, ensure_ascii=False, separators=(",", ":")),
        json.dumps(value, ensure_ascii=False, indent=2),
        json.dumps(value, indent="\t", separators=(" , ", " : ")).replace("\n", "\r\n"),
    ]


@pytest.mark.parametrize("seed", range(20))
def test_round_trip_and_positions_of_random_values(seed: int) -> None:
    rng = random.Random(seed)
    decoder = json.JSONDecoder()
    for _ in range(25):
        value = random_value(rng)
        expected = members(value)
        for text in serialisations(value):
            doc = parsed(text)
            assert same(doc.data, value), text
            assert set(doc.values) == set(expected)
            assert set(doc.keys) == {p for p, (_, key) in expected.items() if key is not None}
            for pointer, (child, key) in expected.items():
                offset = doc.values[pointer]
                # the recorded offset is the first character of that value's JSON text
                assert same(decoder.raw_decode(text, offset)[0], child), (text, pointer)
                assert doc.position(pointer) == line_col(text, offset)
                if key is not None:
                    key_offset = doc.keys[pointer]
                    assert decoder.raw_decode(text, key_offset)[0] == key
                    assert doc.position(pointer, at_key=True) == line_col(text, key_offset)


def test_no_stray_files_in_corpus_directory() -> None:
    allowed = {*CASE_FILES, INDEX.name, ".gitattributes"}
    assert {p.name for p in CASES.iterdir()} <= allowed
    assert not [p for p in CASES.iterdir() if p.is_dir()]
    assert os.path.getsize(CASES / "empty-file.json") == 0


def test_a_file_swapped_for_a_link_or_fifo_after_discovery_is_never_read(tmp_path: Path) -> None:
    """Discovery checks names; ``load`` checks what it opens (no link followed, no FIFO
    waited on): a file replaced between the two is an OSError, not the link's target."""
    target = tmp_path / "elsewhere.json"
    target.write_text('{"read": "through the link"}', encoding="utf-8")
    link = tmp_path / "swapped.json"
    link.symlink_to(target)
    fifo = tmp_path / "fifo.json"
    os.mkfifo(fifo)
    for path in (link, fifo):
        with pytest.raises(OSError):
            load(path)


def test_read_up_to_reads_what_a_read_of_the_cap_reads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Sized by the file's size now; a file that grew after the size was taken is read on,
    up to one byte past the cap (the reference: one read of ``max_bytes + 1``)."""
    from hubtool.load import strict

    path = tmp_path / "m.json"
    sizes = (0, 1, 9, 10, 11, 50)
    two_bytes = os.stat_result((stat.S_IFREG | 0o644, 0, 0, 0, 0, 0, 2, 0, 0, 0))
    for stale in (False, True):
        if stale:  # every file looks 2 bytes long: as if it grew since
            monkeypatch.setattr(strict.os, "fstat", lambda fd: two_bytes)
        for size in sizes:
            path.write_bytes(bytes(range(size)))
            with strict.open_regular(path) as handle:
                got = strict.read_up_to(handle, 10)
            assert got == bytes(range(size))[:11]
