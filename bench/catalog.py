"""Generator of a realistic Dock/Hub catalog: N manifests of M actions each, every one valid.

Deterministic for a seed. Manifest ``i`` takes provider ``i mod len(PROVIDERS)`` (GitHub, Sentry,
Slack, Jira, HubSpot, Netlify, Vercel, DigitalOcean, Discord, ...; see catalog_pools.py) and draws
its own resources, operations (list, get, create, update, search, archive), pagination style,
filters, body fields and examples, so no two manifests share a shape. Reads are GET with
``requestBodyMode: none`` and ``automatic`` approval; writes are POST/PUT/PATCH on one item or a
collection (POST only) with a closed, bounded body and ``require_approval`` (docs/RULES.md). Files
are written as ``<root>/apps/hub/catalog/integrations/<publisher>/<slug>.json`` so that
``hubtool validate`` and ``hubtool import`` find the catalog from ``<root>``.

Usage: python bench/catalog.py ROOT [--manifests N] [--actions M] [--seed S]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from catalog_pools import (
    BODY_FIELDS,
    FILTERS,
    ID_KINDS,
    PAGINATION,
    PROVIDERS,
    Field,
    Provider,
    Resource,
)

CATALOG = Path("apps/hub/catalog/integrations")
OPS = ("list", "get", "create", "update", "search", "archive")
AREAS = ("core", "ops", "admin", "reporting", "sync", "triage", "starter", "workflow")
EXAMPLE_NAMES = ("basic", "filtered", "second-page", "full", "minimal", "recent", "by-owner")
Json = dict[str, Any]


def kebab(name: str) -> str:
    """``calendarList`` / ``build_hooks`` -> ``calendar-list`` / ``build-hooks``."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "-", name).replace("_", "-").lower()


def words(name: str) -> str:
    """``merge_requests`` -> ``Merge Requests``."""
    return kebab(name).replace("-", " ").title()


def path_param(name: str, kind: str, rng: random.Random) -> tuple[Json, Any]:
    """A required ``in: path`` parameter of ``kind`` (ID_KINDS) and an example value."""
    schema, draw, text = ID_KINDS[kind]
    param = {"name": name, "in": "path", "required": True, "schema": dict(schema)}
    param["description"] = f"{words(name)}. {text}"
    return param, draw(rng)


def query_param(field: Field, rng: random.Random) -> Json:
    param: Json = {
        "name": field.name,
        "in": "query",
        "schema": json.loads(json.dumps(field.schema)),
    }
    if field.default is not None and rng.random() < 0.6:
        param["default"] = field.default
    param["description"] = field.description
    return param


def placeholders(route: str) -> list[str]:
    return re.findall(r"\{([^}]+)\}", route)


def route_params(
    provider: Provider, resource: Resource, item: bool, rng: random.Random
) -> tuple[str, list[Json], Json]:
    """The action path, its path parameters and an example ``input.path``."""
    route = f"{provider.prefix}{resource.parent}/{resource.plural}"
    if item:
        route += "/{" + resource.singular + "}"
    params, values = [], {}
    for name in placeholders(route):
        kind = resource.id_kind if name == resource.singular else provider.scopes[name]
        param, value = path_param(name, kind, rng)
        params.append(param)
        values[name] = value
    return route, params, values


def body_schema(rng: random.Random, required: bool) -> tuple[Json, list[Field], list[str]]:
    """A closed object schema of 2-6 fields (1-2 required when ``required``)."""
    fields = rng.sample(BODY_FIELDS, rng.randint(2, 6))
    names = [f.name for f in fields[: rng.randint(1, 2)]] if required else []
    properties = {}
    for f in fields:
        properties[f.name] = {**json.loads(json.dumps(f.schema)), "description": f.description}
    schema: Json = {"type": "object", "additionalProperties": False}
    if names:
        schema["required"] = names
    elif rng.random() < 0.5:
        schema["minProperties"] = 1
    schema["properties"] = properties
    return schema, fields, names


def examples(
    rng: random.Random, path: Json, query: list[Field], body: tuple[list[Field], list[str]] | None
) -> list[Json]:
    """1-3 example inputs (`drafts test` needs one: `action-examples-missing`), each valid for
    the action's inputs by construction."""
    out = []
    for name in rng.sample(EXAMPLE_NAMES, rng.randint(1, 3)):
        example: Json = {"name": name, "description": f"A {name.replace('-', ' ')} request."}
        value: Json = {}
        if path:
            value["path"] = dict(path)
        chosen = [f for f in query if rng.random() < 0.5]
        if chosen:
            value["query"] = {f.name: f.draw(rng) for f in chosen}
        if body is not None:
            fields, required = body
            picked = [f for f in fields if f.name in required or rng.random() < 0.5] or fields[:1]
            value["body"] = {f.name: f.draw(rng) for f in picked}
        example["input"] = value
        out.append(example)
    return out


def action(provider: Provider, resource: Resource, op: str, rng: random.Random) -> Json:
    """One action template of operation ``op`` on ``resource``."""
    item = op in ("get", "update", "archive")
    route, params, path_values = route_params(provider, resource, item, rng)
    noun = words(resource.plural)
    query: list[Field] = []
    body: tuple[list[Field], list[str]] | None = None
    inputs: Json = {}
    method, approval = "GET", "automatic"
    if op == "list":
        query = list(rng.choice(PAGINATION)) + rng.sample(FILTERS, rng.randint(1, 4))
    elif op == "get":
        query = rng.sample(FILTERS, rng.randint(0, 1))
    elif op == "search" and rng.random() < 0.5:
        route += "/search"
        query = [FILTERS[5], *rng.choice(PAGINATION)]
    else:
        method, approval = ("POST", "require_approval")
        if op == "update":
            method = rng.choice(["PATCH", "PUT"])
        if op == "search":
            route += "/search"
        if op == "archive":
            route += "/archive"
        else:
            schema, fields, required = body_schema(rng, op in ("create", "search"))
            inputs["body"] = schema
            body = (fields, required)
    params += [query_param(f, rng) for f in query]
    if params:
        inputs = {"parameters": params, **inputs}
    verb = {"list": "List", "get": "Get", "create": "Create", "update": "Update"}.get(op)
    label = f"{verb or op.title()} {noun}"
    out: Json = {
        "slug": f"{op}-{kebab(resource.plural)}",
        "label": label,
        "description": f"{label} in {provider.name}. "
        + ("Read-only." if method == "GET" else "Stays on require_approval: it changes state."),
        "method": method,
        "path": route,
    }
    if inputs:
        out["inputs"] = inputs
    out["approvalMode"] = approval
    out["requestBodyMode"] = "json" if body is not None else "none"
    out["resultMode"] = "json_summary"
    found = examples(rng, path_values, query, body)
    if found:
        out["examples"] = found
    return out


def actions(provider: Provider, count: int, rng: random.Random) -> list[Json]:
    """``count`` actions over the provider's resources; past the distinct ones, slugs get -2, -3."""
    pool = [(r, op) for r in provider.resources for op in OPS]
    rng.shuffle(pool)
    out = []
    for index in range(count):
        resource, op = pool[index % len(pool)]
        template = action(provider, resource, op, rng)
        if index >= len(pool):
            template["slug"] += f"-{index // len(pool) + 1}"
        out.append(template)
    return out


def manifest(index: int, actions_per: int, rng: random.Random) -> Json:
    """Manifest ``index`` (0-based): provider ``index mod len(PROVIDERS)``, a unique slug."""
    provider = PROVIDERS[index % len(PROVIDERS)]
    area = rng.choice(AREAS)
    slug = f"{provider.slug}-{area}-{index + 1}"
    tags = list(dict.fromkeys([*provider.tags, area]))
    return {
        "formatVersion": "1",
        "kind": "dock_integration",
        "slug": slug,
        "title": f"{provider.name} {area.title()} API",
        "summary": f"A Harbor-safe {provider.name} starter set for {area} work.",
        "description": f"A Dock-hosted {provider.name} integration for Harbor ({area}). Tokens "
        "remain local to Harbor Node; writes stay on require_approval.",
        "version": f"{rng.randint(0, 3)}.{rng.randint(0, 20)}.{rng.randint(0, 9)}",
        "publisher": {"slug": provider.slug, "name": provider.name, "websiteUrl": provider.website},
        "category": provider.category,
        "tags": tags,
        "compatibility": {
            "harborNode": rng.choice([">=0.1.0", "^0.2.0", ">=0.1.0 <1.0.0"]),
            "notes": "Requires local operator-configured auth after import.",
        },
        "requiredPlan": rng.choice(["community", "community", "pro", "business"]),
        "portTemplates": [
            {
                "kind": "http_api",
                "label": f"{provider.name} API",
                "description": f"{provider.name} API connection managed locally through Harbor.",
                "baseUrl": provider.base_url,
                "authMode": "header_token",
                "authHeaderName": provider.header,
                "authTokenPrefix": provider.token_prefix,
            }
        ],
        "actionTemplates": actions(provider, actions_per, rng),
    }


def generate(root: Path, manifests: int, actions_per: int = 20, seed: int = 11) -> list[Path]:
    """Write the catalog under ``root``; the manifest paths, in generation order."""
    rng = random.Random(seed)
    paths = []
    for index in range(manifests):
        data = manifest(index, actions_per, rng)
        path = root / CATALOG / data["publisher"]["slug"] / f"{data['slug']}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", type=Path, help="directory to write apps/hub/catalog/ under")
    parser.add_argument("--manifests", type=int, default=100, help="N (default 100)")
    parser.add_argument("--actions", type=int, default=20, help="M per manifest (1-1000)")
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args(argv)
    if args.manifests < 1 or not 1 <= args.actions <= 1000:
        parser.error("--manifests must be at least 1 and --actions 1 to 1000")
    paths = generate(args.root, args.manifests, args.actions, args.seed)
    print(f"{len(paths)} manifests x {args.actions} actions under {args.root / CATALOG}")


if __name__ == "__main__":
    main()
