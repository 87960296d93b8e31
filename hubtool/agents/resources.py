"""MCP resources: the documentation of every rule (one resource each, and an index) and the
manifest JSON Schema, exactly as ``hubtool rules RULE_ID --format markdown`` and ``hubtool
schema`` print them."""

from __future__ import annotations

import io
from typing import NamedTuple

RULES_URI = "hubtool://rules"
SCHEMA_URI = "hubtool://schema/manifest"


class Doc(NamedTuple):
    """One resource: its URI, name, description, MIME type and text."""

    uri: str
    name: str
    description: str
    mime_type: str
    text: str


def rule_docs() -> list[Doc]:
    """The index of the rules, then one document per rule, in the registry's order."""
    from hubtool.registry import RULES_TABLE
    from hubtool.report.markdown import rules_markdown

    rows = [f"- `{r.id}` ({r.severity}): {r.title}; {RULES_URI}/{r.id}" for r in RULES_TABLE]
    index = "# hubtool rules\n\n" + "\n".join(rows) + "\n"
    about = "Every rule hubtool checks, with links"
    docs = [Doc(RULES_URI, "rules", about, "text/markdown", index)]
    for rule in RULES_TABLE:
        out = io.StringIO()
        rules_markdown(out, [rule.id])
        docs.append(
            Doc(f"{RULES_URI}/{rule.id}", f"rule {rule.id}", rule.title, "text/markdown",
                out.getvalue())
        )  # fmt: skip
    return docs


def schema_doc() -> Doc:
    from hubtool.core.schema import manifest_schema_bytes

    return Doc(
        SCHEMA_URI,
        "manifest schema",
        "The Dock integration manifest JSON Schema (Draft 2020-12) hubtool checks with",
        "application/schema+json",
        manifest_schema_bytes().decode("utf-8"),
    )
