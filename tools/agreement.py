"""Do scaffold and check-upstream agree? The figures behind ``tests/upstream/test_agreement.py``.

Scaffolds every operation of every provider spec in ``../shared/data/providers/`` and Sentry's
(in-process, ``hubtool.upstream.scaffold.scaffold``), then runs ``check_upstream`` with
examples and every ``validate`` rule on the actions, and prints one line per spec: operations,
actions scaffolded, refusals, check-upstream errors and the actions they fall on, validate
errors. Exit status 1 when any spec has an error. Usage::

    PYTHONPATH=. python tools/agreement.py                # every spec
    PYTHONPATH=. python tools/agreement.py github jira    # some
    PYTHONPATH=. python tools/agreement.py -v jira        # also each error and refusal
"""

from __future__ import annotations

import copy
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared" / "data"
SPECS = {
    "asana": "providers/asana/asana_oas.yaml",
    "confluence": "providers/confluence/openapi-v2.v3.json",
    "digitalocean": "providers/digitalocean/specification/DigitalOcean-public.v2.yaml",
    "discord": "providers/discord/openapi.json",
    "github": "providers/github/api.github.com.json",
    "hubspot-companies": "providers/hubspot/crm-companies-v3.json",
    "hubspot-contacts": "providers/hubspot/crm-contacts-v3.json",
    "hubspot-deals": "providers/hubspot/crm-deals-v3.json",
    "hubspot-tickets": "providers/hubspot/crm-tickets-v3.json",
    "jira": "providers/jira/swagger-v3.v3.json",
    "netlify": "providers/netlify/swagger.yml",
    "sentry": "sentry/openapi-derefed.json",
    "slack": "providers/slack/slack_web_openapi_v2.json",
    "vercel": "providers/vercel/vercel-openapi.json",
}
CHUNK = 500


def measure(name: str, verbose: bool) -> int:
    """Print one spec's line; returns its number of errors."""
    from hubtool.core.errors import HubtoolError
    from hubtool.core.registry import BASE_MANIFEST
    from hubtool.load.strict import parse
    from hubtool.upstream.contract import check_upstream
    from hubtool.upstream.openapi import load_spec
    from hubtool.upstream.scaffold import scaffold
    from hubtool.validate.pipeline import check_document

    spec = load_spec(DATA / SPECS[name])
    actions, refused = [], 0
    for index, operation in enumerate(spec.operations):
        try:
            actions.append(scaffold(spec, operation.operation_id, slug=f"op-{index}").action)
        except HubtoolError as exc:
            refused += 1
            if verbose:
                print(f"  refused {operation.operation_id}: {str(exc)[:200]}")
    upstream, policy, failing = 0, 0, set()
    for start in range(0, len(actions), CHUNK):
        data = copy.deepcopy(BASE_MANIFEST)
        data["portTemplates"][0]["baseUrl"] = "https://api.example.com"
        data["actionTemplates"] = actions[start : start + CHUNK]
        doc = parse(json.dumps(data, indent=2), f"{name}.json")
        for found in check_upstream(doc, spec, examples=True):
            if found.severity == "error":
                upstream += 1
                failing.add((start, found.pointer.split("/")[2]))
                if verbose:
                    print(f"  check-upstream {found.pointer}: {found.message[:300]}")
        for found in check_document(doc):
            if found.severity == "error":
                policy += 1
                if verbose:
                    print(f"  validate {found.rule} {found.pointer}: {found.message[:200]}")
    print(
        f"{name}: operations {len(spec.operations)}, scaffolded {len(actions)}, refused "
        f"{refused}, check-upstream errors {upstream} on {len(failing)} actions, validate "
        f"errors {policy}",
        flush=True,
    )
    return upstream + policy


def main(argv: list[str]) -> int:
    verbose = "-v" in argv
    names = [a for a in argv if a != "-v"] or list(SPECS)
    unknown = [n for n in names if n not in SPECS]
    if unknown or not DATA.is_dir():
        print(f"unknown spec(s) {unknown} or {DATA} absent; specs: {', '.join(SPECS)}")
        return 2
    return 1 if sum(measure(name, verbose) for name in names) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
