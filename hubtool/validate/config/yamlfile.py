"""Reading ``.hubtool.yaml`` and bounding it: a stranger's file, read as one small, safe YAML
document with a position for every value.

The file is read without blocking or following into special files, capped in bytes
(``MAX_CONFIG_BYTES``), in structure characters (``MAX_CONFIG_MARKS``) and in expanded nodes
(``MAX_CONFIG_NODES``, against alias bombs). PyYAML is imported on first use (start-up).
"""

from __future__ import annotations

import functools
import os
import re
import stat
import sys
from pathlib import Path
from typing import Any

from hubtool.core.errors import HubtoolError
from hubtool.load.strict import Document, escape

MAX_CONFIG_BYTES = 256 * 1024
"""A configuration is a few waivers; PyYAML (pure Python) reads 256 KiB in about a second."""
MAX_CONFIG_NODES = 50_000
"""Nodes after expanding every alias and merge key: a billion-laughs document stops here."""
MAX_CONFIG_MARKS = 20_000
"""Structure characters (``[]{},:?-`` and line breaks) a configuration may hold: each node
needs one, and composing nodes is what costs (``"[]" * 100_000`` in 200 KB takes 10 s in
PyYAML), so this bounds the parse to well under a second before it starts."""
MAX_CONFIG_POINTERS = 16 * MAX_CONFIG_BYTES
"""Characters of all the JSON pointers the position tables hold: each pointer repeats its
ancestors' keys, so a long key above many values (a 200 KB key over 9,000 list items) would
otherwise make gigabytes of pointers from a file within the byte cap."""
_MARKS = "[]{},:?-\n"
_BOOL = "tag:yaml.org,2002:bool"
_STR = "tag:yaml.org,2002:str"
_LINE_BREAKS = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
"""Line breaks as PyYAML counts them, so positions agree with its marks."""


def read_config(path: Path) -> bytes:
    """The bytes of a configuration file: a regular file, never a FIFO or device (no blocking)."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise HubtoolError(f"{path}: cannot read the configuration: {exc.strerror or exc}") from exc
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise HubtoolError(f"{path}: the configuration is not a regular file")
        with os.fdopen(os.dup(fd), "rb") as handle:
            raw = handle.read(MAX_CONFIG_BYTES + 1)
    except OSError as exc:
        raise HubtoolError(f"{path}: cannot read the configuration: {exc.strerror or exc}") from exc
    finally:
        os.close(fd)
    return raw


Spans = tuple[tuple[int, int], ...]
"""(start, end) character offsets of the text outside every key and value: comments, tags,
anchors, directives (what ``hubtool.validate.config.scan`` reads besides the values)."""


def config_document(raw: bytes, name: str) -> tuple[Document, Spans]:
    """The YAML as a Document (data, and offsets of every value and key) and the spans of text
    outside its scalars. Every position the configuration's checks report comes from these
    (so a cached copy, ``hubtool.validate.config.cache``, serves them without PyYAML).

    Raises HubtoolError for anything that is not one small, safe YAML document.
    """
    import yaml

    if len(raw) > MAX_CONFIG_BYTES:
        raise HubtoolError(
            f"{name}: the configuration is larger than {MAX_CONFIG_BYTES} bytes; "
            "a configuration holds a few severities and waivers"
        )
    try:
        text = raw.decode("utf-8")
        _check_marks(text, name)
        loader = safe_loader()(text)
        try:
            root = loader.get_single_node()
            _check_size(root, name)
            data = None if root is None else loader.construct_document(root)
        finally:
            loader.dispose()
    except UnicodeDecodeError as exc:
        raise HubtoolError(f"{name}: invalid YAML: not UTF-8 ({exc.reason})") from exc
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{name}:{mark.line + 1}" if mark else name
        context = f" ({exc.context})" if exc.context else ""
        problem = exc.problem or ""
        if "nesting depth" in problem:  # libyaml's own limit
            problem, context = "nested too deeply to read", ""
        raise HubtoolError(f"{where}: invalid YAML: {problem}{context}") from exc
    except yaml.YAMLError as exc:
        raise HubtoolError(f"{name}: invalid YAML: {exc}") from exc
    except RecursionError as exc:
        raise HubtoolError(f"{name}: invalid YAML: nested too deeply to read") from exc
    values: dict[str, int] = {}
    keys: dict[str, int] = {}
    starts = line_starts(text)
    outside = _outside_scalars(text, starts)
    if root is not None:
        held = _index_nodes(root, values, keys, starts, name)
        outside = tuple(sorted(outside + _unheld_scalars(root, held, starts)))
    return Document(name, data, text, values, keys, starts), outside


def line_starts(text: str) -> list[int]:
    """Offset of each line's first character, with line breaks as PyYAML counts them."""
    return [0, *(m.end() for m in _LINE_BREAKS.finditer(text))]


def _outside_scalars(text: str, starts: list[int]) -> Spans:
    """(start, end) offsets of the text between scalar tokens, from PyYAML's scanner.

    A scanner error (the text loaded already, so none is expected) leaves the rest of the
    text as one span: it is scanned rather than skipped. Linear: one token pass.
    """
    import yaml

    def offset(mark: Any) -> int:
        return starts[min(mark.line, len(starts) - 1)] + mark.column

    spans: list[tuple[int, int]] = []
    done = 0
    loader = safe_loader()(text)
    try:
        while (token := loader.get_token()) is not None:
            if isinstance(token, yaml.ScalarToken):
                begin = offset(token.start_mark)
                if begin > done:
                    spans.append((done, begin))
                done = max(done, offset(token.end_mark))
    except yaml.YAMLError:
        pass
    finally:
        loader.dispose()
    if done < len(text):
        spans.append((done, len(text)))
    return tuple(spans)


def _check_marks(text: str, name: str) -> None:
    """Refuse token-dense text before parsing (linear: one count per character kind)."""
    marks = sum(text.count(char) for char in _MARKS)
    if marks > MAX_CONFIG_MARKS:
        raise HubtoolError(
            f"{name}: invalid YAML: more than {MAX_CONFIG_MARKS} structure characters "
            "([]{},:?- and line breaks); a configuration holds a few severities and waivers"
        )


def _check_size(root: Any, name: str) -> None:
    """Refuse alias bombs and recursive aliases: count nodes as if every alias were expanded.

    Linear in the composed graph (each node's expanded size is computed once).
    """
    sizes: dict[int, int] = {}
    active: set[int] = set()
    stack: list[tuple[Any, bool]] = [(root, False)] if root is not None else []
    while stack:
        node, done = stack.pop()
        ident = id(node)
        children = _children(node)
        if done:
            active.discard(ident)
            sizes[ident] = 1 + sum(sizes[id(child)] for child in children)
            if sizes[ident] > MAX_CONFIG_NODES:
                raise HubtoolError(
                    f"{name}:{node.start_mark.line + 1}: invalid YAML: the document would "
                    f"expand to more than {MAX_CONFIG_NODES} nodes (aliases and merge keys "
                    "included)"
                )
            continue
        if ident in sizes:
            continue
        if ident in active:
            raise HubtoolError(f"{name}:{node.start_mark.line + 1}: invalid YAML: recursive alias")
        active.add(ident)
        stack.append((node, True))
        stack.extend((child, False) for child in children if id(child) not in sizes)


def _children(node: Any) -> list[Any]:
    import yaml

    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _index_nodes(
    root: Any, values: dict[str, int], keys: dict[str, int], starts: list[int], name: str
) -> set[int]:
    """Offsets of each node by JSON pointer, for the member the data holds: of equal keys the
    last (as PyYAML builds the data; merge keys come first, so the mapping's own key wins), and
    an aliased node's members under every pointer it appears at (where its anchor is written).
    Bounded: the graph expands to at most ``MAX_CONFIG_NODES`` nodes (``_check_size``), and
    the pointers to ``MAX_CONFIG_POINTERS`` characters (HubtoolError past it).

    Returns the ids of the scalar nodes whose text the data holds as text (a ``str`` key or
    value; not ``!!null <text>``, not a merged value the mapping's own key overrides).

    Offsets come from the marks' line and column (characters), which PyYAML and libyaml agree
    on (libyaml's own index counts bytes in some versions).
    """

    def offset(mark: Any) -> int:
        return starts[min(mark.line, len(starts) - 1)] + mark.column

    import yaml

    texts: set[int] = set()
    stack = [(root, "")]
    size = 0  # characters of the pointers made so far, counted before they are made
    while stack:
        node, at = stack.pop()
        values.setdefault(at, offset(node.start_mark))
        if isinstance(node, yaml.MappingNode):
            scalars = [(k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode)]
            held = {escape(key.value): (key, value) for key, value in scalars}
            size += sum(len(at) + 1 + len(member) for member in held)
            _bound_pointers(size, name)
            for member, (key, value) in held.items():
                keys.setdefault(f"{at}/{member}", offset(key.start_mark))
                texts.update([id(key)] if key.tag == _STR else [])
                stack.append((value, f"{at}/{member}"))
        elif isinstance(node, yaml.SequenceNode):
            size += len(node.value) * (len(at) + 1 + len(str(len(node.value))))
            _bound_pointers(size, name)
            stack.extend((item, f"{at}/{index}") for index, item in enumerate(node.value))
        elif node.tag == _STR:
            texts.add(id(node))
    return texts


def _unheld_scalars(root: Any, held: set[int], starts: list[int]) -> Spans:
    """(start, end) offsets of every scalar of the document whose text the data does not hold
    (``held``: ``_index_nodes``), so the credential scan reads it as it reads a comment: a
    ``!!null <text>``, a merged value the mapping's own key overrides. Linear: each node of
    the composed graph once."""

    def offset(mark: Any) -> int:
        return starts[min(mark.line, len(starts) - 1)] + mark.column

    import yaml

    spans: list[tuple[int, int]] = []
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.ScalarNode) and id(node) not in held:
            spans.append((offset(node.start_mark), offset(node.end_mark)))
        stack.extend(_children(node))
    return tuple(spans)


def _bound_pointers(size: int, name: str) -> None:
    if size > MAX_CONFIG_POINTERS:
        raise HubtoolError(
            f"{name}: invalid YAML: the paths to its values would exceed {MAX_CONFIG_POINTERS} "
            "characters (long keys above many values); a configuration holds a few severities "
            "and waivers"
        )


@functools.cache
def safe_loader() -> type:
    """PyYAML's safe loader, with a position for bad dates and duplicate keys."""
    import yaml
    from yaml.constructor import ConstructorError

    # libyaml's parser when PyYAML has it (several times faster), else the pure-Python one
    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class Loader(base):  # type: ignore[misc, valid-type]
        def construct_mapping(self, node: Any, deep: bool = False) -> Any:
            seen: set[Any] = set()
            for key, _ in node.value:
                if isinstance(key, yaml.ScalarNode) and key.value != "<<":
                    if key.value in seen:
                        raise ConstructorError(
                            None, None, f"duplicate key {key.value!r}", key.start_mark
                        )
                    seen.add(key.value)
            return super().construct_mapping(node, deep=deep)

        def construct_yaml_int(self, node: Any) -> Any:
            try:
                return super().construct_yaml_int(node)
            except ValueError:  # more digits than Python's int-string limit
                limit = sys.get_int_max_str_digits()
                problem = (
                    f"a {len(node.value)}-character integer is too long to read: integers "
                    f"longer than {limit} digits are not allowed here; write a shorter value"
                )
                raise ConstructorError(None, None, problem, node.start_mark) from None

        def construct_yaml_timestamp(self, node: Any) -> Any:
            try:
                return super().construct_yaml_timestamp(node)
            except ValueError as exc:
                problem = f"{node.value!r} is not a date ({exc})"
                raise ConstructorError(None, None, problem, node.start_mark) from None

    Loader.add_constructor("tag:yaml.org,2002:timestamp", Loader.construct_yaml_timestamp)
    Loader.add_constructor("tag:yaml.org,2002:int", Loader.construct_yaml_int)
    # YAML 1.2 booleans: only true/false, so `typed-query: off` is the string "off", not False.
    Loader.yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != _BOOL]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    Loader.add_implicit_resolver(
        _BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), "tTfF"
    )
    return Loader
