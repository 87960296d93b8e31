"""``-q``/``--quiet`` and ``-v``/``--verbose`` on every command, with one meaning: quiet leaves
only findings and errors (no summary line, no note), verbose adds detail on stderr (timing,
files read, the draft store)."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pytest
from conftest import SENTRY, run_cli, store_env

from hubtool.cli import COMMANDS, cli
from hubtool.commands.common import equip


def _all_commands() -> list[tuple[str, click.Command]]:
    found = []
    for name in COMMANDS:
        command = cli.commands[name]
        found.append((name, command))
        if isinstance(command, click.Group):
            found.extend((f"{name} {sub}", c) for sub, c in command.commands.items())
    return found


@pytest.mark.parametrize(("name", "command"), _all_commands(), ids=lambda v: str(v))
def test_every_command_has_quiet_and_verbose(name: str, command: click.Command) -> None:
    flags = {flag for param in command.params for flag in getattr(param, "opts", ())}
    assert {"-q", "--quiet", "-v", "--verbose"} <= flags, name


def test_a_new_command_gets_them_when_loaded() -> None:
    calls: list[tuple[bool, bool]] = []

    @click.command("later")
    def later() -> None:
        from hubtool.commands import quiet, verbose

        calls.append((quiet(), verbose()))

    equipped = equip(later)
    assert equip(equipped) is equipped and len(equipped.params) == 2  # idempotent
    equipped.main(["-q"], standalone_mode=False)
    equipped.main(["--verbose"], standalone_mode=False)
    assert calls == [(True, False), (False, True)]


def test_quiet_validate_prints_only_findings(tmp_path: Path, sentry_data: dict) -> None:
    clean = run_cli("validate", "-q", str(SENTRY))
    assert clean.returncode == 0 and clean.stdout == "" and clean.stderr == ""
    sentry_data["actionTemplates"][0]["approvalMode"] = "sometimes"
    bad = tmp_path / "m.json"
    bad.write_text(json.dumps(sentry_data, indent=2), encoding="utf-8")
    loud, quiet = run_cli("validate", str(bad)), run_cli("validate", "--quiet", str(bad))
    assert quiet.returncode == loud.returncode == 1
    assert quiet.stdout.splitlines() == loud.stdout.splitlines()[:-1]
    assert "checked" in loud.stdout.splitlines()[-1] and "checked" not in quiet.stdout


def test_verbose_validate_names_the_files_and_the_time() -> None:
    result = run_cli("validate", "-v", str(SENTRY))
    assert result.returncode == 0 and result.stdout == "1 file checked: no findings\n"
    assert "hubtool: read " in result.stderr and SENTRY.name in result.stderr
    assert "hubtool: validate took " in result.stderr


def test_diff_keeps_its_own_verbose() -> None:
    """``diff -v`` keeps its own flag (list unchanged manifests) and also times the run."""
    from hubtool.commands.diff import diff_command

    own = [p for p in diff_command.params if "-v" in getattr(p, "opts", ())]
    assert [p.help for p in own] == ["Text and markdown: list unchanged manifests too."]
    result = run_cli("diff", "-v", str(SENTRY), str(SENTRY))
    assert result.returncode == 0, result.stderr
    assert "no changes (0.1.0)" in result.stdout and "hubtool: diff took " in result.stderr
    quiet = run_cli("diff", "-q", str(SENTRY), str(SENTRY))
    assert quiet.returncode == 0 and quiet.stdout == result.stdout and quiet.stderr == ""


def test_quiet_drops_notes_and_a_group_flag_reaches_its_commands(tmp_path: Path) -> None:
    env = store_env(tmp_path / "none" / "store.sqlite3", "t")
    loud = run_cli("drafts", "list", env=env)
    assert "hubtool: note: no draft store" in loud.stderr
    for args in (("drafts", "list", "-q"), ("drafts", "-q", "list")):
        quiet = run_cli(*args, env=env)
        assert quiet.returncode == 0 and quiet.stderr == "", args
        assert quiet.stdout.startswith("no drafts in ")
    verbose = run_cli("drafts", "-v", "list", env=env)
    assert "hubtool: draft store " in verbose.stderr and "drafts list took" in verbose.stderr
