"""Rules ``unique-slugs``, ``catalog-layout`` and ``version-format``."""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path, PurePath
from typing import Any, Protocol

from hubtool.core.findings import ERROR, Finding
from hubtool.core.limits import LIMITS
from hubtool.core.manifest import action_name, actions, as_dict, as_list
from hubtool.core.registry import Example, Located, Rule, finding
from hubtool.core.secrets import safe_repr
from hubtool.load.strict import Document

UNIQUE_SLUGS = Rule(
    id="unique-slugs",
    severity=ERROR,
    family="catalog",
    title="Slugs are unique",
    description="Action slugs are unique within a manifest, example names within an action, "
    "and manifest slugs across the catalog files checked together.",
    fix="Rename one of the two.",
    failing=Example(patch={"/actionTemplates/1/slug": "list-widgets"}),
)

CATALOG_LAYOUT = Rule(
    id="catalog-layout",
    severity=ERROR,
    family="catalog",
    title="Catalog files live at integrations/<publisher.slug>/<slug>.json",
    description="A manifest inside a catalog (`apps/hub/catalog/`) lives at "
    "`apps/hub/catalog/integrations/<publisher.slug>/<slug>.json`, the path Hub serves as "
    "`/api/manifests/<publisher.slug>/<slug>`. Files outside a catalog are not checked.",
    fix="Move the file, or correct publisher.slug or slug.",
    failing=Example(file="apps/hub/catalog/integrations/acme/widgets.json"),
    passing=Example(file="apps/hub/catalog/integrations/acme/acme-api.json"),
)

VERSION_FORMAT = Rule(
    id="version-format",
    severity=ERROR,
    family="catalog",
    title="Versions are semver",
    description="`version` is a semantic version (MAJOR.MINOR.PATCH, no leading v) and "
    "`compatibility.harborNode` an npm semver range, the grammar Harbor Node reads (e.g. "
    "`>=0.1.0`, `^1.2.0`, `~0.1`, `0.1.x`, `>=1.0.0 <2.0.0`, `^1 || ^2`); an empty "
    "alternative, which npm reads as any version, is refused.",
    fix='Write e.g. "version": "0.1.0" and "harborNode": ">=0.1.0".',
    failing=Example(patch={"/version": "v1.0"}),
    passing=Example(patch={"/compatibility/harborNode": ">=0.1.0 <2.0.0"}),
)


CATALOG_DIR = ("apps", "hub", "catalog")
_PLAIN_VERSION = re.compile(r"(?:0|[1-9][0-9]*)\.(?:0|[1-9][0-9]*)\.(?:0|[1-9][0-9]*)")
_PLAIN_COMPARATOR = r"(?:>=|<=|>|<|\^|~)?" + _PLAIN_VERSION.pattern
_PLAIN_RANGE = re.compile(f"{_PLAIN_COMPARATOR}(?: {_PLAIN_COMPARATOR})*")


def check(doc: Document) -> Iterator[Finding]:
    yield from _unique_within(doc)
    yield from _layout(doc)
    yield from _versions(doc)


class Summary(Located, Protocol):
    """A checked manifest as the catalog-wide checks see it: a ``Document``, or what a run keeps
    of one (``catalog_view`` of its data; line:col read again when a finding needs them)."""

    data: Any


def catalog_view(data: Any) -> dict[str, str]:
    """The part of a manifest's data ``check_catalog`` reads (its slug, when a string): a run
    keeps this, not the document, until the catalog-wide checks."""
    slug = as_dict(data).get("slug")
    return {"slug": slug} if isinstance(slug, str) else {}


def check_catalog(docs: Iterable[Summary]) -> Iterator[Finding]:
    """Manifest slugs are unique across the files checked together: each holder is reported."""
    holders: dict[str, list[Summary]] = {}
    for doc in docs:
        slug = as_dict(doc.data).get("slug")
        if isinstance(slug, str):
            holders.setdefault(slug, []).append(doc)
    for slug, group in holders.items():
        for doc in group if len(group) > 1 else ():
            others = ", ".join(d.path for d in group if d is not doc)
            yield finding(
                doc,
                UNIQUE_SLUGS,
                "/slug",
                f"manifest slug {safe_repr(slug)} is also used by {others}; "
                "slugs are unique across the catalog: rename one (its slug and its file)",
            )


def _unique_within(doc: Document) -> Iterator[Finding]:
    slugs: dict[str, str] = {}
    for pointer, action in actions(doc.data):
        slug = action.get("slug")
        if not isinstance(slug, str):
            pass  # the schema rule reports it
        elif slug in slugs:
            yield finding(
                doc,
                UNIQUE_SLUGS,
                f"{pointer}/slug",
                f"action slug {safe_repr(slug)} is already used at {slugs[slug]}; rename one",
            )
        else:
            slugs[slug] = pointer
        yield from _unique_example_names(doc, pointer, action)


def _unique_example_names(doc: Document, pointer: str, action: dict[str, Any]) -> Iterator[Finding]:
    names: set[str] = set()
    for index, example in enumerate(as_list(action.get("examples"))):
        name = as_dict(example).get("name")
        if not isinstance(name, str):
            continue  # the schema rule reports it
        if name in names:
            yield finding(
                doc,
                UNIQUE_SLUGS,
                f"{pointer}/examples/{index}/name",
                f"{action_name(action, pointer)}: example name {safe_repr(name)} is used "
                "twice; rename one",
            )
        names.add(name)


def layout_problem(path: PurePath, data: Any) -> str | None:
    """Why a file inside a catalog is not at integrations/<publisher.slug>/<slug>.json."""
    return _parts_problem(path.parts, data)


def _parts_problem(parts: tuple[str, ...], data: Any) -> str | None:
    """``layout_problem`` of the path whose ``PurePath.parts`` are ``parts``."""
    starts = [i for i in range(len(parts)) if parts[i : i + 3] == CATALOG_DIR]
    if not starts:
        return None
    rest = parts[starts[-1] + 3 :]
    publisher = as_dict(as_dict(data).get("publisher")).get("slug")
    slug = as_dict(data).get("slug")
    if not isinstance(publisher, str) or not isinstance(slug, str):
        return None  # the schema rule reports missing slugs
    expected = ("integrations", publisher, f"{slug}.json")
    if rest != expected:
        return (
            f"is at {'/'.join(CATALOG_DIR + rest)} but a manifest with publisher.slug "
            f"{publisher!r} and slug {slug!r} belongs at {'/'.join(CATALOG_DIR + expected)}"
        )
    return None


def _layout(doc: Document) -> Iterator[Finding]:
    problem = _parts_problem(absolute_parts(doc.path), doc.data)
    if problem:
        yield finding(
            doc,
            CATALOG_LAYOUT,
            "/slug",
            f"the file {problem}: move the file there, or correct publisher.slug and slug",
        )


def absolute_parts(path: str) -> tuple[str, ...]:
    """``Path(path).absolute().parts``, its directory's parts cached (a catalog's files share
    a few directories; building a Path for each costs more than the rest of the check)."""
    head, name = os.path.split(path)
    if name in ("", ".", ".."):
        return Path(path).absolute().parts
    return (*_directory_parts(os.getcwd(), head), name)


@functools.lru_cache(maxsize=1024)
def _directory_parts(cwd: str, head: str) -> tuple[str, ...]:
    return Path(cwd, head).parts


def version_problem(text: str) -> str | None:
    """Why ``text`` is not a semantic version (the ``semver`` library decides; a plain
    MAJOR.MINOR.PATCH, which it accepts, is recognised without loading it: start-up)."""
    if _PLAIN_VERSION.fullmatch(text):
        return None
    import semver

    try:
        semver.Version.parse(text)
    except (ValueError, TypeError):
        return f"{safe_repr(text)} is not a semantic version; write MAJOR.MINOR.PATCH, e.g. 0.1.0"
    return None


def range_problem(text: str) -> str | None:
    """Why ``text`` is not an npm semver range (the grammar Harbor Node, a JavaScript program,
    reads), or None. The port of npm's own ``node-semver`` (PyPI ``node-semver``, strict mode)
    decides; a range of plain ``>=1.2.3``-style comparators, which it accepts, is recognised
    without loading it (start-up); a text over the ``harbor-node`` limit is left to the
    schema rule (the library's time grows with the square of a run of spaces). Stricter than
    npm in one way: an empty alternative (``'>=1.0.0 ||'``, or a blank text), which npm reads
    as ``*`` (any version), is refused."""
    alternatives = text.split("||")
    if any(not alternative.strip() for alternative in alternatives):
        return (
            f"{safe_repr(text)} has an empty alternative, which npm reads as '*' (any version); "
            "write '*' if any Harbor Node is meant"
        )
    if all(_PLAIN_RANGE.fullmatch(alternative.strip()) for alternative in alternatives):
        return None
    if len(text) > LIMITS["harbor-node"].value:
        return None  # the schema rule reports the length; the library is quadratic in spaces
    import nodesemver

    if nodesemver.valid_range(text, loose=False) is None:
        return (
            f"{safe_repr(text)} is not an npm semver range; write e.g. '>=0.1.0', '^1.2.0', "
            "'~0.1', '0.1.x' or '>=1.0.0 <2.0.0' (https://github.com/npm/node-semver#ranges)"
        )
    return None


def _versions(doc: Document) -> Iterator[Finding]:
    data = as_dict(doc.data)
    version = data.get("version")
    if isinstance(version, str):
        problem = version_problem(version)
        if problem:
            yield finding(doc, VERSION_FORMAT, "/version", problem)
    node_range = as_dict(data.get("compatibility")).get("harborNode")
    if isinstance(node_range, str):
        problem = range_problem(node_range)
        if problem:
            yield finding(doc, VERSION_FORMAT, "/compatibility/harborNode", problem)
