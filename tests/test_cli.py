"""The CLI contract: output formats, exit codes, colour, and running from anywhere."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, SENTRY, run_cli

from hubtool.registry import RULES, RULES_TABLE

FINDING_KEYS = {"rule", "severity", "file", "pointer", "line", "column", "message"}
TEXT_LINE = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+):(?P<col>\d+): (error|warning) [a-z-]+ .+$")


def _write(tmp_path: Path, data: dict, name: str = "m.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    return path


def test_validate_catalog_by_default_is_clean() -> None:
    """Every manifest of the catalog (Sentry's and eight more providers'), with the
    repository's .hubtool.yaml (HubSpot's contact search declared a read)."""
    manifests = list((REPO / "apps/hub/catalog").rglob("*.json"))
    assert len(manifests) >= 9
    result = run_cli("validate")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == f"{len(manifests)} files checked: no findings\n"


def test_validate_from_another_directory(tmp_path: Path) -> None:
    result = run_cli("validate", str(SENTRY), cwd=tmp_path)
    assert result.returncode == 0, result.stderr


def test_no_catalog_and_no_paths_exits_2(tmp_path: Path) -> None:
    result = run_cli("validate", cwd=tmp_path)
    assert result.returncode == 2
    assert "no catalog found" in result.stderr and "Traceback" not in result.stderr


def test_missing_path_exits_2(tmp_path: Path) -> None:
    result = run_cli("validate", str(tmp_path / "nope.json"))
    assert result.returncode == 2
    assert "no such file or directory" in result.stderr


def test_usage_error_exits_2() -> None:
    result = run_cli("validate", "--format", "yaml")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr


def test_json_output_shape(tmp_path: Path, sentry_data: dict) -> None:
    sentry_data["actionTemplates"][2]["approvalMode"] = "automatic"
    path = _write(tmp_path, sentry_data)
    result = run_cli("validate", "--format", "json", str(path))
    assert result.returncode == 1
    document = json.loads(result.stdout)
    assert set(document) == {"ok", "files", "findings", "summary"}
    assert document["ok"] is False
    assert document["files"] == [str(path)]
    assert document["summary"] == {"files": 1, "errors": 1, "warnings": 0, "waived": 0}
    [finding] = document["findings"]
    assert set(finding) == FINDING_KEYS
    assert finding["rule"] == "write-requires-approval"
    assert finding["pointer"] == "/actionTemplates/2/approvalMode"
    line = path.read_text().splitlines()[finding["line"] - 1]
    assert '"approvalMode": "automatic"' in line
    assert line.index('"automatic"') + 1 == finding["column"]


def test_json_output_clean_run() -> None:
    result = run_cli("validate", "--format", "json")
    document = json.loads(result.stdout)
    assert document["ok"] is True and document["findings"] == []
    assert document["summary"]["waived"] == 1  # the declared read (.hubtool.yaml)
    assert result.returncode == 0


def test_text_output_format_and_sorting(tmp_path: Path, sentry_data: dict) -> None:
    sentry_data["actionTemplates"][2]["approvalMode"] = "automatic"
    sentry_data["portTemplates"][0]["baseUrl"] = "http://sentry.io/"
    second = dict(sentry_data, slug="other-api")
    paths = [_write(tmp_path, sentry_data, "b.json"), _write(tmp_path, second, "a.json")]
    result = run_cli("validate", *map(str, paths))
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    findings = [line for line in lines if TEXT_LINE.match(line)]
    assert findings and lines[-1].startswith("2 files checked:")
    keys = [(m["file"], int(m["line"])) for m in map(TEXT_LINE.match, findings)]
    assert keys == sorted(keys)


def test_warnings_fail_only_with_strict(tmp_path: Path, sentry_data: dict) -> None:
    params = sentry_data["actionTemplates"][0]["inputs"]["parameters"]
    params[3]["schema"] = {"type": "string"}  # list-projects ?query without maxLength
    path = _write(tmp_path, sentry_data)
    lenient = run_cli("validate", "--format", "json", str(path))
    assert lenient.returncode == 0
    document = json.loads(lenient.stdout)
    assert document["ok"] is True and document["summary"]["warnings"] == 1
    strict = run_cli("validate", "--strict", str(path))
    assert strict.returncode == 1
    assert "warning typed-query" in strict.stdout


def test_colour_only_when_asked_or_on_a_terminal(tmp_path: Path, sentry_data: dict) -> None:
    sentry_data["actionTemplates"][2]["approvalMode"] = "automatic"
    path = _write(tmp_path, sentry_data)
    plain = run_cli("validate", str(path))
    assert "\033[" not in plain.stdout  # a pipe is not a terminal
    forced = run_cli("validate", "--color", "always", str(path))
    assert "\033[31merror" in forced.stdout


def test_no_color_is_honoured_on_a_terminal(tmp_path: Path, sentry_data: dict) -> None:
    import pty
    import subprocess
    import sys

    sentry_data["actionTemplates"][2]["approvalMode"] = "automatic"
    path = _write(tmp_path, sentry_data)

    def run_on_tty(extra_env: dict[str, str]) -> str:
        leader, follower = pty.openpty()
        env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"} | extra_env
        subprocess.run(
            [sys.executable, "-m", "hubtool", "validate", str(path)],
            stdout=follower,
            stderr=follower,
            env=env,
            cwd=REPO,
            timeout=60,
        )
        os.close(follower)
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:
                break
            if not chunk:
                break
            chunks.append(chunk)
        os.close(leader)
        return b"".join(chunks).decode()

    assert "\033[31m" in run_on_tty({})
    assert "\033[" not in run_on_tty({"NO_COLOR": "1"})
    assert "\033[" not in run_on_tty({"NO_COLOR": "1", "FORCE_COLOR": "1"})


@pytest.mark.parametrize(
    ("env", "coloured"),
    [
        ({"FORCE_COLOR": "1"}, True),
        ({"FORCE_COLOR": "true"}, True),
        ({"FORCE_COLOR": ""}, False),  # empty means unset (force-color.org)
        ({"FORCE_COLOR": "1", "NO_COLOR": "1"}, False),  # NO_COLOR wins, as in CPython
        ({"FORCE_COLOR": "1", "NO_COLOR": ""}, True),
    ],
)
def test_force_color_colours_a_pipe(
    tmp_path: Path, sentry_data: dict, env: dict[str, str], coloured: bool
) -> None:
    sentry_data["actionTemplates"][2]["approvalMode"] = "automatic"
    path = _write(tmp_path, sentry_data)
    child = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    result = run_cli("validate", str(path), env=child | env)
    assert ("\033[31merror" in result.stdout) is coloured
    never = run_cli("validate", "--color", "never", str(path), env=child | env)
    assert "\033[" not in never.stdout


def test_rules_lists_every_rule() -> None:
    result = run_cli("rules")
    assert result.returncode == 0
    listed = [line.split()[0] for line in result.stdout.splitlines()]
    assert listed == [rule.id for rule in RULES_TABLE]


def test_rules_json() -> None:
    result = run_cli("rules", "--format", "json")
    ids = [rule["id"] for rule in json.loads(result.stdout)["rules"]]
    assert ids == list(RULES)


def test_version_and_help() -> None:
    assert run_cli("--version").stdout.startswith("hubtool, version ")
    help_text = run_cli("--help").stdout
    assert "validate" in help_text and "Exit codes" in help_text


def test_help_does_not_import_jsonschema() -> None:
    """Start-up stays fast: the heavy modules load only when a command runs."""
    code = "import sys; from hubtool import cli; print('jsonschema' in sys.modules)"
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO)
    assert out.stdout.strip() == "False"


def test_the_command_table_is_each_commands_own_help() -> None:
    """``--help`` lists the commands from ``COMMANDS`` without importing them: the summary
    there must be the first paragraph of each command's help, and the list click's own."""
    import click

    from hubtool.cli import COMMANDS, cli

    ctx = click.Context(cli, info_name="hubtool")
    assert cli.list_commands(ctx) == sorted(COMMANDS)
    for name, (module, _, summary) in COMMANDS.items():
        command = cli.commands[name]
        assert command.name == name and command.callback is not None
        assert command.callback.__module__ == f"hubtool.commands.{module}"
        assert " ".join((command.help or "").split("\n\n")[0].split()) == summary
    eager = click.Group(commands=[cli.commands[name] for name in COMMANDS])
    for width in (30, 80, 200):
        lazy_list, eager_list = click.HelpFormatter(width=width), click.HelpFormatter(width=width)
        cli.format_commands(ctx, lazy_list)
        click.Group.format_commands(eager, ctx, eager_list)
        assert lazy_list.getvalue() == eager_list.getvalue()
        assert all(f"  {name} " in lazy_list.getvalue() for name in COMMANDS)


def test_an_unknown_command_is_a_usage_error() -> None:
    result = run_cli("valdate")
    assert result.returncode == 2 and "No such command 'valdate'" in result.stderr
    assert "Did you mean 'validate'?" in result.stderr


def test_rules_explains_one_rule_in_every_format() -> None:
    text = run_cli("rules", "bounded-path")
    assert text.returncode == 0, text.stderr
    assert text.stdout.startswith("bounded-path (error, family paths): ")
    assert "Fix: " in text.stdout and "hubtool rules bounded-path --format markdown" in text.stdout
    doc = json.loads(run_cli("rules", "bounded-path", "schema", "--format", "json").stdout)
    assert [rule["id"] for rule in doc["rules"]] == ["bounded-path", "schema"]
    markdown = run_cli("rules", "schema", "--format", "markdown").stdout
    assert markdown.startswith("## `schema`") and "**Fails:**" in markdown
    assert markdown in (REPO / "docs/RULES.md").read_text(encoding="utf-8")


def test_kinds_explains_one_kind() -> None:
    text = run_cli("kinds", "action-removed")
    assert text.returncode == 0 and text.stdout.startswith("action-removed (major bump, ")
    assert "Reverse: action-added" in text.stdout


@pytest.mark.parametrize(
    ("args", "hint"),
    [
        (("rules", "bounded-pth"), "did you mean 'bounded-path'"),
        (("kinds", "action-remove"), "did you mean 'action-removed'"),
        (("rules", "zzzz"), None),
    ],
)
def test_an_unknown_id_exits_2_with_did_you_mean(args: tuple[str, ...], hint: str | None) -> None:
    result = run_cli(*args)
    assert result.returncode == 2 and result.stdout == ""
    assert f"unknown {'rule' if args[0] == 'rules' else 'change kind'} {args[1]!r}" in result.stderr
    assert (hint in result.stderr) if hint else ("did you mean" not in result.stderr)


def test_schema_prints_the_packaged_schema_byte_for_byte(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "hubtool", "schema"], capture_output=True, cwd=tmp_path, timeout=60
    )
    assert result.returncode == 0 and result.stderr == b""
    assert result.stdout == (REPO / "schemas/dock-integration.schema.json").read_bytes()
    assert json.loads(result.stdout)["$schema"] == "https://json-schema.org/draft/2020-12/schema"
