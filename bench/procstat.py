"""Whole-process measurements: wall, cpu and peak memory of a child, interleaved between tools.

A child's cpu (user + sys) comes from ``os.wait4`` (Linux: it includes the child's own
waited-for children, e.g. worker processes). Peak memory is the larger of ``ru_maxrss`` (the
largest single process of the tree) and the largest sum, sampled every 20 ms, of the
proportional set size (PSS: shared pages split between their sharers, so forked workers are not
counted twice) of the child and all its descendants, from ``/proc/PID/smaps_rollup``. Wall time
is ``perf_counter`` around spawn and reap.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

MIB = 1024 * 1024


@dataclass(frozen=True)
class Sample:
    """One run: wall and cpu in seconds, peak memory in bytes (see the module docstring)."""

    wall: float
    cpu: float
    memory: int


@dataclass
class Tool:
    """A measured command: one or more processes run in turn (their times add, peaks max)."""

    label: str
    argvs: list[list[str]]
    cwd: Path
    env: dict[str, str] | None = None
    before: Callable[[], None] | None = None  # untimed, before every run (e.g. remove a store)
    samples: list[Sample] = field(default_factory=list)

    def run(self) -> Sample:
        if self.before is not None:
            self.before()
        parts = [spawn(argv, self.cwd, self.env) for argv in self.argvs]
        return Sample(
            sum(p.wall for p in parts), sum(p.cpu for p in parts), max(p.memory for p in parts)
        )

    def median(self, attribute: str) -> float:
        return statistics.median(getattr(s, attribute) for s in self.samples)


def spawn(argv: Sequence[str], cwd: Path, env: dict[str, str] | None) -> Sample:
    """Run ``argv`` to completion; exit with its output when it fails (exit code not 0)."""
    with tempfile.TemporaryFile() as output:
        start = time.perf_counter()
        child = subprocess.Popen(argv, cwd=cwd, env=cached(env), stdout=output, stderr=output)
        sampler = TreeMemory(child.pid)
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - start
        sampler.stop()
        child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode != 0:
            output.seek(0)
            text = output.read().decode("utf-8", "replace")[-4000:]
            sys.exit(f"bench: {' '.join(argv[:3])} ... exited {child.returncode}:\n{text}")
    return Sample(wall, usage.ru_utime + usage.ru_stime, max(usage.ru_maxrss * 1024, sampler.peak))


class TreeMemory:
    """The largest PSS sum of a process and its descendants, sampled in a thread (bytes)."""

    def __init__(self, pid: int, interval: float = 0.02) -> None:
        self.pid, self.interval, self.peak = pid, interval, 0
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._done.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._done.is_set():
            self.peak = max(self.peak, sum(pss(pid) for pid in tree(self.pid)))
            self._done.wait(self.interval)


def tree(pid: int) -> list[int]:
    """``pid`` and its descendants (Linux ``/proc/PID/task/TID/children``); gone ones skipped."""
    found, stack = [], [pid]
    while stack:
        current = stack.pop()
        found.append(current)
        try:
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children", encoding="ascii") as handle:
                    stack.extend(int(child) for child in handle.read().split())
        except OSError:
            continue
    return found


def pss(pid: int) -> int:
    """Proportional set size of ``pid`` in bytes; 0 when it is gone or unreadable."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return 0


def cached(env: dict[str, str] | None) -> dict[str, str]:
    """``env`` (default: this process's) as an installed tool runs: bytecode cached on disk.

    With ``PYTHONDONTWRITEBYTECODE`` set, a module changed since its ``.pyc`` was written is
    compiled again on every run, which would time the compiler, not the tool.
    """
    return {k: v for k, v in (env or os.environ).items() if k != "PYTHONDONTWRITEBYTECODE"}


def interleave(tools: list[Tool], runs: int) -> None:
    """One untimed warm-up run of each tool (checks it works), then ``runs`` rounds, rotated."""
    for tool in tools:
        tool.run()
    for round_ in range(runs):
        shift = round_ % len(tools)
        for tool in tools[shift:] + tools[:shift]:
            tool.samples.append(tool.run())


def seconds(value: float) -> str:
    return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"


def cell(tool: Tool) -> str:
    """``wall / cpu / peak`` medians of a measured tool."""
    wall, cpu, memory = tool.median("wall"), tool.median("cpu"), tool.median("memory")
    return f"{seconds(wall)} / {seconds(cpu)} / {memory / MIB:.0f} MB"


def ratio(ours: Tool, theirs: Tool) -> str:
    """Wall and cpu ratios of medians, ours over theirs."""
    wall = ours.median("wall") / theirs.median("wall")
    cpu = ours.median("cpu") / theirs.median("cpu")
    return f"{wall:.2f}x ({cpu:.2f}x cpu)"
