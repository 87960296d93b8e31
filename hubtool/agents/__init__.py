"""Agents: ``hubtool mcp``, a Model Context Protocol server over stdio for the authoring workflow.

The workflow is the Sentry port's (``docs/AGENTS.md``): inspect the port, inspect live actions
and drafts, propose fixed bounded routes, validate and test drafts, request publish. Modules:
``workspace`` (what the operator started the server with: the root every path is confined to,
the spec directories, the store, the operator flag; credential refusal), ``models`` (the typed
tool outputs), ``catalog`` (catalog entries, validation, rendering, import), ``specs``
(operations of a provider spec, scaffolding), ``drafts`` (the store and the lifecycle),
``resources`` (rule docs and the schema) and ``server`` (the FastMCP server that registers
them). The ``mcp`` SDK is imported only here, never on the hook path.
"""
