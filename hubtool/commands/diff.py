"""diff, bump, ci: classify changes, gate the version, and the hub repository's CI gate."""

from __future__ import annotations

import io
import os
import stat
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import click

from hubtool.commands import (
    COLOR_OPTION,
    CONFIG_OPTION,
    FORMAT_OPTION,
    MAX_BYTES_OPTION,
    REPORT_FORMATS,
    STRICT_OPTION,
    exit_code,
    quiet,
    report_options,
    use_colour,
)
from hubtool.core.errors import EXIT_CANNOT_RUN, EXIT_CLEAN, EXIT_FINDINGS, HubtoolError
from hubtool.core.escape import json_text, redacted, terminal
from hubtool.core.limits import MAX_BYTES


@dataclass(frozen=True)
class DiffOptions:
    paths: tuple[Path, ...]
    base: str | None = None
    format: str = "text"
    color: str = "auto"
    max_bytes: int = MAX_BYTES
    verbose: bool = False


def run_diff(options: DiffOptions) -> int:
    from hubtool.diff.compare import check_new_versions, compare_files, compare_to_ref
    from hubtool.registry import RULES
    from hubtool.report import reporter

    if options.base is not None:
        results = compare_to_ref(options.base, list(options.paths), options.max_bytes)
    elif len(options.paths) == 2:
        results = [compare_files(*options.paths, max_bytes=options.max_bytes)]
    else:
        raise click.UsageError("give two manifest files (OLD NEW), or --base REF [PATH...]")
    check_new_versions(results, options.max_bytes, rules=RULES)
    if options.format == "json":
        reporter("diff", "json")(results, sys.stdout, options.base)
    elif options.format == "markdown":
        reporter("diff", "markdown")(results, sys.stdout, verbose=options.verbose)
    elif options.format in ("sarif", "github"):
        _report_gate(results, options.format)
    else:
        colour = use_colour(options.color, sys.stdout)
        show = reporter("diff", "text")
        show(results, sys.stdout, colour=colour, verbose=options.verbose, quiet=quiet())
    if any(r.crashed for r in results):
        message = "the change classification crashed (see above); the verdict is incomplete"
        click.echo(f"hubtool: internal error: {message}; please report it", err=True)
        return EXIT_CANNOT_RUN
    return EXIT_CLEAN if all(r.verdict.ok for r in results) else EXIT_FINDINGS


def _report_gate(results: list, fmt: str) -> None:  # list[ManifestDiff]; lazy import
    from hubtool.core.findings import Finding, Report
    from hubtool.diff.compare import gate_findings
    from hubtool.report import reporter

    findings = sorted(gate_findings(results), key=Finding.sort_key)
    reporter("report", fmt)(Report([r.file for r in results], findings), sys.stdout)


@dataclass(frozen=True)
class CiOptions:
    base: str
    all_files: bool = False
    format: str = "text"
    strict: bool = False
    color: str = "auto"
    config: Path | None = None
    max_bytes: int = MAX_BYTES
    sarif_file: Path | None = None
    summary_file: Path | None = None


def run_ci_gate(options: CiOptions) -> int:
    from hubtool.ci.run import run_ci
    from hubtool.load.discover import default_paths
    from hubtool.registry import RULES
    from hubtool.report import reporter

    catalog = default_paths()[0]
    config = options.config.absolute() if options.config else None
    files = [
        (path.absolute(), fmt)
        for path, fmt in ((options.sarif_file, "sarif"), (options.summary_file, "markdown"))
        if path is not None
    ]
    check_output_files([path for path, _ in files], catalog)
    os.chdir(catalog.parents[2])  # paths in annotations and SARIF are relative to the repo root
    # the configuration is read at the tip of --base, never from the pull request's work tree
    result = run_ci(options.base, options.all_files, config, options.max_bytes, rules=RULES)
    for path, fmt in files:  # the same run's report, before standard output's
        text = io.StringIO()
        reporter("report", fmt)(result.report, text, strict=options.strict)
        write_whole(path, text.getvalue())
    if options.format == "json":
        reporter("ci", "json")(result, sys.stdout, options.strict)
    else:
        colour = use_colour(options.color, sys.stdout)
        show = reporter("report", options.format)
        show(
            result.report,
            sys.stdout,
            strict=options.strict,
            colour=colour,
            **report_options(options.format),
        )
    return exit_code(result.report, options.strict)


def check_output_files(paths: list[Path], catalog: Path) -> None:
    """``ci``'s report files: two distinct files, neither among the manifests
    (``<catalog>/integrations``: it would replace one, or be checked as one). UsageError
    (exit 2) before the run."""
    resolved = [path.resolve() for path in paths]
    if len(set(resolved)) < len(resolved):
        raise click.UsageError("--sarif-file and --summary-file name the same file")
    inside = [
        p
        for p, r in zip(paths, resolved, strict=True)
        if r.is_relative_to((catalog / "integrations").resolve())
    ]
    if inside:
        raise click.UsageError(f"{inside[0]} is inside the catalog; write reports elsewhere")


def write_whole(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` (UTF-8) in one rename: a reader sees the old file or the
    whole new one, never a part. A new file gets mode 0o644; an existing one keeps its mode.
    HubtoolError (exit 2) when it cannot be written, or when ``path`` (through a link too) is
    no regular file: the rename would replace a device or FIFO (``/dev/null``) with a file;
    the temporary file is removed."""
    try:
        status = path.stat()
    except OSError:
        status = None
    if status is not None and not stat.S_ISREG(status.st_mode):
        raise HubtoolError(f"cannot write {path}: not a regular file")
    mode = status.st_mode & 0o7777 if status is not None else 0o644
    try:
        handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(text.encode("utf-8", "backslashreplace"))
            os.chmod(temp, mode)
            os.replace(temp, path)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise HubtoolError(f"cannot write {path}: {exc.strerror or exc}") from None


def display_path(path: Path) -> Path:
    """``path`` relative to the working directory where possible (as findings show paths)."""
    try:
        return path.absolute().relative_to(Path.cwd())
    except ValueError:
        return path


def run_bump(paths: tuple[Path, ...], base: str, fmt: str = "text") -> int:
    """Exit 1 when a manifest still fails the gate and cannot be bumped automatically.

    Text: one line per manifest. JSON: ``{"ok", "base", "manifests": [{"file", "ok", "bumped",
    "from", "to", "base_version", "required_bump"}]}`` (``from``/``to``: the version in the file
    before and after). An exit-2 error midway carries the manifests done so far (``partial``).
    """
    done: list[dict[str, object]] = []
    try:
        for entry in _bump_each(paths, base):
            done.append(entry)
            if fmt == "text":
                click.echo(_bump_line(entry, base))
    except HubtoolError as exc:
        exc.partial = {"base": base, "manifests": done}  # type: ignore[attr-defined]
        raise
    ok = all(entry["ok"] for entry in done)
    if fmt == "json":
        from hubtool.report import write_document

        write_document(sys.stdout, json_text({"ok": ok, "base": base, "manifests": done}))
    return EXIT_CLEAN if ok else EXIT_FINDINGS


def _bump_line(entry: dict[str, object], base: str) -> str:
    file, old = terminal(entry["file"]), terminal(entry["from"] or "-")
    if not entry["bumped"]:
        state = "passes the gate" if entry["ok"] else "cannot be bumped automatically"
        return f"{file}: {old} {state}"
    why = entry["required_bump"]
    why = "no" if why in (None, "none") else why
    return f"{file}: {old} -> {terminal(entry['to'])} ({why} changes since {terminal(base)})"


def _bump_each(paths: tuple[Path, ...], base: str) -> Iterator[dict[str, object]]:
    """Each manifest's bump, written as it is yielded. Raises HubtoolError."""
    from hubtool.diff import gitrefs
    from hubtool.diff.bump import set_version, target_version, write_target
    from hubtool.diff.compare import compare_to_ref

    # a link named on the command line is bumped as its target (inside the repository only)
    targets = [write_target(p, gitrefs.repo_root(p.absolute())) for p in paths]
    for result in compare_to_ref(base, [display_path(p) for p in targets]):
        version = target_version(result)
        entry: dict[str, object] = {
            "file": redacted(result.file),
            "ok": result.verdict.ok,
            "bumped": False,
            "from": result.new_version,
            "to": result.new_version,
            "base_version": result.old_version,
            "required_bump": result.verdict.required_bump,
        }
        if version is None or result.new is None:
            yield entry  # shown before the error, as a crashed comparison is reported
            if result.crashed:
                raise HubtoolError(f"{result.file}: {result.verdict.problems[0]}")
            continue
        offset = result.new.values.get("/version")
        if offset is None:
            raise HubtoolError(f"{result.file}: has no version to bump")
        path = Path(result.file)
        set_version(
            write_target(path, gitrefs.repo_root(path.absolute())), result.new.text, offset, version
        )
        yield entry | {"ok": True, "bumped": True, "to": version}


# --- the click commands ---------------------------------------------------------------------

_MERGE_BASE = (
    "the merge base of REF and HEAD (where the branch forked from REF, as 'git diff REF...'). "
    "A clone without that commit (shallow) exits 2: fetch with fetch-depth: 0."
)


@click.command("diff")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--base", metavar="REF", help=f"Compare each catalog manifest with its version at {_MERGE_BASE}"
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "markdown", "sarif", "github"]),
    default="text",
    show_default=True,
)
@click.option(
    "--verbose", "-v", is_flag=True, help="Text and markdown: list unchanged manifests too."
)
@COLOR_OPTION
@MAX_BYTES_OPTION
def diff_command(
    paths: tuple[Path, ...], base: str | None, fmt: str, verbose: bool, color: str, max_bytes: int
) -> None:
    """Classify changes between OLD and NEW (or the catalog and REF) and gate the version.

    \b
    hubtool diff OLD.json NEW.json
    hubtool diff --base origin/main [PATH...]
    """
    sys.exit(run_diff(DiffOptions(paths, base, fmt, color, max_bytes, verbose)))


@click.command("bump")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--base",
    metavar="REF",
    default="HEAD",
    show_default=True,
    help=f"The released versions: each manifest as it was at {_MERGE_BASE}",
)
@FORMAT_OPTION
def bump_command(paths: tuple[Path, ...], base: str, fmt: str) -> None:
    """Write the minimum acceptable version into each changed manifest (only the version)."""
    sys.exit(run_bump(paths, base, fmt))


@click.command("ci")
@click.option(
    "--base",
    metavar="REF",
    required=True,
    help=f"The base branch or commit, e.g. origin/main; compares with {_MERGE_BASE}",
)
@click.option(
    "--all", "all_files", is_flag=True, help="Validate the whole catalog, not only changes."
)
@click.option(
    "--format", "fmt", type=click.Choice(REPORT_FORMATS), default="text", show_default=True
)
@click.option(
    "--sarif-file",
    metavar="PATH",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Also write the report as SARIF to PATH (replaced whole), from this same run.",
)
@click.option(
    "--summary-file",
    metavar="PATH",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Also write a markdown summary to PATH (replaced whole), e.g. $GITHUB_STEP_SUMMARY.",
)
@STRICT_OPTION
@COLOR_OPTION
@CONFIG_OPTION
@MAX_BYTES_OPTION
def ci_command(
    base: str,
    all_files: bool,
    fmt: str,
    sarif_file: Path | None,
    summary_file: Path | None,
    strict: bool,
    color: str,
    config: Path | None,
    max_bytes: int,
) -> None:
    """The hub repository's gate: validate changed manifests, catalog checks, version gate.

    \b
    The pull request is untrusted. The .hubtool.yaml applied is the one committed at
    REF's tip (the policy of the branch the pull request merges into, as its
    maintainers hold it now; none there means the defaults), never the work tree's nor
    an older one the branch forked from: a pull request cannot lower a severity, add a
    waiver or allow a value for itself, nor keep a waiver the base branch removed. Its
    own change to .hubtool.yaml (against the merge base) is a `config-changed` finding
    for review, applies once merged, and is scanned for credentials, comments included.
    The catalog is walked without following links: links, FIFOs, submodules and odd
    names are `catalog-tree` findings.

    \b
    One run, several reports: --format for standard output (github: annotations,
    at most 10 of each type, the rest as log lines), --sarif-file and
    --summary-file for files. The exit code is the same whatever is written.
    """
    options = CiOptions(base, all_files, fmt, strict, color, config, max_bytes)
    sys.exit(run_ci_gate(replace(options, sarif_file=sarif_file, summary_file=summary_file)))
