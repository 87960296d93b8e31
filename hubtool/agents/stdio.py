"""The stdio transport of ``hubtool mcp``: the SDK's (``mcp.server.stdio.stdio_server``), but a
request line the SDK cannot read still gets an answer.

The SDK reads each line with pydantic, which refuses some JSON that Python's ``json`` reads: a
lone surrogate escape (``"\\ud800"``), nesting deeper than pydantic's limit (about 200 levels),
an integer of thousands of digits. The SDK then answers nothing and the client waits for ever on
that request id. Here such a line is read again with ``json``: when it is a request with an id,
the answer is a JSON-RPC error (``INVALID_REQUEST``) saying why, and the server goes on. Other
unreadable lines (not JSON, a notification, deeper than Python's recursion limit) are dropped,
as the SDK drops them, but without logging the line (it may hold a credential).
"""

from __future__ import annotations

import contextlib
import json
import logging
from collections.abc import AsyncIterator
from typing import Any

import anyio
import anyio.lowlevel
from mcp import types
from mcp.shared.message import SessionMessage
from pydantic import ValidationError

log = logging.getLogger(__name__)
UNREADABLE = "not a JSON-RPC message hubtool can read"


@contextlib.asynccontextmanager
async def stdio_transport(
    stdin: anyio.AsyncFile[str], stdout: anyio.AsyncFile[str]
) -> AsyncIterator[tuple[Any, Any]]:
    """(read stream, write stream) over these text files, one JSON-RPC message a line, as
    ``stdio_server`` gives them; ends when the server closes the write stream."""
    reads_in, reads = anyio.create_memory_object_stream[SessionMessage | Exception](0)
    writes, writes_out = anyio.create_memory_object_stream[SessionMessage](0)

    async def reader() -> None:
        with contextlib.suppress(anyio.ClosedResourceError):
            async with reads_in:
                async for line in stdin:
                    await take(line)
        await anyio.lowlevel.checkpoint()

    async def take(line: str) -> None:
        try:
            message = types.JSONRPCMessage.model_validate_json(line)
        except Exception as exc:  # a ValidationError: pydantic's JSON or the message's shape
            answer = unreadable_answer(line, exc)
            if answer is None:
                log.warning("%s: a line of %d characters dropped", UNREADABLE, len(line))
            else:
                await writes.send(SessionMessage(answer))
            return
        await reads_in.send(SessionMessage(message))

    async def writer() -> None:
        with contextlib.suppress(anyio.ClosedResourceError):
            async with writes_out:
                async for outgoing in writes_out:
                    text = outgoing.message.model_dump_json(by_alias=True, exclude_none=True)
                    await stdout.write(text + "\n")
                    await stdout.flush()
        await anyio.lowlevel.checkpoint()

    async with anyio.create_task_group() as group:
        group.start_soon(reader)
        group.start_soon(writer)
        yield reads, writes


def unreadable_answer(line: str, exc: Exception) -> types.JSONRPCMessage | None:
    """The error answer to ``line``, a request pydantic refused (``exc``) whose id ``json``
    can read; None when it is not one (not JSON, a notification, too deep for ``json``)."""
    try:  # a number past Python's int digits limit is read as None: only the id matters
        value = json.loads(line, parse_int=lambda digits: int(digits) if len(digits) < 64 else None)
    except (ValueError, RecursionError):
        return None
    if not isinstance(value, dict) or "method" not in value:
        return None
    request_id = value.get("id")
    if isinstance(request_id, bool) or not isinstance(request_id, int | str):
        return None
    why = type(exc).__name__
    if isinstance(exc, ValidationError) and exc.errors():  # its message, never its input
        why = exc.errors(include_url=False, include_input=False, include_context=False)[0]["msg"]
    error = types.ErrorData(code=types.INVALID_REQUEST, message=f"{UNREADABLE}: {why}")
    return types.JSONRPCMessage(types.JSONRPCError(jsonrpc="2.0", id=request_id, error=error))
