"""What GitHub would drop, kept within its limits by the reporters: annotations (10 of a type per
step, 50 per job), SARIF results (code scanning's stored limit) and the step summary (1 MiB);
and ``hubtool ci``'s output files, written whole from the run that prints the report."""

from __future__ import annotations

import io
import json
import os
from collections import Counter
from pathlib import Path

import pytest
from conftest import run_cli
from gitrepo import add_token, commit, git_env, init, read, write
from hypothesis import given, settings
from hypothesis import strategies as st
from sarifcheck import assert_valid_sarif

from hubtool.core.errors import HubtoolError
from hubtool.core.findings import ERROR, NOTE, WARNING, Finding, Report
from hubtool.report import markdown, sarif
from hubtool.report.github import annotation_budget, report_github

RANK = {ERROR: 0, WARNING: 1, NOTE: 2}
COMMANDS = {"error": ERROR, "warning": WARNING, "notice": NOTE}


def finding(index: int, severity: str, message: str = "a problem") -> Finding:
    return Finding("no-secret-values", severity, f"m{index:05d}.json", "/x", index + 1, 1, message)


def findings_of(severities: list[str]) -> list[Finding]:
    return [finding(i, s) for i, s in enumerate(severities)]


# --- annotations ------------------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from([ERROR, WARNING, NOTE]), max_size=80),
    st.integers(1, 12),
    st.integers(1, 60),
)
def test_the_budget_keeps_every_limit_and_loses_nothing(
    severities: list[str], per_type: int, total: int
) -> None:
    found = findings_of(severities)
    budget = annotation_budget(found, per_type, total)
    assert sorted(budget.shown + budget.hidden, key=lambda f: f.line) == found  # a partition
    counts = Counter(f.severity for f in budget.shown)
    if budget.summary is None:
        assert budget.shown == found and not budget.hidden
        return
    counts[budget.summary] += 1  # the annotation counting the hidden ones
    assert all(n <= per_type for n in counts.values()), counts
    assert sum(counts.values()) <= total
    assert budget.hidden
    # the count is of the most severe hidden type, and no hidden finding is more severe than a
    # shown one of a type that still had room
    assert budget.summary == min((f.severity for f in budget.hidden), key=RANK.__getitem__)
    for hidden in budget.hidden:
        if counts[hidden.severity] < per_type and sum(counts.values()) < total:
            raise AssertionError(f"{hidden} hidden while its type had room")
    shown_ranks = [RANK[f.severity] for f in budget.shown]
    assert shown_ranks == sorted(shown_ranks)  # most severe written first


def test_within_the_limits_every_finding_is_annotated_in_the_reports_order() -> None:
    found = findings_of([NOTE, ERROR, WARNING] * 3)
    out = io.StringIO()
    report_github(Report(["a.json"], found), out)
    lines = out.getvalue().splitlines()
    assert [line.split(" ", 1)[0] for line in lines[:-1]] == [
        "::notice",
        "::error",
        "::warning",
    ] * 3
    assert lines[-1].startswith("hubtool: 1 file(s), 3 error(s), 3 warning(s)")


def test_over_the_limit_the_rest_are_log_lines_and_one_annotation_counts_them() -> None:
    found = findings_of([NOTE] * 4 + [ERROR] * 14 + [WARNING] * 2)
    out = io.StringIO()
    report_github(Report(["a.json"], found), out)
    lines = out.getvalue().splitlines()
    commands = Counter(line[2:].split(" ", 1)[0] for line in lines if line.startswith("::"))
    assert commands == {"error": 10, "warning": 2, "notice": 4}  # 9 errors + the count
    assert lines[0].startswith("::error ")  # most severe first
    (count,) = [line for line in lines if line.startswith("::error title=hubtool::")]
    assert count.startswith("::error title=hubtool::5 more finding(s) not shown")
    logged = [line for line in lines if not line.startswith(("::", "hubtool: "))]
    assert len(logged) == 5 and all(" error no-secret-values " in line for line in logged)
    assert lines[-1].endswith("failed")


# --- SARIF --------------------------------------------------------------------------------


def test_sarif_keeps_the_most_severe_results_and_records_the_cut() -> None:
    severities = [NOTE] * 3 + [WARNING] * (sarif.MAX_RESULTS - 2) + [ERROR] * 2
    report = Report(["a.json"], findings_of(severities))
    report.waived = [(finding(99_999, ERROR), "accepted")]
    document = sarif.sarif_document(report)
    assert_valid_sarif(document)
    run = document["runs"][0]
    results = run["results"]
    assert len(results) == sarif.MAX_RESULTS
    levels = Counter(r["level"] for r in results)
    assert levels == {"error": 2, "warning": sarif.MAX_RESULTS - 2}  # notes and waived cut
    assert not any("suppressions" in r for r in results)
    lines = [r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in results]
    assert lines == sorted(lines)  # the report's order is kept
    assert run["properties"] == {
        "hubtool/resultsTotal": len(severities) + 1,
        "hubtool/resultsOmitted": 4,
    }
    (notice,) = run["invocations"][0]["toolExecutionNotifications"]
    assert notice["level"] == "warning" and "4 of" in notice["message"]["text"]
    assert run["invocations"][0]["executionSuccessful"] is True


def test_sarif_within_the_limit_is_unchanged() -> None:
    document = sarif.sarif_document(Report(["a.json"], findings_of([ERROR, NOTE])))
    run = document["runs"][0]
    assert run["invocations"] == [{"executionSuccessful": True}]
    assert "properties" not in run and len(run["results"]) == 2


@pytest.mark.parametrize(("limit", "kept"), [(0, []), (1, [1]), (3, [1, 2, 3]), (4, [0, 1, 2, 3])])
def test_capped_keeps_the_lowest_rank_in_their_order(limit: int, kept: list[int]) -> None:
    ranks = [2, 0, 1, 0]
    chosen, omitted = sarif.capped(list(range(4)), ranks.__getitem__, limit)
    assert chosen == kept
    assert omitted == 4 - len(kept)


def test_the_cached_locations_are_the_uncached_ones(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """sarif_document looks each file up once: the same artifactLocation as ``artifact``."""
    (tmp_path / "repo/.git").mkdir(parents=True)
    monkeypatch.chdir(tmp_path / "repo")
    names = ["a.json", "../b.json", str(tmp_path / "c.json"), "a.json", "d/e f.json", "a.json"]
    found = [finding(i, ERROR) for i in range(len(names))]
    found = [
        Finding(f.rule, f.severity, n, f.pointer, f.line, 1, f.message)
        for f, n in zip(found, names, strict=True)
    ]
    results = sarif.sarif_document(Report(names, found))["runs"][0]["results"]
    for name, result in zip(names, results, strict=True):
        location = result["locations"][0]["physicalLocation"]["artifactLocation"]
        assert location == sarif.artifact(name)
    first = results[0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert first is not results[3]["locations"][0]["physicalLocation"]["artifactLocation"]


# --- the step summary -----------------------------------------------------------------------


def test_the_summary_lists_the_most_severe_and_counts_the_rest() -> None:
    found = findings_of([NOTE] * 5 + [ERROR] * (markdown.SUMMARY_ROWS + 2))
    out = io.StringIO()
    markdown.report_markdown(Report(["a.json"], found), out)
    text = out.getvalue()
    rows = [line for line in text.splitlines() if line.startswith("| error ")]
    assert len(rows) == markdown.SUMMARY_ROWS and "| note " not in text
    assert text.rstrip().endswith("every finding is in the step's log.")
    assert "7 more finding(s) not listed here" in text
    assert text.startswith(
        "### hubtool: failed\n\n1 file(s) checked: 1002 error(s), 0 warning(s), 5 note(s)."
    )


def test_the_summary_stays_under_a_mebibyte_whatever_the_messages() -> None:
    found = [finding(i, WARNING, "x" * 20_000) for i in range(200)]
    out = io.StringIO()
    markdown.report_markdown(Report(["a.json"], found), out)
    size = len(out.getvalue().encode("utf-8"))
    assert markdown.SUMMARY_BYTES - 25_000 < size < 1024 * 1024
    assert "more finding(s) not listed here" in out.getvalue()


def test_the_summary_escapes_what_it_quotes() -> None:
    hostile = "| pipe <b>bold</b> [link](https://evil.example) @team\n# heading"
    out = io.StringIO()
    markdown.report_markdown(Report(["a.json"], [finding(1, ERROR, hostile)]), out)
    (row,) = [line for line in out.getvalue().splitlines() if line.startswith("| error ")]
    assert "<b>" not in row and "](https" not in row and row.count(" | ") == 3


# --- hubtool ci's files ---------------------------------------------------------------------


def test_ci_writes_every_report_from_one_run_with_the_same_exit_code(tmp_path: Path) -> None:
    repo = init(tmp_path / "repo")
    data = read(repo)
    add_token(data)
    write(repo, data)
    commit(repo, "a token")
    out = tmp_path / "out"
    out.mkdir()
    (out / "summary.md").write_text("stale\n", encoding="utf-8")
    command = ["ci", "--base", "HEAD~1", "--format", "github"]
    plain = run_cli(*command, cwd=repo, env=git_env())
    files = ["--sarif-file", str(out / "h.sarif"), "--summary-file", str(out / "summary.md")]
    both = run_cli(*command, *files, cwd=repo, env=git_env())
    assert both.returncode == plain.returncode == 1, both.stderr
    assert both.stdout == plain.stdout  # standard output does not change
    document = json.loads((out / "h.sarif").read_text(encoding="utf-8"))
    assert_valid_sarif(document)
    alone = run_cli("ci", "--base", "HEAD~1", "--format", "sarif", cwd=repo, env=git_env())
    assert json.loads(alone.stdout) == document
    summary = (out / "summary.md").read_text(encoding="utf-8")
    assert summary.startswith("### hubtool: failed") and "stale" not in summary
    assert "`no-secret-values`" in summary
    assert sorted(p.name for p in out.iterdir()) == ["h.sarif", "summary.md"]  # no temp left


def test_ci_relative_output_paths_are_the_callers(tmp_path: Path) -> None:
    repo = init(tmp_path / "repo")
    catalog = repo / "apps/hub/catalog"
    result = run_cli(
        "ci",
        "--base",
        "HEAD",
        "--sarif-file",
        "s.sarif",
        "--summary-file",
        "s.md",
        cwd=catalog,
        env=git_env(),
    )
    assert result.returncode == 0, result.stderr
    assert (catalog / "s.sarif").is_file() and (catalog / "s.md").is_file()


def test_an_output_file_that_cannot_be_written_is_exit_2(tmp_path: Path) -> None:
    repo = init(tmp_path / "repo")
    missing = tmp_path / "no-such-directory" / "h.sarif"
    result = run_cli("ci", "--base", "HEAD", "--sarif-file", str(missing), cwd=repo, env=git_env())
    assert result.returncode == 2
    assert "cannot write" in result.stderr and "Traceback" not in result.stderr


def test_write_whole_keeps_the_mode_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    from hubtool.commands.diff import write_whole

    target = tmp_path / "summary"
    target.write_text("old", encoding="utf-8")
    os.chmod(target, 0o600)
    write_whole(target, "new é\n")
    assert target.read_text(encoding="utf-8") == "new é\n"
    assert target.stat().st_mode & 0o777 == 0o600
    fresh = tmp_path / "fresh"
    write_whole(fresh, "x")
    assert fresh.stat().st_mode & 0o777 == 0o644
    with pytest.raises(HubtoolError):
        write_whole(tmp_path / "missing" / "x", "x")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fresh", "summary"]


def test_an_output_file_that_is_no_regular_file_is_refused_not_replaced(tmp_path: Path) -> None:
    """A device or FIFO (``/dev/full``, ``/dev/null``, ``/dev/stdout``'s pipe), directly or
    through a link, is never replaced by the rename: as root that would swap the device node
    for a file. Exit 2, the node left as it was."""
    repo = init(tmp_path / "repo")
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    link = tmp_path / "link"
    link.symlink_to(fifo)
    for option in ("--sarif-file", "--summary-file"):
        for target in (fifo, link):
            result = run_cli("ci", "--base", "HEAD", option, str(target), cwd=repo, env=git_env())
            assert result.returncode == 2, (option, target, result.stderr)
            assert "regular file" in result.stderr and "Traceback" not in result.stderr
            assert fifo.is_fifo() and link.is_symlink()


def test_one_path_for_both_output_files_is_a_usage_error(tmp_path: Path) -> None:
    repo = init(tmp_path / "repo")
    same = ["--sarif-file", str(tmp_path / "r.out"), "--summary-file", f"{tmp_path}/./r.out"]
    result = run_cli("ci", "--base", "HEAD", *same, "--format", "json", cwd=repo, env=git_env())
    assert result.returncode == 2 and "same file" in result.stderr
    assert json.loads(result.stdout)["error"]["kind"] == "usage"
    assert not (tmp_path / "r.out").exists()


def test_an_output_file_inside_the_catalog_is_refused(tmp_path: Path) -> None:
    repo = init(tmp_path / "repo")
    manifest = next((repo / "apps/hub/catalog/integrations").rglob("*.json"))
    before = manifest.read_bytes()
    for target in (manifest, manifest.parent / "report.sarif"):
        result = run_cli(
            "ci", "--base", "HEAD", "--sarif-file", str(target), cwd=repo, env=git_env()
        )
        assert result.returncode == 2 and "inside the catalog" in result.stderr, result.stderr
    assert manifest.read_bytes() == before
    assert not (manifest.parent / "report.sarif").exists()


def test_an_output_file_that_is_a_link_is_replaced_never_followed(tmp_path: Path) -> None:
    """A link planted at the report's path (``hubtool.sarif`` -> a file of the runner's) is
    replaced by the report; the file it named keeps every byte."""
    repo = init(tmp_path / "repo")
    victim = tmp_path / "victim"
    victim.write_text("keep\n", encoding="utf-8")
    link = repo / "hubtool.sarif"
    link.symlink_to(victim)
    result = run_cli("ci", "--base", "HEAD", "--sarif-file", str(link), cwd=repo, env=git_env())
    assert result.returncode == 0, result.stderr
    assert not link.is_symlink() and json.loads(link.read_text(encoding="utf-8"))["runs"]
    assert victim.read_text(encoding="utf-8") == "keep\n"
