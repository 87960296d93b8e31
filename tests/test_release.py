"""The release and the README's way in: one version everywhere, the tag the README names, the
changelog's section for it, one repository URL, and the first-manifest and editor snippets
working as written (the pre-commit snippet is run for real in tests/validate/test_precommit.py).
"""

from __future__ import annotations

import fnmatch
import json
import re
import tomllib
from pathlib import Path

import jsonschema
from conftest import REPO, run_cli

import hubtool

README = (REPO / "README.md").read_text(encoding="utf-8")
PROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
VERSION = PROJECT["version"]
FIRST = "apps/hub/catalog/integrations/acme/acme-api.json"


def section(title: str) -> str:
    """The README's text from the heading ``## title`` to the next ``## `` heading."""
    start = README.index(f"\n## {title}\n")
    end = README.find("\n## ", start + 1)
    return README[start : end if end != -1 else None]


def blocks(text: str, language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", text, re.DOTALL)


def test_one_version_and_its_tag_everywhere() -> None:
    assert re.fullmatch(r"\d+\.\d+\.\d+", VERSION)
    assert hubtool.__version__ == VERSION
    version = run_cli("--version")
    assert version.returncode == 0 and version.stdout.strip() == f"hubtool, version {VERSION}"
    ours = [line for line in README.splitlines() if "hubtool" in line or "rev:" in line]
    tags = set(re.findall(r"\bv\d+\.\d+\.\d+\b", "\n".join(ours)))  # not other tools' tags
    assert tags == {f"v{VERSION}"}, "every hubtool tag the README names is the release tag"


def test_the_changelog_has_the_release_under_unreleased() -> None:
    changelog = (REPO / "CHANGELOG.md").read_text(encoding="utf-8")
    headings = re.findall(r"^## \[([^\]]+)\](.*)$", changelog, re.MULTILINE)
    assert headings[0] == ("Unreleased", "")
    assert headings[1][0] == VERSION
    assert re.fullmatch(r" - \d{4}-\d{2}-\d{2}", headings[1][1])
    links = dict(re.findall(r"^\[([^\]]+)\]: (\S+)$", changelog, re.MULTILINE))
    repository = PROJECT["urls"]["Repository"]
    assert links["Unreleased"] == f"{repository}/compare/v{VERSION}...HEAD"
    assert links[VERSION].startswith(f"{repository}/")


def test_one_repository_url() -> None:
    urls = PROJECT["urls"]
    repository = urls["Repository"]
    assert {"Homepage", "Repository", "Documentation", "Changelog"} <= set(urls)
    assert all(url.startswith(repository) for url in urls.values())
    mentioned = set(re.findall(r"https?://[\w./@#-]*hubtool[\w./@#-]*", README))
    assert mentioned, "the README installs from the repository"
    assert all(url.startswith(repository) for url in mentioned), mentioned
    assert f"git+{repository}@v{VERSION}" in section("Install")
    schema = json.loads((REPO / "schemas/dock-integration.schema.json").read_text("utf-8"))
    assert schema["$id"] == f"{repository}/raw/main/schemas/dock-integration.schema.json"


def first_manifest() -> str:
    (manifest,) = blocks(section("First manifest"), "json")
    return manifest


def test_the_first_manifest_validates_clean(tmp_path: Path) -> None:
    text = first_manifest()
    assert len(text.splitlines()) <= 14
    target = tmp_path / FIRST
    target.parent.mkdir(parents=True)
    target.write_text(text, encoding="utf-8")
    for args in ([], [FIRST], ["--catalog-context", FIRST]):
        result = run_cli("validate", "--strict", *args, cwd=tmp_path)
        assert result.returncode == 0, result.stdout + result.stderr
        assert result.stdout == "1 file checked: no findings\n"


def test_the_schema_line_and_the_editor_settings_find_the_schema(tmp_path: Path) -> None:
    """What the README says to run, then what an editor does: the manifest's ``"$schema"``
    path and the settings' ``url`` both lead to the schema ``hubtool schema`` printed, which
    finds the manifest valid."""
    (command,) = [b for b in blocks(section("First manifest"), "sh") if "hubtool schema" in b]
    assert (
        command.strip()
        == "mkdir -p schemas && hubtool schema > schemas/dock-integration.schema.json"
    )
    printed = run_cli("schema")
    assert printed.returncode == 0
    (tmp_path / "schemas").mkdir()
    written = tmp_path / "schemas/dock-integration.schema.json"
    written.write_text(printed.stdout, encoding="utf-8")
    manifest = json.loads(first_manifest())
    target = tmp_path / FIRST
    assert (target.parent / manifest["$schema"]).resolve() == written.resolve()
    (settings,) = blocks(section("First manifest"), "jsonc")
    settings_data = json.loads(re.sub(r"^\s*//.*$", "", settings, flags=re.MULTILINE))
    (mapping,) = settings_data["json.schemas"]
    assert any(fnmatch.fnmatch(FIRST, pattern) for pattern in mapping["fileMatch"])
    assert (tmp_path / mapping["url"]).resolve() == written.resolve()
    schema = json.loads(written.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(manifest)
