"""The standard streams at the CLI boundary: text that degrades instead of failing, documents
as whole UTF-8 bytes, and no line that the Actions runner could take for a workflow command.

``guarded_streams`` replaces ``sys.stdout`` and ``sys.stderr`` for one run: every line written
passes ``escape.no_commands`` (a last line of defence behind the per-medium escaping of each
value); only a reporter's own workflow commands (``write_command``) start with ``::``.
An output that cannot be written (a full disk) becomes ``OutputError`` (exit 2); a closed pipe
``ClosedPipe`` (exit 2, silent).
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import re
import sys
from collections.abc import Iterator
from typing import Any, TextIO

from hubtool.core.escape import no_commands

_LINE_END = re.compile(r"(\r\n|\r|\n)")
"""Line ends as the runner reads them (.NET ReadLine: CR, LF or CRLF)."""


class GuardedStream(io.TextIOBase):
    """A text stream over ``inner`` that writes whole lines, each through ``no_commands``.

    Characters the encoding cannot represent become backslash escapes. A partial line waits for
    its end (or ``release``), so the start of a line is always judged whole. No ``buffer``
    attribute: click must write through this stream, not around it.
    """

    def __init__(self, inner: TextIO) -> None:
        super().__init__()
        self._inner = inner
        self._pending: list[str] = []
        reconfigure = getattr(inner, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(ValueError, OSError):
                reconfigure(errors="backslashreplace")

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return getattr(self._inner, "encoding", None) or "utf-8"

    @property
    def errors(self) -> str:  # type: ignore[override]
        return "backslashreplace"

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return self._inner.isatty()

    def fileno(self) -> int:
        return self._inner.fileno()

    def write(self, text: str) -> int:  # type: ignore[override]
        if not isinstance(text, str):
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        if "\n" not in text and "\r" not in text:
            self._pending.append(text)  # a line written in pieces: judged when it ends
            return len(text)
        parts = _LINE_END.split("".join((*self._pending, text)))
        self._pending = [parts.pop()]
        self._emit("".join(no_commands(p) if i % 2 == 0 else p for i, p in enumerate(parts)))
        return len(text)

    def write_command(self, line: str) -> None:
        """A workflow command built by a reporter from escaped values: ``line`` ends in ``\\n``."""
        self.release()
        self._emit(line)

    def write_document(self, text: str) -> None:
        """A JSON or SARIF document: UTF-8 bytes in one write, whatever the stream's encoding."""
        self.release()
        self._inner.flush()
        buffer = getattr(self._inner, "buffer", None)
        if buffer is None:
            self._inner.write(text)
            return
        _write_all(buffer, text.encode("utf-8", "backslashreplace"))
        buffer.flush()

    def release(self) -> None:
        """Write out a partial line (the end of the output)."""
        pending, self._pending = "".join(self._pending), []
        if pending:
            self._emit(no_commands(pending))

    def flush(self) -> None:
        self._inner.flush()

    def close(self) -> None:
        """Closing the guard never closes (or fails on) the real stream."""
        with contextlib.suppress(OSError, ValueError):
            super().close()

    def _emit(self, text: str) -> None:
        if not text:
            return
        try:
            self._inner.write(text)
        except UnicodeEncodeError:
            encoding = self.encoding
            self._inner.write(text.encode(encoding, "backslashreplace").decode(encoding))


def _write_all(buffer: Any, data: bytes) -> None:
    """Write every byte of ``data`` or raise OSError. A write larger than a pipe's capacity
    that the reader abandons midway (``hubtool ... | head``) returns the count written so far
    rather than raising; the next write raises EPIPE (or ENOSPC on a disk that filled up)."""
    view = memoryview(data)
    while view:
        written = buffer.write(view)
        if not written:
            raise OSError(errno.EIO, "the output accepted no bytes")
        view = view[written:]


class _ClosedStream(io.TextIOBase):
    """Standard output of a process started without one (``hubtool ... >&-``): every write
    fails as on a closed descriptor (EBADF), an output that cannot be written (exit 2)."""

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:  # type: ignore[override]
        raise OSError(errno.EBADF, "standard output is closed")


@contextlib.contextmanager
def guarded_streams() -> Iterator[None]:
    """``sys.stdout`` and ``sys.stderr`` guarded for the duration; restored afterwards."""
    saved = sys.stdout, sys.stderr
    inner = (sys.stdout or _ClosedStream(), sys.stderr or io.StringIO())  # started with >&-
    guards = [GuardedStream(s) for s in inner]
    sys.stdout, sys.stderr = guards  # type: ignore[assignment]
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved
        for guard in guards:
            with contextlib.suppress(OSError, ValueError):
                guard.release()


class OutputError(Exception):
    """Standard output could not take the report (a closed pipe, a full disk): exit 2."""


class ClosedPipe(OutputError):
    """The reader of standard output went away (EPIPE, ``hubtool validate | head``): exit 2
    without a word, as git and ruff stay silent; under ``set -o pipefail`` the pipeline still
    fails, so a CI gate never passes on output nobody read."""


def output_error(exc: OSError, where: str = "the output") -> OutputError:
    """The OutputError for a failed write of ``where``: ClosedPipe for EPIPE."""
    if exc.errno == errno.EPIPE:
        return ClosedPipe(f"cannot write {where}: {exc.strerror or exc}")
    return OutputError(f"cannot write {where}: {exc.strerror or exc}")


WRITE_ERRORS = frozenset(
    {errno.EPIPE, errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO, errno.EBADF}
)
"""The errno values of an output that cannot be written (rather than a file that cannot)."""


def flush_stdout() -> None:
    """Write out buffered output now, inside the error boundary, not at interpreter exit."""
    try:
        if sys.stdout is not None:
            sys.stdout.flush()
    except OSError as exc:
        raise output_error(exc) from None


def discard_stdout() -> None:
    """Point stdout at the null device, so the exit flush cannot fail again (exit code 120)."""
    with contextlib.suppress(AttributeError, OSError, ValueError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
