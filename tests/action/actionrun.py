"""The composite action (``action.yml``) run here as the Actions runner would run it: a helper,
not a test module.

What is real: every ``run:`` step's shell, run by ``bash --noprofile --norc -eo pipefail`` (the
runner's ``shell: bash``) in a real git repository as the workspace, with the runner's
environment files (``GITHUB_OUTPUT``, ``GITHUB_STEP_SUMMARY``, one per step), the event JSON at
``GITHUB_EVENT_PATH``, ``GITHUB_ACTION_PATH`` (this repository: the action's own files) and
``RUNNER_TEMP``; step outputs and outcomes flow to later steps as the runner passes them.

What is simulated: ``${{ }}`` expressions, of which this evaluator knows only the forms the
action uses (``inputs.X``, ``steps.ID.outputs.X``, ``steps.ID.outcome``, ``==``/``!=`` with a
string literal, ``&&``, ``!cancelled()``); anything else fails the test, which keeps the action's
expressions minimal. ``uses:`` steps (setup-python, upload-sarif) are not run: their ``if:`` is
evaluated, and a step that would run is recorded with its ``with:`` values and given the outcome
the test asks for.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from conftest import REPO
from gitrepo import git_env

ACTION = REPO / "action.yml"
_EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")
_COMPARISON = re.compile(r"^(\S+)\s*(==|!=)\s*'([^']*)'$")


def action() -> dict[str, Any]:
    return yaml.safe_load(ACTION.read_text(encoding="utf-8"))


@dataclass
class StepRun:
    """One step as it ran: ``ran`` False when its ``if:`` was false or an earlier step failed."""

    name: str
    ran: bool
    outcome: str = "skipped"
    returncode: int | None = None
    stdout: str = ""
    stderr: str = ""
    summary: str = ""
    outputs: dict[str, str] = field(default_factory=dict)
    uses: str | None = None
    with_: dict[str, str] = field(default_factory=dict)


@dataclass
class ActionRun:
    """The steps as they ran, and the job's verdict: ``failed`` when a step failed without
    ``continue-on-error``."""

    steps: list[StepRun]
    failed: bool

    def step(self, step_id_or_name: str) -> StepRun:
        (found,) = [s for s in self.steps if s.name == step_id_or_name]
        return found

    @property
    def summary(self) -> str:
        """The job summary: every step's summary file, in order."""
        return "".join(s.summary for s in self.steps)


class Runner:
    """Runs ``action.yml`` once in ``workspace`` for one event."""

    def __init__(
        self,
        workspace: Path,
        temp: Path,
        event_name: str,
        event: dict[str, Any],
        inputs: dict[str, str] | None = None,
        *,
        base_ref: str = "",
        outcomes: dict[str, str] | None = None,
        path: list[Path] | None = None,
    ) -> None:
        self.workspace = workspace
        self.temp = temp
        self.event_name = event_name
        self.inputs = {
            name: str(spec.get("default", "")) for name, spec in action()["inputs"].items()
        }
        self.inputs.update(inputs or {})
        self.outcomes = outcomes or {}
        self.path = path or []
        self.results: dict[str, StepRun] = {}
        self.runner_temp = temp / "runner-temp"
        self.runner_temp.mkdir(parents=True)
        self.event_path = temp / "event.json"
        self.event_path.write_text(json.dumps(event), encoding="utf-8")
        self.base_ref = base_ref

    # --- expressions ------------------------------------------------------------------------

    def value(self, expression: str) -> str:
        parts = expression.split(".")
        if parts[0] == "inputs" and len(parts) == 2:
            return self.inputs[parts[1]]
        if parts[0] == "steps" and len(parts) in (3, 4):
            step = self.results.get(parts[1])
            if parts[2] == "outcome" and len(parts) == 3:
                return step.outcome if step else ""
            if parts[2] == "outputs" and len(parts) == 4:
                return step.outputs.get(parts[3], "") if step else ""
        raise AssertionError(f"an expression the action should not need: {expression}")

    def condition(self, text: str) -> bool:
        text = _EXPRESSION.sub(r"\1", text.strip()).strip()
        verdict = True
        for term in (t.strip() for t in text.split("&&")):
            if term == "!cancelled()":
                continue
            match = _COMPARISON.match(term)
            assert match, f"an if: the action should not need: {term}"
            left, op, literal = match.groups()
            verdict = verdict and ((self.value(left) == literal) == (op == "=="))
        return verdict

    def substitute(self, text: str) -> str:
        return _EXPRESSION.sub(lambda m: self.value(m.group(1)), text)

    # --- the run ----------------------------------------------------------------------------

    def environment(self, step_env: dict[str, str], output: Path, summary: Path) -> dict[str, str]:
        env = {k: v for k, v in git_env().items() if k != "PYTHONUNBUFFERED"}
        env["PATH"] = os.pathsep.join([*map(str, self.path), env["PATH"]])
        env.update(
            GITHUB_ACTIONS="true",
            CI="true",
            GITHUB_EVENT_NAME=self.event_name,
            GITHUB_EVENT_PATH=str(self.event_path),
            GITHUB_BASE_REF=self.base_ref,
            GITHUB_WORKSPACE=str(self.workspace),
            GITHUB_ACTION_PATH=str(REPO),
            GITHUB_ACTOR="octocat",
            RUNNER_TEMP=str(self.runner_temp),
            GITHUB_OUTPUT=str(output),
            GITHUB_STEP_SUMMARY=str(summary),
        )
        env.update({k: self.substitute(str(v)) for k, v in step_env.items()})
        return env

    def run_step(self, index: int, step: dict[str, Any]) -> StepRun:
        name = step.get("id") or step["name"]
        files = self.temp / f"step-{index}"
        files.mkdir()
        output, summary = files / "output", files / "summary"
        output.touch()
        summary.touch()
        env = self.environment(step.get("env", {}), output, summary)
        result = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
            cwd=self.workspace,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        outputs = dict(
            line.split("=", 1) for line in output.read_text(encoding="utf-8").splitlines() if line
        )
        return StepRun(
            name,
            True,
            "success" if result.returncode == 0 else "failure",
            result.returncode,
            result.stdout,
            result.stderr,
            summary.read_text(encoding="utf-8"),
            outputs,
        )

    def run(self) -> ActionRun:
        failed = False
        for index, step in enumerate(action()["runs"]["steps"]):
            name = step.get("id") or step["name"]
            condition = step.get("if")  # without a status function: success() && ...
            runs = not failed or "cancelled()" in str(condition)
            runs = runs and (condition is None or self.condition(str(condition)))
            if not runs:
                self.results[name] = StepRun(name, False, uses=step.get("uses"))
            elif "uses" in step:
                with_ = {k: self.substitute(str(v)) for k, v in step.get("with", {}).items()}
                outcome = self.outcomes.get(name, "success")
                self.results[name] = StepRun(name, True, outcome, uses=step["uses"], with_=with_)
            else:
                self.results[name] = self.run_step(index, step)
            ran = self.results[name]
            if ran.outcome == "failure" and not step.get("continue-on-error"):
                failed = True
        return ActionRun(list(self.results.values()), failed)
