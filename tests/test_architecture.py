"""The layout's rules, checked statically on hubtool's source with ``ast`` (nothing is imported).

- no import cycle among hubtool's modules (module-level imports; imports inside functions that
  close a cycle are listed in ``LAZY_CYCLES``, so a new one is seen);
- no module over ``MAX_LINES`` lines;
- dependencies point one way: cli, commands, report (and the ``hubtool.registry`` collector) ->
  capabilities (load, validate, diff, ci, drafts, upstream) -> core;
- only cli, commands and report print.
"""

from __future__ import annotations

import ast
import functools
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PACKAGE = REPO / "hubtool"
MAX_LINES = 400

TOP = (
    "hubtool.cli",
    "hubtool.__main__",
    "hubtool.commands",
    "hubtool.report",
    "hubtool.registry",
    "hubtool.agents",
)
"""The outer layer: command line, commands, output formats, the rule/kind collector and the
MCP server (``hubtool.agents``: a front end like the command line, which serves rule docs)."""
CAPABILITIES = (
    "hubtool.load",
    "hubtool.validate",
    "hubtool.diff",
    "hubtool.ci",
    "hubtool.drafts",
    "hubtool.upstream",
    "hubtool.hub",
)
CORE = "hubtool.core"
CORE_MAY_IMPORT = frozenset[str]()
"""Modules outside ``hubtool.core`` that core may import (``hubtool.load`` pointer helpers if
ever unavoidable): none."""
PRINTERS = ("hubtool.cli", "hubtool.commands", "hubtool.report")
PRINT_CALLS = frozenset(
    {
        "print",
        "click.echo",
        "click.secho",
        "sys.stdout.write",
        "sys.stderr.write",
        "sys.stdout.writelines",
        "sys.stderr.writelines",
        "sys.stdout.buffer.write",
        "sys.stderr.buffer.write",
    }
)

LAZY_CYCLES: set[tuple[str, str]] = set()
"""(importing module, imported module) of each import inside a function that lies on a cycle
of run-time imports: legal, but a dependency pointing the wrong way. None today; an entry here
needs a reason."""


@dataclass(frozen=True)
class Import:
    """One import of a hubtool module: where it is and whether it runs when the module loads."""

    source: str
    target: str
    line: int
    module_level: bool
    type_only: bool


def module_name(path: Path) -> str:
    """``hubtool/core/ecma/__init__.py`` -> ``hubtool.core.ecma``."""
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


@functools.cache
def modules() -> dict[str, Path]:
    """Every hubtool module by dotted name."""
    return {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def relative(name: str) -> str:
    """The repository path of module ``name`` (for messages)."""
    return modules()[name].relative_to(REPO).as_posix()


@functools.cache
def tree(name: str) -> ast.Module:
    path = modules()[name]
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _resolve(name: str, node: ast.Import | ast.ImportFrom) -> Iterator[str]:
    """The hubtool modules one import statement names (most specific existing module)."""
    known = modules()
    if isinstance(node, ast.Import):
        for alias in node.names:
            if alias.name.split(".")[0] == "hubtool":
                yield _longest(alias.name)
        return
    base = node.module or ""
    if node.level:
        package = name if modules()[name].name == "__init__.py" else name.rpartition(".")[0]
        for _ in range(node.level - 1):
            package = package.rpartition(".")[0]
        base = f"{package}.{base}".rstrip(".")
    if base.split(".")[0] != "hubtool":
        return
    for alias in node.names:
        full = f"{base}.{alias.name}"
        yield full if full in known else _longest(base)


def _longest(dotted: str) -> str:
    """The longest prefix of ``dotted`` that is a hubtool module."""
    parts = dotted.split(".")
    while parts and ".".join(parts) not in modules():
        parts.pop()
    return ".".join(parts)


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _walk(
    node: ast.AST, module_level: bool, type_only: bool
) -> Iterator[tuple[ast.AST, bool, bool]]:
    """Every node with (runs when the module loads, only under ``TYPE_CHECKING``)."""
    for child in ast.iter_child_nodes(node):
        inner_level = module_level and not isinstance(
            child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda
        )
        inner_type = type_only or (isinstance(child, ast.If) and _is_type_checking(child))
        yield child, inner_level, inner_type
        yield from _walk(child, inner_level, inner_type)


@functools.cache
def imports() -> tuple[Import, ...]:
    """Every import of a hubtool module by a hubtool module."""
    found = []
    for name in modules():
        for node, module_level, type_only in _walk(tree(name), True, False):
            if isinstance(node, ast.Import | ast.ImportFrom):
                for target in set(_resolve(name, node)):
                    if target and target != name:
                        found.append(Import(name, target, node.lineno, module_level, type_only))
    return tuple(found)


def cycles(edges: dict[str, set[str]]) -> list[set[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[set[str]] = []
    for root in sorted(edges):
        if root in index:
            continue
        work = [(root, iter(sorted(edges.get(root, ()))))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, targets = work[-1]
            target = next(targets, None)
            if target is not None:
                if target not in index:
                    index[target] = low[target] = len(index)
                    stack.append(target)
                    on_stack.add(target)
                    work.append((target, iter(sorted(edges.get(target, ())))))
                elif target in on_stack:
                    low[node] = min(low[node], index[target])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.add(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(component)
    return found


def graph(include_lazy: bool) -> dict[str, set[str]]:
    """Run-time import edges: module-level ones, and with ``include_lazy`` those in functions."""
    edges: dict[str, set[str]] = {name: set() for name in modules()}
    for item in imports():
        if not item.type_only and (item.module_level or include_lazy):
            edges[item.source].add(item.target)
    return edges


def lazy_cycle_imports() -> set[tuple[str, str]]:
    """Function-level imports whose two ends lie on one cycle of all run-time imports."""
    closing = set()
    for component in cycles(graph(include_lazy=True)):
        for item in imports():
            if (
                not item.module_level
                and not item.type_only
                and item.source in component
                and item.target in component
            ):
                closing.add((item.source, item.target))
    return closing


def within(name: str, prefixes: tuple[str, ...] | str) -> bool:
    """True when module ``name`` is one of ``prefixes`` or inside one of them."""
    prefixes = (prefixes,) if isinstance(prefixes, str) else prefixes
    return any(name == prefix or name.startswith(prefix + ".") for prefix in prefixes)


def layer_violations() -> dict[str, list[str]]:
    """Per module path, its imports that point the wrong way."""
    found: dict[str, list[str]] = {}
    for item in imports():
        wrong = False
        if within(item.source, CORE):
            wrong = not within(item.target, CORE) and item.target not in CORE_MAY_IMPORT
            wrong = wrong and item.target != "hubtool"  # the package root: __version__ only
        elif within(item.source, CAPABILITIES):
            wrong = within(item.target, TOP)
        if wrong:
            found.setdefault(relative(item.source), []).append(f"{item.line}: {item.target}")
    return found


def _dotted(node: ast.AST, aliases: dict[str, str]) -> str:
    """``sys.stdout.write`` for that call target; a name imported ``from`` a module is
    spelled in full (``from click import echo`` -> ``click.echo``)."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return ""
    parts.append(aliases.get(node.id, node.id))
    return ".".join(reversed(parts))


def print_calls(name: str) -> list[str]:
    """``line: call`` of each call in module ``name`` that writes to the terminal."""
    return calls_that_print(tree(name))


def calls_that_print(module: ast.Module) -> list[str]:
    """``line: call`` of each call in ``module`` that writes to the terminal (``PRINT_CALLS``)."""
    aliases: dict[str, str] = {}
    for node in ast.walk(module):
        if isinstance(node, ast.ImportFrom) and node.module in ("click", "sys", "builtins"):
            for alias in node.names:
                aliases[alias.asname or alias.name] = f"{node.module}.{alias.name}"
        elif isinstance(node, ast.Import):
            for alias in node.names:
                aliases[alias.asname or alias.name] = alias.name
    found = []
    for node in ast.walk(module):
        if isinstance(node, ast.Call):
            called = _dotted(node.func, aliases).removeprefix("builtins.")
            if called in PRINT_CALLS:
                found.append(f"{node.lineno}: {called}")
    return found


def line_count(name: str) -> int:
    return len(modules()[name].read_bytes().splitlines())


# --- the checks ------------------------------------------------------------------------------


def test_the_checks_see_every_package() -> None:
    names = modules()
    for package in (CORE, *CAPABILITIES, "hubtool.commands", "hubtool.report"):
        assert package in names
    assert len(imports()) > 100  # the walker finds imports at all


def test_no_module_level_import_cycle() -> None:
    found = [
        sorted(relative(m) for m in component) for component in cycles(graph(include_lazy=False))
    ]
    assert found == [], f"import cycles (module-level imports): {found}"


def test_imports_inside_functions_close_only_known_cycles() -> None:
    new = lazy_cycle_imports() - LAZY_CYCLES
    assert new == set(), (
        f"an import inside a function closes an import cycle: {sorted(new)}; make the "
        "dependency point one way (move the shared part down a layer)"
    )


def test_no_module_over_the_line_limit() -> None:
    over = {relative(name): line_count(name) for name in modules() if line_count(name) > MAX_LINES}
    assert over == {}, f"modules over {MAX_LINES} lines: split them by concern"


def test_dependencies_point_one_way() -> None:
    wrong = layer_violations()
    assert wrong == {}, (
        "core imports only core; capabilities never import cli, commands, report or the "
        f"registry collector: {wrong}"
    )


def test_only_cli_commands_and_report_print() -> None:
    printing = {
        relative(name): calls
        for name in modules()
        if not within(name, PRINTERS) and (calls := print_calls(name))
    }
    assert printing == {}, "only hubtool.cli, hubtool.commands and hubtool.report print"


# --- the checkers themselves -----------------------------------------------------------------


def test_cycle_finder() -> None:
    edges = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": {"e"}}
    assert cycles(edges) == [{"a", "b", "c"}]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_print_finder() -> None:
    source = (
        "import sys\nfrom click import echo as say\nimport click\n"
        "def f():\n    print(1)\n    say(2)\n    click.echo(3)\n    sys.stderr.write('x')\n"
        "    log.write('y')\n"
    )
    assert calls_that_print(ast.parse(source)) == [
        "5: print",
        "6: click.echo",
        "7: click.echo",
        "8: sys.stderr.write",
    ]
