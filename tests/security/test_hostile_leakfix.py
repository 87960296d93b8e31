"""A credential right after an escape sequence is still redacted (the fuzz harness's KNOWN_LEAK).

A value quoted with ``repr`` (``!r``) or escaped for output (``\\n``, ``\\x1b``, ``\\u200b``,
``%0A``) before redaction ends its escape in a word character (``n``, a hex digit) that glued
to a credential written right after it, so the detectors' word boundary did not match and the
credential was printed. Redaction now treats every escape sequence as a boundary and decodes
escapes for the hidden-credential check. Each escape form on each fake credential of
test_robustness.TOKENS, in process and through the CLI (drafts show, validate with a file name,
render, usage errors), in every output format; 1 MiB of escapes redacts in linear time.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from conftest import SENTRY, run_cli, store_env
from fuzzkit import cli
from test_robustness import TOKENS, leaked

from hubtool.core.escape import markdown, markdown_code, terminal, workflow_data, workflow_property
from hubtool.core.secrets import find_secret, redact_text, safe_pointer, safe_repr
from hubtool.load.strict import escape

ESCAPED = (
    "\\n", "\\t", "\\r", "\\a", "\\b", "\\f", "\\v", "\\0", "\\x1b", "\\x00", "\\x7f",
    "\\u00e9", "\\u200b", "\\U0001f600", "\\U000e0001", "%0A", "%09", "%1B", "%C3%A9",
)  # fmt: skip
"""Escape sequences as written (repr, escape.terminal, JSON, percent-encoding): each ends in a
word character that glues to what follows."""
RAW = ("\n", "\t", "\r", "\x1b", "\x7f", "\x85", "\u200b", "\u202e", "\U000e0001")
"""Characters the program itself escapes before or while quoting a value (repr, terminal)."""
TOKEN_IDS = [f"token{i}" for i in range(len(TOKENS))]
FORMATS = ("text", "json", "sarif", "github")


def _texts(escape: str, token: str) -> list[str]:
    """``token`` right after ``escape``: alone, quoted in a message, between escapes, repeated."""
    return [
        escape + token,
        f"no draft '{escape}{token}'; 'hubtool drafts list' shows them",
        f"x{escape}{token}{escape}y",
        escape * 3 + token + " and " + escape + token,
    ]


@pytest.mark.parametrize("token", TOKENS, ids=TOKEN_IDS)
@pytest.mark.parametrize("escape", ESCAPED)
def test_redaction_sees_through_an_escape(escape: str, token: str) -> None:
    for text in _texts(escape, token):
        assert find_secret(text), text
        for medium in (redact_text, terminal, markdown, markdown_code, workflow_data):
            assert token not in medium(text), (medium.__name__, text)
        assert token not in workflow_property(text)


@pytest.mark.parametrize("token", TOKENS, ids=TOKEN_IDS)
@pytest.mark.parametrize("char", RAW, ids=[f"U+{ord(c):04X}" for c in RAW])
def test_repr_of_a_value_then_redaction(char: str, token: str) -> None:
    """What a message built with ``{value!r}`` or ``safe_repr`` shows, after the output
    boundary redacts it; and a pointer token holding the value."""
    value = char + token
    assert token not in terminal(f"no draft {value!r}")
    assert token not in terminal(repr([value]))
    assert token not in terminal(json.dumps(value))  # JSON's \\n and \\u escapes
    assert token not in safe_repr(value) and token not in safe_pointer(f"/a/{escape(value)}")


def test_only_the_credential_is_redacted() -> None:
    """The escape and the text around it stay; the credential's span is replaced."""
    token = TOKENS[1]
    assert redact_text(f"no draft '\\n{token}' here") == (
        "no draft '\\n<GitHub token: gh... (40 chars, redacted)>' here"
    )
    assert redact_text("a\\nb \\x1b[31m red %0A") == "a\\nb \\x1b[31m red %0A"


def test_an_escaped_invisible_character_inside_a_credential() -> None:
    """``repr`` writes U+200B inside a token as ``\\u200b``: the token is still found."""
    token = TOKENS[0]
    text = repr(token[:12] + "\u200b" + token[12:])
    assert find_secret(text) and token[12:] not in redact_text(text)


@pytest.mark.parametrize("unit", ["\\n", "\\x1b", "\\u00e9a", "%0A", "\\nghp_", "\\nsk-"])
def test_escapes_redact_in_linear_time(unit: str) -> None:
    text = unit * (2**20 // len(unit))
    started = time.process_time()
    redact_text(text)
    find_secret.cache_clear()
    find_secret(text)
    assert time.process_time() - started < 4.0


# --- through the CLI ---------------------------------------------------------------------------


@pytest.mark.parametrize("token", TOKENS, ids=TOKEN_IDS)
def test_drafts_show_quotes_the_id(tmp_path: Path, token: str) -> None:
    """``drafts show`` quotes the unknown id with repr: exit 2, the token never printed (the
    default store, and a ``--store`` path that names no store)."""
    env = {"HUBTOOL_STORE": str(tmp_path / "store.sqlite3")}
    for char in (*RAW, "\x00"):
        run = cli("drafts", "show", char + token, env=env)
        assert run.code == 2 and "no draft" in run.err, (char, run.err)
        assert not leaked(run.out, run.err), char
        run = cli("drafts", "show", char + token, "--store", str(tmp_path / (char + "x")))
        assert run.code == 2 and not leaked(run.out, run.err), char


@pytest.mark.parametrize("token", [t for t in TOKENS if "/" not in t], ids=str)
def test_validate_with_a_file_name(tmp_path: Path, token: str) -> None:
    """A manifest file (or a missing one) named after an escaped character and a token."""
    for char in RAW:
        path = tmp_path / f"{char}{token}.json"
        path.write_text(SENTRY.read_text(encoding="utf-8"), encoding="utf-8")
        missing = tmp_path / f"{char}{token}-missing.json"
        for fmt in FORMATS:
            run = cli("validate", str(path), "--format", fmt)
            assert run.code in (0, 1) and not leaked(run.out, run.err), (char, fmt)
            run = cli("validate", str(missing), "--format", fmt)
            assert run.code == 2 and not leaked(run.out, run.err), (char, fmt)


@pytest.mark.parametrize("token", TOKENS, ids=TOKEN_IDS)
def test_render_with_an_escaped_value(tmp_path: Path, token: str) -> None:
    """An input value (percent-encoded into the URL, quoted in errors) and an unknown action."""
    request = tmp_path / "input.json"
    path = {"organizationIdOrSlug": "acme"}
    for char in RAW:
        value = char + token
        request.write_text(json.dumps({"path": path, "query": {"query": value, value: 1}}))
        for fmt in ("text", "json"):
            run = cli(
                "render", str(SENTRY), "list-issues", "--input", str(request), "--format", fmt
            )
            assert run.code in (1, 2) and not leaked(run.out, run.err), (char, fmt)
            run = cli("render", str(SENTRY), value, "--input", str(request), "--format", fmt)
            assert run.code in (1, 2) and not leaked(run.out, run.err), (char, fmt)


@pytest.mark.parametrize("token", TOKENS, ids=TOKEN_IDS)
def test_usage_errors_quote_the_argument(token: str) -> None:
    """click quotes a bad choice, command or option with repr."""
    for char in RAW:
        value = char + token
        for args in (
            (value,),
            ("validate", "--format", value),
            ("drafts", value),
            ("validate", value + "=1", "--" + value),
        ):
            run = cli(*args)
            assert run.code == 2 and not leaked(run.out, run.err), (char, args)


@pytest.mark.parametrize("char", ["\n", "\x1b", "\u200b"], ids=["LF", "ESC", "ZWSP"])
def test_as_a_user_runs_it(tmp_path: Path, char: str) -> None:
    """The same through ``python -m hubtool``: drafts show, a usage error, validate."""
    env = store_env(tmp_path / "store.sqlite3", "leakfix")
    for token in TOKENS:
        value = char + token
        runs = [
            run_cli("drafts", "show", value, env=env),
            run_cli("validate", "--format", value),
            run_cli("validate", str(tmp_path / (value.replace("/", "_") + ".json"))),
        ]
        for result in runs:
            assert result.returncode == 2, (result.args, result.stderr)
            assert "Traceback" not in result.stderr
            assert not leaked(result.stdout, result.stderr), result.args
