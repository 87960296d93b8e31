"""A quick, conservative test run before the detectors: can this text hold a credential at all?

``may_hold_secret`` is False only when no detector of ``detectors`` can match the text and no
decoding of ``decodings`` applies to it, so ``find_secret`` is None and ``redact_text`` leaves
it as is. Most strings (keys, names, prose) hold none of what it looks for and cost one regex
scan and one byte translation, instead of some thirty regex scans and a decoding of each view.
What it looks for, each a part that every match of a detector, or every decoding, needs:

- the fixed part of a format (``detectors.ANCHOR``: ``sntrys_``, ``sk-``, ``eyJ``, ``=`` ...);
- a ``\\`` or a ``%`` (escape sequences, percent-encoding);
- an invisible character (only a text that is not ASCII can hold one);
- a run of 24 token characters: the high-entropy fallback, 64-hex tokens and base64 runs all
  need one, and their alphabets are within ``detectors.TOKEN_CHARS``.

``tests/core/test_secrets_prefilter.py`` checks it against the detectors on generated texts and
on every string of Sentry's OpenAPI spec.
"""

from __future__ import annotations

from hubtool.core.secrets.decodings import INVISIBLE
from hubtool.core.secrets.detectors import ANCHOR, has_run, token_runs

RUN_LENGTH = 24
"""The shortest run of token characters a detector or a decoding needs (``_TOKEN_SHAPE``,
``_BASE64_RUN``)."""


def may_hold_secret(text: str) -> bool:
    """False when no detector or decoding can find a credential in ``text`` (linear time)."""
    if ANCHOR.search(text) is not None or "\\" in text or "%" in text:
        return True
    if not text.isascii() and INVISIBLE.search(text) is not None:
        return True
    return len(text) >= RUN_LENGTH and has_run(token_runs(text), RUN_LENGTH)
