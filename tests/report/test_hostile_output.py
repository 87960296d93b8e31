"""Hostile output: what reaches the reviewer's screen, and in which bytes (issue 9, items 13-15).

A stranger's pull request controls action slugs, property names, file names and versions, and
through the command line even the arguments hubtool echoes in usage errors. None of it may
become markup in the PR comment (markdown), a workflow command for the Actions runner (a line
starting with ``::``, or ``##[`` anywhere), a terminal control sequence or reordered text
(Trojan Source), or a credential in any output; and no stream encoding may turn a finding into
an internal error or a truncated document.

Every case runs the real CLI (``python -m hubtool``) and checks every output format it has.
"""

from __future__ import annotations

import copy
import html
import json
import os
import re
import subprocess
import sys
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO, SENTRY
from markdown_it import MarkdownIt
from sarifcheck import assert_valid_sarif

from hubtool.commands.output import GuardedStream
from hubtool.core import escape
from hubtool.core.escape import json_text, markdown, markdown_code, terminal, workflow_data
from hubtool.core.escape import workflow_property as prop
from hubtool.load.discover import shown

ORIGINAL: dict[str, Any] = json.loads(SENTRY.read_text(encoding="utf-8"))
TOKEN = "sntrys_" + "eyJ" + "Q9w8E7r6" * 5
"""A Sentry org token shape, assembled at run time."""
GITHUB_TOKEN = "gh" + "p_" + "Zq8Xw7Yv" * 5
FORMATS = ("text", "json", "sarif", "github")
TIMEOUT = 60
"""Seconds: a generous hang guard for one CLI run (a run takes well under 2 s)."""

HUBTOOL_COMMAND = re.compile(
    r"::(error|warning|notice) file=[^\r\n:,]*,line=\d+,col=\d+,title=[a-z0-9-]+::[^\r\n]*"
)
"""The only workflow command hubtool writes: every property and the message escaped."""
RAW_CONTROLS = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)
"""What text output may never hold raw: C0 (but LF), DEL, C1, bidi marks and overrides."""


def run(
    *args: str, cwd: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[bytes]:
    """``python -m hubtool`` with byte output: the encoding is under test."""
    child = {k: v for k, v in os.environ.items() if k not in ("HUBTOOL_DEBUG", "PYTHONIOENCODING")}
    child |= {"NO_COLOR": "1", "PYTHONPATH": str(REPO)} | (env or {})
    return subprocess.run(
        [sys.executable, "-m", "hubtool", *args],
        cwd=cwd or REPO,
        capture_output=True,
        env=child,
        timeout=TIMEOUT,
    )


def text(output: bytes) -> str:
    return output.decode("utf-8", "backslashreplace")


def assert_no_forged_command(output: str) -> None:
    """No line the runner would execute, but hubtool's own (escaped) annotations.

    The runner reads lines ending in CR, LF or CRLF, trims leading whitespace and runs a line
    starting with ``::``; it runs ``##[command]`` anywhere in a line (actions/runner
    ActionCommand.cs, TryParseV2 and TryParse).
    """
    for line in re.split(r"\r\n|\r|\n", output):
        assert not re.search(r"##(?:vso)?\[", line, re.IGNORECASE), line
        if line.lstrip().startswith("::"):
            assert HUBTOOL_COMMAND.fullmatch(line), line


def assert_no_token(*outputs: str) -> None:
    for output in outputs:
        assert TOKEN not in output and GITHUB_TOKEN not in output, output[:2000]
        assert TOKEN[:20] not in output and GITHUB_TOKEN[:20] not in output


def assert_clean_stderr(result: subprocess.CompletedProcess[bytes]) -> str:
    err = text(result.stderr)
    assert "Traceback" not in err and "internal error" not in err, err
    return err


def with_slug(slug: str, version: str = "9.0.0") -> dict[str, Any]:
    data = copy.deepcopy(ORIGINAL)
    data["actionTemplates"][0]["slug"] = slug
    data["version"] = version
    return data


def write(path: Path, data: Any) -> Path:
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")
    return path


# --- 13: markdown, the PR comment -----------------------------------------------------------

MARKDOWN_SLUGS = {
    "img": '<img src="https://evil.example/p.png" onerror="alert(1)">',
    "comment": "<!-- everything after this is hidden",
    "mention": "@octocat and @github/security-team",
    "reference": "#1 and octo/repo#2",
    "link": "[merge me](https://evil.example/phish) ![x](https://evil.example/x.png)",
    "autolink": "https://evil.example/a www.evil.example/b mail@evil.example",
    "table": "a | b | c",
    "newline": "x\n\n# heading\n\n- item\n\n> quote",
    "emphasis": "**bold** _it_ `code` ~~gone~~ \\*",
    "html-entity": "&lt;script&gt; &#64;octocat",
    "heading": "# title",
    "math": "$$\\color{red}\\huge{APPROVED}$$ and $x$",
}


def rendered(source: str) -> str:
    """GitHub-flavoured markdown as HTML (tables, autolinks, raw HTML on)."""
    return MarkdownIt("gfm-like").render(source)


@pytest.mark.parametrize("slug", MARKDOWN_SLUGS.values(), ids=MARKDOWN_SLUGS.keys())
def test_markdown_comment_shows_a_hostile_slug_as_text(tmp_path: Path, slug: str) -> None:
    new = write(tmp_path / "new.json", with_slug(slug))
    result = run("diff", "--format", "markdown", str(SENTRY), str(new))
    assert result.returncode == 0, text(result.stderr)
    assert_clean_stderr(result)
    source = text(result.stdout)
    data_part = source.split("| --- | --- | --- | --- | --- |\n", 1)[1]
    assert "<" not in source and "<!--" not in source
    assert not re.search(r"@[A-Za-z0-9]", source)
    assert not re.search(r"#[0-9]", source)
    assert "](" not in data_part and "://" not in data_part
    values = re.sub(r"`[a-z-]+`", "", data_part)  # but the kind, hubtool's own code span
    assert not re.search(r"(?<!\\)[$*_`~\[]", values)  # math, emphasis, code, links
    page = rendered(source)
    rows = re.findall(r"<tr>(.*?)</tr>", page, re.S)
    assert len(rows) == 2  # the header and the one change
    cells = re.findall(r"<td>(.*?)</td>", rows[1], re.S)
    assert len(cells) == 5
    for tag in ("<", "&lt;img", "&lt;!--", "&lt;script", "<a ", "<em>", "<code>", "<h1>"):
        if tag.startswith("<"):
            assert tag not in cells[3] + cells[4], tag
    assert page.count("<a ") == 0 and page.count("<img") == 0 and "<!--" not in page
    shown = html.unescape(cells[3]).replace("\u2060", "")
    assert shown == escape.visible(slug)  # the slug itself, every character visible


def test_markdown_heading_shows_a_hostile_file_name(tmp_path: Path) -> None:
    name = "a``b<!--c|@d.json"
    new = write(tmp_path / name, with_slug("list-projects", "0.1.0"))
    result = run("diff", "--format", "markdown", str(SENTRY), name, cwd=tmp_path)
    assert result.returncode == 0, text(result.stderr)
    page = rendered(text(result.stdout))
    assert new.exists() and f"<h4><code>{html.escape(name, quote=False)}</code></h4>" in page
    assert "<!--" not in text(result.stdout).replace(markdown_code(name), "")


def test_markdown_escaping_keeps_ordinary_values() -> None:
    assert markdown("resolve-issue") == "resolve-issue"
    assert markdown("0.1.0") == "0.1.0"
    assert markdown("a|b") == "a\\|b"
    assert markdown("1. x") == "1\\. x" and markdown("- x") == "\\- x"
    assert markdown_code("apps/x.json") == "`apps/x.json`"
    assert markdown_code("a`b") == "``a`b``" and markdown_code("`") == "`` ` ``"
    assert markdown_code("a|b", table=True) == "`a\\|b`"


# --- 14: file names, property names and the terminal ----------------------------------------

FILE_NAMES = {
    "newline-error": "a\n::error::forged.json",
    "newline-add-mask": "a\n::add-mask::mask-me.json",
    "newline-stop-commands": "a\n::stop-commands::pause.json",
    "cr-error": "a\r::error::forged.json",
    "crlf-warning": "a\r\n  ::warning file=x::forged.json",
    "leading-command": "::error file=x,line=1::forged.json",
    "leading-space-command": " ::notice::forged.json",
    "legacy-command": "x##[error]forged.json",
    "ansi": "a\x1b[2J\x1b]0;title\x07b.json",
    "c1-csi": "a\x9b31mb.json",
    "bidi-override": "a\u202egnp.json\u202c",
    "bidi-isolate": "a\u2066b\u2069c\u200f.json",
    "line-separator": "a\u2028::error::x\u2029.json",
    "zero-width": "a\u200bb\ufeff\U000e0041.json",
    "tab": "a\tb.json",
}


def bad_json(directory: Path, name: str) -> str:
    (directory / name).write_bytes(b'{"slug": ')
    return name


@pytest.mark.parametrize("name", FILE_NAMES.values(), ids=FILE_NAMES.keys())
def test_hostile_file_name_in_every_format(tmp_path: Path, name: str) -> None:
    bad_json(tmp_path, name)
    for fmt in FORMATS:
        result = run("validate", "--format", fmt, name, cwd=tmp_path)
        assert result.returncode == 1, (fmt, text(result.stderr))
        out, err = text(result.stdout), assert_clean_stderr(result)
        assert_no_forged_command(out)
        assert_no_forged_command(err)
        if fmt == "text":
            assert not RAW_CONTROLS.search(out), out
            assert out.startswith(f"{terminal(name)}:1:"), out
            assert len(out.splitlines()) == 2  # the finding and the summary: no forged line
        elif fmt == "github":
            (annotation,) = [line for line in out.splitlines() if line.startswith("::")]
            file = shown(name) if "title=catalog-tree" in annotation else name
            assert annotation.startswith(f"::error file={prop(file)},line=1,")
        elif fmt == "json":
            (finding,) = json.loads(result.stdout)["findings"]
            # a name with control or invisible characters is a catalog-tree finding, shown escaped
            assert finding["file"] == (shown(name) if finding["rule"] == "catalog-tree" else name)
            assert not RAW_CONTROLS.search(out.replace("\n", ""))
        else:
            document = json.loads(result.stdout)
            assert_valid_sarif(document)
            uri = document["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
            rule = document["runs"][0]["results"][0]["ruleId"]
            # SARIF URIs use forward slashes, so the escapes' backslashes become slashes
            expected = shown(name).replace("\\", "/") if rule == "catalog-tree" else name
            assert uri["artifactLocation"]["uri"] == escape_uri(expected)


def escape_uri(name: str) -> str:
    from urllib.parse import quote

    return quote(name)


def test_missing_file_name_in_the_error_is_escaped(tmp_path: Path) -> None:
    result = run("validate", "evil\n::error::x.json", "b\x1b[31m##[add-mask]c.json", cwd=tmp_path)
    assert result.returncode == 2
    err = assert_clean_stderr(result)
    assert err.splitlines() == ["hubtool: error: evil\\n::error::x.json: no such file or directory"]
    assert_no_forged_command(err)


def test_hostile_property_names(tmp_path: Path) -> None:
    data = copy.deepcopy(ORIGINAL)
    data["\x1b[31m\n::error file=a::forged\u202e"] = 1
    data["actionTemplates"][0]["x\r\n##[add-mask]y"] = True
    write(tmp_path / "m.json", data)
    for fmt in FORMATS:
        result = run("validate", "--format", fmt, "m.json", cwd=tmp_path)
        assert result.returncode == 1, text(result.stderr)
        out = text(result.stdout)
        assert_no_forged_command(out)
        if fmt == "text":
            assert not RAW_CONTROLS.search(out), out
            assert all(line.startswith("m.json:") for line in out.splitlines()[:-1]), out
        if fmt == "sarif":
            assert_valid_sarif(json.loads(result.stdout))


def test_hostile_values_in_diff_text_and_github(tmp_path: Path) -> None:
    new = write(tmp_path / "new.json", with_slug("x\n::error::forged\x1b[2J\u202e##[add-mask]y"))
    for fmt in ("text", "github", "json", "markdown", "sarif"):
        result = run("diff", "--format", fmt, str(SENTRY), str(new))
        assert result.returncode == 0, text(result.stderr)
        out = text(result.stdout)
        assert_no_forged_command(out)
        if fmt in ("text", "markdown"):
            assert not RAW_CONTROLS.search(out), out


def test_the_invisible_class_covers_every_control_and_format_character() -> None:
    """``escape.visible`` must catch every Cc, Cf, Cs, Zl and Zp character of this Python's
    Unicode; a newer Unicode adds some, and this test says which."""
    categories = {"Cc", "Cf", "Cs", "Zl", "Zp"}
    missed = [
        f"U+{code:04X}"
        for code in range(sys.maxunicode + 1)
        if unicodedata.category(chr(code)) in categories and escape.visible(chr(code)) == chr(code)
    ]
    assert not missed, f"unicodedata {unicodedata.unidata_version}: {missed[:20]}"
    ordinary = "Grüße, \uff53\uff45\uff4e\uff54\uff52\uff59, セントリー, 👍"
    assert escape.visible(ordinary) == ordinary


def test_terminal_escapes() -> None:
    hostile = "a\nb\rc\td\x1be\x9bf\u202eg\ud800"
    assert terminal(hostile) == "a\\nb\\rc\\td\\x1be\\x9bf\\u202eg\\ud800"
    assert terminal("::error::x") == "\\x3a:error::x"
    assert terminal(" \t::x") == " \\t::x"  # the tab is visible, so the line holds no command
    assert terminal("a ##[error]b") == "a #\\x23[error]b"
    assert terminal("http://[::1]/") == "http://[::1]/"


def test_workflow_escapes_follow_the_toolkit() -> None:
    """@actions/core command.ts: data escapes % CR LF; properties also : and ,."""
    assert workflow_data("100% a\r\nb: c, d") == "100%25 a%0D%0Ab: c, d"
    assert prop("a:b,c%d\ne") == "a%3Ab%2Cc%25d%0Ae"
    assert workflow_data("\x1b[31m") == "\\x1b[31m"


def test_guarded_stream_holds_back_forged_lines() -> None:
    import io

    inner = io.TextIOWrapper(io.BytesIO(), encoding="ascii")
    guard = GuardedStream(inner)
    for piece in ("ok\n  :", ":error::x\nA ##", "[add-mask]y\r::warning::z", "\n"):
        guard.write(piece)
    guard.write_command("::error file=f,line=1,col=1,title=r::m\n")
    guard.write("セ\n")
    guard.release()
    guard.flush()
    written = inner.buffer.getvalue().decode("ascii")
    assert written.split("\n") == [
        "ok",
        "  \\x3a:error::x",
        "A #\\x23[add-mask]y\r\\x3a:warning::z",
        "::error file=f,line=1,col=1,title=r::m",
        "\\u30bb",
        "",
    ]


# --- secrets in errors and usage errors ------------------------------------------------------

USAGE_ERRORS = {
    "bad-format-value": ("validate", "--format", TOKEN),
    "unknown-option": ("validate", f"--{TOKEN}"),
    "unknown-option-value": ("diff", f"--base={GITHUB_TOKEN}", "--nope"),
    "bad-int": ("validate", "--max-bytes", GITHUB_TOKEN),
    "unknown-command": (TOKEN,),
    "newline-in-value": ("validate", "--format", f"x\n::error::{TOKEN}"),
    "drafts-bad-state": ("drafts", "list", "--state", f"{TOKEN}\n::add-mask::x"),
}


@pytest.mark.parametrize("args", USAGE_ERRORS.values(), ids=USAGE_ERRORS.keys())
def test_usage_errors_quote_no_credential(args: tuple[str, ...], tmp_path: Path) -> None:
    result = run(*args, env={"HUBTOOL_STORE": str(tmp_path / "s.sqlite3")})
    assert result.returncode == 2
    err = assert_clean_stderr(result)
    assert "Usage:" in err and "Error:" in err, err
    assert_no_token(err, text(result.stdout))
    assert_no_forged_command(err)
    assert len([line for line in err.splitlines() if line.startswith("Error:")]) == 1


def test_file_named_after_a_token_is_redacted_everywhere(tmp_path: Path) -> None:
    bad_json(tmp_path, f"{TOKEN}.json")
    for fmt in FORMATS:
        result = run("validate", "--format", fmt, f"{TOKEN}.json", cwd=tmp_path)
        assert result.returncode == 1
        assert_no_token(text(result.stdout), assert_clean_stderr(result))
    missing = run("validate", f"{GITHUB_TOKEN}.json", cwd=tmp_path)
    assert missing.returncode == 2
    assert_no_token(text(missing.stderr))


def test_internal_error_message_is_redacted_and_escaped(
    monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    from hubtool import cli
    from hubtool.commands import validate

    def explode(options: object) -> int:
        raise RuntimeError(f"boom {TOKEN}\n::error::forged\x1b[2J")

    monkeypatch.setattr(validate, "run_validate", explode)
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["validate"])
    assert exit_info.value.code == 2
    err = capfd.readouterr().err
    assert "internal error: RuntimeError: boom <Sentry org auth token" in err
    assert_no_token(err)
    assert_no_forged_command(err)
    assert "\x1b" not in err


# --- 15: encodings ----------------------------------------------------------------------------

ENCODINGS = {
    "cp1252": {"PYTHONIOENCODING": "cp1252"},
    "ascii": {"PYTHONIOENCODING": "ascii"},
    "c-locale": {"LC_ALL": "C", "LANG": "C"},
    "c-locale-no-utf8-mode": {
        "LC_ALL": "C",
        "LANG": "C",
        "PYTHONUTF8": "0",
        "PYTHONCOERCECLOCALE": "0",
    },
}
JAPANESE = "セントリー"


@pytest.fixture(scope="module")
def japanese(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A manifest whose first action slug is Japanese: a finding quotes it."""
    path = tmp_path_factory.mktemp("jp") / "日本.json"
    return write(path, with_slug(JAPANESE, "0.1.0"))


@pytest.mark.parametrize("env", ENCODINGS.values(), ids=ENCODINGS.keys())
def test_documents_are_utf8_and_text_degrades(japanese: Path, env: dict[str, str]) -> None:
    for fmt in FORMATS:
        result = run("validate", "--format", fmt, japanese.name, cwd=japanese.parent, env=env)
        assert result.returncode == 1, (fmt, text(result.stderr))
        assert_clean_stderr(result)
        if fmt in ("json", "sarif"):
            document = json.loads(result.stdout.decode("utf-8"))  # strict: UTF-8 or fail
            assert JAPANESE in json.dumps(document, ensure_ascii=False)
            if fmt == "sarif":
                assert_valid_sarif(document)
        else:
            out = text(result.stdout)
            assert JAPANESE in out or "\\u30bb\\u30f3" in out, out
    diff = run("diff", "--format", "json", str(SENTRY), str(japanese), env=env)
    assert diff.returncode == 1, text(diff.stderr)  # a renamed action needs a major bump
    assert JAPANESE in json.loads(diff.stdout.decode("utf-8"))["changes"][0]["message"]
    for fmt in ("text", "markdown", "github"):
        other = run("diff", "--format", fmt, str(SENTRY), str(japanese), env=env)
        assert other.returncode == 1, text(other.stderr)
        assert_clean_stderr(other)
    missing = run("validate", "存在しない.json", env=env)
    assert missing.returncode == 2
    assert "hubtool: error:" in assert_clean_stderr(missing)


def test_json_text_escapes_invisible_characters_and_keeps_values() -> None:
    document = {"k\u202e": ["a\x85b", "\ud800", "\U000e0041", "##[add-mask]x", "セ", "\x1b"]}
    rendered_text = json_text(document)
    assert json.loads(rendered_text) == document
    rendered_text.encode("utf-8")  # a lone surrogate is an escape, not an unencodable character
    assert not RAW_CONTROLS.search(rendered_text.replace("\n", ""))
    assert "##[" not in rendered_text and "セ" in rendered_text


@pytest.mark.parametrize("env", ENCODINGS.values(), ids=ENCODINGS.keys())
def test_render_reads_utf8_input_and_degrades_its_output(
    tmp_path: Path, env: dict[str, str]
) -> None:
    """The render input is JSON, so UTF-8 whatever the locale; the request text degrades."""
    stdin = json.dumps(
        {"path": {"organizationIdOrSlug": "acme"}, "query": {"query": "is:unresolved ☃ \u202e"}},
        ensure_ascii=False,
    )
    child = {k: v for k, v in os.environ.items() if k not in ("HUBTOOL_DEBUG", "PYTHONIOENCODING")}
    child |= {"PYTHONPATH": str(REPO), "HUBTOOL_STORE": str(tmp_path / "s.sqlite3")} | env
    result = subprocess.run(
        [sys.executable, "-m", "hubtool", "render", "sentry", "list-issues", "--input", "-"],
        cwd=REPO,
        input=stdin.encode("utf-8"),
        capture_output=True,
        env=child,
        timeout=TIMEOUT,
    )
    assert result.returncode == 0, text(result.stderr)
    assert "%E2%98%83%20%E2%80%AE" in text(result.stdout)  # percent-encoded, never raw
    not_utf8 = subprocess.run(
        [sys.executable, "-m", "hubtool", "render", "sentry", "list-issues", "--input", "-"],
        cwd=REPO,
        input=b'{"query": "\xff"}',
        capture_output=True,
        env=child,
        timeout=TIMEOUT,
    )
    assert not_utf8.returncode == 2
    assert "not UTF-8" in assert_clean_stderr(not_utf8)


def test_escaping_and_the_guard_take_linear_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """1 MiB of hostile text through each medium's escaping (redaction, timed by the secrets
    tests, left out) and through the stream guard one character at a time: < 2 s each."""
    import io
    import time

    monkeypatch.setattr(escape, "redacted", lambda text: text)
    hostile = ("\x1b[31m::error::@x #1 <!-- ##[a] \u202e`|" * 40000)[: 1 << 20]
    media = {
        "terminal": terminal,
        "markdown": markdown,
        "markdown_code": markdown_code,
        "workflow_data": workflow_data,
        "workflow_property": prop,
        "json": lambda value: json_text([value]),
    }
    for name, function in media.items():
        start = time.process_time()
        function(hostile)
        assert time.process_time() - start < 2, name
    guard = GuardedStream(io.TextIOWrapper(io.BytesIO(), encoding="utf-8"))
    start = time.process_time()
    for char in hostile:
        guard.write(char)
    guard.release()
    assert time.process_time() - start < 2
