"""``hubtool import`` parses each manifest once: the documents ``validate`` parsed and checked are
the ones imported (``validate(documents=...)``), in one process or in worker processes; a file
changed after its validation is imported as it was validated, never as it is now (issue 11)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_import_many import catalog

from hubtool.drafts import importer
from hubtool.load.strict import Document
from hubtool.registry import RULES
from hubtool.validate import pipeline


def _parsed(doc: Document) -> tuple[str, object, str]:
    return doc.path, doc.data, doc.text


def test_each_manifest_is_read_and_parsed_once(
    tmp_path: Path, sentry_data: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = catalog(tmp_path / "repo", sentry_data, ["acme", "globex", "initech"])
    monkeypatch.setenv("HUBTOOL_JOBS", "1")
    loads: list[Path] = []
    real = pipeline.read_regular

    def counted(path: Path, *args: object, **kwargs: object) -> object:
        loads.append(path)
        return real(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline, "read_regular", counted)
    sources, report = importer.load_sources(paths, rules=RULES)
    assert not report.failed() and len(sources) == 3
    assert sorted(loads) == sorted(paths)
    assert [s.data["slug"] for s in sources] == ["acme-api", "globex-api", "initech-api"]


def test_workers_return_the_documents_one_process_parses(tmp_path: Path, sentry_data: dict) -> None:
    paths = catalog(tmp_path / "repo", sentry_data, ["a", "b", "c", "d", "e"])
    alone: list[Document] = []
    together: list[Document] = []
    one = pipeline.validate(paths, jobs=1, documents=alone)
    two = pipeline.validate(paths, jobs=2, documents=together)
    assert one.findings == two.findings and one.files == two.files
    assert [_parsed(d) for d in together] == [_parsed(d) for d in alone]
    assert [d.path for d in alone] == one.files and len(alone) == 5
    assert pipeline.validate(paths, jobs=2).files == one.files  # no documents asked: none kept


def test_a_file_changed_after_validation_is_imported_as_validated(
    tmp_path: Path, sentry_data: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = catalog(tmp_path / "repo", sentry_data, ["acme", "globex"])
    validated = json.loads(paths[0].read_text(encoding="utf-8"))
    real = importer.validate

    def then_changed(*args: object, **kwargs: object) -> object:
        report = real(*args, **kwargs)  # type: ignore[arg-type]
        paths[0].write_text('{"not": "validated"}', encoding="utf-8")
        return report

    monkeypatch.setattr(importer, "validate", then_changed)
    sources, report = importer.load_sources(paths, rules=RULES)
    assert not report.failed()
    assert sources[0].data == validated


def test_a_manifest_with_errors_still_imports_nothing(tmp_path: Path, sentry_data: dict) -> None:
    paths = catalog(tmp_path / "repo", sentry_data, ["acme", "globex"])
    paths[1].write_text("{", encoding="utf-8")
    sources, report = importer.load_sources(paths, rules=RULES)
    assert sources == [] and report.failed()
