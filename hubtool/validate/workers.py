"""A large catalog checked in worker processes, one per core; the outcome is the same as one
process's, in the same order.

Files are split into consecutive chunks, one task each; results are taken back in chunk order,
so the report lists files and findings exactly as a run in one process would. Linux workers
are forked (they share the loaded rules and compiled schema: no start-up per worker); other
systems spawn them. ``HUBTOOL_JOBS`` (or ``--jobs``) sets the number of processes; 1 checks in
this process only, for debugging.
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from hubtool.core.errors import HubtoolError

if TYPE_CHECKING:
    from multiprocessing.context import BaseContext

MIN_FILES = 50
"""Below this many files one process is faster than starting workers."""
MAX_CHUNK = 32
"""Files per task at most: small enough to balance the cores, large enough to pay the trip."""
OVERSUBSCRIBE = 4
"""At most this many worker processes per usable core, whatever ``--jobs`` asks."""
TASKS_PER_WORKER = 4
TAIL_SPLIT = 4
"""The last tasks (two per worker) are this many times smaller: the workers finish together,
not one of them a whole task after the others."""
JOBS_ENV = "HUBTOOL_JOBS"

Item = TypeVar("Item")
Outcome = TypeVar("Outcome")
Task = Callable[[list[Path], int], list[Outcome]]


def worker_count(files: int, jobs: int | None = None) -> int:
    """Processes to check ``files`` files with: ``jobs`` when given, else ``HUBTOOL_JOBS``, else
    one per usable core when there are at least ``MIN_FILES`` files; never more than tasks, nor
    than ``OVERSUBSCRIBE`` per usable core (``--jobs 100000`` would start one process per file).

    Raises HubtoolError for a ``HUBTOOL_JOBS`` that is not a positive integer."""
    if jobs is None:
        jobs = _env_jobs()
    if jobs is None:
        jobs = usable_cores() if files >= MIN_FILES else 1
    jobs = min(jobs, OVERSUBSCRIBE * usable_cores())
    return max(1, min(jobs, len(chunks(range(files), jobs))))


def _env_jobs() -> int | None:
    text = os.environ.get(JOBS_ENV, "").strip()
    if not text:
        return None
    if not (text.isascii() and text.isdigit()) or int(text) < 1:  # not '²' (isdigit, no int)
        raise HubtoolError(f"{JOBS_ENV} must be a positive whole number of processes, not {text!r}")
    return int(text)


def usable_cores() -> int:
    """The cores this process may run on (its CPU affinity where the system tells it)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


def chunks(items: Sequence[Item], workers: int) -> list[Sequence[Item]]:
    """``items`` in consecutive slices: about ``TASKS_PER_WORKER`` per worker, at most
    ``MAX_CHUNK`` long, none empty; the last ``2 * workers`` slices' worth in slices
    ``TAIL_SPLIT`` times smaller, when that leaves them at least 2 long."""
    size = max(1, min(MAX_CHUNK, -(-len(items) // (workers * TASKS_PER_WORKER))))
    small = size // TAIL_SPLIT if size >= 2 * TAIL_SPLIT else size
    tail = max(0, len(items) - 2 * workers * size)
    return [items[start : min(start + size, tail)] for start in range(0, tail, size)] + [
        items[start : start + small] for start in range(tail, len(items), small)
    ]


def in_workers(
    task: Task[Outcome], files: list[Path], max_bytes: int, workers: int
) -> Iterator[Outcome]:
    """``task(chunk, max_bytes)`` for each chunk of ``files`` in ``workers`` processes; the
    outcomes, in order. An exception a task raises (HubtoolError, a crash under HUBTOOL_DEBUG)
    is raised here as in one process; a worker that dies (a signal, out of memory) stops the
    run with a HubtoolError naming the first file of its chunk: nothing is lost silently."""
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    pool = ProcessPoolExecutor(workers, mp_context=_context(), initializer=_worker_setup)
    gc.freeze()  # before the first submit forks the workers: they never walk the parent's
    # objects, so never copy their pages; after the pool, which may fail (no semaphores)
    try:
        parts = chunks(files, workers)
        futures = [pool.submit(task, list(part), max_bytes) for part in parts]
        for part, future in zip(parts, futures, strict=True):
            try:
                outcomes = future.result()
            except BrokenProcessPool as exc:
                raise HubtoolError(_died(part[0])) from exc
            yield from outcomes
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        gc.unfreeze()


def _died(first: Path) -> str:
    from hubtool.load.discover import display, shown

    return (
        f"a worker process stopped abruptly while checking {shown(display(first))} or a file "
        f"after it; no report was written. Run again with {JOBS_ENV}=1 to check in one process"
    )


def _context() -> BaseContext:
    import multiprocessing

    return multiprocessing.get_context("fork" if sys.platform == "linux" else "spawn")


def _worker_setup() -> None:
    """A worker writes nothing: it drops the standard streams it inherited (a forked copy of a
    partly written line would otherwise be written twice). Ctrl-C ends it at once, as the run
    it serves (the parent exits 130) instead of finishing its queued chunks first."""
    import signal

    sys.stdout = sys.stderr = open(os.devnull, "w")  # noqa: SIM115 - lives as long as the worker
    if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
        signal.signal(signal.SIGINT, signal.SIG_DFL)
