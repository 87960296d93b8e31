"""The one exception for runs that cannot complete (exit code 2)."""

from __future__ import annotations

EXIT_CLEAN = 0
EXIT_FINDINGS = 1
EXIT_CANNOT_RUN = 2
EXIT_INTERRUPTED = 130


class HubtoolError(Exception):
    """Expected failure that stops the run: bad usage, unreadable path, bad configuration.

    Messages quote what the user gave (names, keys, values) for context; a credential-shaped
    part of one is redacted here, so no raiser can print a secret by accident. The message is
    one line (the CLI shows a newline in it as ``\\n``); ``details`` are lines shown below it.
    """

    def __init__(self, message: str, details: tuple[str, ...] = ()) -> None:
        from hubtool.core.secrets import redact_text

        self.message = redact_text(message)
        self.details = tuple(redact_text(line) for line in details)
        super().__init__("\n".join((self.message, *self.details)))

    def __reduce__(self) -> tuple[type[HubtoolError], tuple[str, tuple[str, ...]]]:
        """Pickled whole (message and details apart), as a worker process sends it back."""
        return (type(self), (self.message, self.details))
