"""The one exception for runs that cannot complete (exit code 2)."""

EXIT_CLEAN = 0
EXIT_FINDINGS = 1
EXIT_CANNOT_RUN = 2
EXIT_INTERRUPTED = 130


class HubtoolError(Exception):
    """Expected failure that stops the run: bad usage, unreadable path, bad configuration."""
