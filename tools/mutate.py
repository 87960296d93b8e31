"""Mutation testing of the policy rules, the gate and the diff classification (``make mutate``).

Runs mutmut 3 (configured in ``pyproject.toml`` ``[tool.mutmut]``) on one module at a time with
one worker, then prints the kill rate per module: killed (a test failed, or the mutant hung past
its time limit) over all mutants. A mutant no test reaches counts as a survivor. Exit status 1
when a module is under ``--floor`` percent. Usage::

    python tools/mutate.py                       # every module, fresh run
    python tools/mutate.py hubtool/diff/gate.py       # one module
    python tools/mutate.py --report              # figures of the last run, no mutation
    python tools/mutate.py --survivors           # also list the surviving mutants by name
    python tools/mutate.py --again MODULE        # after adding tests: retry its survivors only
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
MODULES = [
    "hubtool/core/secrets/__init__.py",
    "hubtool/core/secrets/decodings.py",
    "hubtool/core/secrets/detectors.py",
    "hubtool/core/secrets/names.py",
    "hubtool/diff/canonical.py",
    "hubtool/diff/gate.py",
    "hubtool/diff/kinds/__init__.py",
    "hubtool/diff/kinds/actions.py",
    "hubtool/diff/kinds/body.py",
    "hubtool/diff/kinds/inputs.py",
    "hubtool/diff/kinds/metadata.py",
    "hubtool/diff/kinds/port.py",
    "hubtool/diff/kinds/schemas.py",
    "hubtool/validate/rules/__init__.py",
    "hubtool/validate/rules/approval.py",
    "hubtool/validate/rules/body.py",
    "hubtool/validate/rules/catalog.py",
    "hubtool/validate/rules/examples.py",
    "hubtool/validate/rules/inputs.py",
    "hubtool/validate/rules/origin.py",
    "hubtool/validate/rules/paths.py",
    "hubtool/validate/rules/references.py",
    "hubtool/validate/rules/regexes.py",
    "hubtool/validate/rules/schema.py",
    "hubtool/validate/rules/secrets.py",
]
KILLED = {1, 3, 24, -24, 36, 37, 152, 255}
"""mutmut exit codes meaning the mutant was noticed: a failing test, or a timeout."""
SURVIVED = {0, 5, 33}
"""Exit codes meaning nothing noticed it: tests passed, or no test runs the mutated code."""


def pattern(module: str) -> str:
    """Mutant names of a module: ``hubtool/diff/gate.py`` → ``hubtool.diff.gate.x*``."""
    dotted = module.removesuffix(".py").removesuffix("/__init__").replace("/", ".")
    return f"{dotted}.x*"


def mutable(module: str) -> bool:
    """Whether ``module`` has code mutmut 3 mutates: it mutates inside functions only, so a
    module of re-exports and tables (``hubtool/rules/regexes.py``) has no mutants."""
    tree = ast.parse((REPO / module).read_text(encoding="utf-8"))
    return any(isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef) for n in ast.walk(tree))


def run(module: str, again: bool = False) -> int:
    """Mutate one module under ``nice`` with one worker; returns mutmut's exit status.

    With ``again``, only the last run's survivors are tried (after adding tests: a test added
    never lets a killed mutant survive).
    """
    mutmut = Path(sys.executable).with_name("mutmut")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    names = outcome(module)["survived"] if again else [pattern(module)]
    if not names or not mutable(module):
        return 0
    command = ["nice", "-n", "10", str(mutmut), "run", "--max-children", "1", *names]
    which = f"{pattern(module)} (last survivors)" if again else pattern(module)
    print(f"$ {' '.join(command[:7])} {which}", flush=True)
    done = subprocess.run(command, cwd=REPO, env=env, stdout=subprocess.DEVNULL, check=False)
    return done.returncode


def outcome(module: str) -> dict[str, list[str]]:
    """The last run's mutants of ``module`` by outcome: killed, survived, other (not run yet)."""
    meta = REPO / "mutants" / f"{module}.meta"
    result: dict[str, list[str]] = {"killed": [], "survived": [], "other": []}
    if not meta.exists():
        return result
    codes = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
    for name, code in sorted(codes.items()):
        key = "killed" if code in KILLED else "survived" if code in SURVIVED else "other"
        result[key].append(name)
    return result


def report(modules: list[str], floor: float, survivors: bool) -> int:
    """Print one line per module; returns 1 when one is under ``floor`` percent."""
    status = 0
    print(f"{'module':34} {'killed':>7} {'total':>6} {'rate':>7} {'pending':>8}")
    for module in modules:
        result = outcome(module)
        total = sum(len(names) for names in result.values())
        if not total:
            print(f"{module:34} {'-':>7} {0:>6} {'no run' if mutable(module) else 'no code':>7}")
            continue
        rate = 100 * len(result["killed"]) / total
        pending = len(result["other"])
        print(f"{module:34} {len(result['killed']):>7} {total:>6} {rate:>6.1f}% {pending:>8}")
        status |= rate < floor
        if survivors:
            for name in result["survived"]:
                print(f"    {name}")
    return status


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("modules", nargs="*", default=MODULES)
    parser.add_argument("--report", action="store_true", help="print the last run's figures")
    parser.add_argument("--survivors", action="store_true", help="list surviving mutants")
    parser.add_argument("--floor", type=float, default=90.0, help="minimum kill rate, percent")
    parser.add_argument("--fresh", action="store_true", help="drop mutants/ (and its test stats)")
    parser.add_argument("--again", action="store_true", help="retry only the last survivors")
    args = parser.parse_args(argv)
    if not args.report:
        if args.fresh:
            shutil.rmtree(REPO / "mutants", ignore_errors=True)
        for module in args.modules:
            if run(module, args.again) not in (0, None):
                print(f"mutmut failed on {module}", file=sys.stderr)
                return 2
    return report(args.modules, args.floor, args.survivors)


if __name__ == "__main__":
    sys.exit(main())
