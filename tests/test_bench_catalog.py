"""bench/catalog.py: the generated catalog is valid for hubtool and the schema, varied, seeded."""

from __future__ import annotations

import importlib
import importlib.util
import json
import os
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from hubtool.validate.pipeline import validate

REPO = Path(__file__).resolve().parents[1]
SCHEMA = json.loads((REPO / "schemas/dock-integration.schema.json").read_text(encoding="utf-8"))


def load_generator() -> Any:
    spec = importlib.util.spec_from_file_location("bench_catalog", REPO / "bench/catalog.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


catalog = load_generator()


def shape(value: Any) -> Any:
    """The structure of a JSON value: keys and types, no scalar values."""
    if isinstance(value, dict):
        return {key: shape(item) for key, item in value.items()}
    if isinstance(value, list):
        return [shape(item) for item in value]
    return type(value).__name__


def signature(value: Any) -> str:
    return json.dumps(shape(value), sort_keys=True)


@pytest.mark.parametrize(("manifests", "actions"), [(12, 5), (2, 40)])
def test_generated_catalog_is_clean(tmp_path: Path, manifests: int, actions: int) -> None:
    paths = catalog.generate(tmp_path, manifests, actions, seed=3)
    report = validate([tmp_path / "apps/hub/catalog"])
    assert [str(f) for f in report.findings] == []
    assert sorted(str(f) for f in report.files) == sorted(str(p) for p in paths)
    validator = jsonschema.Draft202012Validator(SCHEMA)
    for path in paths:
        data = json.loads(path.read_text(encoding="utf-8"))
        assert list(validator.iter_errors(data)) == []
        assert len(data["actionTemplates"]) == actions
        assert path.relative_to(tmp_path).parts[:4] == ("apps", "hub", "catalog", "integrations")
        assert path.parent.name == data["publisher"]["slug"]
        assert path.stem == data["slug"]


def test_manifests_and_actions_differ_in_shape(tmp_path: Path) -> None:
    paths = catalog.generate(tmp_path, 12, 5, seed=3)
    docs = [json.loads(path.read_text(encoding="utf-8")) for path in paths]
    assert len({signature(doc) for doc in docs}) == len(docs)
    assert len({doc["publisher"]["slug"] for doc in docs}) == len(docs)  # 12 providers
    for doc in docs:
        templates = doc["actionTemplates"]
        assert len({signature(t) for t in templates}) > 1
        assert len({t["slug"] for t in templates}) == len(templates)
    methods = {t["method"] for doc in docs for t in doc["actionTemplates"]}
    assert {"GET", "POST"} <= methods


def test_generation_is_seeded(tmp_path: Path) -> None:
    first = catalog.generate(tmp_path / "a", 3, 4, seed=5)
    again = catalog.generate(tmp_path / "b", 3, 4, seed=5)
    other = catalog.generate(tmp_path / "c", 3, 4, seed=6)
    text = [p.read_bytes() for p in first]
    assert text == [p.read_bytes() for p in again]
    assert text != [p.read_bytes() for p in other]


@pytest.mark.parametrize(
    ("usage", "form"),
    [
        ("Usage: hubtool import [OPTIONS] NAME\n\nOptions:\n  --store PATH  Store.", "each"),
        ("Usage: hubtool import [OPTIONS] [NAME|PATH]...\n\n  --all  Every manifest.", "paths"),
        ("Usage: hubtool import [OPTIONS] [NAME]\n\nOptions:\n  --all  Every manifest.", "all"),
    ],
)
def test_import_form_follows_the_help(usage: str, form: str) -> None:
    """bench/import_figure.py picks the multi-manifest form when `import --help` offers one."""
    import_figure = importlib.import_module("import_figure")  # bench/ is on sys.path (catalog)
    fake = [sys.executable, "-c", f"print({usage!r})"]
    assert import_figure.import_form(fake, dict(os.environ)) == form
