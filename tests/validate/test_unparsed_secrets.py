"""A manifest that does not parse is still scanned for credentials: ``no-secret-values`` over its
lines as written, beside its ``json-syntax`` findings, at the credential's line and column, and
the credential is never printed in any format (files, standard input, every catalog manifest
broken)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, SENTRY, run_cli

from hubtool.validate.rules.secrets import UNPARSED

# Built at run time so no credential-shaped literal sits in the repository.
TOKEN = "sntrys_" + "eyJpYXQiOjE3MDAwMDAwMDB9" + "_EXAMPLEexampleEXAMPLE0123"
FORMATS = ("text", "json", "sarif", "github")


def planted(text: str, prefix: str = "Bearer ") -> tuple[str, int, int]:
    """The Sentry manifest's text with the token in a new member before ``"version"``; the
    token's 1-based line and column."""
    member = f'"note": "{prefix}{TOKEN}",\n  '
    at = text.index('"version"')
    new = text[:at] + member + text[at:]
    offset = at + len('"note": "') + len(prefix)
    line = new.count("\n", 0, offset) + 1
    column = offset - (new.rfind("\n", 0, offset) + 1) + 1
    return new, line, column


def findings(path: Path) -> list[dict[str, object]]:
    result = run_cli("validate", "--format", "json", str(path))
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    return json.loads(result.stdout)["findings"]


def assert_never_printed(path: Path) -> None:
    for fmt in FORMATS:
        result = run_cli("validate", "--format", fmt, str(path))
        assert result.returncode == 1, (fmt, result.stderr)
        assert TOKEN not in result.stdout + result.stderr, fmt
        assert TOKEN[7:30] not in result.stdout + result.stderr, fmt


def _truncated(text: str) -> str:
    return text.rstrip().rstrip("}")


def _duplicate_key(text: str) -> str:
    return text.replace('"version"', '"version": "0.1.0", "version"', 1)


def _invalid_byte(text: str) -> str:
    return text.replace('"Sentry', '"Sen\udcfftry', 1)


def _utf8(text: str) -> bytes:
    return text.encode("utf-8", "surrogateescape")


@pytest.mark.parametrize(
    ("breakage", "encode", "syntax"),
    [
        (_truncated, _utf8, "end of file"),
        (_duplicate_key, _utf8, "duplicate key"),
        (_invalid_byte, _utf8, "UTF-8"),
        (str, lambda text: b"\xef\xbb\xbf" + _utf8(text), "byte order mark"),
        (str, lambda text: text.encode("utf-16"), "UTF-16"),
        (str, lambda text: text.encode("utf-16-le"), "UTF-16"),
        (str, lambda text: text.encode("utf-16-be"), "UTF-16"),
    ],
)
def test_a_credential_in_a_file_that_does_not_parse_is_reported_at_its_place(
    tmp_path: Path, breakage, encode, syntax: str
) -> None:
    text, line, column = planted(SENTRY.read_text(encoding="utf-8"))
    path = tmp_path / "broken.json"
    path.write_bytes(encode(breakage(text)))
    found = findings(path)
    rules = [f["rule"] for f in found]
    assert "json-syntax" in rules and rules.count("no-secret-values") == 1, found
    assert any(syntax in str(f["message"]) for f in found if f["rule"] == "json-syntax")
    (secret,) = [f for f in found if f["rule"] == "no-secret-values"]
    assert (secret["line"], secret["column"], secret["pointer"]) == (line, column, "")
    assert str(secret["message"]).startswith(UNPARSED)
    assert "Sentry org auth token" in str(secret["message"])
    assert_never_printed(path)


def test_standard_input_that_does_not_parse_is_scanned_too() -> None:
    text, line, column = planted(SENTRY.read_text(encoding="utf-8"))
    result = subprocess.run(
        [sys.executable, "-m", "hubtool", "validate", "--format", "json", "-"],
        input=_truncated(text),
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
        check=False,
    )
    assert result.returncode == 1, result.stderr
    assert TOKEN not in result.stdout + result.stderr
    found = json.loads(result.stdout)["findings"]
    secrets = [(f["line"], f["column"]) for f in found if f["rule"] == "no-secret-values"]
    assert secrets == [(line, column)]


def test_broken_catalog_manifests_hold_no_credential(tmp_path: Path) -> None:
    """No false alarm: each catalog manifest cut short gives its json-syntax finding only."""
    manifests = sorted((REPO / "apps/hub/catalog").rglob("*.json"))
    assert len(manifests) >= 5
    for index, manifest in enumerate(manifests):
        text = manifest.read_text(encoding="utf-8")
        (tmp_path / f"m{index}.json").write_text(text[: len(text) * 2 // 3], encoding="utf-8")
    result = run_cli("validate", "--format", "json", str(tmp_path))
    assert result.returncode == 1, result.stderr
    rules = {f["rule"] for f in json.loads(result.stdout)["findings"]}
    assert rules == {"json-syntax"}


def test_a_file_over_the_byte_cap_is_refused_unscanned(tmp_path: Path) -> None:
    text, _, _ = planted(SENTRY.read_text(encoding="utf-8"))
    path = tmp_path / "big.json"
    path.write_text(text, encoding="utf-8")
    result = run_cli("validate", "--format", "json", "--max-bytes", "1000", str(path))
    assert result.returncode == 1, result.stderr
    found = json.loads(result.stdout)["findings"]
    assert [f["rule"] for f in found] == ["json-syntax"]
    assert "limit" in found[0]["message"]


def test_a_parsed_manifest_is_not_scanned_line_by_line(tmp_path: Path) -> None:
    """The line scan is for text that does not parse: a parsed manifest's credential keeps its
    JSON pointer and the usual message."""
    text, line, column = planted(SENTRY.read_text(encoding="utf-8"))
    path = tmp_path / "parsed.json"
    path.write_text(text, encoding="utf-8")
    secrets = [f for f in findings(path) if f["rule"] == "no-secret-values"]
    assert [(f["pointer"], f["line"]) for f in secrets] == [("/note", line)]
    assert not str(secrets[0]["message"]).startswith(UNPARSED)
    assert column > 1
