"""hubtool: keep a Harbor Dock / Hub integration catalog safe."""

__version__ = "0.2.0"

GC_THRESHOLD = 50_000
"""Container allocations (net) between two collections of the youngest generation (Python's
default: 700), set where the process starts (``hubtool.__main__.main``).
Loading click and a command allocates some 25,000 objects that live until the process ends; at
the default the collector walks them some 35 times for nothing (about 7 ms of a one-manifest
run, the pre-commit hook's). At this figure a short run never collects, and a long one (a
catalog, a server) still does, as mypy (200,000) and freqtrade (50,000) set it."""
