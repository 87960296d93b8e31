"""``drafts list`` for people (header, computed widths, manifest column, --manifest, active by
default, --all for history) and the lifecycle commands' ids-or---all rule; ``--store`` on the
``drafts`` group."""

from __future__ import annotations

import copy
import dataclasses
import json
from pathlib import Path

import pytest
from conftest import run_cli, store_env

from hubtool.drafts.store import Store, new_id, now

ACTOR = "agent-9"


def hub(store: Path, *args: str):
    return run_cli(*args, env=store_env(store, ACTOR))


@pytest.fixture
def store(tmp_path: Path) -> Path:
    path = tmp_path / "state" / "store.sqlite3"
    result = hub(path, "import", "sentry")
    assert result.returncode == 0, result.stderr
    return path


def _listed(store: Path, *args: str) -> list[dict]:
    result = hub(store, "drafts", "list", "--format", "json", *args)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)["drafts"]


def _add(store_path: Path, slug: str, state: str, manifest: str = "sentry-api") -> str:
    """A draft written straight into the store (another manifest, a long slug, a state)."""
    store = Store(store_path)
    try:
        with store.transaction():
            base = next(iter(store.drafts()))
            template = copy.deepcopy(base.template) | {"slug": slug}
            stamp = now()
            draft = dataclasses.replace(
                base, id=new_id("dr"), slug=slug, state=state, template=template,
                manifest_slug=manifest, created_at=stamp, updated_at=stamp,
            )  # fmt: skip
            store.insert_draft(draft, "fixture")
    finally:
        store.close()
    return draft.id


def test_the_listing_has_a_header_and_aligned_columns(store: Path) -> None:
    long_slug = "list-issues-" + "x" * 23  # wider than any other, under the cap
    _add(store, long_slug, "draft", manifest="acme-api")
    lines = hub(store, "drafts", "list").stdout.splitlines()
    assert lines[0].split() == ["ID", "MANIFEST", "ACTION", "STATE", "APPROVAL", "VERSION", "ROUTE"]
    assert len(lines) == 5
    starts = {line.index(" GET ") if " GET " in line else line.index(" PUT ") for line in lines[1:]}
    assert len(starts) == 1, "the route column starts at one offset on every row"
    assert lines[0].index("ROUTE") == starts.pop() + 1
    assert any("acme-api" in line and long_slug in line for line in lines)


def test_active_by_default_all_for_history_and_manifest_filter(store: Path) -> None:
    old = _add(store, "old-action", "superseded")
    gone = _add(store, "gone-action", "rejected")
    other = _add(store, "other-action", "draft", manifest="acme-api")
    active = {d["id"] for d in _listed(store)}
    assert old not in active and gone not in active and other in active and len(active) == 4
    every = {d["id"] for d in _listed(store, "--all")}
    assert {old, gone} <= every and len(every) == 6
    assert [d["id"] for d in _listed(store, "--state", "superseded")] == [old]
    sentry = _listed(store, "--manifest", "sentry-api")
    assert {d["action"] for d in sentry} == {"list-projects", "list-issues", "resolve-issue"}
    assert [d["id"] for d in _listed(store, "--manifest", "acme-api")] == [other]
    assert len(_listed(store, "--manifest", "sentry")) == 4  # the publisher: its port's drafts
    text = hub(store, "drafts", "list", "--manifest", "nope").stdout
    assert text.startswith(f"no drafts in {store} matching manifest 'nope'")


def test_an_empty_store_says_which_store_and_how_to_import(tmp_path: Path) -> None:
    path = tmp_path / "empty" / "store.sqlite3"
    result = hub(path, "drafts", "list")
    assert result.returncode == 0
    assert f"no drafts in {path}" in result.stdout and "hubtool import" in result.stdout


@pytest.mark.parametrize("step", ["validate", "test", "request-publish", "publish", "reject"])
def test_a_step_needs_ids_or_all(store: Path, step: str) -> None:
    before = _listed(store, "--all")
    operator = ("--operator", "alice") if step in ("publish", "reject") else ()
    draft = before[0]["id"]
    for args in ((), (draft, "--all"), (draft, "--manifest", "sentry-api")):
        result = hub(store, "drafts", step, *args, *operator)
        assert result.returncode == 2, (step, args)
        assert "Traceback" not in result.stderr and "Usage:" in result.stderr
    assert _listed(store, "--all") == before


def test_all_with_manifest_acts_on_that_manifest_only(store: Path) -> None:
    other = _add(store, "other-action", "draft", manifest="acme-api")
    result = hub(store, "drafts", "validate", "--all", "--manifest", "sentry-api")
    assert result.returncode == 0, result.stderr
    states = {d["id"]: d["state"] for d in _listed(store)}
    assert states.pop(other) == "draft"
    assert set(states.values()) == {"validated"}


def test_an_empty_manifest_narrows_to_nothing_not_to_everything(store: Path) -> None:
    """``--manifest ""`` (an unset variable in a script) names no manifest: it must not
    widen ``--all`` to every draft of every manifest."""
    before = _listed(store, "--all")
    result = hub(store, "drafts", "validate", "--all", "--manifest", "")
    assert result.returncode == 2 and "no drafts" in result.stderr, result.stderr
    assert _listed(store, "--all") == before
    assert _listed(store, "--manifest", "") == []


def test_store_on_the_group_and_on_the_command(store: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere.sqlite3"
    env = store_env(elsewhere, ACTOR)  # $HUBTOOL_STORE names another (absent) store
    grouped = run_cli("drafts", "--store", str(store), "list", "--format", "json", env=env)
    assert grouped.returncode == 0 and len(json.loads(grouped.stdout)["drafts"]) == 3
    own = run_cli(
        "drafts", "--store", str(elsewhere), "list", "--store", str(store), env=env
    )  # the command's own --store wins
    assert own.returncode == 0 and own.stdout.count("dr_") == 3
    draft = json.loads(grouped.stdout)["drafts"][0]["id"]
    shown = run_cli("drafts", "--store", str(store), "show", draft, env=env)
    assert shown.returncode == 0 and f"draft {draft}:" in shown.stdout
    assert not elsewhere.exists()


def test_show_text_gives_state_route_and_history(store: Path) -> None:
    draft = _listed(store)[0]
    result = hub(store, "drafts", "show", draft["id"])
    assert result.returncode == 0, result.stderr
    assert f"state: {draft['state']}" in result.stdout
    assert f"route: {draft['method']} {draft['path']}" in result.stdout
    assert f"(new) -> draft  by {ACTOR}" in result.stdout


def test_the_store_notes_escape_and_redact_the_path(tmp_path: Path) -> None:
    token = "gh" + "p_" + "A1b2" * 9
    where = tmp_path / token / "a\x1b[31m"
    where.mkdir(parents=True)
    missing = hub(where / "store.sqlite3", "drafts", "list")
    assert missing.returncode == 0 and "no draft store at" in missing.stderr
    assert token not in missing.stderr and "\x1b" not in missing.stderr
