"""Positions of a ``.hubtool.yaml`` (``yamlfile.config_document``'s tables, which every
configuration message and the configuration cache use): each member the data holds is at the
node PyYAML composed for it, through anchors, aliases and merge keys, and a cached
configuration gives what reading it gives. The reference walks PyYAML's node graph, as the
checks did before they read positions from the tables (8d57eb1)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hubtool.core.errors import HubtoolError
from hubtool.load.strict import escape
from hubtool.registry import RULES
from hubtool.validate.config import cache
from hubtool.validate.config.parse import parse_config
from hubtool.validate.config.scan import scan_config
from hubtool.validate.config.yamlfile import config_document, safe_loader

# Built at run time so no credential-shaped literal sits in the repository.
TOKEN = "sntrys_" + "eyJpYXQiOjE3MDAwMDAwMDB9" + "_EXAMPLEexampleEXAMPLE0123"


def reference(text: str) -> tuple[dict[str, tuple[int, int]], dict[str, tuple[int, int]]]:
    """(values, keys): 1-based (line, column) of each member the data holds, by JSON pointer,
    from PyYAML's marks: of equal keys the last (as the data is built; merged keys come
    first), an alias followed to its anchored node."""
    import yaml

    loader = safe_loader()(text)
    try:
        root = loader.get_single_node()
        if root is not None:
            loader.construct_document(root)  # flattens merge keys into their mappings
    finally:
        loader.dispose()
    values: dict[str, tuple[int, int]] = {}
    keys: dict[str, tuple[int, int]] = {}

    def mark(node: Any) -> tuple[int, int]:
        return node.start_mark.line + 1, node.start_mark.column + 1

    def walk(node: Any, pointer: str) -> None:
        values[pointer] = mark(node)
        if isinstance(node, yaml.MappingNode):
            held = {k.value: (k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode)}
            for name, (key, value) in held.items():
                keys[f"{pointer}/{escape(name)}"] = mark(key)
                walk(value, f"{pointer}/{escape(name)}")
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                walk(item, f"{pointer}/{index}")

    if root is not None:
        walk(root, "")
    return values, keys


def outcome(raw: bytes, path: Path) -> Any:
    """The checked configuration or its error, and the credential findings."""
    try:
        config = parse_config(raw, path, rules=RULES)
    except HubtoolError as exc:
        return ("error", exc.message, exc.details)
    found = [(f.line, f.column, f.pointer, f.message) for f in scan_config(config)]
    return (config.severities, config.waivers, config.allowlist, config.reads, found)


# --- generated configurations: anchors, aliases, merge keys, odd line breaks ---------------

FIELDS = ("rule", "file", "pointer", "reason", "expires", "action", "fingerprint", "extra")
SCALARS = st.sampled_from(
    ["typed-query", "typed-qery", "no-secret-values", "a.json", "/x", "ok", "2027-06-30", "3", "''"]
)


@st.composite
def entries(draw: st.DrawFn, anchors: list[str]) -> str:
    """One list entry, written at indentation 2: a block or flow mapping (maybe merging an
    anchored mapping, maybe anchored itself), an alias, or a scalar."""
    kind = draw(st.sampled_from(["block", "block", "flow", "alias", "scalar"]))
    if kind == "alias" and anchors:
        return f"  - *{draw(st.sampled_from(anchors))}\n"
    if kind == "scalar":
        return f"  - {draw(SCALARS)}\n"
    fields = draw(st.lists(st.sampled_from(FIELDS), max_size=4, unique=True))
    pairs = [(f, draw(SCALARS)) for f in fields]
    anchor = ""
    if draw(st.booleans()):
        anchor = f"&e{len(anchors)} "
        anchors.append(f"e{len(anchors)}")
    if kind == "flow":
        return f"  - {anchor}{{{', '.join(f'{k}: {v}' for k, v in pairs)}}}\n"
    merged = [f"<<: *{draw(st.sampled_from(anchors))}"] if anchors and draw(st.booleans()) else []
    lines = merged + [f"{k}: {v}" for k, v in pairs] or ["{}"]
    first = f"  - {anchor}\n    {lines[0]}\n" if anchor else f"  - {lines[0]}\n"
    return first + "".join(f"    {line}\n" for line in lines[1:])


@st.composite
def configurations(draw: st.DrawFn) -> str:
    """A configuration's text: sections that are lists, aliases of other sections or merged
    from an anchored mapping, with the mapping's own key after the merge key."""
    anchors: list[str] = []
    text = ""
    sections = draw(
        st.lists(st.sampled_from(["waivers", "allowlist", "reads", "severity"]), max_size=4)
    )
    for index, section in enumerate(sections):
        named = f"s{index}"
        if section == "severity":
            rules = draw(st.lists(st.sampled_from(["typed-query", "typed-qery", "x"]), max_size=2))
            levels = [draw(st.sampled_from(["warning", "off", "3"])) for _ in rules]
            body = "".join(f"  {r}: {level}\n" for r, level in zip(rules, levels, strict=True))
            text += f"severity: &{named}\n{body or '  {}'}\n"
            continue
        shape = draw(st.sampled_from(["list", "list", "alias", "merge"]))
        lists = [a for a in anchors if a.startswith("s")]
        if shape == "alias" and lists:
            text += f"{section}: *{draw(st.sampled_from(lists))}\n"
        elif shape == "merge":
            items = "".join(draw(st.lists(entries(anchors), max_size=2)))
            text += f"<<: {{{section}: [1]}}\n{section}:\n{items or '  []'}\n"
        else:
            items = "".join(draw(st.lists(entries(anchors), max_size=3)))
            text += f"{section}: &{named}\n{items or '  []'}\n"
            anchors.append(named)
    breaks = ["\r\n", "\n# c\n", "  # c\n", "\x85", "\u2028", "\r"]
    if draw(st.booleans()):
        text = text.replace("\n", draw(st.sampled_from(breaks)))
    return draw(st.sampled_from(["", "\ufeff", "# head\n"])) + text


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(configurations())
def test_each_member_is_where_pyyaml_composed_it(text: str) -> None:
    try:
        doc, _ = config_document(text.encode("utf-8"), "cfg.yaml")
    except HubtoolError:
        return  # duplicate keys, merge of a non-mapping: refused, no position to check
    values, keys = reference(text)
    assert {p: doc.line_col(o) for p, o in doc.values.items()} == values
    assert {p: doc.line_col(o) for p, o in doc.keys.items()} == keys


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(configurations())
def test_a_cached_configuration_gives_what_reading_it_gives(text: str) -> None:
    raw = text.encode("utf-8")
    with tempfile.TemporaryDirectory() as where:
        os.environ["HUBTOOL_NO_CACHE"] = "1"
        try:
            read = outcome(raw, Path(where) / "one" / ".hubtool.yaml")
        finally:
            del os.environ["HUBTOOL_NO_CACHE"]
        previous = os.environ.get("HUBTOOL_CACHE_DIR")
        os.environ["HUBTOOL_CACHE_DIR"] = str(Path(where) / "cache")
        try:
            assert outcome(raw, Path(where) / "one" / ".hubtool.yaml") == read  # stored
            assert outcome(raw, Path(where) / "one" / ".hubtool.yaml") == read  # served
        finally:
            os.environ.pop("HUBTOOL_CACHE_DIR")
            if previous is not None:
                os.environ["HUBTOOL_CACHE_DIR"] = previous


# --- the cases that diverged, with the lines the messages give ------------------------------

ALIASED = "allowlist: &w\n  - 1\n  - 2\nwaivers: *w\n"
MERGED = "<<: {waivers: [{rule: x}]}\nwaivers:\n  - rule: typed-query\n  - 5\n"
OVERRIDDEN_RULE = "<<: {severity: {typed-query: warning}}\nseverity: {bounded-pat: 'off'}\n"
MERGED_MAPPING = "<<: {waivers: {a: 1}}\nwaivers: [{rule: typed-query}]\n"


@pytest.mark.parametrize(
    ("text", "lines"),
    [
        (ALIASED, [2, 2, 3, 3]),  # an aliased section's entries at their own lines (was 1)
        (MERGED, [3, 3, 3, 4]),  # the waivers the data holds, not the merged-away ones
        (OVERRIDDEN_RULE, [2]),  # the rule where it is written, not the merged severity
        (MERGED_MAPPING, [2, 2, 2]),  # was an internal error: a merged mapping's members
    ],
)
def test_a_message_gives_the_line_of_what_the_data_holds(
    text: str, lines: list[int], tmp_path: Path
) -> None:
    with pytest.raises(HubtoolError) as caught:
        parse_config(text.encode("utf-8"), tmp_path / ".hubtool.yaml", "c.yaml", rules=RULES)
    given_lines = [int(m.split(":")[1]) for m in (caught.value.message, *caught.value.details)]
    assert given_lines == lines


@pytest.mark.parametrize(
    "text",
    [
        f"severity: !!null {TOKEN}\n",  # a tagged scalar the data does not hold
        f"<<: {{severity: {TOKEN}}}\nseverity: {{}}\n",  # a merged value overridden
    ],
)
def test_a_credential_the_data_does_not_hold_is_not_stored(
    text: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HUBTOOL_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("HUBTOOL_NO_CACHE", raising=False)
    parse_config(text.encode("utf-8"), tmp_path / ".hubtool.yaml", rules=RULES)
    stored = [json.loads(p.read_text("utf-8")) for p in (tmp_path / "cache").glob("*")]
    assert stored == []


@pytest.mark.parametrize(
    ("text", "line"),
    [
        (f"severity: !!null {TOKEN}\n", 1),  # a tagged scalar the data holds as null
        (f"<<: {{severity: {TOKEN}}}\nseverity: {{}}\n", 1),  # a merged value overridden
        (f"severity:\n  <<: {{typed-query: {TOKEN}}}\n  typed-query: warning\n", 2),
        (f"waivers: []\nreads: !!null |\n  {TOKEN}\n", 3),  # a block scalar, next line
        (f"? !!null {TOKEN}\n: 1\n", 1),  # a key the data holds as null
    ],
)
def test_a_credential_the_data_does_not_hold_is_reported(
    text: str, line: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``no-secret-values`` reads the text of every scalar the data drops (as it reads a
    comment): the credential's own line and column, the empty pointer, never the value."""
    monkeypatch.setenv("HUBTOOL_NO_CACHE", "1")
    doc, outside = config_document(text.encode("utf-8"), "c.yaml")
    from hubtool.validate.config.scan import scan_document

    found = scan_document(doc, outside)
    assert [(f.rule, f.line, f.pointer) for f in found] == [("no-secret-values", line, "")]
    column = text.splitlines()[line - 1].index(TOKEN) + 1
    assert found[0].column <= column and TOKEN not in found[0].message


def test_a_scalar_the_data_holds_is_reported_once(tmp_path: Path) -> None:
    """A credential in a value the data holds is the data scan's (with its pointer), not also
    the text scan's: every scalar is read by exactly one of them."""
    text = f"waivers:\n  - rule: typed-query\n    reason: {TOKEN}\n    expires: 2027-01-01\n"
    doc, outside = config_document(text.encode("utf-8"), "c.yaml")
    from hubtool.validate.config.scan import scan_document

    found = scan_document(doc, outside)
    assert [(f.line, f.pointer) for f in found] == [(3, "/waivers/0/reason")]


def test_an_entry_in_a_directory_others_may_write_is_not_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    monkeypatch.setenv("HUBTOOL_CACHE_DIR", str(shared))
    monkeypatch.delenv("HUBTOOL_NO_CACHE", raising=False)
    good = "severity: {typed-query: warning}\n"
    parse_config(good.encode("utf-8"), tmp_path / ".hubtool.yaml", rules=RULES)
    (entry,) = shared.glob("config-*.json")
    bad = "severity: {typed-qery: warning}\n"  # same length: an entry planted under its name
    planted = {**json.loads(entry.read_text("utf-8")), "text": bad}
    name = cache.entry_name(bad.encode(), planted["stamp"])
    (shared / name).write_text(json.dumps(planted), encoding="utf-8")
    shared.chmod(0o777)  # anyone may write here: what it holds could be anyone's
    with pytest.raises(HubtoolError, match="unknown rule 'typed-qery'"):
        parse_config(bad.encode("utf-8"), tmp_path / ".hubtool.yaml", rules=RULES)
    before = sorted(p.name for p in shared.iterdir())
    parse_config(b"severity: {}\n", tmp_path / ".hubtool.yaml", rules=RULES)
    assert sorted(p.name for p in shared.iterdir()) == before  # and nothing is written there


@pytest.mark.parametrize("where", [-1, 10**9])
def test_an_entry_with_an_offset_outside_the_text_is_a_miss(
    where: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HUBTOOL_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("HUBTOOL_NO_CACHE", raising=False)
    raw = b"waivers:\n  - rule: typed-query\n    file: a.json\n    pointer: /x\n    reason: ok\n"
    read = outcome(raw, tmp_path / ".hubtool.yaml")
    (entry,) = (tmp_path / "cache").glob("config-*.json")
    stored = json.loads(entry.read_text("utf-8"))
    for table, change in (("values", {"/waivers/0": where}), ("outside", [[0, where]])):
        changed = {**stored, table: {**stored[table], **change} if table == "values" else change}
        entry.write_text(json.dumps(changed), encoding="utf-8")
        assert outcome(raw, tmp_path / ".hubtool.yaml") == read, table


def test_long_keys_above_many_values_are_refused_not_indexed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A 218 KB file whose pointers would total 1.8 GB (and whose cache entry was written at
    that size) is refused before its pointers are made."""
    monkeypatch.setenv("HUBTOOL_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("HUBTOOL_NO_CACHE", raising=False)
    text = f"? {'k' * 200_000}\n: [{','.join(['1'] * 9000)}]\n"
    with pytest.raises(HubtoolError, match="paths to its values would exceed"):
        parse_config(text.encode("utf-8"), tmp_path / ".hubtool.yaml", rules=RULES)
    assert not (tmp_path / "cache").exists()


def test_an_entry_too_large_to_be_served_is_not_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from hubtool.validate.config import cache

    monkeypatch.setenv("HUBTOOL_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("HUBTOOL_NO_CACHE", raising=False)
    monkeypatch.setattr(cache, "MAX_ENTRY_BYTES", 200)
    raw = b"severity: {typed-query: warning}\n" + b"# a long comment\n" * 20
    parse_config(raw, tmp_path / ".hubtool.yaml", rules=RULES)
    assert list((tmp_path / "cache").glob("*")) == []


def test_the_same_text_at_two_paths_gives_each_its_own_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HUBTOOL_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("HUBTOOL_NO_CACHE", raising=False)
    raw = b"waivers:\n  - rule: typed-query\n    file: a.json\n    pointer: /x\n    reason: ok\n"
    for run in ("one", "two", "one"):  # stored by the first, served to the others
        config = parse_config(raw, tmp_path / run / ".hubtool.yaml", rules=RULES)
        (waiver,) = config.waivers
        assert (waiver.file, waiver.line, waiver.column) == (tmp_path / run / "a.json", 2, 5)
        broken = raw.replace(b"typed-query", b"typed-qery")
        with pytest.raises(HubtoolError) as caught:
            parse_config(broken, tmp_path / run / ".hubtool.yaml", rules=RULES)
        assert caught.value.message.startswith(f"{tmp_path / run / '.hubtool.yaml'}:2: ")


WRITER = """
import sys
from pathlib import Path
from hubtool.registry import RULES
from hubtool.validate.config.parse import parse_config
from hubtool.validate.config.scan import scan_config
me = int(sys.argv[1])
for turn in range(40):
    n = (me * 7 + turn) % 80  # 80 texts: more than the cache keeps, so writers also prune
    text = f"severity: {{typed-query: warning}}  # {n}\\nwaivers:\\n  - rule: typed-query\\n"
    text += f"    file: f{n}.json\\n    pointer: /x\\n    reason: r{n}\\n"
    config = parse_config(text.encode(), Path(f"/r{me}/.hubtool.yaml"), rules=RULES)
    assert config.waivers[0].line == 3 and config.waivers[0].file == Path(f"/r{me}/f{n}.json")
    assert scan_config(config) == []
"""


def test_concurrent_writers_never_break_a_run(tmp_path: Path) -> None:
    env = {**os.environ, "HUBTOOL_CACHE_DIR": str(tmp_path / "cache")}
    env.pop("HUBTOOL_NO_CACHE", None)
    runs = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(me)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for me in range(4)
    ]
    for run in runs:
        _, err = run.communicate(timeout=120)
        assert run.returncode == 0, err[-2000:]
    assert len(list((tmp_path / "cache").glob("config-*.json"))) <= 64


def test_hubtool_ci_takes_its_policy_from_git_not_from_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Code a pull request runs earlier in the job (as the same user) could plant an entry for
    the base branch's configuration text; ``hubtool ci`` reads that text from git itself."""
    from gitrepo import RELPATH, commit, git, git_env, init, loosen_approval, read, write

    origin = init(tmp_path / "origin")
    base = "severity:\n  write-requires-approval: error\n"
    (origin / ".hubtool.yaml").write_text(base, encoding="utf-8")
    commit(origin, "policy")
    clone = tmp_path / "pr"
    git(tmp_path, "clone", "-q", str(origin), str(clone))
    git(clone, "checkout", "-q", "-b", "feature")
    data = read(clone)
    loosen_approval(data)
    data["version"] = "0.2.0"
    write(clone, data)
    commit(clone, "loosen")
    cache_dir = tmp_path / "cache"
    env = git_env(HUBTOOL_CACHE_DIR=str(cache_dir))
    env.pop("HUBTOOL_NO_CACHE", None)
    monkeypatch.setenv("HUBTOOL_CACHE_DIR", str(cache_dir))
    monkeypatch.delenv("HUBTOOL_NO_CACHE", raising=False)
    parse_config(b"severity: {}\n", tmp_path / ".hubtool.yaml", rules=RULES)  # a real entry
    (made,) = cache_dir.glob("config-*.json")
    planted = {**json.loads(made.read_text("utf-8")), "text": base}
    planted["data"] = {"severity": {"write-requires-approval": "off"}}
    name = cache.entry_name(base.encode(), planted["stamp"])
    (cache_dir / name).write_text(json.dumps(planted), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "hubtool", "ci", "--base", "origin/main", "--format", "json"],
        cwd=clone,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert result.returncode == 1, result.stderr[-2000:]
    rules = {(f["rule"], f["file"]) for f in json.loads(result.stdout)["findings"]}
    assert ("write-requires-approval", RELPATH) in rules
