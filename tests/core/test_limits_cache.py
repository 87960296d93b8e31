"""``cached_when_short``: short texts computed once, long ones every time (never kept)."""

from __future__ import annotations

from hubtool.core.limits import SHORT_TEXT, cached_when_short


def test_short_texts_are_cached_and_long_ones_are_not() -> None:
    calls: list[str] = []

    @cached_when_short(maxsize=8)
    def upper(text: str) -> str:
        calls.append(text)
        return text.upper()

    short, long = "a" * SHORT_TEXT, "b" * (SHORT_TEXT + 1)
    assert [upper(short), upper(short)] == [short.upper()] * 2
    assert [upper(long), upper(long)] == [long.upper()] * 2
    assert calls == [short, long, long]
    upper.cache_clear()  # type: ignore[attr-defined]
    upper(short)
    assert calls == [short, long, long, short]
    assert upper.__name__ == "upper"
