"""The Hub: the catalog built into Harbor's searchable Hub database (``build``), its
import-safe read API answered from that database (``api``, one response layer for the server
and the static export), the HTML catalog browser (``html``), the ASGI server (``server``), the
static export (``export``) and the client that imports from a running Hub (``fetch``).

Harbor's Hub: ../shared/reference/harbor/FORMAT.md section 1 (routes, SQLite with FTS5).
"""
