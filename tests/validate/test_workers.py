"""A large catalog in worker processes gives the report of one process, byte for byte; a run
keeps a summary of each document, not the document, until the catalog-wide checks."""

from __future__ import annotations

import copy
import io
import json
import os
from pathlib import Path

import pytest
from conftest import SENTRY, run_cli

from hubtool.commands import REPORT_FORMATS
from hubtool.core.errors import HubtoolError
from hubtool.core.findings import Report
from hubtool.load.strict import Document
from hubtool.report import reporter
from hubtool.validate import workers
from hubtool.validate.pipeline import check_files, kept_file, load_file, validate
from hubtool.validate.rules.catalog import check_catalog

FILES = 70
"""Above ``workers.MIN_FILES``: over two workers, in chunks of 9 then (the last 36 files)
chunks of 2: 22 tasks."""


def _catalog(root: Path, sentry: dict) -> Path:
    """``FILES`` manifests: clean ones, ones with findings, two that do not parse, and slugs
    shared by files that fall in different chunks."""
    folder = root / "catalog"
    folder.mkdir()
    shared = {2: "dup", 65: "dup", 10: "tri", 40: "tri", 68: "tri"}
    for index in range(FILES):
        data = copy.deepcopy(sentry)
        data["slug"] = shared.get(index, f"sentry-{index}")
        if index % 7 == 3:
            data["version"] = "v1.0"  # version-format
        if index % 11 == 5:
            data["actionTemplates"][1]["slug"] = data["actionTemplates"][0]["slug"]
        if index == 20:
            data["slug"] = 20  # schema: not a string; not a slug holder
        text = json.dumps(data, indent=2 if index % 2 else None)
        if index in (7, 50):
            text = text[:-40] + ', "x": 1, "x": 2'  # json-syntax
        (folder / f"m{index:02}.json").write_text(text, encoding="utf-8")
    (folder / "m70.json").write_text("[]", encoding="utf-8")  # not an object
    return folder


@pytest.fixture(scope="module")
def catalog(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = json.loads(SENTRY.read_text(encoding="utf-8"))
    return _catalog(tmp_path_factory.mktemp("workers"), data)


def _rendered(report: Report) -> dict[str, str]:
    out = {}
    for fmt in REPORT_FORMATS:
        stream = io.StringIO()
        reporter("report", fmt)(report, stream, strict=False, colour=False)
        out[fmt] = stream.getvalue()
    return out


def test_two_workers_give_the_report_of_one_process(catalog: Path) -> None:
    one = validate([catalog], jobs=1)
    two = validate([catalog], jobs=2)
    assert workers.worker_count(FILES + 1, 2) == 2
    assert two.files == one.files and len(one.files) == FILES + 1
    assert two.findings == one.findings
    assert _rendered(two) == _rendered(one)
    rules = {f.rule for f in one.findings}
    assert {"json-syntax", "version-format", "unique-slugs", "schema"} <= rules


def test_catalog_findings_from_summaries_match_the_documents(catalog: Path) -> None:
    """Reference: check_catalog over every parsed document, as runs did before."""
    docs = [d for d in (load_file(p) for p in sorted(catalog.iterdir())) if isinstance(d, Document)]
    expected = list(check_catalog(docs))
    report = validate([catalog], jobs=2)
    found = [f for f in report.findings if f.rule == "unique-slugs" and f.pointer == "/slug"]
    assert sorted(expected, key=lambda f: f.sort_key()) == found
    assert [f.file[-8:] for f in found] == [f"m{i:02}.json" for i in (2, 10, 40, 65, 68)]
    assert [f.line > 1 for f in found] == [False, False, False, True, False]  # m65: indented


def test_the_command_line_with_jobs(catalog: Path) -> None:
    one = run_cli("validate", "--format", "sarif", "--jobs", "1", str(catalog))
    env = {**os.environ, "HUBTOOL_JOBS": "2"}
    two = run_cli("validate", "--format", "sarif", str(catalog), env=env)
    assert one.returncode == two.returncode == 1
    assert one.stdout == two.stdout and one.stderr == two.stderr
    bad = run_cli("validate", str(catalog), env={**os.environ, "HUBTOOL_JOBS": "two"})
    assert bad.returncode == 2 and "HUBTOOL_JOBS must be a positive whole number" in bad.stderr


def test_worker_count(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(workers.JOBS_ENV, raising=False)
    monkeypatch.setattr(workers, "usable_cores", lambda: 4)
    assert workers.worker_count(workers.MIN_FILES - 1) == 1
    assert workers.worker_count(workers.MIN_FILES) == 4
    assert workers.worker_count(1000, jobs=1) == 1
    assert workers.worker_count(3, jobs=8) == 3  # never more than tasks
    assert workers.worker_count(0, jobs=8) == 1
    assert workers.worker_count(10_000, jobs=100_000) == 4 * workers.OVERSUBSCRIBE  # capped
    monkeypatch.setattr(workers, "usable_cores", lambda: 1)
    assert workers.worker_count(1000) == 1
    monkeypatch.setenv(workers.JOBS_ENV, "2")
    assert workers.worker_count(10) == 2 and workers.worker_count(1000, jobs=1) == 1
    for text in ("0", "-1", "1.5", "x", "\u00b2", "\u2460"):  # superscript 2, circled 1
        monkeypatch.setenv(workers.JOBS_ENV, text)
        with pytest.raises(HubtoolError, match="HUBTOOL_JOBS"):
            workers.worker_count(10)


def test_chunks_cover_every_item_in_order() -> None:
    for count in (0, 1, 7, 50, 333):
        for jobs in (1, 2, 3, 16):
            parts = workers.chunks(list(range(count)), jobs)
            assert [i for part in parts for i in part] == list(range(count))
            assert all(0 < len(part) <= workers.MAX_CHUNK for part in parts)


def _dies_on_the_second_chunk(paths: list[Path], max_bytes: int) -> list[str]:
    if paths[0].name == "c.json":
        os._exit(3)
    return [p.name for p in paths]


def _refuses(paths: list[Path], max_bytes: int) -> list[str]:
    raise HubtoolError(f"{paths[0].name}: cannot read", ("detail",))


def test_a_dead_worker_stops_the_run_with_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    """Which chunks finished before the pool broke varies; the error never comes late."""
    files = [Path(f"{name}.json") for name in "abcdef"]
    monkeypatch.setattr(workers, "TASKS_PER_WORKER", 1)
    monkeypatch.setattr(workers, "MAX_CHUNK", 2)
    got: list[str] = []
    with pytest.raises(HubtoolError, match="worker process stopped abruptly") as caught:
        got.extend(workers.in_workers(_dies_on_the_second_chunk, files, 1, 2))
    assert got in ([], ["a.json", "b.json"])
    assert f"checking {'c' if got else 'a'}.json or a file after it" in caught.value.message
    assert "HUBTOOL_JOBS=1" in caught.value.message


def test_an_error_in_a_worker_is_raised_as_in_one_process() -> None:
    with pytest.raises(HubtoolError) as caught:
        list(workers.in_workers(_refuses, [Path("a.json"), Path("b.json")], 1, 2))
    assert caught.value.message == "a.json: cannot read" and caught.value.details == ("detail",)


def test_a_pool_that_cannot_start_leaves_the_collector_as_it_was(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A pool refused by the system (no semaphores: a container without /dev/shm) raises its
    own error and leaves the parent's heap unfrozen: a long-running process (``hubtool mcp``)
    would otherwise never collect what was alive at that moment."""
    import concurrent.futures
    import gc

    def refused(*args: object, **kwargs: object) -> None:
        raise OSError(38, "Function not implemented")

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", refused)
    frozen = gc.get_freeze_count()
    with pytest.raises(OSError, match="not implemented"):
        list(workers.in_workers(check_files, [Path("a.json"), Path("b.json")], 1, 2))
    assert gc.get_freeze_count() == frozen


def test_a_file_changed_during_the_run_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "m.json"
    path.write_text('{"slug": "s"}', encoding="utf-8")
    kept = kept_file(path)
    assert kept is not None and kept.data == {"slug": "s"} and kept.position("/slug") == (1, 10)
    path.write_text('{ "slug": "s"}', encoding="utf-8")
    with pytest.raises(HubtoolError, match="changed during the run"):
        kept.position("/slug")


def test_a_summary_holds_no_document(tmp_path: Path) -> None:
    path = tmp_path / "m.json"
    path.write_text(json.dumps({"slug": "s", "big": ["x" * 1000] * 100}), encoding="utf-8")
    (checked,) = check_files([path])
    assert checked.kept is not None and checked.kept.data == {"slug": "s"}
    held = vars_of(checked.kept)
    assert held and all(not isinstance(v, Document) for v in held)


def vars_of(obj: object) -> list[object]:
    """Every field of a named tuple (``Kept`` is one: its ``__slots__`` is empty, so reading
    them alone would check nothing), else every slot."""
    names = getattr(type(obj), "_fields", None) or type(obj).__slots__
    return [getattr(obj, name) for name in names]


def test_the_last_chunks_are_smaller() -> None:
    """1,000 files over two workers: chunks of 32, the last 128 files in chunks of 8 (the
    workers finish within a small chunk of each other); small runs keep their chunks."""
    sizes = [len(part) for part in workers.chunks(list(range(1000)), 2)]
    assert sizes == [32] * 27 + [8] + [8] * 16
    assert [len(part) for part in workers.chunks(list(range(12)), 2)] == [2] * 6
