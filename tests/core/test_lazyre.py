"""``hubtool.core.lazyre``: a pattern compiled on first use behaves as ``re.compile``'s."""

from __future__ import annotations

import importlib
import re

import pytest

from hubtool.core.lazyre import LazyPattern, lazy_compile

MODULES = (
    "hubtool.core.escape",
    "hubtool.core.inputs",
    "hubtool.core.secrets.decodings",
    "hubtool.core.secrets.detectors",
    "hubtool.core.secrets.names",
    "hubtool.load.fast",
    "hubtool.validate.config.parse",
    "hubtool.validate.rules.secrets",
)
"""The modules that hold lazy patterns (a broken one would fail only where it is first used)."""


def test_a_lazy_pattern_compiles_on_first_use_and_acts_as_re() -> None:
    lazy = lazy_compile(r"a+(b)", re.IGNORECASE)
    assert isinstance(lazy, LazyPattern) and lazy._compiled is None
    eager = re.compile(r"a+(b)", re.IGNORECASE)
    assert lazy.sub("-", "xAAbYab") == eager.sub("-", "xAAbYab") == "x-Y-"
    assert lazy.pattern == eager.pattern and lazy.flags == eager.flags
    assert lazy.compiled() is lazy.compiled()


@pytest.mark.parametrize("name", MODULES)
def test_every_lazy_pattern_of_hubtool_compiles(name: str) -> None:
    module = importlib.import_module(name)
    lazy = [value for value in vars(module).values() if isinstance(value, LazyPattern)]
    assert lazy
    for pattern in lazy:
        assert isinstance(pattern.compiled(), re.Pattern)
    detectors = getattr(module, "DETECTORS", ())
    for detector in detectors:
        assert isinstance(detector.regex.compiled(), re.Pattern)
