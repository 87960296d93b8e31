"""Fuzz (Hypothesis, stateful): `import` into a real SQLite store and the draft lifecycle
(validate, test, request-publish, publish, reject), with list and show between the steps.

Each run is a random sequence of commands through the CLI (in process) on one fresh store:
manifests that validate (release variants) and manifests that do not, real draft ids and
made-up ones, hostile actors and notes. After every step the store is consistent, and a read
(``--dry-run``, ``drafts list``, ``drafts show``) has not changed one byte of it.
"""

from __future__ import annotations

import copy
import hashlib
import sqlite3
import tempfile
from pathlib import Path
from typing import Any

from fuzzkit import Mutant, budget, cli, dumps, example, mutated, text, tokens
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule
from test_robustness import ORIGINAL

WORK = Path(tempfile.mkdtemp(prefix="hubtool-fuzz-store-"))
STEPS = ("validate", "test", "request-publish")
STEP_COUNT = 12


def _variant(version: str, edit: str) -> dict[str, Any]:
    """A release of the Sentry manifest that still validates."""
    data = copy.deepcopy(ORIGINAL)
    data["version"] = version
    actions = data["actionTemplates"]
    if edit == "label":
        actions[0]["label"] = "List every project"
    elif edit == "drop":
        del actions[1]
    elif edit == "approval":
        actions[0]["approvalMode"] = "require_approval"
    elif edit == "base":
        data["portTemplates"][0]["label"] = "Sentry (EU)"
    return data


VARIANTS = [
    _variant(v, e)
    for v, e in (
        ("0.1.0", ""),
        ("0.1.1", "label"),
        ("1.0.0", "drop"),
        ("0.2.0", "approval"),
        ("0.1.2", "base"),
    )
]
manifests = st.one_of(
    st.sampled_from(VARIANTS).map(lambda v: Mutant(v, [f"release {v['version']}"])),
    mutated(max_edits=1),
)
actors = st.one_of(st.sampled_from(("agent", "ci-bot", "")), text)


def _snapshot(directory: Path) -> dict[str, str]:
    """Every file under ``directory`` with the sha256 of its bytes."""
    return {
        str(p.relative_to(directory)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(directory.rglob("*"))
        if p.is_file()
    }


class StoreMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.home = Path(tempfile.mkdtemp(dir=WORK))
        self.store = self.home / "data" / "store.sqlite3"
        self.env = {
            "HUBTOOL_STORE": str(self.store),
            "XDG_DATA_HOME": str(self.home / "xdg"),
            "NO_COLOR": "1",
        }
        self.manifest = self.home / "manifest.json"

    def _run(self, *args: str) -> None:
        with example("store"):
            cli(*args, env=self.env).check()

    def _read(self, *args: str) -> None:
        """A read: the store directory is byte for byte what it was."""
        before = _snapshot(self.home / "data") if self.store.parent.exists() else None
        self._run(*args)
        after = _snapshot(self.home / "data") if self.store.parent.exists() else None
        assert before == after, f"{' '.join(args)} changed the store"

    def _ids(self) -> list[str]:
        if not self.store.exists():
            return []
        db = sqlite3.connect(f"{self.store.as_uri()}?mode=ro", uri=True)
        try:
            return [row[0] for row in db.execute("SELECT id FROM drafts ORDER BY rowid")]
        finally:
            db.close()

    def _targets(self, picks: list[int], extra: list[str]) -> list[str]:
        ids = self._ids()
        return [ids[i % len(ids)] for i in picks if ids] + extra

    @rule(data=manifests, fmt=st.sampled_from(("text", "json")), actor=actors)
    def import_manifest(self, data: Mutant, fmt: str, actor: str) -> None:
        self.manifest.write_text(dumps(data.data), encoding="utf-8", errors="surrogatepass")
        self._run("import", str(self.manifest), "--format", fmt, "--actor", actor)

    @rule(data=manifests, fmt=st.sampled_from(("text", "json")))
    def dry_run(self, data: Mutant, fmt: str) -> None:
        self.manifest.write_text(dumps(data.data), encoding="utf-8", errors="surrogatepass")
        self._read("import", str(self.manifest), "--dry-run", "--format", fmt)

    @rule(
        step=st.sampled_from(STEPS),
        picks=st.lists(st.integers(0, 20), max_size=3),
        extra=st.lists(st.one_of(tokens, text), max_size=1),
        actor=actors,
        note=text,
    )
    def lifecycle(
        self, step: str, picks: list[int], extra: list[str], actor: str, note: str
    ) -> None:
        targets = self._targets(picks, extra)
        self._run("drafts", step, *targets, "--actor", actor, "--note", note)

    @rule(
        step=st.sampled_from(("publish", "reject")),
        picks=st.lists(st.integers(0, 20), min_size=1, max_size=3),
        extra=st.lists(st.one_of(tokens, text), max_size=1),
        operator=actors,
        note=text,
    )
    def operator(
        self, step: str, picks: list[int], extra: list[str], operator: str, note: str
    ) -> None:
        targets = self._targets(picks, extra) or ["dr_0"]
        self._run("drafts", step, *targets, "--operator", operator, "--note", note)

    @rule(
        state=st.sampled_from((None, "draft", "tested", "published")),
        fmt=st.sampled_from(("text", "json")),
    )
    def list_drafts(self, state: str | None, fmt: str) -> None:
        self._read("drafts", "list", *(["--state", state] if state else []), "--format", fmt)

    @rule(pick=st.integers(0, 20), other=st.one_of(tokens, text))
    def show(self, pick: int, other: str) -> None:
        ids = self._ids()
        self._read("drafts", "show", ids[pick % len(ids)] if ids else other)

    @invariant()
    def consistent(self) -> None:
        """SQLite's own check; one open and one published draft per action of a port."""
        if not self.store.exists():
            return
        db = sqlite3.connect(f"{self.store.as_uri()}?mode=ro", uri=True)
        try:
            assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            rows = db.execute(
                "SELECT port_id, slug, state = 'published', count(*) FROM drafts "
                "WHERE state != 'superseded' GROUP BY 1, 2, 3 HAVING count(*) > 1"
            ).fetchall()
            assert not rows, rows
        finally:
            db.close()

    def teardown(self) -> None:
        for path in sorted(self.home.rglob("*"), reverse=True):
            path.rmdir() if path.is_dir() else path.unlink()
        self.home.rmdir()


TestStoreLifecycle = StoreMachine.TestCase
TestStoreLifecycle.settings = budget(
    "store", ci=6, per_example=STEP_COUNT, stateful_step_count=STEP_COUNT
)
