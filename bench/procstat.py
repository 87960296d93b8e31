"""Whole-process measurements: wall, cpu and peak memory of a child, interleaved between tools.

A child's cpu (user + sys) and peak resident set come from ``os.wait4`` (Linux: they include the
child's own waited-for children, e.g. worker processes; ``ru_maxrss`` is then the largest single
process, not their sum). Wall time is ``perf_counter`` around spawn and reap.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

MIB = 1024 * 1024


@dataclass(frozen=True)
class Sample:
    """One run: wall and cpu in seconds, peak resident set in bytes."""

    wall: float
    cpu: float
    rss: int


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
            sum(p.wall for p in parts), sum(p.cpu for p in parts), max(p.rss for p in parts)
        )

    def median(self, attribute: str) -> float:
        return statistics.median(getattr(s, attribute) for s in self.samples)


def spawn(argv: Sequence[str], cwd: Path, env: dict[str, str] | None) -> Sample:
    """Run ``argv`` to completion; exit with its output when it fails (exit code not 0)."""
    with tempfile.TemporaryFile() as output:
        start = time.perf_counter()
        child = subprocess.Popen(argv, cwd=cwd, env=cached(env), stdout=output, stderr=output)
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode != 0:
            output.seek(0)
            text = output.read().decode("utf-8", "replace")[-4000:]
            sys.exit(f"bench: {' '.join(argv[:3])} ... exited {child.returncode}:\n{text}")
    return Sample(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss * 1024)


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
    wall, cpu, rss = tool.median("wall"), tool.median("cpu"), tool.median("rss")
    return f"{seconds(wall)} / {seconds(cpu)} / {rss / MIB:.0f} MB"


def ratio(ours: Tool, theirs: Tool) -> str:
    """Wall and cpu ratios of medians, ours over theirs."""
    wall = ours.median("wall") / theirs.median("wall")
    cpu = ours.median("cpu") / theirs.median("cpu")
    return f"{wall:.2f}x ({cpu:.2f}x cpu)"
