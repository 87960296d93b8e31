"""The configuration cache (``hubtool.validate.config.cache``): a cached ``.hubtool.yaml`` gives
exactly what reading it with PyYAML gives (data, positions, problems, credential findings), and
the cache never stores a credential, never breaks a run and never grows past its bound. That
the hook then imports no PyYAML is ``tests/test_startup.py``'s (``hook_run``)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO

from hubtool.core.errors import HubtoolError
from hubtool.registry import RULES
from hubtool.validate.config import cache
from hubtool.validate.config.parse import parse_config
from hubtool.validate.config.scan import scan_config

# Built at run time so no credential-shaped literal sits in the repository.
TOKEN = "sntrys_" + "eyJpYXQiOjE3MDAwMDAwMDB9" + "_EXAMPLEexampleEXAMPLE0123"
WAIVER = (
    "  - rule: typed-query\n    file: apps/hub/catalog/integrations/sentry/sentry-api.json\n"
    "    pointer: /actionTemplates/0\n    reason: reviewed\n"
)
CORPUS: dict[str, str] = {
    "this repository's": (REPO / ".hubtool.yaml").read_text(encoding="utf-8"),
    "severities and a dated waiver": (
        "severity:\n  typed-query: warning   # a comment\n  bounded-path: off\nwaivers:\n"
        + WAIVER
        + "    expires: 2027-06-30\n"
    ),
    "anchors and merge keys": (
        "base: &base {rule: typed-query, reason: shared}\nwaivers:\n  - <<: *base\n"
        "    file: x.json\n    pointer: /a\n"
    ),
    "CRLF line ends": "severity:\r\n  typed-query: warning\r\nwaivers:\r\n  - rule: nope\r\n",
    "Unicode line breaks": "severity:\n  typed-query: warning\u2028\nwaivers: 3\u0085",
    "a byte order mark": "\ufeffseverity: {typed-query: warning}\n",
    "empty": "",
    "comments only": "# nothing here\n",
    "a list at the top": "- severity\n- waivers\n",
    "an unknown rule and key": "severity:\n  typed-qery: warning\nwaiverz: []\n",
    "a lowered secret rule": "severity:\n  no-secret-values: warning\n",
    "entries with problems": "waivers:\n  - rule: typed-query\n  - 7\nallowlist:\n  - {}\n",
    "a waiver expired": "waivers:\n" + WAIVER + "    expires: 2001-01-01\n",
    "a flow mapping": "{severity: {typed-query: 'off'}, reads: []}\n",
    "a key that is a number": "severity:\n  1: warning\n",
    "a date-time": "waivers:\n" + WAIVER + "    expires: 2027-06-30T10:00:00\n",
    "binary": "note: !!binary aGVsbG8=\n",
    "a set": "note: !!set {a, b}\n",
    "not a number": "note: .nan\nother: -.inf\n",
    "a long integer": "note: 123456789012345678901234567890\n",
    "a credential in a reason": "waivers:\n" + WAIVER.replace("reviewed", TOKEN),
    "a credential in a comment": f"severity: {{}}  # {TOKEN}\n",
    "invalid YAML": "severity: [\n",
    "a tab": "severity:\n\ttyped-query: warning\n",
}
STORED = {
    "this repository's",
    "severities and a dated waiver",
    "anchors and merge keys",
    "CRLF line ends",
    "Unicode line breaks",
    "a byte order mark",
    "empty",
    "comments only",
    "a list at the top",
    "an unknown rule and key",
    "a lowered secret rule",
    "entries with problems",
    "a waiver expired",
    "a flow mapping",
    "not a number",
    "a long integer",
}
"""What may be stored: every configuration that loads as YAML, holds JSON values and dates
only, with text keys, and has no credential."""


def outcome(text: str, path: Path) -> Any:
    """Everything a configuration gives a run: its checked contents with every position, the
    credential findings, or the error (message and details)."""
    try:
        config = parse_config(text.encode("utf-8"), path, "cfg.yaml", rules=RULES)
    except HubtoolError as exc:
        return ("error", exc.message, exc.details)
    doc = config.document
    return (
        config.severities,
        config.waivers,
        config.allowlist,
        config.reads,
        config.outside,
        None if doc is None else (repr(doc.data), doc.text, doc.values, doc.keys, doc.line_starts),
        [(f.rule, f.line, f.column, f.pointer, f.message) for f in scan_config(config)],
    )


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    directory = tmp_path / "cache"
    monkeypatch.setenv("HUBTOOL_CACHE_DIR", str(directory))
    monkeypatch.delenv("HUBTOOL_NO_CACHE", raising=False)
    return directory


def entries(directory: Path) -> list[Path]:
    return sorted(directory.glob("config-*.json")) if directory.exists() else []


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_a_cached_configuration_gives_what_reading_it_gives(
    name: str, cache_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = CORPUS[name]
    path = tmp_path / ".hubtool.yaml"
    monkeypatch.setenv("HUBTOOL_NO_CACHE", "1")
    read = outcome(text, path)
    assert entries(cache_dir) == []  # the cache is off
    monkeypatch.delenv("HUBTOOL_NO_CACHE")
    assert outcome(text, path) == read  # the first run: read and (maybe) stored
    assert len(entries(cache_dir)) == (name in STORED)
    assert outcome(text, path) == read  # served from the cache
    if name in STORED:
        monkeypatch.setattr(cache, "config_document", _refuse)
        assert outcome(text, path) == read  # ... really served: PyYAML is not asked


def _refuse(raw: bytes, name: str) -> Any:
    raise AssertionError("the configuration was read again, not served from the cache")


def test_a_credential_is_never_stored(cache_dir: Path, tmp_path: Path) -> None:
    for name in ("a credential in a reason", "a credential in a comment"):
        outcome(CORPUS[name], tmp_path / ".hubtool.yaml")
    assert entries(cache_dir) == []
    stored = "".join(p.read_text("utf-8") for p in cache_dir.rglob("*") if p.is_file())
    assert TOKEN not in stored and TOKEN[:20] not in stored


def test_an_entry_is_private_and_holds_the_whole_text(cache_dir: Path, tmp_path: Path) -> None:
    text = CORPUS["severities and a dated waiver"]
    outcome(text, tmp_path / ".hubtool.yaml")
    (entry,) = entries(cache_dir)
    assert cache_dir.stat().st_mode & 0o777 == 0o700
    assert entry.stat().st_mode & 0o777 == 0o600
    stored = json.loads(entry.read_text("utf-8"))
    assert stored["text"] == text and stored["dates"] == [["waivers", 0, "expires"]]
    assert [p.name for p in cache_dir.iterdir()] == [entry.name]  # no temporary file left


def _damaged(entry: Path) -> list[tuple[str, Any]]:
    """Ways an entry can be wrong: each must be a miss, never a crash or a wrong answer."""
    good = json.loads(entry.read_text("utf-8"))

    def changed(**fields: Any) -> str:
        return json.dumps({**good, **fields})

    nested = "[" * 100_000 + "]" * 100_000
    return [
        ("truncated", entry.read_text("utf-8")[:40]),
        ("not JSON", "\x00\xff garbage"),
        ("not an object", "[1, 2]"),
        ("deeply nested", nested),
        ("another text", changed(text=good["text"] + "# more\n")),
        ("another version", changed(stamp=[0, "0.0.0"])),
        ("a field missing", json.dumps({k: v for k, v in good.items() if k != "keys"})),
        ("offsets that are not numbers", changed(values={"": "0"})),
        ("a span that is not a pair", changed(outside=[[0, 1, 2]])),
        ("a date path that is wrong", changed(dates=[["nowhere", 9]])),
        ("a date that is not one", changed(dates=[["severity", "typed-query"]])),
        ("a date path that is empty", changed(dates=[[]])),
        ("too large", " " * (cache.MAX_ENTRY_BYTES + 1)),
    ]


def test_a_damaged_entry_is_a_miss_and_is_replaced(cache_dir: Path, tmp_path: Path) -> None:
    text = CORPUS["severities and a dated waiver"]
    path = tmp_path / ".hubtool.yaml"
    read = outcome(text, path)
    (entry,) = entries(cache_dir)
    for what, content in _damaged(entry):
        entry.write_text(content, encoding="utf-8")
        assert outcome(text, path) == read, what
        assert json.loads(entry.read_text("utf-8"))["text"] == text, what  # rewritten


@pytest.mark.parametrize("kind", ["directory", "fifo", "symlink"])
def test_an_entry_that_is_no_regular_file_is_a_miss(
    kind: str, cache_dir: Path, tmp_path: Path
) -> None:
    text = CORPUS["severities and a dated waiver"]
    path = tmp_path / ".hubtool.yaml"
    read = outcome(text, path)
    (entry,) = entries(cache_dir)
    good = entry.read_text("utf-8")
    entry.unlink()
    if kind == "directory":
        entry.mkdir()
    elif kind == "fifo":
        os.mkfifo(entry)  # a read would block forever
    else:
        (tmp_path / "elsewhere.json").write_text(good, encoding="utf-8")
        entry.symlink_to(tmp_path / "elsewhere.json")
    assert outcome(text, path) == read


def test_a_cache_that_cannot_be_written_does_not_stop_the_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("HUBTOOL_CACHE_DIR", str(blocker / "cache"))  # under a regular file
    text = CORPUS["severities and a dated waiver"]
    assert outcome(text, tmp_path / ".hubtool.yaml")[0] == {
        "typed-query": "warning",
        "bounded-path": "off",
    }


def test_the_cache_keeps_its_newest_entries_only(
    cache_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cache, "MAX_ENTRIES", 3)
    cache_dir.mkdir()
    stray = cache_dir / "not-ours.txt"
    stray.write_text("kept", encoding="utf-8")
    killed = cache_dir / ".config-killed-write.json.tmp"
    killed.write_text("{", encoding="utf-8")
    os.utime(killed, ns=(1, 1))  # the oldest of all
    for number in range(5):
        outcome(f"severity: {{}}  # configuration {number}\n", tmp_path / ".hubtool.yaml")
    kept = entries(cache_dir)
    assert len(kept) == 3 and stray.exists() and not killed.exists()
    newest = json.loads(max(kept, key=lambda p: p.stat().st_mtime_ns).read_text("utf-8"))
    assert newest["text"].endswith("configuration 4\n")


def test_the_cache_directory_follows_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("HUBTOOL_CACHE_DIR", "HUBTOOL_NO_CACHE", "XDG_CACHE_HOME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", "/home/someone")
    assert cache.cache_directory() == Path("/home/someone/.cache/hubtool")
    monkeypatch.setenv("XDG_CACHE_HOME", "/xdg")
    assert cache.cache_directory() == Path("/xdg/hubtool")
    monkeypatch.setenv("HUBTOOL_CACHE_DIR", "/chosen")
    assert cache.cache_directory() == Path("/chosen")
    monkeypatch.setenv("HUBTOOL_CACHE_DIR", "~/chosen")
    assert cache.cache_directory() == Path("/home/someone/chosen")
    for value in ("1", "yes", "true", "TRUE", "anything"):
        monkeypatch.setenv("HUBTOOL_NO_CACHE", value)
        assert cache.cache_directory() is None, value
    for value in ("", "0", "false", "no", "off", " Off "):
        monkeypatch.setenv("HUBTOOL_NO_CACHE", value)
        assert cache.cache_directory() == Path("/home/someone/chosen"), value


@pytest.mark.parametrize(
    ("variables", "expected"),
    [
        ({"HUBTOOL_CACHE_DIR": "relative/cache"}, None),  # never in the checked repository
        ({"HUBTOOL_CACHE_DIR": "."}, None),
        ({"XDG_CACHE_HOME": "relcache"}, "/home/someone/.cache/hubtool"),  # XDG: ignored
        ({"XDG_CACHE_HOME": "", "HOME": ""}, None),  # not /.cache at the root
        ({"HOME": "relhome"}, None),
        ({"HOME": "/"}, None),
    ],
)
def test_only_an_absolute_cache_directory_is_used(
    variables: dict[str, str], expected: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("HUBTOOL_CACHE_DIR", "HUBTOOL_NO_CACHE", "XDG_CACHE_HOME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", "/home/someone")
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    found = cache.cache_directory()
    assert found == (None if expected is None else Path(expected))


def test_a_missing_home_is_not_made(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The cache makes its own directory and ``~/.cache`` at most, never a home or a path
    above them."""
    for name in ("HUBTOOL_CACHE_DIR", "HUBTOOL_NO_CACHE", "XDG_CACHE_HOME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "gone"))
    outcome(CORPUS["a flow mapping"], tmp_path / ".hubtool.yaml")
    assert not (tmp_path / "gone").exists()
    monkeypatch.setenv("HOME", str(tmp_path / "new-account"))
    (tmp_path / "new-account").mkdir()
    outcome(CORPUS["a flow mapping"], tmp_path / ".hubtool.yaml")
    assert len(entries(tmp_path / "new-account/.cache/hubtool")) == 1
    assert (tmp_path / "new-account/.cache").stat().st_mode & 0o777 == 0o700


def test_two_installs_keep_an_entry_each(
    cache_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A pre-commit environment and a virtual environment (another ``yamlfile.py`` stamp) share
    one cache without replacing each other's entry: each is served its own."""
    text = CORPUS["severities and a dated waiver"]
    path = tmp_path / ".hubtool.yaml"
    read = outcome(text, path)
    real = cache._stamp()
    monkeypatch.setattr(cache, "_stamp", lambda: [*real[:-1], real[-1] + 1])
    assert outcome(text, path) == read
    assert len(entries(cache_dir)) == 2
    monkeypatch.setattr(cache, "config_document", _refuse)
    assert outcome(text, path) == read  # this install's entry, served
    monkeypatch.setattr(cache, "_stamp", lambda: real)
    assert outcome(text, path) == read  # and the other one's, still there


def test_a_served_entry_is_kept_before_older_unused_ones(
    cache_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cache, "MAX_ENTRIES", 2)
    path = tmp_path / ".hubtool.yaml"
    first, second = "severity: {}  # first\n", "severity: {}  # second\n"
    outcome(first, path)
    outcome(second, path)
    for entry in entries(cache_dir):
        os.utime(entry, ns=(10**18, 10**18))  # both written long ago
    outcome(first, path)  # served: now the most recently used
    outcome("severity: {}  # third\n", path)  # one must go: the second, unused since
    kept = {json.loads(p.read_text("utf-8"))["text"] for p in entries(cache_dir)}
    assert kept == {first, "severity: {}  # third\n"}
