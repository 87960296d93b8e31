"""What the benchmark scripts share: a timing, how to measure one, how to print it."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Timing:
    label: str
    seconds: list[float]

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def best(self) -> float:
        return min(self.seconds)


def measure(action: Callable[[], object], runs: int) -> list[float]:
    """Wall time of ``runs`` calls of ``action``, in seconds."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return times


def milliseconds(seconds: float) -> str:
    return f"{seconds * 1000:9.1f} ms"
