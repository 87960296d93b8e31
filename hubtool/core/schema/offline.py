"""Schema engines that never retrieve a resource: the retriever every registry is given, the
offline ``referencing`` registry, and the one factory of jsonschema-rs validators.

Kept apart from ``hubtool.core.schema`` (python-jsonschema with ECMA-262 patterns) because the
ECMA-262 matcher (``hubtool.core.ecma.match``) is itself a jsonschema-rs validator: both build
on this module, and neither on the other's module in return.
"""

from __future__ import annotations

import functools
from typing import Any


class RetrievalRefused(LookupError):
    """A schema referenced a resource outside itself; hubtool retrieves none."""


def refuse_retrieval(uri: str) -> Any:
    """The retrieve hook of every registry: raise, never fetch or read ``uri``."""
    raise RetrievalRefused(f"hubtool does not retrieve referenced schemas ({len(uri)}-char URI)")


@functools.cache
def offline_registry() -> Any:
    """A ``referencing.Registry`` that holds nothing and retrieves nothing.

    jsonschema adds the meta-schemas it ships (in memory) to it; anything else a ``$ref``,
    ``$dynamicRef`` or ``$schema`` names is ``referencing.exceptions.Unresolvable``.
    """
    from referencing import Registry

    return Registry(retrieve=refuse_retrieval)


def spec_files_registry(retrieve: Any) -> Any:
    """A ``referencing.Registry`` for the $refs of an OpenAPI spec, never given to a schema
    engine: ``retrieve`` is ``hubtool.upstream.refs.SpecFiles``, which reads only regular files
    under the spec's own directory and refuses every URL."""
    from referencing import Registry

    return Registry(retrieve=retrieve)


def compile_schema_rs(schema: Any, **options: Any) -> Any:
    """The one way hubtool builds a jsonschema-rs validator: its retriever refuses every URI.

    jsonschema-rs fetches ``http(s)`` and reads ``file:`` references by default; with this
    retriever an outside reference fails at build time (``jsonschema_rs.ValidationError``).
    ``options`` are passed on (``validate_formats``, ``pattern_options``, ...).
    """
    import jsonschema_rs

    return jsonschema_rs.validator_for(schema, retriever=refuse_retrieval, **options)


def linear_patterns() -> Any:
    """jsonschema-rs pattern options for the Rust ``regex`` crate: linear-time matching, no
    look-around or back-references, compiled programs capped at 4 MiB."""
    import jsonschema_rs

    return jsonschema_rs.RegexOptions(size_limit=1 << 22)
