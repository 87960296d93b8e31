"""The fuzz harness's shared parts: Hypothesis profiles and strategies, an in-process CLI
driver and the oracle (a helper module for tests/test_fuzz_*.py, not a test module).

The contract checked for every input: the exit code is 0, 1 or 2 (in process: a result or a
HubtoolError); stderr holds no traceback and no "internal error"; no input hangs (a hard
watchdog, and a per-example deadline of 2 CPU seconds in the long run for inputs under 64 KB,
timed with the garbage collector paused: a full collection of the harness's own heap, grown
over thousands of examples, once cost 2.2 s on a 685-byte input); no fake credential planted
in the input appears in any output. The fake credentials, the mutation vocabulary and the
reference inputs are test_robustness's own (reused, not copied).

Profiles (``HUBTOOL_FUZZ_PROFILE``, default ``ci``; ``fuzz`` when FUZZ_EXAMPLES is set):

- ``ci``: derandomized, a few examples per entry point, no database; part of ``make test``.
- ``fuzz``: random, FUZZ_EXAMPLES inputs in all, shared between the entry points by SHARES;
  failures are shrunk, printed with ``@reproduce_failure`` and kept in ``.hypothesis/``.

Crashes that other work in progress owns are KNOWN: an input that meets one is counted and
discarded (``reject``), not reported; each has an xfail regression test. When that work lands,
drop its KNOWN entry and the xfail mark. A network connection or an open of PLANTED_FILE during
an example (seen through an audit hook) is a failure, as is a deadline miss or a planted
credential in any output (after an escape sequence included).
"""

from __future__ import annotations

import contextlib
import copy
import gc
import io
import json
import os
import re
import signal
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, Phase, reject, settings
from hypothesis import strategies as st
from hypothesis.database import DirectoryBasedExampleDatabase
from test_robustness import (
    CONFIG,
    NAMES,
    OPERATIONS,
    ORIGINAL,
    PROSE,
    REFS,
    RENDER_INPUT,
    SPEC,
    STRINGS,
    TOKENS,
    YAML_STRAY,
    leaked,
)

from hubtool.core.errors import HubtoolError
from hubtool.core.secrets import find_secret

# --- profiles and budgets ----------------------------------------------------------------------

FUZZ_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES") or 0)
PROFILE = os.environ.get("HUBTOOL_FUZZ_PROFILE") or ("fuzz" if FUZZ_EXAMPLES else "ci")
DEADLINE = float(os.environ.get("FUZZ_DEADLINE") or 2.0)
"""CPU seconds one example may take (inputs under SMALL bytes)."""
HANG = float(os.environ.get("FUZZ_HANG") or 30.0)
"""The hard watchdog: an example still running after HANG seconds is stopped as a hang."""
SMALL = 64 * 1024

_SLOW = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much]
settings.register_profile(
    "ci",
    derandomize=True,
    database=None,
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],  # shrinking is the long run's job
    print_blob=True,
    suppress_health_check=_SLOW,
)
settings.register_profile(
    "fuzz",
    derandomize=False,
    database=DirectoryBasedExampleDatabase(
        str(Path(__file__).resolve().parents[1] / ".hypothesis" / "fuzz")
    ),
    deadline=None,  # example() checks DEADLINE in CPU seconds, immune to the machine's load
    print_blob=True,
    suppress_health_check=[*_SLOW, HealthCheck.function_scoped_fixture],
)
settings.load_profile(PROFILE)

SHARES: dict[str, float] = {
    "validate-structure": 18,
    "validate-bytes": 14,
    "validate-cli": 3,
    "diff": 12,
    "gate": 8,
    "config": 10,
    "openapi": 8,
    "check-upstream": 6,
    "scaffold": 6,
    "render": 7,
    "store": 6,
    "faults": 2,
    "git": 2,
}
"""Each entry point's share of FUZZ_EXAMPLES (the git one is slow: a few real commands each)."""
COUNTS: Counter[str] = Counter()
KNOWN_HITS: Counter[str] = Counter()
TIMES: Counter[str] = Counter()


def budget(name: str, ci: int, per_example: int = 1, **options: Any) -> settings:
    """``settings`` for one entry point: ``ci`` examples in the short run, its share of
    FUZZ_EXAMPLES in the long one (``per_example``: inputs one example runs, for the stateful
    tests)."""
    if PROFILE != "fuzz":
        return settings(max_examples=ci, **options)
    share = FUZZ_EXAMPLES * SHARES[name] / sum(SHARES.values()) / per_example
    return settings(max_examples=max(1, round(share)), **options)


# --- the oracle --------------------------------------------------------------------------------

KNOWN: tuple[tuple[str, str, re.Pattern[str]], ...] = ()
"""Empty: every crash the harness has found is fixed and kept in test_fuzz_regressions.py."""
"""(owner, what, signature): crashes other helpers fix; see the module docstring."""
PLANTED_FILE = "/etc/hostname"
"""The local file the hostile ``file://`` references name: opening it is reaching outside."""
REACHED: list[str] = []
_WATCHING: list[bool] = [False]


def _audit(event: str, args: tuple[Any, ...]) -> None:
    """Record a network connection, or an open of PLANTED_FILE, while an example runs."""
    if not _WATCHING[0]:
        return
    if event in ("socket.connect", "socket.getaddrinfo", "urllib.Request"):
        REACHED.append(f"{event} {args[:2]!r}")
    elif event == "open" and args and str(args[0]) == PLANTED_FILE:
        REACHED.append(f"open {PLANTED_FILE}")


sys.addaudithook(_audit)


class Hang(Exception):
    """An example ran past the watchdog."""


def _alarm(signum: int, frame: Any) -> None:
    raise Hang(f"still running after {HANG} s")


@contextlib.contextmanager
def example(name: str, content: str | bytes = b"") -> Iterator[None]:
    """One input of entry point ``name``: counted, timed against DEADLINE (``content`` under
    SMALL bytes), stopped by the watchdog after HANG seconds; a KNOWN crash discards it."""
    COUNTS[name] += 1
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, HANG)
    started, cpu = time.monotonic(), time.process_time()
    collecting = gc.isenabled()
    gc.disable()  # a full collection of the harness's own heap is not the input's cost
    REACHED.clear()
    _WATCHING[0] = True
    try:
        yield
    except Exception as exc:
        owner = known(f"{type(exc).__name__}: {exc}")
        if owner and not isinstance(exc, Hang):
            KNOWN_HITS[owner] += 1
            reject()
        raise
    finally:
        _WATCHING[0] = False
        took = time.process_time() - cpu  # CPU seconds: two cores shared, wall time is noise
        if collecting:
            gc.enable()
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        TIMES[name] += time.monotonic() - started  # type: ignore[assignment]
    # nothing a manifest, spec or config says may reach the network or a file
    assert not REACHED, f"{name}: reached outside: {REACHED[:3]}"
    if took >= DEADLINE and len(content) < SMALL:
        raise AssertionError(f"{name}: {took:.2f} s for an input of {len(content)} bytes")


def known(text: str) -> str | None:
    """The owner of the KNOWN crash ``text`` shows, if any."""
    return next((owner for owner, _, pattern in KNOWN if pattern.search(text)), None)


def no_leak(*texts: str) -> None:
    """No planted credential in ``texts``."""
    found = leaked(*texts)
    assert not found, f"printed a planted credential: {found[0][:6]}..."


@dataclass
class Run:
    """One in-process CLI run: what ``python -m hubtool ARGS`` would give."""

    args: tuple[str, ...]
    code: int
    out: str
    err: str

    def check(self) -> Run:
        """Exit 0/1/2, no traceback or internal error, no planted credential printed."""
        where = " ".join(self.args)[:300]
        bad = self.code not in (0, 1, 2) or "Traceback" in self.err or "internal error" in self.err
        if bad:
            raise AssertionError(f"{where}: exit {self.code}\n{self.err[-3000:]}")
        no_leak(self.out, self.err)
        return self


def cli(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None) -> Run:
    """``hubtool.cli.main(args)`` in this process, with its own environment, directory and
    captured output; restores all three."""
    from hubtool.cli import main

    saved_env, saved_cwd, saved_stdin = os.environ.copy(), os.getcwd(), sys.stdin
    out, err = io.StringIO(), io.StringIO()
    code = 0
    try:
        os.environ.pop("HUBTOOL_DEBUG", None)
        os.environ.update(env or {})
        os.chdir(cwd or saved_cwd)
        sys.stdin = io.StringIO("")
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                main(list(args))
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else int(exc.code is not None)
    finally:
        os.chdir(saved_cwd)
        os.environ.clear()
        os.environ.update(saved_env)
        sys.stdin = saved_stdin
    run = Run(tuple(args), code, out.getvalue(), err.getvalue())
    owner = known(run.err) if "internal error" in run.err else None
    if owner:
        KNOWN_HITS[owner] += 1
        reject()
    return run


def library(call: Callable[[], Any]) -> Any:
    """Call a library entry point: a HubtoolError is a clean refusal (its text is checked for
    planted credentials and None returned); anything else propagates as a crash."""
    try:
        return call()
    except HubtoolError as exc:
        no_leak(str(exc))
        return None


def summary() -> list[str]:
    """Inputs run, seconds and KNOWN hits per entry point, for the terminal summary."""
    if not COUNTS:
        return []
    lines = [f"fuzz ({PROFILE} profile): inputs run per entry point"]
    for name in sorted(COUNTS):
        lines.append(f"  {name:<20} {COUNTS[name]:>8}  {TIMES[name]:8.1f} s")
    lines.append(f"  {'total':<20} {sum(COUNTS.values()):>8}  {sum(TIMES.values()):8.1f} s")
    described = {o: w for o, w, _ in KNOWN}
    for owner, hits in sorted(KNOWN_HITS.items()):
        what = described[owner]
        lines.append(f"  known crash ({owner}: {what}): {hits} inputs discarded")
    report = os.environ.get("FUZZ_REPORT")
    if report:
        document = {"profile": PROFILE, "inputs": dict(COUNTS), "seconds": dict(TIMES)}
        document["known"] = dict(KNOWN_HITS)
        Path(report).write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    return lines


# --- strategies: hostile values ----------------------------------------------------------------

tokens = st.sampled_from(TOKENS)
SEPARATORS = (" ", "/", ":", "=", ",", '"', "'", "\n", "?", "&", "\t", "\x00")


def _whole(text: str, token: str) -> str:
    """``text`` if it is credential-shaped as a whole (the oracle's premise), else ``token``."""
    return text if find_secret(text) else token


embedded = st.builds(
    lambda a, s1, t, s2, b: _whole(a + s1 + t + s2 + b, t),
    st.sampled_from(STRINGS),
    st.sampled_from(SEPARATORS),
    tokens,
    st.sampled_from(SEPARATORS),
    st.sampled_from(STRINGS),
)
long_strings = st.builds(
    lambda unit, count: unit * count,
    st.sampled_from(("a", "{", "eyJ-", "a.", "%", "\u202e", "\\", "9", "\u0661", "ab/")),
    st.sampled_from((300, 2_000, 12_000)),
)
control = st.text(
    alphabet=st.characters(codec="utf-8", categories=["Cc", "Cf", "Zl", "Zp", "Mn"]),
    min_size=1,
    max_size=12,
)
SCHEMA_STRINGS = (
    "^(a+)+$", "^a{4294967296}$", "^[a-z0-9]+\\Z", "^\\d{1,6}$", "[", "(?<=a)b", "\\p{L}",
    "#/nowhere", "#", "file:///etc/hostname", "http://127.0.0.1:9/x.json", "date-time", "email",
    "uri", "string", "integer", "number", "object", "array", "boolean", "null", "GET", "PATCH",
    "DELETE", "require_approval", "automatic", "json", "none", "Authorization", "Host",
    "Cookie", "Transfer-Encoding", "header_token", "169.254.169.254", "http://localhost/",
    "//evil.example/x", "/api/0/{a}/{a}", "/{", "/.", "/..", "?", "#x",
)  # fmt: skip
text = st.one_of(
    st.sampled_from(STRINGS),
    st.sampled_from(SCHEMA_STRINGS),
    st.text(max_size=30),
    control,
    long_strings,
    embedded,
    tokens,
)
ODD_NUMBERS = (
    0, -1, 1, 2**31, 2**53 + 1, 2**63, 2**64 + 1, -(2**63) - 1, 10**99, -(10**99), 10**300,
    0.0, -0.0, 0.5, 1e308, -1e308, 5e-324, 1e-7, 3.14159, 1.0, 2.0**53,
)  # fmt: skip
numbers = st.one_of(
    st.sampled_from(ODD_NUMBERS),
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),
)
scalars = st.one_of(st.none(), st.booleans(), numbers, text)
KEYS = (
    *NAMES, "", "$ref", "$id", "$schema", "$anchor", "$dynamicRef", "$defs", "__proto__",
    "constructor", "~0~1", "a/b", "\x00", " ", "x" * 300, "format", "uniqueItems", "const",
    "oneOf", "anyOf", "allOf", "not", "if", "then", "maxLength", "minLength", "maxItems",
    "approvalMode", "requestBodyMode", "resultMode", "authHeaderName", "authTokenPrefix",
)  # fmt: skip
keys = st.one_of(st.sampled_from(KEYS), tokens, embedded, st.text(max_size=12), control)
json_values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(keys, children, max_size=4)
    ),
    max_leaves=10,
)


@st.composite
def deep(draw: st.DrawFn) -> Any:
    """A value nested 1 to 70 levels (the loader's cap is 64) in lists and objects."""
    node = draw(scalars)
    for wrap_in_list in draw(st.lists(st.booleans(), min_size=1, max_size=70)):
        node = [node] if wrap_in_list else {draw(st.sampled_from(KEYS[:8])): node}
    return node


SCHEMAS = (
    {"$ref": "#/nowhere"}, {"$ref": "#"}, {"$ref": "file:///etc/hostname"},
    {"$ref": "http://127.0.0.1:9/s.json"}, {"$dynamicRef": "#x"}, {"$id": "http://x.example/"},
    {"type": "string", "pattern": "^(a+)+$", "maxLength": 40},
    {"type": "string", "pattern": "^a{4294967296}$"}, {"type": ["object", "string", "array"]},
    {"type": "string", "format": "email"}, {"type": "integer", "maximum": 10**400},
    {"type": "array", "items": {"type": "string"}, "uniqueItems": True},
    {"enum": [[1], {"a": 1}, None]}, {"type": "string", "pattern": "^[0-9]*$"},
    {"not": {}}, {"const": "x"}, {"allOf": [{"type": "string"}, {"type": "integer"}]},
)  # fmt: skip
values = st.one_of(json_values, deep(), st.sampled_from(SCHEMAS).map(copy.deepcopy))


# --- strategies: mutated documents -------------------------------------------------------------


def containers(node: Any) -> list[tuple[str, dict[str, Any] | list[Any]]]:
    """(JSON pointer, node) of every object and array in ``node``, in document order."""
    found: list[tuple[str, dict[str, Any] | list[Any]]] = []
    stack: list[tuple[str, Any]] = [("", node)]
    while stack:
        pointer, item = stack.pop()
        if isinstance(item, dict | list):
            found.append((pointer, item))
            pairs = item.items() if isinstance(item, dict) else enumerate(item)
            children = [(f"{pointer}/{_escape(k)}", v) for k, v in pairs]
            stack.extend(reversed(children))
    return found


def _escape(key: Any) -> str:
    return str(key).replace("~", "~0").replace("/", "~1")


def short(value: Any, limit: int = 80) -> str:
    """A repr cut to ``limit`` characters, with the full length when cut."""
    text = repr(value)
    return text if len(text) <= limit else f"{text[:limit]}...<{len(text)} chars>"


class Mutant:
    """A mutated document; its repr (what Hypothesis prints for a failing example) lists the
    edits, not the whole document."""

    def __init__(self, data: Any, edits: list[str]) -> None:
        self.data = data
        self.edits = edits

    def __repr__(self) -> str:
        return f"Mutant(edits={self.edits!r})"

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(repr(self))


@st.composite
def mutated(draw: st.DrawFn, base: Any = ORIGINAL, max_edits: int = 4) -> Mutant:
    """A copy of ``base`` with 1 to ``max_edits`` edits: a subtree replaced, inserted or
    deleted, a key renamed, or a value moved under a hostile key."""
    data = copy.deepcopy(base)
    edits: list[str] = []
    for _ in range(draw(st.integers(1, max_edits))):
        found = containers(data)
        if not found:
            data = draw(values)
            edits.append(f"whole document = {short(data)}")
            continue
        pointer, target = found[draw(st.integers(0, len(found) - 1))]
        op = draw(st.sampled_from(("replace", "insert", "delete", "rename")))
        if isinstance(target, list):
            at = draw(st.integers(0, len(target)))
            if op == "insert" or not target or at == len(target):
                op = "insert"
                target.insert(at, draw(values))
            elif op == "delete":
                del target[at]
            else:
                target[at] = draw(values)
            value = target[at] if op != "delete" else None
            edits.append(f"{op} {pointer}/{at}" + (f" = {short(value)}" if value else ""))
            continue
        names = list(target)
        if op == "insert" or not names:
            key = draw(keys)
            target[key] = draw(values)
            edits.append(f"insert {pointer}/{_escape(key)} = {short(target[key])}")
            continue
        name = draw(st.sampled_from(names))
        if op == "delete":
            del target[name]
            edits.append(f"delete {pointer}/{_escape(name)}")
        elif op == "rename":
            key = draw(keys)
            target[key] = target.pop(name)
            edits.append(f"rename {pointer}/{_escape(name)} to {short(key)}")
        else:
            target[name] = draw(values)
            edits.append(f"replace {pointer}/{_escape(name)} = {short(target[name])}")
    return Mutant(data, edits)


def dumps(data: Any, indent: int | None = 2) -> str:
    """JSON text; an integer past Python's digit limit is written out by hand, as a stranger's
    file could hold it."""
    try:
        return json.dumps(data, indent=indent, ensure_ascii=False)
    except ValueError:
        return json.dumps(_small_ints(data), indent=indent, ensure_ascii=False).replace(
            '"<big>"', "9" * 5000
        )


def _small_ints(node: Any) -> Any:
    if isinstance(node, int) and not isinstance(node, bool) and abs(node) > 10**4000:
        return "<big>"
    if isinstance(node, dict):
        return {k: _small_ints(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_small_ints(v) for v in node]
    return node


SENTRY_TEXT = dumps(ORIGINAL)
STRAY = (
    b'"', b"{", b"[", b",", b":", b"\\", b"\x00", b"NaN", b"-Infinity", b"1e999", b"01",
    b"9" * 5000, b"\\ud800", b"\\u00zz", b"\n", b"\t", b"\xef\xbb\xbf", b"\xff", b"\xc3",
    b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"[" * 70, b"{\"a\":" * 70, b"/*", b"//",
)  # fmt: skip


@st.composite
def damaged_bytes(draw: st.DrawFn) -> bytes:
    """The Sentry manifest's bytes with raw damage, or bytes from nowhere."""
    raw = SENTRY_TEXT.encode()
    if draw(st.integers(0, 9)) == 0:
        return draw(st.binary(max_size=400))
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, len(raw)))
        op = draw(st.sampled_from(("cut", "delete", "insert", "key", "bom")))
        if op == "cut":
            raw = raw[:at]
        elif op == "delete":
            raw = raw[:at] + raw[at + draw(st.integers(1, 60)) :]
        elif op == "insert":
            stray = draw(st.one_of(st.sampled_from(STRAY), st.binary(min_size=1, max_size=8)))
            raw = raw[:at] + stray + raw[at:]
        elif op == "key":
            key = json.dumps(draw(st.one_of(tokens, keys)), ensure_ascii=False).encode()
            raw = raw.replace(b"{", b"{" + key + b": 1, " + key + b": 2, ", 1)
        else:
            raw = b"\xef\xbb\xbf" + raw
    return raw


VERSIONS = (
    "0.1.0", "0.1.1", "0.2.0", "1.0.0", "0.0.1", "0.1.0-rc.1", "0.1.0+build.7", "1.0.0-0",
    "v1.0.0", "1.0", "01.0.0", "1.0.0-", "1.0.0+", " 1.0.0", "1.0.0\n", "", "x",
    "1." + "9" * 5000 + ".0", "9" * 30 + ".0.0", "0.1.0-" + "a" * 300, "2.0.0-\u0661",
)  # fmt: skip
versions = st.one_of(st.sampled_from(VERSIONS), tokens, scalars)


@st.composite
def manifest_pairs(draw: st.DrawFn) -> tuple[Mutant, Mutant]:
    """(old, new): a release and a change of it, each possibly damaged, versions anything."""
    old = draw(st.one_of(st.just(Mutant(copy.deepcopy(ORIGINAL), [])), mutated(max_edits=2)))
    new = draw(mutated(base=old.data, max_edits=3))
    for doc in (old, new):
        if isinstance(doc.data, dict) and draw(st.booleans()):
            doc.data["version"] = draw(versions)
            doc.edits.append(f"replace /version = {short(doc.data['version'])}")
    if draw(st.integers(0, 4)) == 0:
        old, new = new, old
    return old, new


# --- strategies: configurations, specs, render inputs ------------------------------------------


@st.composite
def config_texts(draw: st.DrawFn) -> str:
    """A .hubtool.yaml: a mutated configuration, any value, or damaged YAML text."""
    roll = draw(st.integers(0, 9))
    if roll < 6:
        return yaml.safe_dump(draw(mutated(base=CONFIG, max_edits=3)).data, allow_unicode=True)
    if roll < 8:
        return yaml.safe_dump(draw(json_values), allow_unicode=True)
    base = yaml.safe_dump(CONFIG)
    at = draw(st.integers(0, len(base)))
    stray = draw(
        st.one_of(
            st.sampled_from(YAML_STRAY),
            tokens.map(lambda t: f" {t} "),
            st.just("9" * 5000),
            st.text(max_size=10),
        )
    )
    return base[:at] + stray + base[at:]


@st.composite
def specs(draw: st.DrawFn) -> Mutant:
    """The test OpenAPI spec, mutated, with $refs anywhere, YAML-only keys and odd prose."""
    spec = draw(mutated(base=SPEC, max_edits=3))
    for _ in range(draw(st.integers(0, 3))):
        found = containers(spec.data)
        if not found:
            break
        pointer, target = found[draw(st.integers(0, len(found) - 1))]
        ref = draw(st.one_of(st.sampled_from(REFS), st.sampled_from(SCHEMA_STRINGS[7:11])))
        if isinstance(target, list):
            target.append({"$ref": ref})
            spec.edits.append(f"append {pointer}/- = {{'$ref': {ref!r}}}")
        elif draw(st.booleans()):
            target["$ref"] = ref
            spec.edits.append(f"insert {pointer}/$ref = {ref!r}")
        else:
            target["description"] = draw(st.sampled_from(PROSE))
            spec.edits.append(f"replace {pointer}/description = {short(target['description'])}")
    return spec


def spec_text(spec: Any, as_yaml: bool) -> str | None:
    """The spec as YAML or JSON text; None when neither can hold it."""
    try:
        if as_yaml:
            return yaml.safe_dump(spec, allow_unicode=True)
        return dumps(spec, indent=None)
    except (TypeError, ValueError, yaml.YAMLError):
        return None


operations = st.one_of(st.sampled_from(OPERATIONS), tokens, text)
render_inputs = st.one_of(
    mutated(base=RENDER_INPUT, max_edits=3), values.map(lambda v: Mutant(v, [short(v)]))
)
