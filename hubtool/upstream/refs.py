"""``$ref`` resolution in an OpenAPI spec: in the document and in files of its directory tree.

``referencing`` (the reference library ``jsonschema`` uses) joins each ref with the URI of the
file it is written in, percent-decodes the fragment and walks the JSON pointer (RFC 3986, RFC
6901). This module decides which files it may retrieve, and expands refs with caps:

* A ref is a relative path (``resources/droplets.yml#/get``) or a fragment (``#/components/...``),
  resolved against the file that holds it. A URL (``http:``, ``file:``, ``//host``), an
  absolute path, a path that leaves the root file's directory, a link whose target does
  (checked on the real path) and anything but a regular file are refused with a
  ``HubtoolError``: nothing is fetched and no file outside the tree is opened.
* A chain of refs longer than ``MAX_REF_DEPTH`` is an error (a ref cycle ends there). Inside
  an expansion, a ref met again (a recursive schema) becomes ``{}``, any value, as does
  anything nested deeper than ``MAX_REF_DEPTH``; more than ``MAX_EXPANDED`` objects and arrays
  built in all (a fan-out "bomb", through refs or YAML aliases) is an error.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urldefrag, urljoin, urlsplit
from urllib.request import url2pathname

from referencing import Resource
from referencing import exceptions as ref_errors

from hubtool.core.errors import HubtoolError
from hubtool.core.limits import MAX_EXPANDED, MAX_REF_DEPTH
from hubtool.core.schema.offline import spec_files_registry
from hubtool.upstream.specfile import read_document


@dataclass(frozen=True)
class Place:
    """Where a node was read: its file's URI, and a ``referencing`` Resolver based there."""

    uri: str
    resolver: Any
    """From ``Registry.resolver()`` (referencing does not export the class)."""


class SpecFiles:
    """Retrieves the spec's other files for ``referencing``: regular files under ``root``."""

    def __init__(self, root: Path) -> None:
        self.root = root
        """The root file's directory, a real path (links resolved)."""
        self.cache: dict[str, Resource[Any]] = {}

    def __call__(self, uri: str) -> Resource[Any]:
        if uri not in self.cache:
            self.cache[uri] = Resource.opaque(read_document(self._path(uri)))
        return self.cache[uri]

    def _path(self, uri: str) -> Path:
        parts = urlsplit(uri)
        if parts.scheme != "file" or parts.netloc:
            raise HubtoolError(_refused(uri, "it is not a file of the spec"))
        path = Path(url2pathname(parts.path))
        try:
            real = path.resolve()
        except (OSError, RuntimeError) as exc:  # a link loop
            raise HubtoolError(_refused(uri, f"it cannot be resolved: {exc}")) from exc
        if not real.is_relative_to(self.root):
            lexical = Path(os.path.normpath(path))
            what = "a link leading" if lexical.is_relative_to(self.root) else "a path"
            raise HubtoolError(_refused(str(path), f"{what} outside {self.root}"))
        if not real.is_file():
            raise HubtoolError(_refused(str(path), "no such file"))
        return real


def _refused(ref: str, why: str) -> str:
    return (
        f"$ref {ref!r} cannot be followed: only local $refs are supported (in the spec, or a "
        f"relative path to a file in the spec's directory tree); {why}"
    )


class Refs:
    """Follows and expands the $refs of one spec (its root file and the files it refers to)."""

    def __init__(self, path: Path, data: Any) -> None:
        real = path.resolve()
        self.files = SpecFiles(real.parent)
        uri = real.as_uri()
        registry = spec_files_registry(self.files).with_resource(uri, Resource.opaque(data))
        self.root = Place(uri, registry.resolver(base_uri=uri))
        self.targets: dict[tuple[str, str], tuple[Any, Place]] = {}
        """Each (file URI, ref) looked up so far: a ref met again costs a dict look-up."""
        self.expanded = 0
        """Objects and arrays ``full`` has built so far, across the whole spec."""

    def deref(self, node: Any, at: Place) -> tuple[Any, Place]:
        """The node a chain of $refs ends at, and where it was read."""
        node, at, _ = self.follow(node, at)
        return node, at

    def follow(self, node: Any, at: Place) -> tuple[Any, Place, frozenset[int]]:
        """``deref``, with the identities of the nodes the refs led to (for cycles)."""
        seen: list[int] = []
        while isinstance(node, dict) and isinstance(node.get("$ref"), str):
            if len(seen) >= MAX_REF_DEPTH:
                raise HubtoolError(f"$ref chain too deep at {node['$ref']!r}")
            node, at = self.lookup(node["$ref"], at)
            seen.append(id(node))
        return node, at, frozenset(seen)

    def lookup(self, ref: str, at: Place) -> tuple[Any, Place]:
        """One ref's target. Raises HubtoolError for a ref leaving the spec, or a dangling one."""
        found = self.targets.get((at.uri, ref))
        if found is None:
            found = self.targets[(at.uri, ref)] = self._lookup(ref, at)
        return found

    def _lookup(self, ref: str, at: Place) -> tuple[Any, Place]:
        parts = urlsplit(ref)
        if parts.scheme or parts.netloc or ref.startswith(("/", "\\")):
            raise HubtoolError(_refused(ref, "a URL or an absolute path"))
        try:
            resolved = at.resolver.lookup(ref)
        except ref_errors.Unresolvable as exc:
            raise _cause(exc) or HubtoolError(f"$ref {ref!r} points at nothing") from None
        except (ValueError, TypeError, KeyError, IndexError):  # a pointer through a scalar
            raise HubtoolError(f"$ref {ref!r} points at nothing") from None
        uri = at.uri if ref.startswith("#") else urldefrag(urljoin(at.uri, ref))[0]
        return resolved.contents, Place(uri, resolved.resolver)

    def full(
        self, node: Any, at: Place, depth: int = 0, open_refs: frozenset[int] = frozenset()
    ) -> Any:
        """``node`` with every nested $ref resolved (the caps are in the module docstring)."""
        node, at, refs = self.follow(node, at)
        if refs & open_refs or depth > MAX_REF_DEPTH:
            return {}
        if not isinstance(node, dict | list):
            return node
        self.expanded += 1
        if self.expanded > MAX_EXPANDED:
            raise HubtoolError(
                f"the spec expands to more than {MAX_EXPANDED} objects and arrays "
                "(through $refs or YAML aliases); dereference it into a smaller document"
            )
        open_refs |= refs
        if isinstance(node, dict):
            return {k: self.full(v, at, depth + 1, open_refs) for k, v in node.items()}
        return [self.full(v, at, depth + 1, open_refs) for v in node]


def _cause(exc: BaseException) -> HubtoolError | None:
    """The HubtoolError ``SpecFiles`` raised, from under referencing's own exceptions."""
    seen: BaseException | None = exc
    for _ in range(8):
        if seen is None or isinstance(seen, HubtoolError):
            return seen
        seen = seen.__cause__ or seen.__context__
    return None
