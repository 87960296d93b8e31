"""Fuzz (Hypothesis): `.hubtool.yaml` loading, OpenAPI loading, check-upstream, scaffold (alone
and --into a manifest) and render. See fuzzkit for the contract and the profiles."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from conftest import SENTRY
from fuzzkit import (
    Mutant,
    budget,
    cli,
    config_texts,
    dumps,
    example,
    library,
    mutated,
    no_leak,
    operations,
    render_inputs,
    spec_text,
    specs,
    text,
    tokens,
)
from hypothesis import given
from hypothesis import strategies as st
from test_robustness import ORIGINAL, finding_text, reported

from hubtool.commands.drafts import input_errors
from hubtool.core.registry import BASE_MANIFEST
from hubtool.core.secrets import find_secret
from hubtool.drafts.render import render_request
from hubtool.load.strict import Document, parse
from hubtool.registry import RULES
from hubtool.upstream.contract import check_upstream
from hubtool.upstream.openapi import load_spec
from hubtool.upstream.scaffold import scaffold
from hubtool.validate.config.parse import load_config
from hubtool.validate.pipeline import validate

WORK = Path(tempfile.mkdtemp(prefix="hubtool-fuzz-"))
WIDGETS = WORK / "acme-api.json"
WIDGETS.write_text(json.dumps(BASE_MANIFEST, indent=2), encoding="utf-8")
SLUGS = [a["slug"] for a in ORIGINAL["actionTemplates"]]


def _spec_file(spec: Mutant, as_yaml: bool) -> Path | None:
    content = spec_text(spec.data, as_yaml)
    if content is None:
        return None
    path = WORK / ("spec.yaml" if as_yaml else "spec.json")
    path.write_text(content, encoding="utf-8", errors="surrogatepass")
    return path


@budget("config", ci=30)
@given(content=config_texts(), through_cli=st.integers(0, 5))
def test_fuzz_config(content: str, through_cli: int) -> None:
    path = WORK / ".hubtool.yaml"
    path.write_text(content, encoding="utf-8", errors="surrogatepass")
    with example("config", content):
        if through_cli == 0:
            cli("validate", str(WIDGETS), "--config", str(path), "--format", "sarif").check()
            return
        config = library(lambda: load_config(path, rules=RULES))
        if config is not None:
            no_leak(reported(validate([WIDGETS], config=config)))


@budget("openapi", ci=25)
@given(spec=specs(), as_yaml=st.booleans(), operation=operations, fields=st.lists(text, max_size=2))
def test_fuzz_openapi_and_scaffold(
    spec: Mutant, as_yaml: bool, operation: str, fields: list[str]
) -> None:
    path = _spec_file(spec, as_yaml)
    if path is None:
        return
    with example("openapi", path.read_bytes()):
        loaded = library(lambda: load_spec(path))
        if loaded is None:
            return
        result = library(lambda: scaffold(loaded, operation, body_fields=tuple(fields)))
        if result is not None:
            assert not find_secret(json.dumps(result.action)), "scaffold copied a credential"


@budget("check-upstream", ci=15)
@given(spec=specs(), manifest=mutated(max_edits=2), examples=st.booleans(), as_yaml=st.booleans())
def test_fuzz_check_upstream(spec: Mutant, manifest: Mutant, examples: bool, as_yaml: bool) -> None:
    path = _spec_file(spec, as_yaml)
    if path is None:
        return
    doc = parse(dumps(manifest.data), "m.json")
    with example("check-upstream", path.read_bytes()):
        loaded = library(lambda: load_spec(path))
        if loaded is None or not isinstance(doc, Document):
            return
        no_leak(finding_text(check_upstream(doc, loaded, examples=examples)))


@budget("scaffold", ci=10)
@given(
    spec=specs(),
    into=st.one_of(st.just(Mutant(BASE_MANIFEST, [])), mutated(base=BASE_MANIFEST, max_edits=2)),
    operation=operations,
    slug=st.one_of(st.none(), text),
    fmt=st.sampled_from(("json", "text")),
)
def test_fuzz_scaffold_cli(
    spec: Mutant, into: Mutant, operation: str, slug: str | None, fmt: str
) -> None:
    path = _spec_file(spec, False)
    if path is None:
        return
    manifest = WORK / "into.json"
    manifest.write_text(dumps(into.data), encoding="utf-8", errors="surrogatepass")
    with example("scaffold", path.read_bytes()):
        args = ["scaffold", "--openapi", str(path), "--operation", operation]
        if slug is not None:
            args += ["--slug", slug]
        cli(*args).check()
        cli(*args, "--into", str(manifest), "--format", fmt).check()
        listing = ("scaffold", "--openapi", str(path), "--list", "--grep", operation[:20])
        cli(*listing, "--format", fmt).check()
        every = ("scaffold", "--openapi", str(path), "--all", "--include-deprecated")
        cli(*every, "--into", str(manifest), "--format", fmt).check()


@budget("render", ci=30)
@given(
    data=render_inputs,
    slug=st.one_of(st.sampled_from(SLUGS), tokens),
    through_cli=st.integers(0, 4),
    fmt=st.sampled_from(("text", "json")),
)
def test_fuzz_render(data: Mutant, slug: str, through_cli: int, fmt: str) -> None:
    content = dumps(data.data)
    with example("render", content):
        if through_cli == 0:
            request = WORK / "input.json"
            request.write_text(content, encoding="utf-8", errors="surrogatepass")
            cli("render", str(SENTRY), slug, "--input", str(request), "--format", fmt).check()
            return
        action = next((a for a in ORIGINAL["actionTemplates"] if a["slug"] == slug), None)
        doc = parse(content, "input.json")
        if action is None or not isinstance(doc, Document):
            return
        errors = input_errors(action, doc)
        no_leak("\n".join(errors))
        if not errors:
            request = render_request(ORIGINAL["portTemplates"][0], action, doc.data)
            no_leak(request.text(), json.dumps(request.to_dict()))
