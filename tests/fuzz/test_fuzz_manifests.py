"""Fuzz (Hypothesis): validate (structure and raw bytes, in process and through the CLI), diff
and the version gate on pairs of manifests. See fuzzkit for the contract and the profiles."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path
from typing import Any

from fuzzkit import (
    Mutant,
    budget,
    cli,
    damaged_bytes,
    dumps,
    example,
    library,
    manifest_pairs,
    mutated,
    no_leak,
    versions,
)
from hypothesis import given
from hypothesis import strategies as st
from test_robustness import change_text, reported

from hubtool.diff.classify import diff
from hubtool.diff.compare import compare_files, gate_findings
from hubtool.diff.gate import gate, minimum_version
from hubtool.report.json import diff_json
from hubtool.report.markdown import diff_markdown
from hubtool.report.text import diff_text
from hubtool.validate.pipeline import validate

WORK = Path(tempfile.mkdtemp(prefix="hubtool-fuzz-"))
REPORT_FORMATS = ("text", "json", "sarif", "github")
DIFF_FORMATS = ("text", "json", "markdown", "sarif", "github")


def _file(name: str, content: str | bytes) -> Path:
    path = WORK / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8", errors="surrogatepass")
    return path


@budget("validate-structure", ci=40)
@given(data=mutated(), indent=st.sampled_from((None, 2)))
def test_fuzz_validate_structure(data: Mutant, indent: int | None) -> None:
    text = dumps(data.data, indent)
    with example("validate-structure", text):
        report = validate([_file("structure.json", text)])
        no_leak(reported(report))


@budget("validate-bytes", ci=40)
@given(raw=damaged_bytes())
def test_fuzz_validate_bytes(raw: bytes) -> None:
    with example("validate-bytes", raw):
        report = validate([_file("bytes.json", raw)])
        no_leak(reported(report))


@budget("validate-cli", ci=8)
@given(
    data=st.one_of(mutated(), damaged_bytes()),
    fmt=st.sampled_from(REPORT_FORMATS),
    strict=st.booleans(),
)
def test_fuzz_validate_cli(data: Mutant | bytes, fmt: str, strict: bool) -> None:
    content = data if isinstance(data, bytes) else dumps(data.data)
    with example("validate-cli", content):
        path = _file("cli.json", content)
        args = ["validate", str(path), "--format", fmt, *(["--strict"] if strict else [])]
        cli(*args).check()


@budget("diff", ci=30)
@given(pair=manifest_pairs(), fmt=st.sampled_from(DIFF_FORMATS), through_cli=st.booleans())
def test_fuzz_diff(pair: tuple[Mutant, Mutant], fmt: str, through_cli: bool) -> None:
    old, new = pair[0].data, pair[1].data
    old_text, new_text = dumps(old), dumps(new)
    with example("diff", old_text + new_text):
        no_leak(change_text(diff(old, new)))
        old_path, new_path = _file("old.json", old_text), _file("new.json", new_text)
        if through_cli:
            cli("diff", str(old_path), str(new_path), "--format", fmt).check()
            return
        result = library(lambda: compare_files(old_path, new_path))
        if result is None:  # a side that does not parse: a clear error, checked by library()
            return
        out = io.StringIO()
        diff_text([result], out)
        diff_json([result], out, None)
        diff_markdown([result], out)
        no_leak(out.getvalue(), "\n".join(f.message for f in gate_findings([result])))


@budget("gate", ci=30)
@given(
    old=versions,
    new=versions,
    pair=manifest_pairs(),
)
def test_fuzz_version_gate(old: Any, new: Any, pair: tuple[Mutant, Mutant]) -> None:
    """The gate on any two declared versions and any classified changes: a verdict, always."""
    with example("gate", dumps(pair[0].data) + dumps(pair[1].data)):
        changes = diff(pair[0].data, pair[1].data)
        verdict = gate(old, new, changes)
        no_leak(" ".join(verdict.problems), str(verdict.minimum_version))
        if verdict.minimum_version is not None:  # both parsed: the minimum is a version
            assert minimum_version(str(old), verdict.required_bump) == verdict.minimum_version
        if verdict.ok:
            assert not verdict.problems
